//! Integer data-processing families.

use ember_jit_aarch64::Size::{W, X};
use ember_jit_aarch64::*;

use crate::oracle::{Rng, check, check_cases, property};
use crate::table;
use crate::{gpr_name, hex, imm, limm};

#[test]
fn add_sub_immediate() {
    check(
        "add/sub immediate",
        file!(),
        table![
            add_imm(X, R0, R1, imm(1)) => 0x9100_0420, "add x0, x1, #0x1";
            add_imm(W, R0, R1, imm(4095)) => 0x113f_fc20, "add w0, w1, #0xfff";
            add_imm(X, R0, R1, imm(4096)) => 0x9140_0420, "add x0, x1, #0x1, lsl #12";
            add_imm(X, R0, R1, imm(4095 << 12)) => 0x917f_fc20, "add x0, x1, #0xfff, lsl #12";
            add_imm(X, SP, SP, imm(16)) => 0x9100_43ff, "add sp, sp, #0x10";
            add_imm(W, SP, R3, imm(8)) => 0x1100_207f, "add wsp, w3, #0x8";
            add_imm(X, R0, SP, imm(0)) => 0x9100_03e0, "mov x0, sp";
            add_imm(W, SP, R3, imm(0)) => 0x1100_007f, "mov wsp, w3";
            sub_imm(X, SP, SP, imm(0x20)) => 0xd100_83ff, "sub sp, sp, #0x20";
            sub_imm(W, R2, R3, imm(0xfff000)) => 0x517f_fc62, "sub w2, w3, #0xfff, lsl #12";
            sub_imm(X, R30, R29, imm(0)) => 0xd100_03be, "sub x30, x29, #0x0";
            adds_imm(X, R0, R1, imm(7)) => 0xb100_1c20, "adds x0, x1, #0x7";
            adds_imm(X, ZR, R1, imm(7)) => 0xb100_1c3f, "cmn x1, #0x7";
            subs_imm(W, R0, SP, imm(1)) => 0x7100_07e0, "subs w0, wsp, #0x1";
            subs_imm(X, ZR, SP, imm(1)) => 0xf100_07ff, "cmp sp, #0x1";
            cmp_imm(W, R5, imm(0)) => 0x7100_00bf, "cmp w5, #0x0";
            cmp_imm(X, R30, imm(4095)) => 0xf13f_ffdf, "cmp x30, #0xfff";
            cmn_imm(X, R2, imm(1 << 12)) => 0xb140_045f, "cmn x2, #0x1, lsl #12";
            mov_sp(X, SP, R29) => 0x9100_03bf, "mov sp, x29";
            mov_sp(X, R29, SP) => 0x9100_03fd, "mov x29, sp";
        ],
    );
}

#[test]
fn add_sub_shifted_register() {
    check(
        "add/sub shifted register",
        file!(),
        table![
            add(X, R0, R1, R2) => 0x8b02_0020, "add x0, x1, x2";
            add(W, R0, R1, R2) => 0x0b02_0020, "add w0, w1, w2";
            add(X, R3, R4, R5.lsl(3)) => 0x8b05_0c83, "add x3, x4, x5, lsl #3";
            add(W, R3, R4, R5.asr(31)) => 0x0b85_7c83, "add w3, w4, w5, asr #31";
            add(X, ZR, R1, R2) => 0x8b02_003f, "add xzr, x1, x2";
            add(X, R0, ZR, R2) => 0x8b02_03e0, "add x0, xzr, x2";
            sub(X, R0, R1, R2.lsr(63)) => 0xcb42_fc20, "sub x0, x1, x2, lsr #63";
            subs(W, R0, R1, R2) => 0x6b02_0020, "subs w0, w1, w2";
            adds(X, R0, R1, R2) => 0xab02_0020, "adds x0, x1, x2";
            cmp(X, R1, R2) => 0xeb02_003f, "cmp x1, x2";
            cmp(W, R1, R2.lsl(2)) => 0x6b02_083f, "cmp w1, w2, lsl #2";
            cmn(X, R1, R2) => 0xab02_003f, "cmn x1, x2";
            neg(X, R0, R2) => 0xcb02_03e0, "neg x0, x2";
            neg(W, R0, R2.lsl(1)) => 0x4b02_07e0, "neg w0, w2, lsl #1";
        ],
    );
}

