// Names compare as bytes, as Go compares them.
//
// The API server is written in Go, where `==`, `<`, map keys and
// `strings.HasPrefix` compare strings byte by byte. Swift's `String` compares
// by Unicode canonical equivalence instead: `"caf\u{E9}" == "cafe\u{301}"`
// (precomposed é against e + combining acute), and even `"\u{212A}" == "K"`
// (KELVIN SIGN against the ASCII letter); `Set`, `Dictionary`, `contains`,
// `hasPrefix` and `sorted()` all follow. A rule naming one spelling would then
// grant the other in keyreach but not in the cluster.
//
// So every decision of the engine compares names, verbs, groups, resources and
// label values through the functions and the key type of this file, the one
// place that rule lives:
//
// - `sameBytes(_:_:)` and `Sequence.containsBytes(_:)` for predicates;
// - `ByteString` as a `Dictionary` or `Set` key (its `==`, `hash(into:)` and
//   `<` all read the UTF-8 bytes);
// - `compareBytes(_:_:)` and `bytesPrecede(_:_:)` for sorting: byte order,
//   which is Unicode scalar order, Go's `sort.Strings` order and SQLite's
//   BINARY collation. It equals `String`'s `<` for ASCII and for text in NFC;
//   it also orders canonically equivalent spellings, which `String`'s `<`
//   leaves tied, so sorted output is deterministic.
//
// ```swift
// sameBytes("caf\u{E9}", "cafe\u{301}")             // false, as in Go
// Set([ByteString("caf\u{E9}"), ByteString("cafe\u{301}")]).count  // 2
// ```

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether `a` and `b` are the same UTF-8 bytes: Go's `a == b`.
@inlinable
public func sameBytes(_ a: String, _ b: String) -> Bool {
    let a8 = a.utf8, b8 = b.utf8
    guard a8.count == b8.count else { return false }
    return compareBytes(a, b) == .same
}

/// How two strings compare as bytes, for sorts that compare field after field.
public enum ByteOrdering: Sendable, Hashable {
    case before, same, after

    /// This ordering, or when the fields are the same, the next field's.
    @inlinable
    public func then(_ next: @autoclosure () -> ByteOrdering) -> ByteOrdering {
        self == .same ? next() : self
    }
}

/// `a` against `b`, byte by byte, a shorter prefix first: Go's `strings.Compare`.
@inlinable
public func compareBytes(_ a: String, _ b: String) -> ByteOrdering {
    let a8 = a.utf8, b8 = b.utf8
    // Native strings are contiguous UTF-8 (small ones are copied to the
    // stack), so this is one `memcmp`, as fast as `String`'s own ASCII path
    // and fast in debug builds too.
    let ordering = a8.withContiguousStorageIfAvailable { x in
        b8.withContiguousStorageIfAvailable { y in compareBytes(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) }
    } ?? nil
    if let ordering { return ordering }
    return Array(a8).withUnsafeBytes { x in Array(b8).withUnsafeBytes { y in compareBytes(x, y) } }
}

@inlinable
func compareBytes(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> ByteOrdering {
    let common = min(x.count, y.count)
    let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
    if order != 0 { return order < 0 ? .before : .after }
    return x.count == y.count ? .same : (x.count < y.count ? .before : .after)
}

/// Whether `a` sorts before `b` in byte order: Go's `a < b`.
@inlinable
public func bytesPrecede(_ a: String, _ b: String) -> Bool { compareBytes(a, b) == .before }

/// Whether the bytes of `string` start with those of `prefix`: Go's
/// `strings.HasPrefix` (`String.hasPrefix` compares whole characters, so
/// `"e\u{301}"` does not start with `"e"` there).
@inlinable
public func hasBytePrefix(_ string: String, _ prefix: String) -> Bool {
    string.utf8.starts(with: prefix.utf8)
}

/// `string` without its first `count` bytes, which must end on a character
/// boundary of the encoding (a prefix checked with ``hasBytePrefix(_:_:)``).
@inlinable
public func droppingBytes(_ string: String, _ count: Int) -> String {
    String(decoding: string.utf8.dropFirst(count), as: UTF8.self)
}

/// `string` split at every `separator` byte (an ASCII character), at most
/// `maxSplits` times, empty parts kept: Go's `strings.Split` and `SplitN`.
/// `String.split` splits between characters, and `":\u{301}"` is one character.
@inlinable
public func splitBytes(_ string: String, at separator: Unicode.Scalar, maxSplits: Int = .max) -> [String] {
    precondition(separator.isASCII, "splitBytes splits at an ASCII byte")
    return string.utf8.split(separator: UInt8(separator.value), maxSplits: maxSplits, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
}

extension Sequence<String> {
    /// Whether an element has the same bytes as `value`: Go's `slices.Contains`.
    @inlinable
    public func containsBytes(_ value: String) -> Bool { contains { sameBytes($0, value) } }
}

/// A string as a key that compares, hashes and sorts by its UTF-8 bytes.
/// Use it wherever names key a `Dictionary` or fill a `Set`.
///
/// ```swift
/// var rolesByName: [ByteString: Role] = [:]
/// rolesByName[ByteString(role.meta.name)] = role
/// ```
public struct ByteString: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let string: String

    @inlinable
    public init(_ string: String) { self.string = string }

    public var description: String { string }

    @inlinable
    public static func == (a: ByteString, b: ByteString) -> Bool { sameBytes(a.string, b.string) }

    @inlinable
    public static func < (a: ByteString, b: ByteString) -> Bool { bytesPrecede(a.string, b.string) }

    @inlinable
    public func hash(into hasher: inout Hasher) { hashBytes(string, into: &hasher) }
}

/// Feeds the UTF-8 bytes of `string` and a terminator to `hasher`, so keys of
/// several strings hash `("ab", "c")` and `("a", "bc")` apart.
@inlinable
public func hashBytes(_ string: String, into hasher: inout Hasher) {
    let utf8 = string.utf8
    if utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
        for byte in utf8 { hasher.combine(byte) }
    }
    hasher.combine(utf8.count)
}

