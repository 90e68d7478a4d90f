import Hummingbird
import HummingbirdAuth

/// Recognises the bearer key of a request (`Authorization: Bearer <key>`): a known key sets the context's identity,
/// an unknown one is remembered so that an endpoint needing a key answers "unknown API key". Endpoints decide what
/// they need (`AccessControl.authorize`); this middleware refuses nothing.
struct APIKeyAuthenticator: AuthenticatorMiddleware {
    typealias Context = ServerContext
    let access: AccessControl

    func authenticate(request: Request, context: ServerContext) async throws -> Principal? {
        guard let key = request.headers.bearer?.token else { return nil }
        return access.principal(for: key)
    }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        context.identity = try await authenticate(request: request, context: context)
        context.presentedUnknownKey = context.identity == nil && request.headers.bearer != nil
        return try await next(request, context)
    }
}
