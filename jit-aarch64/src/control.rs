//! Control flow and system instructions: PC-relative branches and address
//! computation (by byte offset; see the [`Assembler`](crate::Assembler) for
//! the label-based forms), register branches, traps (`brk`, `udf`), `nop`,
//! barriers and cache maintenance for freshly written code.

use crate::label::LabelUse;
use crate::regs::{Cond, LR, Reg, RegField, RegOrZr, Size};

/// `b` with a zero offset.
pub(crate) const B_WORD: u32 = 0b000101 << 26;
/// `bl` with a zero offset.
pub(crate) const BL_WORD: u32 = 0b100101 << 26;

/// `b.cond` with a zero offset.
pub(crate) fn b_cond_word(cond: Cond) -> u32 {
    (0b0101_0100 << 24) | cond.bits()
}

/// `cbz`/`cbnz` with a zero offset.
pub(crate) fn cbz_word(size: Size, nonzero: bool, rt: RegOrZr) -> u32 {
    (size.sf() << 31) | (0b011010 << 25) | (u32::from(nonzero) << 24) | rt.field()
}

/// `tbz`/`tbnz` with a zero offset.
pub(crate) fn tbz_word(nonzero: bool, rt: RegOrZr, bit: u8) -> u32 {
    assert!(bit < 64, "bit number {bit} is above 63");
    let bit = u32::from(bit);
    ((bit >> 5) << 31)
        | (0b011011 << 25)
        | (u32::from(nonzero) << 24)
        | ((bit & 0x1f) << 19)
        | rt.field()
}

/// `adr` with a zero offset.
pub(crate) fn adr_word(rd: Reg) -> u32 {
    (0b10000 << 24) | rd.field()
}

/// `b pc + offset` (±128 MiB, multiple of 4, else `None`).
pub fn b(offset: i64) -> Option<u32> {
    LabelUse::Branch26.patch(B_WORD, offset).ok()
}

/// `bl pc + offset`: calls, setting `lr` to the next instruction.
pub fn bl(offset: i64) -> Option<u32> {
    LabelUse::Branch26.patch(BL_WORD, offset).ok()
}

/// `b.cond pc + offset` (±1 MiB).
pub fn b_cond(cond: Cond, offset: i64) -> Option<u32> {
    LabelUse::Branch19.patch(b_cond_word(cond), offset).ok()
}

/// `cbz rt, pc + offset`: branches if `rt` is zero (±1 MiB).
pub fn cbz(size: Size, rt: impl Into<RegOrZr>, offset: i64) -> Option<u32> {
    LabelUse::Branch19
        .patch(cbz_word(size, false, rt.into()), offset)
        .ok()
}

/// `cbnz rt, pc + offset`: branches if `rt` is not zero (±1 MiB).
pub fn cbnz(size: Size, rt: impl Into<RegOrZr>, offset: i64) -> Option<u32> {
    LabelUse::Branch19
        .patch(cbz_word(size, true, rt.into()), offset)
        .ok()
}

/// `tbz rt, #bit, pc + offset`: branches if bit `bit` (0..=63; `wN` is
/// printed below 32) of `rt` is zero (±32 KiB).
pub fn tbz(rt: impl Into<RegOrZr>, bit: u8, offset: i64) -> Option<u32> {
    LabelUse::Branch14
        .patch(tbz_word(false, rt.into(), bit), offset)
        .ok()
}

/// `tbnz rt, #bit, pc + offset`: branches if the bit is one (±32 KiB).
pub fn tbnz(rt: impl Into<RegOrZr>, bit: u8, offset: i64) -> Option<u32> {
    LabelUse::Branch14
        .patch(tbz_word(true, rt.into(), bit), offset)
        .ok()
}

/// `adr rd, pc + offset`: `rd` = the address `offset` bytes away (±1 MiB).
pub fn adr(rd: Reg, offset: i64) -> Option<u32> {
    LabelUse::Adr21.patch(adr_word(rd), offset).ok()
}

/// `adrp rd, pages`: `rd` = the address of the 4 KiB page `pages` pages
/// away from the page of this instruction (±4 GiB).
pub fn adrp(rd: Reg, pages: i64) -> Option<u32> {
    if !(-(1 << 20)..(1 << 20)).contains(&pages) {
        return None;
    }
    // adrp is adr with the page bit set; the field layout is the same.
    LabelUse::Adr21.patch((1 << 31) | adr_word(rd), pages).ok()
}

/// `br rn`: jumps to the address in `rn`.
pub fn br(rn: Reg) -> u32 {
    0xd61f_0000 | (rn.field() << 5)
}

/// `blr rn`: calls the address in `rn`.
pub fn blr(rn: Reg) -> u32 {
    0xd63f_0000 | (rn.field() << 5)
}

/// `ret`: returns to the address in `lr`.
pub fn ret() -> u32 {
    ret_to(LR)
}

