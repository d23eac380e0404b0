import Foundation
import KubeModel
import Testing
@testable import Store

/// A JSON column that is not JSON (a database edited by hand or written by
/// another program) is a corrupt database: a thrown error saying so, never a
/// trap (issue 9: `"\ud800\u0041"` used to crash the reader with exit 132).
@Suite struct CorruptColumnTests {
    @Test(arguments: [#"["\ud800\u0041"]"#, #"["\udc00"]"#, #"["\q"]"#, #"[1-2]"#, #"["a",]"#, "[", #"{"a": 1}"#])
    func aMalformedColumnThrowsACorruptDatabaseError(text: String) {
        #expect {
            _ = try JSONText.parseArray(text)
        } throws: { error in
            String(describing: error).hasPrefix("corrupt database: ")
        }
    }

    @Test func loadingASnapshotWithACorruptColumnThrows() throws {
        let store = try SnapshotStore.inMemory()
        var snapshot = ClusterSnapshot()
        snapshot.roles.append(Role(meta: ObjectMeta(name: "r", namespace: "n"), rules: [
            PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"]),
        ]))
        try store.replaceSnapshot(named: "s", with: snapshot, source: "test")
        try store.dbQueue.write { db in try db.execute(sql: #"UPDATE rule SET verbs = '["\ud800\u0041"]'"#) }
        #expect {
            _ = try store.loadSnapshot(named: "s")
        } throws: { error in
            String(describing: error).contains("corrupt database")
        }
    }
}
