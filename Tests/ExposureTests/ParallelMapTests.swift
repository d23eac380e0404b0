import KubeModel
import Synchronization
import Testing

/// Exposure classifies and analyses keys with ``ParallelMap``: its answer must
/// be the sequential map's, whatever the count and the block size.
@Suite struct ParallelMapTests {
    @Test(arguments: [0, 1, 63, 64, 65, 640, 1_001])
    func sameAsASequentialMap(count: Int) {
        for blockSize in [1, 7, 64] {
            let blocks = Mutex(0)
            let mapped = ParallelMap.blocks(count: count, blockSize: blockSize) { range in
                blocks.withLock { $0 += 1 }
                return range.map { "item \($0)" }
            }
            #expect(mapped == (0..<count).map { "item \($0)" })
            #expect(blocks.withLock { $0 } == max(1, (count + blockSize - 1) / blockSize))
        }
    }

    @Test func aBlockMayGiveMoreOrFewerResultsThanPositions() {
        let evens = ParallelMap.blocks(count: 100, blockSize: 8) { range in range.filter { $0.isMultiple(of: 2) } }
        #expect(evens == Array(stride(from: 0, to: 100, by: 2)))
    }
}
