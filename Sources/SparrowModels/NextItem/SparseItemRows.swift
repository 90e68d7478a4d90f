/// A sparse item × item matrix in compressed rows: row i's entries are `targets[start[i]..<start[i+1]]` with
/// `values` at the same positions. Scoring a weighted history sums its items' rows.
public struct SparseItemRows: Sendable {
    /// Catalog size (rows and columns).
    public let catalogSize: Int
    /// Row starts, `catalogSize + 1` of them.
    public let start: [Int]
    /// Column (item) of each entry.
    public let targets: [Int32]
    /// Value of each entry.
    public let values: [Float]

    /// Creates the matrix from its parts.
    public init(catalogSize: Int, start: [Int], targets: [Int32], values: [Float]) {
        precondition(start.count == catalogSize + 1 && targets.count == values.count)
        precondition(start.last == targets.count, "row starts must end at the entry count")
        self.catalogSize = catalogSize
        self.start = start
        self.targets = targets
        self.values = values
    }

    /// Builds the matrix from per-row entry lists.
    public init(rows: [[(Int32, Float)]]) {
        var start = [0]
        var targets: [Int32] = []
        var values: [Float] = []
        for row in rows {
            targets += row.map(\.0)
            values += row.map(\.1)
            start.append(targets.count)
        }
        self.init(catalogSize: rows.count, start: start, targets: targets, values: values)
    }

    /// Σᵢ wᵢ·row(i) over the catalog.
    /// - Complexity: O(Σᵢ |row(i)|) over the history.
    public func scores(_ history: [(item: Int32, weight: Float)]) -> [Float] {
        var out = [Float](repeating: 0, count: catalogSize)
        out.withUnsafeMutableBufferPointer { o in
            targets.withUnsafeBufferPointer { t in
                values.withUnsafeBufferPointer { v in
                    for (item, w) in history where w != 0 {
                        for e in start[Int(item)]..<start[Int(item) + 1] { o[Int(t[e])] += w * v[e] }
                    }
                }
            }
        }
        return out
    }
}
