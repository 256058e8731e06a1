/* A bytecode interpreter: a stack machine with a switch dispatch loop
 * (compiled to a br_table) running three guest programs: Collatz step
 * counts, recursive Fibonacci through CALL/RET frames, and a sieve over
 * the machine's own memory. Stresses indirect branches and the
 * load/store traffic of an interpreter loop.
 * ROUNDS = runs of the three guest programs (default 4). */
#include <string.h>

#include "common.h"

enum op {
    OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_OVER, OP_SWAP,
    OP_LOAD, OP_STORE,       /* frame-relative locals */
    OP_MLOAD, OP_MSTORE,     /* guest memory */
    OP_ADD, OP_SUB, OP_MUL, OP_DIVU, OP_REMU, OP_AND, OP_SHR,
    OP_LT, OP_LE, OP_EQ,
    OP_JMP, OP_JZ, OP_JNZ,
    OP_CALL, OP_RET,         /* CALL target nargs; RET nresults=1 */
    OP_INC,                  /* local += imm */
};

#define CODE_MAX 1024
#define STACK_MAX 65536
#define MEMORY_WORDS (1 << 20)

typedef struct {
    int32_t code[CODE_MAX];
    int len;
    int labels[32];
    int fixups[64][2]; /* code position, label */
    int fixup_count;
} program_t;

static void emit(program_t *p, int32_t word) { p->code[p->len++] = word; }
static void emit1(program_t *p, enum op op, int32_t arg) {
    emit(p, op);
    emit(p, arg);
}
static void label(program_t *p, int l) { p->labels[l] = p->len; }
static void jump(program_t *p, enum op op, int l) {
    emit(p, op);
    p->fixups[p->fixup_count][0] = p->len;
    p->fixups[p->fixup_count++][1] = l;
    emit(p, 0);
}
static void link(program_t *p) {
    for (int i = 0; i < p->fixup_count; i++) p->code[p->fixups[i][0]] = p->labels[p->fixups[i][1]];
}

static uint32_t stack[STACK_MAX];
static uint32_t memory[MEMORY_WORDS];

/* Runs from pc 0 with `locals` zeroed local slots; returns the top of stack at HALT. */
static uint32_t run(const int32_t *code, int locals) {
    uint32_t *sp = stack + locals; /* points past the top */
    uint32_t *fp = stack;
    int pc = 0;
    memset(stack, 0, sizeof(uint32_t) * (size_t)locals);
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_HALT: return sp[-1];
        case OP_PUSH: *sp++ = (uint32_t)code[pc++]; break;
        case OP_POP: sp--; break;
        case OP_DUP: sp[0] = sp[-1]; sp++; break;
        case OP_OVER: sp[0] = sp[-2]; sp++; break;
        case OP_SWAP: { uint32_t t = sp[-1]; sp[-1] = sp[-2]; sp[-2] = t; break; }
        case OP_LOAD: *sp++ = fp[code[pc++]]; break;
        case OP_STORE: fp[code[pc++]] = *--sp; break;
        case OP_MLOAD: sp[-1] = memory[sp[-1] & (MEMORY_WORDS - 1)]; break;
        case OP_MSTORE: sp -= 2; memory[sp[0] & (MEMORY_WORDS - 1)] = sp[1]; break;
        case OP_ADD: sp--; sp[-1] += sp[0]; break;
        case OP_SUB: sp--; sp[-1] -= sp[0]; break;
        case OP_MUL: sp--; sp[-1] *= sp[0]; break;
        case OP_DIVU: sp--; sp[-1] = sp[0] ? sp[-1] / sp[0] : 0; break;
        case OP_REMU: sp--; sp[-1] = sp[0] ? sp[-1] % sp[0] : 0; break;
        case OP_AND: sp--; sp[-1] &= sp[0]; break;
        case OP_SHR: sp--; sp[-1] >>= (sp[0] & 31); break;
        case OP_LT: sp--; sp[-1] = sp[-1] < sp[0]; break;
        case OP_LE: sp--; sp[-1] = sp[-1] <= sp[0]; break;
        case OP_EQ: sp--; sp[-1] = sp[-1] == sp[0]; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ: pc = *--sp ? pc + 1 : code[pc]; break;
        case OP_JNZ: pc = *--sp ? code[pc] : pc + 1; break;
        case OP_CALL: {
            /* Frame: args (already pushed), saved pc, saved fp. */
            int target = code[pc], nargs = code[pc + 1];
            uint32_t *args = sp - nargs;
            sp[0] = (uint32_t)(pc + 2);
            sp[1] = (uint32_t)(fp - stack);
            fp = args;
            sp += 2;
            pc = target;
            break;
        }
        case OP_RET: {
            /* Frame: fp[0..nargs) args, then saved pc and fp at fixed slots. */
            uint32_t result = sp[-1];
            int nargs = code[pc];
            uint32_t *frame = fp;
            pc = (int)frame[nargs];
            fp = stack + frame[nargs + 1];
            sp = frame;
            *sp++ = result;
            break;
        }
        case OP_INC: fp[code[pc]] += (uint32_t)code[pc + 1]; pc += 2; break;
        default: return 0xDEADu;
        }
    }
}

