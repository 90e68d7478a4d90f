import Foundation
import SparrowCore
import SparrowFeatures
import SparrowTensor
import Testing

@testable import SparrowModels

/// A small training set from a synthetic dataset.
enum SmallData {
    static let tables: (SampleTable, SampleTable) = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-md-\(UUID().uuidString)").path
        try! SyntheticDataset(users: 120, movies: 300, ratings: 9000, seed: 21).write(to: dir)
        let catalog = try! MovieLensReader.load(directory: dir)
        var train = SampleTable(genres: catalog.genres)
        var test = SampleTable(genres: catalog.genres)
        let isTest = SampleSplit.random(seed: 1, testFraction: 0.2).classifier(catalog: catalog)
        SampleGenerator(catalog: catalog).run { row in
            if isTest(row.ratingRow, row.timestamp) {
                test.append(row, catalog: catalog)
            } else {
                train.append(row, catalog: catalog)
            }
        }
        return (train, test)
    }()
}

@Suite("Models: learning, determinism, artifacts")
struct ModelTests {
    func trained(_ kind: ModelKind, seed: UInt64 = 3, epochs: Int = 3) -> (any RankingModel, EncodedSamples) {
        let (train, test) = SmallData.tables
        let spec = FeatureSpec(fitting: train)
        var config = ModelConfig()
        config.seed = seed
        let model = kind.make(spec: spec, config: config)
        var training = TrainingConfig()
        training.epochs = epochs
        training.batchSize = 32
        training.seed = seed
        _ = Trainer(config: training, log: { _ in }).fit(model, train: EncodedSamples(train, spec: spec))
        return (model, EncodedSamples(test, spec: spec))
    }

    @Test("every model learns better than chance on held-out samples", arguments: ModelKind.allCases)
    func learns(kind: ModelKind) {
        let (model, test) = trained(kind)
        let metrics = Trainer.evaluate(model, test)
        #expect(metrics.rocAUC > 0.6, "\(kind.rawValue): \(metrics.line)")
    }

    @Test("the same seed gives the same model; another seed another")
    func determinism() {
        let a = Trainer.predict(
            trained(.embeddingMLP, seed: 5, epochs: 1).0, trained(.embeddingMLP, seed: 5, epochs: 1).1)
        let b = Trainer.predict(
            trained(.embeddingMLP, seed: 5, epochs: 1).0, trained(.embeddingMLP, seed: 5, epochs: 1).1)
        let c = Trainer.predict(
            trained(.embeddingMLP, seed: 6, epochs: 1).0, trained(.embeddingMLP, seed: 5, epochs: 1).1)
        #expect(a == b)
        #expect(a != c)
    }

    @Test(
        "save → load gives identical predictions; a corrupted or truncated file is refused",
        arguments: ModelKind.allCases)
    func artifacts(kind: ModelKind) throws {
        let (model, test) = trained(kind, epochs: 1)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-art-\(UUID().uuidString)")
            .path
        let dir = try ModelArtifact.save(
            model, kind: kind, name: kind.rawValue, root: root, training: TrainingConfig(), testMetrics: nil,
            history: [],
            trainingSeconds: 0)
        #expect(dir.hasSuffix("/\(kind.rawValue)/1"))
        let (artifact, loaded) = try ModelArtifact.load(directory: dir)
        #expect(artifact.kind == kind)
        #expect(Trainer.predict(loaded, test) == Trainer.predict(model, test))
        // A second save is version 2.
        _ = try ModelArtifact.save(
            model, kind: kind, name: kind.rawValue, root: root, training: TrainingConfig(), testMetrics: nil,
            history: [],
            trainingSeconds: 0)
        #expect(ModelArtifact.latestVersion(root: root, name: kind.rawValue) == 2)
        // Flip one byte: checksum error.
        let weights = URL(fileURLWithPath: dir + "/weights.bin")
        var bytes = try Data(contentsOf: weights)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: weights)
        let corrupted = try #require(throws: DataError.self) { _ = try ModelArtifact.load(directory: dir) }
        #expect(corrupted.message.contains("corrupted"))
        try bytes.prefix(bytes.count - 8).write(to: weights)
        let truncated = try #require(throws: DataError.self) { _ = try ModelArtifact.load(directory: dir) }
        #expect(truncated.message.contains("truncated"))
    }

    @Test("unknown ids map to the reserved row; the original's misspelling is accepted")
    func vocabulary() {
        let (train, _) = SmallData.tables
        let spec = FeatureSpec(fitting: train)
        #expect(spec.movies.row(999_999) == 0)
        #expect(spec.users.row(train[.userId][0]) > 0)
        #expect(ModelKind(name: "nerualcf") == .neuralCF)
    }

    @Test("Two-Tower logits are the dot products of its exported vectors plus the bias")
    func twoTowerVectors() {
        let (model, test) = trained(.twoTower, epochs: 1)
        let tower = model as! TwoTower
        let batch = test.batch(0..<8)
        let g = Graph()
        g.isTraining = false
        let u = g.values(tower.userVectors(batch, on: g))
        let m = g.values(tower.movieVectors(batch, on: g))
        let logits = g.values(tower.logits(batch, on: g))
        let d = tower.config.towerDim
        for i in 0..<8 {
            let dot = (0..<d).reduce(Float(0)) { $0 + u[i * d + $1] * m[i * d + $1] }
            #expect(abs(dot + tower.bias.values[0] - logits[i]) < 1e-4)
        }
    }
}
