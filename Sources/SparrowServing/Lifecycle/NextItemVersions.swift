import Foundation
import SparrowModels

/// The versions of the default served model (the next-item model) in an artifacts folder.
///
/// Version 0 is `next-item/`, built by `sparrow demo` or `serve`. Retraining writes version N to
/// `next-item-versions/N/` — the model and its `version.json` (what it was trained on, the gate's scores and its
/// decision) — by building it under a temporary name and renaming it into place, so a half-written version is never
/// visible. Promotion rewrites `next-item-versions/promoted.json` atomically; servers load the version it names.
public struct NextItemVersions: Sendable {
    /// The artifacts folder.
    public let artifacts: String

    /// The versions of `artifacts`.
    public init(artifacts: String) { self.artifacts = artifacts }

    /// The folder of the retrained versions.
    public var directory: String { artifacts + "/next-item-versions" }
    var pointer: String { directory + "/promoted.json" }

    /// The folder of version `v` (0: `next-item/`).
    public func path(of v: Int) -> String { v == 0 ? artifacts + "/next-item" : directory + "/\(v)" }

    /// The promoted version (0 when retraining never promoted one).
    public func promoted() -> Int {
        guard let data = FileManager.default.contents(atPath: pointer),
            let p = try? JSONDecoder().decode(Pointer.self, from: data)
        else { return 0 }
        return p.version
    }

    /// Loads version `v`'s model.
    public func load(_ v: Int) throws -> NextItemModel { try NextItemModel.load(from: path(of: v)) }

    /// Version `v`'s record (nil for version 0, which has none).
    public func record(_ v: Int) -> VersionRecord? {
        guard v > 0, let data = FileManager.default.contents(atPath: path(of: v) + "/version.json") else { return nil }
        return try? JSONDecoder().decode(VersionRecord.self, from: data)
    }

    /// Every complete retrained version, ascending.
    public func versions() -> [Int] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap(Int.init).filter {
            FileManager.default.fileExists(atPath: path(of: $0) + "/version.json")
        }.sorted()
    }

    /// Writes `model` and `record` as version `record.version`: built in a temporary folder, renamed into place.
    /// - Precondition: `record.version > 0`.
    public func write(_ model: NextItemModel, record: VersionRecord) throws {
        precondition(record.version > 0, "version 0 is next-item/")
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.building-\(record.version)-\(getpid())"
        try? fm.removeItem(atPath: temporary)
        try model.save(to: temporary)
        try record.encoded().write(to: URL(fileURLWithPath: temporary + "/version.json"))
        guard rename(temporary, path(of: record.version)) == 0 else {
            throw AtomicFileError("cannot rename \(temporary) to \(path(of: record.version)) (does it exist?)")
        }
        AtomicFile.syncDirectory(of: path(of: record.version))
    }

    /// Makes version `v` the served one.
    public func promote(_ v: Int) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.write(JSONEncoder().encode(Pointer(version: v)), to: pointer)
    }

    /// Deletes retrained versions beyond the newest `keep` (the promoted one is always kept); returns the deleted ones.
    /// - Complexity: O(v) for v versions on disk.
    @discardableResult
    public func prune(keeping keep: Int) -> [Int] {
        precondition(keep >= 1, "keep at least the newest version")
        let promoted = promoted()
        let all = versions()
        let removed = all.dropLast(keep).filter { $0 != promoted }
        for v in removed { try? FileManager.default.removeItem(atPath: path(of: v)) }
        return Array(removed)
    }

    /// Removes what a writer killed mid-way left behind (a half-built version, a pointer's temporary).
    public func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(".building-") {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
        AtomicFile.removeTemporaries(of: "promoted.json", in: directory)
    }

    struct Pointer: Codable { var version: Int }
}

/// What a retrained version was built from and what the gate decided (`version.json`).
public struct VersionRecord: Codable, Sendable, Equatable {
    /// HR@10 and NDCG@10 on the gate's cases.
    public struct Score: Codable, Sendable, Equatable {
        /// HR@10.
        public var hitRate: Double
        /// NDCG@10.
        public var ndcg: Double

        /// A score.
        public init(hitRate: Double, ndcg: Double) {
            self.hitRate = hitRate
            self.ndcg = ndcg
        }
    }

    /// This version.
    public var version: Int
    /// The version served when it was trained (the gate's opponent).
    public var basedOn: Int
    /// When it was trained (ISO 8601).
    public var createdAt: String
    /// Ratings in the data folder.
    public var dataRatings: Int
    /// Rating events of the log it was trained on.
    public var eventRatings: Int
    /// Events of the log it read (all types): the next retraining's "new feedback" starts after them.
    public var events: Int
    /// Users in its training data (events' new users included).
    public var users: Int
    /// The gate: users whose last liked movie came in after `basedOn` was trained, held out of the candidate's
    /// training and predicted by both from the rest of their history.
    public var gateUsers: Int
    /// This version's scores on the gate's cases.
    public var candidate: Score
    /// The served version's scores on the same cases.
    public var served: Score
    /// The candidate may score this much below the served version on NDCG@10 and still be promoted.
    public var margin: Double
    /// Whether it was promoted.
    public var promoted: Bool
    /// Why (or why not).
    public var reason: String
    /// Seconds spent training.
    public var trainingSeconds: Double

    /// A record of every field.
    public init(
        version: Int, basedOn: Int, createdAt: String, dataRatings: Int, eventRatings: Int, events: Int, users: Int,
        gateUsers: Int, candidate: Score, served: Score, margin: Double, promoted: Bool, reason: String,
        trainingSeconds: Double
    ) {
        self.version = version
        self.basedOn = basedOn
        self.createdAt = createdAt
        self.dataRatings = dataRatings
        self.eventRatings = eventRatings
        self.events = events
        self.users = users
        self.gateUsers = gateUsers
        self.candidate = candidate
        self.served = served
        self.margin = margin
        self.promoted = promoted
        self.reason = reason
        self.trainingSeconds = trainingSeconds
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