/* Sum over n < limit of the Collatz step count of n. Locals: n, x, steps, total. */
static void collatz_program(program_t *p, int32_t limit) {
    enum { N, X, STEPS, TOTAL };
    enum { OUTER, INNER, ODD, NEXT, DONE, INNER_END };
    emit1(p, OP_PUSH, 1);
    emit1(p, OP_STORE, N);
    label(p, OUTER);
    emit1(p, OP_LOAD, N);
    emit1(p, OP_PUSH, limit);
    emit(p, OP_LT);
    jump(p, OP_JZ, DONE);
    emit1(p, OP_LOAD, N);
    emit1(p, OP_STORE, X);
    emit1(p, OP_PUSH, 0);
    emit1(p, OP_STORE, STEPS);
    label(p, INNER);
    emit1(p, OP_LOAD, X);
    emit1(p, OP_PUSH, 1);
    emit(p, OP_EQ);
    jump(p, OP_JNZ, INNER_END);
    emit1(p, OP_LOAD, X);
    emit1(p, OP_PUSH, 1);
    emit(p, OP_AND);
    jump(p, OP_JNZ, ODD);
    emit1(p, OP_LOAD, X);
    emit1(p, OP_PUSH, 1);
    emit(p, OP_SHR);
    emit1(p, OP_STORE, X);
    jump(p, OP_JMP, NEXT);
    label(p, ODD);
    emit1(p, OP_LOAD, X);
    emit1(p, OP_PUSH, 3);
    emit(p, OP_MUL);
    emit1(p, OP_PUSH, 1);
    emit(p, OP_ADD);
    emit1(p, OP_STORE, X);
    label(p, NEXT);
    emit(p, OP_INC); emit(p, STEPS); emit(p, 1);
    jump(p, OP_JMP, INNER);
    label(p, INNER_END);
    emit1(p, OP_LOAD, TOTAL);
    emit1(p, OP_LOAD, STEPS);
    emit(p, OP_ADD);
    emit1(p, OP_STORE, TOTAL);
    emit(p, OP_INC); emit(p, N); emit(p, 1);
    jump(p, OP_JMP, OUTER);
    label(p, DONE);
    emit1(p, OP_LOAD, TOTAL);
    emit(p, OP_HALT);
    link(p);
}

