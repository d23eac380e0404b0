import Testing
@testable import Store

/// A shipped migration never changes (GRDB's advice): a database migrated by
/// an older keyreach must have exactly the schema a new one would create.
/// Each migration's SQL is pinned by its FNV-1a hash; a schema change is a
/// new named migration, never an edit of these.
@Suite struct FrozenMigrationTests {
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    @Test(arguments: [
        ("v1-snapshot", Schema.snapshotTables, UInt64(16604204235710330902)),
        ("v2-derived-access", Schema.derivedTables, UInt64(13237479713877667838)),
        ("v3-private-keys", Schema.privateKeyTables, UInt64(6658905158539531353)),
        ("v4-tls-kinds", Schema.tlsKindsMigration, UInt64(13588124545540431974)),
        ("v5-indirect-chains", Schema.indirectChainsMigration, UInt64(15007671452157890105)),
        ("v6-key-identity", Schema.keyIdentityMigration, UInt64(5086715255181789508)),
    ])
    func migrationIsUnchanged(name: String, sql: String, expected: UInt64) {
        #expect(Self.fnv1a(sql) == expected, "\(name) changed: add a new migration instead")
    }
}
