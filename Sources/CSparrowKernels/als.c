// The inner loop of implicit ALS: each row's regularised weighted least squares by a few conjugate-gradient steps from
// its previous solution. Compiled for AVX-512, AVX2+FMA and plain x86-64; the loader picks one per CPU.
#include "sparrow_kernels.h"

typedef float v8f __attribute__((vector_size(32), aligned(4)));

// dot(a, b) over n floats: eight lanes, then a fixed reduction order.
static inline float dot8(const float *a, const float *b, int n) {
    int body = n & ~7;
    v8f acc = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int j = 0; j < body; j += 8) acc += *(const v8f *)(a + j) * *(const v8f *)(b + j);
    float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (int j = body; j < n; j++) s += a[j] * b[j];
    return s;
}

// out = m · v for a k x k matrix.
static inline void matvec(const float *m, const float *v, float *out, int k) {
    for (int a = 0; a < k; a++) out[a] = dot8(m + (long)a * k, v, k);
}

__attribute__((target_clones("avx512f,avx2,fma,default")))
void sparrow_als_solve_rows(int begin, int end, int k, const float *yty, const float *y, const long *start,
                            const int *items, float confidence, int steps, float *x, float *work) {
    float *r = work, *p = work + k, *ap = work + 2 * k;
    for (int u = begin; u < end; u++) {
        float *xu = x + (long)u * k;
        const int *observed = items + start[u];
        int count = (int)(start[u + 1] - start[u]);
        // r = b − A·x with A = YᵀY + λI + Σᵢ (c−1) yᵢyᵢᵀ and b = Σᵢ c·yᵢ.
        matvec(yty, xu, r, k);
        for (int a = 0; a < k; a++) r[a] = -r[a];
        for (int i = 0; i < count; i++) {
            const float *yi = y + (long)observed[i] * k;
            float coefficient = confidence - (confidence - 1) * dot8(yi, xu, k);
            for (int a = 0; a < k; a++) r[a] += coefficient * yi[a];
        }
        for (int a = 0; a < k; a++) p[a] = r[a];
        float rsOld = dot8(r, r, k);
        if (rsOld < 1e-20f) continue;
        for (int step = 0; step < steps; step++) {
            matvec(yty, p, ap, k);
            for (int i = 0; i < count; i++) {
                const float *yi = y + (long)observed[i] * k;
                float w = (confidence - 1) * dot8(yi, p, k);
                for (int a = 0; a < k; a++) ap[a] += w * yi[a];
            }
            float pAp = dot8(p, ap, k);
            if (!(pAp > 0)) break;
            float alpha = rsOld / pAp;
            for (int a = 0; a < k; a++) {
                xu[a] += alpha * p[a];
                r[a] -= alpha * ap[a];
            }
            float rsNew = dot8(r, r, k);
            if (rsNew < 1e-20f) break;
            float beta = rsNew / rsOld;
            for (int a = 0; a < k; a++) p[a] = r[a] + beta * p[a];
            rsOld = rsNew;
        }
    }
}
