import Exposure
import Foundation
import Gate
import KeyreachKit
import Render
import Testing
import TestSupport

/// `check -o sarif` validated against the SARIF 2.1.0 JSON schema of
/// `../shared/sarif/sarif-schema-2.1.0.json` (oasis-tcs/sarif-spec, see its SOURCES.md).
@Suite(SharedData.sarif.required) struct SARIFSchemaTests {
    static func sarif(_ fixture: String, failOn: Severity = .low) throws -> Any {
        let report = try Fixture.workspace(fixture).check(failOn: failOn, expectedHolders: ExpectedHolders())
        let bytes = CheckRenderer.render(report, as: .sarif, toolVersion: "0.0.0-test")
        return try JSONSerialization.jsonObject(with: Data(bytes))
    }

    static func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: SharedData.sarif.file("sarif-schema-2.1.0.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: ["demo/cluster.yaml", "query-cases.yaml", "rbac-edge-cases.yaml"])
    func validAgainstTheSchema(_ fixture: String) throws {
        let schema = try Self.schema()
        let validator = SchemaValidator(root: schema)
        let problems = validator.validate(try Self.sarif(fixture), against: schema, at: "$")
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test func theValidatorCatchesBrokenLogs() throws {
        let schema = try Self.schema()
        let validator = SchemaValidator(root: schema)
        var log = try #require(try Self.sarif("demo/cluster.yaml") as? [String: Any])
        log["version"] = "2.0.0"
        #expect(!validator.validate(log, against: schema, at: "$").isEmpty)
        log["version"] = "2.1.0"
        var runs = try #require(log["runs"] as? [[String: Any]])
        var results = try #require(runs[0]["results"] as? [[String: Any]])
        results[0]["message"] = [String: Any]()          // a message needs text or id
        results[0]["level"] = "fatal"                    // not a SARIF level
        runs[0]["results"] = results
        log["runs"] = runs
        let problems = validator.validate(log, against: schema, at: "$")
        #expect(problems.contains { $0.contains("level") })
        #expect(problems.contains { $0.contains("message") })
    }

    @Test func oneResultPerFindingThatCountsWithStableRules() throws {
        let log = try #require(try Self.sarif("query-cases.yaml", failOn: .medium) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 7)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == ReaderBreadth.allCases.map(CheckRule.id))
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
            let location = try #require((result["locations"] as? [[String: Any]])?.first)
            let physical = try #require(location["physicalLocation"] as? [String: Any])
            #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == Fixture.path("query-cases.yaml"))
            #expect(((physical["region"] as? [String: Any])?["startLine"] as? Int ?? 0) > 0)
        }
        #expect(Set(results.compactMap { $0["level"] as? String }) == ["error", "warning"])
    }
}

/// The part of JSON Schema draft-04 the SARIF schema uses: `$ref` (local),
/// `type`, `required`, `properties`, `additionalProperties`, `items`,
/// `enum`, `minimum`, `minItems`, `uniqueItems`, `pattern`, `anyOf`, `oneOf`.
/// `format` and `default` are annotations.
struct SchemaValidator {
    let root: [String: Any]

    func validate(_ value: Any, against schema: [String: Any], at path: String) -> [String] {
        if let reference = schema["$ref"] as? String {
            guard reference.hasPrefix("#/definitions/"),
                  let definitions = root["definitions"] as? [String: Any],
                  let target = definitions[String(reference.dropFirst("#/definitions/".count))] as? [String: Any]
            else { return ["\(path): unresolvable $ref \(reference)"] }
            return validate(value, against: target, at: path)
        }
        var problems: [String] = []
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as? String ?? ""]
            if !types.contains(where: { Self.value(value, is: $0) }) {
                return ["\(path): expected \(types.joined(separator: "|")), got \(Swift.type(of: value))"]
            }
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) is not one of \(allowed)")
        }
        if let minimum = schema["minimum"] as? Double, let number = value as? Double, number < minimum {
            problems.append("\(path): \(number) < \(minimum)")
        }
        if let pattern = schema["pattern"] as? String, let string = value as? String,
           string.range(of: pattern, options: .regularExpression) == nil {
            problems.append("\(path): \(string) does not match \(pattern)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing required \(key)")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, member) in object {
                if let property = properties[key] as? [String: Any] {
                    problems += validate(member, against: property, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] {
                    if additional as? Bool == false {
                        problems.append("\(path): unexpected property \(key)")
                    } else if let additional = additional as? [String: Any] {
                        problems += validate(member, against: additional, at: "\(path).\(key)")
                    }
                }
            }
        }
        if let array = value as? [Any] {
            if let minItems = schema["minItems"] as? Int, array.count < minItems {
                problems.append("\(path): fewer than \(minItems) items")
            }
            if schema["uniqueItems"] as? Bool == true, Set(array.map { "\($0)" }).count != array.count {
                problems.append("\(path): items are not unique")
            }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { problems += validate(item, against: items, at: "\(path)[\(index)]") }
            }
        }
        if let anyOf = schema["anyOf"] as? [[String: Any]],
           !anyOf.contains(where: { validate(value, against: $0, at: path).isEmpty }) {
            problems.append("\(path): matches none of anyOf")
        }
        if let oneOf = schema["oneOf"] as? [[String: Any]],
           oneOf.filter({ validate(value, against: $0, at: path).isEmpty }).count != 1 {
            problems.append("\(path): does not match exactly one of oneOf")
        }
        return problems
    }

    static func value(_ value: Any, is type: String) -> Bool {
        switch type {
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "integer": (value as? NSNumber).map { $0.doubleValue.rounded() == $0.doubleValue } ?? false
        case "number": value is NSNumber
        case "boolean": value is Bool
        case "null": value is NSNull
        default: true
        }
    }
}
