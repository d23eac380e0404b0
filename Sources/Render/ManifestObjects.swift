import Foundation
import KubeModel

/// Every object of a snapshot as the Kubernetes manifest DumpReader reads back
/// into the same value: one function per kind, writing exactly the fields
/// KubeModel keeps (DumpReader's KubeMapping and ServingMapping read them).
/// Defaults the reader fills in (`Opaque`, `default`, a listener's `Secret`
/// kind) are written out, so nothing depends on them.
enum ManifestObjects {
    /// Calls `body` once per object, arrays in snapshot order and each in its
    /// own order (a read puts every kind in its own array, so this reads back
    /// into the same arrays); `body` runs the emitter on a writer.
    static func forEach<W: StructuredWriter>(_ s: ClusterSnapshot,
                                             _ body: (_ emit: (inout W) -> Void) throws -> Void) rethrows {
        for o in s.namespaces { try body { header(&$0, "Namespace", o.meta); $0.endObject() } }
        for o in s.nodes { try body { header(&$0, "Node", o.meta); $0.endObject() } }
        for o in s.serviceAccounts { try body { serviceAccount(o, &$0) } }
        for o in s.roles { try body { role(o, &$0) } }
        for o in s.bindings { try body { binding(o, &$0) } }
        for o in s.pods { try body { pod(o, &$0) } }
        for o in s.workloads { try body { workload(o, &$0) } }
        for o in s.secrets { try body { secret(o, &$0) } }
        for o in s.ingresses { try body { ingress(o, &$0) } }
        for o in s.gateways { try body { gateway(o, &$0) } }
        for o in s.certificates { try body { certificate(o, &$0) } }
        for o in s.issuers { try body { issuer(o, &$0) } }
        for o in s.serving.services { try body { service(o, &$0) } }
        for o in s.serving.gatewayRoutes { try body { gatewayRoute(o, &$0) } }
        for o in s.serving.istioGateways { try body { istioGateway(o, &$0) } }
        for o in s.serving.peerAuthentications { try body { peerAuthentication(o, &$0) } }
        for o in s.serving.ingressRoutes { try body { traefikIngressRoute(o, &$0) } }
        for o in s.serving.externalSecrets { try body { externalSecret(o, &$0) } }
    }

    // MARK: - Metadata

