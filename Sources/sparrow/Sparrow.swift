import ArgumentParser

import CSparrowKernels
import Foundation
import SparrowCore

/// The `sparrow` command: every part of the recommender behind one binary.
@main
struct Sparrow: AsyncParsableCommand {
    /// Line-buffered standard output, so progress shows up promptly when it goes to a file or a pipe.
    static func main() async {
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

    static let configuration = CommandConfiguration(
        commandName: "sparrow",
        abstract: "Sparrow — a complete deep-learning movie recommender in one Swift binary.",
        subcommands: [
            DataCommand.self, FeaturesCommand.self, TrainCommand.self, PredictCommand.self, EmbedCommand.self,
            SimilarCommand.self, ServeCommand.self, PushCommand.self, EvalCommand.self, DemoCommand.self,
            ExportCommand.self, ImportCommand.self, RetrainCommand.self,
        ]
    )
}
