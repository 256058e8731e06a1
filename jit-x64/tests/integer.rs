//! Table tests of the integer families: each row is an encoder call, the
//! bytes it must produce, and iced-x86's Intel syntax for those bytes.

mod common;

use ember_jit_x64::AluOp::*;
use ember_jit_x64::Cond::*;
use ember_jit_x64::Gpr::*;
use ember_jit_x64::ShiftOp::*;
use ember_jit_x64::Size::*;
use ember_jit_x64::{Cond, Mem, Scale::*};

#[test]
fn mov_register_and_immediate() {
    common::check_table(
        "mov r, r / mov r, imm",
        rows! {
            mov_rr(S64, Rax, Rbx) => "48 89 d8", "mov rax, rbx";
            mov_rr(S32, R8, Rax) => "41 89 c0", "mov r8d, eax";
            mov_rr(S64, R15, R12) => "4d 89 e7", "mov r15, r12";
            mov_rr(S16, Rcx, Rdx) => "66 89 d1", "mov cx, dx";
            mov_rr(S8, Rax, Rcx) => "88 c8", "mov al, cl";
            mov_rr(S8, Rbx, Rdx) => "88 d3", "mov bl, dl";
            mov_rr(S8, Rsi, Rdi) => "40 88 fe", "mov sil, dil";
            mov_rr(S8, R9, Rsp) => "41 88 e1", "mov r9b, spl";
            mov_rr(S8, Rbp, Rax) => "40 88 c5", "mov bpl, al";
            mov_ri(S32, Rax, 1) => "b8 01 00 00 00", "mov eax, 1";
            mov_ri(S32, R10, -1) => "41 ba ff ff ff ff", "mov r10d, -1";
            mov_ri(S64, Rcx, 0x1234) => "b9 34 12 00 00", "mov ecx, 0x1234";
            mov_ri(S64, Rcx, 0xffff_ffff) => "b9 ff ff ff ff", "mov ecx, -1";
            mov_ri(S64, Rdx, -2) => "48 c7 c2 fe ff ff ff", "mov rdx, -2";
            mov_ri(S64, R13, i64::from(i32::MIN)) => "49 c7 c5 00 00 00 80", "mov r13, -0x80000000";
            mov_ri(S64, R11, 0x1_0000_0000) => "49 bb 00 00 00 00 01 00 00 00", "mov r11, 0x100000000";
            mov_ri(S8, Rsi, 0x7f) => "40 b6 7f", "mov sil, 0x7f";
            mov_ri(S8, R8, 5) => "41 b0 05", "mov r8b, 5";
            mov_ri(S8, Rcx, 5) => "b1 05", "mov cl, 5";
            mov_ri(S16, Rax, 0x1234) => "66 b8 34 12", "mov ax, 0x1234";
            movabs_ri(Rax, 1) => "48 b8 01 00 00 00 00 00 00 00", "mov rax, 1";
            movabs_ri(R15, u64::MAX) => "49 bf ff ff ff ff ff ff ff ff", "mov r15, -1";
        },
    );
}

