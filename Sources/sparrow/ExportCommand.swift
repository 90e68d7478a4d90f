import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
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
        help: ArgumentHelp(
            "The server's artifacts folder: its events.log and movies-added.jsonl are exported too.",
            discussion: "Without it only the data folder is exported: no log is read from a default place."))
    var artifacts: String?
    @Option(help: "Output folder.") var out: String

    func run() throws {
        let data = try dataOptions.directory()
        var catalog = try dataOptions.load()
        var log: String?
        if let artifacts {
            // The movies added while serving (`POST /api/v1/movies`) are exported with the data folder's.
            catalog = try MovieAdditions(artifacts: artifacts).applied(to: catalog)
            log = artifacts + "/events.log"
        }
        let summary: DataExport.Summary
        do {
            summary = try DataExport.write(catalog: catalog, dataDirectory: data, eventLog: log, to: out)
        } catch let error as DataError {
            throw CLIError("\(error)")
        }
        var line =
            "exported \(summary.movies) movies, \(summary.users) users, \(summary.feedback) feedback lines to \(out)"
        if let log {
            line += " (\(summary.events) events from \(log)"
            if summary.skipped > 0 { line += " after the \(summary.skipped) that \(data) already holds" }
            if summary.superseded > 0 { line += "; \(summary.superseded) ratings replaced by newer ones" }
            line += ")"
        } else {
            line += " (the data folder alone: pass --artifacts DIR to add a server's events)"
        }
        print(line)
    }
}
