//! The wasmparser operator visitor: one line per Wasm operator, each calling
//! a generic helper of the translator.

use alloc::vec::Vec;

use wasmparser::{BlockType, BrTable, MemArg, VisitOperator};

use super::{ControlKind, Entry, Kind, Translator, limit};
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Instr, Slot};
use crate::module::ConstExpr;
use crate::trap::TrapCode;
use crate::types::{Mutability, ValType};

type BinaryFn = fn(Slot, Slot, Slot) -> Instr;
type ImmFn = fn(Slot, Slot, i32) -> Instr;
type UnaryFn = fn(Slot, Slot) -> Instr;

/// A fusable integer comparison: its branch forms and its negation.
#[derive(Clone, Copy)]
struct Compare {
    branch: fn(Slot, Slot, i32) -> Instr,
    branch_imm: fn(Slot, i32, i32) -> Instr,
    /// The logical negation (`!(a < b)` ⇔ `a >= b`).
    negated: fn() -> Compare,
}

macro_rules! compares {
    ($( $fn:ident: $br:ident, $brimm:ident, not $neg:ident; )*) => {
        $( fn $fn() -> Compare {
            Compare {
                branch: |a, b, jump| Instr::$br { a, b, jump },
                branch_imm: |a, imm, jump| Instr::$brimm { a, imm, jump },
                negated: $neg,
            }
        } )*
    };
}

compares! {
    i32_eq: BrI32Eq, BrI32EqImm, not i32_ne;
    i32_ne: BrI32Ne, BrI32NeImm, not i32_eq;
    i32_lt_s: BrI32LtS, BrI32LtSImm, not i32_ge_s;
    i32_lt_u: BrI32LtU, BrI32LtUImm, not i32_ge_u;
    i32_gt_s: BrI32GtS, BrI32GtSImm, not i32_le_s;
    i32_gt_u: BrI32GtU, BrI32GtUImm, not i32_le_u;
    i32_le_s: BrI32LeS, BrI32LeSImm, not i32_gt_s;
    i32_le_u: BrI32LeU, BrI32LeUImm, not i32_gt_u;
    i32_ge_s: BrI32GeS, BrI32GeSImm, not i32_lt_s;
    i32_ge_u: BrI32GeU, BrI32GeUImm, not i32_lt_u;
    i64_eq: BrI64Eq, BrI64EqImm, not i64_ne;
    i64_ne: BrI64Ne, BrI64NeImm, not i64_eq;
    i64_lt_s: BrI64LtS, BrI64LtSImm, not i64_ge_s;
    i64_lt_u: BrI64LtU, BrI64LtUImm, not i64_ge_u;
    i64_gt_s: BrI64GtS, BrI64GtSImm, not i64_le_s;
    i64_gt_u: BrI64GtU, BrI64GtUImm, not i64_le_u;
    i64_le_s: BrI64LeS, BrI64LeSImm, not i64_gt_s;
    i64_le_u: BrI64LeU, BrI64LeUImm, not i64_gt_u;
    i64_ge_s: BrI64GeS, BrI64GeSImm, not i64_lt_s;
    i64_ge_u: BrI64GeU, BrI64GeUImm, not i64_lt_u;
}

/// Which binary instruction forms an operator has.
#[derive(Clone, Copy)]
struct Binary {
    ty: ValType,
    result: ValType,
    slots: BinaryFn,
    imm: Option<ImmFn>,
    commutative: bool,
    compare: Option<fn() -> Compare>,
}

macro_rules! bin {
    ($ty:ident -> $res:ident, $ss:ident) => {
        Binary {
            ty: ValType::$ty,
            result: ValType::$res,
            slots: |dst, a, b| Instr::$ss { dst, a, b },
            imm: None,
            commutative: false,
            compare: None,
        }
    };
    ($ty:ident -> $res:ident, $ss:ident, $si:ident, $comm:expr) => {
        Binary {
            ty: ValType::$ty,
            result: ValType::$res,
            slots: |dst, a, b| Instr::$ss { dst, a, b },
            imm: Some(|dst, a, imm| Instr::$si { dst, a, imm }),
            commutative: $comm,
            compare: None,
        }
    };
    ($ty:ident -> $res:ident, $ss:ident, $si:ident, cmp $cmp:ident) => {
        Binary {
            ty: ValType::$ty,
            result: ValType::$res,
            slots: |dst, a, b| Instr::$ss { dst, a, b },
            imm: Some(|dst, a, imm| Instr::$si { dst, a, imm }),
            commutative: false,
            compare: Some($cmp),
        }
    };
}

macro_rules! un {
    ($ty:ident -> $res:ident, $op:ident) => {
        (
            ValType::$res,
            (|dst, src| Instr::$op { dst, src }) as UnaryFn,
        )
    };
}

#[path = "numeric_ops.rs"]
mod numeric_ops;
#[path = "simd_ops.rs"]
mod simd_ops;

