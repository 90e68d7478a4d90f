import Hummingbird
import HummingbirdAuth
import NIOCore

/// The request context of every route: Hummingbird's core storage, the principal of the request's bearer key (set by
/// `APIKeyAuthenticator`), whether it presented a key the server does not know, and the client's address.
public struct ServerContext: AuthRequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Who the request comes from, when it presented a known key.
    public var identity: Principal?
    /// True when the request presented a bearer key that is neither in the keys file nor the admin token.
    public var presentedUnknownKey = false
    /// The client's address.
    public let remoteAddress: SocketAddress?

    /// A context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        remoteAddress = source.channel.remoteAddress
    }

    /// Who quotas count the request against: the key's name, else the client's address.
    var client: String {
        if let identity { return "key:" + identity.name }
        return "ip:" + (remoteAddress?.ipAddress ?? "unknown")
    }
}
