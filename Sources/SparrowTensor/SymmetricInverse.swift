import Dispatch

/// Dense inversion of a symmetric positive-definite matrix, in place, by blocked Gauss–Jordan sweeps whose work is
/// one matrix product per block on the GEMM kernel (the closed-form solve of EASE).
public enum SymmetricInverse {
    /// Why an inversion stopped.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// A pivot was not positive: the matrix is not positive definite (or too ill-conditioned for float32).
        case notPositiveDefinite(row: Int, pivot: Double)

        public var description: String {
            switch self {
            case .notPositiveDefinite(let row, let pivot):
                return "matrix is not positive definite: pivot \(pivot) at row \(row)"
            }
        }
    }

    /// Replaces the row-major `n × n` matrix `a` by its inverse.
    ///
    /// Each block `k` of `block` pivots is swept: `A_ij −= A_ik·P·A_kj`, `A_ik ← A_ik·P`, `A_kj ← −P·A_kj`,
    /// `A_kk ← P` with `P = A_kk⁻¹` (found in double precision). No pivoting: the matrix must be positive definite,
    /// which every sweep checks. The rank-`block` update is split over `threads` row shards.
    /// - Complexity: 2n³ flops, n² + 2·n·block floats of memory.
    public static func invert(_ a: inout [Float], n: Int, block: Int = 128, threads: Int = 2) throws {
        precondition(a.count == n * n, "matrix must be n × n")
        precondition(block > 0 && threads > 0)
        var left = [Float](repeating: 0, count: n * block)  // A[:, K]·P
        var top = [Float](repeating: 0, count: block * n)  // A[K, :]
        try a.withUnsafeMutableBufferPointer { matrix in
            let m = matrix.baseAddress!
            var k0 = 0
            while k0 < n {
                let kb = min(block, n - k0)
                let pivot = try invertSmall(m, n: n, at: k0, size: kb)
                left.withUnsafeMutableBufferPointer { l in
                    top.withUnsafeMutableBufferPointer { t in
                        sweep(m, n: n, at: k0, size: kb, pivot: pivot, left: l.baseAddress!, top: t.baseAddress!,
                            threads: threads)
                    }
                }
                k0 += kb
            }
        }
    }

    /// The inverse (row-major `size × size`, float) of the diagonal block at `k0`.
    static func invertSmall(_ m: UnsafeMutablePointer<Float>, n: Int, at k0: Int, size kb: Int) throws -> [Float] {
        var p = [Double](repeating: 0, count: kb * kb)
        for i in 0..<kb { for j in 0..<kb { p[i * kb + j] = Double(m[(k0 + i) * n + k0 + j]) } }
        for k in 0..<kb {
            let d = p[k * kb + k]
            guard d > 0, d.isFinite else { throw Failure.notPositiveDefinite(row: k0 + k, pivot: d) }
            let inv = 1 / d
            for i in 0..<kb where i != k {
                let f = p[i * kb + k] * inv
                if f == 0 { continue }
                for j in 0..<kb where j != k { p[i * kb + j] -= f * p[k * kb + j] }
            }
            for i in 0..<kb where i != k { p[i * kb + k] *= inv }
            for j in 0..<kb where j != k { p[k * kb + j] *= -inv }
            p[k * kb + k] = inv
        }
        return p.map(Float.init)
    }

    /// The buffers the row shards share; each shard writes only its own rows of `matrix`.
    struct Shared: @unchecked Sendable {
        let left: UnsafeMutablePointer<Float>
        let top: UnsafeMutablePointer<Float>
        let matrix: UnsafeMutablePointer<Float>
    }

    /// One block sweep given `P = A_kk⁻¹`.
    static func sweep(
        _ m: UnsafeMutablePointer<Float>, n: Int, at k0: Int, size kb: Int, pivot: [Float],
        left: UnsafeMutablePointer<Float>, top: UnsafeMutablePointer<Float>, threads: Int
    ) {
        // top = A[K, :]; left = A[:, K]·P.
        for i in 0..<kb { (top + i * n).update(from: m + (k0 + i) * n, count: n) }
        var column = [Float](repeating: 0, count: n * kb)
        for r in 0..<n { for c in 0..<kb { column[r * kb + c] = m[r * n + k0 + c] } }
        pivot.withUnsafeBufferPointer { p in
            Kernels.gemm(
                transposeA: false, transposeB: false, m: n, n: kb, k: kb, alpha: 1, a: column, lda: kb,
                b: p.baseAddress!, ldb: kb, beta: 0, c: left, ldc: kb)
        }
        // A −= left·top over every row (the K rows and columns are overwritten below).
        let shards = max(1, min(threads, n / 256))
        let rowsPerShard = (n + shards - 1) / shards
        let shared = Shared(left: left, top: top, matrix: m)
        DispatchQueue.concurrentPerform(iterations: shards) { s in
            let r0 = s * rowsPerShard
            let rows = min(rowsPerShard, n - r0)
            guard rows > 0 else { return }
            Kernels.gemm(
                transposeA: false, transposeB: false, m: rows, n: n, k: kb, alpha: -1, a: shared.left + r0 * kb,
                lda: kb, b: shared.top, ldb: n, beta: 1, c: shared.matrix + r0 * n, ldc: n)
        }
        let t = UnsafePointer(top)
        // A[:, K] = left; A[K, :] = −P·top; A[K, K] = P.
        for r in 0..<n { for c in 0..<kb { m[r * n + k0 + c] = left[r * kb + c] } }
        pivot.withUnsafeBufferPointer { p in
            Kernels.gemm(
                transposeA: false, transposeB: false, m: kb, n: n, k: kb, alpha: -1, a: p.baseAddress!, lda: kb,
                b: t, ldb: n, beta: 0, c: m + k0 * n, ldc: n)
        }
        for i in 0..<kb { for j in 0..<kb { m[(k0 + i) * n + k0 + j] = pivot[i * kb + j] } }
    }
}
