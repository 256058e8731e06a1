//! [`Linker`]: named definitions (host functions and items of other
//! instances) that satisfy modules' imports by `module::name`.

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use hashbrown::HashMap;

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::externals::Extern;
use crate::func::{Caller, IntoFunc, new_host};
use crate::module::Module;
use crate::store::{AsContext, AsContextMut, HostFn, Instance};
use crate::types::FuncType;
use crate::value::Val;

enum Definition<T> {
    Extern(Extern),
    /// A host function not yet placed in a store; each store gets its own.
    Host(FuncType, HostFn<T>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
            Definition::Host(ty, f) => Definition::Host(ty.clone(), f.clone()),
        }
    }
}

/// Resolves imports by name. Host functions defined here can be used with
/// any store of the engine.
pub struct Linker<T> {
    engine: Engine,
    items: HashMap<(String, String), Definition<T>>,
    allow_shadowing: bool,
}

impl<T> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &Engine) -> Self {
        Linker {
            engine: engine.clone(),
            items: HashMap::new(),
            allow_shadowing: false,
        }
    }

    /// Whether a later definition may replace an earlier one of the same name.
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<&mut Self> {
        let key = (String::from(module), String::from(name));
        if !self.allow_shadowing && self.items.contains_key(&key) {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("`{module}::{name}` is already defined"),
            ));
        }
        self.items.insert(key, def);
        Ok(self)
    }

    /// Defines `module::name` as `item` (which lives in a particular store).
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self> {
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines `module::name` as a host function from a typed closure.
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self> {
        let (ty, host) = func.into_func();
        self.insert(module, name, Definition::Host(ty, host))
    }

    /// Defines `module::name` as a host function with an explicit type.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Result<&mut Self> {
        self.insert(module, name, Definition::Host(ty, Arc::new(func)))
    }

    /// Defines every export of `instance` under module name `module`.
    pub fn instance(
        &mut self,
        store: impl AsContext<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self> {
        let store = store.as_context();
        let exports: Vec<(String, Extern)> = instance
            .exports(store)
            .map(|(n, e)| (String::from(n), e))
            .collect();
        for (name, item) in exports {
            self.define(module, &name, item)?;
        }
        Ok(self)
    }

    /// The definition of `module::name` as an item of `store`.
    pub fn get(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        let def = self
            .items
            .get(&(String::from(module), String::from(name)))?
            .clone();
        Some(match def {
            Definition::Extern(e) => e,
            Definition::Host(ty, host) => Extern::Func(new_host(store.as_context_mut(), ty, host)),
        })
    }

    /// Instantiates `module`, resolving each import by name.
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance> {
        let store = store.as_context_mut();
        if !self.engine.same(module.engine()) {
            return Err(Error::new(
                ErrorKind::Usage,
                "linker and module belong to different engines",
            ));
        }
        let mut imports = Vec::with_capacity(module.inner.imports.len());
        for import in &module.inner.imports {
            let item = self
                .get(&mut *store, &import.module, &import.name)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Unlinkable,
                        format!(
                            "unknown import: `{}::{}` has not been defined",
                            import.module, import.name
                        ),
                    )
                })?;
            imports.push(item);
        }
        Instance::new(store, module, &imports)
    }
}
