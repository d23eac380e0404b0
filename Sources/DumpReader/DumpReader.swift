import Foundation
import JSONCore
import KubeModel
import Synchronization

/// Where a dump comes from.
public enum DumpSource: Sendable {
    /// A file, a directory (read recursively: `.yaml`, `.yml`, `.json`, in
    /// sorted path order) or `"-"` for standard input.
    case path(String)
    /// Bytes already in memory; `name` is used in messages.
    case data(Data, name: String)
}

/// What one read produced: the snapshot (never a secret value), the kinds it
/// did not store, and what it noticed on the way.
public struct ImportResult: Sendable {
    public var snapshot: ClusterSnapshot
    /// Objects of kinds keyreach does not store, counted by kind (never an
    /// error). A kind whose name is also a stored kind's but in another API
    /// group is keyed `Kind.group`, e.g. `Gateway.networking.istio.io`.
    public var skipped: [String: Int]
    /// E.g. `prod.yaml:120: Secret production/app-tls appears twice; the last one wins`.
    public var warnings: [String]
    public var files: Int
    public var bytes: Int
    /// YAML documents and top-level JSON values read (empty documents not counted).
    public var documents: Int
    /// Kubernetes objects seen, stored or skipped (List items counted one by one).
    public var objects: Int
    /// Files found by walking a directory that hold no Kubernetes object
    /// (`values.yaml`, a CI workflow, `package.json`): not read, one warning each.
    public var skippedFiles: [String]

    public init(snapshot: ClusterSnapshot = ClusterSnapshot(), skipped: [String: Int] = [:], warnings: [String] = [],
                files: Int = 0, bytes: Int = 0, documents: Int = 0, objects: Int = 0, skippedFiles: [String] = []) {
        self.snapshot = snapshot
        self.skipped = skipped
        self.warnings = warnings
        self.files = files
        self.bytes = bytes
        self.documents = documents
        self.objects = objects
        self.skippedFiles = skippedFiles
    }
}

/// Why a dump could not be read, with where: `FILE:LINE:COL: message`.
/// The CLI prints it and exits 2.
public struct DumpError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    /// The input parsed but is not Kubernetes at all (a document without
    /// kind, a scalar, a sequence): a directory walk skips such a file.
    public var notKubernetes: Bool

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, notKubernetes: Bool = false) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.notKubernetes = notKubernetes
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if line != nil, let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}

/// Limits that keep a hostile or broken dump from hanging or exhausting memory.
public struct ReadLimits: Sendable {
    /// Deepest nesting of mappings and sequences (Kubernetes objects stay under 30).
    public var maxDepth: Int
    /// Most nodes in one document or one List item, alias expansions included.
    public var maxNodesPerDocument: Int
    /// Most YAML alias uses in one document (billion-laughs guard).
    public var maxAliasExpansions: Int

    public init(maxDepth: Int = 256, maxNodesPerDocument: Int = 1_000_000, maxAliasExpansions: Int = 10_000) {
        self.maxDepth = maxDepth
        self.maxNodesPerDocument = maxNodesPerDocument
        self.maxAliasExpansions = maxAliasExpansions
    }

    public static let `default` = ReadLimits()
}

/// How far a long read has come, for a progress line on a terminal.
public struct ReadProgress: Sendable {
    public var file: String
    public var bytesRead: Int
    public var totalBytes: Int
}

/// Reads cluster dumps — JSON or YAML; single objects, Lists, typed lists,
/// multi-document streams; files, directories or stdin — into a
/// ``ClusterSnapshot``, dropping every secret value on the way.
///
/// ```swift
/// let result = try DumpReader().read([.path("cluster.json")])
/// print(result.snapshot.countsByKind, result.skipped)
/// ```
public final class DumpReader {
    private let limits: ReadLimits
    private let progress: (@Sendable (ReadProgress) -> Void)?
    private let cores: Int
    private let strict: Bool
    /// Files (or a JSON List's items) smaller than this are parsed on one
    /// core (tests lower it).
    var parallelMinimumBytes = YAMLChunks.minimumParallelSize

