//! The reference engine (wasmi) as a differential [`Subject`], set up with
//! the same limits and stand-in imports as Ember.
//!
//! Pinned to wasmi 1.1: wasmi 2.0.0 miscompiles `select` whose condition
//! is an `i32.eqz` (it picks the wrong operand), which the differential
//! target found at once.

use wasmi::{
    Config, Engine, Error, Extern, ExternRef, ExternType, Func, Global, Instance, Memory, Module,
    Ref, Store, StoreLimits, StoreLimitsBuilder, Table, TrapCode, V128, Val, ValType,
};

use crate::differential::Subject;
use crate::generate::{MAX_MEMORY_PAGES, MAX_TABLE_ELEMENTS};
use crate::value::{ExportedFunc, Kind, Outcome, Snapshot, TrapKind, Value};

/// Fuel each call may use, in wasmi's units. Generous compared with
/// Ember's budget so that the reference engine rarely gives up first;
/// either running out makes the run inconclusive.
pub const CALL_FUEL: u64 = 10_000_000;

fn kind_of(ty: ValType) -> Kind {
    match ty {
        ValType::I32 => Kind::I32,
        ValType::I64 => Kind::I64,
        ValType::F32 => Kind::F32,
        ValType::F64 => Kind::F64,
        ValType::V128 => Kind::V128,
        ValType::FuncRef => Kind::FuncRef,
        ValType::ExternRef => Kind::ExternRef,
    }
}

fn to_val(store: &mut Store<StoreLimits>, value: Value, funcs: &[Func]) -> Val {
    match value {
        Value::I32(v) => Val::I32(v),
        Value::I64(v) => Val::I64(v),
        Value::F32(bits) => Val::F32(wasmi::F32::from_bits(bits)),
        Value::F64(bits) => Val::F64(wasmi::F64::from_bits(bits)),
        Value::V128(v) => Val::V128(V128::from(v)),
        Value::FuncRef(None) => Val::FuncRef(Ref::Null),
        Value::FuncRef(Some(i)) if !funcs.is_empty() => {
            Val::FuncRef(Ref::Val(funcs[i as usize % funcs.len()]))
        }
        Value::FuncRef(Some(_)) => Val::FuncRef(Ref::Null),
        Value::ExternRef(None) => Val::ExternRef(Ref::Null),
        Value::ExternRef(Some(n)) => Val::ExternRef(Ref::Val(ExternRef::new(store, n))),
    }
}

fn from_val(store: &Store<StoreLimits>, val: &Val) -> Value {
    match val {
        Val::I32(v) => Value::I32(*v),
        Val::I64(v) => Value::I64(*v),
        Val::F32(v) => Value::F32(v.to_bits()),
        Val::F64(v) => Value::F64(v.to_bits()),
        Val::V128(v) => Value::V128(v.as_u128()),
        Val::FuncRef(f) => Value::FuncRef((!f.is_null()).then_some(0)),
        Val::ExternRef(Ref::Null) => Value::ExternRef(None),
        Val::ExternRef(Ref::Val(r)) => Value::ExternRef(Some(
            r.data(store)
                .downcast_ref::<u32>()
                .copied()
                .unwrap_or(u32::MAX),
        )),
    }
}

fn outcome_of_error(error: &Error) -> Outcome {
    use wasmi::errors::{ErrorKind, InstantiationError, MemoryError, TableError};
    let Some(code) = error.as_trap_code() else {
        // Instantiation reports segment and allocation failures as errors
        // of their own rather than as traps.
        return match error.kind() {
            ErrorKind::Memory(MemoryError::OutOfBoundsAccess) => {
                Outcome::Trapped(TrapKind::MemoryOutOfBounds)
            }
            ErrorKind::Table(
                TableError::InitOutOfBounds
                | TableError::SetOutOfBounds
                | TableError::FillOutOfBounds
                | TableError::CopyOutOfBounds,
            )
            | ErrorKind::Instantiation(InstantiationError::ElementSegmentDoesNotFit { .. }) => {
                Outcome::Trapped(TrapKind::TableOutOfBounds)
            }
            ErrorKind::Memory(MemoryError::OutOfFuel { .. })
            | ErrorKind::Table(TableError::OutOfFuel { .. }) => Outcome::OutOfFuel,
            ErrorKind::Memory(_)
            | ErrorKind::Table(_)
            | ErrorKind::Instantiation(
                InstantiationError::FailedToInstantiateMemory(_)
                | InstantiationError::FailedToInstantiateTable(_),
            ) => Outcome::Resource,
            _ => Outcome::Failed(error.to_string()),
        };
    };
    match code {
        TrapCode::StackOverflow => Outcome::StackExhausted,
        TrapCode::OutOfFuel => Outcome::OutOfFuel,
        TrapCode::GrowthOperationLimited => Outcome::Resource,
        TrapCode::UnreachableCodeReached => Outcome::Trapped(TrapKind::Unreachable),
        TrapCode::MemoryOutOfBounds => Outcome::Trapped(TrapKind::MemoryOutOfBounds),
        TrapCode::TableOutOfBounds => Outcome::Trapped(TrapKind::TableOutOfBounds),
        TrapCode::IndirectCallToNull => Outcome::Trapped(TrapKind::UninitializedElement),
        TrapCode::BadSignature => Outcome::Trapped(TrapKind::BadSignature),
        TrapCode::IntegerOverflow => Outcome::Trapped(TrapKind::IntegerOverflow),
        TrapCode::IntegerDivisionByZero => Outcome::Trapped(TrapKind::IntegerDivisionByZero),
        TrapCode::BadConversionToInteger => Outcome::Trapped(TrapKind::BadConversionToInteger),
    }
}

