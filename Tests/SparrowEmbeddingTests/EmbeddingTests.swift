import Foundation
import SparrowCore
import Testing

@testable import SparrowEmbedding

@Suite("Sampling and walks")
struct WalkTests {
    @Test("the alias sampler matches its distribution (chi-square, 5 degrees of freedom)")
    func aliasChiSquare() {
        let weights: [Double] = [1, 2, 3, 4, 10, 0.5]
        let table = AliasTable(weights: weights)
        var rng = SeededGenerator(seed: 3)
        let n = 200_000
        var counts = [Int](repeating: 0, count: weights.count)
        for _ in 0..<n { counts[table.sample(&rng)] += 1 }
        let total = weights.reduce(0, +)
        let chi2 = zip(counts, weights).reduce(0.0) { acc, cw in
            let expected = Double(n) * cw.1 / total
            return acc + (Double(cw.0) - expected) * (Double(cw.0) - expected) / expected
        }
        #expect(chi2 < 20.5)  // p = 0.001 critical value for 5 dof
        #expect(AliasTable(weights: [0, 1]).probability.count == 2)
    }

    /// A toy graph: 1→2 (weight 3), 1→3 (weight 1), 2→1, 2→3, 3→1, 3→4, 4→1.
    let sequences: [[Int32]] = [[1, 2, 1, 2, 1, 2, 1, 3], [2, 3, 4, 1], [3, 1, 2, 1], [2, 1]]

    @Test("walks follow only existing edges, with weighted first steps")
    func deepWalk() {
        let graph = TransitionGraph(sequences: sequences)
        let ids = graph.nodes
        func has(_ a: Int32, _ b: Int32) -> Bool {
            graph.hasEdge(Int32(ids.firstIndex(of: a)!), Int32(ids.firstIndex(of: b)!))
        }
        #expect(has(1, 2) && has(1, 3) && has(3, 4) && !has(4, 3) && !has(1, 4))
        var fromOne = [Int32: Int]()
        for walk in graph.deepWalks(count: 4000, length: 6, seed: 1) {
            for (a, b) in zip(walk, walk.dropFirst()) {
                #expect(has(a, b), "walk stepped along a missing edge \(a)→\(b)")
                if a == 1 { fromOne[b, default: 0] += 1 }
            }
        }
        // 1→2 was seen 5 times and 1→3 once... in pairs: count (1,2) = 5, (1,3) = 1 → ratio ≈ 5.
        let ratio = Double(fromOne[2]!) / Double(fromOne[3]!)
        #expect(ratio > 4 && ratio < 6.5)
    }

    @Test("node2vec's p and q steer returns and outward moves")
    func node2vec() {
        let graph = TransitionGraph(sequences: sequences)
        func returnRate(p: Double, q: Double) -> Double {
            var returns = 0
            var steps = 0
            for walk in graph.node2vecWalks(count: 3000, length: 8, p: p, q: q, seed: 2) where walk.count >= 3 {
                for i in 2..<walk.count {
                    steps += 1
                    if walk[i] == walk[i - 2] { returns += 1 }
                }
            }
            return Double(returns) / Double(steps)
        }
        let eager = returnRate(p: 0.1, q: 1)
        let reluctant = returnRate(p: 10, q: 1)
        #expect(eager > reluctant + 0.2, "p=0.1 returns \(eager), p=10 returns \(reluctant)")
    }
}

@Suite("Skip-gram, vectors, search")
struct SkipGramTests {
    @Test("skip-gram puts co-occurring items closest")
    func toyCorpus() {
        // Two communities: 1…5 always appear together, 11…15 together.
        var rng = SeededGenerator(seed: 4)
        var corpus: [[Int32]] = []
        for _ in 0..<400 {
            let base: Int32 = rng.nextInt(below: 2) == 0 ? 1 : 11
            corpus.append((0..<8).map { _ in base + Int32(rng.nextInt(below: 5)) })
        }
        var config = SkipGramConfig()
        config.dimension = 8
        config.minCount = 1
        config.sample = 0
        config.epochs = 5
        let result = SkipGram(config: config).train(corpus)
        let search = ExactSearch(result.embeddings)
        for id: Int32 in [1, 3, 12, 15] {
            let neighbours = search.search(Array(result.embeddings.vector(id)!), k: 4, excluding: [id]).map(\.id)
            let community = id < 10 ? Set<Int32>(1...5) : Set<Int32>(11...15)
            #expect(Set(neighbours).isSubset(of: community), "\(id): \(neighbours)")
        }
        // One thread is deterministic for a seed.
        #expect(SkipGram(config: config).train(corpus).embeddings == result.embeddings)
    }

