/// keyreach's one rule for writing a string as a YAML scalar: plain when
/// every YAML 1.1 and 1.2 reader (libyaml, Yams, go-yaml, PyYAML) reads it
/// back as the same string, otherwise double-quoted with ``JSONString``'s
/// escapes (which YAML reads as the same escapes).
///
/// ```swift
/// var out: [UInt8] = []
/// YAMLScalar.append("production", to: &out)   // production
/// YAMLScalar.append("0755", to: &out)         // "0755"
/// ```
public enum YAMLScalar {
    @inlinable
    public static func append<Output: ByteOutput>(_ value: String, to out: inout Output) {
        if isPlainSafe(value) {
            var value = value
            value.withUTF8 { out.append(bytes: $0) }
        } else {
            JSONString.appendQuoted(value, to: &out)
        }
    }

    /// Whether `value` can be written unquoted and still read back as the same
    /// string. Conservative by design (a whitelist): it must start with a
    /// letter or `/` (no indicator, digit, sign or dot, so no number, date or
    /// `.inf`), hold only ASCII letters, digits, spaces and `-_./+=@()$~:#`,
    /// with no `: `, no ` #`, no trailing space or `:`, and not be a word YAML
    /// 1.1 resolves to a boolean or null (`yes`, `No`, `on`, `y`, `null`, ...).
    public static func isPlainSafe(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes -> Bool in
            guard let first = bytes.first, let last = bytes.last else { return false }
            let startsWell = (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z"))
                || (first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z"))
                || first == UInt8(ascii: "/")
            guard startsWell, last != UInt8(ascii: " "), last != UInt8(ascii: ":") else { return false }
            var previous: UInt8 = 0
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"),
                     UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "@"), UInt8(ascii: "("),
                     UInt8(ascii: ")"), UInt8(ascii: "$"), UInt8(ascii: "~"):
                    break
                case UInt8(ascii: ":"):
                    break  // fine unless followed by a space (checked below)
                case UInt8(ascii: " "):
                    if previous == UInt8(ascii: ":") { return false }
                case UInt8(ascii: "#"):
                    if previous == UInt8(ascii: " ") { return false }
                default:
                    return false
                }
                previous = byte
            }
            return !isReservedWord(bytes)
        }
    }

    /// Words that YAML 1.1 resolves to booleans or null (any case): y, n,
    /// yes, no, on, off, true, false, null. Compared byte by byte: this runs
    /// for every short string of a generated dump.
    private static func isReservedWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= 5 else { return false }
        var word: UInt64 = 0
        for byte in bytes {
            word = word << 8 | UInt64(byte | 0x20)  // ASCII lower case
        }
        switch word {
        case 0x79, 0x6E, 0x79_6573, 0x6E6F, 0x6F6E, 0x6F_6666, 0x7472_7565, 0x66_616C_7365, 0x6E75_6C6C: return true
        default: return false
        }
    }
}
