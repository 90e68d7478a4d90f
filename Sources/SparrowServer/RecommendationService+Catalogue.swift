import Hummingbird
import SparrowCore
import SparrowServing

extension RecommendationService {
    /// Adds a movie (a new id; `id` nil: the next free one) or updates one (a known id) — `make` builds its record
    /// for the id: checked against the catalogue (400 naming the field; 409 for a new id below the largest), made
    /// durable in `movies-added.jsonl`, applied to the engine (the title search follows), then shared with the other
    /// servers (Redis mode; 503 when Redis is unreachable). Returns the movie's catalogue index and whether it is new.
    func upsert(id: Int32?, make: (Int32) -> ExchangeRecords.Movie) async throws -> (index: Int, added: Bool) {
        guard let movieAdditions else {
            throw APIError(.forbidden, "the catalogue cannot change: the server runs without an artifacts folder")
        }
        if let degraded = ingest.degradation {
            throw APIError(.serviceUnavailable, "the catalogue cannot change while degraded: \(degraded)")
        }
        let (record, result) = try catalogueWrites.withLock { _ in
            guard let next = id ?? recommender.catalog.nextMovieId else {
                throw APIError(.conflict, "no movie id is left above the catalogue's largest (\(Int32.max))")
            }
            let record = make(next)
            return (record, try apply(record, additions: movieAdditions))
        }
        do {
            try await ingest.publish(movie: record)
        } catch {
            throw APIError(.serviceUnavailable, "\(error)")
        }
        return result
    }

    private func apply(_ record: ExchangeRecords.Movie, additions: MovieAdditions) throws -> (index: Int, added: Bool) {
        let catalog = recommender.catalog
        let movie: Movie
        do {
            movie = try record.movie(in: catalog)
        } catch let error as MovieRecordError {
            throw APIError.badRequest("\(error.field): \(error.message)")
        }
        do {
            _ = try catalog.place(of: movie.id)
        } catch {
            throw APIError(.conflict, "\(error)")
        }
        try additions.record(record)
        return try recommender.upsert(movie: movie)
    }
}
