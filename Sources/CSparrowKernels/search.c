// Scoring every item against a query and keeping the best k: the inner loops of exact nearest-neighbour search and
// Two-Tower recall. Compiled for AVX-512, AVX2+FMA and plain x86-64; the loader picks one per CPU.
#include <math.h>
#include <stdlib.h>

#include "sparrow_kernels.h"

// Eight lanes with 4-byte alignment: unaligned loads, and a sum the compiler may keep in vector registers (plain C
// could not reorder the additions of one scalar accumulator).
typedef float v8f __attribute__((vector_size(32), aligned(4)));

// Blocks of matrix rows small enough to stay in L1 while every vector passes over them.
enum { MATVEC_TILE = 64 };

__attribute__((target_clones("avx512f,avx2,fma,default")))
void sparrow_matvec_rows_many(int rows, int dim, const float *matrix, int count, const float *vectors, float *out) {
    int body = dim & ~7;
    for (int r0 = 0; r0 < rows; r0 += MATVEC_TILE) {
        int r1 = r0 + MATVEC_TILE < rows ? r0 + MATVEC_TILE : rows;
        for (int v = 0; v < count; v++) {
            const float *vector = vectors + (long)v * dim;
            float *dst = out + (long)v * rows;
            for (int r = r0; r < r1; r++) {
                // Each product alone, eight lanes then a fixed reduction: the same whatever the count.
                const float *row = matrix + (long)r * dim;
                v8f acc = {0, 0, 0, 0, 0, 0, 0, 0};
                for (int j = 0; j < body; j += 8) acc += *(const v8f *)(row + j) * *(const v8f *)(vector + j);
                float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
                for (int j = body; j < dim; j++) s += row[j] * vector[j];
                dst[r] = s;
            }
        }
    }
}

void sparrow_matvec_rows(int rows, int dim, const float *matrix, const float *vector, float *out) {
    sparrow_matvec_rows_many(rows, dim, matrix, 1, vector, out);
}

__attribute__((target_clones("avx512f,avx2,fma,default")))
void sparrow_gather_add_rows(int n, int width, const int *rows, const float *table, const float *vector, float *out) {
    for (int j = 0; j < n; j++) {
        const float *row = table + (long)rows[j] * width;
        float *dst = out + (long)j * width;
        for (int k = 0; k < width; k++) dst[k] = row[k] + vector[k];
    }
}

static inline void prefetch_row(const float *row, int width) {
    for (long b = 0; b < (long)width * (long)sizeof(float); b += 64) __builtin_prefetch((const char *)row + b);
}

void sparrow_decayed_sum_rows(int n, int width, const int *rows, const float *table, float decay, float *sum) {
#pragma clang fp contract(off)
    enum { ahead = 8 };
    for (int j = 0; j < n && j < ahead; j++) prefetch_row(table + (long)rows[j] * width, width);
    for (int j = 0; j < n; j++) {
        if (j + ahead < n) prefetch_row(table + (long)rows[j + ahead] * width, width);
        const float *row = table + (long)rows[j] * width;
        for (int k = 0; k < width; k++) sum[k] = sum[k] * decay + row[k];
    }
}

__attribute__((target_clones("avx512f,avx2,fma,default")))
void sparrow_relu_inplace(int n, float *x) {
    for (int i = 0; i < n; i++) x[i] = x[i] > 0 ? x[i] : 0;
}

typedef struct {
    float score;
    int index;
} scored_t;

