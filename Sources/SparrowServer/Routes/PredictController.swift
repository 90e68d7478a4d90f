import Foundation
import Hummingbird
import SparrowServing

/// A TensorFlow-Serving-compatible REST API over the loaded ranking models: `GET /v1/models/{name}`, `POST
/// /v1/models/{name}[/versions/{v}]:predict` with `instances` (rows) or `inputs` (columns), answered with
/// `predictions` / `outputs`, errors as `{"error": …}`. `recmodel` (the original's name) serves NeuralCF.
struct PredictController: Sendable {
    let service: RecommendationService

    /// The most instances one request scores.
    static let maxInstances = 1000

    func resolve(_ name: String) -> String { name == "recmodel" ? "neuralcf" : name }

    /// Registers the handlers.
    func register(on router: GuardedRouter) {
        router.on(API.modelStatus, use: status)
        router.on(API.predict, use: predictLatest)
        router.on(API.predictVersion, use: predictVersion)
    }

    /// TF Serving's model status: every loaded version, newest first.
    @Sendable func status(_ request: Request, _ context: ServerContext) throws -> Response {
        let name = resolve(try service.arguments(API.modelStatus, request, context).string("name")!)
        guard let versions = service.recommender.models.available[name] else {
            throw APIError.notFound("Could not find any versions of model \(name)")
        }
        return try JSON.response(
            ModelStatusList(
                model_version_status: versions.reversed().map {
                    ModelVersionStatus(
                        version: "\($0)", state: "AVAILABLE", status: ["error_code": "OK", "error_message": ""])
                }))
    }

    /// `POST /v1/models/{name}:predict` with the latest version.
    @Sendable func predictLatest(_ request: Request, _ context: ServerContext) async throws -> Response {
        let q = try service.arguments(API.predict, request, context)
        return try await predict(request, name: q.string("name")!, version: nil)
    }

    /// `POST /v1/models/{name}/versions/{v}:predict`.
    @Sendable func predictVersion(_ request: Request, _ context: ServerContext) async throws -> Response {
        let q = try service.arguments(API.predictVersion, request, context)
        return try await predict(request, name: q.string("name")!, version: q.int("version")!)
    }

    /// Scores `instances` (rows) or `inputs` (columns) with a loaded model version.
    func predict(_ request: Request, name: String, version: Int?) async throws -> Response {
        let model = resolve(name)
        guard let loaded = service.recommender.models.model(model, version: version) else {
            throw APIError.notFound(
                "Servable not found for request: Specific(\(model), \(version.map(String.init) ?? "latest"))")
        }
        var request = request
        let body = try await request.collectBody(atMost: 8 << 20)
        guard let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw APIError.badRequest("the body must be a JSON object with \"instances\" or \"inputs\"")
        }
        if let key = json.keys.sorted().first(where: { !["instances", "inputs", "signature_name"].contains($0) }) {
            throw APIError.badRequest("unknown field \"\(key)\"; the body has \"instances\" or \"inputs\"")
        }
        if let signature = json["signature_name"], !(signature is String) {
            throw APIError.badRequest("signature_name must be a string")
        }
        if json["instances"] != nil, json["inputs"] != nil {
            throw APIError.badRequest("give \"instances\" or \"inputs\", not both")
        }
        var rows: [[String: Any]] = []
        let columnar: Bool
        if let instances = json["instances"] as? [[String: Any]] {
            rows = instances
            columnar = false
        } else if let inputs = json["inputs"] as? [String: Any] {
            let lengths = Set(inputs.values.compactMap { ($0 as? [Any])?.count })
            guard lengths.count == 1, let n = lengths.first, inputs.values.allSatisfy({ $0 is [Any] }) else {
                throw APIError.badRequest("\"inputs\" must map each feature name to a list, all of one length")
            }
            rows = (0..<n).map { i in inputs.mapValues { ($0 as! [Any])[i] } }
            columnar = true
        } else {
            throw APIError.badRequest("missing \"instances\" or \"inputs\"")
        }
        guard (1...Self.maxInstances).contains(rows.count) else {
            throw APIError.badRequest("\(rows.count) instances; a request scores 1–\(Self.maxInstances)")
        }
        let instances = try rows.enumerated().map { try instance($1, index: $0) }
        let p = try APIError.mapping { try service.recommender.predict(instances, model: loaded) }
        // Every input is within its documented range; a model that still gives no finite score is refused, never
        // answered with a body JSON cannot carry.
        if let k = p.firstIndex(where: { !$0.isFinite }) {
            throw APIError.badRequest("instance \(k): the model gives no finite score for these features")
        }
        let out = p.map { [Double($0)] }
        return try JSON.response(columnar ? ["outputs": out] : ["predictions": out])
    }

    func instance(_ row: [String: Any], index k: Int) throws -> PredictInstance {
        /// A JSON number (not `true`/`false`, which Foundation also reads as numbers).
        func number(_ v: Any) -> NSNumber? {
            guard let n = v as? NSNumber, !n.isJSONBoolean else { return nil }
            return n
        }
        func int(_ key: String, _ range: ClosedRange<Int64>) throws -> Int32 {
            guard let v = row[key] else { throw APIError.badRequest("instance \(k): missing \(key)") }
            guard let n = number(v), let i = Int64(exactly: n.doubleValue), range.contains(i) else {
                throw APIError.badRequest(
                    "instance \(k): \(key) must be an integer in \(range.lowerBound)…\(range.upperBound)")
            }
            return Int32(i)
        }
        var instance = PredictInstance(
            userId: try int("userId", PredictFeature.idRange), movieId: try int("movieId", PredictFeature.idRange))
        for (key, value) in row where key != "userId" && key != "movieId" {
            guard let feature = PredictFeature.named(key) else {
                throw APIError.badRequest("instance \(k): unknown input \"\(key)\"")
            }
            switch feature.kind {
            case .number(let range):
                guard let n = number(value), range.contains(n.doubleValue) else {
                    throw APIError.badRequest(
                        "instance \(k): \(key) must be a number in \(range.lowerBound)…\(range.upperBound)")
                }
                instance.set(feature, to: n.doubleValue)
            case .integer(let range):
                instance.set(feature, to: Double(try int(key, range)))
            case .genre:
                guard let s = value as? String else {
                    throw APIError.badRequest("instance \(k): \(key) must be a genre name")
                }
                instance.set(feature, genre: s)
            }
        }
        return instance
    }
}

/// One version in TF Serving's status answer.
struct ModelVersionStatus: Encodable, Sendable {
    var version: String
    var state: String
    var status: [String: String]
}

/// TF Serving's `GET /v1/models/{name}` answer.
struct ModelStatusList: Encodable, Sendable {
    var model_version_status: [ModelVersionStatus]
}
