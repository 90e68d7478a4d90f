import Foundation

/// Progress of a long stage as throttled log lines with the time left, in the training epochs' format —
/// `"next-item lists 40000/162000 (24%)  61.0 s  ETA 183 s"` — so every stage that takes more than a few seconds says
/// where it is the same way. Used from one thread (others may do the work; the caller passes the shared count).
public struct ProgressLine {
    /// What is being done.
    public let what: String
    /// Units of work in all.
    public let total: Int
    /// Seconds between lines.
    public let interval: Double
    private let start: Double
    private var last: Double
    private let log: (String) -> Void

    /// Starts the clock for `total` units of `what`; lines go to `log` at most every `interval` seconds (callers with
    /// a non-escaping log leave it out and print what `due(done:)` returns).
    public init(_ what: String, total: Int, every interval: Double = 15, log: @escaping (String) -> Void = { _ in }) {
        precondition(total >= 0 && interval > 0, "a non-negative total and a positive interval")
        self.what = what
        self.total = total
        self.interval = interval
        self.log = log
        start = ProcessStats.now()
        last = start
    }

    /// The line for `done` units after `elapsed` seconds: the share done and the time left at the rate so far.
    public static func line(_ what: String, done: Int, total: Int, elapsed: Double) -> String {
        let share = total > 0 ? Double(done) / Double(total) : 1
        let head = "\(what) \(done)/\(total) (\(Int((100 * share).rounded(.down)))%)  "
        guard done > 0 else { return head + String(format: "%.1f s  ETA unknown", elapsed) }
        return head + String(format: "%.1f s  ETA %.0f s", elapsed, elapsed * Double(total - done) / Double(done))
    }

    /// Reports `done` units if `interval` seconds passed since the last line.
    /// - Complexity: O(1) (one clock read).
    public mutating func update(done: Int) {
        if let line = due(done: done) { log(line) }
    }

    /// The line for `done` units if `interval` seconds passed since the last one, else nil.
    /// - Complexity: O(1) (one clock read).
    public mutating func due(done: Int) -> String? {
        let now = ProcessStats.now()
        guard now - last >= interval, done < total else { return nil }
        last = now
        return Self.line(what, done: done, total: total, elapsed: now - start)
    }
}
