import KubeModel

/// The JSON text stored in the columns that hold a map or a list (labels,
/// annotations, verbs, owner references, ...): written and read by hand
/// because Foundation's coders cost microseconds per call, and a snapshot has
/// hundreds of thousands of these small values. The text is plain JSON that
/// SQLite's `json_each` / `->>` read, with the field names Kubernetes uses.
enum JSONText {
    // MARK: Writing

    /// `{"k":"v",...}` with keys sorted, so equal maps give equal bytes.
    static func object(_ map: [String: String]) -> String {
        if map.isEmpty { return "{}" }
        var out = JSONWriter()
        out.writeObject(map)
        return out.text
    }

    /// `["a","b"]`.
    static func array(_ strings: [String]) -> String {
        if strings.isEmpty { return "[]" }
        var out = JSONWriter()
        out.writeArray(strings)
        return out.text
    }

    /// `metadata.ownerReferences` as Kubernetes spells it.
    static func ownerReferences(_ references: [OwnerReference]) -> String {
        if references.isEmpty { return "[]" }
        var out = JSONWriter()
        out.writeOwnerReferences(references)
        return out.text
    }

    /// A ClusterRole's `aggregationRule` as Kubernetes spells it; `nil` stays NULL.
    static func aggregationRule(_ rule: AggregationRule?) -> String? {
        guard let rule else { return nil }
        var out = JSONWriter()
        out.writeAggregationRule(rule)
        return out.text
    }

    // MARK: Reading

    static func parseObject(_ text: String) throws -> [String: String] {
        if text == "{}" { return [:] }
        return try stringMap(JSONValue.parse(text), in: text)
    }

    static func parseArray(_ text: String) throws -> [String] {
        if text == "[]" { return [] }
        return try stringArray(JSONValue.parse(text), in: text)
    }

    static func parseOwnerReferences(_ text: String) throws -> [OwnerReference] {
        if text == "[]" { return [] }
        guard case .array(let items) = try JSONValue.parse(text) else { throw JSONTextError.unexpectedShape(text) }
        return try items.map { item in
            OwnerReference(apiVersion: try item.string("apiVersion", in: text), kind: try item.string("kind", in: text),
                           name: try item.string("name", in: text), uid: try item.string("uid", in: text),
                           controller: try item.bool("controller", in: text))
        }
    }

    static func parseAggregationRule(_ text: String?) throws -> AggregationRule? {
        guard let text else { return nil }
        let value = try JSONValue.parse(text)
        guard case .array(let selectors)? = value.member("clusterRoleSelectors") else { throw JSONTextError.unexpectedShape(text) }
        return AggregationRule(clusterRoleSelectors: try selectors.map { selector in
            let labels = try selector.member("matchLabels").map { try stringMap($0, in: text) } ?? [:]
            guard case .array(let expressions)? = selector.member("matchExpressions") ?? .array([]) else {
                throw JSONTextError.unexpectedShape(text)
            }
            return LabelSelector(matchLabels: labels, matchExpressions: try expressions.map { expression in
                LabelSelectorRequirement(key: try expression.string("key", in: text),
                                         operator: try expression.string("operator", in: text),
                                         values: try expression.member("values").map { try stringArray($0, in: text) } ?? [])
            })
        })
    }

    private static func stringMap(_ value: JSONValue, in text: String) throws -> [String: String] {
        guard case .object(let members) = value else { throw JSONTextError.unexpectedShape(text) }
        var map: [String: String] = [:]
        map.reserveCapacity(members.count)
        for (key, member) in members {
            guard case .string(let string) = member else { throw JSONTextError.unexpectedShape(text) }
            map[key] = string
        }
        return map
    }

    private static func stringArray(_ value: JSONValue, in text: String) throws -> [String] {
        guard case .array(let items) = value else { throw JSONTextError.unexpectedShape(text) }
        return try items.map { item in
            guard case .string(let string) = item else { throw JSONTextError.unexpectedShape(text) }
            return string
        }
    }
}

/// A stored JSON column that keyreach cannot read back (edited by hand, or
/// written by another program).
enum JSONTextError: Error, CustomStringConvertible {
    case malformed(String, offset: Int)
    case unexpectedShape(String)

    var description: String {
        switch self {
        case .malformed(let text, let offset): return "malformed JSON at byte \(offset) in stored value \(text.prefix(80))"
        case .unexpectedShape(let text): return "unexpected JSON shape in stored value \(text.prefix(80))"
        }
    }
}