/// A map from strings to strings that keys by UTF-8 bytes, as Go's
/// `map[string]string` does: labels, annotations, label selectors, a
/// secret's data keys. A `[String: String]` would hold `"caf\u{E9}"` and
/// `"cafe\u{301}"` as one key (the second write replacing the first), where
/// the API server keeps two labels; this map keeps both.
///
/// It reads like a dictionary: `labels["app"]`, `for (key, value) in labels`,
/// `labels.keys` (in byte order), and a literal `["app": "web"]`.
///
/// ```swift
/// var labels: ByteKeyedMap = ["caf\u{E9}": "nfc"]
/// labels["cafe\u{301}"] = "nfd"
/// labels.count  // 2
/// ```
public struct ByteKeyedMap: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// Keys and values as bytes, so `==` and hashing read bytes too.
    private var storage: [ByteString: ByteString]

    public init() { storage = [:] }

    /// Room for `minimumCapacity` entries up front.
    public init(minimumCapacity: Int) { storage = Dictionary(minimumCapacity: minimumCapacity) }

    /// The entries of a dictionary (whose keys are already distinct as
    /// Swift strings: for constants and tests; readers build the map key by key).
    public init(_ dictionary: [String: String]) {
        storage = Dictionary(minimumCapacity: dictionary.count)
        for (key, value) in dictionary { storage[ByteString(key)] = ByteString(value) }
    }

    /// A literal; a key written twice keeps its last value.
    public init(dictionaryLiteral elements: (String, String)...) {
        storage = Dictionary(minimumCapacity: elements.count)
        for (key, value) in elements { storage[ByteString(key)] = ByteString(value) }
    }

    public subscript(key: String) -> String? {
        get { storage[ByteString(key)]?.string }
        set { storage[ByteString(key)] = newValue.map(ByteString.init) }
    }

    public var isEmpty: Bool { storage.isEmpty }
    public var count: Int { storage.count }

    /// The keys in byte order (deterministic, unlike a dictionary's).
    public var keys: [String] { storage.keys.sorted().map(\.string) }

    /// The entries in byte order of their keys.
    public var sortedByKey: [(key: String, value: String)] {
        storage.sorted { $0.key < $1.key }.map { ($0.key.string, $0.value.string) }
    }

    /// Whether every entry of this map is in `labels` with the same bytes:
    /// a selector written as a map (`spec.selector` of a Service, Istio's
    /// `selector`) matching an object's labels, as `labels.SelectorFromSet`
    /// matches. An empty map is contained in every map.
    public func isContained(in labels: ByteKeyedMap) -> Bool {
        storage.allSatisfy { labels.storage[$0.key] == $0.value }
    }

    /// The entries keyed by bytes (RBAC's label selectors read this).
    public var byteEntries: [ByteString: ByteString] { storage }

    public func makeIterator() -> AnyIterator<(key: String, value: String)> {
        var inner = storage.makeIterator()
        return AnyIterator { inner.next().map { ($0.key.string, $0.value.string) } }
    }

    public var description: String {
        "[" + sortedByKey.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
    }
}

extension ByteKeyedMap: Codable {
    /// Encoded as a list of `[key, value]` pairs: a keyed container would
    /// fold canonically equal keys back into one.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        storage = [:]
        while !container.isAtEnd {
            let pair = try container.decode([String].self)
            guard pair.count == 2 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a [key, value] pair")
            }
            storage[ByteString(pair[0])] = ByteString(pair[1])
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for (key, value) in sortedByKey { try container.encode([key, value]) }
    }
}
