extension Recommender {
    /// Re-encodes, for every model version in use, the movies rated since the last call (see
    /// `ModelScoring.refreshRatedMovies`).
    public func refreshRatedMovies() {
        // Runs every 50 ms: nothing rated, nothing to read (not even the snapshot).
        guard live.withCaches({ !$0.ratedSinceRefresh.isEmpty }) else { return }
        ModelScoring(snapshot: snapshot, live: live, graphs: graphs).refreshRatedMovies()
    }

    /// Calls `refreshRatedMovies` every `interval` seconds until the returned task is cancelled.
    public func startRefreshing(every interval: Double = 0.05) -> Task<Void, Never> {
        Task.detached(priority: .utility) { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                guard let self else { return }
                self.refreshRatedMovies()
            }
        }
    }
}
