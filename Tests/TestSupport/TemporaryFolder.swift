import Foundation

/// A fresh folder under the system's temporary directory holding `files`
/// (relative path → text; folders are created as needed), for tests of
/// directory reading.
///
/// ```swift
/// let dir = try TemporaryFolder.make(["a.yaml": "kind: Secret\n", ".github/ci.yml": "on: push\n"])
/// ```
public enum TemporaryFolder {
    public static func make(_ files: [String: String], prefix: String = "keyreach-test") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }
}
