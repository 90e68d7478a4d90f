import Foundation

extension NextItemModel {
    /// What `model.json` holds; the arrays are in `arrays.bin` (an `ArrayArchive`).
    struct Description: Codable {
        var format = 3
        var catalogSize: Int
        var config: NextItemSignals.Config
        var ranker: ListwiseRanker
        /// The catalogue's size when the model covers part of it (`MovieVocabulary`; its movies are the archive's
        /// last array); nil for a model of the whole catalogue.
        var vocabularyOf: Int?
    }

    /// Writes `model.json` and `arrays.bin` into `directory` (created if missing).
    public func save(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let e = signals.ease
        let n = signals.neighbours.rows
        let t = signals.transitions.rows
        try ArrayArchive.write(
            [
                .float([e.lambda]), .int32(e.items), .float(e.weights),
                .int64(n.start.map(Int64.init)), .int32(n.targets), .float(n.values),
                .int64(t.start.map(Int64.init)), .int32(t.targets), .float(t.values),
                .float(signals.logPopularity),
                .float([Float(signals.als.factors), signals.als.confidence, signals.als.regularization]),
                .float(signals.als.itemFactors), .int64(signals.genres.map { Int64(bitPattern: $0) }),
                .int64(signals.timeline.start.map(Int64.init)), .int32(signals.timeline.days),
                .int32(signals.timeline.rated), .int32(signals.timeline.liked), .float([signals.timeline.likedShare]),
            ] + (vocabulary.map { [.int32($0.movies)] } ?? []), to: directory + "/arrays.bin")
        if let sasrec = signals.sasrec {
            try sasrec.save(to: directory + "/sasrec")
        } else if FileManager.default.fileExists(atPath: directory + "/sasrec") {
            try FileManager.default.removeItem(atPath: directory + "/sasrec")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let description = Description(
            catalogSize: e.catalogSize, config: signals.config, ranker: ranker, vocabularyOf: vocabulary?.catalogSize)
        try encoder.encode(description).write(to: URL(fileURLWithPath: directory + "/model.json"), options: .atomic)
    }

    /// Loads a model written by `save(to:)`, checking every array against the catalog size.
    public static func load(from directory: String) throws -> NextItemModel {
        let json = directory + "/model.json"
        guard let data = FileManager.default.contents(atPath: json) else {
            throw ArrayArchive.ReadError(path: json, reason: "cannot read the file")
        }
        let d = try JSONDecoder().decode(Description.self, from: data)
        let arrays = try ArrayArchive.read(directory + "/arrays.bin")
        func fail(_ reason: String) -> Error { ArrayArchive.ReadError(path: directory + "/arrays.bin", reason: reason) }
        guard d.format == 3, arrays.count == (d.vocabularyOf == nil ? 18 : 19),
            case .float(let lambda) = arrays[0], case .int32(let items) = arrays[1],
            case .float(let weights) = arrays[2],
            case .int64(let nStart) = arrays[3], case .int32(let nTargets) = arrays[4],
            case .float(let nSimilarities) = arrays[5], case .int64(let tStart) = arrays[6],
            case .int32(let tTargets) = arrays[7], case .float(let tProbabilities) = arrays[8],
            case .float(let popularity) = arrays[9], case .float(let alsSettings) = arrays[10],
            case .float(let itemFactors) = arrays[11], case .int64(let genres) = arrays[12], alsSettings.count == 3,
            alsSettings[0] >= 1, case .int64(let dStart) = arrays[13], case .int32(let days) = arrays[14],
            case .int32(let rated) = arrays[15], case .int32(let liked) = arrays[16],
            case .float(let likedShare) = arrays[17], likedShare.count == 1
        else { throw fail("unexpected arrays (written by another version? the next-item model is retrained)") }
        let size = d.catalogSize
        guard d.ranker.width == NextItemSignals.featureCount else {
            throw fail(
                "the ranker reads \(d.ranker.width) feature columns, this version writes \(NextItemSignals.featureCount) "
                    + "(written by another version? the next-item model is retrained)")
        }
        guard lambda.count == 1, weights.count == items.count * items.count,
            items.allSatisfy({ $0 >= 0 && Int($0) < size }), nStart.count == size + 1, tStart.count == size + 1,
            nTargets.count == nSimilarities.count, tTargets.count == tProbabilities.count, popularity.count == size,
            nStart.last.map(Int.init) == nTargets.count, tStart.last.map(Int.init) == tTargets.count,
            (nTargets + tTargets).allSatisfy({ $0 >= 0 && Int($0) < size }),
            itemFactors.count == size * Int(alsSettings[0]),
            genres.count == size, dStart.count == size + 1, dStart.first == 0, dStart.last.map(Int.init) == days.count,
            zip(dStart, dStart.dropFirst()).allSatisfy({ $0 <= $1 }), rated.count == days.count,
            liked.count == days.count
        else { throw fail("arrays do not match a catalog of \(size) movies") }
        var vocabulary: MovieVocabulary?
        if let catalogSize = d.vocabularyOf {
            guard case .int32(let movies) = arrays[18], movies.count == size, movies.allSatisfy({ $0 >= 0 }),
                movies.last.map({ Int($0) < catalogSize }) ?? true,
                zip(movies, movies.dropFirst()).allSatisfy({ $0 < $1 })
            else { throw fail("the vocabulary does not match \(size) movies of a catalogue of \(catalogSize)") }
            vocabulary = MovieVocabulary(movies: movies, catalogSize: catalogSize)
        }
        if let s = d.config.sasrec, !FileManager.default.fileExists(atPath: directory + "/sasrec/model.json") {
            throw fail("the SASRec signal (\(s.epochs) epochs) is configured but \(directory)/sasrec is missing")
        }
        let signals = NextItemSignals(
            config: d.config, ease: EASE(lambda: lambda[0], catalogSize: size, items: items, weights: weights),
            neighbours: ItemNeighbours(
                rows: SparseItemRows(
                    catalogSize: size, start: nStart.map(Int.init), targets: nTargets, values: nSimilarities)),
            transitions: TransitionModel(
                rows: SparseItemRows(
                    catalogSize: size, start: tStart.map(Int.init), targets: tTargets, values: tProbabilities)),
            als: ALSFoldIn(
                factors: Int(alsSettings[0]), itemFactors: itemFactors, confidence: alsSettings[1],
                regularization: alsSettings[2]),
            sasrec: try d.config.sasrec.map { _ in try SASRec.load(from: directory + "/sasrec") },
            logPopularity: popularity, genres: genres.map { UInt64(bitPattern: $0) },
            timeline: MovieTimeline(
                catalogSize: size, start: dStart.map(Int.init), days: days, rated: rated, liked: liked,
                likedShare: likedShare[0]))
        return NextItemModel(signals: signals, ranker: d.ranker, vocabulary: vocabulary)
    }
}
