import Dispatch
import Synchronization

/// Independent items worked on every core: `0..<count` is cut into blocks
/// of `blockSize` positions, `transform` maps each block (with whatever
/// state it keeps for itself, such as a cache), and the results come back
/// in position order, as a sequential map would give them.
///
/// ```swift
/// let squares = ParallelMap.blocks(count: 1_000, blockSize: 64) { range in range.map { $0 * $0 } }
/// squares[999]   // 998001
/// ```
public enum ParallelMap {
    public static func blocks<Result: Sendable>(count: Int, blockSize: Int,
                                                _ transform: @Sendable (Range<Int>) -> [Result]) -> [Result] {
        precondition(blockSize > 0, "a block holds at least one position")
        let blocks = (count + blockSize - 1) / blockSize
        guard blocks > 1 else { return transform(0..<count) }
        let results = Mutex([[Result]](repeating: [], count: blocks))
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            let done = transform((block * blockSize)..<min(count, (block + 1) * blockSize))
            results.withLock { $0[block] = done }
        }
        var ordered: [Result] = []
        ordered.reserveCapacity(count)
        for part in results.withLock({ $0 }) { ordered += part }
        return ordered
    }
}
