//! Table tests of the SSE2/SSE4.1 families: each row is an encoder call,
//! the bytes it must produce, and iced-x86's Intel syntax for those bytes.

mod common;

use ember_jit_x64::FloatSize::*;
use ember_jit_x64::Gpr::*;
use ember_jit_x64::LogicOp::*;
use ember_jit_x64::RoundMode::*;
use ember_jit_x64::Size::*;
use ember_jit_x64::SseOp::*;
use ember_jit_x64::Xmm::*;
use ember_jit_x64::{Mem, Scale::*};

#[test]
fn moves() {
    common::check_table(
        "movss/movsd/movaps/movups/movdqu/movd/movq",
        rows! {
            movs_xx(F32, Xmm0, Xmm1) => "f3 0f 10 c1", "movss xmm0, xmm1";
            movs_xx(F64, Xmm8, Xmm15) => "f2 45 0f 10 c7", "movsd xmm8, xmm15";
            movs_xm(F32, Xmm0, Mem::base(Rdi)) => "f3 0f 10 07", "movss xmm0, dword ptr [rdi]";
            movs_xm(F64, Xmm9, Mem::base_disp(R12, 8)) => "f2 45 0f 10 4c 24 08", "movsd xmm9, qword ptr [r12+8]";
            movs_mx(F32, Mem::base_disp(Rbp, -4), Xmm3) => "f3 0f 11 5d fc", "movss dword ptr [rbp-4], xmm3";
            movs_mx(F64, Mem::base_index_disp(Rdi, R10, X8, 0), Xmm12) => "f2 46 0f 11 24 d7", "movsd qword ptr [rdi+r10*8], xmm12";
            movaps_xx(Xmm0, Xmm10) => "41 0f 28 c2", "movaps xmm0, xmm10";
            movups_xm(Xmm1, Mem::base(Rax)) => "0f 10 08", "movups xmm1, xmmword ptr [rax]";
            movups_mx(Mem::base(R13), Xmm14) => "45 0f 11 75 00", "movups xmmword ptr [r13], xmm14";
            movdqu_xm(Xmm2, Mem::base_disp(Rsp, 32)) => "f3 0f 6f 54 24 20", "movdqu xmm2, xmmword ptr [rsp+0x20]";
            movdqu_mx(Mem::base(Rdi), Xmm8) => "f3 44 0f 7f 07", "movdqu xmmword ptr [rdi], xmm8";
            movd_xr(S32, Xmm0, Rax) => "66 0f 6e c0", "movd xmm0, eax";
            movd_xr(S64, Xmm1, R9) => "66 49 0f 6e c9", "movq xmm1, r9";
            movd_rx(S32, Rcx, Xmm2) => "66 0f 7e d1", "movd ecx, xmm2";
            movd_rx(S64, R11, Xmm13) => "66 4d 0f 7e eb", "movq r11, xmm13";
        },
    );
}

