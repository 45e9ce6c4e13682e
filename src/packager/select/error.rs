//! [`SelectError`], why the files could not be selected; [`ChosenBy`], the list that chose
//! them, whose fix an error about a file gives; and [`SelectError::in_copy`], which names a
//! path found in `pre_package`'s temporary copy by the buildpack folder instead.

use std::fs;
use std::path::{Path, PathBuf};

/// Why the files could not be selected.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error(
        "include_files[{index}]: `{path}` does not exist in {}; create it (or have pre_package create it) or remove it from include_files",
        shown(root)
    )]
    Missing {
        index: usize,
        path: String,
        root: PathBuf,
    },
    /// [`SelectError::Missing`] in the temporary copy `pre_package` ran in: named by the
    /// buildpack folder (the copy is gone when the message is read) and the command that did
    /// not make the file.
    #[error(
        "include_files[{index}]: `{path}` does not exist in {}, and pre_package `{command}` (run in a temporary copy of it) did not create it; create it, have pre_package create it, or remove it from include_files",
        shown(root)
    )]
    MissingAfterPrePackage {
        index: usize,
        path: String,
        root: PathBuf,
        command: String,
    },
    #[error(
        "include_files[{index}]: `{path}` is absolute or contains `..`; list only paths inside the buildpack"
    )]
    Outside { index: usize, path: String },
    /// An empty include_files item (or blanks only): it was left out without a word, where
    /// the user may have meant `.`, or a path a template left blank.
    #[error("include_files[{index}]: {EMPTY_INCLUDE}")]
    EmptyInclude { index: usize },
    /// An empty exclude_files item: its second form, `*/`, matched every folder, so the zip
    /// held only manifest.yml and VERSION (no `bin/`), without a word.
    #[error("exclude_files[{index}]: {EMPTY_EXCLUDE}")]
    EmptyExclude { index: usize },
    #[error("{key}: {}", pattern_problem(pattern, cause))]
    BadPattern {
        key: String,
        pattern: String,
        cause: String,
    },
    #[error(
        "{} is a symlink to `{}`, which does not exist; fix the link, or {}",
        shown(path),
        shown(target),
        by.leave_out("it")
    )]
    Dangling {
        path: PathBuf,
        target: PathBuf,
        by: ChosenBy,
    },
    /// A link that resolves back to itself (`a -> b`, `b -> a`; `x -> x`): the system gives
    /// up (ELOOP), and its target does exist, so it is not [`SelectError::Dangling`].
    #[error(
        "{} is a symlink to `{}`, which leads back to itself through symlinks (a loop); fix the link, or {}",
        shown(path),
        shown(target),
        by.leave_out("it")
    )]
    LinkCycle {
        path: PathBuf,
        target: PathBuf,
        by: ChosenBy,
    },
    #[error(
        "{} is a symlink to its own parent folder {}; packaging it would never end, so remove it or {}",
        shown(path),
        shown(target),
        by.leave_out("it")
    )]
    Loop {
        path: PathBuf,
        target: PathBuf,
        by: ChosenBy,
    },
    /// Symlinks to folders that lead to the same folders by many paths: each path is a copy,
    /// so their number doubles with every level (see [`super::THROUGH_LINKS_LIMIT`]).
    #[error(
        "{} is a symlink to a folder, and following it and the symlinks to folders below it reaches more than {} files and folders, as a folder linked from several places is packaged once per path to it; keep the links as links (--bin-links symlink), link to files rather than folders, or {}",
        shown(link),
        super::THROUGH_LINKS_LIMIT,
        by.leave_out("the links")
    )]
    TooManyThroughLinks { link: PathBuf, by: ChosenBy },
    #[error("cannot read {}: {}", shown(path), read_problem(cause, *by))]
    CannotRead {
        path: PathBuf,
        cause: std::io::Error,
        by: ChosenBy,
    },
    #[error(
        "{}: the file name is not valid UTF-8, which zip entry names must be; rename it, or {}",
        shown(path),
        by.leave_out("it")
    )]
    NotUtf8 { path: PathBuf, by: ChosenBy },
    /// A line break, tab, escape or other control character in a packaged name: a valid zip
    /// entry, but one that splits the lines of `unzip -l`, CI logs and Cloud Foundry's tools
    /// (and an escape sequence rewrites the terminal showing them).
    #[error(
        "{}: the file name holds a line break or another control character, which breaks the lines of `unzip -l`, CI logs and Cloud Foundry's tools; rename it, or {}",
        shown(path),
        by.leave_out("it")
    )]
    ControlCharacter { path: PathBuf, by: ChosenBy },
    /// A `\` in a packaged name: a plain character on Linux, but a folder separator to
    /// extractors on Windows and to tools that convert it (`..\x` leaves the folder), so
    /// `bpkit verify` refuses the zip.
    #[error(
        "{}: the file name holds a `\\`, which some extractors read as a folder separator (so `bpkit verify` refuses the zip); rename it, or {}",
        shown(path),
        by.leave_out("it")
    )]
    Backslash { path: PathBuf, by: ChosenBy },
    /// A listed fifo, device or socket: opening a fifo waits for a writer that never comes,
    /// and a device such as /dev/zero never ends, so packaging it would hang or fill the disk.
    #[error(
        "include_files[{index}]: {} is {found}, not a file, folder or symlink; remove it from include_files",
        shown(path)
    )]
    NotAFile {
        index: usize,
        path: PathBuf,
        found: &'static str,
    },
    /// One of the errors above, found in the temporary copy `pre_package` ran in: its path is
    /// named in the buildpack folder instead ([`SelectError::in_copy`]), since the copy is
    /// gone when the message is read.
    #[error("{error} (found after pre_package `{command}`, which runs in a temporary copy)")]
    InPrePackageCopy {
        error: Box<SelectError>,
        command: String,
    },
}

