import Foundation
import Testing
import TestSupport
@testable import DumpReader
#if canImport(Glibc)
import Glibc
#endif

/// A big dump's pages are handed back behind the reader (MADV_DONTNEED on a
/// private read-only file mapping); bytes read again afterwards (a deferred
/// List item, a warning's line count) must come back from the file unchanged.
@Suite struct PageReleaseTests {
    @Test func releasedPagesReadBackFromTheFile() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let text = String((0..<(4 * page + 100)).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) })
        let folder = try TemporaryFolder.make(["pages.txt": text])
        defer { try? FileManager.default.removeItem(at: folder) }
        let fd = open(folder.appendingPathComponent("pages.txt").path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        let length = text.utf8.count
        let mapped = try #require(mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0))
        defer { munmap(mapped, length) }
        let bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: length)
        let before = Array(bytes)
        // From an unaligned offset into the middle, then everything.
        PageRelease(mapping: bytes).release(from: bytes.baseAddress! + 10, to: bytes.baseAddress! + 3 * page + 7)
        #expect(Array(bytes) == before)
        PageRelease(mapping: bytes).release(from: bytes.baseAddress!, to: bytes.baseAddress! + length)
        #expect(Array(bytes) == before)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
        // `none` never touches memory that is not a file mapping.
        let heap = Array(text.utf8)
        heap.withUnsafeBufferPointer { PageRelease.none.release(from: $0.baseAddress!, to: $0.baseAddress! + $0.count) }
        #expect(heap == Array(text.utf8))
    }

    /// Line numbers asked out of order (the parts of a parallel read, a
    /// warning per snapshot array) restart from the checkpoint before the
    /// offset, every MiB, and agree with a plain count.
    @Test func lineIndexAnswersInAnyOrder() {
        var generator = SeededGenerator(seed: 16)
        var bytes: [UInt8] = []
        while bytes.count < 3 << 20 {
            bytes += Array(repeating: UInt8(ascii: "x"), count: Int.random(in: 0...300, using: &generator))
            bytes.append(0x0A)
        }
        let offsets = (0..<200).map { _ in Int.random(in: 0...bytes.count, using: &generator) } + [0, 1 << 20, (1 << 20) + 1, bytes.count]
        // The plain count: line and line start before every offset, in one pass.
        var lineBefore = [1]
        var startBefore = [0]
        for byte in bytes {
            lineBefore.append(lineBefore.last! + (byte == 0x0A ? 1 : 0))
            startBefore.append(byte == 0x0A ? lineBefore.count - 1 : startBefore.last!)
        }
        bytes.withUnsafeBufferPointer { buffer in
            let index = LineIndex(base: buffer.baseAddress!, count: buffer.count)
            for offset in offsets {
                let answer = index.lineColumn(atOffset: offset)
                #expect(answer.line == lineBefore[offset] && answer.column == offset - startBefore[offset] + 1, "offset \(offset)")
            }
        }
    }
}
