/// One application of a namespace: a Deployment with its ReplicaSets, pods,
/// Service and the secrets and config it uses. Drawn once, then written as
/// Deployment template, ReplicaSet template and pods alike.
struct AppPlan {
    var name: String
    var namespace: String
    var serviceAccount: String
    var image: String
    var port: Int
    var replicas: Int
    var oldRevisions: Int
    var templateHash: String
    var deploymentUID: String
    var configMap: String?
    /// Opaque secret read through `env[].valueFrom.secretKeyRef`.
    var envSecret: String
    /// Also loaded whole through `envFrom[].secretRef`.
    var envFromSecret: Bool
    /// Secret mounted as a volume (often a TLS secret).
    var mountedSecret: String?
    /// Secret and config map combined in a projected volume.
    var projectedSecret: String?
    var sidecar: String?
    var automountToken: Bool
    var team: String
    var cpuMillis: Int
    var memoryMi: Int
}

extension ClusterGenerator {
    static var teamWords: [String] {
        ["payments", "checkout", "search", "catalog", "identity", "billing", "shipping", "orders", "reviews", "ads",
         "analytics", "data", "ml", "platform", "mobile", "web", "partners", "support", "growth", "risk",
         "fraud", "ledger", "notify", "media", "inventory", "pricing", "loyalty", "gateway", "auth", "maps"]
    }

    static var appWords: [String] {
        ["api", "web", "worker", "frontend", "backend", "scheduler", "consumer", "producer", "indexer", "gateway",
         "cache", "admin", "reporter", "exporter", "sync", "importer", "notifier", "renderer", "resizer", "router",
         "ingestor", "planner", "matcher", "ranker", "crawler", "mailer", "webhook", "auth", "session", "cron"]
    }

    static var sidecars: [String] { ["envoy", "log-shipper", "oauth2-proxy", "cloudsql-proxy"] }

    mutating func namespaceObject(_ name: String, team: String? = nil) throws(GeneratorError) {
        begin(.namespace, "v1", "Namespace")
        var labels = [("kubernetes.io/metadata.name", name)]
        if let team {
            labels += [("team", team), ("environment", "production")]
        }
        metadata(name: name, labels: labels)
        out.key("spec")
        out.beginMap()
        out.stringList("finalizers", ["kubernetes"])
        out.endMap()
        out.key("status")
        out.beginMap()
        out.field("phase", "Active")
        out.endMap()
        try end()
    }

    mutating func serviceAccount(_ name: String, namespace: String, tokenSecret: String?, pullSecret: String?) throws(GeneratorError) {
        begin(.serviceAccount, "v1", "ServiceAccount")
        if let pullSecret {
            out.key("imagePullSecrets")
            out.beginList()
            out.beginMap()
            out.field("name", pullSecret)
            out.endMap()
            out.endList()
        }
        metadata(name: name, namespace: namespace)
        if let tokenSecret {
            out.key("secrets")
            out.beginList()
            out.beginMap()
            out.field("name", tokenSecret)
            out.endMap()
            out.endList()
        }
        try end()
    }

