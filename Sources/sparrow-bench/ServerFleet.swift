import Foundation
import SparrowCore
import SparrowServer
import SparrowOffline
import SparrowServing
import SparrowStore

#if canImport(Glibc)
    import Glibc
#endif

/// `sparrow serve` processes started by a benchmark: each on its own port, logging to a file, awaited until ready.
final class ServerFleet {
    /// One server.
    struct Server {
        var name: String
        var port: Int
        var arguments: [String]
        var process: ChildProcess
        var url: String { "http://127.0.0.1:\(port)" }
    }

    let data: String
    let artifacts: String
    let redis: String?
    /// More `sparrow serve` arguments for every server (e.g. `--checkpoint-every 1`).
    var serveArguments: [String] = []
    let stream: String
    let logFolder: String
    private(set) var servers: [Server] = []

    init(data: String, artifacts: String, redis: String?, stream: String, logFolder: String) {
        self.data = data
        self.artifacts = artifacts
        self.redis = redis
        self.stream = stream
        self.logFolder = logFolder
    }

    deinit { for s in servers where s.process.isRunning { s.process.stop(signal: SIGKILL) } }

    /// Servers on a scratch copy of `artifacts` (missing artifacts are built there first), so a benchmark's events
    /// stay out of the real folder; in Redis mode on a fresh stream `<streamPrefix>:<random>`.
    convenience init(catalog: Catalog, data: String, artifacts: String, redis: String?, streamPrefix: String) throws {
        _ = try ArtifactBuilder(root: artifacts).prepare(catalog: catalog) { print("  " + $0) }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("sparrow-bench-\(UUID().uuidString.prefix(8))").path
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder + "/artifacts", withIntermediateDirectories: true)
        for item in try fm.contentsOfDirectory(atPath: artifacts)
        where ["embeddings", "models", "samples", "next-item"].contains(item) {
            try fm.copyItem(atPath: artifacts + "/" + item, toPath: folder + "/artifacts/" + item)
        }
        self.init(
            data: data, artifacts: folder + "/artifacts", redis: redis,
            stream: "\(streamPrefix):\(UUID().uuidString.prefix(8))", logFolder: folder)
    }

    /// Starts a server and requires `/health/ready` to say `ready` within 30 s (not `degraded`: a benchmark of a
    /// server that cannot reach Redis would measure nothing); otherwise stops everything and throws.
    @discardableResult
    func startReady(name: String, port: Int? = nil) throws -> Server {
        let server = try start(name: name, port: port)
        var health = try HTTPClient(port: server.port).request("GET", "/health/ready").text
        let since = ProcessStats.now()
        while !health.contains("\"status\":\"ready\""), ProcessStats.now() - since < 30 {  // a catch-up retried
            usleep(100_000)
            health = try HTTPClient(port: server.port).request("GET", "/health/ready").text
        }
        guard health.contains("\"status\":\"ready\"") else {
            stopAll()
            throw HTTPClient.Failure(
                description: "server \(name) is not ready: \(health) (see \(logFolder)/\(name).log)")
        }
        return server
    }

    /// Stops every server and deletes the benchmark's stream from Redis.
    func tearDown() async throws {
        stopAll()
        guard let redis else { return }
        let connection = try RedisConnection(url: redis)
        try await connection.command("DEL", stream)
        await connection.close()
    }

    /// A port nobody listens on right now.
    static func freePort() -> Int {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(s) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(s, $0, length) == 0 && getsockname(s, $0, &length) == 0
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts a server called `name` and waits until `/health/ready` answers 200.
    @discardableResult
    func start(name: String, port: Int? = nil) throws -> Server {
        let port = port ?? ServerFleet.freePort()
        var arguments = [
            "serve", "--data", data, "--artifacts", artifacts, "--port", String(port), "--host", "127.0.0.1",
            // One benchmark client stands for many: no per-client quota.
            "--no-web", "--quota-requests", "0", "--quota-events", "0",
        ]
        if let redis { arguments += ["--redis", redis, "--name", name, "--stream", stream, "--feature-ttl", "600"] }
        arguments += serveArguments
        let process = try ChildProcess(
            executable: ChildProcess.sparrowExecutable, arguments: arguments,
            logPath: "\(logFolder)/\(name).log")
        let server = Server(name: name, port: port, arguments: arguments, process: process)
        servers.removeAll { $0.name == name }
        servers.append(server)
        try waitReady(server)
        return server
    }

    /// Waits (up to 10 minutes: a first start may train models) until the server answers `/health/ready`.
    func waitReady(_ server: Server) throws {
        let start = ProcessStats.now()
        let client = HTTPClient(port: server.port)
        while ProcessStats.now() - start < 600 {
            if let r = try? client.request("GET", "/health/ready"), r.status == 200 { return }
            guard server.process.isRunning else {
                throw HTTPClient.Failure(
                    description: "server \(server.name) exited; see \(logFolder)/\(server.name).log")
            }
            usleep(20_000)
        }
        throw HTTPClient.Failure(description: "server \(server.name) not ready after 600 s")
    }

    /// Kills a server with `signal`.
    func kill(_ name: String, signal: Int32 = SIGKILL) {
        servers.first { $0.name == name }?.process.stop(signal: signal)
    }

    /// Stops every server.
    func stopAll() {
        for s in servers where s.process.isRunning { s.process.stop(signal: SIGTERM) }
        servers.removeAll()
    }
}
