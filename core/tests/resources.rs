//! Resource safety: modules sized just below wasmparser's own limits
//! (`wasmparser::limits`) end in a result, a clean error or a trap within
//! bounded time and memory, so that what these tests exercise is Ember's
//! code rather than the parser's refusal.

use std::alloc::Layout;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ember_core::{
    Config, Engine, Error, ErrorKind, Instance, LinearMemory, Linker, MemoryError, Module,
    PAGE_SIZE, Platform, ResumableCall, Store, TrapCode, Val,
};
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataSection, ElementSection, Elements, ExportKind,
    ExportSection, Function, FunctionSection, MemorySection, MemoryType, RefType, TableSection,
    TableType, TypeSection, ValType,
};

// wasmparser 0.263's limits (`src/limits.rs`).
const MAX_WASM_FUNCTION_SIZE: usize = 7_654_321;
const MAX_WASM_TABLE_ENTRIES: u32 = 10_000_000;
const MAX_WASM_FUNCTION_LOCALS: u32 = 50_000;
const MAX_WASM_DATA_SEGMENTS: u32 = 100_000;
const MAX_MEMORY32_PAGES: u64 = 65_536;

/// Generous wall-clock bound for one step: far above what each step needs
/// (well under a second in the `ci` profile), low enough to catch a hang or
/// quadratic work.
const STEP_TIME: Duration = Duration::from_secs(20);

/// Runs `step`, failing the test if it takes longer than [`STEP_TIME`].
fn timed<R>(what: &str, step: impl FnOnce() -> R) -> R {
    let start = Instant::now();
    let result = step();
    let took = start.elapsed();
    assert!(took < STEP_TIME, "{what} took {took:?}");
    result
}

/// A module under construction: one section of each kind, emitted in the
/// binary format's order.
#[derive(Default)]
struct Wasm {
    types: TypeSection,
    functions: FunctionSection,
    tables: TableSection,
    memories: MemorySection,
    exports: ExportSection,
    elements: ElementSection,
    code: CodeSection,
    data: DataSection,
}

impl Wasm {
    fn func_type(&mut self, params: &[ValType], results: &[ValType]) -> u32 {
        self.types
            .ty()
            .function(params.iter().copied(), results.iter().copied());
        self.types.len() - 1
    }

    /// Adds a function of type `ty`; returns its index.
    fn func(&mut self, ty: u32, body: &Function) -> u32 {
        self.functions.function(ty);
        self.code.function(body);
        self.functions.len() - 1
    }

    fn export_func(&mut self, name: &str, index: u32) {
        self.exports.export(name, ExportKind::Func, index);
    }

