import KubeModel

/// The Kubernetes field logic, written once over a tape whichever format it
/// came from. Each function reads exactly the fields KubeModel keeps.
struct KubeMapping {
    let tape: TapeView

    /// The annotation `kubectl apply` writes: it can hold a whole Secret, values included.
    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    // MARK: - Metadata

    /// `metadata` without `managedFields` (never read) and without the
    /// last-applied-configuration annotation.
    /// `metadata` is the object's metadata node, `name` its name, already read.
    func meta(_ m: Int?, name: String, namespace: String) -> ObjectMeta {
        let annotationsNode = tape.field(m, "annotations")
        // Sized up front; minimumCapacity, since reserveCapacity is not specialised.
        var annotations = ByteKeyedMap(minimumCapacity: tape.fieldCount(annotationsNode))
        tape.forEachField(annotationsNode) { key, value in
            guard !tape.rawEquals(key, "kubectl.kubernetes.io/last-applied-configuration"),
                  let k = tape.string(key), !sameBytes(k, Self.lastAppliedAnnotation), let v = tape.string(value) else { return }
            annotations[k] = v
        }
        return ObjectMeta(
            name: name,
            namespace: namespace,
            uid: tape.string(tape.field(m, "uid")) ?? "",
            labels: tape.stringMap(tape.field(m, "labels")),
            annotations: annotations,
            ownerReferences: ownerReferences(tape.field(m, "ownerReferences")))
    }

    private func ownerReferences(_ array: Int?) -> [OwnerReference] {
        guard let array else { return [] }
        var result: [OwnerReference] = []
        result.reserveCapacity(tape.elementCount(array))
        tape.forEachElement(array) { ref in
            result.append(OwnerReference(
                apiVersion: tape.string(tape.field(ref, "apiVersion")) ?? "",
                kind: tape.string(tape.field(ref, "kind")) ?? "",
                name: tape.string(tape.field(ref, "name")) ?? "",
                uid: tape.string(tape.field(ref, "uid")) ?? "",
                controller: tape.bool(tape.field(ref, "controller")) ?? false))
        }
        return result
    }

    private func names(_ array: Int?) -> [String] {
        guard let array else { return [] }
        var result: [String] = []
        tape.forEachElement(array) { if let name = tape.string(tape.field($0, "name")) { result.append(name) } }
        return result
    }

    // MARK: - RBAC

    func role(_ object: Int, meta: ObjectMeta, isClusterRole: Bool) -> Role {
        var rules: [PolicyRule] = []
        tape.forEachElement(tape.field(object, "rules")) { rule in
            rules.append(PolicyRule(
                verbs: tape.strings(tape.field(rule, "verbs")),
                apiGroups: tape.strings(tape.field(rule, "apiGroups")),
                resources: tape.strings(tape.field(rule, "resources")),
                resourceNames: tape.strings(tape.field(rule, "resourceNames")),
                nonResourceURLs: tape.strings(tape.field(rule, "nonResourceURLs"))))
        }
        var aggregation: AggregationRule?
        if isClusterRole, let rule = tape.field(object, "aggregationRule"), tape.kind(rule) == .object {
            var selectors: [LabelSelector] = []
            tape.forEachElement(tape.field(rule, "clusterRoleSelectors")) { selectors.append(labelSelector($0)) }
            aggregation = AggregationRule(clusterRoleSelectors: selectors)
        }
        return Role(meta: meta, rules: rules, aggregationRule: aggregation)
    }

    func labelSelector(_ selector: Int) -> LabelSelector {
        var expressions: [LabelSelectorRequirement] = []
        tape.forEachElement(tape.field(selector, "matchExpressions")) { e in
            expressions.append(LabelSelectorRequirement(
                key: tape.string(tape.field(e, "key")) ?? "",
                operator: tape.string(tape.field(e, "operator")) ?? "",
                values: tape.strings(tape.field(e, "values"))))
        }
        return LabelSelector(matchLabels: tape.stringMap(tape.field(selector, "matchLabels")), matchExpressions: expressions)
    }

