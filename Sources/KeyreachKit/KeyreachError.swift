/// An error the user can act on, raised by the pipeline: a missing database
/// or snapshot, a flag that does not apply. The CLI prints it and exits 2.
public struct KeyreachError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
