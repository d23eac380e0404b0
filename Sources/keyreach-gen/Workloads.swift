/// Deployments, their ReplicaSets and their pods, with pod specs as a live
/// cluster returns them: containers with env (plain, fieldRef,
/// secretKeyRef), envFrom, probes, resources, securityContext, volume
/// mounts; secret, configMap, projected and emptyDir volumes; and for pods
/// the fields admission adds (node, tolerations, the projected
/// `kube-api-access-*` token volume) and a running status.
extension ClusterGenerator {
    mutating func workload(_ app: AppPlan) throws(GeneratorError) {
        let labels = appLabels(app)
        begin(.deployment, "apps/v1", "Deployment")
        metadata(name: app.name, namespace: app.namespace, labels: labels,
                 annotations: [("deployment.kubernetes.io/revision", String(app.oldRevisions + 1))],
                 uid: app.deploymentUID, generation: app.oldRevisions + 1)
        let full = podDetail == .full
        out.key("spec")
        out.beginMap()
        if full {
            out.field("progressDeadlineSeconds", 600)
        }
        out.field("replicas", app.replicas)
        if full {
            out.field("revisionHistoryLimit", 10)
        }
        selector(app, hash: nil)
        if full {
            out.key("strategy")
            out.beginMap()
            out.key("rollingUpdate")
            out.beginMap()
            out.field("maxSurge", "25%")
            out.field("maxUnavailable", "25%")
            out.endMap()
            out.field("type", "RollingUpdate")
            out.endMap()
        }
        template(app, hash: nil)
        out.endMap()
        out.key("status")
        out.beginMap()
        out.field("availableReplicas", app.replicas)
        if full {
            deploymentConditions(app)
        }
        out.field("observedGeneration", app.oldRevisions + 1)
        out.field("readyReplicas", app.replicas)
        out.field("replicas", app.replicas)
        out.field("updatedReplicas", app.replicas)
        out.endMap()
        try end()
        try replicaSetsAndPods(app)
    }

    mutating func deploymentConditions(_ app: AppPlan) {
        out.key("conditions")
        out.beginList()
        for (type, reason, message) in [
            ("Available", "MinimumReplicasAvailable", "Deployment has minimum availability."),
            ("Progressing", "NewReplicaSetAvailable", "ReplicaSet \"\(app.name)-\(app.templateHash)\" has successfully progressed."),
        ] {
            out.beginMap()
            out.field("lastTransitionTime", FakeData.timestamp(clock + 30))
            out.field("lastUpdateTime", FakeData.timestamp(clock + 30))
            out.field("message", message)
            out.field("reason", reason)
            out.field("status", "True")
            out.field("type", type)
            out.endMap()
        }
        out.endList()
    }

