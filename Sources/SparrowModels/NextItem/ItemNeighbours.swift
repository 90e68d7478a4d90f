/// Each item's nearest items by cosine similarity on the user × item matrix, `cos(i, j) = |users(i) ∩ users(j)| /
/// √(|users(i)|·|users(j)|)`, kept sparse: the `k` best per item.
public struct ItemNeighbours: Sendable {
    /// Row i: item i's neighbours, best first, with their cosine similarities.
    public let rows: SparseItemRows

    /// Wraps a similarity table (as loaded from an artifact).
    public init(rows: SparseItemRows) { self.rows = rows }

    /// The `k` nearest neighbours of every item from a Gram matrix.
    /// - Complexity: O(n² log k) over the n items with interactions.
    public init(gram: GramMatrix, catalogSize: Int, k: Int = 200) {
        let n = gram.items.count
        let norms = (0..<n).map { gram.values[$0 * n + $0].squareRoot() }
        var perItem = [[(Int32, Float)]](repeating: [], count: catalogSize)
        var heap = TopList(capacity: k)
        for i in 0..<n where norms[i] > 0 {
            heap.removeAll()
            let row = i * n
            for j in 0..<n where j != i && gram.values[row + j] > 0 {
                heap.offer(Int32(j), gram.values[row + j] / (norms[i] * norms[j]))
            }
            perItem[Int(gram.items[i])] = heap.sorted.map { (gram.items[Int($0.0)], $0.1) }
        }
        rows = SparseItemRows(rows: perItem)
    }

    /// Σᵢ wᵢ·cos(i, ·) over the catalog.
    public func scores(_ history: [(item: Int32, weight: Float)]) -> [Float] { rows.scores(history) }
}

/// The `capacity` best (key, score) pairs seen, ties to the lower key.
struct TopList {
    let capacity: Int
    private(set) var items: [(Int32, Float)] = []

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(capacity + 1)
    }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    static func better(_ a: (Int32, Float), _ b: (Int32, Float)) -> Bool { a.1 > b.1 || (a.1 == b.1 && a.0 < b.0) }

    /// Keeps `(key, score)` if it is among the best so far (a sorted insert; capacity is small).
    mutating func offer(_ key: Int32, _ score: Float) {
        let entry = (key, score)
        if items.count == capacity, let last = items.last, !TopList.better(entry, last) { return }
        var lo = 0
        var hi = items.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if TopList.better(items[mid], entry) { lo = mid + 1 } else { hi = mid }
        }
        items.insert(entry, at: lo)
        if items.count > capacity { items.removeLast() }
    }

    var sorted: [(Int32, Float)] { items }
}
