import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Anything that sends pipelined Redis commands: one connection or a pool of them.
public protocol RedisClient: Sendable {
    /// Sends commands in one pipelined write and returns their replies in order (server error replies included as
    /// `.error` values).
    func pipeline(_ commands: [[String]]) async throws -> [RESPValue]
    /// Closes the connection(s).
    func close() async
}

extension RedisClient {
    /// One command; a server error reply becomes `RedisError.server`.
    @discardableResult
    public func command(_ parts: String...) async throws -> RESPValue { try await command(contentsOf: parts) }

    /// One command from an array of parts; a server error reply becomes `RedisError.server`.
    @discardableResult
    public func command(contentsOf parts: [String]) async throws -> RESPValue {
        let reply = try await pipeline([parts])[0]
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }
}

extension RedisConnection: RedisClient {}

/// A fixed set of connections to one Redis server used in turn, so concurrent requests do not queue behind each
/// other's pipelines. Each connection reconnects on its own. Blocking commands (`XREADGROUP … BLOCK`) need a
/// connection of their own, not one from a pool.
public final class RedisConnectionPool: RedisClient {
    /// The connections.
    public let connections: [RedisConnection]
    let next = Atomic<Int>(0)

    /// `size` connections to `host:port`.
    public init(host: String = "127.0.0.1", port: Int = 6379, size: Int = 4) {
        precondition(size > 0, "a pool needs at least one connection")
        connections = (0..<size).map { _ in RedisConnection(host: host, port: port) }
    }

    /// Parses `redis://host:port`.
    public convenience init(url: String, size: Int = 4) throws {
        let probe = try RedisConnection(url: url)
        self.init(host: probe.host, port: probe.port, size: size)
    }

    /// The next connection in turn.
    public func connection() -> RedisConnection {
        let k = next.add(1, ordering: .relaxed).oldValue
        return connections[k % connections.count]
    }

    /// Sends the commands in one round trip on one pooled connection; replies in order.
    public func pipeline(_ commands: [[String]]) async throws -> [RESPValue] {
        try await connection().pipeline(commands)
    }

    /// Closes every connection.
    public func close() async {
        for c in connections { await c.close() }
    }
}
