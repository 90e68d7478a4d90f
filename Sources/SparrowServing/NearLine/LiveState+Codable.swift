import Foundation
import SparrowEmbedding
import SparrowFeatures

/// The live state as a checkpoint payload: the feature states as JSON; the bulky parts — every user's ratings and the
/// idempotency keys — as packed columns (base64 of little-endian arrays; the keys as one newline-joined text), which
/// decode an order of magnitude faster than arrays of JSON numbers and strings. The seen sets and `newUsers` are
/// rebuilt from their sources on decoding. Checkpoints written with per-user JSON columns (`seen`, `history`,
/// `appliedKeys`) are still read.
extension LiveState: Decodable {
    enum CodingKeys: String, CodingKey {
        case users, movies, stats, seen, history, userVectors, newUserIds, appliedKeys, appliedCapacity, catalogUsers
        case historyCounts, historyMovies, historyScores, historyTimestamps, appliedKeyLines
    }

    /// One user's ratings in order, as three columns (the older payload).
    struct HistoryColumns: Codable {
        var movies: [Int32]
        var scores: [Float]
        var timestamps: [Int64]
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        users = try c.decode([UserFeatureState].self, forKey: .users)
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
            seen = history.map { Set($0.map(\.movie)) }
        } else {
            seen = try c.decode([[Int32]].self, forKey: .seen).map(Set.init)
            history = try c.decode([HistoryColumns].self, forKey: .history).map { h in
                (0..<h.movies.count).map { (h.movies[$0], h.scores[$0], h.timestamps[$0]) }
            }
        }
        userVectors = try c.decode([UserVectorState?].self, forKey: .userVectors)
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
        let n = users.count
        guard seen.count == n, history.count == n, userVectors.count == n, catalogUsers + newUserIds.count == n,
            stats.count == movies.count
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "inconsistent lengths"))
        }
    }

    /// The checkpoint payload (what `init(from:)` reads), built field by field and the large arrays 1,000
    /// elements at a time, so that encoding holds one piece's tree at a time instead of the whole state's (which
    /// costs a few times the state's size, and the server's memory with it, for the length of a checkpoint).
    /// `keys` are the idempotency keys when the window was left out of this copy (`checkpointSnapshot`).
    func checkpointPayload(keys givenKeys: [String]? = nil) throws -> Data {
        let encoder = JSONEncoder()
        var out = Data("{".utf8)
        func key(_ k: CodingKeys) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: Array("\"\(k.stringValue)\":".utf8))
        }
        func field<T: Encodable>(_ k: CodingKeys, _ value: T) throws {
            key(k)
            out.append(try encoder.encode(value))
        }
        func array<T: Encodable>(_ k: CodingKeys, _ values: [T]) throws {
            key(k)
            out.append(UInt8(ascii: "["))
            for start in stride(from: 0, to: values.count, by: 1000) {
                let piece = try encoder.encode(Array(values[start..<min(values.count, start + 1000)]))
                if start > 0 { out.append(UInt8(ascii: ",")) }
                out.append(piece.dropFirst().dropLast())  // the piece without its brackets
            }
            out.append(UInt8(ascii: "]"))
        }
        try array(.users, users)
        try array(.movies, movies)
        try array(.stats, stats)
        try field(.historyCounts, history.map(\.count))
        let flat = history.joined()
        try field(.historyMovies, Self.pack(flat.map(\.movie)))
        try field(.historyScores, Self.pack(flat.map(\.score)))
        try field(.historyTimestamps, Self.pack(flat.map(\.timestamp)))
        try array(.userVectors, userVectors)
        try field(.newUserIds, newUserIds)
        try field(.catalogUsers, users.count - newUserIds.count)
        let keys = givenKeys ?? appliedEvents.keysInOrder
        if keys.contains(where: { $0.contains("\n") }) {
            try field(.appliedKeys, keys)
        } else {
            // As bytes (base64 in the JSON; a text this long would be escaped character by character), built
            // straight into one buffer.
            var lines = Data()
            lines.reserveCapacity(keys.reduce(0) { $0 + $1.utf8.count + 1 })
            for (k, key) in keys.enumerated() {
                if k > 0 { lines.append(0x0A) }
                lines.append(contentsOf: key.utf8)
            }
            try field(.appliedKeyLines, lines)
        }
        try field(.appliedCapacity, appliedEvents.capacity)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The values' little-endian bytes.
    static func pack<T: FixedWidthInteger>(_ values: [T]) -> Data {
        values.map(\.littleEndian).withUnsafeBytes { Data($0) }
    }

    static func pack(_ values: [Float]) -> Data { pack(values.map(\.bitPattern)) }

    /// The values of `pack`'s bytes.
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
