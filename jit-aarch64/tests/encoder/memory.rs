//! Load/store families.

use ember_jit_aarch64::IndexExtend::{Lsl, Sxtw, Sxtx, Uxtw};
use ember_jit_aarch64::MemSize::{B, H};
use ember_jit_aarch64::Size::{W, X};
use ember_jit_aarch64::*;

use crate::oracle::{Rng, check, property};
use crate::table;
use crate::{gpr_name, hex};

#[test]
fn single_register_immediate_offsets() {
    check(
        "ldr/str immediate",
        file!(),
        table![
            ldr(MemSize::X, R0, Addr::base(R1)) => 0xf940_0020, "ldr x0, [x1]";
            ldr(MemSize::X, R0, Addr::offset(R1, 8)) => 0xf940_0420, "ldr x0, [x1, #0x8]";
            ldr(MemSize::X, R0, Addr::offset(SP, 32760)) => 0xf97f_ffe0, "ldr x0, [sp, #0x7ff8]";
            ldr(MemSize::X, R0, Addr::offset(R1, 4)) => 0xf840_4020, "ldur x0, [x1, #0x4]";
            ldr(MemSize::X, R0, Addr::offset(R1, -8)) => 0xf85f_8020, "ldur x0, [x1, #-0x8]";
            ldr(MemSize::X, R0, Addr::offset(R1, -256)) => 0xf850_0020, "ldur x0, [x1, #-0x100]";
            ldr(MemSize::X, R0, Addr::offset(R1, 255)) => 0xf84f_f020, "ldur x0, [x1, #0xff]";
            ldr(MemSize::W, R0, Addr::offset(R1, 16380)) => 0xb97f_fc20, "ldr w0, [x1, #0x3ffc]";
            ldr(H, R0, Addr::offset(R1, 8190)) => 0x797f_fc20, "ldrh w0, [x1, #0x1ffe]";
            ldr(B, R0, Addr::offset(R1, 4095)) => 0x397f_fc20, "ldrb w0, [x1, #0xfff]";
            ldr(H, R0, Addr::offset(R1, 1)) => 0x7840_1020, "ldurh w0, [x1, #0x1]";
            ldr(B, ZR, Addr::offset(R1, -1)) => 0x385f_f03f, "ldurb wzr, [x1, #-0x1]";
            str(MemSize::X, ZR, Addr::offset(SP, 24)) => 0xf900_0fff, "str xzr, [sp, #0x18]";
            str(MemSize::W, R3, Addr::offset(R4, -4)) => 0xb81f_c083, "stur w3, [x4, #-0x4]";
            str(B, R3, Addr::base(R4)) => 0x3900_0083, "strb w3, [x4]";
            str(H, R3, Addr::offset(R4, 2)) => 0x7900_0483, "strh w3, [x4, #0x2]";
            ldr(MemSize::X, R0, Addr::pre_index(SP, -16)) => 0xf85f_0fe0, "ldr x0, [sp, #-0x10]!";
            str(MemSize::X, R0, Addr::post_index(SP, 16)) => 0xf801_07e0, "str x0, [sp], #0x10";
            ldr(B, R2, Addr::post_index(R3, 1)) => 0x3840_1462, "ldrb w2, [x3], #0x1";
            str(MemSize::W, R2, Addr::pre_index(R3, 255)) => 0xb80f_fc62, "str w2, [x3, #0xff]!";
        ],
    );
}

