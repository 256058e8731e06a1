//! Shared test harness: assembles with the encoder, decodes and formats with
//! iced-x86 (the independent oracle), and checks tables of
//! (call, bytes, Intel syntax) rows.

#![allow(dead_code)]

pub mod random;

use std::fmt::Write as _;

use ember_core::VecCodeBuffer;
use ember_jit_x64::{Assembler, Gpr, Size, Xmm};
use iced_x86::{
    Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter, MemorySizeOptions, OpKind,
    Register,
};

pub type Asm<'a> = Assembler<'a, VecCodeBuffer>;

/// One table row: the encoder call (as text and as code), the expected
/// bytes in hex, and the expected Intel syntax (instructions joined by
/// `"; "`).
pub struct Row {
    pub call: &'static str,
    pub emit: fn(&mut Asm<'_>),
    pub hex: &'static str,
    pub asm: &'static str,
}

/// Builds a `&[Row]`: `method(args) => "hex", "asm";` per row.
#[macro_export]
macro_rules! rows {
    ($( $method:ident ( $($arg:expr),* $(,)? ) => $hex:literal, $asm:literal; )*) => {
        &[$(
            common::Row {
                call: concat!(stringify!($method), "(", stringify!($($arg),*), ")"),
                emit: |a| { a.$method($($arg),*); },
                hex: $hex,
                asm: $asm,
            },
        )*]
    };
}

/// Runs `emit` on a fresh assembler, checks `finish`, returns the buffer.
pub fn assemble(emit: impl FnOnce(&mut Asm<'_>)) -> VecCodeBuffer {
    let mut buf = VecCodeBuffer::new();
    let mut asm = Assembler::new(&mut buf);
    emit(&mut asm);
    asm.finish().expect("finish");
    buf
}

pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write!(out, "{b:02x}").unwrap();
    }
    out
}

pub fn formatter() -> IntelFormatter {
    let mut f = IntelFormatter::new();
    let o = f.options_mut();
    o.set_space_after_operand_separator(true);
    o.set_hex_prefix("0x");
    o.set_hex_suffix("");
    o.set_uppercase_hex(false);
    o.set_memory_size_options(MemorySizeOptions::Always);
    o.set_rip_relative_addresses(true);
    o.set_branch_leading_zeros(false);
    o.set_signed_immediate_operands(true);
    f
}

/// Decodes all of `bytes` (at address 0) into instructions; panics on an
/// invalid encoding.
pub fn decode_all(bytes: &[u8]) -> Vec<Instruction> {
    let mut decoder = Decoder::with_ip(64, bytes, 0, DecoderOptions::NONE);
    let mut out = Vec::new();
    while decoder.can_decode() {
        let inst = decoder.decode();
        assert!(
            !inst.is_invalid(),
            "iced cannot decode [{}] at {:#x}",
            hex(bytes),
            inst.ip()
        );
        out.push(inst);
    }
    out
}

/// The Intel syntax of `bytes`, instructions joined by `"; "`.
pub fn disassemble(bytes: &[u8]) -> String {
    let mut f = formatter();
    let mut out = String::new();
    for (i, inst) in decode_all(bytes).iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        f.format(inst, &mut out);
    }
    out
}

/// Checks every row: bytes as expected, and iced's reading of them as
/// expected. Reports all failing rows at once.
pub fn check_table(family: &str, rows: &[Row]) {
    let mut failures = String::new();
    for row in rows {
        let buf = assemble(row.emit);
        let got_hex = hex(&buf.bytes);
        let got_asm = disassemble(&buf.bytes);
        if got_hex != row.hex || got_asm != row.asm {
            writeln!(
                failures,
                "{}\n   expected: {:<40} {}\n   got:      {:<40} {}",
                row.call, row.hex, row.asm, got_hex, got_asm
            )
            .unwrap();
        }
    }
    assert!(
        failures.is_empty(),
        "{family}: rows differ from the expectation:\n{failures}"
    );
}

// ---- register names as iced knows them ----

