import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowEmbedding
import SparrowEval
import SparrowModels

/// `sparrow train als|bpr|mf`: collaborative filtering on the ratings, evaluated on the leave-last-out top-K
/// protocol (ALS, BPR) or by RMSE on a random 80/20 split (mf), with factors saved for recall.
enum CollaborativeTraining {
    static func run(
        method: String, catalog: Catalog, out: String, factors: Int, iterations: Int?, seed: UInt64,
        confidence: Float = 2, regularization: Float? = nil, learningRate: Float? = nil
    ) throws {
        if method == "mf" {
            try explicitMF(catalog: catalog, factors: factors, seed: seed)
            return
        }
        let protocolSplit = TopKProtocol(catalog: catalog)
        let start = ProcessStats.now()
        let model: FactorModel
        switch method {
        case "als":
            var als = ImplicitALS()
            als.factors = factors
            als.seed = seed
            als.confidence = confidence
            if let regularization { als.regularization = regularization }
            if let iterations { als.iterations = iterations }
            model = als.fit(protocolSplit.matrix)
        case "bpr":
            var bpr = BPR()
            bpr.factors = factors
            bpr.seed = seed
            if let regularization { bpr.regularization = regularization }
            if let learningRate { bpr.learningRate = learningRate }
            if let iterations { bpr.iterations = iterations }
            model = bpr.fit(protocolSplit.matrix)
        default:
            throw CLIError("unknown collaborative method '\(method)'")
        }
        let seconds = ProcessStats.now() - start
        let metrics = protocolSplit.evaluate { model.scores(user: $0) }
        print(
            String(
                format: "%@: %d factors, fit %.2f s on %d interactions; leave-last-out (%d users): %@", method,
                factors, seconds, protocolSplit.matrix.count, metrics.users, metrics.line))
        // Factors for recall, in the embedding formats (movie ids, user ids).
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let movieSet = EmbeddingSet(ids: catalog.movies.map(\.id), dimension: factors, vectors: model.itemFactors)
        let userSet = EmbeddingSet(ids: catalog.userIds, dimension: factors, vectors: model.userFactors)
        try movieSet.writeBinary(to: out + "/\(method)-movies.bin")
        try userSet.writeBinary(to: out + "/\(method)-users.bin")
        print("wrote \(out)/\(method)-movies.bin and \(out)/\(method)-users.bin")
    }

    static func explicitMF(catalog: Catalog, factors: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var train: [(user: Int32, item: Int32, rating: Float)] = []
        var test: [(user: Int32, item: Int32, rating: Float)] = []
        let r = catalog.ratings
        for i in 0..<r.count {
            let row = (r.user[i], r.movie[i], r.rating[i])
            if rng.nextUnit() < 0.2 { test.append(row) } else { train.append(row) }
        }
        var mf = ExplicitMF()
        mf.factors = factors
        mf.seed = seed
        let start = ProcessStats.now()
        let predict = mf.fit(users: catalog.userIds.count, items: catalog.movies.count, ratings: train)
        let seconds = ProcessStats.now() - start
        let predicted = test.map { predict(Int($0.user), Int($0.item)) }
        let actual = test.map(\.rating)
        let mean = train.reduce(Float(0)) { $0 + $1.rating } / Float(train.count)
        print(
            String(
                format:
                    "mf: %d factors, fit %.2f s; random 80/20 split: RMSE %.4f  MAE %.4f (global-mean baseline RMSE %.4f)",
                factors, seconds, RatingError.rmse(predicted, actual), RatingError.mae(predicted, actual),
                RatingError.rmse([Float](repeating: mean, count: actual.count), actual)))
    }
}
