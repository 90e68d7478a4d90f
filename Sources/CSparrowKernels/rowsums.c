// Weighted sums of table rows for a batch of users: EASE's scores, Σ wᵢ·Bᵢ over each user's history. Compiled for
// AVX-512, AVX2+FMA and plain x86-64; the loader picks one per CPU.
#include "sparrow_kernels.h"

// Columns per pass: every user of the batch reads the same column panel (rows × 256 floats, 10 MB for 10,000 rows),
// which stays in the last-level cache from the first user who reads a row to the last.
enum { ROWSUM_TILE = 256, ROWSUM_AHEAD = 4 };

static inline void prefetch_span(const float *p, int count) {
    for (long b = 0; b < (long)count * (long)sizeof(float); b += 64) __builtin_prefetch((const char *)p + b);
}

__attribute__((target_clones("avx512f,avx2,fma,default")))
void sparrow_weighted_row_sums(int width, const float *table, int users, const int *offsets, const int *rows,
                               int weightings, const float *weights, float *out) {
#pragma clang fp contract(off)
    for (int c0 = 0; c0 < width; c0 += ROWSUM_TILE) {
        int span = c0 + ROWSUM_TILE < width ? ROWSUM_TILE : width - c0;
        for (int u = 0; u < users; u++) {
            int end = offsets[u + 1];
            for (int e = offsets[u]; e < end; e++) {
                if (e + ROWSUM_AHEAD < end) prefetch_span(table + (long)rows[e + ROWSUM_AHEAD] * width + c0, span);
                const float *row = table + (long)rows[e] * width + c0;
                for (int k = 0; k < weightings; k++) {
                    float w = weights[(long)e * weightings + k];
                    if (w == 0) continue;
                    float *dst = out + ((long)u * weightings + k) * width + c0;
                    for (int j = 0; j < span; j++) dst[j] += w * row[j];
                }
            }
        }
    }
}