// Best first; equal scores by lower index.
static int better_first(const void *a, const void *b) {
    const scored_t *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static inline int better(const scored_t *x, const scored_t *y) {
    return x->score > y->score || (x->score == y->score && x->index < y->index);
}

// Rearranges v[0..<n] so that its first `want` items are the `want` best (in no order): quickselect (Hoare
// partition, median-of-three pivot) on the strict order `better` — indices are unique, so ties cannot degrade it.
// Expected O(n).
static void select_best(scored_t *v, int n, int want) {
    int lo = 0, hi = n - 1, target = want - 1;
    while (hi > lo) {
        int mid = lo + (hi - lo) / 2;
        scored_t a = v[lo], b = v[mid], c = v[hi], pivot;
        if (better(&a, &b)) pivot = better(&b, &c) ? b : (better(&a, &c) ? c : a);
        else pivot = better(&a, &c) ? a : (better(&b, &c) ? c : b);
        int i = lo, j = hi;
        while (i <= j) {
            while (better(&v[i], &pivot)) i++;
            while (better(&pivot, &v[j])) j--;
            if (i <= j) {
                scored_t t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        }
        if (target <= j) hi = j;
        else if (target >= i) lo = i;
        else break;
    }
}

static inline int bucket_of(float s, float lo, float scale, int buckets) {
    float x = (s - lo) * scale;
    if (!(x > 0)) return 0;  // also NaN from infinite scores
    return x >= (float)(buckets - 1) ? buckets - 1 : (int)x;
}

// Selection by a histogram of the score range instead of a heap: a heap of k = 250 over 10,000 random scores
// re-sifts about a thousand times (~60 µs); three linear passes and a sort of ~k items take a fraction of that.
// The best `want` of `picked[0..<count]`, sorted, written out; frees `picked`.
static int emit_best(scored_t *picked, int count, int want, int *out_index, float *out_score) {
    if (count > want) {
        select_best(picked, count, want);
        count = want;
    }
    qsort(picked, (size_t)count, sizeof(scored_t), better_first);
    for (int j = 0; j < count; j++) {
        out_index[j] = picked[j].index;
        out_score[j] = picked[j].score;
    }
    free(picked);
    return count;
}

// One pass when k is small against n: a threshold t from every 16th score (the r-th best of that sample, r about
// twice k/16), then every score ≥ t collected. When at least k are, the k-th best is ≥ t, so the best k are among
// them (ties at t included); otherwise −1 and the caller takes the exact three-pass path.
static int top_k_sampled(const float *scores, int n, int k, const unsigned char *skip, int *out_index,
                         float *out_score) {
    enum { STRIDE = 16 };
    int r = 2 * (k / STRIDE) + 8;
    scored_t *sample = malloc(sizeof(scored_t) * (size_t)(n / STRIDE + 1));
    if (!sample) return -1;
    int m = 0;
    for (int i = 0; i < n; i += STRIDE) {
        float s = scores[i];
        if ((skip && skip[i]) || s != s) continue;
        sample[m] = (scored_t){s, i};
        m++;
    }
    if (m < r) {
        free(sample);
        return -1;
    }
    select_best(sample, m, r);
    float t = sample[0].score;
    for (int j = 1; j < r; j++)
        if (sample[j].score < t) t = sample[j].score;
    free(sample);
    int capacity = 4 * r * STRIDE + 64, count = 0, ties = 0;
    scored_t *picked = malloc(sizeof(scored_t) * (size_t)capacity);
    if (!picked) return -1;
    for (int i = 0; i < n; i++) {
        float s = scores[i];
        if (!(s >= t) || (skip && skip[i])) continue;  // NaN fails the comparison
        // Scores equal to t rank by index, and the scan meets them in index order: the first k of them are the only
        // ones that can be among the best k (a sparse signal's zeros would otherwise fill the array).
        if (s == t && ++ties > k) continue;
        if (count == capacity) {
            capacity *= 2;
            scored_t *grown = realloc(picked, sizeof(scored_t) * (size_t)capacity);
            if (!grown) {
                free(picked);
                return -1;
            }
            picked = grown;
        }
        picked[count++] = (scored_t){s, i};
    }
    if (count < k) {  // (ties past the first k leave count ≥ k)
        free(picked);
        return -1;
    }
    return emit_best(picked, count, k, out_index, out_score);
}

int sparrow_top_k(const float *scores, int n, int k, const unsigned char *skip, int *out_index, float *out_score) {
    if (k <= 0 || n <= 0) return 0;
    if (n >= 2048 && n >= 32 * k) {
        int found = top_k_sampled(scores, n, k, skip, out_index, out_score);
        if (found >= 0) return found;
    }
    enum { BUCKETS = 1024 };
    float lo = INFINITY, hi = -INFINITY;
    int valid = 0;
    for (int i = 0; i < n; i++) {
        float s = scores[i];
        if ((skip && skip[i]) || s != s) continue;
        if (s < lo) lo = s;
        if (s > hi) hi = s;
        valid++;
    }
    if (valid == 0) return 0;
    float scale = hi > lo ? (BUCKETS - 1) / (hi - lo) : 0;
    if (!(scale <= 3.0e38f)) scale = 0;  // a range too small to divide (or infinite scores): one bucket
    int hist[BUCKETS] = {0};
    for (int i = 0; i < n; i++) {
        float s = scores[i];
        if ((skip && skip[i]) || s != s) continue;
        hist[bucket_of(s, lo, scale, BUCKETS)]++;
    }
    // The bucket holding the k-th best: everything above it is in, it is sorted to pick the rest.
    int want = k < valid ? k : valid, above = 0, boundary = BUCKETS - 1;
    for (; boundary > 0; boundary--) {
        if (above + hist[boundary] >= want) break;
        above += hist[boundary];
    }
    int capacity = above + hist[boundary];
    scored_t *picked = malloc(sizeof(scored_t) * (size_t)capacity);
    if (!picked) return 0;
    int count = 0;
    for (int i = 0; i < n; i++) {
        float s = scores[i];
        if ((skip && skip[i]) || s != s) continue;
        if (bucket_of(s, lo, scale, BUCKETS) >= boundary) picked[count++] = (scored_t){s, i};
    }
    // The boundary bucket can hold most of the catalogue (a sparse signal's zeros): select before sorting.
    return emit_best(picked, count, want, out_index, out_score);
}
