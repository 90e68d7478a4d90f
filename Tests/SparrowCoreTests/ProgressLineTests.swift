import SparrowCore
import Testing

@Suite("Progress lines")
struct ProgressLineTests {
    @Test("a line shows the share done, the time so far and the time left at the rate so far")
    func line() {
        #expect(
            ProgressLine.line("next-item lists", done: 40_000, total: 160_000, elapsed: 60)
                == "next-item lists 40000/160000 (25%)  60.0 s  ETA 180 s")
        #expect(
            ProgressLine.line("samples", done: 0, total: 10, elapsed: 1.3) == "samples 0/10 (0%)  1.3 s  ETA unknown")
        #expect(ProgressLine.line("x", done: 2, total: 3, elapsed: 10) == "x 2/3 (66%)  10.0 s  ETA 5 s")
    }

    @Test("lines come at most once per interval and never for the finished stage")
    func throttled() {
        var lines: [String] = []
        var progress = ProgressLine("work", total: 10, every: 1e-9) { lines.append($0) }
        progress.update(done: 5)
        progress.update(done: 10)
        #expect(lines.count == 1 && lines[0].hasPrefix("work 5/10 (50%)"))
        var quiet = ProgressLine("work", total: 10, every: 3600) { lines.append($0) }
        quiet.update(done: 5)
        #expect(lines.count == 1)
    }

    @Test("due(done:) hands the caller the line update would log, under the same throttle")
    func due() {
        var progress = ProgressLine("work", total: 4, every: 1e-9)
        #expect(progress.due(done: 1)?.hasPrefix("work 1/4 (25%)") == true)
        #expect(progress.due(done: 4) == nil)
        var quiet = ProgressLine("work", total: 4, every: 3600)
        #expect(quiet.due(done: 1) == nil)
    }
}
