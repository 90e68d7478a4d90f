// Register-blocked single-precision matrix multiply with runtime CPU dispatch.
//
// The micro-kernels keep an MR x NR block of C in vector registers and stream one row of B and a broadcast column of
// A per step of k. AVX-512: 8 x 32 (16 accumulators). AVX2: 6 x 16 (12 accumulators). Shapes in Sparrow's models are
// small (batch 12..512, widths up to a few hundred), so B is not packed except when it is transposed, and A is read
// in place through its strides (both layouts give a contiguous run for the broadcast loads to come from).
#include "sparrow_kernels.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local int forced_level = 99;  // per thread, so a test forcing a level affects only itself
static int detected_level = -1;

int sparrow_kernel_level(void) {
    if (detected_level < 0) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) detected_level = 2;
        else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) detected_level = 1;
        else detected_level = 0;
#else
        detected_level = 0;
#endif
    }
    return detected_level < forced_level ? detected_level : forced_level;
}

int sparrow_set_kernel_level(int level) {
    forced_level = level;
    return sparrow_kernel_level();
}

// Thread-local scratch for a transposed B.
static _Thread_local float *scratch = NULL;
static _Thread_local size_t scratch_size = 0;

static float *scratch_buffer(size_t n) {
    if (n > scratch_size) {
        free(scratch);
        scratch = (float *)malloc(n * sizeof(float));
        scratch_size = n;
    }
    return scratch;
}

