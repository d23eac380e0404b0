import Crypto
import Foundation
import KubeModel
import RBAC
import Store
import Testing
import X509
import TestSupport
@testable import Exposure

/// Issue 17: every copy of a key. Certificates are made here (keys only in
/// memory): two certificates for one key pair are one key, whatever their
/// subjects and names; replication annotations copy keys the way each
/// controller would; `exposure` per key joins the readers of every copy.
@Suite struct KeyCopiesTests {
    // MARK: Certificates made for the test

    static let caKey = P256.Signing.PrivateKey()
    static let sharedKey = P256.Signing.PrivateKey()

    /// A leaf for `publicKey`, signed by the test CA, with its own serial.
    static func leaf(_ commonName: String, _ publicKey: P256.Signing.PublicKey) throws -> String {
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(publicKey),
            notValidBefore: TestPKI.notBefore, notValidAfter: TestPKI.leafNotAfter,
            issuer: TestPKI.caName, subject: try TestPKI.name(commonName: commonName),
            extensions: try TestPKI.leafExtensions(dns: [commonName], ips: []), issuerPrivateKey: .init(caKey))
        return try certificate.serializeAsPEM().pemString
    }

    static func tls(_ namespace: String, _ name: String, certificate: String? = nil,
                    annotations: [String: String] = [:]) -> Secret {
        Secret(meta: ObjectMeta(name: name, namespace: namespace, annotations: ByteKeyedMap(annotations)), type: "kubernetes.io/tls",
               keys: [SecretKey(name: "tls.crt", size: 600), SecretKey(name: "tls.key", size: 200)],
               certificatesPEM: certificate.map { ByteKeyedMap(["tls.crt": $0]) } ?? [:])
    }

    static func opaque(_ namespace: String, _ name: String, annotations: [String: String]) -> Secret {
        Secret(meta: ObjectMeta(name: name, namespace: namespace, annotations: ByteKeyedMap(annotations)))
    }

    static func namespaces(_ names: [String: [String: String]]) -> [Namespace] {
        names.map { Namespace(meta: ObjectMeta(name: $0.key, labels: ByteKeyedMap($0.value.merging(["kubernetes.io/metadata.name": $0.key]) { a, _ in a }))) }
    }

    static func snapshot(_ secrets: [Secret], namespaces names: [String] = ["shared", "team-a", "team-b", "prod"],
                         labels: [String: [String: String]] = [:]) -> ClusterSnapshot {
        var snapshot = ClusterSnapshot()
        snapshot.secrets = secrets
        snapshot.namespaces = namespaces(Dictionary(uniqueKeysWithValues: names.map { ($0, labels[$0] ?? [:]) }))
        return snapshot
    }

    /// The groups as "listed: copy(via), ..." lines, for groups with copies.
    static func grouped(_ snapshot: ClusterSnapshot) -> [String] {
        let keys = PrivateKeyInventory.classify(snapshot)
        return KeyIdentity.groups(keys).filter { !$0.copies.isEmpty }.map { group in
            let primary = keys[group.primary].secret
            let copies = group.copies.map { "\($0.copy.secret.namespace)/\($0.copy.secret.name)(\($0.copy.via.rawValue))" }
            return "\(primary.namespace)/\(primary.name): " + copies.joined(separator: ", ")
        }
    }

    // MARK: Public key identity

    @Test func theSpkiHashIsWhatOpenSSLPrintsForThePublicKey() {
        // openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum
        let facts = CertificateFacts.parse(pem: OpenSSLFixtures.leafPEM, dataKey: "tls.crt")
        #expect(facts.first?.publicKeySHA256 == "7925a45d4d282c5d017c1838bcc955a62fbb48d6a90146716db581b0ddd8d9d9")
        #expect(facts.first?.publicKeySHA256 != facts.first?.sha256)
    }

    @Test func twoCertificatesOfOneKeyAreOneKeyWhateverTheirNames() throws {
        let snapshot = Self.snapshot([
            Self.tls("team-a", "web-tls", certificate: try Self.leaf("web.example.com", Self.sharedKey.publicKey)),
            Self.tls("team-b", "copy-by-hand", certificate: try Self.leaf("other.example.com", Self.sharedKey.publicKey)),
        ])
        #expect(Self.grouped(snapshot) == ["team-a/web-tls: team-b/copy-by-hand(same public key)"])
    }

    @Test func theKeyIsListedUnderTheSecretAnnotationsCopyFrom() throws {
        let certificate = try Self.leaf("*.example.com", Self.sharedKey.publicKey)
        let snapshot = Self.snapshot([
            Self.tls("a-first", "by-hand", certificate: certificate),  // sorts first, but is only a copy
            Self.tls("shared", "wildcard", certificate: certificate,
                     annotations: [ReplicationAnnotations.replicatorReplicateTo: "team-a"]),
        ], namespaces: ["a-first", "shared", "team-a"])
        #expect(Self.grouped(snapshot) == [
            "shared/wildcard: a-first/by-hand(same public key), team-a/wildcard(replicator annotation)",
        ])
    }

    @Test func sameSubjectDifferentKeysAreTwoKeys() throws {
        let snapshot = Self.snapshot([
            Self.tls("team-a", "web-tls", certificate: try Self.leaf("web.example.com", P256.Signing.PrivateKey().publicKey)),
            Self.tls("team-b", "web-tls", certificate: try Self.leaf("web.example.com", P256.Signing.PrivateKey().publicKey)),
        ])
        #expect(Self.grouped(snapshot).isEmpty)
    }

    @Test func certManagerTwinsAndSameNamesWithoutAnnotationAreTwoKeys() throws {
        var snapshot = Self.snapshot([
            Self.tls("team-a", "web-tls", certificate: try Self.leaf("web.example.com", P256.Signing.PrivateKey().publicKey)),
            Self.tls("team-b", "web-tls", certificate: try Self.leaf("web.example.com", P256.Signing.PrivateKey().publicKey)),
            Self.tls("team-a", "plain"), Self.tls("team-b", "plain"),
        ])
        snapshot.certificates = ["team-a", "team-b", "prod"].map { namespace in
            KubeModel.Certificate(meta: ObjectMeta(name: "web", namespace: namespace), secretName: "web-tls",
                                  issuerRef: IssuerRef(name: "ca", kind: "ClusterIssuer"))
        }
        let keys = PrivateKeyInventory.classify(snapshot)
        #expect(keys.count == 5)  // prod/web-tls: will be created
        #expect(KeyIdentity.groups(keys).allSatisfy { $0.copies.isEmpty })
    }

    @Test func aSharedCACertificateDoesNotGroupTheLeavesItSigned() throws {
        var a = Self.tls("team-a", "a-tls", certificate: try Self.leaf("a.example.com", P256.Signing.PrivateKey().publicKey))
        var b = Self.tls("team-b", "b-tls", certificate: try Self.leaf("b.example.com", P256.Signing.PrivateKey().publicKey))
        a.certificatesPEM["ca.crt"] = TestPKI.ca.pem
        b.certificatesPEM["ca.crt"] = TestPKI.ca.pem
        // And a secret with only the CA's certificate beside some other key.
        let other = Secret(meta: ObjectMeta(name: "client", namespace: "prod"), keys: [SecretKey(name: "client.key", size: 200)],
                           certificatesPEM: ["ca.crt": TestPKI.ca.pem])
        #expect(Self.grouped(Self.snapshot([a, b, other])).isEmpty)
    }

    // MARK: Replication annotations

    @Test func replicatorPushesIntoExistingNamespacesThatMatchAnchoredPatterns() {
        let snapshot = Self.snapshot([
            Self.tls("shared", "wildcard", annotations: [ReplicationAnnotations.replicatorReplicateTo: "team-.*, prod-x"]),
        ], namespaces: ["shared", "team-a", "team-b", "prod", "my-team-c"])
        // "team-.*" is anchored: my-team-c does not match; prod-x does not exist; never onto itself.
        #expect(Self.grouped(snapshot) == [
            "shared/wildcard: team-a/wildcard(replicator annotation), team-b/wildcard(replicator annotation)",
        ])
        let copies = KeyIdentity.groups(PrivateKeyInventory.classify(snapshot))[0].copies
        #expect(copies.allSatisfy { !$0.copy.exists })
    }

    @Test func replicatorToMatchingSelectsNamespacesByLabel() {
        let snapshot = Self.snapshot([
            Self.tls("shared", "wildcard", annotations: [ReplicationAnnotations.replicatorReplicateToMatching: "tls in (wildcard),env!=dev"]),
        ], labels: ["team-a": ["tls": "wildcard"], "team-b": ["tls": "wildcard", "env": "dev"], "prod": ["tls": "other"]])
        #expect(Self.grouped(snapshot) == ["shared/wildcard: team-a/wildcard(replicator annotation)"])
    }

    @Test func replicatorPullNeedsTheSourcesPermission() {
        let allowed = [ReplicationAnnotations.replicatorAllowed: "true",
                       ReplicationAnnotations.replicatorAllowedNamespaces: "team-a"]
        let pull = [ReplicationAnnotations.replicatorReplicateFrom: "shared/wildcard"]
        let snapshot = Self.snapshot([
            Self.tls("shared", "wildcard", annotations: allowed),
            Self.opaque("team-a", "pulled", annotations: pull),
            Self.opaque("team-b", "refused", annotations: pull),  // not an allowed namespace
            Self.opaque("prod", "no-source", annotations: [ReplicationAnnotations.replicatorReplicateFrom: "shared/missing"]),
        ])
        #expect(Self.grouped(snapshot) == ["shared/wildcard: team-a/pulled(replicator annotation)"])
        // The refused pull stays an empty Opaque secret: not a key at all.
        #expect(!PrivateKeyInventory.classify(snapshot).contains { $0.secret.name == "refused" })
    }

    @Test func reflectorMirrorsAndAutoCopiesFollowTheAllowedPatterns() {
        let source = Self.tls("shared", "wildcard", annotations: [
            ReplicationAnnotations.reflectorAllowed: "True",
            ReplicationAnnotations.reflectorAllowedNamespaces: "team-.*,prod",
            ReplicationAnnotations.reflectorAutoEnabled: "true",
            ReplicationAnnotations.reflectorAutoNamespaces: "team-b",
        ])
        let mirror = [ReplicationAnnotations.reflectorReflects: "shared/wildcard"]
        let snapshot = Self.snapshot([
            source,
            Self.opaque("team-a", "mirror", annotations: mirror),
            Self.opaque("other", "mirror", annotations: mirror),  // "other" is not allowed
        ], namespaces: ["shared", "team-a", "team-b", "prod", "other"])
        #expect(Self.grouped(snapshot) == [
            "shared/wildcard: team-a/mirror(reflector annotation), team-b/wildcard(reflector annotation)",
        ])
    }

    @Test func reflectorPatternsMustMatchTheWholeName() {
        let patterns = NamespacePatterns(dotNetList: "team, a|team-a")
        #expect(!patterns.matchesAny("team-b"))
        #expect(patterns.matchesAny("team"))
        // .NET takes the first alternative that matches ("team"), which is shorter than the name: no match.
        #expect(!NamespacePatterns(dotNetList: "team|team-a").matchesAny("team-a"))
        #expect(NamespacePatterns(dotNetList: "team-a|team").matchesAny("team-a"))
        // The replicator anchors with ^…$ and searches, as Go's MatchString does: "^a|b$" finds "a" at the start.
        #expect(NamespacePatterns(goStrictList: "a|b").matchesAny("abc"))
        #expect(!NamespacePatterns(goStrictList: "team").matchesAny("team-a"))
        #expect(!NamespacePatterns(goStrictList: "([").matchesAny("anything"))
        #expect(NamespacePatterns(dotNetList: "").matchesAny("anything"))
    }

    @Test func kubedSyncsEverywhereOrWhereTheSelectorMatches() {
        let everywhere = Self.snapshot([Self.tls("shared", "wildcard", annotations: [ReplicationAnnotations.kubedSync: ""])])
        #expect(Self.grouped(everywhere) == [
            "shared/wildcard: prod/wildcard(kubed annotation), team-a/wildcard(kubed annotation), team-b/wildcard(kubed annotation)",
        ])
        let selected = Self.snapshot([Self.tls("shared", "wildcard", annotations: [ReplicationAnnotations.kubedSync: "app=kubed"])],
                                     labels: ["team-b": ["app": "kubed"]])
        #expect(Self.grouped(selected) == ["shared/wildcard: team-b/wildcard(kubed annotation)"])
    }

    @Test func annotationsOnASecretWithoutKeyCopyNoKey() {
        let snapshot = Self.snapshot([Self.opaque("shared", "settings", annotations: [ReplicationAnnotations.kubedSync: ""])])
        #expect(PrivateKeyInventory.classify(snapshot).isEmpty)
    }

    @Test func aCopyOfACAKeyIsACAKey() throws {
        let source = Secret(meta: ObjectMeta(name: "root-ca", namespace: "shared",
                                             annotations: [ReplicationAnnotations.replicatorReplicateTo: "team-a"]),
                            type: "kubernetes.io/tls", keys: [SecretKey(name: "tls.key", size: 200)],
                            certificatesPEM: ["tls.crt": TestPKI.ca.pem])
        let keys = PrivateKeyInventory.classify(Self.snapshot([source]))
        #expect(keys.map(\.keyKind) == [.certificateAuthority, .certificateAuthority])
    }

    // MARK: exposure per key

    /// shared/wildcard read by one User; copies in team-a (by annotation, where
    /// everyone authenticated can read secrets) and team-b (same certificate).
    static func exposedSnapshot() throws -> ClusterSnapshot {
        let certificate = try leaf("*.example.com", sharedKey.publicKey)
        var snapshot = Self.snapshot([
            Self.tls("shared", "wildcard", certificate: certificate,
                     annotations: [ReplicationAnnotations.replicatorReplicateTo: "team-a"]),
            Self.tls("team-b", "wildcard-copy", certificate: certificate),
        ])
        snapshot.roles = [secretReaderRole("secret-reader", verbs: ["get"])]
        snapshot.bindings = [
            binding("jane-reads", namespace: "shared", role: RoleRef(kind: "ClusterRole", name: "secret-reader"),
                    [Subject(kind: "User", name: "jane")]),
            binding("everyone-reads", namespace: "team-a", role: RoleRef(kind: "ClusterRole", name: "secret-reader"),
                    [Subject(kind: "Group", name: "system:authenticated")]),
            binding("jane-reads-b", namespace: "team-b", role: RoleRef(kind: "ClusterRole", name: "secret-reader"),
                    [Subject(kind: "User", name: "jane")]),
        ]
        return snapshot
    }

    static func byKey(_ snapshot: ClusterSnapshot, namespace: String? = nil) -> [KeyExposure] {
        ExposureAnalysis.analyzeByKey(keys: PrivateKeyInventory.classify(snapshot), snapshot: snapshot,
                                      whoCan: WhoCan(derived: AccessIndexer.compute(snapshot)),
                                      expectedHolders: ExpectedHolders(), namespace: namespace)
    }

    @Test func aKeyWithCopiesShowsOnceWithTheUnionOfItsReaders() throws {
        let snapshot = try Self.exposedSnapshot()
        let perSecret = analyze(snapshot)
        #expect(perSecret.count == 3)
        let keys = Self.byKey(snapshot)
        try #require(keys.count == 1)
        let key = keys[0]
        #expect(key.key.secret.name == "wildcard" && key.key.secret.namespace == "shared")
        #expect(key.copies.map { "\($0.secret.namespace)/\($0.secret.name) \($0.via.rawValue)" }
                == ["team-a/wildcard replicator annotation", "team-b/wildcard-copy same public key"])
        // Jane reads two copies; system:authenticated only the team-a copy.
        let jane = try #require(key.readers.first { $0.identity.name == "jane" })
        #expect(jane.copies.map(\.namespace) == ["shared", "team-b"])
        #expect(jane.via.count == 2)
        let everyone = try #require(key.readers.first { $0.identity.name == "system:authenticated" })
        #expect(everyone.copies.map(\.namespace) == ["team-a"])
        // The worst copy decides.
        #expect(key.severity == perSecret.map(\.severity).max())
        #expect(key.severity > exposure(perSecret, "shared", "wildcard")!.severity)
    }

    /// `exposure --indirect` per key: who can become a reader of any copy, once,
    /// and never someone who reads some copy directly.
    @Test func aKeysIndirectReadersAreTheUnionOverItsCopies() throws {
        var snapshot = try Self.exposedSnapshot()
        snapshot.roles.append(Role(meta: ObjectMeta(name: "pod-creator"),
                                   rules: [PolicyRule(verbs: ["create"], apiGroups: [""], resources: ["pods"])]))
        let creator = RoleRef(kind: "ClusterRole", name: "pod-creator")
        snapshot.bindings += [
            // dev can mount the team-b copy; jane reads copies directly, so her pod rights add nothing.
            binding("dev-pods", namespace: "team-b", role: creator, [Subject(kind: "User", name: "dev")]),
            binding("dev-pods-a", namespace: "team-a", role: creator, [Subject(kind: "User", name: "dev")]),
            binding("jane-pods", namespace: "team-b", role: creator, [Subject(kind: "User", name: "jane")]),
        ]
        let whoCan = WhoCan(derived: AccessIndexer.compute(snapshot))
        let keys = ExposureAnalysis.analyzeByKey(keys: PrivateKeyInventory.classify(snapshot), snapshot: snapshot, whoCan: whoCan,
                                                 expectedHolders: ExpectedHolders(),
                                                 indirect: IndirectPaths(snapshot: snapshot, whoCan: whoCan))
        let key = try #require(keys.first)
        #expect(keys.count == 1 && key.copies.count == 2)
        let indirect = try #require(key.indirect)
        #expect(indirect.map(\.identity.name) == ["dev"])
        #expect(indirect.first?.chain.map(\.step) == [.createPods])
        // Without --indirect the field stays absent.
        #expect(Self.byKey(snapshot).first?.indirect == nil)
    }

    @Test func anAnnotationCopyIntoBroaderReadersIsAFinding() throws {
        let key = try #require(Self.byKey(try Self.exposedSnapshot()).first)
        #expect(key.broaderCopies.count == 1)
        let finding = try #require(key.broaderCopies.first)
        #expect(finding.copy.secret.namespace == "team-a")
        #expect(finding.copy.via == .replicator)
        #expect(finding.newReaders.map(\.name) == ["system:authenticated"])
        #expect(finding.severity == .critical)
    }

    @Test func aNamespaceScopeListsTheWholeKeyOfAnyCopyInIt() throws {
        let snapshot = try Self.exposedSnapshot()
        let inTeamB = Self.byKey(snapshot, namespace: "team-b")
        #expect(inTeamB.count == 1)
        #expect(inTeamB.first?.copies.count == 2)
        #expect(Self.byKey(snapshot, namespace: "prod").isEmpty)
    }

    @Test func keysWithoutCopiesAreUnchanged() throws {
        var snapshot = try Self.exposedSnapshot()
        snapshot.secrets = [Self.tls("shared", "alone", certificate: try Self.leaf("alone.example.com", P256.Signing.PrivateKey().publicKey))]
        let perKey = Self.byKey(snapshot)
        #expect(perKey == analyze(snapshot))
        #expect(perKey.first?.readers.allSatisfy { $0.copies.isEmpty } == true)
    }

    @Test func theStoreKeepsTheKeyIdentityAndThePublicKeyHash() throws {
        let snapshot = try Self.exposedSnapshot()
        let records = ExposureAnalysis.records(snapshot: snapshot, whoCan: WhoCan(derived: AccessIndexer.compute(snapshot)))
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: snapshot, source: "test")
        try store.savePrivateKeys(records, snapshot: "default")
        let loaded = try #require(try store.loadPrivateKeys(snapshot: "default"))
        #expect(loaded.map { "\($0.namespace)/\($0.name) \($0.keyID) \($0.copyVia ?? "-")" } == [
            "shared/wildcard shared/wildcard -",
            "team-a/wildcard shared/wildcard replicator annotation",
            "team-b/wildcard-copy shared/wildcard same public key",
        ])
        let hashes = Set(loaded.compactMap { $0.certificates.first?.publicKeySHA256 })
        #expect(hashes.count == 1 && hashes.first?.count == 64)
    }
}
