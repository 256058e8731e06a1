(module
  (type (;0;) (func (result i64)))
  (table (;0;) 153 externref)
  (global (;0;) f32 f32.const 0x1.50002p-130 (;=0.000000000000000000000000000000000000000964274;))
  (export "" (func 0))
  (export "1" (table 0))
  (export "2" (global 0))
  (func (;0;) (type 0) (result i64)
    call 0
  )
)
