import JSONCore

/// One streaming serializer for both output formats: the generator describes
/// each object once, as a sequence of map/list/key/scalar events, and a
/// `JSONWriter` or `YAMLWriter` turns the events into bytes immediately. No
/// object tree is ever built, so memory stays flat whatever the dump size.
///
/// Usage: `beginDocument()`, then one `beginMap()` ... `endMap()` for the
/// object, then `endDocument()`. Inside a map every value is preceded by
/// `key(_:)`.
protocol StructuredWriter {
    var sink: ByteSink { get set }
    mutating func beginDocument()
    mutating func endDocument()
    /// Writes whatever closes the dump (the end of the JSON `List`).
    mutating func finish()
    mutating func beginMap()
    mutating func endMap()
    mutating func beginList()
    mutating func endList()
    mutating func key(_ name: StaticString)
    mutating func key(_ name: String)
    mutating func string(_ value: String)
    mutating func string(_ value: StaticString)
    mutating func int(_ value: Int)
    mutating func bool(_ value: Bool)
    mutating func null()
}

extension StructuredWriter {
    /// `key: "value"` in the current map.
    @inline(__always)
    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    @inline(__always)
    mutating func field(_ name: StaticString, _ value: StaticString) {
        key(name)
        string(value)
    }

    @inline(__always)
    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    @inline(__always)
    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// `key: {}`.
    mutating func emptyMap(_ name: StaticString) {
        key(name)
        beginMap()
        endMap()
    }

    /// A map of string pairs (labels, annotations, selectors), in the given
    /// order.
    mutating func stringMap(_ name: StaticString, _ pairs: [(String, String)]) {
        key(name)
        beginMap()
        for (k, v) in pairs {
            key(k)
            string(v)
        }
        endMap()
    }

    /// A list of strings.
    mutating func stringList(_ name: StaticString, _ values: [String]) {
        key(name)
        beginList()
        for value in values {
            string(value)
        }
        endList()
    }
}

// MARK: - JSON

/// Compact JSON, one `List` whose items are written one per line:
/// `{"apiVersion":"v1","kind":"List","items":[\n{...},\n{...}\n],"metadata":{"resourceVersion":""}}`.
struct JSONListWriter: StructuredWriter {
    var sink: ByteSink
    /// Per open container: whether the next element needs a leading comma.
    private var needsComma: [Bool] = []
    private var afterKey = false
    private var documents = 0

    init(sink: ByteSink) {
        self.sink = sink
        self.sink.append("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n")
    }

    mutating func beginDocument() {
        if documents > 0 {
            sink.append(",\n")
        }
        documents += 1
        afterKey = true  // the object itself needs no comma
    }

    mutating func endDocument() {}

    mutating func finish() {
        sink.append("\n],\"metadata\":{\"resourceVersion\":\"\"}}\n")
    }

