import GRDB
import KubeModel

/// Writes and reads the private-key inventory of one snapshot
/// (`private_key_meta`, `private_key`, `private_key_reason`,
/// `private_key_certificate`), inside the caller's transaction.
struct PrivateKeyTables {
    let db: Database
    let snapshotID: Int64

    /// Removes what an earlier run stored for this snapshot, children first.
    func delete() throws {
        for child in ["private_key_reason", "private_key_certificate"] {
            try db.execute(sql: """
                DELETE FROM \(child) WHERE private_key_id IN (SELECT id FROM private_key WHERE snapshot_id = ?)
                """, arguments: [snapshotID])
        }
        try db.execute(sql: "DELETE FROM private_key WHERE snapshot_id = ?", arguments: [snapshotID])
        try db.execute(sql: "DELETE FROM private_key_meta WHERE snapshot_id = ?", arguments: [snapshotID])
    }

    func write(_ keys: [PrivateKeyRecord], computedAt: String) throws {
        try db.execute(sql: "INSERT INTO private_key_meta (snapshot_id, inventory_version, computed_at) VALUES (?, ?, ?)",
                       arguments: [snapshotID, PrivateKeyRecord.currentInventoryVersion, computedAt])
        var insertKey = try RowInserter(db, table: "private_key", columns: [
            "id", "snapshot_id", "namespace", "name", "secret_exists", "type", "key_kind",
            "severity", "severity_rank", "unexpected_readers", "expected_readers", "key_id", "copy_via"])
        var insertReason = try RowInserter(db, table: "private_key_reason", columns: ["private_key_id", "idx", "code", "reason"])
        var insertCertificate = try RowInserter(db, table: "private_key_certificate", columns: [
            "private_key_id", "idx", "data_key", "bundle_index", "subject", "common_name", "issuer", "dns_names",
            "ip_addresses", "not_before", "not_after", "is_ca", "sha256", "parse_error", "public_key_sha256"])
        var ids = try IDAllocator(db, table: "private_key")
        for key in keys {
            let id = ids.next()
            insertKey.bind(id); insertKey.bind(snapshotID)
            insertKey.bind(key.namespace); insertKey.bind(key.name); insertKey.bind(key.exists); insertKey.bind(key.type)
            insertKey.bind(key.keyKind); insertKey.bind(key.severity); insertKey.bind(key.severityRank)
            insertKey.bind(key.unexpectedReaders); insertKey.bind(key.expectedReaders)
            insertKey.bind(key.keyID); insertKey.bind(key.copyVia)
            try insertKey.insert()
            for (index, reason) in key.reasons.enumerated() {
                insertReason.bind(id); insertReason.bind(index); insertReason.bind(reason.code); insertReason.bind(reason.text)
                try insertReason.insert()
            }
            for (index, certificate) in key.certificates.enumerated() {
                insertCertificate.bind(id); insertCertificate.bind(index)
                insertCertificate.bind(certificate.dataKey); insertCertificate.bind(certificate.index)
                insertCertificate.bind(certificate.subject); insertCertificate.bind(certificate.commonName)
                insertCertificate.bind(certificate.issuer)
                insertCertificate.bindJSON(certificate.dnsNames); insertCertificate.bindJSON(certificate.ipAddresses)
                insertCertificate.bind(certificate.notBefore); insertCertificate.bind(certificate.notAfter)
                insertCertificate.bind(certificate.isCA); insertCertificate.bind(certificate.sha256)
                insertCertificate.bind(certificate.parseError); insertCertificate.bind(certificate.publicKeySHA256)
                try insertCertificate.insert()
            }
        }
        try insertKey.finish()
        try insertReason.finish()
        try insertCertificate.finish()
    }

    /// The inventory version stored for this snapshot, nil when none is.
    func version() throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT inventory_version FROM private_key_meta WHERE snapshot_id = ?", arguments: [snapshotID])
    }

    /// The stored inventory, sorted by namespace and name; nil when none is
    /// stored or an older keyreach computed it.
    func read() throws -> [PrivateKeyRecord]? {
        guard try version() == PrivateKeyRecord.currentInventoryVersion else { return nil }
        var reasons: [Int64: [PrivateKeyRecord.Reason]] = [:]
        let reason = try RowReader(db, sql: """
            SELECT r.private_key_id, r.code, r.reason FROM private_key_reason r JOIN private_key k ON k.id = r.private_key_id
            WHERE k.snapshot_id = ? ORDER BY r.private_key_id, r.idx
            """, snapshotID: snapshotID)
        while try reason.next() {
            reasons[reason.int64(0), default: []].append(PrivateKeyRecord.Reason(code: reason.text(1), text: reason.text(2)))
        }
        var certificates: [Int64: [PrivateKeyRecord.Certificate]] = [:]
        let certificate = try RowReader(db, sql: """
            SELECT c.private_key_id, c.data_key, c.bundle_index, c.subject, c.common_name, c.issuer, c.dns_names,
                   c.ip_addresses, c.not_before, c.not_after, c.is_ca, c.sha256, c.parse_error, c.public_key_sha256
            FROM private_key_certificate c JOIN private_key k ON k.id = c.private_key_id
            WHERE k.snapshot_id = ? ORDER BY c.private_key_id, c.idx
            """, snapshotID: snapshotID)
        while try certificate.next() {
            let row = certificate
            certificates[row.int64(0), default: []].append(PrivateKeyRecord.Certificate(
                dataKey: row.text(1), index: row.int(2), subject: row.text(3), commonName: row.text(4), issuer: row.text(5),
                dnsNames: try JSONText.parseArray(row.text(6)), ipAddresses: try JSONText.parseArray(row.text(7)),
                notBefore: row.text(8), notAfter: row.text(9), isCA: row.bool(10), sha256: row.text(11),
                publicKeySHA256: row.text(13), parseError: row.optionalText(12)))
        }
        let key = try RowReader(db, sql: """
            SELECT id, namespace, name, secret_exists, type, key_kind, severity, severity_rank, unexpected_readers, expected_readers,
                   key_id, copy_via
            FROM private_key WHERE snapshot_id = ? ORDER BY namespace, name
            """, snapshotID: snapshotID)
        var keys: [PrivateKeyRecord] = []
        while try key.next() {
            let id = key.int64(0)
            var record = PrivateKeyRecord(
                namespace: key.text(1), name: key.text(2), exists: key.bool(3), type: key.optionalText(4),
                keyKind: key.text(5), reasons: reasons[id] ?? [], certificates: certificates[id] ?? [],
                severity: key.text(6), severityRank: key.int(7), unexpectedReaders: key.int(8), expectedReaders: key.int(9))
            record.keyID = key.text(10)
            record.copyVia = key.optionalText(11)
            keys.append(record)
        }
        return keys
    }
}
