import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowServer
import SparrowServing
import SparrowStore

/// Where a server's events go: the embedded fsynced log (default) or a shared Redis.
struct NearLineOptions: ParsableArguments {
    @Option(
        help: "Share features and events through this Redis (redis://host:port); default: embedded, nothing to install."
    )
    var redis: String?
    @Option(help: "This server's name in Redis mode (its consumer group is sparrow:<name>; default host-port).")
    var name: String?
    @Option(help: "The Redis Stream of events (Redis mode).")
    var stream = "sparrow:events"
    @Option(help: "TTL in seconds of the uf:/uEmb: keys written in Redis mode (0: none).")
    var featureTTL = 0
    @Option(
        help:
            "Idempotency keys remembered: a retried event whose id is among the last N keyed events is applied once.")
    var idempotencyWindow = 1_000_000
    @Option(
        help:
            "Checkpoint the live state every this many seconds (0: never): start-up then reads only the log (or the Redis stream) after the newest checkpoint."
    )
    var checkpointEvery = 60
    @Option(help: "Roll the event log over to a new segment at this many MiB (embedded mode).")
    var segmentMib = 64
    @Option(
        help:
            "Events every kept checkpoint covers: archive (log segments moved to events-archive/ whole; in Redis mode, stream entries every server's checkpoints cover moved to <stream>:archive), compact (only their ratings and added movies kept there), keep (left in place)."
    )
    var logRetention = "archive"

    /// The newest checkpoint, read on another thread while the caller loads the models (embedded mode with
    /// checkpoints; nil otherwise).
    func prefetchCheckpoint(artifacts: String) -> CheckpointPrefetch? {
        redis == nil && checkpointEvery > 0
            ? CheckpointPrefetch(directory: artifacts, log: artifacts + "/events.log") : nil
    }

    /// The event ingest for a server on `port` with artifacts in `artifacts`; in Redis mode it has caught up with
    /// the stream (or started degraded) when this returns.
    func ingest(
        recommender: Recommender, artifacts: String, port: Int, prefetched: CheckpointPrefetch? = nil
    ) async throws -> any EventIngest {
        guard idempotencyWindow > 0 else { throw CLIError("--idempotency-window must be at least 1") }
        recommender.idempotencyWindow = idempotencyWindow
        let retention: LogRetention?
        if logRetention == "keep" {
            retention = nil
        } else if let mode = LogRetention(rawValue: logRetention) {
            retention = mode
        } else {
            throw CLIError("--log-retention must be archive, compact or keep, got \(logRetention)")
        }
        guard let redis else {
            guard segmentMib > 0 else { throw CLIError("--segment-mib must be at least 1") }
            let ingest = try LocalEventIngest(
                path: artifacts + "/events.log", recommender: recommender,
                checkpoints: checkpointEvery > 0 ? artifacts : nil, segmentBytes: segmentMib << 20,
                retention: retention, prefetched: prefetched)
            print(ingest.startup)
            if checkpointEvery > 0 { ingest.checkpointEvery(.seconds(checkpointEvery)) }
            return ingest
        }
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "sparrow"
        var options = RedisNearLine.Options(name: name ?? "\(host)-\(port)")
        options.ttl = featureTTL > 0 ? featureTTL : nil
        options.stream = stream
        options.movieAdditions = MovieAdditions(artifacts: artifacts)
        options.checkpoints = checkpointEvery > 0 ? artifacts : nil
        options.retention = retention
        let outbox = (artifacts as NSString).appendingPathComponent("outbox-\(options.name).log")
        let nearLine = try RedisNearLine(recommender: recommender, url: redis, outboxPath: outbox, options: options) {
            print($0)
        }
        await nearLine.start()
        if checkpointEvery > 0 { nearLine.checkpointEvery(.seconds(checkpointEvery)) }
        return nearLine
    }
}
