//! Loads and stores: general and FP/SIMD registers, single and paired, with
//! the addressing modes a JIT uses (base plus immediate, pre/post-index,
//! base plus extended index) and PC-relative literal loads.
//!
//! Encoders return `None` when the address cannot be encoded for the access
//! size (an offset out of range or misaligned for the scaled form, an index
//! mode where only immediates exist); the caller then computes the address
//! into a register first.

use crate::label::LabelUse;
use crate::regs::{RegField, RegOrSp, RegOrZr, Size, VReg};

/// Size of a general-register memory access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemSize {
    /// 8 bits (`ldrb`, `strb`, `ldrsb`).
    B,
    /// 16 bits (`ldrh`, `strh`, `ldrsh`).
    H,
    /// 32 bits (`ldr wN`, `ldrsw`).
    W,
    /// 64 bits (`ldr xN`).
    X,
}

impl MemSize {
    /// log2 of the access size in bytes.
    pub const fn log2_bytes(self) -> u32 {
        match self {
            MemSize::B => 0,
            MemSize::H => 1,
            MemSize::W => 2,
            MemSize::X => 3,
        }
    }
}

/// Size of a FP/SIMD register memory access: the `bN`, `hN`, `sN`, `dN` or
/// `qN` view of a vector register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VecMemSize {
    /// 8 bits.
    B,
    /// 16 bits.
    H,
    /// 32 bits (an f32).
    S,
    /// 64 bits (an f64).
    D,
    /// 128 bits (a v128).
    Q,
}

impl VecMemSize {
    /// log2 of the access size in bytes.
    pub const fn log2_bytes(self) -> u32 {
        match self {
            VecMemSize::B => 0,
            VecMemSize::H => 1,
            VecMemSize::S => 2,
            VecMemSize::D => 3,
            VecMemSize::Q => 4,
        }
    }
}

/// How the index register of a register-offset address is extended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexExtend {
    /// A 64-bit index (`[x1, x2]`, `[x1, x2, lsl #3]`).
    Lsl,
    /// A 32-bit index, zero-extended (`[x1, w2, uxtw]`): Wasm addresses.
    Uxtw,
    /// A 32-bit index, sign-extended (`[x1, w2, sxtw]`).
    Sxtw,
    /// A 64-bit index, `sxtx` (same value as `Lsl`, its own encoding).
    Sxtx,
}

impl IndexExtend {
    const fn option(self) -> u32 {
        match self {
            IndexExtend::Uxtw => 0b010,
            IndexExtend::Lsl => 0b011,
            IndexExtend::Sxtw => 0b110,
            IndexExtend::Sxtx => 0b111,
        }
    }
}

/// A memory address operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Addr {
    /// `[base, #offset]`. Single loads and stores use the scaled unsigned
    /// 12-bit form (`ldr`) when `offset` is a multiple of the access size in
    /// `0..4096 * size`, else the unscaled signed 9-bit form (`ldur`) for
    /// `-256..=255`. Pairs take a multiple of the size in `-64..=63` units.
    Offset { base: RegOrSp, offset: i64 },
    /// `[base, #offset]!`: `base += offset`, then access at the new `base`.
    PreIndex { base: RegOrSp, offset: i64 },
    /// `[base], #offset`: access at `base`, then `base += offset`.
    PostIndex { base: RegOrSp, offset: i64 },
    /// `[base, index{, extend #shift}]`: `base + extend(index) << shift`,
    /// where the shift is log2 of the access size when `scaled` and 0
    /// otherwise (single loads and stores only).
    Index {
        base: RegOrSp,
        index: RegOrZr,
        extend: IndexExtend,
        scaled: bool,
    },
}

impl Addr {
    /// `[base]`.
    pub fn base(base: impl Into<RegOrSp>) -> Addr {
        Addr::Offset {
            base: base.into(),
            offset: 0,
        }
    }

    /// `[base, #offset]`.
    pub fn offset(base: impl Into<RegOrSp>, offset: i64) -> Addr {
        Addr::Offset {
            base: base.into(),
            offset,
        }
    }

    /// `[base, #offset]!`.
    pub fn pre_index(base: impl Into<RegOrSp>, offset: i64) -> Addr {
        Addr::PreIndex {
            base: base.into(),
            offset,
        }
    }

    /// `[base], #offset`.
    pub fn post_index(base: impl Into<RegOrSp>, offset: i64) -> Addr {
        Addr::PostIndex {
            base: base.into(),
            offset,
        }
    }

    /// `[base, index{, extend #shift}]`.
    pub fn index(
        base: impl Into<RegOrSp>,
        index: impl Into<RegOrZr>,
        extend: IndexExtend,
        scaled: bool,
    ) -> Addr {
        Addr::Index {
            base: base.into(),
            index: index.into(),
            extend,
            scaled,
        }
    }
}