    /// `progress` is called about every 16 MiB read, with the total known up
    /// front (stdin counts as 0 until read). YAML streams of several MiB are
    /// parsed on up to `cores` cores (default: all active processors), the
    /// items of a big pretty-printed JSON List on two. A file found by
    /// walking a directory that holds no Kubernetes object is skipped with a
    /// warning, unless `strict`: then it is an error, as a named file always is.
    public init(limits: ReadLimits = .default, progress: (@Sendable (ReadProgress) -> Void)? = nil, cores: Int? = nil,
                strict: Bool = false) {
        self.limits = limits
        self.strict = strict
        self.progress = progress
        self.cores = max(1, cores ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Reads every source in order into one snapshot. Throws the first bad
    /// input, naming file, line and column.
    public func read(_ sources: [DumpSource]) throws(DumpError) -> ImportResult {
        let inputs = try DumpInputs.resolve(sources)
        let meter = ProgressMeter(total: inputs.reduce(0) { $0 + $1.size }, callback: progress)
        let sink = DocumentSink()
        sink.meter = meter
        var done = 0
        var skippedFiles: [String] = []
        var skipWarnings: [String] = []
        for input in inputs {
            sink.file = input.name
            meter.startFile(input.name, at: done)
            done += try input.withBytes { bytes, pages throws(DumpError) in
                if input.walked && !strict {
                    if let notKubernetes = try readWalked(bytes, name: input.name, into: sink, meter: meter, pages: pages) {
                        skippedFiles.append(input.name)
                        skipWarnings.append("\(input.name): skipped, not a Kubernetes manifest (\(notKubernetes))")
                    }
                } else {
                    try readOne(bytes, name: input.name, into: sink, meter: meter, pages: pages)
                }
                return bytes.count
            }
            sink.finishFile()
        }
        meter.finish(bytes: done)
        return ImportResult(snapshot: sink.snapshot, skipped: sink.skipped, warnings: skipWarnings + sink.warnings,
                            files: inputs.count - skippedFiles.count, bytes: done, documents: sink.documents,
                            objects: sink.objects, skippedFiles: skippedFiles)
    }

    /// A file found in a directory: read into a sink of its own and kept only
    /// when it is Kubernetes, so a `values.yaml` beside the manifests adds
    /// nothing. Returns why a file was skipped, or nil when it was read.
    private func readWalked(_ bytes: UnsafeBufferPointer<UInt8>, name: String, into sink: DocumentSink,
                            meter: ProgressMeter, pages: PageRelease) throws(DumpError) -> String? {
        let part = DocumentSink()
        part.file = name
        part.meter = meter
        do throws(DumpError) {
            try readOne(bytes, name: name, into: part, meter: meter, pages: pages)
        } catch where error.notKubernetes {
            return error.line.map { "line \($0): \(error.message)" } ?? error.message
        }
        part.finishFile()
        // JSON objects remember byte offsets, YAML ones lines (see DocumentSink.store).
        if let base = bytes.baseAddress, DumpFormat.looksLikeJSON(bytes) {
            let lines = LineIndex(base: base, count: bytes.count)
            sink.absorb(part, lineOf: { lines.lineColumn(atOffset: $0).line })
        } else {
            sink.absorb(part)
        }
        return nil
    }

    private func readOne(_ bytes: UnsafeBufferPointer<UInt8>, name: String, into sink: DocumentSink,
                         meter: ProgressMeter, pages: PageRelease = .none) throws(DumpError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        // Kubernetes objects in dumps average about 1 KB.
        sink.expectObjects(sink.objects + bytes.count / 1024)
        if let problem = BinaryCheck.problem(bytes, cores: bytes.count >= parallelMinimumBytes ? cores : 1) {
            throw DumpError(file: name, message: problem)
        }
        // The check read every page: hand them back until the reader gets there.
        pages.release(from: base, to: base + bytes.count)
        do {
            if DumpFormat.looksLikeJSON(bytes) {
                var reader = JSONTapeReader(base: base, count: bytes.count, limits: limits)
                reader.pages = pages
                if cores > 1 { reader.parallelMinimumBytes = parallelMinimumBytes }
                let lines = LineIndex(base: base, count: bytes.count, pages: pages)
                let (documentsBefore, objectsBefore) = (sink.documents, sink.objects)
                do {
                    try withExtendedLifetime(lines) { try reader.readAll(into: sink, lines: lines) }
                } catch let failure as JSONSyntaxError {
                    let (line, column) = lines.lineColumn(atOffset: failure.offset)
                    let jsonError = DumpError(file: name, line: line, column: column, message: failure.message)
                    // A `.yaml` file that starts with `{` may be a YAML flow
                    // mapping (`{kind: Pod, ...}`) rather than JSON: read it as
                    // YAML when the JSON reader failed before reading anything.
                    guard Self.isYAMLName(name), sink.documents == documentsBefore, sink.objects == objectsBefore else { throw jsonError }
                    let part = DocumentSink()
                    part.file = name
                    part.meter = meter
                    do {
                        try YAMLTapeReader(base: base, count: bytes.count, limits: limits, file: name).readAll(into: part)
                    } catch {
                        throw jsonError
                    }
                    sink.absorb(part)
                }
            } else {
                let chunks = YAMLChunks.hasDirectives(bytes) ? [] : YAMLChunks.split(bytes, parts: cores, minimumSize: parallelMinimumBytes)
                if chunks.count > 1 {
                    try readYAMLInParallel(bytes, chunks: chunks, name: name, into: sink, meter: meter, pages: pages)
                } else {
                    var reader = YAMLTapeReader(base: base, count: bytes.count, limits: limits, file: name)
                    reader.pages = pages
                    try reader.readAll(into: sink)
                }
            }
        } catch let error as DumpError {
            throw error
        } catch {
            throw DumpError(file: name, message: "\(error)")
        }
    }

    /// One part of a YAML stream read in parallel, into a sink of its own.
    private static func readPart(_ i: Int, of chunks: [YAMLChunks.Chunk], at address: UInt, name: String, limits: ReadLimits,
                                 meter: ProgressMeter, pages: PageRelease) -> Result<DocumentSink.Output, DumpError> {
        let chunk = chunks[i]
        let part = DocumentSink()
        part.file = name
        part.meter = meter
        part.part = i
        part.expectObjects((chunk.end - chunk.start) / 1024)
        let base = UnsafePointer<UInt8>(bitPattern: address)!
        var reader = YAMLTapeReader(base: base + chunk.start, count: chunk.end - chunk.start, limits: limits, file: name)
        reader.lineOffset = chunk.lineOffset
        reader.pages = pages
        do {
            try reader.readAll(into: part)
            return .success(part.takeOutput())
        } catch {
            return .failure(error as? DumpError ?? DumpError(file: name, message: "\(error)"))
        }
    }

    private static func isYAMLName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// Parses the parts of a multi-document stream at once, one sink each,
    /// then merges them in file order; the first error in file order wins.
    private func readYAMLInParallel(_ bytes: UnsafeBufferPointer<UInt8>, chunks: [YAMLChunks.Chunk], name: String,
                                    into sink: DocumentSink, meter: ProgressMeter, pages: PageRelease) throws(DumpError) {
        meter.split(into: chunks.count)
        // Parts after the first are read on workers, each into a sink of its
        // own made there, and come back as values through the mutex: no
        // state is shared while parsing. The first part is read here, into
        // the caller's sink, as a sequential read would. The mapping's
        // address travels as an integer (a pointer is not Sendable); the
        // mapping outlives the workers, which are waited for before anything
        // is thrown.
        let parts = Mutex([Result<DocumentSink.Output, DumpError>?](repeating: nil, count: chunks.count))
        let address = UInt(bitPattern: bytes.baseAddress!)
        let limits = self.limits
        let workers = DispatchGroup()
        for i in chunks.indices.dropFirst() {
            DispatchQueue.global().async(group: workers) {
                let result = Self.readPart(i, of: chunks, at: address, name: name, limits: limits, meter: meter, pages: pages)
                parts.withLock { $0[i] = result }
            }
        }
        var firstError: DumpError?
        do {
            var reader = YAMLTapeReader(base: bytes.baseAddress!, count: chunks[0].end, limits: limits, file: name)
            reader.pages = pages
            try reader.readAll(into: sink)
        } catch {
            firstError = error as? DumpError ?? DumpError(file: name, message: "\(error)")
        }
        workers.wait()
        // The first error in file order wins.
        if let firstError { throw firstError }
        let results = parts.withLock { parts in
            let taken = parts.dropFirst().map { $0! }
            parts = []
            return taken
        }
        for result in results {
            if case .failure(let error) = result { throw error }
        }
        for case .success(let part) in results { sink.absorb(part) }
    }
}

/// Telling JSON from YAML by the first significant byte: JSON dumps start
/// with `{` (an object or List) or `[` (an array of them, as `jq -s` writes);
/// anything else goes to the YAML parser.
enum DumpFormat {
    static func looksLikeJSON(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        return i < bytes.count && (bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "["))
    }
}

/// Recognises files that are not text dumps at all.
enum BinaryCheck {
    static let message = "binary file, not a JSON or YAML dump"

