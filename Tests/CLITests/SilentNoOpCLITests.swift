import Foundation
import Testing

/// Inputs that used to be ignored without a word are errors (exit 2) or
/// warnings, each with a one-line fix.
@Suite struct SilentNoOpCLITests {
    let demo = CLI.fixture("demo/cluster.yaml")

    @Test func dumpWithDatabaseIsAnError() throws {
        let run = try CLI.run(["exposure", "--dump", demo, "--db", "other.db"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--db other.db would be ignored"), "\(run.stderr)")
        #expect(run.stderr.contains("keyreach import DUMP --db other.db"))
    }

    @Test func dumpWithSnapshotIsAnError() throws {
        let run = try CLI.run(["who-can", "get", "secrets", "--dump", demo, "--snapshot", "foo"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--snapshot foo"), "\(run.stderr)")
        #expect(run.stderr.contains("drop --snapshot"))
    }

    @Test(arguments: [["exposure"], ["who-can", "get", "secrets", "-A"], ["can-i", "get", "secrets", "--as", "jane"]])
    func emptyStdinIsAnError(command: [String]) throws {
        let run = try CLI.run(command + ["--dump", "-"], stdin: Data())
        #expect(run.status == 2, "\(run.stdout)")
        #expect(run.stderr.contains("no input on stdin"), "\(run.stderr)")
        #expect(!run.stdout.contains("No private-key secrets"))
    }

    @Test func stdinWithADumpStillWorks() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: demo))
        let run = try CLI.run(["exposure", "--dump", "-", "-o", "json"], stdin: data)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(((run.json as? [[String: Any]])?.count ?? 0) > 0)
    }

    @Test func anUnknownNamespaceIsWarnedAbout() throws {
        let run = try CLI.run(["exposure", "-n", "nosuchns", "--dump", demo])
        #expect(run.status == 0)
        #expect(run.stderr.contains("namespace \"nosuchns\" is not in the dump"), "\(run.stderr)")
        #expect(run.stderr.contains("production"))
        // A namespace that is there: no warning.
        let known = try CLI.run(["exposure", "-n", "production", "--dump", demo])
        #expect(!known.stderr.contains("not in the dump"), "\(known.stderr)")
    }

    @Test func aMissingAllowFileNamesThePathAndTheFix() throws {
        let run = try CLI.run(["exposure", "--allow", "no/such/allow.yaml", "--dump", demo])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no/such/allow.yaml: no such file"), "\(run.stderr)")
        #expect(run.stderr.contains("drop --allow"))
        #expect(!run.stderr.contains("could not be completed"))
    }
}