// ---------------------------------------------------------------------------------------------------------------
// Portable kernel: C += alpha * A * B (A element (i,k) at A[i*ars + k*acs]; B row-major K x N).
static void gemm_portable(int M, int N, int K, float alpha, const float *A, int ars, int acs, const float *B, int ldb,
                          float *C, int ldc) {
    for (int i = 0; i < M; i++) {
        float *c = C + (size_t)i * ldc;
        for (int k = 0; k < K; k++) {
            float a = alpha * A[(size_t)i * ars + (size_t)k * acs];
            if (a == 0.0f) continue;
            const float *b = B + (size_t)k * ldb;
            for (int j = 0; j < N; j++) c[j] += a * b[j];
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// AVX2 + FMA: 6 x 16 micro-kernel.
__attribute__((target("avx2,fma"))) static void gemm_avx2_panel(int M, int N, int K, float alpha, const float *A,
                                                               int ars, int acs, const float *B, int ldb, float *C,
                                                               int ldc);

// K in blocks of GEMM_KC, so the block of B (and, transposed, of A) a pass of row tiles reads stays in cache; the
// micro-kernel accumulates into C, so the blocks simply add up.
enum { GEMM_KC = 256 };
static _Thread_local float *packed_a = NULL;
static _Thread_local size_t packed_a_size = 0;

// Transposed A (acs != 1) is read a column at a time, a page apart per k: blocks of GEMM_MC rows are first packed
// into 6-row tiles (element (r, k) of a tile at k*6 + r), touching each page once per block.
enum { GEMM_MC = 192 };
__attribute__((target("avx2,fma"))) static void gemm_avx2(int M, int N, int K, float alpha, const float *A, int ars,
                                                         int acs, const float *B, int ldb, float *C, int ldc) {
    int pack = acs != 1 && ars == 1 && M >= 24;
    if (pack && packed_a_size < (size_t)GEMM_MC * GEMM_KC) {
        free(packed_a);
        packed_a_size = (size_t)GEMM_MC * GEMM_KC;
        packed_a = (float *)malloc(packed_a_size * sizeof(float));
    }
    for (int k0 = 0; k0 < K; k0 += GEMM_KC) {
        int kc = K - k0 < GEMM_KC ? K - k0 : GEMM_KC;
        if (!pack) {
            gemm_avx2_panel(M, N, kc, alpha, A + (size_t)k0 * acs, ars, acs, B + (size_t)k0 * ldb, ldb, C, ldc);
            continue;
        }
        for (int i0 = 0; i0 < M; i0 += GEMM_MC) {
            int mc = M - i0 < GEMM_MC ? M - i0 : GEMM_MC;
            int full = mc / 6, rest = mc % 6;
            for (int k = 0; k < kc; k++) {
                const float *src = A + (size_t)i0 + (size_t)(k0 + k) * acs;
                float *dst = packed_a + (size_t)k * 6;
                for (int t = 0; t < full; t++, src += 6, dst += (size_t)6 * kc) {
                    dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2];
                    dst[3] = src[3]; dst[4] = src[4]; dst[5] = src[5];
                }
                for (int r = 0; r < rest; r++) dst[r] = src[r];
            }
            for (int t = 0; t * 6 < mc; t++) {
                int mr = mc - t * 6 < 6 ? mc - t * 6 : 6;
                gemm_avx2_panel(mr, N, kc, alpha, packed_a + (size_t)t * 6 * kc, 1, 6, B + (size_t)k0 * ldb, ldb,
                                C + (size_t)(i0 + t * 6) * ldc, ldc);
            }
        }
    }
}

__attribute__((target("avx2,fma"))) static void gemm_avx2_panel(int M, int N, int K, float alpha, const float *A,
                                                               int ars, int acs, const float *B, int ldb, float *C,
                                                               int ldc) {
    enum { MR = 6, NR = 16 };
    int j = 0;
    for (; j + NR <= N; j += NR) {
        int i = 0;
        for (; i + MR <= M; i += MR) {
            __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
            __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
            __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
            __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
            __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
            __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
            const float *a = A + (size_t)i * ars;
            for (int k = 0; k < K; k++) {
                const float *b = B + (size_t)k * ldb + j;
                __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
                const float *ak = a + (size_t)k * acs;
                __m256 x;
                x = _mm256_broadcast_ss(ak);
                c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
                x = _mm256_broadcast_ss(ak + ars);
                c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
                x = _mm256_broadcast_ss(ak + 2 * ars);
                c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
                x = _mm256_broadcast_ss(ak + 3 * ars);
                c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
                x = _mm256_broadcast_ss(ak + 4 * ars);
                c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
                x = _mm256_broadcast_ss(ak + 5 * ars);
                c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
            }
            __m256 al = _mm256_set1_ps(alpha);
            float *c = C + (size_t)i * ldc + j;
#define STORE2(r, v0, v1)                                                                                           \
    _mm256_storeu_ps(c + (size_t)(r)*ldc, _mm256_fmadd_ps(al, v0, _mm256_loadu_ps(c + (size_t)(r)*ldc)));          \
    _mm256_storeu_ps(c + (size_t)(r)*ldc + 8, _mm256_fmadd_ps(al, v1, _mm256_loadu_ps(c + (size_t)(r)*ldc + 8)));
            STORE2(0, c00, c01) STORE2(1, c10, c11) STORE2(2, c20, c21)
            STORE2(3, c30, c31) STORE2(4, c40, c41) STORE2(5, c50, c51)
#undef STORE2
        }
        for (; i < M; i++) {  // leftover rows, one at a time
            __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps();
            for (int k = 0; k < K; k++) {
                const float *b = B + (size_t)k * ldb + j;
                __m256 x = _mm256_broadcast_ss(A + (size_t)i * ars + (size_t)k * acs);
                c0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(b), c0);
                c1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(b + 8), c1);
            }
            float *c = C + (size_t)i * ldc + j;
            __m256 al = _mm256_set1_ps(alpha);
            _mm256_storeu_ps(c, _mm256_fmadd_ps(al, c0, _mm256_loadu_ps(c)));
            _mm256_storeu_ps(c + 8, _mm256_fmadd_ps(al, c1, _mm256_loadu_ps(c + 8)));
        }
    }
    if (j < N) gemm_portable(M, N - j, K, alpha, A, ars, acs, B + j, ldb, C + j, ldc);
}

