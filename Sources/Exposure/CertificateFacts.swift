import Crypto
import Foundation
import struct KubeModel.ByteKeyedMap
import SwiftASN1
import X509

/// What a public certificate kept at import says about the key beside it:
/// who a holder of the key can pretend to be, until when, and whether it can
/// sign other certificates. One value per certificate of a PEM bundle, leaf first.
///
/// A certificate that cannot be parsed is still a fact (``parseError`` set, the
/// other fields empty): a report shows it, it never stops one.
///
/// ```swift
/// let facts = CertificateFacts.parse(pem: secret.certificatesPEM["tls.crt"]!, dataKey: "tls.crt")
/// facts[0].subject    // "CN=app.example.com"
/// facts[0].dnsNames   // ["app.example.com", "*.example.com"]
/// ```
public struct CertificateFacts: Sendable, Hashable {
    /// The secret data key the certificate came from (`tls.crt`, `ca.crt`).
    public var dataKey: String
    /// Its position in that key's PEM bundle, 0 for the first (the leaf, by convention).
    public var index: Int
    /// RFC 4514 string of the subject, most significant RDN last: `CN=app,O=Example`.
    public var subject: String
    /// The subject's common name, `""` when it has none.
    public var commonName: String
    public var issuer: String
    /// DNS names of the subjectAltName extension, as written (wildcards kept).
    public var dnsNames: [String]
    /// IP addresses of the subjectAltName extension, IPv4 dotted, IPv6 RFC 5952.
    public var ipAddresses: [String]
    public var notBefore: Date
    public var notAfter: Date
    /// basicConstraints `cA: true`: the key can sign other certificates.
    public var isCA: Bool
    /// SHA-256 over the DER encoding, lowercase hex: what `openssl x509 -fingerprint -sha256` prints, without colons.
    public var sha256: String
    /// SHA-256 over the DER SubjectPublicKeyInfo, lowercase hex: the identity of the
    /// key pair (what `openssl x509 -pubkey | openssl pkey -pubin -outform DER | sha256sum`
    /// prints). Two certificates with the same value were made for the same private
    /// key, whatever their subjects; `""` when the certificate could not be parsed.
    public var publicKeySHA256: String
    /// Why the certificate could not be read; `nil` when it was.
    public var parseError: String?

    public init(dataKey: String, index: Int, subject: String = "", commonName: String = "", issuer: String = "",
                dnsNames: [String] = [], ipAddresses: [String] = [],
                notBefore: Date = Date(timeIntervalSince1970: 0), notAfter: Date = Date(timeIntervalSince1970: 0),
                isCA: Bool = false, sha256: String = "", publicKeySHA256: String = "", parseError: String? = nil) {
        self.dataKey = dataKey
        self.index = index
        self.subject = subject
        self.commonName = commonName
        self.issuer = issuer
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.isCA = isCA
        self.sha256 = sha256
        self.publicKeySHA256 = publicKeySHA256
        self.parseError = parseError
    }

    /// True when the certificate was read.
    public var isParsed: Bool { parseError == nil }

    /// `notAfter` as ISO 8601 in UTC (`2027-03-01T00:00:00Z`), the JSON form.
    public var notAfterISO: String { iso8601(notAfter) }
    /// `notBefore` as ISO 8601 in UTC.
    public var notBeforeISO: String { iso8601(notBefore) }

    /// The names a holder of the key can answer for: DNS SANs, then IP SANs;
    /// the common name only when there are no SANs (as clients fall back to it).
    public var impersonatedNames: [String] {
        let sans = dnsNames + ipAddresses
        if !sans.isEmpty { return sans }
        return commonName.isEmpty ? [] : [commonName]
    }
}

// MARK: - Parsing

extension CertificateFacts {
    /// The facts of every CERTIFICATE block of `pem`, in order. A block that does not
    /// parse gives a fact with ``parseError`` ("certificate unparseable: ..."); text that
    /// holds no block at all gives one such fact; an empty string gives none.
    public static func parse(pem: String, dataKey: String) -> [CertificateFacts] {
        let blocks = certificatePEMBlocks(in: pem)
        if blocks.isEmpty {
            let isBlank = pem.allSatisfy(\.isWhitespace)
            return isBlank ? [] : [unparseable(dataKey: dataKey, index: 0, "no PEM CERTIFICATE block")]
        }
        return blocks.enumerated().map { index, block in
            parseBlock(block, dataKey: dataKey, index: index)
        }
    }

    /// The facts of all certificates of a secret, `tls.crt` first, then the other keys
    /// in name order (so a CA bundle in `ca.crt` follows the leaf it signed).
    public static func parse(certificatesPEM: ByteKeyedMap) -> [CertificateFacts] {
        certificatesPEM.keys.sorted(by: leafKeyFirst).flatMap { key in
            parse(pem: certificatesPEM[key] ?? "", dataKey: key)
        }
    }

    static func leafKeyFirst(_ a: String, _ b: String) -> Bool {
        if a == "tls.crt" || b == "tls.crt" { return a == "tls.crt" && b != "tls.crt" }
        return a < b
    }

    static func parseBlock(_ block: String, dataKey: String, index: Int) -> CertificateFacts {
        do {
            let document = try PEMDocument(pemString: block)
            let certificate = try Certificate(derEncoded: document.derBytes)
            return try facts(of: certificate, der: document.derBytes, dataKey: dataKey, index: index)
        } catch {
            return unparseable(dataKey: dataKey, index: index, String(describing: error))
        }
    }

