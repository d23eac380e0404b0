import KubeModel

/// Decides whether a reader of a private key is one that is meant to hold it,
/// and says why. Expected holders are shown apart and not counted as findings.
///
/// The rules, first match wins:
///
/// | rule | who | for which keys |
/// |---|---|---|
/// | ``ExpectedHolder/Rule/superuser`` | Group `system:masters` or its members (bypass RBAC) | all |
/// | ``ExpectedHolder/Rule/controlPlane`` | User `system:kube-controller-manager` | all |
/// | ``ExpectedHolder/Rule/kubeController`` | a ServiceAccount in `kube-system` whose read comes from a role named `system:controller:*` | all |
/// | ``ExpectedHolder/Rule/certManager`` | a ServiceAccount named `cert-manager*` in the cluster resource namespace, or any ServiceAccount whose read comes from a role named `cert-manager*` | all |
/// | ``ExpectedHolder/Rule/ingressController`` | a ServiceAccount of a known ingress/gateway controller (``IngressControllers``) | keys an Ingress or Gateway names, when the controller serves its class |
/// | ``ExpectedHolder/Rule/secretsController`` | a ServiceAccount of the External Secrets controller (`external-secrets*`) | the targets of ExternalSecrets |
/// | ``ExpectedHolder/Rule/nodeMountingPod`` | a Node reading through the node authorizer because a pod on it references the key | that key |
/// | ``ExpectedHolder/Rule/allowList`` | a subject of `keyreach.yaml` | the secrets its entry lists |
///
/// Role names are trusted evidence because RBAC's escalation check means only
/// someone who can already read secrets can create a role that grants it.
///
/// ```swift
/// let holders = ExpectedHolders(allowList: try AllowList.load(path: "keyreach.yaml"))
/// holders.expectation(for: ReaderAccess(reader: .user("system:kube-controller-manager")), of: key)?.why
/// ```
public struct ExpectedHolders: Sendable {
    public var clusterResourceNamespace: String
    public var allowList: AllowList

    public init(clusterResourceNamespace: String = "cert-manager", allowList: AllowList = AllowList()) {
        self.clusterResourceNamespace = clusterResourceNamespace
        self.allowList = allowList
    }

    /// Why `access.reader` is expected to hold `key`, or `nil` when it is a finding.
    public func expectation(for access: ReaderAccess, of key: PrivateKeySecret) -> ExpectedHolder? {
        Self.superuser(access.reader)
            ?? Self.controlPlane(access.reader)
            ?? Self.kubeController(access)
            ?? Self.certManager(access, clusterResourceNamespace: clusterResourceNamespace)
            ?? Self.ingressController(access.reader, key: key)
            ?? Self.secretsController(access.reader, key: key)
            ?? Self.nodeMountingPod(access)
            ?? Self.allowListed(access.reader, key: key, allowList: allowList)
    }

    // MARK: One function per rule

    /// `system:masters` bypasses RBAC altogether (the API server's superuser group).
    static func superuser(_ reader: KnownIdentity) -> ExpectedHolder? {
        guard reader.isInGroup(WellKnown.mastersGroup) else { return nil }
        return ExpectedHolder(rule: .superuser, why: "\(WellKnown.mastersGroup) bypasses RBAC: cluster superusers hold every key")
    }

    /// kube-controller-manager runs as this user and reads secrets by design
    /// (bootstrap ClusterRole `system:kube-controller-manager`).
    static let kubeControllerManagerUser = "system:kube-controller-manager"

    static func controlPlane(_ reader: KnownIdentity) -> ExpectedHolder? {
        guard reader.kind == "User",
              sameBytes(reader.username, kubeControllerManagerUser) || sameBytes(reader.name, kubeControllerManagerUser) else {
            return nil
        }
        return ExpectedHolder(rule: .controlPlane, why: "kube-controller-manager, a control-plane component that reads secrets")
    }

    /// Controllers of kube-controller-manager run with `--use-service-account-credentials`
    /// as ServiceAccounts `kube-system/NAME`, bound to bootstrap roles `system:controller:NAME`
    /// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/controller_policy.go).
    static let controllerRolePrefix = "system:controller:"

    static func kubeController(_ access: ReaderAccess) -> ExpectedHolder? {
        guard let account = access.reader.serviceAccount, sameBytes(account.namespace, "kube-system"),
              let role = access.roleNames.sorted(by: bytesPrecede).first(where: { hasBytePrefix($0, controllerRolePrefix) })
        else { return nil }
        return ExpectedHolder(rule: .kubeController,
                              why: "Kubernetes controller kube-system/\(account.name) (role \(role))")
    }

