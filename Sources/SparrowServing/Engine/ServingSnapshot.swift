import SparrowCore
import SparrowEmbedding
import SparrowModels

/// Everything a request reads that events do not change: the catalogue and its indexes, the loaded ranking models,
/// the movie vectors and their search structures, the next-item model and its version, the settings.
///
/// A value. The engine replaces it whole (`Recommender`, under its write lock) on a model reload, a promotion, a
/// catalogue change or new settings; a request reads one snapshot and sees one consistent engine from start to end.
public struct ServingSnapshot: Sendable {
    /// The catalogue and what is derived from it per movie.
    var catalogue: CatalogState
    /// The ranking models loaded (every version).
    public internal(set) var models: ServingModels.Set
    /// Movie vectors for recall and similarity, by method (`item2vec`, `deepwalk`, `node2vec`), unit length.
    public let movieVectors: [EmbeddingMethod: EmbeddingSet]
    /// The movie vectors laid out by catalogue index, for exact search.
    let matrices: [EmbeddingMethod: MovieMatrix]
    /// Approximate search over the item2vec vectors (the `emb` recall channel).
    let lsh: LSHIndex?
    /// Item-to-item search over the item2vec vectors (each seed's neighbours memoised).
    let itemToItem: NeighbourIndex?
    /// The next-item model (the default served model, `ranker`) and its version (0: `next-item/`).
    public internal(set) var nextItem: (model: NextItemModel?, version: Int)
    /// The most rated movies at start-up, most first (the `popular` channel).
    public let popular: [Int32]
    /// Mean of every rating at start-up (the Bayesian averages' prior).
    public let priorMean: Double
    /// The largest rating count of a movie at start-up.
    public let maxRatingCount: Int
    /// Recall and re-rank settings.
    public internal(set) var settings: RecommendationSettings

    /// The catalogue.
    public var catalog: Catalog { catalogue.catalog }

    /// 1 for each movie index in `seen`, over the whole catalogue (the skip mask of a search).
    public func seenMask<S: Sequence<Int32>>(_ seen: S) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: catalogue.catalog.movies.count)
        for m in seen { mask[Int(m)] = 1 }
        return mask
    }

    /// The names `recommend(model:)` accepts: `emb`, the next-item ranker when loaded, each loaded CTR model.
    public var rankingModelNames: [String] {
        ["emb"] + (nextItem.model == nil ? [] : [NextItemModel.servedName]) + models.available.keys.sorted()
    }

    /// The recall channels of `settings`, in priority order: item-to-item, embedding (LSH), Two-Tower (when loaded),
    /// genre, fresh, popular.
    public func channels(_ settings: RecommendationSettings) -> [any RecallChannel] {
        var out: [any RecallChannel] = []
        if let itemToItem {
            out.append(
                ItemToItemChannel(
                    neighbours: itemToItem, seeds: settings.itemToItemSeeds, perMovie: settings.itemToItemPerMovie))
        }
        if let lsh { out.append(EmbeddingChannel(index: lsh, catalog: catalogue.catalog, quota: settings.annQuota)) }
        if let tower = models.model("two-tower") {
            out.append(TwoTowerChannel(model: tower, quota: settings.twoTowerQuota))
        }
        out.append(GenreChannel(ranking: catalogue.genreRanking, perGenre: settings.genrePerGenre))
        out.append(FreshChannel(movies: catalogue.fresh, quota: settings.freshQuota))
        out.append(PopularChannel(movies: popular, quota: settings.popularQuota))
        return out
    }

    /// The re-ranker of `settings` with MMR trade-off `lambda`.
    public func reranker(_ settings: RecommendationSettings, lambda: Double) -> Reranker {
        Reranker(
            lambda: lambda, freshnessBonus: settings.freshnessBonus, freshnessYears: settings.freshnessYears,
            years: catalogue.years, genreMasks: catalogue.genreMasks)
    }

    /// The pipeline of a request: the settings' channels, the named ranker (`emb`, a loaded CTR model, or the
    /// popularity ranker for a user without history) and the settings' re-ranker.
    public func pipeline(model name: String, hasHistory: Bool, now: Int64) throws -> RecommendationPipeline {
        let ranker: any Ranker
        var lambda = settings.diversityLambda
        if !hasHistory {
            ranker = PopularityRanker()
            lambda = settings.coldStartDiversityLambda
        } else if name == "emb" {
            ranker = EmbeddingRanker(vectors: movieVectors[.item2vec], catalog: catalogue.catalog)
        } else if let loaded = models.model(name) {
            ranker = CTRRanker(
                name: name, model: loaded, popularityExponent: settings.popularityExponent, now: now)
        } else {
            throw EngineError.unknownModel(name, available: rankingModelNames)
        }
        return RecommendationPipeline(
            channels: channels(settings), maxCandidates: settings.maxCandidates, ranker: ranker,
            reranker: reranker(settings, lambda: lambda), catalogSize: catalogue.catalog.movies.count)
    }
}
