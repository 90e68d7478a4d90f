import Foundation
import SparrowCore
import SparrowModels
import Synchronization

extension Recommender {
    /// Ranked candidates kept per user: the served path re-ranks at most this many (a list of n ≤ 50 re-ranks the best
    /// 50–250 anyway), the cache holds no more, and the lists computed offline store exactly these.
    static let rankedDepth = 250

    /// What lists computed offline are valid for: this recommender's initial state (catalogue, ratings and user
    /// vectors: `stateFingerprint`), the next-item model's description file (its ranker's weights change on every
    /// training) and the depth.
    func rankedListsKey(modelFile: String) throws -> Int64 {
        guard let description = FileManager.default.contents(atPath: modelFile) else {
            throw ArrayArchive.ReadError(path: modelFile, reason: "cannot read the file")
        }
        let h = FNV1a.hash(Array(stateFingerprint.utf8) + Array(description) + [UInt8(Self.rankedDepth & 0xff)])
        return Int64(bitPattern: h)
    }

    /// Ranks every user with a history by the next-item model serving as version 0 (`next-item/`, whose
    /// `model.json` is `modelFile`), on `threads` threads, puts the lists in the cache and writes them to `path`
    /// (atomically), so that after a restart a user's first request is served from them until their next rating.
    /// Returns the number of users; progress lines (`ProgressLine`) go to `log`.
    /// - Complexity: one uncached next-item ranking per user.
    @discardableResult
    public func precomputeRankedLists(
        to path: String, modelFile: String, threads: Int = 2, log: (String) -> Void = { _ in }
    ) throws -> Int {
        let (model, version) = snapshot.nextItem
        guard let model, version == 0 else { return 0 }
        let key = try rankedListsKey(modelFile: modelFile)
        let users = (0..<catalog.userIds.count).filter { historyVersion(user: $0) > 0 }
        let results = Mutex<[Int: RankedEntry]>([:])
        withoutActuallyEscaping(log) { log in
            let progress = SharedProgress(ProgressLine("next-item lists", total: users.count, log: log))
            DispatchQueue.concurrentPerform(iterations: max(1, threads)) { t in
                var mine: [Int: RankedEntry] = [:]
                let own = Array(stride(from: t, to: users.count, by: max(1, threads)).map { users[$0] })
                for b in stride(from: 0, to: own.count, by: Self.rankingBatch) {
                    let batch = Array(own[b..<min(b + Self.rankingBatch, own.count)])
                    let entries = rankedEntries(
                        users: batch, seen: batch.map { snapshot(user: $0).seen }, model: model, modelVersion: 0)
                    for (u, e) in zip(batch, entries) { mine[u] = e }
                    progress.add(batch.count, report: t == 0)
                }
                results.withLock { $0.merge(mine) { a, _ in a } }
            }
        }
        let entries = results.withLock { $0 }
        var start: [Int64] = [0]
        var (owners, versions, movies, scores, found): ([Int32], [Int32], [Int32], [Float], [Int32]) = (
            [], [], [], [], []
        )
        let total = entries.values.reduce(0) { $0 + $1.ranked.count }
        owners.reserveCapacity(users.count)
        versions.reserveCapacity(users.count)
        start.reserveCapacity(users.count + 1)
        movies.reserveCapacity(total)
        scores.reserveCapacity(total)
        found.reserveCapacity(total)
        for u in users {
            let e = entries[u]!
            owners.append(Int32(u))
            versions.append(Int32(e.version))
            for r in e.ranked {
                movies.append(r.movie)
                scores.append(r.score)
                found.append(Int32(NextItemSignals.Signal.allCases.firstIndex(of: r.found)!))
            }
            start.append(Int64(movies.count))
        }
        // Unique per writer, renamed over the file: a reader sees the old lists or the new ones.
        let temporary = path + ".\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        try ArrayArchive.write(
            [
                .int64([key]), .int32(owners), .int32(versions), .int64(start), .int32(movies), .float(scores),
                .int32(found),
            ],
            to: temporary)
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ArrayArchive.ReadError(path: path, reason: "cannot rename \(temporary) over it")
        }
        AtomicFile.syncDirectory(of: path)
        live.withCaches { caches in
            for (u, e) in entries where caches.ranked[u] == nil { caches.ranked[u] = e }
        }
        return users.count
    }

    /// Puts the lists written by `precomputeRankedLists` into the cache when they were computed for this
    /// recommender's initial state and the next-item model serving as version 0 (`modelFile`); returns the number of
    /// users, nil when the file is absent or was written for another state or model (it is then ignored). A user's
    /// list serves until their history grows (events replayed after start-up included).
    public func loadRankedLists(from path: String, modelFile: String) throws -> Int? {
        guard FileManager.default.fileExists(atPath: path), nextItemVersion == 0 else { return nil }
        return try loadRankedLists(RankedListsFile(ArrayArchive.read(path), path: path), modelFile: modelFile)
    }

    /// `loadRankedLists(from:modelFile:)` given the file, already read and parsed (start-up does that on a thread of
    /// its own while it loads the catalogue and builds the live state).
    public func loadRankedLists(_ file: RankedListsFile, modelFile: String) throws -> Int? {
        guard nextItemVersion == 0 else { return nil }
        guard file.key == (try rankedListsKey(modelFile: modelFile)) else { return nil }
        guard file.largestUser < catalog.userIds.count, file.largestMovie < catalog.movies.count else {
            throw ArrayArchive.ReadError(
                path: file.path, reason: "lists do not match a catalogue of \(catalog.movies.count) movies")
        }
        live.withCaches { caches in
            for (u, e) in file.entries where caches.ranked[u] == nil { caches.ranked[u] = e }
        }
        return file.entries.count
    }
}

