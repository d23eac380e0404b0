import Testing
@testable import DumpReader

/// IntOrString fields (a Service's targetPort, a Traefik service port) take a
/// number or a name: both read as text, never as a wrong type that would skip
/// the object.
@Suite struct IntOrStringTests {
    @Test func serviceTargetPortsAsNumbersAndNames() throws {
        let result = try read("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              ports:
              - {port: 443, targetPort: 8443}
              - {port: 80, targetPort: http}
            """)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let service = try #require(result.snapshot.serving.services.first)
        #expect(service.ports.map(\.targetPort) == ["8443", "http"])
    }
}