#[test]
fn add_sub_extended_register() {
    check(
        "add/sub extended register",
        file!(),
        table![
            add_ext(X, R0, R1, R2.extended(Extend::Sxtw, 0)) => 0x8b22_c020, "add x0, x1, w2, sxtw";
            add_ext(X, SP, SP, R2.extended(Extend::Uxtx, 0)) => 0x8b22_63ff, "add sp, sp, x2";
            // yaxpeax-arm prints uxtw as `lsl`; the architecture's text is
            // `uxtw #2` (option 0b010, checked in `extend_option_field`).
            add_ext(X, R0, SP, R2.extended(Extend::Uxtw, 2)) => 0x8b22_4be0, "add x0, sp, w2, lsl #2";
            sub_ext(W, R0, R1, R2.extended(Extend::Uxtb, 0)) => 0x4b22_0020, "sub w0, w1, w2, uxtb";
            adds_ext(X, R0, R1, R2.extended(Extend::Sxth, 4)) => 0xab22_b020, "adds x0, x1, w2, sxth #4";
            subs_ext(X, ZR, SP, R2.extended(Extend::Uxtx, 0)) => 0xeb22_63ff, "cmp sp, x2";
            cmp_ext(X, R1, R2.extended(Extend::Sxtw, 0)) => 0xeb22_c03f, "cmp x1, w2, sxtw";
            add_ext(X, R0, R1, R2.extended(Extend::Sxtx, 1)) => 0x8b22_e420, "add x0, x1, x2, sxtx #1";
        ],
    );
}

#[test]
fn extend_option_field() {
    // Bits 15:13 hold the extension, whatever the disassembler's alias.
    for (extend, option) in [
        (Extend::Uxtb, 0),
        (Extend::Uxtw, 2),
        (Extend::Uxtx, 3),
        (Extend::Sxtw, 6),
    ] {
        let word = add_ext(X, R0, SP, R2.extended(extend, 2));
        assert_eq!((word >> 13) & 7, option, "{extend:?}");
        assert_eq!((word >> 10) & 7, 2, "{extend:?} amount");
    }
}

#[test]
fn logical_shifted_register() {
    check(
        "logical shifted register",
        file!(),
        table![
            and(X, R0, R1, R2) => 0x8a02_0020, "and x0, x1, x2";
            orr(W, R0, R1, R2.ror(7)) => 0x2ac2_1c20, "orr w0, w1, w2, ror #7";
            eor(X, R0, R1, R2.lsr(1)) => 0xca42_0420, "eor x0, x1, x2, lsr #1";
            ands(W, R0, R1, R2) => 0x6a02_0020, "ands w0, w1, w2";
            bic(X, R0, R1, R2) => 0x8a22_0020, "bic x0, x1, x2";
            orn(W, R0, R1, R2.asr(3)) => 0x2aa2_0c20, "orn w0, w1, w2, asr #3";
            eon(X, R0, R1, R2) => 0xca22_0020, "eon x0, x1, x2";
            bics(X, R0, R1, R2) => 0xea22_0020, "bics x0, x1, x2";
            tst(X, R1, R2) => 0xea02_003f, "tst x1, x2";
            mvn(W, R0, R2) => 0x2a22_03e0, "mvn w0, w2";
            mov(X, R0, R1) => 0xaa01_03e0, "mov x0, x1";
            mov(W, R0, ZR) => 0x2a1f_03e0, "mov w0, wzr";
            uxtw(R0, R1) => 0x2a01_03e0, "mov w0, w1";
        ],
    );
}

#[test]
fn logical_immediate() {
    check(
        "logical immediate",
        file!(),
        table![
            and_imm(X, R0, R0, limm(X, 1)) => 0x9240_0000, "and x0, x0, #0x1";
            and_imm(W, R0, R1, limm(W, 0xff)) => 0x1200_1c20, "and w0, w1, #0xff";
            orr_imm(X, R0, ZR, limm(X, 0x5555_5555_5555_5555)) => 0xb200_f3e0, "mov x0, #0x5555555555555555";
            orr_imm(W, R0, R1, limm(W, 0x8000_0001)) => 0x3201_0420, "orr w0, w1, #0x80000001";
            eor_imm(X, R3, R4, limm(X, 0x8000_0000_0000_0000)) => 0xd241_0083, "eor x3, x4, #0x8000000000000000";
            and_imm(X, SP, R1, limm(X, 0xffff_ffff_ffff_fff0)) => 0x927c_ec3f, "and sp, x1, #0xfffffffffffffff0";
            ands_imm(W, R0, R1, limm(W, 0x8000_0000)) => 0x7201_0020, "ands w0, w1, #0x80000000";
            tst_imm(X, R1, limm(X, 0xff00)) => 0xf278_1c3f, "tst x1, #0xff00";
            tst_imm(W, R1, limm(W, 1)) => 0x7200_003f, "tst w1, #0x1";
            eor_imm(W, R0, R0, limm(W, 0xffff_fffe)) => 0x521f_7800, "eor w0, w0, #0xfffffffe";
            and_imm(X, R0, R1, limm(X, 0x0f0f_0f0f_0f0f_0f0f)) => 0x9200_cc20, "and x0, x1, #0xf0f0f0f0f0f0f0f";
        ],
    );
}

