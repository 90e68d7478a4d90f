/// What the engine refuses, whatever the transport: the HTTP layer maps each case to a status code in one place
/// (`APIError.init(_:)` in `SparrowServer`).
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No model of that name is loaded; `available` lists the names that are.
    case unknownModel(String, available: [String])
    /// An input the engine cannot use: which one, and what was wrong with it.
    case invalidInput(String)
    /// A well-formed input that names something the engine does not have (an unknown movie id in an event or a
    /// scoring instance): which one.
    case notFound(String)

    /// One sentence for logs and the command line.
    public var description: String {
        switch self {
        case .unknownModel(let name, let available):
            return "unknown model \"\(name)\"; available: \(available.joined(separator: ", "))"
        case .invalidInput(let message), .notFound(let message):
            return message
        }
    }
}
