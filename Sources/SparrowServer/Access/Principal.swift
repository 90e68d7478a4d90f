/// Who a request comes from, once its bearer key is recognised: the key's name, its scopes and its own quotas.
public struct Principal: Sendable, Equatable {
    /// The key's name (quotas and logs use it, never the key).
    public var name: String
    /// What the key may do.
    public var scopes: Set<Scope>
    /// The key's request rate, when not the server's default.
    public var requestsPerSecond: Double?
    /// The key's event rate, when not the server's default.
    public var eventsPerSecond: Double?

    /// Creates a principal.
    public init(name: String, scopes: Set<Scope>, requestsPerSecond: Double? = nil, eventsPerSecond: Double? = nil) {
        self.name = name
        self.scopes = scopes
        self.requestsPerSecond = requestsPerSecond
        self.eventsPerSecond = eventsPerSecond
    }
}
