import CSparrowKernels
import Dispatch
import Foundation
import SparrowCore

/// Skip-gram with negative sampling, from scratch: a unigram^0.75 negative distribution (alias table), frequent-item
/// subsampling, reduced random windows, a linearly decaying learning rate and Hogwild threads over sequence shards
/// (or one thread, deterministic for a seed).
public struct SkipGram: Sendable {
    /// The settings.
    public let config: SkipGramConfig

    /// What training produced.
    public struct Result: Sendable {
        /// The vectors (input side), one per vocabulary item.
        public var embeddings: EmbeddingSet
        /// Corpus tokens per epoch (before subsampling).
        public var corpusWords: Int
        /// Training time.
        public var seconds: Double
        /// Raw corpus words processed per second (epochs × corpus words / time, as gensim reports it).
        public var wordsPerSecond: Double { Double(corpusWords * epochs) / seconds }
        /// Epochs run.
        public var epochs: Int
    }

    /// Creates a trainer.
    public init(config: SkipGramConfig) { self.config = config }

    /// Trains on `sequences` of item ids (any Int32 ids; items below `minCount` are dropped); progress lines
    /// (`ProgressLine`, by words × epochs) go to `log`.
    public func train(_ sequences: [[Int32]], log: (String) -> Void = { _ in }) -> Result {
        let config = self.config
        // Vocabulary, ordered by count (desc) then id, for determinism.
        var counts: [Int32: Int] = [:]
        for s in sequences { for id in s { counts[id, default: 0] += 1 } }
        let vocabulary = counts.filter { $0.value >= config.minCount }
            .sorted { MovieOrder.precedes(($0.key, $0.value), ($1.key, $1.value)) }.map(\.key)
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, Int32($0)) })
        let encoded = sequences.map { $0.compactMap { index[$0] } }.filter { $0.count > 1 }
        let corpusWords = encoded.reduce(0) { $0 + $1.count }
        let total = Double(corpusWords)
        let dim = config.dimension
        let n = vocabulary.count
        guard n > 0 else {
            return Result(
                embeddings: EmbeddingSet(ids: [], dimension: dim, vectors: []), corpusWords: 0, seconds: 0,
                epochs: config.epochs)
        }
        // Keep probabilities (word2vec's formula) and the negative distribution.
        let keep: [Float] = vocabulary.map { id in
            guard config.sample > 0 else { return 1 }
            let f = Double(counts[id]!)
            let threshold = config.sample * total
            return Float(min(1, ((f / threshold).squareRoot() + 1) * threshold / f))
        }
        let negatives = AliasTable(weights: vocabulary.map { pow(Double(counts[$0]!), 0.75) })
        // Input vectors uniform in ±0.5/dim, output vectors zero (word2vec's initialisation).
        var rng = SeededGenerator(seed: config.seed)
        let input = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * dim)
        let output = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * dim)
        defer {
            input.deallocate()
            output.deallocate()
        }
        for i in 0..<(n * dim) { input[i] = (rng.nextUnitFloat() - 0.5) / Float(dim) }
        output.initialize(repeating: 0)
        let shared = SharedWeights(input: input.baseAddress!, output: output.baseAddress!)
        let threads = max(1, config.threads)
        let shards = (0..<threads).map { t in stride(from: t, to: encoded.count, by: threads).map { encoded[$0] } }
        let start = ProcessStats.now()
        withoutActuallyEscaping(log) { log in
            let progress = SharedProgress(
                ProgressLine("skip-gram words", total: corpusWords * config.epochs, log: log))
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                SkipGram.runShard(
                    shards[t], weights: shared, keep: keep, negatives: negatives, config: config,
                    seed: config.seed &+ UInt64(t) &* 0x9E37_79B9
                ) { progress.add($0, report: t == 0) }
            }
        }
        let seconds = ProcessStats.now() - start
        let vectors = Array(input)
        return Result(
            embeddings: EmbeddingSet(ids: vocabulary, dimension: dim, vectors: vectors), corpusWords: corpusWords,
            seconds: seconds, epochs: config.epochs)
    }

    /// Pointers shared by Hogwild workers (races on these are the algorithm, not a bug).
    struct SharedWeights: @unchecked Sendable {
        let input: UnsafeMutablePointer<Float>
        let output: UnsafeMutablePointer<Float>
    }

    static func runShard(
        _ sequences: [[Int32]], weights: SharedWeights, keep: [Float], negatives: AliasTable, config: SkipGramConfig,
        seed: UInt64, finished: (Int) -> Void = { _ in }
    ) {
        var rng = SeededGenerator(seed: seed)
        let dim = config.dimension
        let words = sequences.reduce(0) { $0 + $1.count }
        let totalWork = Double(max(1, words * config.epochs))
        var done = 0
        var reported = 0
        let work = UnsafeMutablePointer<Float>.allocate(capacity: dim)
        let targets = UnsafeMutablePointer<UnsafeMutablePointer<Float>?>.allocate(capacity: config.negatives + 1)
        defer {
            work.deallocate()
            targets.deallocate()
        }
        var kept: [Int32] = []
        for _ in 0..<config.epochs {
            for sequence in sequences {
                kept.removeAll(keepingCapacity: true)
                for w in sequence where keep[Int(w)] >= 1 || rng.nextUnitFloat() < keep[Int(w)] { kept.append(w) }
                let progress = Float(Double(done) / totalWork)
                let lr = max(
                    config.minLearningRate,
                    config.learningRate - (config.learningRate - config.minLearningRate) * progress)
                done += sequence.count
                if done - reported >= 65_536 {
                    finished(done - reported)
                    reported = done
                }
                let count = kept.count
                guard count > 1 else { continue }
                for i in 0..<count {
                    let reduced = config.window - rng.nextInt(below: config.window)
                    let lo = max(0, i - reduced)
                    let hi = min(count - 1, i + reduced)
                    let center = Int(kept[i])
                    for j in lo...hi where j != i {
                        // Predict the centre from the context word (word2vec's skip-gram update).
                        targets[0] = weights.output + center * dim
                        for k in 0..<config.negatives {
                            var negative = negatives.sample(&rng)
                            if negative == center { negative = negatives.sample(&rng) }
                            targets[k + 1] = weights.output + negative * dim
                        }
                        sparrow_sgns_update(
                            Int32(dim), weights.input + Int(kept[j]) * dim, targets, Int32(config.negatives + 1), lr,
                            work)
                    }
                }
            }
        }
    }
}