#[test]
fn single_register_index_offsets() {
    check(
        "ldr/str register offset",
        file!(),
        table![
            ldr(MemSize::X, R0, Addr::index(R1, R2, Lsl, false)) => 0xf862_6820, "ldr x0, [x1, x2]";
            ldr(MemSize::X, R0, Addr::index(R1, R2, Lsl, true)) => 0xf862_7820, "ldr x0, [x1, x2, lsl #3]";
            ldr(MemSize::W, R0, Addr::index(R1, R2, Uxtw, false)) => 0xb862_4820, "ldr w0, [x1, w2, uxtw]";
            ldr(MemSize::W, R0, Addr::index(R1, R2, Uxtw, true)) => 0xb862_5820, "ldr w0, [x1, w2, uxtw #2]";
            ldr(B, R0, Addr::index(R1, R2, Uxtw, false)) => 0x3862_4820, "ldrb w0, [x1, w2, uxtw]";
            ldr(B, R0, Addr::index(R1, R2, Lsl, false)) => 0x3862_6820, "ldrb w0, [x1, x2]";
            str(H, R0, Addr::index(SP, R2, Sxtw, true)) => 0x7822_dbe0, "strh w0, [sp, w2, sxtw #1]";
            // yaxpeax-arm adds `#0` to an unscaled sxtw/sxtx index (S = 0).
            ldr(MemSize::X, R0, Addr::index(R1, R2, Sxtx, false)) => 0xf862_e820, "ldr x0, [x1, x2, sxtx #0]";
            str(MemSize::X, R0, Addr::index(R1, ZR, Lsl, false)) => 0xf83f_6820, "str x0, [x1, xzr]";
        ],
    );
}

#[test]
fn sign_extending_loads() {
    check(
        "sign-extending loads",
        file!(),
        table![
            ldrs(B, W, R0, Addr::base(R1)) => 0x39c0_0020, "ldrsb w0, [x1]";
            ldrs(B, X, R0, Addr::offset(R1, 1)) => 0x3980_0420, "ldrsb x0, [x1, #0x1]";
            ldrs(H, W, R0, Addr::offset(R1, -2)) => 0x78df_e020, "ldursh w0, [x1, #-0x2]";
            ldrs(H, X, R0, Addr::index(R1, R2, Uxtw, true)) => 0x78a2_5820, "ldrsh x0, [x1, w2, uxtw #1]";
            ldrs(MemSize::W, X, R0, Addr::offset(R1, 4)) => 0xb980_0420, "ldrsw x0, [x1, #0x4]";
            ldrs(MemSize::W, X, R0, Addr::offset(R1, 16380)) => 0xb9bf_fc20, "ldrsw x0, [x1, #0x3ffc]";
            ldrs(MemSize::W, X, R0, Addr::pre_index(R1, 4)) => 0xb880_4c20, "ldrsw x0, [x1, #0x4]!";
            ldrs(B, W, R0, Addr::post_index(R1, -1)) => 0x38df_f420, "ldrsb w0, [x1], #-0x1";
        ],
    );
}

#[test]
fn vector_register_loads_and_stores() {
    check(
        "FP/SIMD ldr/str",
        file!(),
        table![
            ldr_vec(VecMemSize::S, V0, Addr::offset(R1, 4)) => 0xbd40_0420, "ldr s0, [x1, #0x4]";
            ldr_vec(VecMemSize::D, V31, Addr::offset(SP, 8)) => 0xfd40_07ff, "ldr d31, [sp, #0x8]";
            ldr_vec(VecMemSize::Q, V1, Addr::offset(R2, 16 * 4095)) => 0x3dff_fc41, "ldr q1, [x2, #0xfff0]";
            ldr_vec(VecMemSize::Q, V1, Addr::offset(R2, 8)) => 0x3cc0_8041, "ldur q1, [x2, #0x8]";
            str_vec(VecMemSize::Q, V1, Addr::index(R2, R3, Lsl, true)) => 0x3ca3_7841, "str q1, [x2, x3, lsl #4]";
            str_vec(VecMemSize::D, V1, Addr::post_index(R2, 8)) => 0xfc00_8441, "str d1, [x2], #0x8";
            ldr_vec(VecMemSize::B, V0, Addr::base(R1)) => 0x3d40_0020, "ldr b0, [x1]";
            ldr_vec(VecMemSize::H, V0, Addr::offset(R1, 2)) => 0x7d40_0420, "ldr h0, [x1, #0x2]";
            str_vec(VecMemSize::S, V2, Addr::offset(R3, -4)) => 0xbc1f_c062, "stur s2, [x3, #-0x4]";
            ldr_vec(VecMemSize::D, V3, Addr::index(R4, R5, Uxtw, true)) => 0xfc65_5883, "ldr d3, [x4, w5, uxtw #3]";
            str_vec(VecMemSize::Q, V3, Addr::pre_index(SP, -32)) => 0x3c9e_0fe3, "str q3, [sp, #-0x20]!";
        ],
    );
}

