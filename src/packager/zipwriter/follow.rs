//! Writing a [`Source::Pending`](super::Source::Pending) entry: a dependency still being
//! downloaded, copied into the zip as its bytes arrive when its size is known, and written
//! again from the verified file when the download had to start over.

use std::fs::{self, File};
use std::io::{Seek, Write};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::compressed::is_compressed;
use super::{ZipWriteError, copy_file, copy_pieces, method_for, start_file};
use crate::packager::pending::{Event, Pending, Seen};

/// Bytes to let pile up in a growing file before the writer wakes to copy them.
const FOLLOW_BATCH: u64 = 1 << 20;
/// How many first bytes decide stored or deflated ([`is_compressed`]).
const HEAD: usize = 8;

/// An entry started from a `.part` file still being written.
struct Following {
    file: File,
    attempt: u32,
    size: u64,
    copied: u64,
    method: CompressionMethod,
}

impl Following {
    /// Open attempt `attempt` of the `.part` file of entry `name`, `size` bytes in all, and
    /// decide from its first bytes how to write it; `None` when it is gone (renamed into place).
    fn open(
        part: &Path,
        name: &str,
        attempt: u32,
        size: u64,
    ) -> Result<Option<Following>, ZipWriteError> {
        let Ok(file) = File::open(part) else {
            return Ok(None);
        };
        let mut head = [0u8; HEAD];
        let got = file
            .read_at(&mut head, 0)
            .map_err(|cause| ZipWriteError::CannotRead {
                path: part.to_path_buf(),
                cause,
            })?;
        let method = if is_compressed(name, &head[..got]) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        Ok(Some(Following {
            file,
            attempt,
            size,
            copied: 0,
            method,
        }))
    }
}

/// Write a [`Source::Pending`](super::Source::Pending) entry into the zip being written at `temp_path` (`zip_file` is
/// a second handle on it). When the file's size is known (and needs no Zip64) the entry starts
/// as soon as the first bytes are there and grows with the file; otherwise, or when the file
/// was downloaded again, it is written from the verified file. Returns the method.
pub(super) fn write_pending<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    (name, mode, pending): (&str, u32, &Pending),
    options: SimpleFileOptions,
    buffer: &mut [u8],
    (temp_path, zip_file): (&Path, &File),
    write_error: &dyn Fn(&dyn std::fmt::Display) -> ZipWriteError,
) -> Result<CompressionMethod, ZipWriteError> {
    let mut following: Option<Following> = None;
    let mut seen = Seen::NOTHING;
    loop {
        match pending.next(seen) {
            Event::Failed => {
                return Err(ZipWriteError::Unavailable {
                    name: name.to_string(),
                });
            }
            Event::Ready { path, attempt } => {
                if let Some(mut followed) = following.take() {
                    if followed.attempt == attempt && same_file(&followed.file, &path) {
                        followed.copied += copy_pieces(
                            (&mut followed.file, &path),
                            zip,
                            buffer,
                            u64::MAX,
                            temp_path,
                        )?;
                        let len = fs::metadata(&path).map_or(u64::MAX, |m| m.len());
                        if followed.copied == len && len == followed.size {
                            return Ok(followed.method);
                        }
                    }
                    // Bytes of an earlier attempt: write the verified file from the start.
                    abandon_entry(zip, zip_file, write_error)?;
                }
                let (method, size) = method_for(name, &path)?;
                start_file(zip, name, options, method, mode, size, write_error)?;
                copy_file(&path, zip, buffer, temp_path)?;
                return Ok(method);
            }
            Event::Growing {
                part,
                attempt,
                written,
                expected,
            } => {
                if following.as_ref().is_some_and(|f| f.attempt != attempt) {
                    following = None;
                    abandon_entry(zip, zip_file, write_error)?;
                }
                // Without the size the entry's header cannot be chosen (Zip64 or not): wait
                // for the whole file, or for the next attempt.
                let Some(size) = expected.filter(|&size| size < zip::ZIP64_BYTES_THR) else {
                    seen = Seen {
                        attempt,
                        until: u64::MAX,
                    };
                    continue;
                };
                if following.is_none() {
                    let head_len = size.min(HEAD as u64);
                    if written < head_len {
                        seen = Seen {
                            attempt,
                            until: head_len,
                        };
                        continue;
                    }
                    let Some(started) = Following::open(&part, name, attempt, size)? else {
                        // Renamed into place already: it is about to be ready.
                        seen = Seen {
                            attempt,
                            until: u64::MAX,
                        };
                        continue;
                    };
                    start_file(zip, name, options, started.method, mode, size, write_error)?;
                    following = Some(started);
                }
                if let Some(followed) = following.as_mut() {
                    // Whole pieces only: the last one is copied once the file is complete.
                    let piece = buffer.len() as u64;
                    let whole = written.saturating_sub(followed.copied) / piece * piece;
                    followed.copied +=
                        copy_pieces((&mut followed.file, &part), zip, buffer, whole, temp_path)?;
                }
                seen = Seen {
                    attempt,
                    until: if written >= size {
                        u64::MAX
                    } else {
                        (written + FOLLOW_BATCH).min(size)
                    },
                };
            }
        }
    }
}

/// Drop the entry being written and cut the zip file back to where the entry began. The zip
/// crate rewinds over it, but when the abandoned bytes reach past what follows it keeps them
/// and writes its directory after them: a valid zip, but larger than, and different from, one
/// written in one go.
fn abandon_entry<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    mut zip_file: &File,
    write_error: &dyn Fn(&dyn std::fmt::Display) -> ZipWriteError,
) -> Result<(), ZipWriteError> {
    zip.abort_file().map_err(|e| write_error(&e))?;
    // Nothing left buffered: the shared offset is where the next entry goes.
    zip.flush().map_err(|e| write_error(&e))?;
    zip_file
        .stream_position()
        .and_then(|start| zip_file.set_len(start))
        .map_err(|e| write_error(&e))
}

/// Whether `file` is the file at `path` (the `.part` file renamed into place).
fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}
