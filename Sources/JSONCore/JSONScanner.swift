/// The tokens of RFC 8259 that need more than one byte to recognise:
/// strings (escapes and surrogate pairs validated) and numbers (the full
/// grammar). Both of keyreach's JSON parsers are built on it — the reader's
/// tape (DumpReader) and ``JSONValue`` — so they accept exactly the same
/// text, and JSONTestSuite pins that text against JSONSerialization.
///
/// Functions take a base pointer, a count and a position, and never read at
/// or past `count`. They are `@inlinable`: the string scan is the hot loop of
/// a 440 MB/s import.
///
/// ```swift
/// let end = try JSONScanner.scanNumber(base, count: n, from: 0)   // "12.5e3," → 6
/// ```
public enum JSONScanner {
    /// Scans a string whose opening quote is at `start - 1`. Returns the
    /// offset of the closing quote and whether the string holds an escape
    /// (then ``JSONString/unescape(_:)`` decodes it).
    @inlinable @inline(__always)
    public static func scanString(_ base: UnsafePointer<UInt8>, count: Int, from start: Int)
        throws(JSONSyntaxError) -> (end: Int, escaped: Bool)
    {
        var p = start
        var escaped = false
        while true {
            // Eight bytes at a time while none is a quote, a backslash or a control byte.
            while p + 8 <= count {
                let word = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                if hasSpecialByte(word) { break }
                p += 8
            }
            guard p < count else {
                throw JSONSyntaxError(offset: count, message: "unexpected end of file inside a string (truncated JSON?)")
            }
            let c = base[p]
            if c == UInt8(ascii: "\"") { return (p, escaped) }
            if c == UInt8(ascii: "\\") {
                escaped = true
                p = try scanEscape(base, count: count, at: p)
                continue
            }
            if c < 0x20 {
                throw JSONSyntaxError(offset: p, message: "invalid JSON: control character (\(describe(c))) inside a string")
            }
            p += 1
        }
    }

    /// Validates the escape whose backslash is at `p`; returns the offset after it.
    /// A `\u` high surrogate must be followed by a `\u` low one, and a low one
    /// must follow a high one: JSONSerialization rejects lone surrogates, and a
    /// Swift String cannot hold one.
    @inlinable
    static func scanEscape(_ base: UnsafePointer<UInt8>, count: Int, at p: Int) throws(JSONSyntaxError) -> Int {
        guard p + 1 < count else {
            throw JSONSyntaxError(offset: count, message: "unexpected end of file inside a string (truncated JSON?)")
        }
        switch base[p + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return p + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(base, count: count, at: p + 2)
            if unit >= 0xDC00 && unit < 0xE000 {
                throw JSONSyntaxError(offset: p, message: "invalid JSON: \\u escape of a lone low surrogate")
            }
            guard unit >= 0xD800 && unit < 0xDC00 else { return p + 6 }
            let lonely = JSONSyntaxError(offset: p, message: "invalid JSON: \\u escape of a high surrogate without its low surrogate")
            guard p + 7 < count, base[p + 6] == UInt8(ascii: "\\"), base[p + 7] == UInt8(ascii: "u") else { throw lonely }
            let low = try hex4(base, count: count, at: p + 8)
            guard low >= 0xDC00 && low < 0xE000 else { throw lonely }
            return p + 12
        default:
            let next = base[p + 1]
            let escape = next >= 0x21 && next < 0x7F ? "\\" + String(UnicodeScalar(next)) : "\\ then \(describe(next))"
            throw JSONSyntaxError(offset: p, message: "invalid JSON: unknown escape \(escape) in a string (JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
        }
    }

    /// The value of four hex digits at `at`.
    @inlinable
    static func hex4(_ base: UnsafePointer<UInt8>, count: Int, at: Int) throws(JSONSyntaxError) -> UInt32 {
        guard at + 4 <= count else {
            throw JSONSyntaxError(offset: count, message: "unexpected end of file inside a \\u escape (truncated JSON?)")
        }
        var value: UInt32 = 0
        for k in at..<(at + 4) {
            guard let digit = JSONString.hexValue(base[k]) else {
                throw JSONSyntaxError(offset: k, message: "invalid JSON: \\u escape needs four hex digits, found \(describe(base[k]))")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Scans a number starting at `start` (a `-` or a digit):
    /// `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`, and returns the
    /// offset after it. A number followed directly by more number-like bytes
    /// (`01`, `1.`, `1e+`, `1-2`) is malformed.
    @inlinable
    public static func scanNumber(_ base: UnsafePointer<UInt8>, count: Int, from start: Int) throws(JSONSyntaxError) -> Int {
        var p = start
        @inline(__always) func digit(_ i: Int) -> Bool { i < count && base[i] >= 0x30 && base[i] <= 0x39 }
        if p < count, base[p] == UInt8(ascii: "-") { p += 1 }
        guard digit(p) else { throw malformedNumber(base, count: count, start: start, at: p) }
        if base[p] == UInt8(ascii: "0") {
            p += 1
        } else {
            while digit(p) { p += 1 }
        }
        if p < count, base[p] == UInt8(ascii: ".") {
            p += 1
            guard digit(p) else { throw malformedNumber(base, count: count, start: start, at: p) }
            while digit(p) { p += 1 }
        }
        if p < count, base[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            if p < count, base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-") { p += 1 }
            guard digit(p) else { throw malformedNumber(base, count: count, start: start, at: p) }
            while digit(p) { p += 1 }
        }
        if p < count {
            let c = base[p]
            if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: ".") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
                || c | 0x20 == UInt8(ascii: "e") {
                throw malformedNumber(base, count: count, start: start, at: p)
            }
        }
        return p
    }

    @usableFromInline
    static func malformedNumber(_ base: UnsafePointer<UInt8>, count: Int, start: Int, at p: Int) -> JSONSyntaxError {
        if p >= count { return JSONSyntaxError(offset: count, message: "unexpected end of file inside a number (truncated JSON?)") }
        var end = p
        while end < count, end - start < 24, base[end] > 0x20, base[end] != UInt8(ascii: ","),
              base[end] != UInt8(ascii: "]"), base[end] != UInt8(ascii: "}") { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        return JSONSyntaxError(offset: p, message: "invalid JSON: malformed number \(text) (at \(describe(base[p])))")
    }

    /// True when a byte of `word` is `"`, `\` or below 0x20 (the classic
    /// has-zero-byte trick, applied three times).
    @inlinable @inline(__always)
    static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- (ones &* 0x20)) & ~word
        return (hasQuote | hasBackslash | hasControl) & highs != 0
    }

    /// A byte as a message shows it: `'x'` when printable, else `byte 0x0A`.
    public static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
