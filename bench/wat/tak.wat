;; tak(24, 16, 8), the Takeuchi function: deep recursion with three-way calls.
;; `run(reps)` returns the sum of `reps` evaluations; `_start` runs 20 (prints 180).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; The arguments live in a global so that no engine can fold the repeats.
  (global $x (mut i32) (i32.const 24))

  ;; Prints $value in decimal and a newline on stdout. Uses bytes [0, 80).
  (func $print_i64 (param $value i64)
    (local $pos i32) (local $negative i32) (local $magnitude i64)
    (i32.store8 (i32.const 63) (i32.const 10))
    (local.set $pos (i32.const 63))
    (local.set $negative (i64.lt_s (local.get $value) (i64.const 0)))
    (local.set $magnitude
      (select (i64.sub (i64.const 0) (local.get $value)) (local.get $value) (local.get $negative)))
    (loop $digit
      (local.set $pos (i32.sub (local.get $pos) (i32.const 1)))
      (i32.store8 (local.get $pos)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $magnitude) (i64.const 10)))))
      (local.set $magnitude (i64.div_u (local.get $magnitude) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $magnitude) (i64.const 0))))
    (if (local.get $negative)
      (then
        (local.set $pos (i32.sub (local.get $pos) (i32.const 1)))
        (i32.store8 (local.get $pos) (i32.const 45))))
    (i32.store (i32.const 64) (local.get $pos))
    (i32.store (i32.const 68) (i32.sub (i32.const 64) (local.get $pos)))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 72))))
  (func $tak (param $x i32) (param $y i32) (param $z i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $y) (local.get $x))
      (then
        (call $tak
          (call $tak (i32.sub (local.get $x) (i32.const 1)) (local.get $y) (local.get $z))
          (call $tak (i32.sub (local.get $y) (i32.const 1)) (local.get $z) (local.get $x))
          (call $tak (i32.sub (local.get $z) (i32.const 1)) (local.get $x) (local.get $y))))
      (else (local.get $z))))

  (func $run (export "run") (param $reps i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $reps)))
        (local.set $sum
          (i64.add (local.get $sum)
            (i64.extend_i32_s (call $tak (global.get $x) (i32.const 16) (i32.const 8)))))
        (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
        (br $again)))
    (local.get $sum))

  (func (export "_start")
    (call $print_i64 (call $run (i32.const 20)))))
