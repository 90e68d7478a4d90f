import SparrowTensor
import Synchronization

/// Graphs reused across requests (each holds an arena of scratch memory): a fixed set of slots, each a graph behind
/// its own lock. A request takes the first free slot; when every slot is busy it uses a graph of its own.
final class GraphPool: Sendable {
    /// One pooled graph.
    final class Slot: Sendable {
        let graph = Mutex(Graph())
    }

    private let slots: [Slot]

    /// A pool of `size` graphs.
    init(size: Int = 8) {
        precondition(size > 0, "a pool of at least one graph")
        slots = (0..<size).map { _ in Slot() }
    }

    /// `body` on a graph in inference mode, reset afterwards.
    func with<T: Sendable>(_ body: (Graph) -> T) -> T {
        for slot in slots {
            let done: T? = slot.graph.withLockIfAvailable { g in
                g.isTraining = false
                defer { g.reset() }
                return body(g)
            }
            if let done { return done }
        }
        let g = Graph()
        g.isTraining = false
        return body(g)
    }
}
