import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file (or stdin, or in-memory bytes) to read, with its size known up
/// front so progress can show a total.
struct DumpInput {
    enum Origin {
        case file(String)
        case stdin
        case data(Data)
    }

    var name: String
    var origin: Origin
    var size: Int
    /// Found by walking a directory, not named by the user.
    var walked = false

    /// Calls `body` with the input's bytes: a regular file is mapped, not
    /// copied; stdin and pipes are read whole. A big file's pages can be
    /// handed back as they are read (see ``PageRelease``).
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>, PageRelease) throws(DumpError) -> R) throws(DumpError) -> R {
        switch origin {
        case .data(let data):
            return try Self.withData(data) { bytes throws(DumpError) in try body(bytes, .none) }
        case .stdin:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return try Self.withData(data) { bytes throws(DumpError) in try body(bytes, .none) }
        case .file(let path):
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw DumpError(file: name, message: "cannot open: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw DumpError(file: name, message: "cannot stat: \(String(cString: strerror(errno)))") }
            let length = Int(info.st_size)
            guard (info.st_mode & S_IFMT) == S_IFREG, length > 0 else {
                // Not a regular file (a pipe, /dev/stdin) or empty: read what there is.
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw DumpError(file: name, message: "cannot read")
                }
                return try Self.withData(data) { bytes throws(DumpError) in try body(bytes, .none) }
            }
            // A big file is faulted in as it is read and handed back behind
            // the reader, so it never sits in memory whole beside its objects;
            // a smaller one is mapped in one go (fewer faults, faster).
            let big = length >= PageRelease.minimumFileSize
            guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE | (big ? 0 : MAP_POPULATE), fd, 0), mapped != MAP_FAILED else {
                throw DumpError(file: name, message: "cannot map: \(String(cString: strerror(errno)))")
            }
            defer { munmap(mapped, length) }
            _ = madvise(mapped, length, MADV_SEQUENTIAL)
            let bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: length)
            return try body(bytes, big ? PageRelease(mapping: bytes) : .none)
        }
    }

    private static func withData<R>(_ data: Data, _ body: (UnsafeBufferPointer<UInt8>) throws(DumpError) -> R) throws(DumpError) -> R {
        let result: Result<R, DumpError> = data.withUnsafeBytes { raw in
            do throws(DumpError) {
                return .success(try body(raw.bindMemory(to: UInt8.self)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// The pages of a file mapping that a reader has read past, handed back to
/// the kernel: `MADV_DONTNEED` on a private read-only file mapping drops
/// them, and a later touch (a List item read again, a warning's line count)
/// reads them from the file again. So a 1 GB dump is not resident whole
/// beside the objects built from it. Only ever for a file mapping: on heap
/// memory (stdin, in-memory data) DONTNEED would zero the bytes, hence `none`.
/// A value (addresses as integers), so a reader on another core holds its own.
struct PageRelease: Sendable {
    private let start: UInt
    private let end: UInt

    /// No release: the bytes are not a file mapping, or a small one.
    static let none = PageRelease(start: 0, end: 0)
    /// Files this big are released as they are read.
    static let minimumFileSize = 64 << 20
    /// A reader releases what is behind it every this many bytes.
    static let step = 16 << 20
    private static let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))

    private init(start: UInt, end: UInt) {
        self.start = start
        self.end = end
    }

    init(mapping: UnsafeBufferPointer<UInt8>) {
        start = UInt(bitPattern: mapping.baseAddress)
        end = start + UInt(mapping.count)
    }

    var isActive: Bool { start != 0 }

    /// Releases the whole pages between `from` and `to` (never a page
    /// partly outside: its other bytes may still be read).
    func release(from: UnsafePointer<UInt8>, to: UnsafePointer<UInt8>) {
        guard start != 0 else { return }
        let low = (max(UInt(bitPattern: from), start) + Self.pageSize - 1) & ~(Self.pageSize - 1)
        let high = min(UInt(bitPattern: to), end) & ~(Self.pageSize - 1)
        guard high > low, let pointer = UnsafeMutableRawPointer(bitPattern: low) else { return }
        _ = madvise(pointer, Int(high - low), MADV_DONTNEED)
    }
}

enum DumpInputs {
    static let extensions: Set<String> = ["yaml", "yml", "json"]

    /// Expands the sources into files: directories recursively (dump
    /// extensions only, sorted; hidden entries such as `.github/` and the
    /// build folder `.build/` are not walked), `-` as stdin.
    static func resolve(_ sources: [DumpSource]) throws(DumpError) -> [DumpInput] {
        var inputs: [DumpInput] = []
        for source in sources {
            switch source {
            case .data(let data, let name):
                inputs.append(DumpInput(name: name, origin: .data(data), size: data.count))
            case .path("-"):
                inputs.append(DumpInput(name: "<stdin>", origin: .stdin, size: 0))
            case .path(let path):
                inputs += try expand(path)
            }
        }
        return inputs
    }

    private static func expand(_ path: String) throws(DumpError) -> [DumpInput] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DumpError(file: path, message: "no such file or directory")
        }
        guard isDirectory.boolValue else {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw DumpError(file: path, message: "cannot read: permission denied")
            }
            return [DumpInput(name: path, origin: .file(path), size: fileSize(path))]
        }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw DumpError(file: path, message: "cannot list the directory")
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if (relative as NSString).lastPathComponent.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            let ext = (relative as NSString).pathExtension.lowercased()
            guard extensions.contains(ext) else { continue }
            let full = (path as NSString).appendingPathComponent(relative)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { files.append(full) }
        }
        return try files.sorted().map { file throws(DumpError) in
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw DumpError(file: file, message: "cannot read: permission denied")
            }
            return DumpInput(name: file, origin: .file(file), size: fileSize(file), walked: true)
        }
    }

    private static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
