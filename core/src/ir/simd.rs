//! The SIMD family of the register IR: every `v128` operation is one
//! [`SimdInstr`], carried by `Instr::Simd`. Keeping the family in its own
//! list keeps the scalar dispatch table dense, and the nested tag costs a
//! second jump only for SIMD operations, which do much more work each.
//!
//! Operands are at most four 16-bit fields (so `Instr` stays 12 bytes):
//! slots (`dst`, `a`, `b`, `c`, `addr`, `src`), small immediates (`lane`),
//! or an index into the function's 128-bit constant pool (`pool`) for wider
//! immediates such as shuffle masks and memory offsets. A `v128` operand
//! names the first of its two slots.

use crate::ir::Slot;

/// Calls `$mac!` with every SIMD instruction as `Name { field: Type, ... }`.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_simd_instr {
    ($mac:ident) => {
        $mac! {
            /// `dst = !a`.
            V128Not { dst: Slot, a: Slot }
        }
    };
}

macro_rules! define_simd_instr {
    ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ty),* } )*) => {
        /// One SIMD instruction. See `for_each_simd_instr!` for the list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum SimdInstr {
            $( $(#[doc = $doc])* $name { $($field: $ty),* }, )*
        }

        impl SimdInstr {
            /// The instruction's name, as in the list.
            pub fn name(&self) -> &'static str {
                match self {
                    $( SimdInstr::$name { .. } => stringify!($name), )*
                }
            }

            /// Every SIMD instruction name, in list order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];
        }
    };
}
crate::for_each_simd_instr!(define_simd_instr);

impl SimdInstr {
    /// The slot this instruction writes as its single result, if any.
    pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
        macro_rules! dst_of {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ty),* } )*) => {
                match self {
                    $( SimdInstr::$name { $($field),* } => { $( let _ = &$field; )* dst_of!(@pick $(($field $field))*) } )*
                }
            };
            (@pick (dst $d:ident) $($rest:tt)*) => { Some($d) };
            (@pick ($first:ident $f:ident) $($rest:tt)*) => { dst_of!(@pick $($rest)*) };
            (@pick) => { None };
        }
        crate::for_each_simd_instr!(dst_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simd_instr_fits_in_an_instr() {
        assert!(core::mem::size_of::<SimdInstr>() <= 10);
        assert_eq!(core::mem::align_of::<SimdInstr>(), 2);
        assert_eq!(core::mem::size_of::<crate::ir::Instr>(), 12);
    }
}
