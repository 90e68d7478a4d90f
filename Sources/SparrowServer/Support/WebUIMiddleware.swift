import Hummingbird

/// Serves the web UI's files for every path the API contract does not own; an API path goes straight to the router,
/// so that the file server's own answers (a 400 for `..` in a path) never stand in for an endpoint's.
struct WebUIMiddleware<Files: RouterMiddleware>: RouterMiddleware {
    typealias Context = Files.Context
    let files: Files
    let endpoints: [Endpoint]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if endpoints.contains(where: { $0.match(request.uri.path) != nil }) {
            return try await next(request, context)
        }
        return try await files.handle(request, context: context, next: next)
    }
}
