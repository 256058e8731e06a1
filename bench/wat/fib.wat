;; fib(35), recursive, i32: call-heavy integer code.
;; `run(n)` returns fib(n); `_start` prints fib(35) = 9227465.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

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

  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  (func $run (export "run") (param $n i32) (result i64)
    (i64.extend_i32_u (call $fib (local.get $n))))

  (func (export "_start")
    (call $print_i64 (call $run (i32.const 35)))))
