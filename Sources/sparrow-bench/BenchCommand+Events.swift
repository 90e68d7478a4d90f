import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowServer
import SparrowServing
import SparrowStore
import Synchronization

extension BenchCommand {
    /// `sparrow-bench events`: ingest throughput and freshness, against real `sparrow serve` processes.
    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "events",
            abstract:
                "Event ingest throughput and freshness (from a rating's 202 to a changed /getrecforyou), embedded or through Redis Streams between two servers."
        )
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Artifacts folder (copied to a scratch folder first; missing artifacts are built).")
        var artifacts = "artifacts"
        @Option(help: "Redis URL: two servers share it; the rating goes to one, the other is polled.") var redis:
            String?
        @Option(help: "Events to post in the ingest phase.") var events = 20_000
        @Option(help: "Concurrent connections in the ingest phase.") var connections = 8
        @Option(help: "Events per POST in the ingest phase.") var batch = 1
        @Option(help: "Freshness trials.") var trials = 200
        @Option(help: "Append the results to this file.") var out: String?

        func run() async throws {
            let catalog = try dataOptions.load()
            let fleet = try ServerFleet(
                catalog: catalog, data: try dataOptions.directory(), artifacts: artifacts, redis: redis,
                streamPrefix: "sparrow:bench")
            let writer = try fleet.startReady(name: "bench-a")
            let reader = redis == nil ? writer : try fleet.startReady(name: "bench-b")
            let mode =
                redis.map { "redis \($0), 2 servers (post to A, poll B)" } ?? "embedded, 1 server (fsync group commit)"
            var lines = ["bench events: \(mode); logs in \(fleet.logFolder)"]
            lines.append(try ingest(port: writer.port, catalog: catalog))
            if let redis {
                // Both servers fold the whole stream in (A its own events' echoes too); freshness is measured after.
                let connection = try RedisConnection(url: redis)
                let entries = try await connection.command("XLEN", fleet.stream).int ?? 0
                await connection.close()
                lines.append(try catchUp(server: reader.port, name: "B", entries: entries))
                lines.append(try catchUp(server: writer.port, name: "A", entries: entries))
            }
            lines.append(try freshness(writer: writer.port, reader: reader.port, catalog: catalog))
            try await fleet.tearDown()
            for line in lines { print(line) }
            try appendResult(out, lines.joined(separator: "\n"))
        }

        func ingest(port: Int, catalog: Catalog) throws -> String {
            let movies = catalog.movies.map(\.id)
            let per = max(1, events / connections)
            let latencies = Mutex<[Double]>([])
            let failures = Atomic<Int>(0)
            let batch = max(1, self.batch)
            let start = ProcessStats.now()
            onThreads(connections) { k in
                let client = HTTPClient(port: port)
                var random = SeededGenerator(seed: UInt64(k + 1))
                var local: [Double] = []
                var i = 0
                while i < per {
                    let n = min(batch, per - i)
                    let items = (0..<n).map { j -> String in
                        let user = 3_000_000 + k * 1000 + (i + j) % 500
                        let movie = movies[Int.random(in: 0..<movies.count, using: &random)]
                        let rating = Double(Int.random(in: 1...10, using: &random)) / 2
                        return
                            "{\"userId\":\(user),\"movieId\":\(movie),\"rating\":\(rating),\"id\":\"ingest-\(k)-\(i + j)\"}"
                    }
                    let t = ProcessStats.now()
                    if let r = try? client.request(
                        "POST", "/api/v1/events", body: "{\"events\":[\(items.joined(separator: ","))]}"),
                        r.status == 202
                    {
                        local.append(ProcessStats.now() - t)
                    } else {
                        failures.add(1, ordering: .relaxed)
                    }
                    i += n
                }
                latencies.withLock { $0 += local }
            }
            let seconds = ProcessStats.now() - start
            let sorted = latencies.withLock { $0 }.sorted()
            let posted = sorted.count * batch
            return String(
                format:
                    "  ingest: %d events in %d POSTs of %d over %d connections: %.0f events/s, POST latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d failed",
                posted, sorted.count, batch, connections, Double(posted) / seconds, percentile(sorted, 0.5) * 1000,
                percentile(sorted, 0.99) * 1000, (sorted.last ?? 0) * 1000, failures.load(ordering: .relaxed))
        }

        /// Waits until a server has folded in every entry of the stream (its `consumed` counter reaches the stream's
        /// length), reporting how long after the last 202 that took.
        func catchUp(server port: Int, name: String, entries: Int) throws -> String {
            let client = HTTPClient(port: port)
            let start = ProcessStats.now()
            var consumed = 0
            while ProcessStats.now() - start < 300 {
                let text = try client.request("GET", "/metrics").text
                consumed =
                    text.split(separator: "\n")
                    .first { $0.hasPrefix("sparrow_nearline_events_total{kind=\"consumed\"}") }
                    .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
                if consumed >= entries { break }
                usleep(5_000)
            }
            return String(
                format: "  server %@ had consumed %d of the stream's %d entries %.2f s after the last 202", name,
                consumed,
                entries, ProcessStats.now() - start)
        }

        func freshness(writer: Int, reader: Int, catalog: Catalog) throws -> String {
            let post = HTTPClient(port: writer)
            let poll = HTTPClient(port: reader)
            var times: [Double] = []
            var polls: [Int] = []
            var timeouts = 0
            for trial in 0..<trials {
                let user = catalog.userIds[trial % catalog.userIds.count]
                let path = "/getrecforyou?id=\(user)&size=10"
                let before = try poll.request("GET", path)
                guard before.status == 200,
                    let list = try JSONSerialization.jsonObject(with: before.body) as? [[String: Any]],
                    let movie = list.first?["movieId"] as? Int
                else {
                    throw HTTPClient.Failure(description: "unexpected /getrecforyou answer: \(before.text.prefix(200))")
                }
                let r = try post.request(
                    "POST", "/api/v1/events",
                    body:
                        "{\"userId\":\(user),\"movieId\":\(movie),\"rating\":5,\"id\":\"fresh-\(trial)-\(UUID().uuidString)\"}"
                )
                guard r.status == 202 else {
                    throw HTTPClient.Failure(description: "POST answered \(r.status): \(r.text)")
                }
                let acknowledged = ProcessStats.now()
                var count = 0
                while true {
                    count += 1
                    let now = try poll.request("GET", path)
                    if now.body != before.body {
                        times.append(ProcessStats.now() - acknowledged)
                        polls.append(count)
                        break
                    }
                    if ProcessStats.now() - acknowledged > 5 {
                        timeouts += 1
                        break
                    }
                }
            }
            let sorted = times.sorted()
            return String(
                format:
                    "  freshness: %d ratings, 202 → changed /getrecforyou?size=10: p50 %.2f ms, p99 %.2f ms, max %.2f ms (median %d GETs; %d never changed within 5 s)",
                trials, percentile(sorted, 0.5) * 1000, percentile(sorted, 0.99) * 1000, (sorted.last ?? 0) * 1000,
                polls.isEmpty ? 0 : polls.sorted()[polls.count / 2], timeouts)
        }
    }
}

/// The value at fraction `q` of a sorted array (0 when empty).
func percentile(_ sorted: [Double], _ q: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))]
}
