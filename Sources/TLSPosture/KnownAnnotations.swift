/// The annotations an ingress controller reads, and how it parses each value:
/// the one data file `keyreach tls` checks annotations against.
///
/// ingress-nginx: the annotations of controller **v1.7.0**
/// (docs/user-guide/nginx-configuration/annotations.md and
/// internal/ingress/annotations/ at tag controller-v1.7.0). Booleans are read
/// with Go's `strconv.ParseBool` (parser.GetBoolAnnotation); `on`/`off` values
/// are matched by `^(on|off)$` and anything else silently becomes the default
/// (proxyssl.go); `backend-protocol` is upper-cased before it is matched.
///
/// Traefik: the Kubernetes Ingress provider's annotations of **v2.10**
/// (docs/content/routing/providers/kubernetes-ingress.md).
///
/// ```swift
/// KnownAnnotations.ingressNginx.values["ssl-redirect"]   // .bool
/// ```
public struct KnownAnnotations: Sendable {
    /// How a controller parses an annotation's value.
    public enum Value: Sendable, Hashable {
        /// Go `strconv.ParseBool`: `true`/`false` documented; `1`, `t`, `T`, `TRUE`, `True` (and false forms) accepted.
        case bool
        /// Exactly `on` or `off`; anything else is silently the default.
        case onOff
        /// A decimal integer.
        case integer
        /// One of these words; `caseSensitive: false` when the controller upper- or lower-cases first.
        case choice([String], caseSensitive: Bool)
        /// A secret as `namespace/name` (or `name`, in the Ingress's namespace).
        case secret
        /// Free text (URLs, snippets, sizes, durations, lists).
        case text
    }

    /// The controller, as ``Exposure/IngressControllers`` names it.
    public var controller: String
    /// The release the table was taken from.
    public var version: String
    /// The prefix every annotation of the controller starts with, `/` included.
    public var prefix: String
    /// Annotation name without the prefix → how its value is parsed.
    public var values: [String: Value]

    /// The table for an annotation key, by prefix.
    public static func table(for key: String) -> KnownAnnotations? {
        all.first { key.hasPrefix($0.prefix) }
    }

    public static let all = [ingressNginx, traefik]