#[test]
fn arithmetic() {
    common::check_table(
        "add/sub/mul/div/sqrt/min/max ss/sd",
        rows! {
            sse_xx(Add, F32, Xmm0, Xmm1) => "f3 0f 58 c1", "addss xmm0, xmm1";
            sse_xx(Add, F64, Xmm0, Xmm1) => "f2 0f 58 c1", "addsd xmm0, xmm1";
            sse_xx(Sub, F32, Xmm8, Xmm1) => "f3 44 0f 5c c1", "subss xmm8, xmm1";
            sse_xx(Sub, F64, Xmm1, Xmm8) => "f2 41 0f 5c c8", "subsd xmm1, xmm8";
            sse_xx(Mul, F32, Xmm2, Xmm3) => "f3 0f 59 d3", "mulss xmm2, xmm3";
            sse_xx(Mul, F64, Xmm2, Xmm11) => "f2 41 0f 59 d3", "mulsd xmm2, xmm11";
            sse_xx(Div, F32, Xmm4, Xmm5) => "f3 0f 5e e5", "divss xmm4, xmm5";
            sse_xx(Div, F64, Xmm15, Xmm15) => "f2 45 0f 5e ff", "divsd xmm15, xmm15";
            sse_xx(Sqrt, F32, Xmm0, Xmm0) => "f3 0f 51 c0", "sqrtss xmm0, xmm0";
            sse_xx(Sqrt, F64, Xmm1, Xmm2) => "f2 0f 51 ca", "sqrtsd xmm1, xmm2";
            sse_xx(Min, F32, Xmm1, Xmm2) => "f3 0f 5d ca", "minss xmm1, xmm2";
            sse_xx(Min, F64, Xmm1, Xmm2) => "f2 0f 5d ca", "minsd xmm1, xmm2";
            sse_xx(Max, F32, Xmm1, Xmm2) => "f3 0f 5f ca", "maxss xmm1, xmm2";
            sse_xx(Max, F64, Xmm1, Xmm2) => "f2 0f 5f ca", "maxsd xmm1, xmm2";
            sse_xm(Add, F64, Xmm0, Mem::base_disp(Rdi, 16)) => "f2 0f 58 47 10", "addsd xmm0, qword ptr [rdi+0x10]";
            sse_xm(Div, F32, Xmm9, Mem::rip(0)) => "f3 44 0f 5e 0d 00 00 00 00", "divss xmm9, dword ptr [rip]";
            sse_xm(Sqrt, F64, Xmm2, Mem::base(Rbp)) => "f2 0f 51 55 00", "sqrtsd xmm2, qword ptr [rbp]";
            rounds_xx(F32, Xmm0, Xmm1, Nearest) => "66 0f 3a 0a c1 08", "roundss xmm0, xmm1, 8";
            rounds_xx(F64, Xmm0, Xmm1, Floor) => "66 0f 3a 0b c1 09", "roundsd xmm0, xmm1, 9";
            rounds_xx(F64, Xmm10, Xmm2, Ceil) => "66 44 0f 3a 0b d2 0a", "roundsd xmm10, xmm2, 0xa";
            rounds_xx(F32, Xmm3, Xmm12, Trunc) => "66 41 0f 3a 0a dc 0b", "roundss xmm3, xmm12, 0xb";
            rounds_xm(F64, Xmm0, Mem::base(Rax), Trunc) => "66 0f 3a 0b 00 0b", "roundsd xmm0, qword ptr [rax], 0xb";
            rounds_xm(F32, Xmm0, Mem::base_disp(R12, -1), Floor) => "66 41 0f 3a 0a 44 24 ff 09", "roundss xmm0, dword ptr [r12-1], 9";
        },
    );
}

#[test]
fn compares() {
    common::check_table(
        "ucomiss/ucomisd/comiss/comisd",
        rows! {
            ucomis_xx(F32, Xmm0, Xmm1) => "0f 2e c1", "ucomiss xmm0, xmm1";
            ucomis_xx(F64, Xmm0, Xmm9) => "66 41 0f 2e c1", "ucomisd xmm0, xmm9";
            comis_xx(F32, Xmm0, Xmm1) => "0f 2f c1", "comiss xmm0, xmm1";
            comis_xx(F64, Xmm8, Xmm1) => "66 44 0f 2f c1", "comisd xmm8, xmm1";
            ucomis_xm(F64, Xmm0, Mem::base(Rsp)) => "66 0f 2e 04 24", "ucomisd xmm0, qword ptr [rsp]";
            ucomis_xm(F32, Xmm12, Mem::base(R13)) => "45 0f 2e 65 00", "ucomiss xmm12, dword ptr [r13]";
            comis_xm(F32, Xmm0, Mem::base(Rax)) => "0f 2f 00", "comiss xmm0, dword ptr [rax]";
        },
    );
}

