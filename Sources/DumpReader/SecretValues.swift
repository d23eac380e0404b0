import KubeModel

/// Everything keyreach learns from a Secret's values while they are in
/// memory — sizes, PEM block types, public certificates — so that the values
/// themselves can be dropped on the spot.
enum SecretValues {
    /// Data keys whose CERTIFICATE blocks are kept (certificates are public).
    static func holdsCertificates(_ key: String) -> Bool {
        key == "tls.crt" || key == "ca.crt" || key.hasSuffix(".crt") || key.hasSuffix(".pem")
    }

    /// Decodes standard base64, skipping whitespace (folded YAML values) and
    /// any byte outside the alphabet, into `output` (reused).
    static func decodeBase64(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input {
            let value = decodeTable[Int(byte)]
            if value >= 64 { continue }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
    }

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        // The URL-safe alphabet too: lenient, since only sizes and PEM headers are wanted.
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    private static let beginMarker = Array("-----BEGIN ".utf8)
    private static let dashes = Array("-----".utf8)
    private static let certificateBegin = Array("-----BEGIN CERTIFICATE-----".utf8)
    private static let certificateEnd = Array("-----END CERTIFICATE-----".utf8)

    /// The distinct PEM block types in a value, in order of appearance
    /// (`CERTIFICATE`, `RSA PRIVATE KEY`, ...).
    static func pemBlockTypes(_ value: UnsafeBufferPointer<UInt8>) -> [String] {
        var types: [String] = []
        var i = 0
        while let begin = find(beginMarker, in: value, from: i) {
            let typeStart = begin + beginMarker.count
            guard let typeEnd = find(dashes, in: value, from: typeStart), typeEnd - typeStart <= 64 else { break }
            let type = String(decoding: UnsafeBufferPointer(rebasing: value[typeStart..<typeEnd]), as: UTF8.self)
            if isPlausibleBlockType(type), !types.contains(type) { types.append(type) }
            i = typeEnd + dashes.count
        }
        return types
    }

    /// PEM block types are upper-case words; anything else is not a header
    /// and must not be kept (it would be value text).
    private static func isPlausibleBlockType(_ type: String) -> Bool {
        !type.isEmpty && type.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x20 || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// Only the `CERTIFICATE` blocks of a value, each re-emitted as
    /// header, base64 body in 64-column lines, footer; a block whose body holds anything but
    /// base64 is dropped, so no other text can ride along.
    static func certificateBlocks(_ value: UnsafeBufferPointer<UInt8>) -> String {
        var result = ""
        var i = 0
        while let begin = find(certificateBegin, in: value, from: i) {
            let bodyStart = begin + certificateBegin.count
            guard let end = find(certificateEnd, in: value, from: bodyStart) else { break }
            let body = value[bodyStart..<end]
            if body.allSatisfy({ decodeTable[Int($0)] < 64 || $0 == UInt8(ascii: "=") || isPEMSpace($0) }) {
                var lines: [UInt8] = []
                lines.reserveCapacity(body.count)
                for byte in body where !isPEMSpace(byte) {
                    if lines.count % 65 == 64 { lines.append(0x0A) }
                    lines.append(byte)
                }
                result += "-----BEGIN CERTIFICATE-----\n" + String(decoding: lines, as: UTF8.self) + "\n-----END CERTIFICATE-----\n"
            }
            i = end + certificateEnd.count
        }
        return result
    }

    private static func isPEMSpace(_ byte: UInt8) -> Bool {
        byte == 0x0A || byte == 0x0D || byte == 0x20 || byte == 0x09
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard needle.count <= haystack.count, from <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var matched = true
                for k in 1..<needle.count where haystack[i + k] != needle[k] {
                    matched = false
                    break
                }
                if matched { return i }
            }
            i += 1
        }
        return nil
    }
}

extension KubeMapping {
    /// A Secret without its values: type (default `Opaque`), key names,
    /// decoded sizes and PEM block types, and the public certificates of
    /// `tls.crt`, `ca.crt`, `*.crt` and `*.pem` keys. `stringData` is merged
    /// over `data` as the API server does.
    func secret(_ object: Int, meta: ObjectMeta, scratch: inout [UInt8]) -> Secret {
        var keys: [String: SecretKey] = [:]
        var order: [String] = []
        var certificates: [String: String] = [:]
        func record(_ name: String, _ value: UnsafeBufferPointer<UInt8>) {
            if keys[name] == nil { order.append(name) }
            keys[name] = SecretKey(name: name, size: value.count, pemBlockTypes: SecretValues.pemBlockTypes(value))
            if SecretValues.holdsCertificates(name) {
                let pem = SecretValues.certificateBlocks(value)
                certificates[name] = pem.isEmpty ? nil : pem
            } else {
                certificates[name] = nil
            }
        }
        tape.forEachField(tape.field(object, "data")) { key, value in
            guard let name = tape.string(key), tape.isScalar(value) else { return }
            if tape.isNull(value) {
                scratch.removeAll(keepingCapacity: true)
            } else {
                tape.withBytes(value) { SecretValues.decodeBase64($0, into: &scratch) }
            }
            scratch.withUnsafeBufferPointer { record(name, $0) }
        }
        tape.forEachField(tape.field(object, "stringData")) { key, value in
            guard let name = tape.string(key), tape.isScalar(value) else { return }
            tape.withBytes(value) { record(name, $0) }
        }
        return Secret(meta: meta, type: tape.string(tape.field(object, "type")) ?? "Opaque",
                      keys: order.map { keys[$0]! }, certificatesPEM: certificates)
    }
}
