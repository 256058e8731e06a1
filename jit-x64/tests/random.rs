//! Randomized tests, one per instruction family: random registers, sizes,
//! memory operands and immediates go through the encoder, iced-x86 decodes
//! the bytes, and the decoded mnemonic and operands must be the ones asked
//! for (and the bytes must be exactly one instruction).

mod common;

use common::{Asm, Rng, gpr, xmm};
use ember_jit_x64::{
    AluOp, Cond, FloatSize, Gpr, LogicOp, Mem, RoundMode, Scale, ShiftOp, Size, SseOp, Xmm,
};
use iced_x86::{Mnemonic, Register};

const ROUNDS: usize = 3000;
const SIZES: [Size; 4] = [Size::S8, Size::S16, Size::S32, Size::S64];
const SCALES: [Scale; 4] = [Scale::X1, Scale::X2, Scale::X4, Scale::X8];

/// A random memory operand, and what iced must decode it to.
#[derive(Debug, Clone, Copy)]
struct MemSpec {
    /// `None`: RIP-relative.
    base: Option<Gpr>,
    index: Option<(Gpr, Scale)>,
    disp: i32,
}

impl MemSpec {
    fn random(rng: &mut Rng) -> MemSpec {
        let disp = rng.interesting_i32();
        if rng.below(8) == 0 {
            return MemSpec {
                base: None,
                index: None,
                disp,
            };
        }
        let base = Some(rng.gpr());
        let index = if rng.bool() {
            let index = loop {
                let r = rng.gpr();
                if r != Gpr::Rsp {
                    break r;
                }
            };
            Some((index, rng.pick(&SCALES)))
        } else {
            None
        };
        MemSpec { base, index, disp }
    }

    fn mem(self) -> Mem {
        match (self.base, self.index) {
            (None, _) => Mem::rip(self.disp),
            (Some(base), None) => Mem::base_disp(base, self.disp),
            (Some(base), Some((index, scale))) => {
                Mem::base_index_disp(base, index, scale, self.disp)
            }
        }
    }
}

/// An operand as the test expects it.
#[derive(Debug, Clone, Copy)]
enum Want {
    Reg(Register),
    /// A memory operand accessing `size` bytes (0: no access, as `lea`).
    Mem(MemSpec, usize),
    /// An immediate, sign-extended from its field.
    Imm(i64),
}

/// What one encoder call must decode to.
struct Case {
    call: String,
    emit: Box<dyn Fn(&mut Asm<'_>)>,
    mnemonic: Mnemonic,
    operands: Vec<Want>,
}

impl Case {
    fn new(
        call: String,
        emit: impl Fn(&mut Asm<'_>) + 'static,
        mnemonic: Mnemonic,
        operands: Vec<Want>,
    ) -> Case {
        Case {
            call,
            emit: Box::new(emit),
            mnemonic,
            operands,
        }
    }

    fn check(&self) {
        let buf = common::assemble(|a| (self.emit)(a));
        let insts = common::decode_all(&buf.bytes);
        let context = || format!("{} -> [{}]", self.call, common::hex(&buf.bytes));
        assert_eq!(insts.len(), 1, "{}: not one instruction", context());
        let inst = insts[0];
        assert_eq!(inst.mnemonic(), self.mnemonic, "{}", context());
        let got = common::operands(&inst);
        assert_eq!(got.len(), self.operands.len(), "{}: {got:?}", context());
        for (i, (&got, &want)) in got.iter().zip(&self.operands).enumerate() {
            let want = resolve(want, inst.len());
            assert_eq!(got, want, "{}: operand {i}", context());
        }
    }
}

/// The operand iced reports for `want`, in an instruction of `len` bytes
/// decoded at address 0.
fn resolve(want: Want, len: usize) -> common::Operand {
    match want {
        Want::Reg(r) => common::Operand::Reg(r),
        Want::Mem(spec, size) => {
            let (base, disp) = match spec.base {
                None => (Register::RIP, len as i64 + i64::from(spec.disp)),
                Some(base) => (gpr(Size::S64, base), i64::from(spec.disp)),
            };
            let (index, scale) = match spec.index {
                None => (Register::None, 1),
                Some((index, scale)) => (gpr(Size::S64, index), 1 << scale as u32),
            };
            common::Operand::Mem {
                base,
                index,
                scale,
                disp,
                size,
            }
        }
        Want::Imm(value) => common::Operand::Imm(value),
    }
}

/// `imm` as an operation of `size` sees it: truncated to the size and
/// sign-extended (64-bit operations take a sign-extended 32-bit value).
fn imm_for(size: Size, imm: i32) -> i64 {
    match size {
        Size::S8 => i64::from(imm as i8),
        Size::S16 => i64::from(imm as i16),
        Size::S32 | Size::S64 => i64::from(imm),
    }
}

fn run(seed: u64, mut case: impl FnMut(&mut Rng) -> Case) {
    let mut rng = Rng::new(seed);
    for _ in 0..ROUNDS {
        case(&mut rng).check();
    }
}

fn size_at_least_16(rng: &mut Rng) -> Size {
    rng.pick(&SIZES[1..])
}

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
