import KubeModel

/// The user `kubectl auth can-i --as USER --as-group G...` is evaluated as,
/// built the way the API server's impersonation filter builds it
/// (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go).
public enum Impersonation {
    /// - A service account user name (`system:serviceaccount:NS:NAME`) without
    ///   `--as-group` gets `system:serviceaccounts` and `system:serviceaccounts:NS`.
    /// - Any `--as-group` replaces those: the given groups are the authority.
    /// - A user other than `system:anonymous` then gets `system:authenticated`,
    ///   unless `system:authenticated` or `system:unauthenticated` is already there.
    /// - `system:anonymous` gets `system:unauthenticated` unless already there.
    /// Every name is compared as bytes, as the filter's Go code compares it.
    public static func userInfo(as user: String, groups: [String]) -> UserInfo {
        var effectiveGroups = groups
        if groups.isEmpty, let serviceAccount = WellKnown.splitServiceAccountUsername(user) {
            effectiveGroups = serviceAccountNameGroups(namespace: serviceAccount.namespace)
        }
        if sameBytes(user, WellKnown.anonymousUser) {
            if !effectiveGroups.containsBytes(WellKnown.unauthenticatedGroup) {
                effectiveGroups.append(WellKnown.unauthenticatedGroup)
            }
        } else if !effectiveGroups.containsBytes(WellKnown.authenticatedGroup)
                    && !effectiveGroups.containsBytes(WellKnown.unauthenticatedGroup) {
            effectiveGroups.append(WellKnown.authenticatedGroup)
        }
        return UserInfo(name: user, groups: effectiveGroups)
    }

    /// serviceaccount.MakeGroupNames: the two service-account groups, without
    /// `system:authenticated` (the caller adds that).
    static func serviceAccountNameGroups(namespace: String) -> [String] {
        [WellKnown.serviceAccountsGroup, WellKnown.serviceAccountsGroup + ":" + namespace]
    }
}
