import SparrowCore

/// Maps raw integer ids (movie ids, user ids, genre indices) to dense rows of an embedding table, with row 0 reserved
/// for anything not seen in training (out of vocabulary).
///
/// Built from training data only, saved with the model, and used unchanged at serving time.
public struct Vocabulary: Sendable, Codable, Equatable {
    /// The known ids in row order (row = position + 1).
    public let ids: [Int32]
    private let index: [Int32: Int32]

    /// Builds a vocabulary of the distinct `values` that occur at least `minCount` times (`missing` is skipped),
    /// ordered by first appearance for determinism.
    public init<S: Sequence>(_ values: S, minCount: Int = 1, missing: Int32? = nil) where S.Element == Int32 {
        var counts: [Int32: Int] = [:]
        var order: [Int32] = []
        for v in values where v != missing {
            if counts[v] == nil { order.append(v) }
            counts[v, default: 0] += 1
        }
        self.init(ids: order.filter { counts[$0]! >= minCount })
    }

    /// A vocabulary of exactly `ids`.
    public init(ids: [Int32]) {
        self.ids = ids
        index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, Int32($0 + 1)) })
    }

    /// Table rows needed: the known ids plus the out-of-vocabulary row 0.
    public var size: Int { ids.count + 1 }

    /// The row of `id`: 0 when unknown.
    @inlinable
    public func row(_ id: Int32) -> Int32 { lookup(id) }

    @usableFromInline
    func lookup(_ id: Int32) -> Int32 { index[id] ?? 0 }

    /// A one-hot vector of length `size` (position 0 = out of vocabulary).
    public func oneHot(_ id: Int32) -> [Float] {
        var v = [Float](repeating: 0, count: size)
        v[Int(row(id))] = 1
        return v
    }

    /// A multi-hot vector of length `size` for a set of ids (genres of a movie); unknown ids set position 0.
    public func multiHot<S: Sequence>(_ ids: S) -> [Float] where S.Element == Int32 {
        var v = [Float](repeating: 0, count: size)
        for id in ids { v[Int(row(id))] = 1 }
        return v
    }

    enum CodingKeys: String, CodingKey { case ids }

    /// Decodes from the id list.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(ids: try c.decode([Int32].self, forKey: .ids))
    }

    /// Encodes the id list.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ids, forKey: .ids)
    }
}

/// A hashed feature cross: two ids combined into one of `buckets` rows (the original's Wide&Deep crosses movieId ×
/// userRatedMovie1 into 10,000 buckets). The hash is fixed (FNV-1a over both ids), so serving computes the same row.
public struct HashedCross: Sendable, Codable, Equatable {
    /// Number of buckets.
    public let buckets: Int

    /// Creates a cross over `buckets` buckets.
    public init(buckets: Int) {
        precondition(buckets > 0, "HashedCross needs buckets")
        self.buckets = buckets
    }

    /// The bucket of the pair (a, b).
    @inlinable
    public func bucket(_ a: Int32, _ b: Int32) -> Int32 {
        var h = FNV1a()
        h.add(littleEndian: UInt32(bitPattern: a))
        h.add(littleEndian: UInt32(bitPattern: b))
        return Int32(h.value % UInt64(buckets))
    }
}