#[test]
fn pairs() {
    check(
        "ldp/stp",
        file!(),
        table![
            stp(X, R29, R30, Addr::pre_index(SP, -16)) => 0xa9bf_7bfd, "stp x29, x30, [sp, #-0x10]!";
            ldp(X, R29, R30, Addr::post_index(SP, 16)) => 0xa8c1_7bfd, "ldp x29, x30, [sp], #0x10";
            stp(X, R19, R20, Addr::offset(SP, 16)) => 0xa901_53f3, "stp x19, x20, [sp, #0x10]";
            ldp(W, R0, R1, Addr::offset(R2, -256)) => 0x2960_0440, "ldp w0, w1, [x2, #-0x100]";
            ldp(X, R0, R1, Addr::offset(R2, 504)) => 0xa95f_8440, "ldp x0, x1, [x2, #0x1f8]";
            ldp(X, R0, R1, Addr::offset(R2, -512)) => 0xa960_0440, "ldp x0, x1, [x2, #-0x200]";
            stp(W, ZR, ZR, Addr::base(SP)) => 0x2900_7fff, "stp wzr, wzr, [sp]";
            stp_vec(VecMemSize::D, V8, V9, Addr::pre_index(SP, -16)) => 0x6dbf_27e8, "stp d8, d9, [sp, #-0x10]!";
            ldp_vec(VecMemSize::D, V8, V9, Addr::post_index(SP, 16)) => 0x6cc1_27e8, "ldp d8, d9, [sp], #0x10";
            ldp_vec(VecMemSize::Q, V0, V1, Addr::offset(R2, -16)) => 0xad7f_8440, "ldp q0, q1, [x2, #-0x10]";
            ldp_vec(VecMemSize::S, V0, V1, Addr::offset(R2, 252)) => 0x2d5f_8440, "ldp s0, s1, [x2, #0xfc]";
            stp_vec(VecMemSize::Q, V30, V31, Addr::offset(SP, 1008)) => 0xad1f_fffe, "stp q30, q31, [sp, #0x3f0]";
        ],
    );
}

#[test]
fn literal_loads() {
    check(
        "ldr literal",
        file!(),
        table![
            ldr_literal(X, R0, 8) => 0x5800_0040, "ldr x0, $+0x8";
            ldr_literal(W, R0, -4) => 0x18ff_ffe0, "ldr w0, $-0x4";
            ldr_literal_vec(VecMemSize::Q, V0, (1 << 20) - 4) => 0x9c7f_ffe0, "ldr q0, $+0xffffc";
            ldr_literal_vec(VecMemSize::D, V0, -(1 << 20)) => 0x5c80_0000, "ldr d0, $-0x100000";
            ldr_literal_vec(VecMemSize::S, V7, 0) => 0x1c00_0007, "ldr s7, $+0x0";
        ],
    );
}