    /// Adds memory 0 and exports it as `memory`.
    fn memory(&mut self, minimum: u64, maximum: Option<u64>) {
        self.memories.memory(MemoryType {
            minimum,
            maximum,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        self.exports.export("memory", ExportKind::Memory, 0);
    }

    fn table(&mut self, minimum: u64) {
        self.tables.table(TableType {
            element_type: RefType::FUNCREF,
            table64: false,
            minimum,
            maximum: None,
            shared: false,
        });
    }

    fn finish(&self) -> Vec<u8> {
        let mut module = wasm_encoder::Module::new();
        module.section(&self.types);
        module.section(&self.functions);
        if !self.tables.is_empty() {
            module.section(&self.tables);
        }
        if !self.memories.is_empty() {
            module.section(&self.memories);
        }
        module.section(&self.exports);
        if !self.elements.is_empty() {
            module.section(&self.elements);
        }
        module.section(&self.code);
        if !self.data.is_empty() {
            module.section(&self.data);
        }
        module.finish()
    }
}

/// Instantiates `wasm` in a fresh store of an engine with `config`.
fn instantiate(config: &Config, wasm: &[u8]) -> Result<(Store<()>, Instance), Error> {
    let engine = Engine::new(config);
    let module = timed("validation", || Module::new(&engine, wasm))?;
    let mut store = Store::new(&engine, ());
    // Unlimited fuel where fuel is on (an error where it is off).
    let _ = store.set_fuel(u64::MAX);
    let instance = timed("instantiation", || {
        Linker::new(&engine).instantiate(&mut store, &module)
    })?;
    Ok((store, instance))
}

/// The error that refuses `wasm` (at validation or instantiation).
fn refused(config: &Config, wasm: &[u8]) -> Error {
    match instantiate(config, wasm) {
        Ok(_) => panic!("the module was instantiated"),
        Err(e) => e,
    }
}

/// Calls export `name` with `args`, expecting one result.
fn call(store: &mut Store<()>, instance: Instance, name: &str, args: &[Val]) -> Result<Val, Error> {
    let func = instance.get_func(&*store, name).expect("export");
    let mut results = [Val::I32(0)];
    timed(name, || func.call(&mut *store, args, &mut results))?;
    Ok(results[0])
}

/// `(func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))`
/// plus a `size` export.
fn add_grow_and_size(wasm: &mut Wasm) {
    let unary = wasm.func_type(&[ValType::I32], &[ValType::I32]);
    let nullary = wasm.func_type(&[], &[ValType::I32]);
    let mut grow = Function::new([]);
    grow.instructions().local_get(0).memory_grow(0).end();
    let grow = wasm.func(unary, &grow);
    wasm.export_func("grow", grow);
    let mut size = Function::new([]);
    size.instructions().memory_size(0).end();
    let size = wasm.func(nullary, &size);
    wasm.export_func("size", size);
}

#[test]
fn memory_of_65536_pages_is_refused_under_a_small_limit() {
    let small = Config::new().max_memory_pages(16).clone();
    let mut wasm = Wasm::default();
    wasm.memory(MAX_MEMORY32_PAGES, None);
    add_grow_and_size(&mut wasm);
    let err = refused(&small, &wasm.finish());
    assert_eq!(err.kind(), ErrorKind::Resource, "{err}");

    // Growing toward 65,536 pages stops at the limit, with -1.
    let mut wasm = Wasm::default();
    wasm.memory(1, Some(MAX_MEMORY32_PAGES));
    add_grow_and_size(&mut wasm);
    let (mut store, instance) = instantiate(&small, &wasm.finish()).unwrap();
    let grow = |store: &mut Store<()>, pages: i32| {
        call(store, instance, "grow", &[Val::I32(pages)]).unwrap()
    };
    assert_eq!(grow(&mut store, 65_535), Val::I32(-1));
    assert_eq!(grow(&mut store, -1), Val::I32(-1));
    assert_eq!(grow(&mut store, 15), Val::I32(1));
    assert_eq!(grow(&mut store, 1), Val::I32(-1));
    assert_eq!(
        call(&mut store, instance, "size", &[]).unwrap(),
        Val::I32(16)
    );

    // One page more than 4 GiB is invalid (the parser's limit).
    let mut wasm = Wasm::default();
    wasm.memory(MAX_MEMORY32_PAGES + 1, None);
    add_grow_and_size(&mut wasm);
    let err = refused(&small, &wasm.finish());
    assert_eq!(err.kind(), ErrorKind::InvalidModule, "{err}");
}

/// A table of `MAX_WASM_TABLE_ENTRIES` elements, an element segment of one
/// element fewer (filled from index 1), and `call_indirect` through it.
fn table_module(segment_len: u32) -> Vec<u8> {
    let mut wasm = Wasm::default();
    wasm.table(u64::from(MAX_WASM_TABLE_ENTRIES));
    let nullary = wasm.func_type(&[], &[ValType::I32]);
    let unary = wasm.func_type(&[ValType::I32], &[ValType::I32]);
    let mut answer = Function::new([]);
    answer.instructions().i32_const(42).end();
    let answer = wasm.func(nullary, &answer);
    let mut dispatch = Function::new([]);
    dispatch
        .instructions()
        .local_get(0)
        .call_indirect(0, nullary)
        .end();
    let dispatch = wasm.func(unary, &dispatch);
    wasm.export_func("dispatch", dispatch);
    let items = vec![answer; segment_len as usize];
    wasm.elements.active(
        None,
        &ConstExpr::i32_const(1),
        Elements::Functions(items.into()),
    );
    wasm.finish()
}

#[test]
fn table_near_the_element_cap() {
    let wasm = table_module(MAX_WASM_TABLE_ENTRIES - 1);
    let (mut store, instance) = instantiate(&Config::new(), &wasm).unwrap();
    let dispatch =
        |store: &mut Store<()>, i: u32| call(store, instance, "dispatch", &[Val::I32(i as i32)]);
    assert_eq!(dispatch(&mut store, 1).unwrap(), Val::I32(42));
    assert_eq!(
        dispatch(&mut store, MAX_WASM_TABLE_ENTRIES - 1).unwrap(),
        Val::I32(42)
    );
    let err = dispatch(&mut store, 0).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::UninitializedElement));
    let err = dispatch(&mut store, MAX_WASM_TABLE_ENTRIES).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::UndefinedElement));
    drop(store);

    // The same table under a small limit is refused before anything is
    // allocated or initialized.
    let small = Config::new().max_table_elements(1000).clone();
    let err = refused(&small, &wasm);
    assert_eq!(err.kind(), ErrorKind::Resource, "{err}");

    // One element more than the cap is invalid.
    let err = refused(&Config::new(), &table_module(MAX_WASM_TABLE_ENTRIES + 1));
    assert_eq!(err.kind(), ErrorKind::InvalidModule, "{err}");
}

