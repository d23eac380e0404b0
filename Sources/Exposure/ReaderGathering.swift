import KubeModel
import RBAC

/// The readers of one key while its paths are added (``ExposureAnalysis``):
/// each binding subject once, its verbs and paths joined. The paths every
/// key shares are gathered once; each key copies that gathering and adds
/// its own, so a key costs its own grants, not the cluster's.
struct ReaderGathering: Sendable {
    private(set) var readers: [KeyReader] = []
    private var positions: [ReaderKey: Int] = [:]
    /// Readers given a path since the last ``sort()`` (their paths may be out of order).
    private var grown: [Int] = []
    /// Whether a reader was added since the last ``sort()``.
    private var added = false

    /// `path` allows `reader` to `verb`; `newReader` makes the reader the first time it is named.
    mutating func add(_ path: AccessPath, verb: SecretReadVerb, reader key: ReaderKey, newReader: () -> KeyReader) {
        guard let position = positions[key] else {
            positions[key] = readers.count
            readers.append(newReader())
            added = true
            return
        }
        readers[position].verbs.insertSorted(verb)
        if let j = readers[position].via.firstIndex(of: path) {
            readers[position].verbsByPath[j].insertSorted(verb)
        } else {
            readers[position].via.append(path)
            readers[position].verbsByPath.append([verb])
            grown.append(position)
        }
    }

    /// Each reader's paths sorted as ``AccessPath`` sorts, and the readers by
    /// kind, namespace, name (bytes), the order who-can lists subjects in.
    mutating func sort() {
        for position in Set(grown) where readers[position].via.count > 1 {
            let via = readers[position].via, verbsByPath = readers[position].verbsByPath
            let order = via.indices.sorted { via[$0] < via[$1] }
            readers[position].via = order.map { via[$0] }
            readers[position].verbsByPath = order.map { verbsByPath[$0] }
        }
        grown = []
        guard added else { return }
        added = false
        // Positions are sorted, not the readers (a KeyReader is large); each name is spelled once.
        let refs = readers.map(\.identity.ref)
        let order = readers.indices.sorted { refs[$0] < refs[$1] }
        var moved = [Int](repeating: 0, count: order.count)
        for (new, old) in order.enumerated() { moved[old] = new }
        readers = order.map { readers[$0] }
        positions = positions.mapValues { moved[$0] }
    }
}

/// Readers are told apart by kind, namespace and name (as the engine's
/// identities are); the subject of a grant by its slot, found once.
enum ReaderKey: Hashable, Sendable {
    case grantSubject(Int)
    /// By bytes, as the API server tells names apart.
    case other(IdentityKey)

    init(_ identity: KnownIdentity) {
        self = .other(IdentityKey(identity))
    }
}

/// Who each bound path names as its reader: a grant's subject (found once
/// per grant, not once per key), a node path's node, the superuser path's
/// `system:masters`; and a Group reader's members.
struct ReaderNaming: Sendable {
    let identities: [KnownIdentity]
    let listMembers: Bool
    /// The index of each Group checked as itself in `identities`: a Group
    /// reader's members are the identities its grant reaches but that one.
    private let groupIdentityIndex: [ByteString: Int]
    /// The reader each grant of `derived.grants` names (an index in
    /// ``readerIdentities``; -1 for a subject of an unknown kind).
    private let readerOfGrant: [Int]
    /// The distinct binding subjects of the grants, as identities.
    private let readerIdentities: [KnownIdentity]

    init(_ derived: DerivedAccess, listMembers: Bool) {
        identities = derived.identities
        self.listMembers = listMembers
        var groupIdentityIndex: [ByteString: Int] = [:]
        for (index, identity) in derived.identities.enumerated() where identity.kind == "Group" {
            groupIdentityIndex[ByteString(identity.name)] = index
        }
        self.groupIdentityIndex = groupIdentityIndex
        var readerIdentities: [KnownIdentity] = []
        var slots: [ReaderKey: Int] = [:]
        readerOfGrant = derived.grants.map { grant in
            guard let identity = AccessIndexer.identity(named: grant.subject, bindingNamespace: grant.binding.namespace) else {
                return -1
            }
            let key = ReaderKey(identity)
            if let slot = slots[key] { return slot }
            slots[key] = readerIdentities.count
            readerIdentities.append(identity)
            return readerIdentities.count - 1
        }
        self.readerIdentities = readerIdentities
    }

    /// Adds `bound` (allowing `verb`) to the reader it names; a subject of an unknown kind names none.
    func add(_ bound: BoundPath, verb: SecretReadVerb, to gathering: inout ReaderGathering) {
        let identity: KnownIdentity
        let key: ReaderKey
        if let grant = bound.grant {
            guard readerOfGrant[grant] >= 0 else { return }
            identity = readerIdentities[readerOfGrant[grant]]
            key = .grantSubject(readerOfGrant[grant])
        } else {
            guard let other = reader(of: bound) else { return }
            identity = other
            key = ReaderKey(other)
        }
        gathering.add(bound.path, verb: verb, reader: key) {
            var reader = KeyReader(identity: identity, verbs: [verb], via: [bound.path], verbsByPath: [[verb]])
            if identity.kind == "Group" {
                // Every path of one Group subject reaches the same identities (ascending
                // indexes): the group itself is found by bisection.
                let own = groupIdentityIndex[ByteString(identity.name)].flatMap {
                    ExposureAnalysis.position(of: $0, in: bound.identities)
                }
                reader.memberCount = bound.identities.count - (own == nil ? 0 : 1)
                if listMembers {
                    reader.members = bound.identities.enumerated().filter { $0.offset != own }.map { identities[$0.element] }
                }
            }
            return reader
        }
    }

    /// The binding subject a path without grant names, as an identity.
    private func reader(of bound: BoundPath) -> KnownIdentity? {
        switch bound.path {
        case .superuser(let group): return .group(group)
        case .node: return bound.identities.first.map { identities[$0] }
        case .rbac(let access):
            return AccessIndexer.identity(named: access.subject, bindingNamespace: access.binding.namespace)
        }
    }
}

extension Array where Element: Comparable {
    /// Inserts `element` where it keeps the array sorted, unless it is there already.
    mutating func insertSorted(_ element: Element) {
        let at = firstIndex { $0 >= element } ?? endIndex
        if at == endIndex || self[at] != element { insert(element, at: at) }
    }
}
