import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, its output going to a file; killed and reaped explicitly (a crash
/// test needs SIGKILL at a moment of its choosing).
final class ChildProcess {
    let pid: pid_t
    let arguments: [String]

    /// Starts `executable` with `arguments`, stdout and stderr appended to `logPath`.
    init(executable: String, arguments: [String], logPath: String) throws {
        self.arguments = arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
        guard status == 0 else {
            throw HTTPClient.Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    /// This program's own executable.
    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The `sparrow` binary the benchmarks start servers from: `SPARROW_BIN`, else the `sparrow` beside this
    /// executable (both are products of the same build).
    static var sparrowExecutable: String {
        if let given = ProcessInfo.processInfo.environment["SPARROW_BIN"], !given.isEmpty { return given }
        return (ownExecutable as NSString).deletingLastPathComponent + "/sparrow"
    }

    /// Sends `signal` and waits for the process to end.
    func stop(signal: Int32 = SIGTERM) {
        kill(pid, signal)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Whether it is still running.
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }
}
