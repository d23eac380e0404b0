import Foundation
import Testing

/// `sql`, `check`, `diff`, `-o csv` and colour, through the command line.
@Suite struct GateCLITests {
    let demo = CLI.fixture("demo/cluster.yaml")
    let cases = CLI.fixture("query-cases.yaml")

    // MARK: sql

    @Test(arguments: ["INSERT INTO snapshot (name, created_at, source) VALUES ('x', '', '')", "DELETE FROM secret",
                      "ATTACH DATABASE 'other.db' AS other", "PRAGMA writable_schema = 1", "PRAGMA writable_schema",
                      "SELECT load_extension('x')"])
    func sqlRefusesWritesWithExitTwo(_ statement: String) throws {
        let directory = try CLI.temporaryDirectory()
        let database = directory.appendingPathComponent("keyreach.db").path
        #expect(try CLI.run(["import", demo, "--db", database]).status == 0)
        let before = try CLI.run(["sql", "SELECT count(*) AS n FROM secret", "--db", database, "-o", "json"])
        let run = try CLI.run(["sql", statement, "--db", database])
        #expect(run.status == 2)
        #expect(run.stderr.contains("only reads"), "\(run.stderr)")
        #expect(try CLI.run(["sql", "SELECT count(*) AS n FROM secret", "--db", database, "-o", "json"]).stdout == before.stdout)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("other.db").path))
    }

