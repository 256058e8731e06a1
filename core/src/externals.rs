//! Memories, tables and globals as the host sees them, and [`Extern`], the
//! union of everything a module can import or export.

use alloc::format;

use crate::error::{Error, ErrorKind, Result};
use crate::store::{
    AsContext, AsContextMut, Func, Global, GlobalEntity, Memory, MemoryEntity, PAGE_SIZE,
    StoreInner, Table, TableEntity,
};
use crate::types::{ExternType, GlobalType, MemoryType, Mutability, TableType};
use crate::value::Val;

/// Anything a module can import or export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extern {
    Func(Func),
    Memory(Memory),
    Table(Table),
    Global(Global),
}

impl Extern {
    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self {
            Some(f)
        } else {
            None
        }
    }

    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self {
            Some(m)
        } else {
            None
        }
    }

    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self {
            Some(t)
        } else {
            None
        }
    }

    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self {
            Some(g)
        } else {
            None
        }
    }

    /// The item's type.
    pub fn ty(&self, store: impl AsContext) -> ExternType {
        extern_type(&store.as_context().inner, self)
    }
}

pub(crate) fn extern_type(inner: &StoreInner, item: &Extern) -> ExternType {
    match item {
        Extern::Func(f) => {
            ExternType::Func(crate::func::func_type(inner, f.index_in(inner) as u32))
        }
        Extern::Memory(m) => {
            let m = m.entity(inner);
            ExternType::Memory(MemoryType::new(m.pages(), m.ty.maximum))
        }
        Extern::Table(t) => {
            let t = t.entity(inner);
            ExternType::Table(TableType::new(
                t.ty.element,
                t.elements.len() as u32,
                t.ty.maximum,
            ))
        }
        Extern::Global(g) => ExternType::Global(inner.globals[g.index_in(inner)].ty),
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Self {
        Extern::Func(f)
    }
}

impl From<Memory> for Extern {
    fn from(m: Memory) -> Self {
        Extern::Memory(m)
    }
}

impl From<Table> for Extern {
    fn from(t: Table) -> Self {
        Extern::Table(t)
    }
}

impl From<Global> for Extern {
    fn from(g: Global) -> Self {
        Extern::Global(g)
    }
}

pub(crate) fn create_memory(inner: &mut StoreInner, ty: MemoryType) -> Result<Memory> {
    let config = inner.engine.config();
    let max_pages = ty.maximum.unwrap_or(65536).min(config.max_memory_pages);
    if ty.minimum > max_pages {
        return Err(Error::new(
            ErrorKind::Resource,
            format!(
                "memory of {} pages exceeds the limit of {max_pages} pages",
                ty.minimum
            ),
        ));
    }
    let memory = config
        .platform
        .create_memory(
            ty.minimum as usize * PAGE_SIZE,
            max_pages as usize * PAGE_SIZE,
        )
        .map_err(|_| Error::new(ErrorKind::Resource, "cannot allocate linear memory"))?;
    inner
        .memories
        .push(MemoryEntity::new(ty, memory, max_pages));
    Ok(Memory::from_raw(inner.id, inner.memories.len() as u32 - 1))
}

pub(crate) fn create_table(inner: &mut StoreInner, ty: TableType, init: u64) -> Result<Table> {
    let limit = inner.engine.config().max_table_elements;
    let max = ty.maximum.unwrap_or(u32::MAX).min(limit);
    if ty.minimum > max {
        return Err(Error::new(
            ErrorKind::Resource,
            format!(
                "table of {} elements exceeds the limit of {max} elements",
                ty.minimum
            ),
        ));
    }
    let mut elements = alloc::vec::Vec::new();
    elements
        .try_reserve_exact(ty.minimum as usize)
        .map_err(|_| Error::new(ErrorKind::Resource, "cannot allocate table"))?;
    elements.resize(ty.minimum as usize, init);
    inner.tables.push(TableEntity { ty, elements, max });
    Ok(Table::from_raw(inner.id, inner.tables.len() as u32 - 1))
}

impl Memory {
    /// A new memory in the store.
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory> {
        create_memory(&mut store.as_context_mut().inner, ty)
    }

    fn entity<'a>(&self, inner: &'a StoreInner) -> &'a MemoryEntity {
        &inner.memories[self.index_in(inner)]
    }

    /// The memory's type, with its current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        let m = self.entity(&store.as_context().inner);
        MemoryType::new(m.pages(), m.ty.maximum)
    }

    /// Current size in pages.
    pub fn size(&self, store: impl AsContext) -> u32 {
        self.entity(&store.as_context().inner).pages()
    }

    /// The memory's bytes.
    pub fn data<'a, T: 'a>(&self, store: &'a crate::Store<T>) -> &'a [u8] {
        self.entity(&store.inner).bytes()
    }

    /// The memory's bytes, mutably.
    pub fn data_mut<'a, T: 'a>(&self, store: &'a mut crate::Store<T>) -> &'a mut [u8] {
        let index = self.index_in(&store.inner);
        store.inner.memories[index].bytes_mut()
    }

    /// The memory's bytes and the store's user data, both mutably (for
    /// host functions that move data between the two without a copy).
    pub fn data_and_store_mut<'a, T: 'a>(
        &self,
        store: &'a mut crate::Store<T>,
    ) -> (&'a mut [u8], &'a mut T) {
        let index = self.index_in(&store.inner);
        let (inner, data) = store.inner_and_data_mut();
        (inner.memories[index].bytes_mut(), data)
    }

    /// Copies `buf.len()` bytes from `offset` into `buf`.
    pub fn read(&self, store: impl AsContext, offset: usize, buf: &mut [u8]) -> Result<()> {
        let bytes = self.entity(&store.as_context().inner).bytes();
        let src = offset
            .checked_add(buf.len())
            .and_then(|end| bytes.get(offset..end))
            .ok_or_else(|| Error::from(crate::TrapCode::MemoryOutOfBounds))?;
        buf.copy_from_slice(src);
        Ok(())
    }

    /// Copies `buf` into memory at `offset`.
    pub fn write(&self, mut store: impl AsContextMut, offset: usize, buf: &[u8]) -> Result<()> {
        let inner = &mut store.as_context_mut().inner;
        let index = self.index_in(inner);
        let bytes = inner.memories[index].bytes_mut();
        let dst = offset
            .checked_add(buf.len())
            .and_then(|end| bytes.get_mut(offset..end))
            .ok_or_else(|| Error::from(crate::TrapCode::MemoryOutOfBounds))?;
        dst.copy_from_slice(buf);
        Ok(())
    }

    /// Grows by `delta` pages; returns the previous size in pages.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u32) -> Result<u32> {
        let inner = &mut store.as_context_mut().inner;
        let index = self.index_in(inner);
        inner.memories[index]
            .grow(delta)
            .ok_or_else(|| Error::new(ErrorKind::Resource, "memory cannot grow by that much"))
    }
}

