import Foundation

/// A value computed on a thread of its own from the moment it is created, so that start-up reads files while it
/// builds other state; `value` waits for it (and may be read any number of times).
final class Prefetched<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the thread before it signals; read only after a wait.
    private var result: Value?

    /// Starts computing `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Value) {
        Thread { [self] in
            result = body()
            done.signal()
        }.start()
    }

    /// The value, once computed.
    var value: Value {
        done.wait()
        defer { done.signal() }
        return result!
    }
}