#[test]
fn move_wide() {
    check(
        "move wide",
        file!(),
        table![
            movz(X, R0, 0x1234, 0) => 0xd282_4680, "mov x0, #0x1234";
            movz(X, R0, 0x1234, 48) => 0xd2e2_4680, "mov x0, #0x1234000000000000";
            movz(W, R1, 0xffff, 16) => 0x52bf_ffe1, "mov w1, #0xffff0000";
            // yaxpeax-arm picks the mov alias even for a zero shifted by 16 (the
            // architecture prints `movz x0, #0, lsl #16`); the word has hw = 1.
            movz(X, R0, 0, 16) => 0xd2a0_0000, "mov x0, #0x0";
            movk(X, R0, 0xbeef, 32) => 0xf2d7_dde0, "movk x0, #0xbeef, lsl #32";
            movk(W, R2, 0, 0) => 0x7280_0002, "movk w2, #0x0";
            movn(X, R0, 0, 0) => 0x9280_0000, "mov x0, #0xffffffffffffffff";
            movn(W, R0, 0, 0) => 0x1280_0000, "mov w0, #0xffffffff";
            movn(X, R0, 0xffff, 16) => 0x92bf_ffe0, "mov x0, #0xffffffff0000ffff";
            movn(W, R0, 0xffff, 0) => 0x129f_ffe0, "mov w0, #0xffff0000";
            movz(X, ZR, 1, 0) => 0xd280_003f, "mov xzr, #0x1";
        ],
    );
}

#[test]
fn multiply_divide() {
    check(
        "multiply and divide",
        file!(),
        table![
            madd(X, R0, R1, R2, R3) => 0x9b02_0c20, "madd x0, x1, x2, x3";
            msub(W, R0, R1, R2, R3) => 0x1b02_8c20, "msub w0, w1, w2, w3";
            mul(X, R0, R1, R2) => 0x9b02_7c20, "mul x0, x1, x2";
            mul(W, R28, R29, R30) => 0x1b1e_7fbc, "mul w28, w29, w30";
            smulh(R0, R1, R2) => 0x9b42_7c20, "smulh x0, x1, x2";
            umulh(R0, R1, R2) => 0x9bc2_7c20, "umulh x0, x1, x2";
            sdiv(W, R0, R1, R2) => 0x1ac2_0c20, "sdiv w0, w1, w2";
            udiv(X, R0, R1, R2) => 0x9ac2_0820, "udiv x0, x1, x2";
            msub(X, R0, R1, R2, R1) => 0x9b02_8420, "msub x0, x1, x2, x1";
        ],
    );
}

#[test]
fn shifts_and_bitfields() {
    check(
        "shifts and bitfields",
        file!(),
        table![
            lsl(W, R0, R1, R2) => 0x1ac2_2020, "lsl w0, w1, w2";
            lsr(X, R0, R1, R2) => 0x9ac2_2420, "lsr x0, x1, x2";
            asr(W, R0, R1, R2) => 0x1ac2_2820, "asr w0, w1, w2";
            ror(X, R0, R1, R2) => 0x9ac2_2c20, "ror x0, x1, x2";
            lsl_imm(X, R0, R1, 3) => 0xd37d_f020, "lsl x0, x1, #0x3";
            lsl_imm(W, R0, R1, 31) => 0x5301_0020, "lsl w0, w1, #0x1f";
            lsl_imm(X, R0, R1, 63) => 0xd341_0020, "lsl x0, x1, #0x3f";
            lsl_imm(X, R0, R1, 0) => 0xd340_fc20, "lsr x0, x1, #0x0";
            lsr_imm(X, R0, R1, 63) => 0xd37f_fc20, "lsr x0, x1, #0x3f";
            lsr_imm(W, R0, R1, 1) => 0x5301_7c20, "lsr w0, w1, #0x1";
            asr_imm(W, R0, R1, 1) => 0x1301_7c20, "asr w0, w1, #0x1";
            asr_imm(X, R0, R1, 63) => 0x937f_fc20, "asr x0, x1, #0x3f";
            ror_imm(X, R0, R1, 1) => 0x93c1_0420, "ror x0, x1, #0x1";
            ror_imm(W, R0, R1, 31) => 0x1381_7c20, "ror w0, w1, #0x1f";
            extr(X, R0, R1, R2, 63) => 0x93c2_fc20, "extr x0, x1, x2, #0x3f";
            extr(W, R0, R1, R2, 4) => 0x1382_1020, "extr w0, w1, w2, #0x4";
            ubfx(X, R0, R1, 8, 8) => 0xd348_3c20, "ubfx x0, x1, #0x8, #0x8";
            ubfm(W, R0, R1, 4, 2) => 0x5304_0820, "ubfiz w0, w1, #0x1c, #0x3";
            sbfm(X, R0, R1, 4, 11) => 0x9344_2c20, "sbfx x0, x1, #0x4, #0x8";
            bfm(X, R0, R1, 60, 3) => 0xb37c_0c20, "bfi x0, x1, #0x4, #0x4";
            bfm(W, R0, R1, 8, 15) => 0x3308_3c20, "bfxil w0, w1, #0x8, #0x8";
            sxtb(W, R0, R1) => 0x1300_1c20, "sxtb w0, w1";
            sxtb(X, R0, R1) => 0x9340_1c20, "sxtb x0, w1";
            sxth(X, R0, R1) => 0x9340_3c20, "sxth x0, w1";
            sxtw(R0, R1) => 0x9340_7c20, "sxtw x0, w1";
            uxtb(R0, R1) => 0x5300_1c20, "uxtb w0, w1";
            uxth(R0, R1) => 0x5300_3c20, "uxth w0, w1";
        ],
    );
}

