import CSparrowKernels
import Foundation
import SparrowCore
import Synchronization

/// A job run every `interval` on a thread of its own at a lowered scheduling priority (Linux nice value), the next
/// interval counted from the end of the last run; an error is printed and the loop goes on. Background work
/// (retraining, loading and warming a model version) runs here, off Swift's cooperative pool and below the serving
/// threads.
public final class BackgroundLoop: Sendable {
    let name: String
    let interval: Duration
    let niceness: Int32
    let job: @Sendable () throws -> Void
    let cancelled = Atomic<Bool>(false)
    let finished = Atomic<Int>(0)

    /// Runs of the job finished so far (successful or not).
    public var runs: Int { finished.load(ordering: .acquiring) }

    /// A loop for `job`; nothing runs before `start()`.
    /// - Precondition: `interval > .zero`.
    public init(name: String, every interval: Duration, niceness: Int32, job: @escaping @Sendable () throws -> Void) {
        precondition(interval > .zero, "a loop's interval is positive")
        self.name = name
        self.interval = interval
        self.niceness = niceness
        self.job = job
    }

    /// Starts the thread.
    public func start() {
        let thread = Thread { [self] in
            if sparrow_lower_thread_priority(niceness) != 0 { print("\(name): could not lower the thread's priority") }
            while !cancelled.load(ordering: .acquiring) {
                // Sleep in short steps so that cancel() is seen promptly.
                let until = ContinuousClock.now.advanced(by: interval)
                while ContinuousClock.now < until && !cancelled.load(ordering: .acquiring) {
                    Thread.sleep(forTimeInterval: 0.05)
                }
                if cancelled.load(ordering: .acquiring) { break }
                do { try job() } catch { print("\(name) failed: \(error)") }
                finished.add(1, ordering: .releasing)
            }
        }
        thread.name = name
        thread.start()
    }

    /// Stops after the current run (if any).
    public func cancel() { cancelled.store(true, ordering: .releasing) }
}

extension Duration {
    /// Parses `90s`, `30m`, `6h`, `1d` (or plain seconds); nil unless positive.
    public init?(interval text: String) {
        let units: [Character: Int64] = ["s": 1, "m": Seconds.minute, "h": Seconds.hour, "d": Seconds.day]
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
