import KubeModel
import RBAC
import Render

/// `who-can --indirect`: beside the direct readers, who can become one
/// (``IndirectPaths``), answered from a ``Workspace`` and rendered.
extension Workspace {
    /// The snapshot's "can become" graph, built from its bindings, pods and
    /// token secrets. Build once per command and ask it per namespace or secret.
    ///
    /// On a database, the stored graph (`indirect_*` tables: `import
    /// --indirect`, or an earlier question) is read instead, without loading
    /// the snapshot; none, one of another version, or one over other
    /// identities is built and stored.
    public func indirectPaths() throws -> IndirectPaths {
        let whoCan = try whoCan()
        guard !isFromDumps else { return IndirectPaths(snapshot: try snapshot(), whoCan: whoCan) }
        let store = try store()
        if let record = try store.loadIndirect(snapshot: snapshotName), record.identityCount == whoCan.derived.identities.count {
            return IndirectPaths(record: record, whoCan: whoCan)
        }
        let paths = IndirectPaths(snapshot: try snapshot(), whoCan: whoCan)
        // Kept for the next question when the database can be written; a
        // read-only one (a CI artifact) still gets its answer.
        try? store.saveIndirect(paths.record, snapshot: snapshotName)
        return paths
    }

    /// ``whoCanSecret(verb:namespace:name:)`` with the identities that can
    /// become a reader of the secret (never a direct one) in `indirect`.
    public func whoCanSecretIndirect(verb: SecretReadVerb, namespace: String, name: String) throws -> WhoCanAnswer {
        var answer = try whoCanSecret(verb: verb, namespace: namespace, name: name)
        answer.indirect = try indirectPaths().indirectReaders(namespace: namespace, secretName: name, direct: answer.subjects)
        return answer
    }

    /// ``writeNamespaceReaders(verb:namespace:format:write:)`` with, per
    /// namespace, who can become a reader of every secret there.
    public func writeNamespaceReadersIndirect(verb: SecretReadVerb, namespace: String?, format: OutputFormat,
                                              write: ([UInt8]) -> Void) throws {
        let whoCan = try whoCan()
        let paths = try indirectPaths()
        let namespaces = try namespace.map { [$0] } ?? namespacesToAnswer(verb: verb)
        let answer: @Sendable (Int) -> (NamespaceReaders, [IndirectReader]) = { index in
            let readers = whoCan.namespaceReaders(verb: verb, namespace: namespaces[index])
            return (readers, paths.indirectReaders(namespace: readers.namespace, secretName: nil, direct: readers.subjects))
        }
        guard namespace == nil else {
            let (readers, indirect) = answer(0)
            write(WhoCanRenderer.render(readers, indirect: indirect, as: format))
            return
        }
        writeList(count: namespaces.count, format: format, write: write, item: answer) {
            WhoCanRenderer.renderElement($0.0, indirect: $0.1, as: format)
        }
    }
}