/// `ret rn`: returns to the address in `rn`.
pub fn ret_to(rn: Reg) -> u32 {
    0xd65f_0000 | (rn.field() << 5)
}

/// `brk #imm16`: a breakpoint exception.
pub fn brk(imm16: u16) -> u32 {
    0xd420_0000 | (u32::from(imm16) << 5)
}

/// `udf #imm16`: the permanently undefined instruction (an illegal
/// instruction exception, SIGILL on Linux). The whole word is `imm16`.
pub fn udf(imm16: u16) -> u32 {
    u32::from(imm16)
}

/// `nop`.
pub fn nop() -> u32 {
    0xd503_201f
}

/// The shareability domain and access types of a `dmb`/`dsb` barrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Barrier {
    /// Outer shareable, loads only.
    OshLd = 0b0001,
    /// Outer shareable, stores only.
    OshSt = 0b0010,
    /// Outer shareable.
    Osh = 0b0011,
    /// Non-shareable, loads only.
    NshLd = 0b0101,
    /// Non-shareable, stores only.
    NshSt = 0b0110,
    /// Non-shareable.
    Nsh = 0b0111,
    /// Inner shareable, loads only.
    IshLd = 0b1001,
    /// Inner shareable, stores only.
    IshSt = 0b1010,
    /// Inner shareable: all cores of a normal SMP system.
    Ish = 0b1011,
    /// Full system, loads only.
    Ld = 0b1101,
    /// Full system, stores only.
    St = 0b1110,
    /// Full system.
    Sy = 0b1111,
}

/// `dmb option`: orders memory accesses.
pub fn dmb(option: Barrier) -> u32 {
    0xd503_30bf | ((option as u32) << 8)
}

/// `dsb option`: waits until memory accesses (and cache maintenance)
/// complete.
pub fn dsb(option: Barrier) -> u32 {
    0xd503_309f | ((option as u32) << 8)
}

/// `isb`: flushes the pipeline so that later instructions are fetched anew.
pub fn isb() -> u32 {
    0xd503_3fdf
}

fn sys(op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) -> u32 {
    0xd508_0000 | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt
}

/// `dc cvau, xt`: cleans the data cache line holding address `xt` to the
/// point of unification (first step of making new code visible).
pub fn dc_cvau(rt: Reg) -> u32 {
    sys(3, 7, 11, 1, rt.field())
}

/// `dc civac, xt`: cleans and invalidates the data cache line holding `xt`
/// to the point of coherency.
pub fn dc_civac(rt: Reg) -> u32 {
    sys(3, 7, 14, 1, rt.field())
}

/// `ic ivau, xt`: invalidates the instruction cache line holding `xt` to
/// the point of unification.
pub fn ic_ivau(rt: Reg) -> u32 {
    sys(3, 7, 5, 1, rt.field())
}

/// `ic iallu`: invalidates the whole instruction cache of this core (EL1).
pub fn ic_iallu() -> u32 {
    sys(0, 7, 5, 0, 31)
}

/// A system register readable with `mrs`, as its `op0:op1:CRn:CRm:op2`
/// fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SysReg(u16);

impl SysReg {
    /// `ctr_el0`: the cache line sizes, for cache maintenance loops.
    pub const CTR_EL0: SysReg = SysReg::new(3, 3, 0, 0, 1);
    /// `nzcv`: the condition flags.
    pub const NZCV: SysReg = SysReg::new(3, 3, 4, 2, 0);
    /// `fpcr`: floating-point control (rounding mode).
    pub const FPCR: SysReg = SysReg::new(3, 3, 4, 4, 0);
    /// `fpsr`: floating-point status (cumulative exception flags).
    pub const FPSR: SysReg = SysReg::new(3, 3, 4, 4, 1);

    /// The register `S<op0>_<op1>_C<crn>_C<crm>_<op2>` (`op0` is 2 or 3).
    pub const fn new(op0: u8, op1: u8, crn: u8, crm: u8, op2: u8) -> SysReg {
        assert!(op0 >= 2 && op0 <= 3 && op1 < 8 && crn < 16 && crm < 16 && op2 < 8);
        SysReg(
            ((op0 as u16 - 2) << 14)
                | ((op1 as u16) << 11)
                | ((crn as u16) << 7)
                | ((crm as u16) << 3)
                | op2 as u16,
        )
    }
}

/// `mrs xt, sysreg`: reads a system register.
pub fn mrs(rt: impl Into<RegOrZr>, reg: SysReg) -> u32 {
    0xd530_0000 | (u32::from(reg.0) << 5) | rt.into().field()
}

/// `msr sysreg, xt`: writes a system register.
pub fn msr(reg: SysReg, rt: impl Into<RegOrZr>) -> u32 {
    0xd510_0000 | (u32::from(reg.0) << 5) | rt.into().field()
}
