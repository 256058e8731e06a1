//! Functions as the host sees them: [`Func`] calls (untyped, typed and
//! resumable), host functions made from closures, and the [`Caller`] a host
//! function receives.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::marker::PhantomData;

use crate::error::{Error, ErrorKind, Result};
use crate::exec::{self, Outcome};
use crate::externals::Extern;
use crate::store::{
    AsContext, AsContextMut, Func, FuncEntity, HostFn, Instance, Store, StoreInner,
};
use crate::trap::{FrameInfo, Trap, TrapCode};
use crate::types::{FuncType, ValType};
use crate::value::{V128, Val};

/// The context a host function runs in: the store (with its user data) and
/// the instance whose code called it.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    pub(crate) instance: Option<Instance>,
}

impl<T> Caller<'_, T> {
    /// The store's user data.
    pub fn data(&self) -> &T {
        self.store.data()
    }

    /// The store's user data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }

    /// An export of the calling instance (typically its `memory`).
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.instance?.get_export(&*self.store, name)
    }

    /// The fuel left (see [`Store::get_fuel`]).
    pub fn get_fuel(&self) -> Result<u64> {
        self.store.get_fuel()
    }

    /// Sets the fuel left (see [`Store::set_fuel`]).
    pub fn set_fuel(&mut self, fuel: u64) -> Result<()> {
        self.store.set_fuel(fuel)
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self.store
    }
}

impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self.store
    }
}

/// Slots a sequence of values occupies when laid out from slot 0.
pub(crate) fn slot_width(types: &[ValType]) -> usize {
    let mut slot = 0usize;
    for &ty in types {
        if ty == ValType::V128 {
            slot = (slot + 1) & !1;
        }
        slot += ty.slot_width() as usize;
    }
    slot
}

fn write_vals(inner: &mut StoreInner, base: usize, vals: &[Val]) {
    let mut slot = base;
    for v in vals {
        let raw = v.to_raw();
        if v.ty() == ValType::V128 {
            slot = (slot + 1) & !1;
            inner.stack.set(slot, raw as u64);
            inner.stack.set(slot + 1, (raw >> 64) as u64);
            slot += 2;
        } else {
            inner.stack.set(slot, raw as u64);
            slot += 1;
        }
    }
}

fn read_vals(inner: &StoreInner, base: usize, types: &[ValType], out: &mut [Val]) {
    let mut slot = base;
    for (&ty, out) in types.iter().zip(out) {
        let raw = if ty == ValType::V128 {
            slot = (slot + 1) & !1;
            let v = inner.stack.get(slot) as u128 | (inner.stack.get(slot + 1) as u128) << 64;
            slot += 2;
            v
        } else {
            let v = inner.stack.get(slot) as u128;
            slot += 1;
            v
        };
        *out = Val::from_raw(ty, raw, inner.id);
    }
}

fn check_vals(what: &str, expected: &[ValType], vals: &[Val], store: &StoreInner) -> Result<()> {
    if expected.len() != vals.len() {
        return Err(Error::new(
            ErrorKind::TypeMismatch,
            alloc::format!("expected {} {what}, got {}", expected.len(), vals.len()),
        ));
    }
    for (i, (&ty, v)) in expected.iter().zip(vals).enumerate() {
        if v.ty() != ty {
            return Err(Error::new(
                ErrorKind::TypeMismatch,
                alloc::format!("{what} {i}: expected {ty}, got {}", v.ty()),
            ));
        }
        let foreign = match v {
            Val::FuncRef(Some(f)) => f.store != store.id,
            Val::ExternRef(Some(e)) => e.store != store.id,
            _ => false,
        };
        if foreign {
            return Err(Error::new(ErrorKind::Usage, "reference from another store"));
        }
    }
    Ok(())
}

