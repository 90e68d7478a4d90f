import Foundation
import SparrowCore
import SparrowStore

/// Which events of an event log a folder holds — the first `events` of the log, recognised by their hash — so that
/// exporting a data folder together with the log it was exported from skips what the folder already holds.
///
/// `DataExport` writes it beside the export's files and `DataImport` copies it into the data folder it makes. A
/// log whose first `events` events hash differently is another log (or one compacted since): all of it is new.
public struct LogManifest: Codable, Equatable, Sendable {
    /// The file name, in an export folder and in a data folder.
    public static let file = "log-events.json"

    /// How many events, from the start of the log, the folder holds.
    public var events: Int
    /// FNV-1a over those events (`hash(_:)`), in hexadecimal.
    public var hash: String

    /// The manifest of a folder holding all of `events` (a whole log).
    public init(_ events: [EventLog.Event]) {
        self.events = events.count
        hash = Self.hash(events[...])
    }

    /// Whether `log` starts with the events this manifest describes.
    public func matches(_ log: [EventLog.Event]) -> Bool {
        log.count >= events && Self.hash(log.prefix(events)) == hash
    }

    /// FNV-1a over every field of every event, in order.
    static func hash(_ events: ArraySlice<EventLog.Event>) -> String {
        var h = FNV1a()
        for e in events {
            let line =
                "\(e.type.rawValue)|\(e.userId)|\(e.movieId)|\(e.rating.map { "\($0)" } ?? "")|"
                + "\(e.timestamp)|\(e.id ?? "")\n"
            h.add(bytes: line.utf8)
        }
        return String(h.value, radix: 16)
    }

    /// The manifest in `directory`, nil when it has none.
    public static func read(from directory: String) throws -> LogManifest? {
        let path = directory + "/" + file
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(LogManifest.self, from: data)
        } catch {
            throw DataError(file: path, message: "not a log manifest: \(error)")
        }
    }

    /// Writes `manifest` to `directory` (removes the file when nil).
    public static func write(_ manifest: LogManifest?, to directory: String) throws {
        let path = directory + "/" + file
        guard let manifest else {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: path))
    }
}
