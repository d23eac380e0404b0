import Foundation
import Store
import Testing

/// An import killed at any moment leaves the database sound and holding
/// exactly one snapshot, the previous or the new one; readers running during
/// an import see one of the two, whole, and never "database is locked".
@Suite(.serialized) struct CrashSafetyTests {
    static let generator = CLI.binary.deletingLastPathComponent().appendingPathComponent("keyreach-gen")

    /// A generated dump of `namespaces` namespaces in `dir`.
    static func generatedDump(namespaces: Int, seed: Int, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("gen-\(namespaces).json").path
        let gen = Process()
        gen.executableURL = generator
        gen.arguments = ["--namespaces", "\(namespaces)", "--seed", "\(seed)", "--format", "json", "--output", path, "-q"]
        try gen.run()
        gen.waitUntilExit()
        try #require(gen.terminationStatus == 0)
        return path
    }

    /// The whole answers a script would read, each from one process: who-can for
    /// every secret, and the keys.
    static func answers(_ db: String) throws -> [String] {
        let whoCan = try CLI.run(["who-can", "get", "secrets", "-A", "--per-secret", "--db", db, "-o", "json"])
        let exposure = try CLI.run(["exposure", "--db", db, "-o", "json"])
        #expect(whoCan.status == 0, "\(whoCan.stderr)")
        #expect(exposure.status == 0, "\(exposure.stderr)")
        #expect(!whoCan.stderr.contains("locked") && !exposure.stderr.contains("locked"))
        return [whoCan.stdout, exposure.stdout]
    }

    @Test("50 imports killed at random moments: the database passes integrity_check and holds the old or the new snapshot")
    func killedAtRandomMoments() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = try Self.generatedDump(namespaces: 100, seed: 11, in: dir)
        let oldDB = dir.appendingPathComponent("old.db").path
        let newDB = dir.appendingPathComponent("new.db").path
        try CLI.run(["import", CLI.fixture("demo/cluster.yaml"), "--db", oldDB])
        let started = Date()
        try CLI.run(["import", big, "--db", newDB])
        // How long a whole import takes now: kills are drawn within it, and it is
        // measured again whenever an import finishes before its kill (a loaded machine).
        var importSeconds = Date().timeIntervalSince(started)
        let old = try Self.answers(oldDB)
        let new = try Self.answers(newDB)
        #expect(old != new)

        var random = SystemRandomNumberGenerator()
        var killed = 0
        var iterations = 0
        while killed < 50, iterations < 200 {
            iterations += 1
            let db = dir.appendingPathComponent("k\(iterations).db").path
            try FileManager.default.copyItem(atPath: oldDB, toPath: db)
            let importer = Process()
            importer.executableURL = CLI.binary
            importer.arguments = ["import", big, "--db", db]
            importer.standardOutput = FileHandle.nullDevice
            importer.standardError = FileHandle.nullDevice
            let launched = Date()
            try importer.run()
            usleep(useconds_t(Double.random(in: 0.0...0.95, using: &random) * importSeconds * 1_000_000))
            if importer.isRunning {
                kill(importer.processIdentifier, SIGKILL)
                killed += 1
            }
            importer.waitUntilExit()
            if importer.terminationReason == .exit { importSeconds = Date().timeIntervalSince(launched) }
            let store = try SnapshotStore(path: db)
            #expect(try store.integrityCheck() == ["ok"], "iteration \(iterations)")
            #expect(try store.snapshots().map(\.name) == ["default"], "iteration \(iterations)")
            let now = try Self.answers(db)
            #expect(now == old || now == new, "iteration \(iterations): neither the old nor the new snapshot")
            try? FileManager.default.removeItem(atPath: db)
        }
        #expect(killed == 50, "only \(killed) of \(iterations) imports were killed while running")
    }

    @Test("readers during an import see the old or the new snapshot, whole, and never a lock error")
    func readersDuringAnImport() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = try Self.generatedDump(namespaces: 200, seed: 12, in: dir)
        let db = dir.appendingPathComponent("r.db").path
        let newDB = dir.appendingPathComponent("new.db").path
        try CLI.run(["import", CLI.fixture("demo/cluster.yaml"), "--db", db])
        try CLI.run(["import", big, "--db", newDB])
        let old = try Self.answers(db)
        let new = try Self.answers(newDB)

        let importer = Process()
        importer.executableURL = CLI.binary
        importer.arguments = ["import", big, "--db", db]
        importer.standardOutput = FileHandle.nullDevice
        let importErrors = Pipe()
        importer.standardError = importErrors
        try importer.run()
        var reads = 0
        var readsDuringImport = 0
        repeat {
            let running = importer.isRunning
            // Each command runs on its own: each sees one snapshot, whole.
            for (index, seen) in try Self.answers(db).enumerated() {
                #expect(seen == old[index] || seen == new[index], "read \(reads) saw a mix")
            }
            reads += 1
            if running { readsDuringImport += 1 }
        } while importer.isRunning || reads < 3
        let stderr = String(decoding: importErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0, "\(stderr)")
        #expect(readsDuringImport >= 1)
        #expect(try Self.answers(db) == new)
    }
}