    /// Opens the object and writes apiVersion (``KindTable``'s, by kind and,
    /// where two groups share a kind name, by group), kind and metadata; the
    /// caller writes the rest and closes it.
    static func header<W: StructuredWriter>(_ w: inout W, _ kind: String, group: String? = nil, _ meta: ObjectMeta) {
        let row = group.map { KindTable.lookup(kind, group: $0) } ?? KindTable.row(named: kind)
        w.beginObject()
        // Every stored kind has a row (the reader stores no other); "v1" only for a hand-made snapshot.
        w.field("apiVersion", row?.apiVersion ?? "v1")
        w.field("kind", kind)
        w.field("metadata") { w in
            w.object { m in
                m.field("name", meta.name)
                if !meta.namespace.isEmpty { m.field("namespace", meta.namespace) }
                if !meta.uid.isEmpty { m.field("uid", meta.uid) }
                if !meta.labels.isEmpty { m.field("labels") { stringMap(meta.labels, &$0) } }
                if !meta.annotations.isEmpty { m.field("annotations") { stringMap(meta.annotations, &$0) } }
                if !meta.ownerReferences.isEmpty {
                    m.field("ownerReferences") { w in
                        w.array { a in
                            for ref in meta.ownerReferences {
                                a.object { r in
                                    r.field("apiVersion", ref.apiVersion)
                                    r.field("kind", ref.kind)
                                    r.field("name", ref.name)
                                    r.field("uid", ref.uid)
                                    r.field("controller", ref.controller)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Keys sorted, so the same snapshot always gives the same bytes.
    static func stringMap<W: StructuredWriter>(_ map: ByteKeyedMap, _ w: inout W) {
        w.object { o in
            for (key, value) in map.sortedByKey { o.field(key, value) }
        }
    }

    /// A list field, left out when empty (the reader reads absent as empty).
    static func strings<W: StructuredWriter>(_ name: String, _ values: [String], _ w: inout W) {
        if !values.isEmpty { w.field(name, strings: values) }
    }

    static func nonEmpty<W: StructuredWriter>(_ name: String, _ value: String, _ w: inout W) {
        if !value.isEmpty { w.field(name, value) }
    }

    /// An IntOrString or port as written: a number when it is one, else text.
    static func numberOrText<W: StructuredWriter>(_ name: String, _ value: String, _ w: inout W) {
        if let number = Int(value), String(number) == value { w.field(name, number) } else { w.field(name, value) }
    }

    static func objectList<W: StructuredWriter, T>(_ name: String, _ items: [T], _ w: inout W,
                                                   _ each: (T, inout W) -> Void) {
        guard !items.isEmpty else { return }
        w.field(name) { w in w.array { a in for item in items { a.object { each(item, &$0) } } } }
    }

    // MARK: - RBAC

    static func serviceAccount<W: StructuredWriter>(_ sa: ServiceAccount, _ w: inout W) {
        header(&w, "ServiceAccount", sa.meta)
        if let automount = sa.automountServiceAccountToken { w.field("automountServiceAccountToken", automount) }
        objectList("secrets", sa.secretNames, &w) { $1.field("name", $0) }
        objectList("imagePullSecrets", sa.imagePullSecretNames, &w) { $1.field("name", $0) }
        w.endObject()
    }

    static func role<W: StructuredWriter>(_ role: Role, _ w: inout W) {
        header(&w, role.isClusterRole ? "ClusterRole" : "Role", role.meta)
        w.field("rules") { w in
            w.array { a in
                for rule in role.rules {
                    a.object { r in
                        r.field("verbs", strings: rule.verbs)
                        strings("apiGroups", rule.apiGroups, &r)
                        strings("resources", rule.resources, &r)
                        strings("resourceNames", rule.resourceNames, &r)
                        strings("nonResourceURLs", rule.nonResourceURLs, &r)
                    }
                }
            }
        }
        if let aggregation = role.aggregationRule {
            w.field("aggregationRule") { w in
                w.object { o in
                    o.field("clusterRoleSelectors") { w in
                        w.array { a in for selector in aggregation.clusterRoleSelectors { labelSelector(selector, &a) } }
                    }
                }
            }
        }
        w.endObject()
    }

    static func labelSelector<W: StructuredWriter>(_ selector: LabelSelector, _ w: inout W) {
        w.object { o in
            if !selector.matchLabels.isEmpty { o.field("matchLabels") { stringMap(selector.matchLabels, &$0) } }
            objectList("matchExpressions", selector.matchExpressions, &o) { e, w in
                w.field("key", e.key)
                w.field("operator", e.operator)
                strings("values", e.values, &w)
            }
        }
    }

    static func binding<W: StructuredWriter>(_ binding: RoleBinding, _ w: inout W) {
        header(&w, binding.isClusterRoleBinding ? "ClusterRoleBinding" : "RoleBinding",
               binding.meta)
        w.field("roleRef") { w in
            w.object { r in
                r.field("apiGroup", binding.roleRef.apiGroup)
                r.field("kind", binding.roleRef.kind)
                r.field("name", binding.roleRef.name)
            }
        }
        objectList("subjects", binding.subjects, &w) { s, w in
            w.field("kind", s.kind)
            nonEmpty("apiGroup", s.apiGroup, &w)
            w.field("name", s.name)
            nonEmpty("namespace", s.namespace, &w)
        }
        w.endObject()
    }

    // MARK: - Pods and workloads

    static func pod<W: StructuredWriter>(_ pod: Pod, _ w: inout W) {
        header(&w, "Pod", pod.meta)
        w.field("spec") { podSpec(pod.spec, &$0) }
        w.endObject()
    }

    static func workload<W: StructuredWriter>(_ workload: Workload, _ w: inout W) {
        header(&w, workload.kind, workload.meta)
        func template(_ w: inout W) {
            w.object { t in t.field("template") { w in w.object { s in s.field("spec") { podSpec(workload.template, &$0) } } } }
        }
        if workload.kind == "CronJob" {
            w.field("spec") { w in w.object { s in s.field("jobTemplate") { w in w.object { j in j.field("spec", template) } } } }
        } else {
            w.field("spec", template)
        }
        w.endObject()
    }

    /// A pod spec whose secret references read back in the same order:
    /// DumpReader visits imagePullSecrets, then each container's envFrom and
    /// env, then init containers, then volumes (podutil.VisitPodSecretNames).
    static func podSpec<W: StructuredWriter>(_ spec: PodSpec, _ w: inout W) {
        let refs = spec.secretReferences
        let containerNames = Set(spec.containers.map(\.name))
        // References from containers keyreach keeps no summary of (init and
        // ephemeral ones): one init container per name, in order.
        var otherContainers: [String] = []
        for ref in refs where (ref.source == .env || ref.source == .envFrom) && !containerNames.contains(ref.detail) {
            if !otherContainers.contains(ref.detail) { otherContainers.append(ref.detail) }
        }
        w.object { s in
            s.field("serviceAccountName", spec.serviceAccountName)
            nonEmpty("nodeName", spec.nodeName, &s)
            if let automount = spec.automountServiceAccountToken { s.field("automountServiceAccountToken", automount) }
            objectList("imagePullSecrets", refs.filter { $0.source == .imagePullSecret }, &s) { $1.field("name", $0.name) }
            objectList("containers", spec.containers, &s) { c, w in
                w.field("name", c.name)
                nonEmpty("image", c.image, &w)
                strings("args", c.flags, &w)
                containerReferences(refs, container: c.name, &w)
            }
            objectList("initContainers", otherContainers, &s) { name, w in
                w.field("name", name)
                containerReferences(refs, container: name, &w)
            }
            let volumes = volumeGroups(refs)
            objectList("volumes", volumes, &s) { group, w in volume(group, &w) }
        }
    }

    static func containerReferences<W: StructuredWriter>(_ refs: [PodSecretReference], container: String, _ w: inout W) {
        let mine = refs.filter { $0.detail == container }
        objectList("envFrom", mine.filter { $0.source == .envFrom }, &w) { ref, w in
            w.field("secretRef") { w in w.object { $0.field("name", ref.name) } }
        }
        let env = mine.filter { $0.source == .env }
        objectList("env", Array(env.enumerated()), &w) { entry, w in
            w.field("name", "KEYREACH_SECRET_\(entry.offset)")
            w.field("valueFrom") { w in
                w.object { v in v.field("secretKeyRef") { w in w.object { $0.field("name", entry.element.name) } } }
            }
        }
    }

    /// Volume references, consecutive projected sources of one volume together.
    static func volumeGroups(_ refs: [PodSecretReference]) -> [[PodSecretReference]] {
        var groups: [[PodSecretReference]] = []
        for ref in refs {
            switch ref.source {
            case .volume, .csiVolume, .otherVolume: groups.append([ref])
            case .projectedVolume:
                if let last = groups.last?.last, last.source == .projectedVolume, last.detail == ref.detail {
                    groups[groups.count - 1].append(ref)
                } else {
                    groups.append([ref])
                }
            case .env, .envFrom, .imagePullSecret: continue
            }
        }
        return groups
    }

    static func volume<W: StructuredWriter>(_ group: [PodSecretReference], _ w: inout W) {
        let first = group[0]
        w.field("name", first.detail)
        switch first.source {
        case .volume:
            w.field("secret") { w in w.object { $0.field("secretName", first.name) } }
        case .projectedVolume:
            w.field("projected") { w in
                w.object { p in
                    objectList("sources", group, &p) { ref, w in
                        w.field("secret") { w in w.object { $0.field("name", ref.name) } }
                    }
                }
            }
        case .csiVolume:
            w.field("csi") { w in
                w.object { $0.field("nodePublishSecretRef") { w in w.object { $0.field("name", first.name) } } }
            }
        default:
            // Which of the volume types named it is not kept; any reads back the same.
            w.field("flexVolume") { w in
                w.object { $0.field("secretRef") { w in w.object { $0.field("name", first.name) } } }
            }
        }
    }

    // MARK: - Secrets

    /// Each key's value is ``ManifestWriter/syntheticValue(_:certificates:)``:
    /// the facts, never a value (the snapshot holds none).
    static func secret<W: StructuredWriter>(_ secret: Secret, _ w: inout W) {
        header(&w, "Secret", secret.meta)
        w.field("type", secret.type)
        if !secret.keys.isEmpty {
            w.field("data") { w in
                w.object { d in
                    for key in secret.keys {
                        let value = ManifestWriter.syntheticValue(key, certificates: secret.certificatesPEM[key.name])
                        d.field(key.name, Data(value).base64EncodedString())
                    }
                }
            }
        }
        w.endObject()
    }

    // MARK: - cert-manager

    static func certificate<W: StructuredWriter>(_ certificate: Certificate, _ w: inout W) {
        header(&w, "Certificate", certificate.meta)
        w.field("spec") { w in
            w.object { s in
                s.field("secretName", certificate.secretName)
                nonEmpty("commonName", certificate.commonName, &s)
                strings("dnsNames", certificate.dnsNames, &s)
                s.field("issuerRef") { w in
                    w.object { r in
                        r.field("name", certificate.issuerRef.name)
                        r.field("kind", certificate.issuerRef.kind)
                        r.field("group", certificate.issuerRef.group)
                    }
                }
                if certificate.isCA { s.field("isCA", true) }
            }
        }
        w.endObject()
    }

    static func issuer<W: StructuredWriter>(_ issuer: Issuer, _ w: inout W) {
        header(&w, issuer.kind, issuer.meta)
        var spec = SpecTree()
        if !issuer.caSecretName.isEmpty { spec.set(["ca", "secretName"], issuer.caSecretName) }
        if !issuer.acmePrivateKeySecretName.isEmpty {
            spec.set(["acme", "privateKeySecretRef", "name"], issuer.acmePrivateKeySecretName)
        }
        for (path, name) in issuer.otherSecretRefs.sorted(by: { $0.key < $1.key }) {
            guard let steps = SpecTree.steps(ofFieldPath: path) else { continue }
            spec.set(steps + [SpecTree.Step.field("name")], name)
        }
        w.field("spec") { spec.write(&$0) }
        w.endObject()
    }
}

/// An Issuer's `spec` rebuilt from the field paths keyreach keeps
/// (`spec.vault.auth.tokenSecretRef`, `spec.acme.solvers[0].dns01...`):
/// objects and arrays made as the paths need them, holes in arrays left as
/// empty objects (which name no secret).
struct SpecTree {
    indirect enum Node {
        case object([(key: String, value: Node)])
        case array([Node])
        case string(String)
    }

    enum Step {
        case field(String)
        case index(Int)
    }

    private var root = Node.object([])

    /// `spec.a.b[2].c` as steps below `spec`; nil for a path not of that shape.
    static func steps(ofFieldPath path: String) -> [Step]? {
        guard path.hasPrefix("spec.") else { return nil }
        var steps: [Step] = []
        for piece in path.dropFirst(5).split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(piece)
            let name = rest.prefix { $0 != "[" }
            guard !name.isEmpty else { return nil }
            steps.append(.field(String(name)))
            rest = rest.dropFirst(name.count)
            while rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]),
                      index >= 0, index < 1000 else { return nil }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { return nil }
        }
        return steps
    }

    mutating func set(_ fields: [String], _ value: String) { set(fields.map(Step.field), value) }

    mutating func set(_ steps: [Step], _ value: String) { root = Self.setting(root, steps[...], value) }

    private static func setting(_ node: Node, _ steps: ArraySlice<Step>, _ value: String) -> Node {
        guard let step = steps.first else { return .string(value) }
        switch step {
        case .field(let key):
            var members: [(key: String, value: Node)] = []
            if case .object(let existing) = node { members = existing }
            if let at = members.firstIndex(where: { $0.key == key }) {
                members[at].value = setting(members[at].value, steps.dropFirst(), value)
            } else {
                members.append((key, setting(.object([]), steps.dropFirst(), value)))
            }
            return .object(members)
        case .index(let index):
            var elements: [Node] = []
            if case .array(let existing) = node { elements = existing }
            while elements.count <= index { elements.append(.object([])) }
            elements[index] = setting(elements[index], steps.dropFirst(), value)
            return .array(elements)
        }
    }

    func write<W: StructuredWriter>(_ w: inout W) { Self.write(root, &w) }

    private static func write<W: StructuredWriter>(_ node: Node, _ w: inout W) {
        switch node {
        case .string(let text): w.string(text)
        case .array(let elements): w.array { a in for element in elements { write(element, &a) } }
        case .object(let members): w.object { o in for member in members { o.key(member.key); write(member.value, &o) } }
        }
    }
}
