/// The orders in which movie lists can be browsed.
public enum MovieSort: String, Sendable, CaseIterable, Codable {
    /// Bayesian average rating, best first (`MovieStats.bayesian`).
    case rating
    /// Release year, newest first.
    case releaseYear
    /// Number of ratings, most first.
    case popularity
    /// The catalog's file order.
    case id

    /// A sort key from a request: the case names, and `year` for `releaseYear`; nil for anything else.
    public init?(name: String) {
        if name == "year" {
            self = .releaseYear
            return
        }
        self.init(rawValue: name)
    }

    /// The accepted names: the case names and `year`.
    public static var acceptedNames: [String] { allCases.map(\.rawValue) + ["year"] }

    /// The accepted names, for error messages.
    public static var names: String { acceptedNames.joined(separator: ", ") }
}