/// The lists written by `precomputeRankedLists`, parsed and checked for consistency (the key and the catalogue's
/// bounds are checked when they are loaded into a recommender).
public struct RankedListsFile: Sendable {
    /// The file's path (for errors).
    let path: String
    /// What the lists are valid for (`rankedListsKey`).
    let key: Int64
    /// Each user's entry.
    let entries: [Int: RankedEntry]
    /// The largest user and movie index in the lists (−1 when empty).
    let largestUser: Int, largestMovie: Int

    /// Parses the arrays of the file at `path`.
    /// - Complexity: O(entries).
    public init(_ arrays: [ArrayArchive.Array], path: String) throws {
        func fail(_ reason: String) -> Error { ArrayArchive.ReadError(path: path, reason: reason) }
        guard arrays.count == 7, case .int64(let key) = arrays[0], key.count == 1, case .int32(let owners) = arrays[1],
            case .int32(let versions) = arrays[2], case .int64(let start) = arrays[3],
            case .int32(let movies) = arrays[4], case .float(let scores) = arrays[5], case .int32(let found) = arrays[6]
        else { throw fail("unexpected arrays") }
        let signals = NextItemSignals.Signal.allCases
        guard versions.count == owners.count, start.count == owners.count + 1, start.first == 0,
            start.last.map(Int.init) == movies.count, scores.count == movies.count, found.count == movies.count,
            zip(start, start.dropFirst()).allSatisfy({ $0 <= $1 }), owners.allSatisfy({ $0 >= 0 }),
            movies.allSatisfy({ $0 >= 0 }), found.allSatisfy({ $0 >= 0 && Int($0) < signals.count })
        else { throw fail("inconsistent lists") }
        var entries: [Int: RankedEntry] = [:]
        entries.reserveCapacity(owners.count)
        for (i, u) in owners.enumerated() {
            let range = Int(start[i])..<Int(start[i + 1])
            entries[Int(u)] = RankedEntry(
                version: Int(versions[i]), modelVersion: 0,
                ranked: range.map { (movies[$0], scores[$0], signals[Int(found[$0])]) })
        }
        self.path = path
        self.key = key[0]
        self.entries = entries
        largestUser = Int(owners.max() ?? -1)
        largestMovie = Int(movies.max() ?? -1)
    }
}
