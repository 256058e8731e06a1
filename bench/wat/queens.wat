;; n-queens(8) by bitmask backtracking (92 solutions): recursion, bit
;; tricks and data-dependent branches.
;; `run(reps)` solves the 8x8 board `reps` times and returns the sum of the counts;
;; `_start` solves it 20,000 times (prints 1840000).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $size (mut i32) (i32.const 8))

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
  ;; Counts completions given the occupied columns and both diagonals.
  (func $place (param $columns i32) (param $left i32) (param $right i32) (param $all i32)
    (result i32)
    (local $free i32) (local $bit i32) (local $count i32)
    (if (i32.eq (local.get $columns) (local.get $all))
      (then (return (i32.const 1))))
    (local.set $free
      (i32.and (local.get $all)
        (i32.xor (i32.or (local.get $columns) (i32.or (local.get $left) (local.get $right)))
          (i32.const -1))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $free)))
        (local.set $bit (i32.and (local.get $free) (i32.sub (i32.const 0) (local.get $free))))
        (local.set $free (i32.xor (local.get $free) (local.get $bit)))
        (local.set $count
          (i32.add (local.get $count)
            (call $place
              (i32.or (local.get $columns) (local.get $bit))
              (i32.shl (i32.or (local.get $left) (local.get $bit)) (i32.const 1))
              (i32.shr_u (i32.or (local.get $right) (local.get $bit)) (i32.const 1))
              (local.get $all))))
        (br $next)))
    (local.get $count))

  (func $run (export "run") (param $reps i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $reps)))
        (local.set $sum
          (i64.add (local.get $sum)
            (i64.extend_i32_u
              (call $place (i32.const 0) (i32.const 0) (i32.const 0)
                (i32.sub (i32.shl (i32.const 1) (global.get $size)) (i32.const 1))))))
        (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
        (br $again)))
    (local.get $sum))

  (func (export "_start")
    (call $print_i64 (call $run (i32.const 20000)))))
