import Foundation
import SparrowCore
import SparrowFeatures
import SparrowModels
import Testing

@testable import SparrowOffline
@testable import SparrowServing

@Suite("The offline build's bounds")
struct ArtifactBudgetTests {
    @Test("sample rows, embedding epochs, SASRec targets and list users are bounded, and the build still serves")
    func boundedBuild() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-budget-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try SyntheticDataset(users: 60, movies: 120, ratings: 3000, seed: 9).write(to: base + "/data")
        let catalog = try MovieLensReader.load(directory: base + "/data")
        var builder = ArtifactBuilder(root: base + "/artifacts")
        builder.embedding.epochs = 5
        builder.models = [.neuralCF]
        builder.maxSampleRows = 400
        builder.embeddingWords = 1_000
        builder.nextItemBudget.sasrecTokens = 500
        builder.nextItemBudget.listUsers = 10
        var lines: [String] = []
        _ = try builder.prepare(catalog: catalog) { lines.append($0) }
        let log = lines.joined(separator: "\n")
        #expect(log.contains("trained neuralcf on 400 samples"), "\(log)")
        #expect(log.contains("item2vec embeddings") && log.contains("× 1 epochs"), "over 1,000 words: one epoch")
        #expect(log.contains("(the budget of 500 targets)"), "\(log)")
        let lists = try #require(lines.first { $0.contains("training lists") })
        #expect(lists.contains(" of 10 cases)"), "ten users' lists: \(lists)")
        let recommender = try builder.recommender(catalog: catalog) { _ in }
        #expect(try !recommender.recommend(userId: catalog.userIds[0], n: 10).items.isEmpty)
    }

}