    /// A binding; one without `subjects` (like bootstrap `system:node`) is valid and binds no one.
    func binding(_ object: Int, meta: ObjectMeta) -> RoleBinding {
        let ref = tape.field(object, "roleRef")
        var subjects: [Subject] = []
        tape.forEachElement(tape.field(object, "subjects")) { s in
            subjects.append(Subject(
                kind: tape.string(tape.field(s, "kind")) ?? "",
                apiGroup: tape.string(tape.field(s, "apiGroup")) ?? "",
                name: tape.string(tape.field(s, "name")) ?? "",
                namespace: tape.string(tape.field(s, "namespace")) ?? ""))
        }
        return RoleBinding(
            meta: meta,
            roleRef: RoleRef(apiGroup: tape.string(tape.field(ref, "apiGroup")) ?? "rbac.authorization.k8s.io",
                             kind: tape.string(tape.field(ref, "kind")) ?? "",
                             name: tape.string(tape.field(ref, "name")) ?? ""),
            subjects: subjects)
    }

    func serviceAccount(_ object: Int, meta: ObjectMeta) -> ServiceAccount {
        ServiceAccount(
            meta: meta,
            automountServiceAccountToken: tape.bool(tape.field(object, "automountServiceAccountToken")),
            secretNames: names(tape.field(object, "secrets")),
            imagePullSecretNames: names(tape.field(object, "imagePullSecrets")))
    }

    // MARK: - Pods and workloads

    /// The pod template of a controller: `spec.template.spec`, or for a
    /// CronJob `spec.jobTemplate.spec.template.spec`.
    func workloadTemplate(_ object: Int, kind: String) -> PodSpec {
        let spec = tape.field(object, "spec")
        let jobSpec = kind == "CronJob" ? tape.path(spec, "jobTemplate", "spec") : spec
        return podSpec(tape.path(jobSpec, "template", "spec"))
    }

    /// A pod spec and every secret it names, in the places
    /// podutil.VisitPodSecretNames (pkg/api/v1/pod/util.go) visits: the node
    /// authorizer lets the pod's kubelet read each one.
    func podSpec(_ spec: Int?) -> PodSpec {
        guard let spec, tape.kind(spec) == .object else { return PodSpec() }
        var refs: [PodSecretReference] = []
        for name in names(tape.field(spec, "imagePullSecrets")) {
            refs.append(PodSecretReference(name: name, source: .imagePullSecret))
        }
        tape.forEachElement(tape.field(spec, "containers")) { containerSecretReferences($0, into: &refs) }
        tape.forEachElement(tape.field(spec, "initContainers")) { containerSecretReferences($0, into: &refs) }
        tape.forEachElement(tape.field(spec, "ephemeralContainers")) { containerSecretReferences($0, into: &refs) }
        tape.forEachElement(tape.field(spec, "volumes")) { volumeSecretReferences($0, into: &refs) }
        let serviceAccount = tape.string(tape.field(spec, "serviceAccountName"))
            ?? tape.string(tape.field(spec, "serviceAccount"))
        var podSpec = PodSpec(
            serviceAccountName: serviceAccount.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            nodeName: tape.string(tape.field(spec, "nodeName")) ?? "",
            automountServiceAccountToken: tape.bool(tape.field(spec, "automountServiceAccountToken")),
            secretReferences: refs)
        podSpec.containers = containerSummaries(spec)
        return podSpec
    }

    private func containerSecretReferences(_ container: Int, into refs: inout [PodSecretReference]) {
        lazy var containerName = tape.string(tape.field(container, "name")) ?? ""
        tape.forEachElement(tape.field(container, "envFrom")) { source in
            if let name = tape.string(tape.path(source, "secretRef", "name")) {
                refs.append(PodSecretReference(name: name, source: .envFrom, detail: containerName))
            }
        }
        tape.forEachElement(tape.field(container, "env")) { env in
            if let name = tape.string(tape.path(env, "valueFrom", "secretKeyRef", "name")) {
                refs.append(PodSecretReference(name: name, source: .env, detail: containerName))
            }
        }
    }

