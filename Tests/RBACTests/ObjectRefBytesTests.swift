import KubeModel
import Testing

// An ObjectRef names an object as the API server keys it: kind, namespace and
// name as bytes. Twin spellings (KELVIN SIGN, NFC/NFD) are two objects, in
// `==`, in a Set and as dictionary keys, and they sort by bytes.

@Suite("ObjectRef compares as bytes")
struct ObjectRefBytesTests {
    static let twins = [
        ObjectRef(kind: "Secret", namespace: "Kube-a", name: "tls"), ObjectRef(kind: "Secret", namespace: "\u{212A}ube-a", name: "tls"),
        ObjectRef(kind: "Secret", namespace: "shop", name: "caf\u{E9}"), ObjectRef(kind: "Secret", namespace: "shop", name: "cafe\u{301}"),
    ]

    @Test func twinsAreTwoObjects() {
        #expect(Self.twins[0] != Self.twins[1])
        #expect(Self.twins[2] != Self.twins[3])
        #expect(Set(Self.twins).count == 4)
        var byRef: [ObjectRef: Int] = [:]
        for (index, ref) in Self.twins.enumerated() { byRef[ref] = index }
        #expect(byRef.count == 4)
        #expect(byRef[ObjectRef(kind: "Secret", namespace: "shop", name: "cafe\u{301}")] == 3)
    }

    @Test func theSameBytesAreOneObject() {
        let copies = Self.twins.map { ObjectRef(kind: String($0.kind), namespace: String($0.namespace), name: String($0.name)) }
        #expect(copies == Self.twins)
        #expect(Set(Self.twins + copies).count == 4)
    }

    @Test func equalityAgreesWithTheByteOrder() {
        for a in Self.twins {
            for b in Self.twins {
                #expect((a == b) == (!(a < b) && !(b < a)))
            }
        }
    }
}
