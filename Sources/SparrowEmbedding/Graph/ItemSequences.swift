import SparrowCore

/// Item "sentences" for Item2vec: each user's positively rated movies in numeric time order.
public enum ItemSequences {
    /// One sequence of movie ids per user with at least one rating ≥ `threshold` (the original sorts timestamps as
    /// strings, bug B1; these are numbers, ties broken by movie).
    public static func positives(_ catalog: Catalog, threshold: Float = likedThreshold) -> [[Int32]] {
        (0..<catalog.userIds.count).compactMap { u in
            let s = catalog.ratingsOfUser(u).compactMap { row -> Int32? in
                catalog.ratings.rating[Int(row)] >= threshold
                    ? catalog.movies[Int(catalog.ratings.movie[Int(row)])].id : nil
            }
            return s.isEmpty ? nil : s
        }
    }
}
