import KubeModel

/// A `kubectl auth can-i` resource argument, resolved.
public enum ResolvedArgument: Sendable, Hashable {
    /// `RESOURCE[/NAME]`.
    case resource(ResolvedResource)
    /// An argument starting with `/`: a non-resource URL such as `/healthz`.
    case nonResourceURL(String)
}

/// The group and plural resource an argument names, and the object name if given.
public struct ResolvedResource: Sendable, Hashable {
    public var group: String
    public var resource: String
    public var name: String
    /// `false` when the type is not a built-in keyreach knows: kubectl would
    /// warn "the server doesn't have a resource type" and ask anyway.
    public var isKnown: Bool

    public init(group: String, resource: String, name: String = "", isKnown: Bool = true) {
        self.group = group
        self.resource = resource
        self.name = name
        self.isKnown = isKnown
    }
}

/// kubectl-like resolution of `RESOURCE[/NAME]` for `can-i`, without a
/// server: singular, plural and short names of the built-in types and of
/// the custom resources keyreach reads (cert-manager, Gateway API, ...), and `resource.group`.
///
/// Follows kubectl's `auth can-i` (`resourceFor`): the argument is split on
/// the first `/` (so `pods/exec` is pod `exec`; subresources are a separate
/// `--subresource` input), the type is lower-cased before lookup, `*` stays
/// `*`, and a type nothing resolves is passed through as written.
public enum ResourceResolver {
    struct ResourceType: Sendable {
        var group: String
        var plural: String
        var singular: String
        var shortNames: [String]
    }

    /// The types discovery lists (`kubectl api-resources`): every kind
    /// keyreach reads (``KindTable``, in each of its groups) and the other
    /// built-ins below, core group first: kubectl's RESTMapper prefers it
    /// when a name is in several groups (`events`).
    static let types: [ResourceType] = {
        let read = KindTable.read.flatMap { kind in
            kind.groups.map { ResourceType(group: $0, plural: kind.plural, singular: kind.singular, shortNames: kind.shortNames) }
        }
        let all = read + otherTypes
        return all.filter { $0.group.isEmpty } + all.filter { !$0.group.isEmpty }
    }()

    /// Built-in types keyreach does not read, which `can-i` still resolves.
    static let otherTypes: [ResourceType] = [
        ResourceType(group: "", plural: "configmaps", singular: "configmap", shortNames: ["cm"]),
        ResourceType(group: "", plural: "persistentvolumeclaims", singular: "persistentvolumeclaim", shortNames: ["pvc"]),
        ResourceType(group: "", plural: "persistentvolumes", singular: "persistentvolume", shortNames: ["pv"]),
        ResourceType(group: "", plural: "endpoints", singular: "endpoints", shortNames: ["ep"]),
        ResourceType(group: "", plural: "events", singular: "event", shortNames: ["ev"]),
        ResourceType(group: "", plural: "limitranges", singular: "limitrange", shortNames: ["limits"]),
        ResourceType(group: "", plural: "resourcequotas", singular: "resourcequota", shortNames: ["quota"]),
        ResourceType(group: "", plural: "podtemplates", singular: "podtemplate", shortNames: []),
        ResourceType(group: "", plural: "componentstatuses", singular: "componentstatus", shortNames: ["cs"]),
        ResourceType(group: "", plural: "bindings", singular: "binding", shortNames: []),
        ResourceType(group: "apps", plural: "controllerrevisions", singular: "controllerrevision", shortNames: []),
        ResourceType(group: "autoscaling", plural: "horizontalpodautoscalers", singular: "horizontalpodautoscaler", shortNames: ["hpa"]),
        ResourceType(group: "policy", plural: "poddisruptionbudgets", singular: "poddisruptionbudget", shortNames: ["pdb"]),
        ResourceType(group: "networking.k8s.io", plural: "ingressclasses", singular: "ingressclass", shortNames: []),
        ResourceType(group: "networking.k8s.io", plural: "networkpolicies", singular: "networkpolicy", shortNames: ["netpol"]),
        ResourceType(group: "storage.k8s.io", plural: "storageclasses", singular: "storageclass", shortNames: ["sc"]),
        ResourceType(group: "storage.k8s.io", plural: "csidrivers", singular: "csidriver", shortNames: []),
        ResourceType(group: "storage.k8s.io", plural: "csinodes", singular: "csinode", shortNames: []),
        ResourceType(group: "storage.k8s.io", plural: "volumeattachments", singular: "volumeattachment", shortNames: []),
        ResourceType(group: "apiextensions.k8s.io", plural: "customresourcedefinitions", singular: "customresourcedefinition", shortNames: ["crd", "crds"]),
        ResourceType(group: "apiregistration.k8s.io", plural: "apiservices", singular: "apiservice", shortNames: []),
        ResourceType(group: "admissionregistration.k8s.io", plural: "mutatingwebhookconfigurations", singular: "mutatingwebhookconfiguration", shortNames: []),
        ResourceType(group: "admissionregistration.k8s.io", plural: "validatingwebhookconfigurations", singular: "validatingwebhookconfiguration", shortNames: []),
        ResourceType(group: "certificates.k8s.io", plural: "certificatesigningrequests", singular: "certificatesigningrequest", shortNames: ["csr"]),
        ResourceType(group: "coordination.k8s.io", plural: "leases", singular: "lease", shortNames: []),
        ResourceType(group: "discovery.k8s.io", plural: "endpointslices", singular: "endpointslice", shortNames: []),
        ResourceType(group: "events.k8s.io", plural: "events", singular: "event", shortNames: ["ev"]),
        ResourceType(group: "scheduling.k8s.io", plural: "priorityclasses", singular: "priorityclass", shortNames: ["pc"]),
        ResourceType(group: "node.k8s.io", plural: "runtimeclasses", singular: "runtimeclass", shortNames: []),
        ResourceType(group: "authentication.k8s.io", plural: "tokenreviews", singular: "tokenreview", shortNames: []),
        ResourceType(group: "authorization.k8s.io", plural: "selfsubjectaccessreviews", singular: "selfsubjectaccessreview", shortNames: []),
        ResourceType(group: "authorization.k8s.io", plural: "subjectaccessreviews", singular: "subjectaccessreview", shortNames: []),
        // cert-manager's other CRDs: kubectl learns these names from discovery
        // when cert-manager is installed; keyreach assumes it is.
        ResourceType(group: "cert-manager.io", plural: "certificaterequests", singular: "certificaterequest", shortNames: ["cr", "crs"]),
        ResourceType(group: "acme.cert-manager.io", plural: "orders", singular: "order", shortNames: []),
        ResourceType(group: "acme.cert-manager.io", plural: "challenges", singular: "challenge", shortNames: []),
    ]

