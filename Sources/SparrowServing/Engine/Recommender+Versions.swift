import SparrowModels

extension Recommender {
    /// Serves `model` as next-item version `version` from the next request on. Refused — and the current model
    /// kept — when the model knows more movies than the catalogue (built for another one); one that knows fewer
    /// (movies were added since it was trained) serves the movies it knows.
    ///
    /// With `warm`, the new model first ranks the lists of every user served a cached list (on the calling thread,
    /// while the old model keeps serving), and those lists are swapped in with it, so the switch does not send every
    /// active user's next request down the uncached path at once; otherwise the cache is dropped.
    /// - Complexity: one next-item ranking per cached user when warming.
    @discardableResult
    public func install(nextItem model: NextItemModel, version: Int, warm: Bool = false) -> Bool {
        guard model.catalogSize <= catalog.movies.count else { return false }
        var warmed: [Int: RankedEntry] = [:]
        if warm {
            // Users who asked for a list since start-up (not every user of the lists computed offline).
            let users = live.withCaches { $0.ranked.filter { !$0.value.served.isEmpty }.map(\.key) }
            for b in stride(from: 0, to: users.count, by: Self.rankingBatch) {
                let batch = Array(users[b..<min(b + Self.rankingBatch, users.count)])
                let entries = rankedEntries(
                    users: batch, seen: batch.map { snapshot(user: $0).seen }, model: model, modelVersion: version)
                for (u, e) in zip(batch, entries) { warmed[u] = e }
            }
        }
        replaceSnapshot { $0.nextItem = (model, version) }
        // A list ranked from a history that has grown since is recomputed on its next request (its version differs).
        live.withCaches { $0.ranked = warmed }
        return true
    }

    /// Loads the promoted next-item version of `versions` (or `announced`, the version a fleet was told to serve)
    /// when it is not the one serving; returns what changed (nil: nothing). A version that fails to load is refused
    /// once, reported, and the current one keeps serving.
    @discardableResult
    public func reloadNextItem(_ versions: NextItemVersions, announced: Int? = nil, warm: Bool = false) -> String? {
        let promoted = announced ?? versions.promoted()
        guard promoted != nextItemVersion, !writes.withLock({ $0.contains(promoted) }) else { return nil }
        do {
            let model = try versions.load(promoted)
            guard install(nextItem: model, version: promoted, warm: warm) else {
                writes.withLock { _ = $0.insert(promoted) }
                return "refused next-item version \(promoted): built for another catalogue"
            }
            return "loaded next-item version \(promoted)"
        } catch {
            writes.withLock { _ = $0.insert(promoted) }
            return "refused next-item version \(promoted): \(error)"
        }
    }
}
