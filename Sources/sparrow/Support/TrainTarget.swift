import ArgumentParser
import SparrowEmbedding
import SparrowModels

/// What `sparrow train` can train: the ranking models (on sample files) and the models fitted on the ratings
/// (`--data`). A name that is not one of them is an error that lists the choices.
enum TrainTarget: String, CaseIterable, ExpressibleByArgument {
    case embeddingMLP = "embedding-mlp"
    case wideDeep = "wide-deep"
    case neuralCF = "neuralcf"
    case twoTower = "two-tower"
    case deepFM = "deepfm"
    case din
    case dien
    case logisticRegression = "lr"
    case factorizationMachine = "fm"
    case als
    case bpr
    case mf
    case ease
    case sasrec
    case ranker

    /// Accepts the original's misspelling `nerualcf` as well.
    init?(argument: String) {
        self.init(rawValue: argument == "nerualcf" ? "neuralcf" : argument)
    }

    /// The ranking model kind, for targets trained on sample files.
    var rankingKind: ModelKind? { ModelKind(rawValue: rawValue) }
}

extension EmbeddingMethod: ExpressibleByArgument {}
