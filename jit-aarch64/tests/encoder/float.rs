//! Scalar floating-point and the vector helpers.

use ember_jit_aarch64::FpSize::{D, S};
use ember_jit_aarch64::Size::{W, X};
use ember_jit_aarch64::*;

use crate::oracle::{check, check_cases, property};
use crate::table;

fn fp_imm(value: f64) -> FpImm8 {
    FpImm8::from_f64(value).expect("encodable FP immediate")
}

#[test]
fn arithmetic() {
    check(
        "FP arithmetic",
        file!(),
        table![
            fadd(S, V0, V1, V2) => 0x1e22_2820, "fadd s0, s1, s2";
            fadd(D, V0, V1, V2) => 0x1e62_2820, "fadd d0, d1, d2";
            fsub(D, V31, V30, V29) => 0x1e7d_3bdf, "fsub d31, d30, d29";
            fmul(S, V3, V4, V5) => 0x1e25_0883, "fmul s3, s4, s5";
            fdiv(D, V3, V4, V5) => 0x1e65_1883, "fdiv d3, d4, d5";
            fmin(S, V0, V1, V2) => 0x1e22_5820, "fmin s0, s1, s2";
            fmax(D, V0, V1, V2) => 0x1e62_4820, "fmax d0, d1, d2";
            fminnm(D, V0, V1, V2) => 0x1e62_7820, "fminnm d0, d1, d2";
            fmaxnm(S, V0, V1, V2) => 0x1e22_6820, "fmaxnm s0, s1, s2";
            fnmul(D, V0, V1, V2) => 0x1e62_8820, "fnmul d0, d1, d2";
            fsqrt(S, V0, V1) => 0x1e21_c020, "fsqrt s0, s1";
            fsqrt(D, V0, V1) => 0x1e61_c020, "fsqrt d0, d1";
            fabs(D, V0, V1) => 0x1e60_c020, "fabs d0, d1";
            fneg(S, V0, V1) => 0x1e21_4020, "fneg s0, s1";
            fmov(D, V0, V1) => 0x1e60_4020, "fmov d0, d1";
            fmov(S, V7, V8) => 0x1e20_4107, "fmov s7, s8";
        ],
    );
}

#[test]
fn rounding_and_precision() {
    check(
        "FP rounding and precision",
        file!(),
        table![
            frintn(D, V0, V1) => 0x1e64_4020, "frintn d0, d1";
            frintm(S, V0, V1) => 0x1e25_4020, "frintm s0, s1";
            frintp(D, V0, V1) => 0x1e64_c020, "frintp d0, d1";
            frintz(S, V0, V1) => 0x1e25_c020, "frintz s0, s1";
            frinta(D, V0, V1) => 0x1e66_4020, "frinta d0, d1";
            frintx(D, V0, V1) => 0x1e67_4020, "frintx d0, d1";
            frinti(S, V0, V1) => 0x1e27_c020, "frinti s0, s1";
            fcvt(D, V0, S, V1) => 0x1e22_c020, "fcvt d0, s1";
            fcvt(S, V0, D, V1) => 0x1e62_4020, "fcvt s0, d1";
        ],
    );
}

#[test]
fn compare_and_select() {
    check(
        "FP compare and select",
        file!(),
        table![
            fcmp(S, V0, V1) => 0x1e21_2000, "fcmp s0, s1";
            fcmp(D, V30, V31) => 0x1e7f_23c0, "fcmp d30, d31";
            fcmp_zero(S, V0) => 0x1e20_2008, "fcmp s0, #0.0";
            fcmp_zero(D, V5) => 0x1e60_20a8, "fcmp d5, #0.0";
            fcmpe(D, V0, V1) => 0x1e61_2010, "fcmpe d0, d1";
            fcsel(D, V0, V1, V2, Cond::Eq) => 0x1e62_0c20, "fcsel d0, d1, d2, eq";
            fcsel(S, V0, V1, V2, Cond::Vs) => 0x1e22_6c20, "fcsel s0, s1, s2, vs";
        ],
    );
}

#[test]
fn conversions() {
    check(
        "FP/integer conversions",
        file!(),
        table![
            scvtf(S, V0, W, R1) => 0x1e22_0020, "scvtf s0, w1";
            scvtf(D, V0, X, R1) => 0x9e62_0020, "scvtf d0, x1";
            scvtf(S, V0, X, R1) => 0x9e22_0020, "scvtf s0, x1";
            ucvtf(D, V0, W, R1) => 0x1e63_0020, "ucvtf d0, w1";
            ucvtf(S, V0, X, ZR) => 0x9e23_03e0, "ucvtf s0, xzr";
            fcvtzs(W, R0, S, V1) => 0x1e38_0020, "fcvtzs w0, s1";
            fcvtzs(X, R0, D, V1) => 0x9e78_0020, "fcvtzs x0, d1";
            fcvtzs(W, R0, D, V1) => 0x1e78_0020, "fcvtzs w0, d1";
            fcvtzu(X, R0, S, V1) => 0x9e39_0020, "fcvtzu x0, s1";
            fcvtzu(W, R0, D, V31) => 0x1e79_03e0, "fcvtzu w0, d31";
        ],
    );
}

