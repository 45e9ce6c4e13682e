//! Which data is compressed already, by its name or its first bytes: such data is stored,
//! since deflating it again costs time and gains nothing. Also the method (and the size) of a
//! file on disk, as the writer asks for it.

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use zip::CompressionMethod;

use super::ZipWriteError;
use crate::fetch::HeldFile;

/// Suffixes of files that are compressed already (lowercase).
const COMPRESSED_SUFFIXES: &[&str] = &[
    ".tgz", ".gz", ".xz", ".txz", ".bz2", ".tbz", ".tbz2", ".zst", ".tzst", ".lz", ".lzma", ".lz4",
    ".br", ".7z", ".rar", ".zip", ".jar", ".war", ".ear", ".aar", ".whl", ".egg", ".nupkg", ".gem",
    ".deb", ".rpm", ".apk", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".mp3",
    ".mp4",
];

/// Magic numbers of compressed formats, for files whose names do not say.
const COMPRESSED_MAGIC: &[&[u8]] = &[
    &[0x1f, 0x8b],                         // gzip
    &[0xfd, b'7', b'z', b'X', b'Z', 0x00], // xz
    &[0x28, 0xb5, 0x2f, 0xfd],             // zstd
    b"BZh",                                // bzip2
    b"PK\x03\x04",                         // zip, jar, whl
    &[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c], // 7z
];

/// True when `name` or `head` (the first bytes) says the data is compressed already.
pub fn is_compressed(name: &str, head: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    COMPRESSED_SUFFIXES.iter().any(|s| lower.ends_with(s))
        || COMPRESSED_MAGIC.iter().any(|m| head.starts_with(m))
}

fn read_head(path: &Path, file: impl Read) -> Result<Vec<u8>, ZipWriteError> {
    let mut head = Vec::with_capacity(8);
    file.take(8)
        .read_to_end(&mut head)
        .map_err(|cause| ZipWriteError::CannotRead {
            path: path.to_path_buf(),
            cause,
        })?;
    Ok(head)
}

fn method_by(name: &str, head: &[u8]) -> CompressionMethod {
    if is_compressed(name, head) {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    }
}

/// Stored or deflated, by the file's name or first bytes; and its size.
pub(super) fn method_for(
    name: &str,
    path: &Path,
) -> Result<(CompressionMethod, u64), ZipWriteError> {
    let size = fs::metadata(path)
        .map_err(|cause| ZipWriteError::CannotRead {
            path: path.to_path_buf(),
            cause,
        })?
        .len();
    let file = File::open(path).map_err(|cause| ZipWriteError::CannotRead {
        path: path.to_path_buf(),
        cause,
    })?;
    Ok((method_by(name, &read_head(path, file)?), size))
}

/// [`method_for`] a verified dependency, read through the handle it was verified on.
pub(super) fn method_for_held(
    name: &str,
    file: &HeldFile,
) -> Result<(CompressionMethod, u64), ZipWriteError> {
    let head = read_head(file.path(), file.reader())?;
    Ok((method_by(name, &head), file.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_by_name_or_magic() {
        assert!(is_compressed("a/ruby-3.3.0.TGZ", b""));
        assert!(is_compressed("x.whl", b""));
        assert!(is_compressed("jvmkill-1.16.0", &[0x1f, 0x8b, 8]));
        assert!(!is_compressed("bin/bpkit", b"\x7fELF"));
        assert!(!is_compressed("manifest.yml", b"---\n"));
    }
}
