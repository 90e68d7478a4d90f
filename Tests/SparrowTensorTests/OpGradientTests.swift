import SparrowTestSupport
import Foundation
import Testing

@testable import SparrowTensor

@Suite("Gradients of every op against finite differences")
struct OpGradientTests {
    let a = (rows: 3, cols: 4, values: values(12, seed: 1, gap: 0.05))
    let b = (rows: 3, cols: 4, values: values(12, seed: 2, gap: 0.05))

    @Test(
        "matmul, with every combination of transposes",
        arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmul(transposeA: Bool, transposeB: Bool) {
        let x = (rows: transposeA ? 4 : 3, cols: transposeA ? 3 : 4, values: values(12, seed: 3))
        let w = (rows: transposeB ? 5 : 4, cols: transposeB ? 4 : 5, values: values(20, seed: 4))
        checkGradients([x, w]) { g, t in g.matmul(t[0], t[1], transposeA: transposeA, transposeB: transposeB) }
    }

    @Test("linear layer with a broadcast bias")
    func linear() {
        checkGradients([a, (4, 2, values(8, seed: 5)), (1, 2, values(2, seed: 6))]) { g, t in g.linear(t[0], t[1], t[2])
        }
    }

    @Test("add, sub, mul, scale, addScalar, oneMinus")
    func elementwise() {
        checkGradients([a, b]) { g, t in g.add(t[0], t[1]) }
        checkGradients([a, b]) { g, t in g.sub(t[0], t[1]) }
        checkGradients([a, b]) { g, t in g.mul(t[0], t[1]) }
        checkGradients([a]) { g, t in g.scale(t[0], -2.5) }
        checkGradients([a]) { g, t in g.addScalar(t[0], 0.7) }
        checkGradients([a]) { g, t in g.oneMinus(t[0]) }
    }

    @Test("relu, sigmoid, tanh, prelu")
    func activations() {
        checkGradients([a]) { g, t in g.relu(t[0]) }
        checkGradients([a]) { g, t in g.sigmoid(g.scale(t[0], 3)) }
        checkGradients([a]) { g, t in g.tanh(g.scale(t[0], 2)) }
        checkGradients([a, (1, 4, [0.25, -0.1, 0.5, 0.05])]) { g, t in g.prelu(t[0], alpha: t[1]) }
    }

    @Test("concat, column and row slices, reshape, repeated rows")
    func shapes() {
        checkGradients([a, (3, 2, values(6, seed: 7))]) { g, t in g.concat([t[0], t[1], t[0]]) }
        checkGradients([a]) { g, t in g.sliceColumns(t[0], 1, 3) }
        checkGradients([a]) { g, t in g.sliceRows(t[0], 1, 3) }
        checkGradients([a]) { g, t in g.mul(g.reshape(t[0], rows: 6, cols: 2), g.reshape(t[0], rows: 6, cols: 2)) }
        checkGradients([(2, 3, values(6, seed: 8))]) { g, t in g.repeatRows(t[0], times: 3) }
    }

    @Test("sum, mean, row sums, row dot products, weighted row sums")
    func reductions() {
        checkGradients([a]) { g, t in g.sum(g.mul(t[0], t[0])) }
        checkGradients([a]) { g, t in g.mean(g.mul(t[0], t[0])) }
        checkGradients([a]) { g, t in g.sumColumns(t[0]) }
        checkGradients([a, b]) { g, t in g.rowDot(t[0], t[1]) }
        checkGradients([(6, 3, values(18, seed: 9)), (6, 1, values(6, seed: 10))]) { g, t in
            g.weightedSumRows(t[0], weights: t[1], length: 3)
        }
    }

    @Test("row scaling (gates, attention weights)")
    func scaleRows() {
        checkGradients([a, (3, 1, [0.5, -1.5, 2])]) { g, t in g.scaleRows(t[0], by: t[1]) }
    }

    @Test("masked softmax")
    func softmax() {
        let mask = [true, true, false, true, false, true, true, true, true, false, false, false]
        checkGradients([a]) { g, t in g.softmax(g.scale(t[0], 2), mask: mask) }
        checkGradients([a]) { g, t in g.softmax(t[0]) }
    }

    @Test("binary cross-entropy with logits, weighted and not; mean squared error")
    func losses() {
        let logits = (rows: 5, cols: 1, values: [-3, -0.5, 0.2, 1.5, 4] as [Float])
        checkGradients([logits]) { g, t in g.binaryCrossEntropy(logits: t[0], labels: [0, 1, 1, 0, 1]) }
        checkGradients([logits]) { g, t in
            g.binaryCrossEntropy(logits: t[0], labels: [0, 1, 1, 0, 1], weights: [1, 2, 0.5, 1, 3])
        }
        checkGradients([logits]) { g, t in g.meanSquaredError(t[0], targets: [1, 2, 3, 4, 5]) }
    }

    @Test("dropout uses one mask for the forward and backward pass")
    func dropout() {
        checkGradients([a]) { g, t in g.dropout(t[0], rate: 0.4) }
    }
}

@Suite("Op values")
struct OpValueTests {
    @Test("binary cross-entropy is stable for large logits and exact for a hand case")
    func bce() {
        let g = Graph()
        let logits = g.constant([100, -100, 0], rows: 3, cols: 1)
        let loss = g.binaryCrossEntropy(logits: logits, labels: [1, 0, 1])
        #expect(abs(g.values(loss)[0] - Float(0.6931472 / 3)) < 1e-6)
        let huge = g.binaryCrossEntropy(logits: g.constant([-100], rows: 1, cols: 1), labels: [1])
        #expect(abs(g.values(huge)[0] - 100) < 1e-4)
    }

