/// The generator's only source of randomness: SplitMix64 (Steele, Lea and
/// Flood, 2014), chosen because it is tiny, fast and gives the same sequence
/// on every platform, so a seed always produces the same dump byte for byte.
/// `SystemRandomNumberGenerator` is never used.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range`, by multiply-shift (Lemire): unbiased enough for
    /// synthetic data and free of division.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// True with probability `p` (0...1).
    mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1.0p-53 < p
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[int(in: 0...(items.count - 1))]
    }

    /// `count` characters drawn from `alphabet`, as Kubernetes' name
    /// generator does for pod and ReplicaSet suffixes.
    mutating func string(_ count: Int, from alphabet: [UInt8]) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            bytes[i] = alphabet[int(in: 0...(alphabet.count - 1))]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
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