/// What [`Func::call_resumable`] ended with.
#[derive(Debug)]
pub enum ResumableCall {
    /// The call returned; the results are written.
    Finished,
    /// Fuel ran out; add fuel and [`ResumableInvocation::resume`].
    OutOfFuel(ResumableInvocation),
}

/// A call suspended for lack of fuel.
#[derive(Debug)]
pub struct ResumableInvocation {
    store: usize,
    token: u64,
    base: usize,
    entry_depth: usize,
    results: Vec<ValType>,
}

impl ResumableInvocation {
    /// Continues the call with the fuel the store now has.
    pub fn resume<T>(
        self,
        mut store: impl AsContextMut<Data = T>,
        results: &mut [Val],
    ) -> Result<ResumableCall> {
        let store = store.as_context_mut();
        if store.inner.id != self.store || store.inner.suspended != Some(self.token) {
            return Err(Error::new(
                ErrorKind::Usage,
                "the suspended call is no longer valid",
            ));
        }
        if results.len() != self.results.len() {
            return Err(Error::new(
                ErrorKind::TypeMismatch,
                "wrong number of results",
            ));
        }
        store.inner.suspended = None;
        set_host_hook(store);
        let outcome = finish_call(
            store,
            self.entry_depth,
            self.base,
            self.results,
            results,
            true,
            None,
        );
        resume_host_panic(store);
        outcome
    }

    /// Abandons the call, unwinding its frames.
    pub fn cancel<T>(self, mut store: impl AsContextMut<Data = T>) {
        let store = store.as_context_mut();
        if store.inner.id == self.store && store.inner.suspended == Some(self.token) {
            store.inner.suspended = None;
            store.inner.stack.frames.truncate(self.entry_depth);
        }
    }
}

enum Driven {
    Returned,
    OutOfFuel,
}

impl Func {
    /// A host function with an explicit type; the closure receives and
    /// returns untyped values.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Func {
        new_host(store.as_context_mut(), ty, Arc::new(func))
    }

    /// A host function from a typed closure, e.g.
    /// `|caller: Caller<'_, T>, a: i32, b: i32| a + b`.
    pub fn wrap<T, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, host) = func.into_func();
        new_host(store.as_context_mut(), ty, host)
    }

    /// The function's type.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let inner = &store.as_context().inner;
        func_type(inner, self.index_in(inner) as u32)
    }

    /// Calls the function with `params`, writing `results` (whose length
    /// must match the function's result count).
    pub fn call<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        match self.call_impl(store.as_context_mut(), params, results, false)? {
            ResumableCall::Finished => Ok(()),
            ResumableCall::OutOfFuel(_) => Err(Trap::new(TrapCode::OutOfFuel).into()),
        }
    }

    /// Like [`Func::call`], but running out of fuel suspends the call
    /// instead of trapping. Only one call can be suspended per store; a new
    /// call from the host abandons it.
    pub fn call_resumable<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<ResumableCall> {
        self.call_impl(store.as_context_mut(), params, results, true)
    }

    fn call_impl<T>(
        &self,
        store: &mut Store<T>,
        params: &[Val],
        results: &mut [Val],
        resumable: bool,
    ) -> Result<ResumableCall> {
        let index = self.index_in(&store.inner) as u32;
        let ty = func_type(&store.inner, index);
        check_vals("parameters", ty.params(), params, &store.inner)?;
        if results.len() != ty.results().len() {
            return Err(Error::new(
                ErrorKind::TypeMismatch,
                alloc::format!(
                    "expected {} results, got room for {}",
                    ty.results().len(),
                    results.len()
                ),
            ));
        }
        if let FuncEntity::Host { host, .. } = store.inner.funcs[index as usize] {
            let host = store.hosts[host as usize].clone();
            host(
                Caller {
                    store,
                    instance: None,
                },
                params,
                results,
            )?;
            check_vals("results", ty.results(), results, &store.inner)?;
            return Ok(ResumableCall::Finished);
        }
        if store.inner.host_depth == 0 {
            // A new call from the host abandons a suspended one.
            store.inner.suspended = None;
            store.inner.stack.frames.clear();
            store.inner.stack.reserved = 0;
        }
        if store.inner.host_depth > store.inner.engine.inner.config.max_host_reentry {
            return Err(Trap::new(TrapCode::StackOverflow).into());
        }
        store.inner.stack.ensure_allocated()?;
        let base = store.inner.stack.free_base();
        let width = slot_width(ty.params()).max(slot_width(ty.results()));
        if base + width > store.inner.stack.len() {
            return Err(Trap::new(TrapCode::StackOverflow).into());
        }
        write_vals(&mut store.inner, base, params);
        let entry_depth = store.inner.stack.frames.len();
        set_host_hook(store);
        let first = match exec::enter(&mut store.inner, index, base) {
            Ok(exec::Entered::Frame) => None,
            Ok(exec::Entered::Returned) => Some(Outcome::Returned),
            Err(outcome) => Some(outcome),
        };
        let outcome = finish_call(
            store,
            entry_depth,
            base,
            ty.results().to_vec(),
            results,
            resumable,
            first,
        );
        resume_host_panic(store);
        outcome
    }

    /// A typed view of this function; fails if the types do not match.
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<TypedFunc<Params, Results>> {
        let ty = self.ty(&store);
        if ty.params() != Params::types().as_slice() || ty.results() != Results::types().as_slice()
        {
            return Err(Error::new(
                ErrorKind::TypeMismatch,
                alloc::format!("function has type {ty}, which does not match the requested types"),
            ));
        }
        Ok(TypedFunc {
            func: *self,
            _marker: PhantomData,
        })
    }
}

