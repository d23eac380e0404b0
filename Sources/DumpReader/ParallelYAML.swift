import Foundation
import Synchronization

/// Shares progress between the parts of a file read in parallel and calls
/// the user's closure about every 16 MiB. Every worker reports into it, so
/// its state sits behind a mutex.
final class ProgressMeter: Sendable {
    private struct State {
        var fileName = ""
        var fileStart = 0
        var parts: [Int] = [0]
        var lastReported = 0
    }

    private let state = Mutex(State())
    private let callback: (@Sendable (ReadProgress) -> Void)?
    private let total: Int
    private let step = 16 << 20

    init(total: Int, callback: (@Sendable (ReadProgress) -> Void)?) {
        self.total = total
        self.callback = callback
    }

    var isActive: Bool { callback != nil }

    func startFile(_ name: String, at offset: Int) {
        state.withLock { state in
            state.fileName = name
            state.fileStart = offset
            state.parts = [0]
        }
    }

    /// The current file is read in `count` parts at once.
    func split(into count: Int) {
        state.withLock { $0.parts = Array(repeating: 0, count: count) }
    }

    /// `bytes` of part `part` of the current file are read.
    func update(part: Int, bytes: Int) {
        guard let callback else { return }
        let report: ReadProgress? = state.withLock { state in
            state.parts[part] = bytes
            let now = state.fileStart + state.parts.reduce(0, +)
            guard now - state.lastReported >= step else { return nil }
            state.lastReported = now
            return ReadProgress(file: state.fileName, bytesRead: now, totalBytes: total)
        }
        if let report { callback(report) }
    }

    func finish(bytes: Int) {
        let name = state.withLock { $0.fileName }
        callback?(ReadProgress(file: name, bytesRead: bytes, totalBytes: total))
    }
}

/// Splitting a multi-document YAML stream at document markers so its parts
/// parse on several cores. A line starting with `---` followed by a space,
/// a tab or a line break always starts a document: YAML forbids it inside
/// any scalar (`c-forbidden`), so a split there cannot cut a value.
enum YAMLChunks {
    struct Chunk {
        var start: Int
        var end: Int
        /// Lines before `start`, added to libyaml's line numbers.
        var lineOffset: Int
    }

    /// Below this a file is read on one core.
    static let minimumParallelSize = 4 << 20

    static func split(_ bytes: UnsafeBufferPointer<UInt8>, parts: Int, minimumSize: Int = minimumParallelSize) -> [Chunk] {
        let whole = [Chunk(start: 0, end: bytes.count, lineOffset: 0)]
        guard parts > 1, bytes.count >= minimumSize else { return whole }
        var starts: [Int] = [0]
        for k in 1..<parts {
            let target = bytes.count * k / parts
            guard let marker = documentMarker(in: bytes, from: max(target, starts.last! + 1)) else { break }
            if marker > starts.last! { starts.append(marker) }
        }
        guard starts.count > 1 else { return whole }
        var chunks: [Chunk] = []
        var lines = 0
        var counted = 0
        for (i, start) in starts.enumerated() {
            lines += countNewlines(bytes, from: counted, to: start)
            counted = start
            chunks.append(Chunk(start: start, end: i + 1 < starts.count ? starts[i + 1] : bytes.count, lineOffset: lines))
        }
        return chunks
    }

    /// The offset of the first `---` document marker at a line start at or after `from`.
    private static func documentMarker(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        let base = bytes.baseAddress!
        while i < bytes.count, let found = memchr(base + i, 0x0A, bytes.count - i) {
            let lineStart = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base + 1
            if lineStart + 3 <= bytes.count, bytes[lineStart] == 0x2D, bytes[lineStart + 1] == 0x2D, bytes[lineStart + 2] == 0x2D {
                let after = lineStart + 3 < bytes.count ? bytes[lineStart + 3] : 0x0A
                if after == 0x0A || after == 0x0D || after == 0x20 || after == 0x09 { return lineStart }
            }
            i = lineStart
        }
        return nil
    }

    private static func countNewlines(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var n = 0
        var i = from
        let base = bytes.baseAddress!
        while i < to, let found = memchr(base + i, 0x0A, to - i) {
            n += 1
            i = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base + 1
        }
        return n
    }

    /// Whether the stream uses directives (`%YAML`, `%TAG`) that would apply
    /// across a split; such rare files are read on one core.
    static func hasDirectives(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let base = bytes.baseAddress!
        var i = 0
        while i < bytes.count, let found = memchr(base + i, 0x25, bytes.count - i) {
            let at = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            if at == 0 || bytes[at - 1] == 0x0A { return true }
            i = at + 1
        }
        return false
    }
}
