/// Keeps the k best (highest-scoring) items seen, in a min-heap.
///
/// - Complexity: O(log k) per offer; `sorted()` is O(k log k).
public struct TopK: Sendable {
    /// How many to keep.
    public let k: Int
    private var heap: [(score: Float, id: Int32)] = []

    /// Creates an empty selection of size `k`.
    public init(k: Int) {
        precondition(k >= 0, "TopK needs k ≥ 0")
        self.k = k
        heap.reserveCapacity(k)
    }

    /// The lowest score kept when full (anything not above it is rejected).
    public var threshold: Float { heap.count < k ? -.infinity : heapMin }

    var heapMin: Float { heap[0].score }

    /// Offers an item; ties keep the smaller id (deterministic).
    public mutating func offer(_ id: Int32, score: Float) {
        guard k > 0 else { return }
        if heap.count < k {
            heap.append((score, id))
            siftUp(heap.count - 1)
        } else if worse(heap[0], (score, id)) {
            heap[0] = (score, id)
            siftDown(0)
        }
    }

    /// a ranks below b.
    private func worse(_ a: (score: Float, id: Int32), _ b: (score: Float, id: Int32)) -> Bool {
        a.score < b.score || (a.score == b.score && a.id > b.id)
    }

    private mutating func siftUp(_ i: Int) {
        var i = i
        while i > 0 {
            let parent = (i - 1) / 2
            guard worse(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ i: Int) {
        var i = i
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < heap.count && worse(heap[l], heap[m]) { m = l }
            if r < heap.count && worse(heap[r], heap[m]) { m = r }
            guard m != i else { return }
            heap.swapAt(i, m)
            i = m
        }
    }

    /// The kept items, best first.
    public func sorted() -> [(id: Int32, score: Float)] {
        heap.sorted { worse($1, $0) }.map { ($0.id, $0.score) }
    }
}
