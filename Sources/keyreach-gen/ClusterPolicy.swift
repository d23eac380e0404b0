/// The cluster-wide part of the dump: about 45 ClusterRoles (the bootstrap
/// roles with `admin`/`edit`/`view` aggregation, add-on controllers that
/// read secrets, custom roles), about 30 ClusterRoleBindings (including the
/// broad groups `system:authenticated` and `system:serviceaccounts`), the
/// cert-manager ClusterIssuers, and the system namespaces of those add-ons.
extension ClusterGenerator {
    typealias R = Rule

    /// Names of ClusterRoles that application RoleBindings may reference.
    static var bindableClusterRoles: [String] { ["view", "edit", "admin", "secret-reader", "pod-reader", "deployment-manager", "viewer-lite"] }

    mutating func clusterRoles() throws(GeneratorError) {
        let read = ["get", "list", "watch"]
        let write = ["create", "delete", "deletecollection", "patch", "update"]
        let workloads = ["deployments", "replicasets", "statefulsets", "daemonsets"]
        let core = ["pods", "services", "endpoints", "configmaps", "persistentvolumeclaims", "serviceaccounts"]
        let viewRules = [
            R(resources: core + ["pods/log", "pods/status", "replicationcontrollers", "events", "limitranges", "resourcequotas"], verbs: read),
            R(apiGroups: ["apps"], resources: workloads + ["deployments/scale"], verbs: read),
            R(apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: read),
            R(apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: read),
        ]
        // `system:aggregate-to-edit` is where `edit` and `admin` get secrets.
        let editRules = [
            R(resources: ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], verbs: read),
            R(resources: ["serviceaccounts"], verbs: ["impersonate"]),
            R(resources: ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], verbs: ["create", "delete", "deletecollection", "patch", "update"]),
            R(resources: ["configmaps", "endpoints", "persistentvolumeclaims", "replicationcontrollers", "secrets", "serviceaccounts", "services"], verbs: write),
            R(resources: ["serviceaccounts/token"], verbs: ["create"]),
            R(apiGroups: ["apps"], resources: workloads + ["deployments/rollback", "deployments/scale"], verbs: write),
            R(apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: write),
            R(apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: write),
        ]
        let adminRules = [
            R(apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings", "roles"], verbs: read + write),
            R(apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"], verbs: ["create"]),
        ]
        let all = R(apiGroups: ["*"], resources: ["*"], verbs: ["*"])
        let secretsRead = R(resources: ["secrets"], verbs: read)

        try clusterRole("cluster-admin", [all])
        // As a live cluster shows them: aggregationRule plus the rules the
        // aggregation controller filled in.
        try clusterRole("admin", aggregateFrom: [[("rbac.authorization.k8s.io/aggregate-to-admin", "true")]], adminRules + editRules + viewRules)
        try clusterRole("edit", labels: [("rbac.authorization.k8s.io/aggregate-to-admin", "true")],
                        aggregateFrom: [[("rbac.authorization.k8s.io/aggregate-to-edit", "true")]], editRules + viewRules)
        try clusterRole("view", labels: [("rbac.authorization.k8s.io/aggregate-to-edit", "true")],
                        aggregateFrom: [[("rbac.authorization.k8s.io/aggregate-to-view", "true")]], viewRules)
        try clusterRole("system:aggregate-to-admin", labels: [("rbac.authorization.k8s.io/aggregate-to-admin", "true")], adminRules)
        try clusterRole("system:aggregate-to-edit", labels: [("rbac.authorization.k8s.io/aggregate-to-edit", "true")], editRules)
        try clusterRole("system:aggregate-to-view", labels: [("rbac.authorization.k8s.io/aggregate-to-view", "true")], viewRules)
        try clusterRole("system:basic-user", [R(apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], verbs: ["create"])])
        try clusterRole("system:discovery", [R(apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"], verbs: ["create"])])
        try clusterRole("system:public-info-viewer", [R(apiGroups: [""], resources: ["nodes"], resourceNames: ["none"], verbs: ["get"])])
        try clusterRole("system:node", [
            R(resources: ["secrets", "configmaps"], verbs: read),
            R(resources: ["pods", "nodes"], verbs: read),
            R(resources: ["pods/status", "nodes/status"], verbs: ["patch", "update"]),
            R(resources: ["serviceaccounts/token"], verbs: ["create"]),
        ])
        try clusterRole("system:node-proxier", [R(resources: ["endpoints", "services"], verbs: ["list", "watch"]), R(resources: ["nodes"], verbs: read)])
        try clusterRole("system:kube-controller-manager", [
            R(resources: ["secrets", "serviceaccounts"], verbs: ["create", "delete", "get", "update"]),
            R(apiGroups: ["*"], resources: ["*"], verbs: ["list", "watch"]),
            R(resources: ["serviceaccounts/token"], verbs: ["create"]),
        ])
        try clusterRole("system:kube-scheduler", [R(resources: ["pods", "nodes", "namespaces"], verbs: read), R(resources: ["pods/binding", "bindings"], verbs: ["create"])])
        try clusterRole("system:kube-dns", [R(resources: ["endpoints", "services"], verbs: ["list", "watch"])])
        try clusterRole("system:auth-delegator", [R(apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"])])
        try clusterRole("system:monitoring", [R(apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"])])
        try clusterRole("system:controller:generic-garbage-collector", [R(apiGroups: ["*"], resources: ["*"], verbs: ["delete", "get", "list", "patch", "update", "watch"])])
        try clusterRole("system:controller:namespace-controller", [R(apiGroups: ["*"], resources: ["*"], verbs: ["delete", "deletecollection", "get", "list"])])
        try clusterRole("system:controller:replicaset-controller", [R(resources: ["pods"], verbs: ["create", "delete", "list", "patch", "watch"]), R(apiGroups: ["apps"], resources: ["replicasets"], verbs: read + ["update"])])
        try clusterRole("system:controller:deployment-controller", [R(apiGroups: ["apps"], resources: ["deployments", "replicasets"], verbs: read + write)])
        try clusterRole("system:controller:legacy-service-account-token-cleaner", [R(resources: ["secrets"], verbs: ["delete", "patch"])])
        try clusterRole("ingress-nginx", [
            R(resources: ["configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces"], verbs: ["list", "watch"]),
            R(resources: ["services"], verbs: read),
            R(apiGroups: ["networking.k8s.io"], resources: ["ingresses", "ingressclasses"], verbs: read),
        ])
        try clusterRole("cert-manager-controller-certificates", [
            R(apiGroups: ["cert-manager.io"], resources: ["certificates", "certificaterequests", "issuers", "clusterissuers"], verbs: read),
            R(resources: ["secrets"], verbs: read + ["create", "update", "delete", "patch"]),
        ])
        try clusterRole("cert-manager-controller-issuers", [R(apiGroups: ["cert-manager.io"], resources: ["issuers", "issuers/status"], verbs: ["update", "patch"]), secretsRead])
        try clusterRole("cert-manager-controller-clusterissuers", [R(apiGroups: ["cert-manager.io"], resources: ["clusterissuers", "clusterissuers/status"], verbs: ["update", "patch"]), secretsRead])
        try clusterRole("cert-manager-cainjector", [R(apiGroups: ["cert-manager.io"], resources: ["certificates"], verbs: read), secretsRead])
        try clusterRole("cert-manager-view", labels: [
            ("rbac.authorization.k8s.io/aggregate-to-admin", "true"), ("rbac.authorization.k8s.io/aggregate-to-edit", "true"),
            ("rbac.authorization.k8s.io/aggregate-to-view", "true"),
        ], [R(apiGroups: ["cert-manager.io"], resources: ["certificates", "certificaterequests", "issuers"], verbs: read)])
        try clusterRole("cert-manager-edit", labels: [("rbac.authorization.k8s.io/aggregate-to-admin", "true"), ("rbac.authorization.k8s.io/aggregate-to-edit", "true")],
                        [R(apiGroups: ["cert-manager.io"], resources: ["certificates", "certificaterequests", "issuers"], verbs: write)])
        try clusterRole("prometheus-k8s", [R(resources: ["nodes", "nodes/metrics", "services", "endpoints", "pods"], verbs: read)])
        try clusterRole("kube-state-metrics", [R(resources: ["configmaps", "secrets", "nodes", "pods", "services", "namespaces"], verbs: ["list", "watch"])])
        try clusterRole("external-dns", [R(resources: ["services", "endpoints", "pods", "nodes"], verbs: read), R(apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: read)])
        try clusterRole("fluent-bit", [R(resources: ["namespaces", "pods"], verbs: read)])
        try clusterRole("system:aggregated-metrics-reader", labels: [
            ("rbac.authorization.k8s.io/aggregate-to-admin", "true"), ("rbac.authorization.k8s.io/aggregate-to-edit", "true"),
            ("rbac.authorization.k8s.io/aggregate-to-view", "true"),
        ], [R(apiGroups: ["metrics.k8s.io"], resources: ["pods", "nodes"], verbs: read)])
        try clusterRole("argocd-application-controller", [all])
        try clusterRole("sealed-secrets-controller", [R(resources: ["secrets"], verbs: read + ["create", "update", "delete"])])
        try clusterRole("secret-reader", [R(resources: ["secrets"], verbs: ["get", "list"])])
        try clusterRole("secret-lister", [R(resources: ["secrets"], verbs: ["list"])])
        try clusterRole("pod-reader", [R(resources: ["pods", "pods/log"], verbs: read)])
        try clusterRole("namespace-viewer", [R(resources: ["namespaces"], verbs: read)])
        try clusterRole("deployment-manager", [R(apiGroups: ["apps"], resources: ["deployments", "deployments/scale"], verbs: read + ["patch", "update"])])
        try clusterRole("ci-deployer", [
            R(apiGroups: ["apps"], resources: ["deployments"], verbs: read + write),
            R(resources: ["services", "configmaps", "secrets"], verbs: ["create", "get", "patch", "update"]),
        ])
        try clusterRole("viewer-lite", [R(resources: ["pods", "services", "configmaps", "endpoints"], verbs: read), R(apiGroups: ["apps"], resources: ["deployments"], verbs: read)])
        try clusterRole("self-review", [R(apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews"], verbs: ["create"])])
        try clusterRole("monitoring", aggregateFrom: [[("rbac.example.com/aggregate-to-monitoring", "true")]], [
            R(resources: ["pods", "services", "endpoints"], verbs: read),
            R(apiGroups: ["monitoring.coreos.com"], resources: ["servicemonitors", "podmonitors"], verbs: read),
        ])
        try clusterRole("monitoring-core", labels: [("rbac.example.com/aggregate-to-monitoring", "true")], [R(resources: ["pods", "services", "endpoints"], verbs: read)])
        try clusterRole("monitoring-crds", labels: [("rbac.example.com/aggregate-to-monitoring", "true")],
                        [R(apiGroups: ["monitoring.coreos.com"], resources: ["servicemonitors", "podmonitors"], verbs: read)])
    }

    mutating func clusterRoleBindings() throws(GeneratorError) {
        try clusterRoleBinding("cluster-admin", role: "cluster-admin", [.group("system:masters")])
        try clusterRoleBinding("system:basic-user", role: "system:basic-user", [.group("system:authenticated")])
        try clusterRoleBinding("system:discovery", role: "system:discovery", [.group("system:authenticated")])
        try clusterRoleBinding("system:public-info-viewer", role: "system:public-info-viewer", [.group("system:authenticated"), .group("system:unauthenticated")])
        try clusterRoleBinding("system:node", role: "system:node", [])
        try clusterRoleBinding("system:node-proxier", role: "system:node-proxier", [.user("system:kube-proxy")])
        try clusterRoleBinding("system:kube-controller-manager", role: "system:kube-controller-manager", [.user("system:kube-controller-manager")])
        try clusterRoleBinding("system:kube-scheduler", role: "system:kube-scheduler", [.user("system:kube-scheduler")])
        try clusterRoleBinding("system:kube-dns", role: "system:kube-dns", [.serviceAccount("kube-system", "kube-dns")])
        try clusterRoleBinding("system:monitoring", role: "system:monitoring", [.group("system:monitoring")])
        for controller in ["generic-garbage-collector", "namespace-controller", "replicaset-controller", "deployment-controller", "legacy-service-account-token-cleaner"] {
            try clusterRoleBinding("system:controller:" + controller, role: "system:controller:" + controller, [.serviceAccount("kube-system", controller)])
        }
        try clusterRoleBinding("ingress-nginx", role: "ingress-nginx", [.serviceAccount("ingress-nginx", "ingress-nginx")])
        for role in ["cert-manager-controller-certificates", "cert-manager-controller-issuers", "cert-manager-controller-clusterissuers"] {
            try clusterRoleBinding(role, role: role, [.serviceAccount("cert-manager", "cert-manager")])
        }
        try clusterRoleBinding("cert-manager-cainjector", role: "cert-manager-cainjector", [.serviceAccount("cert-manager", "cert-manager-cainjector")])
        try clusterRoleBinding("prometheus-k8s", role: "prometheus-k8s", [.serviceAccount("monitoring", "prometheus-k8s")])
        try clusterRoleBinding("kube-state-metrics", role: "kube-state-metrics", [.serviceAccount("monitoring", "kube-state-metrics")])
        try clusterRoleBinding("external-dns", role: "external-dns", [.serviceAccount("kube-system", "external-dns")])
        try clusterRoleBinding("fluent-bit", role: "fluent-bit", [.serviceAccount("logging", "fluent-bit")])
        try clusterRoleBinding("argocd-application-controller", role: "argocd-application-controller", [.serviceAccount("argocd", "argocd-application-controller")])
        try clusterRoleBinding("velero", role: "cluster-admin", [.serviceAccount("velero", "velero")])
        try clusterRoleBinding("sealed-secrets-controller", role: "sealed-secrets-controller", [.serviceAccount("kube-system", "sealed-secrets-controller")])
        try clusterRoleBinding("platform-admins", role: "cluster-admin", [.group("platform-admins"), .user("alice@example.com")])
        try clusterRoleBinding("ci-deployer", role: "ci-deployer", [.serviceAccount("ci", "deployer")])
        try clusterRoleBinding("monitoring", role: "monitoring", [.serviceAccount("monitoring", "prometheus-k8s")])
        // Broad groups with harmless roles: every authenticated user may ask
        // what it can do; every service account sees a view-like role that
        // has no secrets.
        try clusterRoleBinding("self-review", role: "self-review", [.group("system:authenticated")])
        try clusterRoleBinding("serviceaccounts-viewer-lite", role: "viewer-lite", [.group("system:serviceaccounts")])
        try clusterRoleBinding("auditors-namespace-viewer", role: "namespace-viewer", [.group("auditors")])
    }

    mutating func clusterIssuers() throws(GeneratorError) {
        for (name, server) in [("letsencrypt-prod", "https://acme-v02.api.letsencrypt.org/directory"),
                               ("letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory")] {
            begin(.clusterIssuer, "cert-manager.io/v1", "ClusterIssuer")
            metadata(name: name, generation: 1)
            out.key("spec")
            out.beginMap()
            out.key("acme")
            out.beginMap()
            out.field("email", "platform@example.com")
            out.key("privateKeySecretRef")
            out.beginMap()
            out.field("name", name + "-account-key")
            out.endMap()
            out.field("server", server)
            out.key("solvers")
            out.beginList()
            out.beginMap()
            out.key("http01")
            out.beginMap()
            out.key("ingress")
            out.beginMap()
            out.field("ingressClassName", "nginx")
            out.endMap()
            out.endMap()
            out.endMap()
            out.endList()
            out.endMap()
            out.endMap()
            readyStatus(reason: "ACMEAccountRegistered", message: "The ACME account was registered with the ACME server")
            try end()
        }
        begin(.clusterIssuer, "cert-manager.io/v1", "ClusterIssuer")
        metadata(name: "internal-ca", generation: 1)
        out.key("spec")
        out.beginMap()
        out.key("ca")
        out.beginMap()
        out.field("secretName", "internal-ca-key")
        out.endMap()
        out.endMap()
        readyStatus(reason: "KeyPairVerified", message: "Signing CA verified")
        try end()
    }

    /// `status.conditions` with one Ready=True condition.
    mutating func readyStatus(reason: String, message: String) {
        out.key("status")
        out.beginMap()
        out.key("conditions")
        out.beginList()
        out.beginMap()
        out.field("lastTransitionTime", FakeData.timestamp(clock + 5))
        out.field("message", message)
        out.field("observedGeneration", 1)
        out.field("reason", reason)
        out.field("status", "True")
        out.field("type", "Ready")
        out.endMap()
        out.endList()
        out.endMap()
    }

    /// The add-ons' namespaces with the service accounts the cluster-wide
    /// bindings name, cert-manager's CA and ACME account keys, and the
    /// ingress controller.
    mutating func systemNamespaces() throws(GeneratorError) {
        let accounts: [(String, [String])] = [
            ("kube-system", ["default", "kube-dns", "external-dns", "sealed-secrets-controller", "generic-garbage-collector",
                             "namespace-controller", "replicaset-controller", "deployment-controller", "legacy-service-account-token-cleaner"]),
            ("cert-manager", ["default", "cert-manager", "cert-manager-cainjector"]),
            ("ingress-nginx", ["default", "ingress-nginx"]),
            ("monitoring", ["default", "prometheus-k8s", "kube-state-metrics"]),
            ("logging", ["default", "fluent-bit"]),
            ("argocd", ["default", "argocd-application-controller"]),
            ("velero", ["default", "velero"]),
            ("ci", ["default", "deployer"]),
        ]
        for (namespace, names) in accounts {
            try namespaceObject(namespace)
            for name in names {
                try serviceAccount(name, namespace: namespace, tokenSecret: nil, pullSecret: nil)
            }
        }
        // The CA key of ClusterIssuer internal-ca and the ACME account keys
        // live in cert-manager's cluster resource namespace.
        try tlsSecret(name: "internal-ca-key", namespace: "cert-manager", keyType: "PRIVATE KEY", certificate: nil, dnsName: "internal-ca")
        for issuer in ["letsencrypt-prod", "letsencrypt-staging"] {
            begin(.secret, "v1", "Secret")
            out.key("data")
            out.beginMap()
            out.field("tls.key", FakeData.base64(FakeData.pem("EC PRIVATE KEY", bodyBytes: 121, &rng)))
            out.endMap()
            metadata(name: issuer + "-account-key", namespace: "cert-manager")
            out.field("type", "Opaque")
            try end()
        }
    }
}
