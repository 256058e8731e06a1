//! Control flow and labels: table tests of the non-label instructions, and
//! label tests whose branch targets are read back by decoding the code.

mod common;

use ember_core::{CodeBuffer, RelocKind, RelocTarget, TrapCode, VecCodeBuffer};
use ember_jit_x64::Gpr::*;
use ember_jit_x64::Size::*;
use ember_jit_x64::{AluOp, Assembler, Cond, EncodeError, Label, LabelUseKind, Mem, Scale::*};
use iced_x86::{FlowControl, Instruction, Mnemonic};

#[test]
fn indirect_calls_returns_and_traps() {
    common::check_table(
        "jmp/call indirect, ret, ud2, int3, call rel32",
        rows! {
            jmp_r(Rax) => "ff e0", "jmp rax";
            jmp_r(R11) => "41 ff e3", "jmp r11";
            jmp_m(Mem::base_index_disp(Rax, Rcx, X8, 0)) => "ff 24 c8", "jmp qword ptr [rax+rcx*8]";
            jmp_m(Mem::base(R12)) => "41 ff 24 24", "jmp qword ptr [r12]";
            call_r(Rax) => "ff d0", "call rax";
            call_r(R12) => "41 ff d4", "call r12";
            call_m(Mem::base_disp(Rdi, 0x40)) => "ff 57 40", "call qword ptr [rdi+0x40]";
            call_m(Mem::base_disp(R14, 0x200)) => "41 ff 96 00 02 00 00", "call qword ptr [r14+0x200]";
            ret() => "c3", "ret";
            ud2() => "0f 0b", "ud2";
            ud2_trap(TrapCode::Unreachable) => "0f 0b", "ud2";
            int3() => "cc", "int3";
            call_func(7) => "e8 00 00 00 00", "call 5";
            movabs_reloc(Rcx, RelocTarget::Helper(2)) => "48 b9 00 00 00 00 00 00 00 00", "mov rcx, 0";
        },
    );
}

#[test]
fn nops() {
    common::check_table(
        "multi-byte nop",
        rows! {
            nop(0) => "", "";
            nop(1) => "90", "nop";
            // Intel's recommended 2-byte nop; iced spells it as what it is.
            nop(2) => "66 90", "xchg ax, ax";
            nop(3) => "0f 1f 00", "nop dword ptr [rax]";
            nop(4) => "0f 1f 40 00", "nop dword ptr [rax]";
            nop(5) => "0f 1f 44 00 00", "nop dword ptr [rax+rax]";
            nop(6) => "66 0f 1f 44 00 00", "nop word ptr [rax+rax]";
            nop(7) => "0f 1f 80 00 00 00 00", "nop dword ptr [rax]";
            nop(8) => "0f 1f 84 00 00 00 00 00", "nop dword ptr [rax+rax]";
            nop(9) => "66 0f 1f 84 00 00 00 00 00", "nop word ptr [rax+rax]";
            nop(11) => "66 0f 1f 84 00 00 00 00 00 66 90", "nop word ptr [rax+rax]; xchg ax, ax";
        },
    );
}

#[test]
fn align_pads_with_nops() {
    for start in 0..40 {
        for alignment in [1, 2, 4, 8, 16, 32] {
            let buf = common::assemble(|a| {
                a.nop(start);
                a.align(alignment);
            });
            let len = buf.bytes.len();
            assert_eq!(len % alignment, 0, "start {start}, align {alignment}");
            assert!(len >= start && len < start + alignment);
            for inst in common::decode_all(&buf.bytes) {
                assert_eq!(inst.mnemonic(), Mnemonic::Nop);
            }
        }
    }
}

