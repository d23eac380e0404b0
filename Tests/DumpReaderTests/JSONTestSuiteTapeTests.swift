import Foundation
import JSONCore
import TestSupport
import Testing
@testable import DumpReader

/// Every JSONTestSuite case through the reader's tape (scanner, structure,
/// limits, UTF-8 and NUL checks), a top-level scalar or array included, so
/// the cases test the parser and not the Kubernetes mapping.
@Suite(SharedData.jsonTestSuite.required) struct JSONTestSuiteTapeTests {
    @Test func everyCaseAgreesWithRFC8259AndJSONSerialization() throws {
        let outcomes = try JSONTestSuite.run { bytes in
            bytes.withUnsafeBufferPointer { (try? JSONTapeReader.parseOneValue($0)) != nil }
        }
        JSONTestSuite.check(outcomes, knownDifferences: JSONTestSuite.differences)
    }
}
