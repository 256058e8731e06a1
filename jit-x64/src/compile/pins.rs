//! Choosing pinned locals: the parameters and locals most used inside
//! loops get a register of their own for the whole function, so values
//! carried around a loop never go through memory. An integer local gets a
//! general-purpose register, a local mostly used by float arithmetic an
//! xmm register.

use alloc::vec;
use alloc::vec::Vec;

use ember_core::ir::{Func, Instr, Slot};

use super::cache::Reg;
use super::{float, int};
use crate::{Gpr, Xmm};

/// Registers pinned locals may take, best first (callee-saved ones
/// survive calls without a reload).
pub(crate) const PIN_GPRS: [Gpr; 4] = [Gpr::Rbx, Gpr::Rbp, Gpr::R11, Gpr::R10];
pub(crate) const PIN_XMMS: &[Xmm] = Xmm::ALL.split_at(8).1;

/// How an instruction uses a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Int,
    Float,
    /// A move: either class serves.
    Any,
}

/// The slots `instr` reads or writes, with how it uses them; `None` for
/// instructions whose slots are not known here (they never get pins).
pub(crate) fn operands(instr: &Instr) -> Option<Vec<(Slot, Class)>> {
    use Class::{Any, Int};
    use Instr as I;
    let int = |slots: &[Slot]| Some(slots.iter().map(|&s| (s, Int)).collect());
    if let Some((_, a, rhs, _, _)) = int::fused_branch(instr) {
        return match rhs {
            int::Rhs::Slot(b) => int(&[a, b]),
            int::Rhs::Imm(_) => int(&[a]),
        };
    }
    if let Some(slots) = int::int_operands(instr) {
        return Some(slots.into_iter().map(|s| (s, Int)).collect());
    }
    if let Some(uses) = float::float_operands(instr) {
        return Some(uses);
    }
    match *instr {
        I::Copy { dst, src } => Some(vec![(dst, Any), (src, Any)]),
        I::ReturnSlot { src } => Some(vec![(src, Any)]),
        I::BrIfNez { cond, .. } | I::BrIfEqz { cond, .. } => int(&[cond]),
        I::BrTable { index, .. } => int(&[index]),
        I::Br { .. } | I::Return {} | I::Trap { .. } | I::ConsumeFuel { .. } => Some(vec![]),
        I::Call { .. } => Some(vec![]),
        I::I32Load { dst, addr, .. }
        | I::I64Load { dst, addr, .. }
        | I::I32Load8S { dst, addr, .. }
        | I::I32Load8U { dst, addr, .. }
        | I::I32Load16S { dst, addr, .. }
        | I::I32Load16U { dst, addr, .. }
        | I::I64Load8S { dst, addr, .. }
        | I::I64Load8U { dst, addr, .. }
        | I::I64Load16S { dst, addr, .. }
        | I::I64Load16U { dst, addr, .. }
        | I::I64Load32S { dst, addr, .. }
        | I::I64Load32U { dst, addr, .. } => Some(vec![(dst, Any), (addr, Int)]),
        I::I32Store { addr, src, .. }
        | I::I64Store { addr, src, .. }
        | I::I32Store8 { addr, src, .. }
        | I::I32Store16 { addr, src, .. }
        | I::I64Store32 { addr, src, .. } => Some(vec![(addr, Int), (src, Any)]),
        I::GlobalGet { dst, .. } | I::MemorySize { dst } => int(&[dst]),
        I::GlobalSet { src, .. } => int(&[src]),
        _ => None,
    }
}

/// Whether `instr` is a scalar load or store of memory 0.
pub(crate) fn is_memory_access(instr: &Instr) -> bool {
    use Instr as I;
    matches!(
        instr,
        I::I32Load { .. }
            | I::I64Load { .. }
            | I::I32Load8S { .. }
            | I::I32Load8U { .. }
            | I::I32Load16S { .. }
            | I::I32Load16U { .. }
            | I::I64Load8S { .. }
            | I::I64Load8U { .. }
            | I::I64Load16S { .. }
            | I::I64Load16U { .. }
            | I::I64Load32S { .. }
            | I::I64Load32U { .. }
            | I::I32Store { .. }
            | I::I64Store { .. }
            | I::I32Store8 { .. }
            | I::I32Store16 { .. }
            | I::I64Store32 { .. }
    )
}