#[test]
fn loads_and_addressing_modes() {
    common::check_table(
        "mov r, [m]",
        rows! {
            mov_rm(S32, Rax, Mem::base(Rbx)) => "8b 03", "mov eax, dword ptr [rbx]";
            // rsp/r12 as a base need a SIB byte.
            mov_rm(S64, Rax, Mem::base(Rsp)) => "48 8b 04 24", "mov rax, qword ptr [rsp]";
            mov_rm(S64, Rax, Mem::base(R12)) => "49 8b 04 24", "mov rax, qword ptr [r12]";
            // rbp/r13 as a base need a displacement.
            mov_rm(S64, Rax, Mem::base(Rbp)) => "48 8b 45 00", "mov rax, qword ptr [rbp]";
            mov_rm(S64, Rax, Mem::base(R13)) => "49 8b 45 00", "mov rax, qword ptr [r13]";
            // disp8 up to its limits, disp32 past them.
            mov_rm(S32, Rcx, Mem::base_disp(Rdi, 8)) => "8b 4f 08", "mov ecx, dword ptr [rdi+8]";
            mov_rm(S32, Rcx, Mem::base_disp(Rdi, 127)) => "8b 4f 7f", "mov ecx, dword ptr [rdi+0x7f]";
            mov_rm(S32, Rcx, Mem::base_disp(Rdi, -128)) => "8b 4f 80", "mov ecx, dword ptr [rdi-0x80]";
            mov_rm(S32, Rcx, Mem::base_disp(Rdi, 128)) => "8b 8f 80 00 00 00", "mov ecx, dword ptr [rdi+0x80]";
            mov_rm(S32, Rcx, Mem::base_disp(Rdi, -129)) => "8b 8f 7f ff ff ff", "mov ecx, dword ptr [rdi-0x81]";
            mov_rm(S64, R9, Mem::base_disp(Rsp, 16)) => "4c 8b 4c 24 10", "mov r9, qword ptr [rsp+0x10]";
            mov_rm(S64, R9, Mem::base_disp(R12, 0x1000)) => "4d 8b 8c 24 00 10 00 00", "mov r9, qword ptr [r12+0x1000]";
            mov_rm(S64, R9, Mem::base_disp(R13, i32::MIN)) => "4d 8b 8d 00 00 00 80", "mov r9, qword ptr [r13-0x80000000]";
            // base + index*scale
            mov_rm(S32, Rax, Mem::base_index_disp(Rbx, Rcx, X4, 0)) => "8b 04 8b", "mov eax, dword ptr [rbx+rcx*4]";
            mov_rm(S32, Rax, Mem::base_index_disp(Rbp, Rcx, X1, 0)) => "8b 44 0d 00", "mov eax, dword ptr [rbp+rcx]";
            mov_rm(S32, Rax, Mem::base_index_disp(R13, R12, X8, -8)) => "43 8b 44 e5 f8", "mov eax, dword ptr [r13+r12*8-8]";
            mov_rm(S64, Rax, Mem::base_index_disp(Rsp, Rbp, X2, 0x1234_5678)) => "48 8b 84 6c 78 56 34 12", "mov rax, qword ptr [rsp+rbp*2+0x12345678]";
            mov_rm(S64, Rax, Mem::base_index_disp(R12, R13, X1, 0)) => "4b 8b 04 2c", "mov rax, qword ptr [r12+r13]";
            mov_rm(S64, R8, Mem::base_index_disp(Rax, R15, X8, 1)) => "4e 8b 44 f8 01", "mov r8, qword ptr [rax+r15*8+1]";
            // narrow loads
            mov_rm(S8, Rsi, Mem::base(Rax)) => "40 8a 30", "mov sil, byte ptr [rax]";
            mov_rm(S8, Rcx, Mem::base(Rax)) => "8a 08", "mov cl, byte ptr [rax]";
            mov_rm(S16, Rax, Mem::base(Rax)) => "66 8b 00", "mov ax, word ptr [rax]";
            // RIP-relative
            mov_rm(S32, Rax, Mem::rip(0x10)) => "8b 05 10 00 00 00", "mov eax, dword ptr [rip+0x10]";
            mov_rm(S64, R10, Mem::rip(-6)) => "4c 8b 15 fa ff ff ff", "mov r10, qword ptr [rip-6]";
        },
    );
}

#[test]
fn stores() {
    common::check_table(
        "mov [m], r / mov [m], imm",
        rows! {
            mov_mr(S64, Mem::base_disp(Rdi, 8), Rax) => "48 89 47 08", "mov qword ptr [rdi+8], rax";
            mov_mr(S8, Mem::base(Rdi), Rbp) => "40 88 2f", "mov byte ptr [rdi], bpl";
            mov_mr(S8, Mem::base(R8), Rax) => "41 88 00", "mov byte ptr [r8], al";
            mov_mr(S16, Mem::base(Rdi), R10) => "66 44 89 17", "mov word ptr [rdi], r10w";
            mov_mr(S32, Mem::base_index_disp(Rdi, R9, X4, 4), R14) => "46 89 74 8f 04", "mov dword ptr [rdi+r9*4+4], r14d";
            mov_mi(S32, Mem::base(Rax), 5) => "c7 00 05 00 00 00", "mov dword ptr [rax], 5";
            mov_mi(S64, Mem::base(Rax), -1) => "48 c7 00 ff ff ff ff", "mov qword ptr [rax], -1";
            mov_mi(S64, Mem::base_disp(Rsp, 8), 0x100) => "48 c7 44 24 08 00 01 00 00", "mov qword ptr [rsp+8], 0x100";
            mov_mi(S8, Mem::base(Rax), 0x12) => "c6 00 12", "mov byte ptr [rax], 0x12";
            mov_mi(S16, Mem::base(Rax), 0x1234) => "66 c7 00 34 12", "mov word ptr [rax], 0x1234";
        },
    );
}

