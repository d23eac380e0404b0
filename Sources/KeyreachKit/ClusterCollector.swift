#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DumpReader
import KubeModel
import Foundation
import KubeModel
import Render
import Synchronization

/// `keyreach collect`: runs `kubectl get KIND -A -o json` for every kind keyreach
/// reads and feeds kubectl's stdout straight into ``DumpReader`` in memory, so
/// secret values are dropped before anything touches the disk: kubectl's raw
/// output is never written to a file.
///
/// ```swift
/// let collected = try ClusterCollector(kubectl: try Kubectl.locate()).collect { print($0) }
/// collected.result.snapshot.secrets.count   // values stripped, facts kept
/// ```
public struct ClusterCollector: Sendable {
    /// The kinds every cluster serves (``KindTable``'s built-in rows), as
    /// kubectl names them: `pods`, `deployments.apps`.
    public static let coreResources = KindTable.read.filter(\.builtIn).map(\.qualifiedResource)

    /// Custom resources keyreach reads when the cluster serves them
    /// (`kubectl api-resources -o name` says which): cert-manager, Gateway
    /// API, Istio, Traefik, External Secrets, in each group they have had.
    public static let optionalResources = KindTable.read.filter { !$0.builtIn }.flatMap { kind in
        kind.groups.map { "\(kind.plural).\($0)" }
    }

    public let kubectl: Kubectl

    public init(kubectl: Kubectl) { self.kubectl = kubectl }

    /// What a collection read, and the kinds it could not.
    public struct Collected: Sendable {
        /// The snapshot read from kubectl's output (never a secret value).
        public var result: ImportResult
        /// The resources asked for, in order.
        public var requested: [String]
        /// Resources kubectl refused (Forbidden, or another error), with its message.
        public var failed: [(resource: String, message: String)]
    }

    /// The resources to ask for: the core kinds, then the optional ones the
    /// cluster serves. When `api-resources` itself fails, the optional kinds are
    /// left out with a warning.
    public func resources(warn: (String) -> Void) -> [String] {
        let listing = kubectl.run(["api-resources", "-o", "name"])
        guard listing.status == 0 else {
            warn("kubectl api-resources failed (\(listing.firstErrorLine)): reading the core kinds only")
            return Self.coreResources
        }
        let served = Set(String(decoding: listing.stdout, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init))
        return Self.coreResources + Self.optionalResources.filter(served.contains)
    }

    /// Asks kubectl for every resource across all namespaces and reads the
    /// answers in memory. A resource kubectl refuses is a warning naming it;
    /// progress goes to `progress` (one line per resource).
    public func collect(progress: (String) -> Void = { _ in }, warn: (String) -> Void = { _ in }) throws -> Collected {
        let resources = resources(warn: warn)
        var sources: [DumpSource] = []
        var failed: [(resource: String, message: String)] = []
        for (index, resource) in resources.enumerated() {
            progress("collect: [\(index + 1)/\(resources.count)] kubectl get \(resource)")
            let answer = kubectl.run(["get", resource, "--all-namespaces", "-o", "json"])
            guard answer.status == 0 else {
                let reason = answer.isForbidden ? "forbidden" : "kubectl exited \(answer.status)"
                warn("skipped \(resource): \(reason): \(answer.firstErrorLine)")
                failed.append((resource, answer.firstErrorLine))
                continue
            }
            sources.append(.data(answer.stdout, name: "kubectl get \(resource)"))
        }
        guard !sources.isEmpty else {
            throw KeyreachError("kubectl answered none of the \(resources.count) kinds keyreach reads: "
                + "check the context (--context) and that your user may get them (kubectl auth can-i get secrets -A)")
        }
        let result: ImportResult
        do {
            result = try DumpReader().read(sources)
        } catch {
            throw KeyreachError("kubectl printed something keyreach cannot read: \(error.description)")
        }
        return Collected(result: result, requested: resources, failed: failed)
    }
}

extension ClusterCollector.Collected {
    /// `collect --import`: stores the snapshot as `keyreach import` would,
    /// derived tables and keys included, in one transaction.
    public func store(database: String, snapshot: String) throws {
        try ImportPipeline.save(result.snapshot, database: database, snapshot: snapshot, source: ["kubectl (keyreach collect)"])
    }
}

