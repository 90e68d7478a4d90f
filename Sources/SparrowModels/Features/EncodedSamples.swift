import SparrowFeatures

/// Samples encoded for a model: normalised numerics and embedding-table rows, column-wise.
///
/// Encoding happens once per table; a mini-batch is a gather of rows (`batch(_:)`).
public struct EncodedSamples: Sendable {
    /// Number of samples.
    public internal(set) var count: Int
    /// Normalised numeric features, count × numericWidth.
    public internal(set) var numeric: [Float]
    /// Width of `numeric`.
    public let numericWidth: Int
    /// Genre-table rows, count × genreWidth (0 = unknown or missing).
    public internal(set) var genres: [Int32]
    /// Number of genre columns.
    public let genreWidth: Int
    /// Movie-table rows of the candidate movies.
    public internal(set) var movie: [Int32]
    /// User-table rows.
    public internal(set) var user: [Int32]
    /// Movie-table rows of userRatedMovie1…L, count × L (most recent first; 0 where missing or unknown).
    public internal(set) var history: [Int32]
    /// 1 where the history slot holds a movie, 0 for padding, count × L.
    public internal(set) var historyMask: [Float]
    /// Rows of every categorical field in one shared table (count × fieldCount, offsets applied): movie id, user id,
    /// genre columns, bucketised numerics.
    public internal(set) var fields: [Int32]
    /// Number of fields.
    public let fieldCount: Int
    /// Wide-cross buckets (movie × most recent positive movie).
    public internal(set) var cross: [Int32]
    /// Labels (0/1).
    public internal(set) var labels: [Float]

    /// History slots per sample (the spec's `historyLength`; the original's five recent positive movies by default).
    public let historyLength: Int

    /// Encodes a table with a fitted spec; `fields: false` skips the bucketised field ids (only DeepFM, FM and LR
    /// read them), which saves time at serving.
    public init(_ table: SampleTable, spec: FeatureSpec, fields withFields: Bool = true) {
        count = table.count
        historyLength = spec.historyLength
        numericWidth = spec.numeric.count
        genreWidth = spec.genreColumns.count
        numeric = [Float](repeating: 0, count: count * numericWidth)
        for (k, f) in spec.numeric.enumerated() {
            let column = table[f.column]
            for i in 0..<count { numeric[i * numericWidth + k] = f.transform.apply(column[i]) }
        }
        // The table's genre indices → the spec's genre rows, by name.
        let specRow = Dictionary(uniqueKeysWithValues: spec.genres.enumerated().map { ($1, Int32($0 + 1)) })
        let genreMap = table.genres.map { specRow[$0] ?? 0 }
        genres = [Int32](repeating: 0, count: count * genreWidth)
        for (k, c) in spec.genreColumns.enumerated() {
            let column = table[c]
            for i in 0..<count where column[i] >= 0 { genres[i * genreWidth + k] = genreMap[Int(column[i])] }
        }
        movie = table[.movieId].map { spec.movies.row($0) }
        user = table[.userId].map { spec.users.row($0) }
        let h = historyLength
        history = [Int32](repeating: 0, count: count * h)
        historyMask = [Float](repeating: 0, count: count * h)
        for (k, c) in IntColumn.longHistory.prefix(h).enumerated() {
            let column = table[c]
            for i in 0..<count where column[i] != 0 {
                history[i * h + k] = spec.movies.row(column[i])
                historyMask[i * h + k] = 1
            }
        }
        let movieIds = table[.movieId]
        let last = table[.userRatedMovie1]
        cross = (0..<count).map { spec.cross.bucket(movieIds[$0], last[$0]) }
        labels = table[.label]
        let offsets = spec.fieldOffsets
        fieldCount = offsets.count
        fields = [Int32](repeating: 0, count: withFields ? count * fieldCount : 0)
        for i in 0..<(withFields ? count : 0) {
            let base = i * fieldCount
            fields[base] = Int32(offsets[0]) + movie[i]
            fields[base + 1] = Int32(offsets[1]) + user[i]
            for k in 0..<genreWidth { fields[base + 2 + k] = Int32(offsets[2 + k]) + genres[i * genreWidth + k] }
            for (k, f) in spec.numeric.enumerated() {
                let column = 2 + genreWidth + k
                fields[base + column] = Int32(offsets[column] + spec.buckets[k].bucket(table[f.column][i]))
            }
        }
    }

    init(empty other: EncodedSamples, capacity: Int) {
        count = 0
        numericWidth = other.numericWidth
        genreWidth = other.genreWidth
        historyLength = other.historyLength
        fieldCount = other.fieldCount
        fields = []
        numeric = []
        genres = []
        movie = []
        user = []
        history = []
        historyMask = []
        cross = []
        labels = []
        numeric.reserveCapacity(capacity * numericWidth)
        genres.reserveCapacity(capacity * genreWidth)
        history.reserveCapacity(capacity * other.historyLength)
        historyMask.reserveCapacity(capacity * other.historyLength)
        fields.reserveCapacity(capacity * fieldCount)
    }

    /// The rows at `indices`, in that order.
    public func batch<C: Collection>(_ indices: C) -> EncodedSamples where C.Element == Int {
        var b = EncodedSamples(empty: self, capacity: indices.count)
        let h = historyLength
        for i in indices {
            b.numeric.append(contentsOf: numeric[(i * numericWidth)..<((i + 1) * numericWidth)])
            b.genres.append(contentsOf: genres[(i * genreWidth)..<((i + 1) * genreWidth)])
            b.history.append(contentsOf: history[(i * h)..<((i + 1) * h)])
            b.historyMask.append(contentsOf: historyMask[(i * h)..<((i + 1) * h)])
            if !fields.isEmpty { b.fields.append(contentsOf: fields[(i * fieldCount)..<((i + 1) * fieldCount)]) }
            b.movie.append(movie[i])
            b.user.append(user[i])
            b.cross.append(cross[i])
            b.labels.append(labels[i])
        }
        b.count = indices.count
        return b
    }

    /// Replaces one history entry (for tests and what-if scoring); the mask is unchanged.
    public mutating func overwriteHistory(_ index: Int, _ row: Int32) { history[index] = row }

    /// Genre-table rows of genre column `k` for every sample.
    public func genreColumn(_ k: Int) -> [Int32] { (0..<count).map { genres[$0 * genreWidth + k] } }
}
