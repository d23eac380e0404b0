import Foundation
import Testing

/// An import is one transaction: killed halfway, the database still holds
/// exactly the snapshot it held before.
@Suite struct KilledImportTests {
    /// The generator beside the keyreach binary.
    static let generator = CLI.binary.deletingLastPathComponent().appendingPathComponent("keyreach-gen")

    @Test func aKilledImportLeavesThePreviousSnapshotIntact() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("k.db").path
        let big = dir.appendingPathComponent("big.json").path
        try CLI.run(["import", CLI.fixture("demo/cluster.yaml"), "--db", db])
        let before = try CLI.run(["who-can", "get", "secrets", "-A", "--per-secret", "--db", db, "-o", "json"]).stdout
        #expect(before.contains("app-tls"))

        let gen = Process()
        gen.executableURL = Self.generator
        gen.arguments = ["--namespaces", "200", "--seed", "7", "--format", "json", "--output", big, "-q"]
        try gen.run()
        gen.waitUntilExit()
        try #require(gen.terminationStatus == 0)

        // Kill the import once it has started writing the new snapshot
        // (the WAL grows), before it can commit.
        let walPath = db + "-wal"
        let walBefore = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
        let importer = Process()
        importer.executableURL = CLI.binary
        importer.arguments = ["import", big, "--db", db]
        importer.standardOutput = FileHandle.nullDevice
        importer.standardError = FileHandle.nullDevice
        try importer.run()
        var killedWhileWriting = false
        let deadline = Date().addingTimeInterval(60)
        while importer.isRunning, Date() < deadline {
            let wal = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
            if wal > walBefore + 64 * 1024 {
                kill(importer.processIdentifier, SIGKILL)
                killedWhileWriting = true
                break
            }
            usleep(2_000)
        }
        importer.waitUntilExit()
        try #require(killedWhileWriting, "the import finished before it could be killed; make the dump bigger")
        #expect(importer.terminationReason == .uncaughtSignal)

        let after = try CLI.run(["who-can", "get", "secrets", "-A", "--per-secret", "--db", db, "-o", "json"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout == before)
    }
}