/// `collect -o FILE`: the snapshot written back as one Kubernetes `List`
/// (``ManifestWriter``), never kubectl's raw output: each secret value is a
/// synthetic one with the same facts. `keyreach import FILE` reads it back
/// into the same snapshot.
public enum SanitisedDump {
    /// The format a file's name asks for: `.json`, or `.yaml` / `.yml`.
    public static func format(of path: String) throws -> ManifestWriter.Format {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".json") { return .json }
        if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") { return .yaml }
        throw KeyreachError("cannot tell the format of \(path): name the file *.json, *.yaml or *.yml (or -o - for JSON on stdout)")
    }

    /// Writes `snapshot` to `path` (format by extension) as the owner's
    /// file only (mode 0600): into a temporary file of the same folder,
    /// renamed over `path` once complete, so a failure leaves no partial file.
    /// Returns the number of bytes written.
    @discardableResult
    public static func write(_ snapshot: ClusterSnapshot, to path: String) throws -> Int {
        let format = try format(of: path)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).keyreach-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp").path
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw cannotWrite(path, reason: String(cString: strerror(errno))) }
        var written = 0
        var isOpen = true
        do {
            try ManifestWriter.write(snapshot, as: format) { chunk in
                try writeAll(chunk, to: descriptor, path: path)
                written += chunk.count
            }
            guard fsync(descriptor) == 0 else { throw cannotWrite(path, reason: String(cString: strerror(errno))) }
            close(descriptor)
            isOpen = false
            guard rename(temporary, path) == 0 else { throw cannotWrite(path, reason: String(cString: strerror(errno))) }
        } catch {
            if isOpen { close(descriptor) }
            unlink(temporary)
            throw error
        }
        return written
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw cannotWrite(path, reason: String(cString: strerror(errno))) }
                offset += n
            }
        }
    }

    private static func cannotWrite(_ path: String, reason: String) -> KeyreachError {
        KeyreachError("cannot write \(path): \(reason); give a path in a folder you can write (nothing was written)")
    }
}

/// The `kubectl` executable and the flags every call carries (`--context`,
/// `--kubeconfig`).
public struct Kubectl: Sendable {
    public let executable: String
    public let globalArguments: [String]

    public init(executable: String, context: String? = nil, kubeconfig: String? = nil) {
        self.executable = executable
        var arguments: [String] = []
        if let context { arguments += ["--context", context] }
        if let kubeconfig { arguments += ["--kubeconfig", kubeconfig] }
        globalArguments = arguments
    }

    /// `kubectl` found on `PATH`, or an error that says how to get it.
    public static func locate(context: String? = nil, kubeconfig: String? = nil,
                              path: String? = ProcessInfo.processInfo.environment["PATH"]) throws -> Kubectl {
        for directory in (path ?? "").split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/kubectl"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return Kubectl(executable: candidate, context: context, kubeconfig: kubeconfig)
            }
        }
        throw KeyreachError("kubectl is not on PATH: install it (https://kubernetes.io/docs/tasks/tools/) "
            + "or add its folder to PATH, or make a dump elsewhere and run `keyreach import DUMP`")
    }

    /// What one kubectl call printed. `stdout` lives in memory only.
    public struct Answer: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: String

        /// kubectl's words for missing RBAC permission.
        public var isForbidden: Bool { stderr.contains("Forbidden") || stderr.contains("forbidden") }

        /// The first line of stderr, for a warning.
        public var firstErrorLine: String {
            stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? "no message"
        }
    }

    /// Runs kubectl with `arguments`, reading stdout and stderr at once (so a
    /// big answer cannot block on a full pipe).
    public func run(_ arguments: [String]) -> Answer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = globalArguments + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return Answer(status: 127, stdout: Data(), stderr: "cannot run \(executable): \(error)")
        }
        let errorBytes = ErrorBytes()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errorBytes.data.withLock { $0 = data }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Answer(status: process.terminationStatus, stdout: stdout,
                      stderr: String(decoding: errorBytes.data.withLock { $0 }, as: UTF8.self))
    }
}

/// stderr read on another thread, handed back after `group.wait()`.
private final class ErrorBytes: Sendable {
    let data = Mutex(Data())
}
