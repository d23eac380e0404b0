import KubeModel

/// Receives the documents and List items both readers produce, decides what
/// each is (object, List, empty, not Kubernetes at all), maps the stored kinds
/// into the snapshot and counts the rest. Same object twice: last one wins.
final class DocumentSink {
    private(set) var snapshot = ClusterSnapshot()
    private(set) var skipped: [String: Int] = [:]
    private(set) var warnings: [String] = []
    private(set) var documents = 0
    private(set) var objects = 0

    /// The file being read (for messages) and how many namespaced objects of
    /// it had no namespace (one warning per file, not one per object).
    var file = ""
    private var defaultedNamespaces = 0
    /// Where progress goes, and which part of a file this sink reads.
    var meter: ProgressMeter?
    var part = 0

    /// Kind, namespace and name, hashed once from their bytes: the index
    /// hashes one word per lookup and compares strings only on a hash match.
    fileprivate struct ObjectKey: Hashable {
        let kind: String
        let namespace: String
        let name: String
        /// Which snapshot array holds the object (follows from `kind`).
        let array: SnapshotArray
        private let digest: UInt64

        init(kind: String, namespace: String, name: String, array: SnapshotArray) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.array = array
            var digest: UInt64 = 0x243F_6A88_85A3_08D3
            Self.mix(kind, into: &digest)
            Self.mix(namespace, into: &digest)
            Self.mix(name, into: &digest)
            self.digest = digest
        }

        static func == (a: ObjectKey, b: ObjectKey) -> Bool {
            // Names compare as bytes, as the API server keys objects ("café" twice is two objects).
            a.digest == b.digest && sameBytes(a.name, b.name) && sameBytes(a.namespace, b.namespace) && sameBytes(a.kind, b.kind)
        }

        func hash(into hasher: inout Hasher) { hasher.combine(digest) }

