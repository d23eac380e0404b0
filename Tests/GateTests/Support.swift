import Foundation
import KeyreachKit
import TestSupport

/// Paths and workspaces of the repository's fixtures.
enum Fixture {
    static func path(_ name: String) -> String { SharedData.packageRoot.appendingPathComponent("fixtures/\(name)").path }

    /// A workspace over one dump file, read into memory.
    static func workspace(_ name: String) throws -> Workspace {
        try Workspace.open(SnapshotSource(dumps: [path(name)]))
    }

    /// The repository's dumps that hold RBAC and secrets.
    static let dumps = ["demo/cluster.yaml", "demo/cluster.json", "rbac-edge-cases.yaml", "raw-api-lists.json", "query-cases.yaml"]

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyreach-gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// An executable built beside the test bundle (`keyreach`, `keyreach-gen`), nil when not built.
    static func executable(_ name: String) -> URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let fallback = SharedData.packageRoot.appendingPathComponent(".build/debug/\(name)")
        return FileManager.default.isExecutableFile(atPath: fallback.path) ? fallback : nil
    }

    /// Runs an executable; returns its exit status and standard output.
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
