/* LZ77-style compression and decompression of 1 MiB of generated text:
 * hashing, hash-chain match search, byte copies and unpredictable
 * branches. Each round changes a few bytes of the text, compresses it,
 * decompresses the result and checks it against the input.
 * ROUNDS = compress/decompress passes (default 12). */
#include <string.h>

#include "common.h"

#define INPUT_SIZE (1 << 20)
#define WINDOW 65535
#define MIN_MATCH 4
#define HASH_BITS 16
#define CHAIN_DEPTH 16

/* Text from a Zipf-like choice of generated words, so that it compresses. */
static void make_text(uint8_t *out, size_t size, rng_t *rng) {
    enum { WORDS = 1024 };
    static char words[WORDS][12];
    static uint8_t lengths[WORDS];
    for (int w = 0; w < WORDS; w++) {
        lengths[w] = (uint8_t)(2 + rng_below(rng, 9));
        for (int i = 0; i < lengths[w]; i++) words[w][i] = (char)('a' + rng_below(rng, 26));
    }
    size_t pos = 0;
    while (pos < size) {
        uint32_t w = rng_below(rng, rng_below(rng, WORDS) + 1);
        for (int i = 0; i < lengths[w] && pos < size; i++) out[pos++] = (uint8_t)words[w][i];
        if (pos < size) {
            uint32_t r = rng_below(rng, 32);
            out[pos++] = r == 0 ? '\n' : r == 1 ? ',' : r == 2 ? '.' : ' ';
        }
    }
}

static inline uint32_t hash4(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static uint8_t *put_length(uint8_t *out, size_t n) {
    while (n >= 255) {
        *out++ = 255;
        n -= 255;
    }
    *out++ = (uint8_t)n;
    return out;
}

/* Sequences: literal count, literals, match length - MIN_MATCH, offset (2
 * bytes). The last sequence has literals only. Returns the compressed size. */
static size_t compress(const uint8_t *in, size_t size, uint8_t *out, int32_t *head, int32_t *chain) {
    for (size_t i = 0; i < (1u << HASH_BITS); i++) head[i] = -1;
    uint8_t *o = out;
    size_t literal_start = 0, pos = 0;
    while (pos + MIN_MATCH <= size) {
        uint32_t h = hash4(in + pos);
        size_t best_len = 0, best_offset = 0;
        int32_t candidate = head[h];
        for (int depth = 0; depth < CHAIN_DEPTH && candidate >= 0; depth++) {
            size_t offset = pos - (size_t)candidate;
            if (offset > WINDOW) break;
            size_t len = 0, limit = size - pos;
            while (len < limit && in[candidate + len] == in[pos + len]) len++;
            if (len > best_len) {
                best_len = len;
                best_offset = offset;
            }
            candidate = chain[candidate];
        }
        chain[pos] = head[h];
        head[h] = (int32_t)pos;
        if (best_len < MIN_MATCH) {
            pos++;
            continue;
        }
        o = put_length(o, pos - literal_start);
        memcpy(o, in + literal_start, pos - literal_start);
        o += pos - literal_start;
        o = put_length(o, best_len - MIN_MATCH);
        *o++ = (uint8_t)best_offset;
        *o++ = (uint8_t)(best_offset >> 8);
        /* Index the matched positions too, so later matches can find them. */
        size_t end = pos + best_len;
        for (pos++; pos < end && pos + MIN_MATCH <= size; pos++) {
            uint32_t hh = hash4(in + pos);
            chain[pos] = head[hh];
            head[hh] = (int32_t)pos;
        }
        pos = end;
        literal_start = pos;
    }
    o = put_length(o, size - literal_start);
    memcpy(o, in + literal_start, size - literal_start);
    o += size - literal_start;
    return (size_t)(o - out);
}

static size_t get_length(const uint8_t **p) {
    size_t n = 0;
    uint8_t b;
    do {
        b = *(*p)++;
        n += b;
    } while (b == 255);
    return n;
}

static size_t decompress(const uint8_t *in, size_t in_size, uint8_t *out) {
    const uint8_t *p = in, *end = in + in_size;
    uint8_t *o = out;
    for (;;) {
        size_t literals = get_length(&p);
        memcpy(o, p, literals);
        o += literals;
        p += literals;
        if (p >= end) break;
        size_t len = get_length(&p) + MIN_MATCH;
        size_t offset = (size_t)p[0] | (size_t)p[1] << 8;
        p += 2;
        /* Byte by byte: a match may overlap what it produces. */
        const uint8_t *from = o - offset;
        for (size_t i = 0; i < len; i++) o[i] = from[i];
        o += len;
    }
    return (size_t)(o - out);
}

int main(int argc, char **argv) {
    int rounds = rounds_arg(argc, argv, 12);
    uint8_t *text = malloc(INPUT_SIZE);
    uint8_t *packed = malloc(INPUT_SIZE + INPUT_SIZE / 64 + 64);
    uint8_t *unpacked = malloc(INPUT_SIZE);
    int32_t *head = malloc(sizeof(int32_t) << HASH_BITS);
    int32_t *chain = malloc(sizeof(int32_t) * INPUT_SIZE);
    if (!text || !packed || !unpacked || !head || !chain) return 1;
    rng_t rng = rng_new(2);
    make_text(text, INPUT_SIZE, &rng);
    uint64_t checksum = MIX_INIT;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < 64; i++) text[rng_below(&rng, INPUT_SIZE)] = (uint8_t)('a' + rng_below(&rng, 26));
        size_t packed_size = compress(text, INPUT_SIZE, packed, head, chain);
        size_t unpacked_size = decompress(packed, packed_size, unpacked);
        if (unpacked_size != INPUT_SIZE || memcmp(text, unpacked, INPUT_SIZE) != 0) {
            printf("round %d: decompressed data differs\n", r);
            return 1;
        }
        checksum = mix(checksum, packed_size);
        for (size_t i = 0; i < packed_size; i += 4093) checksum = mix(checksum, packed[i]);
    }
    print_checksum(checksum);
    return 0;
}
