//! Safe extraction of dependency archives into a target folder, for the `supply` phase and the
//! stager (phases.md, "Where a dependency comes from"; quality.md, "Security").
//!
//! - [`extract`]: a file on disk, its kind taken from its (original) name.
//! - [`extract_reader`]: any byte stream of a known kind (tarballs stream; a zip is spooled to
//!   a temporary file first). The entry point for fuzzing.
//! - [`extract_zip`]: a zip from anything seekable.
//!
//! Every entry is refused, with an [`ArchiveError`] naming the archive and the entry, when its
//! name is absolute or holds `..`; when it would be written through a symbolic link; when it is
//! a symbolic link whose target is absolute or resolves outside the target folder; or when it
//! is a hard link to anything but a regular file extracted before it (hard links are
//! materialised as copies). Devices, fifos and sockets are skipped silently and counted in
//! [`Extracted::skipped`]. Modes keep their `rwx` bits (setuid, setgid and sticky are
//! dropped; folders stay `u+rwx`), exactly and regardless of the umask; files keep their
//! modification times; ownership is not kept.
//!
//! Files:
//! - `kind.rs`: [`ArchiveKind`] from a file name.
//! - `entry_path.rs`: entry names to relative paths, `--strip-components`, link target steps.
//! - `target/`: the writer that enforces the rules above: `mod.rs` the writer and entry names
//!   to paths, `write.rs` folders, files and links, `paths.rs` folders on the way and where a
//!   link leads, `mode.rs` modes and the umask, `copy.rs` a file's contents.
//! - `tarball.rs`, `zipfile.rs`, `single.rs`: the formats; `decompress.rs`: gzip, xz, bzip2.
//! - `error.rs`: [`ArchiveError`].

mod decompress;
mod entry_path;
mod error;
mod kind;
mod single;
mod tarball;
mod target;
mod zipfile;

use std::ffi::{OsStr, OsString};
use std::io::{self, BufReader, Read, Seek, Write};
use std::path::Path;

pub use error::ArchiveError;
pub use kind::ArchiveKind;
pub(crate) use zipfile::entries_sharing_bytes;

use target::Target;

/// How to extract.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Leading path components removed from every entry name, like libbuildpack's
    /// `InstallDependencyWithStrip` (`.` and empty components do not count, so `./top/bin`
    /// stripped once is `bin`; GNU tar's `--strip-components` would count the `.`). Entries
    /// left with no name are skipped.
    /// Ignored for plain files and scripts.
    pub strip_components: usize,
    /// The dependency's original file name (`ruby-3.3.0.tgz`). It decides the
    /// [`ArchiveKind`] in [`extract`], names the installed file for plain files and scripts,
    /// and names the archive in messages. When `None`, the archive path's own name is used.
    pub file_name: Option<OsString>,
}

/// What an extraction wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Regular files written (a plain file or script counts as one).
    pub files: u64,
    /// Folder entries (folders created only on the way to an entry are not counted).
    pub directories: u64,
    pub symlinks: u64,
    /// Hard links, materialised as copies.
    pub hard_links: u64,
    /// Entries not extracted: devices, fifos, sockets, unknown tar types, and entries whose
    /// whole name was stripped by `strip_components`.
    pub skipped: u64,
    /// Bytes of file contents written.
    pub bytes: u64,
}

/// Read buffer on a zip file. Smaller than a tarball's: the zip reader seeks to every entry,
/// and each seek throws the buffer away, so a large one would be refilled (mostly in vain) for
/// every small file.
const ZIP_READ_BUFFER: usize = 32 * 1024;

/// Name used for a stream without a file name in messages.
const UNNAMED: &str = "(unnamed stream)";

/// Extracts the dependency file `archive` into `target` (created if missing), by the kind its
/// name says ([`ArchiveKind::from_file_name`] of `options.file_name`, or of `archive`'s name).
pub fn extract(
    archive: &Path,
    target: &Path,
    options: &ExtractOptions,
) -> Result<Extracted, ArchiveError> {
    let name: OsString = match (&options.file_name, archive.file_name()) {
        (Some(name), _) => name.clone(),
        (None, Some(name)) => name.to_os_string(),
        (None, None) => archive.as_os_str().to_os_string(),
    };
    // Without waiting, and a regular file only: a fifo would block a plain open until a
    // writer came.
    match crate::regular_file::open(archive).map_err(crate::regular_file::OpenError::into_io) {
        Ok((file, _)) => extract_file(file, &name, target, options),
        Err(source) => Err(ArchiveError::CannotOpenArchive {
            archive: name.to_string_lossy().into_owned(),
            source,
        }),
    }
}

/// Extracts an opened dependency file named `name` into `target` (created if missing), by the
/// kind the name says: [`extract`] for a file already open, such as a verified dependency held
/// open ([`crate::fetch::HeldFile`]) so that what is extracted is what was verified.
pub fn extract_file<R: Read + Seek>(
    file: R,
    name: &OsStr,
    target: &Path,
    options: &ExtractOptions,
) -> Result<Extracted, ArchiveError> {
    let display = name.to_string_lossy().into_owned();
    let kind = ArchiveKind::from_file_name(name);
    match kind {
        ArchiveKind::Zip => {
            let reader = BufReader::with_capacity(ZIP_READ_BUFFER, file);
            unpack_zip(display, reader, target, options.strip_components)
        }
        ArchiveKind::Script | ArchiveKind::File => {
            single::install(kind, file, target, name, display)
        }
        _ => unpack_tar(kind, display, file, target, options.strip_components),
    }
}

