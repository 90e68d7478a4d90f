import CSparrowKernels

extension Graph {
    /// `a · b` (either operand optionally transposed): `op(a)` is M×K, `op(b)` is K×N.
    public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let (m, k) = transposeA ? (a.cols, a.rows) : (a.rows, a.cols)
        let (k2, n) = transposeB ? (b.cols, b.rows) : (b.rows, b.cols)
        precondition(k == k2, "matmul: inner dimensions differ (\(m)×\(k) · \(k2)×\(n))")
        let out = record(rows: m, cols: n, requiresGrad: anyRequiresGrad(a, b))
        Kernels.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1, a: value(a), lda: a.cols,
            b: value(b), ldb: b.cols, beta: 0, c: value(out), ldc: n)
        onBackward(out) { g in
            let dOut = g.grad(out)
            if g.requiresGrad(a) {
                // dA = dOut · op(B)ᵀ, laid out like A.
                if transposeA {
                    Kernels.gemm(
                        transposeA: transposeB, transposeB: true, m: k, n: m, k: n, alpha: 1, a: g.value(b),
                        lda: b.cols, b: dOut, ldb: n, beta: 1, c: g.grad(a), ldc: a.cols)
                } else {
                    Kernels.gemm(
                        transposeA: false, transposeB: !transposeB, m: m, n: k, k: n, alpha: 1, a: dOut, lda: n,
                        b: g.value(b), ldb: b.cols, beta: 1, c: g.grad(a), ldc: a.cols)
                }
            }
            if g.requiresGrad(b) {
                // dB = op(A)ᵀ · dOut, laid out like B.
                if transposeB {
                    Kernels.gemm(
                        transposeA: true, transposeB: transposeA, m: n, n: k, k: m, alpha: 1, a: dOut, lda: n,
                        b: g.value(a), ldb: a.cols, beta: 1, c: g.grad(b), ldc: b.cols)
                } else {
                    Kernels.gemm(
                        transposeA: !transposeA, transposeB: false, m: k, n: n, k: m, alpha: 1, a: g.value(a),
                        lda: a.cols, b: dOut, ldb: n, beta: 1, c: g.grad(b), ldc: b.cols)
                }
            }
        }
        return out
    }

    /// `x · w + bias` with `bias` a 1×N row broadcast over the rows — a dense layer's pre-activation.
    public func linear(_ x: Tensor, _ w: Tensor, _ bias: Tensor?) -> Tensor {
        let y = matmul(x, w)
        guard let bias else { return y }
        return addRow(y, bias)
    }

    /// `x + row` with `row` (1×cols) broadcast over every row of `x`.
    public func addRow(_ x: Tensor, _ row: Tensor) -> Tensor {
        precondition(
            row.rows == 1 && row.cols == x.cols, "addRow: expected a 1×\(x.cols) row, got \(row.rows)×\(row.cols)")
        let out = record(rows: x.rows, cols: x.cols, requiresGrad: anyRequiresGrad(x, row))
        let xv = value(x)
        let rv = value(row)
        let ov = value(out)
        let n = x.cols
        for i in 0..<x.rows {
            for j in 0..<n { ov[i * n + j] = xv[i * n + j] + rv[j] }
        }
        onBackward(out) { g in
            let d = g.grad(out)
            if g.requiresGrad(x) { Kernels.add(d, into: g.grad(x), count: x.count) }
            if g.requiresGrad(row) {
                let dr = g.grad(row)
                for i in 0..<x.rows {
                    for j in 0..<n { dr[j] += d[i * n + j] }
                }
            }
        }
        return out
    }
}
