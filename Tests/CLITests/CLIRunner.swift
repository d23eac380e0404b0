import Foundation
import Testing

/// Runs the built `keyreach` binary the way a script would, and captures
/// what it prints and its exit status.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
}

enum CLI {
    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ path: String) -> String { root.appendingPathComponent("fixtures/\(path)").path }

    /// The `keyreach` executable beside the test bundle (swift test builds it
    /// because CLITests depends on it).
    static let binary: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test binary may sit inside a bundle directory (….xctest/…).
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("keyreach")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/keyreach")
    }()

    @discardableResult
    static func run(_ arguments: [String], stdin: Data? = nil, executable: URL? = nil, in directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> CLIRun {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read before waiting so a large answer cannot fill the pipe and block.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh empty directory for databases.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keyreach-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Subjects of a who-can JSON answer as "Kind ns/name" (or "Kind name") strings.
func subjectNames(_ answer: Any?) -> Set<String> {
    guard let object = answer as? [String: Any], let subjects = object["subjects"] as? [[String: Any]] else { return [] }
    return Set(subjects.map { s in
        let kind = s["kind"] as? String ?? "?"
        let name = s["name"] as? String ?? "?"
        if let ns = s["namespace"] as? String { return "\(kind) \(ns)/\(name)" }
        return "\(kind) \(name)"
    })
}
