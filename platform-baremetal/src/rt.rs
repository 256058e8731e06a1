//! The firmware runtime: what runs between the board's boot code and the
//! firmware's `main` (console, heap, MMU, interrupts), the panic and
//! exception handlers, and the services firmware uses (printing, the
//! platform, alarms, exit). Board-independent: it only calls `crate::board`.

use alloc::sync::Arc;
use core::fmt::{self, Write};
use core::ops::Range;

use crate::arch::{self, mmu};
use crate::board;
use crate::heap::{Heap, HeapStats};
use crate::platform::BareMetalPlatform;

/// Bytes of RAM after the image given to the `alloc` heap.
pub const HEAP_BYTES: usize = 16 << 20;
/// Bytes of RAM set aside for JIT code (2 MiB: one level-3 table).
pub const CODE_WINDOW_BYTES: usize = 2 << 20;

#[global_allocator]
static HEAP: Heap = Heap::empty();

/// The active translation tables (an identity map; see [`memory_map`]).
static TABLES: spin::mutex::SpinMutex<mmu::TranslationTables> =
    spin::mutex::SpinMutex::new(mmu::TranslationTables::new());

/// RAM for the platform, fixed at start-up.
struct PlatformRam {
    memories: Range<usize>,
    code_window: Range<usize>,
    stack_bottom: usize,
}

static PLATFORM_RAM: spin::Once<PlatformRam> = spin::Once::new();
static PLATFORM: spin::Once<Arc<BareMetalPlatform>> = spin::Once::new();

/// Defines the firmware's entry point: `entry!(main)` with
/// `fn main() -> u32`; the returned value becomes the exit status.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[unsafe(no_mangle)]
        extern "Rust" fn __ember_firmware_main() -> u32 {
            let main: fn() -> u32 = $main;
            main()
        }
    };
}

/// Prints to the board's console.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::rt::print_args(format_args!($($arg)*)) };
}

/// Prints a line to the board's console.
#[macro_export]
macro_rules! println {
    () => { $crate::rt::print_args(format_args!("\n")) };
    ($($arg:tt)*) => {{
        $crate::rt::print_args(format_args!($($arg)*));
        $crate::rt::print_args(format_args!("\n"));
    }};
}

struct Console;

impl Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        board::console_write(s.as_bytes());
        Ok(())
    }
}

#[doc(hidden)]
pub fn print_args(args: fmt::Arguments<'_>) {
    let _ = Console.write_fmt(args);
}

/// Writes raw bytes to the console.
pub fn console_write(bytes: &[u8]) {
    board::console_write(bytes);
}

/// How RAM is split, from the board's image layout.
struct RamPlan {
    heap: Range<usize>,
    code_window: Range<usize>,
    memories: Range<usize>,
}

fn plan_ram(free: Range<usize>) -> RamPlan {
    const TWO_MIB: usize = 2 << 20;
    let heap = free.start..free.start + HEAP_BYTES;
    let window_start = heap.end.next_multiple_of(TWO_MIB);
    let code_window = window_start..window_start + CODE_WINDOW_BYTES;
    assert!(
        code_window.end < free.end,
        "RAM too small for heap and code"
    );
    RamPlan {
        heap,
        code_window: code_window.clone(),
        memories: code_window.end..free.end,
    }
}

/// The identity map: devices, the image (text executable, rodata
/// read-only, the rest read+write), the heap, the code window (pages,
/// read+write until code is mapped) and the linear-memory region.
fn memory_map(tables: &mut mmu::TranslationTables, image: &board::ImageLayout, plan: &RamPlan) {
    let page = |address: usize| address.next_multiple_of(mmu::PAGE_SIZE);
    let regions = [
        (image.below.clone(), mmu::MemoryKind::ReadOnly),
        (image.text.clone(), mmu::MemoryKind::Code),
        (image.rodata.clone(), mmu::MemoryKind::ReadOnly),
        (
            image.data.start..page(image.data.end),
            mmu::MemoryKind::Data,
        ),
        (
            page(image.data.end)..plan.code_window.start,
            mmu::MemoryKind::Data,
        ),
        (plan.code_window.clone(), mmu::MemoryKind::CodeWindow),
        (plan.memories.clone(), mmu::MemoryKind::Data),
    ];
    for (range, kind) in board::DEVICE_RANGES.iter().cloned().chain(regions) {
        if range.is_empty() {
            continue;
        }
        if let Err(e) = tables.map(range.clone(), kind) {
            panic!("cannot map {range:#x?} as {kind:?}: {e:?}");
        }
    }
}

