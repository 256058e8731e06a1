//! Randomized tests of the integer families: random registers, sizes,
//! memory operands and immediates go through the encoder, iced-x86 decodes
//! the bytes, and the decoded mnemonic and operands must be the ones asked
//! for (and the bytes must be exactly one instruction).

mod common;

use common::random::{Case, MemSpec, ROUNDS, SIZES, Want, imm_for, run, size_at_least_16};
use common::{Asm, Rng, gpr};
use ember_jit_x64::{AluOp, Cond, Gpr, Mem, ShiftOp, Size};
use iced_x86::{Mnemonic, Register};

#[test]
fn alu_family() {
    run(1, |rng| {
        let op = rng.pick(&[
            AluOp::Add,
            AluOp::Or,
            AluOp::Adc,
            AluOp::Sbb,
            AluOp::And,
            AluOp::Sub,
            AluOp::Xor,
            AluOp::Cmp,
        ]);
        let mnemonic = match op {
            AluOp::Add => Mnemonic::Add,
            AluOp::Or => Mnemonic::Or,
            AluOp::Adc => Mnemonic::Adc,
            AluOp::Sbb => Mnemonic::Sbb,
            AluOp::And => Mnemonic::And,
            AluOp::Sub => Mnemonic::Sub,
            AluOp::Xor => Mnemonic::Xor,
            AluOp::Cmp => Mnemonic::Cmp,
        };
        let size = rng.pick(&SIZES);
        let (r1, r2, m) = (rng.gpr(), rng.gpr(), MemSpec::random(rng));
        let imm = rng.interesting_i32();
        let bytes = size.bytes() as usize;
        let call = format!("{op:?} {size:?} {r1:?} {r2:?} {m:?} {imm}");
        match rng.below(5) {
            0 => Case::new(
                call,
                move |a| a.alu_rr(op, size, r1, r2),
                mnemonic,
                vec![Want::Reg(gpr(size, r1)), Want::Reg(gpr(size, r2))],
            ),
            1 => Case::new(
                call,
                move |a| a.alu_ri(op, size, r1, imm),
                mnemonic,
                vec![Want::Reg(gpr(size, r1)), Want::Imm(imm_for(size, imm))],
            ),
            2 => Case::new(
                call,
                move |a| a.alu_rm(op, size, r1, m.mem()),
                mnemonic,
                vec![Want::Reg(gpr(size, r1)), Want::Mem(m, bytes)],
            ),
            3 => Case::new(
                call,
                move |a| a.alu_mr(op, size, m.mem(), r1),
                mnemonic,
                vec![Want::Mem(m, bytes), Want::Reg(gpr(size, r1))],
            ),
            _ => Case::new(
                call,
                move |a| a.alu_mi(op, size, m.mem(), imm),
                mnemonic,
                vec![Want::Mem(m, bytes), Want::Imm(imm_for(size, imm))],
            ),
        }
    });
}

#[test]
fn test_family() {
    run(2, |rng| {
        let size = rng.pick(&SIZES);
        let (r1, r2, m) = (rng.gpr(), rng.gpr(), MemSpec::random(rng));
        let imm = rng.interesting_i32();
        let bytes = size.bytes() as usize;
        let call = format!("test {size:?} {r1:?} {r2:?} {m:?} {imm}");
        let t = Mnemonic::Test;
        match rng.below(4) {
            0 => Case::new(
                call,
                move |a| a.test_rr(size, r1, r2),
                t,
                vec![Want::Reg(gpr(size, r1)), Want::Reg(gpr(size, r2))],
            ),
            1 => Case::new(
                call,
                move |a| a.test_ri(size, r1, imm),
                t,
                vec![Want::Reg(gpr(size, r1)), Want::Imm(imm_for(size, imm))],
            ),
            2 => Case::new(
                call,
                move |a| a.test_mr(size, m.mem(), r1),
                t,
                vec![Want::Mem(m, bytes), Want::Reg(gpr(size, r1))],
            ),
            _ => Case::new(
                call,
                move |a| a.test_mi(size, m.mem(), imm),
                t,
                vec![Want::Mem(m, bytes), Want::Imm(imm_for(size, imm))],
            ),
        }
    });
}

