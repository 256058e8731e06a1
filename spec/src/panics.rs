//! Turns a panic in the engine into a failure message, so that one broken
//! file (or directive) is reported instead of crashing the whole run.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`catch`] (its panics are expected).
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    /// The last caught panic's message and location.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

static INSTALL_HOOK: Once = Once::new();

/// Installs (once) a panic hook that records panics inside [`catch`]
/// quietly and hands every other panic to the previous hook.
fn install_hook() {
    INSTALL_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.get() {
                let message = info
                    .payload_as_str()
                    .unwrap_or("(a panic without a message)");
                let text = match info.location() {
                    Some(location) => format!("{message} (at {location})"),
                    None => message.to_string(),
                };
                LAST_PANIC.set(Some(text));
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message.to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// Runs `f`; a panic inside it becomes `Err` with its message and location.
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_hook();
    let was_capturing = CAPTURING.replace(true);
    LAST_PANIC.set(None);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.set(was_capturing);
    result.map_err(|payload| {
        LAST_PANIC
            .take()
            .unwrap_or_else(|| payload_message(&*payload))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message() {
        let err = catch(|| -> u32 { panic!("slot {} out of range", 7) }).unwrap_err();
        assert!(err.starts_with("slot 7 out of range (at "), "{err}");
        assert!(err.contains("panics.rs"), "{err}");
        assert_eq!(catch(|| 5), Ok(5));
    }

    #[test]
    fn nested_catches_report_the_inner_panic() {
        let outer = catch(|| catch(|| panic!("inner")).unwrap_err());
        assert!(outer.unwrap().starts_with("inner"));
    }
}
