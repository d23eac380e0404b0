import Foundation
import Testing
import KubeModel
@testable import DumpReader

/// Bad input: a DumpError naming the file, the line (and column where it is
/// known) and what is wrong — never a crash, a hang or a runaway allocation.
@Suite struct BadInputTests {
    func expectError(_ error: DumpError?, file: String, line: Int, column: Int? = nil, says words: String...,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("expected an error", sourceLocation: sourceLocation)
            return
        }
        #expect(error.file == file, sourceLocation: sourceLocation)
        #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
        if let column { #expect(error.column == column, "\(error)", sourceLocation: sourceLocation) }
        #expect(error.description.hasPrefix("\(file):\(line):"), sourceLocation: sourceLocation)
        for word in words { #expect(error.message.contains(word), "\(error)", sourceLocation: sourceLocation) }
    }

    @Test func malformedJSONNamesLineAndColumn() {
        let text = "{\n  \"kind\": \"Secret\",\n  \"metadata\": {\"name\": \"x\",, }\n}\n"
        expectError(readError(text, name: "bad.json"), file: "bad.json", line: 3, column: 28, says: "invalid JSON", "a string key")
    }

    @Test func truncatedJSONSaysEndOfFile() {
        let text = "{\"kind\": \"List\", \"items\": [\n  {\"kind\": \"Secret\", \"metadata\": {\"name\": \"x\", \"namespace\": \"n\"}},\n  {\"kind\": \"Sec"
        expectError(readError(text, name: "cut.json"), file: "cut.json", line: 3, column: 16, says: "end of file", "truncated")
        let cutBetweenTokens = "{\"kind\": \"Secret\",\n \"metadata\": {"
        expectError(readError(cutBetweenTokens, name: "cut2.json"), file: "cut2.json", line: 2, says: "end of file")
    }

    @Test func malformedYAMLUsesLibyamlsMark() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: [unclosed\n  namespace: n\n"
        let error = readError(text, name: "bad.yaml")
        #expect(error?.message.hasPrefix("invalid YAML:") == true)
        #expect(error?.file == "bad.yaml")
        #expect(error?.line == 6 || error?.line == 5, "\(String(describing: error))")
        let tab = "apiVersion: v1\nkind: Secret\nmetadata:\n\tname: x\n"
        expectError(readError(tab, name: "tab.yaml"), file: "tab.yaml", line: 4, column: 1, says: "invalid YAML")
    }

    @Test func binaryFilesAreNamedAsSuch() {
        var bytes = Data("apiVersion: v1\nkind: Secret\n".utf8)
        bytes.append(contentsOf: [0x00, 0x01, 0x02])
        #expect(readError(bytes, name: "nul.bin") == DumpError(file: "nul.bin", message: "binary file, not a JSON or YAML dump"))
        let invalidUTF8 = Data([0x89, 0x50, 0x4E, 0x47, 0xFF, 0xFE, 0x41, 0x42])
        #expect(readError(invalidUTF8, name: "image.png")?.description == "image.png: binary file, not a JSON or YAML dump")
    }

    /// A big dump is searched for NUL bytes a part per core: a NUL in any
    /// part, at either edge of a part, is found; a file without one passes.
    @Test(arguments: [1, 2, 3, 7])
    func nulSearchedInParts(parts: Int) {
        let size = 1_000
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: size)
        #expect(!bytes.withUnsafeBufferPointer { BinaryCheck.hasNUL($0, parts: parts) })
        let partSize = (size + parts - 1) / parts
        let edges = (0..<parts).flatMap { [$0 * partSize, min(size - 1, ($0 + 1) * partSize - 1)] }
        for at in Set(edges + [size / 2, size - 1]) {
            bytes[at] = 0
            #expect(bytes.withUnsafeBufferPointer { BinaryCheck.hasNUL($0, parts: parts) }, "NUL at \(at), \(parts) parts")
            bytes[at] = UInt8(ascii: "a")
        }
        let tiny: [UInt8] = [0]
        #expect(tiny.withUnsafeBufferPointer { BinaryCheck.hasNUL($0, parts: parts) })
    }

