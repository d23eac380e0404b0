import Foundation

/// A parse failure at a byte offset; the caller turns it into a DumpError
/// with line and column.
struct JSONFailure: Error {
    var offset: Int
    var message: String
}

/// The byte-level JSON reader: one validating pass per top-level value (or per
/// item of a top-level List, so memory stays bounded by the largest item) into
/// a reused tape. Strings are left escaped in the file; the mapping decodes
/// only the ones it uses. The file must hold no NUL byte (checked before), so
/// a 0 read past the end means end of file.
struct JSONTapeReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let limits: ReadLimits
    var pos = 0

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
            } else {
                try parseValue(into: envelope, depth: 1)
                try sink.document(envelope.view(text: base, locations: .byteOffset(lines)), root: 0)
            }
            sink.progress(bytesDone: pos)
            if pos == documentStart { throw JSONFailure(offset: pos, message: "unexpected character") }
        }
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
                let isItems = envelope.view(text: base, locations: .byteOffset(lines)).rawEquals(key, "items")
                if isItems, peek() == UInt8(ascii: "[") {
                    sawItems = true
                    let array = envelope.append(TapeNode(kind: .array, escaped: false, next: 0, start: pos, end: pos))
                    envelope.nodes[array].next = Int32(array + 1)
                    try streamItems(item: item, sink: sink, lines: lines, listKind: listKind, listAPIVersion: listAPIVersion,
                                    deferred: &deferred)
                } else {
                    let value = envelope.nodeCount
                    try parseValue(into: envelope, depth: 2)
                    let view = envelope.view(text: base, locations: .byteOffset(lines))
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
        let view = envelope.view(text: base, locations: .byteOffset(lines))
        guard sawItems else { return try sink.document(view, root: root) }
        let kind = view.string(view.field(root, "kind"))
        let apiVersion = view.string(view.field(root, "apiVersion"))
        try sink.listEnvelope(view, root: root)
        let end = pos
        for offset in deferred {
            pos = offset
            item.reset()
            try parseValue(into: item, depth: 3)
            let itemView = item.view(text: base, locations: .byteOffset(lines))
            _ = try sink.listItem(itemView, root: 0, listKind: kind ?? "", listAPIVersion: apiVersion)
        }
        pos = end
    }

    private mutating func streamItems(item: TapeStorage, sink: DocumentSink, lines: LineIndex,
                                      listKind: String?, listAPIVersion: String?, deferred: inout [Int]) throws {
        pos += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { pos += 1; return }
        while true {
            let start = pos
            item.reset()
            try parseValue(into: item, depth: 3)
            let view = item.view(text: base, locations: .byteOffset(lines))
            if try !sink.listItem(view, root: 0, listKind: listKind, listAPIVersion: listAPIVersion) { deferred.append(start) }
            sink.progress(bytesDone: pos)
            skipWhitespace()
            let c = peek()
            pos += 1
            if c == UInt8(ascii: ",") { skipWhitespace(); continue }
            if c == UInt8(ascii: "]") { return }
            pos -= 1
            throw failure(expected: "',' or ']' after an array element")
        }
    }

    // MARK: - Values

    @inline(__always) private func peek() -> UInt8 { pos < count ? base[pos] : 0 }

    private func failure(expected: String) -> JSONFailure {
        if pos >= count { return JSONFailure(offset: count, message: "unexpected end of file (truncated JSON?), expected \(expected)") }
        return JSONFailure(offset: pos, message: "invalid JSON: expected \(expected), found \(describe(base[pos]))")
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return String(format: "byte 0x%02X", byte)
    }

    private mutating func expectColon() throws {
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
            throw JSONFailure(offset: pos, message: "nesting deeper than \(limits.maxDepth) levels; refusing to read further")
        }
        if tape.nodeCount >= limits.maxNodesPerDocument {
            throw JSONFailure(offset: pos, message: "more than \(limits.maxNodesPerDocument) values in one object; refusing to read further")
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
        if peek() == UInt8(ascii: "}") {
            pos += 1
        } else {
            while true {
                guard peek() == UInt8(ascii: "\"") else { throw failure(expected: "a string key") }
                _ = try parseString(into: tape)
                try expectColon()
                try parseValue(into: tape, depth: depth + 1)
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
        var p = start
        var escaped = false
        while true {
            // Eight bytes at a time while none is a quote, a backslash or a control byte.
            while p + 8 <= count {
                let word = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                if Self.hasSpecialByte(word) { break }
                p += 8
            }
            guard p < count else {
                throw JSONFailure(offset: count, message: "unexpected end of file inside a string (truncated JSON?)")
            }
            let c = base[p]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                escaped = true
                p += 2
                continue
            }
            if c < 0x20 {
                throw JSONFailure(offset: p, message: "invalid JSON: control character (\(describe(c))) inside a string")
            }
            p += 1
        }
        pos = p + 1
        return tape.append(TapeNode(kind: .quoted, escaped: escaped, next: Int32(tape.nodeCount + 1), start: start, end: p))
    }

    /// True when a byte of `word` is `"`, `\` or below 0x20 (the classic
    /// has-zero-byte trick, applied three times).
    @inline(__always)
    private static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- (ones &* 0x20)) & ~word
        return (hasQuote | hasBackslash | hasControl) & highs != 0
    }

    private mutating func parseLiteral(_ literal: StaticString, into tape: TapeStorage) throws {
        let n = literal.utf8CodeUnitCount
        guard pos + n <= count, memcmp(base + pos, literal.utf8Start, n) == 0 else {
            throw JSONFailure(offset: pos, message: pos + n > count
                ? "unexpected end of file (truncated JSON?)" : "invalid JSON: unknown literal (expected \(literal))")
        }
        _ = tape.append(TapeNode(kind: .plain, escaped: false, next: Int32(tape.nodeCount + 1), start: pos, end: pos + n))
        pos += n
    }

    private mutating func parseNumber(into tape: TapeStorage) throws {
        let start = pos
        if peek() == UInt8(ascii: "-") { pos += 1 }
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(peek()) else { throw failure(expected: "a digit") }
        while pos < count {
            let c = base[pos]
            guard (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") else { break }
            pos += 1
        }
        _ = tape.append(TapeNode(kind: .plain, escaped: false, next: Int32(tape.nodeCount + 1), start: start, end: pos))
    }
}