#[test]
fn conversions() {
    common::check_table(
        "cvtsi2ss/sd, cvttss/sd2si, cvtss2sd, cvtsd2ss",
        rows! {
            cvtsi2s_xr(F32, S32, Xmm0, Rax) => "f3 0f 2a c0", "cvtsi2ss xmm0, eax";
            cvtsi2s_xr(F32, S64, Xmm0, Rax) => "f3 48 0f 2a c0", "cvtsi2ss xmm0, rax";
            cvtsi2s_xr(F64, S32, Xmm1, R8) => "f2 41 0f 2a c8", "cvtsi2sd xmm1, r8d";
            cvtsi2s_xr(F64, S64, Xmm9, R15) => "f2 4d 0f 2a cf", "cvtsi2sd xmm9, r15";
            cvtsi2s_xm(F64, S64, Xmm0, Mem::base(Rdi)) => "f2 48 0f 2a 07", "cvtsi2sd xmm0, qword ptr [rdi]";
            cvtsi2s_xm(F32, S32, Xmm0, Mem::base(Rdi)) => "f3 0f 2a 07", "cvtsi2ss xmm0, dword ptr [rdi]";
            cvtts2si_rx(F32, S32, Rax, Xmm0) => "f3 0f 2c c0", "cvttss2si eax, xmm0";
            cvtts2si_rx(F32, S64, Rax, Xmm1) => "f3 48 0f 2c c1", "cvttss2si rax, xmm1";
            cvtts2si_rx(F64, S32, R10, Xmm2) => "f2 44 0f 2c d2", "cvttsd2si r10d, xmm2";
            cvtts2si_rx(F64, S64, Rcx, Xmm14) => "f2 49 0f 2c ce", "cvttsd2si rcx, xmm14";
            cvtts2si_rm(F64, S64, Rax, Mem::base(Rdi)) => "f2 48 0f 2c 07", "cvttsd2si rax, qword ptr [rdi]";
            cvtts2si_rm(F32, S32, Rax, Mem::base(Rdi)) => "f3 0f 2c 07", "cvttss2si eax, dword ptr [rdi]";
            cvtss2sd_xx(Xmm0, Xmm1) => "f3 0f 5a c1", "cvtss2sd xmm0, xmm1";
            cvtsd2ss_xx(Xmm8, Xmm9) => "f2 45 0f 5a c1", "cvtsd2ss xmm8, xmm9";
            cvtss2sd_xm(Xmm0, Mem::base(Rax)) => "f3 0f 5a 00", "cvtss2sd xmm0, dword ptr [rax]";
            cvtsd2ss_xm(Xmm0, Mem::base(Rax)) => "f2 0f 5a 00", "cvtsd2ss xmm0, qword ptr [rax]";
        },
    );
}

#[test]
fn bitwise() {
    common::check_table(
        "andps/andpd/andnps/andnpd/orps/orpd/xorps/xorpd/pxor",
        rows! {
            logic_xx(And, F32, Xmm0, Xmm1) => "0f 54 c1", "andps xmm0, xmm1";
            logic_xx(And, F64, Xmm0, Xmm1) => "66 0f 54 c1", "andpd xmm0, xmm1";
            logic_xx(AndNot, F32, Xmm0, Xmm1) => "0f 55 c1", "andnps xmm0, xmm1";
            logic_xx(AndNot, F64, Xmm0, Xmm1) => "66 0f 55 c1", "andnpd xmm0, xmm1";
            logic_xx(Or, F32, Xmm0, Xmm1) => "0f 56 c1", "orps xmm0, xmm1";
            logic_xx(Or, F64, Xmm0, Xmm1) => "66 0f 56 c1", "orpd xmm0, xmm1";
            logic_xx(Xor, F32, Xmm15, Xmm15) => "45 0f 57 ff", "xorps xmm15, xmm15";
            logic_xx(Xor, F64, Xmm0, Xmm1) => "66 0f 57 c1", "xorpd xmm0, xmm1";
            logic_xm(And, F64, Xmm0, Mem::rip(0x20)) => "66 0f 54 05 20 00 00 00", "andpd xmm0, xmmword ptr [rip+0x20]";
            logic_xm(Xor, F32, Xmm8, Mem::base(Rsp)) => "44 0f 57 04 24", "xorps xmm8, xmmword ptr [rsp]";
            pxor_xx(Xmm0, Xmm0) => "66 0f ef c0", "pxor xmm0, xmm0";
            pxor_xx(Xmm9, Xmm3) => "66 44 0f ef cb", "pxor xmm9, xmm3";
            pxor_xm(Xmm1, Mem::base(Rax)) => "66 0f ef 08", "pxor xmm1, xmmword ptr [rax]";
        },
    );
}