/// The fixed fields of one single-register load or store: `size` (bits
/// 31:30), `V` (bit 26), `opc` (bits 23:22) and the access scale.
#[derive(Clone, Copy)]
struct Access {
    size: u32,
    vector: bool,
    opc: u32,
    log2_bytes: u32,
}

fn load_store(access: Access, rt: u32, addr: Addr) -> Option<u32> {
    let common = (access.size << 30)
        | (0b111 << 27)
        | (u32::from(access.vector) << 26)
        | (access.opc << 22)
        | rt;
    let unscaled = |base: RegOrSp, offset: i64, mode: u32| -> Option<u32> {
        if !(-256..=255).contains(&offset) {
            return None;
        }
        let imm9 = (offset as u32) & 0x1ff;
        Some(common | (imm9 << 12) | (mode << 10) | (base.field() << 5))
    };
    match addr {
        Addr::Offset { base, offset } => {
            let scale = 1i64 << access.log2_bytes;
            if offset >= 0 && offset % scale == 0 && offset / scale < 4096 {
                let imm12 = (offset / scale) as u32;
                Some(common | (0b01 << 24) | (imm12 << 10) | (base.field() << 5))
            } else {
                unscaled(base, offset, 0b00)
            }
        }
        Addr::PostIndex { base, offset } => unscaled(base, offset, 0b01),
        Addr::PreIndex { base, offset } => unscaled(base, offset, 0b11),
        Addr::Index {
            base,
            index,
            extend,
            scaled,
        } => Some(
            common
                | (1 << 21)
                | (index.field() << 16)
                | (extend.option() << 13)
                | (u32::from(scaled) << 12)
                | (0b10 << 10)
                | (base.field() << 5),
        ),
    }
}

fn gp_access(size: MemSize, opc: u32) -> Access {
    let log2_bytes = size.log2_bytes();
    Access {
        size: log2_bytes,
        vector: false,
        opc,
        log2_bytes,
    }
}

fn vec_access(size: VecMemSize, load: bool) -> Access {
    let log2_bytes = size.log2_bytes();
    // Q uses size 0b00 with the high opc bit set.
    let (size_field, high_opc) = match size {
        VecMemSize::Q => (0b00, 0b10),
        _ => (log2_bytes, 0b00),
    };
    Access {
        size: size_field,
        vector: true,
        opc: high_opc | u32::from(load),
        log2_bytes,
    }
}

/// `ldr`/`ldrh`/`ldrb` (or `ldur*`): loads and zero-extends into `rt`
/// (`wN` for `B`/`H`/`W`, `xN` for `X`).
pub fn ldr(size: MemSize, rt: impl Into<RegOrZr>, addr: Addr) -> Option<u32> {
    load_store(gp_access(size, 0b01), rt.into().field(), addr)
}

/// `str`/`strh`/`strb` (or `stur*`): stores the low `size` bits of `rt`.
pub fn str(size: MemSize, rt: impl Into<RegOrZr>, addr: Addr) -> Option<u32> {
    load_store(gp_access(size, 0b00), rt.into().field(), addr)
}

/// `ldrsb`/`ldrsh`/`ldrsw` (or `ldurs*`): loads and sign-extends into a
/// `dest`-sized register.
///
/// # Panics
/// For `MemSize::X`, or `MemSize::W` into a `w` register: no such load.
pub fn ldrs(size: MemSize, dest: Size, rt: impl Into<RegOrZr>, addr: Addr) -> Option<u32> {
    assert!(
        !matches!((size, dest), (MemSize::X, _) | (MemSize::W, Size::W)),
        "no sign-extending load of {size:?} into {dest:?}"
    );
    let opc = match dest {
        Size::X => 0b10,
        Size::W => 0b11,
    };
    load_store(gp_access(size, opc), rt.into().field(), addr)
}

/// `ldr bN/hN/sN/dN/qN` (or `ldur`): loads a FP/SIMD register (the rest of
/// the 128-bit register is zeroed).
pub fn ldr_vec(size: VecMemSize, vt: VReg, addr: Addr) -> Option<u32> {
    load_store(vec_access(size, true), vt.field(), addr)
}

/// `str bN/hN/sN/dN/qN` (or `stur`).
pub fn str_vec(size: VecMemSize, vt: VReg, addr: Addr) -> Option<u32> {
    load_store(vec_access(size, false), vt.field(), addr)
}