#[test]
fn mov_family() {
    run(3, |rng| {
        let size = rng.pick(&SIZES);
        let (r1, r2, m) = (rng.gpr(), rng.gpr(), MemSpec::random(rng));
        let imm = rng.interesting_i32();
        let bytes = size.bytes() as usize;
        let call = format!("mov {size:?} {r1:?} {r2:?} {m:?} {imm}");
        let mov = Mnemonic::Mov;
        match rng.below(4) {
            0 => Case::new(
                call,
                move |a| a.mov_rr(size, r1, r2),
                mov,
                vec![Want::Reg(gpr(size, r1)), Want::Reg(gpr(size, r2))],
            ),
            1 => Case::new(
                call,
                move |a| a.mov_rm(size, r1, m.mem()),
                mov,
                vec![Want::Reg(gpr(size, r1)), Want::Mem(m, bytes)],
            ),
            2 => Case::new(
                call,
                move |a| a.mov_mr(size, m.mem(), r1),
                mov,
                vec![Want::Mem(m, bytes), Want::Reg(gpr(size, r1))],
            ),
            _ => Case::new(
                call,
                move |a| a.mov_mi(size, m.mem(), imm),
                mov,
                vec![Want::Mem(m, bytes), Want::Imm(imm_for(size, imm))],
            ),
        }
    });
}

/// `mov r, imm` picks among three encodings for 64 bits; whatever it picks,
/// the register must end up holding the value asked for.
#[test]
fn mov_immediate_loads_the_value() {
    let mut rng = Rng::new(4);
    for _ in 0..ROUNDS {
        let dst = rng.gpr();
        let (size, imm) = match rng.below(3) {
            0 => (Size::S64, rng.next_u64() as i64),
            1 => (Size::S64, i64::from(rng.interesting_i32())),
            _ => (rng.pick(&SIZES), i64::from(rng.interesting_i32())),
        };
        let buf = common::assemble(|a| a.mov_ri(size, dst, imm));
        let insts = common::decode_all(&buf.bytes);
        assert_eq!(insts.len(), 1);
        let inst = insts[0];
        assert_eq!(inst.mnemonic(), Mnemonic::Mov);
        let reg = inst.op0_register();
        let loaded = inst.immediate(1);
        // The value the full 64-bit register holds afterwards (for 8/16
        // bits: the low bits written).
        let (written, expected) = if size == Size::S64 {
            let value = if reg == gpr(Size::S32, dst) {
                loaded & 0xffff_ffff // a 32-bit mov zero-extends
            } else {
                assert_eq!(reg, gpr(Size::S64, dst));
                loaded
            };
            (value, imm as u64)
        } else {
            assert_eq!(reg, gpr(size, dst));
            let mask = u64::MAX >> (64 - 8 * size.bytes());
            (loaded & mask, imm as u64 & mask)
        };
        assert_eq!(written, expected, "mov_ri({size:?}, {dst:?}, {imm:#x})");
    }
}

