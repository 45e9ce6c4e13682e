//! Causes and fixes in words, for the messages of [`StageError`](super::StageError): a staging
//! folder without room, a `--services @FILE` that cannot be read, the names that show a folder
//! is not a build cache.

use std::io;

/// A full disk can be avoided by staging elsewhere (TMPDIR); the file-size limit cannot.
pub(super) fn staging_folder_fix(kind: io::ErrorKind) -> String {
    let fix = crate::output::no_room_fix(kind).unwrap_or_default();
    match kind {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            format!("{fix}, or set TMPDIR to a folder on a disk with room")
        }
        _ => fix.to_string(),
    }
}

/// The fix after a staging step's file error ([`StageError::CannotAccess`](super::StageError)),
/// when there is one: the OS's `Permission denied (os error 13)` and `Read-only file system
/// (os error 30)` said what, but not where to look or what to do.
pub(super) fn access_fix(kind: io::ErrorKind) -> Option<&'static str> {
    match kind {
        io::ErrorKind::PermissionDenied => Some(
            "let this user in: check the owner and mode of that path and of the folders above it (`ls -ld`)",
        ),
        io::ErrorKind::ReadOnlyFilesystem => {
            Some("that file system is mounted read-only; use a folder on a writable one")
        }
        other => crate::output::no_room_fix(other),
    }
}

/// The command that lets this user read an app's file (`chmod u+r FILE`) or list and enter
/// its folder (`chmod u+rx DIR`), the path quoted as a shell word.
pub(super) fn chmod_readable(path: &std::path::Path, is_dir: bool) -> String {
    format!(
        "chmod {} {}",
        if is_dir { "u+rx" } else { "u+r" },
        crate::output::shell_word(&path.to_string_lossy())
    )
}

/// The other way out for an app's entry this user cannot read: a file can be left out of the
/// upload with a `.cfignore` line; a folder cannot, since the CLI lists what is in every
/// folder, left out or not, and fails on one it cannot list.
pub(super) fn unreadable_entry_fix(rel: &std::path::Path, is_dir: bool) -> String {
    if is_dir {
        "or move it out of the app folder (`cf push` lists every folder, even one .cfignore leaves out)".to_string()
    } else {
        format!(
            "or leave it out with a `{}` line in .cfignore",
            crate::stager::ignore::line_for(&rel.to_string_lossy())
        )
    }
}

/// Why the `--services @FILE` file cannot be read, and the fix: a folder, an unreadable file
/// and a file that is not text each named (not `Is a directory (os error 21)`).
pub(super) fn services_problem(cause: &io::Error) -> String {
    const GIVE: &str = "give @FILE naming a file that holds VCAP_SERVICES, or the JSON itself";
    match cause.kind() {
        io::ErrorKind::PermissionDenied => {
            "permission denied; let this user read it (`chmod a+r`), or give the JSON itself"
                .to_string()
        }
        // read_to_string's `stream did not contain valid UTF-8`.
        io::ErrorKind::InvalidData => {
            format!("it is not UTF-8 text; save it as UTF-8 JSON, or {GIVE}")
        }
        _ => format!("{}; {GIVE}", crate::output::read_problem(cause)),
    }
}

/// The first few of `names`, quoted, and how many more: enough to recognise a folder by.
pub(super) fn name_some(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let quoted: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    match names.len().saturating_sub(SHOWN) {
        0 => quoted.join(", "),
        more => format!("{} and {more} more", quoted.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    use crate::stager::StageError;

    /// A staging folder without room names itself and, for a full disk, TMPDIR as the way
    /// out; the file-size limit follows the process anywhere, so it gets only its own fix.
    #[test]
    fn a_full_staging_folder_says_where_and_what_to_do() {
        let error = |kind| {
            StageError::NoRoomToCopyApp {
                dir: PathBuf::from("/tmp/bpkit-stage-x"),
                source: io::Error::from(kind),
            }
            .to_string()
        };
        let full = error(io::ErrorKind::StorageFull);
        assert!(
            full.starts_with("cannot copy the app into the staging folder /tmp/bpkit-stage-x: "),
            "{full}"
        );
        assert!(full.ends_with("; the disk is full; free space on it (`df -h`), or set TMPDIR to a folder on a disk with room"), "{full}");
        let limit = error(io::ErrorKind::FileTooLarge);
        assert!(
            limit.ends_with("raise the limit (`ulimit -f unlimited`)"),
            "{limit}"
        );
        assert!(
            !StageError::NoRoomToCopyApp {
                dir: PathBuf::new(),
                source: io::Error::from(io::ErrorKind::StorageFull)
            }
            .is_builder_message()
        );
    }

    #[test]
    fn a_few_names_are_shown_and_the_rest_counted() {
        let names = |n: usize| (1..=n).map(|i| format!("f{i}")).collect::<Vec<_>>();
        assert_eq!(name_some(&names(0)), "");
        assert_eq!(name_some(&names(1)), "`f1`");
        assert_eq!(name_some(&names(3)), "`f1`, `f2`, `f3`");
        assert_eq!(name_some(&names(4)), "`f1`, `f2`, `f3` and 1 more");
        assert_eq!(name_some(&names(9)), "`f1`, `f2`, `f3` and 6 more");
    }

    #[test]
    fn each_unreadable_services_file_is_named_with_its_fix() {
        assert_eq!(
            services_problem(&io::Error::from(io::ErrorKind::PermissionDenied)),
            "permission denied; let this user read it (`chmod a+r`), or give the JSON itself"
        );
        assert_eq!(
            services_problem(&io::Error::from(io::ErrorKind::InvalidData)),
            "it is not UTF-8 text; save it as UTF-8 JSON, or give @FILE naming a file that holds VCAP_SERVICES, or the JSON itself"
        );
        assert_eq!(
            services_problem(&io::Error::from(io::ErrorKind::IsADirectory)),
            "it is a folder, not a file; give @FILE naming a file that holds VCAP_SERVICES, or the JSON itself"
        );
    }

    #[test]
    fn file_errors_get_the_fix_for_their_kind() {
        assert!(
            access_fix(io::ErrorKind::PermissionDenied)
                .unwrap()
                .contains("`ls -ld`")
        );
        assert!(
            access_fix(io::ErrorKind::ReadOnlyFilesystem)
                .unwrap()
                .contains("mounted read-only")
        );
        assert!(
            access_fix(io::ErrorKind::StorageFull)
                .unwrap()
                .contains("disk is full")
        );
        assert_eq!(access_fix(io::ErrorKind::NotFound), None);
        // Only a full disk can be left by staging elsewhere.
        assert_eq!(staging_folder_fix(io::ErrorKind::NotFound), "");
        assert!(
            staging_folder_fix(io::ErrorKind::QuotaExceeded)
                .ends_with(", or set TMPDIR to a folder on a disk with room")
        );
    }

    #[test]
    fn the_chmod_fix_fits_a_file_or_a_folder() {
        assert_eq!(
            chmod_readable(std::path::Path::new("app/notes.txt"), false),
            "chmod u+r app/notes.txt"
        );
        assert_eq!(
            chmod_readable(std::path::Path::new("my app/lib"), true),
            "chmod u+rx 'my app/lib'"
        );
    }
}