#[test]
fn relocations_and_trap_sites_are_recorded() {
    let buf = common::assemble(|a| {
        a.nop(3);
        a.call_func(7);
        a.movabs_reloc(Rax, RelocTarget::Helper(1));
        a.call_reloc(RelocTarget::Helper(4));
        a.trap_site(TrapCode::IntegerDivisionByZero);
        a.div_r(S32, Rcx);
        a.ud2_trap(TrapCode::Unreachable);
    });
    let relocs: Vec<_> = buf
        .relocs
        .iter()
        .map(|r| (r.offset, r.kind, r.target))
        .collect();
    assert_eq!(
        relocs,
        [
            (4, RelocKind::Rel32, RelocTarget::Func(7)),
            (10, RelocKind::Abs64, RelocTarget::Helper(1)),
            (19, RelocKind::Rel32, RelocTarget::Helper(4)),
        ]
    );
    let traps: Vec<_> = buf.traps.iter().map(|t| (t.offset, t.code)).collect();
    assert_eq!(
        traps,
        [
            (23, TrapCode::IntegerDivisionByZero),
            (25, TrapCode::Unreachable)
        ]
    );
    // The recorded offsets point at what they claim to.
    let insts = common::decode_all(&buf.bytes);
    let at = |offset: u32| insts.iter().find(|i| i.ip() == u64::from(offset)).unwrap();
    assert_eq!(at(23).mnemonic(), Mnemonic::Div);
    assert_eq!(at(25).mnemonic(), Mnemonic::Ud2);
    assert_eq!(at(3).mnemonic(), Mnemonic::Call);
    assert_eq!(at(8).mnemonic(), Mnemonic::Mov);
}

/// The decoded instruction that starts at `offset`.
fn inst_at(bytes: &[u8], offset: usize) -> Instruction {
    common::decode_all(bytes)
        .into_iter()
        .find(|i| i.ip() == offset as u64)
        .unwrap_or_else(|| panic!("no instruction starts at {offset}"))
}

/// Where the branch at `offset` goes, according to iced.
fn branch_target(bytes: &[u8], offset: usize) -> u64 {
    inst_at(bytes, offset).near_branch_target()
}

#[test]
fn forward_branches_are_rel32_and_patched_at_bind() {
    let mut at = Vec::new();
    let mut label = None;
    let buf = common::assemble(|a| {
        let l = a.new_label();
        label = Some(l);
        at.push(a.offset());
        a.jmp(l);
        at.push(a.offset());
        a.jcc(Cond::Ne, l);
        at.push(a.offset());
        a.call_label(l);
        a.nop(3);
        a.bind(l);
        a.ret();
        assert_eq!(a.label_offset(l), Some(19));
    });
    assert_eq!(
        common::hex(&buf.bytes),
        "e9 0e 00 00 00 0f 85 08 00 00 00 e8 03 00 00 00 0f 1f 00 c3"
    );
    assert_eq!(
        common::disassemble(&buf.bytes),
        "jmp 0x13; jne 0x13; call 0x13; nop dword ptr [rax]; ret"
    );
    for offset in at {
        assert_eq!(branch_target(&buf.bytes, offset), 19);
    }
    assert!(label.is_some());
}

#[test]
fn backward_branches_pick_rel8_when_in_reach() {
    // A branch at offset 126 is 2 bytes: its end is 128, so -128 reaches 0.
    for (pad, short) in [(0, true), (126, true), (127, false), (1000, false)] {
        let buf = common::assemble(|a| {
            let top = a.bound_label();
            a.nop(pad);
            a.jmp(top);
            a.nop(pad % 7);
            a.jcc(Cond::L, top);
        });
        let jmp = inst_at(&buf.bytes, pad);
        assert_eq!(jmp.len(), if short { 2 } else { 5 }, "pad {pad}");
        assert_eq!(jmp.near_branch_target(), 0);
        let jcc = inst_at(&buf.bytes, pad + jmp.len() + pad % 7);
        assert_eq!(jcc.mnemonic(), Mnemonic::Jl);
        assert_eq!(jcc.near_branch_target(), 0);
    }
}

#[test]
fn short_forward_branches_reach_127_bytes() {
    let buf = common::assemble(|a| {
        let l = a.new_label();
        a.jmp_short(l);
        a.jcc_short(Cond::E, l);
        a.nop(125);
        a.bind(l); // 2 + 125 bytes after the end of the jcc: 127
    });
    assert_eq!(&buf.bytes[..4], [0xeb, 0x7f, 0x74, 0x7d]);
    assert_eq!(branch_target(&buf.bytes, 0), 129);
    assert_eq!(branch_target(&buf.bytes, 2), 129);
}