impl Table {
    /// A new table in the store, filled with `init`.
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Val) -> Result<Table> {
        let inner = &mut store.as_context_mut().inner;
        check_ref(ty.element, init)?;
        create_table(inner, ty, init.to_raw() as u64)
    }

    fn entity<'a>(&self, inner: &'a StoreInner) -> &'a TableEntity {
        &inner.tables[self.index_in(inner)]
    }

    /// The table's type, with its current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> TableType {
        let t = self.entity(&store.as_context().inner);
        TableType::new(t.ty.element, t.elements.len() as u32, t.ty.maximum)
    }

    /// Current number of elements.
    pub fn size(&self, store: impl AsContext) -> u32 {
        self.entity(&store.as_context().inner).elements.len() as u32
    }

    /// Element `index`, if in bounds.
    pub fn get(&self, store: impl AsContext, index: u32) -> Option<Val> {
        let inner = &store.as_context().inner;
        let t = self.entity(inner);
        let raw = *t.elements.get(index as usize)?;
        Some(Val::from_raw(t.ty.element, raw as u128, inner.id))
    }

    /// Sets element `index`.
    pub fn set(&self, mut store: impl AsContextMut, index: u32, value: Val) -> Result<()> {
        let inner = &mut store.as_context_mut().inner;
        let i = self.index_in(inner);
        check_ref(inner.tables[i].ty.element, value)?;
        let slot = inner.tables[i]
            .elements
            .get_mut(index as usize)
            .ok_or_else(|| Error::from(crate::TrapCode::TableOutOfBounds))?;
        *slot = value.to_raw() as u64;
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the previous size.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u32, init: Val) -> Result<u32> {
        let inner = &mut store.as_context_mut().inner;
        let i = self.index_in(inner);
        check_ref(inner.tables[i].ty.element, init)?;
        inner.tables[i]
            .grow(delta, init.to_raw() as u64)
            .ok_or_else(|| Error::new(ErrorKind::Resource, "table cannot grow by that much"))
    }
}

fn check_ref(element: crate::ValType, value: Val) -> Result<()> {
    if value.ty() == element {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::TypeMismatch,
            format!("expected {element}, got {}", value.ty()),
        ))
    }
}

impl Global {
    /// A new global in the store.
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, value: Val) -> Result<Global> {
        if value.ty() != ty.content {
            return Err(Error::new(
                ErrorKind::TypeMismatch,
                format!(
                    "global of type {} initialized with {}",
                    ty.content,
                    value.ty()
                ),
            ));
        }
        let inner = &mut store.as_context_mut().inner;
        inner.globals.push(GlobalEntity {
            ty,
            value: crate::store::GlobalCell::new(value.to_raw()),
        });
        Ok(Global::from_raw(inner.id, inner.globals.len() as u32 - 1))
    }

    /// The global's type.
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        let inner = &store.as_context().inner;
        inner.globals[self.index_in(inner)].ty
    }

    /// The current value.
    pub fn get(&self, store: impl AsContext) -> Val {
        let inner = &store.as_context().inner;
        let g = &inner.globals[self.index_in(inner)];
        Val::from_raw(g.ty.content, g.value.get(), inner.id)
    }

    /// Sets the value of a mutable global.
    pub fn set(&self, mut store: impl AsContextMut, value: Val) -> Result<()> {
        let inner = &mut store.as_context_mut().inner;
        let i = self.index_in(inner);
        let g = &mut inner.globals[i];
        if g.ty.mutability != Mutability::Var {
            return Err(Error::new(
                ErrorKind::Usage,
                "cannot set an immutable global",
            ));
        }
        if value.ty() != g.ty.content {
            return Err(Error::new(
                ErrorKind::TypeMismatch,
                format!("expected {}, got {}", g.ty.content, value.ty()),
            ));
        }
        g.value.set(value.to_raw());
        Ok(())
    }
}
