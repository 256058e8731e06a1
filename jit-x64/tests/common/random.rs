//! The machinery of the randomized tests: random memory operands, the
//! operands a call must decode to, and the loop that checks them.

use super::{Asm, Rng, gpr};
use ember_jit_x64::{Gpr, Mem, Scale, Size};
use iced_x86::{Mnemonic, Register};

pub const ROUNDS: usize = 3000;
pub const SIZES: [Size; 4] = [Size::S8, Size::S16, Size::S32, Size::S64];
const SCALES: [Scale; 4] = [Scale::X1, Scale::X2, Scale::X4, Scale::X8];

/// A random memory operand, and what iced must decode it to.
#[derive(Debug, Clone, Copy)]
pub struct MemSpec {
    /// `None`: RIP-relative.
    pub base: Option<Gpr>,
    pub index: Option<(Gpr, Scale)>,
    pub disp: i32,
}

impl MemSpec {
    pub fn random(rng: &mut Rng) -> MemSpec {
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

    pub fn mem(self) -> Mem {
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
pub enum Want {
    Reg(Register),
    /// A memory operand accessing `size` bytes (0: no access, as `lea`).
    Mem(MemSpec, usize),
    /// An immediate, sign-extended from its field.
    Imm(i64),
}

/// What one encoder call must decode to.
pub struct Case {
    call: String,
    emit: Box<dyn Fn(&mut Asm<'_>)>,
    mnemonic: Mnemonic,
    operands: Vec<Want>,
}

impl Case {
    pub fn new(
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

    pub fn check(&self) {
        let buf = super::assemble(|a| (self.emit)(a));
        let insts = super::decode_all(&buf.bytes);
        let context = || format!("{} -> [{}]", self.call, super::hex(&buf.bytes));
        assert_eq!(insts.len(), 1, "{}: not one instruction", context());
        let inst = insts[0];
        assert_eq!(inst.mnemonic(), self.mnemonic, "{}", context());
        let got = super::operands(&inst);
        assert_eq!(got.len(), self.operands.len(), "{}: {got:?}", context());
        for (i, (&got, &want)) in got.iter().zip(&self.operands).enumerate() {
            let want = resolve(want, inst.len());
            assert_eq!(got, want, "{}: operand {i}", context());
        }
    }
}

/// The operand iced reports for `want`, in an instruction of `len` bytes
/// decoded at address 0.
fn resolve(want: Want, len: usize) -> super::Operand {
    match want {
        Want::Reg(r) => super::Operand::Reg(r),
        Want::Mem(spec, size) => {
            let (base, disp) = match spec.base {
                None => (Register::RIP, len as i64 + i64::from(spec.disp)),
                Some(base) => (gpr(Size::S64, base), i64::from(spec.disp)),
            };
            let (index, scale) = match spec.index {
                None => (Register::None, 1),
                Some((index, scale)) => (gpr(Size::S64, index), 1 << scale as u32),
            };
            super::Operand::Mem {
                base,
                index,
                scale,
                disp,
                size,
            }
        }
        Want::Imm(value) => super::Operand::Imm(value),
    }
}

/// `imm` as an operation of `size` sees it: truncated to the size and
/// sign-extended (64-bit operations take a sign-extended 32-bit value).
pub fn imm_for(size: Size, imm: i32) -> i64 {
    match size {
        Size::S8 => i64::from(imm as i8),
        Size::S16 => i64::from(imm as i16),
        Size::S32 | Size::S64 => i64::from(imm),
    }
}

pub fn run(seed: u64, mut case: impl FnMut(&mut Rng) -> Case) {
    let mut rng = Rng::new(seed);
    for _ in 0..ROUNDS {
        case(&mut rng).check();
    }
}

pub fn size_at_least_16(rng: &mut Rng) -> Size {
    rng.pick(&SIZES[1..])
}
