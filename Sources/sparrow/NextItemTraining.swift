import Foundation
import SparrowCore
import SparrowEval
import SparrowModels

/// `sparrow train ease|ranker --data DIR`: EASE alone, or the whole next-item model (EASE, item-to-item, transitions
/// and the listwise ranker trained to pick), fitted on the leave-last-out training data, evaluated on the held-out
/// movies (HR@10, NDCG@10, full ranking) and saved.
enum NextItemTraining {
    static func run(model: String, catalog: Catalog, out: String, lambda: Float) throws {
        let topK = TopKProtocol(catalog: catalog)
        let training = topK.split.trainingCatalog(catalog)
        let data = NextItemModel.histories(training)
        let histories = data.histories
        let start = ProcessStats.now()
        if model == "ease" {
            let matrix = InteractionMatrix(
                users: histories.count, items: catalog.movies.count,
                interactions: histories.enumerated().map { ($0, $1.movies) })
            let ease = try EASE.fit(matrix, lambda: lambda)
            let seconds = ProcessStats.now() - start
            let metrics = topK.evaluate { ease.scores(histories[$0].movies.map { ($0, 1) }) }
            let recent = topK.evaluate { ease.scores(histories[$0].recencyWeights(decay: 0.9)) }
            print(
                String(
                    format: "ease: λ %.0f, %d movies, fit %.2f s on %d rated movies", lambda, ease.items.count,
                    seconds, matrix.count))
            print("  leave-last-out (\(metrics.users) users): \(metrics.line)")
            print("  with recency weights 0.9 per earlier second: \(recent.line)")
            try FileManager.default.createDirectory(atPath: out + "/ease", withIntermediateDirectories: true)
            try ArrayArchive.write(
                [.float([lambda]), .int32(ease.items), .float(ease.weights)], to: out + "/ease/ease.bin")
            print("wrote \(out)/ease/ease.bin")
            return
        }
        var config = NextItemSignals.Config()
        config.lambda = lambda
        let next = try NextItemModel.train(data, config: config) { print("  " + $0) }
        let seconds = ProcessStats.now() - start
        let metrics = topK.evaluate { next.catalogScores(histories[$0]) }
        print(String(format: "ranker: fit %.2f s; leave-last-out (%d users): %@", seconds, metrics.users, metrics.line))
        try next.save(to: out + "/next-item")
        print("wrote \(out)/next-item (model.json, arrays.bin)")
    }

    /// `sparrow train sasrec`: SASRec on the leave-last-out training histories, evaluated on the held-out movies;
    /// with `patience`, stopped early on each training history's last liked movie (held out of its training).
    static func sasrec(catalog: Catalog, out: String, config: SASRec.Config, patience: Int? = nil) throws {
        let topK = TopKProtocol(catalog: catalog)
        let histories = NextItemModel.histories(topK.split.trainingCatalog(catalog)).histories
        let start = ProcessStats.now()
        let model = SASRec.fit(
            histories: histories, catalogSize: catalog.movies.count, config: config, patience: patience
        ) { print("  " + $0) }
        let seconds = ProcessStats.now() - start
        let metrics = topK.evaluate { model.scores(histories[$0]) }
        print(String(format: "sasrec: fit %.2f s; leave-last-out (%d users): %@", seconds, metrics.users, metrics.line))
        try model.save(to: out + "/sasrec")
        print("wrote \(out)/sasrec (model.json, weights.bin)")
    }
}
