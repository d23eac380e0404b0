import KubeModel

/// The wildcards of `rbac.authorization.k8s.io/v1`, named as in k8s.io/api/rbac/v1
/// (`VerbAll`, `APIGroupAll`, `ResourceAll`, `NonResourceAll`). All of them are `*`,
/// but each rule field has its own, so a reader sees which one a matcher means.
public enum PolicyWildcard {
    public static let verbAll = "*"
    public static let apiGroupAll = "*"
    public static let resourceAll = "*"
    public static let nonResourceAll = "*"
    /// The prefix of a `*/subresource` rule resource.
    public static let anyResourcePrefix = "*/"
}

// The matchers below follow pkg/apis/rbac/v1/evaluation_helpers.go one for one.
// Every comparison is exact and case-sensitive: `GET` or `Secrets` in a rule
// matches nothing a real client sends. And it compares bytes, as Go does
// (KubeModel's `sameBytes`): a rule naming `caf\u{E9}` does not match a
// request for `cafe\u{301}`, though Swift's `==` calls them equal.

/// `VerbMatches`: the rule lists `*` or exactly the requested verb.
public func verbMatches(_ rule: PolicyRule, _ requestedVerb: String) -> Bool {
    rule.verbs.contains { sameBytes($0, PolicyWildcard.verbAll) || sameBytes($0, requestedVerb) }
}

/// `APIGroupMatches`: the rule lists `*` or exactly the requested group
/// (`""` is the core group and is matched only by `""` or `*`).
public func apiGroupMatches(_ rule: PolicyRule, _ requestedGroup: String) -> Bool {
    rule.apiGroups.contains { sameBytes($0, PolicyWildcard.apiGroupAll) || sameBytes($0, requestedGroup) }
}

/// `ResourceMatches`: the rule lists `*`, exactly `resource` or
/// `resource/subresource`, or `*/subresource` — which matches that
/// subresource of any resource but never a bare resource.
public func resourceMatches(_ rule: PolicyRule, resource: String, subresource: String) -> Bool {
    let combined = subresource.isEmpty ? resource : resource + "/" + subresource
    return rule.resources.contains { ruleResource in
        if sameBytes(ruleResource, PolicyWildcard.resourceAll) || sameBytes(ruleResource, combined) { return true }
        return !subresource.isEmpty && sameBytes(ruleResource, PolicyWildcard.anyResourcePrefix + subresource)
    }
}

/// `ResourceNameMatches`: an empty `resourceNames` matches every name
/// (including a request without a name, such as a plain list); otherwise the
/// requested name must be listed exactly. There is no wildcard for names.
public func resourceNameMatches(_ rule: PolicyRule, _ requestedName: String) -> Bool {
    rule.resourceNames.isEmpty || rule.resourceNames.containsBytes(requestedName)
}

/// `NonResourceURLMatches`: `*`, the exact path, or a rule URL ending in `*`
/// that is a prefix of the path once its trailing stars are removed
/// (`strings.HasSuffix`, `strings.TrimRight`, `strings.HasPrefix`: bytes).
public func nonResourceURLMatches(_ rule: PolicyRule, _ requestedURL: String) -> Bool {
    let star = UInt8(ascii: "*")
    return rule.nonResourceURLs.contains { ruleURL in
        if sameBytes(ruleURL, PolicyWildcard.nonResourceAll) || sameBytes(ruleURL, requestedURL) { return true }
        guard ruleURL.utf8.last == star else { return false }
        let prefix = ruleURL.utf8.reversed().drop { $0 == star }.reversed()
        return requestedURL.utf8.starts(with: prefix)
    }
}

/// `RuleAllows` (plugin/pkg/auth/authorizer/rbac/rbac.go): the conjunction of
/// the matchers for a resource request, or verb and URL for a non-resource one.
public func ruleAllows(_ rule: PolicyRule, _ request: ResourceRequest) -> Bool {
    if let url = request.nonResourceURL {
        return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, url)
    }
    return verbMatches(rule, request.verb)
        && apiGroupMatches(rule, request.apiGroup)
        && resourceMatches(rule, resource: request.resource, subresource: request.subresource)
        && resourceNameMatches(rule, request.name)
}
