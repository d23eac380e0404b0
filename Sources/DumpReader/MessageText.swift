/// Input text that a warning or an error quotes (a kind, an apiVersion, an
/// anchor name): at most a short excerpt, with control characters escaped,
/// so a message can neither carry a long run of the input (a secret value
/// the reader stopped in) nor rewrite the terminal it is printed on.
/// Secret values themselves are never quoted at all.
enum MessageText {
    /// The most characters of input a message quotes.
    static let limit = 40

    /// Whether `text` is short plain ASCII that a message can show as it is
    /// (the common case, checked without building a string).
    static func isSafe(_ text: String, limit: Int = limit) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.count <= limit && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        }
    }

    /// `text` cut to `limit` characters (`…` marks the cut), with control
    /// characters, line and paragraph separators and bidirectional
    /// overrides written as `\n`, `\t`, `\r` or `\u{XX}`.
    static func excerpt(_ text: String, limit: Int = limit) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                result += "…"
                break
            }
            count += 1
            switch scalar.value {
            case 0x0A: result += "\\n"
            case 0x09: result += "\\t"
            case 0x0D: result += "\\r"
            case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
