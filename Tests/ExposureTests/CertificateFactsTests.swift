import Foundation
import Testing
@testable import Exposure

@Suite("Certificate facts from the public PEM kept at import")
struct CertificateFactsTests {
    @Test("an ECDSA leaf: subject, issuer, DNS and IP SANs, validity, not a CA, fingerprint")
    func ecdsaLeaf() throws {
        let facts = CertificateFacts.parse(pem: TestPKI.ecdsaLeaf.pem, dataKey: "tls.crt")
        let leaf = try #require(facts.first)
        #expect(facts.count == 1)
        #expect(leaf.parseError == nil)
        #expect(leaf.dataKey == "tls.crt" && leaf.index == 0)
        #expect(leaf.subject == "CN=app.example.com")
        #expect(leaf.commonName == "app.example.com")
        #expect(leaf.issuer == "CN=internal-ca,O=Keyreach Test")
        #expect(leaf.dnsNames == ["app.example.com", "*.example.com"])
        #expect(leaf.ipAddresses == ["10.0.0.7", "::1"])
        #expect(leaf.notBeforeISO == "2025-01-01T00:00:00Z")
        #expect(leaf.notAfterISO == "2027-03-01T00:00:00Z")
        #expect(leaf.isCA == false)
        #expect(leaf.sha256 == TestPKI.fingerprint(TestPKI.ecdsaLeaf.der))
    }

    @Test("an RSA leaf made by swift-certificates: multi-RDN subject in RFC 4514 order")
    func rsaLeaf() throws {
        let leaf = try #require(CertificateFacts.parse(pem: TestPKI.rsaLeaf.pem, dataKey: "tls.crt").first)
        #expect(leaf.subject == "CN=rsa.example.com,O=Shop")
        #expect(leaf.commonName == "rsa.example.com")
        #expect(leaf.dnsNames == ["rsa.example.com"])
        #expect(leaf.ipAddresses.isEmpty)
        #expect(leaf.sha256 == TestPKI.fingerprint(TestPKI.rsaLeaf.der))
    }

    @Test("an RSA leaf made by OpenSSL gives the facts OpenSSL prints")
    func openSSLLeaf() throws {
        let leaf = try #require(CertificateFacts.parse(pem: OpenSSLFixtures.leafPEM, dataKey: "tls.crt").first)
        #expect(leaf.subject == OpenSSLFixtures.leafSubject)
        #expect(leaf.issuer == OpenSSLFixtures.leafIssuer)
        #expect(leaf.dnsNames == ["app.example.com", "*.example.com"])
        #expect(leaf.ipAddresses == ["10.0.0.1", "2001:db8::1"])
        #expect(leaf.notBeforeISO == OpenSSLFixtures.leafNotBefore)
        #expect(leaf.notAfterISO == OpenSSLFixtures.leafNotAfter)
        #expect(leaf.isCA == false)
        #expect(leaf.sha256 == OpenSSLFixtures.leafSHA256.replacingOccurrences(of: ":", with: "").lowercased())
    }

    @Test("a CA certificate has isCA, from swift-certificates and from OpenSSL")
    func certificateAuthorities() throws {
        let generated = try #require(CertificateFacts.parse(pem: TestPKI.ca.pem, dataKey: "ca.crt").first)
        #expect(generated.isCA)
        #expect(generated.subject == "CN=internal-ca,O=Keyreach Test")
        #expect(generated.subject == generated.issuer)
        #expect(generated.notAfterISO == "2030-01-01T00:00:00Z")

        let openssl = try #require(CertificateFacts.parse(pem: OpenSSLFixtures.caPEM, dataKey: "ca.crt").first)
        #expect(openssl.isCA)
        #expect(openssl.subject == OpenSSLFixtures.caSubject)
        #expect(openssl.notAfterISO == OpenSSLFixtures.caNotAfter)
        #expect(openssl.sha256 == OpenSSLFixtures.caSHA256.replacingOccurrences(of: ":", with: "").lowercased())
    }

    @Test("a bundle gives one fact per certificate, leaf first, with its position")
    func bundle() {
        let facts = CertificateFacts.parse(pem: OpenSSLFixtures.leafPEM + "\n" + OpenSSLFixtures.caPEM + "\n", dataKey: "tls.crt")
        #expect(facts.map(\.subject) == [OpenSSLFixtures.leafSubject, OpenSSLFixtures.caSubject])
        #expect(facts.map(\.index) == [0, 1])
        #expect(facts.map(\.isCA) == [false, true])
    }

    @Test("a secret's certificates: tls.crt first, then the other keys by name")
    func secretKeyOrder() {
        let facts = CertificateFacts.parse(certificatesPEM: [
            "ca.crt": TestPKI.ca.pem, "tls.crt": TestPKI.ecdsaLeaf.pem, "a.crt": TestPKI.rsaLeaf.pem,
        ])
        #expect(facts.map(\.dataKey) == ["tls.crt", "a.crt", "ca.crt"])
    }

    @Test("the cache parses a PEM text once and stamps each use with its own data key")
    func cache() {
        var cache = CertificateFactsCache()
        let first = cache.facts(of: ["tls.crt": TestPKI.ecdsaLeaf.pem, "ca.crt": TestPKI.ca.pem])
        let second = cache.facts(of: ["tls.crt": TestPKI.rsaLeaf.pem, "bundle.crt": TestPKI.ca.pem])
        #expect(first.map(\.dataKey) == ["tls.crt", "ca.crt"])
        #expect(second.map(\.dataKey) == ["tls.crt", "bundle.crt"])
        #expect(second[1].sha256 == first[1].sha256)
        #expect(second[0].subject == "CN=rsa.example.com,O=Shop")
    }

