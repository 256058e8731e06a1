;; For examples/unaligned.rs: 64-bit (and narrower) loads and stores at
;; addresses that are not multiples of their size, including one that
;; straddles a 4 KiB page and one that ends exactly at the end of memory.
(module
  (memory (export "memory") 1)

  ;; Stores `value` at `address` with i64.store, loads it back with
  ;; i64.load, and returns what it loaded.
  (func $roundtrip (export "roundtrip") (param $address i32) (param $value i64) (result i64)
    (i64.store (local.get $address) (local.get $value))
    (i64.load (local.get $address)))

  ;; Reads 8 bytes written one by one at `address` as one little-endian i64.
  (func $assemble (export "assemble") (param $address i32) (result i64)
    (local $i i32)
    (loop $bytes
      (i32.store8 (i32.add (local.get $address) (local.get $i))
        (i32.add (i32.const 0x11) (i32.mul (local.get $i) (i32.const 0x11))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $bytes (i32.lt_u (local.get $i) (i32.const 8))))
    (i64.load (local.get $address)))

  ;; Sums i64 loads at every offset 0..=15 of a pattern, plus unaligned
  ;; i32, i16 (offset immediate) and f64 accesses.
  (func $mixed (export "mixed") (result i64)
    (local $i i32) (local $sum i64)
    (i64.store offset=3 (i32.const 1000) (i64.const 0x0807060504030201))
    (i64.store offset=11 (i32.const 1000) (i64.const 0x100f0e0d0c0b0a09))
    (i64.store offset=19 (i32.const 1000) (i64.const 0x1817161514131211))
    (loop $offsets
      (local.set $sum
        (i64.add (local.get $sum)
          (i64.load offset=1003 (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $offsets (i32.le_u (local.get $i) (i32.const 15))))
    (i32.store offset=1 (i32.const 2001) (i32.const 0x7eadbeef))
    (i32.store16 offset=5 (i32.const 2000) (i32.const 0xcafe))
    (f64.store offset=7 (i32.const 2000) (f64.const 1.5))
    (i64.add (local.get $sum)
      (i64.add
        (i64.extend_i32_u (i32.load offset=2 (i32.const 2000)))
        (i64.add
          (i64.load16_u (i32.const 2005))
          (i64.trunc_f64_s (f64.mul (f64.load (i32.const 2007)) (f64.const 4))))))))
