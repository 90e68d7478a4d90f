import Foundation
import Hummingbird
import SparrowServing
import SparrowFeatures
import SparrowModels

/// A TensorFlow-Serving-compatible REST API over the loaded ranking models: `GET /v1/models/{name}`, `POST
/// /v1/models/{name}[/versions/{v}]:predict` with `instances` (rows) or `inputs` (columns), answered with
/// `predictions` / `outputs`, errors as `{"error": …}`. `recmodel` (the original's name) serves NeuralCF.
struct PredictController: Sendable {
    let service: RecommendationService

    func resolve(_ name: String) -> String { name == "recmodel" ? "neuralcf" : name }

    func register(on router: Router<BasicRequestContext>) {
        router.get("v1/models/:model", use: status)
        router.post("v1/models/:model", use: predictLatest)
        router.post("v1/models/:model/versions/:version", use: predictVersion)
    }

    /// TF Serving's model status: every loaded version, newest first.
    @Sendable func status(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let name = resolve(context.parameters.get("model") ?? "")
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
    @Sendable func predictLatest(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let segment = context.parameters.get("model") ?? ""
        guard segment.hasSuffix(":predict") else {
            throw APIError.notFound("unknown method; use /v1/models/{name}:predict")
        }
        return try await predict(request, name: String(segment.dropLast(8)), version: nil)
    }

    /// `POST /v1/models/{name}/versions/{v}:predict`.
    @Sendable func predictVersion(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let segment = context.parameters.get("version") ?? ""
        guard segment.hasSuffix(":predict"), let version = Int(segment.dropLast(8)) else {
            throw APIError.notFound("unknown method; use /v1/models/{name}/versions/{v}:predict")
        }
        return try await predict(request, name: context.parameters.get("model") ?? "", version: version)
    }

    /// Scores `instances` (rows) or `inputs` (columns) with a loaded model version.
    func predict(_ request: Request, name: String, version: Int?) async throws -> Response {
        let model = resolve(name)
        guard let loaded = service.recommender.models.model(model, version: version) else {
            throw APIError.notFound(
                "Servable not found for request: Specific(\(model), \(version.map(String.init) ?? "latest"))")
        }
        var request = request
        let body = try await request.collectBody(upTo: 8 << 20)
        guard let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw APIError.badRequest("the body must be a JSON object with \"instances\" or \"inputs\"")
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
        let instances = try rows.enumerated().map { try instance($1, index: $0) }
        let p = try APIError.mapping { try service.recommender.predict(instances, model: loaded) }
        let out = p.map { [Double($0)] }
        return try JSON.response(columnar ? ["outputs": out] : ["predictions": out])
    }

    func instance(_ row: [String: Any], index k: Int) throws -> PredictInstance {
        func int(_ key: String) throws -> Int32 {
            guard let v = row[key] else { throw APIError.badRequest("instance \(k): missing \(key)") }
            if let n = v as? NSNumber, let i = Int32(exactly: n.doubleValue) { return i }
            if let s = v as? String, let i = Int32(s) { return i }
            throw APIError.badRequest("instance \(k): \(key) must be an integer")
        }
        var instance = PredictInstance(userId: try int("userId"), movieId: try int("movieId"))
        for (key, value) in row where key != "userId" && key != "movieId" {
            if let c = FloatColumn.allCases.first(where: { $0.name == key }) {
                guard let n = value as? NSNumber else {
                    throw APIError.badRequest("instance \(k): \(key) must be a number")
                }
                instance.floats[c] = n.floatValue
            } else if let c = IntColumn.allCases.first(where: { $0.name == key }) {
                if c.isGenre {
                    guard let s = value as? String else {
                        throw APIError.badRequest("instance \(k): \(key) must be a genre name")
                    }
                    instance.genres[c] = s
                } else {
                    instance.ints[c] = try int(key)
                }
            } else {
                throw APIError.badRequest("instance \(k): unknown input \"\(key)\"")
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
