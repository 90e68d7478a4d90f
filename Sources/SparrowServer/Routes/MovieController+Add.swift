import Foundation
import Hummingbird
import SparrowServing

extension MovieController {
    /// A posted movie: `title` and `genres` required; `movieId` to update a movie or choose a new movie's id
    /// (default: one above the largest); `year`, `imdbId`, `tmdbId` optional.
    struct MovieInput: Decodable {
        var movieId: Int32?
        var title: String
        var year: Int?
        var genres: [String]
        var imdbId: String?
        var tmdbId: Int32?

        static let fields: Set<String> = ["movieId", "title", "year", "genres", "imdbId", "tmdbId"]
    }

    /// `POST /api/v1/movies` (a key with the admin scope): adds or updates a movie; 201 with the movie when new, 200 when updated.
    @Sendable func add(_ request: Request, _ context: ServerContext) async throws -> Response {
        var request = request
        let data = Data(buffer: try await request.collectBody(atMost: 64 << 10))
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError.badRequest("the body must be a JSON object: {\"title\": …, \"genres\": […], …}")
        }
        if let key = object.first(where: { $0.value is NSNull })?.key {
            throw APIError.badRequest("\(key): null is not allowed (leave the field out instead)")
        }
        if let key = object.keys.sorted().first(where: { !MovieInput.fields.contains($0) }) {
            throw APIError.badRequest(
                "\(key): not a field of a movie (\(MovieInput.fields.sorted().joined(separator: ", ")))")
        }
        let input: MovieInput
        do {
            input = try JSONDecoder().decode(MovieInput.self, from: data)
        } catch let error as DecodingError {
            throw APIError.badRequest(APIError.describe(error))
        }
        if let id = input.movieId, id <= 0 { throw APIError.badRequest("movieId: must be positive") }
        let (m, added) = try await service.upsert(id: input.movieId) { id in
            ExchangeRecords.Movie(
                movieId: id, title: input.title, year: input.year, plainYear: input.year != nil, genres: input.genres,
                imdbId: input.imdbId, tmdbId: input.tmdbId)
        }
        return try JSON.response(service.summary(m), status: added ? .created : .ok)
    }
}
