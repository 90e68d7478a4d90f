import Foundation
import Synchronization

/// A value computed on a thread of its own from the moment it is created, so that start-up reads files while it
/// builds other state; `value` waits for it (and may be read any number of times).
public final class Prefetched<Value: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Value?>(nil)

    /// Starts computing `body` on a new thread.
    public init(_ body: @escaping @Sendable () -> Value) {
        Thread { [self] in
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }.start()
    }

    /// The value, once computed.
    public var value: Value {
        done.wait()
        defer { done.signal() }
        return result.withLock { $0! }
    }
}
