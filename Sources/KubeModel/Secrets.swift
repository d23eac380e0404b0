/// A Secret, without its values. What stays: type, metadata, data key names
/// and value sizes, the PEM block types found in each value (so the
/// classifier can see a PRIVATE KEY without keeping it), and the public
/// certificates of `tls.crt` / `ca.crt` (CERTIFICATE blocks only).
public struct Secret: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    /// `type`, `"Opaque"` when absent, as the API server defaults it.
    public var type: String
    public var keys: [SecretKey]
    /// PEM text holding only `-----BEGIN CERTIFICATE-----` blocks, by data key
    /// (`tls.crt`, `ca.crt`). Certificates are public; nothing else is kept.
    /// Keyed by bytes, as the API server keys `data`.
    public var certificatesPEM: ByteKeyedMap

    public init(meta: ObjectMeta, type: String = "Opaque", keys: [SecretKey] = [], certificatesPEM: ByteKeyedMap = [:]) {
        self.meta = meta
        self.type = type
        self.keys = keys
        self.certificatesPEM = certificatesPEM
    }
}

/// One key of a secret's `data` or `stringData`: its name, the decoded value's
/// size in bytes and the PEM block types it contains (e.g. `RSA PRIVATE KEY`).
public struct SecretKey: Sendable, Hashable, Codable {
    public var name: String
    public var size: Int
    public var pemBlockTypes: [String]

    public init(name: String, size: Int, pemBlockTypes: [String] = []) {
        self.name = name
        self.size = size
        self.pemBlockTypes = pemBlockTypes
    }
}
