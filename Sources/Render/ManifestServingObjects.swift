import KubeModel

/// Ingresses, Gateways and the kinds `keyreach tls` reads, written back as
/// DumpReader's KubeMapping and ServingMapping read them (see ``ManifestObjects``).
extension ManifestObjects {
    // MARK: - Networking

    static func ingress<W: StructuredWriter>(_ ingress: Ingress, _ w: inout W) {
        header(&w, "Ingress", ingress.meta)
        w.field("spec") { w in
            w.object { s in
                nonEmpty("ingressClassName", ingress.ingressClassName, &s)
                objectList("tls", ingress.tls, &s) { tls, w in
                    strings("hosts", tls.hosts, &w)
                    nonEmpty("secretName", tls.secretName, &w)
                }
                objectList("rules", ingress.rules, &s) { rule, w in
                    nonEmpty("host", rule.host, &w)
                    guard !rule.backends.isEmpty else { return }
                    w.field("http") { w in
                        w.object { h in
                            objectList("paths", rule.backends, &h) { backend, w in
                                nonEmpty("path", backend.path, &w)
                                w.field("backend") { w in w.object { b in b.field("service") { ingressService(backend, &$0) } } }
                            }
                        }
                    }
                }
            }
        }
        w.endObject()
    }

    static func ingressService<W: StructuredWriter>(_ backend: IngressBackend, _ w: inout W) {
        w.object { s in
            s.field("name", backend.serviceName)
            guard !backend.port.isEmpty else { return }
            s.field("port") { w in
                w.object { p in
                    if let number = Int(backend.port), String(number) == backend.port {
                        p.field("number", number)
                    } else {
                        p.field("name", backend.port)
                    }
                }
            }
        }
    }

    static func gateway<W: StructuredWriter>(_ gateway: Gateway, _ w: inout W) {
        header(&w, "Gateway", gateway.meta)
        w.field("spec") { w in
            w.object { s in
                nonEmpty("gatewayClassName", gateway.gatewayClassName, &s)
                objectList("listeners", gateway.listeners, &s) { l, w in
                    w.field("name", l.name)
                    nonEmpty("hostname", l.hostname, &w)
                    w.field("port", l.port)
                    nonEmpty("protocol", l.protocol, &w)
                    guard !l.tlsMode.isEmpty else { return }
                    w.field("tls") { w in
                        w.object { t in
                            t.field("mode", l.tlsMode)
                            objectList("certificateRefs", l.certificateRefs, &t) { ref, w in
                                w.field("group", ref.group)
                                w.field("kind", ref.kind)
                                w.field("namespace", ref.namespace)
                                w.field("name", ref.name)
                            }
                        }
                    }
                }
            }
        }
        w.endObject()
    }

    // MARK: - Where TLS ends

    static func service<W: StructuredWriter>(_ service: Service, _ w: inout W) {
        header(&w, "Service", service.meta)
        w.field("spec") { w in
            w.object { s in
                s.field("type", service.type)
                if !service.selector.isEmpty { s.field("selector") { stringMap(service.selector, &$0) } }
                objectList("ports", service.ports, &s) { p, w in
                    nonEmpty("name", p.name, &w)
                    w.field("port", p.port)
                    if !p.targetPort.isEmpty { numberOrText("targetPort", p.targetPort, &w) }
                    w.field("protocol", p.protocol)
                    nonEmpty("appProtocol", p.appProtocol, &w)
                }
            }
        }
        w.endObject()
    }

    static func gatewayRoute<W: StructuredWriter>(_ route: GatewayRoute, _ w: inout W) {
        header(&w, route.kind, route.meta)
        w.field("spec") { w in
            w.object { s in
                objectList("parentRefs", route.parentRefs, &s) { ref, w in
                    w.field("kind", ref.kind)
                    w.field("namespace", ref.namespace)
                    w.field("name", ref.name)
                    nonEmpty("sectionName", ref.sectionName, &w)
                }
                strings("hostnames", route.hostnames, &s)
                if !route.backendRefs.isEmpty {
                    s.field("rules") { w in
                        w.array { a in
                            a.object { r in
                                objectList("backendRefs", route.backendRefs, &r) { ref, w in
                                    w.field("kind", ref.kind)
                                    w.field("namespace", ref.namespace)
                                    w.field("name", ref.name)
                                    if ref.port != 0 { w.field("port", ref.port) }
                                }
                            }
                        }
                    }
                }
            }
        }
        w.endObject()
    }

