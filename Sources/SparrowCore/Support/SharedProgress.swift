import Synchronization

/// A `ProgressLine` that worker threads share: each adds the units it finished; the one that reports (one thread,
/// always the same) writes the line when it is due.
public final class SharedProgress: @unchecked Sendable {
    // Only the reporting thread touches `line`; the count is atomic.
    private var line: ProgressLine
    private let done = Atomic<Int>(0)

    /// Shares `line`.
    public init(_ line: ProgressLine) { self.line = line }

    /// Adds `units` finished units; `report` is true on the reporting thread only.
    /// - Complexity: O(1).
    public func add(_ units: Int, report: Bool) {
        let count = done.add(units, ordering: .relaxed).newValue
        if report { line.update(done: count) }
    }
}