    private func volumeSecretReferences(_ volume: Int, into refs: inout [PodSecretReference]) {
        var volumeName: String?
        func add(_ name: String?, _ source: PodSecretReference.Source) {
            guard let name, !name.isEmpty else { return }
            if volumeName == nil { volumeName = tape.string(tape.field(volume, "name")) ?? "" }
            refs.append(PodSecretReference(name: name, source: source, detail: volumeName!))
        }
        add(tape.string(tape.path(volume, "secret", "secretName")), .volume)
        tape.forEachElement(tape.path(volume, "projected", "sources")) { source in
            add(tape.string(tape.path(source, "secret", "name")), .projectedVolume)
        }
        add(tape.string(tape.path(volume, "csi", "nodePublishSecretRef", "name")), .csiVolume)
        add(tape.string(tape.path(volume, "azureFile", "secretName")), .otherVolume)
        add(tape.string(tape.path(volume, "cephfs", "secretRef", "name")), .otherVolume)
        add(tape.string(tape.path(volume, "cinder", "secretRef", "name")), .otherVolume)
        add(tape.string(tape.path(volume, "flexVolume", "secretRef", "name")), .otherVolume)
        add(tape.string(tape.path(volume, "rbd", "secretRef", "name")), .otherVolume)
        add(tape.string(tape.path(volume, "scaleIO", "secretRef", "name")), .otherVolume)
        add(tape.string(tape.path(volume, "iscsi", "secretRef", "name")), .otherVolume)
        add(tape.string(tape.path(volume, "storageos", "secretRef", "name")), .otherVolume)
    }

    // MARK: - Networking

    /// An Ingress of any version: v1 `backend.service.{name,port.number|name}`
    /// and v1beta1 `backend.{serviceName,servicePort}`. A default backend
    /// becomes a rule with host `""` (it serves every host).
    func ingress(_ object: Int, meta: ObjectMeta) -> Ingress {
        let spec = tape.field(object, "spec")
        var tls: [IngressTLS] = []
        tape.forEachElement(tape.field(spec, "tls")) { entry in
            tls.append(IngressTLS(hosts: tape.strings(tape.field(entry, "hosts")),
                                  secretName: tape.string(tape.field(entry, "secretName")) ?? ""))
        }
        var rules: [IngressRule] = []
        if let backend = tape.field(spec, "defaultBackend") ?? tape.field(spec, "backend"),
           let resolved = ingressBackend(backend, path: "") {
            rules.append(IngressRule(host: "", backends: [resolved]))
        }
        tape.forEachElement(tape.field(spec, "rules")) { rule in
            var backends: [IngressBackend] = []
            tape.forEachElement(tape.path(rule, "http", "paths")) { path in
                if let backend = tape.field(path, "backend"),
                   let resolved = ingressBackend(backend, path: tape.string(tape.field(path, "path")) ?? "") {
                    backends.append(resolved)
                }
            }
            rules.append(IngressRule(host: tape.string(tape.field(rule, "host")) ?? "", backends: backends))
        }
        return Ingress(meta: meta, ingressClassName: tape.string(tape.field(spec, "ingressClassName")) ?? "",
                       tls: tls, rules: rules)
    }

    private func ingressBackend(_ backend: Int, path: String) -> IngressBackend? {
        if let service = tape.field(backend, "service") {
            let port = tape.field(service, "port")
            return IngressBackend(path: path, serviceName: tape.string(tape.field(service, "name")) ?? "",
                                  port: tape.scalarText(tape.field(port, "number")) ?? tape.string(tape.field(port, "name")) ?? "")
        }
        guard let name = tape.string(tape.field(backend, "serviceName")) else { return nil }
        return IngressBackend(path: path, serviceName: name, port: tape.scalarText(tape.field(backend, "servicePort")) ?? "")
    }

