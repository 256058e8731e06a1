//! Instantiation: linking a module's imports, creating its memories, tables
//! and globals, applying its segments and running its start function.

use alloc::boxed::Box;
use alloc::format;
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};
use crate::externals::{Extern, create_memory, create_table};
use crate::func::TypedFunc;
use crate::module::{ConstExpr, ElemMode, ExportIndex, ImportType, Module};
use crate::store::{
    AsContext, AsContextMut, Func, FuncEntity, Global, GlobalCell, GlobalEntity, Instance,
    InstanceEntity, Memory, StoreInner, Table,
};
use crate::trap::{Trap, TrapCode};
use crate::types::{ExternType, MemoryType, TableType};

fn incompatible(module: &str, name: &str, expected: &ExternType, found: &ExternType) -> Error {
    Error::new(
        ErrorKind::Unlinkable,
        format!(
            "incompatible import type for `{module}::{name}`: expected {expected:?}, found {found:?}"
        ),
    )
}

fn limits_match(min: u32, max: Option<u32>, actual_min: u32, actual_max: Option<u32>) -> bool {
    actual_min >= min
        && match (max, actual_max) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(m), Some(am)) => am <= m,
        }
}

fn eval_const(inner: &StoreInner, globals: &[u32], funcs: &[u32], expr: ConstExpr) -> u128 {
    match expr {
        ConstExpr::Value(v) => v,
        ConstExpr::RefNull => 0,
        ConstExpr::RefFunc(f) => funcs[f as usize] as u128 + 1,
        ConstExpr::GlobalGet(g) => inner.globals[globals[g as usize] as usize].value.get(),
    }
}

