/// keyreach's one JSON byte writer: compact (one line) or `pretty` (two-space
/// indentation), streaming into a byte buffer. Render's `-o json` and the
/// database's JSON columns are written with it; strings go through
/// ``JSONString``.
///
/// ```swift
/// var out = JSONWriter()
/// out.beginObject(); out.key("verb"); out.string("get"); out.endObject()
/// out.text   // {"verb":"get"}
/// ```
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private let pretty: Bool
    /// Per open container: has it written an element yet?
    private var hasElement: [Bool] = []
    private var afterKey = false

    public init(pretty: Bool = false, capacity: Int = 1 << 16) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
        hasElement.reserveCapacity(16)
    }

    /// Everything written so far, as a String.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if afterKey { afterKey = false; return }
        guard let last = hasElement.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        hasElement[hasElement.count - 1] = true
        newline()
    }

    private mutating func newline() {
        guard pretty else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * hasElement.count))
    }

    private mutating func close(_ bracket: UInt8) {
        let had = hasElement.removeLast()
        if had { newline() }
        bytes.append(bracket)
    }

    /// Hands over what was written so far and starts an empty buffer, so a
    /// long answer can go out in chunks while it is being written.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// Forgets everything written, keeping the buffer's capacity.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        hasElement.removeAll(keepingCapacity: true)
        afterKey = false
    }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); hasElement.append(false) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); hasElement.append(false) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ key: String) {
        separate()
        JSONString.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    public mutating func string(_ value: String) { separate(); JSONString.appendQuoted(value, to: &bytes) }
    /// Bytes copied as they are, outside the writer's bookkeeping (a
    /// separator between values written by different writers).
    public mutating func rawValue(_ json: [UInt8]) { bytes.append(contentsOf: json) }
    public mutating func int(_ value: Int) { separate(); bytes.append(contentsOf: String(value).utf8) }
    /// A finite number as Swift prints it (shortest round-trip form); NaN and infinities, which JSON lacks, as null.
    public mutating func double(_ value: Double) {
        guard value.isFinite else { return null() }
        separate(); bytes.append(contentsOf: String(value).utf8)
    }
    public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }
}