fn finish_call<T>(
    store: &mut Store<T>,
    entry_depth: usize,
    base: usize,
    result_types: Vec<ValType>,
    results: &mut [Val],
    resumable: bool,
    first: Option<Outcome>,
) -> Result<ResumableCall> {
    match drive(store, entry_depth, resumable, first)? {
        Driven::Returned => {
            read_vals(&store.inner, base, &result_types, results);
            Ok(ResumableCall::Finished)
        }
        Driven::OutOfFuel => {
            store.inner.next_token += 1;
            let token = store.inner.next_token;
            store.inner.suspended = Some(token);
            Ok(ResumableCall::OutOfFuel(ResumableInvocation {
                store: store.inner.id,
                token,
                base,
                entry_depth,
                results: result_types,
            }))
        }
    }
}

pub(crate) fn func_type(inner: &StoreInner, index: u32) -> FuncType {
    match &inner.funcs[index as usize] {
        FuncEntity::Host { ty, .. } => ty.clone(),
        &FuncEntity::Wasm {
            instance, index, ..
        } => inner.instances[instance as usize]
            .module
            .inner
            .func_type(index)
            .clone(),
    }
}

pub(crate) fn new_host<T>(store: &mut Store<T>, ty: FuncType, host: HostFn<T>) -> Func {
    let type_id = store.inner.engine.intern_type(&ty);
    store.hosts.push(host);
    let host = store.hosts.len() as u32 - 1;
    let index = store
        .inner
        .push_func(FuncEntity::Host { host, type_id, ty });
    Func::from_raw(store.inner.id, index)
}

/// Continues a host function's panic that was caught under native code,
/// now that the native frames are gone.
fn resume_host_panic<T>(store: &mut Store<T>) {
    if let Some(payload) = store.inner.pending_panic.take() {
        store.inner.stack.frames.clear();
        let platform = store.inner.engine.inner.config.platform.clone();
        platform.resume_unwind(payload);
    }
}