const R8: [Register; 16] = [
    Register::AL,
    Register::CL,
    Register::DL,
    Register::BL,
    Register::SPL,
    Register::BPL,
    Register::SIL,
    Register::DIL,
    Register::R8L,
    Register::R9L,
    Register::R10L,
    Register::R11L,
    Register::R12L,
    Register::R13L,
    Register::R14L,
    Register::R15L,
];
const R16: [Register; 16] = [
    Register::AX,
    Register::CX,
    Register::DX,
    Register::BX,
    Register::SP,
    Register::BP,
    Register::SI,
    Register::DI,
    Register::R8W,
    Register::R9W,
    Register::R10W,
    Register::R11W,
    Register::R12W,
    Register::R13W,
    Register::R14W,
    Register::R15W,
];
const R32: [Register; 16] = [
    Register::EAX,
    Register::ECX,
    Register::EDX,
    Register::EBX,
    Register::ESP,
    Register::EBP,
    Register::ESI,
    Register::EDI,
    Register::R8D,
    Register::R9D,
    Register::R10D,
    Register::R11D,
    Register::R12D,
    Register::R13D,
    Register::R14D,
    Register::R15D,
];
const R64: [Register; 16] = [
    Register::RAX,
    Register::RCX,
    Register::RDX,
    Register::RBX,
    Register::RSP,
    Register::RBP,
    Register::RSI,
    Register::RDI,
    Register::R8,
    Register::R9,
    Register::R10,
    Register::R11,
    Register::R12,
    Register::R13,
    Register::R14,
    Register::R15,
];
const XMM: [Register; 16] = [
    Register::XMM0,
    Register::XMM1,
    Register::XMM2,
    Register::XMM3,
    Register::XMM4,
    Register::XMM5,
    Register::XMM6,
    Register::XMM7,
    Register::XMM8,
    Register::XMM9,
    Register::XMM10,
    Register::XMM11,
    Register::XMM12,
    Register::XMM13,
    Register::XMM14,
    Register::XMM15,
];

/// iced's name for `r` used at `size`.
pub fn gpr(size: Size, r: Gpr) -> Register {
    let i = r as usize;
    match size {
        Size::S8 => R8[i],
        Size::S16 => R16[i],
        Size::S32 => R32[i],
        Size::S64 => R64[i],
    }
}

pub fn xmm(x: Xmm) -> Register {
    XMM[x as usize]
}

// ---- decoded operands, for the randomized tests ----

/// An operand as decoded, in a form the tests can predict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    Reg(Register),
    /// `size` is the access width in bytes; `disp` for a RIP-relative
    /// operand is the absolute address (code decoded at address 0).
    Mem {
        base: Register,
        index: Register,
        scale: u32,
        disp: i64,
        size: usize,
    },
    /// An immediate, sign-extended from the width of its field.
    Imm(i64),
}

/// iced's operands of `inst`.
pub fn operands(inst: &Instruction) -> Vec<Operand> {
    (0..inst.op_count())
        .map(|i| match inst.op_kind(i) {
            OpKind::Register => Operand::Reg(inst.op_register(i)),
            OpKind::Memory => Operand::Mem {
                base: inst.memory_base(),
                index: inst.memory_index(),
                scale: inst.memory_index_scale(),
                disp: inst.memory_displacement64() as i64,
                size: inst.memory_size().size(),
            },
            OpKind::Immediate8 => Operand::Imm(i64::from(inst.immediate8() as i8)),
            OpKind::Immediate16 => Operand::Imm(i64::from(inst.immediate16() as i16)),
            OpKind::Immediate32 => Operand::Imm(i64::from(inst.immediate32() as i32)),
            OpKind::Immediate64 => Operand::Imm(inst.immediate64() as i64),
            OpKind::Immediate8to16 => Operand::Imm(i64::from(inst.immediate8to16())),
            OpKind::Immediate8to32 => Operand::Imm(i64::from(inst.immediate8to32())),
            OpKind::Immediate8to64 => Operand::Imm(inst.immediate8to64()),
            OpKind::Immediate32to64 => Operand::Imm(inst.immediate32to64()),
            other => panic!("unexpected operand kind {other:?}"),
        })
        .collect()
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn bool(&mut self) -> bool {
        self.next_u64() & 1 == 1
    }

    pub fn gpr(&mut self) -> Gpr {
        self.pick(&Gpr::ALL)
    }

    pub fn xmm(&mut self) -> Xmm {
        self.pick(&Xmm::ALL)
    }

    /// A value that is often at an encoding boundary (0, ±1, the `i8`
    /// limits and just past them, the `i32` limits), else random.
    pub fn interesting_i32(&mut self) -> i32 {
        match self.below(4) {
            0 => self.pick(&[
                0,
                1,
                -1,
                127,
                128,
                -128,
                -129,
                255,
                256,
                i32::MAX,
                i32::MIN,
                0x7fff,
                -0x8000,
            ]),
            1 => self.next_u64() as i8 as i32,
            2 => self.next_u64() as i16 as i32,
            _ => self.next_u64() as i32,
        }
    }
}
