import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowEmbedding

/// `sparrow embed item2vec|deepwalk|node2vec`: train movie vectors, derive user vectors, build the LSH index.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Train Item2vec, DeepWalk or Node2vec movie embeddings, user vectors and an LSH index.")

    @Argument(help: "item2vec, deepwalk or node2vec.") var method: EmbeddingMethod
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Output folder.") var out = "artifacts/embeddings"
    @OptionGroup var skipGram: SkipGramOptions
    @Option(help: "Random walks (deepwalk, node2vec).") var walks = 20_000
    @Option(help: "Walk length.") var walkLength = 10
    @Option(help: "Node2vec return parameter p.") var p = 1.0
    @Option(help: "Node2vec in-out parameter q.") var q = 1.0
    @Flag(help: "Also run the leave-last-out protocol (HR@10, genre kNN, LSH recall).") var evaluate = false
    @Option(help: "Append the evaluation to this file.") var benchOut: String?

    var config: SkipGramConfig { skipGram.config }

    /// The method's training sentences from item sequences.
    func sentences(_ sequences: [[Int32]]) throws -> [[Int32]] {
        var w = EmbeddingMethod.Walks()
        w.count = walks
        w.length = walkLength
        w.p = p
        w.q = q
        w.seed = skipGram.seed
        return method.sentences(from: sequences, walks: w)
    }

    func run() throws {
        let catalog = try dataOptions.load()
        let sequences = ItemSequences.positives(catalog)
        let result = SkipGram(config: config).train(try sentences(sequences))
        let movies = result.embeddings
        print(
            String(
                format: "%@: %d movie vectors (dim %d) from %d tokens × %d epochs in %.2f s = %.0f k words/s",
                method.rawValue, movies.count, config.dimension, result.corpusWords, config.epochs, result.seconds,
                result.wordsPerSecond / 1000))
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let name = method == .item2vec ? "item2vecEmb" : method == .deepwalk ? "itemGraphEmb" : "node2vecEmb"
        try movies.writeText(to: out + "/\(name).csv")
        try movies.writeBinary(to: out + "/\(name).bin")
        let userSequences = (0..<catalog.userIds.count).map { u in
            (
                catalog.userIds[u],
                catalog.ratingsOfUser(u).compactMap { row -> Int32? in
                    catalog.ratings.rating[Int(row)] >= likedThreshold
                        ? catalog.movies[Int(catalog.ratings.movie[Int(row)])].id : nil
                }
            )
        }
        let users = EmbeddingSet.users(sequences: userSequences, movieVectors: movies)
        let userName = method == .item2vec ? "userEmb" : "userEmb-\(method.rawValue)"
        try users.writeText(to: out + "/\(userName).csv")
        try users.writeBinary(to: out + "/\(userName).bin")
        let index = LSHIndex(movies, seed: skipGram.seed)
        try index.save(to: out + "/lsh-\(method)")
        print(
            "wrote \(out)/\(name).csv|.bin, \(out)/\(userName).csv|.bin (\(users.count) users), \(out)/lsh-\(method)/")
        if evaluate { try runEvaluation(catalog) }
    }

    func runEvaluation(_ catalog: Catalog) throws {
        let quality = EmbeddingQuality(catalog: catalog)
        let result = SkipGram(config: config).train(try sentences(quality.corpus))
        let (hr, ndcg) = quality.hitRate(result.embeddings)
        let genre = EmbeddingQuality.genreAccuracy(result.embeddings, catalog: catalog)
        var lines = [
            String(
                format:
                    "%@ dim %d window %d epochs %d negatives %d threads %d: leave-last-out on %d users (%d corpus tokens): HR@10 %.4f  NDCG@10 %.4f  genre-kNN %.4f  train %.2f s  %.0f k words/s",
                method.rawValue, config.dimension, config.window, config.epochs, config.negatives, config.threads,
                quality.cases.count, quality.corpusWords, hr,
                ndcg, genre,
                result.seconds, result.wordsPerSecond / 1000)
        ]
        for (multiProbe, perTable) in [(false, 1), (true, 1), (false, 2), (true, 2)] {
            let index = LSHIndex(
                result.embeddings, bucketLength: 0.1, tables: 3, projectionsPerTable: perTable,
                multiProbe: multiProbe, seed: skipGram.seed)
            let r = EmbeddingQuality.lshRecall(index)
            lines.append(
                String(
                    format:
                        "  LSH bucket 0.1, 3 tables, %d projection(s)/table%@: recall@10 %.4f, %.0f candidates scanned, query %.1f µs (exact %.1f µs over %d movies)",
                    perTable, multiProbe ? ", multi-probe" : "", r.recall, r.examined, r.lshMicros, r.exactMicros,
                    result.embeddings.count))
        }
        let text = lines.joined(separator: "\n")
        print(text)
        try appendResult(benchOut, text)
    }
}

/// `sparrow similar <movieId>`: the nearest movies by an embedding file.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similar", abstract: "Movies most similar to a movie.")
    @Argument(help: "Movie id.") var movieId: Int32
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Embedding file (.csv text or .bin).") var embeddings = "artifacts/embeddings/item2vecEmb.bin"
    @Option(help: "How many.") var n = 10

    func run() throws {
        let catalog = try dataOptions.load()
        let set =
            embeddings.hasSuffix(".bin")
            ? try EmbeddingSet.readBinary(path: embeddings)
            : try EmbeddingSet.parse(text: String(contentsOfFile: embeddings, encoding: .utf8), file: embeddings)
        guard let movie = catalog.movie(id: movieId) else { throw CLIError("movie \(movieId) is not in the catalog") }
        guard let v = set.vector(movieId) else {
            throw CLIError(
                "movie \(movieId) (\(movie.title)) has no vector in \(embeddings) (too few ratings for min-count)")
        }
        print("\(movieId) \(movie.title) (\(movie.year.map(String.init) ?? "?"))")
        for r in ExactSearch(set).search(Array(v), k: n, excluding: [movieId]) {
            let m = catalog.movie(id: r.id)
            let genres = m?.genres.map { catalog.genres[Int($0)] }.joined(separator: "|") ?? ""
            print(
                String(
                    format: "  %.4f  %6d  %@ (%@)  %@", r.score, r.id, m?.title ?? "?", m?.year.map(String.init) ?? "?",
                    genres))
        }
    }
}
