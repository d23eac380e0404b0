import KubeModel

/// How bad a key's exposure is, from `info` (only expected holders) to `critical`.
/// Ordered: `Severity.high > .medium`. `check --fail-on LEVEL` compares with it.
///
/// The severity of a key is the worst of its unexpected readers, each judged by
/// what the key is (``KeyKind``) and how broad the reader is (``ReaderBreadth``):
///
/// | reader breadth                                          | CA / mesh CA | leaf key | ACME account |
/// |---------------------------------------------------------|--------------|----------|--------------|
/// | ``ReaderBreadth/everyone``                              | critical     | critical | critical     |
/// | ``ReaderBreadth/wholeGroupOfWorkloads``                 | critical     | high     | medium       |
/// | ``ReaderBreadth/defaultServiceAccount``                 | critical     | high     | medium       |
/// | ``ReaderBreadth/serviceAccountWithWorkloads``           | critical     | high     | medium       |
/// | ``ReaderBreadth/clusterWide``                           | critical     | high     | medium       |
/// | ``ReaderBreadth/narrow``                                | critical     | medium   | low          |
/// | no unexpected reader                                    | info         | info     | info         |
///
/// Why: a CA key mints any identity its issuers vouch for, so any reader beyond
/// the expected holders is critical. A key every authenticated (or anonymous)
/// caller can read is as good as public. A `default` ServiceAccount is the one
/// every pod of its namespace runs as unless told otherwise, and a ServiceAccount
/// with workloads has its token mounted in running pods: one compromised pod is
/// enough. An ACME account key is one step less dangerous: it can order
/// certificates only for domains its holder can also validate, and revoke them.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    /// The severity of a key given its unexpected readers (expected holders already removed).
    public static func of(keyKind: KeyKind, unexpectedReaders: [UnexpectedReader]) -> Severity {
        unexpectedReaders.map { of(keyKind: keyKind, breadth: ReaderBreadth.of($0)) }.max() ?? .info
    }

    /// One cell of the table above.
    public static func of(keyKind: KeyKind, breadth: ReaderBreadth) -> Severity {
        if breadth == .everyone { return .critical }
        switch keyKind {
        case .meshCA, .certificateAuthority: return .critical
        case .leaf: return breadth == .narrow ? .medium : .high
        case .acmeAccount: return breadth == .narrow ? .low : .medium
        }
    }
}

/// A reader that is not an expected holder, with the facts that make it broad.
public struct UnexpectedReader: Sendable, Hashable {
    public var reader: KnownIdentity
    /// Pods run as it with a service-account token (filled for ServiceAccounts).
    public var hasWorkloads: Bool
    /// Its read is granted in every namespace (a ClusterRoleBinding), not in one.
    public var clusterWide: Bool

    public init(reader: KnownIdentity, hasWorkloads: Bool = false, clusterWide: Bool = false) {
        self.reader = reader
        self.hasWorkloads = hasWorkloads
        self.clusterWide = clusterWide
    }
}

/// How many callers stand behind one reader, broadest first.
public enum ReaderBreadth: String, Sendable, Hashable, CaseIterable {
    /// `system:authenticated`, `system:unauthenticated`, `system:serviceaccounts` or the
    /// user `system:anonymous`: anyone who can reach the API server.
    case everyone
    /// Every ServiceAccount of a namespace (`system:serviceaccounts:NS`) or every kubelet (`system:nodes`).
    case wholeGroupOfWorkloads
    /// A namespace's `default` ServiceAccount.
    case defaultServiceAccount
    /// A ServiceAccount whose token is mounted in running pods.
    case serviceAccountWithWorkloads
    /// Any other reader whose grant covers every namespace.
    case clusterWide
    /// A named user, group, node or idle ServiceAccount, in one namespace.
    case narrow

    static let everyoneGroups: Set<String> = [
        WellKnown.authenticatedGroup, WellKnown.unauthenticatedGroup, WellKnown.serviceAccountsGroup,
    ]

    /// The breadth of a reader. Group names are checked for the Group reader
    /// itself: a ServiceAccount also carries `system:authenticated`, but its own
    /// read does not make the key readable by everyone.
    public static func of(_ unexpected: UnexpectedReader) -> ReaderBreadth {
        let reader = unexpected.reader
        if reader.kind == "Group", everyoneGroups.contains(reader.name) { return .everyone }
        if reader.kind == "User", reader.name == WellKnown.anonymousUser { return .everyone }
        if reader.kind == "Group",
           reader.name.hasPrefix(WellKnown.serviceAccountsGroup + ":") || reader.name == WellKnown.nodesGroup {
            return .wholeGroupOfWorkloads
        }
        if reader.serviceAccount?.name == "default" { return .defaultServiceAccount }
        if reader.serviceAccount != nil, unexpected.hasWorkloads { return .serviceAccountWithWorkloads }
        return unexpected.clusterWide ? .clusterWide : .narrow
    }
}
