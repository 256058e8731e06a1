//! Randomized tests of the SSE families: random xmm and general-purpose
//! registers, memory operands and modes go through the encoder, iced-x86
//! decodes the bytes, and the decoded mnemonic and operands must be the
//! ones asked for (and the bytes must be exactly one instruction).

mod common;

use common::random::{Case, MemSpec, Want, run};
use common::{gpr, xmm};
use ember_jit_x64::{FloatSize, LogicOp, RoundMode, Size, SseOp, Xmm};
use iced_x86::Mnemonic;

fn float_bytes(size: FloatSize) -> usize {
    match size {
        FloatSize::F32 => 4,
        FloatSize::F64 => 8,
    }
}

#[test]
fn sse_scalar_family() {
    run(11, |rng| {
        let fs = rng.pick(&[FloatSize::F32, FloatSize::F64]);
        let f64 = fs == FloatSize::F64;
        let (x1, x2, m) = (rng.xmm(), rng.xmm(), MemSpec::random(rng));
        let op = rng.pick(&[
            SseOp::Add,
            SseOp::Sub,
            SseOp::Mul,
            SseOp::Div,
            SseOp::Min,
            SseOp::Max,
            SseOp::Sqrt,
        ]);
        let mode = rng.pick(&[
            RoundMode::Nearest,
            RoundMode::Floor,
            RoundMode::Ceil,
            RoundMode::Trunc,
        ]);
        let pick = |ss, sd| if f64 { sd } else { ss };
        let arith = match op {
            SseOp::Add => pick(Mnemonic::Addss, Mnemonic::Addsd),
            SseOp::Sub => pick(Mnemonic::Subss, Mnemonic::Subsd),
            SseOp::Mul => pick(Mnemonic::Mulss, Mnemonic::Mulsd),
            SseOp::Div => pick(Mnemonic::Divss, Mnemonic::Divsd),
            SseOp::Min => pick(Mnemonic::Minss, Mnemonic::Minsd),
            SseOp::Max => pick(Mnemonic::Maxss, Mnemonic::Maxsd),
            SseOp::Sqrt => pick(Mnemonic::Sqrtss, Mnemonic::Sqrtsd),
        };
        let bytes = float_bytes(fs);
        let call = format!("sse {fs:?} {op:?} {mode:?} {x1:?} {x2:?} {m:?}");
        let (rx1, rx2) = (Want::Reg(xmm(x1)), Want::Reg(xmm(x2)));
        let mem = Want::Mem(m, bytes);
        let round_imm = Want::Imm(mode as i64 | 8);
        let movs = pick(Mnemonic::Movss, Mnemonic::Movsd);
        let ucomis = pick(Mnemonic::Ucomiss, Mnemonic::Ucomisd);
        let comis = pick(Mnemonic::Comiss, Mnemonic::Comisd);
        let rounds = pick(Mnemonic::Roundss, Mnemonic::Roundsd);
        match rng.below(11) {
            0 => Case::new(call, move |a| a.movs_xx(fs, x1, x2), movs, vec![rx1, rx2]),
            1 => Case::new(
                call,
                move |a| a.movs_xm(fs, x1, m.mem()),
                movs,
                vec![rx1, mem],
            ),
            2 => Case::new(
                call,
                move |a| a.movs_mx(fs, m.mem(), x1),
                movs,
                vec![mem, rx1],
            ),
            3 => Case::new(
                call,
                move |a| a.sse_xx(op, fs, x1, x2),
                arith,
                vec![rx1, rx2],
            ),
            4 => Case::new(
                call,
                move |a| a.sse_xm(op, fs, x1, m.mem()),
                arith,
                vec![rx1, mem],
            ),
            5 => Case::new(
                call,
                move |a| a.rounds_xx(fs, x1, x2, mode),
                rounds,
                vec![rx1, rx2, round_imm],
            ),
            6 => Case::new(
                call,
                move |a| a.rounds_xm(fs, x1, m.mem(), mode),
                rounds,
                vec![rx1, mem, round_imm],
            ),
            7 => Case::new(
                call,
                move |a| a.ucomis_xx(fs, x1, x2),
                ucomis,
                vec![rx1, rx2],
            ),
            8 => Case::new(
                call,
                move |a| a.ucomis_xm(fs, x1, m.mem()),
                ucomis,
                vec![rx1, mem],
            ),
            9 => Case::new(call, move |a| a.comis_xx(fs, x1, x2), comis, vec![rx1, rx2]),
            _ => Case::new(
                call,
                move |a| a.comis_xm(fs, x1, m.mem()),
                comis,
                vec![rx1, mem],
            ),
        }
    });
}

