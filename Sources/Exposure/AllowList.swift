import Foundation
import KubeModel
import Yams

/// The user's allow-list (`keyreach.yaml`): subjects and the private-key secrets
/// they are meant to read. A reader it names is an expected holder, not a finding.
///
/// ```yaml
/// allow:
///   - subject: {kind: ServiceAccount, namespace: vault, name: vault}
///     secrets: ["production/app-tls", "staging/*"]
///     why: "Vault syncs TLS keys to the edge"
///   - subject: {kind: Group, name: platform-admins}
///     secrets: ["*"]
///     why: "break-glass admins"
/// ```
///
/// `kind` is `ServiceAccount` (with `namespace`), `User`, `Group` or `Node`. A Group
/// entry also allows every identity that authenticates with that group. A secret
/// pattern is `namespace/name`, `namespace/*` or `*`.
public struct AllowList: Sendable, Hashable {
    /// One `allow[]` entry, with the line it starts on for messages.
    public struct Entry: Sendable, Hashable {
        public var subject: Subject
        public var secrets: [SecretPattern]
        public var why: String
        public var line: Int

        public init(subject: Subject, secrets: [SecretPattern], why: String, line: Int = 0) {
            self.subject = subject
            self.secrets = secrets
            self.why = why
            self.line = line
        }
    }

    /// `allow[].subject`.
    public struct Subject: Sendable, Hashable {
        public static let kinds = ["ServiceAccount", "User", "Group", "Node"]
        public var kind: String
        public var namespace: String
        public var name: String

        public init(kind: String, namespace: String = "", name: String) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
        }

        /// Whether a reader is this subject (or, for a Group, a member of it).
        public func matches(_ reader: KnownIdentity) -> Bool {
            switch kind {
            case "ServiceAccount": reader.serviceAccount.map { $0.namespace == namespace && $0.name == name } ?? false
            case "User": reader.kind == "User" && (reader.username == name || reader.name == name)
            case "Group": reader.isInGroup(name)
            case "Node": reader.kind == "Node" && reader.name == name
            default: false
            }
        }
    }

    /// `allow[].secrets[]`: `*`, `namespace/*` or `namespace/name`.
    public enum SecretPattern: Sendable, Hashable, CustomStringConvertible {
        case any
        case namespace(String)
        case secret(namespace: String, name: String)

        /// Parses the three accepted forms; `nil` for anything else (`*/name`, `name`, `a/b/c`).
        public init?(_ text: String) {
            if text == "*" { self = .any; return }
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0] != "*" else { return nil }
            self = parts[1] == "*" ? .namespace(parts[0]) : .secret(namespace: parts[0], name: parts[1])
        }

        public func matches(_ secret: ObjectRef) -> Bool {
            switch self {
            case .any: true
            case .namespace(let namespace): secret.namespace == namespace
            case .secret(let namespace, let name): secret.namespace == namespace && secret.name == name
            }
        }

        public var description: String {
            switch self {
            case .any: "*"
            case .namespace(let namespace): namespace + "/*"
            case .secret(let namespace, let name): namespace + "/" + name
            }
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// The first entry that lets `reader` read `secret`, if any.
    public func entry(allowing reader: KnownIdentity, toRead secret: ObjectRef) -> Entry? {
        entries.first { entry in entry.subject.matches(reader) && entry.secrets.contains { $0.matches(secret) } }
    }
}

/// A problem in an allow-list file, with where it is and what to write instead.
public struct AllowListError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem has no position (an unreadable file).
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `keyreach.yaml:4: allow[0].subject.kind must be ...`, as compilers print it.
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

// MARK: - Reading keyreach.yaml

extension AllowList {
    /// Reads an allow-list file.
    public static func load(path: String) throws(AllowListError) -> AllowList {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw AllowListError(file: path, line: 0, message: "cannot read the allow-list: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses allow-list YAML; every error names the file and line and says what is expected.
    public static func parse(yaml: String, file: String = "keyreach.yaml") throws(AllowListError) -> AllowList {
        let reader = AllowListReader(file: file)
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw reader.yamlError(error)
        }
        guard let root else { return AllowList() }
        return try reader.allowList(root)
    }
}

/// Walks the composed YAML so each error can point at the node it is about.
struct AllowListReader {
    let file: String

    func fail(_ node: Yams.Node?, _ message: String) -> AllowListError {
        AllowListError(file: file, line: node?.mark?.line ?? 0, message: message)
    }

