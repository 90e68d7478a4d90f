/// The hold-out splits of the top-K protocols. **Leave-last-out** (`tf-reference.md` §2–3): each user's positively
/// rated movies in time order; users with at least `minimumLength` lose their last one (held out); everything else is
/// training data. **Timeline**: the newest ratings, from a cut-off second on, are held out for everyone; each user with
/// positives on both sides is asked for their next pick after the cut-off.
public struct HoldOutSplit: Sendable {
    /// The two protocols.
    public enum Kind: String, CaseIterable, Sendable, Codable {
        /// Each user's last positive.
        case leaveLastOut = "leave-last-out"
        /// The newest share of the ratings.
        case timeline = "time"
    }

    /// One user's data.
    public struct User: Sendable {
        /// Dense user index.
        public var user: Int
        /// Training positives (dense indices), oldest first.
        public var history: [Int32]
        /// The held-out movie (dense index), or nil when the user is not a test case.
        public var heldOut: Int32?
        /// Every movie that counts as a hit: the held-out one and, on the timeline, the user's other positives of the
        /// same second (MovieLens orders a second's ratings by movie id, so which of them is "first" is an artefact).
        public var relevant: Set<Int32>
        /// When the held-out movie was rated (seconds; nil when the user is not a test case): the moment of the request
        /// an evaluation replays.
        public var heldOutTime: Int64? = nil
    }

    /// Which protocol.
    public let kind: Kind
    /// Every user with at least one training positive or a held-out movie.
    public let users: [User]
    /// The first held-out second on the timeline (nil for leave-last-out).
    public let cutoff: Int64?
    /// Each test user's held-out movie, by dense user index.
    let heldOutByUser: [Int: Int32]

    /// Splits `catalog`'s positives (rating ≥ `threshold`) leave-last-out.
    public init(catalog: Catalog, threshold: Float = likedThreshold, minimumLength: Int = 3) {
        var users: [User] = []
        for u in 0..<catalog.userIds.count {
            let rows = catalog.ratingsOfUser(u).filter { catalog.ratings.rating[Int($0)] >= threshold }
            let positives = rows.map { catalog.ratings.movie[Int($0)] }
            guard !positives.isEmpty else { continue }
            if positives.count >= minimumLength {
                users.append(
                    User(
                        user: u, history: Array(positives.dropLast()), heldOut: positives.last,
                        relevant: [positives.last!], heldOutTime: catalog.ratings.timestamp[Int(rows.last!)]))
            } else {
                users.append(User(user: u, history: positives, heldOut: nil, relevant: []))
            }
        }
        self.kind = .leaveLastOut
        self.users = users
        heldOutByUser = Self.heldOut(users)
        self.cutoff = nil
    }

    /// Splits `catalog` on its timeline: the newest `heldOutFraction` of the ratings (everything from the first
    /// second at which that share remains) is held out; a user with at least `minimumHistory` positives before the
    /// cut-off and one after it is a test case whose relevant movies are the positives of their first held-out second.
    /// A quantile, not a share of the time span, so a few far-off timestamps do not move the cut-off.
    /// - Precondition: `0 < heldOutFraction < 1`.
    public init(catalog: Catalog, heldOutFraction: Double, threshold: Float = likedThreshold, minimumHistory: Int = 2) {
        precondition(heldOutFraction > 0 && heldOutFraction < 1, "the held-out fraction is in (0, 1)")
        let r = catalog.ratings
        let times = r.timestamp.sorted()
        let index = min(times.count - 1, Int((Double(times.count) * (1 - heldOutFraction)).rounded(.down)))
        let cutoff = times.isEmpty ? 0 : times[max(0, index)]
        var users: [User] = []
        for u in 0..<catalog.userIds.count {
            var history: [Int32] = []
            var heldOut: Int32?
            var heldOutSecond: Int64 = 0
            var relevant: Set<Int32> = []
            for row in catalog.ratingsOfUser(u) where r.rating[Int(row)] >= threshold {
                let (movie, time) = (r.movie[Int(row)], r.timestamp[Int(row)])
                if time < cutoff {
                    history.append(movie)
                } else if heldOut == nil {
                    (heldOut, heldOutSecond) = (movie, time)
                    relevant.insert(movie)
                } else if time == heldOutSecond {
                    relevant.insert(movie)
                }
            }
            guard !history.isEmpty || heldOut != nil else { continue }
            if history.count < minimumHistory { (heldOut, relevant) = (nil, []) }
            users.append(
                User(
                    user: u, history: history, heldOut: heldOut, relevant: relevant,
                    heldOutTime: heldOut == nil ? nil : heldOutSecond))
        }
        self.kind = .timeline
        self.users = users
        heldOutByUser = Self.heldOut(users)
        self.cutoff = cutoff
    }

