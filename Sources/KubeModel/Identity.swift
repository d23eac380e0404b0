/// The well-known names of Kubernetes authentication, in one place.
public enum WellKnown {
    public static let serviceAccountUserPrefix = "system:serviceaccount:"
    public static let serviceAccountsGroup = "system:serviceaccounts"
    public static let authenticatedGroup = "system:authenticated"
    public static let unauthenticatedGroup = "system:unauthenticated"
    public static let anonymousUser = "system:anonymous"
    public static let mastersGroup = "system:masters"
    public static let nodeUserPrefix = "system:node:"
    public static let nodesGroup = "system:nodes"

    /// `system:serviceaccount:NS:NAME`.
    public static func serviceAccountUsername(namespace: String, name: String) -> String {
        serviceAccountUserPrefix + namespace + ":" + name
    }

    /// The namespace and name of a `system:serviceaccount:NS:NAME` user name.
    /// Like apiserver's serviceaccount.SplitUsername: both parts non-empty, no
    /// further colon. Prefix and colons are matched as bytes, as Go does
    /// (`":\u{301}"` is one Swift character, but still a colon to the API server).
    public static func splitServiceAccountUsername(_ user: String) -> (namespace: String, name: String)? {
        guard hasBytePrefix(user, serviceAccountUserPrefix) else { return nil }
        let parts = splitBytes(droppingBytes(user, serviceAccountUserPrefix.utf8.count), at: ":")
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (parts[0], parts[1])
    }

    /// The three groups every service account token authenticates with.
    public static func serviceAccountGroups(namespace: String) -> [String] {
        [serviceAccountsGroup, serviceAccountsGroup + ":" + namespace, authenticatedGroup]
    }
}
