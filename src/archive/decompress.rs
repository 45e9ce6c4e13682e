//! The decompressed byte stream of a tarball, by kind: gzip (`flate2` on zlib-rs), xz
//! (`lzma-rust2`, pure Rust) and bzip2 (`bzip2` on its pure-Rust backend). Concatenated streams
//! (`pigz`, `pbzip2`, `xz` multi-stream output) are read to the end, as the command-line tools do.

use std::io::{BufReader, Read};

use lzma_rust2::XzReader;

use super::ArchiveKind;

/// Read size on the compressed file: few system calls, long runs for the decompressor.
pub(super) const READ_BUFFER: usize = 256 * 1024;

/// Buffer on the decompressed side, so the 512-byte tar headers of many small files do not
/// each cost a call into the decompressor. File contents bypass it (they are read in chunks
/// larger than it).
const HEADER_BUFFER: usize = 64 * 1024;

/// Most memory the xz decoder may use, in KiB. `xz -9` needs 65 MiB; a stream that asks for
/// more than 1 GiB is refused rather than allowed to exhaust the machine.
const XZ_MEMORY_LIMIT_KIB: u32 = 1024 * 1024;

/// The tar stream inside `reader`, a file of the given tarball kind.
pub(super) fn tar_stream<'a, R: Read + 'a>(kind: ArchiveKind, reader: R) -> Box<dyn Read + 'a> {
    let compressed = BufReader::with_capacity(READ_BUFFER, reader);
    let decompressed: Box<dyn Read + 'a> = match kind {
        ArchiveKind::TarGz => Box::new(flate2::bufread::MultiGzDecoder::new(compressed)),
        ArchiveKind::TarXz => Box::new(XzReader::new_mem_limit(
            compressed,
            true,
            XZ_MEMORY_LIMIT_KIB,
        )),
        ArchiveKind::TarBz2 => Box::new(bzip2::bufread::MultiBzDecoder::new(compressed)),
        _ => return Box::new(compressed),
    };
    Box::new(BufReader::with_capacity(HEADER_BUFFER, decompressed))
}
