//! Lane views of a `v128`: [`unpack`] splits its 16 little-endian bytes
//! (byte 0 is the lowest address in memory and the least significant byte
//! of the `u128`) into an array of lanes, lane 0 first, and [`pack`] joins
//! lanes back. On a little-endian host both are plain moves, and lane-wise
//! loops over them compile to vector instructions.

/// A primitive that can be a lane of a `v128`.
pub(super) trait Lane: Copy + Default {
    /// Size of the lane in bytes.
    const BYTES: usize;
    /// Reads lane `i` from the little-endian bytes of a `v128`.
    fn read(bytes: &[u8; 16], i: usize) -> Self;
    /// Writes the lane as lane `i` into the little-endian bytes of a `v128`.
    fn write(self, bytes: &mut [u8; 16], i: usize);
}

macro_rules! int_lanes {
    ($($t:ty),*) => {$(
        impl Lane for $t {
            const BYTES: usize = core::mem::size_of::<$t>();
            #[inline(always)]
            fn read(bytes: &[u8; 16], i: usize) -> Self {
                let mut lane = [0; core::mem::size_of::<$t>()];
                lane.copy_from_slice(&bytes[i * Self::BYTES..(i + 1) * Self::BYTES]);
                <$t>::from_le_bytes(lane)
            }
            #[inline(always)]
            fn write(self, bytes: &mut [u8; 16], i: usize) {
                bytes[i * Self::BYTES..(i + 1) * Self::BYTES].copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
int_lanes!(u8, i8, u16, i16, u32, i32, u64, i64);

macro_rules! float_lanes {
    ($($t:ty: $bits:ty),*) => {$(
        /// A float lane keeps its exact bits (NaN payloads included).
        impl Lane for $t {
            const BYTES: usize = core::mem::size_of::<$t>();
            #[inline(always)]
            fn read(bytes: &[u8; 16], i: usize) -> Self {
                <$t>::from_bits(<$bits>::read(bytes, i))
            }
            #[inline(always)]
            fn write(self, bytes: &mut [u8; 16], i: usize) {
                self.to_bits().write(bytes, i)
            }
        }
    )*};
}
float_lanes!(f32: u32, f64: u64);

/// The `N` lanes of type `T` of the `v128` `bytes` (`N * T::BYTES` must be
/// 16).
#[inline(always)]
pub(super) fn unpack<T: Lane, const N: usize>(bytes: [u8; 16]) -> [T; N] {
    debug_assert_eq!(N * T::BYTES, 16);
    build(|i| T::read(&bytes, i))
}

/// The bytes of the `v128` made of `lanes` (`N * T::BYTES` must be 16).
#[inline(always)]
pub(super) fn pack<T: Lane, const N: usize>(lanes: [T; N]) -> [u8; 16] {
    debug_assert_eq!(N * T::BYTES, 16);
    let mut bytes = [0; 16];
    for (i, lane) in lanes.into_iter().enumerate() {
        lane.write(&mut bytes, i);
    }
    bytes
}

/// `[f(0), f(1), …]`: `core::array::from_fn`, but always inlined, so that
/// the whole lane loop is visible to the vectorizer even inside the large
/// dispatch function.
#[inline(always)]
pub(super) fn build<U: Copy + Default, const N: usize>(f: impl Fn(usize) -> U) -> [U; N] {
    let mut out = [U::default(); N];
    for (i, lane) in out.iter_mut().enumerate() {
        *lane = f(i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_zero_is_the_least_significant() {
        let v = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100_u128.to_le_bytes();
        assert_eq!(unpack::<u8, 16>(v)[0], 0x00);
        assert_eq!(unpack::<u8, 16>(v)[15], 0x0f);
        assert_eq!(unpack::<u16, 8>(v)[1], 0x0302);
        assert_eq!(unpack::<i32, 4>(v)[3], 0x0f0e_0d0c);
        assert_eq!(
            unpack::<u64, 2>(v),
            [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908]
        );
    }

    #[test]
    fn pack_inverts_unpack_for_every_lane_type() {
        let v = 0x8000_7fff_ffff_0001_7fc0_0001_ff80_0000_u128.to_le_bytes();
        assert_eq!(pack(unpack::<i8, 16>(v)), v);
        assert_eq!(pack(unpack::<i16, 8>(v)), v);
        assert_eq!(pack(unpack::<u32, 4>(v)), v);
        assert_eq!(pack(unpack::<f32, 4>(v)), v);
        assert_eq!(pack(unpack::<f64, 2>(v)), v);
    }

    #[test]
    fn float_lanes_keep_signalling_nan_bits() {
        let snan = 0x7fa0_0001_u128.to_le_bytes();
        assert_eq!(unpack::<f32, 4>(snan)[0].to_bits(), 0x7fa0_0001);
        assert_eq!(pack(unpack::<f32, 4>(snan)), snan);
    }
}
