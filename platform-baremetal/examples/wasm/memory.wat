;; For examples/memory.rs: a memory that grows, from the host and from
;; inside Wasm, while the firmware watches where it lives.
(module
  (memory (export "memory") 1 8)

  ;; Writes byte (i * 7 + seed) at every address i of the first `pages`
  ;; pages.
  (func (export "fill") (param $pages i32) (param $seed i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.mul (local.get $pages) (i32.const 65536)))
    (loop $bytes
      (i32.store8 (local.get $i)
        (i32.add (local.get $seed) (i32.mul (local.get $i) (i32.const 7))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $bytes (i32.lt_u (local.get $i) (local.get $end)))))

  ;; FNV-1a over the whole memory.
  (func (export "checksum") (result i32)
    (local $i i32) (local $end i32) (local $hash i32)
    (local.set $hash (i32.const 0x811c9dc5))
    (local.set $end (i32.mul (memory.size) (i32.const 65536)))
    (loop $bytes
      (local.set $hash
        (i32.mul (i32.xor (local.get $hash) (i32.load8_u (local.get $i)))
          (i32.const 0x01000193)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $bytes (i32.lt_u (local.get $i) (local.get $end))))
    (local.get $hash))

  ;; Grows by one page from inside Wasm, then (in the same call) stores
  ;; into the new page and reads an old byte back: code that cached the
  ;; memory's old address would miss. Returns old byte + new byte.
  (func (export "grow_inside") (param $old_address i32) (result i32)
    (local $old_pages i32) (local $new_address i32)
    (local.set $old_pages (memory.grow (i32.const 1)))
    (if (i32.lt_s (local.get $old_pages) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $new_address
      (i32.add (i32.mul (local.get $old_pages) (i32.const 65536)) (i32.const 100)))
    (i32.store8 (local.get $new_address) (i32.const 200))
    (i32.add
      (i32.load8_u (local.get $old_address))
      (i32.load8_u (local.get $new_address)))))
