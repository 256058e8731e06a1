//! The packed SSE family: a table of exact encodings, and every operation
//! decoded by iced-x86 back to its own mnemonic, with high and low
//! registers and a memory operand.

mod common;

use ember_jit_x64::Gpr::*;
use ember_jit_x64::PackedOp::*;
use ember_jit_x64::PackedShift::*;
use ember_jit_x64::Xmm::*;
use ember_jit_x64::{Mem, PackedOp};

#[test]
fn table() {
    common::check_table(
        "packed",
        rows! {
            packed_xx(Paddb, Xmm0, Xmm1) => "66 0f fc c1", "paddb xmm0, xmm1";
            packed_xx(Pmulld, Xmm8, Xmm2) => "66 44 0f 38 40 c2", "pmulld xmm8, xmm2";
            packed_xx(Addps, Xmm1, Xmm15) => "41 0f 58 cf", "addps xmm1, xmm15";
            packed_xx(Mulpd, Xmm3, Xmm4) => "66 0f 59 dc", "mulpd xmm3, xmm4";
            packed_xx(Pshufb, Xmm0, Xmm1) => "66 0f 38 00 c1", "pshufb xmm0, xmm1";
            packed_xx(Pmovzxbw, Xmm9, Xmm9) => "66 45 0f 38 30 c9", "pmovzxbw xmm9, xmm9";
            packed_xm(Pand, Xmm2, Mem::base(Rdi)) => "66 0f db 17", "pand xmm2, xmmword ptr [rdi]";
            packed_shift_xi(Psllw, Xmm0, 3) => "66 0f 71 f0 03", "psllw xmm0, 3";
            packed_shift_xi(Psrad, Xmm10, 31) => "66 41 0f 72 e2 1f", "psrad xmm10, 0x1f";
            packed_shift_xi(Psrldq, Xmm1, 8) => "66 0f 73 d9 08", "psrldq xmm1, 8";
            pshufd_xxi(Xmm0, Xmm1, 0) => "66 0f 70 c1 00", "pshufd xmm0, xmm1, 0";
            pshuflw_xxi(Xmm12, Xmm3, 0x1b) => "f2 44 0f 70 e3 1b", "pshuflw xmm12, xmm3, 0x1b";
        },
    );
}

fn mnemonic(name: &str) -> String {
    name.to_ascii_lowercase()
}

#[test]
fn every_operation_decodes_to_its_name() {
    for &op in PackedOp::ALL {
        let name = mnemonic(&format!("{op:?}"));
        for (dst, src, regs) in [(Xmm3, Xmm12, "xmm3, xmm12"), (Xmm14, Xmm0, "xmm14, xmm0")] {
            let buf = common::assemble(|a| a.packed_xx(op, dst, src));
            let asm = common::disassemble(&buf.bytes);
            assert_eq!(asm, format!("{name} {regs}"), "{op:?}");
        }
        let buf = common::assemble(|a| a.packed_xm(op, Xmm5, Mem::base_disp(R13, 16)));
        let asm = common::disassemble(&buf.bytes);
        assert!(asm.starts_with(&format!("{name} xmm5, ")), "{op:?}: {asm}");
        assert!(asm.contains("[r13+0x10]"), "{op:?}: {asm}");
    }
    let shifts = [
        Psrlw, Psraw, Psllw, Psrld, Psrad, Pslld, Psrlq, Psllq, Psrldq, Pslldq,
    ];
    for op in shifts {
        let name = mnemonic(&format!("{op:?}"));
        let buf = common::assemble(|a| a.packed_shift_xi(op, Xmm11, 5));
        let asm = common::disassemble(&buf.bytes);
        assert_eq!(asm, format!("{name} xmm11, 5"), "{op:?}");
    }
}
