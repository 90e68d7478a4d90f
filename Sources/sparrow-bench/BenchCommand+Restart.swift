import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowServing
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

extension BenchCommand {
    /// `sparrow-bench restart`: a long-lived embedded server — millions of posted events, checkpoints, log segments
    /// retired — then restarted: how long until it is ready, how its memory and disk grew.
    struct Restart: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restart",
            abstract:
                "Post millions of events to an embedded server, then restart it: time to ready, RSS over the run, disk."
        )
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Artifacts folder (copied to a scratch folder first; missing artifacts are built).")
        var artifacts = "artifacts"
        @Option(help: "Events to post.") var events = 10_000_000
        @Option(help: "Events a POST.") var batch = 1_000
        @Option(help: "Concurrent connections.") var connections = 4
        @Option(help: "Percent of the events that are ratings (by catalogue users); the rest clicks and impressions.")
        var ratingsPercent = 1.0
        @Option(help: "The server's --checkpoint-every, seconds.") var checkpointEvery = 10
        @Option(name: .customLong("segment-mib"), help: "The server's --segment-mib.") var segmentMiB = 64
        @Option(help: "The server's --log-retention (archive, compact, keep).") var logRetention = "compact"
        @Option(help: "Also time a start-up without a checkpoint (replaying every kept event).")
        var withoutCheckpoint = true
        @Option(help: "Append the results to this file.") var out: String?

        func run() throws {
            let catalog = try dataOptions.load()
            let fleet = try ServerFleet(
                catalog: catalog, data: try dataOptions.directory(), artifacts: artifacts, redis: nil,
                streamPrefix: "sparrow:restart")
            fleet.serveArguments = [
                "--checkpoint-every", "\(checkpointEvery)", "--segment-mib", "\(segmentMiB)", "--log-retention",
                logRetention,
            ]
            var lines = [
                "bench restart: \(events) events (\(ratingsPercent)% ratings by catalogue users, the rest clicks and "
                    + "impressions; keyed), \(batch) a POST over \(connections) connections; checkpoint every "
                    + "\(checkpointEvery) s, \(segmentMiB) MiB segments, retention \(logRetention); \(fleet.logFolder)"
            ]
            func say(_ line: String) {
                print(line)
                lines.append("  " + line)
            }
            var server = try fleet.startReady(name: "restart")
            let baseline = Self.residentMiB(server.process.pid)
            say(String(format: "started: RSS %.0f MiB", baseline))

            let posts = (events + batch - 1) / batch
            let next = Atomic<Int>(0)
            let failed = Atomic<Int>(0)
            let samples = Mutex<[(events: Int, rss: Double, log: Double)]>([])
            let folder = fleet.artifacts
            let users = catalog.userIds
            let movies = catalog.movies.map(\.id)
            let ratingEvery = ratingsPercent > 0 ? max(1, Int((100 / ratingsPercent).rounded())) : Int.max
            let (port, pid, batch, events) = (server.port, server.process.pid, batch, events)
            let step = max(batch, events / 20)
            let start = ProcessStats.now()
            onThreads(connections) { _ in
                let client = HTTPClient(port: port)
                while true {
                    let p = next.add(1, ordering: .relaxed).oldValue
                    guard p < posts else { return }
                    var body = "{\"events\":["
                    for k in (p * batch)..<min(events, (p + 1) * batch) {
                        if k > p * batch { body += "," }
                        var h = UInt64(k) &* 0x9E37_79B9_7F4A_7C15
                        h ^= h >> 29
                        let user = users[Int(h % UInt64(users.count))]
                        let movie = movies[Int((h >> 20) % UInt64(movies.count))]
                        if k % ratingEvery == 0 {
                            let stars = Double(1 + (h >> 40) % 10) / 2
                            body += "{\"userId\":\(user),\"movieId\":\(movie),\"rating\":\(stars),\"id\":\"r\(k)\"}"
                        } else {
                            let type = k % 10 == 1 ? "click" : "impression"
                            body += "{\"type\":\"\(type)\",\"userId\":\(user),\"movieId\":\(movie),\"id\":\"r\(k)\"}"
                        }
                    }
                    body += "]}"
                    if (try? client.request("POST", "/api/v1/events", body: body))?.status != 202 {
                        failed.add(1, ordering: .relaxed)
                    }
                    let done = min(events, (p + 1) * batch)
                    if done % step < batch {
                        let sample = (done, Self.residentMiB(pid), Self.liveLogMiB(folder))
                        samples.withLock { $0.append(sample) }
                    }
                }
            }
            let seconds = ProcessStats.now() - start
            let rss = samples.withLock { $0.sorted { $0.events < $1.events } }
            say(
                String(
                    format: "posted %d events in %.1f s (%.0f events/s), %d POSTs failed", events, seconds,
                    Double(events) / seconds, failed.load(ordering: .relaxed)))
            say(
                "RSS (MiB) by events posted: "
                    + rss.map { String(format: "%dk %.0f", $0.events / 1000, $0.rss) }
                    .joined(separator: ", "))
            let warm = rss.filter { $0.events >= events / 5 }.map(\.rss)
            if let low = warm.min(), let high = warm.max() {
                say(
                    String(
                        format: "after warm-up (the first 20%%): RSS %.0f–%.0f MiB, spread %.1f%% of the lowest", low,
                        high, 100 * (high - low) / low))
            }
            say(
                "live log (MiB) by events posted: "
                    + rss.map { String(format: "%dk %.0f", $0.events / 1000, $0.log) }.joined(separator: ", "))
            say("disk: " + Self.disk(fleet.artifacts))

            // A graceful restart (the server writes a last checkpoint on SIGTERM), then a SIGKILL restart.
            for (how, signal) in [("SIGTERM", SIGTERM), ("SIGKILL", SIGKILL)] {
                fleet.kill("restart", signal: signal)
                let began = ProcessStats.now()
                server = try fleet.start(name: "restart")
                let ready = ProcessStats.now() - began
                let startup = Self.lastStartupLine(fleet.logFolder + "/restart.log")
                say(
                    String(
                        format: "restart after %@: ready in %.2f s, RSS %.0f MiB — %@", how, ready,
                        Self.residentMiB(server.process.pid), startup))
            }
            if withoutCheckpoint {
                fleet.kill("restart", signal: SIGTERM)
                for name in [Checkpoint.file, Checkpoint.previous] {
                    try? FileManager.default.removeItem(atPath: fleet.artifacts + "/" + name)
                }
                fleet.serveArguments[1] = "0"  // no checkpoints: the whole kept history is replayed
                let began = ProcessStats.now()
                server = try fleet.start(name: "restart")
                say(
                    String(
                        format: "restart without a checkpoint: ready in %.2f s — %@", ProcessStats.now() - began,
                        Self.lastStartupLine(fleet.logFolder + "/restart.log")))
            }
            fleet.stopAll()
            try appendResult(out, lines.joined(separator: "\n"))
        }

        /// A process's resident memory in MiB (`VmRSS`), 0 when unknown.
        static func residentMiB(_ pid: pid_t) -> Double {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                let kb = line.split(separator: " ").compactMap({ Double($0) }).first
            else { return 0 }
            return kb / 1024
        }

        /// The size of the log's own segments (not the archive), MiB.
        static func liveLogMiB(_ artifacts: String) -> Double {
            let fm = FileManager.default
            let entries = (try? fm.contentsOfDirectory(atPath: artifacts)) ?? []
            let bytes = entries.filter { $0.hasPrefix("events.log") }.map {
                (try? fm.attributesOfItem(atPath: artifacts + "/" + $0)[.size] as? Int) ?? 0
            }.reduce(0, +)
            return Double(bytes) / 1_048_576
        }

        /// What the event log uses on disk: live segments, archive, checkpoints.
        static func disk(_ artifacts: String) -> String {
            let fm = FileManager.default
            func size(_ path: String) -> Int { (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
            let entries = (try? fm.contentsOfDirectory(atPath: artifacts)) ?? []
            let live = entries.filter { $0.hasPrefix("events.log") }.map { size(artifacts + "/" + $0) }
            let archive = LogRetention.archive(of: artifacts + "/events.log")
            let archived = ((try? fm.contentsOfDirectory(atPath: archive)) ?? []).map { size(archive + "/" + $0) }
            let checkpoints = [Checkpoint.file, Checkpoint.previous].map { size(artifacts + "/" + $0) }
            func mib(_ bytes: [Int]) -> String { String(format: "%.1f MiB", Double(bytes.reduce(0, +)) / 1_048_576) }
            return "log \(mib(live)) in \(live.count) files, archive \(mib(archived)) in \(archived.count) files, "
                + "checkpoints \(mib(checkpoints))"
        }

        /// The server's last start-up line about the event log.
        static func lastStartupLine(_ log: String) -> String {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").last {
                $0.hasPrefix("restored the checkpoint") || $0.hasPrefix("replayed")
            }.map(String.init) ?? "?"
        }
    }
}
