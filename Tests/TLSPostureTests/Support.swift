import DumpReader
import Foundation
import KubeModel
import TestSupport
import TLSPosture

/// Reads a fixture of the repository's `fixtures/` folder.
func fixture(_ path: String) throws -> ClusterSnapshot {
    try DumpReader().read([.path(SharedData.packageRoot.appendingPathComponent("fixtures").appendingPathComponent(path).path)]).snapshot
}

/// A fixed "now" before every fixture certificate expires (the demo leaf: 2027-03-01).
let fixtureNow = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

extension TLSReport {
    /// The route of a frontend (`namespace/name`) and host.
    func route(_ frontend: String, _ host: String) -> HostRoute? {
        routes.first { "\($0.frontend.namespace)/\($0.frontend.name)" == frontend && $0.host == host }
    }
}

extension HostRoute {
    /// The annotations of its findings (`-` for spec findings), by severity.
    var findingKeys: [String] {
        findings.map { "\($0.severity.rawValue) \($0.annotation.map { $0.replacingOccurrences(of: "nginx.ingress.kubernetes.io/", with: "") } ?? "-")" }
    }
}
