/// What an API key may do: `read` (every GET and scoring), `write` (events and feedback), `admin` (reloads and the
/// catalogue).
public enum Scope: String, Codable, Sendable, CaseIterable, Comparable {
    case read, write, admin

    /// In the order above.
    public static func < (a: Scope, b: Scope) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Who may call an endpoint.
enum Access: Sendable, Equatable {
    /// Anyone, keys or not: health, metrics, the contract.
    case open
    /// A key with this scope when the server has a keys file; `read` and `write` are open without one, `admin` never.
    case scope(Scope)
}
