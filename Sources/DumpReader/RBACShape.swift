/// RBAC objects the API server would refuse: a field of the wrong type
/// (`verbs: get` instead of `verbs: [get]`, `subjects: {…}`) fails JSON
/// decoding, and a binding without `roleRef` or a subject without `name`
/// fails validation (pkg/apis/rbac/validation). No live cluster holds such an
/// object, but a hand-written manifest can: keyreach skips the whole object,
/// as `kubectl apply` would never create it, and says so with the line, so
/// nothing is lost silently and nothing is guessed.
struct RBACShape {
    let tape: TapeView

    /// Each problem with the line of the offending value.
    typealias Problem = (line: Int, message: String)

    func roleProblems(_ root: Int) -> [Problem] {
        var problems: [Problem] = []
        guard let rules = present(tape.field(root, "rules")) else { return [] }
        guard tape.kind(rules) == .array else { return [problem(rules, "rules is not a list")] }
        var index = 0
        tape.forEachElement(rules) { rule in
            defer { index += 1 }
            guard tape.kind(rule) == .object else {
                problems.append(problem(rule, "rules[\(index)] is not a mapping"))
                return
            }
            for field: StaticString in ["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"] {
                if let value = present(tape.field(rule, field)), !isListOfScalars(value) {
                    problems.append(problem(value, "rules[\(index)].\(field) is not a list of strings"))
                }
            }
        }
        return problems
    }

    func bindingProblems(_ root: Int) -> [Problem] {
        var problems: [Problem] = []
        if let roleRef = present(tape.field(root, "roleRef")) {
            if tape.kind(roleRef) != .object {
                problems.append(problem(roleRef, "roleRef is not a mapping"))
            }
        } else {
            problems.append(problem(root, "roleRef is missing"))
        }
        guard let subjects = present(tape.field(root, "subjects")) else { return problems }
        guard tape.kind(subjects) == .array else { return problems + [problem(subjects, "subjects is not a list")] }
        var index = 0
        tape.forEachElement(subjects) { subject in
            defer { index += 1 }
            if tape.kind(subject) != .object {
                problems.append(problem(subject, "subjects[\(index)] is not a mapping"))
            } else if tape.string(tape.field(subject, "name")) == nil {
                problems.append(problem(subject, "subjects[\(index)] has no name"))
            }
        }
        return problems
    }

    private func present(_ node: Int?) -> Int? {
        guard let node, !tape.isNull(node) else { return nil }
        return node
    }

    private func isListOfScalars(_ node: Int) -> Bool {
        guard tape.kind(node) == .array else { return false }
        var ok = true
        tape.forEachElement(node) { if !tape.isScalar($0) { ok = false } }
        return ok
    }

    private func problem(_ node: Int, _ message: String) -> Problem {
        (tape.location(of: node).line, message)
    }
}
