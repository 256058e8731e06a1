//! One-pass translation of a validated function body into register IR.
//!
//! The translator keeps a shadow of the Wasm operand stack whose entries are
//! *operands*, not values: a local's slot, a constant, or a temporary that
//! lives at the entry's positional slot. `local.get` and constants therefore
//! emit nothing; an operator reads its inputs straight from the locals or as
//! immediates and writes its result to the positional slot of the first
//! input. A `local.set` right after the instruction that produced its value
//! retargets that instruction's `dst`, and a comparison followed by `br_if`
//! or `if` becomes one fused compare-and-branch.
//!
//! Invariant: an entry of kind [`Kind::Temp`] at stack position `k` always
//! lives at slot `stack[k].slot`, computed from the entries below it alone.
//! Block results and loop parameters use the same positions, so most
//! branches need no copies.

mod visit;

use alloc::vec;
use alloc::vec::Vec;

use wasmparser::{BinaryReader, FunctionBody};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{self, Instr, MAX_FRAME_SLOTS, Slot};
use crate::module::ModuleInner;
use crate::types::{FuncType, ValType};

/// How an operand-stack entry holds its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    /// In the slot of a local (the local has not been written since).
    Local(Slot),
    /// A constant (raw slot bits), not yet in any slot.
    Const(u64),
    /// A `v128` constant, by index into the function's constant pool.
    Const128(u32),
    /// In the entry's own positional slot.
    Temp,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub ty: ValType,
    /// The positional slot of this stack position.
    pub slot: Slot,
    pub kind: Kind,
}

type LabelId = usize;

#[derive(Default)]
struct Label {
    target: Option<usize>,
    /// Branch instructions waiting for `target`.
    uses: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ControlKind {
    Function,
    Block,
    Loop,
    /// `else_label` is where the condition-false path continues.
    If {
        else_label: LabelId,
        has_else: bool,
    },
}

struct Control {
    kind: ControlKind,
    /// Operand-stack height below this block's parameters.
    height: usize,
    /// Types the block's label expects (loop: params, others: results).
    label_types: Vec<ValType>,
    params: Vec<ValType>,
    results: Vec<ValType>,
    /// Slot of the first label value (results or loop params).
    label_base: Slot,
    label: LabelId,
    /// For an `if` with parameters: the copies of the parameters kept below
    /// the block so the `else` arm can start from them again.
    hidden_params: usize,
    /// Whether code after `end` is reachable from a branch to the label.
    label_used: bool,
    /// Whether the `if`'s then-arm fell through to `else`/`end`.
    then_reachable: bool,
}

pub(crate) struct Translator<'m> {
    module: &'m ModuleInner,
    code: Vec<Instr>,
    consts128: Vec<u128>,
    stack: Vec<Entry>,
    controls: Vec<Control>,
    labels: Vec<Label>,
    /// Slot and type of every local (parameters first).
    locals: Vec<(Slot, ValType)>,
    param_slots: u32,
    local_slots: u32,
    result_types: Vec<ValType>,
    /// Highest slot (exclusive) the frame needs so far.
    frame_slots: u32,
    reachable: bool,
    /// Depth of blocks opened while unreachable (their bodies are skipped).
    unreachable_depth: u32,
    /// Index of the instruction that produced the top temp, if nothing was
    /// emitted since (for `local.set` retargeting and branch fusion).
    last_def: Option<usize>,
    /// Number of `Kind::Local` entries on the stack.
    local_operands: usize,
    /// The open `ConsumeFuel` instruction, when fuel is on.
    fuel_instr: Option<usize>,
    fuel: bool,
}

fn limit(what: &str) -> Error {
    Error::new(
        ErrorKind::Limit,
        alloc::format!("implementation limit exceeded: {what}"),
    )
}