        /// Eight bytes a step, each step a multiply and a shift; the part's
        /// length goes in too, so ("ab", "c") and ("a", "bc") differ.
        private static func mix(_ part: String, into digest: inout UInt64) {
            var part = part
            part.withUTF8 { bytes in
                let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
                var h = digest ^ UInt64(bytes.count)
                var i = 0
                let raw = UnsafeRawBufferPointer(bytes)
                while i + 8 <= bytes.count {
                    h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* multiplier
                    h ^= h >> 29
                    i += 8
                }
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while i < bytes.count {
                    tail |= UInt64(bytes[i]) << shift
                    shift += 8
                    i += 1
                }
                h = (h ^ tail) &* multiplier
                digest = h ^ (h >> 32)
            }
        }
    }
    /// Where each stored object sits in its snapshot array, and where it
    /// was first read, to name it if it comes again: a line for YAML, a byte
    /// offset for JSON (whose lines cost a scan, so they are counted only
    /// for a warning).
    fileprivate struct Slot {
        var index: Int
        var position: Int
    }
    private var slots: [ObjectKey: Slot] = [:]
    /// The last kind and apiVersion met and what they resolved to: dumps
    /// come in runs of one kind, and a compare is cheaper than two lookups.
    private var lastKind: (kind: String, apiVersion: String?, group: String?, row: (kind: ReadKind, stored: StoredKind)?)?
    private let scratch = ByteBuffer()

    func progress(bytesDone: Int) { meter?.update(part: part, bytes: bytesDone) }

    /// Sizes the duplicate index for about `count` objects up front: growing
    /// a dictionary of 100k keys step by step costs more than filling it.
    func expectObjects(_ count: Int) {
        if count > slots.capacity { slots.reserveCapacity(count) }
    }

    func finishFile() {
        if defaultedNamespaces > 0 {
            warnings.append("\(file): \(defaultedNamespaces) namespaced object\(defaultedNamespaces == 1 ? "" : "s") without metadata.namespace placed in namespace \"default\", as kubectl would")
        }
        defaultedNamespaces = 0
    }

    private func error(_ tape: TapeView, _ node: Int, _ message: String, notKubernetes: Bool = false) -> DumpError {
        let (line, column) = tape.location(of: node)
        return DumpError(file: file, line: line > 0 ? line : nil, column: line > 0 ? column : nil, message: message,
                         notKubernetes: notKubernetes)
    }

    // MARK: - Documents and Lists

    /// A whole document or top-level JSON value.
    func document(_ tape: TapeView, root: Int) throws {
        switch tape.kind(root) {
        case .object:
            warnRepeatedKeys(tape, root: root)
            if skipRejected(tape, root: root) {
                documents += 1
                return
            }
            let kind = tape.string(tape.field(root, "kind"))
            let apiVersion = tape.string(tape.field(root, "apiVersion"))
            if let items = tape.field(root, "items"), kind == nil || kind!.hasSuffix("List"),
               tape.kind(items) == .array || tape.isNull(items) {
                try listEnvelope(tape, root: root)
                // The list's kind is known here, so no item is handed back.
                try tape.forEachElement(items) { item in
                    _ = try listItem(tape, root: item, listKind: kind ?? "", listAPIVersion: apiVersion)
                }
            } else {
                documents += 1
                try object(tape, root: root, kind: kind)
            }
        case .array:
            throw error(tape, root, "not a Kubernetes object: the document is a sequence (expected a mapping with kind and apiVersion)", notKubernetes: true)
        case .quoted, .plain:
            if tape.isNull(root) { return }  // an empty YAML document (`---` then `---`, or comments only)
            throw error(tape, root, "not a Kubernetes object: the document is a single scalar value", notKubernetes: true)
        }
    }

    /// The parts of a List beside its items; nothing to store.
    func listEnvelope(_ tape: TapeView, root: Int) throws {
        warnRepeatedKeys(tape, root: root)
        documents += 1
    }

    /// One item of a List. Items of a typed list (`SecretList`) carry no
    /// kind: it is the list's kind without `List`. Returns false when the
    /// item has no kind and the list's kind is not known yet (the reader
    /// hands it back once it is).
    func listItem(_ tape: TapeView, root: Int, listKind: String?, listAPIVersion: String?) throws -> Bool {
        guard tape.kind(root) == .object else {
            throw error(tape, root, "not a Kubernetes object: a List item that is not a mapping")
        }
        if let kind = tape.string(tape.field(root, "kind")) {
            warnRepeatedKeys(tape, root: root)
            if skipRejected(tape, root: root) { return true }
            try object(tape, root: root, kind: kind)
            return true
        }
        // Handed back (its kind is not known yet): warned about when it comes again.
        guard let listKind else { return false }
        warnRepeatedKeys(tape, root: root)
        if skipRejected(tape, root: root) { return true }
        guard listKind.hasSuffix("List"), listKind != "List" else {
            throw error(tape, root, "object without kind in a \(listKind.isEmpty ? "list without kind" : MessageText.excerpt(listKind)) (only typed lists such as SecretList may omit it)")
        }
        try object(tape, root: root, kind: String(listKind.dropLast(4)), defaultAPIVersion: listAPIVersion)
        return true
    }

    // MARK: - Objects

    private func object(_ tape: TapeView, root: Int, kind: String?, defaultAPIVersion: String? = nil) throws {
        let storage = tape.storage.takeUnretainedValue()
        storage.wrongTypeNode = -1
        let apiVersion = tape.string(tape.field(root, "apiVersion")) ?? defaultAPIVersion
        guard let kind, !kind.isEmpty else {
            if apiVersion == nil {
                throw error(tape, root, "not a Kubernetes object: a mapping without kind or apiVersion", notKubernetes: true)
            }
            throw error(tape, root, "object without kind (apiVersion \(MessageText.excerpt(apiVersion!)))", notKubernetes: true)
        }
        objects += 1
        // A typed list's items have no apiVersion: judge them by kind alone.
        let group: String?
        let row: (kind: ReadKind, stored: StoredKind)?
        if let last = lastKind, sameBytes(last.kind, kind), last.apiVersion == apiVersion {
            (group, row) = (last.group, last.row)
        } else {
            group = apiVersion.map(apiGroup(ofAPIVersion:))
            let found = group.map { KindTable.lookup(kind, group: $0) }
                ?? KindTable.row(named: kind)
            row = found.map { ($0, StoredKind($0)) }
            lastKind = (kind, apiVersion, group, row)
        }
        guard let row else {
            let key = KindTable.readsKindName(kind) && !(group ?? "").isEmpty ? "\(kind).\(group!)" : kind
            // The summary prints these names: never a long run of input or a control character.
            skipped[MessageText.isSafe(key) ? key : MessageText.excerpt(key), default: 0] += 1
            return
        }
        let stored = row.stored
        let metadata = tape.field(root, "metadata")
        guard let name = tape.string(tape.field(metadata, "name")), !name.isEmpty else {
            if storage.wrongTypeNode >= 0 { return rejectWrongType(tape, root: root, kind: kind, what: "") }
            throw error(tape, root, "\(MessageText.excerpt(kind)) without metadata.name")
        }
        var namespace = ""
        if row.kind.namespaced {
            namespace = tape.string(tape.field(metadata, "namespace")) ?? ""
            if namespace.isEmpty {
                namespace = "default"
                defaultedNamespaces += 1
            }
        }
        let map = KubeMapping(tape: tape)
        let meta = map.meta(metadata, name: name, namespace: namespace)
        let key = ObjectKey(kind: stored.keyKind(kind), namespace: namespace, name: name, array: SnapshotArray(stored))
        let isYAML = if case .lineColumn = tape.locations { true } else { false }
        let position = isYAML ? tape.location(of: root).line : tape.nodes[root].start
        // The value is mapped before `put` runs, so a string field of the
        // wrong type read on the way is known here.
        func put<T>(_ value: consuming T, _ array: inout [T]) {
            if storage.wrongTypeNode >= 0 {
                return rejectWrongType(tape, root: root, kind: kind, what: qualifiedName(namespace: key.namespace, name: key.name))
            }
            if store(value, key, position: position, in: &array) {
                duplicate(key, line: isYAML ? position : tape.location(of: root).line)
            }
        }
        if skipForShapeProblems(tape, root: root, stored: stored, kind: kind, key: key) { return }
        switch stored {
        case .namespace: put(Namespace(meta: meta), &snapshot.namespaces)
        case .node: put(Node(meta: meta), &snapshot.nodes)
        case .serviceAccount: put(map.serviceAccount(root, meta: meta), &snapshot.serviceAccounts)
        case .role, .clusterRole: put(map.role(root, meta: meta, isClusterRole: stored == .clusterRole), &snapshot.roles)
        case .roleBinding, .clusterRoleBinding: put(map.binding(root, meta: meta), &snapshot.bindings)
        case .pod: put(Pod(meta: meta, spec: map.podSpec(tape.field(root, "spec"))), &snapshot.pods)
        case .workload: put(Workload(kind: kind, meta: meta, template: map.workloadTemplate(root, kind: kind)), &snapshot.workloads)
        case .secret: put(map.secret(root, meta: meta, scratch: scratch), &snapshot.secrets)
        case .ingress: put(map.ingress(root, meta: meta), &snapshot.ingresses)
        case .gateway: put(map.gateway(root, meta: meta), &snapshot.gateways)
        case .certificate: put(map.certificate(root, meta: meta, group: group ?? "cert-manager.io"), &snapshot.certificates)
        case .issuer, .clusterIssuer: put(map.issuer(root, meta: meta, kind: kind), &snapshot.issuers)
        case .service: put(map.service(root, meta: meta), &snapshot.serving.services)
        case .gatewayRoute: put(map.gatewayRoute(root, meta: meta, kind: kind), &snapshot.serving.gatewayRoutes)
        case .istioGateway: put(map.istioGateway(root, meta: meta), &snapshot.serving.istioGateways)
        case .peerAuthentication: put(map.peerAuthentication(root, meta: meta), &snapshot.serving.peerAuthentications)
        case .traefikIngressRoute: put(map.traefikIngressRoute(root, meta: meta, kind: kind), &snapshot.serving.ingressRoutes)
        case .externalSecret: put(map.externalSecret(root, meta: meta), &snapshot.serving.externalSecrets)
        }
    }

    /// RBAC objects the API server would reject (see ``RBACShape``): a
    /// warning per problem, and the object is skipped. Returns whether it was.
    private func skipForShapeProblems(_ tape: TapeView, root: Int, stored: StoredKind, kind: String, key: ObjectKey) -> Bool {
        let shape = RBACShape(tape: tape)
        let problems: [RBACShape.Problem]
        switch stored {
        case .role, .clusterRole: problems = shape.roleProblems(root)
        case .roleBinding, .clusterRoleBinding: problems = shape.bindingProblems(root)
        default: return false
        }
        let what = qualifiedName(namespace: key.namespace, name: key.name)
        for problem in problems {
            warnings.append("\(file):\(problem.line): \(kind) \(what): \(problem.message); skipped, "
                + "as the API server would reject this object (it grants nothing)")
        }
        return !problems.isEmpty
    }

    /// A document or List item the YAML reader marked as one the API server
    /// would reject as a whole (a bad merge key): a warning, and it is skipped.
    private func skipRejected(_ tape: TapeView, root: Int) -> Bool {
        guard let rejection = tape.storage.takeUnretainedValue().rejection else { return false }
        objects += 1
        warnings.append("\(file):\(rejection.line): \(label(tape, root: root)): \(rejection.message); skipped, "
            + "as kubectl and the API server would reject it")
        return true
    }

    /// A string field holds a number, a boolean, a list or a mapping: the API
    /// server fails to decode such an object, so it is skipped with a warning
    /// naming the field and its line. The value itself is never quoted (it
    /// may be a secret's).
    private func rejectWrongType(_ tape: TapeView, root: Int, kind: String, what: String) {
        let storage = tape.storage.takeUnretainedValue()
        let node = storage.wrongTypeNode
        storage.wrongTypeNode = -1
        let found: String
        switch tape.kind(node) {
        case .object: found = "a mapping"
        case .array: found = "a list"
        case .quoted: found = "a string"
        case .plain:
            switch tape.withBytes(node, YAMLPlainScalar.resolve) {
            case .bool: found = "a boolean (YAML 1.1 reads unquoted yes/no/on/off/true/false as one)"
            case .int, .float: found = "a number"
            default: found = "not a string"
            }
        }
        let line = tape.location(of: node).line
        let name = what.isEmpty ? label(tape, root: root) : "\(MessageText.excerpt(kind)) \(what)"
        warnings.append("\(file):\(line): \(name): \(tape.fieldPath(to: node, from: root)) is \(found) where Kubernetes "
            + "expects a string (quote the value); skipped, as the API server would reject this object")
    }

    /// `Kind namespace/name` of an object for a message, read without judging types.
    private func label(_ tape: TapeView, root: Int) -> String {
        let kind = tape.scalarText(tape.field(root, "kind")) ?? "object"
        let metadata = tape.field(root, "metadata")
        let name = tape.scalarText(tape.field(metadata, "name")) ?? ""
        let namespace = tape.scalarText(tape.field(metadata, "namespace")) ?? ""
        let what = name.isEmpty || namespace.isEmpty ? name : "\(namespace)/\(name)"
        return MessageText.excerpt(what.isEmpty ? kind : "\(kind) \(what)", limit: 120)
    }

    /// Keys the reader met twice in one mapping and resolved as Kubernetes
    /// does (see RepeatedKeys.swift): one warning each, naming both lines.
    private func warnRepeatedKeys(_ tape: TapeView, root: Int) {
        let storage = tape.storage.takeUnretainedValue()
        guard !storage.repeatedKeys.isEmpty else { return }
        // In file order: a JSON line index counts forward.
        let repeats = storage.repeatedKeys.sorted { $0.ignored < $1.ignored }
        storage.repeatedKeys.removeAll()
        let name = label(tape, root: root)
        for entry in repeats {
            let line = tape.line(atPosition: entry.ignored)
            let again = tape.line(atPosition: entry.repeatedAt)
            warnings.append("\(file):\(line): \(name): the key \"\(MessageText.excerpt(entry.key))\" comes again at line \(again) "
                + "of the same mapping; Kubernetes reads only the last value (kubectl reads YAML with go-yaml and JSON "
                + "with encoding/json into maps), and so does keyreach")
        }
    }

    private func duplicate(_ key: ObjectKey, line: Int) {
        let what = qualifiedName(namespace: key.namespace, name: key.name)
        warnings.append("\(file):\(line): \(key.kind) \(what) appears twice; the last one wins")
    }

    /// Stores an object, replacing an earlier one with the same key (one
    /// hash lookup when there is none); returns whether it replaced one.
    @discardableResult
    private func store<T>(_ value: consuming T, _ key: ObjectKey, position: Int, in array: inout [T]) -> Bool {
        if let old = slots.updateValue(Slot(index: array.count, position: position), forKey: key) {
            // Keep where the key was first read: if an earlier part of the
            // file holds it too, that first read is the one that repeats it.
            slots[key] = old
            array[old.index] = value
            return true
        }
        array.append(value)
        return false
    }

    // MARK: - Parts read in parallel

    /// What a sink read, as a value: a part read on another thread hands it
    /// back this way (a Sendable value crosses threads; the sink stays put).
    struct Output: Sendable {
        fileprivate var snapshot: ClusterSnapshot
        fileprivate var slots: [ObjectKey: Slot]
        fileprivate var skipped: [String: Int]
        fileprivate var warnings: [String]
        fileprivate var documents: Int
        fileprivate var objects: Int
        fileprivate var defaultedNamespaces: Int
    }

    /// Everything read, leaving this sink empty.
    func takeOutput() -> Output {
        var taken = Output(snapshot: ClusterSnapshot(), slots: [:], skipped: skipped, warnings: warnings, documents: documents,
                           objects: objects, defaultedNamespaces: defaultedNamespaces)
        swap(&taken.snapshot, &snapshot)
        swap(&taken.slots, &slots)
        skipped = [:]
        warnings = []
        (documents, objects, defaultedNamespaces) = (0, 0, 0)
        return taken
    }

    /// Takes over what `later` (the next part of the same file) read, as if
    /// this sink had read it: same-name objects replace earlier ones, with
    /// the warning naming the later line (`lineOf` turns a stored position
    /// into one).
    func absorb(_ later: DocumentSink, lineOf: (Int) -> Int = { $0 }) {
        absorb(later.takeOutput(), lineOf: lineOf)
    }

    func absorb(_ later: consuming Output, lineOf: (Int) -> Int = { $0 }) {
        slots.reserveCapacity(slots.count + later.slots.count)
        // Objects are moved, not copied (no retain and release per field):
        // each array reversed, then taken from its end in order.
        var s = ClusterSnapshot()
        swap(&s, &later.snapshot)
        s.reverseArrays()
        // The later part's keys per array in its own order (a slot's index is
        // its array position), so the merged arrays are exactly what one
        // sequential read would have built. Bucketed, not sorted.
        var counts = [s.namespaces.count, s.nodes.count, s.serviceAccounts.count, s.roles.count, s.bindings.count,
                      s.pods.count, s.secrets.count, s.ingresses.count, s.gateways.count, s.certificates.count,
                      s.issuers.count, s.workloads.count]
        counts += [s.serving.services.count, s.serving.gatewayRoutes.count, s.serving.istioGateways.count]
        counts += [s.serving.peerAuthentications.count, s.serving.ingressRoutes.count, s.serving.externalSecrets.count]
        var starts = [0]
        for count in counts { starts.append(starts.last! + count) }
        var order = [(key: ObjectKey, slot: Slot)?](repeating: nil, count: starts.last!)
        for (key, slot) in later.slots { order[starts[Int(key.array.rawValue)] + slot.index] = (key, slot) }
        for entry in order {
            // Every element of the later part's arrays has exactly one slot.
            let (key, slot) = entry!
            let replaced: Bool
            switch key.array {
            case .namespaces: replaced = store(s.namespaces.removeLast(), key, position: slot.position, in: &snapshot.namespaces)
            case .nodes: replaced = store(s.nodes.removeLast(), key, position: slot.position, in: &snapshot.nodes)
            case .serviceAccounts: replaced = store(s.serviceAccounts.removeLast(), key, position: slot.position, in: &snapshot.serviceAccounts)
            case .roles: replaced = store(s.roles.removeLast(), key, position: slot.position, in: &snapshot.roles)
            case .bindings: replaced = store(s.bindings.removeLast(), key, position: slot.position, in: &snapshot.bindings)
            case .pods: replaced = store(s.pods.removeLast(), key, position: slot.position, in: &snapshot.pods)
            case .secrets: replaced = store(s.secrets.removeLast(), key, position: slot.position, in: &snapshot.secrets)
            case .ingresses: replaced = store(s.ingresses.removeLast(), key, position: slot.position, in: &snapshot.ingresses)
            case .gateways: replaced = store(s.gateways.removeLast(), key, position: slot.position, in: &snapshot.gateways)
            case .certificates: replaced = store(s.certificates.removeLast(), key, position: slot.position, in: &snapshot.certificates)
            case .issuers: replaced = store(s.issuers.removeLast(), key, position: slot.position, in: &snapshot.issuers)
            case .workloads: replaced = store(s.workloads.removeLast(), key, position: slot.position, in: &snapshot.workloads)
            case .services: replaced = store(s.serving.services.removeLast(), key, position: slot.position, in: &snapshot.serving.services)
            case .gatewayRoutes: replaced = store(s.serving.gatewayRoutes.removeLast(), key, position: slot.position, in: &snapshot.serving.gatewayRoutes)
            case .istioGateways: replaced = store(s.serving.istioGateways.removeLast(), key, position: slot.position, in: &snapshot.serving.istioGateways)
            case .peerAuthentications: replaced = store(s.serving.peerAuthentications.removeLast(), key, position: slot.position, in: &snapshot.serving.peerAuthentications)
            case .ingressRoutes: replaced = store(s.serving.ingressRoutes.removeLast(), key, position: slot.position, in: &snapshot.serving.ingressRoutes)
            case .externalSecrets: replaced = store(s.serving.externalSecrets.removeLast(), key, position: slot.position, in: &snapshot.serving.externalSecrets)
            }
            if replaced { duplicate(key, line: lineOf(slot.position)) }
        }
        warnings += later.warnings
        skipped.merge(later.skipped, uniquingKeysWith: +)
        documents += later.documents
        objects += later.objects
        defaultedNamespaces += later.defaultedNamespaces
    }
}