    /// A NUL byte anywhere, or invalid UTF-8 in the first 64 KiB, makes a file binary.
    /// The NUL search reads every page of the file first: on `cores` cores, a
    /// part each, so a big dump's pages come in on all of them.
    static func problem(_ bytes: UnsafeBufferPointer<UInt8>, cores: Int = 1) -> String? {
        if hasNUL(bytes, parts: max(1, cores)) { return message }
        var prefix = min(bytes.count, 1 << 16)
        // Do not judge a character cut at the prefix's end.
        if prefix < bytes.count {
            while prefix > 0, bytes[prefix] & 0xC0 == 0x80 { prefix -= 1 }
        }
        var iterator = UnsafeBufferPointer(rebasing: bytes[0..<prefix]).makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return nil
            case .error: return message
            }
        }
    }

    static func hasNUL(_ bytes: UnsafeBufferPointer<UInt8>, parts: Int) -> Bool {
        guard parts > 1 else { return memchr(bytes.baseAddress!, 0, bytes.count) != nil }
        let found = Atomic<Bool>(false)
        let address = UInt(bitPattern: bytes.baseAddress!)
        let (count, size) = (bytes.count, (bytes.count + parts - 1) / parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let start = part * size
            guard start < count, let base = UnsafeRawPointer(bitPattern: address) else { return }
            if memchr(base + start, 0, min(size, count - start)) != nil { found.store(true, ordering: .relaxed) }
        }
        return found.load(ordering: .relaxed)
    }
}
