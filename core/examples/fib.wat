;; A small module for the `embed` example: recursive Fibonacci plus a loop
;; that reports progress through a host function.
(module
  (import "host" "report" (func $report (param i32 i64)))
  (func $fib (export "fib") (param $n i32) (result i64)
    (if (result i64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.extend_i32_u (local.get $n)))
      (else
        (i64.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "run") (param $upto i32) (local $i i32)
    (loop $next
      (call $report (local.get $i) (call $fib (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.le_u (local.get $i) (local.get $upto))))))
