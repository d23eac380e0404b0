import Foundation
import KubeModel
@testable import DumpReader

/// Reads one in-memory dump.
func read(_ text: String, name: String = "dump.yaml", limits: ReadLimits = .default) throws -> ImportResult {
    try DumpReader(limits: limits).read([.data(Data(text.utf8), name: name)])
}

/// The DumpError a dump raises (nil when it reads fine).
func readError(_ text: String, name: String = "bad.yaml", limits: ReadLimits = .default) -> DumpError? {
    readError(Data(text.utf8), name: name, limits: limits)
}

func readError(_ data: Data, name: String, limits: ReadLimits = .default) -> DumpError? {
    do {
        _ = try DumpReader(limits: limits).read([.data(data, name: name)])
        return nil
    } catch {
        return error
    }
}

/// JSON text of a plain value tree (dictionaries, arrays, strings, numbers, bools).
func json(_ value: Any) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: withoutPlainMarkers(value), options: [.prettyPrinted, .sortedKeys]),
           as: UTF8.self)
}

/// `"plain:X"` → `"X"`: in JSON every such scalar is simply a string.
private func withoutPlainMarkers(_ value: Any) -> Any {
    switch value {
    case let dict as [String: Any]: dict.mapValues(withoutPlainMarkers)
    case let array as [Any]: array.map(withoutPlainMarkers)
    case let string as String where string.hasPrefix("plain:"): String(string.dropFirst(6))
    default: value
    }
}

/// Block-style YAML of the same value tree, so one fixture can be read in both
/// formats. Strings are double-quoted (JSON escapes are YAML escapes), except
/// those that must stay plain to test plain-scalar handling (`plain:` prefix).
func yaml(_ value: Any, indent: Int = 0) -> String {
    let pad = String(repeating: " ", count: indent)
    switch value {
    case let dict as [String: Any]:
        if dict.isEmpty { return "{}" }
        return dict.keys.sorted().map { key in
            let child = dict[key]!
            if isScalar(child) || isEmptyContainer(child) { return "\(pad)\(key): \(yaml(child))" }
            return "\(pad)\(key):\n\(yaml(child, indent: indent + 2))"
        }.joined(separator: "\n")
    case let array as [Any]:
        if array.isEmpty { return "[]" }
        return array.map { element in
            if isScalar(element) || isEmptyContainer(element) { return "\(pad)- \(yaml(element))" }
            let body = yaml(element, indent: indent + 2)
            return "\(pad)- " + body.dropFirst(indent + 2)
        }.joined(separator: "\n")
    case let string as String:
        if string.hasPrefix("plain:") { return String(string.dropFirst(6)) }
        let quoted = String(decoding: try! JSONSerialization.data(withJSONObject: [string]), as: UTF8.self)
        return String(quoted.dropFirst().dropLast())
    case let bool as Bool:
        return bool ? "true" : "false"
    default:
        return "\(value)"
    }
}

private func isScalar(_ value: Any) -> Bool { !(value is [String: Any]) && !(value is [Any]) }
private func isEmptyContainer(_ value: Any) -> Bool {
    (value as? [String: Any])?.isEmpty == true || (value as? [Any])?.isEmpty == true
}

/// A multi-document YAML stream of objects.
func yamlStream(_ objects: [[String: Any]]) -> String {
    objects.map { "---\n" + yaml($0) }.joined(separator: "\n") + "\n"
}
