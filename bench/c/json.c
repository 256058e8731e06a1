/* A JSON parser run over 1 MiB of generated JSON: byte-at-a-time
 * scanning, branchy recursive descent, string unescaping, number
 * conversion and building a tree in an arena. Each round parses the
 * document and walks the tree into a checksum.
 * ROUNDS = parses (default 40). */
#include <string.h>

#include "common.h"

/* ---- generating the document ---- */

typedef struct {
    char *data;
    size_t len, cap;
} buffer_t;

static void put(buffer_t *b, const char *s, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->data = realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void put_str(buffer_t *b, const char *s) { put(b, s, strlen(s)); }

static void put_uint(buffer_t *b, uint64_t v) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) put(b, &digits[--n], 1);
}

static void gen_string(buffer_t *b, rng_t *rng) {
    static const char *const escapes[] = {"\\n", "\\\"", "\\\\", "\\t", "\\u00e9", "\\u20ac"};
    put(b, "\"", 1);
    int len = 1 + (int)rng_below(rng, 16);
    for (int i = 0; i < len; i++) {
        uint32_t r = rng_below(rng, 40);
        if (r < 3) {
            put_str(b, escapes[rng_below(rng, 6)]);
        } else {
            char c = (char)(r < 8 ? ' ' : 'a' + rng_below(rng, 26));
            put(b, &c, 1);
        }
    }
    put(b, "\"", 1);
}

static void gen_value(buffer_t *b, rng_t *rng, int depth) {
    uint32_t kind = depth > 5 ? 2 + rng_below(rng, 4) : rng_below(rng, 6);
    switch (kind) {
    case 0: { /* object */
        put(b, "{", 1);
        int n = (int)rng_below(rng, 7);
        for (int i = 0; i < n; i++) {
            if (i) put(b, ",", 1);
            put_str(b, "\n  ");
            gen_string(b, rng);
            put_str(b, ": ");
            gen_value(b, rng, depth + 1);
        }
        put(b, "}", 1);
        break;
    }
    case 1: { /* array */
        put(b, "[", 1);
        int n = (int)rng_below(rng, 9);
        for (int i = 0; i < n; i++) {
            if (i) put_str(b, ", ");
            gen_value(b, rng, depth + 1);
        }
        put(b, "]", 1);
        break;
    }
    case 2:
        gen_string(b, rng);
        break;
    case 3: /* integer */
        if (rng_below(rng, 4) == 0) put(b, "-", 1);
        put_uint(b, rng_next(rng) >> rng_below(rng, 64));
        break;
    case 4: /* decimal with exponent */
        put_uint(b, rng_below(rng, 100000));
        put(b, ".", 1);
        put_uint(b, rng_below(rng, 1000));
        if (rng_below(rng, 3) == 0) {
            put_str(b, "e-");
            put_uint(b, rng_below(rng, 12));
        }
        break;
    default:
        put_str(b, rng_below(rng, 3) == 0 ? "null" : rng_below(rng, 2) ? "true" : "false");
        break;
    }
}

/* ---- parsing ---- */

enum { J_NULL, J_FALSE, J_TRUE, J_INT, J_DOUBLE, J_STRING, J_ARRAY, J_OBJECT };

/* Arrays and objects list their children through first_child/next;
 * an object's children alternate key, value. */
typedef struct {
    uint8_t kind;
    uint32_t next, first_child, count;
    union {
        int64_t i;
        double d;
        struct {
            uint32_t offset, len;
        } s;
    } u;
} node_t;

typedef struct {
    const char *p, *end;
    node_t *nodes;
    uint32_t node_count, node_cap;
    char *strings;
    uint32_t strings_len;
    int failed;
} parser_t;

static uint32_t new_node(parser_t *ps, uint8_t kind) {
    if (ps->node_count == ps->node_cap) {
        ps->node_cap *= 2;
        ps->nodes = realloc(ps->nodes, ps->node_cap * sizeof(node_t));
    }
    node_t *n = &ps->nodes[ps->node_count];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    return ps->node_count++;
}

static void skip_space(parser_t *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r')) ps->p++;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void put_utf8(parser_t *ps, uint32_t cp) {
    char *o = ps->strings + ps->strings_len;
    if (cp < 0x80) {
        o[0] = (char)cp;
        ps->strings_len += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        ps->strings_len += 2;
    } else {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        ps->strings_len += 3;
    }
}

static uint32_t parse_string(parser_t *ps) {
    uint32_t id = new_node(ps, J_STRING);
    uint32_t start = ps->strings_len;
    ps->p++; /* opening quote */
    while (ps->p < ps->end && *ps->p != '"') {
        char c = *ps->p++;
        if (c != '\\') {
            ps->strings[ps->strings_len++] = c;
            continue;
        }
        char e = *ps->p++;
        switch (e) {
        case 'n': ps->strings[ps->strings_len++] = '\n'; break;
        case 't': ps->strings[ps->strings_len++] = '\t'; break;
        case 'r': ps->strings[ps->strings_len++] = '\r'; break;
        case 'b': ps->strings[ps->strings_len++] = '\b'; break;
        case 'f': ps->strings[ps->strings_len++] = '\f'; break;
        case 'u': {
            uint32_t cp = 0;
            for (int i = 0; i < 4; i++) {
                int h = hex_digit(*ps->p++);
                if (h < 0) ps->failed = 1;
                cp = cp << 4 | (uint32_t)(h & 15);
            }
            put_utf8(ps, cp);
            break;
        }
        default: ps->strings[ps->strings_len++] = e; break;
        }
    }
    ps->p++; /* closing quote */
    ps->nodes[id].u.s.offset = start;
    ps->nodes[id].u.s.len = ps->strings_len - start;
    return id;
}

