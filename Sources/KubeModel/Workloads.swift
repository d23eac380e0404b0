/// Where a pod spec names a secret. The node authorizer lets the kubelet of
/// the pod's node read every one of these (see podutil.VisitPodSecretNames).
public struct PodSecretReference: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        case volume            // volumes[].secret.secretName
        case projectedVolume   // volumes[].projected.sources[].secret.name
        case csiVolume         // volumes[].csi.nodePublishSecretRef.name
        case otherVolume       // cephfs/rbd/iscsi/flexVolume/azureFile/... secretRef
        case env               // containers[].env[].valueFrom.secretKeyRef.name
        case envFrom           // containers[].envFrom[].secretRef.name
        case imagePullSecret   // imagePullSecrets[].name
    }

    public var name: String
    public var source: Source
    /// The volume or container name that holds the reference, for explanations.
    public var detail: String

    public init(name: String, source: Source, detail: String = "") {
        self.name = name
        self.source = source
        self.detail = detail
    }
}

/// The part of a pod spec keyreach needs: who the pod runs as, where, and
/// which secrets it names.
public struct PodSpec: Sendable, Hashable, Codable {
    /// `serviceAccountName` (or the deprecated `serviceAccount`); `"default"`
    /// when neither is set, as the ServiceAccount admission plugin does.
    public var serviceAccountName: String
    /// `spec.nodeName`, `""` when unscheduled.
    public var nodeName: String
    public var automountServiceAccountToken: Bool?
    public var secretReferences: [PodSecretReference]
    /// `containers[]`: name, image and flags (see ``ContainerSummary``).
    public var containers: [ContainerSummary] = []

    public init(serviceAccountName: String = "default", nodeName: String = "",
                automountServiceAccountToken: Bool? = nil, secretReferences: [PodSecretReference] = []) {
        self.serviceAccountName = serviceAccountName
        self.nodeName = nodeName
        self.automountServiceAccountToken = automountServiceAccountToken
        self.secretReferences = secretReferences
    }
}

/// A Pod. A mirror pod (annotation `kubernetes.io/config.mirror`) is created
/// by a kubelet from a static manifest and grants its node nothing.
public struct Pod: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    public var spec: PodSpec
    public var isMirror: Bool { meta.annotations["kubernetes.io/config.mirror"] != nil }

    public init(meta: ObjectMeta, spec: PodSpec) {
        self.meta = meta
        self.spec = spec
    }
}

/// A controller that owns a pod template: Deployment, StatefulSet, DaemonSet,
/// ReplicaSet, Job or CronJob (`kind` says which).
public struct Workload: Sendable, Hashable, Codable {
    public var kind: String
    public var meta: ObjectMeta
    public var template: PodSpec

    public init(kind: String, meta: ObjectMeta, template: PodSpec) {
        self.kind = kind
        self.meta = meta
        self.template = template
    }
}

/// A Node object (the kubelet authenticates as `system:node:NAME`).
public struct Node: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    public init(meta: ObjectMeta) { self.meta = meta }
}

/// A Namespace object.
public struct Namespace: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    public init(meta: ObjectMeta) { self.meta = meta }
}