fn pair(
    opc: u32,
    vector: bool,
    load: bool,
    log2_bytes: u32,
    rt: u32,
    rt2: u32,
    addr: Addr,
) -> Option<u32> {
    let (mode, base, offset) = match addr {
        Addr::PostIndex { base, offset } => (0b001, base, offset),
        Addr::Offset { base, offset } => (0b010, base, offset),
        Addr::PreIndex { base, offset } => (0b011, base, offset),
        Addr::Index { .. } => return None,
    };
    let scale = 1i64 << log2_bytes;
    if offset % scale != 0 || !(-64..=63).contains(&(offset / scale)) {
        return None;
    }
    let imm7 = ((offset / scale) as u32) & 0x7f;
    Some(
        (opc << 30)
            | (0b101 << 27)
            | (u32::from(vector) << 26)
            | (mode << 23)
            | (u32::from(load) << 22)
            | (imm7 << 15)
            | (rt2 << 10)
            | (base.field() << 5)
            | rt,
    )
}

fn gp_pair(size: Size, load: bool, rt: RegOrZr, rt2: RegOrZr, addr: Addr) -> Option<u32> {
    let (opc, log2_bytes) = match size {
        Size::W => (0b00, 2),
        Size::X => (0b10, 3),
    };
    pair(opc, false, load, log2_bytes, rt.field(), rt2.field(), addr)
}

fn vec_pair(size: VecMemSize, load: bool, vt: VReg, vt2: VReg, addr: Addr) -> Option<u32> {
    let opc = match size {
        VecMemSize::S => 0b00,
        VecMemSize::D => 0b01,
        VecMemSize::Q => 0b10,
        VecMemSize::B | VecMemSize::H => return None,
    };
    pair(
        opc,
        true,
        load,
        size.log2_bytes(),
        vt.field(),
        vt2.field(),
        addr,
    )
}

/// `ldp rt, rt2, addr`: loads two registers from consecutive memory.
/// `Addr::Index` is not available for pairs (`None`). Loading the same
/// register twice, or writing back to a loaded base, is UNPREDICTABLE.
pub fn ldp(size: Size, rt: impl Into<RegOrZr>, rt2: impl Into<RegOrZr>, addr: Addr) -> Option<u32> {
    gp_pair(size, true, rt.into(), rt2.into(), addr)
}

/// `stp rt, rt2, addr`: stores two registers (prologues: `stp x29, x30,
/// [sp, #-16]!`).
pub fn stp(size: Size, rt: impl Into<RegOrZr>, rt2: impl Into<RegOrZr>, addr: Addr) -> Option<u32> {
    gp_pair(size, false, rt.into(), rt2.into(), addr)
}

/// `ldp sN/dN/qN, ...`; `None` for `B`/`H` (no such pair) or `Addr::Index`.
pub fn ldp_vec(size: VecMemSize, vt: VReg, vt2: VReg, addr: Addr) -> Option<u32> {
    vec_pair(size, true, vt, vt2, addr)
}

/// `stp sN/dN/qN, ...`; `None` for `B`/`H` or `Addr::Index`.
pub fn stp_vec(size: VecMemSize, vt: VReg, vt2: VReg, addr: Addr) -> Option<u32> {
    vec_pair(size, false, vt, vt2, addr)
}

/// `ldr wt/xt, label` with a zero offset, for patching through
/// [`LabelUse::Branch19`].
pub(crate) fn ldr_literal_word(size: Size, rt: RegOrZr) -> u32 {
    let opc = match size {
        Size::W => 0b00,
        Size::X => 0b01,
    };
    (opc << 30) | (0b011 << 27) | rt.field()
}

/// `ldr st/dt/qt, label` with a zero offset.
///
/// # Panics
/// For `B`/`H`: no such literal load.
pub(crate) fn ldr_literal_vec_word(size: VecMemSize, vt: VReg) -> u32 {
    let opc = match size {
        VecMemSize::S => 0b00,
        VecMemSize::D => 0b01,
        VecMemSize::Q => 0b10,
        VecMemSize::B | VecMemSize::H => panic!("no literal load of {size:?}"),
    };
    (opc << 30) | (0b011 << 27) | (1 << 26) | vt.field()
}

/// `ldr rt, pc + offset` (PC-relative literal load; `offset` a multiple of
/// 4 within ±1 MiB, else `None`).
pub fn ldr_literal(size: Size, rt: impl Into<RegOrZr>, offset: i64) -> Option<u32> {
    LabelUse::Branch19
        .patch(ldr_literal_word(size, rt.into()), offset)
        .ok()
}

/// `ldr st/dt/qt, pc + offset` (a constant pool load of an f32, f64 or
/// v128); `None` when out of range or for `B`/`H`.
pub fn ldr_literal_vec(size: VecMemSize, vt: VReg, offset: i64) -> Option<u32> {
    if matches!(size, VecMemSize::B | VecMemSize::H) {
        return None;
    }
    LabelUse::Branch19
        .patch(ldr_literal_vec_word(size, vt), offset)
        .ok()
}
