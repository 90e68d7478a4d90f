import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SparrowServer
@testable import SparrowServing

@Suite("TF-Serving API and hot reload through a real server")
struct ServingRouteTests {
    @Test("instances → predictions, inputs → outputs, errors as {error}")
    func formats() async throws {
        let service = try ServerFixture.service()
        let catalog = ServerFixture.data.catalog
        let (u, m1, m2) = (catalog.userIds[2], catalog.movies[3].id, catalog.movies[4].id)
        try await ServerFixture.app(service).test(.live) { client in
            try await client.execute(uri: "/v1/models/embedding-mlp", method: .get) { r in
                let status = try #require((r.json as? [String: Any])?["model_version_status"] as? [[String: Any]])
                #expect(status.first?["state"] as? String == "AVAILABLE")
            }
            let rows =
                "{\"instances\":[{\"userId\":\(u),\"movieId\":\(m1)},{\"userId\":\(u),\"movieId\":\(m2),\"movieAvgRating\":4.9}]}"
            let p = try await client.execute(
                uri: "/v1/models/embedding-mlp:predict", method: .post, body: ByteBuffer(string: rows)
            ) { r in
                #expect(r.status == .ok)
                return try #require((r.json as? [String: Any])?["predictions"] as? [[Double]])
            }
            #expect(p.count == 2 && p.allSatisfy { $0.count == 1 && $0[0] > 0 && $0[0] < 1 })
            let columns =
                "{\"inputs\":{\"userId\":[\(u),\(u)],\"movieId\":[\(m1),\(m2)],\"movieAvgRating\":[null,4.9]}}"
            try await client.execute(
                uri: "/v1/models/embedding-mlp/versions/1:predict", method: .post, body: ByteBuffer(string: columns)
            ) { r in
                // null is not a number: a clear 400.
                #expect(r.status == .badRequest)
            }
            let clean = "{\"inputs\":{\"userId\":[\(u),\(u)],\"movieId\":[\(m1),\(m2)]}}"
            try await client.execute(
                uri: "/v1/models/embedding-mlp/versions/1:predict", method: .post, body: ByteBuffer(string: clean)
            ) { r in
                let outputs = try #require((r.json as? [String: Any])?["outputs"] as? [[Double]])
                #expect(abs(outputs[0][0] - p[0][0]) < 1e-6)
            }
            // The original's name for NeuralCF, and its exact request.
            try await client.execute(
                uri: "/v1/models/recmodel:predict", method: .post,
                body: ByteBuffer(string: "{\"instances\":[{\"userId\":\(u),\"movieId\":\(m1)}]}")
            ) { r in
                #expect(r.status == .ok)
            }
            for (uri, body, status) in [
                ("/v1/models/nosuch:predict", rows, HTTPResponse.Status.notFound),
                ("/v1/models/embedding-mlp:predict", "{}", .badRequest),
                ("/v1/models/embedding-mlp:predict", "{\"instances\":[{\"movieId\":1}]}", .badRequest),
                (
                    "/v1/models/embedding-mlp:predict",
                    "{\"instances\":[{\"userId\":1,\"movieId\":\(m1),\"shoeSize\":3}]}", .badRequest
                ),
                ("/v1/models/embedding-mlp/versions/9:predict", rows, .notFound),
            ] {
                try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: body)) { r in
                    #expect(r.status == status, "\(uri) \(body)")
                    #expect((r.json as? [String: Any])?["error"] is String)
                }
            }
        }
    }

    @Test("a new version is loaded without restart; a corrupted one is refused and the old one keeps serving")
    func hotReload() async throws {
        let artifacts = try ServerFixture.copyOfArtifacts()
        let service = try ServerFixture.service(artifacts: artifacts, adminToken: "secret")
        let models = artifacts + "/models/embedding-mlp"
        let fm = FileManager.default
        try await ServerFixture.app(service).test(.live) { client in
            try await client.execute(uri: "/admin/reload", method: .post) { r in #expect(r.status == .unauthorized) }
            // Version 2: a corrupted copy.
            try fm.copyItem(atPath: models + "/1", toPath: models + "/2")
            var weights = try Data(contentsOf: URL(fileURLWithPath: models + "/2/weights.bin"))
            weights[100] ^= 0xFF
            try weights.write(to: URL(fileURLWithPath: models + "/2/weights.bin"))
            try await client.execute(uri: "/admin/reload", method: .post, headers: [.authorization: "Bearer secret"]) {
                r in
                let refused = try #require((r.json as? [String: Any])?["refused"] as? [String])
                #expect(refused.contains { $0.contains("embedding-mlp/2") && $0.contains("corrupted") })
            }
            try await client.execute(uri: "/v1/models/embedding-mlp", method: .get) { r in
                let versions = ((r.json as? [String: Any])?["model_version_status"] as? [[String: Any]] ?? [])
                    .compactMap { $0["version"] as? String }
                #expect(versions == ["1"])
            }
            // Version 3: a good copy — loaded and serving.
            try fm.copyItem(atPath: models + "/1", toPath: models + "/3")
            try await client.execute(uri: "/admin/reload", method: .post, headers: [.authorization: "Bearer secret"]) {
                r in
                #expect(
                    ((r.json as? [String: Any])?["changes"] as? [String])?.contains {
                        $0.contains("loaded model embedding-mlp/3")
                    } == true)
            }
            try await client.execute(uri: "/v1/models/embedding-mlp", method: .get) { r in
                let versions = ((r.json as? [String: Any])?["model_version_status"] as? [[String: Any]] ?? [])
                    .compactMap { $0["version"] as? String }
                #expect(versions == ["3", "1"])
            }
            try await client.execute(
                uri: "/api/v1/recommend?user=\(ServerFixture.data.catalog.userIds[0])&n=3", method: .get
            ) { r in
                #expect(r.status == .ok)
            }
        }
    }
}
