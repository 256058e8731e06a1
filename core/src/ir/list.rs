//! The one list of Ember's register-IR instructions. Everything that needs
//! the instruction set (the `Instr` enum, its names and its disassembly, the
//! interpreter's exhaustive dispatch, the JITs) is derived from this macro.
//!
//! Naming grammar: `<type>_<op>[_<variant>]` in CamelCase, where the type is
//! the Wasm type of the operation (`I32Add`), a trailing `Imm` means the
//! last operand is an immediate instead of a slot (`I32AddImm`), a leading
//! `Br` marks a branch fused with the comparison that follows it
//! (`BrI32LtS` jumps when `a < b`). Field names: `dst` is the slot written,
//! `a`/`b`/`src` are slots read, `imm` an immediate, `offset` a memory
//! offset, `jump` a branch distance counted in instructions from the branch
//! itself. A taken branch with `jump <= 0` is a loop back-edge: it
//! checks the store's interrupt flag (when the engine is interruptible).

/// Calls `$mac!` with every instruction as `Name { field: Type, ... }`, each
/// preceded by its doc comment.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_instr {
    ($mac:ident) => {
        $mac! {
            // ---- moves and constants ----
            /// `dst = src` (one slot).
            Copy { dst: Slot, src: Slot }
            /// `dst, dst+1 = src, src+1` (a `v128`).
            Copy128 { dst: Slot, src: Slot }
            /// `dst = imm` (32 bits, zero-extended).
            Const32 { dst: Slot, imm: u32 }
            /// `dst = hi << 32 | lo`.
            Const64 { dst: Slot, lo: u32, hi: u32 }
            /// `dst, dst+1 = v128 constant number `index` of the function.
            Const128 { dst: Slot, index: u32 }
            /// `dst = cond != 0 ? a : b` (one slot).
            Select { dst: Slot, cond: Slot, a: Slot, b: Slot }
            /// `dst = cond != 0 ? a : b` (a `v128`).
            Select128 { dst: Slot, cond: Slot, a: Slot, b: Slot }

            /// A SIMD instruction (see `SimdInstr`).
            Simd { op: SimdInstr }

            // ---- control ----
            /// Trap with `code`.
            Trap { code: TrapCode }
            /// Jump by `jump`.
            Br { jump: i32 }
            /// Jump by `jump` if the i32 in `cond` is not zero.
            BrIfNez { cond: Slot, jump: i32 }
            /// Jump by `jump` if the i32 in `cond` is zero.
            BrIfEqz { cond: Slot, jump: i32 }
            /// Jump to entry `min(index, len)` of the `len + 1` `Br`
            /// instructions that follow.
            BrTable { index: Slot, len: u32 }
            /// Return; the results are already in slots `0..`.
            Return {}
            /// Copy one slot to slot 0 and return.
            ReturnSlot { src: Slot }
            /// Call function `func` of the instance; its frame starts at slot
            /// `base` of this frame, where the arguments are and where the
            /// results will be.
            Call { func: u32, base: Slot }
            /// Call the function at entry `index` of table `table`, which must
            /// have the module's type `type_index`; frame as for `Call`.
            CallIndirect { base: Slot, index: Slot, table: u16, type_index: u32 }
            /// Charge `amount` units of fuel (emitted only with fuel on).
            ConsumeFuel { amount: u32 }

            // ---- fused compare-and-branch (i32, i64) ----
            BrI32Eq { a: Slot, b: Slot, jump: i32 }
            BrI32Ne { a: Slot, b: Slot, jump: i32 }
            BrI32LtS { a: Slot, b: Slot, jump: i32 }
            BrI32LtU { a: Slot, b: Slot, jump: i32 }
            BrI32GtS { a: Slot, b: Slot, jump: i32 }
            BrI32GtU { a: Slot, b: Slot, jump: i32 }
            BrI32LeS { a: Slot, b: Slot, jump: i32 }
            BrI32LeU { a: Slot, b: Slot, jump: i32 }
            BrI32GeS { a: Slot, b: Slot, jump: i32 }
            BrI32GeU { a: Slot, b: Slot, jump: i32 }
            BrI32EqImm { a: Slot, imm: i32, jump: i32 }
            BrI32NeImm { a: Slot, imm: i32, jump: i32 }
            BrI32LtSImm { a: Slot, imm: i32, jump: i32 }
            BrI32LtUImm { a: Slot, imm: i32, jump: i32 }
            BrI32GtSImm { a: Slot, imm: i32, jump: i32 }
            BrI32GtUImm { a: Slot, imm: i32, jump: i32 }
            BrI32LeSImm { a: Slot, imm: i32, jump: i32 }
            BrI32LeUImm { a: Slot, imm: i32, jump: i32 }
            BrI32GeSImm { a: Slot, imm: i32, jump: i32 }
            BrI32GeUImm { a: Slot, imm: i32, jump: i32 }
            BrI64Eq { a: Slot, b: Slot, jump: i32 }
            BrI64Ne { a: Slot, b: Slot, jump: i32 }
            BrI64LtS { a: Slot, b: Slot, jump: i32 }
            BrI64LtU { a: Slot, b: Slot, jump: i32 }
            BrI64GtS { a: Slot, b: Slot, jump: i32 }
            BrI64GtU { a: Slot, b: Slot, jump: i32 }
            BrI64LeS { a: Slot, b: Slot, jump: i32 }
            BrI64LeU { a: Slot, b: Slot, jump: i32 }
            BrI64GeS { a: Slot, b: Slot, jump: i32 }
            BrI64GeU { a: Slot, b: Slot, jump: i32 }
            BrI64EqImm { a: Slot, imm: i32, jump: i32 }
            BrI64NeImm { a: Slot, imm: i32, jump: i32 }
            BrI64LtSImm { a: Slot, imm: i32, jump: i32 }
            BrI64LtUImm { a: Slot, imm: i32, jump: i32 }
            BrI64GtSImm { a: Slot, imm: i32, jump: i32 }
            BrI64GtUImm { a: Slot, imm: i32, jump: i32 }
            BrI64LeSImm { a: Slot, imm: i32, jump: i32 }
            BrI64LeUImm { a: Slot, imm: i32, jump: i32 }
            BrI64GeSImm { a: Slot, imm: i32, jump: i32 }
            BrI64GeUImm { a: Slot, imm: i32, jump: i32 }

            // ---- i32 arithmetic ----
            I32Add { dst: Slot, a: Slot, b: Slot }
            I32Sub { dst: Slot, a: Slot, b: Slot }
            I32Mul { dst: Slot, a: Slot, b: Slot }
            I32DivS { dst: Slot, a: Slot, b: Slot }
            I32DivU { dst: Slot, a: Slot, b: Slot }
            I32RemS { dst: Slot, a: Slot, b: Slot }
            I32RemU { dst: Slot, a: Slot, b: Slot }
            I32And { dst: Slot, a: Slot, b: Slot }
            I32Or { dst: Slot, a: Slot, b: Slot }
            I32Xor { dst: Slot, a: Slot, b: Slot }
            I32Shl { dst: Slot, a: Slot, b: Slot }
            I32ShrS { dst: Slot, a: Slot, b: Slot }
            I32ShrU { dst: Slot, a: Slot, b: Slot }
            I32Rotl { dst: Slot, a: Slot, b: Slot }
            I32Rotr { dst: Slot, a: Slot, b: Slot }
            I32Eq { dst: Slot, a: Slot, b: Slot }
            I32Ne { dst: Slot, a: Slot, b: Slot }
            I32LtS { dst: Slot, a: Slot, b: Slot }
            I32LtU { dst: Slot, a: Slot, b: Slot }
            I32GtS { dst: Slot, a: Slot, b: Slot }
            I32GtU { dst: Slot, a: Slot, b: Slot }
            I32LeS { dst: Slot, a: Slot, b: Slot }
            I32LeU { dst: Slot, a: Slot, b: Slot }
            I32GeS { dst: Slot, a: Slot, b: Slot }
            I32GeU { dst: Slot, a: Slot, b: Slot }
            I32AddImm { dst: Slot, a: Slot, imm: i32 }
            I32SubImm { dst: Slot, a: Slot, imm: i32 }
            I32MulImm { dst: Slot, a: Slot, imm: i32 }
            I32DivSImm { dst: Slot, a: Slot, imm: i32 }
            I32DivUImm { dst: Slot, a: Slot, imm: i32 }
            I32RemSImm { dst: Slot, a: Slot, imm: i32 }
            I32RemUImm { dst: Slot, a: Slot, imm: i32 }
            I32AndImm { dst: Slot, a: Slot, imm: i32 }
            I32OrImm { dst: Slot, a: Slot, imm: i32 }
            I32XorImm { dst: Slot, a: Slot, imm: i32 }
            I32ShlImm { dst: Slot, a: Slot, imm: i32 }
            I32ShrSImm { dst: Slot, a: Slot, imm: i32 }
            I32ShrUImm { dst: Slot, a: Slot, imm: i32 }
            I32RotlImm { dst: Slot, a: Slot, imm: i32 }
            I32RotrImm { dst: Slot, a: Slot, imm: i32 }
            I32EqImm { dst: Slot, a: Slot, imm: i32 }
            I32NeImm { dst: Slot, a: Slot, imm: i32 }
            I32LtSImm { dst: Slot, a: Slot, imm: i32 }
            I32LtUImm { dst: Slot, a: Slot, imm: i32 }
            I32GtSImm { dst: Slot, a: Slot, imm: i32 }
            I32GtUImm { dst: Slot, a: Slot, imm: i32 }
            I32LeSImm { dst: Slot, a: Slot, imm: i32 }
            I32LeUImm { dst: Slot, a: Slot, imm: i32 }
            I32GeSImm { dst: Slot, a: Slot, imm: i32 }
            I32GeUImm { dst: Slot, a: Slot, imm: i32 }
            I32Eqz { dst: Slot, src: Slot }
            I32Clz { dst: Slot, src: Slot }
            I32Ctz { dst: Slot, src: Slot }
            I32Popcnt { dst: Slot, src: Slot }
            I32Extend8S { dst: Slot, src: Slot }
            I32Extend16S { dst: Slot, src: Slot }

            // ---- i64 arithmetic (immediates are sign-extended i32) ----
            I64Add { dst: Slot, a: Slot, b: Slot }
            I64Sub { dst: Slot, a: Slot, b: Slot }
            I64Mul { dst: Slot, a: Slot, b: Slot }
            I64DivS { dst: Slot, a: Slot, b: Slot }
            I64DivU { dst: Slot, a: Slot, b: Slot }
            I64RemS { dst: Slot, a: Slot, b: Slot }
            I64RemU { dst: Slot, a: Slot, b: Slot }
            I64And { dst: Slot, a: Slot, b: Slot }
            I64Or { dst: Slot, a: Slot, b: Slot }
            I64Xor { dst: Slot, a: Slot, b: Slot }
            I64Shl { dst: Slot, a: Slot, b: Slot }
            I64ShrS { dst: Slot, a: Slot, b: Slot }
            I64ShrU { dst: Slot, a: Slot, b: Slot }
            I64Rotl { dst: Slot, a: Slot, b: Slot }
            I64Rotr { dst: Slot, a: Slot, b: Slot }
            I64Eq { dst: Slot, a: Slot, b: Slot }
            I64Ne { dst: Slot, a: Slot, b: Slot }
            I64LtS { dst: Slot, a: Slot, b: Slot }
            I64LtU { dst: Slot, a: Slot, b: Slot }
            I64GtS { dst: Slot, a: Slot, b: Slot }
            I64GtU { dst: Slot, a: Slot, b: Slot }
            I64LeS { dst: Slot, a: Slot, b: Slot }
            I64LeU { dst: Slot, a: Slot, b: Slot }
            I64GeS { dst: Slot, a: Slot, b: Slot }
            I64GeU { dst: Slot, a: Slot, b: Slot }
            I64AddImm { dst: Slot, a: Slot, imm: i32 }
            I64SubImm { dst: Slot, a: Slot, imm: i32 }
            I64MulImm { dst: Slot, a: Slot, imm: i32 }
            I64DivSImm { dst: Slot, a: Slot, imm: i32 }
            I64DivUImm { dst: Slot, a: Slot, imm: i32 }
            I64RemSImm { dst: Slot, a: Slot, imm: i32 }
            I64RemUImm { dst: Slot, a: Slot, imm: i32 }
            I64AndImm { dst: Slot, a: Slot, imm: i32 }
            I64OrImm { dst: Slot, a: Slot, imm: i32 }
            I64XorImm { dst: Slot, a: Slot, imm: i32 }
            I64ShlImm { dst: Slot, a: Slot, imm: i32 }
            I64ShrSImm { dst: Slot, a: Slot, imm: i32 }
            I64ShrUImm { dst: Slot, a: Slot, imm: i32 }
            I64RotlImm { dst: Slot, a: Slot, imm: i32 }
            I64RotrImm { dst: Slot, a: Slot, imm: i32 }
            I64EqImm { dst: Slot, a: Slot, imm: i32 }
            I64NeImm { dst: Slot, a: Slot, imm: i32 }
            I64LtSImm { dst: Slot, a: Slot, imm: i32 }
            I64LtUImm { dst: Slot, a: Slot, imm: i32 }
            I64GtSImm { dst: Slot, a: Slot, imm: i32 }
            I64GtUImm { dst: Slot, a: Slot, imm: i32 }
            I64LeSImm { dst: Slot, a: Slot, imm: i32 }
            I64LeUImm { dst: Slot, a: Slot, imm: i32 }
            I64GeSImm { dst: Slot, a: Slot, imm: i32 }
            I64GeUImm { dst: Slot, a: Slot, imm: i32 }
            I64Eqz { dst: Slot, src: Slot }
            I64Clz { dst: Slot, src: Slot }
            I64Ctz { dst: Slot, src: Slot }
            I64Popcnt { dst: Slot, src: Slot }
            I64Extend8S { dst: Slot, src: Slot }
            I64Extend16S { dst: Slot, src: Slot }
            I64Extend32S { dst: Slot, src: Slot }

            // ---- f32 / f64 arithmetic ----
            F32Add { dst: Slot, a: Slot, b: Slot }
            F32Sub { dst: Slot, a: Slot, b: Slot }
            F32Mul { dst: Slot, a: Slot, b: Slot }
            F32Div { dst: Slot, a: Slot, b: Slot }
            F32Min { dst: Slot, a: Slot, b: Slot }
            F32Max { dst: Slot, a: Slot, b: Slot }
            F32Copysign { dst: Slot, a: Slot, b: Slot }
            F32Eq { dst: Slot, a: Slot, b: Slot }
            F32Ne { dst: Slot, a: Slot, b: Slot }
            F32Lt { dst: Slot, a: Slot, b: Slot }
            F32Gt { dst: Slot, a: Slot, b: Slot }
            F32Le { dst: Slot, a: Slot, b: Slot }
            F32Ge { dst: Slot, a: Slot, b: Slot }
            F32Abs { dst: Slot, src: Slot }
            F32Neg { dst: Slot, src: Slot }
            F32Ceil { dst: Slot, src: Slot }
            F32Floor { dst: Slot, src: Slot }
            F32Trunc { dst: Slot, src: Slot }
            F32Nearest { dst: Slot, src: Slot }
            F32Sqrt { dst: Slot, src: Slot }
            F64Add { dst: Slot, a: Slot, b: Slot }
            F64Sub { dst: Slot, a: Slot, b: Slot }
            F64Mul { dst: Slot, a: Slot, b: Slot }
            F64Div { dst: Slot, a: Slot, b: Slot }
            F64Min { dst: Slot, a: Slot, b: Slot }
            F64Max { dst: Slot, a: Slot, b: Slot }
            F64Copysign { dst: Slot, a: Slot, b: Slot }
            F64Eq { dst: Slot, a: Slot, b: Slot }
            F64Ne { dst: Slot, a: Slot, b: Slot }
            F64Lt { dst: Slot, a: Slot, b: Slot }
            F64Gt { dst: Slot, a: Slot, b: Slot }
            F64Le { dst: Slot, a: Slot, b: Slot }
            F64Ge { dst: Slot, a: Slot, b: Slot }
            F64Abs { dst: Slot, src: Slot }
            F64Neg { dst: Slot, src: Slot }
            F64Ceil { dst: Slot, src: Slot }
            F64Floor { dst: Slot, src: Slot }
            F64Trunc { dst: Slot, src: Slot }
            F64Nearest { dst: Slot, src: Slot }
            F64Sqrt { dst: Slot, src: Slot }

            // ---- conversions (reinterpretations are plain copies) ----
            I32WrapI64 { dst: Slot, src: Slot }
            I64ExtendI32S { dst: Slot, src: Slot }
            I64ExtendI32U { dst: Slot, src: Slot }
            I32TruncF32S { dst: Slot, src: Slot }
            I32TruncF32U { dst: Slot, src: Slot }
            I32TruncF64S { dst: Slot, src: Slot }
            I32TruncF64U { dst: Slot, src: Slot }
            I64TruncF32S { dst: Slot, src: Slot }
            I64TruncF32U { dst: Slot, src: Slot }
            I64TruncF64S { dst: Slot, src: Slot }
            I64TruncF64U { dst: Slot, src: Slot }
            I32TruncSatF32S { dst: Slot, src: Slot }
            I32TruncSatF32U { dst: Slot, src: Slot }
            I32TruncSatF64S { dst: Slot, src: Slot }
            I32TruncSatF64U { dst: Slot, src: Slot }
            I64TruncSatF32S { dst: Slot, src: Slot }
            I64TruncSatF32U { dst: Slot, src: Slot }
            I64TruncSatF64S { dst: Slot, src: Slot }
            I64TruncSatF64U { dst: Slot, src: Slot }
            F32ConvertI32S { dst: Slot, src: Slot }
            F32ConvertI32U { dst: Slot, src: Slot }
            F32ConvertI64S { dst: Slot, src: Slot }
            F32ConvertI64U { dst: Slot, src: Slot }
            F64ConvertI32S { dst: Slot, src: Slot }
            F64ConvertI32U { dst: Slot, src: Slot }
            F64ConvertI64S { dst: Slot, src: Slot }
            F64ConvertI64U { dst: Slot, src: Slot }
            F32DemoteF64 { dst: Slot, src: Slot }
            F64PromoteF32 { dst: Slot, src: Slot }

            // ---- memory 0 (effective address = addr + offset) ----
            I32Load { dst: Slot, addr: Slot, offset: u32 }
            I64Load { dst: Slot, addr: Slot, offset: u32 }
            I32Load8S { dst: Slot, addr: Slot, offset: u32 }
            I32Load8U { dst: Slot, addr: Slot, offset: u32 }
            I32Load16S { dst: Slot, addr: Slot, offset: u32 }
            I32Load16U { dst: Slot, addr: Slot, offset: u32 }
            I64Load8S { dst: Slot, addr: Slot, offset: u32 }
            I64Load8U { dst: Slot, addr: Slot, offset: u32 }
            I64Load16S { dst: Slot, addr: Slot, offset: u32 }
            I64Load16U { dst: Slot, addr: Slot, offset: u32 }
            I64Load32S { dst: Slot, addr: Slot, offset: u32 }
            I64Load32U { dst: Slot, addr: Slot, offset: u32 }
            V128Load { dst: Slot, addr: Slot, offset: u32 }
            I32Store { addr: Slot, src: Slot, offset: u32 }
            I64Store { addr: Slot, src: Slot, offset: u32 }
            I32Store8 { addr: Slot, src: Slot, offset: u32 }
            I32Store16 { addr: Slot, src: Slot, offset: u32 }
            I64Store32 { addr: Slot, src: Slot, offset: u32 }
            V128Store { addr: Slot, src: Slot, offset: u32 }
            MemorySize { dst: Slot }
            MemoryGrow { dst: Slot, delta: Slot }
            MemoryFill { dst: Slot, value: Slot, len: Slot }
            MemoryCopy { dst: Slot, src: Slot, len: Slot }
            MemoryInit { dst: Slot, src: Slot, len: Slot, data: u32 }
            DataDrop { data: u32 }

            // ---- globals, tables, references ----
            GlobalGet { dst: Slot, global: u32 }
            GlobalSet { src: Slot, global: u32 }
            GlobalGet128 { dst: Slot, global: u32 }
            GlobalSet128 { src: Slot, global: u32 }
            TableGet { dst: Slot, index: Slot, table: u32 }
            TableSet { index: Slot, value: Slot, table: u32 }
            TableSize { dst: Slot, table: u32 }
            TableGrow { dst: Slot, init: Slot, delta: Slot, table: u16 }
            TableFill { dst: Slot, value: Slot, len: Slot, table: u16 }
            TableCopy { dst: Slot, src: Slot, len: Slot, dst_table: u16, src_table: u16 }
            TableInit { dst: Slot, src: Slot, len: Slot, table: u16, elem: u16 }
            ElemDrop { elem: u32 }
            RefFunc { dst: Slot, func: u32 }
        }
    };
}
