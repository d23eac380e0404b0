import Exposure
import KubeModel

/// Who replaces a key and how, from what the inventory and the secret say.
///
/// cert-manager keys are the Certificate's to re-issue: `cmctl renew NAME -n NS`
/// (cert-manager's CLI, "mark a Certificate for manual renewal") makes a new
/// key only when the Certificate's `spec.privateKey.rotationPolicy` is
/// `Always` (the default since cert-manager 1.18; `Never` before, which keeps
/// the old key); deleting the secret always makes cert-manager write a new
/// key. Other keys go to whoever owns the secret.
enum RemediationRules {
    static let managedByLabel = "app.kubernetes.io/managed-by"

    static func remediation(for key: PrivateKeySecret, secret: Secret?) -> Remediation {
        let namespace = key.secret.namespace
        let name = key.secret.name
        let delete = "kubectl delete secret \(name) -n \(namespace)"
        if let certificate = certificateName(of: key, secret: secret) {
            return Remediation(
                manager: .certManager(certificate: ObjectRef(kind: "Certificate", namespace: namespace, name: certificate)),
                commands: ["cmctl renew \(certificate) -n \(namespace)", delete],
                text: "cert-manager re-issues it from Certificate \(namespace)/\(certificate): cmctl renew makes a new key "
                    + "only with spec.privateKey.rotationPolicy Always (the default since cert-manager 1.18); "
                    + "deleting the secret always does")
        }
        let acmeIssuers = key.reasons.compactMap { reason -> ObjectRef? in
            if case .acmeAccountKey(let issuer) = reason { return issuer }
            return nil
        }
        if let issuer = acmeIssuers.first {
            return Remediation(
                manager: .certManager(certificate: nil), commands: [delete],
                text: "cert-manager registers a new ACME account with a new key for \(issuer.kind) \(label(issuer)) "
                    + "once the secret is gone; deactivate the old account at the ACME server")
        }
        if key.reasons.contains(where: isWrittenByCertManager) {
            return Remediation(manager: .certManager(certificate: nil), commands: [delete],
                               text: "cert-manager wrote it: delete the secret and it issues a new key")
        }
        let manager = owner(of: secret)
        let who: String = switch manager {
        case .owner(let owner): "ask its owner, \(owner.kind) \(label(owner)), to replace it"
        case .managedBy(let tool): "it is managed by \(tool): replace it there"
        default: "unknown owner (no ownerReferences, no \(managedByLabel) label): find who created it and replace it"
        }
        if let caIssuer = key.reasons.lazy.compactMap(issuerOfCAKey).first {
            return Remediation(manager: manager, commands: [],
                               text: "the CA key of \(caIssuer.kind) \(label(caIssuer)) (cert-manager never makes CA keys): "
                                   + who + ", then re-issue every certificate it signed (listed after it)")
        }
        return Remediation(manager: manager, commands: [], text: who)
    }

    /// The Certificate that writes the key: named by the inventory's reason,
    /// else by cert-manager's `certificate-name` annotation on the secret.
    static func certificateName(of key: PrivateKeySecret, secret: Secret?) -> String? {
        for reason in key.reasons {
            if case .certificateSecretName(let certificate) = reason { return certificate.name }
        }
        guard let secret else { return nil }
        return PrivateKeyNames.certificateNameAnnotations.lazy.compactMap { secret.meta.annotations[$0] }.first { !$0.isEmpty }
    }

    /// cert-manager's own marks on a secret it wrote (an Issuer's CA secret
    /// is named by cert-manager but written by a person: not one of these).
    static func isWrittenByCertManager(_ reason: PrivateKeyReason) -> Bool {
        switch reason {
        case .certManagerAnnotation, .certManagerLabel, .temporaryPrivateKey: true
        default: false
        }
    }

    static func issuerOfCAKey(_ reason: PrivateKeyReason) -> ObjectRef? {
        if case .issuerCA(let issuer) = reason { return issuer }
        return nil
    }

    /// The controller owner first, else the first owner; else the managed-by label.
    static func owner(of secret: Secret?) -> Remediation.Manager {
        guard let secret else { return .unknown }
        let owners = secret.meta.ownerReferences
        if let owner = owners.first(where: \.controller) ?? owners.first {
            return .owner(ObjectRef(kind: owner.kind, namespace: secret.meta.namespace, name: owner.name))
        }
        if let tool = secret.meta.labels[managedByLabel], !tool.isEmpty { return .managedBy(tool) }
        return .unknown
    }

    static func label(_ ref: ObjectRef) -> String {
        ref.namespace.isEmpty ? ref.name : ref.namespace + "/" + ref.name
    }
}
