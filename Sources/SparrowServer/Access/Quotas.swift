import Foundation
import Synchronization

/// Per-client rate limits: requests a second and events a second, each a token bucket that holds `burstSeconds` of
/// its rate. A client is a key's name, or the client's address when the server has no keys. Beyond its quota a request
/// is answered 429 with `Retry-After` (whole seconds until enough tokens are back).
///
/// Refusals are counted by the request metrics (`sparrow_http_requests_total{status="429"}`).
///
/// Buckets of clients idle long enough to be full again are dropped when the table grows past `maximumClients`, so a
/// flood from many addresses cannot grow it without bound.
public final class Quotas: Sendable {
    /// The default rates and burst.
    public struct Limits: Sendable, Equatable {
        /// Requests a second per client (0: unlimited).
        public var requestsPerSecond: Double
        /// Events a second per client (0: unlimited).
        public var eventsPerSecond: Double
        /// How many seconds of its rate a bucket holds: the burst a client may send at once.
        public var burstSeconds: Double

        /// Limits that an application or a person at the web UI does not reach, and a client in a tight loop does:
        /// 500 requests and 1,000 events a second per client, bursts of 2 s (1,000 requests) and 10 s (10,000 events,
        /// one full batch).
        public static let `default` = Limits(requestsPerSecond: 500, eventsPerSecond: 1000, burstSeconds: 2)
        /// No limit.
        public static let unlimited = Limits(requestsPerSecond: 0, eventsPerSecond: 0, burstSeconds: 2)

        /// Creates limits.
        public init(requestsPerSecond: Double, eventsPerSecond: Double, burstSeconds: Double) {
            self.requestsPerSecond = requestsPerSecond
            self.eventsPerSecond = eventsPerSecond
            self.burstSeconds = burstSeconds
        }
    }

    /// What is metered.
    enum Meter: Sendable { case requests, events }

    struct Bucket: Sendable {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// The defaults.
    public let limits: Limits
    /// Clients kept before idle ones are dropped.
    let maximumClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    /// Quotas with `limits` as every client's default.
    public init(_ limits: Limits = .default, maximumClients: Int = 10_000) {
        self.limits = limits
        self.maximumClients = maximumClients
    }

    /// Takes `count` of `meter` for `client` at `rate` (nil: the default): nil when allowed, else the seconds to wait.
    /// A request larger than the burst is allowed once the bucket is full, leaving it in debt.
    func take(_ count: Int, of meter: Meter, client: String, rate: Double?, now: ContinuousClock.Instant = .now)
        -> Int?
    {
        let rate = rate ?? (meter == .requests ? limits.requestsPerSecond : limits.eventsPerSecond)
        guard rate > 0, count > 0 else { return nil }
        let capacity = meter == .events ? max(rate * limits.burstSeconds, 10_000) : rate * limits.burstSeconds
        let key = (meter == .requests ? "r:" : "e:") + client
        return buckets.withLock { table in
            var bucket = table[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * rate)
            bucket.updated = now
            let needed = min(Double(count), capacity)
            let allowed = bucket.tokens >= needed
            if allowed { bucket.tokens -= Double(count) }
            table[key] = bucket
            if table.count > maximumClients { Self.dropIdle(&table, now: now, burst: limits.burstSeconds) }
            return allowed ? nil : max(1, Int(((needed - bucket.tokens) / rate).rounded(.up)))
        }
    }

    /// Clients (and meters) with a bucket now.
    var clients: Int { buckets.withLock { $0.count } }

    /// Drops the buckets that have been idle for longer than a full refill takes (they would be full again).
    private static func dropIdle(_ table: inout [String: Bucket], now: ContinuousClock.Instant, burst: Double) {
        let idle = Duration.seconds(max(burst, 10) + 1)
        table = table.filter { now - $0.value.updated < idle }
    }
}
