// Element-wise optimizer updates, written so the compiler vectorises them (restrict pointers, -O3).
#include "sparrow_kernels.h"

#include <math.h>

__attribute__((target_clones("avx512f,avx2,fma,default")))
void sparrow_adam_update(int n, float *restrict w, float *restrict g, float *restrict m, float *restrict v, float lr,
                         float beta1, float beta2, float epsilon, float decay, int clear) {
    for (int i = 0; i < n; i++) {
        float gi = g[i] + decay * w[i];
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] -= lr * mi / (sqrtf(vi) + epsilon);
    }
    if (clear)
        for (int i = 0; i < n; i++) g[i] = 0.0f;
}
