/* Helpers shared by the C workloads: a deterministic pseudo-random
 * generator (inputs are made inside each program, never read from files),
 * the optional ROUNDS argument, and the checksum line the runner checks. */
#ifndef EMBER_BENCH_COMMON_H
#define EMBER_BENCH_COMMON_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* xorshift64*: fast, good enough for test data, identical everywhere. */
typedef struct {
    uint64_t state;
} rng_t;

static inline rng_t rng_new(uint64_t seed) {
    rng_t r = {seed ? seed : 0x9E3779B97F4A7C15ull};
    return r;
}

static inline uint64_t rng_next(rng_t *r) {
    uint64_t x = r->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* A value in [0, bound). */
static inline uint32_t rng_below(rng_t *r, uint32_t bound) {
    return (uint32_t)((rng_next(r) >> 32) * bound >> 32);
}

/* The work size: argv[1] when given (used for quick runs and in-process
 * benchmarks), otherwise the default the suite is timed with. */
static inline int rounds_arg(int argc, char **argv, int fallback) {
    if (argc > 1) {
        int n = atoi(argv[1]);
        if (n > 0) return n;
    }
    return fallback;
}

/* FNV-1a over 64-bit words, to fold results into one checksum. */
static inline uint64_t mix(uint64_t hash, uint64_t value) {
    for (int i = 0; i < 8; i++) {
        hash ^= (value >> (8 * i)) & 0xff;
        hash *= 0x100000001B3ull;
    }
    return hash;
}
#define MIX_INIT 0xCBF29CE484222325ull

static inline void print_checksum(uint64_t checksum) {
    printf("%016" PRIx64 "\n", checksum);
}

#endif
