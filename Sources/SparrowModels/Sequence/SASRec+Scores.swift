import CSparrowKernels
import SparrowTensor

extension SASRec {
    /// Scores over the catalog for the movie after `history` (its newest `maxLength` movies).
    public func scores(_ history: RatingHistory) -> [Float] { scores([history])[0] }

    /// `scores(_:)` of several histories, each the same as alone: the catalogue-wide product reads the item table
    /// once for the whole batch (`sparrow_matvec_rows_many`) rather than once per history.
    /// - Complexity: one forward pass per history, then O(histories × catalogue × dim).
    public func scores(_ histories: [RatingHistory]) -> [[Float]] {
        let dim = config.dim
        var last: [Float] = []
        var present: [Int] = []
        // One graph for the batch, its memory reused from one history to the next (a fresh graph per history made
        // fresh pages for the kernel to clear every time).
        let g = Graph(seed: 1)
        g.isTraining = false
        for (i, history) in histories.enumerated() {
            let s = Array(SASRec.sequence(history).suffix(config.maxLength))
            guard !s.isEmpty else { continue }
            g.reset()
            let h = hidden([s], on: g)
            let row = g.value(h) + (s.count - 1) * dim
            last.append(contentsOf: UnsafeBufferPointer(start: row, count: dim))
            present.append(i)
        }
        var out = [[Float]](repeating: [Float](repeating: 0, count: catalogSize), count: histories.count)
        guard !present.isEmpty else { return out }
        var products = [Float](repeating: 0, count: present.count * catalogSize)
        sparrow_matvec_rows_many(
            Int32(catalogSize), Int32(dim), items.value.baseAddress!, Int32(present.count), last, &products)
        for (j, i) in present.enumerated() {
            var scores = Array(products[(j * catalogSize)..<((j + 1) * catalogSize)])
            if let isOutput {
                // Movies outside the softmax were never trained as outputs: below every class, by the same margin.
                var lowest = Float.infinity
                for m in 0..<catalogSize where isOutput[m] { lowest = min(lowest, scores[m]) }
                let floor = (lowest.isFinite ? lowest : 0) - 1
                for m in 0..<catalogSize where !isOutput[m] { scores[m] = floor }
            }
            out[i] = scores
        }
        return out
    }
}
