import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore

extension DataCommand {
    /// `sparrow data download`.
    struct Download: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a MovieLens dataset from GroupLens, verify its checksum and unpack it.")

        @Option(help: "ml-latest-small, ml-25m or ml-32m.") var dataset = "ml-latest-small"
        @Option(help: "Folder to unpack into.") var to = "data"
        @Option(help: "Install from a zip already on disk instead of downloading (offline machines).")
        var fromZip: String?
        @Option(help: "Expected MD5 of --from-zip (hex); checked when given.") var md5: String?

        func run() throws {
            guard let which = MovieLensDataset(rawValue: dataset) else {
                throw CLIError(
                    "unknown dataset '\(dataset)'; choose one of "
                        + MovieLensDataset.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let folder: String
            if let fromZip {
                folder = try DatasetDownloader.install(zip: fromZip, expectedMD5: md5, to: to) { print($0) }
            } else {
                folder = try DatasetDownloader.download(which, to: to) { print($0) }
            }
            print("ready: sparrow data stats --data \(folder)")
        }
    }

    /// `sparrow data synth`.
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic MovieLens-format dataset (deterministic for a seed).")

        @Option(help: "Number of users.") var users = 1000
        @Option(help: "Number of movies.") var movies = 2000
        @Option(help: "Exact number of ratings.") var ratings = 100_000
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Option(help: "Output folder.") var to: String

        func run() throws {
            let start = ProcessStats.now()
            try SyntheticDataset(users: users, movies: movies, ratings: ratings, seed: seed).write(to: to)
            print(
                "wrote \(ratings) ratings by \(users) users of \(movies) movies to \(to) in "
                    + String(format: "%.1f s", ProcessStats.now() - start))
        }
    }
}
