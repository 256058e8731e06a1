/* Heavy direct and indirect calls: an expression tree whose nodes carry
 * function pointers (call_indirect through the table), Ackermann's
 * function (deep direct recursion with tiny bodies), and libc qsort with
 * a comparator (an indirect call per comparison).
 * ROUNDS = repetitions of the three parts (default 8). */
#include <string.h>

#include "common.h"

/* ---- expression tree with function-pointer nodes ---- */

typedef struct node node_t;
typedef int32_t (*eval_fn)(const node_t *, const int32_t *vars);

struct node {
    eval_fn eval;
    const node_t *left, *right;
    int32_t value; /* constant or variable index */
};

static int32_t eval_const(const node_t *n, const int32_t *vars) { (void)vars; return n->value; }
static int32_t eval_var(const node_t *n, const int32_t *vars) { return vars[n->value]; }
static int32_t eval_add(const node_t *n, const int32_t *v) { return (int32_t)((uint32_t)n->left->eval(n->left, v) + (uint32_t)n->right->eval(n->right, v)); }
static int32_t eval_sub(const node_t *n, const int32_t *v) { return (int32_t)((uint32_t)n->left->eval(n->left, v) - (uint32_t)n->right->eval(n->right, v)); }
static int32_t eval_mul(const node_t *n, const int32_t *v) { return (int32_t)((uint32_t)n->left->eval(n->left, v) * (uint32_t)n->right->eval(n->right, v)); }
static int32_t eval_xor(const node_t *n, const int32_t *v) { return n->left->eval(n->left, v) ^ n->right->eval(n->right, v); }
static int32_t eval_min(const node_t *n, const int32_t *v) {
    int32_t a = n->left->eval(n->left, v), b = n->right->eval(n->right, v);
    return a < b ? a : b;
}
static int32_t eval_max(const node_t *n, const int32_t *v) {
    int32_t a = n->left->eval(n->left, v), b = n->right->eval(n->right, v);
    return a > b ? a : b;
}
static int32_t eval_select(const node_t *n, const int32_t *v) {
    return n->left->eval(n->left, v) & 1 ? n->right->eval(n->right, v) : n->left->eval(n->left, v) >> 3;
}

static const eval_fn binary_ops[] = {eval_add, eval_sub, eval_mul, eval_xor, eval_min, eval_max, eval_select};

/* A tree of depth 14 has fewer than 2^15 nodes. */
#define TREE_NODES (1 << 15)
static node_t pool[TREE_NODES];
static int pool_used;

static const node_t *build(rng_t *rng, int depth) {
    node_t *n = &pool[pool_used++];
    if (depth == 0 || rng_below(rng, 8) == 0) {
        int is_var = rng_below(rng, 2);
        n->eval = is_var ? eval_var : eval_const;
        n->value = is_var ? (int32_t)rng_below(rng, 4) : (int32_t)rng_below(rng, 1000);
        return n;
    }
    n->eval = binary_ops[rng_below(rng, sizeof binary_ops / sizeof binary_ops[0])];
    n->left = build(rng, depth - 1);
    n->right = build(rng, depth - 1);
    return n;
}

/* ---- Ackermann ---- */

__attribute__((noinline)) static uint32_t ackermann(uint32_t m, uint32_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

/* ---- qsort with a comparator ---- */

typedef struct {
    uint32_t key;
    uint32_t tie;
} record_t;

static int compare_records(const void *a, const void *b) {
    const record_t *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->tie > y->tie) - (x->tie < y->tie);
}

#define RECORDS 20000

int main(int argc, char **argv) {
    int rounds = rounds_arg(argc, argv, 8);
    rng_t rng = rng_new(6);
    const node_t *tree = build(&rng, 14);
    record_t *records = malloc(sizeof(record_t) * RECORDS);
    if (!records) return 1;
    uint64_t checksum = MIX_INIT;
    for (int r = 0; r < rounds; r++) {
        uint32_t sum = 0;
        for (int i = 0; i < 600; i++) {
            int32_t vars[4] = {i, r, i * 7 + 1, 1000 - i};
            sum += (uint32_t)tree->eval(tree, vars);
        }
        checksum = mix(checksum, sum);

        checksum = mix(checksum, ackermann(2, 300 + (uint32_t)r));
        checksum = mix(checksum, ackermann(3, 6));

        for (int i = 0; i < RECORDS; i++) {
            records[i].key = rng_below(&rng, 5000);
            records[i].tie = (uint32_t)i;
        }
        qsort(records, RECORDS, sizeof(record_t), compare_records);
        uint32_t order = 0;
        for (int i = 0; i < RECORDS; i += 97) order = order * 31 + records[i].key + records[i].tie;
        checksum = mix(checksum, order);
    }
    print_checksum(checksum);
    return 0;
}