#[test]
fn short_branch_out_of_range_is_an_error() {
    // Forward: known only at bind.
    let mut buf = VecCodeBuffer::new();
    let mut a = Assembler::new(&mut buf);
    let l = a.new_label();
    a.jmp_short(l);
    a.nop(128);
    a.bind(l);
    let err = a.finish().unwrap_err();
    assert_eq!(
        err,
        EncodeError::OutOfRange {
            label: l,
            at: 1,
            kind: LabelUseKind::Rel8,
            distance: 128
        }
    );
    assert_eq!(
        err.to_string(),
        "label 0 is 128 bytes from its Rel8 use at offset 1, outside -128..=127"
    );

    // Backward: known at once.
    let mut buf = VecCodeBuffer::new();
    let mut a = Assembler::new(&mut buf);
    let l = a.bound_label();
    a.nop(127);
    a.jcc_short(Cond::B, l);
    assert!(matches!(
        a.error(),
        Some(EncodeError::OutOfRange { distance: -129, .. })
    ));
    assert!(a.finish().is_err());
}

#[test]
fn label_misuse_is_an_error() {
    let mut buf = VecCodeBuffer::new();
    let mut a = Assembler::new(&mut buf);
    let used = a.new_label();
    let _unused = a.new_label();
    a.jmp(used);
    assert_eq!(a.finish(), Err(EncodeError::Unbound { label: used }));

    let mut buf = VecCodeBuffer::new();
    let mut a = Assembler::new(&mut buf);
    let l = a.bound_label();
    a.bind(l);
    assert_eq!(a.finish(), Err(EncodeError::AlreadyBound { label: l }));

    let mut buf = VecCodeBuffer::new();
    let mut a = Assembler::new(&mut buf);
    let (target, base) = (a.bound_label(), a.new_label());
    a.put_label_delta32(target, base);
    assert_eq!(a.finish(), Err(EncodeError::BaseNotBound { label: base }));

    // An unused label never bound is fine.
    let mut buf = VecCodeBuffer::new();
    let mut a = Assembler::new(&mut buf);
    let _ = a.new_label();
    assert_eq!(a.finish(), Ok(()));
}

#[test]
fn rip_relative_label_operands_count_from_the_instruction_end() {
    // `cmp dword [rip+l], imm8`: the displacement is followed by the
    // immediate, so it must count from the end of the immediate.
    let mut at = Vec::new();
    let buf = common::assemble(|a| {
        let data = a.new_label();
        at.push(a.offset());
        a.alu_mi(AluOp::Cmp, S32, Mem::label(data), 5);
        at.push(a.offset());
        a.lea_label(R9, data);
        at.push(a.offset());
        a.mov_mi(S64, Mem::label_disp(data, 8), 0x1234);
        a.ret();
        a.align(8);
        a.bind(data);
        a.buffer_mut().put_u64(0);
        let back = a.offset();
        at.push(back);
        a.movs_xm(
            ember_jit_x64::FloatSize::F64,
            ember_jit_x64::Xmm::Xmm3,
            Mem::label(data),
        );
    });
    let data = 32; // 7 + 7 + 11 + 1 bytes of code, padded to 32
    assert_eq!(
        common::disassemble(&buf.bytes[..at[1]]),
        "cmp dword ptr [rip+0x19], 5"
    );
    let expected = [data, data, data + 8, data];
    for (offset, target) in at.into_iter().zip(expected) {
        let inst = inst_at(&buf.bytes, offset);
        assert!(inst.is_ip_rel_memory_operand(), "{inst}");
        assert_eq!(inst.ip_rel_memory_address(), target as u64, "{inst}");
    }
}

