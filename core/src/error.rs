//! Errors of the embedding API: a portable [`ErrorKind`] plus a message, or
//! a [`Trap`], or a host function's own error.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use crate::trap::{Trap, TrapCode};

/// What kind of failure an [`Error`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The module's bytes could not be decoded or failed validation.
    InvalidModule,
    /// An import could not be satisfied ("unknown import", "incompatible
    /// import type").
    Unlinkable,
    /// Execution trapped; see [`Error::as_trap`].
    Trap,
    /// An implementation limit was reached (frame size, table size, ...).
    Limit,
    /// A value or item of the wrong type was passed through the API.
    TypeMismatch,
    /// A host function returned an error of its own.
    Host,
    /// The feature exists in Wasm but is not supported by this build yet.
    Unsupported,
    /// A memory or table could not be allocated or grown.
    Resource,
    /// The API was used in a way that is not allowed (e.g. fuel disabled).
    Usage,
    /// A broken internal invariant (a bug in Ember), reported instead of
    /// panicking.
    Internal,
}

enum Repr {
    Message(ErrorKind, String),
    Trap(Trap),
    Host(Box<dyn core::error::Error + Send + Sync>),
}

/// The error type of every fallible Ember operation.
pub struct Error {
    repr: Box<Repr>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            repr: Box::new(Repr::Message(kind, message.into())),
        }
    }

    /// An error carrying a host-defined error value, for host functions.
    pub fn host(error: impl core::error::Error + Send + Sync + 'static) -> Self {
        Error {
            repr: Box::new(Repr::Host(Box::new(error))),
        }
    }

    /// An error with a plain message, for host functions.
    pub fn msg(message: impl Into<String>) -> Self {
        Error::host(HostMessage(message.into()))
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match &*self.repr {
            Repr::Message(kind, _) => *kind,
            Repr::Trap(_) => ErrorKind::Trap,
            Repr::Host(_) => ErrorKind::Host,
        }
    }

    /// The trap, if this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.repr {
            Repr::Trap(trap) => Some(trap),
            _ => None,
        }
    }

    /// The trap code, if this error is a trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        self.as_trap().map(Trap::code)
    }

    /// The host error, if a host function returned one, downcast to `E`.
    pub fn downcast_ref<E: core::error::Error + 'static>(&self) -> Option<&E> {
        match &*self.repr {
            Repr::Host(e) => e.downcast_ref::<E>(),
            _ => None,
        }
    }
}

/// A clone keeps the kind and the message (and a trap whole); a host
/// error's value cannot be cloned, so its clone carries only its message.
impl Clone for Error {
    fn clone(&self) -> Self {
        match &*self.repr {
            Repr::Message(kind, message) => Error::new(*kind, message.clone()),
            Repr::Trap(trap) => Error::from(trap.clone()),
            Repr::Host(e) => Error::msg(alloc::string::ToString::to_string(e)),
        }
    }
}

impl From<Trap> for Error {
    fn from(trap: Trap) -> Self {
        Error {
            repr: Box::new(Repr::Trap(trap)),
        }
    }
}

impl From<TrapCode> for Error {
    fn from(code: TrapCode) -> Self {
        Error::from(Trap::new(code))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.repr {
            Repr::Message(_, message) => f.write_str(message),
            Repr::Trap(trap) => fmt::Display::fmt(trap, f),
            Repr::Host(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.repr {
            Repr::Message(kind, message) => write!(f, "Error({kind:?}: {message})"),
            Repr::Trap(trap) => write!(f, "Error({trap:?})"),
            Repr::Host(e) => write!(f, "Error(Host: {e:?})"),
        }
    }
}

impl core::error::Error for Error {}

#[derive(Debug)]
struct HostMessage(String);

impl fmt::Display for HostMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for HostMessage {}

/// Shorthand for results of Ember operations.
pub type Result<T, E = Error> = core::result::Result<T, E>;
