import SparrowServing

extension ExchangeRecords {
    /// A user of `users.jsonl`: every user that rated, tagged or sent an event.
    public struct User: Codable, Equatable, Sendable {
        /// The MovieLens `userId`.
        public var userId: Int32
        /// Ratings in `feedback.jsonl`.
        public var ratingCount: Int
    }

    /// One line of `feedback.jsonl`: a rating, a tag, a click or an impression.
    public struct Feedback: Codable, Equatable, Sendable {
        /// `rating`, `tag`, `click` or `impression`.
        public var type: String
        /// Who.
        public var userId: Int32
        /// Which movie.
        public var movieId: Int32
        /// The rating (ratings only), 0.5–5 in half stars.
        public var rating: Float?
        /// The tag's text (tags only).
        public var tag: String?
        /// Unix seconds.
        public var timestamp: Int64
        /// The event's idempotency key (clicks and impressions from the event log).
        public var id: String?

        /// The export's order: by time, then user, movie, type, rating and text, so that a folder's export does not
        /// depend on which file a line came from.
        static func precedes(_ a: Feedback, _ b: Feedback) -> Bool {
            if (a.timestamp, a.userId, a.movieId) != (b.timestamp, b.userId, b.movieId) {
                return (a.timestamp, a.userId, a.movieId) < (b.timestamp, b.userId, b.movieId)
            }
            return (a.type, a.rating ?? 0, a.tag ?? "", a.id ?? "") < (b.type, b.rating ?? 0, b.tag ?? "", b.id ?? "")
        }
    }
}
