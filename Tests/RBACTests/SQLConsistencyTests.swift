import KubeModel
import Queries
import Store
import TestSupport
import Testing
@testable import RBAC

/// The query layer answers who-can from SQL (`queries/who-can-secret.sql`
/// over the stored derived tables); it must give exactly the in-memory
/// engine's answer, subjects and paths alike.
@Test("who-can from SQL equals who-can in memory on random snapshots")
func sqlWhoCanEqualsInMemoryWhoCan() throws {
    var maker = RandomSnapshotMaker(random: SeededGenerator(seed: 4242))
    for round in 0..<25 {
        let snapshot = maker.make()
        let derived = AccessIndexer.compute(snapshot)
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: snapshot, source: "random \(round)")
        try store.saveDerived(derived, snapshot: "default")
        let whoCan = WhoCan(derived: derived)
        for verb in SecretReadVerb.allCases {
            for namespace in maker.namespaces {
                for name in maker.secretNames + ["absent"] {
                    let fromSQL = try WhoCanQuery.subjects(in: store, snapshot: "default", verb: verb,
                                                           namespace: namespace, secretName: name)
                    let inMemory = whoCan.subjects(verb: verb, namespace: namespace, secretName: name)
                    #expect(fromSQL == inMemory, "round \(round): \(verb) \(namespace)/\(name)")
                    if fromSQL != inMemory { return }
                }
            }
        }
    }
}