#[test]
fn one_hundred_thousand_functions() {
    const COUNT: u32 = 100_000;
    let mut wasm = Wasm::default();
    let nullary = wasm.func_type(&[], &[ValType::I32]);
    for i in 0..COUNT {
        let mut body = Function::new([]);
        if i == 0 {
            body.instructions().i32_const(0).end();
        } else {
            // Each function returns one more than the previous one.
            body.instructions().call(i - 1).i32_const(1).i32_add().end();
        }
        wasm.func(nullary, &body);
    }
    wasm.export_func("first", 0);
    wasm.export_func("middle", COUNT / 2);
    wasm.export_func("last", COUNT - 1);
    let wasm = wasm.finish();

    let config = Config::new();
    let (mut store, instance) = instantiate(&config, &wasm).unwrap();
    assert_eq!(
        call(&mut store, instance, "first", &[]).unwrap(),
        Val::I32(0)
    );
    assert_eq!(
        call(&mut store, instance, "middle", &[]).unwrap(),
        Val::I32(COUNT as i32 / 2)
    );
    // 100,000 nested calls are exactly the default call-depth limit.
    let result = call(&mut store, instance, "last", &[]);
    match result {
        Ok(v) => assert_eq!(v, Val::I32(COUNT as i32 - 1)),
        Err(e) => assert_eq!(e.trap_code(), Some(TrapCode::StackOverflow), "{e}"),
    }
    let module = Module::new(&Engine::new(&config), &wasm).unwrap();
    timed("translating 100,000 functions", || module.translate_all()).unwrap();
}

#[test]
fn function_body_just_under_the_size_limit() {
    // `local.get 0; i32.const 1; i32.add; local.set 0` is 7 bytes.
    const STEP: &[u8] = &[0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00];
    let build = |body_size: usize| {
        let mut wasm = Wasm::default();
        let unary = wasm.func_type(&[ValType::I32], &[ValType::I32]);
        let mut body = Function::new([]);
        // The body's size counts its local declarations (one byte here),
        // the steps, and the final `local.get 0; end` (three bytes).
        let steps = (body_size - 4) / STEP.len();
        for _ in 0..steps {
            body.raw(STEP.iter().copied());
        }
        body.raw((0..(body_size - 4) % STEP.len()).map(|_| 0x01)); // nop
        body.instructions().local_get(0).end();
        assert_eq!(body.byte_len(), body_size);
        let f = wasm.func(unary, &body);
        wasm.export_func("count", f);
        (wasm.finish(), steps as i32)
    };

    let (wasm, steps) = build(MAX_WASM_FUNCTION_SIZE);
    let config = Config::new().consume_fuel(true).clone();
    let (mut store, instance) = instantiate(&config, &wasm).unwrap();
    assert_eq!(
        call(&mut store, instance, "count", &[Val::I32(5)]).unwrap(),
        Val::I32(steps + 5)
    );
    // Fuel still applies inside one huge basic block.
    store.set_fuel(1000).unwrap();
    let err = call(&mut store, instance, "count", &[Val::I32(5)]).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel));

    let (too_big, _) = build(MAX_WASM_FUNCTION_SIZE + 1);
    let err = refused(&config, &too_big);
    assert_eq!(err.kind(), ErrorKind::InvalidModule, "{err}");
}

