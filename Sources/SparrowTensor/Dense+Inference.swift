import CSparrowKernels
import Foundation

extension Dense {
    /// The layer applied to `rows` rows of `x` (rows × inputs) into `out` (rows × outputs), outside any graph: no tape,
    /// no gradients — the serving path. Bias and activation are applied in place after one matrix product.
    /// - Complexity: O(rows · inputs · outputs).
    public func infer(_ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let n = weight.cols
        let k = weight.rows
        let b = bias.value.baseAddress!
        for r in 0..<rows { (out + r * n).update(from: b, count: n) }
        Kernels.gemm(
            transposeA: false, transposeB: false, m: rows, n: n, k: k, alpha: 1, a: x, lda: k,
            b: weight.value.baseAddress!, ldb: n, beta: 1, c: out, ldc: n)
        Dense.activate(activation, out, count: rows * n, columns: n, slope: slope?.value.baseAddress)
    }

    /// Applies an activation in place to `count` values laid out in rows of `columns`.
    public static func activate(
        _ activation: Activation, _ x: UnsafeMutablePointer<Float>, count: Int, columns: Int,
        slope: UnsafePointer<Float>? = nil
    ) {
        switch activation {
        case .linear: break
        case .relu: sparrow_relu_inplace(Int32(count), x)
        case .sigmoid: for i in 0..<count { x[i] = 1 / (1 + exp(-x[i])) }
        case .tanh: for i in 0..<count { x[i] = Foundation.tanh(x[i]) }
        case .prelu:
            for i in 0..<count where x[i] < 0 { x[i] *= slope![i % columns] }
        }
    }
}