    @Test func objectWithoutKindOrName() {
        let noKind = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# second\napiVersion: v1\nmetadata: {name: b}\n"
        expectError(readError(noKind, name: "k.yaml"), file: "k.yaml", line: 6, says: "without kind", "apiVersion v1")
        let noName = "{\"kind\": \"List\", \"items\": [\n{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"namespace\": \"n\"}}]}"
        expectError(readError(noName, name: "n.json"), file: "n.json", line: 2, column: 1, says: "Secret without metadata.name")
        let itemOfUntypedList = "kind: List\napiVersion: v1\nitems:\n- metadata: {name: x}\n"
        expectError(readError(itemOfUntypedList, name: "l.yaml"), file: "l.yaml", line: 4, says: "without kind")
    }

    @Test func documentsThatAreNotKubernetesObjects() {
        expectError(readError("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\njust a sentence\n", name: "s.yaml"),
                    file: "s.yaml", line: 5, says: "not a Kubernetes object", "scalar")
        expectError(readError("- a\n- b\n", name: "seq.yaml"), file: "seq.yaml", line: 1, says: "not a Kubernetes object", "sequence")
        expectError(readError("\nname: x\nreplicas: 3\n", name: "map.yaml"), file: "map.yaml", line: 2,
                    says: "not a Kubernetes object", "without kind or apiVersion")
        expectError(readError("[1, 2]", name: "a.json"), file: "a.json", line: 1, says: "not a Kubernetes object")
        expectError(readError("{\"a\": 1}\n\"text\"", name: "b.json"), file: "b.json", line: 1, says: "not a Kubernetes object")
    }

    @Test func yamlAliasBombStopsEarly() {
        var lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", "data:", "  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append("  \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
        }
        let started = Date()
        let error = readError(lines.joined(separator: "\n") + "\n", name: "bomb.yaml")
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(error?.file == "bomb.yaml")
        #expect(error?.line != nil)
        #expect(error?.message.contains("alias") == true, "\(String(describing: error))")
        // A modest limit stops the alias count itself.
        let counted = readError(lines.joined(separator: "\n") + "\n", name: "bomb.yaml",
                                limits: ReadLimits(maxAliasExpansions: 20))
        #expect(counted?.message.contains("more than 20 alias expansions") == true, "\(String(describing: counted))")
    }

    @Test func absurdNestingHitsTheDepthLimit() {
        let deepJSON = String(repeating: "[", count: 100_000)
        expectError(readError(deepJSON, name: "deep.json"), file: "deep.json", line: 1, column: 257, says: "nesting deeper than 256")
        let deepInObject = "{\"kind\": \"Secret\", \"data\": " + String(repeating: "{\"a\": ", count: 100_000)
        expectError(readError(deepInObject, name: "deep2.json"), file: "deep2.json", line: 1, says: "nesting deeper than 256")
        let deepFlowYAML = "kind: Secret\ndata: " + String(repeating: "[", count: 100_000)
        expectError(readError(deepFlowYAML, name: "deep.yaml"), file: "deep.yaml", line: 2, says: "nesting deeper than")
        let deepBlockYAML = "kind: Secret\ndata:\n" + (1...300).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " 1\n"
        expectError(readError(deepBlockYAML, name: "block.yaml"), file: "block.yaml", line: 258, says: "nesting deeper than 256")
    }

    @Test func nodeLimitPerDocument() {
        let items = Array(repeating: "1", count: 1000).joined(separator: ",")
        let text = "{\"kind\": \"ConfigMap\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"x\"}, \"data\": [\(items)]}"
        expectError(readError(text, name: "wide.json", limits: ReadLimits(maxNodesPerDocument: 500)), file: "wide.json", line: 1,
                    says: "more than 500 values")
    }

    @Test func missingPathIsNamed() {
        let path = "/nonexistent-\(UUID().uuidString)/dump.yaml"
        do {
            _ = try DumpReader().read([.path(path)])
            Issue.record("expected an error")
        } catch {
            #expect(error == DumpError(file: path, message: "no such file or directory"))
            #expect(error.description == "\(path): no such file or directory")
        }
    }

    @Test func errorsStopAtTheFirstBadFileAndNameIt() {
        do {
            _ = try DumpReader().read([.data(Data("kind: Namespace\napiVersion: v1\nmetadata: {name: ok}\n".utf8), name: "good.yaml"),
                                       .data(Data("{\"kind\": ".utf8), name: "second.json")])
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "second.json")
            #expect(error.line == 1 && error.column == 10)
        }
    }
}
