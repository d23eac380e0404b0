import Exposure
import KubeModel
import RBAC

/// An ingress or gateway controller found in the dump, what it serves, and
/// what it can read of the secrets: the identity whose compromise yields the edge keys.
public struct IngressControllerFacts: Sendable, Hashable {
    /// As ``IngressControllers`` names it (`ingress-nginx`, `Traefik`, `Istio`, ...).
    public var controller: String
    public var workload: ObjectRef
    public var serviceAccount: ObjectRef
    public var image: String
    /// `--ingress-class` / `--controller-class` / Traefik's ingress class flag, when set.
    public var ingressClass: String?
    /// ingress-nginx only: whether it runs with `--enable-ssl-passthrough`.
    public var sslPassthrough: Bool
    /// Traefik only: whether `--serverstransport.insecureskipverify=true` turns backend verification off.
    public var skipsBackendVerification: Bool
    /// The mesh its pods sit in, if any (then its hop to meshed backends is mTLS).
    public var mesh: String?
    /// Its access to secrets, one entry per verb and scope.
    public var secretAccess: [SecretAccess]

    /// A sentence: what the controller can read and why that matters.
    public var explanation: String {
        let everywhere = secretAccess.filter { $0.scope == nil }.map(\.verb)
        let own = secretAccess.filter { $0.scope != nil }.map(\.verb)
        var parts: [String] = []
        if !everywhere.isEmpty {
            parts.append("can \(everywhere.joined(separator: ", ")) secrets in every namespace: it needs to, to serve the TLS keys of Ingresses anywhere, so whoever controls one of its pods holds every key of the cluster")
        }
        if !own.isEmpty, let namespace = secretAccess.first(where: { $0.scope != nil })?.scope {
            parts.append("can \(own.joined(separator: ", ")) secrets in its own namespace \(namespace)")
        }
        if parts.isEmpty { return "\(controller) (ServiceAccount \(serviceAccount.namespace)/\(serviceAccount.name)) can read no secret through RBAC in this dump" }
        return "\(controller) (ServiceAccount \(serviceAccount.namespace)/\(serviceAccount.name)) " + parts.joined(separator: "; and ")
    }
}

/// One verb on secrets a controller holds, where, and through which bindings.
public struct SecretAccess: Sendable, Hashable {
    public var verb: String
    /// `nil`: every namespace (a ClusterRoleBinding); else the namespace of a RoleBinding.
    public var scope: String?
    /// Each allowing path, as who-can explains it.
    public var via: [String]
}

extension IngressControllerFacts {
    /// The controllers among the workloads (and bare pods) of a snapshot: by
    /// ServiceAccount name as ``IngressControllers`` recognises them, or by image.
    public static func find(in snapshot: ClusterSnapshot, authorizer: Authorizer, mesh: MeshDetection) -> [IngressControllerFacts] {
        var found: [IngressControllerFacts] = []
        let topLevel = snapshot.workloads.filter { workload in
            ["Deployment", "DaemonSet", "StatefulSet"].contains(workload.kind)
        }
        for workload in topLevel {
            guard let controller = recognise(spec: workload.template) else { continue }
            let ref = ObjectRef(kind: workload.kind, namespace: workload.meta.namespace, name: workload.meta.name)
            let pods = snapshot.pods.filter { pod in
                sameBytes(pod.meta.namespace, workload.meta.namespace)
                    && sameBytes(pod.spec.serviceAccountName, workload.template.serviceAccountName)
            }
            found.append(facts(controller, ref: ref, spec: workload.template, pods: pods, authorizer: authorizer, mesh: mesh))
        }
        // Pods of controllers whose workloads the dump lacks.
        if found.isEmpty {
            for pod in snapshot.pods {
                guard let controller = recognise(spec: pod.spec) else { continue }
                let ref = ObjectRef(kind: "Pod", namespace: pod.meta.namespace, name: pod.meta.name)
                if found.contains(where: {
                    sameBytes($0.serviceAccount.name, pod.spec.serviceAccountName) && sameBytes($0.workload.namespace, pod.meta.namespace)
                }) { continue }
                found.append(facts(controller, ref: ref, spec: pod.spec, pods: [pod], authorizer: authorizer, mesh: mesh))
            }
        }
        return found.sorted { $0.workload < $1.workload }
    }

    /// The controller a pod spec runs: by its ServiceAccount name, or its image.
    static func recognise(spec: PodSpec) -> IngressControllers.Controller? {
        if let controller = IngressControllers.controller(ofServiceAccount: spec.serviceAccountName),
           !spec.containers.contains(where: { $0.image.contains("kube-webhook-certgen") }) {
            return controller
        }
        for container in spec.containers {
            let image = container.image.lowercased()
            if image.contains("ingress-nginx/controller") { return IngressControllers.known.first { $0.name == "ingress-nginx" } }
            if image.hasPrefix("traefik:") || image.contains("/traefik:") { return IngressControllers.known.first { $0.name == "Traefik" } }
        }
        return nil
    }

    static func facts(_ controller: IngressControllers.Controller, ref: ObjectRef, spec: PodSpec, pods: [Pod],
                      authorizer: Authorizer, mesh: MeshDetection) -> IngressControllerFacts {
        let main = spec.containers.first { container in
            container.flagValue("--ingress-class") != nil || container.flagValue("--controller-class") != nil
                || container.image.lowercased().contains(controller.name.lowercased())
        } ?? spec.containers.first
        let account = ObjectRef(kind: "ServiceAccount", namespace: ref.namespace, name: spec.serviceAccountName)
        let user = Impersonation.userInfo(as: "system:serviceaccount:\(ref.namespace):\(spec.serviceAccountName)", groups: [])
        var access: [SecretAccess] = []
        for verb in ["get", "list", "watch"] {
            let everywhere = authorizer.authorize(.secret(verb, namespace: "", user: user)).paths
            if !everywhere.isEmpty {
                access.append(SecretAccess(verb: verb, scope: nil, via: everywhere.map(\.explanation)))
            }
            let local = authorizer.authorize(.secret(verb, namespace: ref.namespace, user: user)).paths
                .filter { !everywhere.contains($0) }
            if !local.isEmpty {
                access.append(SecretAccess(verb: verb, scope: ref.namespace, via: local.map(\.explanation)))
            }
        }
        return IngressControllerFacts(
            controller: controller.name, workload: ref, serviceAccount: account, image: main?.image ?? "",
            ingressClass: main?.flagValue("--ingress-class") ?? main?.flagValue("--providers.kubernetesingress.ingressclass")
                ?? main?.flagValue("--controller-class"),
            sslPassthrough: main?.flagValue("--enable-ssl-passthrough").map { $0 != "false" } ?? false,
            skipsBackendVerification: main?.flagValue("--serverstransport.insecureskipverify") == "true",
            mesh: mesh.membership(pods: pods, namespace: ref.namespace)?.mesh,
            secretAccess: access)
    }

    /// Whether this controller serves an ingress class (empty: the default class, any controller).
    func serves(className: String) -> Bool {
        if className.isEmpty { return true }
        if let ingressClass, ingressClass == className { return true }
        return IngressControllers.known.first { $0.name == controller }?.classWords.contains { word in
            className.lowercased().split(whereSeparator: { $0 == "-" || $0 == "." || $0 == "_" }).contains(Substring(word))
        } ?? false
    }
}
