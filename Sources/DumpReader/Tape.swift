import Foundation
import JSONCore

/// The compact document tree both readers build and the Kubernetes mapping
/// reads. One flat array of nodes in document order: a container's `next` is
/// the index just past its subtree, so skipping a field costs one load and
/// nothing is decoded until the mapping asks for it.
///
/// JSON nodes point into the file's own bytes (strings still escaped); YAML
/// nodes point into the tape's text buffer, where libyaml's scalars are copied.
struct TapeNode {
    enum Kind: UInt8 {
        case object, array
        /// A JSON string or a quoted / block YAML scalar: always a string.
        case quoted
        /// A JSON number or literal, or a plain YAML scalar (may be null, a bool, an int).
        case plain
    }

    var kind: Kind
    /// A JSON string holding a backslash escape: decode before use.
    var escaped: Bool
    /// Index of the node after this one's subtree.
    var next: Int32
    /// Scalars: byte range of the text. JSON containers: offset of the bracket.
    /// YAML containers: 0-based line and column of the node.
    var start: Int
    var end: Int
}

/// Growable storage for one tape, reused from document to document so the
/// hot loop never allocates.
final class TapeStorage {
    private(set) var nodes: UnsafeMutablePointer<TapeNode>
    private(set) var nodeCapacity: Int
    var nodeCount = 0
    private(set) var text: UnsafeMutablePointer<UInt8>
    private(set) var textCapacity: Int
    var textCount = 0

    init(nodeCapacity: Int = 4096, textCapacity: Int = 1 << 16) {
        self.nodeCapacity = nodeCapacity
        self.textCapacity = textCapacity
        nodes = .allocate(capacity: nodeCapacity)
        text = .allocate(capacity: textCapacity)
    }

    deinit {
        nodes.deallocate()
        text.deallocate()
    }

    func reset() {
        nodeCount = 0
        textCount = 0
    }

    /// Appends a node and returns its index.
    @inline(__always)
    func append(_ node: TapeNode) -> Int {
        if nodeCount == nodeCapacity { growNodes(to: nodeCapacity * 2) }
        nodes[nodeCount] = node
        nodeCount += 1
        return nodeCount - 1
    }

    /// Copies bytes into the text buffer and returns their range.
    func appendText(_ bytes: UnsafeRawPointer?, count: Int) -> (start: Int, end: Int) {
        if textCount + count > textCapacity { growText(to: max(textCapacity * 2, textCount + count)) }
        if count > 0, let bytes { (text + textCount).update(from: bytes.assumingMemoryBound(to: UInt8.self), count: count) }
        textCount += count
        return (textCount - count, textCount)
    }

    private func growNodes(to capacity: Int) {
        let grown = UnsafeMutablePointer<TapeNode>.allocate(capacity: capacity)
        grown.moveInitialize(from: nodes, count: nodeCount)
        nodes.deallocate()
        nodes = grown
        nodeCapacity = capacity
    }

    private func growText(to capacity: Int) {
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: text, count: textCount)
        text.deallocate()
        text = grown
        textCapacity = capacity
    }

    /// A copy of the subtree rooted at `root` (YAML anchors keep one to expand aliases).
    func copySubtree(_ root: Int) -> TapeStorage {
        let end = Int(nodes[root].next)
        let copy = TapeStorage(nodeCapacity: max(end - root, 1), textCapacity: 64)
        for i in root..<end {
            var node = nodes[i]
            node.next -= Int32(root)
            if node.kind == .quoted || node.kind == .plain {
                let range = copy.appendText(text + node.start, count: node.end - node.start)
                node.start = range.start
                node.end = range.end
            }
            _ = copy.append(node)
        }
        return copy
    }

    /// Appends a copy of `other`'s whole tape (an alias expansion), re-basing
    /// its indices; returns the index of the copied root.
    func appendCopy(of other: TapeStorage) -> Int {
        let base = nodeCount
        for i in 0..<other.nodeCount {
            var node = other.nodes[i]
            node.next += Int32(base)
            if node.kind == .quoted || node.kind == .plain {
                let range = appendText(other.text + node.start, count: node.end - node.start)
                node.start = range.start
                node.end = range.end
            }
            _ = append(node)
        }
        return base
    }

    func view(text override: UnsafePointer<UInt8>? = nil, locations: TapeView.Locations) -> TapeView {
        TapeView(nodes: UnsafePointer(nodes), count: nodeCount, text: override ?? UnsafePointer(text), locations: locations)
    }
}

