//! Streaming an entry's bytes into the zip: starting the entry (with Zip64 sizes when it needs
//! them), and copying a file in pieces of a fixed size, so deflate sees the same input however
//! the file was read.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::error::check_interrupted;
use super::{Source, ZipWriteError};

/// Read size for files streamed into the zip.
pub(super) const CHUNK: usize = 256 << 10;

/// Start an entry streamed into the zip (Zip64 sizes when it needs them).
pub(super) fn start_file<W: Write + io::Seek>(
    zip: &mut ZipWriter<W>,
    name: &str,
    options: SimpleFileOptions,
    method: CompressionMethod,
    mode: u32,
    size: u64,
    write_error: &dyn Fn(&dyn std::fmt::Display) -> ZipWriteError,
) -> Result<(), ZipWriteError> {
    zip.start_file(
        name,
        options
            .compression_method(method)
            .unix_permissions(mode)
            .large_file(size >= zip::ZIP64_BYTES_THR),
    )
    .map_err(|e| write_error(&e))
}

pub(super) fn write_source(
    source: &Source,
    out: &mut impl Write,
    buffer: &mut [u8],
    temp_path: &Path,
) -> Result<(), ZipWriteError> {
    match source {
        Source::File(path) => copy_file(path, out, buffer, temp_path),
        Source::Bytes(bytes) => out
            .write_all(bytes)
            .map_err(|e| ZipWriteError::CannotWrite {
                path: temp_path.to_path_buf(),
                cause: e.to_string(),
            }),
        Source::Dir | Source::Symlink(_) | Source::Pending(_) => Ok(()),
    }
}

pub(super) fn copy_file(
    path: &Path,
    out: &mut impl Write,
    buffer: &mut [u8],
    temp_path: &Path,
) -> Result<(), ZipWriteError> {
    let mut file = File::open(path).map_err(|cause| ZipWriteError::CannotRead {
        path: path.to_path_buf(),
        cause,
    })?;
    copy_pieces((&mut file, path), out, buffer, u64::MAX, temp_path).map(drop)
}

