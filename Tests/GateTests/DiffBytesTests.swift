import Exposure
@testable import Gate
import KubeModel
import Testing

/// `diff` tells readers apart as the API server does, by bytes: "café" with a
/// precomposed é and "café" with a combining accent are two users.
@Suite struct DiffBytesTests {
    private func reader(_ name: String) -> KeyReader {
        KeyReader(identity: KnownIdentity(kind: "User", name: name, username: name, groups: []),
                  verbs: [.get], via: [], verbsByPath: [])
    }

    @Test func canonicallyEqualNamesAreTwoReaders() {
        let precomposed = "caf\u{E9}", combining = "cafe\u{301}"
        #expect(precomposed == combining)  // Swift's String equality, which the API server does not use
        let missing = ExposureDiff.missing([reader(combining)], from: [reader(precomposed)])
        #expect(missing.map(\.identity.name) == [combining])
        #expect(ExposureDiff.missing([reader(precomposed)], from: [reader(precomposed)]).isEmpty)
    }
}
