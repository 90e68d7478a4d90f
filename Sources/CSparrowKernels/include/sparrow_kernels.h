#ifndef SPARROW_KERNELS_H
#define SPARROW_KERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Which instruction set the kernels dispatch to on this CPU: 2 = AVX-512F, 1 = AVX2+FMA, 0 = portable C.
int sparrow_kernel_level(void);

/// Forces a dispatch level no higher than `level` on the calling thread (for tests and benchmarks); returns the level in force.
int sparrow_set_kernel_level(int level);

/// C = alpha * op(A) * op(B) + beta * C, row-major. op(A) is M x K, op(B) is K x N, C is M x N.
/// transA/transB non-zero mean A is stored K x M (lda >= M) / B is stored N x K (ldb >= K).
/// Single-threaded; callers parallelise coarsely.
void sparrow_sgemm(int transA, int transB, int M, int N, int K, float alpha,
                   const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc);

/// Dot product of x and y (float accumulation in vector lanes).
float sparrow_dot(int n, const float *x, const float *y);

/// One Adam step on n weights: g += decay*w; m, v moments updated; w -= lr * m / (sqrt(v) + eps); g cleared when
/// `clear` is non-zero. `lr` already includes the bias correction.
void sparrow_adam_update(int n, float *w, float *g, float *m, float *v, float lr, float beta1, float beta2,
                         float epsilon, float decay, int clear);

/// One skip-gram negative-sampling update: `input` (dim floats) against outputs[0] (the positive) and outputs[1..]
/// (negatives), learning rate `lr`; `work` is dim floats of scratch.
void sparrow_sgns_update(int dim, float *input, float *const *outputs, int count, float lr, float *work);

/// out[r] = dot(matrix row r, vector) for a row-major rows x dim matrix.
void sparrow_matvec_rows(int rows, int dim, const float *matrix, const float *vector, float *out);

/// `sparrow_matvec_rows` for `count` vectors (row-major, `dim` each) at once: out[v * rows + r] = row r · vector v,
/// bit-identical to one call per vector (which is this with count 1), with each block of rows read once for every vector (the catalogue-wide scores
/// of a batch of users read the item table once instead of once per user).
void sparrow_matvec_rows_many(int rows, int dim, const float *matrix, int count, const float *vectors, float *out);

/// Rows [begin, end) of one implicit-ALS half-step: row u of `x` (k floats, updated in place) solves
/// (YᵀY + λI + (c−1)·Σᵢ yᵢyᵢᵀ)·x = c·Σᵢ yᵢ over its observed items items[start[u] ..< start[u + 1]] by `steps`
/// conjugate-gradient steps from its current value; `yty` is YᵀY + λI (k x k), `y` the fixed factors, `work` 3k
/// floats of scratch. Rows are independent: disjoint ranges may run on different threads.
void sparrow_als_solve_rows(int begin, int end, int k, const float *yty, const float *y, const long *start,
                            const int *items, float confidence, int steps, float *x, float *work);

/// For each user u and weighting k: out[(u * weightings + k) * width ..< +width] += Σ weights[e * weightings + k] ·
/// table row rows[e] over the user's entries e = offsets[u] ..< offsets[u + 1], in that order, each product and sum
/// rounded as written (no fused multiply-add) and zero weights skipped: the same values as one row update at a time per
/// user. The columns go in panels, so a row that several users of the batch share is read from memory once per panel.
void sparrow_weighted_row_sums(int width, const float *table, int users, const int *offsets, const int *rows,
                               int weightings, const float *weights, float *out);

/// out row j = table row rows[j] + vector, for n rows of `width` floats.
void sparrow_gather_add_rows(int n, int width, const int *rows, const float *table, const float *vector, float *out);

/// sum[k] = sum[k] * decay + table[rows[j] * width + k] for j = 0 ..< n in order, each step rounded as written (no
/// fused multiply-add: the same values as one update per row), reading rows ahead so that rows of a table larger than
/// the cache arrive while earlier ones are added.
void sparrow_decayed_sum_rows(int n, int width, const int *rows, const float *table, float decay, float *sum);

/// x[i] = max(x[i], 0) for n values.
void sparrow_relu_inplace(int n, float *x);

/// The indices of the k highest scores (skipping NaN and i with skip[i] != 0; skip may be NULL), best first, ties by
/// lower index; their scores in out_score. Returns how many were found (≤ k). O(n log k).
int sparrow_top_k(const float *scores, int n, int k, const unsigned char *skip, int *out_index, float *out_score);

/// log Σ exp(x[i]) over n values (max-shifted; a vectorised exp with ~2e-7 relative error).
float sparrow_log_sum_exp(const float *x, int n);

/// x[i] = exp(x[i] − shift) · scale for n values (the same exp).
void sparrow_exp_shift_scale(float *x, int n, float shift, float scale);

/// Makes standard output line-buffered (progress shows promptly when it goes to a file or a pipe).
void sparrow_line_buffer_stdout(void);

/// Lowers the calling thread's scheduling priority to `niceness` (Linux: per thread; elsewhere: nothing). Returns 0
/// on success. Background jobs (retraining) call it so that serving threads keep the cores.
int sparrow_lower_thread_priority(int niceness);

/// Returns freed heap memory to the system (glibc's `malloc_trim`; elsewhere nothing). Returns 1 when some was.
int sparrow_release_free_memory(void);

#ifdef __cplusplus
}
#endif

#endif
