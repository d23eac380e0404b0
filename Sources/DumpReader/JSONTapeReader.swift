import Foundation
import JSONCore
import Synchronization

/// The byte-level JSON reader: one validating pass per top-level value (or per
/// item of a top-level List, so memory stays bounded by the largest item) into
/// a reused tape. Strings and numbers are JSONCore's ``JSONScanner``: escapes,
/// surrogates and the number grammar are checked as RFC 8259 states them. Strings are left escaped in the file; the mapping decodes
/// only the ones it uses. The file must hold no NUL byte (checked before), so
/// a 0 read past the end means end of file.
struct JSONTapeReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let limits: ReadLimits
    var pos = 0
    /// Parse a List's items on two cores when at least this many bytes remain
    /// (`Int.max`: never).
    var parallelMinimumBytes = Int.max
    /// Subtracted from `pos` in progress reports (the start of a part).
    private var progressBase = 0
    /// A big file's pages, handed back behind `pos` (see ``PageRelease``).
    var pages = PageRelease.none
    private var releasedUpTo = 0

    init(base: UnsafePointer<UInt8>, count: Int, limits: ReadLimits) {
        self.base = base
        self.count = count
        self.limits = limits
    }

    /// Reads every top-level value, handing documents and List items to `sink`.
    mutating func readAll(into sink: DocumentSink, lines: LineIndex) throws {
        let envelope = TapeStorage()
        let item = TapeStorage(nodeCapacity: 1 << 14)
        skipBOM()
        while true {
            skipWhitespace()
            if pos >= count { break }
            let documentStart = pos
            envelope.reset()
            if base[pos] == UInt8(ascii: "{") {
                try readTopObject(envelope: envelope, item: item, sink: sink, lines: lines)
            } else if base[pos] == UInt8(ascii: "[") {
                try readTopArray(item: item, sink: sink, lines: lines)
            } else {
                try parseValue(into: envelope, depth: 1)
                try sink.document(envelope.view(text: base, locations: .byteOffset(Unmanaged.passUnretained(lines))), root: 0)
            }
            sink.progress(bytesDone: pos)
            releasePagesBehind()
            if pos == documentStart { throw JSONSyntaxError(offset: pos, message: "unexpected character") }
        }
    }

    /// A top-level array (what `jq -s` writes): each element is a document
    /// of its own, an object or a List, read one at a time into `item`.
    private mutating func readTopArray(item: TapeStorage, sink: DocumentSink, lines: LineIndex) throws {
        let locations = TapeView.Locations.byteOffset(Unmanaged.passUnretained(lines))
        pos += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { pos += 1; return }
        while true {
            item.reset()
            let start = pos
            try parseValue(into: item, depth: 2)
            guard item.nodes[0].kind == .object else {
                throw DumpError(file: sink.file, line: lines.lineColumn(atOffset: start).line,
                                column: lines.lineColumn(atOffset: start).column,
                                message: "not a Kubernetes object: an element of the top-level array is not a mapping",
                                notKubernetes: true)
            }
            try sink.document(item.view(text: base, locations: locations), root: 0)
            sink.progress(bytesDone: pos - progressBase)
            releasePagesBehind()
            skipWhitespace()
            let c = peek()
            pos += 1
            if c == UInt8(ascii: ",") { skipWhitespace(); continue }
            if c == UInt8(ascii: "]") { return }
            pos -= 1
            throw failure(expected: "',' or ']' after an array element")
        }
    }

    /// Parses exactly one JSON value of any kind (a scalar too) into a tape,
    /// after the checks every file gets (no NUL byte, valid UTF-8): the
    /// differential tests' door into the scanner and tape, beside the
    /// Kubernetes mapping that accepts only objects and arrays of them.
    static func parseOneValue(_ bytes: UnsafeBufferPointer<UInt8>, limits: ReadLimits = .default) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONSyntaxError(offset: 0, message: "unexpected end of file, expected a value")
        }
        if let problem = BinaryCheck.problem(bytes) { throw JSONSyntaxError(offset: 0, message: problem) }
        var reader = JSONTapeReader(base: base, count: bytes.count, limits: limits)
        reader.skipBOM()
        reader.skipWhitespace()
        try reader.parseValue(into: TapeStorage(), depth: 1)
        reader.skipWhitespace()
        guard reader.pos == bytes.count else { throw reader.failure(expected: "the end of the value") }
    }

    private mutating func skipBOM() {
        if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { pos = 3 }
    }

    /// A top-level object. Its `items` array, when there is one, is streamed
    /// element by element; the rest (kind, apiVersion, metadata) forms the
    /// envelope. Items that lack `kind` before the envelope's kind is known are
    /// re-read afterwards (kind is usually first in raw API output).
    private mutating func readTopObject(envelope: TapeStorage, item: TapeStorage, sink: DocumentSink, lines: LineIndex) throws {
        let root = envelope.append(TapeNode(kind: .object, escaped: false, next: 0, start: pos, end: 0))
        pos += 1
        var listKind: String?
        var listAPIVersion: String?
        var sawItems = false
        var deferred: [Int] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            pos += 1
        } else {
            while true {
                guard peek() == UInt8(ascii: "\"") else { throw failure(expected: "a string key") }
                let key = try parseString(into: envelope)
                try expectColon()
                let isItems = envelope.view(text: base, locations: .byteOffset(Unmanaged.passUnretained(lines))).rawEquals(key, "items")
                if isItems, sawItems { throw repeatedItems(at: envelope.nodes[key].start, lines: lines, file: sink.file) }
                if isItems, peek() == UInt8(ascii: "[") {
                    sawItems = true
                    let array = envelope.append(TapeNode(kind: .array, escaped: false, next: 0, start: pos, end: pos))
                    envelope.nodes[array].next = Int32(array + 1)
                    try streamItems(item: item, sink: sink, lines: lines, listKind: listKind, listAPIVersion: listAPIVersion,
                                    deferred: &deferred)
                } else {
                    let value = envelope.nodeCount
                    try parseValue(into: envelope, depth: 2)
                    let view = envelope.view(text: base, locations: .byteOffset(Unmanaged.passUnretained(lines)))
                    if view.rawEquals(key, "kind"), view.kind(value) == .quoted { listKind = view.string(value) }
                    if view.rawEquals(key, "apiVersion"), view.kind(value) == .quoted { listAPIVersion = view.string(value) }
                }
                skipWhitespace()
                let c = peek()
                pos += 1
                if c == UInt8(ascii: ",") { skipWhitespace(); continue }
                if c == UInt8(ascii: "}") { break }
                pos -= 1
                throw failure(expected: "',' or '}' after an object member")
            }
        }
        envelope.nodes[root].next = Int32(envelope.nodeCount)
        keepLastOfRepeatedKeys(root, in: envelope)
        let view = envelope.view(text: base, locations: .byteOffset(Unmanaged.passUnretained(lines)))
        guard sawItems else { return try sink.document(view, root: root) }
        let kind = view.string(view.field(root, "kind"))
        let apiVersion = view.string(view.field(root, "apiVersion"))
        try sink.listEnvelope(view, root: root)
        let end = pos
        for offset in deferred {
            pos = offset
            item.reset()
            try parseValue(into: item, depth: 3)
            let itemView = item.view(text: base, locations: .byteOffset(Unmanaged.passUnretained(lines)))
            _ = try sink.listItem(itemView, root: 0, listKind: kind ?? "", listAPIVersion: apiVersion)
        }
        pos = end
    }

    private mutating func streamItems(item: TapeStorage, sink: DocumentSink, lines: LineIndex,
                                      listKind: String?, listAPIVersion: String?, deferred: inout [Int]) throws {
        pos += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { pos += 1; return }
        if count - pos >= parallelMinimumBytes, let split = itemSplitPoint() {
            try streamElementsInParallel(split: split, sink: sink, lines: lines, listKind: listKind,
                                         listAPIVersion: listAPIVersion, deferred: &deferred)
        } else {
            _ = try streamElements(item: item, sink: sink, lines: lines, listKind: listKind, listAPIVersion: listAPIVersion,
                                   deferred: &deferred, stopAt: nil)
        }
    }

    /// Reads array elements from `pos` (on the first one) through the closing
    /// `]`, or until the next element would start at `stopAt`: returns true then.
    private mutating func streamElements(item: TapeStorage, sink: DocumentSink, lines: LineIndex, listKind: String?,
                                         listAPIVersion: String?, deferred: inout [Int], stopAt: Int?) throws -> Bool {
        let locations = TapeView.Locations.byteOffset(Unmanaged.passUnretained(lines))
        while true {
            let start = pos
            item.reset()
            try parseValue(into: item, depth: 3)
            let view = item.view(text: base, locations: locations)
            if try !sink.listItem(view, root: 0, listKind: listKind, listAPIVersion: listAPIVersion) { deferred.append(start) }
            sink.progress(bytesDone: pos - progressBase)
            releasePagesBehind()
            skipWhitespace()
            let c = peek()
            pos += 1
            if c == UInt8(ascii: ",") {
                skipWhitespace()
                if pos == stopAt { return true }
                continue
            }
            if c == UInt8(ascii: "]") { return false }
            pos -= 1
            throw failure(expected: "',' or ']' after an array element")
        }
    }

    /// Where a pretty-printed List's second half starts: the first line from
    /// the middle on that is exactly the first item's indentation and `{`,
    /// right after a `,` line end. Pretty-printed JSON indents by depth and
    /// strings hold no raw line break, so such a line is an element of the
    /// same array — or of another array as deep, which the first half then
    /// never lands on, and the read falls back to one core.
    private func itemSplitPoint() -> Int? {
        var lineStart = pos
        while lineStart > 0, base[lineStart - 1] == 0x20 { lineStart -= 1 }
        guard lineStart > 0, base[lineStart - 1] == 0x0A, base[pos] == UInt8(ascii: "{") else { return nil }
        let indent = pos - lineStart
        var i = pos + (count - pos) / 2
        let limit = min(count, i + (64 << 20))
        while i < limit, let found = memchr(base + i, 0x0A, limit - i) {
            let newline = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            let candidate = newline + 1 + indent
            if candidate < count, base[candidate] == UInt8(ascii: "{"),
               (0..<indent).allSatisfy({ base[newline + 1 + $0] == 0x20 }) {
                var before = newline - 1
                while before > pos, base[before] == 0x0D || base[before] == 0x20 { before -= 1 }
                if base[before] == UInt8(ascii: ",") { return candidate }
            }
            i = newline + 1
        }
        return nil
    }

    /// Both halves of a List's items at once. The first half must end exactly
    /// where the second begins; otherwise the guess was wrong, and the first
    /// half, having read on to the end, is the whole answer.
    private mutating func streamElementsInParallel(split: Int, sink: DocumentSink, lines: LineIndex,
                                                   listKind: String?, listAPIVersion: String?, deferred: inout [Int]) throws {
        sink.meter?.split(into: 2)
        // The second half is read on a worker into a sink, a tape and a line
        // index of its own, made there, and comes back as a value through
        // the mutex: nothing is shared while parsing. The first half is read
        // here, into the caller's sink. The file's address travels as an
        // integer (a pointer is not Sendable); the file outlives the worker,
        // which is waited for before anything is thrown.
        let secondHalf = Mutex<HalfResult?>(nil)
        let address = UInt(bitPattern: base)
        let (count, limits) = (self.count, self.limits)
        let (file, meter, pages) = (sink.file, sink.meter, self.pages)
        let worker = DispatchGroup()
        DispatchQueue.global().async(group: worker) {
            let result = Self.readSecondHalf(at: address, count: count, limits: limits, split: split, file: file, meter: meter,
                                             pages: pages, listKind: listKind, listAPIVersion: listAPIVersion)
            secondHalf.withLock { $0 = result }
        }
        var firstStopped = false
        var firstError: Error?
        do {
            firstStopped = try streamElements(item: TapeStorage(nodeCapacity: 1 << 14), sink: sink, lines: lines, listKind: listKind,
                                              listAPIVersion: listAPIVersion, deferred: &deferred, stopAt: split)
        } catch {
            firstError = error
        }
        worker.wait()
        if let firstError { throw firstError }
        // Not stopped at the split: the guess was wrong and the first half read everything.
        guard firstStopped else { return }
        let second = secondHalf.withLock { $0! }
        if let error = second.error { throw error }
        pos = second.pos
        deferred += second.deferred
        sink.absorb(second.output, lineOf: { lines.lineColumn(atOffset: $0).line })
    }

    /// The second half of a List's items, read on its own worker into a
    /// sink, a tape and a line index of its own; what it read comes back as a value.
    private static func readSecondHalf(at address: UInt, count: Int, limits: ReadLimits, split: Int, file: String,
                                       meter: ProgressMeter?, pages: PageRelease, listKind: String?, listAPIVersion: String?) -> HalfResult {
        var reader = JSONTapeReader(base: UnsafePointer(bitPattern: address)!, count: count, limits: limits)
        reader.pos = split
        reader.progressBase = split
        reader.pages = pages
        reader.releasedUpTo = split
        let sink = DocumentSink()
        sink.file = file
        sink.meter = meter
        sink.part = 1
        sink.expectObjects((count - split) / 1024)
        let lines = LineIndex(base: reader.base, count: count, pages: pages)
        var deferred: [Int] = []
        var failure: Error?
        do {
            _ = try withExtendedLifetime(lines) {
                try reader.streamElements(item: TapeStorage(nodeCapacity: 1 << 14), sink: sink, lines: lines, listKind: listKind,
                                          listAPIVersion: listAPIVersion, deferred: &deferred, stopAt: nil)
            }
        } catch {
            failure = error
        }
        return HalfResult(output: sink.takeOutput(), pos: reader.pos, deferred: deferred, error: failure)
    }

    /// What the second half of a List read in parallel hands back.
    private struct HalfResult: Sendable {
        var output: DocumentSink.Output
        var pos: Int
        var deferred: [Int]
        var error: Error?
    }

    /// A List whose `items` come twice: Kubernetes would read only the last
    /// array, but the first one's objects are already read (items stream),
    /// so the file is refused rather than read another way.
    private func repeatedItems(at offset: Int, lines: LineIndex, file: String) -> DumpError {
        let (line, column) = lines.lineColumn(atOffset: offset)
        return DumpError(file: file, line: line, column: column,
                         message: "the List holds the key items twice; Kubernetes reads only the last one (remove the other)")
    }

    // MARK: - Values

    /// Hands back a big file's pages behind `pos` every ``PageRelease/step``
    /// bytes; what is read again later (a deferred item) is read from the file.
    @inline(__always)
    private mutating func releasePagesBehind() {
        guard pages.isActive, pos - releasedUpTo >= PageRelease.step else { return }
        pages.release(from: base + releasedUpTo, to: base + pos)
        releasedUpTo = pos
    }

    @inline(__always) private func peek() -> UInt8 { pos < count ? base[pos] : 0 }

    private func failure(expected: String) -> JSONSyntaxError {
        if pos >= count { return JSONSyntaxError(offset: count, message: "unexpected end of file (truncated JSON?), expected \(expected)") }
        return JSONSyntaxError(offset: pos, message: "invalid JSON: expected \(expected), found \(JSONScanner.describe(base[pos]))")
    }


    @inline(__always)
    private mutating func expectColon() throws {
        // Compact JSON (`"key":value`): one compare, no call.
        if peek() == UInt8(ascii: ":") {
            pos += 1
            skipWhitespace()
            return
        }
        try expectSpacedColon()
    }

    private mutating func expectSpacedColon() throws {
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw failure(expected: "':' after an object key") }
        pos += 1
        skipWhitespace()
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        // kubectl indents with runs of spaces: take them eight at a time.
        while pos + 8 <= count, UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 {
            pos += 8
        }
        while pos < count {
            let c = base[pos]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            pos += 1
        }
    }

    private mutating func parseValue(into tape: TapeStorage, depth: Int) throws {
        if depth > limits.maxDepth {
            throw JSONSyntaxError(offset: pos, message: "nesting deeper than \(limits.maxDepth) levels; refusing to read further")
        }
        if tape.nodeCount >= limits.maxNodesPerDocument {
            throw JSONSyntaxError(offset: pos, message: "more than \(limits.maxNodesPerDocument) values in one object; refusing to read further")
        }
        switch peek() {
        case UInt8(ascii: "{"): try parseObject(into: tape, depth: depth)
        case UInt8(ascii: "["): try parseArray(into: tape, depth: depth)
        case UInt8(ascii: "\""): _ = try parseString(into: tape)
        case UInt8(ascii: "t"): try parseLiteral("true", into: tape)
        case UInt8(ascii: "f"): try parseLiteral("false", into: tape)
        case UInt8(ascii: "n"): try parseLiteral("null", into: tape)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber(into: tape)
        default: throw failure(expected: "a value")
        }
    }

    private mutating func parseObject(into tape: TapeStorage, depth: Int) throws {
        let index = tape.append(TapeNode(kind: .object, escaped: false, next: 0, start: pos, end: 0))
        pos += 1
        skipWhitespace()
        var members = 0
        if peek() == UInt8(ascii: "}") {
            pos += 1
        } else {
            while true {
                guard peek() == UInt8(ascii: "\"") else { throw failure(expected: "a string key") }
                _ = try parseString(into: tape)
                try expectColon()
                try parseValue(into: tape, depth: depth + 1)
                members += 1
                skipWhitespace()
                let c = peek()
                pos += 1
                if c == UInt8(ascii: ",") { skipWhitespace(); continue }
                if c == UInt8(ascii: "}") { break }
                pos -= 1
                throw failure(expected: "',' or '}' after an object member")
            }
        }
        tape.nodes[index].next = Int32(tape.nodeCount)
        if members > 1 { keepLastOfRepeatedKeys(index, in: tape) }
    }

    /// A key written twice in one object: the last one wins, as kubectl
    /// reads JSON (see RepeatedKeys.swift); positions are byte offsets.
    private func keepLastOfRepeatedKeys(_ object: Int, in tape: TapeStorage) {
        tape.keepLastOfRepeatedKeys(object, text: base) { tape.nodes[$0].start }
    }

    private mutating func parseArray(into tape: TapeStorage, depth: Int) throws {
        let index = tape.append(TapeNode(kind: .array, escaped: false, next: 0, start: pos, end: 0))
        pos += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            pos += 1
        } else {
            while true {
                try parseValue(into: tape, depth: depth + 1)
                skipWhitespace()
                let c = peek()
                pos += 1
                if c == UInt8(ascii: ",") { skipWhitespace(); continue }
                if c == UInt8(ascii: "]") { break }
                pos -= 1
                throw failure(expected: "',' or ']' after an array element")
            }
        }
        tape.nodes[index].next = Int32(tape.nodeCount)
    }

    /// Scans a string (pos at its opening quote) and appends it; returns its index.
    @inline(__always)
    private mutating func parseString(into tape: TapeStorage) throws -> Int {
        let start = pos + 1
        let (end, escaped) = try JSONScanner.scanString(base, count: count, from: start)
        pos = end + 1
        return tape.append(TapeNode(kind: .quoted, escaped: escaped, next: Int32(tape.nodeCount + 1), start: start, end: end))
    }

    private mutating func parseLiteral(_ literal: StaticString, into tape: TapeStorage) throws {
        let n = literal.utf8CodeUnitCount
        guard pos + n <= count, memcmp(base + pos, literal.utf8Start, n) == 0 else {
            throw JSONSyntaxError(offset: pos, message: pos + n > count
                ? "unexpected end of file (truncated JSON?)" : "invalid JSON: unknown literal (expected \(literal))")
        }
        _ = tape.append(TapeNode(kind: .plain, escaped: false, next: Int32(tape.nodeCount + 1), start: pos, end: pos + n))
        pos += n
    }

    private mutating func parseNumber(into tape: TapeStorage) throws {
        let start = pos
        pos = try JSONScanner.scanNumber(base, count: count, from: start)
        _ = tape.append(TapeNode(kind: .plain, escaped: false, next: Int32(tape.nodeCount + 1), start: start, end: pos))
    }
}
