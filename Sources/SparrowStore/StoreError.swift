/// A storage failure described in one sentence that names the file or server involved.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public let message: String

    /// An error with a message.
    public init(_ message: String) { self.message = message }

    /// One sentence for logs and the command line.
    public var description: String { message }
}
