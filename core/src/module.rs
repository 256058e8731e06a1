//! [`Module`]: a decoded and fully validated Wasm module. Function bodies
//! stay as byte ranges and are translated to IR on their first call.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::ops::Range;

use wasmparser::{Parser, Payload, Validator, WasmFeatures};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::ir;
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, Mutability, TableType, ValType};

/// The exact feature set Ember accepts: WebAssembly 2.0 (multi-value, bulk
/// memory, reference types, sign extension, non-trapping float-to-int,
/// mutable globals, SIMD) and nothing newer.
pub fn features() -> WasmFeatures {
    WasmFeatures::WASM2
}

/// A constant expression as Wasm 2.0 allows it: one instruction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ConstExpr {
    /// A number or `v128`, as raw slot bits.
    Value(u128),
    RefNull,
    RefFunc(u32),
    GlobalGet(u32),
}

#[derive(Debug, Clone)]
pub(crate) struct Import {
    pub module: String,
    pub name: String,
    pub ty: ImportType,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum ImportType {
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
}

/// What an export refers to, as an index in the module's index spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportIndex {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
}

#[derive(Debug, Clone)]
pub(crate) enum ElemMode {
    Passive,
    Active { table: u32, offset: ConstExpr },
    Declared,
}

#[derive(Debug, Clone)]
pub(crate) struct ElemSegment {
    pub mode: ElemMode,
    pub items: Box<[ConstExpr]>,
}

#[derive(Debug, Clone)]
pub(crate) struct DataSegment {
    /// `Some` for active segments: memory index and offset.
    pub active: Option<(u32, ConstExpr)>,
    pub bytes: Range<usize>,
}

pub(crate) struct ModuleInner {
    pub engine: Engine,
    pub bytes: Box<[u8]>,
    pub types: Vec<FuncType>,
    /// Engine-wide id of each entry of `types`.
    pub type_ids: Vec<u32>,
    pub imports: Vec<Import>,
    /// Type index of every function, imported ones first.
    pub funcs: Vec<u32>,
    pub num_imported_funcs: u32,
    pub tables: Vec<TableType>,
    pub num_imported_tables: u32,
    pub memories: Vec<MemoryType>,
    pub num_imported_memories: u32,
    pub globals: Vec<GlobalType>,
    pub num_imported_globals: u32,
    pub global_inits: Vec<ConstExpr>,
    pub exports: Vec<(String, ExportIndex)>,
    pub start: Option<u32>,
    pub elems: Vec<ElemSegment>,
    pub datas: Vec<DataSegment>,
    /// Byte range of each defined function's body in `bytes`.
    pub bodies: Vec<Range<usize>>,
    /// Translated IR of each defined function, filled on first call.
    pub compiled: Vec<spin::Once<core::result::Result<Arc<ir::Func>, Error>>>,
    /// Native code of each defined function, once compiled (`None` when the
    /// backend or platform declined it).
    pub native: Vec<spin::Once<Option<Arc<crate::jit::NativeCode>>>>,
    pub func_names: Vec<Option<String>>,
}

/// A validated WebAssembly module, ready to be instantiated any number of
/// times. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

fn invalid(e: wasmparser::BinaryReaderError) -> Error {
    Error::new(
        ErrorKind::InvalidModule,
        format!("{} (at offset {:#x})", e.message(), e.offset()),
    )
}

fn val_type(ty: wasmparser::ValType) -> Result<ValType> {
    ValType::from_wasmparser(ty)
        .ok_or_else(|| Error::new(ErrorKind::Unsupported, "unsupported reference type"))
}

fn table_type(ty: &wasmparser::TableType) -> Result<TableType> {
    let element = val_type(wasmparser::ValType::Ref(ty.element_type))?;
    Ok(TableType::new(
        element,
        ty.initial as u32,
        ty.maximum.map(|m| m as u32),
    ))
}

fn memory_type(ty: &wasmparser::MemoryType) -> MemoryType {
    MemoryType::new(ty.initial as u32, ty.maximum.map(|m| m as u32))
}