    /// A `kubernetes.io/tls` secret with fake PEM blocks; with cert-manager's
    /// annotations when `certificate` names the Certificate that made it.
    mutating func tlsSecret(name: String, namespace: String, keyType: String, certificate: String?, dnsName: String, issuer: String = "internal-ca") throws(GeneratorError) {
        begin(.secret, "v1", "Secret")
        out.key("data")
        out.beginMap()
        // cert-manager's CA issuer writes the CA into `ca.crt`; ACME issuers
        // leave it out.
        if certificate != nil, issuer == "internal-ca" {
            out.field("ca.crt", FakeData.base64(FakeData.pem("CERTIFICATE", bodyBytes: 420, &rng)))
        }
        out.field("tls.crt", FakeData.base64(FakeData.pem("CERTIFICATE", bodyBytes: 760, &rng)))
        out.field("tls.key", FakeData.base64(FakeData.pem(keyType, bodyBytes: keyType == "EC PRIVATE KEY" ? 121 : 1190, &rng)))
        out.endMap()
        if let certificate {
            metadata(name: name, namespace: namespace, labels: [("controller.cert-manager.io/fao", "true")], annotations: [
                ("cert-manager.io/alt-names", dnsName),
                ("cert-manager.io/certificate-name", certificate),
                ("cert-manager.io/common-name", dnsName),
                ("cert-manager.io/ip-sans", ""),
                ("cert-manager.io/issuer-group", "cert-manager.io"),
                ("cert-manager.io/issuer-kind", "ClusterIssuer"),
                ("cert-manager.io/issuer-name", issuer),
                ("cert-manager.io/uri-sans", ""),
            ])
        } else {
            metadata(name: name, namespace: namespace)
        }
        out.field("type", "kubernetes.io/tls")
        try end()
    }

