import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowServer
import SparrowOffline
import SparrowServing
import SparrowStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

extension BenchCommand {
    /// `sparrow-bench crash`: SIGKILL a serving process in the middle of a stream of events, restart it, and check
    /// that every acknowledged event is there exactly once.
    struct Crash: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "crash",
            abstract:
                "Post events, SIGKILL the server at a random moment, restart it: every 202 must be present, none twice."
        )
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Artifacts folder (copied to a scratch folder first; missing artifacts are built).")
        var artifacts = "artifacts"
        @Option(help: "Redis URL (default: the embedded log).") var redis: String?
        @Option(help: "Events to post (100 new users × events/100 distinct movies).") var events = 10_000
        @Option(help: "Concurrent connections.") var connections = 4
        @Option(help: "Seed of the kill moment (default: random).") var seed: UInt64?
        @Option(help: "Append the results to this file.") var out: String?
        @Option(
            help:
                "Servers checkpoint their live state this often, in seconds (embedded log; 1 = all the time, so the kill likely lands mid-write)."
        )
        var checkpointEvery: Int?
        @Option(
            help:
                "Servers retrain in the background every this many seconds; the SIGKILL then waits for a retraining to start and lands in it."
        )
        var retrainEvery: Int?
        @Option(
            help:
                "The servers' --segment-mib, with --log-retention compact (embedded log): the kill can land while segments roll over and retire."
        )
        var segmentMib: Int?

        /// What happened to each event in the first run.
        enum Fate: UInt8 {
            case unsent = 0, unanswered, acknowledged
        }

        func run() async throws {
            let catalog = try dataOptions.load()
            let fleet = try ServerFleet(
                catalog: catalog, data: try dataOptions.directory(), artifacts: artifacts, redis: redis,
                streamPrefix: "sparrow:crash")
            if let checkpointEvery { fleet.serveArguments = ["--checkpoint-every", String(checkpointEvery)] }
            if let segmentMib {
                fleet.serveArguments += ["--segment-mib", String(segmentMib), "--log-retention", "compact"]
            }
            if let retrainEvery {
                fleet.serveArguments += [
                    "--retrain-every", "\(retrainEvery)s", "--retrain-min-gate-users", "1", "--reload-every", "1",
                ]
            }
            let serverLog = "\(fleet.logFolder)/crash.log"
            let directory = NextItemVersions(artifacts: fleet.artifacts).directory
            let killedMidRetraining = Atomic<Bool>(false)
            let perUser = max(1, events / 100)
            precondition(perUser <= catalog.movies.count, "more events per user than movies")
            let seed = self.seed ?? UInt64.random(in: 1...1_000_000)
            var random = SeededGenerator(seed: seed)
            let plan: [(user: Int32, movie: Int32, id: String)] = (0..<100).flatMap { u -> [(Int32, Int32, String)] in
                let movies = catalog.movies.map(\.id).shuffled(using: &random).prefix(perUser)
                return movies.enumerated().map { (Int32(4_000_000 + u), $0.element, "crash-\(seed)-\(u)-\($0.offset)") }
            }
            let killAt = Int.random(in: plan.count / 10...plan.count * 9 / 10, using: &random)
            var server = try fleet.startReady(name: "crash")
            print(
                "posting \(plan.count) events over \(connections) connections; SIGKILL after \(killAt) acknowledgements (seed \(seed))"
            )

            let fates = Mutex([Fate](repeating: .unsent, count: plan.count))
            let acknowledged = Atomic<Int>(0)
            let killed = Atomic<Bool>(false)
            let postersDone = Atomic<Int>(0)
            // With checkpoints on, the kill waits (past `killAt` if need be) until a first checkpoint exists, so it
            // lands while the server is checkpointing every second — often mid-write — and the restart uses one.
            let checkpoint = checkpointEvery.map { _ in fleet.artifacts + "/" + Checkpoint.file }
            let pid = server.process.pid
            let port = server.port
            let connections = self.connections
            onThreads(connections + 1) { k in
                if k == connections {  // the killer
                    while acknowledged.load(ordering: .relaxed) < killAt { usleep(50) }
                    if let checkpoint {
                        while !FileManager.default.fileExists(atPath: checkpoint)
                            && postersDone.load(ordering: .relaxed) < connections
                        {
                            usleep(1000)
                        }
                        usleep(UInt32.random(in: 0...1_000_000))  // somewhere in the next second's checkpoint
                    }
                    if retrainEvery != nil {
                        // Wait for a retraining to start and to begin writing its version (the model files being
                        // written under a temporary name), and kill it then: the hardest moment for "never serve a
                        // half-written version".
                        func logText() -> String { (try? String(contentsOfFile: serverLog, encoding: .utf8)) ?? "" }
                        while !logText().contains("\nretrain: ") { usleep(10_000) }
                        while !((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).contains(
                            where: {
                                $0.hasPrefix(".building-")
                            }) && !logText().contains("\nretraining: version")
                        {
                            usleep(200)
                        }
                        Glibc.kill(pid, SIGKILL)
                        killedMidRetraining.store(!logText().contains("\nretraining: version"), ordering: .relaxed)
                        killed.store(true, ordering: .relaxed)
                        return
                    }
                    Glibc.kill(pid, SIGKILL)
                    killed.store(true, ordering: .relaxed)
                    return
                }
                let client = HTTPClient(port: port)
                defer { postersDone.add(1, ordering: .relaxed) }
                for n in stride(from: k, to: plan.count, by: connections) {
                    if killed.load(ordering: .relaxed) && acknowledged.load(ordering: .relaxed) >= killAt { break }
                    let e = plan[n]
                    fates.withLock { $0[n] = .unanswered }
                    let body = "{\"userId\":\(e.user),\"movieId\":\(e.movie),\"rating\":4,\"id\":\"\(e.id)\"}"
                    guard let r = try? client.request("POST", "/api/v1/events", body: body), r.status == 202 else {
                        break
                    }
                    fates.withLock { $0[n] = .acknowledged }
                    acknowledged.add(1, ordering: .relaxed)
                }
            }
            server.process.stop(signal: SIGKILL)  // reap it
            let first = fates.withLock { $0 }
            let acked = first.filter { $0 == .acknowledged }.count
            let inFlight = first.filter { $0 == .unanswered }.count
            let restartStart = ProcessStats.now()
            server = try fleet.startReady(name: "crash", port: port)  // caught up with the stream, not degraded
            let restartSeconds = ProcessStats.now() - restartStart

            let afterCrash = try census(port: port, plan: plan)
            let lostAcked = plan.indices.filter { first[$0] == .acknowledged && afterCrash[$0] == 0 }.count
            let twice = afterCrash.filter { $0 > 1 }.count
            let inFlightPresent = plan.indices.filter { first[$0] == .unanswered && afterCrash[$0] == 1 }.count

            // The client retries everything that was not acknowledged, with the same ids.
            let retry = plan.indices.filter { first[$0] != .acknowledged }
            let client = HTTPClient(port: port)
            var retryFailures = 0
            for n in retry {
                let e = plan[n]
                let body = "{\"userId\":\(e.user),\"movieId\":\(e.movie),\"rating\":4,\"id\":\"\(e.id)\"}"
                if (try? client.request("POST", "/api/v1/events", body: body))?.status != 202 { retryFailures += 1 }
            }
            let final = try census(port: port, plan: plan)
            var retraining: [String] = []
            var halfServed = false
            if retrainEvery != nil {
                // No half-written version is served: what serves is the promoted pointer's version, complete.
                let versions = NextItemVersions(artifacts: fleet.artifacts)
                let r = try client.request("GET", "/api/v1/models")
                let served =
                    ((try JSONSerialization.jsonObject(with: r.body) as? [String: Any])?["served"] as? [String: Any])?[
                        "version"] as? Int ?? -1
                let promoted = versions.promoted()
                let complete = promoted == 0 || versions.versions().contains(promoted)
                halfServed = served != promoted || !complete
                let entries = ((try? FileManager.default.contentsOfDirectory(atPath: versions.directory)) ?? [])
                    .sorted()
                retraining = [
                    "  retraining: the SIGKILL landed \(killedMidRetraining.load(ordering: .relaxed) ? "while one was writing its version" : "after it had finished"); after the restart the server serves next-item version \(served), the promoted pointer names \(promoted) (\(complete ? "complete" : "INCOMPLETE")); next-item-versions/: \(entries.isEmpty ? "empty" : entries.joined(separator: ", "))"
                ]
            }
            try await fleet.tearDown()
            let mode = redis.map { "redis \($0)" } ?? "embedded"
            // How each start caught up (the server prints it): with checkpoints, whether the restart used one.
            let log = (try? String(contentsOfFile: "\(fleet.logFolder)/crash.log", encoding: .utf8)) ?? ""
            let startups = log.split(separator: "\n").filter {
                $0.hasPrefix("restored the checkpoint") || $0.hasPrefix("replayed")
            }
            let checkpoints = (try? FileManager.default.contentsOfDirectory(atPath: fleet.artifacts)) ?? []
            let lines =
                [
                    "bench crash (\(mode), seed \(seed)): \(plan.count) events, \(connections) connections, SIGKILL after \(checkpointEvery == nil ? "" : "at least ")\(killAt) acknowledgements; logs in \(fleet.logFolder)",
                    "  before the kill: \(acked) answered 202, \(inFlight) sent without an answer, \(plan.count - acked - inFlight) not sent",
                    String(format: "  restart: ready again in %.2f s", restartSeconds)
                        + (checkpointEvery == nil
                            ? ""
                            : "; \(startups.last ?? "no start-up line"); checkpoint files now: "
                                + checkpoints.filter { $0.hasPrefix("checkpoint") }.sorted().joined(separator: ", ")),
                    "  after restart: \(acked - lostAcked) of \(acked) acknowledged events present (\(lostAcked) lost), \(twice) present twice; \(inFlightPresent) of \(inFlight) unanswered ones had landed",
                    "  after the client retried the other \(retry.count) with the same ids (\(retryFailures) failed): \(final.filter { $0 == 1 }.count) of \(plan.count) present exactly once, \(final.filter { $0 > 1 }.count) twice, \(final.filter { $0 == 0 }.count) missing",
                ] + retraining
            for line in lines { print(line) }
            try appendResult(out, lines.joined(separator: "\n"))
            if lostAcked > 0 || twice > 0 || final.contains(where: { $0 != 1 }) || halfServed { throw ExitCode.failure }
        }

        /// How many times each planned (user, movie) appears in the users' histories on the server.
        func census(port: Int, plan: [(user: Int32, movie: Int32, id: String)]) throws -> [Int] {
            let client = HTTPClient(port: port)
            var counts: [Int32: [Int32: Int]] = [:]
            for user in Set(plan.map(\.user)) {
                let r = try client.request("GET", "/api/v1/users/\(user)")
                guard r.status == 200 else { continue }  // 404: no event of this user landed
                let json = try JSONSerialization.jsonObject(with: r.body) as? [String: Any]
                let history = json?["history"] as? [[String: Any]] ?? []
                var perMovie: [Int32: Int] = [:]
                for item in history {
                    if let id = (item["movie"] as? [String: Any])?["id"] as? Int {
                        perMovie[Int32(id), default: 0] += 1
                    }
                }
                if let count = json?["ratingCount"] as? Int, count != history.count {
                    throw HTTPClient.Failure(
                        description: "user \(user): ratingCount \(count) but \(history.count) in the history")
                }
                counts[user] = perMovie
            }
            return plan.map { counts[$0.user]?[$0.movie] ?? 0 }
        }
    }
}
