import KubeModel
import Testing

// A KnownIdentity is equal to another, and hashes alike, only when every
// field has the same bytes: the who-can query keys its rows by identity, and
// twin ServiceAccounts (KELVIN SIGN, NFC/NFD) are two identities to the API server.

@Suite("KnownIdentity compares as bytes")
struct KnownIdentityBytesTests {
    static func account(_ namespace: String, _ name: String) -> KnownIdentity {
        KnownIdentity(kind: "ServiceAccount", namespace: namespace, name: name,
                      username: "system:serviceaccount:\(namespace):\(name)",
                      groups: WellKnown.serviceAccountGroups(namespace: namespace))
    }

    @Test("twin namespaces and names are two identities; the same bytes are one")
    func twinsAreTwo() {
        let twins = [Self.account("Kube-a", "sa"), Self.account("\u{212A}ube-a", "sa"),
                     Self.account("shop", "caf\u{E9}"), Self.account("shop", "cafe\u{301}")]
        #expect(Set(twins).count == 4)
        #expect(Set(twins + twins.map { Self.account($0.namespace, $0.name) }).count == 4)
        var paths: [KnownIdentity: Int] = [:]
        for identity in twins { paths[identity, default: 0] += 1 }
        #expect(paths.values.allSatisfy { $0 == 1 })
    }

    @Test("a twin group makes another identity")
    func twinGroups() {
        let nfc = KnownIdentity(kind: "User", name: "jane", username: "jane", groups: ["caf\u{E9}"])
        let nfd = KnownIdentity(kind: "User", name: "jane", username: "jane", groups: ["cafe\u{301}"])
        #expect(nfc != nfd)
        #expect(nfc == KnownIdentity(kind: "User", name: "jane", username: "jane", groups: ["caf\u{E9}"]))
    }
}
