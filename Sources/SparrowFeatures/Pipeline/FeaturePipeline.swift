import Foundation
import SparrowCore

/// Catalog → point-in-time samples → train/test files (CSV in the original's layout and Sparrow's binary form) and
/// the latest feature snapshots. Rows stream through in blocks, so memory stays bounded on 25 M ratings.
public struct FeaturePipeline: Sendable {
    /// What a run produced.
    public struct Summary: Sendable {
        /// Training rows.
        public var trainRows = 0
        /// Test rows.
        public var testRows = 0
        /// Files written.
        public var files: [String] = []
    }

    /// The catalog to read.
    public var catalog: Catalog
    /// How to split.
    public var split: SampleSplit
    /// Append the four context columns to the CSVs.
    public var extraColumns = false
    /// Also write the CSVs (the binary files are always written).
    public var writeCSV = true
    /// Rows per streamed block.
    public var blockSize = 65_536

    /// Creates a pipeline.
    public init(catalog: Catalog, split: SampleSplit) {
        self.catalog = catalog
        self.split = split
    }

    /// Runs it, writing into `directory` (created if needed); progress lines (`ProgressLine`, by ratings passed) go to
    /// `log`.
    public func run(to directory: String, log: @escaping (String) -> Void = { _ in }) throws(DataError) -> Summary {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError(file: directory, message: "cannot create the folder (\(error.localizedDescription))")
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        let isTest = split.classifier(catalog: catalog)
        let sinks = [
            try Sink(
                name: "training", directory: directory, genres: catalog.genres, csv: writeCSV, extra: extraColumns),
            try Sink(name: "test", directory: directory, genres: catalog.genres, csv: writeCSV, extra: extraColumns),
        ]
        let generator = SampleGenerator(catalog: catalog)
        var chunks = sinks.map { _ in SampleTable(genres: catalog.genres) }
        var progress = ProgressLine("samples", total: catalog.ratings.count, log: log)
        var written = 0
        let final = generator.run { row in
            let side = isTest(row.ratingRow, row.timestamp) ? 1 : 0
            chunks[side].append(row, catalog: catalog)
            if chunks[side].count >= blockSize {
                sinks[side].submit(chunks[side])
                written += chunks[side].count
                chunks[side].removeAll()
                progress.update(done: written)
            }
        }
        for (side, sink) in sinks.enumerated() {
            sink.submit(chunks[side])
            try sink.close()
        }
        try FeatureSnapshots.write(final, catalog: catalog, to: directory)
        var summary = Summary()
        summary.trainRows = sinks[0].rows
        summary.testRows = sinks[1].rows
        summary.files = sinks.flatMap(\.files) + [path("userFeatures.csv"), path("movieFeatures.csv")]
        return summary
    }

    /// One output side (training or test): the binary writer and the CSV file, fed blocks of rows that a serial
    /// queue encodes and writes while the generator computes the next block (the two cores overlap).
    final class Sink: @unchecked Sendable {
        private let queue: DispatchQueue
        private let inFlight = DispatchSemaphore(value: 4)  // back-pressure: at most 4 blocks waiting
        private var failure: DataError?
        let binary: SampleFile.Writer
        let csv: FileHandle?
        let csvPath: String
        let extra: Bool
        private(set) var rows = 0
        let files: [String]

        init(name: String, directory: String, genres: [String], csv writeCSV: Bool, extra: Bool) throws(DataError) {
            queue = DispatchQueue(label: "sparrow.samples.\(name)")
            let binaryPath = (directory as NSString).appendingPathComponent("\(name)Samples.sparrow")
            csvPath = (directory as NSString).appendingPathComponent("\(name)Samples.csv")
            binary = try SampleFile.Writer(path: binaryPath, genres: genres)
            self.extra = extra
            if writeCSV {
                guard
                    FileManager.default.createFile(
                        atPath: csvPath, contents: Data((SampleCSV.header(extraColumns: extra) + "\n").utf8)),
                    let handle = FileHandle(forWritingAtPath: csvPath)
                else { throw DataError(file: csvPath, message: "cannot create the file") }
                handle.seekToEndOfFile()
                csv = handle
                files = [csvPath, binaryPath]
            } else {
                csv = nil
                files = [binaryPath]
            }
        }

        /// Queues a block for writing (a copy: the caller may reuse its table).
        func submit(_ block: SampleTable) {
            inFlight.wait()
            queue.async {
                defer { self.inFlight.signal() }
                guard self.failure == nil else { return }
                do throws(DataError) { try self.write(block) } catch { self.failure = error }
            }
        }

        private func write(_ chunk: SampleTable) throws(DataError) {
            guard chunk.count > 0 else { return }
            try binary.append(chunk)
            if let csv {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(chunk.count * 120)
                SampleCSV.encode(chunk, extraColumns: extra, into: &bytes)
                do { try csv.write(contentsOf: bytes) } catch {
                    throw DataError(file: csvPath, message: "cannot write (\(error.localizedDescription))")
                }
            }
            rows += chunk.count
        }

        /// Waits for queued blocks, closes the files and reports the first write error.
        func close() throws(DataError) {
            queue.sync {}
            if let failure { throw failure }
            try binary.close()
            try? csv?.close()
        }
    }
}
