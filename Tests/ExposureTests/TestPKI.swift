import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Certificates generated at test time with swift-certificates: a P-256 CA, and
/// leaves it signs with P-384, RSA and P-256 keys. Keys live only in memory.
enum TestPKI {
    static let notBefore = Date(timeIntervalSince1970: 1_735_689_600)   // 2025-01-01T00:00:00Z
    static let leafNotAfter = Date(timeIntervalSince1970: 1_803_859_200)  // 2027-03-01T00:00:00Z
    static let caNotAfter = Date(timeIntervalSince1970: 1_893_456_000)   // 2030-01-01T00:00:00Z

    struct Issued {
        let pem: String
        let der: [UInt8]
    }

    static func name(commonName: String, organization: String? = nil) throws -> DistinguishedName {
        try DistinguishedName {
            if let organization { OrganizationName(organization) }
            CommonName(commonName)
        }
    }

    static func issue(subject: DistinguishedName, publicKey: Certificate.PublicKey, issuer: DistinguishedName,
                      issuerKey: Certificate.PrivateKey, notAfter: Date, extensions: Certificate.Extensions) throws -> Issued {
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: issuer, subject: subject,
            extensions: extensions, issuerPrivateKey: issuerKey)
        let document = try certificate.serializeAsPEM()
        return Issued(pem: document.pemString, der: document.derBytes)
    }

    /// A self-signed P-256 CA "CN=internal-ca,O=Keyreach Test" with basicConstraints cA.
    static let caKey = P256.Signing.PrivateKey()
    static let caName = try! name(commonName: "internal-ca", organization: "Keyreach Test")
    static let ca: Issued = try! issue(
        subject: caName, publicKey: .init(caKey.publicKey), issuer: caName, issuerKey: .init(caKey),
        notAfter: caNotAfter,
        extensions: try! Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
        })

    static func leafExtensions(dns: [String], ips: [[UInt8]]) throws -> Certificate.Extensions {
        try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            SubjectAlternativeNames(dns.map { GeneralName.dnsName($0) }
                + ips.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) })
        }
    }

    /// ECDSA P-384 leaf "CN=app.example.com" for app.example.com, *.example.com, 10.0.0.7 and ::1.
    static let ecdsaLeaf: Issued = try! issue(
        subject: name(commonName: "app.example.com"), publicKey: .init(P384.Signing.PrivateKey().publicKey),
        issuer: caName, issuerKey: .init(caKey), notAfter: leafNotAfter,
        extensions: leafExtensions(dns: ["app.example.com", "*.example.com"],
                                   ips: [[10, 0, 0, 7], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]))

    /// RSA 2048 leaf "CN=rsa.example.com,O=Shop" for rsa.example.com only.
    static let rsaLeaf: Issued = try! issue(
        subject: name(commonName: "rsa.example.com", organization: "Shop"),
        publicKey: .init(try! _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey),
        issuer: caName, issuerKey: .init(caKey), notAfter: leafNotAfter,
        extensions: leafExtensions(dns: ["rsa.example.com"], ips: []))

    /// A leaf with no subjectAltName at all: clients fall back to its common name.
    static let commonNameOnlyLeaf: Issued = try! issue(
        subject: name(commonName: "legacy.example.com"), publicKey: .init(P256.Signing.PrivateKey().publicKey),
        issuer: caName, issuerKey: .init(caKey), notAfter: leafNotAfter,
        extensions: try! Certificate.Extensions {})

    /// Lowercase hex SHA-256 of DER bytes, computed here so the test does not reuse the code under test.
    static func fingerprint(_ der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }
}
