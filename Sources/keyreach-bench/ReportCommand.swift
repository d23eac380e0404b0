import ArgumentParser
import Foundation
import Render

/// `keyreach-bench report FILE`: the table of collected figures, one section
/// per dump size, targets and PASS/FAIL beside the figures they apply to, and
/// the linearity ratios; or the same as JSON lines.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print collected figures (JSON lines) as a table with targets, PASS/FAIL and linearity.")

    @Argument(help: "A file of figures, one JSON line each (- for stdin).")
    var figures = "-"

    @Flag(help: "Print JSON lines (figures with target and pass added, then linearity lines) instead of the table.")
    var json = false

    func run() throws {
        let text: String
        if figures == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            text = try String(contentsOfFile: figures, encoding: .utf8)
        }
        let collected = try text.split(separator: "\n").filter { !$0.isEmpty }.map(Figure.decode(line:))
        let report = BenchReport(figures: collected)
        print(json ? report.jsonLines() : report.table(), terminator: "")
    }
}

/// Figures grouped by size, with targets and linearity worked out.
struct BenchReport {
    var figures: [Figure]

    /// Sizes present, smallest first.
    var sizes: [Int] { Set(figures.compactMap(\.namespaces)).sorted() }

    func figures(namespaces: Int) -> [Figure] {
        let order = Dictionary(uniqueKeysWithValues: Phase.allCases.enumerated().map { ($1.rawValue, $0) })
        return figures.filter { $0.namespaces == namespaces }.sorted {
            (order[$0.phase] ?? .max, $0.format ?? "") < (order[$1.phase] ?? .max, $1.format ?? "")
        }
    }

    // MARK: Linearity

    /// The phases whose cost the report compares across sizes.
    static let linearPhases: [(Phase, String?)] = [
        (.cliWhoCanAll, "json"), (.cliWhoCanAll, "yaml"), (.endToEndTotal, "json"),
        (.cliExposureJSON, "json"), (.cliExposureTable, "json"),
        (.importRead, "json"), (.importRead, "yaml"), (.derive, nil),
    ]

    /// One ratio time(large)/time(small) for sizes four times apart.
    struct Ratio {
        var phase: Phase
        var format: String?
        var small: Int
        var large: Int
        var ratio: Double
        var pass: Bool { ratio <= Targets.linearityRatio }
    }

    func ratios() -> [Ratio] {
        var ratios: [Ratio] = []
        for small in sizes where sizes.contains(small * 4) {
            for (phase, format) in Self.linearPhases {
                guard let a = seconds(phase, format, small), let b = seconds(phase, format, small * 4), a > 0 else { continue }
                ratios.append(Ratio(phase: phase, format: format, small: small, large: small * 4, ratio: b / a))
            }
        }
        return ratios
    }

    private func seconds(_ phase: Phase, _ format: String?, _ namespaces: Int) -> Double? {
        figures.first { $0.phase == phase.rawValue && $0.namespaces == namespaces && (format == nil || $0.format == format) }?.seconds
    }

    // MARK: Table

    func table() -> String {
        var out = ""
        for size in sizes {
            out += heading(size) + "\n"
            var table = TextTable(columns: Self.columns)
            for figure in figures(namespaces: size) { table.append(row(figure)) }
            out += table.render() + "\n"
        }
        out += "== linearity: time(4N) / time(N), target <= \(Format.decimal(Targets.linearityRatio, 1)) (4x the objects) ==\n"
        let ratios = ratios()
        if ratios.isEmpty { out += "  no two sizes four times apart were measured\n" }
        var table = TextTable(columns: ["RATIO", "FIGURE", "FMT", "VALUE", "TARGET", "VERDICT"])
        for ratio in ratios {
            table.append(["\(ratio.large)/\(ratio.small)", ratio.phase.label.trimmingCharacters(in: .whitespaces),
                          ratio.format ?? "", Format.decimal(ratio.ratio, 2),
                          "<= \(Format.decimal(Targets.linearityRatio, 1))", ratio.pass ? "PASS" : "FAIL"])
        }
        if !ratios.isEmpty { out += table.render() }
        return out
    }

