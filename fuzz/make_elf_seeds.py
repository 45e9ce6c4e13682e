#!/usr/bin/env python3
"""Writes the seed executables of the `elf` fuzz target into fuzz/seeds/elf/.

Small 64-bit little-endian ELF files laid out as a linker lays them out (the ELF header, program
headers, the loader's name, the dynamic string table, the version needs and the dynamic
entries, one PT_LOAD mapping them at 0x400000), needing what real binaries need: glibc versions
across several libraries, a musl loader, none at all (static), and the odd shapes the reader
must survive (a 32-bit or big-endian header, a version chain that runs on, a file cut short).
The fuzzer mutates them; the committed files are what `cargo test` replays. Deterministic: run
it again and git sees no change.
"""

import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "elf")
BASE = 0x400000
PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
DT_NULL, DT_STRTAB, DT_STRSZ = 0, 5, 10
DT_VERNEED, DT_VERNEEDNUM = 0x6FFFFFFE, 0x6FFFFFFF


def executable(interpreter, needs, aux_step=None):
    """The bytes of an executable with that loader (or none) and those (library, [versions])."""
    strings = bytearray(b"\0")

    def add(text):
        at = len(strings)
        strings.extend(text.encode() + b"\0")
        return at

    verneed = bytearray()
    for index, (library, versions) in enumerate(needs):
        last = index + 1 == len(needs)
        following = 0 if last else 16 + 16 * len(versions)
        verneed += struct.pack("<HHIII", 1, len(versions), add(library), 16, following)
        for at, version in enumerate(versions):
            step = 0 if at + 1 == len(versions) else 16
            if aux_step is not None:
                step = aux_step
            verneed += struct.pack("<IHHII", 0, 0, 2, add(version), step)
    interp = (interpreter.encode() + b"\0") if interpreter else b""
    interp_at = 64 + 3 * 56
    strings_at = interp_at + len(interp)
    verneed_at = strings_at + len(strings)
    dynamic_at = verneed_at + len(verneed)
    dynamic = [
        (DT_STRTAB, BASE + strings_at),
        (DT_STRSZ, len(strings)),
        (DT_VERNEED, BASE + verneed_at),
        (DT_VERNEEDNUM, len(needs)),
        (DT_NULL, 0),
    ]
    total = dynamic_at + 16 * len(dynamic)
    header = bytearray(64)
    header[0:4] = b"\x7fELF"
    header[4], header[5], header[6] = 2, 1, 1
    struct.pack_into("<HH", header, 16, 2, 62)
    struct.pack_into("<Q", header, 0x20, 64)
    struct.pack_into("<HH", header, 0x36, 56, 3)

    def segment(kind, offset, size):
        return struct.pack("<IIQQQQQQ", kind, 5, offset, BASE + offset, BASE + offset, size, size, 8)

    out = bytearray(header)
    out += segment(PT_LOAD, 0, total)
    out += segment(PT_INTERP if interp else 0, interp_at, len(interp))
    out += segment(PT_DYNAMIC, dynamic_at, 16 * len(dynamic))
    out += interp + strings + verneed
    for tag, value in dynamic:
        out += struct.pack("<QQ", tag, value)
    assert len(out) == total
    return bytes(out)


GLIBC_LOADER = "/lib64/ld-linux-x86-64.so.2"
RUST_LIKE = [
    ("libgcc_s.so.1", ["GCC_4.2.0", "GCC_3.3", "GCC_3.0"]),
    ("libc.so.6", ["GLIBC_2.2.5", "GLIBC_2.3", "GLIBC_2.3.4", "GLIBC_2.14", "GLIBC_2.18",
                   "GLIBC_2.25", "GLIBC_2.28", "GLIBC_2.32", "GLIBC_2.33", "GLIBC_2.34",
                   "GLIBC_PRIVATE"]),
    ("libm.so.6", ["GLIBC_2.29"]),
]

SEEDS = {
    "glibc-2.34-rust-like": executable(GLIBC_LOADER, RUST_LIKE),
    "glibc-2.39-one-library": executable(GLIBC_LOADER, [("libc.so.6", ["GLIBC_2.39"])]),
    "glibc-2.2.5-oldest": executable(GLIBC_LOADER, [("libc.so.6", ["GLIBC_2.2.5"])]),
    "aarch64-loader": executable("/lib/ld-linux-aarch64.so.1", [("libc.so.6", ["GLIBC_2.17"])]),
    "musl-loader": executable("/lib/ld-musl-x86_64.so.1", []),
    "static": executable(None, []),
    "no-glibc-names": executable(GLIBC_LOADER, [("libgcc_s.so.1", ["GCC_3.0"])]),
    "chain-runs-on": executable(GLIBC_LOADER, [("libc.so.6", ["GLIBC_2.34"])], aux_step=16),
}
SEEDS["cut-short"] = SEEDS["glibc-2.34-rust-like"][:300]
elf32 = bytearray(SEEDS["glibc-2.39-one-library"])
elf32[4] = 1
SEEDS["elf32-header"] = bytes(elf32)
big_endian = bytearray(SEEDS["glibc-2.39-one-library"])
big_endian[5] = 2
SEEDS["big-endian-header"] = bytes(big_endian)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(SEEDS)} seeds to {OUT}")


if __name__ == "__main__":
    main()