/// Translates defined function `func_index` of `module` to IR.
pub(crate) fn translate(module: &ModuleInner, func_index: u32) -> Result<ir::Func> {
    let defined = (func_index - module.num_imported_funcs) as usize;
    let range = module.bodies[defined].clone();
    let body = FunctionBody::new(BinaryReader::new(
        &module.bytes[range.clone()],
        range.start as u64,
    ));
    let ty = module.func_type(func_index).clone();
    let mut t = Translator::new(module, &ty)?;
    let err = |e: wasmparser::BinaryReaderError| {
        Error::new(
            ErrorKind::InvalidModule,
            alloc::string::ToString::to_string(&e),
        )
    };
    let mut locals = body.get_locals_reader().map_err(err)?;
    for _ in 0..locals.get_count() {
        let (count, ty) = locals.read().map_err(err)?;
        let ty = ValType::from_wasmparser(ty)
            .ok_or_else(|| Error::new(ErrorKind::Unsupported, "unsupported local type"))?;
        for _ in 0..count {
            t.add_local(ty)?;
        }
    }
    t.start_body()?;
    let mut ops = body.get_operators_reader().map_err(err)?;
    while !ops.eof() {
        ops.visit_operator(&mut visit::Visitor(&mut t))
            .map_err(err)??;
    }
    t.finish()
}

impl<'m> Translator<'m> {
    fn new(module: &'m ModuleInner, ty: &FuncType) -> Result<Self> {
        let config = &module.engine.inner.config;
        let mut t = Translator {
            module,
            code: Vec::new(),
            consts128: Vec::new(),
            stack: Vec::new(),
            controls: Vec::new(),
            labels: Vec::new(),
            locals: Vec::new(),
            param_slots: 0,
            local_slots: 0,
            result_types: ty.results().to_vec(),
            frame_slots: 0,
            reachable: true,
            unreachable_depth: 0,
            last_def: None,
            local_operands: 0,
            fuel_instr: None,
            fuel: config.consume_fuel,
        };
        for &p in ty.params() {
            t.add_local(p)?;
        }
        t.param_slots = t.local_slots;
        Ok(t)
    }

    fn add_local(&mut self, ty: ValType) -> Result<()> {
        let slot = align_for(self.local_slots, ty);
        let end = slot + ty.slot_width();
        if end > MAX_FRAME_SLOTS {
            return Err(limit("too many locals"));
        }
        self.locals.push((slot as Slot, ty));
        self.local_slots = end;
        Ok(())
    }

    fn start_body(&mut self) -> Result<()> {
        let results = self.result_types.clone();
        let result_slots = layout_width(0, &results);
        self.frame_slots = self.local_slots.max(result_slots);
        let label = self.new_label();
        self.controls.push(Control {
            kind: ControlKind::Function,
            height: 0,
            label_types: results.clone(),
            params: Vec::new(),
            results,
            label_base: 0,
            label,
            hidden_params: 0,
            label_used: false,
            then_reachable: false,
        });
        self.start_fuel_block();
        Ok(())
    }

    fn finish(mut self) -> Result<ir::Func> {
        debug_assert!(self.controls.is_empty());
        // Every path ends in a return; this final one is never reached but
        // keeps `pc` inside the code even for malformed control flow.
        self.code.push(Instr::Trap {
            code: crate::trap::TrapCode::Unreachable,
        });
        let ops = crate::exec::build_ops(&self.code);
        Ok(ir::Func {
            code: self.code.into_boxed_slice(),
            ops,
            param_slots: self.param_slots,
            local_slots: self.local_slots,
            result_slots: layout_width(0, &self.result_types),
            frame_slots: self.frame_slots,
            consts128: self.consts128.into_boxed_slice(),
        })
    }

    // ---- emission ----

    fn emit(&mut self, instr: Instr) -> usize {
        self.code.push(instr);
        self.last_def = None;
        self.code.len() - 1
    }

    fn new_label(&mut self) -> LabelId {
        self.labels.push(Label::default());
        self.labels.len() - 1
    }

    /// Places `label` at the current position and patches its uses.
    fn bind_label(&mut self, label: LabelId) {
        let target = self.code.len();
        self.labels[label].target = Some(target);
        for at in core::mem::take(&mut self.labels[label].uses) {
            set_offset(&mut self.code[at], target as i32 - at as i32);
        }
        self.last_def = None;
    }

    /// Emits a branch instruction whose offset goes to `label`.
    fn emit_branch(&mut self, instr: Instr, label: LabelId) {
        let at = self.emit(instr);
        match self.labels[label].target {
            Some(target) => set_offset(&mut self.code[at], target as i32 - at as i32),
            None => self.labels[label].uses.push(at),
        }
    }

