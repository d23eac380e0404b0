import KubeModel
import Queries
import RBAC
import Render

/// `who-can`'s three questions, answered from a ``Workspace`` and rendered.
extension Workspace {
    /// Who can `verb` one secret. From a database, an index lookup in SQL
    /// (`queries/who-can-secret.sql`); from dumps, the in-memory index, with
    /// no database written (tests pin the two equal).
    public func whoCanSecret(verb: SecretReadVerb, namespace: String, name: String) throws -> WhoCanAnswer {
        let subjects = isFromDumps
            ? try whoCan().subjects(verb: verb, namespace: namespace, secretName: name)
            : try WhoCanQuery.subjects(in: store(), snapshot: snapshotName, verb: verb, namespace: namespace, secretName: name)
        let exists = try secretRefs(namespace: namespace).contains { $0.name == name }
        return WhoCanAnswer(verb: verb.rawValue, secret: ObjectRef(kind: "Secret", namespace: namespace, name: name),
                            exists: exists, subjects: subjects)
    }

    /// Who can `verb` secrets in a namespace, and who only by name.
    public func namespaceReaders(verb: SecretReadVerb, namespace: String) throws -> NamespaceReaders {
        try whoCan().namespaceReaders(verb: verb, namespace: namespace)
    }

    /// The namespaces `who-can VERB secrets -A` answers for: those that hold
    /// secrets in the snapshot and those that a grant or node edge names, sorted.
    public func namespacesToAnswer(verb: SecretReadVerb) throws -> [String] {
        // As bytes: two spellings of a namespace name are two namespaces.
        let namespaces = Set(try whoCan().namespacesWithGrants(verb: verb).map(ByteString.init))
        return namespaces.union(try secretNamespaces()).sorted().map(\.string)
    }

    /// `who-can VERB secrets [-n NS | -A]`: one namespace's answer, or one
    /// per namespace for `-A` (`namespace == nil`), written in order.
    public func writeNamespaceReaders(verb: SecretReadVerb, namespace: String?, format: OutputFormat,
                                      write: ([UInt8]) -> Void) throws {
        let whoCan = try whoCan()
        guard let namespace else {
            let namespaces = try namespacesToAnswer(verb: verb)
            writeList(count: namespaces.count, format: format, write: write) { index in
                whoCan.namespaceReaders(verb: verb, namespace: namespaces[index])
            } render: { WhoCanRenderer.renderElement($0, as: format) }
            return
        }
        write(WhoCanRenderer.render(whoCan.namespaceReaders(verb: verb, namespace: namespace), as: format))
    }

    /// `who-can VERB secrets --per-secret`: one answer per secret of the
    /// snapshot in scope, answered namespace by namespace; with `indirect`
    /// (`--indirect`), each with who can become a reader of it.
    public func writePerSecretAnswers(verb: SecretReadVerb, namespace: String?, format: OutputFormat,
                                      indirect: IndirectPaths? = nil, write: ([UInt8]) -> Void) throws {
        let whoCan = try whoCan()
        var byNamespace: [[ObjectRef]] = []
        for secret in try secretRefs(namespace: namespace) {
            if byNamespace.last?.first?.namespace == secret.namespace {
                byNamespace[byNamespace.count - 1].append(secret)
            } else {
                byNamespace.append([secret])
            }
        }
        let groups = byNamespace
        writeList(count: groups.count, format: format, write: write) { index in
            let group = groups[index]
            let subjects = whoCan.subjectsForSecrets(verb: verb, namespace: group[0].namespace, names: group.map(\.name))
            return zip(group, subjects).map { secret, subjects in
                WhoCanAnswer(verb: verb.rawValue, secret: secret, exists: true, subjects: subjects,
                             indirect: indirect?.indirectReaders(namespace: secret.namespace, secretName: secret.name, direct: subjects))
            }
        } render: { answers in
            answers.map { WhoCanRenderer.renderElement($0, as: format) }.reduce(into: [UInt8]()) { all, one in
                if !all.isEmpty, format == .json { all.append(UInt8(ascii: ",")) }
                all += one
            }
        }
    }

    /// Items made and rendered on every core, written in order as one JSON
    /// array, one YAML sequence, or tables one after another.
    func writeList<Item>(count: Int, format: OutputFormat, write: ([UInt8]) -> Void,
                                 item: @escaping @Sendable (Int) -> Item,
                                 render: @escaping @Sendable (Item) -> [UInt8]) {
        let framing = WhoCanRenderer.listFraming(format)
        var wrote = false
        ParallelBlocks.render(count: count, separator: framing.separator, item: { render(item($0)) }) { bytes in
            if !wrote { write(framing.open) }
            wrote = true
            write(bytes)
        }
        write(wrote ? framing.close : framing.empty)
    }
}
