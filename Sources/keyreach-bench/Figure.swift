import Foundation

/// One measured figure: a phase, how long it took, how much it read, how
/// much memory the process held at its peak. `keyreach-bench` prints one JSON
/// line per figure; `bench/run` writes the CLI's figures in the same shape
/// (snake_case keys), and `keyreach-bench report` turns them into the table.
///
/// ```json
/// {"phase":"import.read","how":"in-process","format":"json","namespaces":2000,"cores":2,
///  "seconds":0.41,"dump_bytes":136000000,"objects":123816,"mb_per_second":331.7,
///  "objects_per_second":301990,"peak_rss_kb":301234}
/// ```
struct Figure: Codable, Equatable {
    /// What was measured: see ``Phase`` for the names.
    var phase: String
    /// `cli` (the `keyreach` binary, timed from outside) or `in-process`.
    var how: String
    /// `json` or `yaml` when the figure depends on the dump's format.
    var format: String?
    /// The dump's size label (application namespaces given to keyreach-gen).
    var namespaces: Int?
    /// Cores of the machine (`nproc`), printed beside every figure.
    var cores: Int
    var seconds: Double?
    /// The dump file's size, printed beside every figure.
    var dumpBytes: Int?
    /// Kubernetes objects read (import) or items handled (answers, keys).
    var objects: Int?
    /// Bytes handled per second: the dump's for phases that read it, the
    /// answer's for the phase that writes it; nil for the others.
    var mbPerSecond: Double?
    var objectsPerSecond: Double?
    /// Latency percentiles over `samples` repetitions.
    var p50Ms: Double?
    var p99Ms: Double?
    var samples: Int?
    /// Peak resident set (VmHWM, or `/usr/bin/time`'s %M) of the process that
    /// ran the phase, in KiB. Monotonic: a later phase of the same process
    /// shows the peak so far.
    var peakRssKb: Int?
    /// Bytes the command printed (its answer), for the figures of answers
    /// whose size should grow with namespaces and grants.
    var outputBytes: Int?

    init(phase: String, how: String = "in-process", format: String? = nil, namespaces: Int? = nil,
         seconds: Double? = nil, dumpBytes: Int? = nil, bytesHandled: Int? = nil, objects: Int? = nil,
         latencies: [Double]? = nil, peakRssKb: Int? = ProcessFigures.peakResidentKB(), outputBytes: Int? = nil) {
        self.phase = phase
        self.how = how
        self.format = format
        self.namespaces = namespaces
        self.cores = ProcessFigures.cores
        self.seconds = seconds
        self.dumpBytes = dumpBytes
        self.objects = objects
        self.peakRssKb = peakRssKb
        self.outputBytes = outputBytes
        if let seconds, seconds > 0 {
            if let bytesHandled { mbPerSecond = Double(bytesHandled) / 1e6 / seconds }
            if let objects { objectsPerSecond = Double(objects) / seconds }
        }
        if let latencies, !latencies.isEmpty {
            let sorted = latencies.sorted()
            p50Ms = Percentile.of(sorted, 0.50) * 1000
            p99Ms = Percentile.of(sorted, 0.99) * 1000
            samples = sorted.count
        }
    }

    /// One compact JSON line, keys sorted, as `bench/run` collects them.
    var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain number or string: encoding cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(line: Substring) throws -> Figure {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Figure.self, from: Data(line.utf8))
    }
}

/// Nearest-rank percentiles: the value below which `fraction` of the samples lie.
enum Percentile {
    static func of(_ sorted: [Double], _ fraction: Double) -> Double {
        precondition(!sorted.isEmpty)
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// What the process and machine say about themselves.
enum ProcessFigures {
    /// Online cores, as `nproc` prints them.
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// The process's peak resident set so far (`VmHWM` in /proc/self/status),
    /// in KiB; nil where /proc is missing.
    static func peakResidentKB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// Size of a file in bytes, nil when it cannot be read.
    static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }
}

/// Wall-clock timing of one phase.
enum Stopwatch {
    /// Runs `body` and returns its result with the seconds it took.
    static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        return (result, seconds(clock.now - start))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