    /// A Gateway-API Gateway. certificateRefs default as the API does:
    /// namespace the Gateway's, kind `Secret`, group `""` (core).
    func gateway(_ object: Int, meta: ObjectMeta) -> Gateway {
        let spec = tape.field(object, "spec")
        var listeners: [GatewayListener] = []
        tape.forEachElement(tape.field(spec, "listeners")) { l in
            let tls = tape.field(l, "tls").flatMap { tape.kind($0) == .object ? $0 : nil }
            var refs: [GatewayCertificateRef] = []
            tape.forEachElement(tape.field(tls, "certificateRefs")) { ref in
                refs.append(GatewayCertificateRef(
                    group: tape.string(tape.field(ref, "group")) ?? "",
                    kind: tape.string(tape.field(ref, "kind")) ?? "Secret",
                    namespace: tape.string(tape.field(ref, "namespace")) ?? meta.namespace,
                    name: tape.string(tape.field(ref, "name")) ?? ""))
            }
            listeners.append(GatewayListener(
                name: tape.string(tape.field(l, "name")) ?? "",
                hostname: tape.string(tape.field(l, "hostname")) ?? "",
                port: tape.int(tape.field(l, "port")) ?? 0,
                protocol: tape.string(tape.field(l, "protocol")) ?? "",
                tlsMode: tls == nil ? "" : (tape.string(tape.field(tls, "mode")) ?? "Terminate"),
                certificateRefs: refs))
        }
        return Gateway(meta: meta, gatewayClassName: tape.string(tape.field(spec, "gatewayClassName")) ?? "",
                       listeners: listeners)
    }

    // MARK: - cert-manager

    /// A Certificate; `issuerRef.kind` defaults to `Issuer` and its group to
    /// the Certificate's own API group.
    func certificate(_ object: Int, meta: ObjectMeta, group: String) -> Certificate {
        let spec = tape.field(object, "spec")
        let ref = tape.field(spec, "issuerRef")
        return Certificate(
            meta: meta,
            secretName: tape.string(tape.field(spec, "secretName")) ?? "",
            commonName: tape.string(tape.field(spec, "commonName")) ?? "",
            dnsNames: tape.strings(tape.field(spec, "dnsNames")),
            issuerRef: IssuerRef(name: tape.string(tape.field(ref, "name")) ?? "",
                                 kind: tape.string(tape.field(ref, "kind")) ?? "Issuer",
                                 group: tape.string(tape.field(ref, "group")) ?? group),
            isCA: tape.bool(tape.field(spec, "isCA")) ?? false)
    }

    /// An Issuer or ClusterIssuer: the CA key (`spec.ca.secretName`), the ACME
    /// account key, and every other credential secret by field path — any
    /// `…SecretRef`, `secretRef` or `credentialsRef` with a `name` (vault
    /// token/appRole/kubernetes auth, venafi tpp/cloud, ACME solvers, EAB).
    func issuer(_ object: Int, meta: ObjectMeta, kind: String) -> Issuer {
        let spec = tape.field(object, "spec")
        let acmeKeyPath = "spec.acme.privateKeySecretRef"
        var others: [String: String] = [:]
        if let spec { collectSecretRefs(spec, path: "spec", depth: 0, into: &others) }
        others.removeValue(forKey: acmeKeyPath)
        return Issuer(
            meta: meta, kind: kind,
            caSecretName: tape.string(tape.path(spec, "ca", "secretName")) ?? "",
            acmePrivateKeySecretName: tape.string(tape.path(spec, "acme", "privateKeySecretRef", "name")) ?? "",
            otherSecretRefs: others)
    }

    private func collectSecretRefs(_ node: Int, path: String, depth: Int, into refs: inout [String: String]) {
        guard depth < 16 else { return }
        switch tape.kind(node) {
        case .object:
            tape.forEachField(node) { key, value in
                guard let name = tape.string(key) else { return }
                let childPath = path + "." + name
                if Self.isSecretRefField(name), let secret = tape.string(tape.field(value, "name")) {
                    refs[childPath] = secret
                } else {
                    collectSecretRefs(value, path: childPath, depth: depth + 1, into: &refs)
                }
            }
        case .array:
            var i = 0
            tape.forEachElement(node) { element in
                collectSecretRefs(element, path: "\(path)[\(i)]", depth: depth + 1, into: &refs)
                i += 1
            }
        default: break
        }
    }

    private static func isSecretRefField(_ name: String) -> Bool {
        name.hasSuffix("SecretRef") || name == "secretRef" || name == "credentialsRef"
    }
}
