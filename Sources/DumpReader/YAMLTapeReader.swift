import CYAML
import KubeModel
import Foundation

/// The YAML reader: libyaml's event API turned into the same tapes the JSON
/// reader builds, one per document — or one per item of a document's
/// top-level `items` sequence, so a `kubectl get -o yaml` List streams with
/// bounded memory. Aliases are expanded by copying the anchored subtree,
/// counted against `ReadLimits` so an alias bomb stops early.
///
/// Scalars are typed as Kubernetes reads YAML (sigs.k8s.io/yaml: go-yaml v2,
/// then JSON): a plain scalar that resolves to a string becomes a string
/// node, one that resolves to a boolean or number stays a literal (see
/// ``YAMLPlainScalar``), and mapping keys become the strings JSON gets
/// (`yes:` → `"true"`). Merge keys (`<<`) are expanded as go-yaml v2 does.
struct YAMLTapeReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let limits: ReadLimits
    let file: String
    /// Lines before `base` when this is a later part of a file read in parallel.
    var lineOffset = 0
    /// A big file's pages, handed back behind the parser (see ``PageRelease``):
    /// libyaml copies its input in, and the tapes copy scalars out.
    var pages = PageRelease.none

    private struct Frame {
        var index: Int
        var isMapping: Bool
        var expectKey = true
        var anchor: String?
        /// The root's `items` sequence, whose elements are streamed into their own tape.
        var streamsItems = false
        /// A mapping with a `<<` merge key, expanded when it ends.
        var hasMerge = false
    }

    /// What the last key of the root mapping was, to catch `kind`, `apiVersion`, `items`.
    private enum RootKey { case other, kind, apiVersion, items }

    /// A struct held in one local and passed inout, so its accesses are
    /// checked at compile time, not per event at run time.
    private struct State {
        let envelope = TapeStorage()
        let item = TapeStorage(nodeCapacity: 1 << 14, textCapacity: 1 << 16)
        var frames: [Frame] = []
        var inItems = false
        var sawItems = false
        var rootKey = RootKey.other
        var listKind: String?
        var listAPIVersion: String?
        var deferred: [TapeStorage] = []
        /// By bytes, as go-yaml's parser keys them (`&café` spelled two ways is two anchors).
        var anchors: [ByteString: TapeStorage] = [:]
        var aliasExpansions = 0
        var current: TapeStorage { inItems ? item : envelope }

        mutating func resetDocument() {
            envelope.reset()
            item.reset()
            frames.removeAll(keepingCapacity: true)
            inItems = false
            sawItems = false
            rootKey = .other
            listKind = nil
            listAPIVersion = nil
            deferred.removeAll()
            anchors.removeAll()
            aliasExpansions = 0
        }
    }

    func readAll(into sink: DocumentSink) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw DumpError(file: file, message: "cannot start the YAML parser (out of memory?)")
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, base, count)
        var state = State()
        var event = yaml_event_t()
        var events = 0
        var releasedUpTo = 0
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw parseError(parser) }
            defer { yaml_event_delete(&event) }
            events &+= 1
            if events & 0xFFFF == 0 {
                sink.progress(bytesDone: Int(event.end_mark.index))
                let consumed = Int(event.start_mark.index)
                if pages.isActive, consumed - releasedUpTo >= PageRelease.step {
                    pages.release(from: base + releasedUpTo, to: base + consumed)
                    releasedUpTo = consumed
                }
            }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_DOCUMENT_START_EVENT:
                state.resetDocument()
            case YAML_DOCUMENT_END_EVENT:
                try finishDocument(state, sink: sink)
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let tape = state.current
                try checkNodeLimit(tape, event)
                var range = tape.appendText(scalar.value, count: Int(scalar.length))
                // By index, not `frames.last`: copying a Frame would retain its anchor name per scalar.
                let top = state.frames.count - 1
                let isKey = top >= 0 && state.frames[top].isMapping && state.frames[top].expectKey
                // Every key's line, so a repeated key (RepeatedKeys.swift) is named where it is.
                if isKey { tape.noteLine(Int(event.start_mark.line) + lineOffset, ofScalar: tape.nodeCount) }
                let kind: TapeNode.Kind
                switch resolve(tag: scalar.tag, style: scalar.style, UnsafeBufferPointer(start: tape.text + range.start, count: range.end - range.start)) {
                case .string:
                    kind = .quoted
                case .null:
                    kind = .plain
                case .merge:
                    kind = isKey ? .plain : .quoted
                    if isKey { state.frames[top].hasMerge = true }
                case .bool, .int, .float:
                    if isKey {
                        // sigs.k8s.io/yaml turns non-string keys into strings.
                        if var key = YAMLPlainScalar.jsonKey(UnsafeBufferPointer(start: tape.text + range.start, count: range.end - range.start)) {
                            tape.textCount = range.start
                            range = key.withUTF8 { tape.appendText($0.baseAddress, count: $0.count) }
                        }
                        kind = .quoted
                    } else {
                        kind = .plain
                        tape.noteLine(Int(event.start_mark.line) + lineOffset, ofScalar: tape.nodeCount)
                    }
                }
                let index = tape.append(TapeNode(kind: kind, escaped: false, next: Int32(tape.nodeCount + 1),
                                                 start: range.start, end: range.end))
                if state.frames.isEmpty, kind == .quoted || range.end > range.start {
                    if !tape.view(locations: .lineColumn).isNull(index) {
                        var scalarError = error(event.start_mark, "not a Kubernetes object: the document is a single scalar value")
                        scalarError.notKubernetes = true
                        throw scalarError
                    }
                }
                saveAnchor(scalar.anchor, index, &state)
                try finishedNode(index, &state, sink: sink)
            case YAML_ALIAS_EVENT:
                let name = String(cString: event.data.alias.anchor)
                guard let anchored = state.anchors[ByteString(name)] else {
                    // The alias is not quoted: it may be a secret value that was meant to start with `*`.
                    throw error(event.start_mark, "an alias (*…) names no anchor defined before it in this document (quote a value that starts with *)")
                }
                state.aliasExpansions += 1
                if state.aliasExpansions > limits.maxAliasExpansions {
                    throw error(event.start_mark, "more than \(limits.maxAliasExpansions) alias expansions in one document (a YAML alias bomb?); refusing to read further")
                }
                let tape = state.current
                if tape.nodeCount + anchored.nodeCount > limits.maxNodesPerDocument {
                    throw error(event.start_mark, "aliases expand to more than \(limits.maxNodesPerDocument) nodes in one document (a YAML alias bomb?); refusing to read further")
                }
                let index = tape.appendSubtree(of: anchored, root: 0)
                try finishedNode(index, &state, sink: sink)
            case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                if state.frames.count >= limits.maxDepth {
                    throw error(event.start_mark, "nesting deeper than \(limits.maxDepth) levels; refusing to read further")
                }
                let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                if !isMapping, !state.inItems, state.frames.count == 1, state.rootKey == .items, !state.sawItems {
                    // The root's items: stream them; the envelope keeps an empty array.
                    let index = state.envelope.append(TapeNode(kind: .array, escaped: false, next: 0,
                                                               start: Int(event.start_mark.line) + lineOffset, end: Int(event.start_mark.column)))
                    state.envelope.nodes[index].next = Int32(index + 1)
                    state.frames.append(Frame(index: index, isMapping: false, streamsItems: true))
                    state.inItems = true
                    state.sawItems = true
                    state.item.reset()
                    continue
                }
                let tape = state.current
                try checkNodeLimit(tape, event)
                if let top = state.frames.indices.last, state.frames[top].isMapping, state.frames[top].expectKey,
                   tape.rejection == nil {
                    // go-yaml v2 decodes into map[interface{}]interface{} and fails on such a key.
                    tape.rejection = (Int(event.start_mark.line) + lineOffset + 1,
                                      "a mapping or a list as a mapping key (go-yaml: \"invalid map key\")")
                }
                let index = tape.append(TapeNode(kind: isMapping ? .object : .array, escaped: false, next: 0,
                                                 start: Int(event.start_mark.line) + lineOffset, end: Int(event.start_mark.column)))
                state.frames.append(Frame(index: index, isMapping: isMapping, anchor: anchor.map { String(cString: $0) }))
            case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                let frame = state.frames.removeLast()
                if frame.streamsItems {
                    state.inItems = false
                    try finishedNode(frame.index, &state, sink: sink)
                    continue
                }
                let tape = state.current
                tape.nodes[frame.index].next = Int32(tape.nodeCount)
                if frame.hasMerge {
                    expandMerges(frame.index, in: tape)
                } else if frame.isMapping {
                    let mapping = frame.index
                    tape.keepLastOfRepeatedKeys(mapping, text: UnsafePointer(tape.text)) { tape.line(ofScalar: $0) ?? tape.nodes[mapping].start }
                }
                if let anchor = frame.anchor { state.anchors[ByteString(anchor)] = tape.copySubtree(frame.index) }
                try finishedNode(frame.index, &state, sink: sink)
            default:
                break
            }
        }
    }

    /// What a scalar is, as go-yaml v2 reads it: an explicit core tag
    /// (`!!int "1"`, `!!str 1`) decides, any other tag makes a string, and an
    /// untagged plain scalar is resolved; a quoted or block scalar is a string.
    private func resolve(tag: UnsafeMutablePointer<yaml_char_t>?, style: yaml_scalar_style_t,
                         _ text: UnsafeBufferPointer<UInt8>) -> YAMLPlainScalar {
        if let tag {
            switch String(cString: tag) {
            case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:null":
                return YAMLPlainScalar.resolve(text)
            case "tag:yaml.org,2002:merge": return .merge
            default: return .string
            }
        }
        return style == YAML_PLAIN_SCALAR_STYLE ? YAMLPlainScalar.resolve(text) : .string
    }

    /// Rebuilds a mapping that holds `<<` merge keys as go-yaml v2 decodes
    /// it (decode.go, `mapping` and `merge`): entries are applied in document
    /// order, so a key after `<<` overrides the merged value and a key before
    /// it is overridden by it; a merged sequence of mappings is applied last
    /// to first, so earlier mappings win; a repeated key keeps its last value.
    /// Merging anything but a mapping or a sequence of mappings fails the
    /// whole document there ("map merge requires map or sequence of maps as
    /// the value"): the tape is marked rejected.
    private func expandMerges(_ mapping: Int, in tape: TapeStorage) {
        let source = tape.copySubtree(mapping)
        let view = source.view(locations: .lineColumn)
        var entries: [(key: Int, value: Int)] = []
        // Keys compare as bytes, as go-yaml's map does (not as Swift strings).
        var positions: [ByteString: Int] = [:]
        var explicitKeys: [ByteString: Int] = [:]
        func line(_ key: Int) -> Int { source.line(ofScalar: key) ?? source.nodes[0].start }
        func set(_ key: Int, _ value: Int, explicit: Bool) {
            let name = ByteString(view.scalarText(key) ?? "")
            if explicit {
                // A key written twice beside a merge: a repeat (a merged key is not one).
                if let earlier = explicitKeys[name] {
                    tape.repeatedKeys.append(RepeatedKey(key: name.string, ignored: line(earlier), repeatedAt: line(key)))
                }
                explicitKeys[name] = key
            }
            if let at = positions[name] {
                entries[at] = (key, value)
            } else {
                positions[name] = entries.count
                entries.append((key, value))
            }
        }
        view.forEachField(0) { key, value in
            guard view.kind(key) == .plain, view.rawEquals(key, "<<") else { return set(key, value, explicit: true) }
            var sources: [Int] = []
            switch view.kind(value) {
            case .object: sources = [value]
            case .array: view.forEachElement(value) { sources.append($0) }
            default: break
            }
            if view.kind(value) == .quoted || view.kind(value) == .plain || sources.contains(where: { view.kind($0) != .object }) {
                if tape.rejection == nil {
                    let line = tape.line(ofScalar: mapping + key).map { $0 + 1 } ?? view.location(of: 0).line
                    tape.rejection = (line, "the merge key << holds something other than a mapping or a list of mappings "
                        + "(go-yaml: \"map merge requires map or sequence of maps as the value\")")
                }
                return
            }
            for merged in sources.reversed() { view.forEachField(merged) { set($0, $1, explicit: false) } }
        }
        tape.truncate(to: mapping)
        var root = source.nodes[0]
        root.next = 0
        let index = tape.append(root)
        for entry in entries {
            tape.appendSubtree(of: source, root: entry.key)
            tape.appendSubtree(of: source, root: entry.value)
        }
        tape.nodes[index].next = Int32(tape.nodeCount)
    }

    private func saveAnchor(_ anchor: UnsafeMutablePointer<yaml_char_t>?, _ index: Int, _ state: inout State) {
        guard let anchor else { return }
        state.anchors[ByteString(String(cString: anchor))] = state.current.copySubtree(index)
    }

    private func checkNodeLimit(_ tape: TapeStorage, _ event: yaml_event_t) throws {
        if tape.nodeCount >= limits.maxNodesPerDocument {
            throw error(event.start_mark, "more than \(limits.maxNodesPerDocument) nodes in one document; refusing to read further")
        }
    }

    /// Bookkeeping after a node is complete: key/value alternation, the
    /// root's kind/apiVersion/items keys, and handing a finished item over.
    private func finishedNode(_ index: Int, _ state: inout State, sink: DocumentSink) throws {
        guard let parent = state.frames.indices.last else { return }
        if state.frames[parent].streamsItems {
            let view = state.item.view(locations: .lineColumn)
            if try !sink.listItem(view, root: 0, listKind: state.listKind, listAPIVersion: state.listAPIVersion) {
                let copy = state.item.copySubtree(0)
                copy.rejection = state.item.rejection
                copy.repeatedKeys = state.item.repeatedKeys
                state.deferred.append(copy)
            }
            state.item.reset()
            return
        }
        guard state.frames[parent].isMapping else { return }
        let isKey = state.frames[parent].expectKey
        state.frames[parent].expectKey.toggle()
        guard parent == 0, !state.inItems else { return }
        let view = state.envelope.view(locations: .lineColumn)
        if isKey {
            if state.sawItems, view.rawEquals(index, "items") {
                // Its first items are read already (they stream): refuse rather than read the List another way.
                throw DumpError(file: file, line: (state.envelope.line(ofScalar: index) ?? 0) + 1,
                                message: "the List holds the key items twice; Kubernetes reads only the last one (remove the other)")
            }
            state.rootKey = view.rawEquals(index, "kind") ? .kind
                : view.rawEquals(index, "apiVersion") ? .apiVersion
                : view.rawEquals(index, "items") ? .items : .other
        } else {
            switch state.rootKey {
            case .kind: state.listKind = view.string(index)
            case .apiVersion: state.listAPIVersion = view.string(index)
            default: break
            }
            state.rootKey = .other
        }
    }

    private func finishDocument(_ state: State, sink: DocumentSink) throws {
        guard state.envelope.nodeCount > 0 else { return }
        let view = state.envelope.view(locations: .lineColumn)
        guard state.sawItems else { return try sink.document(view, root: 0) }
        try sink.listEnvelope(view, root: 0)
        for item in state.deferred {
            _ = try sink.listItem(item.view(locations: .lineColumn), root: 0,
                                  listKind: state.listKind ?? "", listAPIVersion: state.listAPIVersion)
        }
    }

    private func error(_ mark: yaml_mark_t, _ message: String) -> DumpError {
        DumpError(file: file, line: Int(mark.line) + lineOffset + 1, column: Int(mark.column) + 1, message: message)
    }

    private func parseError(_ parser: yaml_parser_t) -> DumpError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        if problem.hasPrefix("Maximum nesting level") {
            // libyaml's own guard (1000 levels), met in flow collections before our depth limit.
            return DumpError(file: file, line: Int(parser.problem_mark.line) + lineOffset + 1, column: Int(parser.problem_mark.column) + 1,
                             message: "nesting deeper than libyaml's limit of 1000 levels; refusing to read further")
        }
        let context = parser.context.map { " " + String(cString: $0) } ?? ""
        let truncated = parser.problem_mark.index >= count ? " (truncated file?)" : ""
        return DumpError(file: file, line: Int(parser.problem_mark.line) + lineOffset + 1, column: Int(parser.problem_mark.column) + 1,
                         message: "invalid YAML: \(problem)\(context)\(truncated)")
    }
}
