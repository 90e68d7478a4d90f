extension EventLog.Event {
    /// The event as Redis Stream fields (`type`, `userId`, `movieId`, `rating`, `timestamp`, `id`).
    public var streamFields: [(String, String)] {
        var fields = [
            ("type", type.rawValue), ("userId", String(userId)), ("movieId", String(movieId)),
            ("timestamp", String(timestamp)),
        ]
        if let rating { fields.append(("rating", String(rating))) }
        if let id { fields.append(("id", id)) }
        return fields
    }

    /// An event from stream fields; nil when a required field is missing or malformed.
    public init?(streamFields f: [String: String]) {
        guard let type = f["type"].flatMap(EventType.init(rawValue:)), let user = f["userId"].flatMap(Int32.init),
            let movie = f["movieId"].flatMap(Int32.init),
            let time = f["timestamp"].flatMap(Int64.init)
        else { return nil }
        let rating = f["rating"].flatMap(Float.init)
        if f["rating"] != nil && rating == nil { return nil }
        self.init(type: type, userId: user, movieId: movie, rating: rating, timestamp: time, id: f["id"])
    }
}