impl Instance {
    /// Instantiates `module` with `imports` given in the module's import
    /// order, then runs its start function.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance> {
        let store = store.as_context_mut();
        let instance = instantiate_without_start(&mut store.inner, module, imports)?;
        if let Some(start) = module.inner.start {
            let func = Func::from_raw(
                store.inner.id,
                store.inner.instances[instance.raw_index() as usize].funcs[start as usize],
            );
            func.call(&mut *store, &[], &mut [])?;
        }
        Ok(instance)
    }

    fn entity<'a>(&self, inner: &'a StoreInner) -> &'a InstanceEntity {
        &inner.instances[self.index_in(inner)]
    }

    /// The export called `name`.
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let inner = &store.as_context().inner;
        self.entity(inner)
            .exports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| *e)
    }

    /// All exports, in the module's order.
    pub fn exports<'a, T: 'a>(
        &self,
        store: &'a crate::Store<T>,
    ) -> impl Iterator<Item = (&'a str, Extern)> + 'a {
        self.entity(&store.inner)
            .exports
            .iter()
            .map(|(n, e)| (n.as_str(), *e))
    }

    /// The exported function called `name`.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported function called `name`, typed.
    pub fn get_typed_func<Params: crate::WasmParams, Results: crate::WasmResults>(
        &self,
        store: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<Params, Results>> {
        let store = store.as_context();
        let func = self.get_func(store, name).ok_or_else(|| {
            Error::new(ErrorKind::Usage, format!("no exported function `{name}`"))
        })?;
        func.typed(store)
    }

    /// The exported memory called `name`.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported table called `name`.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// The exported global called `name`.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The module this instance was made from.
    pub fn module<'a, T: 'a>(&self, store: &'a crate::Store<T>) -> &'a Module {
        &self.entity(&store.inner).module
    }
}

fn instantiate_without_start(
    inner: &mut StoreInner,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance> {
    inner.check_owner(&module.inner.engine)?;
    let m = &module.inner;
    if imports.len() != m.imports.len() {
        return Err(Error::new(
            ErrorKind::Unlinkable,
            format!(
                "module needs {} imports, {} given",
                m.imports.len(),
                imports.len()
            ),
        ));
    }
    let instance_index = inner.instances.len() as u32;
    let mut funcs = Vec::with_capacity(m.funcs.len());
    let mut tables = Vec::with_capacity(m.tables.len());
    let mut memories = Vec::with_capacity(m.memories.len());
    let mut globals = Vec::with_capacity(m.globals.len());

    for (import, item) in m.imports.iter().zip(imports) {
        let expected = m.import_type(&import.ty);
        let found = crate::externals::extern_type(inner, item);
        let ok = match (&import.ty, item) {
            (ImportType::Func(t), Extern::Func(f)) => {
                let index = f.index_in(inner);
                let ok = inner.funcs[index].type_id() == m.type_ids[*t as usize];
                funcs.push(index as u32);
                ok
            }
            (ImportType::Table(ty), Extern::Table(t)) => {
                let index = t.index_in(inner);
                let actual = &inner.tables[index];
                let ok = actual.ty.element == ty.element
                    && limits_match(
                        ty.minimum,
                        ty.maximum,
                        actual.elements.len() as u32,
                        actual.ty.maximum,
                    );
                tables.push(index as u32);
                ok
            }
            (ImportType::Memory(ty), Extern::Memory(mem)) => {
                let index = mem.index_in(inner);
                let actual = &inner.memories[index];
                let ok = limits_match(ty.minimum, ty.maximum, actual.pages(), actual.ty.maximum);
                memories.push(index as u32);
                ok
            }
            (ImportType::Global(ty), Extern::Global(g)) => {
                let index = g.index_in(inner);
                let ok = inner.globals[index].ty == *ty;
                globals.push(index as u32);
                ok
            }
            _ => false,
        };
        if !ok {
            return Err(incompatible(
                &import.module,
                &import.name,
                &expected,
                &found,
            ));
        }
    }

    // Defined items.
    for (i, &ty) in m
        .funcs
        .iter()
        .enumerate()
        .skip(m.num_imported_funcs as usize)
    {
        let index = inner.push_func(FuncEntity::Wasm {
            instance: instance_index,
            index: i as u32,
            type_id: m.type_ids[ty as usize],
        });
        funcs.push(index);
    }
    for &ty in &m.tables[m.num_imported_tables as usize..] {
        let table = create_table(inner, TableType { ..ty }, 0)?;
        tables.push(table.raw_index());
    }
    for &ty in &m.memories[m.num_imported_memories as usize..] {
        let memory = create_memory(inner, MemoryType { ..ty })?;
        memories.push(memory.raw_index());
    }
    for (ty, init) in m.globals[m.num_imported_globals as usize..]
        .iter()
        .zip(&m.global_inits)
    {
        let value = eval_const(inner, &globals, &funcs, *init);
        inner.globals.push(GlobalEntity {
            ty: *ty,
            value: GlobalCell::new(value),
        });
        globals.push(inner.globals.len() as u32 - 1);
    }

    let exports = m
        .exports
        .iter()
        .map(|(name, index)| {
            let item = match *index {
                ExportIndex::Func(i) => Extern::Func(Func::from_raw(inner.id, funcs[i as usize])),
                ExportIndex::Table(i) => {
                    Extern::Table(Table::from_raw(inner.id, tables[i as usize]))
                }
                ExportIndex::Memory(i) => {
                    Extern::Memory(Memory::from_raw(inner.id, memories[i as usize]))
                }
                ExportIndex::Global(i) => {
                    Extern::Global(Global::from_raw(inner.id, globals[i as usize]))
                }
            };
            (name.clone(), item)
        })
        .collect();
    let elems: Vec<Box<[u64]>> = m
        .elems
        .iter()
        .map(|seg| {
            seg.items
                .iter()
                .map(|&e| eval_const(inner, &globals, &funcs, e) as u64)
                .collect()
        })
        .collect();
    let datas = m.datas.iter().map(|d| d.bytes.clone()).collect();
    let func_refs = funcs
        .iter()
        .map(|&f| crate::jit::FuncRef::new(crate::exec::interp_trampoline, f))
        .collect();
    let global_ptrs = globals
        .iter()
        .map(|&g| inner.globals[g as usize].value.as_ptr())
        .collect();
    inner.instances.push(InstanceEntity {
        module: module.clone(),
        funcs,
        tables,
        memories,
        globals,
        datas,
        elems,
        exports,
        func_refs,
        global_ptrs,
    });
    let instance = Instance::from_raw(inner.id, instance_index);

    // Segments, in order; a failing one leaves earlier writes in place.
    for (i, seg) in m.elems.iter().enumerate() {
        let entity = &inner.instances[instance_index as usize];
        match seg.mode {
            ElemMode::Active { table, offset } => {
                let offset =
                    eval_const(inner, &entity.globals, &entity.funcs, offset) as u32 as usize;
                let t = entity.tables[table as usize] as usize;
                let items = core::mem::take(&mut inner.instances[instance_index as usize].elems[i]);
                let elements = &mut inner.tables[t].elements;
                if offset
                    .checked_add(items.len())
                    .is_none_or(|end| end > elements.len())
                {
                    return Err(Trap::new(TrapCode::TableOutOfBounds).into());
                }
                elements[offset..offset + items.len()].copy_from_slice(&items);
            }
            ElemMode::Declared => {
                inner.instances[instance_index as usize].elems[i] = Box::new([]);
            }
            ElemMode::Passive => {}
        }
    }
    for (i, seg) in m.datas.iter().enumerate() {
        let Some((memory, offset)) = seg.active else {
            continue;
        };
        let entity = &inner.instances[instance_index as usize];
        let offset = eval_const(inner, &entity.globals, &entity.funcs, offset) as u32 as usize;
        let mem = entity.memories[memory as usize] as usize;
        let bytes = &m.bytes[seg.bytes.clone()];
        let target = inner.memories[mem].bytes_mut();
        let Some(dst) = offset
            .checked_add(bytes.len())
            .and_then(|end| target.get_mut(offset..end))
        else {
            return Err(Trap::new(TrapCode::MemoryOutOfBounds).into());
        };
        dst.copy_from_slice(bytes);
        inner.instances[instance_index as usize].datas[i] = 0..0;
    }
    Ok(instance)
}
