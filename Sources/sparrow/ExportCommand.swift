import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowOffline
import SparrowServing

/// `sparrow export`: the catalogue, users and all feedback — the data folder's ratings and tags and every event
/// posted since — as `movies.jsonl`, `users.jsonl` and `feedback.jsonl`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write movies.jsonl, users.jsonl and feedback.jsonl: everything the system knows, events included.")

    @OptionGroup var dataOptions: DataOptions
    @Option(
        help:
            "Artifacts folder whose events.log and movies-added.jsonl are exported too (default: artifacts, when it has them)."
    )
    var artifacts = "artifacts"
    @Option(help: "Output folder.") var out: String

    func run() throws {
        // The movies added while serving (`POST /api/v1/movies`) are exported with the data folder's.
        let catalog = try MovieAdditions(artifacts: artifacts).applied(to: dataOptions.load())
        let log = artifacts + "/events.log"
        let summary = try DataExport.write(
            catalog: catalog, dataDirectory: try dataOptions.directory(), eventLog: log, to: out)
        print(
            "exported \(summary.movies) movies, \(summary.users) users, \(summary.feedback) feedback lines "
                + "(\(summary.events) of them from \(log)) to \(out)")
    }
}
