import Foundation
import SparrowCore

/// The embedding-quality protocol of the reference results (`tf-reference.md` §2).
///
/// Each user's positive movies in time order; users with at least three lose their last one (held out); the rest is
/// the training corpus. HR@K: the mean of the unit vectors of the user's last five training movies retrieves the K
/// nearest movies by cosine, the user's training movies excluded; a hit when the held-out movie is among them.
/// Genre kNN: the most common first genre among a movie's K nearest neighbours equals its own first genre.
public struct EmbeddingQuality: Sendable {
    /// One held-out case.
    public struct Case: Sendable {
        /// The user's training movies, oldest first.
        public var history: [Int32]
        /// The held-out (last) positive movie.
        public var target: Int32
    }

    /// Training sequences (every user; held-out movies removed).
    public let corpus: [[Int32]]
    /// The held-out cases.
    public let cases: [Case]

    /// Splits the catalog's positive sequences (the shared `HoldOutSplit`, in movie ids).
    public init(catalog: Catalog, threshold: Float = likedThreshold, minimumLength: Int = 3) {
        let split = HoldOutSplit(catalog: catalog, threshold: threshold, minimumLength: minimumLength)
        func id(_ m: Int32) -> Int32 { catalog.movies[Int(m)].id }
        corpus = split.users.map { $0.history.map(id) }
        cases = split.cases.map { Case(history: $0.history.map(id), target: id($0.heldOut!)) }
    }

    /// Number of training tokens.
    public var corpusWords: Int { corpus.reduce(0) { $0 + $1.count } }

    /// Hit rate and NDCG at `k` over the held-out cases.
    public func hitRate(_ embeddings: EmbeddingSet, k: Int = 10, queryLength: Int = 5) -> (hr: Double, ndcg: Double) {
        let search = ExactSearch(embeddings)
        var hits = 0.0
        var ndcg = 0.0
        for c in cases {
            let recent = c.history.suffix(queryLength).compactMap { id -> [Float]? in
                embeddings.vector(id).flatMap { ExactSearch.unit(Array($0), dimension: embeddings.dimension) }
            }
            guard !recent.isEmpty else { continue }
            var query = [Float](repeating: 0, count: embeddings.dimension)
            for v in recent { for k in 0..<v.count { query[k] += v[k] / Float(recent.count) } }
            let results = search.search(query, k: k, excluding: Set(c.history))
            if let rank = results.firstIndex(where: { $0.id == c.target }) {
                hits += 1
                ndcg += 1 / log2(Double(rank) + 2)
            }
        }
        return (hits / Double(max(1, cases.count)), ndcg / Double(max(1, cases.count)))
    }

    /// Share of movies (with a vector and a genre) whose first genre is the most common first genre of their `k`
    /// nearest neighbours (ties go to the genre met first in rank order).
    public static func genreAccuracy(_ embeddings: EmbeddingSet, catalog: Catalog, k: Int = 10) -> Double {
        let search = ExactSearch(embeddings)
        var correct = 0
        var total = 0
        for id in embeddings.ids {
            guard let own = catalog.movie(id: id)?.genres.first, let v = embeddings.vector(id) else { continue }
            var counts: [Int16: Int] = [:]
            var order: [Int16] = []
            for n in search.search(Array(v), k: k, excluding: [id]) {
                guard let g = catalog.movie(id: n.id)?.genres.first else { continue }
                if counts[g] == nil { order.append(g) }
                counts[g, default: 0] += 1
            }
            guard
                let best = order.max(by: {
                    counts[$0]! < counts[$1]!
                        || (counts[$0]! == counts[$1]! && order.firstIndex(of: $0)! > order.firstIndex(of: $1)!)
                })
            else { continue }
            total += 1
            if best == own { correct += 1 }
        }
        return Double(correct) / Double(max(1, total))
    }

    /// Recall@k of an LSH index against exact search for queries drawn from the indexed vectors, and the mean
    /// query time of each, in microseconds.
    public static func lshRecall(_ index: LSHIndex, queries: Int = 500, k: Int = 10) -> (
        recall: Double, lshMicros: Double, exactMicros: Double, examined: Double
    ) {
        let exact = ExactSearch(index.items)
        let d = index.items.dimension
        let step = max(1, index.items.count / queries)
        var found = 0
        var total = 0
        var lshTime = 0.0
        var exactTime = 0.0
        var examined = 0
        var n = 0
        for r in stride(from: 0, to: index.items.count, by: step) {
            let q = Array(index.items.vectors[(r * d)..<((r + 1) * d)])
            let self_ = index.items.ids[r]
            let t0 = ProcessStats.now()
            let truth = Set(exact.search(q, k: k, excluding: [self_]).map(\.id))
            let t1 = ProcessStats.now()
            let (approx, scanned) = index.search(q, k: k, excluding: [self_])
            let t2 = ProcessStats.now()
            exactTime += t1 - t0
            lshTime += t2 - t1
            examined += scanned
            found += approx.filter { truth.contains($0.id) }.count
            total += truth.count
            n += 1
        }
        return (
            Double(found) / Double(max(1, total)), lshTime / Double(max(1, n)) * 1e6,
            exactTime / Double(max(1, n)) * 1e6, Double(examined) / Double(max(1, n))
        )
    }
}
