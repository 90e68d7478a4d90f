/// The idempotency keys of the most recent `capacity` events applied, oldest forgotten first: an event re-delivered
/// while its key is among them is applied once; one re-delivered later (after `capacity` newer keyed events) is
/// applied again. Memory is bounded by the capacity (about 100 bytes a key), however long a server lives.
struct IdempotencyWindow: Sendable {
    /// Keys remembered by default: a million (~100 MB), hours of a busy server's events.
    static let defaultCapacity = 1_000_000

    private(set) var capacity: Int
    private var keys: Set<String> = []
    /// The remembered keys in the order they arrived; `head` is the oldest.
    private var order: [String] = []
    private var head = 0

    /// A window of `capacity` keys.
    /// - Precondition: `capacity > 0`.
    init(capacity: Int = IdempotencyWindow.defaultCapacity) {
        precondition(capacity > 0, "an idempotency window holds at least one key")
        self.capacity = capacity
    }

    /// The number of keys remembered.
    var count: Int { keys.count }

    /// The remembered keys, oldest first.
    var keysInOrder: [String] { Array(order[head...]) }

    /// Whether `key` is remembered.
    func contains(_ key: String) -> Bool { keys.contains(key) }

    /// Remembers `key`; false when it already was (the event is a duplicate). Forgets the oldest key when full.
    ///
    /// - Complexity: amortised O(1).
    mutating func insert(_ key: String) -> Bool {
        guard keys.insert(key).inserted else { return false }
        order.append(key)
        evict()
        return true
    }

    /// Changes the capacity, forgetting the oldest keys if it shrinks.
    /// - Precondition: `capacity > 0`.
    mutating func resize(_ capacity: Int) {
        precondition(capacity > 0, "an idempotency window holds at least one key")
        self.capacity = capacity
        evict()
    }

    private mutating func evict() {
        while keys.count > capacity {
            keys.remove(order[head])
            head += 1
        }
        // Drop the forgotten prefix once it is as long as the live part, so `order` stays O(capacity).
        if head > 0 && head >= order.count - head {
            order.removeFirst(head)
            head = 0
        }
    }
}