impl Translator<'_> {
    // ---- generic helpers ----

    fn translate_binary(&mut self, op: Binary) -> Result<()> {
        let b = self.pop();
        let a = self.pop();
        let dst = self.next_slot(op.result)?;
        let imm_of = |e: &Entry| match e.kind {
            Kind::Const(bits) if op.ty == ValType::I32 => Some(bits as u32 as i32),
            Kind::Const(bits) if op.ty == ValType::I64 && (bits as i64) == (bits as i32 as i64) => {
                Some(bits as i32)
            }
            _ => None,
        };
        let instr = match (op.imm, imm_of(&a), imm_of(&b)) {
            (Some(imm_form), _, Some(imm)) => {
                let a = self.slot_of(a);
                imm_form(dst, a, imm)
            }
            (Some(imm_form), Some(imm), None) if op.commutative => {
                let b = self.slot_of(b);
                imm_form(dst, b, imm)
            }
            (Some(_), Some(imm), None) if op.compare.is_some() => {
                // Constant on the left of a comparison: swap operands.
                let b = self.slot_of(b);
                let swapped = swapped_compare(op, dst, b, imm);
                self.emit_def(swapped, op.result)?;
                return Ok(());
            }
            _ => {
                let sa = self.slot_of(a);
                let sb = self.slot_of(b);
                (op.slots)(dst, sa, sb)
            }
        };
        self.emit_def(instr, op.result)
    }

    fn translate_unary(&mut self, (result, make): (ValType, UnaryFn)) -> Result<()> {
        let src = self.pop();
        let dst = self.next_slot(result)?;
        let src = self.slot_of(src);
        self.emit_def(make(dst, src), result)
    }

    /// Reinterprets the top of the stack as `ty` (bits unchanged).
    fn translate_reinterpret(&mut self, ty: ValType) -> Result<()> {
        self.stack.last_mut().expect("validated").ty = ty;
        Ok(())
    }

    fn emit_def(&mut self, instr: Instr, result: ValType) -> Result<()> {
        let at = self.emit(instr);
        self.push_def(result, at)
    }

    fn translate_load(
        &mut self,
        memarg: MemArg,
        result: ValType,
        make: fn(Slot, Slot, u32) -> Instr,
    ) -> Result<()> {
        let addr = self.pop();
        let dst = self.next_slot(result)?;
        let addr = self.slot_of(addr);
        let offset = u32::try_from(memarg.offset).map_err(|_| limit("memory offset"))?;
        self.emit_def(make(dst, addr, offset), result)
    }

    fn translate_store(
        &mut self,
        memarg: MemArg,
        make: fn(Slot, Slot, u32) -> Instr,
    ) -> Result<()> {
        let value = self.pop();
        let addr = self.pop();
        let addr_slot = self.slot_of(addr);
        let value_slot = self.slot_of(value);
        let offset = u32::try_from(memarg.offset).map_err(|_| limit("memory offset"))?;
        self.emit(make(addr_slot, value_slot, offset));
        Ok(())
    }

    fn push_const(&mut self, ty: ValType, bits: u64) -> Result<()> {
        self.push(ty, Kind::Const(bits))?;
        Ok(())
    }

    /// Pops `n` operands and returns their slots (constants materialized).
    fn pop_slots<const N: usize>(&mut self) -> [Slot; N] {
        let mut entries = [None; N];
        for e in entries.iter_mut().rev() {
            *e = Some(self.pop());
        }
        entries.map(|e| {
            let e = e.unwrap();
            self.slot_of(e)
        })
    }

    /// The slot for the result of an operation whose inputs were just popped.
    fn result_slot(&mut self, ty: ValType) -> Result<Slot> {
        self.next_slot(ty)
    }

    fn table_u16(&self, table: u32) -> Result<u16> {
        u16::try_from(table).map_err(|_| limit("table index above 65535"))
    }

    /// Conditional branch on the top-of-stack i32; fuses a preceding
    /// comparison. Jumps to `label` when the condition is `jump_if`.
    fn emit_cond_branch(&mut self, label: super::LabelId, jump_if: bool) -> Result<()> {
        let cond = self.pop();
        let fused = match (self.last_def, cond.kind) {
            (Some(at), Kind::Temp) if at + 1 == self.code.len() => self.fusable(at, cond.slot),
            _ => None,
        };
        let instr = match fused {
            Some(Fusion::Compare { compare, a, b }) => {
                self.code.pop();
                let compare = if jump_if {
                    compare
                } else {
                    (compare.negated)()
                };
                match b {
                    Operand::Slot(b) => (compare.branch)(a, b, 0),
                    Operand::Imm(imm) => (compare.branch_imm)(a, imm, 0),
                }
            }
            Some(Fusion::Eqz { src }) => {
                self.code.pop();
                if jump_if {
                    Instr::BrIfEqz { cond: src, jump: 0 }
                } else {
                    Instr::BrIfNez { cond: src, jump: 0 }
                }
            }
            Some(Fusion::Eqz64 { src }) => {
                self.code.pop();
                let compare = if jump_if { i64_eq() } else { i64_ne() };
                (compare.branch_imm)(src, 0, 0)
            }
            None => match cond.kind {
                Kind::Const(bits) => {
                    let taken = (bits as u32 != 0) == jump_if;
                    if taken {
                        Instr::Br { jump: 0 }
                    } else {
                        return Ok(());
                    }
                }
                _ => {
                    let slot = self.slot_of(cond);
                    if jump_if {
                        Instr::BrIfNez {
                            cond: slot,
                            jump: 0,
                        }
                    } else {
                        Instr::BrIfEqz {
                            cond: slot,
                            jump: 0,
                        }
                    }
                }
            },
        };
        self.emit_branch(instr, label);
        Ok(())
    }

    /// Whether instruction `at` (which wrote `slot`) can fuse with a branch.
    fn fusable(&self, at: usize, slot: Slot) -> Option<Fusion> {
        use Operand::{Imm, Slot as S};
        macro_rules! cmp {
            ($($ss:ident, $si:ident => $c:ident;)*) => {
                match self.code[at] {
                    $( Instr::$ss { dst, a, b } if dst == slot => Some(Fusion::Compare { compare: $c(), a, b: S(b) }),
                       Instr::$si { dst, a, imm } if dst == slot => Some(Fusion::Compare { compare: $c(), a, b: Imm(imm) }), )*
                    Instr::I32Eqz { dst, src } if dst == slot => Some(Fusion::Eqz { src }),
                    Instr::I64Eqz { dst, src } if dst == slot => Some(Fusion::Eqz64 { src }),
                    _ => None,
                }
            };
        }
        cmp! {
            I32Eq, I32EqImm => i32_eq; I32Ne, I32NeImm => i32_ne;
            I32LtS, I32LtSImm => i32_lt_s; I32LtU, I32LtUImm => i32_lt_u;
            I32GtS, I32GtSImm => i32_gt_s; I32GtU, I32GtUImm => i32_gt_u;
            I32LeS, I32LeSImm => i32_le_s; I32LeU, I32LeUImm => i32_le_u;
            I32GeS, I32GeSImm => i32_ge_s; I32GeU, I32GeUImm => i32_ge_u;
            I64Eq, I64EqImm => i64_eq; I64Ne, I64NeImm => i64_ne;
            I64LtS, I64LtSImm => i64_lt_s; I64LtU, I64LtUImm => i64_lt_u;
            I64GtS, I64GtSImm => i64_gt_s; I64GtU, I64GtUImm => i64_gt_u;
            I64LeS, I64LeSImm => i64_le_s; I64LeU, I64LeUImm => i64_le_u;
            I64GeS, I64GeSImm => i64_ge_s; I64GeU, I64GeUImm => i64_ge_u;
        }
    }

    fn call_area(
        &mut self,
        params: &[ValType],
        results: &[ValType],
        extra_above: usize,
    ) -> Result<(Slot, bool)> {
        // The arguments sit at the top of the stack (below `extra_above`
        // entries such as call_indirect's index). Call in place when their
        // positional slots are the callee's parameter layout; otherwise
        // stage them. A signature with `v128` values needs an even frame
        // base so that both sides align them alike.
        let needs_even = params.iter().chain(results).any(|&t| t == ValType::V128);
        let n = params.len();
        let first = self.stack.len() - extra_above - n;
        let in_place_base = self.slot_at_height(first);
        let layout_ok = (!needs_even || in_place_base.is_multiple_of(2))
            && Self::layout(in_place_base, params)
                .iter()
                .zip(&self.stack[first..first + n])
                .all(|(&s, e)| s == e.slot);
        let width = super::layout_width(0, params).max(super::layout_width(0, results));
        if layout_ok {
            for i in first..first + n {
                self.materialize(i);
            }
            self.note_frame_use(in_place_base + width)?;
            return Ok((in_place_base as Slot, true));
        }
        let top = self.slot_at_height(self.stack.len());
        let base = if needs_even { (top + 1) & !1 } else { top };
        let dsts = Self::layout(base, params);
        self.note_frame_use(base + width)?;
        let srcs: Vec<Entry> = self.stack[first..first + n].to_vec();
        for (&dst, &src) in dsts.iter().zip(&srcs) {
            self.emit_copy_to(dst, src);
        }
        Ok((base as Slot, false))
    }

    fn finish_call(
        &mut self,
        base: Slot,
        in_place: bool,
        n_params: usize,
        results: &[ValType],
    ) -> Result<()> {
        for _ in 0..n_params {
            self.pop();
        }
        if in_place {
            return self.push_temps(results);
        }
        let srcs = Self::layout(base as u32, results);
        for (&ty, &src) in results.iter().zip(&srcs) {
            let dst = self.push(ty, Kind::Temp)?;
            self.emit_copy_to(
                dst,
                Entry {
                    ty,
                    slot: src,
                    kind: Kind::Temp,
                },
            );
        }
        Ok(())
    }

    fn emit_call(&mut self, function_index: u32) -> Result<()> {
        let ty = self.module.func_type(function_index).clone();
        let (base, in_place) = self.call_area(ty.params(), ty.results(), 0)?;
        self.emit(Instr::Call {
            func: function_index,
            base,
        });
        self.finish_call(base, in_place, ty.params().len(), ty.results())
    }

    fn end_block(&mut self) -> Result<()> {
        if self.controls.len() == 1 {
            // The function's end: branches to it were emitted as returns.
            if self.reachable {
                self.emit_return()?;
            }
            self.controls.pop();
            self.reachable = false;
            return Ok(());
        }
        let control = self.controls.pop().expect("validated");
        if self.reachable {
            self.controls.push(control);
            self.fallthrough_values()?;
            let control = self.controls.pop().unwrap();
            self.finish_end(control)
        } else {
            self.finish_end(control)
        }
    }

    fn finish_end(&mut self, control: super::Control) -> Result<()> {
        let fell_through = self.reachable;
        let mut reachable = fell_through || control.label_used;
        if let ControlKind::If {
            else_label,
            has_else,
        } = control.kind
        {
            if !has_else {
                // The missing else arm passes the parameters through; they
                // are already in the result slots.
                // With nothing to copy, the then-arm falls through to the end.
                if fell_through && control.hidden_params > 0 {
                    let end = control.label;
                    self.emit_branch(Instr::Br { jump: 0 }, end);
                }
                self.bind_label(else_label);
                if control.hidden_params > 0 {
                    self.copy_hidden_params(&control)?;
                }
                reachable = true;
            } else if control.then_reachable {
                reachable = true;
            }
        }
        if control.kind != ControlKind::Loop {
            self.bind_label(control.label);
        }
        self.pop_to_height(control.height);
        if control.hidden_params > 0 {
            // Results are above the hidden parameter copies: move them down.
            let base = self.slot_at_height(control.height - control.hidden_params);
            let dsts = Self::layout(base, &control.results);
            let srcs = Self::layout(control.label_base as u32, &control.results);
            if reachable {
                for ((&d, &s), &ty) in dsts.iter().zip(&srcs).zip(&control.results) {
                    self.emit_copy_to(
                        d,
                        Entry {
                            ty,
                            slot: s,
                            kind: Kind::Temp,
                        },
                    );
                }
            }
            self.pop_to_height(control.height - control.hidden_params);
        }
        self.push_temps(&control.results)?;
        self.reachable = reachable;
        if reachable {
            self.start_fuel_block();
        }
        Ok(())
    }

    /// For an `if` with hidden parameter copies: copies them into the arm's
    /// parameter slots.
    fn copy_hidden_params(&mut self, control: &super::Control) -> Result<()> {
        let n = control.params.len();
        let hidden: Vec<Entry> = self.stack[control.height - n..control.height].to_vec();
        let dsts = Self::layout(control.label_base as u32, &control.params);
        for (&d, &e) in dsts.iter().zip(&hidden) {
            self.emit_copy_to(d, e);
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Operand {
    Slot(Slot),
    Imm(i32),
}

enum Fusion {
    Compare {
        compare: Compare,
        a: Slot,
        b: Operand,
    },
    Eqz {
        src: Slot,
    },
    Eqz64 {
        src: Slot,
    },
}

fn swapped_compare(op: Binary, dst: Slot, b: Slot, imm: i32) -> Instr {
    // `imm OP b` == `b SWAPPED(OP) imm`; rebuild through the value form.
    let probe = (op.slots)(dst, 0, 0);
    macro_rules! swap {
        ($($ss:ident => $si:ident;)*) => {
            match probe {
                $( Instr::$ss { .. } => Instr::$si { dst, a: b, imm }, )*
                _ => unreachable!("not a comparison"),
            }
        };
    }
    swap! {
        I32Eq => I32EqImm; I32Ne => I32NeImm;
        I32LtS => I32GtSImm; I32LtU => I32GtUImm; I32GtS => I32LtSImm; I32GtU => I32LtUImm;
        I32LeS => I32GeSImm; I32LeU => I32GeUImm; I32GeS => I32LeSImm; I32GeU => I32LeUImm;
        I64Eq => I64EqImm; I64Ne => I64NeImm;
        I64LtS => I64GtSImm; I64LtU => I64GtUImm; I64GtS => I64LtSImm; I64GtU => I64LtUImm;
        I64LeS => I64GeSImm; I64LeU => I64GeUImm; I64GeS => I64LeSImm; I64GeU => I64LeUImm;
    }
}

fn unsupported(what: &str) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        alloc::format!("unsupported operator: {what}"),
    )
}

