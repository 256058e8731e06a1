//! The EL1 exception vector table. IRQs taken from EL1 save the
//! caller-saved state (including all SIMD registers, since Rust handlers
//! may use them), call `ember_irq` and return; every other exception is
//! fatal and goes to `ember_fatal_exception` with its syndrome, which
//! reports it and never returns. Both handlers live in the runtime
//! (`crate::rt`), which forwards to the board.

use core::arch::global_asm;

/// Which vector an exception came through (the table's 16 entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VectorSlot(pub u64);

impl VectorSlot {
    /// "synchronous exception from EL1 using SP_EL1" and so on.
    pub fn describe(self) -> (&'static str, &'static str) {
        let kind = match self.0 % 4 {
            0 => "synchronous exception",
            1 => "IRQ",
            2 => "FIQ",
            _ => "SError",
        };
        let source = match self.0 / 4 {
            0 => "EL1 with SP_EL0",
            1 => "EL1 with SP_EL1",
            2 => "a lower EL (AArch64)",
            _ => "a lower EL (AArch32)",
        };
        (kind, source)
    }
}

/// A name for the exception class (ESR_ELx.EC) of a synchronous exception.
pub fn exception_class_name(esr: u64) -> &'static str {
    match esr >> 26 {
        0x00 => "unknown reason",
        0x01 => "wfi/wfe trapped",
        0x07 => "SIMD/FP access trapped",
        0x0e => "illegal execution state",
        0x15 => "svc",
        0x18 => "system register access trapped",
        0x20 | 0x21 => "instruction abort",
        0x22 => "PC alignment fault",
        0x24 | 0x25 => "data abort",
        0x26 => "SP alignment fault",
        0x2c => "floating-point exception",
        0x2f => "SError",
        0x30..=0x35 => "debug exception",
        0x3c => "brk instruction",
        _ => "other",
    }
}

/// For an instruction or data abort: what kind of fault (from the fault
/// status code), its translation level, and the access (`read`, `write` or
/// `instruction fetch`). Allocates nothing: it runs in the fault handler.
pub fn describe_abort(esr: u64) -> Option<(&'static str, u64, &'static str)> {
    let class = esr >> 26;
    if !matches!(class, 0x20 | 0x21 | 0x24 | 0x25) {
        return None;
    }
    let status = esr & 0x3f;
    let level = status & 3;
    let kind = match status >> 2 {
        0b0001 => "translation fault",
        0b0010 => "access flag fault",
        0b0011 => "permission fault",
        _ if status == 0b10_0001 => "alignment fault",
        _ => "other fault",
    };
    let access = match class {
        0x24 | 0x25 if esr & (1 << 6) != 0 => "write",
        0x24 | 0x25 => "read",
        _ => "instruction fetch",
    };
    Some((kind, level, access))
}

// The table must be 2 KiB aligned; each entry has 0x80 bytes. Entry 5
// (IRQ, current EL with SP_ELx) is the only one that returns.
//
// IRQ frame (704 bytes, 16-aligned): x0-x18, x29, x30, FPSR and FPCR at
// [0, 184), q0-q31 at [192, 704).
global_asm!(
    r#"
.section .text.ember_vectors, "ax"
.balign 0x800
.global ember_vectors
ember_vectors:
.irp slot, 0, 1, 2, 3, 4
    .balign 0x80
    mov x0, #\slot
    b ember_vector_fatal
.endr
    .balign 0x80
    b ember_vector_irq
.irp slot, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .balign 0x80
    mov x0, #\slot
    b ember_vector_fatal
.endr

ember_vector_fatal:
    mrs x1, esr_el1
    mrs x2, elr_el1
    mrs x3, far_el1
    bl ember_fatal_exception
1:  wfe
    b 1b

ember_vector_irq:
    sub sp, sp, #704
    stp x0, x1, [sp, #0]
    stp x2, x3, [sp, #16]
    stp x4, x5, [sp, #32]
    stp x6, x7, [sp, #48]
    stp x8, x9, [sp, #64]
    stp x10, x11, [sp, #80]
    stp x12, x13, [sp, #96]
    stp x14, x15, [sp, #112]
    stp x16, x17, [sp, #128]
    stp x18, x29, [sp, #144]
    mrs x0, fpsr
    mrs x1, fpcr
    stp x30, x0, [sp, #160]
    str x1, [sp, #176]
    stp q0, q1, [sp, #192]
    stp q2, q3, [sp, #224]
    stp q4, q5, [sp, #256]
    stp q6, q7, [sp, #288]
    stp q8, q9, [sp, #320]
    stp q10, q11, [sp, #352]
    stp q12, q13, [sp, #384]
    stp q14, q15, [sp, #416]
    stp q16, q17, [sp, #448]
    stp q18, q19, [sp, #480]
    stp q20, q21, [sp, #512]
    stp q22, q23, [sp, #544]
    stp q24, q25, [sp, #576]
    stp q26, q27, [sp, #608]
    stp q28, q29, [sp, #640]
    stp q30, q31, [sp, #672]
    bl ember_irq
    ldp q0, q1, [sp, #192]
    ldp q2, q3, [sp, #224]
    ldp q4, q5, [sp, #256]
    ldp q6, q7, [sp, #288]
    ldp q8, q9, [sp, #320]
    ldp q10, q11, [sp, #352]
    ldp q12, q13, [sp, #384]
    ldp q14, q15, [sp, #416]
    ldp q16, q17, [sp, #448]
    ldp q18, q19, [sp, #480]
    ldp q20, q21, [sp, #512]
    ldp q22, q23, [sp, #544]
    ldp q24, q25, [sp, #576]
    ldp q26, q27, [sp, #608]
    ldp q28, q29, [sp, #640]
    ldp q30, q31, [sp, #672]
    ldr x1, [sp, #176]
    ldp x30, x0, [sp, #160]
    msr fpsr, x0
    msr fpcr, x1
    ldp x18, x29, [sp, #144]
    ldp x16, x17, [sp, #128]
    ldp x14, x15, [sp, #112]
    ldp x12, x13, [sp, #96]
    ldp x10, x11, [sp, #80]
    ldp x8, x9, [sp, #64]
    ldp x6, x7, [sp, #48]
    ldp x4, x5, [sp, #32]
    ldp x2, x3, [sp, #16]
    ldp x0, x1, [sp, #0]
    add sp, sp, #704
    eret
"#
);
