/// The phases the benchmark measures: their names in the JSON lines, how the
/// report labels them, and the targets of issue 5 that apply to them.
/// `bench/run` uses the same names for the figures it measures on the CLI.
enum Phase: String, CaseIterable {
    // `keyreach` itself, timed by bench/run with /usr/bin/time.
    case cliWhoCanAll = "cli.who-can-all"
    case cliImport = "cli.import"
    case cliWhoCanOne = "cli.who-can-one"
    case cliWhoCanListAll = "cli.who-can-list-all"
    case cliExposureJSON = "cli.exposure-json"
    case cliExposureTable = "cli.exposure-table"
    /// `exposure --dump -o json` on the dump of `keyreach-gen --wildcard-copies N` (issue 17).
    case cliExposureJSONCopies = "cli.exposure-json-copies"

    // `keyreach-bench end-to-end`: the phases of `who-can get secrets -A --dump FILE -o json`.
    case endToEndRead = "e2e.read"
    case endToEndDerive = "e2e.derive"
    case endToEndIndex = "e2e.index"
    case endToEndAnswers = "e2e.answers"
    case endToEndTotal = "e2e.total"

    // `keyreach-bench import`: the phases of `keyreach import FILE --db DB`.
    case importRead = "import.read"
    case importDerive = "import.derive"
    case importKeys = "import.keys"
    case importStore = "import.store"
    case importTotal = "import.total"
    case importIndirect = "import.indirect"

    // `keyreach-bench derive` and `who-can` and `exposure` on an imported database.
    case loadSnapshot = "db.load-snapshot"
    case loadDerived = "db.load-derived"
    case derive = "derive"
    case deriveRoles = "derive.roles"
    case deriveIdentities = "derive.identities"
    case deriveGrants = "derive.grants"
    case deriveNodeGrants = "derive.node-grants"
    case whoCanOpen = "who-can.open"
    case whoCanLookup = "who-can.lookup"
    case exposureClassify = "exposure.classify"
    case exposureIndex = "exposure.index"
    case exposureAnalyze = "exposure.analyze"
    case exposureRenderJSON = "exposure.render-json"
    case exposureRenderTable = "exposure.render-table"

    /// What the report prints in its first column.
    var label: String {
        switch self {
        case .cliWhoCanAll: "who-can get secrets -A --dump -o json (CLI, end to end)"
        case .cliImport: "import FILE --db (CLI)"
        case .cliWhoCanOne: "who-can get secret/X -n NS --db (CLI, per call)"
        case .cliWhoCanListAll: "who-can list secrets -A --dump -o json (CLI)"
        case .cliExposureJSON: "exposure --dump -o json (CLI, end to end)"
        case .cliExposureTable: "exposure --dump, table (CLI, end to end)"
        case .cliExposureJSONCopies: "exposure --dump -o json, one key with --wildcard-copies N copies (CLI)"
        case .endToEndRead: "  e2e: read dump"
        case .endToEndDerive: "  e2e: derived tables (AccessIndexer)"
        case .endToEndIndex: "  e2e: WhoCan index"
        case .endToEndAnswers: "  e2e: answers, rendered and written (writeNamespaceReaders)"
        case .endToEndTotal: "  e2e: total in-process"
        case .importRead: "  import: read dump (DumpReader)"
        case .importDerive: "  import: derived tables"
        case .importKeys: "  import: private keys and severities"
        case .importStore: "  import: write snapshot, derived tables and keys (one transaction)"
        case .importTotal: "  import: total in-process"
        case .importIndirect: "  import --indirect adds: the can-become graph"
        case .loadSnapshot: "load snapshot from db"
        case .loadDerived: "load derived tables from db"
        case .derive: "derived tables alone (AccessIndexer.compute)"
        case .deriveRoles: "  derive: EffectiveRoles (aggregation)"
        case .deriveIdentities: "  derive: knownIdentities"
        case .deriveGrants: "  derive: secretGrants (RBAC rows)"
        case .deriveNodeGrants: "  derive: nodeSecretGrants (node rows)"
        case .whoCanOpen: "who-can open db (store, snapshot, derived, index)"
        case .whoCanLookup: "who-can one secret, in-process (subjects + JSON)"
        case .exposureClassify: "exposure: PrivateKeyInventory.classify"
        case .exposureIndex: "exposure: derived tables + WhoCan index from db"
        case .exposureAnalyze: "exposure: Workspace.keyExposures (per key, readers as bound)"
        case .exposureRenderJSON: "exposure: render JSON"
        case .exposureRenderTable: "exposure: render table"
        }
    }
}