// ---------------------------------------------------------------------------------------------------------------
// AVX-512: 8 x 32 micro-kernel, masked for the last columns.
__attribute__((target("avx512f"))) static void gemm_avx512(int M, int N, int K, float alpha, const float *A,
                                                          int ars, int acs, const float *B, int ldb, float *C,
                                                          int ldc) {
    enum { MR = 8, NR = 32 };
    for (int j = 0; j < N; j += NR) {
        int rem = N - j;
        __mmask16 m0 = rem >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rem) - 1);
        __mmask16 m1 = rem >= 32 ? (__mmask16)0xFFFF : rem > 16 ? (__mmask16)((1u << (rem - 16)) - 1) : 0;
        int i = 0;
        for (; i + MR <= M; i += MR) {
            __m512 c[MR][2];
            for (int r = 0; r < MR; r++) { c[r][0] = _mm512_setzero_ps(); c[r][1] = _mm512_setzero_ps(); }
            const float *a = A + (size_t)i * ars;
            for (int k = 0; k < K; k++) {
                const float *b = B + (size_t)k * ldb + j;
                __m512 b0 = _mm512_maskz_loadu_ps(m0, b), b1 = _mm512_maskz_loadu_ps(m1, b + 16);
                const float *ak = a + (size_t)k * acs;
#pragma GCC unroll 8
                for (int r = 0; r < MR; r++) {
                    __m512 x = _mm512_set1_ps(ak[(size_t)r * ars]);
                    c[r][0] = _mm512_fmadd_ps(x, b0, c[r][0]);
                    c[r][1] = _mm512_fmadd_ps(x, b1, c[r][1]);
                }
            }
            __m512 al = _mm512_set1_ps(alpha);
            for (int r = 0; r < MR; r++) {
                float *cr = C + (size_t)(i + r) * ldc + j;
                _mm512_mask_storeu_ps(cr, m0, _mm512_fmadd_ps(al, c[r][0], _mm512_maskz_loadu_ps(m0, cr)));
                _mm512_mask_storeu_ps(cr + 16, m1, _mm512_fmadd_ps(al, c[r][1], _mm512_maskz_loadu_ps(m1, cr + 16)));
            }
        }
        for (; i < M; i++) {
            __m512 c0 = _mm512_setzero_ps(), c1 = _mm512_setzero_ps();
            for (int k = 0; k < K; k++) {
                const float *b = B + (size_t)k * ldb + j;
                __m512 x = _mm512_set1_ps(A[(size_t)i * ars + (size_t)k * acs]);
                c0 = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(m0, b), c0);
                c1 = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(m1, b + 16), c1);
            }
            float *cr = C + (size_t)i * ldc + j;
            __m512 al = _mm512_set1_ps(alpha);
            _mm512_mask_storeu_ps(cr, m0, _mm512_fmadd_ps(al, c0, _mm512_maskz_loadu_ps(m0, cr)));
            _mm512_mask_storeu_ps(cr + 16, m1, _mm512_fmadd_ps(al, c1, _mm512_maskz_loadu_ps(m1, cr + 16)));
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// op(B) = B^T without packing: C[i,j] += alpha * sum_k opA(i,k) * B[j*ldb + k] as dot products of contiguous rows,
// 4 x 4 blocks of (i, j) at a time with 16 vector accumulators, reduced horizontally at the end. Needs A's rows
// contiguous along k (ars = lda, acs = 1).
__attribute__((target("avx512f"))) static void gemm_nt_avx512(int M, int N, int K, float alpha, const float *A,
                                                             int lda, const float *B, int ldb, float *C, int ldc) {
    int i = 0;
    for (; i < M; i += 4) {
        int mi = M - i < 4 ? M - i : 4;
        for (int j = 0; j < N; j += 4) {
            int nj = N - j < 4 ? N - j : 4;
            __m512 acc[4][4];
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) acc[r][c] = _mm512_setzero_ps();
            const float *a[4], *b[4];
            for (int r = 0; r < 4; r++) a[r] = A + (size_t)(i + (r < mi ? r : 0)) * lda;
            for (int c = 0; c < 4; c++) b[c] = B + (size_t)(j + (c < nj ? c : 0)) * ldb;
            for (int k = 0; k < K; k += 16) {
                int rem = K - k;
                __mmask16 mk = rem >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rem) - 1);
                __m512 bv[4];
                for (int c = 0; c < 4; c++) bv[c] = _mm512_maskz_loadu_ps(mk, b[c] + k);
                for (int r = 0; r < 4; r++) {
                    __m512 av = _mm512_maskz_loadu_ps(mk, a[r] + k);
                    for (int c = 0; c < 4; c++) acc[r][c] = _mm512_fmadd_ps(av, bv[c], acc[r][c]);
                }
            }
            for (int r = 0; r < mi; r++)
                for (int c = 0; c < nj; c++)
                    C[(size_t)(i + r) * ldc + j + c] += alpha * _mm512_reduce_add_ps(acc[r][c]);
        }
    }
}

