import SparrowEmbedding
import SparrowFeatures

/// The live state as a checkpoint payload: every field as it is, the tuples as parallel arrays, the derived
/// dictionary (`newUsers`) rebuilt from its source on decoding.
extension LiveState: Codable {
    enum CodingKeys: String, CodingKey {
        case users, movies, stats, seen, history, userVectors, newUserIds, appliedKeys, appliedCapacity, catalogUsers
    }

    /// One user's ratings in order, as three columns.
    struct HistoryColumns: Codable {
        var movies: [Int32]
        var scores: [Float]
        var timestamps: [Int64]
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(users, forKey: .users)
        try c.encode(movies, forKey: .movies)
        try c.encode(stats, forKey: .stats)
        try c.encode(seen.map { $0.sorted() }, forKey: .seen)
        try c.encode(
            history.map { h in
                HistoryColumns(movies: h.map(\.movie), scores: h.map(\.score), timestamps: h.map(\.timestamp))
            }, forKey: .history)
        try c.encode(userVectors, forKey: .userVectors)
        try c.encode(newUserIds, forKey: .newUserIds)
        try c.encode(users.count - newUserIds.count, forKey: .catalogUsers)
        try c.encode(appliedEvents.keysInOrder, forKey: .appliedKeys)
        try c.encode(appliedEvents.capacity, forKey: .appliedCapacity)
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        users = try c.decode([UserFeatureState].self, forKey: .users)
        movies = try c.decode([MovieFeatureState].self, forKey: .movies)
        stats = try c.decode([MovieStats].self, forKey: .stats)
        seen = try c.decode([[Int32]].self, forKey: .seen).map(Set.init)
        history = try c.decode([HistoryColumns].self, forKey: .history).map { h in
            (0..<h.movies.count).map { (h.movies[$0], h.scores[$0], h.timestamps[$0]) }
        }
        userVectors = try c.decode([UserVectorState?].self, forKey: .userVectors)
        newUserIds = try c.decode([Int32].self, forKey: .newUserIds)
        let catalogUsers = try c.decode(Int.self, forKey: .catalogUsers)
        newUsers = Dictionary(uniqueKeysWithValues: newUserIds.enumerated().map { ($1, catalogUsers + $0) })
        appliedEvents = IdempotencyWindow(capacity: try c.decode(Int.self, forKey: .appliedCapacity))
        for key in try c.decode([String].self, forKey: .appliedKeys) { _ = appliedEvents.insert(key) }
        let n = users.count
        guard seen.count == n, history.count == n, userVectors.count == n, catalogUsers + newUserIds.count == n,
            stats.count == movies.count
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "inconsistent lengths"))
        }
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