#[test]
fn extensions_and_lea() {
    common::check_table(
        "movzx / movsx / movsxd / lea",
        rows! {
            movzx_rr(S32, S8, Rax, Rax) => "0f b6 c0", "movzx eax, al";
            movzx_rr(S32, S8, Rax, Rsi) => "40 0f b6 c6", "movzx eax, sil";
            movzx_rr(S32, S8, R9, R9) => "45 0f b6 c9", "movzx r9d, r9b";
            movzx_rr(S64, S16, R8, Rcx) => "4c 0f b7 c1", "movzx r8, cx";
            movzx_rr(S64, S32, Rax, Rcx) => "8b c1", "mov eax, ecx";
            movzx_rm(S32, S8, Rax, Mem::base(Rdi)) => "0f b6 07", "movzx eax, byte ptr [rdi]";
            movzx_rm(S32, S16, R11, Mem::base_disp(Rdi, 2)) => "44 0f b7 5f 02", "movzx r11d, word ptr [rdi+2]";
            movzx_rm(S64, S32, Rax, Mem::base(Rdi)) => "8b 07", "mov eax, dword ptr [rdi]";
            movsx_rr(S32, S8, Rax, Rdi) => "40 0f be c7", "movsx eax, dil";
            movsx_rr(S16, S8, Rax, Rcx) => "66 0f be c1", "movsx ax, cl";
            movsx_rr(S64, S16, Rax, Rcx) => "48 0f bf c1", "movsx rax, cx";
            movsx_rr(S64, S32, Rax, Rcx) => "48 63 c1", "movsxd rax, ecx";
            movsx_rm(S64, S8, Rax, Mem::base(Rdi)) => "48 0f be 07", "movsx rax, byte ptr [rdi]";
            movsx_rm(S32, S16, Rax, Mem::base(R12)) => "41 0f bf 04 24", "movsx eax, word ptr [r12]";
            movsx_rm(S64, S32, R15, Mem::base(R15)) => "4d 63 3f", "movsxd r15, dword ptr [r15]";
            lea(S64, Rax, Mem::base_index_disp(Rdi, Rsi, X1, 0)) => "48 8d 04 37", "lea rax, [rdi+rsi]";
            lea(S32, Rax, Mem::base_disp(Rax, 1)) => "8d 40 01", "lea eax, [rax+1]";
            lea(S64, R12, Mem::base_disp(R13, -4)) => "4d 8d 65 fc", "lea r12, [r13-4]";
            lea(S64, Rsp, Mem::base_disp(Rsp, -0x100)) => "48 8d a4 24 00 ff ff ff", "lea rsp, [rsp-0x100]";
        },
    );
}

#[test]
fn exchange_stack_and_byte_swap() {
    common::check_table(
        "xchg / push / pop / bswap / cdq",
        rows! {
            xchg_rr(S64, Rax, Rcx) => "48 87 c8", "xchg rax, rcx";
            xchg_rr(S32, R8, Rdx) => "41 87 d0", "xchg r8d, edx";
            xchg_rr(S8, Rsi, Rax) => "40 86 c6", "xchg sil, al";
            push_r(Rbp) => "55", "push rbp";
            push_r(R12) => "41 54", "push r12";
            pop_r(Rbx) => "5b", "pop rbx";
            pop_r(R15) => "41 5f", "pop r15";
            push_i(1) => "6a 01", "push 1";
            push_i(0x1000) => "68 00 10 00 00", "push 0x1000";
            bswap(S32, Rax) => "0f c8", "bswap eax";
            bswap(S32, Rdi) => "0f cf", "bswap edi";
            bswap(S64, R9) => "49 0f c9", "bswap r9";
            cdq() => "99", "cdq";
            cqo() => "48 99", "cqo";
        },
    );
}