fn global_type(ty: &wasmparser::GlobalType) -> Result<GlobalType> {
    let mutability = if ty.mutable {
        Mutability::Var
    } else {
        Mutability::Const
    };
    Ok(GlobalType::new(val_type(ty.content_type)?, mutability))
}

fn const_expr(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr> {
    use wasmparser::Operator as Op;
    let mut reader = expr.get_operators_reader();
    let op = reader.read().map_err(invalid)?;
    Ok(match op {
        Op::I32Const { value } => ConstExpr::Value(value as u32 as u128),
        Op::I64Const { value } => ConstExpr::Value(value as u64 as u128),
        Op::F32Const { value } => ConstExpr::Value(value.bits() as u128),
        Op::F64Const { value } => ConstExpr::Value(value.bits() as u128),
        Op::V128Const { value } => ConstExpr::Value(value.i128() as u128),
        Op::RefNull { .. } => ConstExpr::RefNull,
        Op::RefFunc { function_index } => ConstExpr::RefFunc(function_index),
        Op::GlobalGet { global_index } => ConstExpr::GlobalGet(global_index),
        _ => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "unsupported constant expression",
            ));
        }
    })
}

impl Module {
    /// Decodes and validates a binary module.
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module> {
        let bytes: Box<[u8]> = bytes.as_ref().into();
        let inner = parse(engine, bytes)?;
        Ok(Module {
            inner: Arc::new(inner),
        })
    }

    /// Decodes and validates a binary module without keeping it.
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<()> {
        Module::new(engine, bytes).map(drop)
    }

    /// The engine this module was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The module's imports as `(module, name, type)`.
    pub fn imports(&self) -> impl Iterator<Item = (&str, &str, ExternType)> + '_ {
        self.inner.imports.iter().map(|i| {
            (
                i.module.as_str(),
                i.name.as_str(),
                self.inner.import_type(&i.ty),
            )
        })
    }

    /// The module's exports as `(name, type)`.
    pub fn exports(&self) -> impl Iterator<Item = (&str, ExternType)> + '_ {
        self.inner.exports.iter().map(|(name, index)| {
            let ty = match *index {
                ExportIndex::Func(f) => ExternType::Func(self.inner.func_type(f).clone()),
                ExportIndex::Table(t) => ExternType::Table(self.inner.tables[t as usize]),
                ExportIndex::Memory(m) => ExternType::Memory(self.inner.memories[m as usize]),
                ExportIndex::Global(g) => ExternType::Global(self.inner.globals[g as usize]),
            };
            (name.as_str(), ty)
        })
    }

    /// Translates every defined function to IR now instead of on first
    /// call, reporting the first translation error.
    pub fn translate_all(&self) -> Result<()> {
        for index in 0..self.inner.bodies.len() {
            self.inner
                .compiled_func(index as u32 + self.inner.num_imported_funcs)?;
        }
        Ok(())
    }

    /// Compiles every defined function to native code now (translating
    /// them first), with the engine's backend and platform, and returns
    /// what this module's functions took: functions compiled and declined,
    /// Wasm body bytes and native code bytes. Without a backend nothing is
    /// compiled and every function counts as declined. Fails only if a
    /// function cannot be translated (an implementation limit).
    pub fn jit_compile_all(&self) -> Result<crate::jit::JitStats> {
        self.translate_all()?;
        let mut stats = crate::jit::JitStats::default();
        for index in 0..self.inner.bodies.len() {
            let func_index = index as u32 + self.inner.num_imported_funcs;
            let body = &self.inner.bodies[index];
            match self.inner.native_code(func_index) {
                Some(code) => {
                    stats.compiled += 1;
                    stats.helper_instrs += code.info.helper_instrs as u64;
                    stats.wasm_bytes += body.len() as u64;
                    stats.code_bytes += code.memory.len() as u64;
                }
                None => stats.declined += 1,
            }
        }
        Ok(stats)
    }

    /// The IR of function `func_index` (translating it if needed), for tests
    /// and tools.
    pub fn func_ir(&self, func_index: u32) -> Result<Arc<ir::Func>> {
        if func_index < self.inner.num_imported_funcs
            || func_index as usize >= self.inner.funcs.len()
        {
            return Err(Error::new(ErrorKind::Usage, "not a defined function"));
        }
        self.inner.compiled_func(func_index)
    }
}

