/// SplitMix64 (Steele, Lea and Flood, 2014): the one seeded generator of the
/// generator, the benchmark and the randomized tests. Tiny, fast, and the
/// same sequence on every platform, so a seed always produces the same dump
/// byte for byte, the benchmark asks about the same secrets, and a failing
/// random test case can be reproduced. `SystemRandomNumberGenerator` is never used.
///
/// ```swift
/// var random = SplitMix64(seed: 2026)
/// let n = Int.random(in: 1...6, using: &random)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range`, by multiply-shift (Lemire): unbiased enough for
    /// synthetic data and free of division.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// True with probability `p` (0...1).
    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1.0p-53 < p
    }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[int(in: 0...(items.count - 1))]
    }

    /// `count` characters drawn from `alphabet`, as Kubernetes' name
    /// generator does for pod and ReplicaSet suffixes.
    public mutating func string(_ count: Int, from alphabet: [UInt8]) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            bytes[i] = alphabet[int(in: 0...(alphabet.count - 1))]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(count + 8)
        while result.count < count {
            var word = next()
            for _ in 0..<8 {
                result.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        result.removeLast(result.count - count)
        return result
    }
}