    @Test("listwise softmax loss over lists of different lengths")
    func listwise() {
        let scores = (rows: 7, cols: 1, values: values(7, seed: 9))
        checkGradients([scores]) { g, t in
            g.listwiseSoftmaxLoss(scores: g.scale(t[0], 3), lists: [0..<3, 3..<4, 4..<7], targets: [2, 0, 1])
        }
    }

    @Test("listwise softmax loss: hand-computed value")
    func listwiseValue() {
        let g = Graph()
        let s = g.constant([0, Float(log(3.0)), 1], rows: 3, cols: 1)
        // List [0, ln 3]: softmax = [1/4, 3/4], target 1 → −ln(3/4); list [1]: a single item → 0.
        let loss = g.values(g.listwiseSoftmaxLoss(scores: s, lists: [0..<2, 2..<3], targets: [1, 0]))[0]
        #expect(abs(loss - Float(-log(0.75) / 2)) < 1e-6)
    }

    @Test("masked softmax gives padding exactly zero weight")
    func maskedSoftmax() {
        let g = Graph()
        let x = g.constant([1, 2, 3, 100, 0, 0], rows: 2, cols: 3)
        let y = g.values(g.softmax(x, mask: [true, true, false, true, false, false]))
        #expect(y[2] == 0 && y[4] == 0 && y[5] == 0)
        #expect(y[3] == 1)
        #expect(abs(y[0] + y[1] - 1) < 1e-6)
    }

    @Test("dropout is the identity in evaluation and keeps the mean in training")
    func dropoutValues() {
        let g = Graph(seed: 3)
        g.isTraining = false
        let x = g.constant([Float](repeating: 1, count: 10_000), rows: 100, cols: 100)
        #expect(g.dropout(x, rate: 0.5) == x)
        g.isTraining = true
        let y = g.values(g.dropout(x, rate: 0.5))
        #expect(abs(y.reduce(0, +) / 10_000 - 1) < 0.05)
        #expect(Set(y) == [0, 2])
    }
}

@Suite("Gradients of the recurrent cells")
struct RecurrentGradientTests {
    let x = (rows: 3, cols: 4, values: values(12, seed: 21))
    let h = (rows: 3, cols: 2, values: values(6, seed: 22))
    let w = (rows: 4, cols: 6, values: values(24, seed: 23))
    let u = (rows: 2, cols: 6, values: values(12, seed: 24))
    let b = (rows: 1, cols: 6, values: values(6, seed: 25))

    @Test("GRU cell: input, state and every weight")
    func gru() {
        checkGradients([x, h, w, u, b]) { g, t in
            GRUCell.step(g, x: t[0], h: t[1], w: t[2], u: t[3], b: t[4], hidden: 2, scale: nil)
        }
    }

    @Test("AUGRU cell: the attention score scales the update gate")
    func augru() {
        checkGradients([x, h, w, u, b, (3, 1, [0.2, 0.9, 0.5])]) { g, t in
            GRUCell.step(g, x: t[0], h: t[1], w: t[2], u: t[3], b: t[4], hidden: 2, scale: t[5])
        }
    }

