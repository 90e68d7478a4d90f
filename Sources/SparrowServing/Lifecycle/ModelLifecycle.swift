import Foundation
import SparrowStore
import Synchronization

/// A server's side of the feedback loop: it watches for a newly promoted version of the served model and loads it
/// without a restart, and it can retrain in the background on a schedule.
///
/// Embedded mode watches `next-item-versions/promoted.json` in the artifacts folder. Redis mode watches the version
/// the fleet was told to serve (`FleetEvents.versionKey`, set by whoever promoted it), so every server switches, and
/// reads the events for retraining from the shared stream; the versions themselves are read from each server's
/// artifacts folder (shared by the fleet's servers, or synchronised to each).
public final class ModelLifecycle: Sendable {
    /// The engine whose served model is replaced.
    public let recommender: Recommender
    /// The versions folder.
    public let versions: NextItemVersions
    let artifacts: String
    let redis: RedisConnectionPool?
    let stream: String

    /// A lifecycle for a server with artifacts in `artifacts`; `redis` (a URL) in Redis mode.
    public init(recommender: Recommender, artifacts: String, redis: String?, stream: String = "sparrow:events") throws {
        self.recommender = recommender
        self.artifacts = artifacts
        versions = NextItemVersions(artifacts: artifacts)
        self.redis = try redis.map { try RedisConnectionPool(url: $0, size: 1) }
        self.stream = stream
    }

    /// Loads the promoted version when it changed (warming the active users' lists first, see
    /// `Recommender.install(nextItem:version:warm:)`); returns what changed.
    @discardableResult
    public func check(warm: Bool = true) async -> String? {
        var announced: Int?
        if let redis {
            // Redis unreachable: keep serving what is loaded, ask again next time.
            guard let version = try? await FleetEvents.announced(on: redis) else { return nil }
            announced = version
        }
        return recommender.reloadNextItem(versions, announced: announced, warm: warm)
    }

    /// Checks every `interval` on a thread of its own (below normal priority: loading and warming a version is
    /// background work) until the returned schedule is cancelled, printing each change.
    public func watch(every interval: Duration) -> BackgroundLoop {
        let loop = BackgroundLoop(name: "sparrow-reload", every: interval, niceness: 10) { [self] in
            var announced: Int?
            if let redis {
                guard let version = try? blocking({ try await FleetEvents.announced(on: redis) }) else { return }
                announced = version
            }
            // Loading and warming run here, on the loop's thread, not on the cooperative pool.
            if let change = recommender.reloadNextItem(versions, announced: announced, warm: true) { print(change) }
        }
        loop.start()
        return loop
    }

    /// The data events for retraining: the embedded log, or the whole Redis stream.
    public func events() throws -> [EventLog.Event] {
        guard redis != nil else { return FleetEvents.events(log: artifacts + "/events.log") }
        return try blocking { [self] in
            try await FleetEvents.events(stream: RedisEventStream(connection: redis!, stream: stream))
        }
    }

    /// One retraining run by `retrainer`: train, gate, promote (and announce to the fleet), then load it here.
    public func retrainOnce(with retrainer: any NextItemRetraining, log: @escaping (String) -> Void = { _ in }) throws
        -> VersionRecord
    {
        // The model serving here is the one to beat (already in memory: no second copy loaded).
        let serving = recommender.snapshot.nextItem
        let record = try retrainer.retrain(
            catalog: recommender.catalog, events: try events(), artifacts: artifacts,
            served: serving.model.map { ($0, serving.version) }, log: log)
        if record.promoted {
            if let redis { try blocking { try await FleetEvents.announce(record.version, on: redis) } }
            if let change = recommender.reloadNextItem(versions, announced: record.version, warm: true) { log(change) }
        }
        return record
    }

    /// Retrains every `interval` (counted from the end of the last run) on a thread at the lowest priority (nice
    /// 19), so the serving threads keep the cores.
    public func retrain(every interval: Duration, with retrainer: any NextItemRetraining) -> BackgroundLoop {
        let loop = BackgroundLoop(name: "sparrow-retraining", every: interval, niceness: 19) { [self] in
            let start = ContinuousClock.now
            let record = try retrainOnce(with: retrainer) { print($0) }
            let outcome =
                record.version == 0
                ? "nothing trained" : "version \(record.version) \(record.promoted ? "promoted" : "refused")"
            print("retraining: \(outcome) — \(record.reason) (\(ContinuousClock.now - start))")
        }
        loop.start()
        return loop
    }

    /// Closes the Redis connection.
    public func close() async { await redis?.close() }

    /// Runs async work from a plain thread (the retraining thread is not part of Swift's cooperative pool).
    func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<T, Error>?>(nil)
        Task {
            let r: Result<T, Error>
            do { r = .success(try await work()) } catch { r = .failure(error) }
            result.withLock { $0 = r }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
