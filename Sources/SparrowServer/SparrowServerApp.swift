import Foundation
import Hummingbird
import SparrowServing
import Logging
import NIOCore
import NIOPosix

/// Builds the HTTP application: the original's endpoints, the JSON API, TF-Serving scoring, operations routes and
/// (when a folder is given) the static web UI, behind metrics and CORS middleware.
public enum SparrowServerApp {
    /// The router with every route.
    public static func router(service: RecommendationService, webRoot: String? = nil) -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        // Structured request logs (swift-log) at --log-level debug.
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: MetricsMiddleware(metrics: service.metrics))
        router.add(middleware: CORSMiddleware(allowOrigin: .all))
        router.add(middleware: MethodNotAllowedMiddleware(endpoints: API.all))
        if let webRoot {
            router.add(
                middleware: WebUIMiddleware(
                    files: FileMiddleware(webRoot, searchForIndexHtml: true), endpoints: API.all, root: webRoot,
                    key: service.access.webKey))
        }
        // Who the request comes from; each route then applies its endpoint's access rule and quota.
        router.add(middleware: APIKeyAuthenticator(access: service.access))
        let routes = GuardedRouter(router: router, access: service.access)
        LegacyController(service: service).register(on: routes)
        MovieController(service: service).register(on: routes)
        UserController(service: service).register(on: routes)
        RecommendController(service: service).register(on: routes)
        EventController(service: service).register(on: routes)
        PredictController(service: service).register(on: routes)
        OpsController(service: service).register(on: routes)
        return router
    }

    /// Network threads by default: half the cores (at least one). Requests are computed on Swift's cooperative pool
    /// (one thread per core); on a 2-core machine a second I/O thread only competes with them and raises the tail
    /// latency under load (measured in bench-results/server.txt).
    public static var defaultEventLoops: Int { max(1, System.coreCount / 2) }

    /// The application listening on `host:port`; `eventLoops` network threads (default `defaultEventLoops`).
    public static func application(
        service: RecommendationService, host: String = "0.0.0.0", port: Int = 6010, webRoot: String? = nil,
        logger: Logger? = nil, eventLoops: Int? = nil, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(service: service, webRoot: webRoot),
            configuration: .init(address: .hostname(host, port: port), serverName: "Sparrow"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            eventLoopGroupProvider: .shared(
                MultiThreadedEventLoopGroup(numberOfThreads: eventLoops ?? defaultEventLoops)),
            logger: logger ?? Logger(label: "sparrow.server"))
    }
}
