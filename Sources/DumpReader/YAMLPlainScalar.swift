/// What an untagged plain YAML scalar means to Kubernetes. The API server
/// and kubectl read YAML through sigs.k8s.io/yaml, which decodes it with
/// go-yaml v2 (a YAML 1.1 resolver) into untyped values, converts them to
/// JSON, and only then decodes the JSON into the typed object. So `yes`,
/// `on`, `0755` and `1e3` are a boolean and numbers by the time the object's
/// type is known, and a string field holding one is a decoding error
/// ("cannot unmarshal bool into Go struct field ... of type string").
/// Quoted and block scalars are always strings.
///
/// The rules follow go-yaml v2's `resolve` (sigs.k8s.io/yaml/goyaml.v2/resolve.go):
/// a lookup table for `y|Y|yes|Yes|YES|n|...|on|off|true|false|null|~|.inf|.nan`,
/// then, for scalars starting with a digit or a sign, a timestamp
/// (`2024-01-31`, which stays a string when decoded untyped), an integer in
/// Go's base-prefix syntax with `_` removed (`0x1F`, `0o17`, `0755` octal,
/// `0b101`, `+1_000`), or a float (`1e3`, `1.`, `.5`).
enum YAMLPlainScalar: Equatable {
    case string, null, bool(Bool), int, float
    /// The `<<` merge key.
    case merge

    /// Whether JSON would carry it as a string.
    var isString: Bool { self == .string }

