import KubeModel
import Store
import Testing
@testable import Exposure

@Suite("keyreach.yaml allow-list")
struct AllowListTests {
    func parseError(_ yaml: String) -> AllowListError? {
        do {
            _ = try AllowList.parse(yaml: yaml, file: "keyreach.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test("entries read subject, secret patterns, why and their line")
    func parsesEntries() throws {
        let list = try AllowList.parse(yaml: """
            # who may read which keys
            allow:
              - subject: {kind: ServiceAccount, namespace: vault, name: vault}
                secrets: ["production/app-tls", "staging/*"]
                why: "Vault syncs TLS keys"
              - subject:
                  kind: Group
                  name: platform-admins
                secrets: ["*"]
                why: break-glass admins
            """)
        #expect(list.entries.count == 2)
        #expect(list.entries[0].subject == AllowList.Subject(kind: "ServiceAccount", namespace: "vault", name: "vault"))
        #expect(list.entries[0].secrets == [.secret(namespace: "production", name: "app-tls"), .namespace("staging")])
        #expect(list.entries[0].why == "Vault syncs TLS keys")
        #expect(list.entries[0].line == 3)
        #expect(list.entries[1].secrets == [.any])
        #expect(list.entries[1].line == 6)
    }

    @Test("an empty file, or allow: with nothing, allows nothing")
    func empty() throws {
        #expect(try AllowList.parse(yaml: "").entries.isEmpty)
        #expect(try AllowList.parse(yaml: "allow:\n").entries.isEmpty)
        #expect(try AllowList.parse(yaml: "allow: []\n").entries.isEmpty)
    }

    @Test("matching: patterns by namespace and name; a Group entry also allows its members")
    func matching() throws {
        let list = try AllowList.parse(yaml: """
            allow:
              - subject: {kind: ServiceAccount, namespace: vault, name: vault}
                secrets: ["production/app-tls", "staging/*"]
                why: sync
              - subject: {kind: Group, name: platform-admins}
                secrets: ["*"]
                why: admins
              - subject: {kind: User, name: alice}
                secrets: ["qa/*"]
                why: qa lead
              - subject: {kind: Node, name: edge-1}
                secrets: ["edge/*"]
                why: edge node
            """)
        let vault = KnownIdentity.serviceAccount(namespace: "vault", name: "vault")
        func secret(_ namespace: String, _ name: String) -> ObjectRef { ObjectRef(kind: "Secret", namespace: namespace, name: name) }
        #expect(list.entry(allowing: vault, toRead: secret("production", "app-tls"))?.why == "sync")
        #expect(list.entry(allowing: vault, toRead: secret("production", "other")) == nil)
        #expect(list.entry(allowing: vault, toRead: secret("staging", "anything"))?.why == "sync")
        #expect(list.entry(allowing: .serviceAccount(namespace: "other", name: "vault"), toRead: secret("staging", "x")) == nil)
        #expect(list.entry(allowing: .group("platform-admins"), toRead: secret("any", "thing"))?.why == "admins")
        #expect(list.entry(allowing: .user("bob", groups: ["platform-admins"]), toRead: secret("any", "thing"))?.why == "admins")
        #expect(list.entry(allowing: .user("alice"), toRead: secret("qa", "x"))?.why == "qa lead")
        #expect(list.entry(allowing: .group("alice"), toRead: secret("qa", "x")) == nil)
        #expect(list.entry(allowing: .node("edge-1"), toRead: secret("edge", "x"))?.why == "edge node")
        #expect(list.entry(allowing: .user("edge-1"), toRead: secret("edge", "x")) == nil)
    }

    @Test("errors name the file and the line and say what to write")
    func errors() throws {
        let badKind = try #require(parseError("""
            allow:
              - subject: {kind: SA, namespace: a, name: b}
                secrets: ["*"]
                why: x
            """))
        #expect(badKind.line == 2)
        #expect(badKind.description == "keyreach.yaml:2: allow[0].subject.kind must be one of ServiceAccount, User, Group, Node (found \"SA\")")

        let badPattern = try #require(parseError("""
            allow:
              - subject: {kind: User, name: alice}
                secrets:
                  - "qa/*"
                  - "*/app-tls"
                why: x
            """))
        #expect(badPattern.line == 5)
        #expect(badPattern.message.contains("allow[0].secrets[1] \"*/app-tls\" must be"))

        let typo = try #require(parseError("""
            allow:
              - subject: {kind: User, name: alice}
                secret: ["*"]
                why: x
            """))
        #expect(typo.line == 3)
        #expect(typo.message.contains("unknown key \"secret\""))

        let noNamespace = try #require(parseError("""
            allow:
              - subject: {kind: ServiceAccount, name: vault}
                secrets: ["*"]
                why: x
            """))
        #expect(noNamespace.line == 2 && noNamespace.message.contains("namespace is required"))

        let noWhy = try #require(parseError("allow:\n  - subject: {kind: User, name: a}\n    secrets: [\"*\"]\n"))
        #expect(noWhy.line == 2 && noWhy.message == "allow[0].why is missing")

        let notAList = try #require(parseError("allow: everyone\n"))
        #expect(notAList.line == 1 && notAList.message == "allow must be a list of entries")

        let broken = try #require(parseError("allow:\n  - subject: {kind: User\n"))
        #expect(broken.line >= 2)
        #expect(broken.message.hasPrefix("not valid YAML"))
    }

    @Test("load reports an unreadable file with its path")
    func unreadable() {
        #expect(throws: AllowListError.self) { try AllowList.load(path: "/nonexistent/keyreach.yaml") }
    }

    @Test("secret patterns: the three forms and nothing else")
    func patterns() {
        #expect(AllowList.SecretPattern("*") == .any)
        #expect(AllowList.SecretPattern("ns/*") == .namespace("ns"))
        #expect(AllowList.SecretPattern("ns/name") == .secret(namespace: "ns", name: "name"))
        for invalid in ["", "name", "*/name", "a/b/c", "/name", "ns/"] {
            #expect(AllowList.SecretPattern(invalid) == nil, "\(invalid)")
        }
    }
}
