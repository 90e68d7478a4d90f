import Foundation
import SparrowEmbedding
import SparrowFeatures

/// The live state as a checkpoint payload: every user's ratings and the idempotency keys as packed columns (base64 of
/// little-endian arrays; the keys as one newline-joined text), which decode an order of magnitude faster than arrays
/// of JSON numbers and strings, and the movies' states and statistics as JSON. What derives from a user's ratings —
/// their feature state, seen set and vector — is not written: `Recommender.restore` replays it (`UserReplay`) for
/// the users whose ratings differ from the state being restored onto, so a decoded state holds empty `users`, `seen`
/// and `userVectors`. Checkpoints written with those fields, or with per-user JSON columns (`history`), are still
/// read (the derived fields are ignored).
extension LiveState: Decodable {
    enum CodingKeys: String, CodingKey {
        case movies, stats, history, newUserIds, appliedKeys, appliedCapacity, catalogUsers
        case historyCounts, historyMovies, historyScores, historyTimestamps, appliedKeyLines
        case replacedUsers, replacedCounts
    }

    /// One user's ratings in order, as three columns (the older payload).
    struct HistoryColumns: Codable {
        var movies: [Int32]
        var scores: [Float]
        var timestamps: [Int64]
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        movies = try c.decode([MovieFeatureState].self, forKey: .movies)
        stats = try c.decode([MovieStats].self, forKey: .stats)
        if let counts = try c.decodeIfPresent([Int].self, forKey: .historyCounts) {
            let movies: [Int32] = try Self.unpack(c.decode(Data.self, forKey: .historyMovies))
            let scores: [Float] = try Self.unpack(c.decode(Data.self, forKey: .historyScores))
            let times: [Int64] = try Self.unpack(c.decode(Data.self, forKey: .historyTimestamps))
            guard counts.allSatisfy({ $0 >= 0 }), counts.reduce(0, +) == movies.count, scores.count == movies.count,
                times.count == movies.count
            else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "history columns")) }
            var start = 0
            history = counts.map { n in
                defer { start += n }
                return (start..<start + n).map { (movies[$0], scores[$0], times[$0]) }
            }
        } else {
            history = try c.decode([HistoryColumns].self, forKey: .history).map { h in
                (0..<h.movies.count).map { (h.movies[$0], h.scores[$0], h.timestamps[$0]) }
            }
        }
        (users, seen, userVectors) = ([], [], [])
        let replacedUsers = try c.decodeIfPresent([Int].self, forKey: .replacedUsers) ?? []
        let replacedCounts = try c.decodeIfPresent([Int].self, forKey: .replacedCounts) ?? []
        guard replacedUsers.count == replacedCounts.count, Set(replacedUsers).count == replacedUsers.count else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "replaced ratings"))
        }
        replaced = Dictionary(uniqueKeysWithValues: zip(replacedUsers, replacedCounts))
        newUserIds = try c.decode([Int32].self, forKey: .newUserIds)
        let catalogUsers = try c.decode(Int.self, forKey: .catalogUsers)
        newUsers = Dictionary(uniqueKeysWithValues: newUserIds.enumerated().map { ($1, catalogUsers + $0) })
        appliedEvents = IdempotencyWindow(capacity: try c.decode(Int.self, forKey: .appliedCapacity))
        if let bytes = try c.decodeIfPresent(Data.self, forKey: .appliedKeyLines) {
            let lines = String(decoding: bytes, as: UTF8.self)
            if !lines.isEmpty {
                for key in lines.split(separator: "\n", omittingEmptySubsequences: false) {
                    _ = appliedEvents.insert(String(key))
                }
            }
        } else {
            for key in try c.decode([String].self, forKey: .appliedKeys) { _ = appliedEvents.insert(key) }
        }
        guard catalogUsers + newUserIds.count == history.count, stats.count == movies.count,
            replaced.keys.allSatisfy({ $0 >= 0 && $0 < history.count })
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "inconsistent lengths"))
        }
    }

    /// Writes the checkpoint payload (what `init(from:)` reads) to `sink`: field by field, the large arrays 1,000
    /// elements at a time and the packed columns 48 KiB at a time, so that writing holds one piece at a time instead
    /// of the whole document (which, built in memory, costs a few times the state's size — and the server's memory
    /// with it — for the length of a checkpoint). `keys` are the idempotency keys, oldest first: the window itself is
    /// left out of the copy being written (`checkpointSnapshot`).
    func writePayload(keys: [String], to sink: CheckpointSink) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same state, the same bytes
        var first = true
        func key(_ k: CodingKeys) throws {
            try sink.write((first ? "{" : ",") + "\"\(k.stringValue)\":")
            first = false
        }
        func field<T: Encodable>(_ k: CodingKeys, _ value: T) throws {
            try key(k)
            try sink.write(encoder.encode(value))
        }
        func array<T: Encodable>(_ k: CodingKeys, _ values: [T]) throws {
            try key(k)
            try sink.write("[")
            for start in stride(from: 0, to: values.count, by: 1000) {
                let piece = try encoder.encode(Array(values[start..<min(values.count, start + 1000)]))
                if start > 0 { try sink.write(",") }
                try sink.write(piece.dropFirst().dropLast())  // the piece without its brackets
            }
            try sink.write("]")
        }
        /// A packed column of every user's ratings, user after user.
        func column<T>(_ k: CodingKeys, _ value: @escaping ((movie: Int32, score: Float, timestamp: Int64)) -> T)
            throws
        {
            try key(k)
            try sink.base64String { emit in
                for ratings in history where !ratings.isEmpty {
                    try ratings.map(value).withUnsafeBytes(emit)
                }
            }
        }
        try array(.movies, movies)
        try array(.stats, stats)
        try field(.historyCounts, history.map(\.count))
        try column(.historyMovies) { $0.movie.littleEndian }
        try column(.historyScores) { $0.score.bitPattern.littleEndian }
        try column(.historyTimestamps) { $0.timestamp.littleEndian }
        try field(.newUserIds, newUserIds)
        let replacedUsers = replaced.keys.sorted()
        try field(.replacedUsers, replacedUsers)
        try field(.replacedCounts, replacedUsers.map { replaced[$0]! })
        try field(.catalogUsers, history.count - newUserIds.count)
        if keys.contains(where: { $0.contains("\n") }) {
            try field(.appliedKeys, keys)
        } else {
            // As newline-joined bytes (base64 in the JSON; a text this long would be escaped character by character).
            try key(.appliedKeyLines)
            try sink.base64String { emit in
                let newline: [UInt8] = [0x0A]
                for (k, key) in keys.enumerated() {
                    if k > 0 { try newline.withUnsafeBytes(emit) }
                    var key = key
                    try key.withUTF8 { try emit(UnsafeRawBufferPointer($0)) }
                }
            }
        }
        try field(.appliedCapacity, appliedEvents.capacity)
        try sink.write("}")
    }

    /// The values of a packed column's little-endian bytes.
    static func unpack<T: FixedWidthInteger>(_ data: Data) throws -> [T] {
        guard data.count % MemoryLayout<T>.size == 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a packed column's length"))
        }
        return data.withUnsafeBytes { raw in
            (0..<data.count / MemoryLayout<T>.size).map {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))
            }
        }
    }

    static func unpack(_ data: Data) throws -> [Float] {
        let bits: [UInt32] = try unpack(data)
        return bits.map(Float.init(bitPattern:))
    }
}

extension MovieStats: Codable {
    enum CodingKeys: String, CodingKey {
        case count, sum, users, scores, timestamps
    }

    /// Encodes the statistics, the top ratings as three columns.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(sum, forKey: .sum)
        try c.encode(top.map(\.user), forKey: .users)
        try c.encode(top.map(\.score), forKey: .scores)
        try c.encode(top.map(\.timestamp), forKey: .timestamps)
    }

    /// Decodes what `encode(to:)` wrote.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        count = try c.decode(Int.self, forKey: .count)
        sum = try c.decode(Double.self, forKey: .sum)
        let users = try c.decode([Int32].self, forKey: .users)
        let scores = try c.decode([Float].self, forKey: .scores)
        let timestamps = try c.decode([Int64].self, forKey: .timestamps)
        guard users.count == scores.count, users.count == timestamps.count else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "top lengths differ"))
        }
        top = (0..<users.count).map { (users[$0], scores[$0], timestamps[$0]) }
    }
}
