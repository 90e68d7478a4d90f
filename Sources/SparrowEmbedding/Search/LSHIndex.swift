import CSparrowKernels
import Foundation
import SparrowCore

/// Bucketed random-projection LSH for cosine search (Spark's `BucketedRandomProjectionLSH`, which the original demos
/// with bucket length 0.1 and 3 tables): in each table an item's key is ⌊(v·r_j)/bucketLength⌋ for its
/// `projectionsPerTable` random unit directions r_j. A query gathers the items sharing its bucket in any table —
/// and, with multi-probe, the buckets whose key differs by ±1 in one projection — then ranks them exactly.
public struct LSHIndex: Sendable {
    /// Bucket width along each projection.
    public let bucketLength: Float
    /// Number of tables (OR).
    public let tables: Int
    /// Projections per table (AND); 1 is Spark's scheme.
    public let projectionsPerTable: Int
    /// Probe neighbouring buckets too.
    public let multiProbe: Bool
    /// The unit vectors indexed.
    public let items: EmbeddingSet
    let projections: [Float]  // tables × projectionsPerTable × dimension
    let buckets: [[[Int32]: [Int32]]]  // per table: key → item rows

    /// Builds the index with seeded random directions.
    public init(
        _ set: EmbeddingSet, bucketLength: Float = 0.1, tables: Int = 3, projectionsPerTable: Int = 1,
        multiProbe: Bool = false, seed: UInt64 = 1
    ) {
        precondition(bucketLength > 0 && tables > 0 && projectionsPerTable > 0, "LSHIndex: bad parameters")
        let items = set.normalized()
        var rng = SeededGenerator(seed: seed)
        let d = items.dimension
        var projections: [Float] = []
        for _ in 0..<(tables * projectionsPerTable) {
            var r = (0..<d).map { _ in Float(rng.nextGaussian()) }
            let norm = r.reduce(0) { $0 + $1 * $1 }.squareRoot()
            r = r.map { $0 / max(norm, 1e-12) }
            projections += r
        }
        self.init(
            items: items, projections: projections, bucketLength: bucketLength, tables: tables,
            projectionsPerTable: projectionsPerTable, multiProbe: multiProbe)
    }

    init(
        items: EmbeddingSet, projections: [Float], bucketLength: Float, tables: Int, projectionsPerTable: Int,
        multiProbe: Bool
    ) {
        self.items = items
        self.projections = projections
        self.bucketLength = bucketLength
        self.tables = tables
        self.projectionsPerTable = projectionsPerTable
        self.multiProbe = multiProbe
        var buckets = [[[Int32]: [Int32]]](repeating: [:], count: tables)
        let d = items.dimension
        for r in 0..<items.count {
            let v = Array(items.vectors[(r * d)..<((r + 1) * d)])
            for t in 0..<tables {
                buckets[t][LSHIndex.key(v, table: t, projections, projectionsPerTable, bucketLength), default: []]
                    .append(Int32(r))
            }
        }
        self.buckets = buckets
    }

    static func key(_ v: [Float], table t: Int, _ projections: [Float], _ perTable: Int, _ bucketLength: Float)
        -> [Int32]
    {
        let d = v.count
        return (0..<perTable).map { j in
            let offset = (t * perTable + j) * d
            var dot: Float = 0
            for k in 0..<d { dot += v[k] * projections[offset + k] }
            return Int32((dot / bucketLength).rounded(.down))
        }
    }

    /// The candidate rows for a unit query.
    func candidates(_ q: [Float]) -> Set<Int32> { Set(candidateRows(q)) }

    /// The rows in the query's buckets (and the neighbouring ones with multi-probe), each once, ascending.
    func candidateRows(_ q: [Float]) -> [Int32] {
        var seen = [Bool](repeating: false, count: items.count)
        var out: [Int32] = []
        func take(_ rows: [Int32]?) {
            guard let rows else { return }
            for r in rows where !seen[Int(r)] {
                seen[Int(r)] = true
                out.append(r)
            }
        }
        for t in 0..<tables {
            let key = LSHIndex.key(q, table: t, projections, projectionsPerTable, bucketLength)
            take(buckets[t][key])
            if multiProbe {
                for j in 0..<projectionsPerTable {
                    for delta: Int32 in [-1, 1] {
                        var probe = key
                        probe[j] += delta
                        take(buckets[t][probe])
                    }
                }
            }
        }
        out.sort()
        return out
    }

    /// The `k` most similar items among the query's candidates (cosine), skipping ids in `excluding`; best first,
    /// equal scores by lower row. Also returns how many candidates were scored.
    /// - Complexity: O(c·d + c log k) for c candidates.
    public func search(_ query: [Float], k: Int, excluding: Set<Int32> = []) -> (
        results: [(id: Int32, score: Float)], examined: Int
    ) {
        guard let q = ExactSearch.unit(query, dimension: items.dimension), k > 0 else { return ([], 0) }
        let rows = candidateRows(q)
        let d = items.dimension
        var scores = [Float](repeating: 0, count: rows.count)
        var skip = [UInt8](repeating: 0, count: rows.count)
        items.vectors.withUnsafeBufferPointer { v in
            q.withUnsafeBufferPointer { qp in
                for (i, r) in rows.enumerated() {
                    if !excluding.isEmpty && excluding.contains(items.ids[Int(r)]) { skip[i] = 1 }
                    scores[i] = sparrow_dot(Int32(d), qp.baseAddress!, v.baseAddress! + Int(r) * d)
                }
            }
        }
        var index = [Int32](repeating: 0, count: k)
        var best = [Float](repeating: 0, count: k)
        let found = Int(sparrow_top_k(scores, Int32(rows.count), Int32(k), skip, &index, &best))
        return ((0..<found).map { (items.ids[Int(rows[Int(index[$0])])], best[$0]) }, rows.count)
    }

    // MARK: Saving

    struct Header: Codable {
        var bucketLength: Float
        var tables: Int
        var projectionsPerTable: Int
        var multiProbe: Bool
        var projections: [Float]
    }

    /// Saves the index: its parameters and projections (JSON) and its vectors (binary); buckets are rebuilt on load.
    public func save(to directory: String) throws(DataError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let header = Header(
                bucketLength: bucketLength, tables: tables, projectionsPerTable: projectionsPerTable,
                multiProbe: multiProbe, projections: projections)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try encoder.encode(header).write(to: URL(fileURLWithPath: directory + "/lsh.json"))
        } catch {
            throw DataError(file: directory, message: "cannot save the index (\(error.localizedDescription))")
        }
        try items.writeBinary(to: directory + "/lsh-vectors.bin")
    }

    /// Loads an index saved by `save(to:)`.
    public static func load(from directory: String) throws(DataError) -> LSHIndex {
        let header: Header
        do {
            header = try JSONDecoder().decode(
                Header.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/lsh.json")))
        } catch {
            throw DataError(file: directory + "/lsh.json", message: "cannot be read (\(error.localizedDescription))")
        }
        let items = try EmbeddingSet.readBinary(path: directory + "/lsh-vectors.bin")
        guard header.projections.count == header.tables * header.projectionsPerTable * items.dimension else {
            throw DataError(file: directory + "/lsh.json", message: "projections do not match the vectors' dimension")
        }
        return LSHIndex(
            items: items, projections: header.projections, bucketLength: header.bucketLength,
            tables: header.tables, projectionsPerTable: header.projectionsPerTable, multiProbe: header.multiProbe)
    }
}