#[test]
fn bit_counting_and_reversal() {
    check(
        "bit counting and byte reversal",
        file!(),
        table![
            clz(W, R0, R1) => 0x5ac0_1020, "clz w0, w1";
            clz(X, R0, R1) => 0xdac0_1020, "clz x0, x1";
            cls(X, R0, R1) => 0xdac0_1420, "cls x0, x1";
            rbit(W, R0, R1) => 0x5ac0_0020, "rbit w0, w1";
            rbit(X, R30, ZR) => 0xdac0_03fe, "rbit x30, xzr";
            rev(W, R0, R1) => 0x5ac0_0820, "rev w0, w1";
            rev(X, R0, R1) => 0xdac0_0c20, "rev x0, x1";
            rev16(W, R0, R1) => 0x5ac0_0420, "rev16 w0, w1";
        ],
    );
}

#[test]
fn conditional_select_and_compare() {
    check(
        "conditional select and compare",
        file!(),
        table![
            csel(X, R0, R1, R2, Cond::Eq) => 0x9a82_0020, "csel x0, x1, x2, eq";
            csel(W, R0, R1, ZR, Cond::Hs) => 0x1a9f_2020, "csel w0, w1, wzr, hs";
            csinc(W, R0, R1, R2, Cond::Lt) => 0x1a82_b420, "csinc w0, w1, w2, lt";
            csinv(X, R0, R1, R2, Cond::Gt) => 0xda82_c020, "csinv x0, x1, x2, gt";
            csneg(X, R0, R1, R2, Cond::Le) => 0xda82_d420, "csneg x0, x1, x2, le";
            csinc(X, R0, R1, R1, Cond::Ne) => 0x9a81_1420, "cinc x0, x1, eq";
            csneg(W, R0, R1, R1, Cond::Mi) => 0x5a81_4420, "cneg w0, w1, pl";
            cset(W, R0, Cond::Eq) => 0x1a9f_17e0, "cset w0, eq";
            cset(X, R0, Cond::Lo) => 0x9a9f_27e0, "cset x0, lo";
            csetm(X, R0, Cond::Hi) => 0xda9f_93e0, "csetm x0, hi";
            ccmp(X, R1, R2, 0, Cond::Ne) => 0xfa42_1020, "ccmp x1, x2, #0x0, ne";
            ccmp_imm(W, R1, 31, 0b1000, Cond::Eq) => 0x7a5f_0828, "ccmp w1, #0x1f, #0x8, eq";
            ccmn(X, R1, R2, 15, Cond::Vs) => 0xba42_602f, "ccmn x1, x2, #0xf, vs";
            ccmn_imm(X, R1, 0, 4, Cond::Ge) => 0xba40_a824, "ccmn x1, #0x0, #0x4, ge";
        ],
    );
}

#[test]
fn every_condition_code() {
    let mut cases = Vec::new();
    for cond in Cond::ALL {
        let name = cond.name();
        cases.push((
            csel(X, R0, R1, R2, cond),
            format!("csel x0, x1, x2, {name}"),
        ));
        cases.push((
            ccmp(W, R3, R4, 2, cond),
            format!("ccmp w3, w4, #0x2, {name}"),
        ));
        if !matches!(cond, Cond::Al | Cond::Nv) {
            cases.push((cset(W, R5, cond), format!("cset w5, {name}")));
            cases.push((csetm(X, R6, cond), format!("csetm x6, {name}")));
        }
    }
    check_cases("conditions", &cases);
}