#[test]
fn jump_tables_hold_label_deltas() {
    let mut labels: Vec<Label> = Vec::new();
    let buf = common::assemble(|a| {
        let table = a.new_label();
        let cases: Vec<Label> = (0..3).map(|_| a.new_label()).collect();
        // lea r11, [rip+table]; movsxd rax, [r11+rcx*4]; add rax, r11; jmp rax
        a.lea_label(R11, table);
        a.movsx_rm(S64, S32, Rax, Mem::base_index_disp(R11, Rcx, X4, 0));
        a.alu_rr(AluOp::Add, S64, Rax, R11);
        a.jmp_r(Rax);
        a.align(4);
        a.bind(table);
        for &case in &cases {
            a.put_label_delta32(case, table);
        }
        for (i, &case) in cases.iter().enumerate().rev() {
            a.bind(case);
            a.mov_ri(S32, Rax, i as i64);
            a.ret();
        }
        labels = cases;
    });
    assert_eq!(labels.len(), 3);
    let table = 16;
    let entry = |i: usize| {
        i32::from_le_bytes(
            buf.bytes[table + 4 * i..table + 4 * i + 4]
                .try_into()
                .unwrap(),
        )
    };
    // Cases were bound in reverse order, each 6 bytes, after the table.
    for i in 0..3 {
        let case = table + 12 + 6 * (2 - i);
        assert_eq!(entry(i), (case - table) as i32);
        let inst = inst_at(&buf.bytes[case..], 0);
        assert_eq!(inst.immediate32(), i as u32);
    }
}

/// Random programs of jumps, conditional jumps, calls and padding over a
/// handful of labels: every branch iced decodes goes to its label, and a
/// short branch is out of range exactly when `finish` says so.
#[test]
fn random_label_programs() {
    let mut rng = common::Rng::new(0x1abe1);
    for round in 0..400 {
        let label_count = 1 + rng.below(6);
        let mut buf = VecCodeBuffer::new();
        let mut a = Assembler::new(&mut buf);
        let labels: Vec<Label> = (0..label_count).map(|_| a.new_label()).collect();
        // (offset of the branch, label index, short?)
        let mut branches = Vec::new();
        let mut bound = vec![false; label_count];
        for _ in 0..rng.below(40) {
            let l = rng.below(label_count);
            match rng.below(7) {
                0 if !bound[l] => {
                    a.bind(labels[l]);
                    bound[l] = true;
                }
                0 | 1 => {
                    let max = if rng.bool() { 8 } else { 120 };
                    a.nop(rng.below(max));
                }
                2 => {
                    branches.push((a.offset(), l, false));
                    a.jmp(labels[l]);
                }
                3 => {
                    branches.push((a.offset(), l, false));
                    a.jcc(rng.pick(&Cond::ALL), labels[l]);
                }
                4 => {
                    branches.push((a.offset(), l, true));
                    a.jmp_short(labels[l]);
                }
                5 => {
                    branches.push((a.offset(), l, true));
                    a.jcc_short(rng.pick(&Cond::ALL), labels[l]);
                }
                _ => {
                    branches.push((a.offset(), l, false));
                    a.call_label(labels[l]);
                }
            }
        }
        for (l, &label) in labels.iter().enumerate() {
            if !bound[l] {
                a.bind(label);
            }
        }
        a.ret();
        let targets: Vec<u32> = labels.iter().map(|&l| a.label_offset(l).unwrap()).collect();
        let result = a.finish();
        let out_of_range = branches.iter().any(|&(offset, l, short)| {
            short && !(-128..=127).contains(&(i64::from(targets[l]) - offset as i64 - 2))
        });
        assert_eq!(result.is_err(), out_of_range, "round {round}: {result:?}");
        if out_of_range {
            continue;
        }
        let code = buf.code();
        for &(offset, l, short) in &branches {
            let inst = inst_at(code, offset);
            assert!(
                matches!(
                    inst.flow_control(),
                    FlowControl::UnconditionalBranch
                        | FlowControl::ConditionalBranch
                        | FlowControl::Call
                ),
                "round {round}: {inst} at {offset}"
            );
            if short {
                assert_eq!(inst.len(), 2, "round {round}: {inst}");
            }
            assert_eq!(
                inst.near_branch_target(),
                u64::from(targets[l]),
                "round {round}: {inst} at {offset}"
            );
        }
    }
}
