import ArgumentParser
import Foundation
import SparrowCore

/// `--data DIR` (or `SPARROW_DATA`) and `--lenient`, shared by every command that reads MovieLens.
public struct DataOptions: ParsableArguments, Sendable {
    /// The MovieLens folder (`--data`).
    @Option(
        name: .long,
        help: "MovieLens folder (movies.csv, ratings.csv, …). Default: $SPARROW_DATA, else data/ml-latest-small.")
    public var data: String?

    /// Skip malformed rows instead of stopping at the first.
    @Flag(name: .long, help: "Skip malformed rows (and report them) instead of stopping at the first.")
    public var lenient = false

    /// No flags yet (ArgumentParser fills them in).
    public init() {}

    /// The copy of ml-latest-small the repository ships, relative to its root.
    public static let shipped = "data/ml-latest-small"

    /// The data folder: the flag, else `SPARROW_DATA`, else the shipped copy (from the repository root).
    public func directory() throws -> String {
        if let data { return data }
        if let env = ProcessInfo.processInfo.environment["SPARROW_DATA"], !env.isEmpty { return env }
        if FileManager.default.fileExists(atPath: DataOptions.shipped + "/ratings.csv") { return DataOptions.shipped }
        throw CLIError(
            "no data folder: pass --data DIR, set SPARROW_DATA or run from the repository root (it ships "
                + "\(DataOptions.shipped)); larger sets: `sparrow data download`")
    }

    /// Loads the catalog, printing what lenient mode skipped.
    public func load() throws -> Catalog {
        let catalog = try MovieLensReader.load(directory: directory(), options: LoadOptions(lenient: lenient))
        if let summary = catalog.skipped.summary { printErr(summary) }
        return catalog
    }
}

/// A one-sentence error for the command line.
public struct CLIError: Error, CustomStringConvertible {
    /// The sentence.
    public let description: String
    /// An error with `message`.
    public init(_ message: String) { description = message }
}

/// Prints to standard error.
public func printErr(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

extension HoldOutSplit.Kind: ExpressibleByArgument {}
