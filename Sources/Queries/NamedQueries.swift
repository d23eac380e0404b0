import Foundation

import Store

/// A named SQL query of `queries/`: one `.sql` file a user can read, copy
/// into `sqlite3 keyreach.db`, or run with `keyreach query NAME --param k=v`.
///
/// The file's leading comment is its documentation, parsed here:
///
/// ```sql
/// -- who-can-secret: every identity allowed to VERB one secret, with the grant that allows it.
/// -- More lines of discussion.
/// -- example: keyreach query who-can-secret --param verb=get --param namespace=production --param name=app-tls
/// -- param verb: get, list or watch
/// -- param snapshot: snapshot name (default "default")
/// SELECT ... WHERE verb = :verb ...
/// ```
public struct NamedQuery: Sendable, Hashable {
    /// One `-- param NAME: description (default "VALUE")` line.
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var summary: String
        /// `nil` when the parameter is required.
        public var defaultValue: String?

        public init(name: String, summary: String, defaultValue: String? = nil) {
            self.name = name
            self.summary = summary
            self.defaultValue = defaultValue
        }
    }

    /// The file name without `.sql`.
    public var name: String
    /// What the query answers: the first sentence of the header, over as many lines as it takes.
    public var summary: String
    /// Further header lines that are not parameters.
    public var discussion: String
    public var parameters: [Parameter]
    /// `-- example: COMMAND` lines: command lines that run the query.
    public var examples: [String]
    /// The whole file, header included (SQLite skips comments).
    public var sql: String

    /// Parses the header of `sql`; lines it does not recognise are discussion.
    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
        summary = ""
        var discussion: [String] = []
        parameters = []
        examples = []
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard trimmed.hasPrefix("--") else { break }
            let text = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
            if let parameter = Self.parameter(text) {
                parameters.append(parameter)
            } else if text.hasPrefix("example:") {
                examples.append(text.dropFirst("example:".count).trimmingCharacters(in: .whitespaces))
            } else if summary.isEmpty, text.hasPrefix(name + ":") {
                summary = text.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
            } else if !summary.isEmpty, discussion.isEmpty, parameters.isEmpty, !summary.hasSuffix(".") {
                // The first sentence may wrap onto the next header lines: the summary is all of it.
                summary += " " + text
            } else {
                discussion.append(text)
            }
        }
        self.discussion = discussion.joined(separator: "\n")
    }

    /// `param NAME: summary (default "VALUE")`.
    private static func parameter(_ text: String) -> Parameter? {
        guard text.hasPrefix("param "), let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[text.index(text.startIndex, offsetBy: 6)..<colon].trimmingCharacters(in: .whitespaces)
        var summary = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        var defaultValue: String?
        if summary.hasSuffix("\")"), let start = summary.range(of: "(default \"", options: .backwards) {
            defaultValue = String(summary[start.upperBound..<summary.index(summary.endIndex, offsetBy: -2)])
            summary = summary[..<start.lowerBound].trimmingCharacters(in: .whitespaces)
        }
        return Parameter(name: name, summary: summary, defaultValue: defaultValue)
    }

    /// The arguments to bind: `given` plus the defaults of parameters not
    /// given. Throws for an unknown parameter or a missing required one.
    public func arguments(_ given: [String: String]) throws -> [String: String] {
        let known = Set(parameters.map(\.name))
        if let unknown = given.keys.sorted().first(where: { !known.contains($0) }) {
            throw NamedQueryError.unknownParameter(query: name, parameter: unknown, known: parameters.map(\.name))
        }
        var arguments = given
        for parameter in parameters where arguments[parameter.name] == nil {
            guard let value = parameter.defaultValue else {
                throw NamedQueryError.missingParameter(query: name, parameter: parameter.name)
            }
            arguments[parameter.name] = value
        }
        return arguments
    }

    /// Runs the query on `store` with `parameters` (defaults filled in).
    public func run(on store: SnapshotStore, parameters given: [String: String] = [:]) throws -> QueryResult {
        try store.query(sql: sql, arguments: arguments(given))
    }
}

/// The named queries shipped in `queries/`, embedded at build time.
public enum NamedQueries {
    /// Every named query, by name.
    public static let all: [NamedQuery] = embeddedQueryFiles.map { NamedQuery(name: $0.name, sql: $0.sql) }

    /// The query called `name`, nil when there is none.
    public static func named(_ name: String) -> NamedQuery? {
        all.first { $0.name == name }
    }
}

/// A named query asked with parameters it cannot take.
public enum NamedQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownParameter(query: String, parameter: String, known: [String])
    case missingParameter(query: String, parameter: String)

    public var description: String {
        switch self {
        case .unknownParameter(let query, let parameter, let known):
            let accepted = known.isEmpty ? "it takes none" : "it takes " + known.joined(separator: ", ")
            return "query \(query) has no parameter \(parameter); \(accepted)"
        case .missingParameter(let query, let parameter):
            return "query \(query) needs --param \(parameter)=VALUE"
        }
    }
}