#[test]
fn deeply_nested_blocks() {
    // `block` is two bytes, `end` one, `br` with a 3-byte label four:
    // a million levels take about 3 MB of the 7.6 MB a body may have.
    const DEPTH: u32 = 1_000_000;
    let mut wasm = Wasm::default();
    let nullary = wasm.func_type(&[], &[ValType::I32]);
    let mut body = Function::new([]);
    let mut sink = body.instructions();
    for _ in 0..DEPTH {
        sink.block(BlockType::Empty);
    }
    sink.br(DEPTH - 1);
    for _ in 0..DEPTH {
        sink.end();
    }
    sink.i32_const(42).end();
    let f = wasm.func(nullary, &body);
    wasm.export_func("nested", f);
    let (mut store, instance) = instantiate(&Config::new(), &wasm.finish()).unwrap();
    // Translation either handles the depth or stops at a documented limit;
    // it never recurses on the native stack.
    match call(&mut store, instance, "nested", &[]) {
        Ok(v) => assert_eq!(v, Val::I32(42)),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Limit, "{e}"),
    }
}

#[test]
fn huge_br_table() {
    // Every target is one byte; the table fills the body to its limit.
    const TARGETS: u32 = MAX_WASM_FUNCTION_SIZE as u32 - 32;
    let mut wasm = Wasm::default();
    let unary = wasm.func_type(&[ValType::I32], &[ValType::I32]);
    let mut body = Function::new([]);
    body.instructions()
        .block(BlockType::Empty)
        .block(BlockType::Empty)
        .local_get(0)
        // Even indices leave the inner block, odd ones the outer.
        .br_table((0..TARGETS).map(|i| i % 2), 1)
        .end()
        .i32_const(10)
        .return_()
        .end()
        .i32_const(20)
        .end();
    assert!(body.byte_len() < MAX_WASM_FUNCTION_SIZE);
    let f = wasm.func(unary, &body);
    wasm.export_func("dispatch", f);
    let (mut store, instance) = instantiate(&Config::new(), &wasm.finish()).unwrap();
    let mut dispatch = |i: u32| call(&mut store, instance, "dispatch", &[Val::I32(i as i32)]);
    let leaves_inner = |i: u32| i < TARGETS && i.is_multiple_of(2);
    let expected = |i: u32| Val::I32(if leaves_inner(i) { 10 } else { 20 });
    match dispatch(0) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::Limit, "{e}"),
        Ok(v) => {
            assert_eq!(v, expected(0));
            for i in [1, TARGETS / 2, TARGETS - 2, TARGETS - 1, TARGETS, u32::MAX] {
                assert_eq!(dispatch(i).unwrap(), expected(i), "index {i}");
            }
        }
    }
}

/// `$f(n) = n == 0 ? 0 : $f(n - 1) + 1` with `locals` extra locals of
/// type `local`.
fn recursive_module(locals: u32, local: ValType) -> Vec<u8> {
    let mut wasm = Wasm::default();
    let unary = wasm.func_type(&[ValType::I32], &[ValType::I32]);
    let mut body = Function::new([(locals, local)]);
    body.instructions()
        .local_get(0)
        .i32_eqz()
        .if_(BlockType::Result(ValType::I32))
        .i32_const(0)
        .else_()
        .local_get(0)
        .i32_const(1)
        .i32_sub()
        .call(0)
        .i32_const(1)
        .i32_add()
        .end()
        .end();
    let f = wasm.func(unary, &body);
    wasm.export_func("f", f);
    wasm.finish()
}

