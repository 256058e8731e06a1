//! The `sock_*` functions. Ember preopens no sockets, so no guest
//! descriptor is ever a socket: these answer `EBADF` for a closed fd and
//! `ENOTSOCK` for any other, as the host OS would.

use super::WasiView;
use super::abi::Errno;
use super::guest::{Args, Cx, WasiResult};

fn not_a_socket<T: WasiView>(cx: &mut Cx<'_, '_, T>, fd: u32) -> WasiResult {
    cx.wasi().table.get(fd)?;
    Err(Errno::NotSock.into())
}

pub(crate) fn sock_accept<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    not_a_socket(cx, a.u32(0))
}

pub(crate) fn sock_recv<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    not_a_socket(cx, a.u32(0))
}

pub(crate) fn sock_send<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    not_a_socket(cx, a.u32(0))
}

pub(crate) fn sock_shutdown<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    not_a_socket(cx, a.u32(0))
}