#[test]
fn register_31_by_operand_position() {
    // The same field reads as sp in add-immediate, xzr in add-register.
    assert_eq!(add_imm(X, SP, SP, imm(1)) & 0x3ff, 0x3ff);
    assert_eq!(add(X, ZR, ZR, ZR) & 0x3ff, 0x3ff);
    check(
        "register 31",
        file!(),
        table![
            add_imm(X, SP, R1, imm(1)) => 0x9100_043f, "add sp, x1, #0x1";
            add(X, ZR, R1, R2) => 0x8b02_003f, "add xzr, x1, x2";
            adds_imm(X, ZR, SP, imm(1)) => 0xb100_07ff, "cmn sp, #0x1";
            orr_imm(W, SP, ZR, limm(W, 0xff)) => 0x3200_1fff, "mov wsp, #0xff";
            ands_imm(W, ZR, ZR, limm(W, 0xff)) => 0x7200_1fff, "tst wzr, #0xff";
            mov(X, ZR, ZR) => 0xaa1f_03ff, "mov xzr, xzr";
            mov_sp(W, SP, SP) => 0x1100_03ff, "mov wsp, wsp";
        ],
    );
}

#[test]
fn constants_take_the_shortest_sequence() {
    let cases: &[(u64, &[&str])] = &[
        (0, &["mov x0, #0x0"]),
        (0xffff, &["mov x0, #0xffff"]),
        (0x1_0000, &["mov x0, #0x10000"]),
        (u64::MAX, &["mov x0, #0xffffffffffffffff"]),
        (0xffff_ffff, &["mov w0, #0xffffffff"]),
        (0xffff_ffff_ffff_1234, &["mov x0, #0xffffffffffff1234"]),
        (0x5555_5555_5555_5555, &["mov x0, #0x5555555555555555"]),
        (0x0000_0000_5555_5555, &["mov w0, #0x55555555"]),
        (
            0x1234_5678,
            &["mov x0, #0x5678", "movk x0, #0x1234, lsl #16"],
        ),
        (
            0x1234_5678_9abc_def0,
            &[
                "mov x0, #0xdef0",
                "movk x0, #0x9abc, lsl #16",
                "movk x0, #0x5678, lsl #32",
                "movk x0, #0x1234, lsl #48",
            ],
        ),
        (
            0xffff_1234_ffff_5678,
            &["mov x0, #0xffffffffffff5678", "movk x0, #0x1234, lsl #32"],
        ),
        (0x8000_0000_0000_0000, &["mov x0, #0x8000000000000000"]),
    ];
    for (value, expected) in cases {
        let words = mov_imm64(R0, *value);
        let text: Vec<String> = words
            .iter()
            .map(|&word| crate::oracle::disasm(word))
            .collect();
        assert_eq!(text, *expected, "mov_imm64({value:#x})");
        assert_eq!(
            evaluate_constant(&words),
            *value,
            "mov_imm64({value:#x}) computes another value"
        );
    }
    assert_eq!(mov_imm32(R3, 0xffff_fffe).len(), 1);
    assert_eq!(
        crate::oracle::disasm(mov_imm32(R3, 0x00ff_00ff)[0]),
        "mov w3, #0xff00ff"
    );
}

/// Runs a `movz`/`movn`/`movk`/`orr`-immediate sequence on one register,
/// reading the fields straight from the words (independently of the
/// encoder's own code).
fn evaluate_constant(words: &[u32]) -> u64 {
    let mut reg = 0u64;
    for &word in words {
        let sf = word >> 31;
        let opc = (word >> 29) & 3;
        let width_mask = if sf == 1 { u64::MAX } else { 0xffff_ffff };
        if (word >> 23) & 0x3f == 0b100101 {
            let shift = 16 * ((word >> 21) & 3);
            let imm16 = u64::from((word >> 5) & 0xffff);
            reg = match opc {
                0b10 => imm16 << shift,
                0b00 => !(imm16 << shift),
                0b11 => (reg & !(0xffff << shift)) | (imm16 << shift),
                _ => panic!("not a move-wide word: {word:#x}"),
            } & width_mask;
        } else {
            assert_eq!(
                (word >> 23) & 0x3f,
                0b100100,
                "not a logical immediate: {word:#x}"
            );
            assert_eq!(opc, 0b01, "not an orr: {word:#x}");
            let (n, immr, imms) = ((word >> 22) & 1, (word >> 16) & 0x3f, (word >> 10) & 0x3f);
            let value =
                crate::logical_imm::decode_bit_masks(n, imms, immr, if sf == 1 { 64 } else { 32 })
                    .expect("valid bitmask");
            reg = value & width_mask;
        }
    }
    reg
}

