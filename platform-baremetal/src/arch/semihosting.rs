//! Arm semihosting: the debugger (here QEMU with `-semihosting`) services
//! `hlt #0xf000` requests. Only the exit call is used.

use core::arch::asm;

/// `SYS_EXIT`.
const SYS_EXIT: u32 = 0x18;
/// `ADP_Stopped_ApplicationExit`: a normal exit with a status code.
const APPLICATION_EXIT: u64 = 0x20026;

/// Ends the program with exit status `code` (QEMU exits with it). If no
/// debugger handles the request, parks the core.
pub fn exit(code: u32) -> ! {
    let block: [u64; 2] = [APPLICATION_EXIT, u64::from(code)];
    // SAFETY: with semihosting enabled the host reads the two-word block
    // and stops the machine; without it `hlt` is an undefined-instruction
    // exception that the vector table reports.
    unsafe {
        asm!("hlt #0xf000", in("w0") SYS_EXIT, in("x1") block.as_ptr(), options(nostack));
    }
    loop {
        super::wait_for_interrupt();
    }
}
