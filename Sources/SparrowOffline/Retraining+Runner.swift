import SparrowCore
import SparrowModels
import SparrowServing
import SparrowStore

extension Retraining {
    /// `Retraining.run` with fixed options, as the engine's `NextItemRetraining`: what the composition root hands a
    /// server's `ModelLifecycle` for its background retraining.
    public struct Runner: NextItemRetraining {
        /// The settings of every run.
        public var options: Options

        /// A runner with `options`.
        public init(options: Options = Options()) { self.options = options }

        /// One run of `Retraining.run` (see `NextItemRetraining`).
        public func retrain(
            catalog: Catalog, events: [EventLog.Event], artifacts: String,
            served: (model: NextItemModel, version: Int)?, log: (String) -> Void
        ) throws -> VersionRecord {
            try Retraining.run(
                catalog: catalog, events: events, artifacts: artifacts, options: options, served: served, log: log)
        }
    }
}
