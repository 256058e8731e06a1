//! Ember's register IR: what a function body becomes after translation, and
//! what both the interpreter and the JITs consume.
//!
//! See the crate documentation for the frame layout the IR addresses.

/// From `(field binding)` pairs of one instruction, the binding of its
/// `dst` field (or the nested SIMD instruction's), else `None`. Shared by
/// the `dst_mut` of `Instr` and `SimdInstr`.
macro_rules! pick_dst {
    ((dst $d:ident) $($rest:tt)*) => { Some($d) };
    ((op $o:ident) $($rest:tt)*) => { $o.dst_mut() };
    (($first:ident $f:ident) $($rest:tt)*) => { pick_dst!($($rest)*) };
    () => { None };
}

mod list;
mod simd;

pub(crate) use simd::splat;
pub use simd::{SimdInstr, SimdMemArg};

use alloc::boxed::Box;
use core::fmt;

use crate::trap::TrapCode;

/// Index of an 8-byte slot in the current frame.
pub type Slot = u16;

/// Largest frame, in slots, that the IR can address (an implementation
/// limit: translation reports [`crate::ErrorKind::Limit`] beyond it).
pub const MAX_FRAME_SLOTS: u32 = u16::MAX as u32;

macro_rules! define_instr {
    ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ty),* } )*) => {
        /// One register-IR instruction. See `for_each_instr!` for the list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Instr {
            $( $(#[doc = $doc])* $name { $($field: $ty),* }, )*
        }

        impl Instr {
            /// The instruction's name, as in the list.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Instr::$name { .. } => stringify!($name), )*
                }
            }

            /// Every instruction name, in list order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];
        }
    };
}
crate::for_each_instr!(define_instr);

impl Instr {
    /// The slot this instruction writes as its single result, if it has one.
    pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
        macro_rules! dst_of {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ty),* } )*) => {
                match self {
                    $( Instr::$name { $($field),* } => { $( let _ = &$field; )* pick_dst!($(($field $field))*) } )*
                }
            };
        }
        crate::for_each_instr!(dst_of)
    }
}

impl fmt::Display for Instr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        macro_rules! show {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ty),* } )*) => {
                match self {
                    $( Instr::$name { $($field),* } => {
                        f.write_str(stringify!($name))?;
                        $( write!(f, " {}={:?}", stringify!($field), $field)?; )*
                        Ok(())
                    } )*
                }
            };
        }
        crate::for_each_instr!(show)
    }
}

/// A translated function: its code and the shape of its frame.
#[derive(Debug)]
pub struct Func {
    /// The instructions; execution starts at index 0.
    pub code: Box<[Instr]>,
    /// Slots taken by the parameters (`v128` counts two).
    pub param_slots: u32,
    /// Slots taken by parameters and declared locals together; slots
    /// `param_slots..local_slots` are zeroed on entry.
    pub local_slots: u32,
    /// Slots taken by the results, written from slot 0 on return.
    pub result_slots: u32,
    /// Total frame size in slots, including temporaries and call areas.
    pub frame_slots: u32,
    /// `v128` constants referenced by `Const128`.
    pub consts128: Box<[u128]>,
    /// `code` as the interpreter runs it: each instruction with its
    /// handler (see `exec::threaded`), at the same indices.
    pub(crate) ops: Box<[crate::exec::Op]>,
}

impl fmt::Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "params={} locals={} results={} frame={}",
            self.param_slots, self.local_slots, self.result_slots, self.frame_slots
        )?;
        for (pc, instr) in self.code.iter().enumerate() {
            writeln!(f, "{pc:4}: {instr}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instr_is_twelve_bytes() {
        assert_eq!(core::mem::size_of::<Instr>(), 12);
        assert_eq!(core::mem::align_of::<Instr>(), 4);
    }

    #[test]
    fn op_is_twenty_four_bytes() {
        assert_eq!(core::mem::size_of::<crate::exec::Op>(), 24);
    }

    #[test]
    fn names_are_unique() {
        let mut names = alloc::vec::Vec::from(Instr::NAMES);
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }
}
