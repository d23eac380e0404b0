import JSONCore

/// The one way keyreach writes structured output. A renderer describes a
/// value once (objects, arrays, scalars, in order) and gets `-o json` and
/// `-o yaml` from the same description, so the two can never disagree.
///
/// Writers stream into a byte buffer: a `who-can get secrets -A` answer on a
/// 100k-object cluster is hundreds of thousands of objects, too many for a
/// tree of boxed values.
///
/// ```swift
/// var out = JSONWriter()
/// out.object { o in
///     o.field("verb", "get")
///     o.field("count", 3)
/// }
/// print(out.text)   // {"verb":"get","count":3}
/// ```
public protocol StructuredWriter {
    mutating func beginObject()
    mutating func endObject()
    mutating func beginArray()
    mutating func endArray()
    mutating func key(_ key: String)
    mutating func string(_ value: String)
    mutating func int(_ value: Int)
    mutating func bool(_ value: Bool)
    mutating func null()
    /// A floating-point number (SQLite REAL); not finite values are written as null.
    mutating func double(_ value: Double)
    /// Everything written so far, as UTF-8 bytes.
    var bytes: [UInt8] { get }
}

extension StructuredWriter {
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func object(_ body: (inout Self) -> Void) {
        beginObject()
        body(&self)
        endObject()
    }

    public mutating func array(_ body: (inout Self) -> Void) {
        beginArray()
        body(&self)
        endArray()
    }

    public mutating func field(_ name: String, _ value: String) { key(name); string(value) }
    public mutating func field(_ name: String, _ value: Int) { key(name); int(value) }
    public mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }

    /// A string field, or `null` when absent.
    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    public mutating func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for s in strings { string(s) }
        endArray()
    }

    public mutating func field(_ name: String, _ body: (inout Self) -> Void) {
        key(name)
        body(&self)
    }
}

/// Compact JSON (one line per document; `pretty` indents by two spaces):
/// JSONCore's writer, the one every JSON keyreach prints goes through.
public typealias JSONWriter = JSONCore.JSONWriter

extension JSONCore.JSONWriter: StructuredWriter {}

/// Block-style YAML, as `kubectl get -o yaml` prints it. Strings that YAML
/// would read as something else (`true`, `1.0`, `null`, `*`, leading
/// spaces, a line break such as U+2028, ...) are double-quoted.
public struct YAMLWriter: StructuredWriter {
    public private(set) var bytes: [UInt8] = []

    private enum Container { case object, array }
    private struct Frame {
        var container: Container
        var count = 0
    }
    private var stack: [Frame] = []
    /// A key written whose value has not started yet.
    private var pendingKey: String?

    public init() {}

    private var indent: Int { max(0, stack.count - 1) * 2 }

    private mutating func appendIndent(_ n: Int) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n))
    }

    /// Starts the next value: a sequence dash or the pending key. For a
    /// scalar the caller then writes the value on the same line.
    private mutating func startValue(isContainer: Bool) {
        guard !stack.isEmpty else { return }
        let depthIndent = indent
        switch stack[stack.count - 1].container {
        case .array:
            // "- " prefix; nested containers continue on the same line.
            if !(bytes.last == UInt8(ascii: " ") && bytes.count >= 2 && bytes[bytes.count - 2] == UInt8(ascii: "-")) {
                if !bytes.isEmpty && bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
                appendIndent(depthIndent)
            }
            bytes.append(contentsOf: Array("- ".utf8))
        case .object:
            break
        }
        stack[stack.count - 1].count += 1
        _ = isContainer
    }

    public mutating func beginObject() { openContainer(.object) }
    public mutating func beginArray() { openContainer(.array) }
    public mutating func endObject() { closeContainer(empty: "{}") }
    public mutating func endArray() { closeContainer(empty: "[]") }

    private mutating func openContainer(_ c: Container) {
        writeKeyIfPending(inline: false)
        startValue(isContainer: true)
        stack.append(Frame(container: c))
    }

    private mutating func closeContainer(empty: String) {
        let frame = stack.removeLast()
        if frame.count == 0 {
            // Undo a pending line break: empty containers print inline.
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            if let last = bytes.last, last != UInt8(ascii: " "), !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
            bytes.append(contentsOf: Array(empty.utf8))
            bytes.append(UInt8(ascii: "\n"))
        } else if bytes.last != UInt8(ascii: "\n") {
            bytes.append(UInt8(ascii: "\n"))
        }
    }

    public mutating func key(_ key: String) { pendingKey = key }

    private mutating func writeKeyIfPending(inline: Bool) {
        guard let key = pendingKey else { return }
        pendingKey = nil
        let inDashLine = bytes.count >= 2 && bytes[bytes.count - 1] == UInt8(ascii: " ") && bytes[bytes.count - 2] == UInt8(ascii: "-")
        if !inDashLine {
            if !bytes.isEmpty && bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
            appendIndent(indent)
        }
        YAMLWriter.appendScalar(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(inline ? UInt8(ascii: " ") : UInt8(ascii: "\n"))
        stack[stack.count - 1].count += 1
    }

    private mutating func scalar(_ write: (inout [UInt8]) -> Void) {
        if pendingKey != nil {
            writeKeyIfPending(inline: true)
        } else {
            startValue(isContainer: false)
        }
        write(&bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    public mutating func string(_ value: String) { scalar { YAMLWriter.appendScalar(value, to: &$0) } }
    public mutating func int(_ value: Int) { scalar { $0.append(contentsOf: String(value).utf8) } }
    public mutating func bool(_ value: Bool) { scalar { $0.append(contentsOf: (value ? "true" : "false").utf8) } }
    public mutating func null() { scalar { $0.append(contentsOf: "null".utf8) } }
    public mutating func double(_ value: Double) {
        guard value.isFinite else { return null() }
        scalar { $0.append(contentsOf: String(value).utf8) }
    }

    /// Plain when YAML reads it back as the same string, double-quoted otherwise
    /// (JSONCore's one rule, ``YAMLScalar``).
    static func appendScalar(_ s: String, to out: inout [UInt8]) { YAMLScalar.append(s, to: &out) }
}
