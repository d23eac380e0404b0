import Foundation
import KubeModel
import Testing
import TLSPosture

/// One fixture per termination pattern (fixtures/tls/*.yaml): where TLS ends, whether
/// the hop to the pod is encrypted and verified, and the findings each pattern brings.
@Suite struct TerminationPatternTests {
    @Test func edgeTerminationForwardsPlainHTTP() throws {
        let report = TLSPosture.analyze(try fixture("tls/edge.yaml"), now: fixtureNow)
        let covered = try #require(report.route("shop/web", "app.example.com"))
        #expect(covered.pattern == .edge)
        #expect(covered.backendEncrypted == false && covered.backendVerified == false)
        #expect(covered.secret?.name == "web-tls" && covered.secretExists)
        #expect(covered.certificate?.dnsNames == ["app.example.com", "www.example.com"])
        #expect(covered.findings.isEmpty)
        #expect(covered.controller == "ingress-nginx")
        #expect(covered.backends.map(\.pods) == [["web-0"]])
    }

    @Test func aHostTheCertificateDoesNotNameIsAFinding() throws {
        let report = TLSPosture.analyze(try fixture("tls/edge.yaml"), now: fixtureNow)
        let uncovered = try #require(report.route("shop/web", "shop.example.com"))
        #expect(uncovered.findingKeys == ["high -"])
        #expect(uncovered.findings[0].problem.contains("does not cover shop.example.com"))
    }

    @Test func noTLSSectionIsPatternNone() throws {
        let report = TLSPosture.analyze(try fixture("tls/edge.yaml"), now: fixtureNow)
        let plain = try #require(report.route("shop/plain", "api.example.com"))
        #expect(plain.pattern == .none)
        #expect(plain.secret == nil)
    }

    @Test func reencryptionIsVerifiedOnlyWithProxySSLVerifyOnAndItsSecret() throws {
        let report = TLSPosture.analyze(try fixture("tls/reencrypt.yaml"), now: fixtureNow)
        let verified = try #require(report.route("bank/verified", "app.example.com"))
        #expect(verified.pattern == .reencrypt)
        #expect(verified.backendEncrypted && verified.backendVerified)
        #expect(verified.findings.isEmpty)
        let unverified = try #require(report.route("bank/unverified", "www.example.com"))
        #expect(unverified.pattern == .reencrypt)
        #expect(unverified.backendEncrypted && !unverified.backendVerified)
        #expect(unverified.findingKeys == ["high proxy-ssl-verify"])
        #expect(unverified.findings[0].fix.contains("proxy-ssl-verify: \"on\""))
    }

    @Test func passthroughWithTheControllerFlagEndsAtThePod() throws {
        let report = TLSPosture.analyze(try fixture("tls/passthrough.yaml"), now: fixtureNow)
        let route = try #require(report.route("vault/vault", "app.example.com"))
        #expect(route.pattern == .passthrough)
        #expect(route.backendEncrypted && route.backendVerified)
        #expect(route.findings.isEmpty)
        #expect(report.controllers.map(\.sslPassthrough) == [true])
    }

    @Test func passthroughWithoutTheControllerFlagTerminatesAtTheController() throws {
        let report = TLSPosture.analyze(try fixture("tls/annotation-traps.yaml"), now: fixtureNow)
        let route = try #require(report.route("traps/web", "app.example.com"))
        #expect(route.pattern == .reencrypt, "backend-protocol HTTPS, and ssl-passthrough is ignored")
        #expect(route.findingKeys.contains("high ssl-passthrough"))
    }

    @Test func meshHopIsEncryptedWhenEdgeAndPodsShareTheMesh() throws {
        let report = TLSPosture.analyze(try fixture("tls/mesh.yaml"), now: fixtureNow)
        let linkerd = try #require(report.route("linkerd-shop/web", "app.example.com"))
        #expect(linkerd.pattern == .edge)
        #expect(linkerd.mesh?.mesh == "linkerd")
        #expect(linkerd.backendEncrypted && linkerd.backendVerified)
        #expect(linkerd.findings.isEmpty)
    }

    @Test func strictIstioPodsBehindAnUnmeshedControllerAreAFinding() throws {
        let report = TLSPosture.analyze(try fixture("tls/mesh.yaml"), now: fixtureNow)
        let istio = try #require(report.route("istio-shop/web", "www.example.com"))
        #expect(istio.mesh?.mesh == "istio")
        #expect(istio.mesh?.mode == "STRICT")
        #expect(istio.mesh?.policy == "PeerAuthentication istio-shop/strict")
        #expect(!istio.backendEncrypted)
        #expect(istio.findingKeys == ["high -"])
    }

    @Test func gatewayListenersIstioServersAndIngressRoutes() throws {
        let report = TLSPosture.analyze(try fixture("tls/key-sources.yaml"), now: fixtureNow)
        let https = try #require(report.route("edge/gw", "app.example.com"))
        #expect(https.listener == "https" && https.pattern == .edge)
        #expect(https.routes == ["HTTPRoute web/site"])
        #expect(https.backends.map(\.service) == ["site"])
        let passthrough = try #require(report.route("edge/gw", "db.example.com"))
        #expect(passthrough.pattern == .passthrough && passthrough.routes == ["TLSRoute web/db"])
        let istio = try #require(report.route("istio-system/public", "app.example.com"))
        #expect(istio.frontend.kind == IstioGateway.kindName)
        #expect(istio.secret?.name == "public-cred" && istio.secretExists)
        #expect(istio.findingKeys.contains("high -"), "minProtocolVersion TLSV1_1")
        #expect(report.route("istio-system/public", "*")?.pattern == TerminationPattern.none)
        let traefik = try #require(report.route("web/site", "www.example.com"))
        #expect(traefik.frontend.kind == "IngressRoute" && traefik.pattern == .edge && traefik.controller == "Traefik")
    }

    @Test func anExpiredCertificateIsAFinding() throws {
        let after = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01
        let report = TLSPosture.analyze(try fixture("tls/edge.yaml"), now: after)
        let route = try #require(report.route("shop/web", "app.example.com"))
        #expect(route.findings.contains { $0.problem.contains("expired on 2027-03-01") })
    }

    @Test func namespaceScopesTheRoutes() throws {
        let report = TLSPosture.analyze(try fixture("tls/reencrypt.yaml"), namespace: "shop", now: fixtureNow)
        #expect(report.routes.isEmpty)
    }

    @Test(arguments: [("*.example.com", "a.example.com", true), ("*.example.com", "a.b.example.com", false),
                      ("*.example.com", "example.com", false), ("App.Example.com", "app.example.com", true)])
    func wildcardCertificateNames(name: String, host: String, covers: Bool) {
        #expect(TLSPosture.certificateName(name, covers: host) == covers)
    }
}

extension TerminationPatternTests {
    @Test func aSecretACertificateWillWriteIsNotIssuedYetRatherThanMissing() throws {
        var snapshot = try fixture("tls/edge.yaml")
        snapshot.secrets.removeAll { $0.meta.name == "web-tls" }
        let before = TLSPosture.analyze(snapshot, now: fixtureNow).route("shop/web", "app.example.com")
        #expect(before?.findings.map(\.severity) == [.high])
        snapshot.certificates = [Certificate(meta: ObjectMeta(name: "web", namespace: "shop"), secretName: "web-tls")]
        let route = try #require(TLSPosture.analyze(snapshot, now: fixtureNow).route("shop/web", "app.example.com"))
        #expect(route.findings.map(\.severity) == [.medium])
        #expect(route.findings.first?.problem.contains("cert-manager Certificate shop/web will write it") == true)
    }
}