#[test]
fn alu() {
    common::check_table(
        "add/or/adc/sbb/and/sub/xor/cmp",
        rows! {
            alu_rr(Add, S32, Rax, Rcx) => "01 c8", "add eax, ecx";
            alu_rr(Sub, S64, R8, Rsp) => "49 29 e0", "sub r8, rsp";
            alu_rr(And, S64, Rax, R15) => "4c 21 f8", "and rax, r15";
            alu_rr(Or, S16, Rax, Rbx) => "66 09 d8", "or ax, bx";
            alu_rr(Xor, S8, Rsi, Rdi) => "40 30 fe", "xor sil, dil";
            alu_rr(Xor, S32, R10, R10) => "45 31 d2", "xor r10d, r10d";
            alu_rr(Cmp, S32, R13, R14) => "45 39 f5", "cmp r13d, r14d";
            alu_rr(Adc, S64, Rdx, Rbx) => "48 11 da", "adc rdx, rbx";
            alu_rr(Sbb, S32, Rdx, Rbx) => "19 da", "sbb edx, ebx";
            // imm8 when it fits, imm32 otherwise, short rax forms.
            alu_ri(Add, S32, Rcx, 1) => "83 c1 01", "add ecx, 1";
            alu_ri(Add, S32, Rcx, 127) => "83 c1 7f", "add ecx, 0x7f";
            alu_ri(Add, S32, Rcx, 128) => "81 c1 80 00 00 00", "add ecx, 0x80";
            alu_ri(Sub, S64, Rsp, -128) => "48 83 ec 80", "sub rsp, -0x80";
            alu_ri(Sub, S64, Rsp, -129) => "48 81 ec 7f ff ff ff", "sub rsp, -0x81";
            alu_ri(Add, S32, Rax, 0x1000) => "05 00 10 00 00", "add eax, 0x1000";
            alu_ri(Add, S32, Rax, 1) => "83 c0 01", "add eax, 1";
            alu_ri(Cmp, S64, Rax, 0x1000) => "48 3d 00 10 00 00", "cmp rax, 0x1000";
            alu_ri(And, S64, R9, -16) => "49 83 e1 f0", "and r9, -0x10";
            alu_ri(Adc, S32, R9, 0x10000) => "41 81 d1 00 00 01 00", "adc r9d, 0x10000";
            alu_ri(Sbb, S64, Rdx, 0) => "48 83 da 00", "sbb rdx, 0";
            alu_ri(Xor, S8, Rdi, 0x7f) => "40 80 f7 7f", "xor dil, 0x7f";
            alu_ri(Cmp, S8, Rax, 1) => "3c 01", "cmp al, 1";
            alu_ri(Sub, S8, Rcx, 3) => "80 e9 03", "sub cl, 3";
            alu_ri(Or, S16, Rbx, 0x1234) => "66 81 cb 34 12", "or bx, 0x1234";
            alu_ri(Cmp, S16, Rbx, 1) => "66 83 fb 01", "cmp bx, 1";
            alu_rm(Add, S32, Rax, Mem::base_disp(Rbp, -8)) => "03 45 f8", "add eax, dword ptr [rbp-8]";
            alu_rm(Cmp, S64, R10, Mem::base(R12)) => "4d 3b 14 24", "cmp r10, qword ptr [r12]";
            alu_rm(Sub, S8, Rcx, Mem::base(Rax)) => "2a 08", "sub cl, byte ptr [rax]";
            alu_mr(Add, S32, Mem::base(Rax), Rcx) => "01 08", "add dword ptr [rax], ecx";
            alu_mr(Xor, S64, Mem::base_disp(Rsp, 8), R11) => "4c 31 5c 24 08", "xor qword ptr [rsp+8], r11";
            alu_mr(Or, S8, Mem::base(Rax), Rsi) => "40 08 30", "or byte ptr [rax], sil";
            alu_mi(Add, S32, Mem::base(Rax), 1) => "83 00 01", "add dword ptr [rax], 1";
            alu_mi(Sub, S64, Mem::base_disp(R15, 0x100), 1000) => "49 81 af 00 01 00 00 e8 03 00 00", "sub qword ptr [r15+0x100], 0x3e8";
            alu_mi(Cmp, S8, Mem::base(Rdi), -1) => "80 3f ff", "cmp byte ptr [rdi], -1";
            alu_mi(And, S16, Mem::base(Rdi), 0x7ff) => "66 81 27 ff 07", "and word ptr [rdi], 0x7ff";
        },
    );
}

#[test]
fn test_instruction() {
    common::check_table(
        "test",
        rows! {
            test_rr(S32, Rax, Rax) => "85 c0", "test eax, eax";
            test_rr(S64, R8, R9) => "4d 85 c8", "test r8, r9";
            test_rr(S8, Rsi, Rsi) => "40 84 f6", "test sil, sil";
            test_ri(S32, Rax, 0x100) => "a9 00 01 00 00", "test eax, 0x100";
            test_ri(S64, Rcx, 1) => "48 f7 c1 01 00 00 00", "test rcx, 1";
            test_ri(S8, Rax, 1) => "a8 01", "test al, 1";
            test_ri(S8, Rdx, 1) => "f6 c2 01", "test dl, 1";
            test_ri(S8, Rdi, 1) => "40 f6 c7 01", "test dil, 1";
            test_mr(S32, Mem::base(Rax), Rcx) => "85 08", "test dword ptr [rax], ecx";
            test_mi(S8, Mem::base(Rax), 0x40) => "f6 00 40", "test byte ptr [rax], 0x40";
            mov_mi(S8, Mem::base(R9), 7) => "41 c6 01 07", "mov byte ptr [r9], 7";
            test_mi(S64, Mem::base(R13), 0x40) => "49 f7 45 00 40 00 00 00", "test qword ptr [r13], 0x40";
        },
    );
}

