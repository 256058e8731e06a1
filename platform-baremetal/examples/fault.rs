//! Example firmware: W^X for JIT code, and what a CPU fault looks like.
//! Code placed with `Platform::map_code` runs, and writing to it afterwards
//! is a permission fault, which the exception vectors report over the UART
//! before the machine stops (exit status 102).

#![no_std]
#![no_main]

extern crate alloc;

use ember_core::Platform;
use ember_platform_baremetal::{entry, println, rt};

/// `mov w0, #42; ret`.
const RETURN_42: [u32; 2] = [0x5280_0540, 0xd65f_03c0];

fn main() -> u32 {
    let platform = rt::platform();
    let bytes: alloc::vec::Vec<u8> = RETURN_42.iter().flat_map(|w| w.to_le_bytes()).collect();
    let code = match platform.map_code(&bytes) {
        Ok(code) => code,
        Err(e) => {
            println!("map_code failed: {e:?}");
            return 1;
        }
    };
    // SAFETY: the mapped bytes are a complete AArch64 function with this
    // signature (it only sets w0 and returns), and `code` outlives the call.
    let function: extern "C" fn() -> u32 = unsafe { core::mem::transmute(code.as_ptr()) };
    println!("mapped code returns {}", function());
    println!("~ code at {:p}", code.as_ptr());
    println!("writing to the mapped code (must fault):");
    // SAFETY: deliberately not sound: the page is read+execute, so this
    // write faults and the exception handler stops the machine.
    unsafe { core::ptr::write_volatile(code.as_ptr() as *mut u32, 0) };
    println!("the write went through: W^X is broken");
    1
}

entry!(main);