    fn start_fuel_block(&mut self) {
        if self.fuel {
            let at = self.emit(Instr::ConsumeFuel { amount: 0 });
            self.fuel_instr = Some(at);
        }
    }

    /// Charges one Wasm operator to the current basic block.
    fn charge_operator(&mut self) {
        if let Some(at) = self.fuel_instr
            && let Instr::ConsumeFuel { amount } = &mut self.code[at]
        {
            *amount += 1;
        }
    }

    // ---- operand stack ----

    /// The positional slot for a new entry of type `ty` on top of the stack.
    fn next_slot(&self, ty: ValType) -> Result<Slot> {
        let base = self.slot_at_height(self.stack.len());
        let slot = align_for(base, ty);
        let end = slot + ty.slot_width();
        if end > MAX_FRAME_SLOTS {
            return Err(limit("function frame too large"));
        }
        Ok(slot as Slot)
    }

    /// The first free slot above the entries `0..height`.
    fn slot_at_height(&self, height: usize) -> u32 {
        match height.checked_sub(1) {
            None => self.local_slots,
            Some(i) => self.stack[i].slot as u32 + self.stack[i].ty.slot_width(),
        }
    }

    fn note_frame_use(&mut self, end: u32) -> Result<()> {
        if end > MAX_FRAME_SLOTS {
            return Err(limit("function frame too large"));
        }
        self.frame_slots = self.frame_slots.max(end);
        Ok(())
    }

    fn push(&mut self, ty: ValType, kind: Kind) -> Result<Slot> {
        let slot = self.next_slot(ty)?;
        self.note_frame_use(slot as u32 + ty.slot_width())?;
        if matches!(kind, Kind::Local(_)) {
            self.local_operands += 1;
        }
        self.stack.push(Entry { ty, slot, kind });
        Ok(slot)
    }

    /// Pushes a temp produced by the instruction just emitted.
    fn push_def(&mut self, ty: ValType, instr_index: usize) -> Result<()> {
        self.push(ty, Kind::Temp)?;
        self.last_def = Some(instr_index);
        Ok(())
    }

    fn pop(&mut self) -> Entry {
        let entry = self
            .stack
            .pop()
            .expect("validated: operand stack underflow");
        if matches!(entry.kind, Kind::Local(_)) {
            self.local_operands -= 1;
        }
        entry
    }

    /// Copies `entry`'s value into `dst` (if it is not already there).
    fn emit_copy_to(&mut self, dst: Slot, entry: Entry) {
        let instr = match entry.kind {
            Kind::Temp if entry.slot == dst => return,
            Kind::Local(src) if src == dst => return,
            Kind::Temp => copy_instr(entry.ty, dst, entry.slot),
            Kind::Local(src) => copy_instr(entry.ty, dst, src),
            Kind::Const(bits) => const_instr(dst, bits),
            Kind::Const128(index) => Instr::Const128 { dst, index },
        };
        self.emit(instr);
    }

    /// Makes stack entry `i` a temp in its positional slot.
    fn materialize(&mut self, i: usize) {
        let entry = self.stack[i];
        if entry.kind == Kind::Temp {
            return;
        }
        self.emit_copy_to(entry.slot, entry);
        if matches!(entry.kind, Kind::Local(_)) {
            self.local_operands -= 1;
        }
        self.stack[i].kind = Kind::Temp;
    }

    /// Materializes every stack entry that reads local slot `slot` (before
    /// the local is written).
    fn materialize_local_reads(&mut self, slot: Slot) {
        if self.local_operands == 0 {
            return;
        }
        for i in 0..self.stack.len() {
            if self.stack[i].kind == Kind::Local(slot) {
                self.materialize(i);
            }
        }
    }

    /// The slot holding `entry`'s value, materializing constants into the
    /// entry's positional slot.
    fn slot_of(&mut self, entry: Entry) -> Slot {
        match entry.kind {
            Kind::Temp => entry.slot,
            Kind::Local(slot) => slot,
            Kind::Const(_) | Kind::Const128(_) => {
                self.emit_copy_to(entry.slot, entry);
                entry.slot
            }
        }
    }