/// `reader` copied into `spool`, rewound to its start.
fn spool_zip<W: Write + Seek>(reader: &mut impl Read, mut spool: W) -> io::Result<W> {
    io::copy(reader, &mut spool)?;
    spool.rewind()?;
    Ok(spool)
}

/// Why a zip stream could not be spooled: a full disk or the file-size limit gets its fix and
/// the temporary folder (the raw `File too large (os error 27)` named neither).
fn spool_error(archive: String, source: io::Error) -> ArchiveError {
    if crate::output::no_room_fix(source.kind()).is_some() {
        ArchiveError::SpoolNoRoom {
            archive,
            dir: std::env::temp_dir(),
            cause: source,
        }
    } else {
        ArchiveError::CannotSpoolZip { archive, source }
    }
}

/// Extracts a stream of the given kind into `target` (created if missing). Tarballs are read
/// as they stream; a zip, whose index is at its end, is first copied to an anonymous temporary
/// file. A plain file or script needs `options.file_name`. Never panics, whatever the bytes.
pub fn extract_reader<R: Read>(
    kind: ArchiveKind,
    mut reader: R,
    target: &Path,
    options: &ExtractOptions,
) -> Result<Extracted, ArchiveError> {
    let display = options.file_name.as_ref().map_or_else(
        || UNNAMED.to_owned(),
        |name| name.to_string_lossy().into_owned(),
    );
    match kind {
        ArchiveKind::Zip => {
            let spooled = tempfile::tempfile().and_then(|spool| spool_zip(&mut reader, spool));
            match spooled {
                Ok(spool) => {
                    let reader = BufReader::with_capacity(ZIP_READ_BUFFER, spool);
                    unpack_zip(display, reader, target, options.strip_components)
                }
                Err(source) => Err(spool_error(display, source)),
            }
        }
        ArchiveKind::Script | ArchiveKind::File => match &options.file_name {
            Some(name) => single::install(kind, reader, target, name, display),
            None => Err(ArchiveError::MissingFileName {
                archive: display,
                kind,
            }),
        },
        _ => unpack_tar(kind, display, reader, target, options.strip_components),
    }
}

/// Extracts a zip archive read from anything seekable into `target` (created if missing).
/// Never panics, whatever the bytes.
pub fn extract_zip<R: Read + Seek>(
    reader: R,
    target: &Path,
    options: &ExtractOptions,
) -> Result<Extracted, ArchiveError> {
    let display = options.file_name.as_ref().map_or_else(
        || UNNAMED.to_owned(),
        |name| name.to_string_lossy().into_owned(),
    );
    unpack_zip(display, reader, target, options.strip_components)
}

fn unpack_tar<R: Read>(
    kind: ArchiveKind,
    display: String,
    reader: R,
    root: &Path,
    strip: usize,
) -> Result<Extracted, ArchiveError> {
    let mut target = Target::create(display, kind, root, strip)?;
    tarball::unpack(decompress::tar_stream(kind, reader), &mut target)?;
    Ok(target.finish())
}

fn unpack_zip<R: Read + Seek>(
    display: String,
    reader: R,
    root: &Path,
    strip: usize,
) -> Result<Extracted, ArchiveError> {
    let mut target = Target::create(display, ArchiveKind::Zip, root, strip)?;
    zipfile::unpack(reader, &mut target)?;
    Ok(target.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary file that takes no more than `room` bytes, as a full disk or `ulimit -f`.
    struct Cramped {
        room: usize,
        written: usize,
        kind: io::ErrorKind,
    }

    impl Write for Cramped {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.written + buf.len() > self.room {
                return Err(io::Error::from(self.kind));
            }
            self.written += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Seek for Cramped {
        fn seek(&mut self, _: io::SeekFrom) -> io::Result<u64> {
            Ok(0)
        }
    }

    /// A zip stream that does not fit in the temporary folder is named with the folder and
    /// the fix; any other failure keeps the plain message with its cause.
    #[test]
    fn a_spool_without_room_says_where_and_what_to_do() {
        for (kind, fix) in [
            (io::ErrorKind::FileTooLarge, "(`ulimit -f unlimited`)"),
            (
                io::ErrorKind::StorageFull,
                "the disk is full; free space on it (`df -h`)",
            ),
        ] {
            let spool = Cramped {
                room: 10,
                written: 0,
                kind,
            };
            let error = spool_zip(&mut &[0u8; 100][..], spool)
                .map(drop)
                .unwrap_err();
            let text = spool_error("dep.zip".into(), error).to_string();
            assert!(
                text.starts_with(&format!(
                    "archive dep.zip: cannot copy the zip stream to a temporary file in {} to read it: ",
                    std::env::temp_dir().display()
                )),
                "{text}"
            );
            assert!(text.ends_with(fix), "{text}");
        }
        let other = spool_error("dep.zip".into(), io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(
            matches!(other, ArchiveError::CannotSpoolZip { .. }),
            "{other}"
        );
    }
}
