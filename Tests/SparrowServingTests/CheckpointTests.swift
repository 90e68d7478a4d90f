import Foundation
import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import SparrowStore
import SparrowTestSupport
import Testing

@testable import SparrowServing

/// Start-up from a checkpoint plus the log after it rebuilds exactly the state a replay of the whole log does; a
/// damaged or foreign checkpoint is refused and the previous one, or the whole log, used instead.
@Suite("Checkpoints of the live state")
struct CheckpointTests {
    static func events(_ users: ClosedRange<Int32>, movie: Int32, at t: Int64) -> [EventLog.Event] {
        users.map {
            EventLog.Event(
                type: .rating, userId: $0, movieId: movie, rating: Float($0 % 9 + 1) / 2, timestamp: t + Int64($0),
                id: "e-\($0)-\(t)")
        }
    }

    /// What a restart must reproduce: every touched user's ratings, features and vector, and the idempotency keys.
    static func fingerprint(_ r: Recommender, users: ClosedRange<Int32>) -> [String] {
        users.map { id in
            guard let u = r.userIndex(id: id) else { return "\(id): none" }
            let s = r.snapshot(user: u)
            return "\(id): \(r.ratings(user: u).map { "\($0.movie)/\($0.score)" }) \(s.features) \(s.vector ?? [])"
        } + [r.liveStateCopy().appliedEvents.keysInOrder.joined(separator: ",")]
    }