    public static let ingressNginx = KnownAnnotations(
        controller: "ingress-nginx", version: "v1.7.0", prefix: "nginx.ingress.kubernetes.io/",
        values: [
            "app-root": .text, "affinity": .choice(["cookie"], caseSensitive: true),
            "affinity-mode": .choice(["balanced", "persistent"], caseSensitive: true),
            "affinity-canary-behavior": .choice(["sticky", "legacy"], caseSensitive: true),
            "auth-realm": .text, "auth-secret": .secret,
            "auth-secret-type": .choice(["auth-file", "auth-map"], caseSensitive: true),
            "auth-type": .choice(["basic", "digest"], caseSensitive: true),
            "auth-tls-secret": .secret, "auth-tls-verify-depth": .integer,
            "auth-tls-verify-client": .choice(["on", "off", "optional", "optional_no_ca"], caseSensitive: true),
            "auth-tls-error-page": .text, "auth-tls-pass-certificate-to-upstream": .bool, "auth-tls-match-cn": .text,
            "auth-url": .text, "auth-cache-key": .text, "auth-cache-duration": .text, "auth-keepalive": .integer,
            "auth-keepalive-share-vars": .bool, "auth-keepalive-requests": .integer, "auth-keepalive-timeout": .integer,
            "auth-proxy-set-headers": .text, "auth-snippet": .text, "enable-global-auth": .bool,
            "auth-signin": .text, "auth-signin-redirect-param": .text, "auth-response-headers": .text,
            "auth-request-redirect": .text, "auth-method": .text,
            "backend-protocol": .choice(["HTTP", "HTTPS", "GRPC", "GRPCS", "AJP", "FCGI"], caseSensitive: false),
            "canary": .bool, "canary-by-header": .text, "canary-by-header-value": .text,
            "canary-by-header-pattern": .text, "canary-by-cookie": .text, "canary-weight": .integer,
            "canary-weight-total": .integer, "client-body-buffer-size": .text, "configuration-snippet": .text,
            "custom-http-errors": .text, "default-backend": .text, "enable-cors": .bool, "cors-allow-origin": .text,
            "cors-allow-methods": .text, "cors-allow-headers": .text, "cors-expose-headers": .text,
            "cors-allow-credentials": .bool, "cors-max-age": .integer, "force-ssl-redirect": .bool,
            "from-to-www-redirect": .bool, "http2-push-preload": .bool, "limit-connections": .integer,
            "limit-rps": .integer, "limit-rpm": .integer, "limit-burst-multiplier": .integer,
            "limit-rate-after": .integer, "limit-rate": .integer, "limit-whitelist": .text,
            "global-rate-limit": .integer, "global-rate-limit-window": .text, "global-rate-limit-key": .text,
            "global-rate-limit-ignored-cidrs": .text, "permanent-redirect": .text, "permanent-redirect-code": .integer,
            "temporal-redirect": .text, "preserve-trailing-slash": .bool, "proxy-body-size": .text,
            "proxy-cookie-domain": .text, "proxy-cookie-path": .text, "proxy-connect-timeout": .integer,
            "proxy-send-timeout": .integer, "proxy-read-timeout": .integer, "proxy-next-upstream": .text,
            "proxy-next-upstream-timeout": .integer, "proxy-next-upstream-tries": .integer,
            "proxy-request-buffering": .onOff, "proxy-redirect-from": .text, "proxy-redirect-to": .text,
            "proxy-http-version": .choice(["1.0", "1.1"], caseSensitive: true),
            "proxy-ssl-secret": .secret, "proxy-ssl-ciphers": .text, "proxy-ssl-name": .text,
            "proxy-ssl-protocols": .text, "proxy-ssl-verify": .onOff, "proxy-ssl-verify-depth": .integer,
            "proxy-ssl-server-name": .onOff, "enable-rewrite-log": .bool, "rewrite-target": .text,
            "satisfy": .choice(["any", "all"], caseSensitive: true), "server-alias": .text, "server-snippet": .text,
            "service-upstream": .bool, "session-cookie-name": .text, "session-cookie-path": .text,
            "session-cookie-domain": .text, "session-cookie-change-on-failure": .bool,
            "session-cookie-samesite": .choice(["None", "Lax", "Strict"], caseSensitive: true),
            "session-cookie-conditional-samesite-none": .bool, "session-cookie-expires": .integer,
            "session-cookie-max-age": .integer, "ssl-redirect": .bool, "ssl-passthrough": .bool,
            "stream-snippet": .text, "upstream-hash-by": .text, "x-forwarded-prefix": .text,
            "load-balance": .choice(["round_robin", "ewma"], caseSensitive: true), "upstream-vhost": .text,
            "whitelist-source-range": .text, "denylist-source-range": .text, "proxy-buffering": .onOff,
            "proxy-buffers-number": .integer, "proxy-buffer-size": .text, "proxy-max-temp-file-size": .text,
            "ssl-ciphers": .text, "ssl-prefer-server-ciphers": .bool, "connection-proxy-header": .text,
            "enable-access-log": .bool, "enable-opentracing": .bool, "opentracing-trust-incoming-span": .bool,
            "enable-opentelemetry": .bool, "opentelemetry-trust-incoming-span": .bool,
            "opentelemetry-operation-name": .text, "enable-influxdb": .bool, "influxdb-measurement": .text,
            "influxdb-port": .integer, "influxdb-host": .text, "influxdb-server-name": .text, "use-regex": .bool,
            "enable-modsecurity": .bool, "enable-owasp-core-rules": .bool, "modsecurity-transaction-id": .text,
            "modsecurity-snippet": .text, "mirror-request-body": .onOff, "mirror-target": .text, "mirror-host": .text,
        ])

    public static let traefik = KnownAnnotations(
        controller: "Traefik", version: "v2.10", prefix: "traefik.ingress.kubernetes.io/",
        values: [
            "router.entrypoints": .text, "router.middlewares": .text, "router.priority": .integer,
            "router.pathmatcher": .text, "router.tls": .bool, "router.tls.certresolver": .text,
            "router.tls.options": .text, "service.serversscheme": .choice(["http", "https", "h2c"], caseSensitive: true),
            "service.serverstransport": .text, "service.passhostheader": .bool, "service.nativelb": .bool,
            "service.sticky.cookie": .bool, "service.sticky.cookie.name": .text, "service.sticky.cookie.secure": .bool,
            "service.sticky.cookie.httponly": .bool,
            "service.sticky.cookie.samesite": .choice(["none", "lax", "strict"], caseSensitive: true),
        ])

    /// The annotation keys a Traefik table cannot list one by one
    /// (`router.tls.domains.0.main`, `router.tls.domains.0.sans`).
    static func isIndexedTraefikKey(_ name: String) -> Bool {
        name.hasPrefix("router.tls.domains.")
    }
}
