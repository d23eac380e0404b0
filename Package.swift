// swift-tools-version:6.1
import PackageDescription

// Modules follow the data flow of DESIGN.md, and dependencies point one way:
// JSONCore → DumpReader → Store → RBAC → Exposure → Advisor, Gate → Render → KeyreachKit → keyreach (the CLI).
let package = Package(
    name: "keyreach",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keyreach", targets: ["keyreach"]),
        .executable(name: "keyreach-gen", targets: ["keyreach-gen"]),
        .executable(name: "keyreach-bench", targets: ["keyreach-bench"]),
        // For the fuzzers of fuzz/ (a package of their own, built with the fuzzer sanitizer).
        .library(name: "DumpReader", targets: ["DumpReader"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    ],
    targets: [
        // libyaml's event API: the fast path for multi-gigabyte YAML dumps.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // glibc's malloc_trim, for a big import between its stages (KeyreachKit).
        .target(name: "CMemory"),
        // The one JSON and text layer at the bottom: scanner, escaper, writer, YAML scalar rule.
        .target(name: "JSONCore"),
        .target(name: "KubeModel"),
        .target(name: "DumpReader", dependencies: ["KubeModel", "JSONCore", "CYAML"]),
        .target(name: "Store", dependencies: [
            "KubeModel", "JSONCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "RBAC", dependencies: ["KubeModel"]),
        .target(name: "Exposure", dependencies: [
            "KubeModel", "RBAC",
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // Least privilege: findings by the grant that causes them, and the RBAC objects that fix them.
        .target(name: "Advisor", dependencies: ["KubeModel", "RBAC", "Exposure"]),
        // The CI gate: check's findings against a level and a baseline, diff between snapshots.
        .target(name: "Gate", dependencies: ["KubeModel", "RBAC", "Exposure"]),
        // Where TLS ends (`keyreach tls`): termination patterns, annotation traps, mesh hops.
        .target(name: "TLSPosture", dependencies: ["KubeModel", "RBAC", "Exposure"]),
        // `keyreach blast`: from one identity or pod, the keys it reaches and what to rotate, in order.
        .target(name: "Blast", dependencies: ["KubeModel", "RBAC", "Exposure"]),
        .target(name: "Render", dependencies: [
            "JSONCore", "KubeModel", "Store", "RBAC", "Queries", "Exposure", "Advisor", "Gate", "TLSPosture",
            "Blast",
        ]),
        // Named SQL queries: the .sql files of the top-level queries/ folder, embedded into
        // the module at build time by the EmbedQueries plugin (adding a query is adding a file).
        .target(name: "Queries", dependencies: ["KubeModel", "Store", "RBAC"],
                plugins: [.plugin(name: "EmbedQueries")]),
        .executableTarget(name: "embed-queries"),
        .plugin(name: "EmbedQueries", capability: .buildTool(), dependencies: ["embed-queries"]),
        // The pipeline: load (files, stdin, database) → snapshot → derived access → answers → bytes.
        // What the CLI and the benchmark call.
        .target(name: "KeyreachKit", dependencies: [
            "KubeModel", "DumpReader", "Store", "RBAC", "Queries", "Exposure", "Render", "Advisor", "Gate", "TLSPosture",
            "Blast", "CMemory",
        ]),
        .executableTarget(name: "keyreach", dependencies: [
            "KeyreachKit",
            "KubeModel", "DumpReader", "Store", "RBAC", "Queries", "Exposure", "Render", "Advisor", "Gate",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The one seeded generator (SplitMix64) of keyreach-gen, the benchmark and the tests.
        .target(name: "SeededRandom"),
        .executableTarget(name: "keyreach-gen", dependencies: [
            "JSONCore", "SeededRandom",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The benchmark harness of issue 5: bench/run calls it, one process per phase.
        .executableTarget(name: "keyreach-bench", dependencies: [
            "KeyreachKit", "SeededRandom",
            "KubeModel", "DumpReader", "Store", "RBAC", "Exposure", "Render",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // What every test target shares: the locator of ../shared/ beside the clone.
        .target(name: "TestSupport", dependencies: ["SeededRandom"], path: "Tests/TestSupport"),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "DumpReaderTests", dependencies: ["DumpReader", "JSONCore", "KubeModel", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Queries", "DumpReader", "KubeModel", "TestSupport"]),
        .testTarget(name: "RBACTests", dependencies: ["RBAC", "DumpReader", "Store", "Queries", "KubeModel", "TestSupport"]),
        .testTarget(name: "ExposureTests", dependencies: ["Exposure", "RBAC", "DumpReader", "Store", "KubeModel", "TestSupport"]),
        .testTarget(name: "GateTests", dependencies: [
            "Gate", "KeyreachKit", "Render", "Exposure", "RBAC", "Store", "Queries", "DumpReader", "KubeModel", "TestSupport",
        ]),
        .testTarget(name: "RenderTests", dependencies: [
            "Render", "JSONCore", "RBAC", "Exposure", "Store", "KubeModel", "TestSupport", .product(name: "Yams", package: "Yams"),
            "DumpReader",  // ManifestWriterTests: a written dump reads back into the same snapshot
        ]),
        .testTarget(name: "AdvisorTests", dependencies: [
            "Advisor", "Exposure", "RBAC", "Render", "DumpReader", "KubeModel", "TestSupport",
        ]),
        .testTarget(name: "CLITests", dependencies: ["keyreach", "Store", "TestSupport"]),
        .testTarget(name: "TLSPostureTests", dependencies: [
            "TLSPosture", "Exposure", "RBAC", "DumpReader", "Store", "KubeModel", "TestSupport",
        ]),
        .testTarget(name: "BlastTests", dependencies: [
            "Blast", "Exposure", "RBAC", "DumpReader", "KubeModel", "TestSupport",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
