import Foundation
import Synchronization
import Testing

@testable import SparrowStore

@Suite("Durable event log")
struct EventLogTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).log").path
    }

    @Test("concurrent appends all land, each once, and their callbacks run in file order")
    func groupCommit() async throws {
        let path = temporaryPath()
        let log = try EventLog(path: path)
        final class Order: Sendable { let ids = Mutex<[Int32]>([]) }
        let order = Order()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for k in 1...300 {
                group.addTask {
                    let e = EventLog.Event(
                        type: .rating, userId: Int32(k), movieId: 1, rating: 4, timestamp: 100, id: "e\(k)")
                    try await log.append([e]) { order.ids.withLock { $0.append(Int32(k)) } }
                }
            }
            try await group.waitForAll()
        }
        let read = EventLog.read(path: path)
        #expect(read.count == 300)
        #expect(Set(read.map(\.userId)) == Set(1...300))
        #expect(order.ids.withLock { $0 } == read.map(\.userId), "callbacks follow the order in the file")
    }

    @Test("a torn last line is cut on open; the next append starts a clean line")
    func tornTail() async throws {
        let path = temporaryPath()
        let good = "{\"id\":\"a\",\"movieId\":1,\"rating\":4,\"timestamp\":1,\"type\":\"rating\",\"userId\":7}\n"
        try (good + "{\"id\":\"b\",\"movieId\":2,\"rat").write(toFile: path, atomically: true, encoding: .utf8)
        let log = try EventLog(path: path)
        try await log.append([EventLog.Event(type: .click, userId: 7, movieId: 3, rating: nil, timestamp: 2, id: "c")])
        #expect(EventLog.read(path: path).map(\.id) == ["a", "c"])
    }

    @Test("reading from an offset and truncating only when nothing was appended since")
    func offsetsAndTruncate() async throws {
        let path = temporaryPath()
        let log = try EventLog(path: path)
        let e = { (id: String) in
            EventLog.Event(type: .rating, userId: 1, movieId: 2, rating: 3.5, timestamp: 9, id: id)
        }
        try await log.append([e("x"), e("y")])
        let first = EventLog.read(path: path, from: 0)
        #expect(first.events.map(\.id) == ["x", "y"] && first.end == log.size())
        try await log.append([e("z")])
        #expect(!log.truncate(ifSize: first.end), "a newer event must not be dropped")
        let rest = EventLog.read(path: path, from: first.end)
        #expect(rest.events.map(\.id) == ["z"])
        var ran = false
        #expect(log.truncate(ifSize: rest.end) { ran = true })
        #expect(ran && log.size() == 0 && EventLog.read(path: path).isEmpty)
    }

    @Test("events round-trip through stream fields; malformed fields are refused")
    func streamFields() {
        let e = EventLog.Event(
            type: .rating, userId: 12, movieId: 318, rating: 4.5, timestamp: 1_700_000_000, id: "k1")
        let fields = Dictionary(uniqueKeysWithValues: e.streamFields)
        #expect(EventLog.Event(streamFields: fields) == e)
        let click = EventLog.Event(type: .click, userId: 1, movieId: 2, rating: nil, timestamp: 3)
        #expect(EventLog.Event(streamFields: Dictionary(uniqueKeysWithValues: click.streamFields)) == click)
        #expect(
            EventLog.Event(streamFields: ["type": "rating", "userId": "x", "movieId": "1", "timestamp": "1"]) == nil)
        #expect(
            EventLog.Event(streamFields: [
                "type": "rating", "userId": "1", "movieId": "1", "timestamp": "1", "rating": "high",
            ]) == nil)
    }
}