    @inline(__always)
    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma[needsComma.count - 1] {
            sink.append(UInt8(ascii: ","))
        } else {
            needsComma[needsComma.count - 1] = true
        }
    }

    mutating func beginMap() {
        beforeValue()
        sink.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    mutating func endMap() {
        needsComma.removeLast()
        sink.append(UInt8(ascii: "}"))
    }

    mutating func beginList() {
        beforeValue()
        sink.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    mutating func endList() {
        needsComma.removeLast()
        sink.append(UInt8(ascii: "]"))
    }

    @inline(__always)
    private mutating func keyPrefix() {
        if needsComma[needsComma.count - 1] {
            sink.append(UInt8(ascii: ","))
        } else {
            needsComma[needsComma.count - 1] = true
        }
        afterKey = true
    }

    mutating func key(_ name: StaticString) {
        keyPrefix()
        sink.append(UInt8(ascii: "\""))
        sink.append(name)
        sink.append("\":")
    }

    mutating func key(_ name: String) {
        keyPrefix()
        appendQuoted(name)
        sink.append(UInt8(ascii: ":"))
    }

    mutating func string(_ value: String) {
        beforeValue()
        appendQuoted(value)
    }

    mutating func string(_ value: StaticString) {
        beforeValue()
        sink.append(UInt8(ascii: "\""))
        sink.append(value)
        sink.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int) {
        beforeValue()
        sink.append(value)
    }

    mutating func bool(_ value: Bool) {
        beforeValue()
        sink.append(value ? "true" : "false")
    }

    mutating func null() {
        beforeValue()
        sink.append("null")
    }

    private mutating func appendQuoted(_ value: String) { appendQuotedJSON(value, to: &sink) }
}

/// `value` as a JSON string literal (also a YAML double-quoted scalar),
/// escaped by JSONCore. Names need no escape and are copied whole.
func appendQuotedJSON(_ value: String, to sink: inout ByteSink) {
    var value = value
    value.withUTF8 { bytes in
        sink.append(UInt8(ascii: "\""))
        if JSONString.needsEscaping(bytes) {
            var escaped: [UInt8] = []
            JSONString.appendEscaped(bytes, to: &escaped)
            sink.appendBytes(escaped)
        } else {
            sink.appendBytes(bytes)
        }
        sink.append(UInt8(ascii: "\""))
    }
}

// MARK: - YAML

/// Block-style YAML as `kubectl get -o yaml` prints it (go-yaml): two-space
/// indentation, sequences under a key at the key's own indentation, `{}` and
/// `[]` for empty collections, strings quoted when they would otherwise read
/// as another type, multi-line strings as `|` literal blocks. Documents are
/// separated by `---`.
struct YAMLWriter: StructuredWriter {
    var sink: ByteSink

    /// One open map or list.
    private struct Frame {
        var isList: Bool
        /// Column of this container's keys (map) or dashes (list).
        var indent: Int
        var children = 0
        /// Opened as the value of a key: the first child starts a new line.
        var openedAfterKey: Bool
        /// A map opened as a list item: its first key follows `- ` directly.
        var inlineFirstKey: Bool
    }

    private var frames: [Frame] = []
    private var afterKey = false
    private var documents = 0

    init(sink: ByteSink) {
        self.sink = sink
    }

    mutating func beginDocument() {
        if documents > 0 {
            sink.append("---\n")
        }
        documents += 1
    }

    mutating func endDocument() {}

    mutating func finish() {}

    /// Writes what precedes a scalar or a nested container, and returns the
    /// indentation that a multi-line value continues at.
    @inline(__always)
    private mutating func startValue() -> Int {
        if afterKey {
            afterKey = false
            return frames[frames.count - 1].indent + 2
        }
        // An item of the innermost list.
        let top = frames.count - 1
        if frames[top].children == 0, frames[top].openedAfterKey {
            sink.append(UInt8(ascii: "\n"))
        }
        frames[top].children += 1
        sink.append(spaces: frames[top].indent)
        sink.append("- ")
        return frames[top].indent + 2
    }

    mutating func beginMap() {
        if frames.isEmpty {
            frames.append(Frame(isList: false, indent: 0, openedAfterKey: false, inlineFirstKey: true))
            return
        }
        if afterKey {
            afterKey = false
            let parent = frames[frames.count - 1]
            frames.append(Frame(isList: false, indent: parent.indent + 2, openedAfterKey: true, inlineFirstKey: false))
        } else {
            let indent = startValue()
            frames.append(Frame(isList: false, indent: indent, openedAfterKey: false, inlineFirstKey: true))
        }
    }

    mutating func endMap() {
        let frame = frames.removeLast()
        if frame.children == 0 {
            sink.append(frame.inlineFirstKey && !frames.isEmpty ? "{}\n" : " {}\n")
        }
    }

    mutating func beginList() {
        precondition(afterKey, "YAMLWriter: a list must be the value of a key")
        afterKey = false
        let parent = frames[frames.count - 1]
        // go-yaml writes a sequence under a key at the key's indentation.
        frames.append(Frame(isList: true, indent: parent.indent, openedAfterKey: true, inlineFirstKey: false))
    }

    mutating func endList() {
        let frame = frames.removeLast()
        if frame.children == 0 {
            sink.append(" []\n")
        }
    }

    @inline(__always)
    private mutating func keyPrefix() {
        let top = frames.count - 1
        if frames[top].children == 0 {
            if frames[top].openedAfterKey {
                sink.append(UInt8(ascii: "\n"))
                sink.append(spaces: frames[top].indent)
            } else if !frames[top].inlineFirstKey {
                sink.append(spaces: frames[top].indent)
            }
        } else {
            sink.append(spaces: frames[top].indent)
        }
        frames[top].children += 1
        afterKey = true
    }

    mutating func key(_ name: StaticString) {
        keyPrefix()
        sink.append(name)
        sink.append(UInt8(ascii: ":"))
    }

    mutating func key(_ name: String) {
        keyPrefix()
        if YAMLWriter.isPlainSafe(name) {
            sink.append(name)
        } else {
            appendDoubleQuoted(name)
        }
        sink.append(UInt8(ascii: ":"))
    }

    @inline(__always)
    private mutating func scalarPrefix() -> Int {
        if afterKey {
            sink.append(UInt8(ascii: " "))
        }
        return startValue()
    }

    mutating func string(_ value: String) {
        let continuation = scalarPrefix()
        if YAMLWriter.isPlainSafe(value) {
            sink.append(value)
        } else if value.utf8.contains(UInt8(ascii: "\n")),
                  value.utf8.allSatisfy({ $0 == UInt8(ascii: "\n") || ($0 >= 0x20 && $0 < 0x7F) }) {
            appendLiteralBlock(value, indent: continuation)
            return
        } else {
            appendDoubleQuoted(value)
        }
        sink.append(UInt8(ascii: "\n"))
    }

    mutating func string(_ value: StaticString) {
        string(value.description)
    }

    mutating func int(_ value: Int) {
        _ = scalarPrefix()
        sink.append(value)
        sink.append(UInt8(ascii: "\n"))
    }

    mutating func bool(_ value: Bool) {
        _ = scalarPrefix()
        sink.append(value ? "true\n" : "false\n")
    }

    mutating func null() {
        _ = scalarPrefix()
        sink.append("null\n")
    }

    /// JSONCore's one rule for plain scalars.
    static func isPlainSafe(_ value: String) -> Bool { YAMLScalar.isPlainSafe(value) }

    /// A double-quoted scalar: JSON escapes are YAML escapes.
    private mutating func appendDoubleQuoted(_ value: String) {
        appendQuotedJSON(value, to: &sink)
    }

    /// `|` (one final newline), `|-` (none) or `|+` (several), then the
    /// lines at `indent`. Generated multi-line text never starts with a space.
    private mutating func appendLiteralBlock(_ value: String, indent: Int) {
        let bytes = Array(value.utf8)
        var trailingNewlines = 0
        while trailingNewlines < bytes.count, bytes[bytes.count - 1 - trailingNewlines] == UInt8(ascii: "\n") {
            trailingNewlines += 1
        }
        switch trailingNewlines {
        case 0: sink.append("|-\n")
        case 1: sink.append("|\n")
        default: sink.append("|+\n")
        }
        let body = bytes[0..<(bytes.count - trailingNewlines)]
        for line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if !line.isEmpty {
                sink.append(spaces: indent)
                sink.appendBytes(line)
            }
            sink.append(UInt8(ascii: "\n"))
        }
        for _ in 1..<max(trailingNewlines, 1) {
            sink.append(UInt8(ascii: "\n"))
        }
    }
}