/// Lets native code call the host functions of `store`.
fn set_host_hook<T>(store: &mut Store<T>) {
    /// Calls host function `func` of the store at `store`.
    ///
    /// # Safety
    /// `store` must point to the `Store<T>` whose code is running.
    unsafe fn call<T>(store: *mut (), func: u32, base: usize, caller_instance: u32) -> Result<()> {
        // SAFETY: the caller's contract; the store outlives the Wasm call
        // that reached this host call.
        let store = unsafe { &mut *store.cast::<Store<T>>() };
        call_host_from_wasm(store, func, base, Some(caller_instance))
    }
    let ptr: *mut Store<T> = store;
    store.inner.host_hook = Some(exec::HostHook {
        store: ptr.cast(),
        call: call::<T>,
    });
}

/// Runs the frames above `entry_depth` to completion, serving host calls.
/// `first` is an outcome already reached (by native code) before running.
fn drive<T>(
    store: &mut Store<T>,
    entry_depth: usize,
    resumable: bool,
    mut first: Option<Outcome>,
) -> Result<Driven> {
    loop {
        let outcome = match first.take() {
            Some(outcome) => outcome,
            None => exec::run(&mut store.inner, entry_depth),
        };
        let error = match outcome {
            Outcome::Returned => return Ok(Driven::Returned),
            Outcome::HostCall { func, base } => {
                match call_host_from_wasm(store, func, base, None) {
                    Ok(()) => continue,
                    Err(e) => e,
                }
            }
            Outcome::OutOfFuel if resumable && store.inner.host_depth == 0 => {
                return Ok(Driven::OutOfFuel);
            }
            Outcome::OutOfFuel => {
                trap_with_backtrace(&store.inner, entry_depth, TrapCode::OutOfFuel)
            }
            Outcome::Trap(code) => trap_with_backtrace(&store.inner, entry_depth, code),
            Outcome::Error(e) => e,
        };
        store.inner.stack.frames.truncate(entry_depth);
        return Err(error);
    }
}

fn trap_with_backtrace(inner: &StoreInner, entry_depth: usize, code: TrapCode) -> Error {
    let backtrace = inner.stack.frames[entry_depth..]
        .iter()
        .rev()
        .map(|frame| {
            let (instance, index) = match inner.funcs[frame.store_func as usize] {
                FuncEntity::Wasm {
                    instance, index, ..
                } => (instance, index),
                FuncEntity::Host { .. } => unreachable!("frames are Wasm functions"),
            };
            let module = &inner.instances[instance as usize].module.inner;
            FrameInfo {
                func_index: index,
                func_name: module.func_names[index as usize].clone(),
            }
        })
        .collect();
    Trap::with_backtrace(code, backtrace).into()
}

/// Calls host function `func` with its arguments at slot `base`; the caller
/// is the instance `caller_instance`, or else the top frame's.
fn call_host_from_wasm<T>(
    store: &mut Store<T>,
    func: u32,
    base: usize,
    caller_instance: Option<u32>,
) -> Result<()> {
    let FuncEntity::Host { host, ref ty, .. } = store.inner.funcs[func as usize] else {
        unreachable!("host call of a Wasm function")
    };
    let ty = ty.clone();
    let host = store.hosts[host as usize].clone();
    let mut params = vec![Val::I32(0); ty.params().len()];
    read_vals(&store.inner, base, ty.params(), &mut params);
    let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    let caller_instance = caller_instance
        .or_else(|| store.inner.stack.frames.last().map(|f| f.instance))
        .map(|i| Instance::from_raw(store.inner.id, i));
    let width = slot_width(ty.params()).max(slot_width(ty.results()));
    let saved_reserved = store.inner.stack.reserved;
    store.inner.stack.reserved = base + width;
    store.inner.host_depth += 1;
    let outcome = host(
        Caller {
            store: &mut *store,
            instance: caller_instance,
        },
        &params,
        &mut results,
    );
    store.inner.host_depth -= 1;
    store.inner.stack.reserved = saved_reserved;
    outcome?;
    check_vals(
        "host function results",
        ty.results(),
        &results,
        &store.inner,
    )?;
    write_vals(&mut store.inner, base, &results);
    Ok(())
}

