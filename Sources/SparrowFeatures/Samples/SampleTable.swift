/// Training samples stored column-wise: the model-facing form of the feature pipeline's output.
///
/// Ids are raw MovieLens ids (models build their own vocabularies from training data); genres are indices into
/// `genres`. Missing floats are NaN, missing ids 0, missing genres -1.
public struct SampleTable: Sendable, Equatable {
    /// Genre names that the genre columns index.
    public var genres: [String]
    /// Float columns, indexed by `FloatColumn.rawValue`.
    public private(set) var floats: [[Float]]
    /// Integer columns, indexed by `IntColumn.rawValue`.
    public private(set) var ints: [[Int32]]
    /// Unix seconds of each sample.
    public private(set) var timestamps: [Int64] = []

    /// An empty table over a genre vocabulary.
    public init(genres: [String]) {
        self.genres = genres
        floats = Array(repeating: [], count: FloatColumn.allCases.count)
        ints = Array(repeating: [], count: IntColumn.allCases.count)
    }

    /// Number of samples.
    public var count: Int { timestamps.count }

    /// A float column.
    @inlinable public subscript(column: FloatColumn) -> [Float] { floats[column.rawValue] }
    /// An integer column.
    @inlinable public subscript(column: IntColumn) -> [Int32] { ints[column.rawValue] }

    /// Reserves room for `n` rows.
    public mutating func reserve(_ n: Int) {
        for c in floats.indices { floats[c].reserveCapacity(n) }
        for c in ints.indices { ints[c].reserveCapacity(n) }
        timestamps.reserveCapacity(n)
    }

    /// Appends a row given as closures per column kind.
    public mutating func append(timestamp: Int64, float: (FloatColumn) -> Float, int: (IntColumn) -> Int32) {
        for c in FloatColumn.allCases { floats[c.rawValue].append(float(c)) }
        for c in IntColumn.allCases { ints[c.rawValue].append(int(c)) }
        timestamps.append(timestamp)
    }

    /// Appends row `i` of `other` (which must share the genre vocabulary).
    public mutating func append(row i: Int, of other: SampleTable) {
        precondition(other.genres == genres, "SampleTable.append: genre vocabularies differ")
        for c in floats.indices { floats[c].append(other.floats[c][i]) }
        for c in ints.indices { ints[c].append(other.ints[c][i]) }
        timestamps.append(other.timestamps[i])
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> SampleTable {
        var out = SampleTable(genres: genres)
        out.floats = floats.map { col in indices.map { col[$0] } }
        out.ints = ints.map { col in indices.map { col[$0] } }
        out.timestamps = indices.map { timestamps[$0] }
        return out
    }

    /// Overwrites one float cell.
    public mutating func set(_ column: FloatColumn, row: Int, to value: Float) { floats[column.rawValue][row] = value }

    /// Overwrites one integer cell.
    public mutating func set(_ column: IntColumn, row: Int, to value: Int32) { ints[column.rawValue][row] = value }

    /// Removes all rows, keeping capacity.
    public mutating func removeAll() {
        for c in floats.indices { floats[c].removeAll(keepingCapacity: true) }
        for c in ints.indices { ints[c].removeAll(keepingCapacity: true) }
        timestamps.removeAll(keepingCapacity: true)
    }

    /// Replaces every column at once (used by readers).
    mutating func setColumns(floats: [[Float]], ints: [[Int32]], timestamps: [Int64]) {
        precondition(floats.count == FloatColumn.allCases.count && ints.count == IntColumn.allCases.count)
        precondition(
            floats.allSatisfy { $0.count == timestamps.count } && ints.allSatisfy { $0.count == timestamps.count })
        self.floats = floats
        self.ints = ints
        self.timestamps = timestamps
    }
}
