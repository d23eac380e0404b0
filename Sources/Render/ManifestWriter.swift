import Foundation
import JSONCore
import KubeModel

/// `keyreach collect -o FILE`: a ``ClusterSnapshot`` written back as one
/// Kubernetes `List` that `keyreach import` reads into the same snapshot.
///
/// Only what the snapshot holds can be written, and the snapshot never holds a
/// secret value: each data key of a Secret gets a synthetic value that reads
/// back to the same facts (decoded size, PEM block types in order, the public
/// certificates verbatim) with ``redactionMarker`` where private material was.
/// One item per line (JSON) or one block sequence entry (YAML), handed to
/// `sink` in chunks, so a 100k-object cluster is never one big buffer.
///
/// ```swift
/// try ManifestWriter.write(snapshot, as: .yaml) { chunk in try handle.write(contentsOf: chunk) }
/// ```
public enum ManifestWriter {
    public enum Format: Sendable { case json, yaml }

    /// The text that stands where a secret's value was.
    public static let redactionMarker = "KEYREACH-REDACTED"

    /// Bytes gathered before `sink` is called.
    static let chunkSize = 1 << 20

    public static func write(_ snapshot: ClusterSnapshot, as format: Format,
                             to sink: ([UInt8]) throws -> Void) throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkSize + (1 << 16))
        func flush(force: Bool) throws {
            if force || buffer.count >= chunkSize {
                try sink(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        switch format {
        case .json:
            buffer += Array("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[".utf8)
            var first = true
            var writer = JSONWriter()
            try ManifestObjects.forEach(snapshot) { (emit: (inout JSONWriter) -> Void) in
                writer.reset()
                emit(&writer)
                buffer += Array((first ? "\n" : ",\n").utf8)
                buffer += writer.bytes
                first = false
                try flush(force: false)
            }
            buffer += Array("\n]}\n".utf8)
        case .yaml:
            buffer += Array("apiVersion: v1\nkind: List\nitems:".utf8)
            var empty = true
            try ManifestObjects.forEach(snapshot) { (emit: (inout YAMLWriter) -> Void) in
                // An array of one object: a `- ` entry at column 0, which YAML
                // reads as the value of `items:` above.
                var writer = YAMLWriter()
                writer.array { emit(&$0) }
                if empty { buffer.append(0x0A) }
                buffer += writer.bytes
                empty = false
                try flush(force: false)
            }
            if empty { buffer += Array(" []\n".utf8) }
        }
        try flush(force: true)
    }

    // MARK: - Secret values

    /// A value with the facts of `key`: `key.size` bytes once decoded (when
    /// the facts fit in that size), a PEM block per type of
    /// `key.pemBlockTypes` in order, the certificates keyreach kept for it at
    /// the first `CERTIFICATE`, ``redactionMarker`` as every other block's
    /// body, padding inside the first redacted block (or at the end).
    public static func syntheticValue(_ key: SecretKey, certificates: String?) -> [UInt8] {
        let full = pemParts(key, certificates: certificates, bare: false)
        var value = assemble(full, size: key.size)
        if value.count > key.size {
            // Too small for whole blocks: the headers alone carry the types.
            value = assemble(pemParts(key, certificates: certificates, bare: true), size: key.size)
        }
        return value
    }

    /// One part per PEM type; `paddable` marks where padding may go.
    private struct Part {
        var head: [UInt8]
        var tail: [UInt8]
        var paddable: Bool
    }

    private static func pemParts(_ key: SecretKey, certificates: String?, bare: Bool) -> [Part] {
        var parts: [Part] = []
        for type in key.pemBlockTypes {
            if type == "CERTIFICATE", let certificates, !certificates.isEmpty {
                parts.append(Part(head: Array(certificates.utf8), tail: [], paddable: false))
                continue
            }
            let begin = Array("-----BEGIN \(type)-----".utf8)
            if bare {
                parts.append(Part(head: begin, tail: [], paddable: false))
                continue
            }
            // A CERTIFICATE keyreach did not keep must not read back as one:
            // ":" is no base64, so the reader drops the block as it did the original.
            let body = type == "CERTIFICATE" ? "\(redactionMarker): not kept\n" : "\(redactionMarker)\n"
            parts.append(Part(head: begin + [0x0A] + Array(body.utf8),
                              tail: Array("-----END \(type)-----\n".utf8), paddable: true))
        }
        return parts
    }

    /// The parts joined, padded to `size` when they are shorter.
    private static func assemble(_ parts: [Part], size: Int) -> [UInt8] {
        let length = parts.reduce(0) { $0 + $1.head.count + $1.tail.count }
        let padding = filler(max(0, size - length))
        guard !parts.isEmpty else { return padding }
        var value: [UInt8] = []
        value.reserveCapacity(max(size, length))
        var padded = false
        for part in parts {
            value += part.head
            if part.paddable && !padded {
                value += padding
                padded = true
            }
            value += part.tail
        }
        if !padded { value += padding }
        return value
    }

    /// `count` bytes of the marker repeated, one per line, ending in a line
    /// break; no PEM header can form in it.
    private static func filler(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        let line = Array("\(redactionMarker)\n".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count + line.count <= count { bytes += line }
        let rest = count - bytes.count
        if rest > 0 { bytes += line.prefix(rest - 1) + [0x0A] }
        return bytes
    }
}
