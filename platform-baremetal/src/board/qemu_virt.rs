//! Board support for QEMU's `virt` machine (`-M virt -cpu cortex-a72`,
//! entered at EL1 with the MMU off): boot code, the memory map, the PL011
//! UART, the GICv2 with the EL1 virtual timer's interrupt, and exit
//! through semihosting. Everything board-specific lives here; the runtime
//! (`crate::rt`) only calls the items below.

use core::arch::global_asm;
use core::ops::Range;
use core::ptr::{read_volatile, write_volatile};
use core::sync::atomic::{AtomicUsize, Ordering};

use crate::arch::{self, mmu::MemoryKind};

/// Start of RAM.
pub const RAM_START: usize = 0x4000_0000;
/// RAM size this firmware assumes (run QEMU with `-m 128M` or more).
pub const RAM_BYTES: usize = 128 << 20;

/// Address ranges that are not RAM and how to map them: everything below
/// RAM is MMIO (flash, GIC, UART, RTC, virtio, PCIe windows).
pub const DEVICE_RANGES: &[(Range<usize>, MemoryKind)] = &[(0..RAM_START, MemoryKind::Device)];

/// PL011 UART 0.
const UART_BASE: usize = 0x0900_0000;
/// GICv2 distributor and CPU interface.
const GICD_BASE: usize = 0x0800_0000;
const GICC_BASE: usize = 0x0801_0000;
/// The EL1 virtual timer's private peripheral interrupt.
const VIRTUAL_TIMER_IRQ: u32 = 27;

// Boot: park every core but the first, enable FP/SIMD (Rust uses the
// vector registers), install the vector table, set up the stack from the
// linker script, zero .bss and enter the runtime.
global_asm!(
    r#"
.section .text.ember_boot, "ax"
.global _start
_start:
    mrs x0, mpidr_el1
    and x0, x0, #0xff
    cbnz x0, 3f
    mov x0, #(3 << 20)              // CPACR_EL1.FPEN = 0b11
    msr cpacr_el1, x0
    isb
    adrp x0, ember_vectors
    add x0, x0, :lo12:ember_vectors
    msr vbar_el1, x0
    isb
    adrp x0, __stack_top
    add x0, x0, :lo12:__stack_top
    mov sp, x0
    adrp x0, __bss_start
    add x0, x0, :lo12:__bss_start
    adrp x1, __bss_end
    add x1, x1, :lo12:__bss_end
1:  cmp x0, x1
    b.hs 2f
    stp xzr, xzr, [x0], #16
    b 1b
2:  bl ember_rust_start
3:  wfe
    b 3b
"#
);

unsafe extern "C" {
    static __image_start: u8;
    static __text_end: u8;
    static __rodata_end: u8;
    static __stack_bottom: u8;
    static __stack_top: u8;
    static __image_end: u8;
}

/// Where the linker put things.
pub struct ImageLayout {
    /// RAM below the image (QEMU's device tree blob): read-only.
    pub below: Range<usize>,
    /// `.text`: executable, read-only.
    pub text: Range<usize>,
    /// `.rodata`: read-only.
    pub rodata: Range<usize>,
    /// `.data`, `.bss` and the boot stack: read+write.
    pub data: Range<usize>,
    /// The boot stack (inside `data`).
    pub stack: Range<usize>,
    /// RAM after the image: free for the runtime.
    pub free: Range<usize>,
}

/// The firmware image's layout in RAM.
pub fn image_layout() -> ImageLayout {
    // Only the addresses of the linker-script symbols are used.
    let image_start = (&raw const __image_start) as usize;
    let text_end = (&raw const __text_end) as usize;
    let rodata_end = (&raw const __rodata_end) as usize;
    let image_end = (&raw const __image_end) as usize;
    let stack = (&raw const __stack_bottom) as usize..(&raw const __stack_top) as usize;
    ImageLayout {
        below: RAM_START..image_start,
        text: image_start..text_end,
        rodata: text_end..rodata_end,
        data: rodata_end..image_end,
        stack,
        free: image_end..RAM_START + RAM_BYTES,
    }
}

