import Foundation
import NIOCore
import NIOPosix

/// A request on the wire: encoded commands and one promise per command, answered in order.
struct RedisRequest: Sendable {
    var bytes: ByteBuffer
    var promises: [EventLoopPromise<RESPValue>]
}

/// Matches replies to pipelined commands in order. All state lives on the channel's event loop.
final class RESPHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private var pending: [EventLoopPromise<RESPValue>] = []
    private var head = 0
    private var buffer: ByteBuffer?
    private var scanner = RESPScanner()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        pending.append(contentsOf: request.promises)
        context.write(wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if var existing = buffer.take() {  // taken out first, so appending does not copy the buffer
            existing.writeBuffer(&incoming)
            buffer = existing
        } else {
            buffer = incoming
        }
        do {
            while var b = buffer, try scanner.completeLength(in: b) != nil {
                guard let value = try RESP.decode(&b) else {
                    throw RESP.ProtocolError(description: "a complete reply that did not decode")
                }
                buffer = b.readableBytes > 0 ? b : nil
                guard head < pending.count else { break }
                pending[head].succeed(value)
                head += 1
            }
            if head > 64 && head * 2 > pending.count {
                pending.removeFirst(head)
                head = 0
            }
        } catch {
            failAll(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: Error) {
        for p in pending[head...] { p.fail(error) }
        pending.removeAll()
        head = 0
    }
}

/// Errors of the Redis client.
public enum RedisError: Error, Equatable, CustomStringConvertible {
    /// The server closed the connection.
    case connectionClosed
    /// No reply within the timeout.
    case timeout
    /// The server answered an error reply.
    case server(String)
    /// Could not connect.
    case unreachable(String)

    /// One sentence for logs and the command line.
    public var description: String {
        switch self {
        case .connectionClosed: return "the Redis connection closed"
        case .timeout: return "Redis did not answer in time"
        case .server(let m): return "Redis error: \(m)"
        case .unreachable(let m): return "cannot reach Redis: \(m)"
        }
    }
}

/// One connection to a Redis server: pipelined commands, a timeout per batch, reconnect with backoff.
public final class RedisConnection: @unchecked Sendable {
    /// Host.
    public let host: String
    /// Port.
    public let port: Int
    /// Seconds to wait for a batch's replies.
    public var timeout: TimeAmount = .seconds(2)
    /// Connection attempts before giving up (with doubling backoff from 50 ms between them).
    public var connectAttempts = 5
    /// Time allowed for one connection attempt.
    public var connectTimeout: TimeAmount = .seconds(2)
    let group: EventLoopGroup
    let lock = NSLock()
    var channel: Channel?

    /// A connection (opened lazily on first use).
    public init(
        host: String = "127.0.0.1", port: Int = 6379, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.group = group
    }

    /// Parses `redis://host:port`.
    public convenience init(url: String) throws {
        guard let components = URLComponents(string: url), components.scheme == "redis", let host = components.host
        else {
            throw RedisError.unreachable("not a redis://host:port URL: \(url)")
        }
        self.init(host: host, port: components.port ?? 6379)
    }

    func connect() async throws -> Channel {
        if let channel = lock.withLock({ self.channel }), channel.isActive { return channel }
        var delay: UInt64 = 50_000_000
        var lastError: Error = RedisError.unreachable("\(host):\(port)")
        for attempt in 0..<max(1, connectAttempts) {
            do {
                let channel = try await ClientBootstrap(group: group)
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .connectTimeout(connectTimeout)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(RESPHandler())
                        }
                    }
                    .connect(host: host, port: port).get()
                lock.withLock { self.channel = channel }
                return channel
            } catch {
                lastError = error
                if attempt + 1 == connectAttempts { break }
                try await Task.sleep(nanoseconds: delay)
                delay = min(delay * 2, 1_000_000_000)
            }
        }
        throw RedisError.unreachable("\(host):\(port) (\(lastError))")
    }

    /// Sends commands in one pipelined write and returns their replies in order (server error replies included as
    /// `.error` values).
    public func pipeline(_ commands: [[String]]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        var attempt = 0
        while true {
            attempt += 1
            let channel = try await connect()
            var bytes = channel.allocator.buffer(capacity: 64 * commands.count)
            for c in commands { RESP.encode(c, into: &bytes) }
            let promises = commands.map { _ in channel.eventLoop.makePromise(of: RESPValue.self) }
            let timeout = channel.eventLoop.scheduleTask(in: self.timeout) {
                for p in promises { p.fail(RedisError.timeout) }
                channel.close(promise: nil)
            }
            do {
                try await channel.writeAndFlush(RedisRequest(bytes: bytes, promises: promises)).get()
                var replies: [RESPValue] = []
                replies.reserveCapacity(promises.count)
                for p in promises { replies.append(try await p.futureResult.get()) }
                timeout.cancel()
                return replies
            } catch {
                timeout.cancel()
                // A write that failed before the handler took the promises leaves them unfulfilled (NIO traps on a
                // leaked promise): fail every one (completing a fulfilled promise again does nothing).
                for p in promises { p.fail(error) }
                lock.withLock { self.channel = nil }
                // A dropped connection (a restarted server) is retried once on a fresh one.
                if attempt < 2, (error as? RedisError) != .timeout { continue }
                throw error
            }
        }
    }

    /// Closes the connection.
    public func close() async {
        let channel = lock.withLock { self.channel }
        try? await channel?.close().get()
    }
}
