import Hummingbird

/// Turns the router's 404 for a path that the contract serves with other methods into 405 with `Allow`; a path the
/// contract does not know stays 404.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let endpoints: [Endpoint]

    /// The methods of the endpoints whose template matches `path` most specifically.
    func methods(serving path: String) -> [HTTPRequest.Method] {
        let matches = endpoints.compactMap { e in e.match(path).map { (e, $0) } }
        guard let best = matches.map(\.1).max() else { return [] }
        return matches.filter { $0.1 == best }.map(\.0.method)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError where error.status == .notFound {
            let allowed = methods(serving: request.uri.path)
            if !allowed.isEmpty, !allowed.contains(request.method) {
                throw APIError.methodNotAllowed(request.method, allowed: allowed)
            }
            throw error
        }
    }
}
