import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real redis-server on a free port for the duration of a test, daemonised through the shell (Foundation's
/// `Process.waitUntilExit` can block a Swift-concurrency thread on Linux) and stopped with SIGTERM. Its files (the
/// append-only file when `durable`) live in a temporary folder, so a restart on the same port and folder keeps the
/// data, like a production Redis with `appendfsync always`.
public final class RedisServer: @unchecked Sendable {
    /// The port.
    public let port: Int
    /// Its working folder.
    public let directory: String
    let pidFile: String
    let durable: Bool

    /// Whether redis-server is installed (`apt-get install redis-server`).
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-server") }

    /// Starts a server (on `port`, or a random free-looking one; in `directory`, or a fresh temporary one).
    public init(port: Int? = nil, directory: String? = nil, durable: Bool = false) throws {
        self.port = port ?? 20_000 + Int.random(in: 0..<20_000)
        self.durable = durable
        self.directory =
            directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-redis-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        // Under CI the pid file goes to the folder `.ci/run` names, so that it can stop any server a crashed test
        // left behind by pid.
        let pidDirectory = ProcessInfo.processInfo.environment["SPARROW_TEST_PID_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        pidFile = (pidDirectory ?? self.directory) + "/redis-\(self.port)-\(UUID().uuidString.prefix(8)).pid"
        try start()
    }

    func start() throws {
        let persistence = durable ? "--appendonly yes --appendfsync always" : "--appendonly no"
        let status = system(
            "/usr/bin/redis-server --port \(port) --bind 127.0.0.1 --save '' \(persistence) --dir \(directory) --daemonize yes --pidfile \(pidFile) > /dev/null 2>&1"
        )
        guard status == 0 else {
            throw NSError(
                domain: "RedisServer", code: Int(status),
                userInfo: [NSLocalizedDescriptionKey: "redis-server did not start"])
        }
        for _ in 0..<100 {
            if system("/usr/bin/redis-cli -p \(port) ping > /dev/null 2>&1") == 0 { return }
            usleep(20_000)
        }
    }

    /// Starts it again after `stop()`, on the same port and folder.
    public func restart() throws { try start() }

    /// Stops it (SIGTERM, then waits for the process to go).
    public func stop() {
        defer { _ = system("/usr/bin/redis-cli -p \(port) shutdown nosave > /dev/null 2>&1") }
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        kill(pid, SIGTERM)
        for _ in 0..<150 where kill(pid, 0) == 0 { usleep(20_000) }
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    deinit { stop() }
}