    @Test func sqlKeepsTypesInJSONAndSyntaxErrorsExitTwo() throws {
        let run = try CLI.run(["sql", "SELECT name, unexpected_readers, secret_exists, type FROM private_key ORDER BY name",
                               "--dump", demo, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"unexpected_readers\": 2"))
        let rows = try #require(run.json as? [[String: Any]])
        #expect(rows.first?["unexpected_readers"] as? Int == 2)
        #expect(rows.first?["name"] as? String == "app-tls")
        let bad = try CLI.run(["sql", "SELEC nothing", "--dump", demo])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("SQL error"))
    }

    // MARK: query

    @Test func queryParametersAreBoundAndTypesKept() throws {
        let run = try CLI.run(["query", "private-key-readers", "--param", "namespace=shop", "--dump", cases, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(run.json as? [[String: Any]])
        #expect(rows.compactMap { $0["name"] as? String } == ["legacy-key", "acme-key"])
        #expect(rows.compactMap { $0["readers"] as? Int } == [3, 3])
        let hostile = try CLI.run(["query", "private-key-readers", "--param", "namespace=shop' OR '1'='1", "--dump", cases, "-o", "json"])
        #expect(hostile.status == 0)
        #expect(hostile.stdout == "[]\n")
        let missing = try CLI.run(["query", "who-can-secret", "--param", "verb=get", "--param", "namespace=shop", "--dump", cases])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("needs --param name=VALUE"))
    }

    // MARK: csv and colour

    @Test func csvForTabularOutputAndExitTwoForTheRest() throws {
        let run = try CLI.run(["query", "private-key-readers", "--dump", demo, "-o", "csv"])
        #expect(run.status == 0)
        let lines = run.stdout.components(separatedBy: "\r\n")
        #expect(lines[0] == "namespace,name,key_kind,severity,readers,expected,reasons")
        #expect(lines[1].hasPrefix("cert-manager,internal-ca-key,certificateAuthority,critical,2,2,"))
        let check = try CLI.run(["check", "--dump", demo, "-o", "csv"])
        #expect(check.status == 1)
        #expect(check.stdout.hasPrefix("SEVERITY,SECRET,READER,VERBS,VIA,COUNTS\r\n"))
        for command in [["who-can", "get", "secrets", "-n", "production"], ["exposure"], ["can-i", "get", "secrets", "--as", "x"]] {
            let refused = try CLI.run(command + ["--dump", demo, "-o", "csv"])
            #expect(refused.status == 2, "\(command)")
            #expect(refused.stderr.contains("csv is for tabular output"), "\(command)")
        }
        #expect(try CLI.run(["exposure", "--dump", demo, "-o", "sarif"]).status == 2)
    }

    @Test func noColourWhenNotATerminal() throws {
        // Tests capture stdout through a pipe: no escape codes, NO_COLOR or not.
        for environment in [["NO_COLOR": "1"], ["NO_COLOR": ""], ["TERM": "xterm-256color"]] {
            let run = try CLI.run(["check", "--dump", demo], environment: environment)
            #expect(!run.stdout.contains("\u{1B}["), "\(environment)")
            #expect(run.stdout.contains("critical"))
        }
    }

    // MARK: check

    func allowList(_ directory: URL, _ entries: [String]) throws -> String {
        let path = directory.appendingPathComponent("allow.yaml").path
        try ("allow:\n" + entries.map { "  - subject: \($0)\n    secrets: [\"*\"]\n    why: test\n" }.joined())
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// query-cases: high, medium and low findings; allow-lists peel them off level by level.
    @Test func checkExitCodesForEachLevel() throws {
        func status(_ level: String, allow: String? = nil) throws -> Int32 {
            try CLI.run(["check", "--fail-on", level, "--dump", cases] + (allow.map { ["--allow", $0] } ?? [])).status
        }
        #expect(try status("critical") == 0)
        #expect(try status("high") == 1)
        let directory = try CLI.temporaryDirectory()
        let mediumAndLow = try allowList(directory, [
            "{kind: ServiceAccount, namespace: ci, name: deployer}", "{kind: ServiceAccount, namespace: shop, name: default}",
            "{kind: Group, name: \"system:serviceaccounts:tools\"}",
        ])
        #expect(try status("high", allow: mediumAndLow) == 0)
        #expect(try status("medium", allow: mediumAndLow) == 1)
        let directory2 = try CLI.temporaryDirectory()
        let nothing = try allowList(directory2, [
            "{kind: ServiceAccount, namespace: ci, name: deployer}", "{kind: ServiceAccount, namespace: shop, name: default}",
            "{kind: Group, name: \"system:serviceaccounts:tools\"}", "{kind: User, name: auditor@example.com}",
        ])
        #expect(try status("low", allow: nothing) == 0)
        #expect(try CLI.run(["check", "--fail-on", "info", "--dump", cases]).status == 2)
        #expect(try CLI.run(["check", "--fail-on", "severe", "--dump", cases]).status == 2)
    }

    @Test func checkWithABaselineCountsOnlyNewFindings() throws {
        let directory = try CLI.temporaryDirectory()
        let database = directory.appendingPathComponent("keyreach.db").path
        #expect(try CLI.run(["import", demo, "--db", database, "--snapshot", "main"]).status == 0)
        let same = try CLI.run(["check", "--dump", demo, "--baseline", "main", "--baseline-db", database, "-o", "json"])
        #expect(same.status == 0, "\(same.stderr)")
        #expect((same.json as? [String: Any])?["failing"] as? Int == 0)
        let other = try CLI.run(["check", "--dump", cases, "--baseline", "main", "--baseline-db", database])
        #expect(other.status == 1)
        let missing = try CLI.run(["check", "--dump", demo, "--baseline", "nope", "--baseline-db", database])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no snapshot \"nope\""))
    }

    @Test func checkReadsStdinForCI() throws {
        let manifests = try Data(contentsOf: URL(fileURLWithPath: demo))
        let run = try CLI.run(["check", "--dump", "-", "--fail-on", "critical", "-o", "sarif"], stdin: manifests)
        #expect(run.status == 1)
        let log = try #require(run.json as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
    }

    // MARK: diff

    @Test func diffBetweenTwoFixtureSnapshots() throws {
        let directory = try CLI.temporaryDirectory()
        let database = directory.appendingPathComponent("keyreach.db").path
        #expect(try CLI.run(["import", demo, "--db", database, "--snapshot", "before"]).status == 0)
        #expect(try CLI.run(["import", cases, "--db", database, "--snapshot", "after"]).status == 0)
        let run = try CLI.run(["diff", "--from", "before", "--to", "after", "--db", database, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let diff = try #require(run.json as? [String: Any])
        func names(_ key: String) -> [String] {
            (diff[key] as? [[String: Any]])?.compactMap { ($0["secret"] as? [String: Any])?["name"] as? String } ?? []
        }
        #expect(names("keysAdded") == ["acme-key", "legacy-key", "tools-tls"])
        #expect(names("keysRemoved") == ["internal-ca-key", "app-tls"])
        #expect(try CLI.run(["diff", "--from", demo, "--to", CLI.fixture("demo/cluster.json")]).stdout.hasPrefix("no change"))
    }
}
