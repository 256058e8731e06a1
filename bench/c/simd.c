/* 128-bit SIMD kernels, built for WebAssembly with -msimd128 (see the
 * features column of bench/workloads.tsv): an RGBA image pipeline on
 * 512x512 pixels (a separable [1 2 1] blur in 16-bit lanes, alpha blending
 * with per-pixel alpha, a channel swizzle with a saturating brighten, and
 * an integer luma conversion) and f32 kernels over 64K floats (axpby and
 * two dot products with vector accumulators).
 *
 * The vectors are clang's generic vector types (vector_size(16)), not
 * wasm_simd128.h: with -msimd128 they compile to v128 instructions
 * (extend, narrow, shuffle, i16x8/i32x4 arithmetic, f32x4 mul/add, ...),
 * and the same source builds for the host, where bench/check-native
 * checks the checksum. Every operation is lane-wise integer arithmetic or
 * a single IEEE f32 operation per lane, in a fixed order, so every target
 * computes the same bits.
 * ROUNDS = repetitions of the image pipeline and the f32 kernels (default 300). */
#include <string.h>

#include "common.h"

/* No fused multiply-add on hosts that have one: Wasm rounds every step. */
#pragma STDC FP_CONTRACT OFF

typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef uint8_t u8x8 __attribute__((vector_size(8)));
typedef int8_t i8x16 __attribute__((vector_size(16)));
typedef uint16_t u16x8 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef float f32x4 __attribute__((vector_size(16)));

#define WIDTH 512
#define HEIGHT 512
#define STRIDE (WIDTH * 4) /* bytes per row */
#define PIXELS (WIDTH * HEIGHT)
#define FLOATS 65536

static uint8_t base[PIXELS * 4], image[PIXELS * 4], scratch[PIXELS * 4], blurred[PIXELS * 4];
static float xs[FLOATS], ys[FLOATS];

