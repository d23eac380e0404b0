import KubeModel
import Store
import Testing
@testable import Exposure

@Suite("Severity a person would agree with")
struct SeverityTests {
    @Test("severities are ordered info < low < medium < high < critical")
    func ordering() {
        #expect(Severity.allCases.sorted() == [.info, .low, .medium, .high, .critical])
        #expect(Severity.critical > .high && Severity.low < .medium)
    }

    @Test("reader breadth: who stands behind a reader")
    func breadth() {
        func breadth(_ reader: KnownIdentity, workloads: Bool = false, clusterWide: Bool = false) -> ReaderBreadth {
            ReaderBreadth.of(UnexpectedReader(reader: reader, hasWorkloads: workloads, clusterWide: clusterWide))
        }
        #expect(breadth(.group("system:authenticated")) == .everyone)
        #expect(breadth(.group("system:unauthenticated")) == .everyone)
        #expect(breadth(.group("system:serviceaccounts")) == .everyone)
        #expect(breadth(.user("system:anonymous", groups: ["system:unauthenticated"])) == .everyone)
        #expect(breadth(.group("system:serviceaccounts:production")) == .wholeGroupOfWorkloads)
        #expect(breadth(.group("system:nodes")) == .wholeGroupOfWorkloads)
        #expect(breadth(.serviceAccount(namespace: "production", name: "default")) == .defaultServiceAccount)
        #expect(breadth(.serviceAccount(namespace: "production", name: "web"), workloads: true) == .serviceAccountWithWorkloads)
        #expect(breadth(.serviceAccount(namespace: "production", name: "web")) == .narrow)
        #expect(breadth(.serviceAccount(namespace: "monitoring", name: "kube-state-metrics"), clusterWide: true) == .clusterWide)
        #expect(breadth(.user("alice")) == .narrow)
        #expect(breadth(.user("alice"), clusterWide: true) == .clusterWide)
        // a ServiceAccount carries system:authenticated, but its own read is not everyone's
        #expect(breadth(.serviceAccount(namespace: "a", name: "b")) != .everyone)
    }

    @Test("the documented table, cell by cell")
    func table() {
        let expected: [ReaderBreadth: [KeyKind: Severity]] = [
            .everyone: [.meshCA: .critical, .certificateAuthority: .critical, .leaf: .critical, .acmeAccount: .critical],
            .wholeGroupOfWorkloads: [.meshCA: .critical, .certificateAuthority: .critical, .leaf: .high, .acmeAccount: .medium],
            .defaultServiceAccount: [.meshCA: .critical, .certificateAuthority: .critical, .leaf: .high, .acmeAccount: .medium],
            .serviceAccountWithWorkloads: [.meshCA: .critical, .certificateAuthority: .critical, .leaf: .high, .acmeAccount: .medium],
            .clusterWide: [.meshCA: .critical, .certificateAuthority: .critical, .leaf: .high, .acmeAccount: .medium],
            .narrow: [.meshCA: .critical, .certificateAuthority: .critical, .leaf: .medium, .acmeAccount: .low],
        ]
        for breadth in ReaderBreadth.allCases {
            for kind in KeyKind.allCases {
                #expect(Severity.of(keyKind: kind, breadth: breadth) == expected[breadth]?[kind], "\(breadth) × \(kind)")
            }
        }
    }

    @Test("a key is as bad as its worst unexpected reader; none at all is info")
    func worstReader() {
        let narrow = UnexpectedReader(reader: .user("alice"))
        let defaultSA = UnexpectedReader(reader: .serviceAccount(namespace: "production", name: "default"))
        let everyone = UnexpectedReader(reader: .group("system:authenticated"))
        #expect(Severity.of(keyKind: .leaf, unexpectedReaders: []) == .info)
        #expect(Severity.of(keyKind: .certificateAuthority, unexpectedReaders: []) == .info)
        #expect(Severity.of(keyKind: .leaf, unexpectedReaders: [narrow]) == .medium)
        #expect(Severity.of(keyKind: .leaf, unexpectedReaders: [narrow, defaultSA]) == .high)
        #expect(Severity.of(keyKind: .leaf, unexpectedReaders: [narrow, everyone, defaultSA]) == .critical)
        #expect(Severity.of(keyKind: .certificateAuthority, unexpectedReaders: [narrow]) == .critical)
        #expect(Severity.of(keyKind: .acmeAccount, unexpectedReaders: [narrow]) == .low)
    }

    @Test("severity encodes as its lowercase name, as the JSON contract shows")
    func encoding() {
        #expect(Severity.high.rawValue == "high")
        #expect(Severity(rawValue: "critical") == .critical)
    }
}
