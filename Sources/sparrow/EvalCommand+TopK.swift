import Foundation
import SparrowCore
import SparrowEmbedding
import SparrowEval
import SparrowModels
import SparrowServer
import SparrowOffline
import SparrowServing

extension EvalCommand {
    /// The top-K stages on one hold-out split: the single models (popularity, ItemKNN, ALS, BPR, EASE, SASRec,
    /// item2vec) and the served pipeline rebuilt on the split's training data.
    static func topKStages(
        catalog: Catalog, protocol topK: TopKProtocol, builder: ArtifactBuilder, report: inout EvaluationReport,
        stage: inout StageTimer
    ) throws {
        let firstSingle = report.topK.count
        try stage.run("top-K protocol") {
            func add(_ method: String, _ fit: Double?, _ reference: String?, _ scorer: (Int) -> [Float]) {
                let m = topK.evaluate(what: "\(method): users ranked", log: { print("  " + $0) }, scorer)
                // The reference numbers are leave-last-out ones on ml-latest-small: not shown beside another protocol.
                let reference = topK.split.kind == .leaveLastOut ? reference : nil
                report.topK.append(
                    EvaluationReport.TopKEntry(method: method, metrics: m, fitSeconds: fit, reference: reference))
                print(SingleModels.line(method, m, fitSeconds: fit, reference: reference))
            }
            let budget = builder.nextItemBudget
            SingleModels.baselines(topK, log: { print("  " + $0) }) {
                add($0.name, $0.fitSeconds, $0.reference, $0.scorer)
            }
            var start = ProcessStats.now()
            let training = topK.split.trainingCatalog(catalog)
            // EASE and SASRec read every rated movie (the reference implementations' input), the held-out one removed.
            let watched = NextItemModel.histories(training).histories
            start = ProcessStats.now()
            let ease = try EASE.fit(
                gram: GramMatrix(
                    InteractionMatrix(
                        users: watched.count, items: catalog.movies.count,
                        interactions: watched.enumerated().map { ($0, $1.movies) }),
                    maxItems: budget.easeMovies, maxPairs: budget.gramPairs),
                catalogSize: catalog.movies.count, lambda: EvalCommand.easeLambda)
            add("ease", ProcessStats.now() - start, SingleModels.references["ease"]) {
                ease.scores(watched[$0].movies.map { ($0, 1) })
            }
            start = ProcessStats.now()
            let sasrec = SASRec.fit(
                histories: watched, catalogSize: catalog.movies.count,
                config: budget.sasrec(SASRec.Config(), classes: catalog.movies.count), maxTokens: budget.sasrecTokens)
            add("sasrec", ProcessStats.now() - start, SingleModels.references["sasrec"]) {
                sasrec.scores(watched[$0])
            }
            let item2vec = SingleModels.item2vecRecall(topK, catalog: catalog, config: builder.embedding)
            add(item2vec.name, item2vec.fitSeconds, item2vec.reference, item2vec.scorer)
        }
        let singles = firstSingle..<report.topK.count
        try stage.run("served pipeline (\(topK.split.kind.rawValue))") {
            let work = builder.root + "/" + topK.split.kind.rawValue
            for e in try PipelineEvaluation.run(
                catalog: catalog, split: topK.split, workDirectory: work,
                models: ["embedding-mlp", "neuralcf", "two-tower", "emb"],
                popularityExponents: [0, 1], log: { print("  " + $0) })
            {
                report.topK.append(
                    EvaluationReport.TopKEntry(
                        method: e.name + (e.meanCandidates.map { String(format: " (%.0f candidates)", $0) } ?? ""),
                        metrics: e.metrics, fitSeconds: nil, reference: nil))
                print(
                    "  \(e.name): "
                        + (e.meanCandidates == nil
                            ? e.metrics.line
                            : String(
                                format: "held-out movie among the candidates for %.4f of users (%.0f candidates)",
                                e.metrics.hitRate, e.meanCandidates!)))
            }
        }
        // Each single model against the served list, user by user: how many users only one of them hits.
        if let served = report.topK.first(where: { $0.method == "served (default)" })?.metrics.hits {
            for i in singles where report.topK[i].metrics.hits.count == served.count {
                let comparison = PairedComparison(served, report.topK[i].metrics.hits)
                report.topK[i].versusServed = comparison
                print("  served (default) against \(report.topK[i].method): \(comparison.line)")
            }
        }
    }
}
