import DumpReader
import Testing
import TestSupport
import TLSPosture

/// On ingress-nginx's own v1.7.0 manifest: the controller is recognised, and
/// what it can read of the secrets is explained binding by binding.
@Suite(SharedData.corpus.required) struct CorpusTLSTests {
    @Test func ingressNginxControllerIsRecognisedAndItsSecretAccessExplained() throws {
        let file = SharedData.corpus.file("ingress-nginx-v1.7.0-cloud-deploy.yaml").path
        let snapshot = try DumpReader().read([.path(file)]).snapshot
        let report = TLSPosture.analyze(snapshot, now: fixtureNow)
        #expect(report.routes.isEmpty)
        let controller = try #require(report.controllers.first)
        #expect(report.controllers.count == 1, "the admission jobs are not controllers")
        #expect(controller.controller == "ingress-nginx")
        #expect(controller.workload.name == "ingress-nginx-controller" && controller.workload.namespace == "ingress-nginx")
        #expect(controller.serviceAccount.name == "ingress-nginx")
        #expect(controller.ingressClass == "nginx")
        #expect(controller.sslPassthrough == false)
        #expect(controller.image.hasPrefix("registry.k8s.io/ingress-nginx/controller:v1.7.0"))
        let everywhere = controller.secretAccess.filter { $0.scope == nil }
        #expect(everywhere.map(\.verb) == ["list", "watch"])
        #expect(everywhere.allSatisfy { $0.via == ["RBAC: ClusterRoleBinding ingress-nginx of ClusterRole ingress-nginx (rule 0) to ServiceAccount ingress-nginx/ingress-nginx"] })
        #expect(controller.secretAccess.filter { $0.scope == "ingress-nginx" }.map(\.verb) == ["get", "list", "watch"])
        #expect(controller.explanation.contains("can list, watch secrets in every namespace"))
    }
}
