import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore

/// `sparrow data …`: inspect, download and synthesise MovieLens data.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Inspect, download or synthesise MovieLens data.",
        subcommands: [Stats.self, Download.self, Synth.self]
    )

    /// `sparrow data stats`.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print counts, histograms and spreads of a dataset.")
        @OptionGroup var dataOptions: DataOptions
        @Flag(help: "Print JSON instead of text.") var json = false

        func run() throws {
            let catalog = try dataOptions.load()
            let stats = CatalogStats(catalog)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(stats), as: UTF8.self))
            } else {
                print(stats.report)
            }
        }
    }
}