#[test]
fn extension_and_lea_family() {
    run(5, |rng| {
        let signed = rng.bool();
        let src_size = rng.pick(&SIZES[..3]);
        let dst_size = loop {
            let s = size_at_least_16(rng);
            if s > src_size {
                break s;
            }
        };
        let (r1, r2, m) = (rng.gpr(), rng.gpr(), MemSpec::random(rng));
        let call = format!("ext signed={signed} {dst_size:?} {src_size:?} {r1:?} {r2:?} {m:?}");
        let (mnemonic, dst_reg_size, src_reg_size) = match (signed, src_size) {
            (false, Size::S32) => (Mnemonic::Mov, Size::S32, Size::S32),
            (true, Size::S32) => (Mnemonic::Movsxd, dst_size, Size::S32),
            (false, _) => (Mnemonic::Movzx, dst_size, src_size),
            (true, _) => (Mnemonic::Movsx, dst_size, src_size),
        };
        let bytes = src_size.bytes() as usize;
        match rng.below(3) {
            0 => Case::new(
                call,
                move |a| {
                    if signed {
                        a.movsx_rr(dst_size, src_size, r1, r2);
                    } else {
                        a.movzx_rr(dst_size, src_size, r1, r2);
                    }
                },
                mnemonic,
                vec![
                    Want::Reg(gpr(dst_reg_size, r1)),
                    Want::Reg(gpr(src_reg_size, r2)),
                ],
            ),
            1 => Case::new(
                call,
                move |a| {
                    if signed {
                        a.movsx_rm(dst_size, src_size, r1, m.mem());
                    } else {
                        a.movzx_rm(dst_size, src_size, r1, m.mem());
                    }
                },
                mnemonic,
                vec![Want::Reg(gpr(dst_reg_size, r1)), Want::Mem(m, bytes)],
            ),
            _ => Case::new(
                call,
                move |a| a.lea(dst_size, r1, m.mem()),
                Mnemonic::Lea,
                vec![Want::Reg(gpr(dst_size, r1)), Want::Mem(m, 0)],
            ),
        }
    });
}

#[test]
fn multiply_divide_family() {
    run(6, |rng| {
        let size = rng.pick(&SIZES);
        let wide = size_at_least_16(rng);
        let (r1, r2, m) = (rng.gpr(), rng.gpr(), MemSpec::random(rng));
        let imm = rng.interesting_i32();
        let bytes = size.bytes() as usize;
        let call = format!("muldiv {size:?} {wide:?} {r1:?} {r2:?} {m:?} {imm}");
        let one = |mnemonic, emit: fn(&mut Asm<'_>, Size, Gpr)| {
            Case::new(
                call.clone(),
                move |a| emit(a, size, r1),
                mnemonic,
                vec![Want::Reg(gpr(size, r1))],
            )
        };
        let one_mem = |mnemonic, emit: fn(&mut Asm<'_>, Size, Mem)| {
            Case::new(
                call.clone(),
                move |a| emit(a, size, m.mem()),
                mnemonic,
                vec![Want::Mem(m, bytes)],
            )
        };
        match rng.below(13) {
            0 => one(Mnemonic::Mul, |a, s, r| a.mul_r(s, r)),
            1 => one(Mnemonic::Imul, |a, s, r| a.imul_r(s, r)),
            2 => one(Mnemonic::Div, |a, s, r| a.div_r(s, r)),
            3 => one(Mnemonic::Idiv, |a, s, r| a.idiv_r(s, r)),
            4 => one(Mnemonic::Neg, |a, s, r| a.neg_r(s, r)),
            5 => one(Mnemonic::Not, |a, s, r| a.not_r(s, r)),
            6 => one_mem(Mnemonic::Mul, |a, s, m| a.mul_m(s, m)),
            7 => one_mem(Mnemonic::Imul, |a, s, m| a.imul_m(s, m)),
            8 => one_mem(Mnemonic::Div, |a, s, m| a.div_m(s, m)),
            9 => one_mem(Mnemonic::Idiv, |a, s, m| a.idiv_m(s, m)),
            10 => Case::new(
                call,
                move |a| a.imul_rr(wide, r1, r2),
                Mnemonic::Imul,
                vec![Want::Reg(gpr(wide, r1)), Want::Reg(gpr(wide, r2))],
            ),
            11 => Case::new(
                call,
                move |a| a.imul_rm(wide, r1, m.mem()),
                Mnemonic::Imul,
                vec![
                    Want::Reg(gpr(wide, r1)),
                    Want::Mem(m, wide.bytes() as usize),
                ],
            ),
            _ => Case::new(
                call,
                move |a| a.imul_rri(wide, r1, r2, imm),
                Mnemonic::Imul,
                vec![
                    Want::Reg(gpr(wide, r1)),
                    Want::Reg(gpr(wide, r2)),
                    Want::Imm(imm_for(wide, imm)),
                ],
            ),
        }
    });
}