/* Unaligned 16-byte loads and stores (v128.load / v128.store). */
static inline u8x16 load8(const uint8_t *p) {
    u8x16 v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void store8(uint8_t *p, u8x16 v) { memcpy(p, &v, sizeof v); }
static inline u32x4 load32(const uint8_t *p) {
    u32x4 v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline f32x4 loadf(const float *p) {
    f32x4 v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void storef(float *p, f32x4 v) { memcpy(p, &v, sizeof v); }

/* Bytes to 16-bit lanes and back (extend_low/high_u, narrow). */
static inline u16x8 widen_low(u8x16 v) {
    return __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7), u16x8);
}
static inline u16x8 widen_high(u8x16 v) {
    return __builtin_convertvector(__builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15), u16x8);
}
/* Every lane is at most 255 here, so truncating is exact. */
static inline u8x16 narrow(u16x8 low, u16x8 high) {
    u8x8 l = __builtin_convertvector(low, u8x8), h = __builtin_convertvector(high, u8x8);
    return __builtin_shufflevector(l, h, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}

/* (a + 2b + c + 2) / 4 per byte. */
static inline u8x16 tap121(u8x16 a, u8x16 b, u8x16 c) {
    u16x8 low = (widen_low(a) + (widen_low(b) << 1) + widen_low(c) + 2) >> 2;
    u16x8 high = (widen_high(a) + (widen_high(b) << 1) + widen_high(c) + 2) >> 2;
    return narrow(low, high);
}

/* Horizontal [1 2 1] over neighbouring pixels (4 bytes apart); the first
 * and last 16 bytes of each row are copied. */
static void blur_rows(const uint8_t *in, uint8_t *out) {
    for (int y = 0; y < HEIGHT; y++) {
        const uint8_t *row = in + y * STRIDE;
        uint8_t *dst = out + y * STRIDE;
        store8(dst, load8(row));
        for (int x = 16; x < STRIDE - 16; x += 16)
            store8(dst + x, tap121(load8(row + x - 4), load8(row + x), load8(row + x + 4)));
        store8(dst + STRIDE - 16, load8(row + STRIDE - 16));
    }
}

/* Vertical [1 2 1]; the first and last rows are copied. */
static void blur_columns(const uint8_t *in, uint8_t *out) {
    memcpy(out, in, STRIDE);
    for (int y = 1; y < HEIGHT - 1; y++) {
        const uint8_t *row = in + y * STRIDE;
        for (int x = 0; x < STRIDE; x += 16)
            store8(out + y * STRIDE + x, tap121(load8(row + x - STRIDE), load8(row + x), load8(row + x + STRIDE)));
    }
    memcpy(out + (HEIGHT - 1) * STRIDE, in + (HEIGHT - 1) * STRIDE, STRIDE);
}

/* x / 255 rounded, for x <= 255 * 255 + 128 (in 16 bits). */
static inline u16x8 div255(u16x8 x) {
    x += 128;
    return (x + (x >> 8)) >> 8;
}

/* out = top * alpha + bottom * (255 - alpha), alpha being top's own alpha
 * byte broadcast over its pixel (a byte shuffle). */
static void blend(const uint8_t *top, const uint8_t *bottom, uint8_t *out) {
    for (int i = 0; i < PIXELS * 4; i += 16) {
        u8x16 t = load8(top + i), b = load8(bottom + i);
        u8x16 a = __builtin_shufflevector(t, t, 3, 3, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11, 15, 15, 15, 15);
        u8x16 na = 255 - a;
        u16x8 low = div255(widen_low(t) * widen_low(a) + widen_low(b) * widen_low(na));
        u16x8 high = div255(widen_high(t) * widen_high(a) + widen_high(b) * widen_high(na));
        store8(out + i, narrow(low, high));
    }
}

/* RGBA -> BGRA and a saturating add of `amount` to the colour channels. */
static void swizzle_brighten(uint8_t *pixels, uint8_t amount) {
    const u8x16 add = {amount, amount, amount, 0, amount, amount, amount, 0,
                       amount, amount, amount, 0, amount, amount, amount, 0};
    for (int i = 0; i < PIXELS * 4; i += 16) {
        u8x16 v = load8(pixels + i);
        v = __builtin_shufflevector(v, v, 2, 1, 0, 3, 6, 5, 4, 7, 10, 9, 8, 11, 14, 13, 12, 15);
        u8x16 sum = v + add;
        sum |= (u8x16)(sum < v); /* wrapped lanes become 255 */
        store8(pixels + i, sum);
    }
}

/* Luma (77 R + 150 G + 29 B + 128) / 256 per pixel in 32-bit lanes; writes
 * it into the pixel's alpha byte and returns the sum of all lumas. */
static uint32_t luma(uint8_t *pixels) {
    u32x4 total = {0, 0, 0, 0};
    for (int i = 0; i < PIXELS * 4; i += 16) {
        u32x4 p = load32(pixels + i);
        u32x4 y = ((p & 0xff) * 77 + ((p >> 8) & 0xff) * 150 + ((p >> 16) & 0xff) * 29 + 128) >> 8;
        total += y;
        p = (p & 0x00ffffff) | (y << 24);
        memcpy(pixels + i, &p, sizeof p);
    }
    return total[0] + total[1] + total[2] + total[3];
}

/* y = a x + b y. */
static void axpby(float a, const float *x, float b, float *y) {
    f32x4 va = {a, a, a, a}, vb = {b, b, b, b};
    for (int i = 0; i < FLOATS; i += 4) storef(y + i, va * loadf(x + i) + vb * loadf(y + i));
}

/* Sum of x[i] y[i] in four f32x4 accumulators (16 partial sums), added in a fixed order. */
static float dot(const float *x, const float *y) {
    f32x4 acc0 = {0, 0, 0, 0}, acc1 = acc0, acc2 = acc0, acc3 = acc0;
    for (int i = 0; i < FLOATS; i += 16) {
        acc0 += loadf(x + i) * loadf(y + i);
        acc1 += loadf(x + i + 4) * loadf(y + i + 4);
        acc2 += loadf(x + i + 8) * loadf(y + i + 8);
        acc3 += loadf(x + i + 12) * loadf(y + i + 12);
    }
    f32x4 acc = (acc0 + acc1) + (acc2 + acc3);
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

static uint64_t float_bits(float f) {
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
}

int main(int argc, char **argv) {
    int rounds = rounds_arg(argc, argv, 300);
    rng_t rng = rng_new(9);
    for (int i = 0; i < PIXELS * 4; i += 8) {
        uint64_t r = rng_next(&rng);
        memcpy(base + i, &r, 8);
    }
    memcpy(image, base, sizeof image);
    for (int i = 0; i < FLOATS; i++) {
        xs[i] = (float)rng_below(&rng, 2001) / 1000.0f - 1.0f;
        ys[i] = (float)rng_below(&rng, 2001) / 1000.0f - 1.0f;
    }

    uint64_t checksum = MIX_INIT;
    for (int r = 0; r < rounds; r++) {
        blur_rows(image, scratch);
        blur_columns(scratch, blurred);
        blend(blurred, base, image);
        swizzle_brighten(image, (uint8_t)(r % 5));
        checksum = mix(checksum, luma(image));
        checksum = mix(checksum, (uint64_t)image[(r * 4099) % (PIXELS * 4)] << 8 | image[(r * 7919) % (PIXELS * 4)]);

        for (int k = 0; k < 4; k++) {
            axpby(0.25f, xs, 0.75f, ys);
            axpby(-0.125f, ys, 0.875f, xs);
        }
        checksum = mix(checksum, float_bits(dot(xs, ys)));
        checksum = mix(checksum, float_bits(dot(ys, ys)));
        /* Keep the vectors from decaying to zero: rescale by an exact power of two. */
        if (dot(xs, xs) < 1.0f)
            for (int i = 0; i < FLOATS; i++) xs[i] *= 1024.0f;
    }
    print_checksum(checksum);
    return 0;
}
