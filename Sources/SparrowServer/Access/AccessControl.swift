import Foundation
import Hummingbird

/// Who may call what, and how often: the keys file (`--api-keys`), the admin token (`--admin-token`, an admin key
/// that also reads and writes), the web UI's key (`--web-key`) and the quotas.
///
/// - With a keys file every endpoint but health, metrics and the contract needs `Authorization: Bearer <key>` with
///   the endpoint's scope: 401 without a known key, 403 with a key that lacks the scope.
/// - Without one, reads and writes are open (the demo's behaviour; the server warns at start-up) and admin
///   operations need the admin token or are off (401 either way without it).
public struct AccessControl: Sendable {
    /// The keys, when the server has a keys file.
    public let keys: APIKeyStore?
    /// The admin token.
    public let adminToken: String?
    /// The key the web UI's page sends (a key of the file, given in clear to hand to the page).
    public let webKey: String?
    /// Rate limits per client.
    public let quotas: Quotas

    /// Creates the policy.
    public init(keys: APIKeyStore? = nil, adminToken: String? = nil, webKey: String? = nil, quotas: Quotas = Quotas()) {
        self.keys = keys
        self.adminToken = adminToken
        self.webKey = webKey
        self.quotas = quotas
    }

    /// The name the admin token appears under (quotas, logs).
    static let adminTokenName = "admin-token"

    /// Whether reads and writes need a key.
    public var requiresKeys: Bool { keys != nil }

    /// The principal of a bearer key: the admin token, or a key of the file; nil for an unknown key.
    func principal(for key: String) -> Principal? {
        if let adminToken, Self.constantTimeEqual(Array(key.utf8), Array(adminToken.utf8)) {
            return Principal(name: Self.adminTokenName, scopes: Set(Scope.allCases))
        }
        return keys?.principal(for: key)
    }

    /// Throws the 401 or 403 that `access` calls for, given who the request comes from.
    func authorize(_ identity: Principal?, unknownKey: Bool, for access: Access) throws {
        guard case .scope(let scope) = access else { return }
        if scope != .admin && keys == nil { return }
        if let identity {
            guard identity.scopes.contains(scope) else {
                throw APIError(.forbidden, "the key '\(identity.name)' lacks the '\(scope.rawValue)' scope")
            }
            return
        }
        var error: APIError
        if unknownKey {
            error = APIError(.unauthorized, "unknown API key")
        } else if scope == .admin && keys == nil && adminToken == nil {
            error = APIError(
                .unauthorized, "admin operations are off: start the server with --admin-token or --api-keys")
        } else {
            error = APIError(
                .unauthorized,
                "this operation needs a key with the '\(scope.rawValue)' scope: Authorization: Bearer <key>")
        }
        error.headers[.wwwAuthenticate] = "Bearer realm=\"sparrow\""
        throw error
    }

    /// Throws 429 with `Retry-After` when `client` is over its quota of `meter`.
    func meter(_ count: Int, of meter: Quotas.Meter, identity: Principal?, client: String) throws {
        let rate = meter == .requests ? identity?.requestsPerSecond : identity?.eventsPerSecond
        guard let wait = quotas.take(count, of: meter, client: client, rate: rate) else { return }
        var error = APIError(
            .tooManyRequests,
            meter == .requests
                ? "over the request quota of \(Self.describe(rate ?? quotas.limits.requestsPerSecond)) a second"
                : "over the event quota of \(Self.describe(rate ?? quotas.limits.eventsPerSecond)) a second")
        error.headers[.retryAfter] = String(wait)
        throw error
    }

    private static func describe(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }

    /// Equal bytes, compared without stopping at the first difference.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