    /// The same split with at most `maxCases` test users, a fixed random sample (the others keep their held-out
    /// movie in the training data): a large data set's evaluation on a sample of its users.
    /// - Complexity: O(users).
    public func sampled(maxCases: Int, seed: UInt64 = 5) -> HoldOutSplit {
        precondition(maxCases > 0, "at least one test user")
        var testUsers = users.indices.filter { users[$0].heldOut != nil }
        guard testUsers.count > maxCases else { return self }
        var rng = SeededGenerator(seed: seed)
        for i in stride(from: testUsers.count - 1, to: 0, by: -1) {
            testUsers.swapAt(i, rng.nextInt(below: i + 1))
        }
        let kept = Set(testUsers.prefix(maxCases))
        var sample = users
        for i in sample.indices where sample[i].heldOut != nil && !kept.contains(i) {
            // Leave-last-out: the held-out movie goes back to the end of the history; on the timeline it stays
            // after the cut-off (not training data), the user is just no test case.
            if cutoff == nil { sample[i].history.append(sample[i].heldOut!) }
            (sample[i].heldOut, sample[i].relevant, sample[i].heldOutTime) = (nil, [], nil)
        }
        return HoldOutSplit(kind: kind, users: sample, cutoff: cutoff)
    }

    /// A split from its parts.
    private init(kind: Kind, users: [User], cutoff: Int64?) {
        self.kind = kind
        self.users = users
        self.cutoff = cutoff
        heldOutByUser = Self.heldOut(users)
    }

    /// The users with a held-out movie.
    public var cases: [User] { users.filter { $0.heldOut != nil } }

    /// Number of training interactions.
    public var trainingCount: Int { users.reduce(0) { $0 + $1.history.count } }

    /// The catalog a model may be trained on. Leave-last-out: without each held-out rating (the latest positive rating
    /// of the held-out movie); every other rating, negative ones after it included, stays. Timeline: every rating
    /// before the cut-off.
    public func trainingCatalog(_ catalog: Catalog) -> Catalog {
        let r = catalog.ratings
        var keep: (Int) -> Bool
        if let cutoff {
            keep = { r.timestamp[$0] < cutoff }
        } else {
            var heldOutRows = Set<Int32>()
            for c in cases {
                if let row = catalog.ratingsOfUser(c.user).last(where: {
                    r.movie[Int($0)] == c.heldOut! && r.rating[Int($0)] >= likedThreshold
                }) {
                    heldOutRows.insert(row)
                }
            }
            keep = { !heldOutRows.contains(Int32($0)) }
        }
        var table = RatingTable()
        for i in 0..<r.count where keep(i) {
            table.append(user: r.user[i], movie: r.movie[i], rating: r.rating[i], timestamp: r.timestamp[i])
        }
        return Catalog(movies: catalog.movies, genres: catalog.genres, userIds: catalog.userIds, ratings: table)
    }

    /// The movies excluded from user `u`'s ranking: everything they rated in the training catalog.
    public func excluded(_ catalog: Catalog, user u: Int) -> Set<Int32> {
        let r = catalog.ratings
        var rated = Set<Int32>()
        for row in catalog.ratingsOfUser(u) where cutoff.map({ r.timestamp[Int(row)] < $0 }) ?? true {
            rated.insert(r.movie[Int(row)])
        }
        if cutoff == nil, let held = heldOutByUser[u] { rated.remove(held) }
        return rated
    }

    /// Each test user's held-out movie, by dense user index.
    static func heldOut(_ users: [User]) -> [Int: Int32] {
        Dictionary(uniqueKeysWithValues: users.compactMap { u in u.heldOut.map { (u.user, $0) } })
    }
}
