import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import SparrowStore

extension Recommender {
    /// The result of folding a batch of events into the live state.
    public struct Applied: Sendable, Equatable {
        /// Events that changed the state.
        public var applied = 0
        /// Events skipped because their id was applied before (a replay or a re-delivery).
        public var duplicates = 0
        /// Of the applied ratings, those that replaced the user's earlier rating of the movie.
        public var replaced = 0
        /// Of the applied ratings, those older than the user's rating of the movie held (logged, state unchanged).
        public var stale = 0
        /// Raw ids of the users whose features the batch concerns (duplicates included), without repeats.
        public var users: [Int32] = []
    }

    /// Folds events into the live state, each id at most once: ratings update the user's features, the movie's
    /// statistics, the seen set and the user vector (`apply(userId:movie:rating:timestamp:)`), one rating per user and
    /// movie (a newer one replaces the old); clicks and
    /// impressions are durable and counted but change no feature (the models are trained on ratings).
    /// Events for unknown movies are counted as applied and change nothing (the routes reject them up front).
    @discardableResult
    public func apply(_ events: [EventLog.Event]) -> Applied {
        var result = Applied()
        var touched = Set<Int32>()
        for event in events {
            if touched.insert(event.userId).inserted { result.users.append(event.userId) }
            if let id = event.id, !live.withState({ $0.appliedEvents.insert(id) }) {
                result.duplicates += 1
                continue
            }
            result.applied += 1
            if event.type == .rating, let rating = event.rating, let m = catalog.movieIndex(id: event.movieId) {
                switch apply(userId: event.userId, movie: m, rating: rating, timestamp: event.timestamp).outcome {
                case .added: break
                case .replaced: result.replaced += 1
                case .stale: result.stale += 1
                }
            }
        }
        return result
    }

    /// How many idempotency keys the server remembers (`IdempotencyWindow`): a re-delivered event whose key is among
    /// the last `idempotencyWindow` keyed events is applied once. Set before replaying the log.
    public var idempotencyWindow: Int {
        get { live.withState { $0.appliedEvents.capacity } }
        set { live.withState { $0.appliedEvents.resize(newValue) } }
    }

    /// The live state now (a copy; taking it is O(1), the arrays are shared until written).
    func liveStateCopy() -> LiveState { live.withState { $0 } }

    /// The live state for a checkpoint: a copy without the idempotency window, whose keys come separately, oldest
    /// first. The copy shares no storage with the window, so events applied while the checkpoint is encoded do not
    /// make the window (a million keys, ~100 MB) copy itself.
    func checkpointSnapshot() -> (state: LiveState, keys: [String]) {
        live.withState { s in
            var copy = s
            copy.appliedEvents = IdempotencyWindow(capacity: s.appliedEvents.capacity)
            return (copy, s.appliedEvents.keysInOrder)
        }
    }

    /// Replaces the live state with a checkpoint's (same fingerprint, so the same ratings and artifacts). The users'
    /// derived state comes from their ratings: kept where they equal the current state's, replayed (`UserReplay`)
    /// where they grew. Movies added to the catalogue after the checkpoint was taken get empty states; a checkpoint
    /// that knows more movies than the catalogue (its additions lost) is refused: returns false and changes nothing.
    /// - Complexity: O(ratings) to compare, plus the replay of the users whose ratings changed.
    func restore(_ state: LiveState) -> Bool {
        let movies = catalog.movies.count
        guard state.movies.count <= movies, state.history.count >= catalog.userIds.count else { return false }
        let capacity = idempotencyWindow
        let snapshot = self.snapshot
        let replay = UserReplay(
            genreCount: snapshot.catalog.genres.count, genreMasks: snapshot.catalogue.genreMasks,
            years: snapshot.catalogue.years, vectors: snapshot.matrices[.item2vec])
        live.withState { s in
            var restored = state
            restored.users = []
            restored.seen = []
            restored.userVectors = []
            for (u, ratings) in state.history.enumerated() {
                if u < s.history.count && UserReplay.same(s.history[u], ratings) {
                    restored.users.append(s.users[u])
                    restored.seen.append(s.seen[u])
                    restored.userVectors.append(s.userVectors[u])
                } else {
                    let user = replay.replay(ratings)
                    restored.users.append(user.features)
                    restored.seen.append(user.seen)
                    restored.userVectors.append(user.vector)
                }
            }
            s = restored
            s.appliedEvents.resize(capacity)
            while s.movies.count < movies {
                s.movies.append(MovieFeatureState())
                s.stats.append(MovieStats())
            }
        }
        return true
    }

    /// A user's live features as the original's `uf:<userId>` hash fields, and their user vector (nil for an
    /// unknown user).
    public func featureRecord(userId: Int32) -> (fields: [(String, String)], vector: [Float]?)? {
        guard let u = userIndex(id: userId) else { return nil }
        let state = snapshot(user: u)
        return (FeatureSnapshots.userFields(state.features.features(), catalog: catalog), state.vector)
    }

    /// Folds a new rating into the live state — the near-line update: user features, movie statistics, the seen set
    /// and the user vector change at once, so the next request sees them. A rating of a movie the user rated before
    /// replaces that one when it is not older (`LiveState.add`). Returns the user's dense index and what happened.
    @discardableResult
    public func apply(userId: Int32, movie m: Int, rating: Float, timestamp: Int64) -> (
        user: Int, outcome: RatingOutcome
    ) {
        // Only the fields it needs: an event is applied at tens of thousands a second.
        let (catalogue, vector, matrix) = current.withLock { s in
            (s.catalogue, s.movieVectors[.item2vec]?.vector(s.catalogue.catalog.movies[m].id), s.matrices[.item2vec])
        }
        let replay = UserReplay(
            genreCount: catalogue.catalog.genres.count, genreMasks: catalogue.genreMasks, years: catalogue.years,
            vectors: matrix)
        let (u, outcome) = live.contents.withLock { contents in
            let result = contents.state.add(
                userId: userId, movie: m, rating: rating, timestamp: timestamp, catalog: catalogue.catalog,
                vector: vector, replay: replay)
            if result.outcome != .stale { contents.caches.ratedSinceRefresh.insert(m) }
            return result
        }
        return (u, outcome)
    }
}