    /// An Opaque secret with fake values; a third of them were created with
    /// `kubectl apply`, so their last-applied annotation repeats the data.
    mutating func opaqueSecret(name: String, namespace: String, keys: [String]) throws(GeneratorError) {
        var data: [(String, String)] = []
        for key in keys {
            let value = "KEYREACH-FAKE-\(key)-\(FakeData.hex(&rng, count: 8))-\(rng.string(rng.int(in: 8...40), from: FakeData.base64Alphabet))"
            data.append((key, FakeData.base64(value)))
        }
        begin(.secret, "v1", "Secret")
        out.stringMap("data", data)
        var annotations: [(String, String)] = []
        if rng.chance(0.33) {
            let applied = data.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",")
            annotations.append(("kubectl.kubernetes.io/last-applied-configuration",
                                "{\"apiVersion\":\"v1\",\"data\":{\(applied)},\"kind\":\"Secret\",\"metadata\":{\"annotations\":{},\"name\":\"\(name)\",\"namespace\":\"\(namespace)\"},\"type\":\"Opaque\"}\n"))
        }
        metadata(name: name, namespace: namespace, annotations: annotations)
        out.field("type", "Opaque")
        try end()
    }

    mutating func applicationNamespace(index: Int) throws(GeneratorError) {
        let team = rng.pick(Self.teamWords)
        // Four digits below 10,000 (the names every seed has always given); the
        // index itself beyond, so no two namespaces share a name.
        let namespace = "\(team)-\(index < 10000 ? String(String(index + 10000).dropFirst()) : String(index))"
        try namespaceObject(namespace, team: team)

        // Applications: 4-8 distinct names.
        var words = Self.appWords
        for i in stride(from: words.count - 1, to: 0, by: -1) {
            words.swapAt(i, rng.int(in: 0...i))
        }
        let appCount = rng.int(in: 4...8)
        let appNames = Array(words.prefix(appCount))
        let ownAccounts = rng.int(in: 2...min(5, appCount))
        let credentialSecrets = appNames.prefix(rng.int(in: 1...2)).map { $0 + "-credentials" }
        let certificateCount = rng.int(in: 1...2)
        var certificates: [(name: String, secret: String, host: String, issuer: String)] = []
        for name in appNames.prefix(certificateCount) {
            certificates.append((name, name + "-tls", "\(name).\(namespace).example.com", rng.chance(0.7) ? "letsencrypt-prod" : "internal-ca"))
        }
        var tlsSecrets: [String] = []

        // Service accounts; a legacy token secret for about one per namespace.
        var tokenSecrets: [(account: String, secret: String)] = []
        let accountNames = ["default"] + appNames.prefix(ownAccounts)
        for account in accountNames {
            let legacyToken = rng.chance(1.0 / Double(accountNames.count)) ? "\(account)-token-\(rng.string(5, from: FakeData.suffixAlphabet))" : nil
            if let legacyToken {
                tokenSecrets.append((account, legacyToken))
            }
            try serviceAccount(account, namespace: namespace, tokenSecret: legacyToken, pullSecret: account == "default" ? nil : "regcred")
        }

        // Secrets.
        try dockerConfigSecret(namespace: namespace)
        for secret in credentialSecrets {
            try opaqueSecret(name: secret, namespace: namespace, keys: rng.chance(0.5) ? ["password", "username"] : ["api-key"])
        }
        for certificate in certificates where rng.chance(0.93) {
            // cert-manager's default encoding is PKCS#1 for RSA keys.
            try tlsSecret(name: certificate.secret, namespace: namespace, keyType: rng.pick(["RSA PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"]),
                          certificate: certificate.name, dnsName: certificate.host, issuer: certificate.issuer)
            tlsSecrets.append(certificate.secret)
        }
        for token in tokenSecrets {
            try serviceAccountTokenSecret(name: token.secret, namespace: namespace, account: token.account)
        }
        if rng.chance(0.25) {
            // Uploaded by hand, no cert-manager.
            try tlsSecret(name: "wildcard-tls", namespace: namespace, keyType: "PRIVATE KEY", certificate: nil, dnsName: "*.\(namespace).example.com")
            tlsSecrets.append("wildcard-tls")
        }
        if rng.chance(0.15) {
            // A private key that only its data key name and PEM header reveal.
            try keyInOpaqueSecret(name: "jwt-signing", namespace: namespace)
        }
        if rng.chance(0.05) {
            try sshSecret(name: "git-deploy-key", namespace: namespace)
        }
        if rng.chance(0.2) {
            try opaqueSecret(name: rng.pick(["smtp", "s3-backup", "sentry", "oauth-client"]), namespace: namespace, keys: ["token"])
        }

        // cert-manager Certificates (their secret may not exist yet).
        for certificate in certificates {
            try certificateObject(name: certificate.name, namespace: namespace, secret: certificate.secret, host: certificate.host, issuer: certificate.issuer)
        }

        // Applications.
        var apps: [AppPlan] = []
        for (position, name) in appNames.enumerated() {
            let usesOwnAccount = position < ownAccounts && rng.chance(0.85)
            apps.append(AppPlan(
                name: name,
                namespace: namespace,
                serviceAccount: usesOwnAccount ? name : "default",
                image: "registry.example.com/\(team)/\(name):\(rng.int(in: 1...4)).\(rng.int(in: 0...30)).\(rng.int(in: 0...9))",
                port: rng.pick([8080, 8080, 8443, 9000, 3000]),
                replicas: rng.int(in: 2...4),
                oldRevisions: rng.chance(podDetail == .full ? 0.4 : 0.15) ? 1 : 0,
                templateHash: rng.string(rng.int(in: 9...10), from: FakeData.suffixAlphabet),
                deploymentUID: FakeData.uid(&rng),
                configMap: rng.chance(0.5) ? name + "-config" : nil,
                envSecret: rng.pick(credentialSecrets),
                envFromSecret: rng.chance(0.25),
                mountedSecret: tlsSecrets.isEmpty || !rng.chance(0.3) ? nil : rng.pick(tlsSecrets),
                projectedSecret: rng.chance(0.15) ? rng.pick(credentialSecrets) : nil,
                sidecar: rng.chance(0.3) ? rng.pick(Self.sidecars) : nil,
                automountToken: !rng.chance(0.15),
                team: team,
                cpuMillis: rng.pick([50, 100, 200, 250, 500]),
                memoryMi: rng.pick([64, 128, 256, 512])
            ))
        }
        try configMaps(namespace: namespace, apps: apps)
        for app in apps {
            try service(app)
        }
        if rng.chance(0.6), let certificate = certificates.first {
            try ingress(namespace: namespace, name: certificate.name, host: certificate.host, secret: certificate.secret, port: apps[0].port)
        }
        try namespaceRBAC(namespace: namespace, index: index, team: team, apps: apps, secrets: credentialSecrets + tlsSecrets)
        for app in apps {
            try workload(app)
        }
        if !shapes.isDefault {
            try shapedObjects(namespace: namespace, index: index, team: team, tlsSecrets: tlsSecrets,
                              credentialSecret: credentialSecrets[0])
        }
    }

    mutating func dockerConfigSecret(namespace: String) throws(GeneratorError) {
        let password = "KEYREACH-FAKE-REGISTRY-\(FakeData.hex(&rng, count: 16))"
        let auth = FakeData.base64("robot$\(namespace):\(password)")
        let config = "{\"auths\":{\"registry.example.com\":{\"username\":\"robot$\(namespace)\",\"password\":\"\(password)\",\"auth\":\"\(auth)\"}}}"
        begin(.secret, "v1", "Secret")
        out.stringMap("data", [(".dockerconfigjson", FakeData.base64(config))])
        metadata(name: "regcred", namespace: namespace)
        out.field("type", "kubernetes.io/dockerconfigjson")
        try end()
    }

    mutating func serviceAccountTokenSecret(name: String, namespace: String, account: String) throws(GeneratorError) {
        begin(.secret, "v1", "Secret")
        out.key("data")
        out.beginMap()
        out.field("ca.crt", FakeData.base64(FakeData.pem("CERTIFICATE", bodyBytes: 760, &rng)))
        out.field("namespace", FakeData.base64(namespace))
        out.field("token", FakeData.base64(FakeData.token(&rng, namespace: namespace, serviceAccount: account)))
        out.endMap()
        metadata(name: name, namespace: namespace, annotations: [
            ("kubernetes.io/service-account.name", account),
            ("kubernetes.io/service-account.uid", FakeData.uid(&rng)),
        ])
        out.field("type", "kubernetes.io/service-account-token")
        try end()
    }

    mutating func keyInOpaqueSecret(name: String, namespace: String) throws(GeneratorError) {
        begin(.secret, "v1", "Secret")
        out.key("data")
        out.beginMap()
        out.field("signing.key", FakeData.base64(FakeData.pem("RSA PRIVATE KEY", bodyBytes: 1190, &rng)))
        out.field("signing.pub", FakeData.base64(FakeData.pem("PUBLIC KEY", bodyBytes: 294, &rng)))
        out.endMap()
        metadata(name: name, namespace: namespace)
        out.field("type", "Opaque")
        try end()
    }

    mutating func sshSecret(name: String, namespace: String) throws(GeneratorError) {
        begin(.secret, "v1", "Secret")
        out.key("data")
        out.beginMap()
        out.field("ssh-privatekey", FakeData.base64(FakeData.pem("OPENSSH PRIVATE KEY", bodyBytes: 390, &rng)))
        out.endMap()
        metadata(name: name, namespace: namespace)
        out.field("type", "kubernetes.io/ssh-auth")
        try end()
    }

    mutating func certificateObject(name: String, namespace: String, secret: String, host: String, issuer: String) throws(GeneratorError) {
        begin(.certificate, "cert-manager.io/v1", "Certificate")
        metadata(name: name, namespace: namespace, generation: 1)
        out.key("spec")
        out.beginMap()
        out.stringList("dnsNames", [host])
        out.key("issuerRef")
        out.beginMap()
        out.field("group", "cert-manager.io")
        out.field("kind", "ClusterIssuer")
        out.field("name", issuer)
        out.endMap()
        out.field("secretName", secret)
        out.endMap()
        out.key("status")
        out.beginMap()
        out.key("conditions")
        out.beginList()
        out.beginMap()
        out.field("lastTransitionTime", FakeData.timestamp(clock + 4))
        out.field("message", "Certificate is up to date and has not expired")
        out.field("observedGeneration", 1)
        out.field("reason", "Ready")
        out.field("status", "True")
        out.field("type", "Ready")
        out.endMap()
        out.endList()
        out.field("notAfter", FakeData.timestamp(clock + 90 * 86_400))
        out.field("notBefore", FakeData.timestamp(clock))
        out.field("renewalTime", FakeData.timestamp(clock + 60 * 86_400))
        out.field("revision", rng.int(in: 1...12))
        out.endMap()
        try end()
    }

    mutating func configMaps(namespace: String, apps: [AppPlan]) throws(GeneratorError) {
        // Every namespace gets the cluster CA bundle (a public certificate).
        begin(.configMap, "v1", "ConfigMap")
        out.stringMap("data", [("ca.crt", FakeData.pem("CERTIFICATE", bodyBytes: 760, &rng))])
        let description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."
        metadata(name: "kube-root-ca.crt", namespace: namespace,
                 annotations: podDetail == .full ? [("kubernetes.io/description", description)] : [])
        try end()
        for app in apps {
            guard let configMap = app.configMap else { continue }
            begin(.configMap, "v1", "ConfigMap")
            out.stringMap("data", [
                ("LOG_LEVEL", rng.pick(["info", "debug", "warn"])),
                ("LISTEN_ADDR", ":\(app.port)"),
                ("UPSTREAM_URL", "http://\(rng.pick(Self.appWords)).\(namespace).svc.cluster.local:8080"),
            ])
            metadata(name: configMap, namespace: namespace, labels: [("app", app.name)])
            try end()
        }
    }

    mutating func service(_ app: AppPlan) throws(GeneratorError) {
        begin(.service, "v1", "Service")
        metadata(name: app.name, namespace: app.namespace, labels: [("app", app.name)])
        let ip = "10.\(96 + rng.int(in: 0...3)).\(rng.int(in: 0...255)).\(rng.int(in: 1...254))"
        let full = podDetail == .full
        out.key("spec")
        out.beginMap()
        out.field("clusterIP", ip)
        if full {
            out.stringList("clusterIPs", [ip])
            out.field("internalTrafficPolicy", "Cluster")
            out.stringList("ipFamilies", ["IPv4"])
            out.field("ipFamilyPolicy", "SingleStack")
        }
        out.key("ports")
        out.beginList()
        out.beginMap()
        out.field("name", "http")
        out.field("port", app.port)
        out.field("protocol", "TCP")
        out.field("targetPort", "http")
        out.endMap()
        out.endList()
        out.stringMap("selector", [("app", app.name)])
        if full {
            out.field("sessionAffinity", "None")
        }
        out.field("type", "ClusterIP")
        out.endMap()
        if full {
            out.key("status")
            out.beginMap()
            out.emptyMap("loadBalancer")
            out.endMap()
        }
        try end()
    }

    mutating func ingress(namespace: String, name: String, host: String, secret: String, port: Int) throws(GeneratorError) {
        begin(.ingress, "networking.k8s.io/v1", "Ingress")
        metadata(name: name, namespace: namespace, annotations: [
            ("nginx.ingress.kubernetes.io/proxy-body-size", "8m"),
            ("nginx.ingress.kubernetes.io/ssl-redirect", "true"),
        ], generation: 1)
        out.key("spec")
        out.beginMap()
        out.field("ingressClassName", "nginx")
        out.key("rules")
        out.beginList()
        out.beginMap()
        out.field("host", host)
        out.key("http")
        out.beginMap()
        out.key("paths")
        out.beginList()
        out.beginMap()
        out.key("backend")
        out.beginMap()
        out.key("service")
        out.beginMap()
        out.field("name", name)
        out.key("port")
        out.beginMap()
        out.field("number", port)
        out.endMap()
        out.endMap()
        out.endMap()
        out.field("path", "/")
        out.field("pathType", "Prefix")
        out.endMap()
        out.endList()
        out.endMap()
        out.endMap()
        out.endList()
        out.key("tls")
        out.beginList()
        out.beginMap()
        out.stringList("hosts", [host])
        out.field("secretName", secret)
        out.endMap()
        out.endList()
        out.endMap()
        out.key("status")
        out.beginMap()
        out.key("loadBalancer")
        out.beginMap()
        out.key("ingress")
        out.beginList()
        out.beginMap()
        out.field("hostname", "a\(FakeData.hex(&rng, count: 31)).elb.eu-west-1.amazonaws.com")
        out.endMap()
        out.endList()
        out.endMap()
        out.endMap()
        try end()
    }

    /// 2-4 Roles and 2-4 RoleBindings of varied shapes: plain secret readers,
    /// `resourceNames`, list/watch, `*`, harmless ones, token minting and
    /// exec (indirect paths), and bindings to the `edit`/`view`/`admin`
    /// ClusterRoles with users, groups and service accounts.
    mutating func namespaceRBAC(namespace: String, index: Int, team: String, apps: [AppPlan], secrets: [String]) throws(GeneratorError) {
        let read = ["get", "list", "watch"]
        let shapes: [(String, [Rule])] = [
            ("secret-getter", [Rule(resources: ["secrets"], verbs: ["get"])]),
            ("\(apps[0].name)-secret-access", [Rule(resources: ["secrets"], resourceNames: Array(secrets.prefix(2)), verbs: ["get"])]),
            ("config-watcher", [Rule(resources: ["configmaps"], verbs: read), Rule(resources: ["secrets"], verbs: ["list", "watch"])]),
            ("namespace-admin", [Rule(apiGroups: ["*"], resources: ["*"], verbs: ["*"])]),
            ("pod-inspector", [Rule(resources: ["pods", "pods/log"], verbs: ["get", "list"])]),
            ("deployer", [Rule(apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "patch", "update"])]),
            ("token-minter", [Rule(resources: ["serviceaccounts/token"], verbs: ["create"])]),
            ("debugger", [Rule(resources: ["pods"], verbs: ["get", "list"]), Rule(resources: ["pods/exec"], verbs: ["create"])]),
        ]
        var order = Array(shapes.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, rng.int(in: 0...i))
        }
        let roleNames = order.prefix(rng.int(in: 3...5)).map { shapes[$0].0 }
        for position in order.prefix(roleNames.count) {
            begin(.role, "rbac.authorization.k8s.io/v1", "Role")
            metadata(name: shapes[position].0, namespace: namespace)
            rules(shapes[position].1)
            try end()
        }
        let accounts = Array(Set(apps.map(\.serviceAccount))).sorted()
        for bindingIndex in 0..<rng.int(in: 3...5) {
            var subjectList: [Subject] = []
            for _ in 0..<rng.int(in: 1...2) {
                switch rng.int(in: 0...9) {
                case 0...4: subjectList.append(.serviceAccount(namespace, rng.pick(accounts)))
                case 5...6: subjectList.append(.user("dev-\(rng.int(in: 1...400))@example.com"))
                case 7...8: subjectList.append(.group("team-\(team)"))
                default:
                    // A service account without namespace: the binding's.
                    subjectList.append(Subject(kind: "ServiceAccount", name: rng.pick(accounts), namespace: nil))
                }
            }
            begin(.roleBinding, "rbac.authorization.k8s.io/v1", "RoleBinding")
            if bindingIndex < roleNames.count, rng.chance(0.6) {
                metadata(name: roleNames[bindingIndex] + "-binding", namespace: namespace)
                roleRef(kind: "Role", name: roleNames[bindingIndex])
            } else {
                let role = rng.pick(Self.bindableClusterRoles)
                metadata(name: "\(role)-\(bindingIndex)", namespace: namespace)
                roleRef(kind: "ClusterRole", name: role)
            }
            subjects(subjectList)
            try end()
        }
        if index == 0 {
            // One broad group that can list every secret of one namespace.
            begin(.roleBinding, "rbac.authorization.k8s.io/v1", "RoleBinding")
            metadata(name: "support-secret-listers", namespace: namespace)
            roleRef(kind: "ClusterRole", name: "secret-lister")
            subjects([.group("support-engineers")])
            try end()
        }
    }
}
