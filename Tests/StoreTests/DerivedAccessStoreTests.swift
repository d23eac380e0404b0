import KubeModel
@testable import Store
import Testing

@Suite struct DerivedAccessStoreTests {
    func storeWithRichSnapshot() throws -> SnapshotStore {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "rich.yaml")
        return store
    }

    @Test func derivedAccessRoundTrips() throws {
        let store = try storeWithRichSnapshot()
        try store.saveDerived(Fixtures.richDerived(), snapshot: "default")
        #expect(try store.loadDerived(snapshot: "default") == Fixtures.richDerived())
        #expect(try store.snapshots().first?.derivedEngineVersion == DerivedAccess.currentEngineVersion)
    }

    @Test func savingAgainReplacesTheDerivedTables() throws {
        let store = try storeWithRichSnapshot()
        try store.saveDerived(Fixtures.richDerived(), snapshot: "default")
        var smaller = Fixtures.richDerived()
        smaller.grants.removeLast(3)
        smaller.identities.removeFirst()
        try store.saveDerived(smaller, snapshot: "default")
        #expect(try store.loadDerived(snapshot: "default") == smaller)
        let principals = try store.query(sql: "SELECT count(*) FROM identity_principal", arguments: [:])
        #expect(principals.rows == [[String(smaller.identities.map(\.principals.count).reduce(0, +))]])
    }

    @Test func anotherEngineVersionLoadsAsNil() throws {
        let store = try storeWithRichSnapshot()
        try store.saveDerived(Fixtures.richDerived(engineVersion: DerivedAccess.currentEngineVersion + 1), snapshot: "default")
        #expect(try store.loadDerived(snapshot: "default") == nil)
        try store.saveDerived(Fixtures.richDerived(engineVersion: DerivedAccess.currentEngineVersion - 1), snapshot: "default")
        #expect(try store.loadDerived(snapshot: "default") == nil)
    }

    @Test func derivedAccessBelongsToItsSnapshot() throws {
        let store = try storeWithRichSnapshot()
        try store.replaceSnapshot(named: "other", with: Fixtures.rich(), source: "")
        try store.saveDerived(Fixtures.richDerived(), snapshot: "default")
        #expect(try store.loadDerived(snapshot: "other") == nil)
        try store.saveDerived(DerivedAccess(), snapshot: "other")
        #expect(try store.loadDerived(snapshot: "other") == DerivedAccess())
        #expect(try store.loadDerived(snapshot: "default") == Fixtures.richDerived())
    }

    @Test func savingForAMissingSnapshotFails() throws {
        let store = try storeWithRichSnapshot()
        #expect(throws: StoreError.noSuchSnapshot("nope")) { try store.saveDerived(DerivedAccess(), snapshot: "nope") }
    }

    @Test func principalsAreStoredAsUserAndGroupKeys() throws {
        let store = try storeWithRichSnapshot()
        try store.saveDerived(Fixtures.richDerived(), snapshot: "default")
        let result = try store.query(sql: """
            SELECT p.principal FROM identity i JOIN identity_principal p ON p.identity_id = i.id
            WHERE i.kind = 'ServiceAccount' ORDER BY p.principal
            """, arguments: [:])
        #expect(result.rows == [["group:system:authenticated"], ["group:system:serviceaccounts"],
                                ["group:system:serviceaccounts:production"],
                                ["user:system:serviceaccount:production:default"]])
        #expect(try DerivedTables.principal("group:a:b") == .group("a:b"))
        #expect(throws: StoreError.self) { try DerivedTables.principal("robot:x") }
    }
}

@Suite struct JSONTextTests {
    @Test(arguments: [
        [:],
        ["a": "b"],
        ["quote\"key": "back\\slash", "ctl": "\u{00}\u{1F}\n\r\t\u{08}\u{0C}", "uni": "ünï 🔑 中文", "": ""],
    ] as [[String: String]])
    func mapsRoundTrip(map: [String: String]) throws {
        #expect(try JSONText.parseObject(JSONText.object(map)) == map)
    }

    @Test func writtenTextIsSortedPlainJSON() {
        #expect(JSONText.object(["b": "2", "a": "1"]) == #"{"a":"1","b":"2"}"#)
        #expect(JSONText.array(["x\"y", "\u{01}"]) == #"["x\"y","\u0001"]"#)
    }

    @Test func readsEscapesOtherWritersUse() throws {
        #expect(try JSONText.parseArray(#" [ "\u00e9\/", "\ud83d\udd11" ] "#) == ["é/", "🔑"])
    }

    @Test func malformedTextIsAnError() {
        for text in [#"{"a":}"#, #"["a""#, #"{"a":1}"#, "[1] x", #"["\q"]"#] {
            #expect(throws: (any Error).self, "\(text)") { try JSONText.parseArray(text) + Array(try JSONText.parseObject(text).keys) }
        }
    }
}
