import Foundation
import Testing

/// The JSONTestSuite cases (`../shared/jsontestsuite/test_parsing`) run
/// through a parser and through JSONSerialization: y_ must be accepted, n_
/// rejected, i_ either (never a crash), and every case where the parser and
/// JSONSerialization disagree must be one of `knownDifferences`, with why.
public enum JSONTestSuite {
    public struct Outcome: Sendable {
        public var name: String
        public var accepted: Bool
        public var referenceAccepted: Bool
    }

    /// Where keyreach's JSON layer and JSONSerialization part ways, and why
    /// (shared by every parser built on JSONCore's scanner).
    public static let differences: [String: String] = [
        // Numbers: keyreach checks the grammar and keeps a number's text (a
        // Kubernetes field that wants an Int reads it with Int(text), and an
        // out-of-range one is then absent, with the usual warning);
        // JSONSerialization converts to Double and refuses what overflows it.
        "i_number_huge_exp.json": "grammar-valid, overflows Double: keyreach keeps the text",
        "i_number_neg_int_huge_exp.json": "grammar-valid, overflows Double: keyreach keeps the text",
        "i_number_pos_double_huge_exp.json": "grammar-valid, overflows Double: keyreach keeps the text",
        "i_number_real_neg_overflow.json": "grammar-valid, overflows Double: keyreach keeps the text",
        "i_number_real_pos_overflow.json": "grammar-valid, overflows Double: keyreach keeps the text",
        // Encodings: RFC 8259 §8.1 requires UTF-8 between systems; keyreach
        // refuses a NUL byte or invalid UTF-8 as a binary file, where
        // JSONSerialization detects UTF-16 and decodes it.
        "i_string_UTF-16LE_with_BOM.json": "UTF-16 is not a dump keyreach reads (NUL bytes: binary)",
        "i_string_utf16BE_no_BOM.json": "UTF-16 is not a dump keyreach reads (NUL bytes: binary)",
        "i_string_utf16LE_no_BOM.json": "UTF-16 is not a dump keyreach reads (NUL bytes: binary)",
        // Depth: ReadLimits.maxDepth (and JSONValue's default) is 256 levels,
        // JSONSerialization's 512. Kubernetes objects stay under 30.
        "i_structure_500_nested_arrays.json": "deeper than keyreach's 256-level limit",
        // Trailing commas: RFC 8259 forbids them (n_ cases); Foundation's
        // scanner on Linux (swift-foundation) lets one through. keyreach follows the RFC.
        "n_array_extra_comma.json": "JSONSerialization accepts a trailing comma; RFC 8259 does not",
        "n_array_number_and_comma.json": "JSONSerialization accepts a trailing comma; RFC 8259 does not",
        "n_object_trailing_comma.json": "JSONSerialization accepts a trailing comma; RFC 8259 does not",
    ]

    /// Runs `accepts` (true: the bytes parsed) on every case, in name order.
    public static func run(_ accepts: ([UInt8]) -> Bool) throws -> [Outcome] {
        let folder = SharedData.jsonTestSuite.file("test_parsing")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count >= 300, "expected the 318 JSONTestSuite cases in \(folder.path)")
        return try names.map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let reference = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
            return Outcome(name: name, accepted: accepts([UInt8](data)), referenceAccepted: reference)
        }
    }

    public static func check(_ outcomes: [Outcome], knownDifferences: [String: String],
                             sourceLocation: SourceLocation = #_sourceLocation) {
        for outcome in outcomes {
            if outcome.name.hasPrefix("y_") {
                #expect(outcome.accepted || knownDifferences[outcome.name] != nil, "\(outcome.name) must be accepted",
                        sourceLocation: sourceLocation)
            }
            if outcome.name.hasPrefix("n_") {
                #expect(!outcome.accepted, "\(outcome.name) must be rejected", sourceLocation: sourceLocation)
            }
        }
        let differing = Set(outcomes.filter { $0.accepted != $0.referenceAccepted }.map(\.name))
        let listed = Set(knownDifferences.keys)
        for name in differing.subtracting(listed).sorted() {
            let outcome = outcomes.first { $0.name == name }!
            Issue.record("\(name): keyreach \(outcome.accepted ? "accepts" : "rejects"), JSONSerialization \(outcome.referenceAccepted ? "accepts" : "rejects"): undocumented difference",
                         sourceLocation: sourceLocation)
        }
        for name in listed.subtracting(differing).sorted() {
            Issue.record("\(name) is listed as a difference but both agree now", sourceLocation: sourceLocation)
        }
    }
}
