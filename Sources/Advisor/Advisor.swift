import Exposure
import KubeModel
import RBAC

/// Least privilege: finds the grants that let identities other than the
/// expected holders read private keys (one finding per grant, however many
/// keys it exposes), and proposes the RBAC objects that remove that access
/// and nothing else.
///
/// Every decision is the engine's: the readers and expected holders come
/// from ``ExposureAnalysis`` (over ``WhoCan``), the roles from
/// ``EffectiveRoles``, and rules are rewritten with the engine's matchers
/// (``RuleTightening``).
///
/// ```swift
/// let suggestion = Advisor.suggest(snapshot: snapshot, whoCan: WhoCan(derived: AccessIndexer.compute(snapshot)),
///                                  expectedHolders: ExpectedHolders())
/// suggestion.findings.first?.id   // "RoleBinding/production/read-secrets#0/ServiceAccount/production/default"
/// ```
public enum Advisor {
    /// The label every object the proposal writes carries.
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let managedByValue = "keyreach"
    /// The annotation naming the findings an object answers (comma-separated ids).
    public static let findingAnnotation = "keyreach.io/finding"
    /// The suffix of derived roles and re-created bindings.
    public static let derivedSuffix = "-no-private-keys"

    /// The findings and the proposal for the keys of `namespace` (every namespace when `nil`).
    /// With `indirect` (`suggest --indirect`), the grants behind indirect chains too (``Suggestion/indirectFindings``).
    public static func suggest(snapshot: ClusterSnapshot, whoCan: WhoCan, expectedHolders: ExpectedHolders,
                               namespace: String? = nil, indirect: IndirectPaths? = nil) -> Suggestion {
        let keys = PrivateKeyInventory.classify(snapshot, clusterResourceNamespace: expectedHolders.clusterResourceNamespace)
        let analysis = ExposureAnalysis(snapshot: snapshot, whoCan: whoCan, expectedHolders: expectedHolders)
        var exposures = keys.filter { namespace == nil || $0.secret.namespace == namespace }.map(analysis.exposure(of:))
        guard let indirect else { return suggest(snapshot: snapshot, exposures: exposures, keys: keys) }
        exposures = analysis.addingIndirect(exposures, paths: indirect)
        var suggestion = suggest(snapshot: snapshot, exposures: exposures, keys: keys)
        suggestion.indirectFindings = IndirectFinding.collect(exposures)
        return suggestion
    }

    /// The same from exposures already analysed; `keys` is every key of the
    /// snapshot (the rewritten rules must leave out every key in their scope,
    /// not only the ones of the namespace asked about).
    public static func suggest(snapshot: ClusterSnapshot, exposures: [KeyExposure], keys: [PrivateKeySecret]) -> Suggestion {
        let reach = GrantReach.collect(exposures)
        guard !reach.isEmpty else { return Suggestion() }
        var planner = Planner(snapshot: snapshot, keys: keys)
        let workloads = AccountWorkloads(exposures: exposures, accounts: reach.values.reduce(into: Set()) { $0.formUnion($1.accounts) })
        let byBinding = Dictionary(grouping: reach.keys, by: \.binding)
        var findings: [Finding] = []
        for bindingRef in byBinding.keys.sorted() {
            let grants = byBinding[bindingRef]!.sorted()
            findings += planner.plan(binding: bindingRef, grants: grants) { grant, rule, change in
                let grantReach = reach[grant]!
                let exposed = grantReach.keySeverity.map { index, severity in
                    let key = exposures[index].key
                    return ExposedKey(secret: key.secret, keyKind: key.keyKind, severity: severity, impact: key.impact)
                }.sorted { ($1.severity, $0.secret) < ($0.severity, $1.secret) }
                return Finding(grant: grant, rule: rule,
                               verbs: SecretReadVerb.allCases.filter { verbMatches(rule, $0.rawValue) },
                               keys: exposed, identityCount: grantReach.identities.count,
                               workloads: workloads.counts(for: grantReach.accounts),
                               severity: exposed.first?.severity ?? .info, change: change)
            }
        }
        findings.sort { a, b in
            (b.severity, a.keys.count, b.id) < (a.severity, b.keys.count, a.id)
        }
        return Suggestion(findings: findings, apply: planner.apply, delete: planner.delete.sorted(),
                          reviewBindings: planner.reviewBindings)
    }
}

/// What one grant reaches through unexpected readers: keys (by index of the
/// exposures, with the worst reader severity), identities and the
/// ServiceAccounts among them.
struct GrantReach {
    var keySeverity: [Int: Severity] = [:]
    /// The engine builds each identity one way, so the values themselves tell identities apart.
    var identities: Set<KnownIdentity> = []
    var accounts: Set<AccountName> = []

    static func collect(_ exposures: [KeyExposure]) -> [Grant: GrantReach] {
        var reach: [Grant: GrantReach] = [:]
        for (index, exposure) in exposures.enumerated() {
            for reader in exposure.readers {
                let account = reader.identity.serviceAccount.map { AccountName(namespace: $0.namespace, name: $0.name) }
                let severity = reader.severity ?? .info
                for path in reader.via {
                    guard case .rbac(let access) = path else { continue }
                    let grant = Grant(access)
                    reach[grant, default: GrantReach()].add(key: index, severity: severity, identity: reader.identity, account: account)
                }
            }
        }
        return reach
    }

    mutating func add(key: Int, severity: Severity, identity: KnownIdentity, account: AccountName?) {
        if let known = keySeverity[key] { keySeverity[key] = max(known, severity) } else { keySeverity[key] = severity }
        identities.insert(identity)
        if let account { accounts.insert(account) }
    }
}

struct AccountName: Hashable {
    var namespace: String
    var name: String
}

/// The exposure report's workloads (pods and templates with a token
/// mounted), by the ServiceAccount they run as, for the accounts findings reach.
struct AccountWorkloads {
    private var byAccount: [AccountName: [ExposedWorkload]] = [:]

    init(exposures: [KeyExposure], accounts: Set<AccountName>) {
        var done = Set<AccountName>()
        for exposure in exposures where !exposure.workloads.isEmpty {
            var seenHere = Set<AccountName>()
            for workload in exposure.workloads {
                let account = AccountName(namespace: workload.namespace, name: workload.serviceAccount)
                guard accounts.contains(account), !done.contains(account) else { continue }
                seenHere.insert(account)
                byAccount[account, default: []].append(workload)
            }
            // Each key lists an account's workloads whole: one key is enough.
            done.formUnion(seenHere)
        }
    }

    /// Pods counted by namespace, controller and ServiceAccount; a template
    /// with no pod in the dump counts as itself with 0 pods. Exposure already
    /// summarises a key's workloads per controller (bare pods apart).
    func counts(for accounts: Set<AccountName>) -> [WorkloadCount] {
        var counts: [WorkloadCount: Int] = [:]
        for account in accounts {
            for workload in byAccount[account] ?? [] {
                let controller = workload.isPod ? nil : ObjectRef(kind: workload.kind, namespace: workload.namespace, name: workload.name)
                counts[WorkloadCount(namespace: workload.namespace, controller: controller,
                                     serviceAccount: workload.serviceAccount, pods: 0), default: 0] += workload.podCount
            }
        }
        return counts.map { entry, pods in
            var count = entry
            count.pods = pods
            return count
        }.sorted()
    }
}