#[test]
fn offsets_out_of_reach_are_not_encodable() {
    let x = MemSize::X;
    // Scaled unsigned offsets: aligned, below 4096 units; else ldur's -256..=255.
    assert!(ldr(x, R0, Addr::offset(R1, 32768)).is_none());
    assert!(ldr(x, R0, Addr::offset(R1, 32761)).is_none());
    assert!(ldr(x, R0, Addr::offset(R1, -257)).is_none());
    assert!(ldr(B, R0, Addr::offset(R1, 4096)).is_none());
    assert!(ldr(H, R0, Addr::offset(R1, 8192)).is_none());
    assert!(ldr_vec(VecMemSize::Q, V0, Addr::offset(R1, 16 * 4096)).is_none());
    // Pre/post-index: -256..=255.
    assert!(ldr(x, R0, Addr::pre_index(R1, 256)).is_none());
    assert!(str(x, R0, Addr::post_index(R1, -257)).is_none());
    // Pairs: a multiple of the size in -64..=63 units.
    assert!(ldp(X, R0, R1, Addr::offset(R2, 512)).is_none());
    assert!(ldp(X, R0, R1, Addr::offset(R2, -520)).is_none());
    assert!(ldp(X, R0, R1, Addr::offset(R2, 4)).is_none());
    assert!(ldp(W, R0, R1, Addr::offset(R2, 256)).is_none());
    assert!(ldp(X, R0, R1, Addr::index(R2, R3, Lsl, false)).is_none());
    assert!(ldp_vec(VecMemSize::B, V0, V1, Addr::base(R2)).is_none());
    assert!(ldp_vec(VecMemSize::Q, V0, V1, Addr::offset(R2, 1024)).is_none());
    // Literals: ±1 MiB, word aligned.
    assert!(ldr_literal(X, R0, 1 << 20).is_none());
    assert!(ldr_literal(X, R0, -(1 << 20) - 4).is_none());
    assert!(ldr_literal(X, R0, 2).is_none());
    assert!(ldr_literal_vec(VecMemSize::H, V0, 0).is_none());
    // The largest encodable ones are.
    assert!(ldr(x, R0, Addr::offset(R1, 32760)).is_some());
    assert!(ldp(X, R0, R1, Addr::offset(R2, 504)).is_some());
    assert!(ldp(X, R0, R1, Addr::offset(R2, -512)).is_some());
}

#[test]
fn property_immediate_offsets() {
    property("ldr/str immediate offsets", 21, 5000, |rng| {
        let size = rng.pick(&[B, H, MemSize::W, MemSize::X]);
        let scale = 1i64 << size.log2_bytes();
        let offset = if rng.bool() {
            scale * rng.below(4096) as i64
        } else {
            rng.below(512) as i64 - 256
        };
        let rt = rng.below(32) as u8;
        let rn = rng.below(32) as u8;
        let rt_operand = if rt == 31 {
            ZR
        } else {
            Reg::new(rt).unwrap().into()
        };
        let rn_operand = if rn == 31 {
            SP
        } else {
            Reg::new(rn).unwrap().into()
        };
        let load = rng.bool();
        let word = if load {
            ldr(size, rt_operand, Addr::offset(rn_operand, offset))
        } else {
            str(size, rt_operand, Addr::offset(rn_operand, offset))
        }
        .expect("in range");
        let scaled = offset >= 0 && offset % scale == 0;
        let suffix = match size {
            B => "b",
            H => "h",
            _ => "",
        };
        let reg_size = if size == MemSize::X { X } else { W };
        let name = format!(
            "{}{}{suffix}",
            if load { "ld" } else { "st" },
            if scaled { "r" } else { "ur" }
        );
        let address = if offset == 0 {
            format!("[{}]", gpr_name(X, rn, true))
        } else {
            format!("[{}, #{}]", gpr_name(X, rn, true), hex(offset))
        };
        (
            word,
            format!("{name} {}, {address}", gpr_name(reg_size, rt, false)),
        )
    });
}

