//! Byte-level encoding of one instruction: operand-size and mandatory
//! prefixes, REX, the opcode map, ModRM, SIB, displacement and immediate.
//! Each instruction is built in a small array and handed to the code buffer
//! with one `put`.

use crate::label::Label;
use crate::mem::{Base, Mem};
use crate::regs::Size;

/// The opcode map (escape bytes before the opcode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Map {
    Primary,
    M0F,
    M0F38,
    M0F3A,
}

/// Prefixes and opcode of an instruction, and which operand fields name
/// 8-bit registers (those need a REX prefix for `spl`/`bpl`/`sil`/`dil`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Enc {
    op16: bool,
    mandatory: u8,
    w: bool,
    map: Map,
    opcode: u8,
    byte_reg: bool,
    byte_rm: bool,
}

impl Enc {
    /// A primary-map opcode with no prefixes.
    pub(crate) const fn new(opcode: u8) -> Enc {
        Enc {
            op16: false,
            mandatory: 0,
            w: false,
            map: Map::Primary,
            opcode,
            byte_reg: false,
            byte_rm: false,
        }
    }

    /// An opcode in map `map`.
    pub(crate) const fn in_map(opcode: u8, map: Map) -> Enc {
        Enc {
            map,
            ..Enc::new(opcode)
        }
    }

    /// A mandatory prefix (`0x66`, `0xf2` or `0xf3`).
    pub(crate) const fn prefix(self, mandatory: u8) -> Enc {
        Enc { mandatory, ..self }
    }

    /// Sets REX.W.
    pub(crate) const fn w(self, w: bool) -> Enc {
        Enc { w, ..self }
    }

    /// Operand size of a general-purpose instruction: `0x66` for 16 bits,
    /// REX.W for 64, and for 8 bits both register fields are byte registers.
    pub(crate) const fn size(self, size: Size) -> Enc {
        Enc {
            op16: matches!(size, Size::S16),
            w: matches!(size, Size::S64),
            byte_reg: matches!(size, Size::S8),
            byte_rm: matches!(size, Size::S8),
            ..self
        }
    }

    /// The `reg` field holds an opcode extension (`/digit`), not a register.
    pub(crate) const fn digit(self) -> Enc {
        Enc {
            byte_reg: false,
            ..self
        }
    }

    /// Marks a register in the `rm` field as an 8-bit register.
    pub(crate) const fn byte_rm(self, byte_rm: bool) -> Enc {
        Enc { byte_rm, ..self }
    }
}

/// The `rm` operand of a ModRM instruction.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rm {
    /// A register's hardware number (general-purpose or xmm).
    Reg(u8),
    Mem(Mem),
}

/// A RIP-relative displacement that refers to a label.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LabelDisp {
    pub(crate) label: Label,
    /// Position of the 4-byte field in the instruction.
    pub(crate) pos: u8,
    /// Bytes past the label.
    pub(crate) addend: i32,
}

/// One encoded instruction (x86 instructions are at most 15 bytes).
#[derive(Debug, Clone)]
pub(crate) struct Inst {
    bytes: [u8; 16],
    len: u8,
    pub(crate) label_disp: Option<LabelDisp>,
}

const fn needs_rex_as_byte(reg: u8) -> bool {
    4 <= reg && reg < 8
}

impl Inst {
    pub(crate) const fn new() -> Inst {
        Inst {
            bytes: [0; 16],
            len: 0,
            label_disp: None,
        }
    }

