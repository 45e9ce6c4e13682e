//! Output discipline: stdout carries data only (a zip path, YAML, JSON); narration goes to
//! stderr through the [`Logger`], in Cloud Foundry's format; progress bars go through the
//! [`progress::Progress`] trait so library code never touches indicatif.

pub mod held;
mod line_state;
pub mod logger;
pub mod progress;
pub mod streamed;

pub use logger::{ColorChoice, Logger, Verbosity};

/// An error and its causes on one line, joined by `: `, as bpkit prints every error (a cause
/// whose text is already in the message is not repeated).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// `path` as one shell word, for a command line to copy and paste (init's "Next:", verify's
/// fixes). A relative path starting with
/// `-` gets `./` before it: `cd -x` would read it as an option, and `cd -` goes back to the
/// previous folder.
#[must_use]
pub fn shell_word(path: &str) -> String {
    if path.starts_with('-') {
        return shell_word(&format!("./{path}"));
    }
    if path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c))
    {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

/// `text` with each control character (a line break, a carriage return, an escape) written as
/// its escape (`\n`, `\u{1b}`): printed as it is, a name from a file tree or a zip broke a
/// one-line message in two, the second line read as a finding of its own, or rewrote the
/// terminal.
#[must_use]
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// A path with a file where one of its folders belongs (`notes.txt/app`), in words: the OS's
/// `Not a directory (os error 20)` says neither which part nor what is wrong with it.
pub const UNDER_A_FILE: &str = "part of that path is a file, not a folder";

/// Why a path given by the user names nothing, in words: `nothing` (`no such folder`) when it
/// does not exist, [`UNDER_A_FILE`] when part of it is a file. `None` when something is there
/// that could not be opened for another reason, which its own error says.
pub fn nothing_at(error: &std::io::Error, nothing: &'static str) -> Option<&'static str> {
    match error.kind() {
        std::io::ErrorKind::NotFound => Some(nothing),
        std::io::ErrorKind::NotADirectory => Some(UNDER_A_FILE),
        _ => None,
    }
}

/// Why a file could not be read, in words, for a one-line message that goes on with its own
/// fix: the io error's text for the common cases (`Is a directory (os error 21)`, `No such file
/// or directory (os error 2)`) said neither what was in the way nor what to do.
pub fn read_problem(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        // A symlink to nothing is said as one (`regular_file::open`).
        ErrorKind::NotFound if error.get_ref().is_some() => error.to_string(),
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::IsADirectory => "it is a folder, not a file".to_string(),
        // A file given where a folder on the way belongs (`validate afile` reads
        // `afile/manifest.yml`): the raw `Not a directory (os error 20)` did not say which part.
        ErrorKind::NotADirectory => UNDER_A_FILE.to_string(),
        // Mode 000, or a folder on the way that this user may not enter.
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// The OS's own error inside one from tempfile, which appends ` at path "…/.x.AbC123.part"`: a
/// random name the user never sees, after the file or folder the message already names.
/// tempfile keeps the OS error in a private type whose `source()` skips it, so the suffix is
/// cut from the text; the kind is kept (the fix for a full disk depends on it).
pub fn without_temp_path(cause: std::io::Error) -> std::io::Error {
    if cause.get_ref().is_none() {
        return cause;
    }
    let text = cause.to_string();
    match text.find(" at path \"") {
        Some(end) => std::io::Error::new(cause.kind(), &text[..end]),
        None => cause,
    }
}

/// What to do about a write that failed because the file did not fit: a full disk (or quota),
/// or the file-size limit (`ulimit -f`, EFBIG). `None` for any other reason. The OS's own words
/// (`File too large (os error 27)`) name neither the limit nor the way out.
pub fn no_room_fix(kind: std::io::ErrorKind) -> Option<&'static str> {
    use std::io::ErrorKind;
    match kind {
        ErrorKind::FileTooLarge => Some(
            "the file is larger than the file-size limit (`ulimit -f`) allows; raise the limit (`ulimit -f unlimited`)",
        ),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            Some("the disk is full; free space on it (`df -h`)")
        }
        _ => None,
    }
}

/// Why data could not be written to stdout, as one line: where stdout goes (a redirect to a
/// file names it: `>/dev/full`, a full disk), the OS reason, and what to do about it. A bare
/// `cannot write output: No space left on device` left the user guessing which file was full.
pub fn stdout_write_failure(error: &std::io::Error) -> String {
    // On Linux, /proc/self/fd/1 names the file stdout was redirected to; a pipe or socket
    // reads as `pipe:[…]`, which names nothing a user can act on, so only a path is shown.
    let target = std::fs::read_link("/proc/self/fd/1")
        .ok()
        .filter(|path| path.is_absolute())
        .map(|path| format!(" ({})", path.display()))
        .unwrap_or_default();
    let fix = if error.kind() == std::io::ErrorKind::StorageFull {
        "free space on that disk, or redirect stdout to a file on another one"
    } else {
        "redirect stdout to a file that can be written"
    };
    format!("cannot write the output to stdout{target}: {error}; {fix}")
}

/// `123 B`, `4.5 KiB`, `12.3 MiB`.
pub fn human_size(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // for display only
    let value = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1 << 20 {
        format!("{:.1} KiB", value / 1024.0)
    } else if bytes < 1 << 30 {
        format!("{:.1} MiB", value / f64::from(1u32 << 20))
    } else {
        format!("{:.1} GiB", value / f64::from(1u32 << 30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tempfile's error names its random file; the OS reason and the kind are what is kept.
    #[test]
    fn a_temporary_file_error_loses_its_random_name() {
        let dir = tempfile::tempdir().unwrap();
        let error = tempfile::Builder::new()
            .prefix(".x.")
            .suffix(".part")
            .tempfile_in(dir.path().join("missing"))
            .unwrap_err();
        assert!(error.to_string().contains(" at path "), "{error}");
        let kept = without_temp_path(error);
        assert_eq!(kept.kind(), std::io::ErrorKind::NotFound);
        assert!(!kept.to_string().contains(".part"), "{kept}");
        // An OS error has no such suffix and stays as it is.
        let os = without_temp_path(std::io::Error::from_raw_os_error(28));
        assert_eq!(os.raw_os_error(), Some(28));
    }

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape_controls("lib/notes\nold\u{1b}[2J.txt"),
            "lib/notes\\nold\\u{1b}[2J.txt"
        );
        assert_eq!(escape_controls("café/ü"), "café/ü");
    }

    #[test]
    fn a_path_naming_nothing_is_said_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "").unwrap();
        let why = |path: &std::path::Path| {
            nothing_at(&std::fs::metadata(path).unwrap_err(), "no such folder")
        };
        assert_eq!(why(&dir.path().join("missing")), Some("no such folder"));
        assert_eq!(
            why(&notes.join("app")),
            Some("part of that path is a file, not a folder")
        );
        // Something is there: its own error says why it could not be opened.
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(nothing_at(&denied, "no such folder"), None);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(10), "10 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(5 << 20), "5.0 MiB");
    }

    /// Each unit starts at its own power of 1024, not one byte later or earlier.
    #[test]
    fn human_sizes_change_unit_at_each_power_of_1024() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size((1 << 20) - 1), "1024.0 KiB");
        assert_eq!(human_size(1 << 20), "1.0 MiB");
        assert_eq!(human_size((1 << 30) - 1), "1024.0 MiB");
        assert_eq!(human_size(1 << 30), "1.0 GiB");
        assert_eq!(human_size(5 << 30), "5.0 GiB");
    }

    /// An error with a cause of its own, for the chain's tests.
    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|cause| cause as _)
        }
    }

    #[test]
    fn an_error_chain_joins_its_causes_and_skips_those_already_said() {
        let alone = Layer("cannot read manifest.yml", None);
        assert_eq!(error_chain(&alone), "cannot read manifest.yml");
        let chained = Layer(
            "cannot read manifest.yml",
            Some(Box::new(Layer(
                "permission denied",
                Some(Box::new(Layer("os error 13", None))),
            ))),
        );
        assert_eq!(
            error_chain(&chained),
            "cannot read manifest.yml: permission denied: os error 13"
        );
        // A cause whose words the message already carries is not said twice, and the chain
        // goes on past it.
        let repeated = Layer(
            "cannot read manifest.yml: permission denied",
            Some(Box::new(Layer(
                "permission denied",
                Some(Box::new(Layer("os error 13", None))),
            ))),
        );
        assert_eq!(
            error_chain(&repeated),
            "cannot read manifest.yml: permission denied: os error 13"
        );
    }

    #[test]
    fn a_shell_word_is_quoted_only_when_the_shell_would_split_or_expand_it() {
        assert_eq!(
            shell_word("ruby_buildpack/v1.2+x=y:z,a@b"),
            "ruby_buildpack/v1.2+x=y:z,a@b"
        );
        assert_eq!(shell_word("my app"), "'my app'");
        assert_eq!(shell_word("$HOME"), "'$HOME'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        // An option-like name gets `./`, quoted too when it needs to be.
        assert_eq!(shell_word("-x"), "./-x");
        assert_eq!(shell_word("-my app"), "'./-my app'");
        assert_eq!(shell_word("a-b"), "a-b");
    }

    #[test]
    fn a_read_problem_is_said_in_words_for_the_common_cases() {
        use std::io::{Error, ErrorKind};
        // The OS's errors, as a failed open gives them (`Permission denied (os error 13)`).
        let os = |code| read_problem(&Error::from_raw_os_error(code));
        assert_eq!(os(libc::ENOENT), "no such file");
        assert_eq!(os(libc::EISDIR), "it is a folder, not a file");
        assert_eq!(os(libc::ENOTDIR), UNDER_A_FILE);
        assert_eq!(os(libc::EACCES), "permission denied");
        // A not-found with words of its own (a symlink to nothing) keeps them.
        assert_eq!(
            read_problem(&Error::new(ErrorKind::NotFound, "a symlink to nothing")),
            "a symlink to nothing"
        );
        // Anything else is the OS's own words.
        assert_eq!(
            read_problem(&Error::from_raw_os_error(5)),
            Error::from_raw_os_error(5).to_string()
        );
    }

    #[test]
    fn no_room_is_told_apart_from_the_file_size_limit() {
        use std::io::ErrorKind;
        assert!(
            no_room_fix(ErrorKind::StorageFull)
                .unwrap()
                .contains("disk is full")
        );
        assert!(
            no_room_fix(ErrorKind::QuotaExceeded)
                .unwrap()
                .contains("disk is full")
        );
        assert!(
            no_room_fix(ErrorKind::FileTooLarge)
                .unwrap()
                .contains("ulimit -f")
        );
        assert_eq!(no_room_fix(ErrorKind::PermissionDenied), None);
    }

    #[test]
    fn a_stdout_failure_names_the_fix_for_its_kind() {
        use std::io::{Error, ErrorKind};
        let full = stdout_write_failure(&Error::from(ErrorKind::StorageFull));
        assert!(
            full.starts_with("cannot write the output to stdout"),
            "{full}"
        );
        assert!(
            full.ends_with(
                "; free space on that disk, or redirect stdout to a file on another one"
            ),
            "{full}"
        );
        let broken = stdout_write_failure(&Error::from(ErrorKind::BrokenPipe));
        assert!(
            broken.ends_with("; redirect stdout to a file that can be written"),
            "{broken}"
        );
    }
}