#[test]
fn property_constants() {
    let mut rng = Rng::new(7);
    for _ in 0..20_000 {
        // Values with runs of 0x0000 and 0xffff halves are the interesting ones.
        let mut value = 0u64;
        for half in 0..4 {
            let random = rng.below(0x1_0000);
            let piece = rng.pick(&[0u64, 0xffff, random]);
            value |= piece << (16 * half);
        }
        let words = mov_imm64(R7, value);
        assert_eq!(evaluate_constant(&words), value, "{value:#x}");
        let zero_halves = (0..4).filter(|i| (value >> (16 * i)) & 0xffff == 0).count();
        let ones_halves = (0..4)
            .filter(|i| (value >> (16 * i)) & 0xffff == 0xffff)
            .count();
        let wide_bound = 4 - zero_halves.max(ones_halves).min(3);
        assert!(
            words.len() <= wide_bound,
            "{value:#x} took {} words",
            words.len()
        );
        let value32 = rng.next_u64() as u32;
        let words = mov_imm32(R7, value32);
        assert_eq!(
            evaluate_constant(&words),
            u64::from(value32),
            "{value32:#x}"
        );
    }
}

fn random_size(rng: &mut Rng) -> Size {
    if rng.bool() { X } else { W }
}

fn random_reg(rng: &mut Rng) -> Reg {
    Reg::new(rng.below(31) as u8).unwrap()
}

#[test]
fn property_add_sub_immediate() {
    property("add/sub immediate", 1, 3000, |rng| {
        let size = random_size(rng);
        let (rd, rn) = (rng.below(32) as u8, rng.below(32) as u8);
        let value = if rng.bool() {
            rng.below(4096)
        } else {
            rng.below(4096) << 12
        };
        let sub = rng.bool();
        let rd_reg = if rd == 31 {
            SP
        } else {
            Reg::new(rd).unwrap().into()
        };
        let rn_reg = if rn == 31 {
            SP
        } else {
            Reg::new(rn).unwrap().into()
        };
        let word = if sub {
            sub_imm(size, rd_reg, rn_reg, imm(value))
        } else {
            add_imm(size, rd_reg, rn_reg, imm(value))
        };
        let (d, n) = (gpr_name(size, rd, true), gpr_name(size, rn, true));
        let text = if !sub && value == 0 && (rd == 31 || rn == 31) {
            format!("mov {d}, {n}")
        } else if value >= 4096 {
            format!(
                "{} {d}, {n}, #{}, lsl #12",
                if sub { "sub" } else { "add" },
                hex((value >> 12) as i64)
            )
        } else {
            format!(
                "{} {d}, {n}, #{}",
                if sub { "sub" } else { "add" },
                hex(value as i64)
            )
        };
        (word, text)
    });
}

#[test]
fn property_three_registers() {
    // Families whose operands are three plain registers (or zr).
    property("three-register families", 2, 4000, |rng| {
        let size = random_size(rng);
        let regs: [u8; 3] = [
            rng.below(32) as u8,
            rng.below(32) as u8,
            rng.below(32) as u8,
        ];
        let [d, n, m] = regs.map(|r| {
            if r == 31 {
                ZR
            } else {
                Reg::new(r).unwrap().into()
            }
        });
        let [dn, nn, mn] = regs.map(|r| gpr_name(size, r, false));
        let which = rng.below(9);
        let (word, name) = match which {
            0 => (udiv(size, d, n, m), "udiv"),
            1 => (sdiv(size, d, n, m), "sdiv"),
            2 => (lsl(size, d, n, m), "lsl"),
            3 => (lsr(size, d, n, m), "lsr"),
            4 => (asr(size, d, n, m), "asr"),
            5 => (ror(size, d, n, m), "ror"),
            6 => (mul(size, d, n, m), "mul"),
            7 => (and(size, d, n, m), "and"),
            _ => (eor(size, d, n, m), "eor"),
        };
        (word, format!("{name} {dn}, {nn}, {mn}"))
    });
}

