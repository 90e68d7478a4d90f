import Foundation
import SparrowCore
import SparrowOffline
import SparrowServing

/// A synthetic catalogue with trained artifacts, built once per test run and shared by the engine's and the server's
/// tests; each test gets its own recommender.
public enum EngineFixture {
    /// The catalogue and the artifacts folder built from it.
    public static let data: (catalog: Catalog, artifacts: String) = {
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
    public static func copyOfArtifacts() throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-art-\(UUID().uuidString)")
            .path
        try FileManager.default.copyItem(atPath: data.artifacts, toPath: copy)
        return copy
    }

    /// A recommender on the fixture's catalogue and artifacts (or on `artifacts`, a copy).
    public static func recommender(artifacts: String? = nil) throws -> Recommender {
        try ArtifactBuilder(root: artifacts ?? data.artifacts).recommender(catalog: data.catalog) { _ in }
    }
}
