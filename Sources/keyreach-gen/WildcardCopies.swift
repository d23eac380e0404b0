/// Issue 17's benchmark shape: one wildcard key (`*.example.com`) held in
/// `shared-certs/wildcard-example-com` and copied into the first N
/// application namespaces, each copy made one of three ways, by the
/// namespace's index: `i % 4 == 0` by kubernetes-replicator's `replicate-to`
/// on the source (a copy the controller makes: no Secret written), `i % 4 == 2`
/// by a reflector mirror (`reflects`), odd `i` by hand (a Secret whose
/// `tls.crt` is the same certificate, so the same public key).
///
/// The certificate is a real, public one (made once with openssl for this
/// generator, its key thrown away): keyreach reads its public key to tell
/// copies apart. The `tls.key` values stay the generator's fake PEM.
enum WildcardCopies {
    static let sourceNamespace = "shared-certs"
    static let sourceName = "wildcard-example-com"

    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBwTCCAWigAwIBAgIUQOXouwg2bIvCQTGnVqWDR0UYHuYwCgYIKoZIzj0EAwIw
        MTEVMBMGA1UECgwMS2V5cmVhY2ggR2VuMRgwFgYDVQQDDA9rZXlyZWFjaC1nZW4t
        Y2EwHhcNMjYxMjAyMDAwMzU3WhcNMzYxMTI5MDAwMzU3WjAYMRYwFAYDVQQDDA0q
        LmV4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEMMLlHF66xFhJ
        8+JQusjNJXXZsZzrU7TLCssz85XRPVBk3HUKPGbjvgQ8E+Rl1oZ2f9wiXtx4uLh0
        qQl4gFyb66N3MHUwJQYDVR0RBB4wHIINKi5leGFtcGxlLmNvbYILZXhhbXBsZS5j
        b20wDAYDVR0TAQH/BAIwADAdBgNVHQ4EFgQUApaDXt2VBjhDz7k9t8tSiX+TwdYw
        HwYDVR0jBBgwFoAUdLfc0gFRtl4+XCsLFY/Nmy3wThMwCgYIKoZIzj0EAwIDRwAw
        RAIgJZwhEwFWyOQmP02SlMv4GS5Bm4WkVSic6j8X9qiZkaECIFja/fmaUp7j+H7/
        9EC4EE4pktb2CLjUoWOO8zhrJgLI
        -----END CERTIFICATE-----

        """

    enum Way {
        case replicatorPush, reflectorMirror, sameCertificate
    }

    /// How the copy in the application namespace of `index` is made.
    static func way(index: Int) -> Way {
        if index % 2 == 1 { return .sameCertificate }
        return index % 4 == 0 ? .replicatorPush : .reflectorMirror
    }
}

extension ClusterGenerator {
    /// The copy of the wildcard key in one application namespace (when `index` < N);
    /// a replicator push only records the namespace for the source's annotation.
    mutating func wildcardCopy(namespace: String, index: Int) throws(GeneratorError) {
        guard index < shapes.wildcardCopies else { return }
        switch WildcardCopies.way(index: index) {
        case .replicatorPush:
            replicatedNamespaces.append(namespace)
        case .reflectorMirror:
            try wildcardSecret(name: "wildcard-mirror-tls", namespace: namespace, annotations: [
                ("reflector.v1.k8s.emberstack.com/reflects", "\(WildcardCopies.sourceNamespace)/\(WildcardCopies.sourceName)"),
            ])
        case .sameCertificate:
            try wildcardSecret(name: "wildcard-copy-tls", namespace: namespace, annotations: [])
        }
    }

    /// The source namespace and secret, written after every application namespace
    /// (its `replicate-to` names the namespaces the replicator pushes to).
    mutating func wildcardSource() throws(GeneratorError) {
        guard shapes.wildcardCopies > 0 else { return }
        try namespaceObject(WildcardCopies.sourceNamespace)
        try wildcardSecret(name: WildcardCopies.sourceName, namespace: WildcardCopies.sourceNamespace, annotations: [
            ("reflector.v1.k8s.emberstack.com/reflection-allowed", "true"),
            ("replicator.v1.mittwald.de/replicate-to", replicatedNamespaces.joined(separator: ",")),
        ])
    }

    mutating func wildcardSecret(name: String, namespace: String, annotations: [(String, String)]) throws(GeneratorError) {
        begin(.secret, "v1", "Secret")
        out.key("data")
        out.beginMap()
        out.field("tls.crt", FakeData.base64(WildcardCopies.certificatePEM))
        out.field("tls.key", FakeData.base64(FakeData.pem("EC PRIVATE KEY", bodyBytes: 121, &rng)))
        out.endMap()
        metadata(name: name, namespace: namespace, annotations: annotations)
        out.field("type", "kubernetes.io/tls")
        try end()
    }
}
