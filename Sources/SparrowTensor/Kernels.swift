import CSparrowKernels

/// Thin Swift entry points to the compute kernels.
public enum Kernels {
    /// C = alpha·op(A)·op(B) + beta·C, row-major (see `sparrow_sgemm`).
    @inlinable
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        sparrow_sgemm(
            transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }

    /// The instruction set in use: "avx512", "avx2" or "portable".
    public static var level: String {
        switch sparrow_kernel_level() {
        case 2: return "avx512"
        case 1: return "avx2"
        default: return "portable"
        }
    }

    /// Caps the instruction set (2 = AVX-512, 1 = AVX2, 0 = portable) for tests and benchmarks.
    @discardableResult
    public static func limitLevel(_ level: Int) -> String {
        sparrow_set_kernel_level(Int32(level))
        return Kernels.level
    }

    /// dst[i] += src[i].
    @inlinable
    public static func add(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { dst[i] += src[i] }
    }

    /// dst[i] += a·src[i].
    @inlinable
    public static func axpy(_ a: Float, _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int)
    {
        for i in 0..<count { dst[i] += a * src[i] }
    }

    /// dst (cols × rows, row-major) += a·srcᵀ for src (rows × cols, row-major), in tiles of 32 rows so the strided
    /// side stays in cache.
    /// - Complexity: rows·cols.
    public static func addTransposed(
        _ a: Float, _ src: UnsafePointer<Float>, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>
    ) {
        for r0 in stride(from: 0, to: rows, by: 32) {
            for c in 0..<cols {
                let column = dst + c * rows
                for r in r0..<min(r0 + 32, rows) { column[r] += a * src[r * cols + c] }
            }
        }
    }

    /// Copies the lower triangle of the n×n row-major matrix `m` onto its upper triangle, in 32 × 32 tiles (a plain
    /// transpose misses the cache on every write).
    /// - Complexity: n²/2.
    public static func mirrorLowerTriangle(_ m: UnsafeMutablePointer<Float>, n: Int) {
        for i0 in stride(from: 0, to: n, by: 32) {
            for j0 in stride(from: 0, through: i0, by: 32) {
                for i in i0..<min(i0 + 32, n) {
                    for j in j0..<min(j0 + 32, i) { m[j * n + i] = m[i * n + j] }
                }
            }
        }
    }

    /// Σ x[i]·y[i].
    @inlinable
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        sparrow_dot(Int32(count), x, y)
    }
}
