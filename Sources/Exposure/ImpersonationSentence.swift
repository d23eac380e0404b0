import Foundation
import KubeModel

/// The one sentence a report prints to say what a holder of a leaked key can do,
/// built from the same facts the classification used.
///
/// ```swift
/// ImpersonationSentence.forCertificate(leaf)
/// // "a holder of this key can impersonate app.example.com and *.example.com until 2027-03-01"
/// ```
public enum ImpersonationSentence {
    /// Names listed in full before the rest are counted ("a, b, c, d, e and 3 more").
    public static let namesShown = 5

    /// The sentence for a key, chosen by its ``KeyKind``; `nil` when nothing is known
    /// about what it signs (no certificate kept, no issuer).
    public static func forKey(_ key: PrivateKeySecret) -> String? {
        switch key.keyKind {
        case .meshCA:
            return forMeshCA(mesh: meshName(key.reasons))
        case .certificateAuthority:
            if let issued = key.issuedCertificates { return forCA(issued: issued) }
            return key.leafCertificate.map(forUnlinkedCA)
        case .acmeAccount:
            return forACMEAccount(issuers: key.reasons.compactMap(acmeIssuer))
        case .leaf:
            return key.leafCertificate.flatMap { forCertificate($0) }
        }
    }

    /// "a holder of this key can impersonate app.example.com and *.example.com until 2027-03-01";
    /// "(expired)" is appended when `now` is given and past `notAfter`. `nil` for an unparsed certificate.
    public static func forCertificate(_ certificate: CertificateFacts, now: Date? = nil) -> String? {
        guard certificate.isParsed else { return nil }
        let names = certificate.impersonatedNames
        let what = names.isEmpty ? "present the certificate \(certificate.subject)" : "impersonate " + listed(names)
        let expired = now.map { $0 > certificate.notAfter } == true ? " (expired)" : ""
        return "a holder of this key can \(what) until \(isoDay(certificate.notAfter))\(expired)"
    }

    /// "a holder of this key can mint certificates trusted by every Certificate issued by
    /// ClusterIssuer internal-ca (12 certificates in 3 namespaces)".
    public static func forCA(issued: IssuedCertificates) -> String {
        let issuers = listed(issued.issuers.map { "\($0.kind) \(displayName($0))" }, limit: Int.max)
        return "a holder of this key can mint certificates trusted by every Certificate issued by \(issuers) "
            + "(\(counted(issued.count, "certificate")) in \(counted(issued.namespaces.count, "namespace")))"
    }

    /// A CA certificate no issuer in the dump uses: it can still sign for any name.
    public static func forUnlinkedCA(_ certificate: CertificateFacts) -> String {
        "a holder of this key can mint certificates for any name, trusted by everything that trusts "
            + "\(certificate.subject), until \(isoDay(certificate.notAfter))"
    }

    public static func forMeshCA(mesh: String) -> String {
        "a holder of this key can impersonate every workload of the \(mesh) mesh"
    }

    public static func forACMEAccount(issuers: [ObjectRef]) -> String {
        let owner = issuers.isEmpty ? "" : " of " + listed(issuers.map { "\($0.kind) \(displayName($0))" }, limit: Int.max)
        return "a holder of this key can act as the ACME account\(owner): order certificates for any domain "
            + "it can validate and revoke the account's certificates"
    }

    // MARK: Wording

    /// "a", "a and b", "a, b and c", "a, b, c, d, e and 2 more".
    static func listed(_ items: [String], limit: Int = namesShown) -> String {
        let shown = Array(items.prefix(limit))
        let hidden = items.count - shown.count
        let parts = hidden > 0 ? shown + ["\(hidden) more"] : shown
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }

    /// "1 certificate", "3 certificates".
    static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func meshName(_ reasons: [PrivateKeyReason]) -> String {
        for case .meshCA(let mesh) in reasons { return mesh }
        return "service"
    }

    static func acmeIssuer(_ reason: PrivateKeyReason) -> ObjectRef? {
        if case .acmeAccountKey(let issuer) = reason { return issuer }
        return nil
    }
}
