/// What a rating did to the live state.
public enum RatingOutcome: Sendable, Equatable {
    /// A movie the user had not rated.
    case added
    /// It replaced the user's earlier rating of the movie.
    case replaced
    /// The user's rating of the movie held is newer: nothing changed.
    case stale
}
