import Dispatch

/// Dense inversion of a symmetric positive-definite matrix, in place, by blocked Gauss–Jordan sweeps that keep only
/// the lower triangle — the closed-form solve of EASE, one matrix product per block on the GEMM kernel.
public enum SymmetricInverse {
    /// Why an inversion stopped.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// A pivot was not positive: the matrix is not positive definite (or too ill-conditioned for float32).
        case notPositiveDefinite(row: Int, pivot: Double)

        /// One sentence for logs and the command line.
        public var description: String {
            switch self {
            case .notPositiveDefinite(let row, let pivot):
                return "matrix is not positive definite: pivot \(pivot) at row \(row)"
            }
        }
    }

    /// Replaces the row-major `n × n` matrix `a` (only its lower triangle is read) by its inverse (full).
    ///
    /// Each block K of `block` pivots is swept: `A_ij −= A_iK·P·A_Kj`, `A_iK ← A_iK·P`, `A_Kj ← −P·A_Kj`,
    /// `A_KK ← P` with `P = A_KK⁻¹` (found in double precision). Through the sweeps the matrix stays symmetric between
    /// two swept or two unswept indices and antisymmetric between a swept and an unswept one, so only the lower
    /// triangle is updated and the upper half is read from it with the right sign; the result is mirrored at the end.
    /// No pivoting: the matrix must be positive definite, which every sweep checks. The update is split over
    /// `threads` by row blocks.
    /// - Complexity: n³ flops, n² + 3·n·block floats of memory.
    public static func invert(_ a: inout [Float], n: Int, block: Int = 128, threads: Int = 2) throws {
        precondition(a.count == n * n, "matrix must be n × n")
        precondition(block > 0 && threads > 0)
        let column = UnsafeMutablePointer<Float>.allocate(capacity: n * block)  // A[:, K]
        let left = UnsafeMutablePointer<Float>.allocate(capacity: n * block)  // A[:, K]·P
        let top = UnsafeMutablePointer<Float>.allocate(capacity: block * n)  // A[K, :]
        defer {
            column.deallocate()
            left.deallocate()
            top.deallocate()
        }
        try a.withUnsafeMutableBufferPointer { matrix in
            let m = matrix.baseAddress!
            let buffers = Buffers(matrix: m, column: column, left: left, top: top)
            var k0 = 0
            while k0 < n {
                let kb = min(block, n - k0)
                let pivot = try invertSmall(m, n: n, at: k0, size: kb)
                sweep(buffers, n: n, at: k0, size: kb, pivot: pivot, threads: threads)
                k0 += kb
            }
            Kernels.mirrorLowerTriangle(m, n: n)
        }
    }

    /// The inverse (row-major `size × size`, float) of the diagonal block at `k0`, from its lower triangle.
    static func invertSmall(_ m: UnsafeMutablePointer<Float>, n: Int, at k0: Int, size kb: Int) throws -> [Float] {
        var p = [Double](repeating: 0, count: kb * kb)
        for i in 0..<kb {
            for j in 0...i {
                let v = Double(m[(k0 + i) * n + k0 + j])
                p[i * kb + j] = v
                p[j * kb + i] = v
            }
        }
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

    /// The scratch buffers a sweep's row blocks share; each writes only its own rows of `matrix`.
    struct Buffers: @unchecked Sendable {
        let matrix: UnsafeMutablePointer<Float>
        let column: UnsafeMutablePointer<Float>
        let left: UnsafeMutablePointer<Float>
        let top: UnsafeMutablePointer<Float>
    }

    /// One block sweep of the lower triangle given `P = A_KK⁻¹`.
    static func sweep(_ b: Buffers, n: Int, at k0: Int, size kb: Int, pivot: [Float], threads: Int) {
        let m = b.matrix
        let k1 = k0 + kb
        // column = A[:, K]: rows above K are swept, K is not, so A[i, c] = −A[c, i] there (read in tiles of `tile`
        // rows, so the strided side stays in cache); rows below K are contiguous in the lower triangle.
        let tile = 32
        for r0 in stride(from: 0, to: k0, by: tile) {
            let r1 = min(r0 + tile, k0)
            for c in 0..<kb {
                let source = m + (k0 + c) * n
                for r in r0..<r1 { b.column[r * kb + c] = -source[r] }
            }
        }
        for r in k1..<max(k1, n) { for c in 0..<kb { b.column[r * kb + c] = m[r * n + k0 + c] } }
        for i in 0..<kb {
            for j in 0..<kb {
                b.column[(k0 + i) * kb + j] = i >= j ? m[(k0 + i) * n + k0 + j] : m[(k0 + j) * n + k0 + i]
            }
        }
        // top = A[K, :]: left of K the lower triangle; right of K (both unswept) the transposed column.
        for c in 0..<kb {
            let row = b.top + c * n
            for j in 0..<k0 { row[j] = m[(k0 + c) * n + j] }
        }
        for j0 in stride(from: k0, to: n, by: tile) {
            let j1 = min(j0 + tile, n)
            for c in 0..<kb {
                let row = b.top + c * n
                for j in j0..<j1 { row[j] = b.column[j * kb + c] }
            }
        }
        pivot.withUnsafeBufferPointer { p in
            Kernels.gemm(
                transposeA: false, transposeB: false, m: n, n: kb, k: kb, alpha: 1, a: b.column, lda: kb,
                b: p.baseAddress!, ldb: kb, beta: 0, c: b.left, ldc: kb)
        }
        // Lower triangle −= left·top, by row blocks of `kb` (interleaved over the threads to balance the triangle).
        // Row blocks a multiple of the kernel's 6-row tile (no leftover rows on the slow path).
        let rowBlock = 6 * max(kb / 6, 11)
        let blocks = (n + rowBlock - 1) / rowBlock
        let shards = max(1, min(threads, blocks))
        DispatchQueue.concurrentPerform(iterations: shards) { s in
            for blockIndex in stride(from: s, to: blocks, by: shards) {
                let r0 = blockIndex * rowBlock
                let rows = min(rowBlock, n - r0)
                Kernels.gemm(
                    transposeA: false, transposeB: false, m: rows, n: r0 + rows, k: kb, alpha: -1, a: b.left + r0 * kb,
                    lda: kb, b: b.top, ldb: n, beta: 1, c: b.matrix + r0 * n, ldc: n)
            }
        }
        // A[i, K] = left (rows below K); A[K, j] = −P·top (columns left of K); A[K, K] = P.
        for r in k1..<max(k1, n) { for c in 0..<kb { m[r * n + k0 + c] = b.left[r * kb + c] } }
        if k0 > 0 {
            pivot.withUnsafeBufferPointer { p in
                Kernels.gemm(
                    transposeA: false, transposeB: false, m: kb, n: k0, k: kb, alpha: -1, a: p.baseAddress!, lda: kb,
                    b: b.top, ldb: n, beta: 0, c: m + k0 * n, ldc: n)
            }
        }
        for i in 0..<kb { for j in 0..<kb { m[(k0 + i) * n + k0 + j] = pivot[i * kb + j] } }
    }
}