    /// Emits copies that move `srcs` into the slots `dsts` (same length) as
    /// if all happened at once.
    fn emit_parallel_copy(&mut self, dsts: &[Slot], srcs: &[Entry]) -> Result<()> {
        let reads = |e: &Entry| match e.kind {
            Kind::Temp => Some((e.slot, e.ty.slot_width() as u16)),
            Kind::Local(s) => Some((s, e.ty.slot_width() as u16)),
            _ => None,
        };
        let overlaps = |a: (Slot, u16), b: (Slot, u16)| a.0 < b.0 + b.1 && b.0 < a.0 + a.1;
        let mut hazard = false;
        for (i, (&dst, src)) in dsts.iter().zip(srcs).enumerate() {
            let written = (dst, src.ty.slot_width() as u16);
            if srcs[i + 1..]
                .iter()
                .filter_map(reads)
                .any(|r| overlaps(written, r))
            {
                hazard = true;
                break;
            }
        }
        if !hazard {
            for (&dst, &src) in dsts.iter().zip(srcs) {
                self.emit_copy_to(dst, src);
            }
            return Ok(());
        }
        // Stage every value above the operand stack first.
        let mut scratch = self.slot_at_height(self.stack.len());
        let mut staged = Vec::with_capacity(srcs.len());
        for &src in srcs {
            scratch = align_for(scratch, src.ty);
            let slot = scratch as Slot;
            scratch += src.ty.slot_width();
            self.note_frame_use(scratch)?;
            self.emit_copy_to(slot, src);
            staged.push(Entry {
                ty: src.ty,
                slot,
                kind: Kind::Temp,
            });
        }
        for (&dst, &src) in dsts.iter().zip(&staged) {
            self.emit_copy_to(dst, src);
        }
        Ok(())
    }

    // ---- control ----

    fn block_types(&self, ty: wasmparser::BlockType) -> (Vec<ValType>, Vec<ValType>) {
        match ty {
            wasmparser::BlockType::Empty => (Vec::new(), Vec::new()),
            wasmparser::BlockType::Type(t) => (
                Vec::new(),
                vec![ValType::from_wasmparser(t).unwrap_or(ValType::I32)],
            ),
            wasmparser::BlockType::FuncType(index) => {
                let ty = &self.module.types[index as usize];
                (ty.params().to_vec(), ty.results().to_vec())
            }
        }
    }

    /// Slots that values of `types` take when laid out from `base`.
    fn layout(base: u32, types: &[ValType]) -> Vec<Slot> {
        let mut slot = base;
        types
            .iter()
            .map(|&ty| {
                slot = align_for(slot, ty);
                let s = slot as Slot;
                slot += ty.slot_width();
                s
            })
            .collect()
    }

    /// Copies the top `types.len()` entries into the label slots of control
    /// frame `depth` (0 = innermost), leaving the stack unchanged.
    fn copy_to_label(&mut self, depth: usize) -> Result<()> {
        let control = &self.controls[self.controls.len() - 1 - depth];
        let types = control.label_types.clone();
        let dsts = Self::layout(control.label_base as u32, &types);
        if let Some(&last) = dsts.last() {
            self.note_frame_use(last as u32 + types[types.len() - 1].slot_width())?;
        }
        let srcs: Vec<Entry> = self.stack[self.stack.len() - types.len()..].to_vec();
        self.emit_parallel_copy(&dsts, &srcs)
    }

    /// Whether a branch to frame `depth` needs no copies.
    fn label_values_in_place(&self, depth: usize) -> bool {
        let control = &self.controls[self.controls.len() - 1 - depth];
        let n = control.label_types.len();
        let dsts = Self::layout(control.label_base as u32, &control.label_types);
        self.stack[self.stack.len() - n..]
            .iter()
            .zip(dsts)
            .all(|(e, d)| e.kind == Kind::Temp && e.slot == d)
    }

    fn label_of(&mut self, depth: usize) -> LabelId {
        let i = self.controls.len() - 1 - depth;
        self.controls[i].label_used = true;
        self.controls[i].label
    }

    /// Unconditional branch to frame `depth` with its values.
    fn branch_to(&mut self, depth: usize) -> Result<()> {
        if depth == self.controls.len() - 1 {
            return self.emit_return();
        }
        self.copy_to_label(depth)?;
        let label = self.label_of(depth);
        self.emit_branch(Instr::Br { jump: 0 }, label);
        Ok(())
    }