/* fib(n) with a guest-level recursive function. */
static void fib_program(program_t *p, int32_t n) {
    enum { FIB, BASE };
    emit1(p, OP_PUSH, n);
    jump(p, OP_CALL, FIB);
    emit(p, 1);
    emit(p, OP_HALT);
    label(p, FIB); /* local 0 = n */
    emit1(p, OP_LOAD, 0);
    emit1(p, OP_PUSH, 2);
    emit(p, OP_LT);
    jump(p, OP_JNZ, BASE);
    emit1(p, OP_LOAD, 0);
    emit1(p, OP_PUSH, 1);
    emit(p, OP_SUB);
    jump(p, OP_CALL, FIB);
    emit(p, 1);
    emit1(p, OP_LOAD, 0);
    emit1(p, OP_PUSH, 2);
    emit(p, OP_SUB);
    jump(p, OP_CALL, FIB);
    emit(p, 1);
    emit(p, OP_ADD);
    emit1(p, OP_RET, 1);
    label(p, BASE);
    emit1(p, OP_LOAD, 0);
    emit1(p, OP_RET, 1);
    link(p);
}

/* Counts primes below limit with a sieve in guest memory. Locals: i, j, count. */
static void sieve_program(program_t *p, int32_t limit) {
    enum { I, J, COUNT };
    enum { CLEAR, SCAN, COMPOSITE, STRIKE, STRIKE_END, DONE };
    emit1(p, OP_PUSH, 0);
    emit1(p, OP_STORE, I);
    label(p, CLEAR);
    emit1(p, OP_LOAD, I);
    emit1(p, OP_PUSH, 0);
    emit(p, OP_MSTORE);
    emit(p, OP_INC); emit(p, I); emit(p, 1);
    emit1(p, OP_LOAD, I);
    emit1(p, OP_PUSH, limit);
    emit(p, OP_LT);
    jump(p, OP_JNZ, CLEAR);
    emit1(p, OP_PUSH, 2);
    emit1(p, OP_STORE, I);
    label(p, SCAN);
    emit1(p, OP_LOAD, I);
    emit1(p, OP_PUSH, limit);
    emit(p, OP_LT);
    jump(p, OP_JZ, DONE);
    emit1(p, OP_LOAD, I);
    emit(p, OP_MLOAD);
    jump(p, OP_JNZ, COMPOSITE);
    emit(p, OP_INC); emit(p, COUNT); emit(p, 1);
    /* Strike from i*i only when i*i <= limit (i*i could wrap). */
    emit1(p, OP_LOAD, I);
    emit1(p, OP_PUSH, limit);
    emit1(p, OP_LOAD, I);
    emit(p, OP_DIVU);
    emit(p, OP_LE);
    jump(p, OP_JZ, STRIKE_END);
    emit1(p, OP_LOAD, I);
    emit(p, OP_DUP);
    emit(p, OP_MUL);
    emit1(p, OP_STORE, J);
    label(p, STRIKE);
    emit1(p, OP_LOAD, J);
    emit1(p, OP_PUSH, limit);
    emit(p, OP_LT);
    jump(p, OP_JZ, STRIKE_END);
    emit1(p, OP_LOAD, J);
    emit1(p, OP_PUSH, 1);
    emit(p, OP_MSTORE);
    emit1(p, OP_LOAD, J);
    emit1(p, OP_LOAD, I);
    emit(p, OP_ADD);
    emit1(p, OP_STORE, J);
    jump(p, OP_JMP, STRIKE);
    label(p, STRIKE_END);
    label(p, COMPOSITE);
    emit(p, OP_INC); emit(p, I); emit(p, 1);
    jump(p, OP_JMP, SCAN);
    label(p, DONE);
    emit1(p, OP_LOAD, COUNT);
    emit(p, OP_HALT);
    link(p);
}

int main(int argc, char **argv) {
    int rounds = rounds_arg(argc, argv, 4);
    uint64_t checksum = MIX_INIT;
    for (int r = 0; r < rounds; r++) {
        program_t p;
        memset(&p, 0, sizeof p);
        collatz_program(&p, 20000 + r);
        checksum = mix(checksum, run(p.code, 4));
        memset(&p, 0, sizeof p);
        fib_program(&p, 20 + r % 3);
        checksum = mix(checksum, run(p.code, 0));
        memset(&p, 0, sizeof p);
        sieve_program(&p, 200000 - r);
        checksum = mix(checksum, run(p.code, 3));
    }
    print_checksum(checksum);
    return 0;
}
