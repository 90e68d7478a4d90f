import Foundation
import SparrowCore

/// The lines of an export folder: `movies.jsonl`, `users.jsonl` and `feedback.jsonl`, one JSON object a line.
public enum ExchangeRecords {
    /// A movie of `movies.jsonl`.
    public struct Movie: Codable, Equatable, Sendable {
        /// The MovieLens `movieId`.
        public var movieId: Int32
        /// The title without its year group.
        public var title: String
        /// The release year, when the title has one.
        public var year: Int?
        /// Whether the year is a plain `(YYYY)` group (false for a range such as `(2006–2007)`).
        public var plainYear: Bool
        /// Genre names, in the file's order.
        public var genres: [String]
        /// The IMDb id with its leading zeros.
        public var imdbId: String?
        /// The TMDb id.
        public var tmdbId: Int32?

        /// Creates a record.
        public init(
            movieId: Int32, title: String, year: Int?, plainYear: Bool, genres: [String], imdbId: String? = nil,
            tmdbId: Int32? = nil
        ) {
            self.movieId = movieId
            self.title = title
            self.year = year
            self.plainYear = plainYear
            self.genres = genres
            self.imdbId = imdbId
            self.tmdbId = tmdbId
        }
    }

    /// The file names.
    public static let movies = "movies.jsonl", users = "users.jsonl", feedback = "feedback.jsonl"
    /// The events of a data folder that a MovieLens file cannot hold (clicks and impressions), as feedback lines.
    public static let dataEvents = "events.jsonl"

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Writes `records` as JSON lines to `path`.
    public static func write<T: Encodable>(_ records: [T], to path: String) throws {
        var data = Data()
        for r in records {
            data.append(try encoder.encode(r))
            data.append(0x0A)
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// The records of a JSON-lines file with their 1-based line numbers (blank lines skipped); a malformed line is a
    /// `DataError` naming the file, the line and the field.
    public static func read<T: Decodable>(_ type: T.Type, from path: String, name: String) throws -> [(
        line: Int, record: T
    )] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: name, message: "cannot read \(path)")
        }
        var out: [(line: Int, record: T)] = []
        var line = 0
        for slice in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            line += 1
            if slice.isEmpty || slice.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { continue }
            do {
                out.append((line, try JSONDecoder().decode(T.self, from: Data(slice))))
            } catch let error as DecodingError {
                throw describe(error, file: name, line: line)
            }
        }
        return out
    }

    static func describe(_ error: DecodingError, file: String, line: Int) -> DataError {
        func field(_ path: [any CodingKey]) -> String? {
            path.isEmpty ? nil : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let c):
            return DataError(file: file, line: line, field: field(c.codingPath), message: "expected \(type)")
        case .valueNotFound(let type, let c):
            return DataError(
                file: file, line: line, field: field(c.codingPath), message: "expected \(type), found null")
        case .keyNotFound(let key, let c):
            return DataError(file: file, line: line, field: field(c.codingPath + [key]), message: "missing")
        case .dataCorrupted(let c):
            return DataError(file: file, line: line, field: field(c.codingPath), message: "not valid JSON")
        @unknown default:
            return DataError(file: file, line: line, message: "\(error)")
        }
    }
}
