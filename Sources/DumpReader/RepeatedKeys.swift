import Foundation
import JSONCore

// A key written twice in one mapping, read as Kubernetes reads it: the last
// value wins, wholly (no merge of two mappings), and keyreach says so.
//
// The path a manifest takes (kubectl apply/create, k8s.io/cli-runtime's
// resource builder):
// - YAML goes through sigs.k8s.io/yaml's `YAMLToJSON`, which decodes with
//   go-yaml v2 into `map[interface{}]interface{}`; go-yaml's non-strict
//   `setMapIndex` is a plain `out.SetMapIndex(k, v)` per entry in document
//   order, each value decoded fresh, so the last entry replaces the earlier
//   ones (only `UnmarshalStrict` fails: "key %#v already set in map"). Its
//   doc comment: "Duplicate fields are case-sensitively ignored".
// - JSON is decoded into an unstructured `map[string]interface{}` by
//   encoding/json (sigs.k8s.io/json), whose map values are decoded fresh per
//   key: the last one wins too.
// The JSON kubectl then sends holds each key once, so the API server's strict
// field validation ("duplicate field", sigs.k8s.io/json's
// `DisallowDuplicateFields`) never sees the repeat (kubernetes/kubernetes
// #89303, #99286, #125885: "the *first* envFrom was ignored").
//
// Keys compare as the bytes JSON gets: a JSON key with its escapes decoded,
// a YAML `1:`, `yes:` or `"1":` as the JSON string sigs.k8s.io/yaml writes.
// `<<` merge keys are not repeats (YAMLTapeReader expands them).

/// A key met twice in one mapping. Positions are what the reader records:
/// a byte offset of the key for JSON, a 0-based line for YAML.
struct RepeatedKey {
    /// The key as JSON gets it.
    var key: String
    /// The occurrence whose value is ignored.
    var ignored: Int
    /// The next occurrence of the same key (the last one's value is read).
    var repeatedAt: Int
}

extension TapeStorage {
    /// Keeps only the last entry of each key of the mapping at `object`,
    /// which has just ended (its subtree is the end of the tape), and notes
    /// every dropped entry in ``repeatedKeys``. `text` is where scalar
    /// offsets point (the file, for JSON); `position` says where a key is.
    /// Costs a few length compares for a mapping without repeats.
    func keepLastOfRepeatedKeys(_ object: Int, text: UnsafePointer<UInt8>, position: (Int) -> Int) {
        keyScratch.removeAll(keepingCapacity: true)
        let end = nodeCount
        var k = object + 1
        while k + 1 < end {
            // A YAML key that is a mapping or a sequence (`? [a]`) is no JSON
            // key: the reader rejects that document (go-yaml: "invalid map
            // key"), and its entries are not one node each; leave it be.
            guard isScalar(k) else { return }
            keyScratch.append(Int32(truncatingIfNeeded: k))
            let next = Int(nodes[k + 1].next)
            guard next > k + 1 else { return }
            k = next
        }
        guard keyScratch.count >= 2, let repeats = repeatedEntries(text: text) else { return }
        for (entry, later) in repeats.enumerated() where later >= 0 {
            let key = Int(keyScratch[entry])
            repeatedKeys.append(RepeatedKey(key: keyText(key, text: text), ignored: position(key),
                                            repeatedAt: position(Int(keyScratch[later]))))
        }
        dropEntries(of: object, where: repeats.map { $0 >= 0 })
    }

    /// For each entry of ``keyScratch``, the index of the next entry with the
    /// same key, or -1; nil when no key repeats (the usual case: no allocation).
    private func repeatedEntries(text: UnsafePointer<UInt8>) -> [Int]? {
        let count = keyScratch.count
        var repeats: [Int]?
        if count <= 16 {
            // Pairwise: most keys differ in length, so this is a few compares.
            for entry in 0..<count - 1 {
                for later in entry + 1..<count where sameKey(Int(keyScratch[entry]), Int(keyScratch[later]), text: text) {
                    if repeats == nil { repeats = Array(repeating: -1, count: count) }
                    repeats![entry] = later
                    break
                }
            }
            return repeats
        }
        // Many keys (a large data or annotations map): hash each key once.
        var lastWithHash: [UInt64: Int] = [:]
        lastWithHash.reserveCapacity(count)
        for entry in 0..<count {
            let key = Int(keyScratch[entry])
            guard isScalar(key) else { continue }
            let hash = withKeyBytes(key, text: text, Self.hashBytes)
            if let earlier = lastWithHash[hash] {
                // The same hash: the same key, unless the hash collides (then look back one by one).
                let match = sameKey(Int(keyScratch[earlier]), key, text: text) ? earlier
                    : (0..<entry).last { sameKey(Int(keyScratch[$0]), key, text: text) }
                if let match {
                    if repeats == nil { repeats = Array(repeating: -1, count: count) }
                    repeats![match] = entry
                }
            }
            lastWithHash[hash] = entry
        }
        return repeats
    }

    /// Removes the entries marked `true` from the mapping at `object`,
    /// moving later nodes down and fixing their `next` indices and noted lines.
    private func dropEntries(of object: Int, where dropped: [Bool]) {
        let end = nodeCount
        let count = keyScratch.count
        var shifts = [Int](repeating: 0, count: count)
        var write = object + 1
        for entry in 0..<count {
            let start = Int(keyScratch[entry])
            let stop = entry + 1 < count ? Int(keyScratch[entry + 1]) : end
            guard !dropped[entry] else { continue }
            let shift = start - write
            shifts[entry] = shift
            if shift > 0 {
                for i in start..<stop {
                    var node = nodes[i]
                    node.next -= Int32(shift)
                    nodes[i - shift] = node
                }
            }
            write += stop - start
        }
        nodes[object].next = Int32(write)
        nodeCount = write
        renumberScalarLines(from: object + 1) { old in
            // The entry holding `old`: the last whose key is at or before it.
            var low = 0
            var high = count
            while low < high {
                let mid = (low + high) / 2
                if Int(keyScratch[mid]) <= old { low = mid + 1 } else { high = mid }
            }
            let entry = low - 1
            return entry < 0 || dropped[entry] ? nil : old - shifts[entry]
        }
    }

    private func isScalar(_ key: Int) -> Bool { nodes[key].kind == .quoted || nodes[key].kind == .plain }

    private func sameKey(_ a: Int, _ b: Int, text: UnsafePointer<UInt8>) -> Bool {
        guard isScalar(a), isScalar(b) else { return false }
        let x = nodes[a], y = nodes[b]
        if !x.escaped, !y.escaped {
            return x.end - x.start == y.end - y.start && memcmp(text + x.start, text + y.start, x.end - x.start) == 0
        }
        return withKeyBytes(a, text: text) { first in
            withKeyBytes(b, text: text) { second in first.elementsEqual(second) }
        }
    }

    /// The bytes of a key as JSON gets it (escapes decoded).
    private func withKeyBytes<R>(_ key: Int, text: UnsafePointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let node = nodes[key]
        let raw = UnsafeBufferPointer(start: text + node.start, count: node.end - node.start)
        guard node.escaped else { return body(raw) }
        var decoded = JSONString.unescape(raw)
        return decoded.withUTF8(body)
    }

    private func keyText(_ key: Int, text: UnsafePointer<UInt8>) -> String {
        withKeyBytes(key, text: text) { String(decoding: $0, as: UTF8.self) }
    }

    /// FNV-1a: keys are short, and a collision only costs a look back.
    private static func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
