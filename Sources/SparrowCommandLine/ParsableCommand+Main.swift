import ArgumentParser
import CSparrowKernels

extension ParsableCommand {
    /// What `sparrow` and `sparrow-bench` run as `main`: standard output line-buffered (progress shows up promptly in
    /// a file or a pipe), then the parsed subcommand — asynchronously when it is an `AsyncParsableCommand`, whose
    /// synchronous `run()` would only print its help.
    public static func runLineBuffered() async {
        sparrow_line_buffer_stdout()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
