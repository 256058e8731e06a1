/* Memory-bound sorting of 512K generated 32-bit keys (2 MiB per array):
 * an in-place quicksort, a top-down merge sort through a scratch array,
 * and an LSD radix sort with counting passes. The three results must
 * agree; the checksum samples the sorted keys.
 * ROUNDS = times the three sorts run, on fresh keys (default 4). */
#include <string.h>

#include "common.h"

#define KEYS (1 << 19)

static void insertion_sort(uint32_t *a, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static void quicksort(uint32_t *a, size_t n) {
    while (n > 24) {
        /* Median of three as the pivot. */
        uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* Recurse into the smaller half, loop on the larger. */
        size_t left = j + 1;
        if (left < n - left) {
            quicksort(a, left);
            a += left;
            n -= left;
        } else {
            quicksort(a + left, n - left);
            n = left;
        }
    }
    insertion_sort(a, n);
}

static void merge_sort(uint32_t *a, uint32_t *scratch, size_t n) {
    if (n <= 24) {
        insertion_sort(a, n);
        return;
    }
    size_t half = n / 2;
    merge_sort(a, scratch, half);
    merge_sort(a + half, scratch, n - half);
    memcpy(scratch, a, half * sizeof(uint32_t));
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) a[k++] = scratch[i] <= a[j] ? scratch[i++] : a[j++];
    while (i < half) a[k++] = scratch[i++];
}

static void radix_sort(uint32_t *a, uint32_t *scratch, size_t n) {
    for (int shift = 0; shift < 32; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[((a[i] >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++) scratch[count[(a[i] >> shift) & 0xff]++] = a[i];
        uint32_t *t = a;
        a = scratch;
        scratch = t;
    }
    /* Four passes: the result is back in the caller's array. */
}

int main(int argc, char **argv) {
    int rounds = rounds_arg(argc, argv, 4);
    uint32_t *keys = malloc(KEYS * sizeof(uint32_t));
    uint32_t *quick = malloc(KEYS * sizeof(uint32_t));
    uint32_t *merged = malloc(KEYS * sizeof(uint32_t));
    uint32_t *scratch = malloc(KEYS * sizeof(uint32_t));
    if (!keys || !quick || !merged || !scratch) return 1;
    rng_t rng = rng_new(7);
    uint64_t checksum = MIX_INIT;
    for (int r = 0; r < rounds; r++) {
        /* Mostly random keys, with runs of duplicates and a sorted stretch. */
        for (size_t i = 0; i < KEYS; i++) {
            uint32_t v = (uint32_t)rng_next(&rng);
            keys[i] = i % 1000 < 50 ? (uint32_t)i : (i % 7 == 0 ? v & 0xfff : v);
        }
        memcpy(quick, keys, KEYS * sizeof(uint32_t));
        memcpy(merged, keys, KEYS * sizeof(uint32_t));
        quicksort(quick, KEYS);
        merge_sort(merged, scratch, KEYS / 2 + 1); /* half, so the sizes are not all powers of two */
        merge_sort(merged + KEYS / 2 + 1, scratch, KEYS - KEYS / 2 - 1);
        radix_sort(keys, scratch, KEYS);
        /* Finish the merge sort with one last merge of the two halves. */
        memcpy(scratch, merged, KEYS * sizeof(uint32_t));
        size_t i = 0, j = KEYS / 2 + 1, k = 0;
        while (i < KEYS / 2 + 1 && j < KEYS) merged[k++] = scratch[i] <= scratch[j] ? scratch[i++] : scratch[j++];
        while (i < KEYS / 2 + 1) merged[k++] = scratch[i++];
        while (j < KEYS) merged[k++] = scratch[j++];
        if (memcmp(quick, keys, KEYS * sizeof(uint32_t)) || memcmp(merged, keys, KEYS * sizeof(uint32_t))) {
            printf("round %d: the sorts disagree\n", r);
            return 1;
        }
        for (size_t s = 0; s < KEYS; s += 4099) checksum = mix(checksum, keys[s]);
    }
    print_checksum(checksum);
    return 0;
}