#[test]
fn sse_conversion_family() {
    run(12, |rng| {
        let fs = rng.pick(&[FloatSize::F32, FloatSize::F64]);
        let f64 = fs == FloatSize::F64;
        let int = rng.pick(&[Size::S32, Size::S64]);
        let (x1, x2, r, m) = (rng.xmm(), rng.xmm(), rng.gpr(), MemSpec::random(rng));
        let call = format!("cvt {fs:?} {int:?} {x1:?} {x2:?} {r:?} {m:?}");
        let pick = |ss, sd| if f64 { sd } else { ss };
        let cvtsi2s = pick(Mnemonic::Cvtsi2ss, Mnemonic::Cvtsi2sd);
        let cvtts2si = pick(Mnemonic::Cvttss2si, Mnemonic::Cvttsd2si);
        let (rx1, rx2, rr) = (
            Want::Reg(xmm(x1)),
            Want::Reg(xmm(x2)),
            Want::Reg(gpr(int, r)),
        );
        let int_mem = Want::Mem(m, int.bytes() as usize);
        let float_mem = Want::Mem(m, float_bytes(fs));
        let movd = if int == Size::S64 {
            Mnemonic::Movq
        } else {
            Mnemonic::Movd
        };
        match rng.below(10) {
            0 => Case::new(
                call,
                move |a| a.cvtsi2s_xr(fs, int, x1, r),
                cvtsi2s,
                vec![rx1, rr],
            ),
            1 => Case::new(
                call,
                move |a| a.cvtsi2s_xm(fs, int, x1, m.mem()),
                cvtsi2s,
                vec![rx1, int_mem],
            ),
            2 => Case::new(
                call,
                move |a| a.cvtts2si_rx(fs, int, r, x1),
                cvtts2si,
                vec![rr, rx1],
            ),
            3 => Case::new(
                call,
                move |a| a.cvtts2si_rm(fs, int, r, m.mem()),
                cvtts2si,
                vec![rr, float_mem],
            ),
            4 => Case::new(
                call,
                move |a| a.cvtss2sd_xx(x1, x2),
                Mnemonic::Cvtss2sd,
                vec![rx1, rx2],
            ),
            5 => Case::new(
                call,
                move |a| a.cvtsd2ss_xx(x1, x2),
                Mnemonic::Cvtsd2ss,
                vec![rx1, rx2],
            ),
            6 => Case::new(
                call,
                move |a| a.cvtss2sd_xm(x1, m.mem()),
                Mnemonic::Cvtss2sd,
                vec![rx1, Want::Mem(m, 4)],
            ),
            7 => Case::new(
                call,
                move |a| a.cvtsd2ss_xm(x1, m.mem()),
                Mnemonic::Cvtsd2ss,
                vec![rx1, Want::Mem(m, 8)],
            ),
            8 => Case::new(call, move |a| a.movd_xr(int, x1, r), movd, vec![rx1, rr]),
            _ => Case::new(call, move |a| a.movd_rx(int, r, x1), movd, vec![rr, rx1]),
        }
    });
}

#[test]
fn sse_bitwise_and_vector_move_family() {
    run(13, |rng| {
        let fs = rng.pick(&[FloatSize::F32, FloatSize::F64]);
        let f64 = fs == FloatSize::F64;
        let op = rng.pick(&[LogicOp::And, LogicOp::AndNot, LogicOp::Or, LogicOp::Xor]);
        let (x1, x2, m): (Xmm, Xmm, MemSpec) = (rng.xmm(), rng.xmm(), MemSpec::random(rng));
        let pick = |ps, pd| if f64 { pd } else { ps };
        let logic = match op {
            LogicOp::And => pick(Mnemonic::Andps, Mnemonic::Andpd),
            LogicOp::AndNot => pick(Mnemonic::Andnps, Mnemonic::Andnpd),
            LogicOp::Or => pick(Mnemonic::Orps, Mnemonic::Orpd),
            LogicOp::Xor => pick(Mnemonic::Xorps, Mnemonic::Xorpd),
        };
        let call = format!("vec {fs:?} {op:?} {x1:?} {x2:?} {m:?}");
        let (rx1, rx2, mem) = (Want::Reg(xmm(x1)), Want::Reg(xmm(x2)), Want::Mem(m, 16));
        match rng.below(9) {
            0 => Case::new(
                call,
                move |a| a.logic_xx(op, fs, x1, x2),
                logic,
                vec![rx1, rx2],
            ),
            1 => Case::new(
                call,
                move |a| a.logic_xm(op, fs, x1, m.mem()),
                logic,
                vec![rx1, mem],
            ),
            2 => Case::new(
                call,
                move |a| a.pxor_xx(x1, x2),
                Mnemonic::Pxor,
                vec![rx1, rx2],
            ),
            3 => Case::new(
                call,
                move |a| a.pxor_xm(x1, m.mem()),
                Mnemonic::Pxor,
                vec![rx1, mem],
            ),
            4 => Case::new(
                call,
                move |a| a.movaps_xx(x1, x2),
                Mnemonic::Movaps,
                vec![rx1, rx2],
            ),
            5 => Case::new(
                call,
                move |a| a.movups_xm(x1, m.mem()),
                Mnemonic::Movups,
                vec![rx1, mem],
            ),
            6 => Case::new(
                call,
                move |a| a.movups_mx(m.mem(), x1),
                Mnemonic::Movups,
                vec![mem, rx1],
            ),
            7 => Case::new(
                call,
                move |a| a.movdqu_xm(x1, m.mem()),
                Mnemonic::Movdqu,
                vec![rx1, mem],
            ),
            _ => Case::new(
                call,
                move |a| a.movdqu_mx(m.mem(), x1),
                Mnemonic::Movdqu,
                vec![mem, rx1],
            ),
        }
    });
}
