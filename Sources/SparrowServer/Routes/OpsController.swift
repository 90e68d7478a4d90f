import Foundation
import Hummingbird
import SparrowServing

/// Operations: Prometheus metrics, liveness and readiness, the OpenAPI document, and a token-protected reload.
struct OpsController: Sendable {
    let service: RecommendationService

    /// Registers the handlers.
    func register(on router: GuardedRouter) {
        router.on(API.metrics, use: metrics)
        router.on(API.live, use: live)
        router.on(API.ready, use: ready)
        router.on(API.report, use: report)
        router.on(API.models, use: models)
        router.on(API.openAPI, use: openAPI)
        router.on(API.reload, use: reload)
    }

    /// Prometheus text: the request, recall and inference metrics and the near-line counters.
    @Sendable func metrics(_ request: Request, _ context: ServerContext) throws -> Response {
        service.metrics.nearLine(service.ingest.counters, degraded: service.ingest.degradation != nil)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(string: service.metrics.text())))
    }

    /// Liveness: the process answers.
    @Sendable func live(_ request: Request, _ context: ServerContext) throws -> Response {
        try JSON.response(["status": "live"])
    }

    /// Readiness: 200 once a ranking model is loaded (also while degraded), 503 before.
    @Sendable func ready(_ request: Request, _ context: ServerContext) throws -> Response {
        let models = service.recommender.models.available
        let ready = !models.isEmpty
        let degradation = service.ingest.degradation
        let status = !ready ? "not ready: no ranking model loaded" : degradation == nil ? "ready" : "degraded"
        var body = [
            "status": status, "models": models.keys.sorted().joined(separator: ","), "events": service.ingest.mode,
        ]
        if let degradation { body["degraded"] = degradation }
        // Degraded still answers 200: the server serves from memory and accepts events into its local buffer.
        return try JSON.response(body, status: ready ? .ok : .serviceUnavailable)
    }

    /// The evaluation report (`report.json`), 404 until `sparrow eval` has written one.
    @Sendable func report(_ request: Request, _ context: ServerContext) throws -> Response {
        guard let path = service.reportPath, let data = FileManager.default.contents(atPath: path) else {
            throw APIError.notFound("no evaluation report yet: run `sparrow eval`")
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The loaded ranking models with their versions and test metrics.
    @Sendable func models(_ request: Request, _ context: ServerContext) throws -> Response {
        let models = service.recommender.models
        return try JSON.response(
            ModelList(
                served: service.recommender.nextItem == nil
                    ? nil
                    : ServedModel(name: Recommender.defaultModelName, version: service.recommender.nextItemVersion),
                models: models.available.sorted { $0.key < $1.key }.map { name, versions in
                    let latest = models.model(name)
                    let m = latest?.artifact.testMetrics
                    return ModelInfo(
                        name: name, versions: versions, kind: latest?.artifact.kind.rawValue ?? name,
                        testMetrics: m.map {
                            ["rocAUC": $0.rocAUC, "prAUC": $0.prAUC, "logLoss": $0.logLoss, "accuracy": $0.accuracy]
                        })
                }))
    }

    /// The OpenAPI document.
    @Sendable func openAPI(_ request: Request, _ context: ServerContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.data(Vocabulary.Live(service)))))
    }

    /// Loads new model versions (a key with the admin scope).
    @Sendable func reload(_ request: Request, _ context: ServerContext) throws -> Response {
        var changes = service.recommender.reloadModels()
        if let versions = service.nextItemVersions, let change = service.recommender.reloadNextItem(versions) {
            changes.append(change)
        }
        return try JSON.response([
            "changes": changes,
            "refused": service.recommender.modelRefusals.map { "\($0.key): \($0.value)" }.sorted(),
        ])
    }
}

/// `GET /api/v1/models`: the default served model's version and the loaded ranking models.
struct ModelList: Encodable, Sendable {
    var served: ServedModel?
    var models: [ModelInfo]
}

/// The default served model (`ranker`, the next-item model) and the version serving (0: `next-item/`).
struct ServedModel: Encodable, Sendable {
    var name: String
    var version: Int
}

/// One loaded ranking model in `GET /api/v1/models`.
struct ModelInfo: Encodable, Sendable {
    var name: String
    var versions: [Int]
    var kind: String
    var testMetrics: [String: Double]?
}
