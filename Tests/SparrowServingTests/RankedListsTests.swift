import Foundation
import SparrowCore
import SparrowModels
import SparrowTestSupport
import Testing

@testable import SparrowOffline
@testable import SparrowServing

@Suite("Every user's default list ranked offline")
struct RankedListsTests {
    /// The served lists of the first `users` users.
    static func lists(_ r: Recommender, users: Int = 40) throws -> [[Int32]] {
        try EngineFixture.data.catalog.userIds.prefix(users).map {
            try r.recommend(userId: $0, n: 10).items.map(\.movie)
        }
    }

    @Test(
        "lists computed offline load on the next start, serve exactly what the uncached path serves, and yield to a new rating"
    )
    func sameListsAfterRestart() throws {
        let artifacts = try EngineFixture.copyOfArtifacts()
        defer { try? FileManager.default.removeItem(atPath: artifacts) }
        let catalog = EngineFixture.data.catalog
        let builder = ArtifactBuilder(root: artifacts)
        let file = artifacts + "/next-item/" + ArtifactBuilder.rankedListsFile
        var lines: [String] = []
        let first = try builder.recommender(catalog: catalog, precomputeLists: true) { lines.append($0) }
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(lines.contains { $0.contains("next-item lists of") && $0.contains("users ranked") }, "\(lines)")
        let users = first.live.withCaches { $0.ranked.count }
        #expect(users == (0..<catalog.userIds.count).filter { first.historyVersion(user: $0) > 0 }.count)

        lines = []
        let restarted = try builder.recommender(catalog: catalog) { lines.append($0) }
        #expect(lines.contains { $0.contains("next-item lists of \(users) users loaded") }, "\(lines)")
        #expect(restarted.live.withCaches { $0.ranked.count } == users)
        // The uncached path, on a recommender without the file, serves the same lists.
        try FileManager.default.removeItem(atPath: file)
        let uncached = try builder.recommender(catalog: catalog) { _ in }
        #expect(uncached.live.withCaches { $0.ranked.isEmpty })
        #expect(try Self.lists(restarted) == Self.lists(uncached))
        #expect(try Self.lists(first) == Self.lists(uncached))

        // A rating makes the user's loaded list stale: both recommenders rank the new history the same way.
        let userId = catalog.userIds[5]
        let u = try #require(restarted.userIndex(id: userId))
        let before = try restarted.recommend(userId: userId, n: 10).items.map(\.movie)
        let latest = restarted.ratings(user: u).map(\.timestamp).max() ?? 0
        for r in [restarted, uncached] {
            r.apply(userId: userId, movie: Int(before[0]), rating: 5, timestamp: latest + 60)
        }
        let after = try restarted.recommend(userId: userId, n: 10).items.map(\.movie)
        #expect(!after.contains(before[0]), "the rated movie is gone: the list was ranked again")
        #expect(after == (try uncached.recommend(userId: userId, n: 10).items.map(\.movie)))

        // A re-rating leaves the number of ratings as it was, and still makes the cached list stale: the user's latest
        // liked movie rated 0.5 instead.
        let liked = try #require(restarted.ratings(user: u).last { $0.score >= 4 && Int($0.movie) != Int(before[0]) })
        let version = restarted.historyVersion(user: u)
        for r in [restarted, uncached] {
            #expect(
                r.apply(userId: userId, movie: Int(liked.movie), rating: 0.5, timestamp: latest + 120).outcome
                    == .replaced)
        }
        #expect(restarted.historyVersion(user: u) == version + 1)
        #expect(restarted.live.withCaches { $0.ranked[u]?.version } == version, "cached for the history before")
        let replaced = try restarted.recommend(userId: userId, n: 10).items.map(\.movie)
        #expect(restarted.live.withCaches { $0.ranked[u]?.version } == version + 1, "ranked again")
        #expect(replaced == (try uncached.recommend(userId: userId, n: 10).items.map(\.movie)))
    }

    @Test("lists of another model are ignored; a damaged file is refused and every user is ranked on request")
    func staleOrDamaged() throws {
        let artifacts = try EngineFixture.copyOfArtifacts()
        defer { try? FileManager.default.removeItem(atPath: artifacts) }
        let catalog = EngineFixture.data.catalog
        let builder = ArtifactBuilder(root: artifacts)
        _ = try builder.recommender(catalog: catalog, precomputeLists: true) { _ in }
        let modelFile = artifacts + "/next-item/model.json"
        let file = artifacts + "/next-item/" + ArtifactBuilder.rankedListsFile
        // Another model (its description differs by a byte): the lists are not used.
        let original = try Data(contentsOf: URL(fileURLWithPath: modelFile))
        try (original + Data(" ".utf8)).write(to: URL(fileURLWithPath: modelFile))
        let other = try builder.recommender(catalog: catalog) { _ in }
        #expect(other.live.withCaches { $0.ranked.isEmpty })
        #expect(try other.loadRankedLists(from: file, modelFile: modelFile) == nil)
        try original.write(to: URL(fileURLWithPath: modelFile))
        // A damaged file: refused with its path, the server still serves.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count / 2] ^= 0x5a
        try bytes.write(to: URL(fileURLWithPath: file))
        var lines: [String] = []
        let damaged = try builder.recommender(catalog: catalog) { lines.append($0) }
        #expect(lines.contains { $0.contains("next-item lists refused") && $0.contains(file) }, "\(lines)")
        #expect(damaged.live.withCaches { $0.ranked.isEmpty })
        #expect(try !damaged.recommend(userId: catalog.userIds[0], n: 10).items.isEmpty)
    }
}
