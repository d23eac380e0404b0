import Exposure
import KubeModel
import RBAC

/// `keyreach blast`'s answer: "this pod (or identity) is compromised: which
/// keys does its holder have, what can they impersonate, and what do we
/// rotate, in which order?" Built by ``BlastAnalysis``; Render prints it.
public struct BlastReport: Sendable {
    /// What was asked about: a Pod, ServiceAccount, User, Group or Node.
    public var start: ObjectRef
    /// Who the start is without a step: a pod's ServiceAccount when its token
    /// is mounted (none otherwise), or the identity itself.
    public var authenticatesAs: [KnownIdentity]
    /// For a pod, the node it runs on (`""` when unscheduled). Its kubelet's
    /// credentials are not counted: a pod holds them only when privileged or
    /// mounting the host, which the dump does not say (`blast node/NAME` asks).
    public var node: String?
    /// Every private key the start can read, directly or by a chain, in rotation order.
    public var keys: [BlastKey]
    /// What to rotate, in order: the CA keys reached, each followed by the
    /// leaves it signed (reached or not: they chain to a CA being replaced),
    /// then the other keys reached.
    public var rotation: [RotationStep]
    /// The reached keys grouped by what a holder can impersonate.
    public var groups: ImpersonationGroups

    public init(start: ObjectRef, authenticatesAs: [KnownIdentity], node: String?, keys: [BlastKey],
                rotation: [RotationStep], groups: ImpersonationGroups) {
        self.start = start
        self.authenticatesAs = authenticatesAs
        self.node = node
        self.keys = keys
        self.rotation = rotation
        self.groups = groups
    }
}

/// One private key the start reaches: the inventory's facts, how it is
/// reached (``SecretReach``: empty chain = direct), what it impersonates,
/// and how to replace it.
public struct BlastKey: Sendable {
    public var key: PrivateKeySecret
    public var access: SecretReach
    public var target: KeyTarget
    /// Its position in ``BlastReport/rotation`` (1 first).
    public var rotationOrder: Int
    public var remediation: Remediation

    public init(key: PrivateKeySecret, access: SecretReach, target: KeyTarget, rotationOrder: Int, remediation: Remediation) {
        self.key = key
        self.access = access
        self.target = target
        self.rotationOrder = rotationOrder
        self.remediation = remediation
    }
}

/// What a holder of a key can pretend to be.
public enum KeyTarget: Sendable, Hashable {
    /// A CA (an Issuer's CA key, an `isCA` certificate, a mesh CA): it mints
    /// any certificate its relying parties trust. `subject` is its
    /// certificate's subject (`""` when none was kept).
    case certificateAuthority(subject: String, issuers: [ObjectRef], mesh: String?)
    /// A leaf: the DNS names (IP addresses, common name) of its certificate,
    /// or of the cert-manager Certificate that will write it.
    case domains([String])
    /// An ACME account: orders and revokes certificates for the account.
    case acmeAccount(issuers: [ObjectRef])
    /// A key with no name to it (an SSH key, a client key without certificate).
    case other

    /// `ca`, `domains`, `acmeAccount` or `other`: the JSON `kind`.
    public var code: String {
        switch self {
        case .certificateAuthority: "ca"
        case .domains: "domains"
        case .acmeAccount: "acmeAccount"
        case .other: "other"
        }
    }
}

/// The reached keys by what they impersonate.
public struct ImpersonationGroups: Sendable, Hashable {
    /// Each name (sorted) and the keys that answer for it.
    public var domains: [(name: String, keys: [ObjectRef])]
    public var certificateAuthorities: [ObjectRef]
    public var acmeAccounts: [ObjectRef]
    public var other: [ObjectRef]

    public init(domains: [(name: String, keys: [ObjectRef])] = [], certificateAuthorities: [ObjectRef] = [],
                acmeAccounts: [ObjectRef] = [], other: [ObjectRef] = []) {
        self.domains = domains
        self.certificateAuthorities = certificateAuthorities
        self.acmeAccounts = acmeAccounts
        self.other = other
    }

    /// Names and references compared as bytes: two twin domains are two names.
    public static func == (a: ImpersonationGroups, b: ImpersonationGroups) -> Bool {
        a.domains.count == b.domains.count
            && zip(a.domains, b.domains).allSatisfy { x, y in sameBytes(x.name, y.name) && sameRefs(x.keys, y.keys) }
            && sameRefs(a.certificateAuthorities, b.certificateAuthorities) && sameRefs(a.acmeAccounts, b.acmeAccounts)
            && sameRefs(a.other, b.other)
    }

    public func hash(into hasher: inout Hasher) {
        for domain in domains { hashBytes(domain.name, into: &hasher) }
        hasher.combine(domains.count)
        for ref in certificateAuthorities {
            hashBytes(ref.namespace, into: &hasher)
            hashBytes(ref.name, into: &hasher)
        }
    }
}

/// One secret to rotate, in order.
public struct RotationStep: Sendable, Hashable {
    /// 1 for the first.
    public var order: Int
    public var secret: ObjectRef
    public var why: RotationReason
    /// Whether the start can read it (a leaf signed by a reached CA may not be).
    public var reached: Bool
    public var remediation: Remediation

    public init(order: Int, secret: ObjectRef, why: RotationReason, reached: Bool, remediation: Remediation) {
        self.order = order
        self.secret = secret
        self.why = why
        self.reached = reached
        self.remediation = remediation
    }
}

/// Why a secret is in the rotation order where it is.
public enum RotationReason: Sendable, Hashable {
    /// A CA key the start reads: first, since everything it signed must follow.
    case certificateAuthority
    /// Signed by the CA key `ca` (rotated before it): by an Issuer using that
    /// key (`certificate` is the Certificate), or by issuer DN.
    case signedBy(ca: ObjectRef, certificate: ObjectRef?)
    /// Any other key the start reads.
    case reached

    /// `ca`, `signedBy` or `reached`: the JSON `why`.
    public var code: String {
        switch self {
        case .certificateAuthority: "ca"
        case .signedBy: "signedBy"
        case .reached: "reached"
        }
    }
}

/// How to replace one key, and whom to ask.
public struct Remediation: Sendable, Hashable {
    public enum Manager: Sendable, Hashable {
        /// cert-manager writes it: a Certificate (when known) or an ACME issuer.
        case certManager(certificate: ObjectRef?)
        /// The object in the secret's `ownerReferences` (the controller first).
        case owner(ObjectRef)
        /// The `app.kubernetes.io/managed-by` label's value.
        case managedBy(String)
        case unknown

        /// `cert-manager`, `owner`, `managedBy` or `unknown`: the JSON `by`.
        public var code: String {
            switch self {
            case .certManager: "cert-manager"
            case .owner: "owner"
            case .managedBy: "managedBy"
            case .unknown: "unknown"
            }
        }
    }

    public var manager: Manager
    /// Commands that rotate it, to paste (empty when only its owner can).
    public var commands: [String]
    /// One sentence: what to do and why.
    public var text: String

    public init(manager: Manager, commands: [String], text: String) {
        self.manager = manager
        self.commands = commands
        self.text = text
    }
}

/// Whether two lists hold the same references, in order, as bytes.
func sameRefs(_ a: [ObjectRef], _ b: [ObjectRef]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { compareBytes($0, $1) == .same }
}
