import KubeModel

/// The subject kinds RBAC understands (rbacv1.UserKind, GroupKind,
/// ServiceAccountKind). Kinds are case-sensitive: `user` names no one.
public enum SubjectKind {
    public static let user = "User"
    public static let group = "Group"
    public static let serviceAccount = "ServiceAccount"

    /// The kind a subject's `kind` field names, compared as bytes; `nil` for any other.
    enum Known { case user, group, serviceAccount }

    static func known(_ kind: String) -> Known? {
        if sameBytes(kind, user) { return .user }
        if sameBytes(kind, group) { return .group }
        if sameBytes(kind, serviceAccount) { return .serviceAccount }
        return nil
    }
}

/// The namespace a ServiceAccount subject means: its own, or else the
/// namespace of the RoleBinding (`appliesToUser` defaults it to the namespace
/// being authorized, which is the RoleBinding's). `nil` when both are empty —
/// a ServiceAccount subject without namespace in a ClusterRoleBinding, which
/// matches no one.
public func serviceAccountSubjectNamespace(_ subject: Subject, bindingNamespace: String) -> String? {
    let namespace = subject.namespace.isEmpty ? bindingNamespace : subject.namespace
    return namespace.isEmpty ? nil : namespace
}

/// What a binding subject matches, as a principal: a `User` its user name, a
/// `Group` its group, a `ServiceAccount` the user name
/// `system:serviceaccount:NS:NAME` (serviceaccount.MatchesUsername). `nil` for
/// a subject that can match no one: an unknown kind, or a ServiceAccount
/// without any namespace.
public func subjectPrincipal(_ subject: Subject, bindingNamespace: String) -> Principal? {
    switch SubjectKind.known(subject.kind) {
    case .user:
        return .user(subject.name)
    case .group:
        return .group(subject.name)
    case .serviceAccount:
        guard let namespace = serviceAccountSubjectNamespace(subject, bindingNamespace: bindingNamespace) else {
            return nil
        }
        return .user(WellKnown.serviceAccountUsername(namespace: namespace, name: subject.name))
    case nil:
        return nil
    }
}

/// The subject as it applies: a ServiceAccount's namespace defaulted to the
/// RoleBinding's. This is what explanations and grants show.
public func effectiveSubject(_ subject: Subject, bindingNamespace: String) -> Subject {
    guard SubjectKind.known(subject.kind) == .serviceAccount, subject.namespace.isEmpty else { return subject }
    var defaulted = subject
    defaulted.namespace = bindingNamespace
    return defaulted
}

/// `appliesToUser` (pkg/registry/rbac/validation/rule.go): a User subject
/// matches the user name exactly (`*` is a literal name), a Group subject one
/// of the user's groups, a ServiceAccount subject the service account's user
/// name. Names compare as bytes, as in Go. Returns the principal of the user
/// that matched, `nil` when none did.
public func subjectApplies(_ subject: Subject, bindingNamespace: String, to user: UserInfo) -> Principal? {
    guard let principal = subjectPrincipal(subject, bindingNamespace: bindingNamespace) else { return nil }
    switch principal.kind {
    case .user: return !user.name.isEmpty && sameBytes(user.name, principal.name) ? principal : nil
    case .group: return user.groups.containsBytes(principal.name) ? principal : nil
    }
}
