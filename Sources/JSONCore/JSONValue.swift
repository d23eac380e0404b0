/// A parsed JSON value, for small documents read whole (the JSON columns of
/// the database). Objects keep their members in order. The big dumps go
/// through DumpReader's tape instead; both use ``JSONScanner``.
///
/// ```swift
/// let value = try JSONValue.parse(#"{"verbs": ["get"]}"#)
/// value.member("verbs")   // .array([.string("get")])
/// ```
public enum JSONValue: Equatable, Sendable {
    case string(String)
    case bool(Bool)
    /// The number's text as written (`1e3` stays `1e3`).
    case number(String)
    case null
    case array([JSONValue])
    case object([Member])

    public struct Member: Equatable, Sendable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Parses exactly one value (any whitespace around it), as RFC 8259 reads it.
    public static func parse(_ text: String, maxDepth: Int = 256) throws(JSONSyntaxError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONSyntaxError> = text.withUTF8 { buffer in
            do throws(JSONSyntaxError) {
                return .success(try parse(buffer, maxDepth: maxDepth))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 256) throws(JSONSyntaxError) -> JSONValue {
        guard let base = bytes.baseAddress else { throw JSONSyntaxError(offset: 0, message: "empty input, expected a value") }
        var parser = Parser(base: base, count: bytes.count, maxDepth: maxDepth)
        parser.skipWhitespace()
        let value = try parser.value(depth: 1)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.failure(expected: "the end of the value") }
        return value
    }

    /// The value of member `name` of an object (nil when absent or not an object).
    public func member(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == name }?.value
    }
}

/// Recursive descent over UTF-8 bytes; strings and numbers are the scanner's.
private struct Parser {
    let base: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    var position = 0

    init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.base = base
        self.count = count
        self.maxDepth = maxDepth
    }

    func failure(expected: String) -> JSONSyntaxError {
        guard position < count else {
            return JSONSyntaxError(offset: count, message: "unexpected end of input, expected \(expected)")
        }
        return JSONSyntaxError(offset: position, message: "invalid JSON: expected \(expected), found \(JSONScanner.describe(base[position]))")
    }

    mutating func skipWhitespace() {
        while position < count, base[position] == 0x20 || base[position] == 0x0A || base[position] == 0x0D || base[position] == 0x09 {
            position += 1
        }
    }

    private func peek() -> UInt8? { position < count ? base[position] : nil }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= maxDepth else {
            throw JSONSyntaxError(offset: position, message: "nesting deeper than \(maxDepth) levels")
        }
        switch peek() {
        case UInt8(ascii: "\"")?: return .string(try string())
        case UInt8(ascii: "{")?:
            position += 1
            skipWhitespace()
            var members: [JSONValue.Member] = []
            if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                guard peek() == UInt8(ascii: "\"") else { throw failure(expected: "a string key") }
                let key = try string()
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { throw failure(expected: "':' after an object key") }
                position += 1
                skipWhitespace()
                members.append(JSONValue.Member(key, try value(depth: depth + 1)))
                guard try separator(closing: UInt8(ascii: "}"), what: "',' or '}' after an object member") else { break }
            }
            return .object(members)
        case UInt8(ascii: "[")?:
            position += 1
            skipWhitespace()
            var items: [JSONValue] = []
            if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                guard try separator(closing: UInt8(ascii: "]"), what: "',' or ']' after an array element") else { break }
            }
            return .array(items)
        case UInt8(ascii: "t")?: try literal("true"); return .bool(true)
        case UInt8(ascii: "f")?: try literal("false"); return .bool(false)
        case UInt8(ascii: "n")?: try literal("null"); return .null
        case let byte? where byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39):
            let start = position
            position = try JSONScanner.scanNumber(base, count: count, from: start)
            return .number(String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self))
        default: throw failure(expected: "a value")
        }
    }

    /// After an element: `,` (true: more follows) or the closing bracket (false).
    private mutating func separator(closing: UInt8, what: String) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ",")?:
            position += 1
            skipWhitespace()
            return true
        case closing?:
            position += 1
            return false
        default: throw failure(expected: what)
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard position + n <= count,
              UnsafeBufferPointer(start: word.utf8Start, count: n).elementsEqual(UnsafeBufferPointer(start: base + position, count: n))
        else { throw failure(expected: "a value (\(word)?)") }
        position += n
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        let start = position + 1
        let (end, escaped) = try JSONScanner.scanString(base, count: count, from: start)
        position = end + 1
        let content = UnsafeBufferPointer(start: base + start, count: end - start)
        return escaped ? JSONString.unescape(content) : String(decoding: content, as: UTF8.self)
    }
}
