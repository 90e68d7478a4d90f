import SparrowFeatures

/// A feature a scoring request (`PredictInstance`) may set, with the values it may take: what the feature can be in
/// real data, so that a model never sees a value that turns its score into NaN. The HTTP contract states these
/// ranges and the scoring route enforces them.
public struct PredictFeature: Sendable {
    /// The values a feature takes.
    public enum Kind: Sendable, Equatable {
        /// A number in the range.
        case number(ClosedRange<Double>)
        /// An integer id in the range.
        case integer(ClosedRange<Int64>)
        /// One of the catalogue's genre names.
        case genre
    }

    /// The feature's name (the sample files' column).
    public let name: String
    /// Its values.
    public let kind: Kind
    let column: Column

    enum Column: Sendable {
        case float(FloatColumn)
        case int(IntColumn)
    }

    /// User and movie ids: 1…2³¹−1.
    public static let idRange: ClosedRange<Int64> = 1...Int64(Int32.max)

    /// Every feature a request may set besides `userId` and `movieId` (which identify the pair).
    public static let all: [PredictFeature] =
        FloatColumn.allCases.filter { $0 != .label && $0 != .rating }.map {
            PredictFeature(name: $0.name, kind: .number(range(of: $0)), column: .float($0))
        }
        + IntColumn.allCases.filter { $0 != .movieId && $0 != .userId }.map {
            PredictFeature(name: $0.name, kind: $0.isGenre ? .genre : .integer(range(of: $0)), column: .int($0))
        }

    /// The feature called `name`, or nil.
    public static func named(_ name: String) -> PredictFeature? { all.first { $0.name == name } }

    static func range(of column: FloatColumn) -> ClosedRange<Double> {
        switch column {
        case .rating, .label, .movieAvgRating, .userAvgRating, .movieRatingStddev, .userRatingStddev: 0...5
        case .releaseYear, .userAvgReleaseYear: 0...2100
        case .userReleaseYearStddev: 0...1000
        case .movieRatingCount, .userRatingCount: 0...1e9
        case .hourOfDay: 0...23
        case .dayOfWeek: 0...6
        case .daysSinceMovieFirstRating: 0...1e6
        case .secondsSinceUserPrevious: 0...1e11
        }
    }

    /// User and movie ids from 1; the rated-movie slots from 0 (none).
    static func range(of column: IntColumn) -> ClosedRange<Int64> {
        column == .movieId || column == .userId ? idRange : 0...idRange.upperBound
    }
}

extension PredictInstance {
    /// Sets a number or integer feature (`value` must lie in its range: the caller checks it against `kind`).
    public mutating func set(_ feature: PredictFeature, to value: Double) {
        switch feature.column {
        case .float(let c): floats[c] = Float(value)
        case .int(let c): ints[c] = Int32(value)
        }
    }

    /// Sets a genre feature to a genre name (checked against the catalogue when scored).
    public mutating func set(_ feature: PredictFeature, genre: String) {
        guard case .int(let c) = feature.column else { return }
        genres[c] = genre
    }
}
