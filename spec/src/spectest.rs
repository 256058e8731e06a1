//! The `spectest` host module that the testsuite imports from: print
//! functions, four immutable globals, a table and a memory.

use ember_core::{
    Error, Global, GlobalType, Linker, Memory, MemoryType, Mutability, Store, Table, TableType,
    Val, ValType,
};

/// Defines the `spectest` module in `linker`, with its globals, table and
/// memory living in `store`. The print functions write to stdout only when
/// `verbose` is set.
pub(crate) fn define(
    linker: &mut Linker<()>,
    store: &mut Store<()>,
    verbose: bool,
) -> Result<(), Error> {
    linker.func_wrap("spectest", "print", move || {
        if verbose {
            println!("spectest.print()");
        }
    })?;
    linker.func_wrap("spectest", "print_i32", move |a: i32| {
        if verbose {
            println!("spectest.print_i32({a})");
        }
    })?;
    linker.func_wrap("spectest", "print_i64", move |a: i64| {
        if verbose {
            println!("spectest.print_i64({a})");
        }
    })?;
    linker.func_wrap("spectest", "print_f32", move |a: f32| {
        if verbose {
            println!("spectest.print_f32({a})");
        }
    })?;
    linker.func_wrap("spectest", "print_f64", move |a: f64| {
        if verbose {
            println!("spectest.print_f64({a})");
        }
    })?;
    linker.func_wrap("spectest", "print_i32_f32", move |a: i32, b: f32| {
        if verbose {
            println!("spectest.print_i32_f32({a}, {b})");
        }
    })?;
    linker.func_wrap("spectest", "print_f64_f64", move |a: f64, b: f64| {
        if verbose {
            println!("spectest.print_f64_f64({a}, {b})");
        }
    })?;

    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::from(666.6f32)),
        ("global_f64", Val::from(666.6f64)),
    ];
    for (name, value) in globals {
        let global = Global::new(
            &mut *store,
            GlobalType::new(value.ty(), Mutability::Const),
            value,
        )?;
        linker.define("spectest", name, global)?;
    }
    let table = Table::new(
        &mut *store,
        TableType::new(ValType::FuncRef, 10, Some(20)),
        Val::FuncRef(None),
    )?;
    linker.define("spectest", "table", table)?;
    let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
    linker.define("spectest", "memory", memory)?;
    Ok(())
}