/// Operators that structure control flow and must be seen even in
/// unreachable code.
fn is_structural(visit: &str) -> bool {
    matches!(
        visit,
        "visit_block" | "visit_loop" | "visit_if" | "visit_else" | "visit_end"
    )
}

macro_rules! impl_visit {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $( impl_visit!(@one $proposal $op $({ $($arg: $argty),* })? => $visit); )*
    };
    (@one mvp $($rest:tt)*) => { impl_visit!(@forward $($rest)*); };
    (@one sign_extension $($rest:tt)*) => { impl_visit!(@forward $($rest)*); };
    (@one saturating_float_to_int $($rest:tt)*) => { impl_visit!(@forward $($rest)*); };
    (@one bulk_memory $($rest:tt)*) => { impl_visit!(@forward $($rest)*); };
    (@one reference_types $($rest:tt)*) => { impl_visit!(@forward $($rest)*); };
    (@one $proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident) => {
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            $($( let _ = $arg; )*)?
            Err(unsupported(stringify!($op)))
        }
    };
    (@forward $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident) => {
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            if !self.0.reachable && !is_structural(stringify!($visit)) {
                return Ok(());
            }
            if self.0.reachable {
                self.0.charge_operator();
            }
            self.0.$visit($($($arg),*)?)
        }
    };
}

