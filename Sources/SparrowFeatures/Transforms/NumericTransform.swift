import Foundation

/// A fitted transform of one numeric feature, saved with a model and applied the same way at serving time.
///
/// Missing values (NaN) map to 0 after the transform, which for `standardize` is the training mean.
public enum NumericTransform: Sendable, Codable, Equatable {
    /// (x − mean) / stddev.
    case standardize(mean: Double, stddev: Double)
    /// (x − min) / (max − min), clipped to [0, 1].
    case minMax(min: Double, max: Double)
    /// log(1 + max(x, 0)) followed by standardisation of the logged value.
    case log1pStandardize(mean: Double, stddev: Double)
    /// Leaves the value as it is.
    case identity

    /// Fits a standardiser on the non-missing `values` (training data only).
    public static func fitStandardize(_ values: [Float]) -> NumericTransform {
        let (mean, stddev) = moments(values.lazy.map(Double.init))
        return .standardize(mean: mean, stddev: stddev)
    }

    /// Fits min-max scaling on the non-missing `values`.
    public static func fitMinMax(_ values: [Float]) -> NumericTransform {
        let present = values.filter { !$0.isNaN }
        return .minMax(min: Double(present.min() ?? 0), max: Double(present.max() ?? 1))
    }

    /// Fits log1p + standardisation (for heavy-tailed counts).
    public static func fitLog1pStandardize(_ values: [Float]) -> NumericTransform {
        let (mean, stddev) = moments(values.lazy.map { Foundation.log1p(max(Double($0), 0)) })
        return .log1pStandardize(mean: mean, stddev: stddev)
    }

    static func moments<S: Sequence>(_ values: S) -> (Double, Double) where S.Element == Double {
        var n = 0.0
        var sum = 0.0
        var squares = 0.0
        for v in values where !v.isNaN {
            n += 1
            sum += v
            squares += v * v
        }
        guard n > 0 else { return (0, 1) }
        let mean = sum / n
        let variance = max(0, squares / n - mean * mean)
        return (mean, variance > 1e-12 ? variance.squareRoot() : 1)
    }

    /// Applies the transform; NaN becomes 0.
    @inlinable
    public func apply(_ x: Float) -> Float {
        guard !x.isNaN else { return 0 }
        let v = Double(x)
        switch self {
        case .standardize(let mean, let stddev): return Float((v - mean) / stddev)
        case .minMax(let lo, let hi): return Float(hi > lo ? min(1, max(0, (v - lo) / (hi - lo))) : 0)
        case .log1pStandardize(let mean, let stddev): return Float((Foundation.log1p(max(v, 0)) - mean) / stddev)
        case .identity: return x
        }
    }
}

/// Assigns a value to one of the intervals between sorted boundaries: `(-∞, b0)`, `[b0, b1)`, …, `[bn-1, ∞)`.
public struct Bucketizer: Sendable, Codable, Equatable {
    /// Sorted, distinct boundaries.
    public let boundaries: [Float]

    /// Creates a bucketizer; boundaries are sorted and deduplicated.
    public init(boundaries: [Float]) { self.boundaries = Array(Set(boundaries)).sorted() }

    /// Boundaries at the `buckets`-quantiles of the non-missing training values.
    public init(quantilesOf values: [Float], buckets: Int) {
        precondition(buckets >= 2, "Bucketizer needs at least 2 buckets")
        let present = values.filter { !$0.isNaN }.sorted()
        guard !present.isEmpty else {
            self.init(boundaries: [])
            return
        }
        let cuts = (1..<buckets).map { present[min(present.count - 1, $0 * present.count / buckets)] }
        self.init(boundaries: cuts)
    }

    /// Number of buckets, plus one for missing values (the last bucket).
    public var bucketCount: Int { boundaries.count + 2 }

    /// The bucket of `x` (missing → the last bucket).
    /// - Complexity: O(log boundaries).
    public func bucket(_ x: Float) -> Int {
        guard !x.isNaN else { return boundaries.count + 1 }
        var lo = 0
        var hi = boundaries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if boundaries[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
