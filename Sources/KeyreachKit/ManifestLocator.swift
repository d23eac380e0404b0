import Foundation
import Gate
import KubeModel

/// Finds the file and line where a binding or role is written in the dump
/// files, for `check -o sarif`. DumpReader keeps no source position per
/// object, so this reads the files again and indexes, per file, the line of
/// each RBAC object's `kind:` key (YAML or pretty-printed JSON, as kubectl
/// and helm print them: `kind` before `metadata`, one key per line). An
/// object it cannot find gets the file alone when the dump is one file.
public struct ManifestLocator: Sendable {
    /// What findings point at: the bindings that grant (and their roles). Pods
    /// (the node authorizer's paths) are left out: they are most of a dump.
    static let kinds: Set<String> = ["RoleBinding", "ClusterRoleBinding", "Role", "ClusterRole"]

    private var lines: [ObjectRef: ManifestLocation] = [:]
    private var onlyFile: String?

    /// Indexes `paths` (files, or directories read recursively for .json/.yaml/.yml); `-` is skipped.
    public init(paths: [String]) {
        var files: [String] = []
        for path in paths where path != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue { files.append(path); continue }
            let enumerator = FileManager.default.enumerator(atPath: path)
            while let relative = enumerator?.nextObject() as? String {
                if [".json", ".yaml", ".yml"].contains(where: relative.hasSuffix) { files.append(path + "/" + relative) }
            }
        }
        if files.count == 1, !paths.contains("-") { onlyFile = files[0] }
        for file in files.sorted() {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            for (ref, line) in Self.objects(in: String(decoding: data, as: UTF8.self)) where lines[ref] == nil {
                lines[ref] = ManifestLocation(file: file, line: line)
            }
        }
    }

    /// Where `ref` is written; the file alone when the dump is one file and the object was not found.
    public func location(of ref: ObjectRef) -> ManifestLocation? {
        lines[ref] ?? lines[ObjectRef(kind: ref.kind, namespace: "", name: ref.name)] ?? onlyFile.map { ManifestLocation(file: $0) }
    }

    /// Every RBAC object of one file with the line of its `kind:` key.
    static func objects(in text: String) -> [(ObjectRef, Int)] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var found: [(ObjectRef, Int)] = []
        for (index, line) in lines.enumerated() where mentionsRBACKind(line) {
            guard let key = Self.key(line), key.name == "kind", kinds.contains(key.value) else { continue }
            // The object's metadata: a `metadata` key at the same indentation, before the next `kind` there.
            var name: String?
            var namespace = ""
            var inMetadata = false
            var metadataChildIndent: Int?
            for other in lines[(index + 1)...] {
                guard let other = Self.key(other) else { continue }
                if other.indent < key.indent || (other.indent == key.indent && other.name == "kind") { break }
                if other.indent == key.indent {
                    inMetadata = other.name == "metadata"
                    // Flow style: `metadata: {name: x, namespace: y}`.
                    if inMetadata, let inline = Self.flowMapping(other.raw) {
                        name = inline["name"] ?? name
                        namespace = inline["namespace"] ?? namespace
                    }
                    continue
                }
                guard inMetadata else { continue }
                if metadataChildIndent == nil { metadataChildIndent = other.indent }
                guard other.indent == metadataChildIndent else { continue }
                if other.name == "name" { name = other.value }
                if other.name == "namespace" { namespace = other.value }
            }
            if let name { found.append((ObjectRef(kind: key.value, namespace: namespace, name: name), index + 1)) }
        }
        return found
    }

    /// A cheap first look: does the line hold `Role` (every RBAC kind ends so or
    /// contains it)? Most lines of a dump do not, and are never parsed.
    static func mentionsRBACKind(_ line: Substring) -> Bool {
        let utf8 = line.utf8
        guard utf8.count >= 4 else { return false }
        var iterator = utf8.makeIterator()
        var window: UInt32 = 0
        // "Role" as four bytes.
        let role = UInt32(0x52) << 24 | UInt32(0x6F) << 16 | UInt32(0x6C) << 8 | UInt32(0x65)
        while let byte = iterator.next() {
            window = window << 8 | UInt32(byte)
            if window == role { return true }
        }
        return false
    }

    /// `{name: x, namespace: y}` as a dictionary (one level, no nesting), nil when not a flow mapping.
    static func flowMapping(_ raw: String) -> [String: String]? {
        guard raw.hasPrefix("{"), raw.hasSuffix("}") else { return nil }
        var mapping: [String: String] = [:]
        for pair in raw.dropFirst().dropLast().split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let quotes = CharacterSet(charactersIn: "\"' ")
            mapping[parts[0].trimmingCharacters(in: quotes)] = parts[1].trimmingCharacters(in: quotes)
        }
        return mapping
    }

    /// `  key: value` or `"key": "value",` (a leading `- ` counts as indentation).
    static func key(_ line: Substring) -> (indent: Int, name: String, value: String, raw: String)? {
        var indent = 0
        var rest = line[...]
        while let first = rest.first, first == " " || first == "-" || first == "\t" {
            rest = rest.dropFirst()
            indent += 1
        }
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let name = rest[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        guard !name.isEmpty, !name.contains(" ") else { return nil }
        let raw = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        var value = raw
        if value.hasSuffix(",") { value.removeLast() }
        value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"' {["))
        return (indent, name, value, raw)
    }
}
