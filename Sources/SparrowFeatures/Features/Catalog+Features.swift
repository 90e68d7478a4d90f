import SparrowCore

extension Catalog {
    /// User `u`'s feature state computed from their whole history — what serving computes "online" for a user
    /// from the current state. Equal to the offline pass's final state for that user.
    public func userFeatureState(user u: Int, positiveThreshold: Float = likedThreshold) -> UserFeatureState {
        var state = UserFeatureState(genreCount: genres.count, positiveThreshold: positiveThreshold)
        for row in ratingsOfUser(u) {
            let m = Int(ratings.movie[Int(row)])
            state.add(
                movieIndex: Int32(m), movie: movies[m], rating: ratings.rating[Int(row)],
                timestamp: ratings.timestamp[Int(row)])
        }
        return state
    }

    /// Movie `m`'s feature state from all of its ratings (a scan; the server keeps these incrementally).
    public func movieFeatureState(movie m: Int) -> MovieFeatureState {
        var state = MovieFeatureState()
        for i in 0..<ratings.count where Int(ratings.movie[i]) == m {
            state.add(rating: ratings.rating[i], timestamp: ratings.timestamp[i])
        }
        return state
    }
}
