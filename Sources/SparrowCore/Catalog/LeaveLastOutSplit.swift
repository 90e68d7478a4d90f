/// The leave-last-out split of the reference top-K protocols (`tf-reference.md` §2–3): each user's positively rated
/// movies in time order; users with at least `minimumLength` lose their last one (held out); everything else is
/// training data.
public struct LeaveLastOutSplit: Sendable {
    /// One user's data.
    public struct User: Sendable {
        /// Dense user index.
        public var user: Int
        /// Training movies (dense indices), oldest first.
        public var history: [Int32]
        /// The held-out movie (dense index), or nil when the user has too few positives.
        public var heldOut: Int32?
    }

    /// Every user with at least one positive.
    public let users: [User]

    /// Splits `catalog`'s positives (rating ≥ `threshold`).
    public init(catalog: Catalog, threshold: Float = likedThreshold, minimumLength: Int = 3) {
        var users: [User] = []
        for u in 0..<catalog.userIds.count {
            let positives = catalog.ratingsOfUser(u).compactMap { row -> Int32? in
                catalog.ratings.rating[Int(row)] >= threshold ? catalog.ratings.movie[Int(row)] : nil
            }
            guard !positives.isEmpty else { continue }
            if positives.count >= minimumLength {
                users.append(User(user: u, history: Array(positives.dropLast()), heldOut: positives.last))
            } else {
                users.append(User(user: u, history: positives, heldOut: nil))
            }
        }
        self.users = users
    }

    /// The users with a held-out movie.
    public var cases: [User] { users.filter { $0.heldOut != nil } }

    /// Number of training interactions.
    public var trainingCount: Int { users.reduce(0) { $0 + $1.history.count } }

    /// The catalog without each held-out rating (the latest positive rating of the held-out movie): what a model may
    /// be trained on. Every other rating, negative ones after it included, stays.
    public func trainingCatalog(_ catalog: Catalog) -> Catalog {
        var heldOutRows = Set<Int32>()
        for c in cases {
            if let row = catalog.ratingsOfUser(c.user).last(where: {
                catalog.ratings.movie[Int($0)] == c.heldOut! && catalog.ratings.rating[Int($0)] >= likedThreshold
            }) {
                heldOutRows.insert(row)
            }
        }
        var table = RatingTable()
        let r = catalog.ratings
        for i in 0..<r.count where !heldOutRows.contains(Int32(i)) {
            table.append(user: r.user[i], movie: r.movie[i], rating: r.rating[i], timestamp: r.timestamp[i])
        }
        return Catalog(movies: catalog.movies, genres: catalog.genres, userIds: catalog.userIds, ratings: table)
    }
}
