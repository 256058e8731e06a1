/* Floating-point kernels: a 128x128 f64 matrix product, an LU
 * factorization with partial pivoting that solves A x = b, and an f32
 * FIR filter. Loads, stores, multiply-adds and divisions over arrays
 * that fit in cache. The checksum folds the results scaled to integers.
 * ROUNDS = repetitions of the three kernels (default 80). */
#include <math.h>

#include "common.h"

#define N 128
#define SIGNAL 16384
#define TAPS 64

static double a[N][N], b[N][N], c[N][N], lu[N][N];
static double rhs[N], x[N];
static float signal_in[SIGNAL], signal_out[SIGNAL], taps[TAPS];

static double uniform(rng_t *rng) { return (double)(rng_next(rng) >> 11) / 9007199254740992.0 - 0.5; }

static void matmul(void) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) c[i][j] = 0;
        for (int k = 0; k < N; k++) {
            double aik = a[i][k];
            for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
        }
    }
}

/* Solves lu * x = rhs in place (lu and rhs are overwritten); returns 0 if singular. */
static int lu_solve(void) {
    int perm[N];
    for (int i = 0; i < N; i++) perm[i] = i;
    for (int k = 0; k < N; k++) {
        int pivot = k;
        for (int i = k + 1; i < N; i++)
            if (fabs(lu[i][k]) > fabs(lu[pivot][k])) pivot = i;
        if (lu[pivot][k] == 0) return 0;
        if (pivot != k) {
            for (int j = 0; j < N; j++) {
                double t = lu[k][j];
                lu[k][j] = lu[pivot][j];
                lu[pivot][j] = t;
            }
            double t = rhs[k];
            rhs[k] = rhs[pivot];
            rhs[pivot] = t;
            int p = perm[k];
            perm[k] = perm[pivot];
            perm[pivot] = p;
        }
        for (int i = k + 1; i < N; i++) {
            double factor = lu[i][k] / lu[k][k];
            lu[i][k] = factor;
            for (int j = k + 1; j < N; j++) lu[i][j] -= factor * lu[k][j];
            rhs[i] -= factor * rhs[k];
        }
    }
    for (int i = N - 1; i >= 0; i--) {
        double sum = rhs[i];
        for (int j = i + 1; j < N; j++) sum -= lu[i][j] * x[j];
        x[i] = sum / lu[i][i];
    }
    return 1;
}

static void fir(void) {
    for (int i = 0; i < SIGNAL; i++) {
        float acc = 0;
        for (int t = 0; t < TAPS && t <= i; t++) acc += taps[t] * signal_in[i - t];
        signal_out[i] = acc;
    }
}

int main(int argc, char **argv) {
    int rounds = rounds_arg(argc, argv, 80);
    rng_t rng = rng_new(4);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = uniform(&rng);
            b[i][j] = uniform(&rng);
        }
    for (int i = 0; i < SIGNAL; i++) signal_in[i] = (float)uniform(&rng);
    for (int t = 0; t < TAPS; t++) taps[t] = (float)uniform(&rng) / TAPS;

    uint64_t checksum = MIX_INIT;
    for (int r = 0; r < rounds; r++) {
        matmul();
        double trace = 0;
        for (int i = 0; i < N; i++) trace += c[i][i];
        checksum = mix(checksum, (uint64_t)(int64_t)(trace * 1e6));

        /* A diagonally weighted system built from the product, new each round. */
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) lu[i][j] = c[i][j] + (i == j ? N * 0.25 + r : 0);
            rhs[i] = (double)(i % 7) - 3.0;
        }
        if (!lu_solve()) {
            printf("singular matrix\n");
            return 1;
        }
        double norm = 0;
        for (int i = 0; i < N; i++) norm += x[i] * x[i];
        checksum = mix(checksum, (uint64_t)(int64_t)(sqrt(norm) * 1e9));

        fir();
        double energy = 0;
        for (int i = 0; i < SIGNAL; i += 3) energy += (double)signal_out[i] * signal_out[i];
        checksum = mix(checksum, (uint64_t)(int64_t)(energy * 1e6));
        /* Feed the results back so that every round differs. */
        for (int j = 0; j < N; j++) a[r % N][j] += x[j];
        for (int i = 0; i < SIGNAL; i++) signal_in[i] = signal_out[i] * 4.0f + signal_in[i] * 0.5f;
    }
    print_checksum(checksum);
    return 0;
}