#[test]
fn multiply_and_divide() {
    common::check_table(
        "imul / mul / div / idiv / neg / not",
        rows! {
            imul_rr(S32, Rax, Rcx) => "0f af c1", "imul eax, ecx";
            imul_rr(S64, R8, R9) => "4d 0f af c1", "imul r8, r9";
            imul_rm(S64, Rax, Mem::base(Rdi)) => "48 0f af 07", "imul rax, qword ptr [rdi]";
            imul_rri(S32, Rax, Rcx, 10) => "6b c1 0a", "imul eax, ecx, 0xa";
            imul_rri(S64, Rax, Rcx, 1000) => "48 69 c1 e8 03 00 00", "imul rax, rcx, 0x3e8";
            imul_rri(S64, R12, R13, -1) => "4d 6b e5 ff", "imul r12, r13, -1";
            imul_rri(S16, Rax, Rcx, 1000) => "66 69 c1 e8 03", "imul ax, cx, 0x3e8";
            mul_r(S64, Rcx) => "48 f7 e1", "mul rcx";
            imul_r(S32, R8) => "41 f7 e8", "imul r8d";
            div_r(S32, Rcx) => "f7 f1", "div ecx";
            idiv_r(S64, R11) => "49 f7 fb", "idiv r11";
            div_r(S8, Rsi) => "40 f6 f6", "div sil";
            div_r(S8, Rcx) => "f6 f1", "div cl";
            idiv_m(S8, Mem::base(Rax)) => "f6 38", "idiv byte ptr [rax]";
            neg_r(S32, Rax) => "f7 d8", "neg eax";
            neg_r(S8, Rbp) => "40 f6 dd", "neg bpl";
            not_r(S64, R14) => "49 f7 d6", "not r14";
            mul_m(S32, Mem::base(Rax)) => "f7 20", "mul dword ptr [rax]";
            imul_m(S64, Mem::base(Rax)) => "48 f7 28", "imul qword ptr [rax]";
            div_m(S32, Mem::base(Rsp)) => "f7 34 24", "div dword ptr [rsp]";
            idiv_m(S64, Mem::base_disp(Rbp, 16)) => "48 f7 7d 10", "idiv qword ptr [rbp+0x10]";
        },
    );
}

#[test]
fn shifts_and_rotates() {
    common::check_table(
        "shl/shr/sar/rol/ror",
        rows! {
            shift_cl(Shl, S32, Rax) => "d3 e0", "shl eax, cl";
            shift_cl(Sar, S64, R9) => "49 d3 f9", "sar r9, cl";
            shift_cl(Shr, S8, Rdi) => "40 d2 ef", "shr dil, cl";
            shift_cl(Rol, S32, Rdx) => "d3 c2", "rol edx, cl";
            shift_cl(Ror, S64, Rdx) => "48 d3 ca", "ror rdx, cl";
            shift_ri(Shl, S64, Rax, 1) => "48 d1 e0", "shl rax, 1";
            shift_ri(Shl, S32, Rax, 2) => "c1 e0 02", "shl eax, 2";
            shift_ri(Shr, S32, Rcx, 31) => "c1 e9 1f", "shr ecx, 0x1f";
            shift_ri(Sar, S64, R12, 63) => "49 c1 fc 3f", "sar r12, 0x3f";
            shift_ri(Rol, S16, Rax, 8) => "66 c1 c0 08", "rol ax, 8";
            shift_ri(Ror, S32, R8, 3) => "41 c1 c8 03", "ror r8d, 3";
            shift_ri(Shr, S8, Rsi, 1) => "40 d0 ee", "shr sil, 1";
            shift_ri(Shl, S8, Rax, 2) => "c0 e0 02", "shl al, 2";
            shift_ri(Sar, S8, Rdx, 1) => "d0 fa", "sar dl, 1";
            shift_cl(Sar, S8, Rbx) => "d2 fb", "sar bl, cl";
        },
    );
}

