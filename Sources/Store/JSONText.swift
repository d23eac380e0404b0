import JSONCore
import KubeModel

/// The JSON text stored in the columns that hold a map or a list (labels,
/// annotations, verbs, owner references, ...): written with JSONCore's
/// writer and read with its parser, because Foundation's coders cost
/// microseconds per call, and a snapshot has hundreds of thousands of these
/// small values. The text is plain JSON that
/// SQLite's `json_each` / `->>` read, with the field names Kubernetes uses.
enum JSONText {
    // MARK: Writing

    /// `{"k":"v",...}` with keys sorted, so equal maps give equal bytes.
    static func object(_ map: [String: String]) -> String {
        if map.isEmpty { return "{}" }
        var out = JSONColumnWriter()
        out.writeObject(map)
        return out.text
    }

    /// `["a","b"]`.
    static func array(_ strings: [String]) -> String {
        if strings.isEmpty { return "[]" }
        var out = JSONColumnWriter()
        out.writeArray(strings)
        return out.text
    }

    /// `metadata.ownerReferences` as Kubernetes spells it.
    static func ownerReferences(_ references: [OwnerReference]) -> String {
        if references.isEmpty { return "[]" }
        var out = JSONColumnWriter()
        out.writeOwnerReferences(references)
        return out.text
    }

    /// A ClusterRole's `aggregationRule` as Kubernetes spells it; `nil` stays NULL.
    static func aggregationRule(_ rule: AggregationRule?) -> String? {
        guard let rule else { return nil }
        var out = JSONColumnWriter()
        out.writeAggregationRule(rule)
        return out.text
    }

    // MARK: Reading

    static func parseObject(_ text: String) throws -> [String: String] {
        if text == "{}" { return [:] }
        return try stringMap(parse(text), in: text)
    }

    static func parseArray(_ text: String) throws -> [String] {
        if text == "[]" { return [] }
        return try stringArray(parse(text), in: text)
    }

    /// A stored value that is not JSON is a corrupt database: a thrown error, never a trap.
    private static func parse(_ text: String) throws(JSONTextError) -> JSONValue {
        do {
            return try JSONValue.parse(text, maxDepth: 64)
        } catch {
            throw JSONTextError.malformed(text, error)
        }
    }

    static func parseOwnerReferences(_ text: String) throws -> [OwnerReference] {
        if text == "[]" { return [] }
        guard case .array(let items) = try parse(text) else { throw JSONTextError.unexpectedShape(text) }
        return try items.map { item in
            OwnerReference(apiVersion: try item.string("apiVersion", in: text), kind: try item.string("kind", in: text),
                           name: try item.string("name", in: text), uid: try item.string("uid", in: text),
                           controller: try item.bool("controller", in: text))
        }
    }

    /// A stored labels, annotations or selector object, keyed by bytes as it was written.
    static func parseMap(_ text: String) throws -> ByteKeyedMap {
        if text == "{}" { return [:] }
        return try byteKeyedMap(parse(text), in: text)
    }

    static func parseAggregationRule(_ text: String?) throws -> AggregationRule? {
        guard let text else { return nil }
        let value = try parse(text)
        guard case .array(let selectors)? = value.member("clusterRoleSelectors") else { throw JSONTextError.unexpectedShape(text) }
        return AggregationRule(clusterRoleSelectors: try selectors.map { selector in
            let labels = try selector.member("matchLabels").map { try byteKeyedMap($0, in: text) } ?? [:]
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
        for member in members {
            guard case .string(let string) = member.value else { throw JSONTextError.unexpectedShape(text) }
            map[member.key] = string
        }
        return map
    }

    private static func byteKeyedMap(_ value: JSONValue, in text: String) throws -> ByteKeyedMap {
        guard case .object(let members) = value else { throw JSONTextError.unexpectedShape(text) }
        var map = ByteKeyedMap(minimumCapacity: members.count)
        for member in members {
            guard case .string(let string) = member.value else { throw JSONTextError.unexpectedShape(text) }
            map[member.key] = string
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
/// written by another program): the database is corrupt.
enum JSONTextError: Error, CustomStringConvertible {
    case malformed(String, JSONSyntaxError)
    case unexpectedShape(String)

    var description: String {
        switch self {
        case .malformed(let text, let error):
            return "corrupt database: a stored JSON value is malformed (\(error.message) at byte \(error.offset)): \(text.prefix(80)); import the dump again into a new database"
        case .unexpectedShape(let text):
            return "corrupt database: a stored JSON value has an unexpected shape: \(text.prefix(80)); import the dump again into a new database"
        }
    }
}

/// Appends the JSON of the stored columns with JSONCore's writer. The bulk
/// writer keeps one and binds its bytes directly, so no String is built per
/// column.
struct JSONColumnWriter {
    private var out = JSONWriter(capacity: 256)

    var bytes: [UInt8] { out.bytes }
    var text: String { out.text }

    mutating func reset() { out.reset() }

    mutating func writeOwnerReferences(_ references: [OwnerReference]) {
        out.beginArray()
        for reference in references {
            out.beginObject()
            out.key("apiVersion"); out.string(reference.apiVersion)
            out.key("kind"); out.string(reference.kind)
            out.key("name"); out.string(reference.name)
            out.key("uid"); out.string(reference.uid)
            out.key("controller"); out.bool(reference.controller)
            out.endObject()
        }
        out.endArray()
    }

    mutating func writeAggregationRule(_ rule: AggregationRule) {
        out.beginObject()
        out.key("clusterRoleSelectors")
        out.beginArray()
        for selector in rule.clusterRoleSelectors {
            out.beginObject()
            out.key("matchLabels"); writeObject(selector.matchLabels)
            out.key("matchExpressions")
            out.beginArray()
            for requirement in selector.matchExpressions {
                out.beginObject()
                out.key("key"); out.string(requirement.key)
                out.key("operator"); out.string(requirement.operator)
                out.key("values"); writeArray(requirement.values)
                out.endObject()
            }
            out.endArray()
            out.endObject()
        }
        out.endArray()
        out.endObject()
    }

    /// `{"k":"v",...}` with keys in byte order, so equal maps give equal bytes.
    mutating func writeObject(_ map: ByteKeyedMap) {
        out.beginObject()
        for (key, value) in map.sortedByKey { out.key(key); out.string(value) }
        out.endObject()
    }

    /// `{"k":"v",...}` with keys sorted, so equal maps give equal bytes.
    mutating func writeObject(_ map: [String: String]) {
        out.beginObject()
        if map.count == 1, let (key, value) = map.first {
            out.key(key); out.string(value)  // the common case needs no sort
        } else {
            for (key, value) in map.sorted(by: { $0.key < $1.key }) { out.key(key); out.string(value) }
        }
        out.endObject()
    }

    mutating func writeArray(_ strings: [String]) {
        out.beginArray()
        for element in strings { out.string(element) }
        out.endArray()
    }
}

extension JSONValue {
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
