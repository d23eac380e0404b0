import Foundation
import Testing
import KubeModel
import TestSupport
@testable import DumpReader

/// The shared corpus sits beside the repository: `<repo>/../shared/corpus`.
let corpusDirectory = SharedData.corpus.directory

func readCorpus(_ file: String) throws -> ImportResult {
    try DumpReader().read([.path(corpusDirectory.appendingPathComponent(file).path)])
}

/// Counts per kind and skipped kinds as SOURCES.md lists them (and as the files read).
@Suite(SharedData.corpus.required) struct CorpusTests {
    @Test(arguments: [
        ("k8s-bootstrap-cluster-roles.yaml", ["ClusterRole": 31], [String: Int]()),
        ("k8s-bootstrap-cluster-role-bindings.yaml", ["ClusterRoleBinding": 10], [:]),
        ("k8s-bootstrap-namespace-roles.yaml", ["Role": 7], [:]),
        ("k8s-bootstrap-namespace-role-bindings.yaml", ["RoleBinding": 6], [:]),
        ("k8s-bootstrap-controller-roles.yaml", ["ClusterRole": 38], [:]),
        ("k8s-bootstrap-controller-role-bindings.yaml", ["ClusterRoleBinding": 27], [:]),
        ("ingress-nginx-v1.7.0-cloud-deploy.yaml",
         ["Namespace": 1, "ServiceAccount": 2, "Role": 2, "ClusterRole": 2, "RoleBinding": 2,
          "ClusterRoleBinding": 2, "Deployment": 1, "Job": 2, "Service": 2],
         ["ConfigMap": 1, "IngressClass": 1, "ValidatingWebhookConfiguration": 1]),
        ("cert-manager-v0.7.0-no-webhook.yaml",
         ["Namespace": 1, "ServiceAccount": 2, "ClusterRole": 4, "ClusterRoleBinding": 2, "Deployment": 2],
         ["CustomResourceDefinition": 5]),
        ("kube-prometheus-kubeStateMetrics-clusterRole.yaml", ["ClusterRole": 1], [:]),
        ("kube-prometheus-prometheusOperator-clusterRole.yaml", ["ClusterRole": 1], [:]),
    ])
    func countsPerKind(file: String, stored: [String: Int], skipped: [String: Int]) throws {
        let result = try readCorpus(file)
        #expect(result.snapshot.countsByKind == stored)
        #expect(result.skipped == skipped)
        #expect(result.warnings.isEmpty)
    }

    @Test func wholeDirectoryReadsEveryFile() throws {
        let result = try DumpReader().read([.path(corpusDirectory.path)])
        #expect(result.files == 10)
        #expect(result.snapshot.countsByKind["ClusterRole"] == 31 + 38 + 2 + 4 + 1 + 1)
        #expect(result.snapshot.countsByKind["ClusterRoleBinding"] == 10 + 27 + 2 + 2)
        #expect(result.objects == 31 + 10 + 7 + 6 + 38 + 27 + 19 + 16 + 1 + 1)
    }

    @Test func aggregatedRolesKeepSelectorsAndNullRules() throws {
        let roles = try readCorpus("k8s-bootstrap-cluster-roles.yaml").snapshot.roles
        let edit = try #require(roles.first { $0.meta.name == "edit" })
        #expect(edit.rules.isEmpty)
        #expect(edit.aggregationRule?.clusterRoleSelectors.map(\.matchLabels)
                == [["rbac.authorization.k8s.io/aggregate-to-edit": "true"]])
        let view = try #require(roles.first { $0.meta.name == "view" })
        #expect(view.meta.labels["rbac.authorization.k8s.io/aggregate-to-edit"] == "true")
        let aggregateToEdit = try #require(roles.first { $0.meta.name == "system:aggregate-to-edit" })
        #expect(aggregateToEdit.rules.contains { $0.resources.contains("secrets") && $0.verbs.contains("get") })
        #expect(roles.allSatisfy { $0.isClusterRole && $0.meta.labels["kubernetes.io/bootstrapping"] == "rbac-defaults" })
    }

    @Test func bindingWithoutSubjectsIsEmpty() throws {
        let bindings = try readCorpus("k8s-bootstrap-cluster-role-bindings.yaml").snapshot.bindings
        let node = try #require(bindings.first { $0.meta.name == "system:node" })
        #expect(node.subjects.isEmpty)
        #expect(node.roleRef == RoleRef(kind: "ClusterRole", name: "system:node"))
        let admin = try #require(bindings.first { $0.meta.name == "cluster-admin" })
        #expect(admin.subjects == [Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:masters")])
    }

    @Test func oldRBACVersionAndServiceAccountSubjects() throws {
        let bindings = try readCorpus("k8s-bootstrap-namespace-role-bindings.yaml").snapshot.bindings
        #expect(bindings.allSatisfy { !$0.isClusterRoleBinding })
        let signers = bindings.filter { $0.meta.name == "system:controller:bootstrap-signer" }
        #expect(signers.map(\.meta.namespace) == ["kube-public", "kube-system"])
        #expect(signers.allSatisfy {
            $0.subjects == [Subject(kind: "ServiceAccount", name: "bootstrap-signer", namespace: "kube-system")]
        })
    }

    @Test func ingressNginxWorkloadsAndServiceAccount() throws {
        let snapshot = try readCorpus("ingress-nginx-v1.7.0-cloud-deploy.yaml").snapshot
        let sa = try #require(snapshot.serviceAccounts.first { $0.meta.name == "ingress-nginx" })
        #expect(sa.automountServiceAccountToken == true)
        let controller = try #require(snapshot.workloads.first { $0.kind == "Deployment" })
        #expect(controller.meta.namespace == "ingress-nginx")
        #expect(controller.template.serviceAccountName == "ingress-nginx")
        #expect(controller.template.secretReferences
                == [PodSecretReference(name: "ingress-nginx-admission", source: .volume, detail: "webhook-cert")])
        let clusterRole = try #require(snapshot.roles.first { $0.isClusterRole && $0.meta.name == "ingress-nginx" })
        #expect(clusterRole.rules.contains { $0.resources.contains("secrets") && $0.verbs == ["list", "watch"] })
    }

    @Test func certManagerQuotedNamespacesAndOldGroup() throws {
        let snapshot = try readCorpus("cert-manager-v0.7.0-no-webhook.yaml").snapshot
        #expect(Set(snapshot.serviceAccounts.map(\.meta.namespace)) == ["cert-manager"])
        let role = try #require(snapshot.roles.first { $0.meta.name == "cert-manager" })
        #expect(role.rules.contains { $0.verbs == ["*"] && $0.resources.contains("secrets") })
    }
}