/// Called by the board's boot code with a stack and zeroed `.bss`.
#[unsafe(no_mangle)]
extern "C" fn ember_rust_start() -> ! {
    board::init_console();
    if arch::current_el() != 1 {
        print_args(format_args!("firmware must start at EL1\n"));
        exit(1);
    }
    let image = board::image_layout();
    let mut free = image.free.clone();
    free.start = free.start.next_multiple_of(mmu::PAGE_SIZE);
    let plan = plan_ram(free);
    // Build the tables and turn the MMU on before anything takes a lock:
    // locks use exclusive accesses, which need Normal memory.
    // SAFETY: nothing else runs yet and nothing has borrowed `TABLES`
    // (single core, interrupts masked), so this is the only reference.
    let tables = unsafe { &mut *TABLES.as_mut_ptr() };
    memory_map(tables, &image, &plan);
    // SAFETY: the map covers the devices and all of RAM the firmware uses
    // with matching kinds, and the tables live in a static.
    unsafe { tables.enable() };
    // SAFETY: the heap range is RAM after the image that nothing else uses
    // (the plan gives disjoint ranges), now mapped read+write.
    unsafe { HEAP.init(plan.heap.start, plan.heap.len()) };
    paint_stack(image.stack.start);
    board::init_interrupts();
    arch::enable_irqs();
    PLATFORM_RAM.call_once(|| PlatformRam {
        memories: plan.memories,
        code_window: plan.code_window,
        stack_bottom: image.stack.start,
    });
    unsafe extern "Rust" {
        fn __ember_firmware_main() -> u32;
    }
    // SAFETY: `entry!` defines the symbol with this signature.
    let code = unsafe { __ember_firmware_main() };
    exit(code)
}

/// The platform over the RAM the runtime set aside (shared: every call
/// returns the same one).
pub fn platform() -> Arc<BareMetalPlatform> {
    PLATFORM
        .call_once(|| {
            let ram = PLATFORM_RAM.get().expect("the runtime has started");
            // SAFETY: `plan_ram` gives the platform a memory region and a
            // code window that nothing else uses, mapped by `memory_map`
            // (memory region read+write, code window as a code window in
            // the active `TABLES`).
            unsafe {
                Arc::new(
                    BareMetalPlatform::new(ram.memories.clone())
                        .with_code_window(ram.code_window.clone(), Some(&TABLES))
                        .with_stack_bottom(ram.stack_bottom),
                )
            }
        })
        .clone()
}

/// What unused boot-stack words hold, so [`stack_peak`] can find the
/// deepest word ever written.
const STACK_PAINT: u64 = 0x5afe_57ac_5afe_57ac;

/// Fills the boot stack from `bottom` up to a little below the current
/// stack pointer with [`STACK_PAINT`].
fn paint_stack(bottom: usize) {
    let sp: usize;
    // SAFETY: reading the stack pointer has no side effects.
    unsafe {
        core::arch::asm!("mov {0}, sp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    let mut word = bottom;
    // Stay 1 KiB clear of this function's own frame.
    while word + 8 <= sp - 1024 {
        // SAFETY: `[bottom, sp - 1 KiB)` is the unused part of the boot
        // stack (it grows down from above `sp`), mapped read+write.
        unsafe { core::ptr::write_volatile(word as *mut u64, STACK_PAINT) };
        word += 8;
    }
}

/// The most bytes of boot stack used so far (found by scanning for the
/// lowest word that no longer holds the paint written at start-up).
pub fn stack_peak() -> usize {
    let ram = PLATFORM_RAM.get().expect("the runtime has started");
    let image = board::image_layout();
    let mut word = ram.stack_bottom;
    // SAFETY: the boot stack is mapped read+write; words below the
    // current stack pointer are not in use, words above are only read.
    while word < image.stack.end
        && unsafe { core::ptr::read_volatile(word as *const u64) } == STACK_PAINT
    {
        word += 8;
    }
    image.stack.end - word
}

/// Usage of the `alloc` heap.
pub fn heap_stats() -> HeapStats {
    HEAP.stats()
}

/// Calls `callback` from the timer interrupt after `micros` microseconds
/// (replacing a pending alarm). The callback runs in interrupt context:
/// no allocating, printing or locking; it may set the next alarm.
pub fn set_alarm(micros: u64, callback: fn()) {
    board::set_alarm(micros, callback);
}

/// Cancels the pending alarm, if any.
pub fn cancel_alarm() {
    board::cancel_alarm();
}

/// Ticks of the system counter (monotonic).
pub fn ticks() -> u64 {
    arch::timer::counter()
}

/// Converts counter ticks to microseconds.
pub fn ticks_to_micros(ticks: u64) -> u64 {
    arch::timer::ticks_to_nanos(ticks) / 1000
}

/// Prints `exit: CODE` (so golden output records how firmware ended) and
/// stops the machine with exit status `code`.
pub fn exit(code: u32) -> ! {
    print_args(format_args!("exit: {code}\n"));
    board::exit(code)
}

#[unsafe(no_mangle)]
extern "C" fn ember_irq() {
    board::handle_irq();
}

#[unsafe(no_mangle)]
extern "C" fn ember_fatal_exception(slot: u64, esr: u64, elr: u64, far: u64) -> ! {
    let (kind, source) = arch::vectors::VectorSlot(slot).describe();
    print_args(format_args!(
        "EXCEPTION: {kind} from {source}: {} (ESR_EL1 {esr:#x}, EC {:#x})\n",
        arch::vectors::exception_class_name(esr),
        esr >> 26,
    ));
    if let Some((fault, level, access)) = arch::vectors::describe_abort(esr) {
        print_args(format_args!(
            "EXCEPTION: {fault} (level {level}) on {access}\n"
        ));
    }
    // Addresses depend on the build: `~` lines are not compared.
    print_args(format_args!("~ ELR_EL1 {elr:#x} FAR_EL1 {far:#x}\n"));
    exit(102)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    arch::disable_irqs();
    print_args(format_args!("PANIC: {info}\n"));
    exit(101)
}
