import KubeModel

/// A `metav1.LabelSelector` converted the way `metav1.LabelSelectorAsSelector`
/// converts it (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go): `{}`
/// selects everything, `matchLabels` and `matchExpressions` are ANDed, and a
/// selector with an unknown operator, an In/NotIn without values, an
/// Exists/DoesNotExist with values, or an invalid label key or value is an
/// error (`nil` here) rather than a selector. Keys, values and operators
/// compare as bytes, as Go's map lookups and `sets.String` do.
public struct CompiledLabelSelector: Sendable, Hashable {
    enum Requirement: Sendable, Hashable {
        case inSet(key: ByteString, values: Set<ByteString>)
        case notInSet(key: ByteString, values: Set<ByteString>)
        case exists(key: ByteString)
        case doesNotExist(key: ByteString)
    }

    let requirements: [Requirement]

    /// `nil` when `LabelSelectorAsSelector` would return an error.
    public init?(_ selector: LabelSelector) {
        var requirements: [Requirement] = []
        for (key, value) in selector.matchLabels {
            guard isValidLabelKey(key), isValidLabelValue(value) else { return nil }
            requirements.append(.inSet(key: ByteString(key), values: [ByteString(value)]))
        }
        for expression in selector.matchExpressions {
            guard let requirement = Self.requirement(expression) else { return nil }
            requirements.append(requirement)
        }
        self.requirements = requirements
    }

    /// labels.NewRequirement: In/NotIn need values, Exists/DoesNotExist take
    /// none, keys and values must be valid label syntax; any other operator
    /// is "not a valid label selector operator".
    static func requirement(_ expression: LabelSelectorRequirement) -> Requirement? {
        guard isValidLabelKey(expression.key), expression.values.allSatisfy(isValidLabelValue) else { return nil }
        let key = ByteString(expression.key)
        let values = Set(expression.values.map(ByteString.init))
        let op = expression.operator
        if sameBytes(op, "In") { return values.isEmpty ? nil : .inSet(key: key, values: values) }
        if sameBytes(op, "NotIn") { return values.isEmpty ? nil : .notInSet(key: key, values: values) }
        if sameBytes(op, "Exists") { return values.isEmpty ? .exists(key: key) : nil }
        if sameBytes(op, "DoesNotExist") { return values.isEmpty ? .doesNotExist(key: key) : nil }
        return nil
    }

    /// `Selector.Matches`: every requirement holds. `NotIn` and
    /// `DoesNotExist` hold for objects without the label (Requirement.Matches).
    public func matches(_ labels: ByteKeyedMap) -> Bool {
        // `labels[key]` would find a label whose key is only canonically
        // equal (`\u{212A}` for `K`); labels are few, so look them up by bytes.
        matches(byteLabels(labels))
    }

    /// ``matches(_:)`` of labels already keyed by bytes (``byteLabels(_:)``).
    func matches(_ labels: [ByteString: ByteString]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case let .inSet(key, values):
                guard let value = labels[key] else { return false }
                return values.contains(value)
            case let .notInSet(key, values):
                guard let value = labels[key] else { return true }
                return !values.contains(value)
            case let .exists(key):
                return labels[key] != nil
            case let .doesNotExist(key):
                return labels[key] == nil
            }
        }
    }
}

/// An object's labels keyed and valued by bytes (the reader keeps
/// canonically equal keys apart, as the API server does).
func byteLabels(_ labels: ByteKeyedMap) -> [ByteString: ByteString] {
    labels.byteEntries
}

// Label syntax, from k8s.io/apimachinery/pkg/util/validation (IsQualifiedName,
// IsValidLabelValue, IsDNS1123Subdomain).

private let qualifiedNameMaxLength = 63
private let labelValueMaxLength = 63
private let dns1123SubdomainMaxLength = 253

/// `IsQualifiedName`: `[prefix/]name`, the prefix a DNS-1123 subdomain, the
/// name 1–63 alphanumerics with `-`, `_`, `.` inside.
func isValidLabelKey(_ key: String) -> Bool {
    let parts = key.split(separator: "/", omittingEmptySubsequences: false)
    switch parts.count {
    case 1:
        return isQualifiedNamePart(Substring(parts[0]))
    case 2:
        return !parts[0].isEmpty && isDNS1123Subdomain(parts[0]) && isQualifiedNamePart(parts[1])
    default:
        return false
    }
}

/// `IsValidLabelValue`: empty, or 1–63 characters of the qualified-name form.
func isValidLabelValue(_ value: String) -> Bool {
    value.isEmpty || isQualifiedNamePart(Substring(value))
}

private func isQualifiedNamePart(_ name: Substring) -> Bool {
    let bytes = Array(name.utf8)
    guard !bytes.isEmpty, bytes.count <= qualifiedNameMaxLength,
          isASCIIAlphanumeric(bytes.first!), isASCIIAlphanumeric(bytes.last!) else { return false }
    return bytes.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
}

private func isDNS1123Subdomain(_ name: Substring) -> Bool {
    guard name.utf8.count <= dns1123SubdomainMaxLength else { return false }
    return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
        let bytes = Array(label.utf8)
        guard let first = bytes.first, let last = bytes.last,
              isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}

private func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
}

private func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
}
