#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeModel

/// A reused buffer for decoded secret values: one allocation for a whole
/// read instead of one per value.
final class ByteBuffer {
    private(set) var pointer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init(capacity: Int = 1 << 14) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }

    /// Room for at least `count` bytes; the old contents are not kept.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = max(count, capacity * 2)
        pointer = .allocate(capacity: capacity)
    }
}

/// Everything keyreach learns from a Secret's values while they are in
/// memory — sizes, PEM block types, public certificates — so that the values
/// themselves can be dropped on the spot.
enum SecretValues {
    /// Data keys whose CERTIFICATE blocks are kept (certificates are public).
    static func holdsCertificates(_ key: String) -> Bool {
        key == "tls.crt" || key == "ca.crt" || key.hasSuffix(".crt") || key.hasSuffix(".pem")
    }

    /// Decodes standard base64, skipping whitespace (folded YAML values) and
    /// any byte outside the alphabet, into `output`; the answer points into
    /// it and lives until the next decode.
    static func decodeBase64(_ input: UnsafeBufferPointer<UInt8>, into output: ByteBuffer) -> UnsafeBufferPointer<UInt8> {
        output.reserve(input.count / 4 * 3 + 3)
        return decodeTable.withUnsafeBufferPointer { decode(input, table: $0.baseAddress!, into: output) }
    }

