//! Branches, traps, barriers and cache maintenance.

use ember_jit_aarch64::Size::{W, X};
use ember_jit_aarch64::*;

use crate::oracle::{check, check_cases, property};
use crate::{hex, table};

#[test]
fn pc_relative_branches() {
    check(
        "branches",
        file!(),
        table![
            b(0) => 0x1400_0000, "b $+0x0";
            b(8) => 0x1400_0002, "b $+0x8";
            b(-4) => 0x17ff_ffff, "b $-0x4";
            b((1 << 27) - 4) => 0x15ff_ffff, "b $+0x7fffffc";
            b(-(1 << 27)) => 0x1600_0000, "b $-0x8000000";
            bl(4) => 0x9400_0001, "bl $+0x4";
            bl(-(1 << 27)) => 0x9600_0000, "bl $-0x8000000";
            b_cond(Cond::Eq, 8) => 0x5400_0040, "b.eq $+0x8";
            b_cond(Cond::Ne, (1 << 20) - 4) => 0x547f_ffe1, "b.ne $+0xffffc";
            b_cond(Cond::Lt, -(1 << 20)) => 0x5480_000b, "b.lt $-0x100000";
            cbz(W, R0, 4) => 0x3400_0020, "cbz w0, $+0x4";
            cbnz(X, R3, -8) => 0xb5ff_ffc3, "cbnz x3, $-0x8";
            cbz(X, ZR, (1 << 20) - 4) => 0xb47f_ffff, "cbz xzr, $+0xffffc";
            tbz(R0, 0, 4) => 0x3600_0020, "tbz w0, #0x0, $+0x4";
            tbz(R0, 63, 8) => 0xb6f8_0040, "tbz x0, #0x3f, $+0x8";
            tbnz(R5, 31, -4) => 0x37ff_ffe5, "tbnz w5, #0x1f, $-0x4";
            tbnz(R5, 32, (1 << 15) - 4) => 0xb703_ffe5, "tbnz x5, #0x20, $+0x7ffc";
            tbz(R5, 1, -(1 << 15)) => 0x360c_0005, "tbz w5, #0x1, $-0x8000";
            adr(R0, 1) => 0x3000_0000, "adr x0, $+0x1";
            adr(R0, -1) => 0x70ff_ffe0, "adr x0, $-0x1";
            adr(R1, (1 << 20) - 1) => 0x707f_ffe1, "adr x1, $+0xfffff";
            adr(R1, -(1 << 20)) => 0x1080_0001, "adr x1, $-0x100000";
            adrp(R0, 1) => 0xb000_0000, "adrp x0, $+0x1000";
            adrp(R0, -1) => 0xf0ff_ffe0, "adrp x0, $-0x1000";
        ],
    );
}

#[test]
fn branch_distances_out_of_reach() {
    assert_eq!(b(1 << 27), None);
    assert_eq!(b(-(1 << 27) - 4), None);
    assert_eq!(b(2), None);
    assert_eq!(b_cond(Cond::Eq, 1 << 20), None);
    assert_eq!(b_cond(Cond::Eq, -(1 << 20) - 4), None);
    assert_eq!(cbz(X, R0, 1 << 20), None);
    assert_eq!(tbz(R0, 3, 1 << 15), None);
    assert_eq!(tbnz(R0, 3, -(1 << 15) - 4), None);
    assert_eq!(adr(R0, 1 << 20), None);
    assert_eq!(adrp(R0, 1 << 20), None);
}

#[test]
fn register_branches_and_traps() {
    check(
        "register branches, traps, hints",
        file!(),
        table![
            br(R16) => 0xd61f_0200, "br x16";
            blr(R17) => 0xd63f_0220, "blr x17";
            ret() => 0xd65f_03c0, "ret";
            ret_to(R1) => 0xd65f_0020, "ret x1";
            brk(0) => 0xd420_0000, "brk #0x0";
            brk(0xf000) => 0xd43e_0000, "brk #0xf000";
            udf(0) => 0x0, "udf #0x0";
            udf(0xdead) => 0x0000_dead, "udf #0xdead";
            nop() => 0xd503_201f, "nop";
        ],
    );
}

