import Foundation
import SparrowCore

/// A/B experiments: each experiment splits users into weighted buckets by a hash of (salt, user id), so a user always
/// lands in the same bucket, and each bucket names the model that serves it.
public struct ABConfig: Sendable, Codable, Equatable {
    /// One bucket.
    public struct Bucket: Sendable, Codable, Equatable {
        /// Its name.
        public var name: String
        /// Relative weight.
        public var weight: Int
        /// The model serving it.
        public var model: String
    }

    /// One experiment.
    public struct Experiment: Sendable, Codable, Equatable {
        /// Its name.
        public var name: String
        /// Hash salt (changing it reshuffles users).
        public var salt: String
        /// The buckets.
        public var buckets: [Bucket]
    }

    /// The experiments; the first one decides the model (the others are reported only).
    public var experiments: [Experiment]

    /// No experiments.
    public init(experiments: [Experiment] = []) { self.experiments = experiments }

    /// The bucket of a user in the first experiment, or nil without experiments.
    public func assign(userId: Int32) -> (experiment: String, bucket: Bucket)? {
        guard let e = experiments.first, !e.buckets.isEmpty else { return nil }
        let total = e.buckets.reduce(0) { $0 + max(0, $1.weight) }
        guard total > 0 else { return nil }
        let h = FNV1a.hash(Array("\(e.salt):\(userId)".utf8))
        var slot = Int(h % UInt64(total))
        for b in e.buckets {
            if slot < max(0, b.weight) { return (e.name, b) }
            slot -= max(0, b.weight)
        }
        return (e.name, e.buckets[e.buckets.count - 1])
    }
}
