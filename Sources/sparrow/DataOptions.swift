import ArgumentParser
import Foundation
import SparrowCore

/// `--data DIR` (or `SPARROW_DATA`) and `--lenient`, shared by every command that reads MovieLens.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "MovieLens folder (movies.csv, ratings.csv, …). Default: $SPARROW_DATA.")
    var data: String?

    @Flag(name: .long, help: "Skip malformed rows (and report them) instead of stopping at the first.")
    var lenient = false

    /// The data folder from the flag or the environment.
    func directory() throws -> String {
        if let data { return data }
        if let env = ProcessInfo.processInfo.environment["SPARROW_DATA"], !env.isEmpty { return env }
        throw CLIError("no data folder: pass --data DIR or set SPARROW_DATA (get MovieLens with `sparrow data download`)")
    }

    /// Loads the catalog, printing what lenient mode skipped.
    func load() throws -> Catalog {
        let catalog = try MovieLensReader.load(directory: directory(), options: LoadOptions(lenient: lenient))
        if let summary = catalog.skipped.summary { printErr(summary) }
        return catalog
    }
}

/// A one-sentence error for the command line.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Prints to standard error.
func printErr(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