#[test]
fn recursion_with_large_frames() {
    // 50,000 locals in one frame is the parser's limit (the parameter
    // counts too); 49,999 eight-byte locals fit Ember's frame limit.
    let wasm = recursive_module(MAX_WASM_FUNCTION_LOCALS - 1, ValType::I64);
    let (mut store, instance) = instantiate(&Config::new(), &wasm).unwrap();
    assert_eq!(
        call(&mut store, instance, "f", &[Val::I32(5)]).unwrap(),
        Val::I32(5)
    );
    let err = call(&mut store, instance, "f", &[Val::I32(1_000_000)]).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow), "{err}");
    // The store recovers.
    assert_eq!(
        call(&mut store, instance, "f", &[Val::I32(3)]).unwrap(),
        Val::I32(3)
    );

    // 49,999 `v128` locals take two slots each: past the 65,535-slot frame
    // limit, a documented error rather than a trap or a crash.
    let wasm = recursive_module(MAX_WASM_FUNCTION_LOCALS - 1, ValType::V128);
    let (mut store, instance) = instantiate(&Config::new(), &wasm).unwrap();
    let err = call(&mut store, instance, "f", &[Val::I32(5)]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit, "{err}");

    // One local more than the parser allows is invalid.
    let err = refused(
        &Config::new(),
        &recursive_module(MAX_WASM_FUNCTION_LOCALS, ValType::I64),
    );
    assert_eq!(err.kind(), ErrorKind::InvalidModule, "{err}");
}

#[test]
fn data_segments_just_under_the_cap() {
    const SEGMENTS: u32 = MAX_WASM_DATA_SEGMENTS - 1;
    let mut wasm = Wasm::default();
    wasm.memory(2, None);
    for i in 0..SEGMENTS {
        wasm.data
            .active(0, &ConstExpr::i32_const(i as i32), [(i % 251) as u8]);
    }
    let (store, instance) = instantiate(&Config::new(), &wasm.finish()).unwrap();
    let memory = instance.get_memory(&store, "memory").unwrap();
    let data = memory.data(&store);
    for i in [0, 1, 250, 251, 12_345, SEGMENTS - 1] {
        assert_eq!(data[i as usize], (i % 251) as u8, "byte {i}");
    }
    assert_eq!(data[SEGMENTS as usize], 0);
}

/// A platform whose memories are reserved whole at creation with
/// `alloc_zeroed`, which the system allocator serves with fresh zero
/// pages for large sizes: a 4 GiB memory costs nothing until written.
struct LazyZeroPlatform;

struct LazyZeroMemory {
    base: *mut u8,
    len: usize,
    capacity: usize,
}

// SAFETY: the memory owns its allocation exclusively; moving it to another
// thread moves that ownership.
unsafe impl Send for LazyZeroMemory {}

impl LazyZeroMemory {
    fn layout(capacity: usize) -> Layout {
        Layout::from_size_align(capacity.max(1), 16).unwrap()
    }
}

impl LinearMemory for LazyZeroMemory {
    fn base(&self) -> *mut u8 {
        self.base
    }

    fn len(&self) -> usize {
        self.len
    }

    fn grow_to(&mut self, new_len: usize) -> Result<(), MemoryError> {
        // The whole capacity was zeroed at creation and bytes past `len`
        // are never written, so growing only moves `len`.
        if new_len > self.capacity {
            return Err(MemoryError::OutOfMemory);
        }
        self.len = new_len;
        Ok(())
    }
}

impl Drop for LazyZeroMemory {
    fn drop(&mut self) {
        // SAFETY: `base` came from `alloc_zeroed` with this same layout.
        unsafe { std::alloc::dealloc(self.base, Self::layout(self.capacity)) };
    }
}

