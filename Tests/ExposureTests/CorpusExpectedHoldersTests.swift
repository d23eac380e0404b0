import Foundation
import KubeModel
import Store
import Testing
import TestSupport
import Yams
@testable import Exposure

/// The binding subjects of the real manifests in ../shared/corpus (see its
/// SOURCES.md), read with Yams here so the test does not depend on DumpReader.
enum Corpus {
    static let directory = SharedData.corpus.directory.path

    /// Every (subject, roleRef name) of the bindings in a file, `List` or multi-document.
    static func bindingSubjects(_ file: String) throws -> [(subject: [String: Any], role: String, bindingNamespace: String)] {
        let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
        let objects = try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }.flatMap { object in
            (object["kind"] as? String) == "List" ? (object["items"] as? [[String: Any]] ?? []) : [object]
        }
        return objects.filter { ($0["kind"] as? String)?.hasSuffix("Binding") == true }.flatMap { binding in
            let role = (binding["roleRef"] as? [String: Any])?["name"] as? String ?? ""
            let namespace = (binding["metadata"] as? [String: Any])?["namespace"] as? String ?? ""
            return (binding["subjects"] as? [[String: Any]] ?? []).map { ($0, role, namespace) }
        }
    }

    /// A subject as the reader the report would list.
    static func reader(_ subject: [String: Any], bindingNamespace: String) -> KnownIdentity {
        let name = subject["name"] as? String ?? ""
        switch subject["kind"] as? String {
        case "ServiceAccount":
            return .serviceAccount(namespace: subject["namespace"] as? String ?? bindingNamespace, name: name)
        case "Group": return .group(name)
        default: return .user(name)
        }
    }
}

@Suite("Expected holders in the real manifests of the corpus", SharedData.corpus.required)
struct CorpusExpectedHoldersTests {
    /// A cert-manager TLS key served by an Ingress of class `nginx` (the corpus IngressClass).
    let key = PrivateKeySecret(
        secret: ObjectRef(kind: "Secret", namespace: "production", name: "app-tls"), exists: true, type: "kubernetes.io/tls",
        reasons: [.secretType("kubernetes.io/tls"),
                  .certificateSecretName(certificate: ObjectRef(kind: "Certificate", namespace: "production", name: "app")),
                  .ingressTLS(ingress: ObjectRef(kind: "Ingress", namespace: "production", name: "web"), className: "nginx")],
        keyKind: .leaf)
    let holders = ExpectedHolders()

    func rules(_ file: String) throws -> [String: ExpectedHolder.Rule?] {
        var rules: [String: ExpectedHolder.Rule?] = [:]
        for (subject, role, namespace) in try Corpus.bindingSubjects(file) {
            let reader = Corpus.reader(subject, bindingNamespace: namespace)
            let label = "\(reader.kind) \(reader.namespace.isEmpty ? "" : reader.namespace + "/")\(reader.name)"
            // updateValue keeps a nil rule (subscript assignment of nil would remove the key)
            rules.updateValue(holders.expectation(for: ReaderAccess(reader: reader, roleNames: [role]), of: key)?.rule,
                              forKey: label)
        }
        return rules
    }

    @Test("every system:controller: binding's ServiceAccount is an expected controller")
    func controllers() throws {
        let rules = try rules("k8s-bootstrap-controller-role-bindings.yaml")
        #expect(rules.count == 27)
        for (reader, rule) in rules {
            #expect(reader.hasPrefix("ServiceAccount kube-system/"))
            #expect(rule == .kubeController, "\(reader)")
        }
    }

    @Test("cert-manager v0.7's controller and cainjector are expected")
    func certManager() throws {
        let rules = try rules("cert-manager-v0.7.0-no-webhook.yaml")
        #expect(rules["ServiceAccount cert-manager/cert-manager"] == .certManager)
        #expect(rules["ServiceAccount cert-manager/cert-manager-cainjector"] == .certManager)
    }

    @Test("the ingress-nginx controller is expected for its Ingress's key; its admission jobs are not")
    func ingressNginx() throws {
        let rules = try rules("ingress-nginx-v1.7.0-cloud-deploy.yaml")
        #expect(rules["ServiceAccount ingress-nginx/ingress-nginx"] == .ingressController)
        #expect(rules["ServiceAccount ingress-nginx/ingress-nginx-admission"] == .some(nil))
    }

    @Test("bootstrap bindings: masters and kube-controller-manager expected, system:authenticated not")
    func bootstrap() throws {
        let rules = try rules("k8s-bootstrap-cluster-role-bindings.yaml")
        #expect(rules["Group system:masters"] == .superuser)
        #expect(rules["User system:kube-controller-manager"] == .controlPlane)
        #expect(rules["Group system:authenticated"] == .some(nil))
        #expect(rules["User system:kube-scheduler"] == .some(nil))
    }
}
