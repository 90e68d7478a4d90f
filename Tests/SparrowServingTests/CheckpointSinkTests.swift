import Foundation
import SparrowStore
import SparrowTestSupport
import Testing

@testable import SparrowServing

/// The checkpoint payload is streamed to its file through a small buffer: the bytes, length and checksum must be
/// exactly those of the whole payload written at once, and its base64 columns those `JSONEncoder` writes for `Data`.
@Suite("Streamed checkpoint payloads")
struct CheckpointSinkTests {
    /// Runs `body` on a sink of `capacity` over a new file; returns the file's bytes, the sink's count and checksum.
    static func stream(capacity: Int, _ body: (CheckpointSink) throws -> Void) throws -> (Data, Int, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let sink = CheckpointSink(handle: handle, capacity: capacity)
        try body(sink)
        let checksum = try sink.checksum()
        try handle.close()
        return (try Data(contentsOf: URL(fileURLWithPath: path)), sink.count, checksum)
    }

    @Test("pieces larger and smaller than the buffer arrive in order, counted and checksummed as one")
    func pieces() throws {
        let parts: [[UInt8]] = [Array("{\"a\":".utf8), Array(repeating: 0x31, count: 23), [], Array("}".utf8)]
        let (bytes, count, checksum) = try Self.stream(capacity: 5) { sink in
            for part in parts { try sink.write(part) }
        }
        let whole = Data(parts.joined())
        #expect(bytes == whole)
        #expect(count == whole.count)
        #expect(checksum == Checkpoint.checksum(whole))
    }

    @Test("a base64 column emitted in uneven pieces equals JSONEncoder's encoding of the whole Data")
    func base64() throws {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<100_003).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let (bytes, _, _) = try Self.stream(capacity: 4096) { sink in
            try sink.base64String { emit in
                var start = 0
                for size in [0, 1, 2, 49_151, 7, 50_000] + [Int.max] where start < raw.count {
                    let end = min(raw.count, start + min(size, raw.count))
                    try raw[start..<end].withUnsafeBytes(emit)
                    start = end
                }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        #expect(bytes == (try encoder.encode(Data(raw))))
        #expect(try JSONDecoder().decode(Data.self, from: bytes) == Data(raw))
    }

    @Test("a live state streamed through a tiny buffer: the same bytes as through a large one, and it decodes")
    func liveState() throws {
        let live = try EngineFixture.recommender()
        let movies = EngineFixture.data.catalog.movies
        let events = (0..<6000).map { k in
            EventLog.Event(
                type: k % 3 == 0 ? .rating : .click, userId: Int32(1 + k % 50), movieId: movies[k % movies.count].id,
                rating: k % 3 == 0 ? Float(k % 9 + 1) / 2 : nil, timestamp: 1_700_000_000 + Int64(k),
                id: "stream-key-\(k)")
        }
        _ = live.apply(events)
        let snapshot = live.checkpointSnapshot()
        let (small, smallCount, smallSum) = try Self.stream(capacity: 7) {
            try snapshot.state.writePayload(keys: snapshot.keys, to: $0)
        }
        let (large, largeCount, largeSum) = try Self.stream(capacity: 1 << 20) {
            try snapshot.state.writePayload(keys: snapshot.keys, to: $0)
        }
        // Compared by the first differing byte: a failing `==` on megabytes would make the test runner diff them.
        let firstDifference =
            zip(small, large).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(small.count, large.count)
        #expect(small.count == large.count && firstDifference == small.count, "the bytes differ at \(firstDifference)")
        #expect(smallCount == small.count && largeCount == large.count)
        #expect(smallSum == largeSum && smallSum == Checkpoint.checksum(small))
        #expect(snapshot.keys.count == 6000, "the keys (~100 KiB) span several base64 pieces")
        let decoded = try JSONDecoder().decode(LiveState.self, from: small)
        #expect(decoded.appliedEvents.keysInOrder == snapshot.keys)
        #expect(decoded.history.map { $0.map(\.movie) } == snapshot.state.history.map { $0.map(\.movie) })
        #expect(decoded.history.map { $0.map(\.score) } == snapshot.state.history.map { $0.map(\.score) })
        #expect(decoded.history.map { $0.map(\.timestamp) } == snapshot.state.history.map { $0.map(\.timestamp) })
    }
}