/// Read-only access to a finished tape: field lookup, scalar decoding and
/// source locations. Everything the Kubernetes mapping needs, and nothing that
/// knows whether the document was JSON or YAML except `location(of:)`.
struct TapeView {
    /// How a container's `start`/`end` become a source line and column.
    enum Locations {
        /// JSON: `start` is a byte offset into the file. Unmanaged: views are
        /// copied into every mapping call and must not retain; the reader
        /// keeps the index alive while it reads the file.
        case byteOffset(Unmanaged<LineIndex>)
        /// YAML: `start`/`end` are the 0-based line and column.
        case lineColumn
    }

    let nodes: UnsafePointer<TapeNode>
    let count: Int
    let text: UnsafePointer<UInt8>
    let locations: Locations

    @inline(__always) func kind(_ i: Int) -> TapeNode.Kind { nodes[i].kind }
    @inline(__always) func next(_ i: Int) -> Int { Int(nodes[i].next) }
    @inline(__always) func isScalar(_ i: Int) -> Bool { nodes[i].kind.rawValue >= TapeNode.Kind.quoted.rawValue }

    /// The 1-based line and column of a node (its container bracket for JSON);
    /// (0, 0) when unknown.
    func location(of i: Int) -> (line: Int, column: Int) {
        let node = nodes[i]
        switch locations {
        case .byteOffset(let index): return index.takeUnretainedValue().lineColumn(atOffset: node.start)
        case .lineColumn:
            // Scalars hold text offsets: answer with the enclosing container.
            var j = i
            while j >= 0, nodes[j].kind != .object, nodes[j].kind != .array { j -= 1 }
            return j < 0 ? (0, 0) : (nodes[j].start + 1, nodes[j].end + 1)
        }
    }

    /// Calls `body(key, value)` for every entry of an object (nothing for other nodes).
    @inline(__always)
    func forEachField(_ object: Int?, _ body: (Int, Int) throws -> Void) rethrows {
        guard let object, nodes[object].kind == .object else { return }
        let end = Int(nodes[object].next)
        var key = object + 1
        while key < end {
            let value = key + 1
            try body(key, value)
            key = Int(nodes[value].next)
        }
    }

    /// Calls `body(element)` for every element of an array (nothing for other nodes).
    @inline(__always)
    func forEachElement(_ array: Int?, _ body: (Int) throws -> Void) rethrows {
        guard let array, nodes[array].kind == .array else { return }
        let end = Int(nodes[array].next)
        var element = array + 1
        while element < end {
            try body(element)
            element = Int(nodes[element].next)
        }
    }

    /// The value of `key` in an object, or nil (also when `object` is not an object).
    @inline(__always)
    func field(_ object: Int?, _ key: StaticString) -> Int? {
        guard let object, nodes[object].kind == .object else { return nil }
        let keyBytes = key.utf8Start
        let keyCount = key.utf8CodeUnitCount
        let end = Int(nodes[object].next)
        var k = object + 1
        while k < end {
            let node = nodes[k]
            if node.end - node.start == keyCount, !node.escaped, node.kind != .object, node.kind != .array,
               memcmp(text + node.start, keyBytes, keyCount) == 0 {
                return k + 1
            }
            if node.escaped, let decoded = string(k), decoded.utf8.elementsEqual(UnsafeBufferPointer(start: keyBytes, count: keyCount)) {
                return k + 1
            }
            k = Int(nodes[k + 1].next)
        }
        return nil
    }

    /// Walks a path of keys: `path(obj, "spec", "template")`. Fixed arities,
    /// not variadic: a variadic call would allocate an array on the hot path.
    @inline(__always)
    func path(_ object: Int?, _ a: StaticString, _ b: StaticString) -> Int? {
        field(field(object, a), b)
    }

    @inline(__always)
    func path(_ object: Int?, _ a: StaticString, _ b: StaticString, _ c: StaticString) -> Int? {
        field(field(field(object, a), b), c)
    }