    static func facts(of certificate: Certificate, der: [UInt8], dataKey: String, index: Int) throws -> CertificateFacts {
        let sans = try certificate.extensions.subjectAlternativeNames.map(Array.init) ?? []
        return CertificateFacts(
            dataKey: dataKey, index: index,
            subject: String(describing: certificate.subject),
            commonName: commonName(of: certificate.subject),
            issuer: String(describing: certificate.issuer),
            dnsNames: sans.compactMap(dnsName),
            ipAddresses: sans.compactMap(ipAddress),
            notBefore: certificate.notValidBefore,
            notAfter: certificate.notValidAfter,
            isCA: try isCertificateAuthority(certificate),
            sha256: sha256Hex(der),
            publicKeySHA256: try publicKeySHA256Hex(certificate.publicKey))
    }

    /// The SHA-256 of the certificate's SubjectPublicKeyInfo as DER: the public key
    /// alone, never the private one (which keyreach never keeps).
    static func publicKeySHA256Hex(_ publicKey: Certificate.PublicKey) throws -> String {
        var serializer = DER.Serializer()
        try serializer.serialize(publicKey)
        return sha256Hex(serializer.serializedBytes)
    }

    static func unparseable(dataKey: String, index: Int, _ why: String) -> CertificateFacts {
        CertificateFacts(dataKey: dataKey, index: index, parseError: "certificate unparseable: " + why)
    }

    /// The `-----BEGIN CERTIFICATE-----` ... `-----END CERTIFICATE-----` blocks of a
    /// text, each on its own, so one broken block does not hide the others.
    static func certificatePEMBlocks(in pem: String) -> [String] {
        // PEM armour is ASCII: searched as bytes (Foundation's `range(of:)`
        // bridges every call through NSString, a tenth of classifying a big cluster).
        let text = Array(pem.utf8)
        let begin = Array("-----BEGIN CERTIFICATE-----".utf8), end = Array("-----END CERTIFICATE-----".utf8)
        var blocks: [String] = []
        var from = 0
        while let start = firstIndex(of: begin, in: text, from: from) {
            guard let stop = firstIndex(of: end, in: text, from: start + begin.count) else {
                blocks.append(String(decoding: text[start...], as: UTF8.self))  // unterminated: reported as unparseable
                break
            }
            blocks.append(String(decoding: text[start..<stop + end.count], as: UTF8.self))
            from = stop + end.count
        }
        return blocks
    }

    /// Where `pattern` first occurs in `text` at or after `from`.
    static func firstIndex(of pattern: [UInt8], in text: [UInt8], from: Int) -> Int? {
        guard let first = pattern.first, text.count >= pattern.count else { return nil }
        var position = from
        while position <= text.count - pattern.count {
            guard let candidate = text[position...(text.count - pattern.count)].firstIndex(of: first) else { return nil }
            if text[candidate..<candidate + pattern.count].elementsEqual(pattern) { return candidate }
            position = candidate + 1
        }
        return nil
    }

    static func commonName(of name: DistinguishedName) -> String {
        for rdn in name {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(attribute.value) ?? String(describing: attribute.value)
            }
        }
        return ""
    }

    static func isCertificateAuthority(_ certificate: Certificate) throws -> Bool {
        if case .isCertificateAuthority = try certificate.extensions.basicConstraints { return true }
        return false
    }

    static func dnsName(_ name: GeneralName) -> String? {
        if case .dnsName(let dns) = name { return dns }
        return nil
    }

    static func ipAddress(_ name: GeneralName) -> String? {
        guard case .ipAddress(let octets) = name else { return nil }
        return formatIPAddress(Array(octets.bytes))
    }

    /// IPv4 as `10.0.0.1`; IPv6 in RFC 5952 form (lowercase, longest zero run as `::`).
    static func formatIPAddress(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return bytes.map { hexByte($0) }.joined() }
        let groups = stride(from: 0, to: 16, by: 2).map { Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]) }
        let zeros = longestZeroRun(groups)
        guard let zeros, zeros.count > 1 else { return groups.map { String($0, radix: 16) }.joined(separator: ":") }
        let head = groups[..<zeros.lowerBound].map { String($0, radix: 16) }.joined(separator: ":")
        let tail = groups[zeros.upperBound...].map { String($0, radix: 16) }.joined(separator: ":")
        return head + "::" + tail
    }

    static func longestZeroRun(_ groups: [Int]) -> Range<Int>? {
        var best: Range<Int>?
        var start: Int?
        for i in 0...groups.count {
            if i < groups.count, groups[i] == 0 {
                start = start ?? i
            } else if let s = start {
                if (best?.count ?? 0) < i - s { best = s..<i }
                start = nil
            }
        }
        return best
    }

    static func sha256Hex(_ der: [UInt8]) -> String {
        SHA256.hash(data: der).map { hexByte($0) }.joined()
    }
}

/// Parses each distinct PEM text once. The same CA bundle sits in the `ca.crt` of
/// every secret its issuer signed, so a cluster repeats it thousands of times.
struct CertificateFactsCache {
    private var factsByPEM: [String: [CertificateFacts]] = [:]

    mutating func facts(of certificatesPEM: ByteKeyedMap) -> [CertificateFacts] {
        certificatesPEM.keys.sorted(by: CertificateFacts.leafKeyFirst).flatMap { key in
            facts(pem: certificatesPEM[key] ?? "", dataKey: key)
        }
    }

    mutating func facts(pem: String, dataKey: String) -> [CertificateFacts] {
        let facts = factsByPEM[pem] ?? CertificateFacts.parse(pem: pem, dataKey: dataKey)
        factsByPEM[pem] = facts
        return facts.map { fact in
            var fact = fact
            fact.dataKey = dataKey
            return fact
        }
    }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
}

/// ISO 8601 in UTC with a `Z`, seconds precision: the one date form keyreach prints.
func iso8601(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
}

/// `yyyy-MM-dd` in UTC, the form human sentences use.
func isoDay(_ date: Date) -> String {
    String(iso8601(date).prefix(10))
}
