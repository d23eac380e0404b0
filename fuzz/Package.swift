// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for the dump readers, kept out of the main package so that
// `swift build` and `swift test` never need the fuzzer sanitizer. Build and run
// them with fuzz/run (see its header).
let package = Package(
    name: "keyreach-fuzz",
    dependencies: [.package(name: "keyreach", path: "..")],
    targets: [
        .executableTarget(name: "FuzzJSON", dependencies: [.product(name: "DumpReader", package: "keyreach")]),
        .executableTarget(name: "FuzzYAML", dependencies: [.product(name: "DumpReader", package: "keyreach")]),
    ]
)
