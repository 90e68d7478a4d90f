import CSparrowKernels
import Foundation
import Synchronization

/// Runs a retraining job every `interval` on a thread of its own at the lowest scheduling priority (nice 19), so the
/// serving threads keep the cores; one run at a time, the next interval counted from the end of the last run.
public final class RetrainingSchedule: Sendable {
    let interval: Duration
    let job: @Sendable () throws -> VersionRecord
    let log: @Sendable (String) -> Void
    let cancelled = Atomic<Bool>(false)
    /// Runs finished so far (successful or not).
    public var runs: Int { finished.load(ordering: .acquiring) }
    let finished = Atomic<Int>(0)

    /// A schedule for `job`; nothing runs before `start()`.
    public init(
        every interval: Duration, job: @escaping @Sendable () throws -> VersionRecord,
        log: @escaping @Sendable (String) -> Void
    ) {
        precondition(interval > .zero, "a retraining interval is positive")
        self.interval = interval
        self.job = job
        self.log = log
    }

    /// Starts the thread.
    public func start() {
        let thread = Thread { [self] in
            if sparrow_lower_thread_priority(19) != 0 { log("retraining: could not lower the thread's priority") }
            while !cancelled.load(ordering: .acquiring) {
                // Sleep in short steps so that cancel() is seen promptly.
                let until = ContinuousClock.now.advanced(by: interval)
                while ContinuousClock.now < until && !cancelled.load(ordering: .acquiring) {
                    Thread.sleep(forTimeInterval: min(0.2, max(0.001, Double((until - .now).components.seconds))))
                }
                if cancelled.load(ordering: .acquiring) { break }
                let start = ContinuousClock.now
                do {
                    let record = try job()
                    log(
                        "retraining: version \(record.version) \(record.promoted ? "promoted" : "refused") — "
                            + "\(record.reason) (\(ContinuousClock.now - start))")
                } catch {
                    log("retraining failed: \(error)")
                }
                finished.add(1, ordering: .releasing)
            }
        }
        thread.name = "sparrow-retraining"
        thread.start()
    }

    /// Stops after the current run (if any).
    public func cancel() { cancelled.store(true, ordering: .releasing) }
}

extension Duration {
    /// Parses `90s`, `30m`, `6h`, `1d` (or plain seconds).
    public init?(interval text: String) {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = text.last, let u = units[last] {
            digits = text.dropLast()
            unit = u
        }
        guard let n = Int64(digits), n > 0 else { return nil }
        self = .seconds(n * unit)
    }
}