fn mmio_read(address: usize) -> u32 {
    // SAFETY: only called with register addresses of this board's devices,
    // which are mapped as Device memory (or the MMU is off).
    unsafe { read_volatile(address as *const u32) }
}

fn mmio_write(address: usize, value: u32) {
    // SAFETY: as in `mmio_read`.
    unsafe { write_volatile(address as *mut u32, value) }
}

/// Sets up the UART: 8 data bits, no parity, one stop bit, FIFOs on.
pub fn init_console() {
    const CR: usize = UART_BASE + 0x30;
    mmio_write(CR, 0);
    mmio_write(UART_BASE + 0x24, 13); // IBRD: 115200 baud at 24 MHz
    mmio_write(UART_BASE + 0x28, 1); // FBRD
    mmio_write(UART_BASE + 0x2c, (0b11 << 5) | (1 << 4)); // LCR_H: WLEN 8, FEN
    mmio_write(CR, (1 << 0) | (1 << 8) | (1 << 9)); // UARTEN, TXE, RXE
}

/// Writes bytes to the UART, waiting while its FIFO is full.
pub fn console_write(bytes: &[u8]) {
    const FLAG_TX_FULL: u32 = 1 << 5;
    for &byte in bytes {
        while mmio_read(UART_BASE + 0x18) & FLAG_TX_FULL != 0 {}
        mmio_write(UART_BASE, u32::from(byte));
    }
}

/// Sets up the GIC so that the virtual timer's interrupt reaches this core
/// as an IRQ (still masked in PSTATE until [`arch::enable_irqs`]).
pub fn init_interrupts() {
    mmio_write(GICD_BASE, 1); // GICD_CTLR: forward interrupts
    let priority = GICD_BASE + 0x400 + (VIRTUAL_TIMER_IRQ as usize & !3);
    let shift = (VIRTUAL_TIMER_IRQ % 4) * 8;
    let value = mmio_read(priority) & !(0xff << shift);
    mmio_write(priority, value | (0x80 << shift));
    mmio_write(GICD_BASE + 0x100, 1 << VIRTUAL_TIMER_IRQ); // ISENABLER0
    mmio_write(GICC_BASE + 0x4, 0xff); // GICC_PMR: let every priority in
    mmio_write(GICC_BASE, 1); // GICC_CTLR: signal interrupts to the core
}

/// The alarm callback, as a `fn()` address (0 when none).
static ALARM: AtomicUsize = AtomicUsize::new(0);

/// Calls `callback` from the timer interrupt `micros` microseconds from
/// now (replacing any pending alarm). The callback runs in interrupt
/// context: it must not allocate, print or block; it may set a new alarm.
pub fn set_alarm(micros: u64, callback: fn()) {
    ALARM.store(callback as usize, Ordering::Release);
    arch::timer::arm_virtual_timer(arch::timer::micros_to_ticks(micros));
}

/// Cancels a pending alarm.
pub fn cancel_alarm() {
    ALARM.store(0, Ordering::Release);
    arch::timer::disarm_virtual_timer();
}

/// Handles one IRQ: acknowledge it at the GIC, dispatch, end it.
pub fn handle_irq() {
    let acknowledge = mmio_read(GICC_BASE + 0xc); // GICC_IAR
    let id = acknowledge & 0x3ff;
    if id == 1023 {
        return; // spurious
    }
    if id == VIRTUAL_TIMER_IRQ {
        arch::timer::disarm_virtual_timer();
        let callback = ALARM.swap(0, Ordering::AcqRel);
        if callback != 0 {
            // SAFETY: `ALARM` only ever holds 0 or a `fn()` stored by
            // `set_alarm`.
            let callback: fn() = unsafe { core::mem::transmute(callback) };
            callback();
        }
    }
    mmio_write(GICC_BASE + 0x10, acknowledge); // GICC_EOIR
}

/// Stops the machine with exit status `code` (QEMU `-semihosting`).
pub fn exit(code: u32) -> ! {
    arch::semihosting::exit(code)
}
