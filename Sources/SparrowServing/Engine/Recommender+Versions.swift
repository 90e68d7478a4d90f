import SparrowModels

extension Recommender {
    /// Serves `model` as next-item version `version` from the next request on (cached lists dropped). Refused — and
    /// the current model kept — when the model was built for another catalogue.
    @discardableResult
    public func install(nextItem model: NextItemModel, version: Int) -> Bool {
        guard model.signals.logPopularity.count == catalog.movies.count else { return false }
        nextItemState.withLock { $0 = (model, version) }
        rankedCache.withLock { $0.removeAll() }
        return true
    }

    /// Loads the promoted next-item version of `versions` (or `announced`, the version a fleet was told to serve)
    /// when it is not the one serving; returns what changed (nil: nothing). A version that fails to load is refused
    /// once, reported, and the current one keeps serving.
    @discardableResult
    public func reloadNextItem(_ versions: NextItemVersions, announced: Int? = nil) -> String? {
        let promoted = announced ?? versions.promoted()
        guard promoted != nextItemVersion, !refusedNextItem.withLock({ $0.contains(promoted) }) else { return nil }
        do {
            let model = try versions.load(promoted)
            guard install(nextItem: model, version: promoted) else {
                refusedNextItem.withLock { _ = $0.insert(promoted) }
                return "refused next-item version \(promoted): built for another catalogue"
            }
            return "loaded next-item version \(promoted)"
        } catch {
            refusedNextItem.withLock { _ = $0.insert(promoted) }
            return "refused next-item version \(promoted): \(error)"
        }
    }
}
