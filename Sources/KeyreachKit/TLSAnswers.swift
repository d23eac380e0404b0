import Foundation
import TLSPosture

extension Workspace {
    /// `tls`: where TLS ends for every Ingress host, Gateway listener, Istio
    /// Gateway server and Traefik IngressRoute host in scope (`nil`: every
    /// namespace), and the ingress controllers of the dump with their secret access.
    /// `now` dates certificate expiry.
    public func tls(namespace: String?, now: Date = Date()) throws -> TLSReport {
        TLSPosture.analyze(try snapshot(), namespace: namespace, now: now)
    }
}
