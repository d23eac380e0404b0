import DumpReader
import Foundation
import KubeModel
import Testing
@testable import TLSPosture

/// Each annotation trap, one case per rule: given this annotation, this finding and fix.
@Suite struct AnnotationFindingsTests {
    static let p = "nginx.ingress.kubernetes.io/"

    func findings(_ annotations: ByteKeyedMap, secrets: Set<String> = [],
                  flag: AnnotationFindings.PassthroughFlag = .unknown) -> [TLSFinding] {
        let ingress = Ingress(meta: ObjectMeta(name: "web", namespace: "shop", annotations: annotations))
        return AnnotationFindings.check(ingress, secretExists: { secrets.contains("\($0)/\($1)") }, passthroughFlag: flag)
    }

    @Test func theFixtureHasEveryTrapOnce() throws {
        let report = TLSPosture.analyze(try fixture("tls/annotation-traps.yaml"), now: fixtureNow)
        let route = try #require(report.routes.first)
        #expect(route.findingKeys.sorted() == [
            "high -", "high auth-tls-secret", "high proxy-ssl-ciphers", "high proxy-ssl-protocols", "high proxy-ssl-secret",
            "high proxy-ssl-verify", "high ssl-passthrough", "low ssl-redirect", "medium force-ssl-redirect",
            "medium proxy-ssl-verfy", "medium proxy-ssl-verify",
        ])
    }

    @Test func booleanInTheWrongCaseIsLowAndNamesTheDocumentedForm() {
        let found = findings([Self.p + "ssl-redirect": "True"])
        #expect(found.map(\.severity) == [.low])
        #expect(found.first?.fix == "write \"true\"")
    }

    @Test func booleanThatGoCannotParseIsIgnored() {
        let found = findings([Self.p + "ssl-redirect": "yes"])
        #expect(found.map(\.severity) == [.medium])
        #expect(found.first?.problem.contains("ignored") == true)
    }

    @Test func documentedValuesAreQuiet() {
        #expect(findings([Self.p + "ssl-redirect": "false", Self.p + "proxy-ssl-verify": "on", Self.p + "proxy-ssl-name": "web",
                          Self.p + "backend-protocol": "grpc", Self.p + "proxy-connect-timeout": "15"]).isEmpty)
    }

    @Test func onOffAnnotationsRejectBooleans() {
        let found = findings([Self.p + "proxy-buffering": "true"])
        #expect(found.first?.fix == "write \"on\"")
    }

    @Test func aTypoCloseToAKnownKeyNamesIt() {
        let found = findings([Self.p + "ssl-redirct": "false"])
        #expect(found.first?.severity == .medium)
        #expect(found.first?.fix == "rename it to \(Self.p)ssl-redirect")
    }

    @Test func anUnknownKeyFarFromAnyIsLow() {
        #expect(findings([Self.p + "make-it-secure": "true"]).map(\.severity) == [.low])
    }

    @Test func traefikKeysAreCheckedToo() {
        let found = findings(["traefik.ingress.kubernetes.io/router.tls": "yes",
                              "traefik.ingress.kubernetes.io/router.tls.domains.0.main": "example.com"])
        #expect(found.map(\.annotation) == ["traefik.ingress.kubernetes.io/router.tls"])
    }

    @Test func wrongCaseOfACaseSensitiveChoice() {
        let found = findings([Self.p + "affinity-mode": "Balanced"])
        #expect(found.first?.fix == "write \"balanced\"")
    }

    @Test func protocolsBelowTLS12() {
        #expect(findings([Self.p + "proxy-ssl-protocols": "TLSv1.2 TLSv1.3"]).isEmpty)
        #expect(findings([Self.p + "proxy-ssl-protocols": "TLSv1.1 TLSv1.2"]).map(\.severity) == [.high])
    }

    @Test func excludedWeakCiphersAreFine() {
        #expect(findings([Self.p + "ssl-ciphers": "HIGH:!aNULL:!MD5:!RC4"]).isEmpty)
        #expect(findings([Self.p + "ssl-ciphers": "HIGH:DES-CBC3-SHA"]).map(\.severity) == [.high])
    }

    @Test func verifyOffWithHTTPSBackendIsEncryptionWithoutAuthentication() {
        #expect(findings([Self.p + "backend-protocol": "HTTPS"]).map(\.annotation) == [Self.p + "backend-protocol"])
        #expect(findings([Self.p + "backend-protocol": "HTTPS", Self.p + "proxy-ssl-verify": "off"]).map(\.severity) == [.high])
        #expect(findings([Self.p + "backend-protocol": "HTTPS", Self.p + "proxy-ssl-verify": "on",
                          Self.p + "proxy-ssl-secret": "shop/ca", Self.p + "proxy-ssl-name": "web.shop.svc"],
                         secrets: ["shop/ca"]).isEmpty)
    }

    @Test func verificationWithoutANameChecksTheUpstreamName() {
        let found = findings([Self.p + "proxy-ssl-verify": "on"])
        #expect(found.map(\.annotation) == [Self.p + "proxy-ssl-name"])
        #expect(found.first?.severity == .medium)
    }

    @Test func secretsAreLookedUpAsNamespaceSlashNameOrInTheIngressNamespace() {
        #expect(findings([Self.p + "auth-tls-secret": "ca"], secrets: ["shop/ca"]).isEmpty)
        #expect(findings([Self.p + "auth-tls-secret": "other/ca"], secrets: ["shop/ca"]).map(\.severity) == [.high])
    }

    @Test func passthroughDependsOnTheControllerFlag() {
        let annotations: ByteKeyedMap = [Self.p + "ssl-passthrough": "true"]
        #expect(findings(annotations, flag: .enabled).isEmpty)
        #expect(findings(annotations, flag: .disabled).map(\.severity) == [.high])
        #expect(findings(annotations, flag: .unknown).map(\.severity) == [.low])
    }

    @Test func theTableNamesItsVersion() {
        #expect(KnownAnnotations.ingressNginx.version == "v1.7.0")
        #expect(KnownAnnotations.ingressNginx.values["proxy-ssl-verify"] == .onOff)
    }
}

/// Containers keep their flags for `keyreach tls`, never a value that could be a credential.
@Suite struct ContainerFlagTests {
    @Test func unknownFlagValuesAreDroppedKnownOnesKept() {
        #expect(ContainerSummary.keptFlag("--token=KEYREACH-FAKE-TOKEN") == "--token")
        #expect(ContainerSummary.keptFlag("--ingress-class=nginx") == "--ingress-class=nginx")
        #expect(ContainerSummary.keptFlag("--serversTransport.insecureSkipVerify=true") == "--serversTransport.insecureSkipVerify=true")
        #expect(ContainerSummary.keptFlag("KEYREACH-FAKE-POSITIONAL") == nil)
        #expect(ContainerSummary(name: "c", flags: ["--Enable-SSL-Passthrough"]).flagValue("--enable-ssl-passthrough") == "true")
    }

    @Test func aDumpedCredentialFlagNeverReachesTheSnapshot() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: ns}  # an unquoted `n` is a YAML 1.1 boolean
            spec:
              containers:
              - name: c
                image: example/app:1
                command: [/app, --password=KEYREACH-FAKE-PASSWORD]
                args: [--ingress-class=nginx, KEYREACH-FAKE-ARG]
            """
        let snapshot = try DumpReader().read([.data(Data(yaml.utf8), name: "pod.yaml")]).snapshot
        #expect(snapshot.pods.first?.spec.containers.first?.flags == ["--password", "--ingress-class=nginx"])
        #expect(!String(describing: snapshot).contains("KEYREACH-FAKE"))
    }
}
