//! Loads and stores of memory 0: widths, extensions, offsets, and the
//! bounds check at the exact end of memory.

use ember_core::TrapCode;
use ember_core::jit::{CompileEnv, status_of_trap};

use crate::harness::{Machine, compile};

const ACCESSES: &str = r#"(module (memory 1)
  (func (param i32 i64) (result i64)
    (i64.store offset=8 (local.get 0) (local.get 1))
    (i64.load offset=8 (local.get 0)))
  (func (param i32) (result i64)
    (i64.add (i64.load8_s (local.get 0)) (i64.load16_u offset=1 (local.get 0))))
  (func (param i32) (result i32)
    (i32.add (i32.load8_s (local.get 0)) (i32.load16_s offset=2 (local.get 0))))
  (func (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (param i32) (result i32) (i32.load offset=0xfffffff0 (local.get 0)))
  (func (param i32 i32) (i32.store8 (local.get 0) (local.get 1))
    (i32.store16 offset=1 (local.get 0) (local.get 1)))
  (func (result i32) (memory.size)))"#;

#[test]
fn stores_and_loads_round_trip() {
    let compiled = compile(ACCESSES, CompileEnv::new(0));
    let mut machine = Machine::new(&compiled);
    let value = 0x8899_aabb_ccdd_eeffu64;
    assert_eq!(
        machine.call(&compiled, 0, &[100, value]),
        (0, [value, value, 0, 0])
    );
    assert_eq!(&machine.memory[108..116], &value.to_le_bytes());
    machine.memory[0..4].copy_from_slice(&[0x80, 0x34, 0x12, 0xff]);
    // -128 + 0x1234.
    assert_eq!(machine.call(&compiled, 1, &[0]).1[0], (0x1234 - 128) as u64);
    // -128 + (0xff12 as i16) = -128 - 238, as a zero-extended i32.
    assert_eq!(
        machine.call(&compiled, 2, &[0]).1[0],
        u64::from((-128i32 - 238) as u32)
    );
    machine.memory[0..4].copy_from_slice(&0x8000_0001u32.to_le_bytes());
    assert_eq!(machine.call(&compiled, 3, &[0]).1[0], 0xffff_ffff_8000_0001);
    assert_eq!(
        machine.call(&compiled, 5, &[7, 0x1_2345]),
        (0, [7, 0x1_2345, 0, 0])
    );
    assert_eq!(&machine.memory[7..10], &[0x45, 0x45, 0x23]);
    assert_eq!(machine.call(&compiled, 6, &[]).1[0], 1);
}

#[test]
fn accesses_past_the_end_trap() {
    let compiled = compile(ACCESSES, CompileEnv::new(0));
    let mut machine = Machine::new(&compiled);
    let oob = status_of_trap(TrapCode::MemoryOutOfBounds);
    // The last 8 bytes at 65528 are in bounds, one byte further is not.
    assert_eq!(machine.call(&compiled, 0, &[65520, 1]).0, 0);
    assert_eq!(machine.call(&compiled, 0, &[65521, 1]).0, oob);
    // Addresses are unsigned 32-bit and do not wrap with the offset.
    assert_eq!(machine.call(&compiled, 0, &[u64::from(u32::MAX), 1]).0, oob);
    assert_eq!(machine.call(&compiled, 4, &[0x10]).0, oob);
    // High bits of the address slot are ignored (it is an i32).
    assert_eq!(machine.call(&compiled, 3, &[1 << 32]).0, 0);
    let _ = crate::harness::take_events();
}

#[test]
fn a_checked_address_is_rechecked_for_a_longer_access_or_a_new_value() {
    let compiled = compile(
        r#"(module (memory 1)
            (func (param i32) (result i32)
              (drop (i32.load offset=4 (local.get 0)))
              (drop (i32.load8_u (local.get 0)))
              (i32.load offset=8 (local.get 0)))
            (func (param i32 i32) (result i32)
              (drop (i32.load (local.get 0)))
              (local.set 0 (local.get 1))
              (i32.load (local.get 0))))"#,
        CompileEnv::new(0),
    );
    let mut machine = Machine::new(&compiled);
    let oob = status_of_trap(TrapCode::MemoryOutOfBounds);
    // Ends at 65536 for the first two loads, past it for the third.
    assert_eq!(machine.call(&compiled, 0, &[65524]).0, 0);
    assert_eq!(machine.call(&compiled, 0, &[65525]).0, oob);
    assert_eq!(machine.call(&compiled, 1, &[0, 65532]).0, 0);
    assert_eq!(machine.call(&compiled, 1, &[0, 65533]).0, oob);
    let _ = crate::harness::take_events();
}
