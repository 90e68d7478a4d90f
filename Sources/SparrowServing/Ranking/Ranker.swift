/// The ranking stage: scores the merged candidates of one request.
public protocol Ranker: Sendable {
    /// The model name answers carry (`model` in responses and metrics).
    var name: String { get }
    /// The candidates to keep, each with `score` set (higher is better) and `probability` where the model has one.
    /// A ranker may drop candidates it does not rank (the cold-start ranker keeps popular and fresh ones only).
    /// `context` is the request: the user's live snapshot, the serving snapshot, the movies' live statistics.
    func rank(_ candidates: [Candidate], in context: StageContext) throws -> [Candidate]
}
