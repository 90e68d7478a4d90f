import SparrowModels

/// The original's published numbers that Sparrow's reports print beside its own.
public enum TensorFlowReference {
    /// TensorFlow's results on the shared sample files (tf-reference.md §1): ROC AUC and training seconds.
    public static let ranking: [ModelKind: (auc: String, seconds: String)] = [
        .embeddingMLP: ("0.7937–0.7958", "93–126"), .wideDeep: ("0.7915", "199"), .neuralCF: ("0.7778", "96"),
        .deepFM: ("0.7766", "207"), .din: ("0.8024", "103"), .dien: ("0.7970", "369"),
    ]
}