    /// Resolves a whole `can-i` argument: a non-resource URL when it starts
    /// with `/`, else `TYPE[/NAME]` split on the first `/` (byte), as kubectl's
    /// `strings.SplitN` splits it.
    public static func resolve(_ argument: String) -> ResolvedArgument {
        if hasBytePrefix(argument, "/") { return .nonResourceURL(argument) }
        let tokens = splitBytes(argument, at: "/", maxSplits: 1)
        var resolved = resolveType(tokens[0])
        if tokens.count > 1 { resolved.name = tokens[1] }
        return .resource(resolved)
    }

    /// Resolves a type name: `*`, a known name (plural, singular or short,
    /// optionally `.group` or `.version.group`), or else passed through — an
    /// unknown `resource.group` as that resource in that group, anything else
    /// exactly as written (kubectl's fallback).
    public static func resolveType(_ typeArgument: String) -> ResolvedResource {
        if sameBytes(typeArgument, "*") { return ResolvedResource(group: "", resource: "*") }
        let lowered = typeArgument.lowercased()
        let parts = splitBytes(lowered, at: ".", maxSplits: 2)
        // schema.ParseResourceArg: with two or more dots, try resource.version.group first.
        if parts.count == 3, isVersion(parts[1]), let type = lookup(parts[0], group: parts[2]) {
            return ResolvedResource(group: type.group, resource: type.plural)
        }
        // schema.ParseGroupResource: resource, then everything after the first dot is the group.
        let resourceAndGroup = splitBytes(lowered, at: ".", maxSplits: 1)
        let name = resourceAndGroup[0]
        let group = resourceAndGroup.count > 1 ? resourceAndGroup[1] : nil
        if let type = lookup(name, group: group) {
            return ResolvedResource(group: type.group, resource: type.plural)
        }
        if let group, !name.isEmpty, !group.isEmpty {
            return ResolvedResource(group: group, resource: name, isKnown: false)
        }
        return ResolvedResource(group: "", resource: typeArgument, isKnown: false)
    }

    static func lookup(_ name: String, group: String?) -> ResourceType? {
        types.first { type in
            (group.map { sameBytes(type.group, $0) } ?? true)
                && (sameBytes(type.plural, name) || sameBytes(type.singular, name) || type.shortNames.containsBytes(name))
        }
    }

    /// `v1`, `v1beta1`, `v2alpha3`: the form of a Kubernetes API version.
    static func isVersion(_ text: String) -> Bool {
        guard text.hasPrefix("v"), let digit = text.dropFirst().first, digit.isNumber, digit != "0" else { return false }
        let rest = text.dropFirst().drop { $0.isNumber }
        if rest.isEmpty { return true }
        for stage in ["alpha", "beta"] where rest.hasPrefix(stage) {
            let number = rest.dropFirst(stage.count)
            return !number.isEmpty && number.allSatisfy(\.isNumber)
        }
        return false
    }
}
