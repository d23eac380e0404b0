/// RSA certificates made with OpenSSL 3.0 (public certificates only; the keys were
/// thrown away), with the facts `openssl x509 -noout -subject -issuer -dates
/// -fingerprint -sha256 -ext subjectAltName,basicConstraints -nameopt RFC2253` printed
/// for them. They check CertificateFacts against a tool other than swift-certificates.
enum OpenSSLFixtures {
    /// Leaf, RSA 2048, signed by ``caPEM``: SANs DNS app.example.com, DNS *.example.com,
    /// IP 10.0.0.1, IP 2001:db8::1; basicConstraints CA:FALSE.
    static let leafPEM = """
-----BEGIN CERTIFICATE-----
MIIDcTCCAlmgAwIBAgIUav+Grjp0uXFAYN2hz8Gl/CSvsrkwDQYJKoZIhvcNAQEL
BQAwNzEWMBQGA1UECgwNS2V5cmVhY2ggVGVzdDEdMBsGA1UEAwwUa2V5cmVhY2gt
dGVzdC1yc2EtY2EwHhcNMjYxMTI5MjE1NTExWhcNMjgxMTI4MjE1NTExWjAaMRgw
FgYDVQQDDA9hcHAuZXhhbXBsZS5jb20wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAw
ggEKAoIBAQDNYnj+3XEPq/aWBXIvho1XGM4vwAEb5nNjMI11J/ijiHAz5ts54kHE
LwvT8qX1pEvTFx1C0UaeDAtfEYQ+/yMrniv1qpqJkP4qz17OnBDezCW1Ub984n8z
PBGVI2DC8rwmatJWjLNKMs+ehE/Tp7IJ90P8TRDoiCL8wNKmSZM18Q+d/N8WbTvA
0P8TpZN6BRZpZoG6704gV95o+atseZv4d4TbGTLIrp6llAdjTdmnD1VGUQJvhiiQ
8M/xo2pC5gRSpOI8rq6BVLN1e0lENLVCpbqvbpMtzt1dtCMlQcn3Ob7slVjtI+aZ
xRmDyC6VRr8Ny1MNd/ZAed43Ayli5X97AgMBAAGjgZEwgY4wQQYDVR0RBDowOIIP
YXBwLmV4YW1wbGUuY29tgg0qLmV4YW1wbGUuY29thwQKAAABhxAgAQ24AAAAAAAA
AAAAAAABMAkGA1UdEwQCMAAwHQYDVR0OBBYEFAVcxJ5EKkGqO/Sd+T9Lv9dAP4Q1
MB8GA1UdIwQYMBaAFJteBf4ADxFqvH0l1aJ/s/GledEfMA0GCSqGSIb3DQEBCwUA
A4IBAQCI07XjSRs8jxRITXJKl2zzzMGk41hexGD8Nv3Q85a9Ibi+yn0cUSJ1ufhv
6qxAozZ/eeQXAH/skrS+Y+iFddx1wYU1D8HHFfZQS5XRXitei0FIs01CE7MfclXz
jlSc2xZahf5PqUKpSixZd0ClNfIX9KDp/G2qZQomemhMBgS/Xp0sDAzzuPvy4Xfd
/zWCdE23kngrCgzFwcH+bt7gIkwFN/ZmzQkNBIjvvULv6z1ek96KdncMFy3MVvCp
HB1P2LaipM04sbLaAQkC0uavlH7YAiprWsQI9WESAeq9p52Aisd5WLUPpJXW1+f+
d+kkiTxrdfE+Gb6gZi0h6Dau6wx/
-----END CERTIFICATE-----
"""
    static let leafSubject = "CN=app.example.com"
    static let leafIssuer = "CN=keyreach-test-rsa-ca,O=Keyreach Test"
    static let leafNotBefore = "2026-11-29T21:55:11Z"
    static let leafNotAfter = "2028-11-28T21:55:11Z"
    static let leafSHA256 = "05:BD:A5:85:F1:8A:0D:F0:20:03:E6:9A:88:59:08:B6:C2:D9:DE:F8:F1:2B:17:A2:6A:50:84:0D:6B:F0:8F:D1"

    /// Self-signed RSA 2048 CA, basicConstraints critical CA:TRUE.
    static let caPEM = """
-----BEGIN CERTIFICATE-----
MIIDTzCCAjegAwIBAgIUGftJNDcxsFQ5thzxZnBCd/7kuckwDQYJKoZIhvcNAQEL
BQAwNzEWMBQGA1UECgwNS2V5cmVhY2ggVGVzdDEdMBsGA1UEAwwUa2V5cmVhY2gt
dGVzdC1yc2EtY2EwHhcNMjYxMTI5MjE1NTA4WhcNMzYxMTI2MjE1NTA4WjA3MRYw
FAYDVQQKDA1LZXlyZWFjaCBUZXN0MR0wGwYDVQQDDBRrZXlyZWFjaC10ZXN0LXJz
YS1jYTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAOpmYr+gvDTQSpdC
MpoTvJhTF93ivKfjgbNlXnlHlqFFgTuXnib1Xwz2MyvZYogn8mhd1euwJhIQ3cAn
rENal9Nv96rkLTPNkOCvD8QhqzplxJOf19x06eYkpeXFih2U5Tq+VpiSaHnRPL5Z
AzM7MGolZB8yzVM6udNMSEHNCN8RF5eQsrrh378uPoNUoW6xW60ED1damyy/iCrA
QtD39KdIzyl9YJ/pdxTvPB5F/UV3l2rLiikcaq4y5uBJBpyqKqLdwDg5lPTBQCIP
/PJywAD0XPLqBI4tlF7kkqFX0HlK1sA/Hl7VNUasrZx5tVIN2WNYndsEqmPqe8Vi
PmQ6ZUUCAwEAAaNTMFEwHQYDVR0OBBYEFJteBf4ADxFqvH0l1aJ/s/GledEfMB8G
A1UdIwQYMBaAFJteBf4ADxFqvH0l1aJ/s/GledEfMA8GA1UdEwEB/wQFMAMBAf8w
DQYJKoZIhvcNAQELBQADggEBAKVA+ctu7PLccLADrNRs5XXCCxmrtoMBkFO34Tej
Oc0pSzLOXevYX4u294Td0S2QxMg9D4CyL3VEEBCkWWZ2BeaGh351dx+4tcVBBYPF
/athrr4GCxO1nEfnafA7dYOJN9tI7MALx4PmwO9gdkIm7oWr2kPmxjzmMryP2C/A
qPCycmwcrUkrvc4nmGtNMAAh+Dla4Z98qyFGGNLkUo7gNOUmItbg1UvfWHQN2hgC
rv/Qtcd++Mw47/kLlWnyfv7UCCnotqBHTDyxvEe9HiSaDAHuzuEtqE5KTLqfTUmC
zH0AWu7BrGiFIbjIPlakoEKaMewnSg2WsEf5T4dXIth+zF8=
-----END CERTIFICATE-----
"""
    static let caSubject = "CN=keyreach-test-rsa-ca,O=Keyreach Test"
    static let caNotAfter = "2036-11-26T21:55:08Z"
    static let caSHA256 = "82:6E:7D:44:8F:C4:01:4C:CF:F4:72:9E:7D:77:EC:5F:44:01:F4:29:30:B4:75:3E:56:61:BA:B6:B9:6F:73:CB"
}
