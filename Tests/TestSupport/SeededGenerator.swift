import SeededRandom

/// The randomized tests' generator: the product's one SplitMix64, so a
/// failing random case can be reproduced from its seed.
///
/// ```swift
/// var random = SeededGenerator(seed: 2026)
/// let n = Int.random(in: 1...6, using: &random)
/// ```
public typealias SeededGenerator = SplitMix64
