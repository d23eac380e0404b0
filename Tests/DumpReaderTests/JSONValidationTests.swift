import Foundation
import Testing
@testable import DumpReader

/// The tape's scanner validates as RFC 8259 states it (issue 9): a bad
/// escape, number or lone surrogate anywhere in a dump is an error naming
/// file, line and column, never a silently different value.
@Suite struct JSONValidationTests {
    private func error(_ value: String) -> DumpError? {
        readError("{\"kind\": \"Secret\", \"apiVersion\": \"v1\",\n  \"metadata\": {\"name\": \"s\", \"namespace\": \"n\"},\n  \"x\": \(value)}",
                  name: "v.json")
    }

    @Test(arguments: [
        (#""a\q""#, 10, "unknown escape \\q in a string"),
        (#""\u00g1""#, 13, "four hex digits"),
        (#""\ud800\u0041""#, 9, "high surrogate without its low surrogate"),
        (#""\udc00""#, 9, "lone low surrogate"),
        (#""\ud800""#, 9, "high surrogate without its low surrogate"),
        ("1-2-3e+-", 9, "malformed number 1-2-3e+-"),
        ("01", 9, "malformed number 01"),
        ("1.", 10, "malformed number 1."),
        ("-", 9, "malformed number -"),
        ("1e+", 11, "malformed number 1e+"),
        (".5", 8, "expected a value"),
    ])
    func invalidJSONIsAnErrorWithFileLineAndColumn(value: String, column: Int, message: String) throws {
        let failure = try #require(error(value), "\(value) must be refused")
        #expect(failure.file == "v.json" && failure.line == 3, "\(failure)")
        #expect(failure.column == column, "\(failure)")
        #expect(failure.message.contains(message), "\(failure)")
    }

    @Test(arguments: [#""\ud83d\ude00 \/ \b\f\n\r\t \u00e9""#, "-0", "0.5e-3", "1E+2", "123456789012345678901234567890"])
    func validJSONReads(value: String) {
        #expect(error(value) == nil)
    }

    @Test func escapedKeysAndValuesDecodeOnce() throws {
        let result = try read(#"{"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "s", "namespace": "n", "labels": {"\u0061pp": "caf\u00e9 \ud83d\ude00"}}}"#,
                              name: "e.json")
        #expect(result.snapshot.secrets.first?.meta.labels == ["app": "café 😀"])
    }
}
