import KubeModel
import RBAC

/// A label selector written as text (`app=web,tier in (a,b),!legacy`), as
/// `labels.Parse` of k8s.io/apimachinery reads it for the annotations that
/// select namespaces (kubernetes-replicator's `replicate-to-matching`, kubed's
/// `sync`). Requirements are separated by commas outside parentheses and
/// ANDed: `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (v1,v2)`, `k notin (v1,v2)`.
/// The numeric `k>1`/`k<1` forms are not read: such a selector selects
/// nothing here (a copy keyreach cannot place is not invented).
///
/// ```swift
/// LabelSelectorText.parse("team=web,env!=dev")?.matches(["team": "web"])   // true
/// ```
public enum LabelSelectorText {
    /// The selector, compiled the way RBAC's aggregation selectors are; nil when the text is not one.
    public static func parse(_ text: String) -> CompiledLabelSelector? {
        var expressions: [LabelSelectorRequirement] = []
        for part in splitOutsideParentheses(text) {
            let requirement = part.trimmingWhitespace()
            if requirement.isEmpty { continue }
            guard let expression = self.requirement(requirement) else { return nil }
            expressions.append(expression)
        }
        return CompiledLabelSelector(LabelSelector(matchExpressions: expressions))
    }

    static func requirement(_ text: String) -> LabelSelectorRequirement? {
        if text.hasPrefix("!") {
            return LabelSelectorRequirement(key: text.dropFirst().trimmingWhitespace(), operator: "DoesNotExist")
        }
        for (symbol, op) in [("!=", "NotIn"), ("==", "In"), ("=", "In")] {
            if let range = text.range(of: symbol) {
                let key = text[..<range.lowerBound].trimmingWhitespace()
                let value = text[range.upperBound...].trimmingWhitespace()
                return LabelSelectorRequirement(key: key, operator: op, values: [value])
            }
        }
        if text.contains(">") || text.contains("<") { return nil }
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard words.count == 2 else { return LabelSelectorRequirement(key: text, operator: "Exists") }
        let rest = words[1].trimmingWhitespace()
        let op: String
        if rest.hasPrefix("notin") { op = "NotIn" } else if rest.hasPrefix("in") { op = "In" } else { return nil }
        let list = rest.dropFirst(op == "In" ? 2 : 5).trimmingWhitespace()
        guard list.hasPrefix("("), list.hasSuffix(")") else { return nil }
        let values = list.dropFirst().dropLast().split(separator: ",").map { $0.trimmingWhitespace() }
        return LabelSelectorRequirement(key: words[0], operator: op, values: values)
    }

    static func splitOutsideParentheses(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}