#[test]
fn property_shifted_register() {
    property("add/sub/logical shifted register", 3, 4000, |rng| {
        let size = random_size(rng);
        let regs = [
            rng.below(31) as u8,
            rng.below(31) as u8,
            rng.below(31) as u8,
        ];
        let [d, n, m] = regs.map(|r| Reg::new(r).unwrap());
        let [dn, nn, mn] = regs.map(|r| gpr_name(size, r, false));
        let amount = rng.below(u64::from(size.bits())) as u8;
        let logical = rng.bool();
        let shift = if logical {
            rng.pick(&[Shift::Lsl, Shift::Lsr, Shift::Asr, Shift::Ror])
        } else {
            rng.pick(&[Shift::Lsl, Shift::Lsr, Shift::Asr])
        };
        let shift_name = ["lsl", "lsr", "asr", "ror"][shift as usize];
        let operand = m.shifted(shift, amount);
        let (word, name) = match (logical, rng.below(4)) {
            (false, 0) => (add(size, d, n, operand), "add"),
            (false, 1) => (sub(size, d, n, operand), "sub"),
            (false, 2) => (adds(size, d, n, operand), "adds"),
            (false, _) => (subs(size, d, n, operand), "subs"),
            (true, 0) => (and(size, d, n, operand), "and"),
            (true, 1) => (orr(size, d, n, operand), "orr"),
            (true, 2) => (eor(size, d, n, operand), "eor"),
            (true, _) => (bic(size, d, n, operand), "bic"),
        };
        // yaxpeax-arm prints shift amounts in decimal, and a zero amount
        // of lsr/asr/ror as the bare shift name.
        let suffix = match (shift, amount) {
            (Shift::Lsl, 0) => String::new(),
            (_, 0) => format!(", {shift_name}"),
            _ => format!(", {shift_name} #{amount}"),
        };
        (word, format!("{name} {dn}, {nn}, {mn}{suffix}"))
    });
}

#[test]
fn property_shift_immediates() {
    property("shift by immediate", 4, 3000, |rng| {
        let size = random_size(rng);
        let (d, n) = (random_reg(rng), random_reg(rng));
        let (dn, nn) = (
            gpr_name(size, d.number(), false),
            gpr_name(size, n.number(), false),
        );
        // Amounts from 1: a shift by 0 prints as another alias.
        let amount = 1 + rng.below(u64::from(size.bits()) - 1) as u8;
        let (word, name) = match rng.below(4) {
            0 => (lsl_imm(size, d, n, amount), "lsl"),
            1 => (lsr_imm(size, d, n, amount), "lsr"),
            2 => (asr_imm(size, d, n, amount), "asr"),
            _ => (ror_imm(size, d, n, amount), "ror"),
        };
        (
            word,
            format!("{name} {dn}, {nn}, #{}", hex(i64::from(amount))),
        )
    });
}

#[test]
fn property_conditional_select() {
    property("conditional select", 5, 3000, |rng| {
        let size = random_size(rng);
        let (d, n, m) = (random_reg(rng), random_reg(rng), random_reg(rng));
        // Distinct sources avoid the cinc/cinv/cneg aliases.
        let m = if m == n {
            Reg::new((n.number() + 1) % 31).unwrap()
        } else {
            m
        };
        let names = [d, n, m].map(|r| gpr_name(size, r.number(), false));
        let cond = rng.pick(&Cond::ALL);
        let (word, name) = match rng.below(4) {
            0 => (csel(size, d, n, m, cond), "csel"),
            1 => (csinc(size, d, n, m, cond), "csinc"),
            2 => (csinv(size, d, n, m, cond), "csinv"),
            _ => (csneg(size, d, n, m, cond), "csneg"),
        };
        (
            word,
            format!(
                "{name} {}, {}, {}, {}",
                names[0],
                names[1],
                names[2],
                cond.name()
            ),
        )
    });
}

#[test]
fn property_logical_immediate() {
    property("logical immediate", 6, 4000, |rng| {
        let size = random_size(rng);
        // A random encodable value: a rotated run in a replicated element.
        let element = rng.pick(&[2u32, 4, 8, 16, 32, 64]).min(size.bits());
        let ones = 1 + rng.below(u64::from(element) - 1) as u32;
        let rotate = rng.below(u64::from(element)) as u32;
        let run = (1u64 << ones) - 1;
        let elem_mask = if element == 64 {
            u64::MAX
        } else {
            (1 << element) - 1
        };
        let rotated = if rotate == 0 {
            run
        } else {
            ((run >> rotate) | (run << (element - rotate))) & elem_mask
        };
        let mut value = 0u64;
        let mut at = 0;
        while at < size.bits() {
            value |= rotated << at;
            at += element;
        }
        let (d, n) = (random_reg(rng), random_reg(rng));
        let (dn, nn) = (
            gpr_name(size, d.number(), false),
            gpr_name(size, n.number(), false),
        );
        let imm = LogicalImm::new(value, size).expect("generated an encodable pattern");
        let (word, name) = match rng.below(3) {
            0 => (and_imm(size, d, n, imm), "and"),
            1 => (eor_imm(size, d, n, imm), "eor"),
            _ => (ands_imm(size, d, n, imm), "ands"),
        };
        (word, format!("{name} {dn}, {nn}, #{value:#x}"))
    });
}