    @Test("a zero scale leaves the state untouched (masked step)")
    func maskedStep() {
        let g = Graph()
        let t = [x, h, w, u, b].map { g.constant($0.values, rows: $0.rows, cols: $0.cols) }
        let out = GRUCell.step(
            g, x: t[0], h: t[1], w: t[2], u: t[3], b: t[4], hidden: 2, scale: g.constant([0, 0, 0], rows: 3, cols: 1))
        #expect(g.values(out) == h.values)
    }
}

@Suite("Gradients of the sequence-model ops against finite differences")
struct SequenceOpGradientTests {
    @Test("layer norm: input, gain and bias")
    func layerNorm() {
        let x = (rows: 3, cols: 5, values: values(15, seed: 21, gap: 0.05))
        let gamma = (rows: 1, cols: 5, values: [1.2, 0.8, -0.5, 1.0, 0.3] as [Float])
        let beta = (rows: 1, cols: 5, values: [0.1, -0.2, 0.0, 0.3, 0.5] as [Float])
        checkGradients([x, gamma, beta]) { g, t in
            g.mul(g.layerNorm(t[0], gamma: t[1], beta: t[2]), g.constant(values(15, seed: 22), rows: 3, cols: 5))
        }
    }

    @Test("layer norm: rows have mean 0 and variance 1 before the gain")
    func layerNormValue() {
        let g = Graph()
        let y = g.values(
            g.layerNorm(
                g.constant([1, 2, 3, 4, 10, 10, 10, 14], rows: 2, cols: 4),
                gamma: g.constant([1, 1, 1, 1], rows: 1, cols: 4),
                beta: g.constant([0, 0, 0, 0], rows: 1, cols: 4), epsilon: 0))
        // Row 1: mean 2.5, variance 1.25.
        #expect(abs(y[0] - Float(-1.5 / 1.25.squareRoot())) < 1e-5)
        #expect(abs(y[4] + y[5] + y[6] + y[7]) < 1e-5 && abs(y[7] - Float(3 / 3.0.squareRoot())) < 1e-5)
    }

    @Test("causal attention over two packed sequences, two heads")
    func attention() {
        let q = (rows: 5, cols: 4, values: values(20, seed: 23))
        let k = (rows: 5, cols: 4, values: values(20, seed: 24))
        let v = (rows: 5, cols: 4, values: values(20, seed: 25))
        checkGradients([q, k, v]) { g, t in
            g.mul(
                g.causalAttention(t[0], t[1], t[2], offsets: [0, 3, 5], heads: 2),
                g.constant(values(20, seed: 26), rows: 5, cols: 4))
        }
    }

    @Test("causal attention: a row never sees a later row nor another sequence")
    func attentionMask() {
        let g = Graph()
        let q = g.constant([Float](repeating: 0, count: 6), rows: 3, cols: 2)
        let v = g.constant([1, 1, 3, 3, 100, 100], rows: 3, cols: 2)
        let y = g.values(g.causalAttention(q, q, v, offsets: [0, 2, 3], heads: 1))
        // Equal scores: row 0 sees only itself, row 1 averages rows 0 and 1, row 2 is its own sequence.
        #expect(y == [1, 1, 2, 2, 100, 100])
    }

    @Test("full softmax over a table and row gathering")
    func tableSoftmax() {
        let hidden = (rows: 3, cols: 4, values: values(12, seed: 27))
        let table = (rows: 6, cols: 4, values: values(24, seed: 28))
        checkGradients([hidden, table]) { g, t in
            g.tableSoftmaxCrossEntropy(hidden: g.scale(t[0], 2), table: t[1], targets: [5, 0, 2], chunk: 2)
        }
        checkGradients([hidden, table]) { g, t in
            g.tableSoftmaxCrossEntropy(hidden: g.scale(t[0], 2), table: t[1], targets: [5, 0, 2], chunk: 1, threads: 3)
        }
        // The same table gradient when `hidden` needs none (its fused product is skipped).
        checkGradients([table]) { g, t in
            g.tableSoftmaxCrossEntropy(
                hidden: g.scale(g.constant(hidden.values, rows: 3, cols: 4), 2), table: t[0], targets: [5, 0, 2],
                chunk: 2)
        }
        checkGradients([table]) { g, t in
            g.mul(g.gatherRows(t[0], ids: [1, 4, 1]), g.constant(values(12, seed: 29), rows: 3, cols: 4))
        }
    }
}