    private func heading(_ size: Int) -> String {
        let mine = figures.filter { $0.namespaces == size }
        let objects = mine.first { $0.phase == Phase.importRead.rawValue }?.objects
            ?? mine.first { $0.phase == Phase.endToEndRead.rawValue }?.objects
        var dumps: [String] = []
        for format in ["json", "yaml"] {
            if let bytes = mine.first(where: { $0.format == format && $0.dumpBytes != nil })?.dumpBytes {
                dumps.append("\(Format.megabytes(bytes)) \(format.uppercased())")
            }
        }
        let cores = mine.first?.cores ?? ProcessFigures.cores
        var parts = ["\(Format.grouped(size)) namespaces"]
        if let objects { parts.append("\(Format.grouped(objects)) objects") }
        if !dumps.isEmpty { parts.append("dump " + dumps.joined(separator: ", ")) }
        parts.append("\(cores) cores")
        return "== " + parts.joined(separator: "; ") + " =="
    }

    static let columns = ["FIGURE", "FMT", "TIME", "MB/S", "OBJECTS/S", "P50 / P99 MS", "PEAK RSS", "CORES", "DUMP",
                          "OUTPUT", "TARGET", "VERDICT"]

    private func row(_ figure: Figure) -> [String] {
        let check = Targets.check(figure, in: figures)
        let latency = figure.p50Ms.map { p50 in
            Format.decimal(p50, p50 < 10 ? 2 : 1) + " / " + Format.decimal(figure.p99Ms ?? 0, (figure.p99Ms ?? 0) < 10 ? 2 : 1)
                + " (n=\(figure.samples ?? 0))"
        }
        return [
            Phase(rawValue: figure.phase)?.label ?? figure.phase,
            figure.format ?? "",
            figure.seconds.map(Format.duration) ?? "",
            figure.mbPerSecond.map { Format.decimal($0, 1) } ?? "",
            figure.objectsPerSecond.map { Format.grouped(Int($0.rounded())) } ?? "",
            latency ?? "",
            figure.peakRssKb.map { "\(Format.decimal(Double($0) / 1024, 0)) MB" } ?? "",
            "\(figure.cores)",
            figure.dumpBytes.map(Format.megabytes) ?? "",
            figure.outputBytes.map(Format.megabytes) ?? "",
            check?.target ?? "",
            check.map { $0.pass ? "PASS" : "FAIL" } ?? "",
        ]
    }

    // MARK: JSON lines

    /// Each figure with `target` and `pass` where a target applies, then one
    /// line per linearity ratio.
    func jsonLines() -> String {
        var out = ""
        for size in sizes {
            for figure in figures(namespaces: size) {
                var line = JSONLine(figure.jsonLine)
                if let check = Targets.check(figure, in: figures) {
                    line.add("target", check.target)
                    line.add("pass", check.pass)
                }
                out += line.text + "\n"
            }
        }
        for ratio in ratios() {
            var line = JSONLine("{}")
            line.add("phase", "linearity." + ratio.phase.rawValue)
            if let format = ratio.format { line.add("format", format) }
            line.add("namespaces", "\(ratio.large)/\(ratio.small)")
            line.add("ratio", ratio.ratio)
            line.add("target", "<= \(Targets.linearityRatio)")
            line.add("pass", ratio.pass)
            out += line.text + "\n"
        }
        return out
    }
}

/// Appending fields to a compact JSON object line.
struct JSONLine {
    private(set) var text: String

    init(_ text: String) { self.text = text }

    mutating func add(_ key: String, _ value: String) { append(key, Self.quoted(value)) }
    mutating func add(_ key: String, _ value: Bool) { append(key, value ? "true" : "false") }
    mutating func add(_ key: String, _ value: Double) { append(key, "\(value)") }

    private mutating func append(_ key: String, _ raw: String) {
        text.removeLast()   // the closing brace
        if text != "{" { text += "," }
        text += Self.quoted(key) + ":" + raw + "}"
    }

    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
