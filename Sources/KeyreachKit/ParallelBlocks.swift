import Dispatch
import Foundation
import Synchronization

/// Renders `count` items in blocks on every core and hands the bytes to
/// `write` in order, a round of blocks at a time: for answers of a big
/// cluster, where writing the output costs as much as reading the dump and
/// need never sit in memory whole. `separator` goes between two items that
/// render to bytes (an empty rendering is skipped).
enum ParallelBlocks {
    static func render(count: Int, itemsPerBlock: Int = 32, separator: [UInt8] = [],
                       item: @Sendable (Int) -> [UInt8], write: ([UInt8]) -> Void) {
        let blocks = (count + itemsPerBlock - 1) / itemsPerBlock
        let blocksPerRound = 4 * max(1, ProcessInfo.processInfo.activeProcessorCount)
        var wroteItem = false
        var round = 0
        while round * blocksPerRound < blocks {
            let first = round * blocksPerRound
            let last = min(blocks, first + blocksPerRound)
            let rendered = Mutex(Array(repeating: [UInt8](), count: last - first))
            DispatchQueue.concurrentPerform(iterations: last - first) { offset in
                let block = first + offset
                var bytes: [UInt8] = []
                for index in (block * itemsPerBlock)..<min(count, (block + 1) * itemsPerBlock) {
                    let one = item(index)
                    if one.isEmpty { continue }
                    bytes += separator
                    bytes += one
                }
                rendered.withLock { $0[offset] = bytes }
            }
            // Every item of a block starts with the separator; the very first item's goes.
            for var bytes in rendered.withLock({ $0 }) where !bytes.isEmpty {
                if !wroteItem { bytes.removeFirst(separator.count); wroteItem = true }
                write(bytes)
            }
            round += 1
        }
    }
}