    @Test("checkpoint + tail == full replay; torn, damaged and foreign files are refused")
    func restart() async throws {
        let catalog = EngineFixture.data.catalog
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let log = folder + "/events.log"
        let (a, b) = (catalog.movies[2].id, catalog.movies[7].id)
        let users: ClosedRange<Int32> = 1...40
        let live = try EngineFixture.recommender()
        let ingest = try LocalEventIngest(path: log, recommender: live, checkpoints: folder)
        #expect(try !ingest.checkpoint(), "nothing logged yet: the state built from the catalogue needs none")
        try await ingest.submit(Self.events(1...30, movie: a, at: 1_700_000_000))
        #expect(try ingest.checkpoint(), "a first checkpoint")
        #expect(try !ingest.checkpoint(), "nothing logged since: no second one")
        try await ingest.submit(Self.events(10...40, movie: b, at: 1_700_100_000))
        try await ingest.submit(Self.events(1...5, movie: a, at: 1_700_000_000))  // retries: ids already applied
        let expected = Self.fingerprint(live, users: users)

        let restored = try EngineFixture.recommender()
        let fromCheckpoint = try LocalEventIngest(path: log, recommender: restored, checkpoints: folder)
        #expect(fromCheckpoint.startup.hasPrefix("restored the checkpoint"), "\(fromCheckpoint.startup)")
        #expect(fromCheckpoint.startup.contains("replayed 36 events after it"), "\(fromCheckpoint.startup)")
        #expect(Self.fingerprint(restored, users: users) == expected)

        // A second checkpoint; then damage the newest: the previous one is used, same state.
        try await ingest.submit(Self.events(41...45, movie: b, at: 1_700_200_000))
        #expect(try ingest.checkpoint())
        let all = Self.fingerprint(live, users: 1...45)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + Checkpoint.file))
        bytes[bytes.count - 10] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: folder + "/" + Checkpoint.file))
        let fallback = try EngineFixture.recommender()
        let second = try LocalEventIngest(path: log, recommender: fallback, checkpoints: folder)
        #expect(second.startup.contains("refused: checkpoint.json: length or checksum"), "\(second.startup)")
        #expect(second.startup.hasPrefix("restored the checkpoint"), "the previous checkpoint is used")
        #expect(Self.fingerprint(fallback, users: 1...45) == all)

        // A killed writer's temporary is cleared at start-up.
        let leftover = folder + "/" + Checkpoint.file + ".123.456.tmp"
        try bytes.prefix(100).write(to: URL(fileURLWithPath: leftover))
        _ = try LocalEventIngest(path: log, recommender: try EngineFixture.recommender(), checkpoints: folder)
        #expect(!FileManager.default.fileExists(atPath: leftover))

        // A half-written newest file (a crash mid-write) and a foreign previous one: the whole log.
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: folder + "/" + Checkpoint.file))
        var foreign = try String(contentsOfFile: folder + "/" + Checkpoint.previous, encoding: .utf8)
        let printOld = live.stateFingerprint
        foreign = foreign.replacingOccurrences(of: printOld, with: "0000")
        try foreign.write(toFile: folder + "/" + Checkpoint.previous, atomically: true, encoding: .utf8)
        let scratch = try EngineFixture.recommender()
        let third = try LocalEventIngest(path: log, recommender: scratch, checkpoints: folder)
        #expect(third.startup.hasPrefix("replayed 71 logged events"), "\(third.startup)")
        #expect(third.startup.contains("made for other data or artifacts"), "\(third.startup)")
        #expect(Self.fingerprint(scratch, users: 1...45) == all)

        // A checkpoint of this folder beside another log that has grown past its offset: refused.
        try await ingest.submit(Self.events(46...50, movie: a, at: 1_700_300_000))
        #expect(try ingest.checkpoint())
        let otherLog = folder + "/other.log"
        let other = try EventLog(path: otherLog)
        try await other.append(Self.events(1...200, movie: b, at: 1_600_000_000))
        let stranger = try EngineFixture.recommender()
        let fourth = try LocalEventIngest(path: otherLog, recommender: stranger, checkpoints: folder)
        #expect(fourth.startup.hasPrefix("replayed 200 logged events"), "\(fourth.startup)")
        #expect(fourth.startup.contains("made for another event log"), "\(fourth.startup)")
    }

    @Test("start-up's per-user replay gives the offline sample pass's final states, and the payload leaves them out")
    func startUpStates() throws {
        let catalog = EngineFixture.data.catalog
        let r = try EngineFixture.recommender()
        let offline = SampleGenerator(catalog: catalog).run { _ in }
        let state = r.liveStateCopy()
        #expect(state.users == offline.users)
        #expect(state.movies == offline.movies)
        for u in 0..<catalog.userIds.count {
            #expect(state.seen[u] == Set(catalog.ratingsOfUser(u).map { catalog.ratings.movie[Int($0)] }))
        }
        let item2vec = try #require(r.snapshot.movieVectors[.item2vec])
        let u = try #require((0..<catalog.userIds.count).first { state.userVectors[$0] != nil })
        var expected = UserVectorState(dimension: item2vec.dimension)
        for row in catalog.ratingsOfUser(u) where catalog.ratings.rating[Int(row)] >= likedThreshold {
            if let v = item2vec.vector(catalog.movies[Int(catalog.ratings.movie[Int(row)])].id) { expected.add(v) }
        }
        #expect(state.userVectors[u] == expected)
        // The checkpoint holds the ratings, not what derives from them; a decoded state has them empty.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/payload.json", contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/payload.json"))
        let sink = CheckpointSink(handle: handle)
        try state.writePayload(keys: [], to: sink)
        try sink.flush()
        try handle.close()
        let payload = try Data(contentsOf: URL(fileURLWithPath: folder + "/payload.json"))
        let keys = try #require(JSONSerialization.jsonObject(with: payload) as? [String: Any]).keys
        #expect(!keys.contains("users") && !keys.contains("userVectors") && keys.contains("historyCounts"))
        let decoded = try JSONDecoder().decode(LiveState.self, from: payload)
        #expect(decoded.history.count == state.history.count && decoded.users.isEmpty && decoded.userVectors.isEmpty)
        #expect(r.restore(decoded))
        #expect(r.liveStateCopy().users == offline.users)
    }

    @Test("segments both checkpoints cover are archived or compacted; restarts, retraining and export still see them")
    func retention() async throws {
        let catalog = EngineFixture.data.catalog
        let movies = catalog.movies.prefix(20).map(\.id)
        for mode in LogRetention.allCases {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ret-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let log = folder + "/events.log"
            let live = try EngineFixture.recommender()
            let ingest = try LocalEventIngest(
                path: log, recommender: live, checkpoints: folder, segmentBytes: 4096, retention: mode)
            var posted: [EventLog.Event] = []
            for round in 0..<6 {
                var batch = Self.events(1...20, movie: movies[round], at: 1_700_000_000 + Int64(round) * 1000)
                batch.append(
                    EventLog.Event(
                        type: .click, userId: 3, movieId: movies[round], rating: nil, timestamp: 1, id: "c\(round)"))
                try await ingest.submit(batch)
                posted += batch
                #expect(try ingest.checkpoint())
            }
            let archived = EventLog.sealedSegments(
                path: LogRetention.archive(of: log) + "/events.log")
            #expect(archived.count >= 2, "\(mode): segments left the log")
            let kept = LogRetention.history(log: log)
            let inArchive = archived.flatMap { EventLog.read(path: $0.path, from: 0).events }
            switch mode {
            case .archive: #expect(kept == posted, "every event, in order (\(kept.count) of \(posted.count))")
            case .compact:
                #expect(inArchive.allSatisfy { $0.type == .rating } && !inArchive.isEmpty)
                let clicks = kept.filter { $0.type == .click }
                #expect(clicks.count < 6 && clicks == posted.filter { $0.type == .click }.suffix(clicks.count))
                #expect(kept.filter { $0.type == .rating } == posted.filter { $0.type == .rating }, "no rating lost")
            }
            #expect(FleetEvents.events(log: log) == kept)
            let expected = Self.fingerprint(live, users: 1...20)
            let restored = try EngineFixture.recommender()
            let restart = try LocalEventIngest(path: log, recommender: restored, checkpoints: folder)
            #expect(restart.startup.hasPrefix("restored the checkpoint"), "\(restart.startup)")
            #expect(Self.fingerprint(restored, users: 1...20) == expected)
            // Without the checkpoints: the archive and the log together rebuild the same ratings.
            try FileManager.default.removeItem(atPath: folder + "/" + Checkpoint.file)
            try FileManager.default.removeItem(atPath: folder + "/" + Checkpoint.previous)
            let replayed = try EngineFixture.recommender()
            let full = try LocalEventIngest(path: log, recommender: replayed, checkpoints: folder)
            #expect(full.startup.hasPrefix("replayed \(kept.count) logged events"), "\(full.startup)")
            #expect(Self.fingerprint(replayed, users: 1...20).dropLast() == expected.dropLast())
        }
    }
}
