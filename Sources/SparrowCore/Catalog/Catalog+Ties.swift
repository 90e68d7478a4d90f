extension Catalog {
    /// Whether user `u` rated another movie in the same second as their (last) rating of `movie`. MovieLens lists
    /// such ties by movie id, so which of them a leave-last-out split holds out is an artefact of the file.
    /// - Complexity: O(ratings of the user).
    public func ratingSharesItsSecond(user u: Int, movie: Int32) -> Bool {
        let rows = ratingsOfUser(u)
        guard let held = rows.last(where: { ratings.movie[Int($0)] == movie }) else { return false }
        let second = ratings.timestamp[Int(held)]
        return rows.contains { $0 != held && ratings.timestamp[Int($0)] == second }
    }
}
