/// Why bytes are not JSON, at a byte offset: the caller adds the file, line
/// and column (DumpReader) or names the stored value (Store).
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Offset of the offending byte from the start of the scanned buffer.
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "byte \(offset): \(message)" }
}
