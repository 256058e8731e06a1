//! Bitmask immediates of the logical instructions (`and`, `orr`, `eor`,
//! `ands`, `tst` with an immediate): which 32/64-bit values they can encode
//! and their `N:immr:imms` fields.
//!
//! An encodable value is a 2, 4, 8, 16, 32 or 64-bit element, replicated to
//! fill the register, whose bits are one contiguous run of ones (possibly
//! wrapping around the element), neither all zeros nor all ones. Everything
//! else (0, all ones, `0x1234`, ...) is rejected with `None`.

use crate::regs::Size;

/// An encodable bitmask immediate for one operation size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogicalImm {
    value: u64,
    size: Size,
    n: u8,
    immr: u8,
    imms: u8,
}

impl LogicalImm {
    /// The encoding of `value` for operations of `size`, or `None` if no
    /// bitmask immediate represents it. For [`Size::W`] the value must fit in
    /// 32 bits.
    pub const fn new(value: u64, size: Size) -> Option<LogicalImm> {
        let wide = match size {
            Size::X => value,
            Size::W => {
                if value >> 32 != 0 {
                    return None;
                }
                value | (value << 32)
            }
        };
        // The element size: the smallest power of two such that the value
        // is its low `element` bits repeated.
        let mut element = 64u32;
        while element > 2 {
            let half = element / 2;
            let low_mask = (1u64 << half) - 1;
            if (wide & low_mask) != ((wide >> half) & low_mask) {
                break;
            }
            element = half;
        }
        let mask = if element == 64 {
            u64::MAX
        } else {
            (1u64 << element) - 1
        };
        let bits = wide & mask;
        let ones = bits.count_ones();
        if ones == 0 || ones == element {
            return None;
        }
        // Where the run of ones starts (its lowest bit, counting a run that
        // wraps around the element as starting after the highest zero).
        let start = if bits & 1 == 0 {
            bits.trailing_zeros()
        } else {
            // One past the highest zero; `element` (a run from bit 0 that
            // does not wrap) means 0.
            let zeros = !bits & mask;
            (64 - zeros.leading_zeros()) % element
        };
        let run = (1u64 << ones) - 1;
        if rotate_right(bits, start, element) != run {
            return None;
        }
        let immr = (element - start) % element;
        let (n, imms) = if element == 64 {
            (1, ones - 1)
        } else {
            (0, (!((element << 1) - 1) & 0x3f) | (ones - 1))
        };
        Some(LogicalImm {
            value,
            size,
            n: n as u8,
            immr: immr as u8,
            imms: imms as u8,
        })
    }

    /// The value this immediate stands for.
    pub const fn value(self) -> u64 {
        self.value
    }

    /// The operation size it was made for.
    pub const fn size(self) -> Size {
        self.size
    }

    /// The `N` bit (bit 22): 1 only for 64-bit elements.
    pub const fn n(self) -> u8 {
        self.n
    }

    /// The `immr` field: rotation of the run, 0..=63.
    pub const fn immr(self) -> u8 {
        self.immr
    }

    /// The `imms` field: element size and run length, 0..=63.
    pub const fn imms(self) -> u8 {
        self.imms
    }

    /// `N:immr:imms` in place (bits 22..=10) for an instruction word.
    pub(crate) const fn fields(self) -> u32 {
        ((self.n as u32) << 22) | ((self.immr as u32) << 16) | ((self.imms as u32) << 10)
    }
}

/// Rotates the low `width` bits of `bits` right by `amount` (< `width`).
const fn rotate_right(bits: u64, amount: u32, width: u32) -> u64 {
    if amount == 0 {
        return bits;
    }
    let mask = if width == 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    };
    ((bits >> amount) | (bits << (width - amount))) & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_encodings() {
        // and x0, x0, #1: N=1 immr=0 imms=0.
        let one = LogicalImm::new(1, Size::X).unwrap();
        assert_eq!((one.n(), one.immr(), one.imms()), (1, 0, 0));
        // and w0, w0, #1: 32-bit element.
        let one = LogicalImm::new(1, Size::W).unwrap();
        assert_eq!((one.n(), one.immr(), one.imms()), (0, 0, 0));
        // 0x5555...: 2-bit element "01".
        let alt = LogicalImm::new(0x5555_5555_5555_5555, Size::X).unwrap();
        assert_eq!((alt.n(), alt.immr(), alt.imms()), (0, 0, 0b111100));
        // 0x8000_0000_0000_0001: the run wraps around.
        let wrap = LogicalImm::new(0x8000_0000_0000_0001, Size::X).unwrap();
        assert_eq!((wrap.n(), wrap.immr(), wrap.imms()), (1, 1, 1));
        // 0xffff_0000 as a 32-bit value.
        let high = LogicalImm::new(0xffff_0000, Size::W).unwrap();
        assert_eq!((high.n(), high.immr(), high.imms()), (0, 16, 15));
    }

    #[test]
    fn rejects_non_patterns() {
        assert_eq!(LogicalImm::new(0, Size::X), None);
        assert_eq!(LogicalImm::new(u64::MAX, Size::X), None);
        assert_eq!(LogicalImm::new(0xffff_ffff, Size::W), None);
        assert_eq!(LogicalImm::new(0x1234, Size::X), None);
        assert_eq!(LogicalImm::new(0b101, Size::W), None);
        // A 32-bit pattern is not a W immediate once it has high bits.
        assert_eq!(LogicalImm::new(0x1_0000_0001, Size::W), None);
    }
}
