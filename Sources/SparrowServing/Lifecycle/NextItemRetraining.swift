import SparrowCore
import SparrowModels
import SparrowStore

/// What a server's background retraining calls to train, gate and (when the gate passes) promote the next version of
/// the next-item model. The engine does not train: the offline pipeline provides the implementation
/// (`SparrowOffline.Retraining.Runner`) and the composition root (the `sparrow` CLI) hands it to `ModelLifecycle`.
public protocol NextItemRetraining: Sendable {
    /// Trains a candidate on `catalog` plus `events`, gates it against `served` (the version in memory, or the
    /// promoted one when nil), writes it under `artifacts` and returns its record (`promoted` says the decision).
    func retrain(
        catalog: Catalog, events: [EventLog.Event], artifacts: String,
        served: (model: NextItemModel, version: Int)?, log: (String) -> Void
    ) throws -> VersionRecord
}