    static let certManagerPrefix = "cert-manager"

    static func certManager(_ access: ReaderAccess, clusterResourceNamespace: String) -> ExpectedHolder? {
        guard let account = access.reader.serviceAccount else { return nil }
        let what = "cert-manager (ServiceAccount \(account.namespace)/\(account.name))"
        if sameBytes(account.namespace, clusterResourceNamespace) && hasBytePrefix(account.name, certManagerPrefix) {
            return ExpectedHolder(rule: .certManager, why: "\(what) issues and watches certificate keys")
        }
        if let role = access.roleNames.sorted(by: bytesPrecede).first(where: { hasBytePrefix($0, certManagerPrefix) }) {
            return ExpectedHolder(rule: .certManager, why: "\(what) issues and watches certificate keys (role \(role))")
        }
        return nil
    }

    static func ingressController(_ reader: KnownIdentity, key: PrivateKeySecret) -> ExpectedHolder? {
        // Cheap test first: most keys are named by no Ingress or Gateway.
        guard key.reasons.contains(where: { IngressControllers.frontend(of: $0) != nil }),
              let account = reader.serviceAccount,
              let controller = IngressControllers.controller(ofServiceAccount: account.name) else { return nil }
        for reason in key.reasons {
            guard let (frontend, className) = IngressControllers.frontend(of: reason),
                  controller.serves(reason: reason, className: className) else { continue }
            return ExpectedHolder(rule: .ingressController,
                                  why: "\(controller.name) controller serving \(frontend)")
        }
        return nil
    }

    /// The External Secrets controller writes the targets of ExternalSecrets
    /// (ServiceAccount `external-secrets` of its Helm chart, in any namespace).
    static let externalSecretsServiceAccountWords = splitWords("external-secrets")

    static func secretsController(_ reader: KnownIdentity, key: PrivateKeySecret) -> ExpectedHolder? {
        // Cheap test first: most keys are the target of no ExternalSecret.
        guard let source = key.reasons.first(where: { if case .externalSecretTarget = $0 { true } else { false } }),
              let account = reader.serviceAccount else { return nil }
        let words = splitWords(account.name)
        guard containsWords(words, externalSecretsServiceAccountWords), !account.name.hasSuffix("webhook") else { return nil }
        return ExpectedHolder(rule: .secretsController,
                              why: "External Secrets controller (ServiceAccount \(account.namespace)/\(account.name)) writing the target of \(source)")
    }

    static func nodeMountingPod(_ access: ReaderAccess) -> ExpectedHolder? {
        guard access.reader.kind == "Node", let pod = access.podsOnNode.sorted().first else { return nil }
        let more = access.podsOnNode.count > 1 ? " and \(access.podsOnNode.count - 1) more" : ""
        return ExpectedHolder(rule: .nodeMountingPod,
                              why: "node \(access.reader.name) runs pod \(displayName(pod))\(more), which uses this secret")
    }

    static func allowListed(_ reader: KnownIdentity, key: PrivateKeySecret, allowList: AllowList) -> ExpectedHolder? {
        guard let entry = allowList.entry(allowing: reader, toRead: key.secret) else { return nil }
        return ExpectedHolder(rule: .allowList, why: entry.why + " (allow-list)")
    }
}

/// Why a reader is an expected holder of a key.
public struct ExpectedHolder: Sendable, Hashable {
    /// Which rule of ``ExpectedHolders`` matched.
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        case superuser, controlPlane, kubeController, certManager, ingressController, secretsController, nodeMountingPod, allowList
    }

    public var rule: Rule
    /// The sentence the report prints.
    public var why: String

    public init(rule: Rule, why: String) {
        self.rule = rule
        self.why = why
    }
}

/// The ingress and gateway controllers keyreach recognises, by the words in their
/// ServiceAccount names and ingress/gateway class names. Deliberately short: a
/// controller not listed here (or a class named unlike its controller) reads as a
/// finding, and belongs in the allow-list.
///
/// A word matches when it appears as whole `-`/`.`/`_`-separated words: `nginx`
/// matches class `nginx-internal` but not `nginxish`; ServiceAccount
/// `my-ingress-nginx` matches `ingress-nginx`. ServiceAccounts with `admission` in
/// their name (ingress-nginx's certgen jobs) are never controllers.
public struct IngressControllers: Sendable {
    /// One controller: how its ServiceAccount and the classes it serves are named.
    public struct Controller: Sendable, Hashable {
        public var name: String
        public var serviceAccountWords: [String]
        public var classWords: [String]
        /// Only ingress-nginx reads the `nginx.ingress.kubernetes.io/*-secret` annotations.
        public var readsNginxAnnotations: Bool