/// Copy from `file` (opened at `path`) into `out`, in pieces of exactly `buffer.len()` bytes
/// but the last one at the end of the file, until the end or until `limit` bytes. The pieces
/// are the same however the file was read: deflate's output depends on how its input is cut,
/// and a dependency followed while it downloads must give the same bytes as one read whole.
pub(super) fn copy_pieces(
    (file, path): (&mut impl Read, &Path),
    out: &mut impl Write,
    buffer: &mut [u8],
    limit: u64,
    temp_path: &Path,
) -> Result<u64, ZipWriteError> {
    let mut copied = 0u64;
    while copied < limit {
        check_interrupted()?;
        let mut filled = 0;
        while filled < buffer.len() {
            match file.read(&mut buffer[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(cause) => {
                    return Err(ZipWriteError::CannotRead {
                        path: path.to_path_buf(),
                        cause,
                    });
                }
            }
        }
        out.write_all(&buffer[..filled])
            .map_err(|e| ZipWriteError::CannotWrite {
                path: temp_path.to_path_buf(),
                cause: e.to_string(),
            })?;
        copied += filled as u64;
        if filled < buffer.len() {
            break;
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use std::fs::File;
    use std::io::{self, Read};

    use zip::DateTime;

    use crate::packager::zipwriter::samples::entry;
    use crate::packager::zipwriter::{Entries, Settings, Source, write};

    use std::path::Path;

    use super::copy_pieces;
    use crate::packager::zipwriter::ZipWriteError;

    /// A reader giving `data` a few bytes at a time, after an interrupted call (which a read
    /// may be, and is made again), and then, if `fail`, an error instead of the end.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        interrupted: bool,
        fail: bool,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if !self.interrupted {
                self.interrupted = true;
                return Err(io::ErrorKind::Interrupted.into());
            }
            if self.at == self.data.len() && self.fail {
                self.fail = false;
                return Err(io::Error::other("the disk went away"));
            }
            let n = buf.len().min(3).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    /// Records each write: the pieces deflate sees.
    #[derive(Default)]
    struct Pieces(Vec<Vec<u8>>);

    impl io::Write for Pieces {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.push(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn trickle(data: &[u8], fail: bool) -> Trickle {
        Trickle {
            data: data.to_vec(),
            at: 0,
            interrupted: false,
            fail,
        }
    }

    #[test]
    fn pieces_are_whole_buffers_however_short_the_reads() {
        let path = Path::new("dep.tgz");
        let temp = Path::new("out.zip.part");
        let sizes = |pieces: &Pieces| pieces.0.iter().map(Vec::len).collect::<Vec<_>>();

        let mut out = Pieces::default();
        let mut buffer = [0u8; 4];
        let copied = copy_pieces(
            (&mut trickle(b"abcdefghij", false), path),
            &mut out,
            &mut buffer,
            u64::MAX,
            temp,
        )
        .unwrap();
        assert_eq!(copied, 10);
        assert_eq!(sizes(&out), [4, 4, 2]);
        assert_eq!(out.0.concat(), b"abcdefghij");

        // Up to the limit, in whole pieces, and not a byte past it.
        let mut out = Pieces::default();
        let mut source = trickle(b"abcdefghij", false);
        let copied = copy_pieces((&mut source, path), &mut out, &mut buffer, 8, temp).unwrap();
        assert_eq!((copied, sizes(&out)), (8, vec![4, 4]));
        assert_eq!(source.at, 8, "read no further than the limit");

        // A file that ends on a piece's edge is read to its end and no piece is lost.
        let mut out = Pieces::default();
        let copied = copy_pieces(
            (&mut trickle(b"abcdefgh", false), path),
            &mut out,
            &mut buffer,
            u64::MAX,
            temp,
        )
        .unwrap();
        assert_eq!((copied, out.0.concat()), (8, b"abcdefgh".to_vec()));

        // A read that fails (other than by an interruption) names the file read.
        let error = copy_pieces(
            (&mut trickle(b"abcdef", true), path),
            &mut Pieces::default(),
            &mut buffer,
            u64::MAX,
            temp,
        )
        .unwrap_err();
        assert!(
            matches!(&error, ZipWriteError::CannotRead { path, .. } if path == Path::new("dep.tgz")),
            "{error:?}"
        );
    }

    /// An entry over 4 GiB needs Zip64 sizes (in its local header and central directory
    /// entry). A sparse file of zeros, deflated, keeps the zip small while its uncompressed
    /// size is over the limit. Kept, but ignored: it takes about 45 s, and every run already
    /// tests Zip64 through its other trigger, more than 65,535 entries
    /// (tests/package.rs, `zip64_for_more_than_65535_entries`), which cannot show this one's
    /// per-entry fields.
    #[test]
    #[ignore = "deflates and reads back 4.1 GiB (about 45 s); run with --ignored"]
    fn zip64_for_an_entry_over_4_gib() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.bin");
        let size = (4u64 << 30) + 12_345;
        File::create(&big).unwrap().set_len(size).unwrap();
        let mut e = Entries::new();
        e.insert("big.bin".into(), entry(Source::File(big), 0o644));
        e.insert(
            "small".into(),
            entry(Source::Bytes(b"after".to_vec()), 0o644),
        );
        let dest = dir.path().join("big.zip");
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        write(&e, &dest, settings).unwrap();
        let mut archive = zip::ZipArchive::new(File::open(&dest).unwrap()).unwrap();
        let mut file = archive.by_name("big.bin").unwrap();
        assert_eq!(file.size(), size);
        assert_eq!(io::copy(&mut file, &mut io::sink()).unwrap(), size);
        drop(file);
        let mut small = String::new();
        archive
            .by_name("small")
            .unwrap()
            .read_to_string(&mut small)
            .unwrap();
        assert_eq!(small, "after");
        if let Ok(out) = std::process::Command::new("unzip")
            .arg("-tqq")
            .arg(&dest)
            .output()
        {
            assert!(out.status.success(), "{out:?}");
        }
    }
}
