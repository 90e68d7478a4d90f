import Foundation
import Hummingbird
import SparrowServing

/// Operations: Prometheus metrics, liveness and readiness, the OpenAPI document, and a token-protected reload.
struct OpsController: Sendable {
    let service: RecommendationService

    /// The event ingest's counters and health as Prometheus lines.
    func nearLineMetrics() -> String {
        var lines = [
            "# HELP sparrow_nearline_events_total Near-line event counts by kind (published, buffered, flushed, consumed, duplicates, malformed).",
            "# TYPE sparrow_nearline_events_total counter",
        ]
        for c in service.ingest.counters {
            lines.append("sparrow_nearline_events_total{kind=\"\(c.name)\"} \(c.value)")
        }
        lines += [
            "# HELP sparrow_nearline_degraded 1 while the server serves from memory and buffers events locally.",
            "# TYPE sparrow_nearline_degraded gauge",
            "sparrow_nearline_degraded \(service.ingest.degradation == nil ? 0 : 1)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("metrics", use: metrics)
        router.get("health/live", use: live)
        router.get("health/ready", use: ready)
        router.get("api/v1/report", use: report)
        router.get("api/v1/models", use: models)
        router.get("openapi.json", use: openAPI)
        router.post("admin/reload", use: reload)
    }

    /// Prometheus text: the request, recall and inference metrics and the near-line counters.
    @Sendable func metrics(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(string: service.metrics.text() + nearLineMetrics())))
    }

    /// Liveness: the process answers.
    @Sendable func live(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        try JSON.response(["status": "live"])
    }

    /// Readiness: 200 once a ranking model is loaded (also while degraded), 503 before.
    @Sendable func ready(_ request: Request, _ context: BasicRequestContext) throws -> Response {
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
    @Sendable func report(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let path = service.reportPath, let data = FileManager.default.contents(atPath: path) else {
            throw APIError.notFound("no evaluation report yet: run `sparrow eval`")
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The loaded ranking models with their versions and test metrics.
    @Sendable func models(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let models = service.recommender.models
        return try JSON.response([
            "models": models.available.sorted { $0.key < $1.key }.map { name, versions in
                let latest = models.model(name)
                let m = latest?.artifact.testMetrics
                return ModelInfo(
                    name: name, versions: versions, kind: latest?.artifact.kind.rawValue ?? name,
                    testMetrics: m.map {
                        ["rocAUC": $0.rocAUC, "prAUC": $0.prAUC, "logLoss": $0.logLoss, "accuracy": $0.accuracy]
                    })
            }
        ])
    }

    /// The OpenAPI document.
    @Sendable func openAPI(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }

    /// Loads new model versions (bearer token required; 403 when admin endpoints are off).
    @Sendable func reload(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let token = service.adminToken else {
            throw APIError(.forbidden, "admin endpoints are disabled (no --admin-token)")
        }
        guard request.headers[.authorization] == "Bearer \(token)" else {
            throw APIError(.unauthorized, "wrong or missing bearer token")
        }
        let changes = service.recommender.models.reload()
        return try JSON.response([
            "changes": changes,
            "refused": service.recommender.models.refusals.map { "\($0.key): \($0.value)" }.sorted(),
        ])
    }
}

/// One loaded ranking model in `GET /api/v1/models`.
struct ModelInfo: Encodable, Sendable {
    var name: String
    var versions: [Int]
    var kind: String
    var testMetrics: [String: Double]?
}

/// The OpenAPI 3 description of the JSON API.
enum OpenAPIDocument {
    static let json = """
        {"openapi":"3.0.3","info":{"title":"Sparrow recommender API","version":"1"},
        "paths":{
        "/api/v1/movies/{id}":{"get":{"summary":"A movie","parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"integer"}}],"responses":{"200":{"description":"the movie"},"400":{"description":"bad id"},"404":{"description":"unknown movie"}}}},
        "/api/v1/movies":{"get":{"summary":"Search or browse movies","parameters":[{"name":"search","in":"query","schema":{"type":"string"}},{"name":"genre","in":"query","schema":{"type":"string"}},{"name":"sort","in":"query","schema":{"type":"string","enum":["rating","year","popularity","id"]}},{"name":"year","in":"query","schema":{"type":"integer"}},{"name":"offset","in":"query","schema":{"type":"integer"}},{"name":"limit","in":"query","schema":{"type":"integer"}}],"responses":{"200":{"description":"movies"}}}},
        "/api/v1/users/{id}":{"get":{"summary":"A user with history and favourite genres","parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"integer"}}],"responses":{"200":{"description":"the user"},"404":{"description":"unknown user"}}}},
        "/api/v1/recommend":{"get":{"summary":"Recommendations (recall, rank, re-rank)","parameters":[{"name":"user","in":"query","required":true,"schema":{"type":"integer"}},{"name":"n","in":"query","schema":{"type":"integer"}},{"name":"model","in":"query","schema":{"type":"string"}},{"name":"explain","in":"query","schema":{"type":"boolean"}}],"responses":{"200":{"description":"recommendations with the A/B bucket"},"400":{"description":"bad parameter or unknown model"}}}},
        "/api/v1/similar":{"get":{"summary":"Similar movies","parameters":[{"name":"movie","in":"query","required":true,"schema":{"type":"integer"}},{"name":"n","in":"query","schema":{"type":"integer"}},{"name":"method","in":"query","schema":{"type":"string","enum":["item2vec","deepwalk","node2vec","genre"]}}],"responses":{"200":{"description":"movies with scores"}}}},
        "/api/v1/popular":{"get":{"summary":"Most rated movies","responses":{"200":{"description":"movies"}}}},
        "/api/v1/latest":{"get":{"summary":"Newest movies","responses":{"200":{"description":"movies"}}}},
        "/api/v1/genres":{"get":{"summary":"Genre names","responses":{"200":{"description":"genres"}}}},
        "/api/v1/events":{"post":{"summary":"Rating, click or impression events (one or {events:[…]}); 202 once durable","requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Event"}}}},"responses":{"202":{"description":"accepted"},"400":{"description":"invalid event"}}}},
        "/v1/models/{name}:predict":{"post":{"summary":"TF-Serving-compatible scoring","responses":{"200":{"description":"predictions or outputs"},"400":{"description":"bad request"},"404":{"description":"unknown model"}}}}
        },
        "components":{"schemas":{"Event":{"type":"object","required":["userId","movieId"],"properties":{
        "type":{"type":"string","enum":["rating","click","impression"],"default":"rating"},
        "userId":{"type":"integer"},"movieId":{"type":"integer"},
        "rating":{"type":"number","description":"0.5–5 in half stars (ratings only)"},
        "timestamp":{"type":"integer","description":"Unix seconds (default: now)"},
        "id":{"type":"string","description":"idempotency key, 1–128 characters: an event is applied once per id"}}}}}}
        """
}
