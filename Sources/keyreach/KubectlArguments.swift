/// kubectl's command-line habits, turned into arguments swift-argument-parser
/// understands, before it sees them:
///
/// - a short option with its value attached: `-nproduction`, `-ojson`, `-o=json`
///   become `-n production`, `-o json` (`--namespace=x` already works);
/// - options before the subcommand, as kubectl allows them
///   (`keyreach -n production who-can get secrets`): moved after it;
/// - a mistyped subcommand (`whocan`, `exposre`): a "did you mean" error.
///
/// ```swift
/// KubectlArguments.normalize(["-nprod", "who-can", "get", "secrets", "-ojson"])
/// // ["who-can", "-n", "prod", "get", "secrets", "-o", "json"]
/// ```
enum KubectlArguments {
    /// Short options that take a value.
    static let shortValueOptions: Set<Character> = ["n", "o"]

    /// Options that take a value, so the next argument is never read as a
    /// subcommand or re-split.
    static let valueOptions: Set<String> = [
        "-n", "--namespace", "-o", "--output", "--db", "--dump", "--snapshot", "--as", "--as-group",
        "--subresource", "--allow", "--param", "--cluster-resource-namespace",
    ]

    /// What the root command accepts by itself.
    static let rootOnly: Set<String> = ["-h", "--help", "--version", "--experimental-dump-help",
                                        "--generate-completion-script"]

    /// Splits attached short-option values, then moves options given before
    /// the subcommand after it.
    static func normalize(_ arguments: [String]) -> [String] {
        let split = splitAttachedValues(arguments)
        return moveLeadingOptions(split)
    }

    /// `-nprod` → `-n prod`, `-o=json` → `-o json`; stops at `--`, and never
    /// touches the value of an option.
    static func splitAttachedValues(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                out += arguments[(index - 1)...]
                break
            }
            if valueOptions.contains(argument) {
                out.append(argument)
                if index < arguments.count { out.append(arguments[index]) }
                index += 1
                continue
            }
            let characters = Array(argument)
            if characters.count > 2, characters[0] == "-", characters[1] != "-",
               shortValueOptions.contains(characters[1]) {
                var value = String(characters[2...])
                if value.hasPrefix("=") { value.removeFirst() }
                out += ["-" + String(characters[1]), value]
                continue
            }
            out.append(argument)
        }
        return out
    }

    /// `-n prod who-can get secrets` → `who-can -n prod get secrets`. Only
    /// when the first argument is an option other than the root's own
    /// (`--help`, `--version`).
    static func moveLeadingOptions(_ arguments: [String]) -> [String] {
        guard let first = arguments.first, first.hasPrefix("-"), first != "-", !rootOnly.contains(first) else {
            return arguments
        }
        var leading: [String] = []
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-"), arguments[index] != "-",
              arguments[index] != "--", !rootOnly.contains(arguments[index]) {
            let option = arguments[index]
            leading.append(option)
            index += 1
            let attached = option.hasPrefix("--") && option.contains("=")
            if valueOptions.contains(option), !attached, index < arguments.count {
                leading.append(arguments[index])
                index += 1
            }
        }
        guard index < arguments.count else { return arguments }
        return [arguments[index]] + leading + arguments[(index + 1)...]
    }

    /// The subcommand a mistyped name most likely meant, if one is close:
    /// the same letters without dashes (`whocan`), a prefix (`expo`), or at
    /// most two edits away (`exposre`, `imoprt`).
    static func suggestion(for name: String, among commands: [String]) -> String? {
        let squashed = name.lowercased().filter { $0 != "-" && $0 != "_" }
        if let exact = commands.first(where: { $0.filter { $0 != "-" } == squashed }) { return exact }
        if squashed.count >= 3, let prefix = commands.first(where: { $0.hasPrefix(name.lowercased()) }) { return prefix }
        let scored = commands.map { ($0, editDistance(squashed, $0.filter { $0 != "-" })) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    /// Damerau–Levenshtein distance (optimal string alignment): a swap of two
    /// neighbouring letters counts as one edit, as a typo does.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