impl Platform for LazyZeroPlatform {
    fn create_memory(
        &self,
        initial: usize,
        maximum: usize,
    ) -> Result<Box<dyn LinearMemory>, MemoryError> {
        let capacity = maximum.max(initial);
        // SAFETY: the layout has a non-zero size.
        let base = unsafe { std::alloc::alloc_zeroed(LazyZeroMemory::layout(capacity)) };
        if base.is_null() {
            return Err(MemoryError::OutOfMemory);
        }
        Ok(Box::new(LazyZeroMemory {
            base,
            len: initial,
            capacity,
        }))
    }

    fn monotonic_nanos(&self) -> u64 {
        0
    }
}

#[test]
fn memory_fill_of_4_gib_under_fuel() {
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .platform(Arc::new(LazyZeroPlatform));
    // 65,536 pages if the machine lets us reserve them, else the largest
    // memory it does; the fill always covers all of it.
    let mut pages = MAX_MEMORY32_PAGES;
    let (mut store, instance) = loop {
        let mut wasm = Wasm::default();
        wasm.memory(pages, Some(pages));
        let fill_ty = wasm.func_type(&[ValType::I32, ValType::I32, ValType::I32], &[]);
        let mut fill = Function::new([]);
        fill.instructions()
            .local_get(0)
            .local_get(1)
            .local_get(2)
            .memory_fill(0)
            .end();
        let fill = wasm.func(fill_ty, &fill);
        wasm.export_func("fill", fill);
        match instantiate(&config, &wasm.finish()) {
            Ok(ready) => break ready,
            Err(e) if e.kind() == ErrorKind::Resource && pages > 16 => pages /= 2,
            Err(e) => panic!("{e}"),
        }
    };
    let bytes = pages as usize * PAGE_SIZE;
    let fill = instance.get_func(&store, "fill").unwrap();
    // `memory.fill`'s length is an i32: all of a 4 GiB memory but its last
    // byte.
    let len = (bytes - 1).min(u32::MAX as usize) as u32;
    let args = [Val::I32(0), Val::I32(0xab), Val::I32(len as i32)];

    // Not enough fuel for the bytes: a trap before any byte is written.
    store.set_fuel(1_000_000).unwrap();
    let err = timed("4 GiB fill", || fill.call(&mut store, &args, &mut [])).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel));
    let memory = instance.get_memory(&store, "memory").unwrap();
    assert_eq!(memory.data(&store)[..16], [0; 16]);
    // A resumable call suspends instead, and can be dropped.
    store.set_fuel(1_000_000).unwrap();
    let call = timed("4 GiB fill, resumable", || {
        fill.call_resumable(&mut store, &args, &mut [])
    })
    .unwrap();
    let ResumableCall::OutOfFuel(invocation) = call else {
        panic!("a 4 GiB fill finished on 1,000,000 fuel");
    };
    invocation.cancel(&mut store);

    // Past the end, with fuel to spare: out of bounds, nothing written.
    store.set_fuel(u64::MAX).unwrap();
    let past_end = [
        Val::I32((bytes - 10) as u32 as i32),
        Val::I32(1),
        Val::I32(100),
    ];
    let err = timed("fill past the end", || {
        fill.call(&mut store, &past_end, &mut [])
    })
    .unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(memory.data(&store)[bytes - 10..], [0; 10]);

    // A fill the fuel covers runs and is charged per byte.
    let small = [Val::I32(4096), Val::I32(7), Val::I32(1 << 20)];
    store.set_fuel(2 << 20).unwrap();
    timed("1 MiB fill", || fill.call(&mut store, &small, &mut [])).unwrap();
    let used = (2 << 20) - store.get_fuel().unwrap();
    assert!((1 << 20..(1 << 20) + 100).contains(&used), "{used}");
    let data = memory.data(&store);
    assert_eq!(
        (data[4095], data[4096], data[4096 + (1 << 20) - 1]),
        (0, 7, 7)
    );
    assert_eq!(data[4096 + (1 << 20)], 0);
}
