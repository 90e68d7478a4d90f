import Foundation
import Hummingbird
import HummingbirdTesting
import SparrowCore
import SparrowServer
import SparrowServing
import SparrowStore

/// A synthetic catalog with trained artifacts, built once per test run; each test gets its own service.
enum ServerFixture {
    static let data: (catalog: Catalog, artifacts: String) = {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-server-\(UUID().uuidString)")
            .path
        try! SyntheticDataset(users: 150, movies: 300, ratings: 9000, seed: 31).write(to: base + "/data")
        let catalog = try! MovieLensReader.load(directory: base + "/data")
        var builder = ArtifactBuilder(root: base + "/artifacts")
        builder.embedding.epochs = 5
        _ = try! builder.prepare(catalog: catalog) { _ in }
        _ = try! builder.nextItem(catalog: catalog) { _ in }
        return (catalog, base + "/artifacts")
    }()

    /// A copy of the artifacts folder (for tests that change it).
    static func copyOfArtifacts() throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-art-\(UUID().uuidString)")
            .path
        try FileManager.default.copyItem(atPath: data.artifacts, toPath: copy)
        return copy
    }

    /// A recommender on the fixture's catalog and artifacts.
    static func recommender() throws -> Recommender {
        try ArtifactBuilder(root: data.artifacts).recommender(catalog: data.catalog) { _ in }
    }

    /// A service on the fixture (or on `artifacts`, a copy, which it may change: movies can be added there).
    static func service(
        artifacts: String? = nil, experiments: ABConfig = ABConfig(), adminToken: String? = nil,
        eventLog: String? = nil
    ) throws -> RecommendationService {
        let root = artifacts ?? data.artifacts
        let recommender = try ArtifactBuilder(root: root).recommender(catalog: data.catalog) { _ in }
        let ingest = try LocalEventIngest(
            path: eventLog
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).log").path,
            recommender: recommender)
        return RecommendationService(
            recommender: recommender, ingest: ingest, experiments: experiments, adminToken: adminToken,
            nextItemVersions: NextItemVersions(artifacts: root),
            movieAdditions: artifacts.map { MovieAdditions(artifacts: $0) })
    }

    static func app(_ service: RecommendationService) -> some ApplicationProtocol {
        Application(
            router: SparrowServerApp.router(service: service),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

extension TestResponse {
    /// The body as a JSON value.
    var json: Any {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed])) ?? NSNull()
    }
    /// The body as text.
    var text: String { String(buffer: body) }
}