/// The loop depth of each instruction (how many backward-branch ranges
/// hold it), and whether there is any loop.
pub(crate) fn loop_depths(code: &[Instr]) -> (Vec<u8>, bool) {
    let mut depth = vec![0u8; code.len() + 1];
    let mut any_loop = false;
    for (pc, instr) in code.iter().enumerate() {
        let jump = match *instr {
            Instr::Br { jump } | Instr::BrIfNez { jump, .. } | Instr::BrIfEqz { jump, .. } => jump,
            _ => match int::fused_branch(instr) {
                Some((.., jump)) => jump,
                None => continue,
            },
        };
        if jump <= 0 {
            let start = (pc as i64 + i64::from(jump)).max(0) as usize;
            for d in &mut depth[start..=pc] {
                *d = d.saturating_add(1);
            }
            any_loop = true;
        }
    }
    (depth, any_loop)
}

/// Whether the compiled code runs `instr` through `Helpers::exec`.
pub(crate) fn runs_in_helper(instr: &Instr) -> bool {
    if let Instr::Simd { op } = instr {
        return !super::simd::is_native(op);
    }
    operands(instr).is_none()
        && !matches!(
            instr,
            Instr::Copy128 { .. }
                | Instr::Select128 { .. }
                | Instr::Const128 { .. }
                | Instr::V128Load { .. }
                | Instr::V128Store { .. }
                | Instr::GlobalGet128 { .. }
                | Instr::GlobalSet128 { .. }
                | Instr::CallIndirect { .. }
        )
}

/// Whether native code would likely be slower than the interpreter: in
/// loops, more than one instruction in five runs through the helper (a
/// helper call costs several interpreted instructions; native ones cost a
/// fraction of one).
pub(crate) fn helper_bound(code: &[Instr]) -> bool {
    let (depth, _) = loop_depths(code);
    let (mut helper, mut native) = (0u64, 0u64);
    for (pc, instr) in code.iter().enumerate() {
        if depth[pc] == 0 {
            continue;
        }
        let weight = 1u64 << (2 * u32::from(depth[pc].min(8)));
        if runs_in_helper(instr) {
            helper += weight;
        } else {
            native += weight;
        }
    }
    helper * 4 > native
}

/// The pinned locals of `func`: `(slot, register)`, at most one register
/// per slot. Functions with `v128` moves or SIMD get none (those
/// instructions work on slots in memory).
pub(crate) fn choose(func: &Func) -> Vec<(Slot, Reg)> {
    let code = &func.code;
    let locals = func.local_slots.min(u32::from(u16::MAX)) as usize;
    if locals == 0 {
        return Vec::new();
    }
    let (depth, any_loop) = loop_depths(code);
    if !any_loop {
        return Vec::new();
    }
    // Per local: weighted uses inside loops, and the votes for a class.
    let mut score = vec![0u64; locals];
    let mut float_votes = vec![0i64; locals];
    for (pc, instr) in code.iter().enumerate() {
        let Some(uses) = operands(instr) else {
            if matches!(
                instr,
                Instr::Simd { .. }
                    | Instr::Copy128 { .. }
                    | Instr::Select128 { .. }
                    | Instr::Const128 { .. }
                    | Instr::V128Load { .. }
                    | Instr::V128Store { .. }
                    | Instr::GlobalGet128 { .. }
                    | Instr::GlobalSet128 { .. }
            ) {
                return Vec::new();
            }
            continue;
        };
        let d = depth[pc];
        if d == 0 {
            continue;
        }
        let weight = 1u64 << (2 * u32::from(d.min(4)));
        for (slot, class) in uses {
            let s = slot as usize;
            if s < locals {
                score[s] += weight;
                float_votes[s] += match class {
                    Class::Float => weight as i64,
                    Class::Int => -(weight as i64),
                    Class::Any => 0,
                };
            }
        }
    }
    let mut ranked: Vec<usize> = (0..locals).filter(|&s| score[s] >= 8).collect();
    ranked.sort_by_key(|&s| core::cmp::Reverse(score[s]));
    let (mut gprs, mut xmms) = (PIN_GPRS.iter(), PIN_XMMS.iter());
    let mut pins = Vec::new();
    for s in ranked {
        let reg = if float_votes[s] > 0 {
            xmms.next().map(|&x| Reg::X(x))
        } else {
            gprs.next().map(|&g| Reg::G(g))
        };
        if let Some(reg) = reg {
            pins.push((s as Slot, reg));
        }
    }
    pins
}