/// Feeds wasmparser's operators to the translator. A wrapper, so that a
/// missing translation is a compile error rather than a call to itself.
pub(crate) struct Visitor<'t, 'm>(pub(crate) &'t mut Translator<'m>);

impl<'a> VisitOperator<'a> for Visitor<'_, '_> {
    type Output = Result<()>;

    wasmparser::for_each_visit_operator!(impl_visit);

    fn simd_visitor(
        &mut self,
    ) -> Option<&mut dyn wasmparser::VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }
}

/// SIMD operators go to the translator like the others (`simd_ops`);
/// relaxed SIMD, which Ember's feature set rejects at validation, is
/// unsupported.
macro_rules! impl_visit_simd {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $( impl_visit_simd!(@one $proposal $op $({ $($arg: $argty),* })? => $visit); )*
    };
    (@one simd $($rest:tt)*) => { impl_visit!(@forward $($rest)*); };
    (@one $proposal:ident $($rest:tt)*) => { impl_visit!(@one $proposal $($rest)*); };
}

impl<'a> wasmparser::VisitSimdOperator<'a> for Visitor<'_, '_> {
    wasmparser::for_each_visit_simd_operator!(impl_visit_simd);
}

/// The per-operator translations.
#[allow(clippy::wrong_self_convention)]
impl Translator<'_> {
    // ---- control ----
    fn visit_unreachable(&mut self) -> Result<()> {
        self.emit(Instr::Trap {
            code: TrapCode::Unreachable,
        });
        self.set_unreachable();
        Ok(())
    }
    fn visit_nop(&mut self) -> Result<()> {
        Ok(())
    }
    fn visit_block(&mut self, blockty: BlockType) -> Result<()> {
        if !self.reachable {
            self.unreachable_depth += 1;
            return Ok(());
        }
        let (params, results) = self.block_types(blockty);
        self.enter_block(ControlKind::Block, params, results)
    }
    fn visit_loop(&mut self, blockty: BlockType) -> Result<()> {
        if !self.reachable {
            self.unreachable_depth += 1;
            return Ok(());
        }
        let (params, results) = self.block_types(blockty);
        self.enter_block(ControlKind::Loop, params, results)?;
        let label = self.controls.last().unwrap().label;
        self.bind_label(label);
        self.controls.last_mut().unwrap().label_used = true;
        self.start_fuel_block();
        Ok(())
    }
    fn visit_if(&mut self, blockty: BlockType) -> Result<()> {
        if !self.reachable {
            self.unreachable_depth += 1;
            return Ok(());
        }
        let (params, results) = self.block_types(blockty);
        let else_label = self.new_label();
        if !params.is_empty() {
            // Both arms start from the parameters: put them in their slots
            // before the paths split.
            let cond = self.pop();
            for i in self.stack.len() - params.len()..self.stack.len() {
                self.materialize(i);
            }
            self.push(cond.ty, cond.kind)?;
        }
        // Branch to the else arm when the condition is zero.
        self.emit_cond_branch(else_label, false)?;
        let n = params.len();
        let has_params = n > 0;
        self.enter_block(
            ControlKind::If {
                else_label,
                has_else: false,
            },
            params.clone(),
            results,
        )?;
        if has_params {
            // Keep the parameters below the block for the else arm and work
            // on copies above them.
            let height = self.stack.len();
            let copies: Vec<Entry> = self.stack[height - n..].to_vec();
            for e in copies {
                let dst = self.push(e.ty, Kind::Temp)?;
                self.emit_copy_to(dst, e);
            }
            let label_base = self.slot_at_height(height) as Slot;
            let control = self.controls.last_mut().unwrap();
            control.height = height;
            control.hidden_params = n;
            control.label_base = label_base;
            let last = Self::layout(label_base as u32, &control.results.clone())
                .last()
                .copied();
            if let Some(last) = last {
                self.note_frame_use(last as u32 + 2)?;
            }
        }
        self.start_fuel_block();
        Ok(())
    }
    fn visit_else(&mut self) -> Result<()> {
        if self.unreachable_depth > 0 {
            return Ok(());
        }
        let fell_through = self.reachable;
        if fell_through {
            self.fallthrough_values()?;
            let end = self.controls.last().unwrap().label;
            self.emit_branch(Instr::Br { jump: 0 }, end);
        }
        let control = self.controls.last_mut().unwrap();
        let ControlKind::If { else_label, .. } = control.kind else {
            unreachable!("validated")
        };
        control.kind = ControlKind::If {
            else_label,
            has_else: true,
        };
        control.then_reachable = fell_through;
        let height = control.height;
        let params = control.params.clone();
        let hidden = control.hidden_params;
        self.pop_to_height(height);
        self.bind_label(else_label);
        if hidden > 0 {
            let control = self.controls.pop().unwrap();
            self.copy_hidden_params(&control)?;
            self.controls.push(control);
        }
        self.push_temps(&params)?;
        self.reachable = true;
        self.start_fuel_block();
        Ok(())
    }
    fn visit_end(&mut self) -> Result<()> {
        if self.unreachable_depth > 0 {
            self.unreachable_depth -= 1;
            return Ok(());
        }
        self.end_block()
    }
    fn visit_br(&mut self, relative_depth: u32) -> Result<()> {
        self.branch_to(relative_depth as usize)?;
        self.set_unreachable();
        Ok(())
    }
    fn visit_br_if(&mut self, relative_depth: u32) -> Result<()> {
        let depth = relative_depth as usize;
        let is_return = depth == self.controls.len() - 1;
        // Look below the condition to decide whether values must move.
        let cond = self.pop();
        let in_place = !is_return && self.label_values_in_place(depth);
        self.push(cond.ty, cond.kind)?;
        if in_place {
            let label = self.label_of(depth);
            self.emit_cond_branch(label, true)?;
        } else {
            let skip = self.new_label();
            self.emit_cond_branch(skip, false)?;
            self.branch_to(depth)?;
            self.bind_label(skip);
        }
        self.start_fuel_block();
        Ok(())
    }
    fn visit_br_table(&mut self, targets: BrTable<'_>) -> Result<()> {
        let index = self.pop();
        let index = self.slot_of(index);
        let depths = targets
            .targets()
            .chain(core::iter::once(Ok(targets.default())))
            .collect::<core::result::Result<Vec<u32>, _>>()
            .map_err(|e| {
                Error::new(
                    ErrorKind::InvalidModule,
                    alloc::string::ToString::to_string(&e),
                )
            })?;
        self.emit(Instr::BrTable {
            index,
            len: depths.len() as u32 - 1,
        });
        let mut stubs = Vec::new();
        for &depth in &depths {
            let depth = depth as usize;
            if depth != self.controls.len() - 1 && self.label_values_in_place(depth) {
                let label = self.label_of(depth);
                self.emit_branch(Instr::Br { jump: 0 }, label);
            } else {
                let stub = self.new_label();
                self.emit_branch(Instr::Br { jump: 0 }, stub);
                stubs.push((stub, depth));
            }
        }
        for (stub, depth) in stubs {
            self.bind_label(stub);
            self.branch_to(depth)?;
        }
        self.set_unreachable();
        Ok(())
    }
    fn visit_return(&mut self) -> Result<()> {
        self.emit_return()?;
        self.set_unreachable();
        Ok(())
    }
    fn visit_call(&mut self, function_index: u32) -> Result<()> {
        self.emit_call(function_index)
    }
    fn visit_call_indirect(&mut self, type_index: u32, table_index: u32) -> Result<()> {
        let ty = self.module.types[type_index as usize].clone();
        let table = self.table_u16(table_index)?;
        self.materialize(self.stack.len() - 1);
        let index_entry = *self.stack.last().unwrap();
        let (base, in_place) = self.call_area(ty.params(), ty.results(), 1)?;
        // The index may sit inside the callee's frame; it is read before
        // the call starts.
        self.pop();
        self.emit(Instr::CallIndirect {
            base,
            index: index_entry.slot,
            table,
            type_index,
        });
        self.finish_call(base, in_place, ty.params().len(), ty.results())
    }
    fn visit_drop(&mut self) -> Result<()> {
        self.pop();
        Ok(())
    }
    fn visit_select(&mut self) -> Result<()> {
        let cond = self.pop();
        let b = self.pop();
        let a = self.pop();
        let ty = a.ty;
        let dst = self.result_slot(ty)?;
        let cond = self.slot_of(cond);
        let a = self.slot_of(a);
        let b = self.slot_of(b);
        let instr = if ty == ValType::V128 {
            Instr::Select128 { dst, cond, a, b }
        } else {
            Instr::Select { dst, cond, a, b }
        };
        self.emit_def(instr, ty)
    }
    fn visit_typed_select(&mut self, _ty: wasmparser::ValType) -> Result<()> {
        self.visit_select()
    }
    fn visit_typed_select_multi(&mut self, _tys: Vec<wasmparser::ValType>) -> Result<()> {
        Err(unsupported("select with multiple results"))
    }

    // ---- locals and globals ----
    fn visit_local_get(&mut self, local_index: u32) -> Result<()> {
        let (slot, ty) = self.locals[local_index as usize];
        self.push(ty, Kind::Local(slot))?;
        Ok(())
    }
    fn visit_local_set(&mut self, local_index: u32) -> Result<()> {
        let (slot, ty) = self.locals[local_index as usize];
        let value = self.pop();
        let has_readers = self.stack.iter().any(|e| e.kind == Kind::Local(slot));
        if !has_readers
            && value.kind == Kind::Temp
            && let Some(at) = self.last_def
            && at + 1 == self.code.len()
            && let Some(dst) = self.code[at].dst_mut()
            && *dst == value.slot
        {
            *dst = slot;
            self.last_def = None;
            return Ok(());
        }
        self.materialize_local_reads(slot);
        let _ = ty;
        self.emit_copy_to(slot, value);
        Ok(())
    }
    fn visit_local_tee(&mut self, local_index: u32) -> Result<()> {
        let top = *self.stack.last().unwrap();
        self.visit_local_set(local_index)?;
        let (slot, ty) = self.locals[local_index as usize];
        match top.kind {
            // Keep constants as constants; everything else now reads the local.
            Kind::Const(_) | Kind::Const128(_) => self.push(ty, top.kind)?,
            _ => self.push(ty, Kind::Local(slot))?,
        };
        Ok(())
    }
    fn visit_global_get(&mut self, global_index: u32) -> Result<()> {
        let global = self.module.globals[global_index as usize];
        let ty = global.content;
        // An immutable global defined with a number is a constant.
        if let Some(defined) = global_index.checked_sub(self.module.num_imported_globals)
            && global.mutability == Mutability::Const
            && ty != ValType::V128
            && let ConstExpr::Value(bits) = self.module.global_inits[defined as usize]
        {
            return self.push_const(ty, bits as u64);
        }
        let dst = self.result_slot(ty)?;
        let instr = if ty == ValType::V128 {
            Instr::GlobalGet128 {
                dst,
                global: global_index,
            }
        } else {
            Instr::GlobalGet {
                dst,
                global: global_index,
            }
        };
        self.emit_def(instr, ty)
    }
    fn visit_global_set(&mut self, global_index: u32) -> Result<()> {
        let value = self.pop();
        let src = self.slot_of(value);
        let instr = if value.ty == ValType::V128 {
            Instr::GlobalSet128 {
                src,
                global: global_index,
            }
        } else {
            Instr::GlobalSet {
                src,
                global: global_index,
            }
        };
        self.emit(instr);
        Ok(())
    }

    // ---- memory ----
    fn visit_i32_load(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I32, |dst, addr, offset| Instr::I32Load {
            dst,
            addr,
            offset,
        })
    }
    fn visit_i64_load(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I64, |dst, addr, offset| Instr::I64Load {
            dst,
            addr,
            offset,
        })
    }
    fn visit_f32_load(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::F32, |dst, addr, offset| Instr::I32Load {
            dst,
            addr,
            offset,
        })
    }
    fn visit_f64_load(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::F64, |dst, addr, offset| Instr::I64Load {
            dst,
            addr,
            offset,
        })
    }
    fn visit_i32_load8_s(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I32, |dst, addr, offset| Instr::I32Load8S {
            dst,
            addr,
            offset,
        })
    }
    fn visit_i32_load8_u(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I32, |dst, addr, offset| Instr::I32Load8U {
            dst,
            addr,
            offset,
        })
    }
    fn visit_i32_load16_s(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I32, |dst, addr, offset| {
            Instr::I32Load16S { dst, addr, offset }
        })
    }
    fn visit_i32_load16_u(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I32, |dst, addr, offset| {
            Instr::I32Load16U { dst, addr, offset }
        })
    }
    fn visit_i64_load8_s(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I64, |dst, addr, offset| Instr::I64Load8S {
            dst,
            addr,
            offset,
        })
    }
    fn visit_i64_load8_u(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I64, |dst, addr, offset| Instr::I64Load8U {
            dst,
            addr,
            offset,
        })
    }
    fn visit_i64_load16_s(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I64, |dst, addr, offset| {
            Instr::I64Load16S { dst, addr, offset }
        })
    }
    fn visit_i64_load16_u(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I64, |dst, addr, offset| {
            Instr::I64Load16U { dst, addr, offset }
        })
    }
    fn visit_i64_load32_s(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I64, |dst, addr, offset| {
            Instr::I64Load32S { dst, addr, offset }
        })
    }
    fn visit_i64_load32_u(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_load(memarg, ValType::I64, |dst, addr, offset| {
            Instr::I64Load32U { dst, addr, offset }
        })
    }
    fn visit_i32_store(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_store(memarg, |addr, src, offset| Instr::I32Store {
            addr,
            src,
            offset,
        })
    }
    fn visit_i64_store(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_store(memarg, |addr, src, offset| Instr::I64Store {
            addr,
            src,
            offset,
        })
    }
    fn visit_f32_store(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_store(memarg, |addr, src, offset| Instr::I32Store {
            addr,
            src,
            offset,
        })
    }
    fn visit_f64_store(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_store(memarg, |addr, src, offset| Instr::I64Store {
            addr,
            src,
            offset,
        })
    }
    fn visit_i32_store8(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_store(memarg, |addr, src, offset| Instr::I32Store8 {
            addr,
            src,
            offset,
        })
    }
    fn visit_i32_store16(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_store(memarg, |addr, src, offset| Instr::I32Store16 {
            addr,
            src,
            offset,
        })
    }
    fn visit_i64_store8(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_store(memarg, |addr, src, offset| Instr::I32Store8 {
            addr,
            src,
            offset,
        })
    }
    fn visit_i64_store16(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_store(memarg, |addr, src, offset| Instr::I32Store16 {
            addr,
            src,
            offset,
        })
    }
    fn visit_i64_store32(&mut self, memarg: MemArg) -> Result<()> {
        self.translate_store(memarg, |addr, src, offset| Instr::I64Store32 {
            addr,
            src,
            offset,
        })
    }
    fn visit_memory_size(&mut self, _mem: u32) -> Result<()> {
        let dst = self.result_slot(ValType::I32)?;
        self.emit_def(Instr::MemorySize { dst }, ValType::I32)
    }
    fn visit_memory_grow(&mut self, _mem: u32) -> Result<()> {
        let [delta] = self.pop_slots::<1>();
        let dst = self.result_slot(ValType::I32)?;
        self.emit_def(Instr::MemoryGrow { dst, delta }, ValType::I32)
    }
    fn visit_memory_fill(&mut self, _mem: u32) -> Result<()> {
        let [dst, value, len] = self.pop_slots::<3>();
        self.emit(Instr::MemoryFill { dst, value, len });
        Ok(())
    }
    fn visit_memory_copy(&mut self, _dst_mem: u32, _src_mem: u32) -> Result<()> {
        let [dst, src, len] = self.pop_slots::<3>();
        self.emit(Instr::MemoryCopy { dst, src, len });
        Ok(())
    }
    fn visit_memory_init(&mut self, data_index: u32, _mem: u32) -> Result<()> {
        let [dst, src, len] = self.pop_slots::<3>();
        self.emit(Instr::MemoryInit {
            dst,
            src,
            len,
            data: data_index,
        });
        Ok(())
    }
    fn visit_data_drop(&mut self, data_index: u32) -> Result<()> {
        self.emit(Instr::DataDrop { data: data_index });
        Ok(())
    }

    // ---- tables and references ----
    fn visit_table_get(&mut self, table: u32) -> Result<()> {
        let ty = self.module.tables[table as usize].element;
        let [index] = self.pop_slots::<1>();
        let dst = self.result_slot(ty)?;
        self.emit_def(Instr::TableGet { dst, index, table }, ty)
    }
    fn visit_table_set(&mut self, table: u32) -> Result<()> {
        let [index, value] = self.pop_slots::<2>();
        self.emit(Instr::TableSet {
            index,
            value,
            table,
        });
        Ok(())
    }
    fn visit_table_size(&mut self, table: u32) -> Result<()> {
        let dst = self.result_slot(ValType::I32)?;
        self.emit_def(Instr::TableSize { dst, table }, ValType::I32)
    }
    fn visit_table_grow(&mut self, table: u32) -> Result<()> {
        let table = self.table_u16(table)?;
        let [init, delta] = self.pop_slots::<2>();
        let dst = self.result_slot(ValType::I32)?;
        self.emit_def(
            Instr::TableGrow {
                dst,
                init,
                delta,
                table,
            },
            ValType::I32,
        )
    }
    fn visit_table_fill(&mut self, table: u32) -> Result<()> {
        let table = self.table_u16(table)?;
        let [dst, value, len] = self.pop_slots::<3>();
        self.emit(Instr::TableFill {
            dst,
            value,
            len,
            table,
        });
        Ok(())
    }
    fn visit_table_copy(&mut self, dst_table: u32, src_table: u32) -> Result<()> {
        let dst_table = self.table_u16(dst_table)?;
        let src_table = self.table_u16(src_table)?;
        let [dst, src, len] = self.pop_slots::<3>();
        self.emit(Instr::TableCopy {
            dst,
            src,
            len,
            dst_table,
            src_table,
        });
        Ok(())
    }
    fn visit_table_init(&mut self, elem_index: u32, table: u32) -> Result<()> {
        let table = self.table_u16(table)?;
        let elem =
            u16::try_from(elem_index).map_err(|_| limit("element segment index above 65535"))?;
        let [dst, src, len] = self.pop_slots::<3>();
        self.emit(Instr::TableInit {
            dst,
            src,
            len,
            table,
            elem,
        });
        Ok(())
    }
    fn visit_elem_drop(&mut self, elem_index: u32) -> Result<()> {
        self.emit(Instr::ElemDrop { elem: elem_index });
        Ok(())
    }
    fn visit_ref_null(&mut self, hty: wasmparser::HeapType) -> Result<()> {
        let ty = match hty {
            wasmparser::HeapType::Abstract {
                ty: wasmparser::AbstractHeapType::Extern,
                ..
            } => ValType::ExternRef,
            _ => ValType::FuncRef,
        };
        self.push_const(ty, 0)
    }
    fn visit_ref_is_null(&mut self) -> Result<()> {
        self.translate_unary(un!(I64 -> I32, I64Eqz))
    }
    fn visit_ref_func(&mut self, function_index: u32) -> Result<()> {
        let dst = self.result_slot(ValType::FuncRef)?;
        self.emit_def(
            Instr::RefFunc {
                dst,
                func: function_index,
            },
            ValType::FuncRef,
        )
    }

    // ---- constants ----
    fn visit_i32_const(&mut self, value: i32) -> Result<()> {
        self.push_const(ValType::I32, value as u32 as u64)
    }
    fn visit_i64_const(&mut self, value: i64) -> Result<()> {
        self.push_const(ValType::I64, value as u64)
    }
    fn visit_f32_const(&mut self, value: wasmparser::Ieee32) -> Result<()> {
        self.push_const(ValType::F32, value.bits() as u64)
    }
    fn visit_f64_const(&mut self, value: wasmparser::Ieee64) -> Result<()> {
        self.push_const(ValType::F64, value.bits())
    }
}