/// A function with statically known parameter and result types.
pub struct TypedFunc<Params, Results> {
    func: Func,
    _marker: PhantomData<fn(Params) -> Results>,
}

impl<Params, Results> Clone for TypedFunc<Params, Results> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Params, Results> Copy for TypedFunc<Params, Results> {}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// Calls the function.
    pub fn call<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        params: Params,
    ) -> Result<Results> {
        let params = params.into_vals();
        let mut results: Vec<Val> = Results::types()
            .iter()
            .map(|&t| Val::default_for(t))
            .collect();
        self.func
            .call(store.as_context_mut(), &params, &mut results)?;
        Ok(Results::from_vals(&results).expect("types were checked when the TypedFunc was made"))
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }
}

/// A Rust type that maps to one Wasm value type.
pub trait WasmTy: Sized + Send + 'static {
    /// The Wasm type.
    fn valtype() -> ValType;
    /// Converts to a [`Val`].
    fn to_val(self) -> Val;
    /// Converts from a [`Val`] of the right type.
    fn from_val(val: Val) -> Option<Self>;
}

macro_rules! wasm_ty {
    ($($ty:ty => $vt:ident, |$v:ident| $to:expr, $pat:pat => $from:expr;)*) => {
        $( impl WasmTy for $ty {
            fn valtype() -> ValType { ValType::$vt }
            fn to_val(self) -> Val { let $v = self; $to }
            fn from_val(val: Val) -> Option<Self> { match val { $pat => Some($from), _ => None } }
        } )*
    };
}

wasm_ty! {
    i32 => I32, |v| Val::I32(v), Val::I32(x) => x;
    u32 => I32, |v| Val::I32(v as i32), Val::I32(x) => x as u32;
    i64 => I64, |v| Val::I64(v), Val::I64(x) => x;
    u64 => I64, |v| Val::I64(v as i64), Val::I64(x) => x as u64;
    f32 => F32, |v| Val::F32(v.to_bits()), Val::F32(x) => f32::from_bits(x);
    f64 => F64, |v| Val::F64(v.to_bits()), Val::F64(x) => f64::from_bits(x);
    V128 => V128, |v| Val::V128(v), Val::V128(x) => x;
    Option<Func> => FuncRef, |v| Val::FuncRef(v), Val::FuncRef(x) => x;
    Option<crate::store::ExternRef> => ExternRef, |v| Val::ExternRef(v), Val::ExternRef(x) => x;
}

/// Parameter lists of typed functions: `()`, a single [`WasmTy`] or a tuple.
pub trait WasmParams: Sized {
    /// The Wasm types.
    fn types() -> Vec<ValType>;
    /// The values.
    fn into_vals(self) -> Vec<Val>;
}

/// Result lists of typed functions: `()`, a single [`WasmTy`] or a tuple.
pub trait WasmResults: Sized {
    /// The Wasm types.
    fn types() -> Vec<ValType>;
    /// Reads the values (of the right types).
    fn from_vals(vals: &[Val]) -> Option<Self>;
    /// Writes the values.
    fn write_vals(self, out: &mut [Val]);
}

impl<A: WasmTy> WasmParams for A {
    fn types() -> Vec<ValType> {
        vec![A::valtype()]
    }
    fn into_vals(self) -> Vec<Val> {
        vec![self.to_val()]
    }
}

impl<A: WasmTy> WasmResults for A {
    fn types() -> Vec<ValType> {
        vec![A::valtype()]
    }
    fn from_vals(vals: &[Val]) -> Option<Self> {
        A::from_val(*vals.first()?)
    }
    fn write_vals(self, out: &mut [Val]) {
        out[0] = self.to_val();
    }
}

