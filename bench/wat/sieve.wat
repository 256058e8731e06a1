;; Sieve of Eratosthenes up to 1,000,000 (78498 primes): byte loads and
;; stores over 1 MB of linear memory in tight loops.
;; `run(reps)` sieves `reps` times and returns the sum of the prime counts;
;; `_start` sieves 30 times (prints 2354940).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  ;; Bytes [0, 80) are the print scratch area; the flags start at $flags.
  (memory (export "memory") 17)
  (global $flags i32 (i32.const 1024))
  (global $limit (mut i32) (i32.const 1000000))

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
  ;; Counts the primes in [2, limit]; flag byte i is 1 once i is known composite.
  (func $sieve (param $limit i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    ;; Clear the flags, eight bytes at a time.
    (local.set $i (i32.const 0))
    (loop $clear
      (i64.store (i32.add (global.get $flags) (local.get $i)) (i64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $clear (i32.le_u (local.get $i) (local.get $limit))))
    (local.set $i (i32.const 2))
    (loop $candidates
      (if (i32.eqz (i32.load8_u (i32.add (global.get $flags) (local.get $i))))
        (then
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          ;; Strike out multiples from i*i, when i*i <= limit.
          (if (i32.le_u (local.get $i) (i32.div_u (local.get $limit) (local.get $i)))
            (then
              (local.set $j (i32.mul (local.get $i) (local.get $i)))
              (loop $strike
                (i32.store8 (i32.add (global.get $flags) (local.get $j)) (i32.const 1))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br_if $strike (i32.le_u (local.get $j) (local.get $limit))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $candidates (i32.le_u (local.get $i) (local.get $limit))))
    (local.get $count))

  (func $run (export "run") (param $reps i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $reps)))
        (local.set $sum
          (i64.add (local.get $sum) (i64.extend_i32_u (call $sieve (global.get $limit)))))
        (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
        (br $again)))
    (local.get $sum))

  (func (export "_start")
    (call $print_i64 (call $run (i32.const 30)))))
