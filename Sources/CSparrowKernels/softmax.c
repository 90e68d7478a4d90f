#include "sparrow_kernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

// exp(x) for x <= 0 (and moderately positive) as 2^(x·log2 e): the integer part goes into the exponent bits, the
// fraction through a degree-6 polynomial (relative error ~2e-7). Branch-free, so the loops below vectorise.
static inline float fast_exp(float x) {
    x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
    float t = x * 1.44269504088896341f;
    float fi = floorf(t);
    float f = t - fi;
    float p = 1.535336188319500e-4f;
    p = p * f + 1.339887440266574e-3f;
    p = p * f + 9.618437357674640e-3f;
    p = p * f + 5.550332471162809e-2f;
    p = p * f + 2.402264791363012e-1f;
    p = p * f + 6.931472028550421e-1f;
    p = p * f + 1.0f;
    int32_t bits;
    memcpy(&bits, &p, 4);
    bits += ((int32_t)fi) << 23;
    float r;
    memcpy(&r, &bits, 4);
    return r;
}

// Both reductions run in 16 independent lanes: a single float accumulator is a dependency chain the compiler may
// not reorder (no -ffast-math), which kept this loop scalar.
__attribute__((target_clones("avx512f,avx2,fma,default")))
float sparrow_log_sum_exp(const float *x, int n) {
    enum { L = 16 };
    float lanes[L];
    for (int l = 0; l < L; l++) lanes[l] = -INFINITY;
    int i = 0;
    for (; i + L <= n; i += L)
        for (int l = 0; l < L; l++) lanes[l] = x[i + l] > lanes[l] ? x[i + l] : lanes[l];
    float peak = -INFINITY;
    for (int l = 0; l < L; l++) peak = lanes[l] > peak ? lanes[l] : peak;
    for (; i < n; i++) peak = x[i] > peak ? x[i] : peak;
    for (int l = 0; l < L; l++) lanes[l] = 0;
    for (i = 0; i + L <= n; i += L)
        for (int l = 0; l < L; l++) lanes[l] += fast_exp(x[i + l] - peak);
    float sum = 0;
    for (int l = 0; l < L; l++) sum += lanes[l];
    for (; i < n; i++) sum += fast_exp(x[i] - peak);
    return peak + logf(sum);
}

__attribute__((target_clones("avx512f,avx2,fma,default")))
void sparrow_exp_shift_scale(float *x, int n, float shift, float scale) {
    for (int i = 0; i < n; i++) x[i] = fast_exp(x[i] - shift) * scale;
}
