//! The one error type of archive extraction. Every message is a sentence that names the archive
//! and, for a refused entry, the entry as written in the archive (quoted, control characters
//! escaped) and why it was refused. I/O causes are kept as `source`, not repeated in the text,
//! so the caller's cause chain (`: `-joined) shows them once.

use std::io;
use std::path::PathBuf;

use super::ArchiveKind;

/// Why a dependency could not be extracted. Refusals (an entry that would land outside the
/// target folder) leave whatever was extracted before them in place; the caller extracts into
/// a folder of its own and removes it on error.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("archive {archive}: cannot open it")]
    CannotOpenArchive {
        archive: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "archive {archive}: cannot read it as a {kind}; it is truncated, corrupt or of another kind"
    )]
    CannotReadArchive {
        archive: String,
        kind: ArchiveKind,
        #[source]
        source: io::Error,
    },
    /// An xz header whose dictionary needs more memory than the decoder may take: a real
    /// tarball needs at most 65 MiB (`xz -9`), so this is a crafted or odd one.
    #[error(
        "archive {archive}: its xz header asks for a dictionary needing more than the {} MiB of memory bpkit lets xz use (xz -9 needs 65 MiB); recompress it with `xz -9` or a lower level",
        super::decompress::XZ_MEMORY_LIMIT_KIB / 1024
    )]
    XzMemoryLimit { archive: String },
    #[error("archive {archive}: cannot copy the zip stream to a temporary file to read it")]
    CannotSpoolZip {
        archive: String,
        #[source]
        source: io::Error,
    },
    /// [`ArchiveError::CannotSpoolZip`] for a full disk or the file-size limit, with the fix
    /// and the folder the temporary file was in (TMPDIR's), which is the disk that is full.
    #[error(
        "archive {archive}: cannot copy the zip stream to a temporary file in {} to read it: {cause}: {}",
        dir.display(),
        crate::output::no_room_fix(cause.kind()).unwrap_or_default()
    )]
    SpoolNoRoom {
        archive: String,
        dir: PathBuf,
        cause: io::Error,
    },
    #[error("archive {archive}: cannot create the target folder {}", target.display())]
    CannotCreateTarget {
        archive: String,
        target: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("archive {archive}: cannot write entry {entry:?} to {path:?}")]
    CannotWriteEntry {
        archive: String,
        entry: String,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// [`ArchiveError::CannotWriteEntry`] for a full disk or the file-size limit, with the fix.
    #[error(
        "archive {archive}: cannot write entry {entry:?} to {path:?}: {cause}: {}",
        crate::output::no_room_fix(cause.kind()).unwrap_or_default()
    )]
    NoRoom {
        archive: String,
        entry: String,
        path: PathBuf,
        cause: io::Error,
    },
    #[error("archive {archive}: entry {entry:?} has an absolute path; refusing to extract")]
    AbsolutePath { archive: String, entry: String },
    #[error("archive {archive}: entry {entry:?} escapes the target folder; refusing to extract")]
    EscapesTarget { archive: String, entry: String },
    #[error("archive {archive}: entry {entry:?} has a NUL byte in its name; refusing to extract")]
    NulInName { archive: String, entry: String },
    #[error(
        "archive {archive}: symbolic link {entry:?} points to the absolute path {link:?}; refusing to extract"
    )]
    AbsoluteSymlink {
        archive: String,
        entry: String,
        link: String,
    },
    #[error(
        "archive {archive}: symbolic link {entry:?} points to {link:?}, which escapes the target folder; refusing to extract"
    )]
    SymlinkEscapes {
        archive: String,
        entry: String,
        link: String,
    },
    #[error(
        "archive {archive}: symbolic link {entry:?} has an empty or invalid target {link:?}; refusing to extract"
    )]
    InvalidSymlink {
        archive: String,
        entry: String,
        link: String,
    },
    #[error(
        "archive {archive}: hard link {entry:?} points to {link:?}, which escapes the target folder; refusing to extract"
    )]
    HardLinkEscapes {
        archive: String,
        entry: String,
        link: String,
    },
    #[error(
        "archive {archive}: hard link {entry:?} points to {link:?}, which is not a file extracted before it; refusing to extract"
    )]
    HardLinkMissing {
        archive: String,
        entry: String,
        link: String,
    },
    #[error(
        "archive {archive}: entry {entry:?} would be written through the symbolic link {symlink:?}; refusing to extract"
    )]
    ThroughSymlink {
        archive: String,
        entry: String,
        symlink: PathBuf,
    },
    #[error("archive {archive}: entry {entry:?} needs {path:?} to be a folder, but it is a file")]
    NotAFolder {
        archive: String,
        entry: String,
        path: PathBuf,
    },
    #[error(
        "archive {archive}: entry {entry:?} would replace the folder {path:?} with a file; refusing to extract"
    )]
    ReplacesFolder {
        archive: String,
        entry: String,
        path: PathBuf,
    },
    #[error("archive {archive}: entry {entry:?} is {feature}, which bpkit cannot extract")]
    Unsupported {
        archive: String,
        entry: String,
        feature: &'static str,
    },
    #[error(
        "archive {archive}: no file name to install this {kind} under; pass the original file name in the extract options"
    )]
    MissingFileName { archive: String, kind: ArchiveKind },
    #[error(
        "archive {archive}: {name:?} cannot be used as a file name in the target folder (it must be one plain name, without `/`)"
    )]
    InvalidFileName { archive: String, name: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A written path comes from the archive's entry names: in a message it is quoted and its
    /// control characters escaped, whether the write failed for lack of room or otherwise.
    #[test]
    fn write_errors_escape_the_path() {
        let path = PathBuf::from("/deps/x\x1b[2Jy");
        let no_room = ArchiveError::NoRoom {
            archive: "a.tgz".into(),
            entry: "x\x1b[2Jy".into(),
            path: path.clone(),
            cause: io::Error::from(io::ErrorKind::StorageFull),
        };
        let other = ArchiveError::CannotWriteEntry {
            archive: "a.tgz".into(),
            entry: "x\x1b[2Jy".into(),
            path,
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        for error in [no_room, other] {
            let text = error.to_string();
            assert!(!text.contains('\x1b'), "{text:?}");
            assert!(text.contains(r#"to "/deps/x\u{1b}[2Jy""#), "{text:?}");
        }
    }
}
