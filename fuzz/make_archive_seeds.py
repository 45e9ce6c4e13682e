#!/usr/bin/env python3
"""Writes the seed archives of the `archive` fuzz target into fuzz/seeds/archive/.

Small archives of every kind bpkit extracts (tar, tgz, txz, tbz2, zip), holding every entry type
the extractor handles: files with modes and times, folders, symbolic links (inside and
escaping), hard links, GNU long names, pax records, setuid/setgid/sticky bits, and the names quality.md says must be
refused (`../`, absolute). The fuzzer mutates them; the committed files are what
`cargo test` replays. Deterministic: run it again and git sees no change.
"""

import bz2
import gzip
import io
import lzma
import os
import tarfile
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "archive")
MTIME = 1_700_000_000


def tar_bytes(members, fmt=tarfile.GNU_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for info, data in members:
            info.mtime = MTIME
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    # Drop the padding to tarfile's 10 KiB record: two zero blocks end the archive, and
    # smaller seeds keep libFuzzer's input size (and so each run) small.
    data = buf.getvalue()
    end = -(-len(data.rstrip(b"\0")) // 512) * 512
    return data[:end] + b"\0" * 1024


def entry(name, kind=tarfile.REGTYPE, data=b"", mode=0o644, link=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.linkname = link
    if kind == tarfile.REGTYPE:
        info.size = len(data)
        return info, data
    return info, None


def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data, mode, method in members:
            info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))
            info.create_system = 3  # Unix, so the external attributes carry a mode
            info.external_attr = mode << 16
            info.compress_type = method
            zf.writestr(info, data)
    return buf.getvalue()


def main():
    os.makedirs(OUT, exist_ok=True)
    tree = tar_bytes([
        entry("top/", tarfile.DIRTYPE, mode=0o755),
        entry("top/bin/", tarfile.DIRTYPE, mode=0o755),
        entry("top/bin/tool", data=b"#!/bin/sh\necho hi\n", mode=0o755),
        entry("top/README", data=b"hello\n"),
        entry("top/lib/libx.so.1", data=b"\x7fELF"),
        entry("top/lib/libx.so", tarfile.SYMTYPE, link="libx.so.1"),
        entry("top/up", tarfile.SYMTYPE, link="../top/README"),
        entry("top/copy", tarfile.LNKTYPE, link="top/README"),
        entry("top/fifo", tarfile.FIFOTYPE),
    ])
    hostile = tar_bytes([
        entry("ok", data=b"x"),
        entry("../escape", data=b"x"),
        entry("/abs", data=b"x"),
        entry("a/../b", data=b"x"),
        entry("out", tarfile.SYMTYPE, link="../.."),
        entry("abs", tarfile.SYMTYPE, link="/etc"),
        entry("s", tarfile.SYMTYPE, link="."),
        entry("s/x", data=b"through a link"),
        entry("t", tarfile.SYMTYPE, link="s/../x"),
        entry("h", tarfile.LNKTYPE, link="../sentinel/keep.txt"),
    ])
    long_name = "d/" + "n" * 150 + "/file"
    gnu_long = tar_bytes([
        entry(long_name, data=b"long\n"),
        entry("link", tarfile.SYMTYPE, link="d/" + "n" * 150 + "/file"),
    ])
    pax = tar_bytes([
        entry("pax-" + "p" * 120, data=b"pax\n"),
        entry("plain", data=b"abc"),
    ], fmt=tarfile.PAX_FORMAT)
    # Setuid, setgid and sticky bits, on files, a folder and a hard link's source: dropped.
    special = tar_bytes([
        entry("bits/", tarfile.DIRTYPE, mode=0o3775),
        entry("bits/su", data=b"su", mode=0o4755),
        entry("bits/all", data=b"all", mode=0o7777),
        entry("bits/su-copy", tarfile.LNKTYPE, link="bits/su"),
    ])
    seeds = {
        "tree.tar": tree,
        "hostile.tar": hostile,
        "gnu-long-name.tar": gnu_long,
        "pax.tar": pax,
        "empty.tar": tar_bytes([]),
        "special-bits.tar": special,
        "special-bits.zip": zip_bytes([
            ("bits/", b"", 0o43775, zipfile.ZIP_STORED),
            ("bits/su", b"su", 0o104755, zipfile.ZIP_STORED),
            ("bits/all", b"all", 0o107777, zipfile.ZIP_DEFLATED),
        ]),
        "tree.tgz": gzip.compress(tree, mtime=0),
        "hostile.tgz": gzip.compress(hostile, mtime=0),
        "two-members.tgz": gzip.compress(pax, mtime=0) + gzip.compress(tree, mtime=0),
        "tree.txz": lzma.compress(tree, preset=1),
        "hostile.txz": lzma.compress(hostile, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32),
        "tree.tbz2": bz2.compress(tree, 1),
        "hostile.tbz2": bz2.compress(hostile, 1),
        "tree.zip": zip_bytes([
            ("top/", b"", 0o40755, zipfile.ZIP_STORED),
            ("top/bin/tool", b"#!/bin/sh\necho hi\n", 0o100755, zipfile.ZIP_DEFLATED),
            ("top/README", b"hello\n" * 20, 0o100644, zipfile.ZIP_DEFLATED),
            ("top/link", b"README", 0o120777, zipfile.ZIP_STORED),
        ]),
        "hostile.zip": zip_bytes([
            ("ok", b"x", 0o100644, zipfile.ZIP_STORED),
            ("..\\escape", b"x", 0o100644, zipfile.ZIP_STORED),
            ("/abs", b"x", 0o100644, zipfile.ZIP_STORED),
            ("out", b"../..", 0o120777, zipfile.ZIP_STORED),
            ("out/x", b"x", 0o100644, zipfile.ZIP_STORED),
        ]),
        "no-mode.zip": zip_bytes([("dir/", b"", 0, zipfile.ZIP_STORED),
                                  ("dir/f", b"f", 0, zipfile.ZIP_DEFLATED)]),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
