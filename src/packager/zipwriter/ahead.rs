//! Small files deflated ahead, on several threads at once, while the zip is written in order
//! (within a memory budget: see `PREPARE_BUDGET`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use zip::write::{SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, PreparedZipFile};

use super::copy::copy_file;
use super::{Source, ZipWriteError};

/// A file at least this large is deflated while it is written, not ahead on another thread
/// (which holds its compressed bytes in memory).
pub(super) const PREPARE_LIMIT: u64 = 2 << 20;
/// At most this many bytes of files are deflated ahead in memory, whatever their number, so
/// memory stays bounded however many and large the files are (quality.md: under 64 MB).
pub(super) const PREPARE_BUDGET: u64 = 32 << 20;

/// Deflate `jobs` on up to `threads` threads; results in input order.
pub(super) fn prepare(
    jobs: &[(&str, &Source, u32)],
    options: SimpleFileOptions,
    threads: usize,
) -> Result<Vec<PreparedZipFile>, ZipWriteError> {
    let slots: Mutex<Vec<Option<Result<PreparedZipFile, ZipWriteError>>>> =
        Mutex::new(jobs.iter().map(|_| None).collect());
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, jobs.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some((name, source, mode)) = jobs.get(index) else {
                        break;
                    };
                    let result = prepare_one(name, source, options.unix_permissions(*mode));
                    slots
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)[index] = Some(result);
                }
            });
        }
    });
    slots
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .map(|slot| {
            slot.unwrap_or_else(|| {
                Err(ZipWriteError::CannotWrite {
                    path: PathBuf::new(),
                    cause: "a compression thread stopped early".into(),
                })
            })
        })
        .collect()
}

fn prepare_one(
    name: &str,
    source: &Source,
    options: SimpleFileOptions,
) -> Result<PreparedZipFile, ZipWriteError> {
    let options = options.compression_method(CompressionMethod::Deflated);
    let zip_error = |e: &dyn std::fmt::Display| ZipWriteError::CannotWrite {
        path: PathBuf::from(name),
        cause: e.to_string(),
    };
    let mut builder = ZipFileBuilder::new(name, options).map_err(|e| zip_error(&e))?;
    match source {
        Source::Bytes(bytes) => builder.write_all(bytes).map_err(|e| zip_error(&e))?,
        Source::File(path) => {
            let mut buffer = vec![0u8; 64 << 10];
            copy_file(path, &mut builder, &mut buffer, Path::new(name))?;
        }
        Source::Dir | Source::Symlink(_) | Source::Pending(_) => {}
    }
    builder.finish().map_err(|e| zip_error(&e))
}
