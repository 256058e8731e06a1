;; A device script for examples/script.rs: greets over the UART, blinks an
;; LED on a (pretend) GPIO pin while watching the clock, and checksums a
;; buffer it fills itself.
(module
  (import "env" "uart_write" (func $uart_write (param i32 i32)))
  (import "env" "millis" (func $millis (result i64)))
  (import "env" "gpio_set" (func $gpio_set (param i32 i32)))
  (memory (export "memory") 1)

  (data (i32.const 0) "script: hello from wasm\n")       ;; 24 bytes
  (data (i32.const 32) "script: blinking\n")             ;; 17 bytes
  (data (i32.const 64) "script: the clock moved forward\n") ;; 32 bytes
  (data (i32.const 96) "script: the clock went backwards\n") ;; 33 bytes

  (global $led_pin i32 (i32.const 5))

  ;; Sets the LED `times` times on and off; returns the number of GPIO
  ;; writes. Reads the clock before and after and says whether it moved
  ;; forward (it must never go backwards).
  (func (export "blink") (param $times i32) (result i32)
    (local $i i32) (local $start i64) (local $end i64)
    (call $uart_write (i32.const 0) (i32.const 24))
    (call $uart_write (i32.const 32) (i32.const 17))
    (local.set $start (call $millis))
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $times)))
        (call $gpio_set (global.get $led_pin) (i32.const 1))
        (call $gpio_set (global.get $led_pin) (i32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.set $end (call $millis))
    (if (i64.ge_u (local.get $end) (local.get $start))
      (then (call $uart_write (i32.const 64) (i32.const 32)))
      (else (call $uart_write (i32.const 96) (i32.const 33))))
    (i32.mul (local.get $times) (i32.const 2)))

  ;; Fills [1024, 1024 + len) with a pattern and returns its FNV-1a hash.
  (func (export "checksum") (param $len i32) (result i32)
    (local $i i32) (local $hash i32)
    (local.set $hash (i32.const 0x811c9dc5))
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store8 offset=1024 (local.get $i)
          (i32.xor (local.get $i) (i32.shr_u (local.get $i) (i32.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $hash
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $hash
          (i32.mul
            (i32.xor (local.get $hash) (i32.load8_u offset=1024 (local.get $i)))
            (i32.const 0x01000193)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $hash)))
    (local.get $hash)))