        /// Whether it serves the Ingress or Gateway a reason comes from. An Ingress
        /// without a class may be served by the default controller, whichever it is.
        public func serves(reason: PrivateKeyReason, className: String) -> Bool {
            if case .ingressNginxAnnotation = reason, !readsNginxAnnotations { return false }
            if className.isEmpty, case .ingressTLS = reason { return true }
            if className.isEmpty, case .ingressNginxAnnotation = reason { return true }
            return classWords.contains { containsWords(className, $0) }
        }
    }

    public static let known: [Controller] = [
        Controller(name: "ingress-nginx", serviceAccountWords: ["ingress-nginx", "nginx-ingress"], classWords: ["nginx"],
                   readsNginxAnnotations: true),
        Controller(name: "Traefik", serviceAccountWords: ["traefik"], classWords: ["traefik"], readsNginxAnnotations: false),
        Controller(name: "HAProxy", serviceAccountWords: ["haproxy"], classWords: ["haproxy"], readsNginxAnnotations: false),
        Controller(name: "Kong", serviceAccountWords: ["kong"], classWords: ["kong"], readsNginxAnnotations: false),
        Controller(name: "Contour", serviceAccountWords: ["contour"], classWords: ["contour"], readsNginxAnnotations: false),
        Controller(name: "Envoy Gateway", serviceAccountWords: ["envoy-gateway"], classWords: ["eg", "envoy-gateway"],
                   readsNginxAnnotations: false),
        Controller(name: "Istio", serviceAccountWords: ["istiod", "istio-ingressgateway", "istio-gateway"], classWords: ["istio"],
                   readsNginxAnnotations: false),
    ]

    /// The controller a ServiceAccount name belongs to, if any.
    public static func controller(ofServiceAccount name: String) -> Controller? {
        let words = splitWords(name)
        guard !containsWords(words, admissionWords) else { return nil }
        return knownServiceAccountWords.first { _, phrases in phrases.contains { containsWords(words, $0) } }?.0
    }

    /// The words of ``known``'s ServiceAccount names, split once: the report asks about
    /// every ServiceAccount reader of every key.
    static let knownServiceAccountWords: [(Controller, [[Substring]])] = known.map { controller in
        (controller, controller.serviceAccountWords.map(splitWords))
    }

    static let admissionWords = splitWords("admission")

    /// The Ingress/Gateway a reason comes from and its class; `nil` for other reasons.
    static func frontend(of reason: PrivateKeyReason) -> (String, String)? {
        switch reason {
        case .ingressTLS(let ingress, let className): ("Ingress \(displayName(ingress))", className)
        case .ingressNginxAnnotation(let ingress, _, let className): ("Ingress \(displayName(ingress))", className)
        case .gatewayListener(let gateway, _, let className): ("Gateway \(displayName(gateway))", className)
        // Istio's gateway workload and Traefik serve their own kinds, whatever the class.
        case .istioGatewayCredential(let gateway, _): ("Istio Gateway \(displayName(gateway))", "istio")
        case .traefikIngressRouteTLS(let route): ("Traefik \(route.kind) \(displayName(route))", "traefik")
        default: nil
        }
    }
}

/// True when the words of `phrase` (split on `-`, `.`, `_`) appear consecutively in `text`.
func containsWords(_ text: String, _ phrase: String) -> Bool {
    containsWords(splitWords(text), splitWords(phrase))
}

/// A name lowercased and split on `-`, `.` and `_`.
func splitWords(_ text: String) -> [Substring] {
    text.lowercased().split(whereSeparator: { $0 == "-" || $0 == "." || $0 == "_" })
}

/// True when `wanted` appears as consecutive elements of `words`.
func containsWords(_ words: [Substring], _ wanted: [Substring]) -> Bool {
    guard !wanted.isEmpty, words.count >= wanted.count else { return false }
    return (0...(words.count - wanted.count)).contains { start in
        words[start..<start + wanted.count].elementsEqual(wanted)
    }
}
