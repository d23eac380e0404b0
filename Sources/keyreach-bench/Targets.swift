/// The targets of issue 5, in one place: on 2 cores, a dump of 2,000
/// namespaces answers `who-can get secrets -A --dump FILE -o json` in under
/// 0.9 s from JSON and 6 s from YAML within 500 MB peak RSS; who-can for
/// one secret on an imported database under 20 ms p50; 4x the objects cost
/// at most 4.5x the time.
enum Targets {
    /// The size the end-to-end targets are stated for.
    static let headlineNamespaces = 2000
    static let endToEndJSONSeconds = 0.9
    static let endToEndYAMLSeconds = 6.0
    static let peakRSSMegabytes = 500.0
    static let whoCanP50Milliseconds = 20.0
    static let linearityRatio = 4.5

    /// A target that applies to one figure, and whether the figure meets it.
    struct Check {
        var target: String
        var pass: Bool
    }

    /// The target that applies to `figure`, nil when none does.
    static func check(_ figure: Figure) -> Check? {
        switch Phase(rawValue: figure.phase) {
        case .cliWhoCanAll where figure.namespaces == headlineNamespaces:
            guard let seconds = figure.seconds else { return nil }
            let limit = figure.format == "yaml" ? endToEndYAMLSeconds : endToEndJSONSeconds
            let rss = Double(figure.peakRssKb ?? 0) / 1024
            return Check(target: "< \(Format.decimal(limit, 1)) s, < \(Int(peakRSSMegabytes)) MB",
                         pass: seconds < limit && rss < peakRSSMegabytes)
        case .whoCanLookup:
            guard let p50 = figure.p50Ms else { return nil }
            return Check(target: "p50 < \(Int(whoCanP50Milliseconds)) ms", pass: p50 < whoCanP50Milliseconds)
        default:
            return nil
        }
    }
}