macro_rules! tuples {
    ($( ($($t:ident),*) )*) => {
        $(
            #[allow(non_snake_case, unused_mut, unused_variables, clippy::unused_unit)]
            impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
                fn types() -> Vec<ValType> { vec![$($t::valtype()),*] }
                fn into_vals(self) -> Vec<Val> {
                    let ($($t,)*) = self;
                    vec![$($t.to_val()),*]
                }
            }

            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments, clippy::unused_unit)]
            impl<$($t: WasmTy),*> WasmResults for ($($t,)*) {
                fn types() -> Vec<ValType> { vec![$($t::valtype()),*] }
                fn from_vals(vals: &[Val]) -> Option<Self> {
                    let mut iter = vals.iter();
                    Some(($($t::from_val(*iter.next()?)?,)*))
                }
                fn write_vals(self, out: &mut [Val]) {
                    let ($($t,)*) = self;
                    let mut i = 0;
                    $( out[i] = $t.to_val(); i += 1; )*
                }
            }

            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
            impl<T, F, R, $($t: WasmTy),*> IntoFunc<T, (Caller<'static, T>, $($t,)*), R> for F
            where
                F: for<'a> Fn(Caller<'a, T>, $($t),*) -> R + Send + Sync + 'static,
                R: WasmRet,
                T: 'static,
            {
                fn into_func(self) -> (FuncType, HostFn<T>) {
                    let ty = FuncType::new(vec![$($t::valtype()),*], R::types());
                    let host: HostFn<T> = Arc::new(move |caller: Caller<'_, T>, params: &[Val], results: &mut [Val]| {
                        let mut iter = params.iter();
                        $( let $t = $t::from_val(*iter.next().unwrap()).unwrap(); )*
                        self(caller, $($t),*).into_results(results)
                    });
                    (ty, host)
                }
            }

            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
            impl<T, F, R, $($t: WasmTy),*> IntoFunc<T, ($($t,)*), R> for F
            where
                F: Fn($($t),*) -> R + Send + Sync + 'static,
                R: WasmRet,
                T: 'static,
            {
                fn into_func(self) -> (FuncType, HostFn<T>) {
                    let ty = FuncType::new(vec![$($t::valtype()),*], R::types());
                    let host: HostFn<T> = Arc::new(move |_caller: Caller<'_, T>, params: &[Val], results: &mut [Val]| {
                        let mut iter = params.iter();
                        $( let $t = $t::from_val(*iter.next().unwrap()).unwrap(); )*
                        self($($t),*).into_results(results)
                    });
                    (ty, host)
                }
            }
        )*
    };
}

tuples! {
    ()
    (A1)
    (A1, A2)
    (A1, A2, A3)
    (A1, A2, A3, A4)
    (A1, A2, A3, A4, A5)
    (A1, A2, A3, A4, A5, A6)
    (A1, A2, A3, A4, A5, A6, A7)
    (A1, A2, A3, A4, A5, A6, A7, A8)
    (A1, A2, A3, A4, A5, A6, A7, A8, A9)
    (A1, A2, A3, A4, A5, A6, A7, A8, A9, A10)
    (A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11)
    (A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12)
}

/// What a typed host closure may return: results, or `Result` of them.
pub trait WasmRet {
    /// The Wasm result types.
    fn types() -> Vec<ValType>;
    /// Writes the results (or passes the error on).
    fn into_results(self, out: &mut [Val]) -> Result<()>;
}

impl<R: WasmResults> WasmRet for R {
    fn types() -> Vec<ValType> {
        R::types()
    }
    fn into_results(self, out: &mut [Val]) -> Result<()> {
        self.write_vals(out);
        Ok(())
    }
}

impl<R: WasmResults> WasmRet for Result<R> {
    fn types() -> Vec<ValType> {
        R::types()
    }
    fn into_results(self, out: &mut [Val]) -> Result<()> {
        self?.write_vals(out);
        Ok(())
    }
}

/// Closures that can become host functions; see [`Func::wrap`].
pub trait IntoFunc<T, Params, Results> {
    /// The function type and the type-erased closure.
    fn into_func(self) -> (FuncType, HostFn<T>);
}
