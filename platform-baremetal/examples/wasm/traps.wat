;; For examples/traps.rs: one function per way Wasm code can trap, and a
;; healthy function to show that the firmware carries on.
(module
  (import "env" "sensor_read" (func $sensor_read (param i32) (result i32)))
  (type $unary (func (param i32) (result i32)))
  (memory 1)
  (table 3 funcref)
  (elem (i32.const 0) $healthy)
  (elem (i32.const 2) $divide)

  (func $healthy (export "healthy") (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1)))

  (func $divide (export "divide") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))

  (func $load (export "load") (param $address i32) (result i64)
    (i64.load (local.get $address)))

  (func $inner (unreachable))
  (func $middle (call $inner))
  (func $outer (export "nested_unreachable") (call $middle))

  (func $recurse (export "recurse") (param $depth i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $depth) (i32.const 1))) (i32.const 1)))

  (func $dispatch (export "dispatch") (param $slot i32) (param $x i32) (result i32)
    (call_indirect (type $unary) (local.get $x) (local.get $slot)))

  (func $convert (export "convert") (param $x f32) (result i32)
    (i32.trunc_f32_s (local.get $x)))

  (func $poll (export "poll_sensor") (param $channel i32) (result i32)
    (call $sensor_read (local.get $channel))))
