/// One private-key secret as the store keeps it at import: why it is a key,
/// the certificates it backs, and the severity `keyreach exposure` gives it
/// with the default expected holders. Exposure computes it (its
/// `PrivateKeyInventory` is the one list of reasons), Store persists it in
/// `private_key`, `private_key_reason` and `private_key_certificate`, and
/// SQL reads it: a query never re-derives why a secret holds a key.
///
/// ```swift
/// let records = PrivateKeyInventory.classify(snapshot).map(\.record)   // in Exposure
/// try store.savePrivateKeys(records, snapshot: "default")
/// ```
public struct PrivateKeyRecord: Sendable, Hashable, Codable {
    /// Bumped whenever the inventory or the severity table changes, so stored
    /// rows computed by an older keyreach are recomputed, never trusted.
    public static let currentInventoryVersion = 2

    public var namespace: String
    public var name: String
    /// False for a name something refers to (a Certificate's `spec.secretName`) with no secret in the dump.
    public var exists: Bool
    /// The secret's `type`, `nil` when it does not exist.
    public var type: String?
    /// `meshCA`, `certificateAuthority`, `acmeAccount` or `leaf`.
    public var keyKind: String
    public var reasons: [Reason]
    /// `tls.crt` first, leaf first.
    public var certificates: [Certificate]
    /// The worst unexpected reader's severity (`info`, `low`, `medium`, `high`, `critical`), default expected holders.
    public var severity: String
    /// The severity's rank, 0 for `info` to 4 for `critical`: what SQL sorts and takes the max of.
    public var severityRank: Int
    /// How many identities can read it that are not expected holders.
    public var unexpectedReaders: Int
    /// How many expected holders can read it.
    public var expectedReaders: Int
    /// The key this secret holds, the same for every copy of it: `namespace/name`
    /// of the copy `exposure` lists it under (issue 17's key identity).
    public var keyID: String = ""
    /// How this secret came to hold that key when it is a copy (`same public key`,
    /// `replicator annotation`, ...); `nil` for the copy the key is listed under.
    public var copyVia: String?

    /// One reason: a stable code (`type`, `dataKey`, `issuerCA`, ...) and the sentence `exposure` prints.
    public struct Reason: Sendable, Hashable, Codable {
        public var code: String
        public var text: String

        public init(code: String, text: String) {
            self.code = code
            self.text = text
        }
    }

    /// A public certificate kept at import, as `exposure -o json` prints it.
    public struct Certificate: Sendable, Hashable, Codable {
        public var dataKey: String
        public var index: Int
        public var subject: String
        public var commonName: String
        public var issuer: String
        public var dnsNames: [String]
        public var ipAddresses: [String]
        /// ISO 8601 UTC, `""` when the certificate could not be parsed.
        public var notBefore: String
        public var notAfter: String
        public var isCA: Bool
        public var sha256: String
        /// SHA-256 of the DER SubjectPublicKeyInfo: the same value means the same key pair (`""` unparsed).
        public var publicKeySHA256: String
        public var parseError: String?

        public init(dataKey: String, index: Int, subject: String, commonName: String, issuer: String,
                    dnsNames: [String], ipAddresses: [String], notBefore: String, notAfter: String,
                    isCA: Bool, sha256: String, publicKeySHA256: String = "", parseError: String?) {
            self.dataKey = dataKey
            self.index = index
            self.subject = subject
            self.commonName = commonName
            self.issuer = issuer
            self.dnsNames = dnsNames
            self.ipAddresses = ipAddresses
            self.notBefore = notBefore
            self.notAfter = notAfter
            self.isCA = isCA
            self.sha256 = sha256
            self.publicKeySHA256 = publicKeySHA256
            self.parseError = parseError
        }
    }

    public init(namespace: String, name: String, exists: Bool, type: String?, keyKind: String,
                reasons: [Reason], certificates: [Certificate] = [], severity: String = "info",
                severityRank: Int = 0, unexpectedReaders: Int = 0, expectedReaders: Int = 0) {
        self.namespace = namespace
        self.name = name
        self.exists = exists
        self.type = type
        self.keyKind = keyKind
        self.reasons = reasons
        self.certificates = certificates
        self.severity = severity
        self.severityRank = severityRank
        self.unexpectedReaders = unexpectedReaders
        self.expectedReaders = expectedReaders
    }
}