static uint32_t parse_number(parser_t *ps) {
    int negative = 0;
    if (*ps->p == '-') {
        negative = 1;
        ps->p++;
    }
    uint64_t mantissa = 0;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') mantissa = mantissa * 10 + (uint64_t)(*ps->p++ - '0');
    if (ps->p < ps->end && (*ps->p == '.' || *ps->p == 'e' || *ps->p == 'E')) {
        double value = (double)mantissa;
        if (*ps->p == '.') {
            ps->p++;
            double scale = 0.1;
            while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
                value += (*ps->p++ - '0') * scale;
                scale *= 0.1;
            }
        }
        if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
            ps->p++;
            int exp_negative = *ps->p == '-';
            if (*ps->p == '-' || *ps->p == '+') ps->p++;
            int exponent = 0;
            while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') exponent = exponent * 10 + (*ps->p++ - '0');
            for (int i = 0; i < exponent; i++) value = exp_negative ? value / 10 : value * 10;
        }
        uint32_t id = new_node(ps, J_DOUBLE);
        ps->nodes[id].u.d = negative ? -value : value;
        return id;
    }
    uint32_t id = new_node(ps, J_INT);
    ps->nodes[id].u.i = negative ? -(int64_t)mantissa : (int64_t)mantissa;
    return id;
}

static uint32_t parse_value(parser_t *ps);

/* Parses the elements of an array or object up to `close`. */
static uint32_t parse_container(parser_t *ps, uint8_t kind, char close) {
    uint32_t id = new_node(ps, kind);
    uint32_t last = 0;
    ps->p++;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return id;
    }
    for (;;) {
        skip_space(ps);
        uint32_t child;
        if (kind == J_OBJECT) {
            if (*ps->p != '"') {
                ps->failed = 1;
                return id;
            }
            uint32_t key = parse_string(ps);
            skip_space(ps);
            if (*ps->p++ != ':') ps->failed = 1;
            skip_space(ps);
            uint32_t value = parse_value(ps);
            ps->nodes[key].next = value;
            child = key;
            if (last) ps->nodes[last].next = child;
            else ps->nodes[id].first_child = child;
            last = value;
        } else {
            child = parse_value(ps);
            if (last) ps->nodes[last].next = child;
            else ps->nodes[id].first_child = child;
            last = child;
        }
        ps->nodes[id].count++;
        skip_space(ps);
        if (ps->p >= ps->end) {
            ps->failed = 1;
            return id;
        }
        char c = *ps->p++;
        if (c == close) return id;
        if (c != ',') {
            ps->failed = 1;
            return id;
        }
    }
}

static uint32_t parse_value(parser_t *ps) {
    skip_space(ps);
    if (ps->p >= ps->end || ps->failed) {
        ps->failed = 1;
        return new_node(ps, J_NULL);
    }
    switch (*ps->p) {
    case '{': return parse_container(ps, J_OBJECT, '}');
    case '[': return parse_container(ps, J_ARRAY, ']');
    case '"': return parse_string(ps);
    case 't': ps->p += 4; return new_node(ps, J_TRUE);
    case 'f': ps->p += 5; return new_node(ps, J_FALSE);
    case 'n': ps->p += 4; return new_node(ps, J_NULL);
    default: return parse_number(ps);
    }
}

/* ---- walking the tree ---- */

static uint64_t walk(const parser_t *ps, uint32_t id, uint64_t hash) {
    const node_t *n = &ps->nodes[id];
    hash = mix(hash, n->kind);
    switch (n->kind) {
    case J_INT: return mix(hash, (uint64_t)n->u.i);
    case J_DOUBLE: return mix(hash, (uint64_t)(int64_t)(n->u.d * 1000.0));
    case J_STRING:
        for (uint32_t i = 0; i < n->u.s.len; i++) hash = (hash ^ (uint8_t)ps->strings[n->u.s.offset + i]) * 0x100000001B3ull;
        return hash;
    case J_ARRAY:
    case J_OBJECT: {
        hash = mix(hash, n->count);
        for (uint32_t c = n->first_child; c; c = ps->nodes[c].next) hash = walk(ps, c, hash);
        return hash;
    }
    default: return hash;
    }
}

int main(int argc, char **argv) {
    int rounds = rounds_arg(argc, argv, 40);
    rng_t rng = rng_new(3);
    buffer_t doc = {malloc(1 << 16), 0, 1 << 16};
    put(&doc, "[", 1);
    while (doc.len < (1u << 20)) {
        if (doc.len > 1) put_str(&doc, ",\n");
        gen_value(&doc, &rng, 0);
    }
    put(&doc, "]", 1);

    parser_t ps = {0};
    ps.node_cap = 1 << 16;
    ps.nodes = malloc(ps.node_cap * sizeof(node_t));
    ps.strings = malloc(doc.len);
    uint64_t checksum = MIX_INIT;
    for (int r = 0; r < rounds; r++) {
        ps.p = doc.data;
        ps.end = doc.data + doc.len;
        ps.node_count = 1; /* node 0 means "none" in the child lists */
        ps.strings_len = 0;
        ps.failed = 0;
        uint32_t root = parse_value(&ps);
        if (ps.failed) {
            printf("parse error at byte %zu\n", (size_t)(ps.p - doc.data));
            return 1;
        }
        checksum = mix(walk(&ps, root, checksum), ps.node_count);
    }
    print_checksum(checksum);
    return 0;
}
