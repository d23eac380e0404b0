import KubeModel

/// The field logic of the kinds `keyreach tls` reads (see ``ServingObjects``):
/// Services, Gateway-API routes, Istio Gateways and PeerAuthentications,
/// Traefik IngressRoutes, External Secrets, and containers' flags.
extension KubeMapping {
    func service(_ object: Int, meta: ObjectMeta) -> Service {
        let spec = tape.field(object, "spec")
        var ports: [ServicePort] = []
        tape.forEachElement(tape.field(spec, "ports")) { port in
            ports.append(ServicePort(
                name: tape.string(tape.field(port, "name")) ?? "",
                port: tape.int(tape.field(port, "port")) ?? 0,
                targetPort: tape.scalarText(tape.field(port, "targetPort")) ?? "",  // IntOrString
                protocol: tape.string(tape.field(port, "protocol")) ?? "TCP",
                appProtocol: tape.string(tape.field(port, "appProtocol")) ?? ""))
        }
        return Service(meta: meta, type: tape.string(tape.field(spec, "type")) ?? "ClusterIP",
                       selector: tape.stringMap(tape.field(spec, "selector")), ports: ports)
    }

    /// An HTTPRoute, TLSRoute, GRPCRoute or TCPRoute; references default as
    /// the API does: parent kind `Gateway`, backend kind `Service`, namespaces the route's.
    func gatewayRoute(_ object: Int, meta: ObjectMeta, kind: String) -> GatewayRoute {
        let spec = tape.field(object, "spec")
        var parents: [RouteParentRef] = []
        tape.forEachElement(tape.field(spec, "parentRefs")) { ref in
            parents.append(RouteParentRef(
                kind: tape.string(tape.field(ref, "kind")) ?? "Gateway",
                namespace: tape.string(tape.field(ref, "namespace")) ?? meta.namespace,
                name: tape.string(tape.field(ref, "name")) ?? "",
                sectionName: tape.string(tape.field(ref, "sectionName")) ?? ""))
        }
        var backends: [RouteBackendRef] = []
        tape.forEachElement(tape.field(spec, "rules")) { rule in
            tape.forEachElement(tape.field(rule, "backendRefs")) { ref in
                backends.append(RouteBackendRef(
                    kind: tape.string(tape.field(ref, "kind")) ?? "Service",
                    namespace: tape.string(tape.field(ref, "namespace")) ?? meta.namespace,
                    name: tape.string(tape.field(ref, "name")) ?? "",
                    port: tape.int(tape.field(ref, "port")) ?? 0))
            }
        }
        return GatewayRoute(kind: kind, meta: meta, parentRefs: parents,
                            hostnames: tape.strings(tape.field(spec, "hostnames")), backendRefs: backends)
    }

    func istioGateway(_ object: Int, meta: ObjectMeta) -> IstioGateway {
        let spec = tape.field(object, "spec")
        var servers: [IstioServer] = []
        tape.forEachElement(tape.field(spec, "servers")) { server in
            let port = tape.field(server, "port")
            let tls = tape.field(server, "tls")
            servers.append(IstioServer(
                portName: tape.string(tape.field(port, "name")) ?? "",
                portNumber: tape.int(tape.field(port, "number")) ?? 0,
                protocol: tape.string(tape.field(port, "protocol")) ?? "",
                hosts: tape.strings(tape.field(server, "hosts")),
                tlsMode: tls == nil ? "" : (tape.string(tape.field(tls, "mode")) ?? "SIMPLE"),
                credentialName: tape.string(tape.field(tls, "credentialName")) ?? "",
                minProtocolVersion: tape.string(tape.field(tls, "minProtocolVersion")) ?? ""))
        }
        return IstioGateway(meta: meta, selector: tape.stringMap(tape.field(spec, "selector")), servers: servers)
    }

    func peerAuthentication(_ object: Int, meta: ObjectMeta) -> PeerAuthentication {
        let spec = tape.field(object, "spec")
        var portModes: ByteKeyedMap = [:]
        tape.forEachField(tape.field(spec, "portLevelMtls")) { port, setting in
            if let port = tape.string(port) { portModes[port] = tape.string(tape.field(setting, "mode")) ?? "" }
        }
        return PeerAuthentication(
            meta: meta,
            selector: tape.stringMap(tape.path(spec, "selector", "matchLabels")),
            mode: tape.string(tape.path(spec, "mtls", "mode")) ?? "",
            portModes: portModes)
    }

    func traefikIngressRoute(_ object: Int, meta: ObjectMeta, kind: String) -> TraefikIngressRoute {
        let spec = tape.field(object, "spec")
        var routes: [TraefikRoute] = []
        tape.forEachElement(tape.field(spec, "routes")) { route in
            var services: [TraefikService] = []
            tape.forEachElement(tape.field(route, "services")) { service in
                services.append(TraefikService(
                    name: tape.string(tape.field(service, "name")) ?? "",
                    namespace: tape.string(tape.field(service, "namespace")) ?? meta.namespace,
                    port: tape.scalarText(tape.field(service, "port")) ?? "",  // a number or a port name
                    scheme: tape.string(tape.field(service, "scheme")) ?? "",
                    serversTransport: tape.string(tape.field(service, "serversTransport")) ?? ""))
            }
            routes.append(TraefikRoute(match: tape.string(tape.field(route, "match")) ?? "", services: services))
        }
        let tls = tape.field(spec, "tls")
        return TraefikIngressRoute(
            kind: kind, meta: meta,
            entryPoints: tape.strings(tape.field(spec, "entryPoints")),
            routes: routes,
            tlsSecretName: tape.string(tape.field(tls, "secretName")) ?? "",
            hasTLS: tls.map { tape.kind($0) == .object } ?? false,
            tlsPassthrough: tape.bool(tape.field(tls, "passthrough")) ?? false)
    }

    /// An ExternalSecret; `target.name` defaults to the ExternalSecret's name.
    func externalSecret(_ object: Int, meta: ObjectMeta) -> ExternalSecret {
        let spec = tape.field(object, "spec")
        let target = tape.field(spec, "target")
        var keys: [String] = []
        tape.forEachElement(tape.field(spec, "data")) { entry in
            if let key = tape.string(tape.field(entry, "secretKey")) { keys.append(key) }
        }
        return ExternalSecret(
            meta: meta,
            targetName: tape.string(tape.field(target, "name")) ?? "",
            targetType: tape.string(tape.path(target, "template", "type")) ?? "",
            creationPolicy: tape.string(tape.field(target, "creationPolicy")) ?? "Owner",
            storeKind: tape.string(tape.path(spec, "secretStoreRef", "kind")) ?? "SecretStore",
            storeName: tape.string(tape.path(spec, "secretStoreRef", "name")) ?? "",
            secretKeys: keys)
    }

    /// `containers[]` of a pod spec: name, image, and the flags of `command`
    /// and `args` (values of unknown flags dropped, see ``ContainerSummary/keptFlag(_:)``).
    func containerSummaries(_ spec: Int?) -> [ContainerSummary] {
        var containers: [ContainerSummary] = []
        tape.forEachElement(tape.field(spec, "containers")) { container in
            var flags: [String] = []
            for list in [tape.field(container, "command"), tape.field(container, "args")] {
                tape.forEachElement(list) { arg in
                    if let arg = tape.string(arg), let kept = ContainerSummary.keptFlag(arg) { flags.append(kept) }
                }
            }
            containers.append(ContainerSummary(name: tape.string(tape.field(container, "name")) ?? "",
                                               image: tape.string(tape.field(container, "image")) ?? "",
                                               flags: flags))
        }
        return containers
    }
}