/// The snapshot array a stored kind goes to (Role and ClusterRole share one),
/// in the snapshot's order.
private enum SnapshotArray: UInt8 {
    case namespaces, nodes, serviceAccounts, roles, bindings, pods, secrets, ingresses, gateways, certificates, issuers, workloads
    case services, gatewayRoutes, istioGateways, peerAuthentications, ingressRoutes, externalSecrets

    init(_ kind: StoredKind) {
        switch kind {
        case .namespace: self = .namespaces
        case .node: self = .nodes
        case .serviceAccount: self = .serviceAccounts
        case .role, .clusterRole: self = .roles
        case .roleBinding, .clusterRoleBinding: self = .bindings
        case .pod: self = .pods
        case .secret: self = .secrets
        case .ingress: self = .ingresses
        case .gateway: self = .gateways
        case .certificate: self = .certificates
        case .issuer, .clusterIssuer: self = .issuers
        case .workload: self = .workloads
        case .service: self = .services
        case .gatewayRoute: self = .gatewayRoutes
        case .istioGateway: self = .istioGateways
        case .peerAuthentication: self = .peerAuthentications
        case .traefikIngressRoute: self = .ingressRoutes
        case .externalSecret: self = .externalSecrets
        }
    }
}

private extension ClusterSnapshot {
    /// Every array reversed in place.
    mutating func reverseArrays() {
        namespaces.reverseByMoving()
        nodes.reverseByMoving()
        serviceAccounts.reverseByMoving()
        roles.reverseByMoving()
        bindings.reverseByMoving()
        pods.reverseByMoving()
        secrets.reverseByMoving()
        ingresses.reverseByMoving()
        gateways.reverseByMoving()
        certificates.reverseByMoving()
        issuers.reverseByMoving()
        workloads.reverseByMoving()
        serving.services.reverseByMoving()
        serving.gatewayRoutes.reverseByMoving()
        serving.istioGateways.reverseByMoving()
        serving.peerAuthentications.reverseByMoving()
        serving.ingressRoutes.reverseByMoving()
        serving.externalSecrets.reverseByMoving()
    }
}

private extension Array {
    /// Reversed by moving elements bit for bit: the generic `reverse()`
    /// copies them, a retain and a release per reference they hold.
    mutating func reverseByMoving() {
        withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var i = 0
            var j = buffer.count - 1
            while i < j {
                let first = (base + i).move()
                (base + i).moveInitialize(from: base + j, count: 1)
                (base + j).initialize(to: first)
                i += 1
                j -= 1
            }
        }
    }
}