#[test]
fn shift_family() {
    run(7, |rng| {
        let op = rng.pick(&[
            ShiftOp::Rol,
            ShiftOp::Ror,
            ShiftOp::Shl,
            ShiftOp::Shr,
            ShiftOp::Sar,
        ]);
        let mnemonic = match op {
            ShiftOp::Rol => Mnemonic::Rol,
            ShiftOp::Ror => Mnemonic::Ror,
            ShiftOp::Shl => Mnemonic::Shl,
            ShiftOp::Shr => Mnemonic::Shr,
            ShiftOp::Sar => Mnemonic::Sar,
        };
        let size = rng.pick(&SIZES);
        let dst = rng.gpr();
        let imm = if rng.bool() {
            rng.below(4) as u8
        } else {
            rng.next_u64() as u8
        };
        let call = format!("{op:?} {size:?} {dst:?} {imm}");
        if rng.bool() {
            Case::new(
                call,
                move |a| a.shift_cl(op, size, dst),
                mnemonic,
                vec![Want::Reg(gpr(size, dst)), Want::Reg(Register::CL)],
            )
        } else {
            Case::new(
                call,
                move |a| a.shift_ri(op, size, dst, imm),
                mnemonic,
                vec![Want::Reg(gpr(size, dst)), Want::Imm(i64::from(imm as i8))],
            )
        }
    });
}

