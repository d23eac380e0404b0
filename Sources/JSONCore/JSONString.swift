/// Where escaped bytes go: a `[UInt8]`, or a writer's own buffer.
public protocol ByteOutput {
    mutating func append(byte: UInt8)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteOutput where Element == UInt8 {
    @inlinable public mutating func append(byte: UInt8) { append(byte) }
    @inlinable public mutating func append(bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}

/// keyreach's one JSON string escaper and unescaper.
///
/// The escaped form is valid JSON (RFC 8259) and, unchanged, a valid YAML
/// double-quoted scalar: besides `"`, `\` and C0 controls it escapes DEL, the
/// C1 controls (U+0085 NEL among them), U+2028, U+2029, U+FEFF, U+FFFE and
/// U+FFFF — characters YAML reads as line breaks or refuses as unprintable,
/// and JavaScript as line ends.
///
/// ```swift
/// var out: [UInt8] = []
/// JSONString.appendQuoted("a\u{2028}b", to: &out)   // "a\u2028b"
/// ```
public enum JSONString {
    /// Appends `value` as a quoted JSON string literal.
    @inlinable
    public static func appendQuoted<Output: ByteOutput>(_ value: String, to out: inout Output) {
        out.append(byte: UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { appendEscaped($0, to: &out) }
        out.append(byte: UInt8(ascii: "\""))
    }

    /// Whether any byte needs an escape (most names need none: callers copy them whole).
    @inlinable
    public static func needsEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where mayNeedEscape(byte) { return true }
        return false
    }

    /// Bytes that start something to escape: `"`, `\`, C0, DEL, and the
    /// lead bytes of U+0080–U+009F (C2), U+2028/U+2029 (E2) and U+FEFF/U+FFFE/U+FFFF (EF).
    @inlinable @inline(__always)
    static func mayNeedEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
            || byte == 0xC2 || byte == 0xE2 || byte == 0xEF
    }

    /// Appends the escaped content of a string (valid UTF-8), without quotes.
    @inlinable
    public static func appendEscaped<Output: ByteOutput>(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout Output) {
        guard needsEscaping(bytes) else {
            out.append(bytes: bytes)
            return
        }
        var i = 0
        var copied = 0
        @inline(__always) func flush(_ upTo: Int) {
            if upTo > copied { out.append(bytes: UnsafeBufferPointer(rebasing: bytes[copied..<upTo])) }
        }
        while i < bytes.count {
            let byte = bytes[i]
            guard mayNeedEscape(byte) else { i += 1; continue }
            var length = 1
            var escape: UInt32?
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                flush(i)
                out.append(byte: UInt8(ascii: "\\"))
                out.append(byte: byte)
                i += 1
                copied = i
                continue
            case 0x0A, 0x0D, 0x09:
                flush(i)
                out.append(byte: UInt8(ascii: "\\"))
                out.append(byte: byte == 0x0A ? UInt8(ascii: "n") : byte == 0x0D ? UInt8(ascii: "r") : UInt8(ascii: "t"))
                i += 1
                copied = i
                continue
            case 0xC2:
                // U+0080–U+009F: C2 80…C2 9F.
                if i + 1 < bytes.count, bytes[i + 1] < 0xA0 { escape = UInt32(bytes[i + 1]); length = 2 }
            case 0xE2:
                // U+2028, U+2029: E2 80 A8, E2 80 A9.
                if i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                    escape = 0x2000 | UInt32(bytes[i + 2] - 0x80); length = 3
                }
            case 0xEF:
                // U+FEFF: EF BB BF; U+FFFE, U+FFFF: EF BF BE, EF BF BF.
                if i + 2 < bytes.count, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF { escape = 0xFEFF; length = 3 }
                if i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE { escape = 0xFF00 | UInt32(bytes[i + 2] + 0x40); length = 3 }
            default:
                escape = UInt32(byte)  // C0 controls and DEL
            }
            guard let unit = escape else { i += 1; continue }
            flush(i)
            appendUnicodeEscape(unit, to: &out)
            i += length
            copied = i
        }
        flush(bytes.count)
    }

    @inlinable
    static func appendUnicodeEscape<Output: ByteOutput>(_ unit: UInt32, to out: inout Output) {
        out.append(byte: UInt8(ascii: "\\"))
        out.append(byte: UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) { out.append(byte: hexDigit(UInt8((unit >> UInt32(shift)) & 0xF))) }
    }

    @inlinable @inline(__always)
    public static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    @inlinable @inline(__always)
    public static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    /// Decodes the content of a string the scanner accepted (between the
    /// quotes, escapes included). Never traps: should it meet an escape the
    /// scanner would refuse, it writes U+FFFD.
    public static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\"), i + 1 < bytes.count else { out.append(b); i += 1; continue }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "u"):
                guard let unit = hex4(bytes, i) else { appendScalar(0xFFFD, to: &out); continue }
                i += 4
                var scalar = unit
                if (0xD800..<0xDC00).contains(unit), i + 6 <= bytes.count,
                   bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                   let low = hex4(bytes, i + 2), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendScalar(scalar, to: &out)
            default: appendScalar(0xFFFD, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
        out.append(contentsOf: String(Unicode.Scalar(value) ?? "\u{FFFD}").utf8)
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for k in at..<(at + 4) {
            guard let digit = hexValue(bytes[k]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