    @Test("unparseable PEM becomes a fact, never a crash, and does not hide good blocks")
    func unparseable() throws {
        let broken = "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
        let facts = CertificateFacts.parse(pem: broken + TestPKI.ecdsaLeaf.pem, dataKey: "tls.crt")
        #expect(facts.count == 2)
        #expect(facts[0].parseError?.hasPrefix("certificate unparseable: ") == true)
        #expect(facts[0].isParsed == false)
        #expect(facts[1].subject == "CN=app.example.com")

        let noBlock = CertificateFacts.parse(pem: "hello", dataKey: "tls.crt")
        #expect(noBlock.count == 1)
        #expect(noBlock[0].parseError == "certificate unparseable: no PEM CERTIFICATE block")

        let unterminated = CertificateFacts.parse(pem: "-----BEGIN CERTIFICATE-----\nMIIB\n", dataKey: "tls.crt")
        #expect(unterminated.count == 1)
        #expect(unterminated[0].isParsed == false)

        #expect(CertificateFacts.parse(pem: " \n", dataKey: "tls.crt").isEmpty)
    }

    @Test("PEM blocks are cut at their armour lines, whatever text, non-ASCII or partial armour surrounds them")
    func pemBlocks() {
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        let text = "é preamble -----BEGIN CERT\n\(begin)\nAAA\n\(end)\n日本 \(begin)BBB\(end)\(end) tail \(begin)\nCCC"
        #expect(CertificateFacts.certificatePEMBlocks(in: text) == [
            "\(begin)\nAAA\n\(end)", "\(begin)BBB\(end)", "\(begin)\nCCC",
        ])
        #expect(CertificateFacts.certificatePEMBlocks(in: "").isEmpty)
        #expect(CertificateFacts.certificatePEMBlocks(in: "-----BEGIN").isEmpty)
        #expect(CertificateFacts.certificatePEMBlocks(in: begin + end) == [begin + end])
        #expect(CertificateFacts.firstIndex(of: Array("ab".utf8), in: Array("aaab".utf8), from: 0) == 2)
        #expect(CertificateFacts.firstIndex(of: Array("ab".utf8), in: Array("aaab".utf8), from: 3) == nil)
    }

    @Test("IPv6 addresses are printed in RFC 5952 form")
    func ipv6Formatting() {
        #expect(CertificateFacts.formatIPAddress([0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]) == "2001:db8::1")
        #expect(CertificateFacts.formatIPAddress(Array(repeating: 0, count: 16)) == "::")
        #expect(CertificateFacts.formatIPAddress([0, 1] + Array(repeating: 0, count: 12) + [0, 1]) == "1::1")
        // a single zero group is not shortened (RFC 5952 4.2.2)
        #expect(CertificateFacts.formatIPAddress([0x20, 0x01, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6]) == "2001:0:1:2:3:4:5:6")
    }
}

@Suite("What a holder of a key can do, in one sentence")
struct ImpersonationSentenceTests {
    @Test("a leaf: its SANs and its expiry day")
    func leaf() throws {
        let leaf = try #require(CertificateFacts.parse(pem: OpenSSLFixtures.leafPEM, dataKey: "tls.crt").first)
        #expect(ImpersonationSentence.forCertificate(leaf)
            == "a holder of this key can impersonate app.example.com, *.example.com, 10.0.0.1 and 2001:db8::1 until 2028-11-28")
        let ecdsa = try #require(CertificateFacts.parse(pem: TestPKI.rsaLeaf.pem, dataKey: "tls.crt").first)
        #expect(ImpersonationSentence.forCertificate(ecdsa, now: Date(timeIntervalSince1970: 1_900_000_000))
            == "a holder of this key can impersonate rsa.example.com until 2027-03-01 (expired)")
    }

    @Test("without SANs the common name is what clients check")
    func commonNameOnly() throws {
        let leaf = try #require(CertificateFacts.parse(pem: TestPKI.commonNameOnlyLeaf.pem, dataKey: "tls.crt").first)
        #expect(leaf.impersonatedNames == ["legacy.example.com"])
        #expect(ImpersonationSentence.forCertificate(leaf) == "a holder of this key can impersonate legacy.example.com until 2027-03-01")
    }

    @Test("long name lists are cut after five")
    func listing() {
        #expect(ImpersonationSentence.listed(["a"]) == "a")
        #expect(ImpersonationSentence.listed(["a", "b"]) == "a and b")
        #expect(ImpersonationSentence.listed(["a", "b", "c"]) == "a, b and c")
        #expect(ImpersonationSentence.listed(["1", "2", "3", "4", "5", "6", "7"]) == "1, 2, 3, 4, 5 and 2 more")
    }

    @Test("a CA key: who trusts it and how widely")
    func certificateAuthority() {
        let issued = IssuedCertificates(issuers: [.init(kind: "ClusterIssuer", name: "internal-ca")], count: 12,
                                        namespaces: ["a", "b", "c"])
        #expect(ImpersonationSentence.forCA(issued: issued)
            == "a holder of this key can mint certificates trusted by every Certificate issued by ClusterIssuer internal-ca (12 certificates in 3 namespaces)")
        let one = IssuedCertificates(issuers: [.init(kind: "Issuer", namespace: "production", name: "x")], count: 1, namespaces: ["production"])
        #expect(ImpersonationSentence.forCA(issued: one).hasSuffix("by Issuer production/x (1 certificate in 1 namespace)"))
    }
}