#[test]
fn moves() {
    check(
        "FP moves",
        file!(),
        table![
            fmov_to_gpr(S, R0, V1) => 0x1e26_0020, "fmov w0, s1";
            fmov_to_gpr(D, R0, V1) => 0x9e66_0020, "fmov x0, d1";
            fmov_from_gpr(S, V0, R1) => 0x1e27_0020, "fmov s0, w1";
            fmov_from_gpr(D, V0, R1) => 0x9e67_0020, "fmov d0, x1";
            fmov_from_gpr(D, V0, ZR) => 0x9e67_03e0, "fmov d0, xzr";
            fmov_imm(D, V0, fp_imm(2.0)) => 0x1e60_1000, "fmov d0, #2.0";
            fmov_imm(S, V0, fp_imm(1.0)) => 0x1e2e_1000, "fmov s0, #1.0";
            fmov_imm(D, V1, fp_imm(-0.5)) => 0x1e7c_1001, "fmov d1, #-0.5";
            fmov_imm(S, V2, fp_imm(31.0)) => 0x1e27_f002, "fmov s2, #31.0";
            fmov_imm(D, V3, fp_imm(0.125)) => 0x1e68_1003, "fmov d3, #0.125";
            fmov_imm(D, V4, fp_imm(1.9375)) => 0x1e6f_f004, "fmov d4, #1.9375";
        ],
    );
}

#[test]
fn vector_helpers() {
    check(
        "vector helpers",
        file!(),
        table![
            mov_16b(V0, V1) => 0x4ea1_1c20, "mov v0.16b, v1.16b";
            orr_16b(V0, V1, V2) => 0x4ea2_1c20, "orr v0.16b, v1.16b, v2.16b";
            and_16b(V0, V1, V2) => 0x4e22_1c20, "and v0.16b, v1.16b, v2.16b";
            bic_16b(V0, V1, V2) => 0x4e62_1c20, "bic v0.16b, v1.16b, v2.16b";
            eor_16b(V0, V1, V2) => 0x6e22_1c20, "eor v0.16b, v1.16b, v2.16b";
            cnt_8b(V0, V0) => 0x0e20_5800, "cnt v0.8b, v0.8b";
            cnt_16b(V1, V2) => 0x4e20_5841, "cnt v1.16b, v2.16b";
            addv_8b(V0, V0) => 0x0e31_b800, "addv b0, v0.8b";
            addv_16b(V3, V4) => 0x4e31_b883, "addv b3, v4.16b";
            umov(Lane::B, R0, V0, 0) => 0x0e01_3c00, "umov w0, v0.b[0]";
            umov(Lane::B, R0, V0, 15) => 0x0e1f_3c00, "umov w0, v0.b[15]";
            umov(Lane::H, R1, V2, 7) => 0x0e1e_3c41, "umov w1, v2.h[7]";
            umov(Lane::S, R1, V2, 3) => 0x0e1c_3c41, "mov w1, v2.s[3]";
            umov(Lane::D, R1, V2, 1) => 0x4e18_3c41, "mov x1, v2.d[1]";
            ins_from_gpr(Lane::D, V0, 1, R1) => 0x4e18_1c20, "mov v0.d[1], x1";
            ins_from_gpr(Lane::S, V0, 2, R1) => 0x4e14_1c20, "mov v0.s[2], w1";
        ],
    );
}

#[test]
fn every_fp_immediate() {
    let mut cases = Vec::new();
    for bits in 0..=255u8 {
        let value = decode_imm8(bits);
        let imm = FpImm8::from_f64(value).expect("every imm8 value is encodable");
        assert_eq!(imm.bits(), bits);
        cases.push((fmov_imm(D, V0, imm), format!("fmov d0, #{value:?}")));
    }
    check_cases("fmov immediates", &cases);
}

/// `VFPExpandImm` for 64 bits, written from the architecture's definition.
fn decode_imm8(imm8: u8) -> f64 {
    let sign = if imm8 & 0x80 != 0 { -1.0 } else { 1.0 };
    let b = (imm8 >> 6) & 1;
    let cd = i32::from((imm8 >> 4) & 3);
    let exponent = if b == 1 { cd - 3 } else { cd + 1 };
    let fraction = 1.0 + f64::from(imm8 & 0xf) / 16.0;
    sign * fraction * 2f64.powi(exponent)
}

