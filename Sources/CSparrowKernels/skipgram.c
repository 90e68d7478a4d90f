// The inner loop of skip-gram with negative sampling: one input vector against one positive and several negative
// output vectors, updating both sides (word2vec's update, with an exact sigmoid clipped at |x| > 6).
#include "sparrow_kernels.h"

#include <math.h>

__attribute__((target_clones("avx512f,avx2,fma,default")))
void sparrow_sgns_update(int dim, float *restrict input, float *const *outputs, int count, float lr,
                         float *restrict work) {
    for (int k = 0; k < dim; k++) work[k] = 0.0f;
    for (int t = 0; t < count; t++) {
        float *restrict out = outputs[t];
        // Dot product with 16 independent partial sums, so it vectorises without -ffast-math.
        float acc[16] = {0};
        int k = 0;
        for (; k + 16 <= dim; k += 16)
            for (int l = 0; l < 16; l++) acc[l] += input[k + l] * out[k + l];
        float f = 0.0f;
        for (int l = 0; l < 16; l++) f += acc[l];
        for (; k < dim; k++) f += input[k] * out[k];
        float label = t == 0 ? 1.0f : 0.0f;
        float sig;
        if (f > 6.0f) sig = 1.0f;
        else if (f < -6.0f) sig = 0.0f;
        else sig = 1.0f / (1.0f + expf(-f));
        float g = (label - sig) * lr;
        for (int k = 0; k < dim; k++) work[k] += g * out[k];
        for (int k = 0; k < dim; k++) out[k] += g * input[k];
    }
    for (int k = 0; k < dim; k++) input[k] += work[k];
}