impl ModuleInner {
    pub(crate) fn func_type(&self, func_index: u32) -> &FuncType {
        &self.types[self.funcs[func_index as usize] as usize]
    }

    pub(crate) fn import_type(&self, ty: &ImportType) -> ExternType {
        match *ty {
            ImportType::Func(t) => ExternType::Func(self.types[t as usize].clone()),
            ImportType::Table(t) => ExternType::Table(t),
            ImportType::Memory(m) => ExternType::Memory(m),
            ImportType::Global(g) => ExternType::Global(g),
        }
    }

    /// The IR of defined function `func_index`, translated on first use.
    pub(crate) fn compiled_func(&self, func_index: u32) -> Result<Arc<ir::Func>> {
        self.compiled_ref(func_index).cloned()
    }

    /// Like `compiled_func`, without touching the reference count.
    pub(crate) fn compiled_ref(
        &self,
        func_index: u32,
    ) -> core::result::Result<&Arc<ir::Func>, Error> {
        let defined = (func_index - self.num_imported_funcs) as usize;
        self.compiled[defined]
            .call_once(|| crate::translate::translate(self, func_index).map(Arc::new))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The native code of defined function `func_index`, compiled on first
    /// use with the engine's backend; `None` when there is no backend, the
    /// backend declined the function, or the platform has no executable
    /// memory.
    pub(crate) fn native_code(&self, func_index: u32) -> Option<&Arc<crate::jit::NativeCode>> {
        let defined = (func_index - self.num_imported_funcs) as usize;
        self.native[defined]
            .call_once(|| crate::jit::compile(self, func_index))
            .as_ref()
    }
}

fn parse(engine: &Engine, bytes: Box<[u8]>) -> Result<ModuleInner> {
    let mut validator = Validator::new_with_features(features());
    let mut m = ModuleInner {
        engine: engine.clone(),
        bytes: Box::default(),
        types: Vec::new(),
        type_ids: Vec::new(),
        imports: Vec::new(),
        funcs: Vec::new(),
        num_imported_funcs: 0,
        tables: Vec::new(),
        num_imported_tables: 0,
        memories: Vec::new(),
        num_imported_memories: 0,
        globals: Vec::new(),
        num_imported_globals: 0,
        global_inits: Vec::new(),
        exports: Vec::new(),
        start: None,
        elems: Vec::new(),
        datas: Vec::new(),
        bodies: Vec::new(),
        compiled: Vec::new(),
        native: Vec::new(),
        func_names: Vec::new(),
    };
    let mut allocs = wasmparser::FuncValidatorAllocations::default();
    let mut names: Vec<(u32, String)> = Vec::new();
    let mut parser = Parser::new(0);
    parser.set_features(features());
    for payload in parser.parse_all(&bytes) {
        let payload = payload.map_err(invalid)?;
        if let wasmparser::ValidPayload::Func(func, body) =
            validator.payload(&payload).map_err(invalid)?
        {
            let mut func = func.into_validator(allocs);
            func.validate(&body).map_err(invalid)?;
            allocs = func.into_allocations();
        }
        match payload {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(invalid)?;
                    let params = ty
                        .params()
                        .iter()
                        .map(|&t| val_type(t))
                        .collect::<Result<Vec<_>>>()?;
                    let results = ty
                        .results()
                        .iter()
                        .map(|&t| val_type(t))
                        .collect::<Result<Vec<_>>>()?;
                    let ty = FuncType::new(params, results);
                    m.type_ids.push(engine.intern_type(&ty));
                    m.types.push(ty);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(invalid)?;
                    let ty = match import.ty {
                        wasmparser::TypeRef::Func(t) | wasmparser::TypeRef::FuncExact(t) => {
                            m.funcs.push(t);
                            m.num_imported_funcs += 1;
                            ImportType::Func(t)
                        }
                        wasmparser::TypeRef::Table(t) => {
                            let t = table_type(&t)?;
                            m.tables.push(t);
                            m.num_imported_tables += 1;
                            ImportType::Table(t)
                        }
                        wasmparser::TypeRef::Memory(mem) => {
                            let mem = memory_type(&mem);
                            m.memories.push(mem);
                            m.num_imported_memories += 1;
                            ImportType::Memory(mem)
                        }
                        wasmparser::TypeRef::Global(g) => {
                            let g = global_type(&g)?;
                            m.globals.push(g);
                            m.num_imported_globals += 1;
                            ImportType::Global(g)
                        }
                        wasmparser::TypeRef::Tag(_) => {
                            return Err(Error::new(
                                ErrorKind::Unsupported,
                                "tags are not supported",
                            ));
                        }
                    };
                    m.imports.push(Import {
                        module: import.module.into(),
                        name: import.name.into(),
                        ty,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    m.funcs.push(ty.map_err(invalid)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(invalid)?;
                    m.tables.push(table_type(&table.ty)?);
                }
            }
            Payload::MemorySection(reader) => {
                for mem in reader {
                    m.memories.push(memory_type(&mem.map_err(invalid)?));
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global.map_err(invalid)?;
                    m.globals.push(global_type(&global.ty)?);
                    m.global_inits.push(const_expr(&global.init_expr)?);
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(invalid)?;
                    let index = match export.kind {
                        wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                            ExportIndex::Func(export.index)
                        }
                        wasmparser::ExternalKind::Table => ExportIndex::Table(export.index),
                        wasmparser::ExternalKind::Memory => ExportIndex::Memory(export.index),
                        wasmparser::ExternalKind::Global => ExportIndex::Global(export.index),
                        wasmparser::ExternalKind::Tag => {
                            return Err(Error::new(
                                ErrorKind::Unsupported,
                                "tags are not supported",
                            ));
                        }
                    };
                    m.exports.push((export.name.into(), index));
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(reader) => {
                for elem in reader {
                    let elem = elem.map_err(invalid)?;
                    let mode = match elem.kind {
                        wasmparser::ElementKind::Passive => ElemMode::Passive,
                        wasmparser::ElementKind::Declared => ElemMode::Declared,
                        wasmparser::ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => ElemMode::Active {
                            table: table_index.unwrap_or(0),
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    let items = match elem.items {
                        wasmparser::ElementItems::Functions(funcs) => funcs
                            .into_iter()
                            .map(|f| f.map(ConstExpr::RefFunc).map_err(invalid))
                            .collect::<Result<Vec<_>>>()?,
                        wasmparser::ElementItems::Expressions(_, exprs) => exprs
                            .into_iter()
                            .map(|e| const_expr(&e.map_err(invalid)?))
                            .collect::<Result<Vec<_>>>()?,
                    };
                    m.elems.push(ElemSegment {
                        mode,
                        items: items.into_boxed_slice(),
                    });
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(invalid)?;
                    let active = match data.kind {
                        wasmparser::DataKind::Passive => None,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => Some((memory_index, const_expr(&offset_expr)?)),
                    };
                    let start = data.data.as_ptr() as usize - bytes.as_ptr() as usize;
                    m.datas.push(DataSegment {
                        active,
                        bytes: start..start + data.data.len(),
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                m.bodies.push(range.start as usize..range.end as usize);
                m.compiled.push(spin::Once::new());
                m.native.push(spin::Once::new());
            }
            Payload::CustomSection(reader) => {
                if let wasmparser::KnownCustom::Name(names_reader) = reader.as_known() {
                    // A malformed name section is ignored, as the spec allows.
                    for name in names_reader.into_iter().flatten() {
                        if let wasmparser::Name::Function(map) = name {
                            for naming in map.into_iter().flatten() {
                                names.push((naming.index, naming.name.into()));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    m.func_names = alloc::vec![None; m.funcs.len()];
    for (index, name) in names {
        if let Some(slot) = m.func_names.get_mut(index as usize) {
            *slot = Some(name);
        }
    }
    m.bytes = bytes;
    Ok(m)
}

impl core::fmt::Debug for Module {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Module")
            .field("imports", &self.inner.imports.len())
            .field("functions", &self.inner.funcs.len())
            .field("exports", &self.inner.exports.len())
            .finish_non_exhaustive()
    }
}
