import Foundation
import Testing

/// A folder of `../shared/` beside the clone (the corpus of real RBAC
/// manifests, the JSONTestSuite cases, the SARIF schema). A user's clone has
/// no `../shared/`: suites that need one skip with a visible notice there,
/// and ``SharedData/presenceUnderCI()`` fails under `CI=true`, where the
/// folder must be present.
///
/// ```swift
/// @Suite(SharedData.corpus.required) struct CorpusTests {
///     @Test func reads() throws { let url = SharedData.corpus.file("SOURCES.md") }
/// }
/// ```
public struct SharedData: Sendable {
    /// The folder's name under `../shared/`.
    public let name: String

    public init(name: String) { self.name = name }

    /// `../shared/corpus`: real RBAC manifests of public projects.
    public static let corpus = SharedData(name: "corpus")
    /// `../shared/jsontestsuite`: JSON parsing cases (y_ accept, n_ reject, i_ either).
    public static let jsonTestSuite = SharedData(name: "jsontestsuite")
    /// `../shared/sarif`: the SARIF 2.1.0 schema.
    public static let sarif = SharedData(name: "sarif")
    /// Every folder the tests use.
    public static let all = [corpus, jsonTestSuite, sarif]

    /// The package's root folder: this file is `Tests/TestSupport/SharedData.swift`.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether tests run under CI (`CI=true`), where a missing folder is a failure.
    public static var isCI: Bool {
        ["true", "1"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    /// `<package>/../shared/<name>`.
    public var directory: URL {
        Self.packageRoot.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(name)
    }

    /// A file or folder inside it.
    public func file(_ path: String) -> URL { directory.appendingPathComponent(path) }

    public var isPresent: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The trait of a suite that reads this folder: it runs when the folder is
    /// present and is skipped with a notice naming it when it is not.
    public var required: ConditionTrait {
        .enabled(if: isPresent, Comment(rawValue: "../shared/\(name) is not beside this clone (\(directory.path)): skipped"))
    }

    /// Records an issue when this folder is missing under `CI=true`; elsewhere
    /// a missing folder only skips the suites that need it.
    public func presenceUnderCI(sourceLocation: SourceLocation = #_sourceLocation) {
        guard Self.isCI else { return }
        #expect(isPresent, "CI=true but ../shared/\(name) is missing at \(directory.path)", sourceLocation: sourceLocation)
    }
}
