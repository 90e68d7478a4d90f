import ArgumentParser
import SparrowModels

/// EASE's L2 weight for `sparrow train ease|ranker`, defaulting to the one the artifact build and the served next-item
/// signal use (`EASE.defaultLambda`).
public struct EASEOptions: ParsableArguments, Sendable {
    /// EASE's L2 weight λ.
    @Option(help: "EASE's L2 weight λ (ease, ranker).") public var lambda = EASE.defaultLambda

    /// The default (ArgumentParser fills in the flag given).
    public init() {}
}