#[test]
fn bit_count_family() {
    type Rr = fn(&mut Asm<'_>, Size, Gpr, Gpr);
    type Rm = fn(&mut Asm<'_>, Size, Gpr, Mem);
    let ops: [(Mnemonic, Rr, Rm); 5] = [
        (
            Mnemonic::Lzcnt,
            |a, s, d, r| a.lzcnt_rr(s, d, r),
            |a, s, d, m| a.lzcnt_rm(s, d, m),
        ),
        (
            Mnemonic::Tzcnt,
            |a, s, d, r| a.tzcnt_rr(s, d, r),
            |a, s, d, m| a.tzcnt_rm(s, d, m),
        ),
        (
            Mnemonic::Popcnt,
            |a, s, d, r| a.popcnt_rr(s, d, r),
            |a, s, d, m| a.popcnt_rm(s, d, m),
        ),
        (
            Mnemonic::Bsr,
            |a, s, d, r| a.bsr_rr(s, d, r),
            |a, s, d, m| a.bsr_rm(s, d, m),
        ),
        (
            Mnemonic::Bsf,
            |a, s, d, r| a.bsf_rr(s, d, r),
            |a, s, d, m| a.bsf_rm(s, d, m),
        ),
    ];
    run(8, |rng| {
        let (mnemonic, rr, rm) = rng.pick(&ops);
        let size = size_at_least_16(rng);
        let (r1, r2, m) = (rng.gpr(), rng.gpr(), MemSpec::random(rng));
        let call = format!("{mnemonic:?} {size:?} {r1:?} {r2:?} {m:?}");
        if rng.bool() {
            Case::new(
                call,
                move |a| rr(a, size, r1, r2),
                mnemonic,
                vec![Want::Reg(gpr(size, r1)), Want::Reg(gpr(size, r2))],
            )
        } else {
            Case::new(
                call,
                move |a| rm(a, size, r1, m.mem()),
                mnemonic,
                vec![
                    Want::Reg(gpr(size, r1)),
                    Want::Mem(m, size.bytes() as usize),
                ],
            )
        }
    });
}

#[test]
fn condition_family() {
    const SETCC: [Mnemonic; 16] = [
        Mnemonic::Seto,
        Mnemonic::Setno,
        Mnemonic::Setb,
        Mnemonic::Setae,
        Mnemonic::Sete,
        Mnemonic::Setne,
        Mnemonic::Setbe,
        Mnemonic::Seta,
        Mnemonic::Sets,
        Mnemonic::Setns,
        Mnemonic::Setp,
        Mnemonic::Setnp,
        Mnemonic::Setl,
        Mnemonic::Setge,
        Mnemonic::Setle,
        Mnemonic::Setg,
    ];
    const CMOV: [Mnemonic; 16] = [
        Mnemonic::Cmovo,
        Mnemonic::Cmovno,
        Mnemonic::Cmovb,
        Mnemonic::Cmovae,
        Mnemonic::Cmove,
        Mnemonic::Cmovne,
        Mnemonic::Cmovbe,
        Mnemonic::Cmova,
        Mnemonic::Cmovs,
        Mnemonic::Cmovns,
        Mnemonic::Cmovp,
        Mnemonic::Cmovnp,
        Mnemonic::Cmovl,
        Mnemonic::Cmovge,
        Mnemonic::Cmovle,
        Mnemonic::Cmovg,
    ];
    run(9, |rng| {
        let cond: Cond = rng.pick(&Cond::ALL);
        let size = size_at_least_16(rng);
        let (r1, r2, m) = (rng.gpr(), rng.gpr(), MemSpec::random(rng));
        let call = format!("{cond:?} {size:?} {r1:?} {r2:?} {m:?}");
        let i = cond as usize;
        match rng.below(3) {
            0 => Case::new(
                call,
                move |a| a.setcc(cond, r1),
                SETCC[i],
                vec![Want::Reg(gpr(Size::S8, r1))],
            ),
            1 => Case::new(
                call,
                move |a| a.cmov_rr(cond, size, r1, r2),
                CMOV[i],
                vec![Want::Reg(gpr(size, r1)), Want::Reg(gpr(size, r2))],
            ),
            _ => Case::new(
                call,
                move |a| a.cmov_rm(cond, size, r1, m.mem()),
                CMOV[i],
                vec![
                    Want::Reg(gpr(size, r1)),
                    Want::Mem(m, size.bytes() as usize),
                ],
            ),
        }
    });
}

#[test]
fn register_misc_family() {
    run(10, |rng| {
        let size = rng.pick(&SIZES);
        let wide = rng.pick(&SIZES[2..]);
        let (r1, r2, m) = (rng.gpr(), rng.gpr(), MemSpec::random(rng));
        let imm = rng.interesting_i32();
        let call = format!("misc {size:?} {wide:?} {r1:?} {r2:?} {m:?} {imm}");
        match rng.below(9) {
            0 => Case::new(
                call,
                move |a| a.xchg_rr(size, r1, r2),
                Mnemonic::Xchg,
                vec![Want::Reg(gpr(size, r1)), Want::Reg(gpr(size, r2))],
            ),
            1 => Case::new(
                call,
                move |a| a.push_r(r1),
                Mnemonic::Push,
                vec![Want::Reg(gpr(Size::S64, r1))],
            ),
            2 => Case::new(
                call,
                move |a| a.pop_r(r1),
                Mnemonic::Pop,
                vec![Want::Reg(gpr(Size::S64, r1))],
            ),
            3 => Case::new(
                call,
                move |a| a.push_i(imm),
                Mnemonic::Push,
                vec![Want::Imm(i64::from(imm))],
            ),
            4 => Case::new(
                call,
                move |a| a.bswap(wide, r1),
                Mnemonic::Bswap,
                vec![Want::Reg(gpr(wide, r1))],
            ),
            5 => Case::new(
                call,
                move |a| a.jmp_r(r1),
                Mnemonic::Jmp,
                vec![Want::Reg(gpr(Size::S64, r1))],
            ),
            6 => Case::new(
                call,
                move |a| a.call_r(r1),
                Mnemonic::Call,
                vec![Want::Reg(gpr(Size::S64, r1))],
            ),
            7 => Case::new(
                call,
                move |a| a.jmp_m(m.mem()),
                Mnemonic::Jmp,
                vec![Want::Mem(m, 8)],
            ),
            _ => Case::new(
                call,
                move |a| a.call_m(m.mem()),
                Mnemonic::Call,
                vec![Want::Mem(m, 8)],
            ),
        }
    });
}
