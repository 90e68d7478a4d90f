import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowOffline
import SparrowServing

/// `sparrow import`: an export folder turned into a data folder that every command reads.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Turn movies.jsonl, users.jsonl and feedback.jsonl into a MovieLens data folder (line-numbered errors).")

    @Option(help: "Folder with movies.jsonl, users.jsonl and feedback.jsonl.") var from: String
    @Option(help: "Data folder to write (movies.csv, links.csv, ratings.csv, tags.csv, events.jsonl).") var to: String

    func run() throws {
        let summary: DataImport.Summary
        do {
            summary = try DataImport.run(from: from, to: to)
        } catch let error as DataError {
            throw CLIError("\(from)/\(error)")
        }
        let catalog = try MovieLensReader.load(directory: to)
        print(
            "imported \(summary.movies) movies, \(summary.ratings) ratings, \(summary.tags) tags and \(summary.events) "
                + "clicks/impressions into \(to) (it loads: \(catalog.movies.count) movies, \(catalog.userIds.count) users, "
                + "\(catalog.ratings.count) ratings)"
                + (summary.superseded > 0
                    ? "; \(summary.superseded) rating lines left out: the same user rated the same movie later" : ""))
    }
}
