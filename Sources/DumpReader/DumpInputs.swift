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
    /// copied; stdin and pipes are read whole.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(DumpError) -> R) throws(DumpError) -> R {
        switch origin {
        case .data(let data):
            return try Self.withData(data, body)
        case .stdin:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return try Self.withData(data, body)
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
                return try Self.withData(data, body)
            }
            guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), mapped != MAP_FAILED else {
                throw DumpError(file: name, message: "cannot map: \(String(cString: strerror(errno)))")
            }
            defer { munmap(mapped, length) }
            _ = madvise(mapped, length, MADV_SEQUENTIAL)
            return try body(UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: length))
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