    static func resolve(_ text: UnsafeBufferPointer<UInt8>) -> YAMLPlainScalar {
        guard let first = text.first else { return .null }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"),
             UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"),
             UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "~"):
            guard text.count <= 5, text.count == 1 || mayBeWord(first, text[1]) else { return .string }
            return lookup(text) ?? .string
        case UInt8(ascii: "."):
            if text.count == 4, let found = lookup(text) { return found }
            return isDotFloat(text) ? .float : .string
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if text.count <= 5, first != UInt8(ascii: "0"), let found = lookup(text) { return found }
            return number(text)
        case UInt8(ascii: "<"):
            return text.count == 2 && text[1] == UInt8(ascii: "<") ? .merge : .string
        default:
            return .string
        }
    }

    /// go-yaml v2's resolve table, keyed by the scalar's bytes packed into
    /// one word (at most 5 bytes, plus the length) and sorted: a plain scalar
    /// is looked up with a few integer compares, no string built, no hash.
    private static let table: [(key: UInt64, value: YAMLPlainScalar)] = {
        var table: [(key: UInt64, value: YAMLPlainScalar)] = []
        func add(_ words: [String], _ value: YAMLPlainScalar) {
            for word in words { table.append((Array(word.utf8).withUnsafeBufferPointer(pack), value)) }
        }
        add(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"], .bool(true))
        add(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"], .bool(false))
        add(["~", "null", "Null", "NULL"], .null)
        add([".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"], .float)
        return table.sorted { $0.key < $1.key }
    }()

    private static func pack(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var word = UInt64(text.count) << 56
        for (i, byte) in text.enumerated() { word |= UInt64(byte) << (8 * UInt64(i)) }
        return word
    }

    private static func lookup(_ text: UnsafeBufferPointer<UInt8>) -> YAMLPlainScalar? {
        let key = pack(text)
        return table.withUnsafeBufferPointer { entries in
            var low = 0
            var high = entries.count
            while low < high {
                let mid = (low + high) >> 1
                if entries[mid].key < key { low = mid + 1 } else { high = mid }
            }
            return low < entries.count && entries[low].key == key ? entries[low].value : nil
        }
    }

    /// Whether a scalar starting with these two letters can be a word of the
    /// table: most names (`name`, `nginx`, `team`) are told apart here,
    /// before any lookup.
    @inline(__always)
    private static func mayBeWord(_ first: UInt8, _ second: UInt8) -> Bool {
        let second = second | 0x20  // lower case
        switch first | 0x20 {
        case UInt8(ascii: "y"): return second == UInt8(ascii: "e")
        case UInt8(ascii: "n"): return second == UInt8(ascii: "o") || second == UInt8(ascii: "u")
        case UInt8(ascii: "t"): return second == UInt8(ascii: "r")
        case UInt8(ascii: "f"): return second == UInt8(ascii: "a")
        case UInt8(ascii: "o"): return second == UInt8(ascii: "n") || second == UInt8(ascii: "f")
        default: return false
        }
    }

    /// `.5`, `.5e3`: what Go's ParseFloat accepts after a leading dot.
    private static func isDotFloat(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 1
        let digits = i
        while i < text.count, isDigit(text[i]) { i += 1 }
        guard i > digits else { return false }
        return exponent(text, from: i) == text.count
    }

    /// A scalar starting with a digit or a sign: int, float, or (a timestamp, or anything else) a string.
    private static func number(_ text: UnsafeBufferPointer<UInt8>) -> YAMLPlainScalar {
        // `YYYY-` starts a timestamp or a string; it is never a number.
        if text.count > 4, (0..<4).allSatisfy({ isDigit(text[$0]) }), text[4] == UInt8(ascii: "-") { return .string }
        func classify(_ p: UnsafeBufferPointer<UInt8>) -> YAMLPlainScalar {
            if isGoInteger(p) { return .int }
            return isYAMLFloat(p) ? .float : .string
        }
        guard text.contains(UInt8(ascii: "_")) else { return classify(text) }
        return text.filter { $0 != UInt8(ascii: "_") }.withUnsafeBufferPointer(classify)
    }

    /// Go's `strconv.ParseInt(s, 0, 64)` syntax, any magnitude (go-yaml then
    /// falls back to uint64 and big.Int: still a number).
    private static func isGoInteger(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        guard i < s.count else { return false }
        if s[i] == UInt8(ascii: "0"), i + 1 < s.count {
            let prefix = s[i + 1] | 0x20
            let body = i + 2
            switch prefix {
            case UInt8(ascii: "x"): return body < s.count && s[body...].allSatisfy(isHexDigit)
            case UInt8(ascii: "o"): return body < s.count && s[body...].allSatisfy { $0 >= 0x30 && $0 <= 0x37 }
            case UInt8(ascii: "b"): return body < s.count && s[body...].allSatisfy { $0 == 0x30 || $0 == 0x31 }
            default: return s[(i + 1)...].allSatisfy { $0 >= 0x30 && $0 <= 0x37 }  // leading 0: octal
            }
        }
        return s[i...].allSatisfy(isDigit)
    }

    /// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
    private static func isYAMLFloat(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        let start = i
        while i < s.count, isDigit(s[i]) { i += 1 }
        let integerDigits = i - start
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            let fraction = i
            while i < s.count, isDigit(s[i]) { i += 1 }
            if integerDigits == 0, i == fraction { return false }
        } else if integerDigits == 0 {
            return false
        }
        return exponent(s, from: i) == s.count
    }

    /// The end of an optional `[eE][-+]?[0-9]+` at `i`, or -1 when malformed.
    private static func exponent(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        guard i < s.count, s[i] | 0x20 == UInt8(ascii: "e") else { return i }
        i += 1
        if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        let digits = i
        while i < s.count, isDigit(s[i]) { i += 1 }
        return i > digits ? i : -1
    }

    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) private static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
    }

    /// A plain mapping key as sigs.k8s.io/yaml writes it into JSON: keys
    /// that resolve to booleans or numbers become their string forms
    /// (`yes` → `"true"`, `0x10` → `"16"`, `0755` → `"493"`). Nil when the
    /// key is a string already (or a float, null or a number too big for 64
    /// bits: kept as written).
    static func jsonKey(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        switch resolve(text) {
        case .bool(let value): return value ? "true" : "false"
        case .int:
            let plain = String(decoding: text.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
            return goInteger(plain).map(String.init)
        default: return nil
        }
    }

    private static func goInteger(_ s: String) -> Int64? {
        var body = Substring(s)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        var radix = 10
        let lower = body.lowercased()
        if lower.hasPrefix("0x") { radix = 16; body = body.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; body = body.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; body = body.dropFirst(2) }
        else if body.count > 1, body.hasPrefix("0") { radix = 8; body = body.dropFirst() }
        guard let magnitude = UInt64(body, radix: radix) else { return nil }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }
}