#[test]
fn bit_counts() {
    common::check_table(
        "lzcnt / tzcnt / popcnt / bsr / bsf",
        rows! {
            lzcnt_rr(S32, Rax, Rcx) => "f3 0f bd c1", "lzcnt eax, ecx";
            lzcnt_rr(S64, R8, Rax) => "f3 4c 0f bd c0", "lzcnt r8, rax";
            tzcnt_rr(S64, Rax, R9) => "f3 49 0f bc c1", "tzcnt rax, r9";
            tzcnt_rr(S32, Rsp, Rbp) => "f3 0f bc e5", "tzcnt esp, ebp";
            popcnt_rr(S32, Rdx, Rsi) => "f3 0f b8 d6", "popcnt edx, esi";
            popcnt_rr(S16, Rdx, Rsi) => "66 f3 0f b8 d6", "popcnt dx, si";
            popcnt_rr(S64, R15, R15) => "f3 4d 0f b8 ff", "popcnt r15, r15";
            bsr_rr(S32, Rax, Rcx) => "0f bd c1", "bsr eax, ecx";
            bsf_rr(S64, Rax, Rcx) => "48 0f bc c1", "bsf rax, rcx";
            lzcnt_rm(S64, Rax, Mem::base(R13)) => "f3 49 0f bd 45 00", "lzcnt rax, qword ptr [r13]";
            tzcnt_rm(S32, Rax, Mem::base(Rax)) => "f3 0f bc 00", "tzcnt eax, dword ptr [rax]";
            popcnt_rm(S64, Rax, Mem::base(Rax)) => "f3 48 0f b8 00", "popcnt rax, qword ptr [rax]";
            bsr_rm(S32, Rax, Mem::base(Rax)) => "0f bd 00", "bsr eax, dword ptr [rax]";
            bsf_rm(S32, Rax, Mem::base(Rax)) => "0f bc 00", "bsf eax, dword ptr [rax]";
        },
    );
}

#[test]
fn setcc_and_cmov() {
    common::check_table(
        "setcc / cmovcc",
        rows! {
            setcc(E, Rax) => "0f 94 c0", "sete al";
            setcc(Ne, Rsi) => "40 0f 95 c6", "setne sil";
            setcc(L, R8) => "41 0f 9c c0", "setl r8b";
            setcc(A, Rbx) => "0f 97 c3", "seta bl";
            setcc(P, Rsp) => "40 0f 9a c4", "setp spl";
            cmov_rr(E, S32, Rax, Rcx) => "0f 44 c1", "cmove eax, ecx";
            cmov_rr(Ge, S64, R8, R9) => "4d 0f 4d c1", "cmovge r8, r9";
            cmov_rr(B, S64, Rax, Rcx) => "48 0f 42 c1", "cmovb rax, rcx";
            cmov_rr(Np, S16, Rax, Rcx) => "66 0f 4b c1", "cmovnp ax, cx";
            cmov_rm(Ne, S32, Rax, Mem::base(Rdi)) => "0f 45 07", "cmovne eax, dword ptr [rdi]";
        },
    );
}

/// Every condition code, through setcc, cmovcc and jcc: the opcode nibble
/// and iced's suffix agree, and `invert` gives the opposite suffix.
#[test]
fn all_condition_codes() {
    const SUFFIX: [&str; 16] = [
        "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g",
    ];
    for (i, cond) in Cond::ALL.into_iter().enumerate() {
        let suffix = SUFFIX[i];
        let buf = common::assemble(|a| a.setcc(cond, ember_jit_x64::Gpr::Rcx));
        assert_eq!(buf.bytes, [0x0f, 0x90 + i as u8, 0xc1]);
        assert_eq!(common::disassemble(&buf.bytes), format!("set{suffix} cl"));
        let buf = common::assemble(|a| a.cmov_rr(cond, S64, Rdx, R10));
        assert_eq!(
            common::disassemble(&buf.bytes),
            format!("cmov{suffix} rdx, r10")
        );
        let buf = common::assemble(|a| {
            let l = a.bound_label();
            a.jcc(cond, l);
        });
        assert_eq!(buf.bytes, [0x70 + i as u8, 0xfe]);
        assert_eq!(
            common::disassemble(&buf.bytes),
            format!("j{suffix} short 0")
        );
        let inverse = SUFFIX[cond.invert() as usize];
        assert_eq!(inverse, SUFFIX[i ^ 1], "{cond:?}");
        assert_eq!(cond.invert().invert(), cond);
    }
}
