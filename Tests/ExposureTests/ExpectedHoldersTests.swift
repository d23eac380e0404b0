import KubeModel
import Store
import Testing
@testable import Exposure

func key(_ namespace: String, _ name: String, _ reasons: [PrivateKeyReason] = [.secretType("kubernetes.io/tls")],
         kind: KeyKind = .leaf) -> PrivateKeySecret {
    PrivateKeySecret(secret: ObjectRef(kind: "Secret", namespace: namespace, name: name), exists: true,
                     type: "kubernetes.io/tls", reasons: reasons, keyKind: kind)
}

@Suite("Who is expected to hold a private key")
struct ExpectedHoldersTests {
    let holders = ExpectedHolders()
    let appKey = key("production", "app-tls")

    func rule(_ reader: KnownIdentity, roles: [String] = [], pods: [ObjectRef] = [],
              of key: PrivateKeySecret? = nil, holders: ExpectedHolders? = nil) -> ExpectedHolder.Rule? {
        (holders ?? self.holders).expectation(for: ReaderAccess(reader: reader, roleNames: roles, podsOnNode: pods),
                                              of: key ?? appKey)?.rule
    }

    @Test("system:masters, as a group or through membership, is a superuser")
    func superuser() {
        #expect(rule(.group("system:masters")) == .superuser)
        #expect(rule(.user("admin", groups: ["system:masters", "system:authenticated"])) == .superuser)
        #expect(rule(.user("admin")) == nil)
        #expect(rule(.group("system:master")) == nil)
    }

    @Test("kube-controller-manager's user is control plane; kube-scheduler is not")
    func controlPlane() {
        #expect(rule(.user("system:kube-controller-manager")) == .controlPlane)
        #expect(rule(.user("system:kube-scheduler")) == nil)
        #expect(rule(.group("system:kube-controller-manager")) == nil)
    }

    @Test("controllers are kube-system ServiceAccounts reading through a system:controller: role")
    func kubeControllers() {
        let gc = KnownIdentity.serviceAccount(namespace: "kube-system", name: "generic-garbage-collector")
        #expect(rule(gc, roles: ["system:controller:generic-garbage-collector"]) == .kubeController)
        #expect(rule(gc, roles: ["my-secret-reader"]) == nil)
        let impostor = KnownIdentity.serviceAccount(namespace: "default", name: "generic-garbage-collector")
        #expect(rule(impostor, roles: ["system:controller:generic-garbage-collector"]) == nil)
        // a User spelled as the ServiceAccount is that ServiceAccount
        let spelled = KnownIdentity.user("system:serviceaccount:kube-system:namespace-controller", groups: [])
        #expect(spelled.kind == "User")
        #expect(rule(spelled, roles: ["system:controller:namespace-controller"]) == .kubeController)
    }

    @Test("cert-manager: cert-manager* ServiceAccounts of the cluster resource namespace, or reads through cert-manager* roles")
    func certManager() {
        #expect(rule(.serviceAccount(namespace: "cert-manager", name: "cert-manager")) == .certManager)
        #expect(rule(.serviceAccount(namespace: "cert-manager", name: "cert-manager-cainjector")) == .certManager)
        #expect(rule(.serviceAccount(namespace: "cert-manager", name: "default")) == nil)
        #expect(rule(.serviceAccount(namespace: "production", name: "cert-manager")) == nil)
        #expect(rule(.serviceAccount(namespace: "security", name: "cm"), roles: ["cert-manager-controller-certificates"]) == .certManager)
        let moved = ExpectedHolders(clusterResourceNamespace: "security")
        #expect(rule(.serviceAccount(namespace: "security", name: "cert-manager"), holders: moved) == .certManager)
        #expect(rule(.serviceAccount(namespace: "cert-manager", name: "cert-manager"), holders: moved) == nil)
    }