    /// Whether the scalar's raw bytes equal `literal` (no decoding).
    @inline(__always)
    func rawEquals(_ i: Int, _ literal: StaticString) -> Bool {
        let node = nodes[i]
        return !node.escaped && node.end - node.start == literal.utf8CodeUnitCount
            && memcmp(text + node.start, literal.utf8Start, literal.utf8CodeUnitCount) == 0
    }

    /// A plain scalar that YAML (and JSON) read as null: `null`, `~`, empty.
    func isNull(_ i: Int) -> Bool {
        guard nodes[i].kind == .plain else { return false }
        return nodes[i].end == nodes[i].start || rawEquals(i, "null") || rawEquals(i, "~")
            || rawEquals(i, "Null") || rawEquals(i, "NULL")
    }

    /// The text of a scalar (nil for null and for containers). Label values
    /// keep their text: an unquoted YAML `true` stays `"true"`.
    func string(_ i: Int?) -> String? {
        guard let i, isScalar(i), !isNull(i) else { return nil }
        let node = nodes[i]
        let bytes = UnsafeBufferPointer(start: text + node.start, count: node.end - node.start)
        if node.escaped { return JSONString.unescape(bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The raw bytes of a scalar, escapes decoded.
    func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let node = nodes[i]
        let bytes = UnsafeBufferPointer(start: text + node.start, count: node.end - node.start)
        if node.escaped {
            let decoded = Array((JSONString.unescape(bytes)).utf8)
            return try decoded.withUnsafeBufferPointer(body)
        }
        return try body(bytes)
    }

    /// A boolean: JSON `true`/`false`; YAML plain `true`/`True`/`TRUE` (and false forms).
    func bool(_ i: Int?) -> Bool? {
        guard let i, nodes[i].kind == .plain else { return nil }
        if rawEquals(i, "true") || rawEquals(i, "True") || rawEquals(i, "TRUE") { return true }
        if rawEquals(i, "false") || rawEquals(i, "False") || rawEquals(i, "FALSE") { return false }
        return nil
    }

    /// An integer written as a number (or a plain YAML scalar).
    func int(_ i: Int?) -> Int? {
        guard let i, nodes[i].kind == .plain, let text = string(i) else { return nil }
        return Int(text)
    }

    /// Every string of a string array (`verbs: [get, list]`); nulls skipped.
    func strings(_ i: Int?) -> [String] {
        guard let i, nodes[i].kind == .array else { return [] }
        var result: [String] = []
        result.reserveCapacity(elementCount(i))
        forEachElement(i) { if let s = string($0) { result.append(s) } }
        return result
    }

    /// How many entries an object has (0 for other nodes): sizes a dictionary up front.
    func fieldCount(_ object: Int?) -> Int {
        var n = 0
        forEachField(object) { _, _ in n += 1 }
        return n
    }

    /// How many elements an array has (0 for other nodes).
    func elementCount(_ array: Int?) -> Int {
        var n = 0
        forEachElement(array) { _ in n += 1 }
        return n
    }

    /// A map of scalar values (labels, annotations, matchLabels).
    func stringMap(_ i: Int?) -> [String: String] {
        guard let i, nodes[i].kind == .object else { return [:] }
        var result = [String: String](minimumCapacity: fieldCount(i))
        forEachField(i) { key, value in
            if let k = string(key), let v = string(value) { result[k] = v }
        }
        return result
    }
}

/// Turns byte offsets of one file into 1-based line and column. Lines are
/// counted incrementally from the last answer, since warnings and errors
/// arrive in file order; asking for an earlier offset recounts from the start.
final class LineIndex {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    private var lastOffset = 0
    private var lastLine = 1
    private var lastLineStart = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    func lineColumn(atOffset offset: Int) -> (line: Int, column: Int) {
        let target = min(max(offset, 0), count)
        if target < lastOffset { lastOffset = 0; lastLine = 1; lastLineStart = 0 }
        var i = lastOffset
        while i < target {
            if base[i] == 0x0A { lastLine += 1; lastLineStart = i + 1 }
            i += 1
        }
        lastOffset = target
        return (lastLine, target - lastLineStart + 1)
    }
}
