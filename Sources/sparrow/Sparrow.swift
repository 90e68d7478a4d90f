import ArgumentParser
import SparrowCommandLine

/// The `sparrow` command: every part of the recommender behind one binary.
@main
struct Sparrow: AsyncParsableCommand {
    /// Line-buffered standard output, then the subcommand (`runLineBuffered`).
    static func main() async { await runLineBuffered() }

    static let configuration = CommandConfiguration(
        commandName: "sparrow",
        abstract: "Sparrow — a complete deep-learning movie recommender in one Swift binary.",
        subcommands: [
            DataCommand.self, FeaturesCommand.self, TrainCommand.self, PredictCommand.self, EmbedCommand.self,
            SimilarCommand.self, ServeCommand.self, PushCommand.self, EvalCommand.self, DemoCommand.self,
            ExportCommand.self, ImportCommand.self, RetrainCommand.self, KeysCommand.self,
        ]
    )
}
