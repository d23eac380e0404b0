import Foundation
import JSONCore
import KubeModel

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
    /// The first node the mapping read as a string that is none (a number,
    /// a boolean, a list or a mapping where Kubernetes expects a string), or
    /// -1; reset per object (see ``TapeView/string(_:)``).
    var wrongTypeNode = -1
    /// YAML only: the 0-based line of each plain scalar that is a boolean or
    /// a number, by node index in increasing order, so a warning can name
    /// the line of the value itself (scalars carry no line of their own).
    private(set) var scalarLines: [(node: Int32, line: Int32)] = []
    /// Why the API server would reject the document or List item on this
    /// tape as a whole (a YAML merge of something that is not a mapping),
    /// with the 1-based line: the object is skipped with a warning.
    var rejection: (line: Int, message: String)?
    /// Keys met twice in one mapping, already resolved on the tape as
    /// Kubernetes resolves them (the last one wins, see RepeatedKeys.swift);
    /// the sink turns them into warnings.
    var repeatedKeys: [RepeatedKey] = []
    /// The key indices of the mapping being checked (reused, see RepeatedKeys.swift).
    var keyScratch: [Int32] = []

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
        wrongTypeNode = -1
        rejection = nil
        if !scalarLines.isEmpty { scalarLines.removeAll(keepingCapacity: true) }
        if !repeatedKeys.isEmpty { repeatedKeys.removeAll() }
    }

    /// Drops every node from `index` on (a mapping about to be rebuilt).
    func truncate(to index: Int) {
        nodeCount = index
        while let last = scalarLines.last, Int(last.node) >= index { scalarLines.removeLast() }
    }

    /// Renumbers the lines noted for nodes from `first` on after nodes were
    /// moved or dropped: `newIndex` gives a node's new index, or nil if it is gone.
    func renumberScalarLines(from first: Int, _ newIndex: (Int) -> Int?) {
        var start = scalarLines.count
        while start > 0, Int(scalarLines[start - 1].node) >= first { start -= 1 }
        var kept = start
        for i in start..<scalarLines.count {
            guard let moved = newIndex(Int(scalarLines[i].node)) else { continue }
            scalarLines[kept] = (Int32(truncatingIfNeeded: moved), scalarLines[i].line)
            kept += 1
        }
        scalarLines.removeLast(scalarLines.count - kept)
    }

    /// The index in `scalarLines` of the first line noted at or after `node`.
    private func firstScalarLine(atOrAfter node: Int) -> Int {
        var low = 0
        var high = scalarLines.count
        while low < high {
            let mid = (low + high) / 2
            if Int(scalarLines[mid].node) < node { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func noteLine(_ line: Int, ofScalar node: Int) {
        scalarLines.append((Int32(truncatingIfNeeded: node), Int32(truncatingIfNeeded: line)))
    }

    /// The 0-based line noted for a scalar, if any.
    func line(ofScalar node: Int) -> Int? {
        let low = firstScalarLine(atOrAfter: node)
        return low < scalarLines.count && Int(scalarLines[low].node) == node ? Int(scalarLines[low].line) : nil
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
        var line = firstScalarLine(atOrAfter: root)
        while line < scalarLines.count, Int(scalarLines[line].node) < end {
            copy.noteLine(Int(scalarLines[line].line), ofScalar: Int(scalarLines[line].node) - root)
            line += 1
        }
        return copy
    }

    /// Appends a copy of the subtree of `other` rooted at `root` (an alias
    /// expansion, a merged entry), re-basing its indices; returns the index
    /// of the copied root.
    @discardableResult
    func appendSubtree(of other: TapeStorage, root: Int) -> Int {
        let base = nodeCount
        let end = Int(other.nodes[root].next)
        for i in root..<end {
            var node = other.nodes[i]
            node.next += Int32(base - root)
            if node.kind == .quoted || node.kind == .plain {
                let range = appendText(other.text + node.start, count: node.end - node.start)
                node.start = range.start
                node.end = range.end
            }
            _ = append(node)
        }
        // The lines of its scalars come along (a YAML key's line names a repeated key).
        var line = other.firstScalarLine(atOrAfter: root)
        while line < other.scalarLines.count, Int(other.scalarLines[line].node) < end {
            noteLine(Int(other.scalarLines[line].line), ofScalar: base + Int(other.scalarLines[line].node) - root)
            line += 1
        }
        return base
    }

    func view(text override: UnsafePointer<UInt8>? = nil, locations: TapeView.Locations) -> TapeView {
        TapeView(nodes: UnsafePointer(nodes), count: nodeCount, text: override ?? UnsafePointer(text), locations: locations,
                 storage: Unmanaged.passUnretained(self))
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
    /// The tape's storage, unretained like ``Locations/byteOffset(_:)``: the
    /// reader keeps it alive while the view is used.
    let storage: Unmanaged<TapeStorage>

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
            if node.kind == .plain || node.kind == .quoted, let line = storage.takeUnretainedValue().line(ofScalar: i) {
                return (line + 1, 1)
            }
            // Scalars hold text offsets: answer with the enclosing container.
            var j = i
            while j >= 0, nodes[j].kind != .object, nodes[j].kind != .array { j -= 1 }
            return j < 0 ? (0, 0) : (nodes[j].start + 1, nodes[j].end + 1)
        }
    }

    /// The 1-based line of a position a reader recorded (``RepeatedKey``):
    /// a byte offset for JSON, a 0-based line for YAML.
    func line(atPosition position: Int) -> Int {
        switch locations {
        case .byteOffset(let index): return index.takeUnretainedValue().lineColumn(atOffset: position).line
        case .lineColumn: return position + 1
        }
    }

    /// Where a container's nodes end, never past the tape: a container whose
    /// end was never recorded (a malformed tape) reads as empty.
    @inline(__always)
    func containerEnd(_ container: Int) -> Int {
        let next = Int(nodes[container].next)
        return next > container && next <= count ? next : container + 1
    }

    /// Calls `body(key, value)` for every entry of an object (nothing for other nodes).
    @inline(__always)
    func forEachField(_ object: Int?, _ body: (Int, Int) throws -> Void) rethrows {
        guard let object, nodes[object].kind == .object else { return }
        let end = containerEnd(object)
        var key = object + 1
        while key + 1 < end {
            let value = key + 1
            try body(key, value)
            // Each step moves forward: a malformed tape ends the walk, never loops.
            let next = Int(nodes[value].next)
            guard next > value else { return }
            key = next
        }
    }

    /// Calls `body(element)` for every element of an array (nothing for other nodes).
    @inline(__always)
    func forEachElement(_ array: Int?, _ body: (Int) throws -> Void) rethrows {
        guard let array, nodes[array].kind == .array else { return }
        let end = containerEnd(array)
        var element = array + 1
        while element < end {
            try body(element)
            let next = Int(nodes[element].next)
            guard next > element else { return }
            element = next
        }
    }

    /// The value of `key` in an object, or nil (also when `object` is not an object).
    @inline(__always)
    func field(_ object: Int?, _ key: StaticString) -> Int? {
        guard let object, nodes[object].kind == .object else { return nil }
        let keyBytes = key.utf8Start
        let keyCount = key.utf8CodeUnitCount
        let end = containerEnd(object)
        var k = object + 1
        while k + 1 < end {
            let node = nodes[k]
            if node.end - node.start == keyCount, !node.escaped, node.kind != .object, node.kind != .array,
               memcmp(text + node.start, keyBytes, keyCount) == 0 {
                return k + 1
            }
            if node.escaped, let decoded = string(k), decoded.utf8.elementsEqual(UnsafeBufferPointer(start: keyBytes, count: keyCount)) {
                return k + 1
            }
            let next = Int(nodes[k + 1].next)
            guard next > k + 1 else { return nil }
            k = next
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

    /// The value of a string field (nil for null and when absent). Only a
    /// string is one: a number, a boolean (an unquoted YAML `yes`, `on`,
    /// `0755`, `true`: see ``YAMLPlainScalar``), a list or a mapping where
    /// Kubernetes expects a string makes the API server reject the object, so
    /// the first such node is noted in the storage's `wrongTypeNode` and the
    /// object is skipped with a warning (DocumentSink). Fields that are
    /// numbers or IntOrString (`port.number`, `servicePort`) are read with
    /// ``scalarText(_:)`` instead.
    func string(_ i: Int?) -> String? {
        guard let i else { return nil }
        switch nodes[i].kind {
        case .quoted: return scalarText(i)
        case .plain:
            if isNull(i) { return nil }
            noteWrongType(i)
            return scalarText(i)
        case .object, .array:
            noteWrongType(i)
            return nil
        }
    }

    /// The text of any scalar as written (a number's digits too); nil for
    /// null and for containers.
    func scalarText(_ i: Int?) -> String? {
        guard let i, isScalar(i), !isNull(i) else { return nil }
        let node = nodes[i]
        let bytes = UnsafeBufferPointer(start: text + node.start, count: node.end - node.start)
        if node.escaped { return JSONString.unescape(bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Notes the first node read as a string that is none.
    func noteWrongType(_ i: Int) {
        let storage = storage.takeUnretainedValue()
        if storage.wrongTypeNode < 0 { storage.wrongTypeNode = i }
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

    /// A boolean: JSON `true`/`false`; a YAML 1.1 plain boolean (`true`,
    /// `True`, `yes`, `on`, `y`, ... as go-yaml v2 reads them).
    func bool(_ i: Int?) -> Bool? {
        guard let i, nodes[i].kind == .plain else { return nil }
        let node = nodes[i]
        if case .bool(let value) = YAMLPlainScalar.resolve(UnsafeBufferPointer(start: text + node.start, count: node.end - node.start)) {
            return value
        }
        return nil
    }

    /// An integer written as a number (or a plain YAML scalar).
    func int(_ i: Int?) -> Int? {
        guard let i, nodes[i].kind == .plain, let text = scalarText(i) else { return nil }
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

    /// The path from `root` down to `target` as a message names it:
    /// `metadata.labels.tier`, `rules[0].verbs[1]`.
    func fieldPath(to target: Int, from root: Int) -> String {
        var path = ""
        var node = root
        while node != target {
            var child: Int?
            if kind(node) == .object {
                forEachField(node) { key, value in
                    guard child == nil, target >= value, target < next(value) else { return }
                    child = value
                    path += (path.isEmpty ? "" : ".") + MessageText.excerpt(scalarText(key) ?? "?")
                }
            } else if kind(node) == .array {
                var i = 0
                forEachElement(node) { element in
                    if child == nil, target >= element, target < next(element) {
                        child = element
                        path += "[\(i)]"
                    }
                    i += 1
                }
            }
            guard let child else { break }
            node = child
        }
        return path.isEmpty ? "the object" : path
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

    /// A map of scalar values (labels, annotations, matchLabels), keyed by
    /// bytes as the API server keys it: canonically equal keys stay two.
    func stringMap(_ i: Int?) -> ByteKeyedMap {
        guard let i, nodes[i].kind == .object else { return [:] }
        var result = ByteKeyedMap(minimumCapacity: fieldCount(i))
        forEachField(i) { key, value in
            if let k = string(key), let v = string(value) { result[k] = v }
        }
        return result
    }
}

/// Turns byte offsets of one file into 1-based line and column. Lines are
/// counted incrementally from the last answer, since warnings and errors
/// mostly arrive in file order; an earlier offset is counted from the last
/// checkpoint before it (one every MiB), not from the start of the file.
///
/// The pages a count reads through are handed back behind it (a big file's,
/// see ``PageRelease``): warnings near the end of a 1 GB dump must not make
/// the whole file resident again.
final class LineIndex {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    private let pages: PageRelease
    private var lastOffset = 0
    private var lastLine = 1
    private var lastLineStart = 0
    private var releasedUpTo = 0
    /// Line and line start at every MiB boundary counted so far.
    private var checkpoints: [(offset: Int, line: Int, lineStart: Int)] = [(0, 1, 0)]
    private static let checkpointStep = 1 << 20

    init(base: UnsafePointer<UInt8>, count: Int, pages: PageRelease = .none) {
        self.base = base
        self.count = count
        self.pages = pages
    }

    func lineColumn(atOffset offset: Int) -> (line: Int, column: Int) {
        let target = min(max(offset, 0), count)
        if target < lastOffset {
            var low = 0
            var high = checkpoints.count
            while low < high {
                let mid = (low + high) / 2
                if checkpoints[mid].offset <= target { low = mid + 1 } else { high = mid }
            }
            (lastOffset, lastLine, lastLineStart) = checkpoints[low - 1]
            releasedUpTo = lastOffset
        }
        var i = lastOffset
        while i < target {
            let stop = min(target, (i / Self.checkpointStep + 1) * Self.checkpointStep)
            while i < stop, let found = memchr(base + i, 0x0A, stop - i) {
                lastLine += 1
                i = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base + 1
                lastLineStart = i
            }
            i = stop
            if i % Self.checkpointStep == 0, i > checkpoints[checkpoints.count - 1].offset {
                checkpoints.append((i, lastLine, lastLineStart))
            }
            if pages.isActive, i - releasedUpTo >= PageRelease.step {
                pages.release(from: base + releasedUpTo, to: base + i)
                releasedUpTo = i
            }
        }
        lastOffset = target
        return (lastLine, target - lastLineStart + 1)
    }
}