    @Test("incremental user vectors equal the batch mean; decay weights recent movies more")
    func userVectors() {
        var state = UserVectorState(dimension: 2)
        #expect(state.vector == nil)
        state.add([1, 0])
        state.add([0, 1])
        state.add([2, 2])
        #expect(state.vector == [1, 1])
        var recent = UserVectorState(dimension: 1, decay: 0.5)
        recent.add([0])
        recent.add([3])
        #expect(recent.vector == [2])  // (0·0.5 + 3) / (0.5 + 1)
    }

    @Test("rows of a table folded in at once equal one add per row, bit for bit, with and without decay")
    func userVectorRows() {
        var rng = SeededGenerator(seed: 21)
        let width = 33  // not a multiple of a vector register
        let table = (0..<(50 * width)).map { _ in Float(rng.nextInt(below: 2_001)) / 997 - 1 }
        let rows = (0..<40).map { _ in Int32(rng.nextInt(below: 50)) }
        for decay: Float in [1, 0.9, 0.37] {
            var one = UserVectorState(dimension: width, decay: decay)
            for r in rows { one.add(table[Int(r) * width..<(Int(r) + 1) * width]) }
            var all = UserVectorState(dimension: width, decay: decay)
            rows.withUnsafeBufferPointer { rp in table.withUnsafeBufferPointer { all.add(rows: rp, of: $0) } }
            #expect(all.sum.map(\.bitPattern) == one.sum.map(\.bitPattern), "decay \(decay)")
            #expect(all.weight == one.weight && all == one)
        }
    }

    @Test("top-k selection equals a full sort, ties by id")
    func topK() {
        var rng = SeededGenerator(seed: 9)
        let scores = (0..<500).map { _ in Float(rng.nextInt(below: 50)) }
        var top = TopK(k: 10)
        for (i, s) in scores.enumerated() { top.offer(Int32(i), score: s) }
        let expected = scores.enumerated().sorted {
            $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset)
        }
        .prefix(10).map { Int32($0.offset) }
        #expect(top.sorted().map(\.id) == expected)
    }

    @Test("LSH recall against exact search; multi-probe raises it; save and load keep results")
    func lsh() throws {
        var rng = SeededGenerator(seed: 5)
        let n = 2000
        let d = 10
        let set = EmbeddingSet(
            ids: (0..<n).map(Int32.init), dimension: d, vectors: (0..<(n * d)).map { _ in Float(rng.nextGaussian()) })
        let plain = EmbeddingQuality.lshRecall(LSHIndex(set, bucketLength: 0.1, tables: 3, seed: 1), queries: 200)
        let probe = EmbeddingQuality.lshRecall(
            LSHIndex(set, bucketLength: 0.1, tables: 3, multiProbe: true, seed: 1), queries: 200)
        #expect(plain.recall > 0.3)  // isotropic random vectors: a harder case than trained embeddings
        #expect(probe.recall > plain.recall + 0.2)
        #expect(probe.recall > 0.8)
        let index = LSHIndex(set, projectionsPerTable: 2, multiProbe: true, seed: 3)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-lsh-\(UUID().uuidString)").path
        try index.save(to: dir)
        let loaded = try LSHIndex.load(from: dir)
        let q = Array(set.vectors[0..<d])
        #expect(loaded.search(q, k: 5).results.map(\.id) == index.search(q, k: 5).results.map(\.id))
    }

    @Test("embedding files: text and binary round trips; bad lines and corruption are errors")
    func files() throws {
        let set = EmbeddingSet(ids: [7, 3], dimension: 2, vectors: [0.5, -1, 2, 0.25])
        #expect(try EmbeddingSet.parse(text: set.text(), file: "t") == set)
        #expect(set.text() == "7:0.5 -1.0\n3:2.0 0.25\n")
        let error = try #require(throws: DataError.self) {
            _ = try EmbeddingSet.parse(text: "1:0.5 1\n2:x 1\n", file: "e.csv")
        }
        #expect(error.line == 2)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-emb-\(UUID().uuidString).bin")
            .path
        try set.writeBinary(to: path)
        #expect(try EmbeddingSet.readBinary(path: path) == set)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[20] ^= 1
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: DataError.self) { _ = try EmbeddingSet.readBinary(path: path) }
    }
}

@Suite(
    "Embedding quality on ml-latest-small",
    .enabled(if: FileManager.default.fileExists(atPath: realData + "/ratings.csv"), "needs ml-latest-small"))
struct RealEmbeddingTests {
    @Test("the protocol's split matches the reference: 608 users held out, 61,108 corpus items")
    func protocolSplit() throws {
        let catalog = try MovieLensReader.load(directory: realData)
        let quality = EmbeddingQuality(catalog: catalog)
        #expect(quality.cases.count == 608)
        #expect(quality.corpusWords == 61_108)
    }
}

/// `SPARROW_DATA`, else the copy of ml-latest-small the repository ships.
let realData: String = ProcessInfo.processInfo.environment["SPARROW_DATA"] ?? "data/ml-latest-small"