    static func istioGateway<W: StructuredWriter>(_ gateway: IstioGateway, _ w: inout W) {
        header(&w, "Gateway", group: "networking.istio.io", gateway.meta)
        w.field("spec") { w in
            w.object { s in
                if !gateway.selector.isEmpty { s.field("selector") { stringMap(gateway.selector, &$0) } }
                objectList("servers", gateway.servers, &s) { server, w in
                    w.field("port") { w in
                        w.object { p in
                            nonEmpty("name", server.portName, &p)
                            p.field("number", server.portNumber)
                            nonEmpty("protocol", server.protocol, &p)
                        }
                    }
                    strings("hosts", server.hosts, &w)
                    guard !server.tlsMode.isEmpty else { return }
                    w.field("tls") { w in
                        w.object { t in
                            t.field("mode", server.tlsMode)
                            nonEmpty("credentialName", server.credentialName, &t)
                            nonEmpty("minProtocolVersion", server.minProtocolVersion, &t)
                        }
                    }
                }
            }
        }
        w.endObject()
    }

    static func peerAuthentication<W: StructuredWriter>(_ policy: PeerAuthentication, _ w: inout W) {
        header(&w, "PeerAuthentication", policy.meta)
        w.field("spec") { w in
            w.object { s in
                if !policy.selector.isEmpty {
                    s.field("selector") { w in w.object { $0.field("matchLabels") { stringMap(policy.selector, &$0) } } }
                }
                if !policy.mode.isEmpty { s.field("mtls") { w in w.object { $0.field("mode", policy.mode) } } }
                if !policy.portModes.isEmpty {
                    s.field("portLevelMtls") { w in
                        w.object { o in
                            for (port, mode) in policy.portModes.sorted(by: { $0.key < $1.key }) {
                                o.field(port) { w in w.object { $0.field("mode", mode) } }
                            }
                        }
                    }
                }
            }
        }
        w.endObject()
    }

    static func traefikIngressRoute<W: StructuredWriter>(_ route: TraefikIngressRoute, _ w: inout W) {
        header(&w, route.kind, route.meta)
        w.field("spec") { w in
            w.object { s in
                strings("entryPoints", route.entryPoints, &s)
                objectList("routes", route.routes, &s) { r, w in
                    w.field("match", r.match)
                    objectList("services", r.services, &w) { service, w in
                        w.field("name", service.name)
                        w.field("namespace", service.namespace)
                        if !service.port.isEmpty { numberOrText("port", service.port, &w) }
                        nonEmpty("scheme", service.scheme, &w)
                        nonEmpty("serversTransport", service.serversTransport, &w)
                    }
                }
                if route.hasTLS {
                    s.field("tls") { w in
                        w.object { t in
                            nonEmpty("secretName", route.tlsSecretName, &t)
                            if route.tlsPassthrough { t.field("passthrough", true) }
                        }
                    }
                }
            }
        }
        w.endObject()
    }

    static func externalSecret<W: StructuredWriter>(_ external: ExternalSecret, _ w: inout W) {
        header(&w, "ExternalSecret", external.meta)
        w.field("spec") { w in
            w.object { s in
                s.field("secretStoreRef") { w in
                    w.object { r in
                        r.field("kind", external.storeKind)
                        r.field("name", external.storeName)
                    }
                }
                s.field("target") { w in
                    w.object { t in
                        t.field("name", external.targetName)
                        t.field("creationPolicy", external.creationPolicy)
                        if !external.targetType.isEmpty {
                            t.field("template") { w in w.object { $0.field("type", external.targetType) } }
                        }
                    }
                }
                objectList("data", external.secretKeys, &s) { $1.field("secretKey", $0) }
            }
        }
        w.endObject()
    }
}