#[test]
fn barriers_and_cache_maintenance() {
    // yaxpeax-arm prints cache maintenance as the underlying `sys`
    // instruction: `dc cvau` is sys #3, c7, c11, #1 and `ic ivau` is sys #3,
    // c7, c5, #1.
    check(
        "barriers and cache maintenance",
        file!(),
        table![
            dmb(Barrier::Ish) => 0xd503_3bbf, "dmb ish";
            dmb(Barrier::IshLd) => 0xd503_39bf, "dmb ishld";
            dmb(Barrier::Sy) => 0xd503_3fbf, "dmb sy";
            dsb(Barrier::Ish) => 0xd503_3b9f, "dsb ish";
            dsb(Barrier::Sy) => 0xd503_3f9f, "dsb sy";
            dsb(Barrier::NshSt) => 0xd503_369f, "dsb nshst";
            isb() => 0xd503_3fdf, "isb";
            dc_cvau(R0) => 0xd50b_7b20, "sys #0x3, c7, c11, #0x1, x0";
            dc_civac(R3) => 0xd50b_7e23, "sys #0x3, c7, c14, #0x1, x3";
            ic_ivau(R0) => 0xd50b_7520, "sys #0x3, c7, c5, #0x1, x0";
            ic_iallu() => 0xd508_751f, "sys #0x0, c7, c5, #0x0, xzr";
            mrs(R0, SysReg::CTR_EL0) => 0xd53b_0020, "mrs x0, s3_3_c0_c0_1";
            mrs(R1, SysReg::FPSR) => 0xd53b_4421, "mrs x1, s3_3_c4_c4_1";
            msr(SysReg::FPCR, R2) => 0xd51b_4402, "msr s3_3_c4_c4_0, x2";
        ],
    );
}

#[test]
fn every_condition_code_branches() {
    let cases: Vec<(u32, String)> = Cond::ALL
        .iter()
        .map(|&cond| {
            (
                b_cond(cond, 16).unwrap(),
                format!("b.{} $+0x10", cond.name()),
            )
        })
        .collect();
    check_cases("b.cond", &cases);
}

#[test]
fn property_branch_offsets() {
    property("branch offsets", 31, 5000, |rng| {
        let kind = rng.below(5);
        match kind {
            0 => {
                let offset = 4 * (rng.below(1 << 26) as i64 - (1 << 25));
                (
                    b(offset).unwrap(),
                    format!("b ${}{}", if offset < 0 { "" } else { "+" }, hex(offset)),
                )
            }
            1 => {
                let offset = 4 * (rng.below(1 << 19) as i64 - (1 << 18));
                let cond = rng.pick(&Cond::ALL);
                let sign = if offset < 0 { "" } else { "+" };
                (
                    b_cond(cond, offset).unwrap(),
                    format!("b.{} ${sign}{}", cond.name(), hex(offset)),
                )
            }
            2 => {
                let offset = 4 * (rng.below(1 << 19) as i64 - (1 << 18));
                let reg = Reg::new(rng.below(31) as u8).unwrap();
                let size = if rng.bool() { X } else { W };
                let name = crate::gpr_name(size, reg.number(), false);
                let sign = if offset < 0 { "" } else { "+" };
                let nonzero = rng.bool();
                let word = if nonzero {
                    cbnz(size, reg, offset)
                } else {
                    cbz(size, reg, offset)
                }
                .unwrap();
                (
                    word,
                    format!(
                        "{} {name}, ${sign}{}",
                        if nonzero { "cbnz" } else { "cbz" },
                        hex(offset)
                    ),
                )
            }
            3 => {
                let offset = 4 * (rng.below(1 << 14) as i64 - (1 << 13));
                let reg = Reg::new(rng.below(31) as u8).unwrap();
                let bit = rng.below(64) as u8;
                let size = if bit >= 32 { X } else { W };
                let name = crate::gpr_name(size, reg.number(), false);
                let sign = if offset < 0 { "" } else { "+" };
                let word = tbnz(reg, bit, offset).unwrap();
                (
                    word,
                    format!(
                        "tbnz {name}, #{}, ${sign}{}",
                        hex(i64::from(bit)),
                        hex(offset)
                    ),
                )
            }
            _ => {
                let offset = rng.below(1 << 21) as i64 - (1 << 20);
                let reg = Reg::new(rng.below(31) as u8).unwrap();
                let sign = if offset < 0 { "" } else { "+" };
                (
                    adr(reg, offset).unwrap(),
                    format!("adr x{}, ${sign}{}", reg.number(), hex(offset)),
                )
            }
        }
    });
}