/// What is wrong with an empty include_files item, and the fix (after its key).
pub(crate) const EMPTY_INCLUDE: &str = "the entry is empty, so it names no file; remove the item, or write what to package (`bin/`, `lib/*.rb`, or `.` for the whole folder)";

/// What is wrong with an empty exclude_files item, and the fix (after its key).
pub(crate) const EMPTY_EXCLUDE: &str = "the pattern is empty, which would leave out every folder; remove the item, or write what to leave out (`tests/`, `*.md`)";

/// `path` as a message shows it: a control character in a name (a line break, a carriage
/// return) is written escaped (`\n`), since printed as it is it broke the one-line message
/// in two, the second line read as another error.
pub(crate) fn shown(path: &Path) -> String {
    crate::output::escape_controls(&path.display().to_string())
}

/// Why a path in the tree could not be read, with the fix: the OS's words alone (`File name
/// too long (os error 36)`, `Permission denied`) said neither why nor what to do.
fn read_problem(cause: &std::io::Error, by: ChosenBy) -> String {
    if cause.raw_os_error() == Some(libc::ENAMETOOLONG) {
        // PATH_MAX: the walk names each file by its whole path, as extractors do.
        return format!(
            "the path is longer than the 4096 bytes Linux allows; shorten the names of the folders on the way, or {}",
            by.leave_out("the folder")
        );
    }
    if cause.kind() == std::io::ErrorKind::PermissionDenied {
        return format!(
            "permission denied; let this user read it, or {}",
            by.leave_out("it")
        );
    }
    cause.to_string()
}

/// Which list of the manifest chooses the files, for the fix an error about a file gives:
/// exclude_files is ignored when include_files is set (as by the Go packager), so "leave it
/// out with exclude_files" sent an include_files author to a key that changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChosenBy {
    ExcludeFiles,
    IncludeFiles,
}

impl ChosenBy {
    /// How to leave `what` (`it`, `the links`) out of the zip.
    fn leave_out(self, what: &str) -> String {
        match self {
            ChosenBy::ExcludeFiles => format!("leave {what} out with exclude_files"),
            ChosenBy::IncludeFiles => format!(
                "leave {what} out of include_files (list less, or a narrower glob: exclude_files is ignored when include_files is set)"
            ),
        }
    }
}

/// What is wrong with a glob of include_files or exclude_files, and the fix (the key is the
/// caller's: `bpkit validate` puts it before the line and column).
pub(crate) fn pattern_problem(pattern: &str, cause: &str) -> String {
    format!(
        "`{pattern}` is not a valid pattern: {cause}; fix the pattern, or write a `[`, `{{`, `*` or `?` meant literally after a `\\`"
    )
}

impl SelectError {
    /// This error, found in `copy` (the temporary copy `pre_package` `command` ran in), with
    /// its path named under the buildpack folder `root`: a path such as
    /// `/tmp/bpkit-package-KVUybm/tree/x` named a folder that no longer exists.
    #[must_use]
    pub fn in_copy(self, copy: &Path, root: &Path, command: &str) -> SelectError {
        // Paths may come from the copy as given or canonicalized (a TMPDIR through a symlink).
        let canonical = fs::canonicalize(copy).ok();
        let moved = |path: &Path| {
            path.strip_prefix(copy)
                .ok()
                .or_else(|| canonical.as_deref().and_then(|c| path.strip_prefix(c).ok()))
                .map_or_else(|| path.to_path_buf(), |rel| root.join(rel))
        };
        let error = match self {
            SelectError::Dangling { path, target, by } => SelectError::Dangling {
                path: moved(&path),
                target,
                by,
            },
            SelectError::LinkCycle { path, target, by } => SelectError::LinkCycle {
                path: moved(&path),
                target,
                by,
            },
            SelectError::Loop { path, target, by } => SelectError::Loop {
                path: moved(&path),
                target: moved(&target),
                by,
            },
            SelectError::CannotRead { path, cause, by } => SelectError::CannotRead {
                path: moved(&path),
                cause,
                by,
            },
            SelectError::NotUtf8 { path, by } => SelectError::NotUtf8 {
                path: moved(&path),
                by,
            },
            SelectError::TooManyThroughLinks { link, by } => SelectError::TooManyThroughLinks {
                link: moved(&link),
                by,
            },
            SelectError::ControlCharacter { path, by } => SelectError::ControlCharacter {
                path: moved(&path),
                by,
            },
            SelectError::Backslash { path, by } => SelectError::Backslash {
                path: moved(&path),
                by,
            },
            SelectError::NotAFile { index, path, found } => SelectError::NotAFile {
                index,
                path: moved(&path),
                found,
            },
            // No path in the copy: nothing to say about it.
            other => return other,
        };
        SelectError::InPrePackageCopy {
            error: Box::new(error),
            command: command.to_string(),
        }
    }
}