/// wasmi as a differential [`Subject`].
pub struct WasmiSubject {
    engine: Engine,
    store: Store<StoreLimits>,
    instance: Option<Instance>,
    funcs: Vec<(ExportedFunc, Func)>,
}

impl Default for WasmiSubject {
    fn default() -> Self {
        Self::new()
    }
}

impl WasmiSubject {
    /// A fresh engine and store with fuel and Ember's limits.
    pub fn new() -> Self {
        let mut config = Config::default();
        config.consume_fuel(true);
        let engine = Engine::new(&config);
        let limits = StoreLimitsBuilder::new()
            .memory_size(MAX_MEMORY_PAGES as usize * 65536)
            .table_elements(MAX_TABLE_ELEMENTS as usize)
            .build();
        let mut store = Store::new(&engine, limits);
        store.limiter(|limits| limits);
        WasmiSubject {
            engine,
            store,
            instance: None,
            funcs: Vec::new(),
        }
    }

    fn stand_in_imports(&mut self, module: &Module) -> Result<Vec<Extern>, Error> {
        let types: Vec<ExternType> = module.imports().map(|i| i.ty().clone()).collect();
        let store = &mut self.store;
        types
            .into_iter()
            .map(|ty| {
                Ok(match ty {
                    ExternType::Func(ty) => {
                        let results: Vec<Val> =
                            ty.results().iter().map(|&t| Val::default(t)).collect();
                        Extern::from(Func::new(&mut *store, ty, move |_, _, out| {
                            out.clone_from_slice(&results);
                            Ok(())
                        }))
                    }
                    ExternType::Memory(ty) => Extern::from(Memory::new(&mut *store, ty)?),
                    ExternType::Table(ty) => {
                        let init = Val::default(ty.element());
                        Extern::from(Table::new(&mut *store, ty, init)?)
                    }
                    ExternType::Global(ty) => Extern::from(Global::new(
                        &mut *store,
                        Val::default(ty.content()),
                        ty.mutability(),
                    )),
                })
            })
            .collect()
    }
}

impl Subject for WasmiSubject {
    fn name(&self) -> &str {
        "wasmi"
    }

    fn instantiate(&mut self, wasm: &[u8]) -> Outcome {
        let module = match Module::new(&self.engine, wasm) {
            Ok(module) => module,
            Err(e) => return Outcome::Unsupported(format!("rejected: {e}")),
        };
        let imports = match self.stand_in_imports(&module) {
            Ok(imports) => imports,
            Err(e) => return outcome_of_error(&e),
        };
        self.store.set_fuel(CALL_FUEL).expect("fuel is enabled");
        match Instance::new(&mut self.store, &module, &imports) {
            Ok(instance) => {
                self.instance = Some(instance);
                self.funcs = instance
                    .exports(&self.store)
                    .filter_map(|export| {
                        let name = export.name().to_string();
                        let func = export.into_func()?;
                        Some((name, func))
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .map(|(name, func)| {
                        let ty = func.ty(&self.store);
                        (
                            ExportedFunc {
                                name,
                                params: ty.params().iter().map(|&t| kind_of(t)).collect(),
                                results: ty.results().iter().map(|&t| kind_of(t)).collect(),
                            },
                            func,
                        )
                    })
                    .collect();
                // Engines list exports in different orders.
                self.funcs.sort_by(|a, b| a.0.name.cmp(&b.0.name));
                Outcome::Returned(Vec::new())
            }
            Err(e) => outcome_of_error(&e),
        }
    }

    fn exported_funcs(&self) -> Vec<ExportedFunc> {
        self.funcs.iter().map(|(f, _)| f.clone()).collect()
    }

    fn call(&mut self, index: usize, args: &[Value]) -> Outcome {
        let func = self.funcs[index].1;
        let funcs: Vec<Func> = self.funcs.iter().map(|(_, f)| *f).collect();
        let args: Vec<Val> = args
            .iter()
            .map(|&a| to_val(&mut self.store, a, &funcs))
            .collect();
        let mut results: Vec<Val> = func
            .ty(&self.store)
            .results()
            .iter()
            .map(|&t| Val::default(t))
            .collect();
        self.store.set_fuel(CALL_FUEL).expect("fuel is enabled");
        match func.call(&mut self.store, &args, &mut results) {
            Ok(()) => Outcome::Returned(results.iter().map(|v| from_val(&self.store, v)).collect()),
            Err(e) => outcome_of_error(&e),
        }
    }

    fn snapshot(&mut self) -> Snapshot {
        let mut snapshot = Snapshot::default();
        let Some(instance) = self.instance else {
            return snapshot;
        };
        let exports: Vec<(String, Extern)> = instance
            .exports(&self.store)
            .map(|e| (e.name().to_string(), e.into_extern()))
            .collect();
        for (name, ext) in exports {
            match ext {
                Extern::Global(g) => {
                    let value = from_val(&self.store, &g.get(&self.store));
                    snapshot.globals.insert(name, value);
                }
                Extern::Memory(m) => {
                    snapshot.memories.insert(name, m.data(&self.store).to_vec());
                }
                Extern::Table(t) => {
                    let elements = (0..t.size(&self.store))
                        .map(|i| {
                            t.get(&self.store, i)
                                .map_or(Value::I32(-1), |v| from_val(&self.store, &v))
                        })
                        .collect();
                    snapshot.tables.insert(name, elements);
                }
                Extern::Func(_) => {}
            }
        }
        snapshot
    }

    fn ember_fuel_used(&self) -> Option<u64> {
        None
    }
}
