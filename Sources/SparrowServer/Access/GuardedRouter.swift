import Hummingbird

/// The router as the controllers see it: `on` registers a handler for an endpoint of the contract behind the
/// endpoint's access rule and the client's request quota (`AccessControl`), so no route can be registered without
/// them.
struct GuardedRouter {
    let router: Router<ServerContext>
    let access: AccessControl

    /// Registers `handler` for `endpoint`, at its router path and method.
    @discardableResult
    func on(
        _ endpoint: Endpoint, use handler: @Sendable @escaping (Request, ServerContext) async throws -> Response
    ) -> Self {
        let (rule, access) = (endpoint.access, access)
        router.on(RouterPath(endpoint.routerPath), method: endpoint.method) { request, context in
            guard rule != .open else { return try await handler(request, context) }
            try access.authorize(context.identity, unknownKey: context.presentedUnknownKey, for: rule)
            try access.meter(1, of: .requests, identity: context.identity, client: context.client)
            return try await handler(request, context)
        }
        return self
    }
}