    @Test("an ingress controller holds the keys of the Ingresses of its class, and no others")
    func ingressControllers() {
        let nginxSA = KnownIdentity.serviceAccount(namespace: "ingress-nginx", name: "ingress-nginx")
        let web = ObjectRef(kind: "Ingress", namespace: "production", name: "web")
        func ingressKey(_ className: String) -> PrivateKeySecret {
            key("production", "app-tls", [.secretType("kubernetes.io/tls"), .ingressTLS(ingress: web, className: className)])
        }
        #expect(rule(nginxSA, of: ingressKey("nginx")) == .ingressController)
        #expect(rule(nginxSA, of: ingressKey("nginx-internal")) == .ingressController)
        #expect(rule(nginxSA, of: ingressKey("")) == .ingressController)  // default class: any controller may serve it
        #expect(rule(nginxSA, of: ingressKey("traefik")) == nil)
        #expect(rule(nginxSA, of: ingressKey("nginxish")) == nil)
        #expect(rule(nginxSA, of: appKey) == nil)  // no Ingress names the key
        #expect(rule(.serviceAccount(namespace: "traefik", name: "traefik"), of: ingressKey("traefik")) == .ingressController)
        #expect(rule(.serviceAccount(namespace: "ingress-nginx", name: "ingress-nginx-admission"), of: ingressKey("nginx")) == nil)
        #expect(rule(.serviceAccount(namespace: "production", name: "web"), of: ingressKey("nginx")) == nil)

        let annotated = key("backend", "upstream-client", [.ingressNginxAnnotation(
            ingress: web, annotation: "nginx.ingress.kubernetes.io/proxy-ssl-secret", className: "")])
        #expect(rule(nginxSA, of: annotated) == .ingressController)
        #expect(rule(.serviceAccount(namespace: "traefik", name: "traefik"), of: annotated) == nil)

        let gw = key("production", "gw-tls", [.gatewayListener(
            gateway: ObjectRef(kind: "Gateway", namespace: "production", name: "gw"), listener: "https", className: "istio")])
        #expect(rule(.serviceAccount(namespace: "istio-system", name: "istiod"), of: gw) == .ingressController)
        #expect(rule(nginxSA, of: gw) == nil)
        let why = holders.expectation(for: ReaderAccess(reader: nginxSA), of: ingressKey("nginx"))?.why
        #expect(why == "ingress-nginx controller serving Ingress production/web")
    }

    @Test("a node holds a key a pod bound to it references, through the node authorizer only")
    func nodes() {
        let pod = ObjectRef(kind: "Pod", namespace: "production", name: "web-0")
        #expect(rule(.node("worker-1"), pods: [pod]) == .nodeMountingPod)
        #expect(rule(.node("worker-1")) == nil)  // read through RBAC, not because of a pod
        let why = holders.expectation(for: ReaderAccess(reader: .node("worker-1"), podsOnNode: [pod]), of: appKey)?.why
        #expect(why == "node worker-1 runs pod production/web-0, which uses this secret")
    }

    @Test("the allow-list makes its subjects expected for the secrets it lists, and gives their why")
    func allowListed() throws {
        let list = try AllowList.parse(yaml: """
            allow:
              - subject: {kind: ServiceAccount, namespace: vault, name: vault}
                secrets: ["production/*"]
                why: Vault syncs keys to the edge
            """)
        let holders = ExpectedHolders(allowList: list)
        let vault = KnownIdentity.serviceAccount(namespace: "vault", name: "vault")
        #expect(rule(vault, holders: holders) == .allowList)
        #expect(rule(vault, of: key("staging", "app-tls"), holders: holders) == nil)
        #expect(holders.expectation(for: ReaderAccess(reader: vault), of: appKey)?.why == "Vault syncs keys to the edge (allow-list)")
    }

    @Test("unknown readers are findings")
    func findings() {
        #expect(rule(.serviceAccount(namespace: "production", name: "default")) == nil)
        #expect(rule(.group("system:authenticated")) == nil)
        #expect(rule(.serviceAccount(namespace: "monitoring", name: "kube-state-metrics")) == nil)
    }

    @Test("word matching splits on - . _ and needs whole words in order")
    func words() {
        #expect(containsWords("my-ingress-nginx-controller", "ingress-nginx"))
        #expect(containsWords("nginx", "nginx"))
        #expect(containsWords("public.nginx", "nginx"))
        #expect(!containsWords("nginx-ingress", "ingress-nginx"))
        #expect(!containsWords("legacy", "eg"))
        #expect(!containsWords("", "nginx"))
    }
}
