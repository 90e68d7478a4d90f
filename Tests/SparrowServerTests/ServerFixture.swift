import Foundation
import Hummingbird
import HummingbirdTesting
import SparrowCore
import SparrowServer
import SparrowServing
import SparrowStore
import SparrowTestSupport

/// The engine's fixture (`EngineFixture`) behind a service and an application; each test gets its own service.
enum ServerFixture {
    static var data: (catalog: Catalog, artifacts: String) { EngineFixture.data }

    /// A copy of the artifacts folder (for tests that change it).
    static func copyOfArtifacts() throws -> String { try EngineFixture.copyOfArtifacts() }

    /// A recommender on the fixture's catalog and artifacts.
    static func recommender() throws -> Recommender { try EngineFixture.recommender() }

    /// A service on the fixture (or on `artifacts`, a copy, which it may change: movies can be added there).
    static func service(
        artifacts: String? = nil, experiments: ABConfig = ABConfig(), adminToken: String? = nil,
        eventLog: String? = nil, access: AccessControl? = nil
    ) throws -> RecommendationService {
        let root = artifacts ?? data.artifacts
        let recommender = try EngineFixture.recommender(artifacts: root)
        let ingest = try LocalEventIngest(
            path: eventLog
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).log").path,
            recommender: recommender)
        return RecommendationService(
            recommender: recommender, ingest: ingest, experiments: experiments,
            access: access ?? AccessControl(adminToken: adminToken, quotas: Quotas(.unlimited)),
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