__attribute__((target("avx2,fma"))) static float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 0x55));
    return _mm_cvtss_f32(lo);
}

__attribute__((target("avx2,fma"))) static void gemm_nt_avx2(int M, int N, int K, float alpha, const float *A, int lda,
                                                           const float *B, int ldb, float *C, int ldc) {
    for (int i = 0; i < M; i += 2) {
        int mi = M - i < 2 ? M - i : 2;
        for (int j = 0; j < N; j += 4) {
            int nj = N - j < 4 ? N - j : 4;
            __m256 acc[2][4];
            for (int r = 0; r < 2; r++)
                for (int c = 0; c < 4; c++) acc[r][c] = _mm256_setzero_ps();
            const float *a[2], *b[4];
            for (int r = 0; r < 2; r++) a[r] = A + (size_t)(i + (r < mi ? r : 0)) * lda;
            for (int c = 0; c < 4; c++) b[c] = B + (size_t)(j + (c < nj ? c : 0)) * ldb;
            int k = 0;
            for (; k + 8 <= K; k += 8) {
                __m256 bv[4];
                for (int c = 0; c < 4; c++) bv[c] = _mm256_loadu_ps(b[c] + k);
                for (int r = 0; r < 2; r++) {
                    __m256 av = _mm256_loadu_ps(a[r] + k);
                    for (int c = 0; c < 4; c++) acc[r][c] = _mm256_fmadd_ps(av, bv[c], acc[r][c]);
                }
            }
            for (int r = 0; r < mi; r++)
                for (int c = 0; c < nj; c++) {
                    float s = hsum256(acc[r][c]);
                    for (int kk = k; kk < K; kk++) s += a[r][kk] * b[c][kk];
                    C[(size_t)(i + r) * ldc + j + c] += alpha * s;
                }
        }
    }
}

void sparrow_sgemm(int transA, int transB, int M, int N, int K, float alpha, const float *A, int lda, const float *B,
                   int ldb, float beta, float *C, int ldc) {
    if (M <= 0 || N <= 0) return;
    if (beta == 0.0f) {
        for (int i = 0; i < M; i++) memset(C + (size_t)i * ldc, 0, (size_t)N * sizeof(float));
    } else if (beta != 1.0f) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) C[(size_t)i * ldc + j] *= beta;
    }
    if (K <= 0 || alpha == 0.0f) return;
    // Element (i,k) of op(A): A[i*ars + k*acs].
    int ars = transA ? 1 : lda;
    int acs = transA ? lda : 1;
    const float *b = B;
    int bld = ldb;
    int level = sparrow_kernel_level();
    if (transB && !transA && level == 2) {
        gemm_nt_avx512(M, N, K, alpha, A, lda, B, ldb, C, ldc);
        return;
    }
    // Short dot products (K < 128) go faster as a packed Bᵀ through the broadcast kernel.
    if (transB && !transA && level == 1 && K >= 128) {
        gemm_nt_avx2(M, N, K, alpha, A, lda, B, ldb, C, ldc);
        return;
    }
    if (transB) {  // pack op(B) = B^T (K x N) contiguously
        float *t = scratch_buffer((size_t)K * N);
        for (int n = 0; n < N; n++) {
            const float *src = B + (size_t)n * ldb;
            for (int k = 0; k < K; k++) t[(size_t)k * N + n] = src[k];
        }
        b = t;
        bld = N;
    }
    switch (level) {
    case 2: gemm_avx512(M, N, K, alpha, A, ars, acs, b, bld, C, ldc); break;
    case 1: gemm_avx2(M, N, K, alpha, A, ars, acs, b, bld, C, ldc); break;
    default: gemm_portable(M, N, K, alpha, A, ars, acs, b, bld, C, ldc); break;
    }
}

float sparrow_dot(int n, const float *x, const float *y) {
    float acc[8] = {0};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int l = 0; l < 8; l++) acc[l] += x[i + l] * y[i + l];
    float s = 0;
    for (int l = 0; l < 8; l++) s += acc[l];
    for (; i < n; i++) s += x[i] * y[i];
    return s;
}