#[test]
fn property_index_offsets() {
    property("ldr/str register offsets", 22, 5000, |rng| {
        let size = rng.pick(&[B, H, MemSize::W, MemSize::X]);
        let extend = rng.pick(&[Lsl, Uxtw, Sxtw, Sxtx]);
        let scaled = rng.bool();
        let (rt, rn, rm) = (
            rng.below(31) as u8,
            rng.below(31) as u8,
            rng.below(31) as u8,
        );
        let word = ldr(
            size,
            Reg::new(rt).unwrap(),
            Addr::index(Reg::new(rn).unwrap(), Reg::new(rm).unwrap(), extend, scaled),
        )
        .expect("register offsets always encode");
        let index_size = if matches!(extend, Uxtw | Sxtw) { W } else { X };
        // The S bit (12) says whether the index is scaled; for bytes the
        // text cannot show it (a shift by 0 either way), so check it here.
        assert_eq!((word >> 12) & 1, u32::from(scaled));
        let amount = if scaled { size.log2_bytes() } else { 0 };
        let extend_name = format!("{extend:?}").to_lowercase();
        // yaxpeax-arm leaves out a zero lsl/uxtw amount but always prints
        // `#0` after sxtw/sxtx.
        let modifier = match (extend, amount) {
            (Lsl, 0) => String::new(),
            (Uxtw, 0) => ", uxtw".to_string(),
            (Sxtw | Sxtx, 0) => format!(", {extend_name} #0"),
            (_, amount) => format!(", {extend_name} #{amount}"),
        };
        let (name, reg_size) = match size {
            B => ("ldrb", W),
            H => ("ldrh", W),
            MemSize::W => ("ldr", W),
            MemSize::X => ("ldr", X),
        };
        let text = format!(
            "{name} {}, [{}, {}{modifier}]",
            gpr_name(reg_size, rt, false),
            gpr_name(X, rn, true),
            gpr_name(index_size, rm, false)
        );
        (word, text)
    });
}

#[test]
fn property_pairs() {
    let mut rng = Rng::new(23);
    property("ldp/stp", 23, 4000, |_| {
        let size = if rng.bool() { X } else { W };
        let scale = if size == X { 8 } else { 4 };
        let offset = scale * (rng.below(128) as i64 - 64);
        let (rt, rt2, rn) = (
            rng.below(31) as u8,
            rng.below(31) as u8,
            rng.below(31) as u8,
        );
        let mode = rng.below(3);
        let base = Reg::new(rn).unwrap();
        let addr = match mode {
            0 => Addr::offset(base, offset),
            1 => Addr::pre_index(base, offset),
            _ => Addr::post_index(base, offset),
        };
        let load = rng.bool();
        let (t, t2) = (Reg::new(rt).unwrap(), Reg::new(rt2).unwrap());
        let word = if load {
            ldp(size, t, t2, addr)
        } else {
            stp(size, t, t2, addr)
        }
        .unwrap();
        let base_name = gpr_name(X, rn, true);
        let address = match (mode, offset) {
            (0, 0) => format!("[{base_name}]"),
            (0, _) => format!("[{base_name}, #{}]", hex(offset)),
            (1, _) => format!("[{base_name}, #{}]!", hex(offset)),
            _ => format!("[{base_name}], #{}", hex(offset)),
        };
        let name = if load { "ldp" } else { "stp" };
        (
            word,
            format!(
                "{name} {}, {}, {address}",
                gpr_name(size, rt, false),
                gpr_name(size, rt2, false)
            ),
        )
    });
}

#[test]
fn property_vector_offsets() {
    property("FP/SIMD ldr/str scaled offsets", 24, 3000, |rng| {
        let sizes = [
            VecMemSize::B,
            VecMemSize::H,
            VecMemSize::S,
            VecMemSize::D,
            VecMemSize::Q,
        ];
        let size = rng.pick(&sizes);
        let offset = (rng.below(4096) as i64) << size.log2_bytes();
        let vt = VReg::new(rng.below(32) as u8).unwrap();
        let rn = rng.below(32) as u8;
        let base = if rn == 31 {
            SP
        } else {
            Reg::new(rn).unwrap().into()
        };
        let load = rng.bool();
        let addr = Addr::offset(base, offset);
        let word = if load {
            ldr_vec(size, vt, addr)
        } else {
            str_vec(size, vt, addr)
        }
        .unwrap();
        let prefix = format!("{size:?}").to_lowercase();
        let address = if offset == 0 {
            format!("[{}]", gpr_name(X, rn, true))
        } else {
            format!("[{}, #{}]", gpr_name(X, rn, true), hex(offset))
        };
        let name = if load { "ldr" } else { "str" };
        (word, format!("{name} {prefix}{}, {address}", vt.number()))
    });
}

#[test]
#[should_panic(expected = "no sign-extending load of W into W")]
fn ldrsw_needs_an_x_destination() {
    ldrs(MemSize::W, W, R0, Addr::base(R1));
}