    fn emit_return(&mut self) -> Result<()> {
        let types = self.result_types.clone();
        let srcs: Vec<Entry> = self.stack[self.stack.len() - types.len()..].to_vec();
        if let [src] = srcs[..]
            && src.ty != ValType::V128
            && !matches!(src.kind, Kind::Const(_))
        {
            let slot = self.slot_of(src);
            self.emit(Instr::ReturnSlot { src: slot });
            return Ok(());
        }
        let dsts = Self::layout(0, &types);
        self.emit_parallel_copy(&dsts, &srcs)?;
        self.emit(Instr::Return {});
        Ok(())
    }

    /// Marks the rest of the current block unreachable.
    fn set_unreachable(&mut self) {
        let height = self.controls.last().map_or(0, |c| c.height);
        while self.stack.len() > height {
            self.pop();
        }
        self.reachable = false;
        self.last_def = None;
    }

    /// Drops everything above a new block's parameters and materializes them.
    fn enter_block(
        &mut self,
        kind: ControlKind,
        params: Vec<ValType>,
        results: Vec<ValType>,
    ) -> Result<()> {
        let height = self.stack.len() - params.len();
        for i in height..self.stack.len() {
            self.materialize(i);
        }
        let label_base = self.slot_at_height(height) as Slot;
        let label_types = if kind == ControlKind::Loop {
            params.clone()
        } else {
            results.clone()
        };
        let label = self.new_label();
        if let Some(&last) = Self::layout(label_base as u32, &label_types).last() {
            self.note_frame_use(last as u32 + 2)?;
        }
        self.controls.push(Control {
            kind,
            height,
            label_types,
            params,
            results,
            label_base,
            label,
            hidden_params: 0,
            label_used: false,
            then_reachable: false,
        });
        Ok(())
    }

    /// `end` or `else` of the innermost frame when code before it was
    /// reachable: moves the results into the label slots.
    fn fallthrough_values(&mut self) -> Result<()> {
        let n = self.controls.last().unwrap().results.len();
        let control = self.controls.last().unwrap();
        let dsts = Self::layout(control.label_base as u32, &control.results);
        let srcs: Vec<Entry> = self.stack[self.stack.len() - n..].to_vec();
        self.emit_parallel_copy(&dsts, &srcs)
    }

    fn pop_to_height(&mut self, height: usize) {
        while self.stack.len() > height {
            self.pop();
        }
    }

    fn push_temps(&mut self, types: &[ValType]) -> Result<()> {
        for &ty in types {
            self.push(ty, Kind::Temp)?;
        }
        Ok(())
    }
}

/// The first slot at or after `slot` where a value of `ty` may start.
fn align_for(slot: u32, ty: ValType) -> u32 {
    if ty == ValType::V128 {
        (slot + 1) & !1
    } else {
        slot
    }
}

fn layout_width(base: u32, types: &[ValType]) -> u32 {
    let mut slot = base;
    for &ty in types {
        slot = align_for(slot, ty) + ty.slot_width();
    }
    slot
}

fn copy_instr(ty: ValType, dst: Slot, src: Slot) -> Instr {
    if ty == ValType::V128 {
        Instr::Copy128 { dst, src }
    } else {
        Instr::Copy { dst, src }
    }
}

fn const_instr(dst: Slot, bits: u64) -> Instr {
    if bits >> 32 == 0 {
        Instr::Const32 {
            dst,
            imm: bits as u32,
        }
    } else {
        Instr::Const64 {
            dst,
            lo: bits as u32,
            hi: (bits >> 32) as u32,
        }
    }
}

/// Sets the branch offset of a branch instruction.
pub(crate) fn set_offset(instr: &mut Instr, value: i32) {
    macro_rules! patch {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ty),* } )*) => {
            match instr {
                $( Instr::$name { $($field),* } => { $( let _ = &$field; )* patch!(@pick value; $(($field $field))*) } )*
            }
        };
        (@pick $v:ident; (jump $o:ident) $($rest:tt)*) => { *$o = $v };
        (@pick $v:ident; ($first:ident $f:ident) $($rest:tt)*) => { patch!(@pick $v; $($rest)*) };
        (@pick $v:ident;) => { unreachable!("not a branch") };
    }
    crate::for_each_instr!(patch)
}