/// Appends JSON to a byte buffer, escaping strings as RFC 8259 requires.
/// The bulk writer keeps one and binds its bytes directly, so no String is
/// built per column.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    mutating func writeOwnerReferences(_ references: [OwnerReference]) {
        raw("[")
        for (index, reference) in references.enumerated() {
            if index > 0 { raw(",") }
            raw("{\"apiVersion\":"); string(reference.apiVersion)
            raw(",\"kind\":"); string(reference.kind)
            raw(",\"name\":"); string(reference.name)
            raw(",\"uid\":"); string(reference.uid)
            raw(reference.controller ? ",\"controller\":true}" : ",\"controller\":false}")
        }
        raw("]")
    }

    mutating func writeAggregationRule(_ rule: AggregationRule) {
        raw("{\"clusterRoleSelectors\":[")
        for (index, selector) in rule.clusterRoleSelectors.enumerated() {
            if index > 0 { raw(",") }
            raw("{\"matchLabels\":"); writeObject(selector.matchLabels)
            raw(",\"matchExpressions\":[")
            for (position, requirement) in selector.matchExpressions.enumerated() {
                if position > 0 { raw(",") }
                raw("{\"key\":"); string(requirement.key)
                raw(",\"operator\":"); string(requirement.operator)
                raw(",\"values\":"); writeArray(requirement.values)
                raw("}")
            }
            raw("]}")
        }
        raw("]}")
    }

    mutating func raw(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    mutating func writeObject(_ map: [String: String]) {
        bytes.append(UInt8(ascii: "{"))
        if map.count == 1, let (key, value) = map.first {
            member(key, value)  // the common case needs no sort
        } else {
            for (index, (key, value)) in map.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                member(key, value)
            }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func member(_ key: String, _ value: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
        string(value)
    }

    mutating func writeArray(_ strings: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        // Fast path: nothing to escape, append the bytes at once.
        let copied: Bool? = value.utf8.withContiguousStorageIfAvailable { buffer in
            guard !buffer.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                return false
            }
            bytes.append(contentsOf: buffer)
            return true
        }
        if copied == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A parsed JSON value; objects keep their members in order.
enum JSONValue {
    case string(String)
    case bool(Bool)
    case number(String)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func parse(_ text: String) throws -> JSONValue {
        var contiguous = text
        return try contiguous.withUTF8 { buffer in
            var parser = JSONParser(bytes: buffer, text: text)
            let value = try parser.value()
            parser.skipWhitespace()
            guard parser.position == buffer.count else { throw parser.error() }
            return value
        }
    }

    func member(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }

    /// A string member; absent means `""`, as the writer never omits one.
    func string(_ name: String, in text: String) throws -> String {
        switch member(name) {
        case .string(let value)?: return value
        case nil, .null?: return ""
        default: throw JSONTextError.unexpectedShape(text)
        }
    }

    func bool(_ name: String, in text: String) throws -> Bool {
        switch member(name) {
        case .bool(let value)?: return value
        case nil, .null?: return false
        default: throw JSONTextError.unexpectedShape(text)
        }
    }
}

/// A recursive-descent parser over UTF-8 bytes.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let text: String
    var position = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, text: String) {
        self.bytes = bytes
        self.text = text
    }

    func error() -> JSONTextError { .malformed(text, offset: position) }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ byte: UInt8) throws {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { throw error() }
        position += 1
    }

    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func value() throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { throw error() }
        switch peek() {
        case UInt8(ascii: "\"")?: return .string(try string())
        case UInt8(ascii: "{")?:
            position += 1
            var members: [(String, JSONValue)] = []
            if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
            repeat {
                guard peek() == UInt8(ascii: "\"") else { throw error() }
                let key = try string()
                try expect(UInt8(ascii: ":"))
                members.append((key, try value()))
            } while try separator(closing: UInt8(ascii: "}"))
            return .object(members)
        case UInt8(ascii: "[")?:
            position += 1
            var items: [JSONValue] = []
            if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
            repeat { items.append(try value()) } while try separator(closing: UInt8(ascii: "]"))
            return .array(items)
        case UInt8(ascii: "t")?: try literal("true"); return .bool(true)
        case UInt8(ascii: "f")?: try literal("false"); return .bool(false)
        case UInt8(ascii: "n")?: try literal("null"); return .null
        case let byte? where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte):
            let start = position
            while position < bytes.count, "+-.eE0123456789".utf8.contains(bytes[position]) { position += 1 }
            return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
        default: throw error()
        }
    }

    /// Consumes `,` (more follows) or the closing bracket (done).
    mutating func separator(closing: UInt8) throws -> Bool {
        switch peek() {
        case UInt8(ascii: ",")?: position += 1; return true
        case closing?: position += 1; return false
        default: throw error()
        }
    }

    mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
              UnsafeBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[position..<position + count])
        else { throw error() }
        position += count
    }

    mutating func string() throws -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes.
        while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") {
            position += 1
        }
        guard position < bytes.count else { throw error() }
        var result = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while bytes[position] == UInt8(ascii: "\\") {
            position += 1
            guard position < bytes.count else { throw error() }
            let escaped = bytes[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(escaped)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), position + 1 < bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                result.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
            default: throw error()
            }
            while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") {
                result.append(bytes[position])
                position += 1
            }
            guard position < bytes.count else { throw error() }
        }
        position += 1  // closing quote
        return String(decoding: result, as: UTF8.self)
    }

    mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw error() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error()
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}