    mutating func replicaSetsAndPods(_ app: AppPlan) throws(GeneratorError) {
        let owner = OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: app.name, uid: app.deploymentUID)
        // Older revisions stay as ReplicaSets scaled to zero.
        for _ in 0..<app.oldRevisions {
            let hash = rng.string(app.templateHash.utf8.count, from: FakeData.suffixAlphabet)
            try replicaSet(app, hash: hash, replicas: 0, owner: owner)
        }
        let uid = try replicaSet(app, hash: app.templateHash, replicas: app.replicas, owner: owner)
        let replicaSetOwner = OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "\(app.name)-\(app.templateHash)", uid: uid)
        for _ in 0..<app.replicas {
            try pod(app, owner: replicaSetOwner)
        }
    }

    func appLabels(_ app: AppPlan) -> [(String, String)] {
        guard podDetail == .full else { return [("app", app.name)] }
        return [("app", app.name), ("app.kubernetes.io/name", app.name), ("app.kubernetes.io/part-of", app.team)]
    }

    mutating func selector(_ app: AppPlan, hash: String?) {
        out.key("selector")
        out.beginMap()
        var labels = [("app", app.name)]
        if let hash {
            labels.append(("pod-template-hash", hash))
        }
        out.stringMap("matchLabels", labels)
        out.endMap()
    }

    @discardableResult
    mutating func replicaSet(_ app: AppPlan, hash: String, replicas: Int, owner: OwnerReference) throws(GeneratorError) -> String {
        let uid = FakeData.uid(&rng)
        begin(.replicaSet, "apps/v1", "ReplicaSet")
        let annotations = podDetail == .full ? [
            ("deployment.kubernetes.io/desired-replicas", String(app.replicas)),
            ("deployment.kubernetes.io/max-replicas", String(app.replicas + 1)),
            ("deployment.kubernetes.io/revision", "1"),
        ] : [("deployment.kubernetes.io/revision", "1")]
        metadata(name: "\(app.name)-\(hash)", namespace: app.namespace, labels: appLabels(app) + [("pod-template-hash", hash)],
                 annotations: annotations, owner: owner, uid: uid, generation: 1)
        out.key("spec")
        out.beginMap()
        out.field("replicas", replicas)
        selector(app, hash: hash)
        template(app, hash: hash)
        out.endMap()
        out.key("status")
        out.beginMap()
        if replicas > 0 {
            out.field("availableReplicas", replicas)
            out.field("fullyLabeledReplicas", replicas)
        }
        out.field("observedGeneration", 1)
        if replicas > 0 {
            out.field("readyReplicas", replicas)
        }
        out.field("replicas", replicas)
        out.endMap()
        try end()
        return uid
    }

    /// `spec.template` of a Deployment or ReplicaSet.
    mutating func template(_ app: AppPlan, hash: String?) {
        out.key("template")
        out.beginMap()
        out.key("metadata")
        out.beginMap()
        if podDetail == .full {
            out.stringMap("annotations", [("kubectl.kubernetes.io/default-container", app.name), ("prometheus.io/scrape", "true")])
        }
        out.key("creationTimestamp")
        out.null()
        var labels = appLabels(app)
        if let hash {
            labels.append(("pod-template-hash", hash))
        }
        out.stringMap("labels", labels)
        out.endMap()
        out.key("spec")
        podSpec(app, node: nil, tokenVolume: nil)
        out.endMap()
    }

    mutating func pod(_ app: AppPlan, owner: OwnerReference) throws(GeneratorError) {
        let name = "\(owner.name)-\(rng.string(5, from: FakeData.suffixAlphabet))"
        let node = rng.int(in: 0...(nodes.count - 1))
        let tokenVolume = app.automountToken ? "kube-api-access-\(rng.string(5, from: FakeData.suffixAlphabet))" : nil
        begin(.pod, "v1", "Pod")
        metadata(name: name, namespace: app.namespace, labels: appLabels(app) + [("pod-template-hash", app.templateHash)],
                 annotations: podDetail == .full ? [("kubectl.kubernetes.io/default-container", app.name), ("prometheus.io/scrape", "true")] : [],
                 generateName: owner.name + "-", owner: owner)
        out.key("spec")
        podSpec(app, node: node, tokenVolume: tokenVolume)
        podStatus(app, node: node)
        try end()
    }

    /// A pod spec. `node` and `tokenVolume` are set for pods (fields that the
    /// scheduler and the ServiceAccount admission plugin add), nil for
    /// templates.
    mutating func podSpec(_ app: AppPlan, node: Int?, tokenVolume: String?) {
        let full = podDetail == .full
        out.beginMap()
        if !app.automountToken {
            out.field("automountServiceAccountToken", false)
        }
        out.key("containers")
        out.beginList()
        mainContainer(app, tokenVolume: tokenVolume)
        if full, let sidecar = app.sidecar {
            sidecarContainer(sidecar, tokenVolume: tokenVolume)
        }
        out.endList()
        if full {
            out.field("dnsPolicy", "ClusterFirst")
        }
        if full, node != nil {
            out.field("enableServiceLinks", true)
        }
        out.key("imagePullSecrets")
        out.beginList()
        out.beginMap()
        out.field("name", "regcred")
        out.endMap()
        out.endList()
        if let node {
            out.field("nodeName", nodes[node])
        }
        if full {
            podSchedulingAndSecurity(isPod: node != nil, serviceAccount: app.serviceAccount)
        }
        out.field("serviceAccountName", app.serviceAccount)
        if full {
            out.field("terminationGracePeriodSeconds", 30)
        }
        if full, node != nil {
            out.key("tolerations")
            out.beginList()
            for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
                out.beginMap()
                out.field("effect", "NoExecute")
                out.field("key", key)
                out.field("operator", "Exists")
                out.field("tolerationSeconds", 300)
                out.endMap()
            }
            out.endList()
        }
        out.key("volumes")
        out.beginList()
        if let configMap = app.configMap {
            out.beginMap()
            out.key("configMap")
            out.beginMap()
            out.field("defaultMode", 420)
            out.field("name", configMap)
            out.endMap()
            out.field("name", "config")
            out.endMap()
        }
        if let secret = app.mountedSecret {
            out.beginMap()
            out.field("name", "tls")
            out.key("secret")
            out.beginMap()
            out.field("defaultMode", 420)
            out.field("secretName", secret)
            out.endMap()
            out.endMap()
        }
        if let secret = app.projectedSecret {
            out.beginMap()
            out.field("name", "bundle")
            out.key("projected")
            out.beginMap()
            out.field("defaultMode", 420)
            out.key("sources")
            out.beginList()
            out.beginMap()
            out.key("secret")
            out.beginMap()
            out.key("items")
            out.beginList()
            out.beginMap()
            out.field("key", "password")
            out.field("path", "db/password")
            out.endMap()
            out.endList()
            out.field("name", secret)
            out.field("optional", true)
            out.endMap()
            out.endMap()
            out.beginMap()
            out.key("configMap")
            out.beginMap()
            out.field("name", "kube-root-ca.crt")
            out.endMap()
            out.endMap()
            out.endList()
            out.endMap()
            out.endMap()
        }
        if full {
            out.beginMap()
            out.emptyMap("emptyDir")
            out.field("name", "tmp")
            out.endMap()
        }
        if let tokenVolume {
            out.beginMap()
            out.field("name", tokenVolume)
            out.key("projected")
            out.beginMap()
            out.field("defaultMode", 420)
            out.key("sources")
            out.beginList()
            out.beginMap()
            out.key("serviceAccountToken")
            out.beginMap()
            out.field("expirationSeconds", 3607)
            out.field("path", "token")
            out.endMap()
            out.endMap()
            out.beginMap()
            out.key("configMap")
            out.beginMap()
            out.key("items")
            out.beginList()
            out.beginMap()
            out.field("key", "ca.crt")
            out.field("path", "ca.crt")
            out.endMap()
            out.endList()
            out.field("name", "kube-root-ca.crt")
            out.endMap()
            out.endMap()
            out.beginMap()
            out.key("downwardAPI")
            out.beginMap()
            out.key("items")
            out.beginList()
            out.beginMap()
            out.key("fieldRef")
            out.beginMap()
            out.field("apiVersion", "v1")
            out.field("fieldPath", "metadata.namespace")
            out.endMap()
            out.field("path", "namespace")
            out.endMap()
            out.endList()
            out.endMap()
            out.endMap()
            out.endList()
            out.endMap()
            out.endMap()
        }
        out.endList()
        out.endMap()
    }

    /// Fields of a full pod spec that keyreach never reads.
    mutating func podSchedulingAndSecurity(isPod: Bool, serviceAccount: String) {
        if isPod {
            out.field("preemptionPolicy", "PreemptLowerPriority")
            out.field("priority", 0)
        }
        out.field("restartPolicy", "Always")
        out.field("schedulerName", "default-scheduler")
        out.key("securityContext")
        out.beginMap()
        out.field("fsGroup", 2000)
        out.field("runAsNonRoot", true)
        out.key("seccompProfile")
        out.beginMap()
        out.field("type", "RuntimeDefault")
        out.endMap()
        out.endMap()
        // The deprecated alias that the API server still fills in.
        out.field("serviceAccount", serviceAccount)
    }

    mutating func mainContainer(_ app: AppPlan, tokenVolume: String?) {
        let full = podDetail == .full
        out.beginMap()
        out.key("env")
        out.beginList()
        if full {
            out.beginMap()
            out.field("name", "APP_ENV")
            out.field("value", "production")
            out.endMap()
            out.beginMap()
            out.field("name", "PORT")
            out.field("value", String(app.port))
            out.endMap()
            out.beginMap()
            out.field("name", "POD_NAME")
            out.key("valueFrom")
            out.beginMap()
            out.key("fieldRef")
            out.beginMap()
            out.field("apiVersion", "v1")
            out.field("fieldPath", "metadata.name")
            out.endMap()
            out.endMap()
            out.endMap()
        }
        out.beginMap()
        out.field("name", "SECRET_VALUE")
        out.key("valueFrom")
        out.beginMap()
        out.key("secretKeyRef")
        out.beginMap()
        out.field("key", "password")
        out.field("name", app.envSecret)
        out.field("optional", true)
        out.endMap()
        out.endMap()
        out.endMap()
        out.endList()
        if app.configMap != nil || app.envFromSecret {
            out.key("envFrom")
            out.beginList()
            if let configMap = app.configMap {
                out.beginMap()
                out.key("configMapRef")
                out.beginMap()
                out.field("name", configMap)
                out.endMap()
                out.endMap()
            }
            if app.envFromSecret {
                out.beginMap()
                out.key("secretRef")
                out.beginMap()
                out.field("name", app.envSecret)
                out.endMap()
                out.endMap()
            }
            out.endList()
        }
        out.field("image", app.image)
        if full {
            out.field("imagePullPolicy", "IfNotPresent")
            probe("livenessProbe", path: "/healthz", port: app.port, initialDelay: 10)
        }
        out.field("name", app.name)
        if full {
            out.key("ports")
            out.beginList()
            out.beginMap()
            out.field("containerPort", app.port)
            out.field("name", "http")
            out.field("protocol", "TCP")
            out.endMap()
            out.endList()
            probe("readinessProbe", path: "/ready", port: app.port, initialDelay: 5)
        }
        resources(cpuMillis: app.cpuMillis, memoryMi: app.memoryMi, withLimits: full)
        if full {
            containerSecurityContext()
            out.field("terminationMessagePath", "/dev/termination-log")
            out.field("terminationMessagePolicy", "File")
        }
        out.key("volumeMounts")
        out.beginList()
        if app.configMap != nil {
            volumeMount("config", path: "/etc/\(app.name)")
        }
        if app.mountedSecret != nil {
            volumeMount("tls", path: "/etc/tls")
        }
        if app.projectedSecret != nil {
            volumeMount("bundle", path: "/var/run/bundle")
        }
        if full {
            volumeMount("tmp", path: "/tmp", readOnly: false)
        }
        if let tokenVolume {
            volumeMount(tokenVolume, path: "/var/run/secrets/kubernetes.io/serviceaccount")
        }
        out.endList()
        out.endMap()
    }

    mutating func sidecarContainer(_ name: String, tokenVolume: String?) {
        out.beginMap()
        out.key("args")
        out.beginList()
        out.string("--config=/etc/\(name)/config.yaml")
        out.string("--log-level=info")
        out.endList()
        out.field("image", "registry.example.com/platform/\(name):v1.\(rng.int(in: 0...30)).\(rng.int(in: 0...9))")
        out.field("imagePullPolicy", "IfNotPresent")
        out.field("name", name)
        resources(cpuMillis: 50, memoryMi: 64, withLimits: true)
        containerSecurityContext()
        out.field("terminationMessagePath", "/dev/termination-log")
        out.field("terminationMessagePolicy", "File")
        out.key("volumeMounts")
        out.beginList()
        volumeMount("tmp", path: "/tmp", readOnly: false)
        if let tokenVolume {
            volumeMount(tokenVolume, path: "/var/run/secrets/kubernetes.io/serviceaccount")
        }
        out.endList()
        out.endMap()
    }

    mutating func probe(_ name: StaticString, path: StaticString, port: Int, initialDelay: Int) {
        out.key(name)
        out.beginMap()
        out.field("failureThreshold", 3)
        out.key("httpGet")
        out.beginMap()
        out.field("path", path)
        out.field("port", port)
        out.field("scheme", "HTTP")
        out.endMap()
        out.field("initialDelaySeconds", initialDelay)
        out.field("periodSeconds", 10)
        out.field("successThreshold", 1)
        out.field("timeoutSeconds", 1)
        out.endMap()
    }

    mutating func resources(cpuMillis: Int, memoryMi: Int, withLimits: Bool) {
        out.key("resources")
        out.beginMap()
        if withLimits {
            out.stringMap("limits", [("memory", "\(memoryMi * 2)Mi")])
        }
        out.stringMap("requests", [("cpu", "\(cpuMillis)m"), ("memory", "\(memoryMi)Mi")])
        out.endMap()
    }

    mutating func containerSecurityContext() {
        out.key("securityContext")
        out.beginMap()
        out.field("allowPrivilegeEscalation", false)
        out.key("capabilities")
        out.beginMap()
        out.stringList("drop", ["ALL"])
        out.endMap()
        out.field("readOnlyRootFilesystem", true)
        out.field("runAsUser", 10001)
        out.endMap()
    }

    mutating func volumeMount(_ name: String, path: String, readOnly: Bool = true) {
        out.beginMap()
        out.field("mountPath", path)
        out.field("name", name)
        if readOnly {
            out.field("readOnly", true)
        }
        out.endMap()
    }

    mutating func podStatus(_ app: AppPlan, node: Int) {
        let started = clock + rng.int(in: 2...20)
        let podIP = "10.\(100 + node / 256).\(node % 256).\(rng.int(in: 2...254))"
        let hostIP = "10.0.\(node / 250).\(node % 250 + 4)"
        out.key("status")
        out.beginMap()
        guard podDetail == .full else {
            out.field("hostIP", hostIP)
            out.field("phase", "Running")
            out.field("podIP", podIP)
            out.field("qosClass", "Burstable")
            out.field("startTime", FakeData.timestamp(clock))
            out.endMap()
            return
        }
        out.key("conditions")
        out.beginList()
        for (type, offset) in [("PodReadyToStartContainers", 3), ("Initialized", 0), ("Ready", 9), ("ContainersReady", 9), ("PodScheduled", 0)] {
            out.beginMap()
            out.key("lastProbeTime")
            out.null()
            out.field("lastTransitionTime", FakeData.timestamp(clock + offset))
            out.field("status", "True")
            out.field("type", type)
            out.endMap()
        }
        out.endList()
        out.key("containerStatuses")
        out.beginList()
        var containers = [(app.name, app.image)]
        if let sidecar = app.sidecar {
            containers.append((sidecar, "registry.example.com/platform/\(sidecar):v1"))
        }
        for (name, image) in containers {
            out.beginMap()
            out.field("containerID", "containerd://" + FakeData.hex(&rng, count: 64))
            out.field("image", image)
            out.field("imageID", image.split(separator: ":")[0] + "@sha256:" + FakeData.hex(&rng, count: 64))
            out.emptyMap("lastState")
            out.field("name", name)
            out.field("ready", true)
            out.field("restartCount", rng.chance(0.1) ? rng.int(in: 1...5) : 0)
            out.field("started", true)
            out.key("state")
            out.beginMap()
            out.key("running")
            out.beginMap()
            out.field("startedAt", FakeData.timestamp(started))
            out.endMap()
            out.endMap()
            out.endMap()
        }
        out.endList()
        out.field("hostIP", hostIP)
        out.key("hostIPs")
        out.beginList()
        out.beginMap()
        out.field("ip", hostIP)
        out.endMap()
        out.endList()
        out.field("phase", "Running")
        out.field("podIP", podIP)
        out.key("podIPs")
        out.beginList()
        out.beginMap()
        out.field("ip", podIP)
        out.endMap()
        out.endList()
        out.field("qosClass", "Burstable")
        out.field("startTime", FakeData.timestamp(clock))
        out.endMap()
    }
}