#[test]
fn property_extended_register() {
    property("add/sub extended register", 8, 3000, |rng| {
        let size = random_size(rng);
        let (d, n, m) = (random_reg(rng), random_reg(rng), random_reg(rng));
        let extends = [
            Extend::Uxtb,
            Extend::Uxth,
            Extend::Uxtw,
            Extend::Uxtx,
            Extend::Sxtb,
            Extend::Sxth,
            Extend::Sxtw,
            Extend::Sxtx,
        ];
        let mut extend = rng.pick(&extends);
        // yaxpeax-arm prints a 64-bit uxtx as lsl (the table has one).
        if size == X && extend == Extend::Uxtx {
            extend = Extend::Sxtx;
        }
        let amount = rng.below(5) as u8;
        let operand = m.extended(extend, amount);
        let (word, name) = match rng.below(4) {
            0 => (add_ext(size, d, n, operand), "add"),
            1 => (sub_ext(size, d, n, operand), "sub"),
            2 => (adds_ext(size, d, n, operand), "adds"),
            _ => (subs_ext(size, d, n, operand), "subs"),
        };
        // The index is an x register only for uxtx/sxtx of a 64-bit operation.
        let m_size = if size == X && extend.reads_x() { X } else { W };
        // yaxpeax-arm prints uxtw as lsl (the architecture does so only
        // next to wsp in a 32-bit operation), leaving out a zero amount.
        let modifier = match (extend, amount) {
            (Extend::Uxtw, 0) => String::new(),
            (Extend::Uxtw, _) => format!(", lsl #{amount}"),
            (_, 0) => format!(", {}", format!("{extend:?}").to_lowercase()),
            (_, _) => format!(", {} #{amount}", format!("{extend:?}").to_lowercase()),
        };
        assert_eq!((word >> 13) & 7, extend as u32, "option field");
        let text = format!(
            "{name} {}, {}, {}{modifier}",
            gpr_name(size, d.number(), false),
            gpr_name(size, n.number(), false),
            gpr_name(m_size, m.number(), false),
        );
        (word, text)
    });
}

#[test]
fn property_move_wide() {
    property("move wide", 9, 3000, |rng| {
        let size = random_size(rng);
        let rd = random_reg(rng);
        let name = gpr_name(size, rd.number(), false);
        let shift = 16 * rng.below(u64::from(size.bits() / 16)) as u8;
        // Non-zero immediates (and not a W movn of 0xffff): the forms
        // where the architecture itself prefers the `mov` alias.
        let imm16 = 1 + rng.below(0xfffe) as u16;
        let mask = if size == X { u64::MAX } else { 0xffff_ffff };
        let shifted = u64::from(imm16) << shift;
        match rng.below(3) {
            0 => (
                movz(size, rd, imm16, shift),
                format!("mov {name}, #{shifted:#x}"),
            ),
            1 => (
                movn(size, rd, imm16, shift),
                format!("mov {name}, #{:#x}", !shifted & mask),
            ),
            _ => {
                let lsl = if shift == 0 {
                    String::new()
                } else {
                    format!(", lsl #{shift}")
                };
                (
                    movk(size, rd, imm16, shift),
                    format!("movk {name}, #{imm16:#x}{lsl}"),
                )
            }
        }
    });
}

#[test]
#[should_panic(expected = "shift amount 32 is not below the operation width")]
fn shift_amounts_stay_below_the_width() {
    lsl_imm(W, R0, R1, 32);
}

#[test]
#[should_panic(expected = "add/sub take no ror shift")]
fn add_rejects_ror() {
    add(X, R0, R1, R2.ror(1));
}

#[test]
#[should_panic(expected = "logical immediate made for X used with W")]
fn logical_immediates_keep_their_size() {
    and_imm(W, R0, R1, limm(X, 1));
}

#[test]
#[should_panic(expected = "extended-register shift 5 is above 4")]
fn extend_shifts_stop_at_four() {
    add_ext(X, R0, R1, R2.extended(Extend::Uxtw, 5));
}

#[test]
#[should_panic(expected = "cset needs a real condition")]
fn cset_needs_an_invertible_condition() {
    cset(X, R0, Cond::Al);
}
