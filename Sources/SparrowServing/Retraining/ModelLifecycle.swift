import Foundation
import SparrowStore
import Synchronization

/// A server's side of the feedback loop: it watches for a newly promoted version of the served model and loads it
/// without a restart, and it can retrain in the background on a schedule.
///
/// Embedded mode watches `next-item-versions/promoted.json` in the artifacts folder. Redis mode watches the version
/// the fleet was told to serve (`Retraining.versionKey`, set by whoever promoted it), so every server switches, and
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

    /// Loads the promoted version when it changed; returns what changed.
    @discardableResult
    public func check() async -> String? {
        var announced: Int?
        if let redis {
            do {
                announced = try await Retraining.announced(on: redis)
            } catch {
                return nil  // Redis unreachable: keep serving what is loaded, ask again next time.
            }
            guard announced != nil else { return nil }
        }
        return recommender.reloadNextItem(versions, announced: announced)
    }

    /// Checks every `interval` until cancelled, printing each change.
    public func watch(every interval: Duration) -> Task<Void, Never> {
        Task { [self] in
            while !Task.isCancelled {
                if let change = await check() { print(change) }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// The data events for retraining: the embedded log, or the whole Redis stream.
    public func events() throws -> [EventLog.Event] {
        guard redis != nil else { return Retraining.events(log: artifacts + "/events.log") }
        return try blocking { [self] in
            try await Retraining.events(stream: RedisEventStream(connection: redis!, stream: stream))
        }
    }

    /// One retraining run: train, gate, promote (and announce to the fleet), then load it here.
    public func retrainOnce(options: Retraining.Options, log: @escaping (String) -> Void = { _ in }) throws
        -> VersionRecord
    {
        let record = try Retraining.run(
            catalog: recommender.catalog, events: try events(), artifacts: artifacts, options: options, log: log)
        if record.promoted {
            if let redis { try blocking { try await Retraining.announce(record.version, on: redis) } }
            if let change = recommender.reloadNextItem(versions, announced: record.version) { log(change) }
        }
        return record
    }

    /// Retrains every `interval` on a low-priority thread (see `RetrainingSchedule`).
    public func retrain(every interval: Duration, options: Retraining.Options) -> RetrainingSchedule {
        let schedule = RetrainingSchedule(
            every: interval, job: { [self] in try retrainOnce(options: options) { print($0) } }, log: { print($0) })
        schedule.start()
        return schedule
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
