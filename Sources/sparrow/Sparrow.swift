import ArgumentParser
import Foundation
import SparrowCore

/// The `sparrow` command: every part of the recommender behind one binary.
@main
struct Sparrow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparrow",
        abstract: "Sparrow — a complete deep-learning movie recommender in one Swift binary.",
        subcommands: [DataCommand.self, FeaturesCommand.self, TrainCommand.self, PredictCommand.self, EmbedCommand.self, SimilarCommand.self, DemoCommand.self, BenchCommand.self]
    )
}
