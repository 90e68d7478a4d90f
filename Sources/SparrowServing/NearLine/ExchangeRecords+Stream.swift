import Foundation
import SparrowStore

extension ExchangeRecords.Movie {
    /// The `type` of a catalogue entry in the event stream (Redis mode: a movie added on one server reaches every
    /// server in stream order, before any event that rates it).
    public static let streamType = "movie"

    /// The movie as stream fields: `type` = `movie`, `movie` = its `movies.jsonl` line.
    public var streamFields: [(String, String)] {
        let line = (try? ExchangeRecords.encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return [("type", Self.streamType), ("movie", line)]
    }

    /// A movie from stream fields; nil unless they are a catalogue entry with a well-formed record.
    public init?(streamFields f: [String: String]) {
        guard f["type"] == Self.streamType, let line = f["movie"],
            let record = try? JSONDecoder().decode(ExchangeRecords.Movie.self, from: Data(line.utf8))
        else { return nil }
        self = record
    }
}
