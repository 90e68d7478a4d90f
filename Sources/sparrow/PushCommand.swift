import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import SparrowServer
import SparrowOffline
import SparrowServing
import SparrowStore

/// `sparrow push`: every offline artifact into a feature store — Redis with the original's keys, or the embedded
/// store (`--store DIR`) — TTLs applied.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract:
            "Load user/movie features and embeddings into Redis or an embedded store (building missing artifacts first)."
    )

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Artifacts folder.") var artifacts = "artifacts"
    @Option(help: "Redis URL.") var redis = "redis://127.0.0.1:6379"
    @Option(help: "Write to the embedded feature store in this folder instead of Redis (nothing to install).")
    var store: String?
    @Option(help: "Time to live of every key, in seconds (0 = none).") var ttl = Int(Seconds.week)

    func run() async throws {
        let catalog = try dataOptions.load()
        let builder = ArtifactBuilder(root: artifacts)
        let vectors = try builder.prepare(catalog: catalog) { print("  " + $0) }
        let final = SampleGenerator(catalog: catalog).run { _ in }
        let pool = store == nil ? try RedisConnectionPool(url: redis) : nil
        let target = store.map { "embedded store \($0)" } ?? redis
        let store: any FeatureStore =
            try pool.map { RedisFeatureStore(connection: $0) } ?? EmbeddedFeatureStore(directory: self.store!)
        let life: Int? = ttl > 0 ? ttl : nil
        let start = ProcessStats.now()
        try await store.putHashes(
            prefix: "uf",
            (0..<catalog.userIds.count).map {
                (catalog.userIds[$0], FeatureSnapshots.userFields(final.users[$0].features(), catalog: catalog))
            }, ttl: life)
        try await store.putHashes(
            prefix: "mf",
            (0..<catalog.movies.count).map {
                (
                    catalog.movies[$0].id,
                    FeatureSnapshots.movieFields(final.movies[$0].features(of: catalog.movies[$0]), catalog: catalog)
                )
            }, ttl: life)
        var pushed = ["uf": catalog.userIds.count, "mf": catalog.movies.count]
        for (method, prefix) in [(EmbeddingMethod.item2vec, "i2vEmb"), (.deepwalk, "graphEmb")] {
            guard let set = vectors[method] else { continue }
            try await store.putVectors(prefix: prefix, set.ids.map { ($0, Array(set.vector($0)!)) }, ttl: life)
            pushed[prefix] = set.count
        }
        if let item2vec = vectors[.item2vec] {
            let users = EmbeddingSet.users(
                sequences: (0..<catalog.userIds.count).map { u in
                    (
                        catalog.userIds[u],
                        catalog.ratingsOfUser(u).compactMap { row -> Int32? in
                            catalog.ratings.rating[Int(row)] >= likedThreshold
                                ? catalog.movies[Int(catalog.ratings.movie[Int(row)])].id : nil
                        }
                    )
                }, movieVectors: item2vec)
            try await store.putVectors(prefix: "uEmb", users.ids.map { ($0, Array(users.vector($0)!)) }, ttl: life)
            pushed["uEmb"] = users.count
        }
        print(
            String(
                format: "pushed %@ to %@ in %.2f s (TTL %@)",
                pushed.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key):" }.joined(separator: ", "), target,
                ProcessStats.now() - start, life.map { "\($0) s" } ?? "none"))
        await pool?.close()
        if let embedded = store as? EmbeddedFeatureStore { try embedded.compact() }  // one snapshot instead of a log
    }
}