    func yamlError(_ error: any Error) -> AllowListError {
        guard let yamlError = error as? YamlError else { return fail(nil, "not valid YAML: \(error)") }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return AllowListError(file: file, line: mark.line, message: "not valid YAML: \(problem)")
        default:
            return fail(nil, "not valid YAML: \(yamlError)")
        }
    }

    func allowList(_ root: Yams.Node) throws(AllowListError) -> AllowList {
        let top = try mapping(root, "the top level", keys: ["allow"])
        guard let allow = top["allow"] else { return AllowList() }
        if case .scalar(let scalar) = allow, scalar.string.isEmpty || scalar.string == "null" { return AllowList() }
        guard let items = allow.sequence else { throw fail(allow, "allow must be a list of entries") }
        var entries: [AllowList.Entry] = []
        for (index, item) in items.enumerated() { entries.append(try entry(item, path: "allow[\(index)]")) }
        return AllowList(entries: entries)
    }

    func entry(_ node: Yams.Node, path: String) throws(AllowListError) -> AllowList.Entry {
        let fields = try mapping(node, path, keys: ["subject", "secrets", "why"])
        let why = try string(fields["why"], path + ".why", in: node)
        guard !why.isEmpty else { throw fail(fields["why"], "\(path).why must say why these reads are expected") }
        return AllowList.Entry(subject: try subject(fields["subject"], path: path + ".subject", in: node),
                               secrets: try secrets(fields["secrets"], path: path + ".secrets", in: node),
                               why: why, line: node.mark?.line ?? 0)
    }

    func subject(_ node: Yams.Node?, path: String, in parent: Yams.Node) throws(AllowListError) -> AllowList.Subject {
        guard let node else { throw fail(parent, "\(path) is missing: write {kind: ServiceAccount, namespace: NS, name: NAME}") }
        let fields = try mapping(node, path, keys: ["kind", "namespace", "name", "apiGroup"])
        let kind = try string(fields["kind"], path + ".kind", in: node)
        guard AllowList.Subject.kinds.contains(kind) else {
            throw fail(fields["kind"], "\(path).kind must be one of \(AllowList.Subject.kinds.joined(separator: ", ")) (found \"\(kind)\")")
        }
        let name = try string(fields["name"], path + ".name", in: node)
        let namespace = fields["namespace"] == nil ? "" : try string(fields["namespace"], path + ".namespace", in: node)
        if kind == "ServiceAccount" && namespace.isEmpty {
            throw fail(node, "\(path).namespace is required for a ServiceAccount")
        }
        if kind != "ServiceAccount" && !namespace.isEmpty {
            throw fail(fields["namespace"], "\(path).namespace applies to a ServiceAccount only; a \(kind) has none")
        }
        return AllowList.Subject(kind: kind, namespace: namespace, name: name)
    }

    func secrets(_ node: Yams.Node?, path: String, in parent: Yams.Node) throws(AllowListError) -> [AllowList.SecretPattern] {
        guard let node else { throw fail(parent, "\(path) is missing: list \"namespace/name\", \"namespace/*\" or \"*\"") }
        guard let items = node.sequence, !items.isEmpty else {
            throw fail(node, "\(path) must be a non-empty list of \"namespace/name\", \"namespace/*\" or \"*\"")
        }
        var patterns: [AllowList.SecretPattern] = []
        for (index, item) in items.enumerated() {
            let text = try string(item, "\(path)[\(index)]", in: node)
            guard let pattern = AllowList.SecretPattern(text) else {
                throw fail(item, "\(path)[\(index)] \"\(text)\" must be \"namespace/name\", \"namespace/*\" or \"*\"")
            }
            patterns.append(pattern)
        }
        return patterns
    }

    /// A mapping with string keys among `keys`; an unknown key is an error (it is usually a typo).
    func mapping(_ node: Yams.Node, _ path: String, keys: Set<String>) throws(AllowListError) -> [String: Yams.Node] {
        guard let mapping = node.mapping else { throw fail(node, "\(path) must be a mapping") }
        var fields: [String: Yams.Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string, keys.contains(name) else {
                let known = keys.sorted().joined(separator: ", ")
                throw fail(key, "\(path) has unknown key \"\(key.scalar?.string ?? "?")\" (expected \(known))")
            }
            fields[name] = value
        }
        return fields
    }

    func string(_ node: Yams.Node?, _ path: String, in parent: Yams.Node) throws(AllowListError) -> String {
        guard let node else { throw fail(parent, "\(path) is missing") }
        guard let scalar = node.scalar else { throw fail(node, "\(path) must be a string") }
        return scalar.string
    }
}
