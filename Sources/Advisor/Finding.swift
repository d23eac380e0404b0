import Exposure
import KubeModel
import RBAC

/// One grant: a binding subject given a role's rule. The engine's
/// ``SecretGrant`` rows and ``RBACAccess`` paths both name one; a finding is
/// one grant, however many keys and identities it reaches.
public struct Grant: Sendable, Hashable, Comparable {
    /// `RoleBinding` or `ClusterRoleBinding`.
    public var binding: ObjectRef
    /// `Role` or `ClusterRole`.
    public var role: ObjectRef
    /// Index of the rule in the role's rules (after aggregation).
    public var ruleIndex: Int
    /// The subject as the binding names it, ServiceAccount namespace defaulted.
    public var subject: Subject

    public init(binding: ObjectRef, role: ObjectRef, ruleIndex: Int, subject: Subject) {
        self.binding = binding
        self.role = role
        self.ruleIndex = ruleIndex
        self.subject = subject
    }

    public init(_ grant: SecretGrant) {
        self.init(binding: grant.binding, role: grant.role, ruleIndex: grant.ruleIndex, subject: grant.subject)
    }

    public init(_ access: RBACAccess) {
        self.init(binding: access.binding, role: access.role, ruleIndex: access.ruleIndex, subject: access.subject)
    }

    /// The finding id: `RoleBinding/production/read-secrets#0/ServiceAccount/production/default`.
    /// Stable across runs: it is made of the grant's names only.
    public var findingID: String {
        func path(_ kind: String, _ namespace: String, _ name: String) -> String {
            namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)"
        }
        return path(binding.kind, binding.namespace, binding.name) + "#\(ruleIndex)/"
            + path(subject.kind, subject.namespace, subject.name)
    }

    public static func < (a: Grant, b: Grant) -> Bool {
        (a.binding, a.ruleIndex, a.subject.kind, a.subject.namespace, a.subject.name)
            < (b.binding, b.ruleIndex, b.subject.kind, b.subject.namespace, b.subject.name)
    }
}

/// The id of the finding an engine grant belongs to (`exposure` reader lines
/// name it, so the two commands read as one story). Every grant has an id;
/// it is a finding when `suggest` lists it.
///
/// ```swift
/// findingID(for: derived.grants[0])   // "RoleBinding/production/read-secrets#0/ServiceAccount/production/default"
/// ```
public func findingID(for grant: SecretGrant) -> String { Grant(grant).findingID }

/// The id of the finding an access path belongs to; `nil` for the superuser
/// and node-authorizer paths, which are never findings.
public func findingID(for path: AccessPath) -> String? {
    if case .rbac(let access) = path { return Grant(access).findingID }
    return nil
}

/// One root cause of private-key exposure: a grant that lets an identity
/// that is not an expected holder get, list or watch at least one private
/// key, with its blast radius and the change that removes it.
public struct Finding: Sendable, Hashable {
    public var grant: Grant
    /// The rule as the engine evaluates it (aggregated rules materialised).
    public var rule: PolicyRule
    /// The key-reading verbs the rule allows.
    public var verbs: [SecretReadVerb]
    /// The keys it exposes to unexpected readers, worst first.
    public var keys: [ExposedKey]
    /// How many known identities read a key through it (a group subject counts its known members).
    public var identityCount: Int
    /// Pods (and pod templates without pods in the dump) running as those
    /// identities with a token mounted, counted by namespace and controller.
    public var workloads: [WorkloadCount]
    /// The worst of ``keys``.
    public var severity: Severity
    /// What the proposal does about it.
    public var change: Change

    public var id: String { grant.findingID }

    public init(grant: Grant, rule: PolicyRule, verbs: [SecretReadVerb], keys: [ExposedKey], identityCount: Int,
                workloads: [WorkloadCount], severity: Severity, change: Change) {
        self.grant = grant
        self.rule = rule
        self.verbs = verbs
        self.keys = keys
        self.identityCount = identityCount
        self.workloads = workloads
        self.severity = severity
        self.change = change
    }
}

/// A key a finding exposes, with the worst severity of its unexpected readers through that grant.
public struct ExposedKey: Sendable, Hashable {
    public var secret: ObjectRef
    public var keyKind: KeyKind
    public var severity: Severity
    /// What a holder of the key can do (``ImpersonationSentence``).
    public var impact: String?

    public init(secret: ObjectRef, keyKind: KeyKind, severity: Severity, impact: String?) {
        self.secret = secret
        self.keyKind = keyKind
        self.severity = severity
        self.impact = impact
    }
}

/// Workloads of one namespace and controller that run as a reader with a token mounted.
public struct WorkloadCount: Sendable, Hashable, Comparable {
    public var namespace: String
    /// The outermost controller (`Deployment web`); `nil` for bare pods.
    public var controller: ObjectRef?
    public var serviceAccount: String
    /// Pods in the dump (a template with no pod in the dump counts 0).
    public var pods: Int

    public init(namespace: String, controller: ObjectRef?, serviceAccount: String, pods: Int) {
        self.namespace = namespace
        self.controller = controller
        self.serviceAccount = serviceAccount
        self.pods = pods
    }

    public static func < (a: WorkloadCount, b: WorkloadCount) -> Bool {
        (a.namespace, a.controller?.kind ?? "", a.controller?.name ?? "", a.serviceAccount)
            < (b.namespace, b.controller?.kind ?? "", b.controller?.name ?? "", b.serviceAccount)
    }
}

/// The change a finding gets, in the order the fixes are chosen.
public struct Change: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The rule names keys in `resourceNames`: those names go.
        case removeNames
        /// The rule grants secrets without names: split, secrets by name.
        case splitRule
        /// The role is shared: a derived `<name>-no-private-keys` role, and the binding re-created.
        case deriveRole
        /// A ClusterRoleBinding: namespaced RoleBindings of the tightened role.
        case namespacedBindings
        /// `*` on `*`: a drafted role and a note, nothing applied.
        case review
    }

    public var kind: Kind
    /// One sentence: what changes.
    public var summary: String
    /// What the change takes away besides key access (the collection-wide list that goes).
    public var costs: [String]
    /// What a human should know or do (resourceNames do not cover later secrets, dedicated ServiceAccounts).
    public var notes: [String]
    /// The objects of the proposal this finding's change writes or deletes.
    public var objects: [ObjectRef]
    /// For ``Kind/review``: the role a human could start from; not applied.
    public var draft: [PolicyRule]?
    /// True when key reads are knowingly left in place (review, or an ingress
    /// controller that keeps listing secrets where its Ingresses are).
    public var leftForReview: Bool

    public init(kind: Kind, summary: String, costs: [String] = [], notes: [String] = [], objects: [ObjectRef] = [],
                draft: [PolicyRule]? = nil, leftForReview: Bool = false) {
        self.kind = kind
        self.summary = summary
        self.costs = costs
        self.notes = notes
        self.objects = objects
        self.draft = draft
        self.leftForReview = leftForReview
    }
}
