import Foundation
import KubeModel
import RBAC
import Store
import Testing
@testable import Render

/// The who-can JSON is a contract scripts rely on: DESIGN.md's shape, exactly.
@Test("who-can JSON has DESIGN.md's shape: via binding, role, rule, as; superuser; node")
func whoCanJSONShape() throws {
    var dump = ClusterSnapshot()
    dump.roles = [Role(meta: ObjectMeta(name: "secret-reader"),
                       rules: [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"])])]
    dump.bindings = [RoleBinding(meta: ObjectMeta(name: "read-all", namespace: "production"),
                                 roleRef: RoleRef(kind: "ClusterRole", name: "secret-reader"),
                                 subjects: [Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io",
                                                    name: "system:serviceaccounts:production")])]
    dump.serviceAccounts = [ServiceAccount(meta: ObjectMeta(name: "default", namespace: "production"))]
    dump.pods = [Pod(meta: ObjectMeta(name: "web-0", namespace: "production"),
                     spec: PodSpec(nodeName: "n1", secretReferences: [PodSecretReference(name: "app-tls", source: .volume)]))]
    let subjects = WhoCan(derived: AccessIndexer.compute(dump)).subjects(verb: .get, namespace: "production", secretName: "app-tls")
    let answer = WhoCanAnswer(verb: "get", secret: ObjectRef(kind: "Secret", namespace: "production", name: "app-tls"),
                              exists: false, subjects: subjects)
    var w = JSONWriter()
    WhoCanRenderer.describe(answer, &w)
    let viaGroup = #"{"binding":{"kind":"RoleBinding","namespace":"production","name":"read-all"},"#
        + #""role":{"kind":"ClusterRole","name":"secret-reader"},"rule":0,"#
        + #""as":{"kind":"Group","name":"system:serviceaccounts:production"}}"#
    #expect(w.text == #"{"verb":"get","secret":{"namespace":"production","name":"app-tls","exists":false},"subjects":["#
        + #"{"kind":"Group","name":"system:masters","via":[{"superuser":true,"group":"system:masters"}]},"#
        + #"{"kind":"Group","name":"system:serviceaccounts:production","via":["# + viaGroup + "]},"
        + #"{"kind":"Node","name":"n1","via":[{"node":{"kind":"Node","name":"n1"},"pod":{"kind":"Pod","namespace":"production","name":"web-0"},"source":"volume"}]},"#
        + #"{"kind":"ServiceAccount","namespace":"production","name":"default","via":["# + viaGroup + "]}]}")
}
