#!/usr/bin/env python3
"""Runs a WASI preview 1 command module under wasm3 (PyPI `pywasm3`).

Usage: wasm3-wasi.py FILE.wasm [ARGS...]

pywasm3 has no WASI of its own, so this gives the module the few WASI
functions a computing command needs: arguments, environment, clocks,
random bytes, writes to stdout/stderr and exit. Anything else returns
ENOSYS. Host calls go through Python, so they are slow, but the benchmark
workloads make only a handful of them.
"""

import os
import struct
import sys
import time

import wasm3

ERRNO_SUCCESS = 0
ERRNO_BADF = 8
ERRNO_INVAL = 28
ERRNO_NOSYS = 52


class ProcExit(Exception):
    """Raised by proc_exit to unwind out of the Wasm call."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def main():
    if len(sys.argv) < 2:
        print("usage: wasm3-wasi.py FILE.wasm [ARGS...]", file=sys.stderr)
        return 2
    path = sys.argv[1]
    argv = [a.encode() + b"\0" for a in [path] + sys.argv[2:]]
    with open(path, "rb") as f:
        wasm = f.read()

    env = wasm3.Environment()
    runtime = env.new_runtime(1 << 20)
    module = env.parse_module(wasm)
    runtime.load(module)

    def memory():
        return runtime.get_memory(0)

    def put_u32(offset, value):
        struct.pack_into("<I", memory(), offset, value & 0xFFFFFFFF)

    def put_u64(offset, value):
        struct.pack_into("<Q", memory(), offset, value & 0xFFFFFFFFFFFFFFFF)

    def args_sizes_get(count_ptr, size_ptr):
        put_u32(count_ptr, len(argv))
        put_u32(size_ptr, sum(len(a) for a in argv))
        return ERRNO_SUCCESS

    def args_get(pointers, buffer):
        mem = memory()
        for i, arg in enumerate(argv):
            struct.pack_into("<I", mem, pointers + 4 * i, buffer)
            mem[buffer : buffer + len(arg)] = arg
            buffer += len(arg)
        return ERRNO_SUCCESS

    def environ_sizes_get(count_ptr, size_ptr):
        put_u32(count_ptr, 0)
        put_u32(size_ptr, 0)
        return ERRNO_SUCCESS

    def environ_get(_pointers, _buffer):
        return ERRNO_SUCCESS

    def fd_write(fd, iovs, iovs_len, written_ptr):
        if fd not in (1, 2):
            return ERRNO_BADF
        mem = memory()
        total = 0
        for i in range(iovs_len):
            base, length = struct.unpack_from("<II", mem, iovs + 8 * i)
            os.write(fd, bytes(mem[base : base + length]))
            total += length
        put_u32(written_ptr, total)
        return ERRNO_SUCCESS

    def fd_fdstat_get(fd, stat_ptr):
        if fd > 2:
            return ERRNO_BADF
        mem = memory()
        # filetype character device, no flags, all rights.
        struct.pack_into("<BxHxxxxQQ", mem, stat_ptr, 2, 0, 2**64 - 1, 2**64 - 1)
        return ERRNO_SUCCESS

    def fd_close(_fd):
        return ERRNO_SUCCESS

    def fd_seek(_fd, _offset, _whence, _result):
        return ERRNO_INVAL

    def fd_prestat_get(_fd, _prestat):
        return ERRNO_BADF

    def clock_time_get(clock_id, _precision, result_ptr):
        if clock_id == 0:
            now = time.time_ns()
        else:
            now = time.monotonic_ns()
        put_u64(result_ptr, now)
        return ERRNO_SUCCESS

    def random_get(buffer, length):
        memory()[buffer : buffer + length] = os.urandom(length)
        return ERRNO_SUCCESS

    def proc_exit(code):
        raise ProcExit(code)

    wasi = "wasi_snapshot_preview1"
    imports = [
        ("args_sizes_get", "i(ii)", args_sizes_get),
        ("args_get", "i(ii)", args_get),
        ("environ_sizes_get", "i(ii)", environ_sizes_get),
        ("environ_get", "i(ii)", environ_get),
        ("fd_write", "i(iiii)", fd_write),
        ("fd_fdstat_get", "i(ii)", fd_fdstat_get),
        ("fd_close", "i(i)", fd_close),
        ("fd_seek", "i(iIii)", fd_seek),
        ("fd_prestat_get", "i(ii)", fd_prestat_get),
        ("clock_time_get", "i(iIi)", clock_time_get),
        ("random_get", "i(ii)", random_get),
        ("proc_exit", "v(i)", proc_exit),
    ]
    for name, signature, function in imports:
        # Linking a function the module does not import is a no-op.
        module.link_function(wasi, name, signature, function)

    try:
        runtime.find_function("_start")()
    except ProcExit as exit:
        return exit.code
    return 0


if __name__ == "__main__":
    sys.exit(main())
