import Foundation
import Testing
import KubeModel
@testable import DumpReader

/// No secret value survives a read: not `data`, not `stringData`, not the
/// last-applied-configuration annotation that repeats them.
@Suite struct SecretStrippingTests {
    // Fake values only; each carries a marker that must never come back.
    static let password = "hunter2-FAKEMARKER-PASSWORD"
    static let apiToken = "FAKEMARKER-STRINGDATA-TOKEN"
    static let keyBody = "RkFLRU1BUktFUi1LRVktQk9EWQ=="  // base64 of "FAKEMARKER-KEY-BODY"
    static let certBody = "Y2VydGlmaWNhdGUtYnl0ZXMtdGhhdC1hcmUtcHVibGlj"  // base64 of "certificate-bytes-that-are-public"
    static let trailer = "FAKEMARKER-TEXT-AFTER-THE-CERTIFICATE"
    static let privateKeyPEM = "-----BEGIN RSA PRIVATE KEY-----\n\(keyBody)\n-----END RSA PRIVATE KEY-----\n"
    static let certificatePEM = "-----BEGIN CERTIFICATE-----\n\(certBody)\n-----END CERTIFICATE-----\n"
    /// A "certificate" whose body is not base64: dropped, not kept.
    static let bogusCertificatePEM = "-----BEGIN CERTIFICATE-----\nFAKEMARKER-NOT-BASE64!\n-----END CERTIFICATE-----\n"
    static let tlsCrt = certificatePEM + trailer + "\n" + privateKeyPEM + bogusCertificatePEM

    static func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    static var markers: [String] {
        [password, apiToken, "FAKEMARKER", keyBody, trailer, b64(password), b64(privateKeyPEM), b64(tlsCrt), b64("FAKEMARKER")]
    }

    static var secret: [String: Any] {
        let lastApplied = json([
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "app-tls", "namespace": "production"],
            "data": ["password": b64(password)], "stringData": ["token": apiToken],
        ] as [String: Any])
        return [
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": ["name": "app-tls", "namespace": "production",
                         "annotations": ["kubectl.kubernetes.io/last-applied-configuration": lastApplied,
                                         "cert-manager.io/certificate-name": "app"],
                         "managedFields": [["manager": "kubectl", "fieldsV1": ["f:data": ["f:password": [String: Any]()]]]]],
            "data": ["tls.crt": b64(tlsCrt), "tls.key": b64(privateKeyPEM), "password": b64(password)],
            "stringData": ["token": apiToken, "extra.pem": privateKeyPEM],
        ]
    }

    @Test(arguments: ["json", "yaml"])
    func noValueSurvives(format: String) throws {
        let list: [String: Any] = ["apiVersion": "v1", "kind": "SecretList", "items": [Self.secret, Self.secret]]
        let text = format == "json" ? json(list) : yaml(list)
        // Precondition: the dump really holds the values, encoded and raw.
        for value in [Self.b64(Self.password), Self.apiToken, Self.keyBody, Self.b64(Self.tlsCrt)] {
            #expect(text.contains(value))
        }
        let result = try read(text, name: "secrets.\(format)")
        let described = String(describing: result)
        let encoded = String(decoding: try JSONEncoder().encode(result.snapshot), as: UTF8.self)
        for marker in Self.markers {
            #expect(!described.contains(marker), "marker \(marker) in the result")
            #expect(!encoded.contains(marker), "marker \(marker) in the encoded snapshot")
        }
        #expect(result.warnings.count == 1)  // the same secret twice
        let secret = try #require(result.snapshot.secrets.first)
        #expect(result.snapshot.secrets.count == 1)
        #expect(secret.type == "kubernetes.io/tls")
        #expect(secret.meta.annotations == ["cert-manager.io/certificate-name": "app"])
        #expect(secret.keys.sorted { $0.name < $1.name } == [
            SecretKey(name: "extra.pem", size: Self.privateKeyPEM.utf8.count, pemBlockTypes: ["RSA PRIVATE KEY"]),
            SecretKey(name: "password", size: Self.password.utf8.count),
            SecretKey(name: "tls.crt", size: Self.tlsCrt.utf8.count, pemBlockTypes: ["CERTIFICATE", "RSA PRIVATE KEY"]),
            SecretKey(name: "tls.key", size: Self.privateKeyPEM.utf8.count, pemBlockTypes: ["RSA PRIVATE KEY"]),
            SecretKey(name: "token", size: Self.apiToken.utf8.count),
        ])
        // Only the public certificate is kept; the key bundled in tls.crt, the
        // text around it and the non-base64 block are gone.
        #expect(secret.certificatesPEM == ["tls.crt": Self.certificatePEM])
    }

    @Test func stringDataOverridesDataAndNullValuesAreEmpty() throws {
        let result = try read("""
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: ns}
            data:
              a: \(Self.b64("0123456789"))
              b: ~
            stringData:
              a: "short"
            """)
        let secret = try #require(result.snapshot.secrets.first)
        #expect(secret.type == "Opaque")
        #expect(secret.keys == [SecretKey(name: "a", size: 5), SecretKey(name: "b", size: 0)])
    }

    @Test func foldedBase64IsMeasuredWithoutLineBreaks() throws {
        let value = String(repeating: "x", count: 300)
        let folded = Self.b64(value).chunked(76).joined(separator: "\n    ")
        let result = try read("""
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: ns}
            data:
              big: |
                \(folded)
            """)
        #expect(result.snapshot.secrets.first?.keys == [SecretKey(name: "big", size: 300)])
    }

    /// Every length mod 3, padded or not, with a line break at every offset:
    /// the decoded size must be Foundation's.
    @Test func base64SizesMatchFoundationWhateverThePaddingAndBreaks() throws {
        for length in 0..<12 {
            let value = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
            let padded = value.base64EncodedString()
            let unpadded = String(padded.filter { $0 != "=" })
            for encoded in [padded, unpadded] {
                for cut in 0...encoded.count {
                    // A JSON-escaped line break, as a folded value would carry.
                    let broken = String(encoded.prefix(cut)) + "\\n" + String(encoded.dropFirst(cut))
                    let result = try read(json(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s", "namespace": "n"],
                                                "data": ["k": "PLACEHOLDER"]]).replacingOccurrences(of: "PLACEHOLDER", with: broken),
                                          name: "b.json")
                    #expect(result.snapshot.secrets.first?.keys == [SecretKey(name: "k", size: length)], "\(broken)")
                }
            }
        }
    }
}

private extension String {
    func chunked(_ size: Int) -> [String] {
        var chunks: [String] = []
        var rest = Substring(self)
        while !rest.isEmpty {
            chunks.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return chunks
    }
}