    /// The decoding loop, on a raw table: no bounds check per byte.
    private static func decode(_ input: UnsafeBufferPointer<UInt8>, table: UnsafePointer<UInt8>,
                               into output: ByteBuffer) -> UnsafeBufferPointer<UInt8> {
        let out = output.pointer
        let n = input.count
        var o = 0
        var i = 0
        var accumulator: UInt32 = 0
        var bits = 0
        guard let bytes = input.baseAddress else { return UnsafeBufferPointer(start: out, count: 0) }
        while i < n {
            // Four alphabet bytes on a byte boundary: three bytes at once.
            if bits == 0, i + 4 <= n {
                let a = table[Int(bytes[i])], b = table[Int(bytes[i + 1])]
                let c = table[Int(bytes[i + 2])], d = table[Int(bytes[i + 3])]
                if a | b | c | d < 64 {
                    let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    out[o] = UInt8(truncatingIfNeeded: group >> 16)
                    out[o + 1] = UInt8(truncatingIfNeeded: group >> 8)
                    out[o + 2] = UInt8(truncatingIfNeeded: group)
                    o += 3
                    i += 4
                    continue
                }
            }
            let value = table[Int(bytes[i])]
            i += 1
            if value >= 64 { continue }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out[o] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                o += 1
            }
        }
        return UnsafeBufferPointer(start: out, count: o)
    }

    /// 255 for bytes outside the alphabet.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        // The URL-safe alphabet too: lenient, since only sizes and PEM headers are wanted.
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    private static let beginMarker: StaticString = "-----BEGIN "
    private static let dashes: StaticString = "-----"
    private static let certificateBegin: StaticString = "-----BEGIN CERTIFICATE-----"
    private static let certificateEnd: StaticString = "-----END CERTIFICATE-----"

    /// The distinct PEM block types in a value, in order of appearance
    /// (`CERTIFICATE`, `RSA PRIVATE KEY`, ...).
    static func pemBlockTypes(_ value: UnsafeBufferPointer<UInt8>) -> [String] {
        var types: [String] = []
        var i = 0
        while let begin = find(beginMarker, in: value, from: i) {
            let typeStart = begin + beginMarker.utf8CodeUnitCount
            guard let typeEnd = find(dashes, in: value, from: typeStart), typeEnd - typeStart <= 64 else { break }
            let type = UnsafeBufferPointer(rebasing: value[typeStart..<typeEnd])
            if isPlausibleBlockType(type), !types.contains(where: { $0.utf8.elementsEqual(type) }) {
                types.append(String(decoding: type, as: UTF8.self))
            }
            i = typeEnd + dashes.utf8CodeUnitCount
        }
        return types
    }

    /// PEM block types are upper-case words; anything else is not a header
    /// and must not be kept (it would be value text).
    private static func isPlausibleBlockType(_ type: UnsafeBufferPointer<UInt8>) -> Bool {
        !type.isEmpty && type.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x20 || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// Only the `CERTIFICATE` blocks of a value, each re-emitted as
    /// header, base64 body in 64-column lines, footer; a block whose body holds anything but
    /// base64 is dropped, so no other text can ride along.
    static func certificateBlocks(_ value: UnsafeBufferPointer<UInt8>) -> String {
        var result: [UInt8] = []
        var i = 0
        while let begin = find(certificateBegin, in: value, from: i) {
            let bodyStart = begin + certificateBegin.utf8CodeUnitCount
            guard let end = find(certificateEnd, in: value, from: bodyStart) else { break }
            let body = UnsafeBufferPointer(rebasing: value[bodyStart..<end])
            let isBase64 = decodeTable.withUnsafeBufferPointer { table in
                body.allSatisfy { table[Int($0)] < 64 || $0 == UInt8(ascii: "=") || isPEMSpace($0) }
            }
            if isBase64 {
                if result.isEmpty { result.reserveCapacity(value.count + 64) }
                append(certificateBegin, to: &result)
                result.append(0x0A)
                var column = 0
                for byte in body where !isPEMSpace(byte) {
                    if column == 64 {
                        result.append(0x0A)
                        column = 0
                    }
                    result.append(byte)
                    column += 1
                }
                result.append(0x0A)
                append(certificateEnd, to: &result)
                result.append(0x0A)
            }
            i = end + certificateEnd.utf8CodeUnitCount
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func append(_ literal: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    private static func isPEMSpace(_ byte: UInt8) -> Bool {
        byte == 0x0A || byte == 0x0D || byte == 0x20 || byte == 0x09
    }

    /// The offset of `needle` in `haystack` at or after `from`: memchr to
    /// each candidate first byte (vectorised), then a compare.
    private static func find(_ needle: StaticString, in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let count = needle.utf8CodeUnitCount
        guard let base = haystack.baseAddress, from <= haystack.count - count else { return nil }
        let first = Int32(needle.utf8Start[0])
        let last = haystack.count - count
        var i = from
        while i <= last, let found = memchr(base + i, first, last - i + 1) {
            let at = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            if memcmp(base + at, needle.utf8Start, count) == 0 { return at }
            i = at + 1
        }
        return nil
    }
}

extension KubeMapping {
    /// A Secret without its values: type (default `Opaque`), key names,
    /// decoded sizes and PEM block types, and the public certificates of
    /// `tls.crt`, `ca.crt`, `*.crt` and `*.pem` keys. `stringData` is merged
    /// over `data` as the API server does.
    func secret(_ object: Int, meta: ObjectMeta, scratch: ByteBuffer) -> Secret {
        var keys: [SecretKey] = []
        var certificates: ByteKeyedMap = [:]
        // Where each key sits, built only for secrets with many keys: a few
        // compares beat hashing for the usual handful. Data keys are bytes,
        // as `data` is a Go map: "café.key" precomposed and decomposed are two keys.
        var positions: [ByteString: Int]?
        func position(of name: String) -> Int? {
            if keys.count < 16 { return keys.firstIndex { sameBytes($0.name, name) } }
            if positions == nil {
                positions = Dictionary(keys.enumerated().map { (ByteString($1.name), $0) }, uniquingKeysWith: { first, _ in first })
            }
            return positions![ByteString(name)]
        }
        func record(_ name: String, _ value: UnsafeBufferPointer<UInt8>) {
            let key = SecretKey(name: name, size: value.count, pemBlockTypes: SecretValues.pemBlockTypes(value))
            // A key seen again (stringData over data) is replaced in place: the order stays the first one's.
            if let earlier = position(of: name) {
                keys[earlier] = key
            } else {
                positions?[ByteString(name)] = keys.count
                keys.append(key)
            }
            if SecretValues.holdsCertificates(name) {
                let pem = SecretValues.certificateBlocks(value)
                certificates[name] = pem.isEmpty ? nil : pem
            } else if !certificates.isEmpty {
                certificates[name] = nil
            }
        }
        let data = tape.field(object, "data")
        if let data, tape.kind(data) == .object { keys.reserveCapacity((tape.next(data) - data) / 2) }
        tape.forEachField(data) { key, value in
            guard let name = tape.string(key) else { return }
            // `data` is map[string][]byte: base64 text or null, nothing else decodes.
            guard tape.kind(value) == .quoted || tape.isNull(value) else { return tape.noteWrongType(value) }
            if tape.isNull(value) {
                record(name, UnsafeBufferPointer(start: scratch.pointer, count: 0))
            } else {
                tape.withBytes(value) { record(name, SecretValues.decodeBase64($0, into: scratch)) }
            }
        }
        tape.forEachField(tape.field(object, "stringData")) { key, value in
            guard let name = tape.string(key) else { return }
            guard tape.kind(value) == .quoted || tape.isNull(value) else { return tape.noteWrongType(value) }
            if tape.isNull(value) { return record(name, UnsafeBufferPointer(start: scratch.pointer, count: 0)) }
            tape.withBytes(value) { record(name, $0) }
        }
        return Secret(meta: meta, type: tape.string(tape.field(object, "type")) ?? "Opaque",
                      keys: keys, certificatesPEM: certificates)
    }
}