/// A binary scalar FP encoder.
type Binary = fn(FpSize, VReg, VReg, VReg) -> u32;
/// A unary scalar FP encoder.
type Unary = fn(FpSize, VReg, VReg) -> u32;

#[test]
fn property_arithmetic() {
    property("FP arithmetic", 41, 4000, |rng| {
        let size = if rng.bool() { D } else { S };
        let prefix = if size == D { "d" } else { "s" };
        let [d, n, m] =
            [rng.below(32), rng.below(32), rng.below(32)].map(|r| VReg::new(r as u8).unwrap());
        let names = [d, n, m].map(|r| format!("{prefix}{}", r.number()));
        let binary: [(Binary, &str); 6] = [
            (fadd, "fadd"),
            (fsub, "fsub"),
            (fmul, "fmul"),
            (fdiv, "fdiv"),
            (fmin, "fmin"),
            (fmax, "fmax"),
        ];
        let unary: [(Unary, &str); 8] = [
            (fabs, "fabs"),
            (fneg, "fneg"),
            (fsqrt, "fsqrt"),
            (frintn, "frintn"),
            (frintm, "frintm"),
            (frintp, "frintp"),
            (frintz, "frintz"),
            (fmov, "fmov"),
        ];
        if rng.bool() {
            let (encode, name) = rng.pick(&binary);
            (
                encode(size, d, n, m),
                format!("{name} {}, {}, {}", names[0], names[1], names[2]),
            )
        } else {
            let (encode, name) = rng.pick(&unary);
            (
                encode(size, d, n),
                format!("{name} {}, {}", names[0], names[1]),
            )
        }
    });
}

#[test]
fn property_conversions() {
    property("FP/integer conversions", 42, 4000, |rng| {
        let fp = if rng.bool() { D } else { S };
        let int = if rng.bool() { X } else { W };
        let v = VReg::new(rng.below(32) as u8).unwrap();
        let r = rng.below(32) as u8;
        let reg = if r == 31 {
            ZR
        } else {
            Reg::new(r).unwrap().into()
        };
        let v_name = format!("{}{}", if fp == D { "d" } else { "s" }, v.number());
        let r_name = crate::gpr_name(int, r, false);
        match rng.below(4) {
            0 => (scvtf(fp, v, int, reg), format!("scvtf {v_name}, {r_name}")),
            1 => (ucvtf(fp, v, int, reg), format!("ucvtf {v_name}, {r_name}")),
            2 => (
                fcvtzs(int, reg, fp, v),
                format!("fcvtzs {r_name}, {v_name}"),
            ),
            _ => (
                fcvtzu(int, reg, fp, v),
                format!("fcvtzu {r_name}, {v_name}"),
            ),
        }
    });
}

#[test]
fn property_compare_and_select() {
    property("FP compare and select", 43, 3000, |rng| {
        let size = if rng.bool() { D } else { S };
        let prefix = if size == D { "d" } else { "s" };
        let [d, n, m] =
            [rng.below(32), rng.below(32), rng.below(32)].map(|r| VReg::new(r as u8).unwrap());
        let name = |r: VReg| format!("{prefix}{}", r.number());
        match rng.below(3) {
            0 => (fcmp(size, n, m), format!("fcmp {}, {}", name(n), name(m))),
            1 => (fcmp_zero(size, n), format!("fcmp {}, #0.0", name(n))),
            _ => {
                let cond = rng.pick(&Cond::ALL);
                let text = format!(
                    "fcsel {}, {}, {}, {}",
                    name(d),
                    name(n),
                    name(m),
                    cond.name()
                );
                (fcsel(size, d, n, m, cond), text)
            }
        }
    });
}

#[test]
fn property_lane_moves() {
    property("umov", 44, 2000, |rng| {
        let (lane, count, suffix) = rng.pick(&[
            (Lane::B, 16, "b"),
            (Lane::H, 8, "h"),
            (Lane::S, 4, "s"),
            (Lane::D, 2, "d"),
        ]);
        let index = rng.below(count) as u8;
        let vn = VReg::new(rng.below(32) as u8).unwrap();
        let rd = Reg::new(rng.below(31) as u8).unwrap();
        let size = if lane == Lane::D { X } else { W };
        // The architecture prints 32/64-bit lane moves as `mov`.
        let name = if matches!(lane, Lane::S | Lane::D) {
            "mov"
        } else {
            "umov"
        };
        let text = format!(
            "{name} {}, v{}.{suffix}[{index}]",
            crate::gpr_name(size, rd.number(), false),
            vn.number()
        );
        (umov(lane, rd, vn, index), text)
    });
}

#[test]
#[should_panic(expected = "lane 2 of D does not exist")]
fn lanes_stay_inside_the_register() {
    umov(Lane::D, R0, V0, 2);
}
