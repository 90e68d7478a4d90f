import Foundation
import Testing

@testable import SparrowStore

@Suite("Event-log segments")
struct EventLogSegmentTests {
    static func event(_ k: Int) -> EventLog.Event {
        EventLog.Event(type: .rating, userId: Int32(k), movieId: 7, rating: 4, timestamp: 1_000 + Int64(k), id: "e\(k)")
    }

    @Test("the log rolls over into numbered segments; reads cross them from any position; retiring keeps numbering")
    func rollAndRetire() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/events.log"
        let line = try EventLog.encode([Self.event(10)]).count
        let log = try EventLog(path: path, segmentBytes: 10 * line)
        var middle = EventLog.Position(segment: 0, offset: 0)
        for k in 10..<60 {
            try await log.append([Self.event(k)])
            if k == 29 { middle = log.end() }
        }
        let sealed = EventLog.sealedSegments(path: path)
        #expect(sealed.map(\.number) == [0, 1, 2, 3, 4], "50 equal lines, 10 a segment")
        #expect(log.end() == EventLog.Position(segment: 5, offset: 0))
        #expect(middle == EventLog.Position(segment: 2, offset: 0), "sealed right after its tenth line")
        #expect(EventLog.read(path: path).map(\.userId) == Array(10..<60).map(Int32.init))
        let tail = EventLog.read(path: path, from: middle)
        #expect(tail.events.map(\.userId) == Array(30..<60).map(Int32.init))
        #expect(tail.end == EventLog.Position(segment: 5, offset: 0))

        var disposed: [Int] = []
        let retired = try EventLog.retire(path: path, before: 5) { number, file in
            disposed.append(number)
            try FileManager.default.removeItem(atPath: file)
        }
        #expect(retired == [0, 1, 2, 3, 4] && disposed == retired)
        #expect(EventLog.sealedSegments(path: path).map(\.number) == [4], "the newest stays, empty, for the numbering")
        try await log.append([Self.event(60)])
        #expect(EventLog.read(path: path).map(\.userId) == [60])
        let reopened = try EventLog(path: path, segmentBytes: 10 * line)
        #expect(reopened.end() == EventLog.Position(segment: 5, offset: line), "a restart continues in segment 5")
        #expect(try EventLog.retire(path: path, before: 5) { _, _ in Issue.record("nothing left to retire") }.isEmpty)
    }
}
