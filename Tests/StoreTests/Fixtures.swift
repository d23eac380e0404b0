import KubeModel
import Store

/// Hand-built snapshots and derived access for the store tests. Fake values
/// only: nothing here is real key material.
enum Fixtures {
    /// A snapshot with every kind and every field set, including the awkward
    /// strings JSON columns must survive (quotes, backslashes, control
    /// characters, non-ASCII) and the optional values in each state.
    static func rich() -> ClusterSnapshot {
        var snapshot = ClusterSnapshot()
        snapshot.namespaces = [
            Namespace(meta: ObjectMeta(name: "production", uid: "uid-ns-1", labels: ["env": "prod", "team": "pay\"ments"])),
            Namespace(meta: ObjectMeta(name: "kube-system", annotations: ["note": "line1\nline2\ttab\\back \u{01} ünïcødé 🔑"])),
        ]
        snapshot.nodes = [Node(meta: ObjectMeta(name: "node-a", labels: ["kubernetes.io/hostname": "node-a"]))]
        snapshot.serviceAccounts = [
            ServiceAccount(meta: ObjectMeta(name: "default", namespace: "production", uid: "uid-sa"),
                           automountServiceAccountToken: false, secretNames: ["default-token-x"],
                           imagePullSecretNames: ["regcred", "regcred-2"]),
            ServiceAccount(meta: ObjectMeta(name: "builder", namespace: "production"), automountServiceAccountToken: true),
            ServiceAccount(meta: ObjectMeta(name: "plain", namespace: "kube-system")),
        ]
        snapshot.roles = [
            Role(meta: ObjectMeta(name: "secret-reader", namespace: "production", labels: ["a": "b"]),
                 rules: [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["secrets"], resourceNames: ["app-tls"]),
                         PolicyRule(verbs: ["watch"], apiGroups: [""], resources: ["secrets"])]),
            Role(meta: ObjectMeta(name: "admin", labels: ["kubernetes.io/bootstrapping": "rbac-defaults"]),
                 rules: [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
                         PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/metrics/*"])],
                 aggregationRule: AggregationRule(clusterRoleSelectors: [
                    LabelSelector(matchLabels: ["rbac.example/aggregate-to-admin": "true"]),
                    LabelSelector(matchExpressions: [
                        LabelSelectorRequirement(key: "tier", operator: "In", values: ["a", "b"]),
                        LabelSelectorRequirement(key: "legacy", operator: "DoesNotExist"),
                    ]),
                    LabelSelector(),
                 ])),
            Role(meta: ObjectMeta(name: "empty-aggregate"), rules: [], aggregationRule: AggregationRule(clusterRoleSelectors: [])),
        ]
        snapshot.bindings = [
            RoleBinding(meta: ObjectMeta(name: "read-tls", namespace: "production"),
                        roleRef: RoleRef(kind: "Role", name: "secret-reader"),
                        subjects: [Subject(kind: "ServiceAccount", name: "default"),
                                   Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice@example.com"),
                                   Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs", namespace: "x")]),
            RoleBinding(meta: ObjectMeta(name: "cluster-admin-binding"), roleRef: RoleRef(apiGroup: "", kind: "ClusterRole", name: "admin"),
                        subjects: []),
        ]
        let owner = OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d8f", uid: "uid-rs", controller: true)
        snapshot.pods = [
            Pod(meta: ObjectMeta(name: "web-0", namespace: "production", labels: ["app": "web"],
                                 ownerReferences: [owner, OwnerReference(kind: "Other", name: "o")]),
                spec: PodSpec(serviceAccountName: "default", nodeName: "node-a", automountServiceAccountToken: true,
                              secretReferences: [PodSecretReference(name: "app-tls", source: .volume, detail: "tls-vol"),
                                                 PodSecretReference(name: "db", source: .env, detail: "main"),
                                                 PodSecretReference(name: "regcred", source: .imagePullSecret)])),
            Pod(meta: ObjectMeta(name: "static-x", namespace: "kube-system", annotations: ["kubernetes.io/config.mirror": "abc"]),
                spec: PodSpec(serviceAccountName: "", nodeName: "")),
        ]
        let workloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Deployment"]
        snapshot.workloads = PodSecretReference.Source.allCases.enumerated().map { index, source in
            Workload(kind: workloadKinds[index % workloadKinds.count],
                     meta: ObjectMeta(name: "w\(index)", namespace: "production"),
                     template: PodSpec(serviceAccountName: "sa\(index)", nodeName: index == 2 ? "node-a" : "",
                                       automountServiceAccountToken: index % 3 == 0 ? nil : index % 3 == 1,
                                       secretReferences: [PodSecretReference(name: "s\(index)", source: source, detail: "d")]))
        }
        snapshot.secrets = [
            Secret(meta: ObjectMeta(name: "app-tls", namespace: "production", uid: "uid-s",
                                    annotations: ["cert-manager.io/certificate-name": "app"],
                                    ownerReferences: [OwnerReference(apiVersion: "cert-manager.io/v1", kind: "Certificate", name: "app")]),
                   type: "kubernetes.io/tls",
                   keys: [SecretKey(name: "tls.crt", size: 1200, pemBlockTypes: ["CERTIFICATE", "CERTIFICATE"]),
                          SecretKey(name: "tls.key", size: 1700, pemBlockTypes: ["RSA PRIVATE KEY"]),
                          SecretKey(name: "ca.crt", size: 0)],
                   certificatesPEM: ["tls.crt": "-----BEGIN CERTIFICATE-----\nRkFLRQ==\n-----END CERTIFICATE-----\n",
                                     "ca.crt": "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n"]),
            Secret(meta: ObjectMeta(name: "db", namespace: "production"), keys: [SecretKey(name: "password", size: 12)]),
            Secret(meta: ObjectMeta(name: "deploy-key", namespace: "production"), type: "kubernetes.io/ssh-auth",
                   keys: [SecretKey(name: "ssh-privatekey", size: 400, pemBlockTypes: ["OPENSSH PRIVATE KEY"])]),
            Secret(meta: ObjectMeta(name: "signing", namespace: "kube-system"),
                   keys: [SecretKey(name: "sa.key", size: 1700), SecretKey(name: "sa.pub", size: 450)]),
            Secret(meta: ObjectMeta(name: "empty", namespace: "production"), type: ""),
        ]
        snapshot.ingresses = [
            Ingress(meta: ObjectMeta(name: "web", namespace: "production",
                                     annotations: ["nginx.ingress.kubernetes.io/ssl-redirect": "True"]),
                    ingressClassName: "nginx",
                    tls: [IngressTLS(hosts: ["app.example.com", "www.example.com"], secretName: "app-tls"), IngressTLS()],
                    rules: [IngressRule(host: "app.example.com",
                                        backends: [IngressBackend(path: "/", serviceName: "web", port: "80"),
                                                   IngressBackend(path: "/api", serviceName: "api", port: "http")]),
                            IngressRule()]),
            Ingress(meta: ObjectMeta(name: "bare", namespace: "kube-system")),
        ]
        snapshot.gateways = [
            Gateway(meta: ObjectMeta(name: "gw", namespace: "production"), gatewayClassName: "istio",
                    listeners: [GatewayListener(name: "https", hostname: "*.example.com", port: 443, protocol: "HTTPS",
                                                tlsMode: "Terminate",
                                                certificateRefs: [GatewayCertificateRef(namespace: "production", name: "app-tls"),
                                                                  GatewayCertificateRef(group: "x.io", kind: "Other",
                                                                                        namespace: "other", name: "o")]),
                                GatewayListener(name: "http", port: 80, protocol: "HTTP")]),
        ]
        snapshot.certificates = [
            Certificate(meta: ObjectMeta(name: "app", namespace: "production"), secretName: "app-tls", commonName: "app.example.com",
                        dnsNames: ["app.example.com", "www.example.com"],
                        issuerRef: IssuerRef(name: "internal-ca", kind: "ClusterIssuer"), isCA: false),
            Certificate(meta: ObjectMeta(name: "ca", namespace: "cert-manager"), secretName: "ca-key", isCA: true),
        ]
        snapshot.issuers = [
            Issuer(meta: ObjectMeta(name: "internal-ca"), kind: "ClusterIssuer", caSecretName: "ca-key"),
            Issuer(meta: ObjectMeta(name: "letsencrypt", namespace: "production"), kind: "Issuer",
                   acmePrivateKeySecretName: "acme-account",
                   otherSecretRefs: ["spec.acme.solvers[0].dns01.cloudflare.apiTokenSecretRef": "cf-token"]),
        ]
        addServingObjects(to: &snapshot)
        return snapshot
    }

    /// A generated cluster of `namespaces` namespaces, each with the same
    /// mix of about 60 objects, for volume tests and measurements.
    static func synthetic(namespaces: Int) -> ClusterSnapshot {
        var snapshot = ClusterSnapshot()
        let nodeCount = max(1, namespaces / 20)
        snapshot.nodes = (0..<nodeCount).map { Node(meta: ObjectMeta(name: "node-\($0)")) }
        for n in 0..<namespaces {
            let ns = "ns-\(n)"
            snapshot.namespaces.append(Namespace(meta: ObjectMeta(name: ns, uid: "uid-\(ns)", labels: ["team": "t\(n % 17)"])))
            for s in 0..<4 {
                snapshot.serviceAccounts.append(ServiceAccount(meta: ObjectMeta(name: "sa-\(s)", namespace: ns)))
            }
            for r in 0..<4 {
                snapshot.roles.append(Role(meta: ObjectMeta(name: "role-\(r)", namespace: ns), rules: [
                    PolicyRule(verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "configmaps"]),
                    PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["secret-\(r)"]),
                ]))
                snapshot.bindings.append(RoleBinding(
                    meta: ObjectMeta(name: "binding-\(r)", namespace: ns), roleRef: RoleRef(kind: "Role", name: "role-\(r)"),
                    subjects: [Subject(kind: "ServiceAccount", name: "sa-\(r)", namespace: ns),
                               Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "team-\(n % 17)")]))
            }
            for p in 0..<12 {
                let labels: ByteKeyedMap = ["app": "app-\(p % 4)", "pod-template-hash": "5d8f\(p)"]
                snapshot.pods.append(Pod(
                    meta: ObjectMeta(name: "pod-\(p)", namespace: ns, uid: "uid-\(ns)-pod-\(p)", labels: labels,
                                     ownerReferences: [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet",
                                                                      name: "rs-\(p % 4)", uid: "uid-rs", controller: true)]),
                    spec: PodSpec(serviceAccountName: "sa-\(p % 4)", nodeName: "node-\(n % nodeCount)",
                                  secretReferences: [PodSecretReference(name: "secret-\(p % 20)", source: .volume, detail: "certs"),
                                                     PodSecretReference(name: "secret-\((p + 1) % 20)", source: .env, detail: "app")])))
            }
            for w in 0..<4 {
                snapshot.workloads.append(Workload(
                    kind: "Deployment", meta: ObjectMeta(name: "deploy-\(w)", namespace: ns, labels: ["app": "app-\(w)"]),
                    template: PodSpec(serviceAccountName: "sa-\(w)",
                                      secretReferences: [PodSecretReference(name: "secret-\(w)", source: .volume, detail: "certs")])))
            }
            for s in 0..<20 {
                let isTLS = s % 4 == 0
                snapshot.secrets.append(Secret(
                    meta: ObjectMeta(name: "secret-\(s)", namespace: ns, uid: "uid-\(ns)-secret-\(s)", labels: ["app": "app-\(s % 4)"]),
                    type: isTLS ? "kubernetes.io/tls" : "Opaque",
                    keys: isTLS ? [SecretKey(name: "tls.crt", size: 1200, pemBlockTypes: ["CERTIFICATE"]),
                                   SecretKey(name: "tls.key", size: 1700, pemBlockTypes: ["PRIVATE KEY"])]
                                : [SecretKey(name: "username", size: 8), SecretKey(name: "password", size: 16)],
                    certificatesPEM: isTLS ? ["tls.crt": "-----BEGIN CERTIFICATE-----\nRkFLRQ==\n-----END CERTIFICATE-----\n"] : [:]))
            }
            snapshot.ingresses.append(Ingress(
                meta: ObjectMeta(name: "web", namespace: ns), ingressClassName: "nginx",
                tls: [IngressTLS(hosts: ["web.\(ns).example.com"], secretName: "secret-0")],
                rules: [IngressRule(host: "web.\(ns).example.com", backends: [IngressBackend(path: "/", serviceName: "web", port: "80")])]))
            snapshot.gateways.append(Gateway(
                meta: ObjectMeta(name: "gw", namespace: ns), gatewayClassName: "istio",
                listeners: [GatewayListener(name: "https", port: 443, protocol: "HTTPS", tlsMode: "Terminate",
                                            certificateRefs: [GatewayCertificateRef(namespace: ns, name: "secret-4")])]))
            snapshot.certificates.append(Certificate(meta: ObjectMeta(name: "web", namespace: ns), secretName: "secret-0",
                                                     dnsNames: ["web.\(ns).example.com"], issuerRef: IssuerRef(name: "ca")))
            snapshot.issuers.append(Issuer(meta: ObjectMeta(name: "ca", namespace: ns), kind: "Issuer", caSecretName: "secret-8"))
        }
        return snapshot
    }

    static let defaultSA = KnownIdentity(kind: "ServiceAccount", namespace: "production", name: "default",
                                         username: "system:serviceaccount:production:default",
                                         groups: WellKnown.serviceAccountGroups(namespace: "production"))
    static let alice = KnownIdentity(kind: "User", name: "alice@example.com", username: "alice@example.com",
                                     groups: [WellKnown.authenticatedGroup])
    static let devs = KnownIdentity(kind: "Group", name: "devs", username: "", groups: ["devs"])
    static let masters = KnownIdentity(kind: "Group", name: WellKnown.mastersGroup, username: "", groups: [WellKnown.mastersGroup])
    static let bob = KnownIdentity(kind: "User", name: "bob", username: "bob", groups: [WellKnown.authenticatedGroup])
    static let nodeA = KnownIdentity(kind: "Node", name: "node-a", username: "system:node:node-a", groups: [WellKnown.nodesGroup])

    /// The private-key inventory of `rich()` as Exposure would store it: a
    /// leaf TLS key with its certificate, an SSH key, a key of a Certificate
    /// not in the dump. Plain records: the store does not know the rules.
    static func richPrivateKeys() -> [PrivateKeyRecord] {
        [
            PrivateKeyRecord(namespace: "kube-system", name: "signing", exists: true, type: "Opaque", keyKind: "leaf",
                             reasons: [.init(code: "dataKey", text: "data key sa.key")],
                             severity: "info", severityRank: 0, unexpectedReaders: 0, expectedReaders: 1),
            PrivateKeyRecord(namespace: "production", name: "app-tls", exists: true, type: "kubernetes.io/tls", keyKind: "leaf",
                             reasons: [.init(code: "type", text: "type kubernetes.io/tls"),
                                       .init(code: "dataKey", text: "data key tls.key")],
                             certificates: [.init(dataKey: "tls.crt", index: 0, subject: "CN=app.example.com",
                                                  commonName: "app.example.com", issuer: "CN=internal-ca",
                                                  dnsNames: ["app.example.com"], ipAddresses: [],
                                                  notBefore: "2025-03-01T00:00:00Z", notAfter: "2027-03-01T00:00:00Z",
                                                  isCA: false, sha256: "ab", parseError: nil)],
                             severity: "high", severityRank: 3, unexpectedReaders: 3, expectedReaders: 2),
            PrivateKeyRecord(namespace: "production", name: "future-tls", exists: false, type: nil, keyKind: "leaf",
                             reasons: [.init(code: "certificate", text: "cert-manager Certificate production/future")],
                             severity: "medium", severityRank: 2, unexpectedReaders: 1, expectedReaders: 2),
        ]
    }

    /// Derived access for `rich()` written by hand, as an engine would
    /// compute it: `read-tls` lets the default SA and alice get/list
    /// `app-tls` (rule 0) and the SA watch every secret of `production`
    /// (rule 1); a ClusterRoleBinding lets group `devs` get every secret;
    /// node-a's kubelet reads what pod `web-0` references. bob can read nothing.
    static func richDerived(engineVersion: Int = DerivedAccess.currentEngineVersion) -> DerivedAccess {
        let readTLS = ObjectRef(kind: "RoleBinding", namespace: "production", name: "read-tls")
        let reader = ObjectRef(kind: "Role", namespace: "production", name: "secret-reader")
        let saSubject = Subject(kind: "ServiceAccount", name: "default", namespace: "production")
        let aliceSubject = Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice@example.com")
        var grants: [SecretGrant] = []
        for verb in ["get", "list"] {
            grants.append(SecretGrant(verb: verb, namespace: "production", secretName: "app-tls",
                                      principal: .user(defaultSA.username), subject: saSubject,
                                      binding: readTLS, role: reader, ruleIndex: 0))
            grants.append(SecretGrant(verb: verb, namespace: "production", secretName: "app-tls",
                                      principal: .user("alice@example.com"), subject: aliceSubject,
                                      binding: readTLS, role: reader, ruleIndex: 0))
        }
        grants.append(SecretGrant(verb: "watch", namespace: "production", secretName: nil,
                                  principal: .user(defaultSA.username), subject: saSubject,
                                  binding: readTLS, role: reader, ruleIndex: 1))
        grants.append(SecretGrant(verb: "get", namespace: nil, secretName: nil, principal: .group("devs"),
                                  subject: Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs"),
                                  binding: ObjectRef(kind: "ClusterRoleBinding", name: "devs-read"),
                                  role: ObjectRef(kind: "ClusterRole", name: "view-secrets"), ruleIndex: 3))
        let pod = ObjectRef(kind: "Pod", namespace: "production", name: "web-0")
        let nodeGrants = [
            NodeSecretGrant(node: "node-a", namespace: "production", secretName: "app-tls", pod: pod, source: .volume),
            NodeSecretGrant(node: "node-a", namespace: "production", secretName: "db", pod: pod, source: .env),
            NodeSecretGrant(node: "node-a", namespace: "production", secretName: "regcred", pod: pod, source: .imagePullSecret),
        ]
        return DerivedAccess(engineVersion: engineVersion, identities: [defaultSA, alice, devs, masters, bob, nodeA],
                             grants: grants, nodeGrants: nodeGrants)
    }
}