    /// Raw bytes, for instructions without operands.
    pub(crate) fn raw(bytes: &[u8]) -> Inst {
        let mut inst = Inst::new();
        for &b in bytes {
            inst.u8(b);
        }
        inst
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    pub(crate) fn u8(&mut self, byte: u8) {
        self.bytes[self.len as usize] = byte;
        self.len += 1;
    }

    pub(crate) fn u16(&mut self, value: u16) {
        for b in value.to_le_bytes() {
            self.u8(b);
        }
    }

    pub(crate) fn u32(&mut self, value: u32) {
        for b in value.to_le_bytes() {
            self.u8(b);
        }
    }

    pub(crate) fn u64(&mut self, value: u64) {
        for b in value.to_le_bytes() {
            self.u8(b);
        }
    }

    /// An immediate of the operation size: `ib`, `iw`, or `id` (64-bit
    /// operations take a sign-extended 32-bit immediate).
    pub(crate) fn imm(&mut self, size: Size, imm: i64) {
        match size {
            Size::S8 => self.u8(imm as u8),
            Size::S16 => self.u16(imm as u16),
            Size::S32 | Size::S64 => self.u32(imm as u32),
        }
    }

    fn prefixes_and_opcode(&mut self, enc: Enc, rex_rxb: u8, force_rex: bool) {
        if enc.op16 {
            self.u8(0x66);
        }
        if enc.mandatory != 0 {
            self.u8(enc.mandatory);
        }
        let rex = 0x40 | (enc.w as u8) << 3 | rex_rxb;
        if rex != 0x40 || force_rex {
            self.u8(rex);
        }
        match enc.map {
            Map::Primary => {}
            Map::M0F => self.u8(0x0f),
            Map::M0F38 => {
                self.u8(0x0f);
                self.u8(0x38);
            }
            Map::M0F3A => {
                self.u8(0x0f);
                self.u8(0x3a);
            }
        }
        self.u8(enc.opcode);
    }

    /// An instruction with a ModRM byte: `reg` is a register number (or an
    /// opcode extension `/digit`), `rm` a register or memory operand.
    pub(crate) fn modrm(enc: Enc, reg: u8, rm: Rm) -> Inst {
        let mut inst = Inst::new();
        let r = (reg >> 3) & 1;
        let (x, b) = match rm {
            Rm::Reg(rm) => (0, (rm >> 3) & 1),
            Rm::Mem(mem) => {
                let x = mem.index.map_or(0, |(index, _)| index.enc() >> 3);
                let b = match mem.base {
                    Base::Gpr(base) => base.enc() >> 3,
                    Base::Rip | Base::Label(_) => 0,
                };
                (x, b)
            }
        };
        let force_rex = (enc.byte_reg && needs_rex_as_byte(reg))
            || (enc.byte_rm && matches!(rm, Rm::Reg(rm) if needs_rex_as_byte(rm)));
        inst.prefixes_and_opcode(enc, r << 2 | x << 1 | b, force_rex);
        match rm {
            Rm::Reg(rm) => inst.u8(0xc0 | (reg & 7) << 3 | (rm & 7)),
            Rm::Mem(mem) => inst.mem(reg & 7, mem),
        }
        inst
    }

    /// An instruction that names its register in the low opcode bits
    /// (`push r`, `bswap r`, `mov r, imm`).
    pub(crate) fn opcode_reg(enc: Enc, reg: u8) -> Inst {
        let mut inst = Inst::new();
        let force_rex = enc.byte_reg && needs_rex_as_byte(reg);
        inst.prefixes_and_opcode(
            Enc {
                opcode: enc.opcode | (reg & 7),
                ..enc
            },
            (reg >> 3) & 1,
            force_rex,
        );
        inst
    }

    fn mem(&mut self, reg3: u8, mem: Mem) {
        match mem.base {
            Base::Rip => {
                self.u8(reg3 << 3 | 0b101);
                self.u32(mem.disp as u32);
            }
            Base::Label(label) => {
                self.u8(reg3 << 3 | 0b101);
                self.label_disp = Some(LabelDisp {
                    label,
                    pos: self.len,
                    addend: mem.disp,
                });
                self.u32(0);
            }
            Base::Gpr(base) => {
                let base3 = base.enc() & 7;
                let disp = mem.disp;
                // rbp/r13 as a base with mod 00 would mean RIP-relative (or
                // no base with a SIB), so they always carry a displacement.
                let mode = if disp == 0 && base3 != 0b101 {
                    0b00
                } else if i8::try_from(disp).is_ok() {
                    0b01
                } else {
                    0b10
                };
                if let Some((index, scale)) = mem.index {
                    self.u8(mode << 6 | reg3 << 3 | 0b100);
                    self.u8((scale as u8) << 6 | (index.enc() & 7) << 3 | base3);
                } else if base3 == 0b100 {
                    // rsp/r12 as a base: rm = 100 means "SIB follows"; the
                    // SIB says "no index" (100) and names the base.
                    self.u8(mode << 6 | reg3 << 3 | 0b100);
                    self.u8(0b00_100_100);
                } else {
                    self.u8(mode << 6 | reg3 << 3 | base3);
                }
                match mode {
                    0b01 => self.u8(disp as u8),
                    0b10 => self.u32(disp as u32),
                    _ => {}
                }
            }
        }
    }
}
