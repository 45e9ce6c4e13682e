//! Which app files reach the platform: `cf push` leaves out version-control folders and the
//! app manifest, plus whatever the app's `.cfignore` lists (gitignore syntax), before it
//! uploads. The stager copies the app folder through the same filter, so a staging sees the
//! files a push would send.
//!
//! The syntax handled is the gitignore subset `.cfignore` files use: comments, blank lines,
//! `!` negation (last matching pattern wins), a trailing `/` for folders only, a leading or
//! inner `/` anchoring the pattern to the app root, `*`, `?`, `[…]` and `**`.

use std::path::Path;

use globset::{GlobBuilder, GlobMatcher};

use super::error::StageError;

/// What the cf CLI always leaves out (its default ignore list).
const DEFAULTS: &[&str] = &[
    ".cfignore",
    "/manifest.yml",
    ".gitignore",
    ".git",
    ".hg",
    ".svn",
    "_darcs",
    ".DS_Store",
];

struct Rule {
    matcher: GlobMatcher,
    negated: bool,
    dirs_only: bool,
}

/// The most of a `.cfignore` read: real ones are a few hundred bytes.
const CFIGNORE_LIMIT: u64 = 1 << 20;

/// The bytes of the app's `.cfignore`, `None` when there is none. It is the app's file, and
/// may be anything: a fifo is opened without waiting for a writer that never comes (the
/// staging could not even be stopped with Ctrl-C), and what was opened is checked to be a
/// regular file before a byte is read; a device such as `/dev/zero` (through a link) or a
/// file over [`CFIGNORE_LIMIT`] is refused rather than read into memory without end.
fn read_cfignore(cfignore: &Path) -> Result<Option<Vec<u8>>, StageError> {
    use std::io::ErrorKind;
    let refuse = |what: String| StageError::UnreadableCfignore {
        cfignore: cfignore.to_path_buf(),
        what,
    };
    match crate::regular_file::read_limited(cfignore, CFIGNORE_LIMIT) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == ErrorKind::FileTooLarge => Err(refuse(
            "it is larger than 1 MiB, which no list of patterns is".into(),
        )),
        // Not a regular file: `it is a fifo, not a file`.
        Err(e) if matches!(e.kind(), ErrorKind::IsADirectory | ErrorKind::InvalidInput) => {
            Err(refuse(e.to_string()))
        }
        // A link that leads back to itself (`.cfignore -> .cfignore`), which the bare
        // `Too many levels of symbolic links (os error 40)` left unexplained.
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Err(refuse(
            "it is a symbolic link that leads back to itself, so there is no file to read".into(),
        )),
        // A link through a file (`.cfignore -> notes.txt/x`), which the bare `Not a directory
        // (os error 20)` left unexplained.
        Err(e) if e.kind() == ErrorKind::NotADirectory => Err(refuse(
            "it is a symbolic link to a path that goes through a file (part of it is a file, not a folder), so there is no file to read".into(),
        )),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => Err(refuse(
            "this user cannot read it (Permission denied), and `cf push` reads it too".into(),
        )),
        Err(e) => Err(StageError::access("read", cfignore, e)),
    }
}

/// The upload filter of one app folder.
pub struct Ignore {
    rules: Vec<Rule>,
}

impl Ignore {
    /// The default list plus `APP/.cfignore` when there is one.
    pub fn for_app(app_dir: &Path) -> Result<Self, StageError> {
        let mut lines: Vec<String> = DEFAULTS.iter().map(|s| (*s).to_string()).collect();
        let cfignore = app_dir.join(".cfignore");
        // Read as bytes, like the cf CLI (Go strings are bytes): a line that is not UTF-8 is a
        // pattern still, matched against names read the same lossy way (see `copy.rs`), where
        // refusing the whole file stopped staging.
        if let Some(bytes) = read_cfignore(&cfignore)? {
            lines.extend(String::from_utf8_lossy(&bytes).lines().map(str::to_string));
        }
        let mut rules = Vec::new();
        for (number, line) in lines.iter().enumerate() {
            if let Some(rule) = parse(line).map_err(|error| StageError::InvalidCfignorePattern {
                cfignore: cfignore.clone(),
                line: (number + 1).saturating_sub(DEFAULTS.len()),
                pattern: line.trim().to_string(),
                error,
            })? {
                rules.push(rule);
            }
        }
        Ok(Ignore { rules })
    }

    /// True when the entry at `rel` (relative to the app root, `/`-separated) is left out.
    pub fn is_ignored(&self, rel: &str, is_dir: bool) -> bool {
        let mut ignored = false;
        for rule in &self.rules {
            if rule.dirs_only && !is_dir {
                continue;
            }
            if rule.matcher.is_match(rel) {
                ignored = !rule.negated;
            }
        }
        ignored
    }
}

fn parse(line: &str) -> Result<Option<Rule>, globset::Error> {
    let line = line.trim_end();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let (negated, pattern) = match line.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix('\\').unwrap_or(line)),
    };
    let (dirs_only, pattern) = match pattern.strip_suffix('/') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    if pattern.is_empty() {
        return Ok(None);
    }
    // A slash anywhere but at the end anchors the pattern to the root; otherwise it matches a
    // name at any depth.
    let glob = if let Some(anchored) = pattern.strip_prefix('/') {
        anchored.to_string()
    } else if pattern.contains('/') {
        pattern.to_string()
    } else {
        format!("**/{pattern}")
    };
    let matcher = GlobBuilder::new(&glob)
        .literal_separator(true)
        .backslash_escape(true)
        .build()?
        .compile_matcher();
    Ok(Some(Rule {
        matcher,
        negated,
        dirs_only,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore_with(cfignore: &str) -> Ignore {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".cfignore"), cfignore).unwrap();
        Ignore::for_app(dir.path()).unwrap()
    }

    #[test]
    fn defaults_leave_out_vcs_and_the_root_manifest() {
        let ignore = ignore_with("");
        assert!(ignore.is_ignored(".git", true));
        assert!(ignore.is_ignored("sub/.svn", true));
        assert!(ignore.is_ignored("manifest.yml", false));
        assert!(!ignore.is_ignored("config/manifest.yml", false));
        assert!(ignore.is_ignored(".cfignore", false));
        assert!(!ignore.is_ignored("app.py", false));
    }

    #[test]
    fn an_invalid_pattern_is_named_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let cfignore = dir.path().join(".cfignore");
        std::fs::write(&cfignore, "*.log\nlogs/[\n").unwrap();
        let Err(e) = Ignore::for_app(dir.path()) else {
            panic!("logs/[ was accepted");
        };
        assert_eq!(
            crate::output::error_chain(&e),
            format!(
                "{}: line 2: `logs/[` is not a valid pattern (unclosed character class; missing ']'); fix or remove it",
                cfignore.display()
            )
        );
    }

    #[test]
    fn a_cfignore_that_is_not_utf8_still_applies() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".cfignore"), b"*.log\ncaf\xe9\n").unwrap();
        let ignore = Ignore::for_app(dir.path()).unwrap();
        assert!(ignore.is_ignored("a.log", false));
        assert!(ignore.is_ignored(&String::from_utf8_lossy(b"caf\xe9"), false));
        assert!(!ignore.is_ignored("cafe", false));
    }

    /// No `.cfignore` is the default list alone; one that cannot be read as a file of
    /// patterns stops the staging, each saying what is there instead.
    #[test]
    fn a_cfignore_that_is_no_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let ignore = Ignore::for_app(dir.path()).unwrap();
        assert_eq!(ignore.rules.len(), DEFAULTS.len());
        assert!(ignore.is_ignored(".git", true));

        let cfignore = dir.path().join(".cfignore");
        let refused = || match Ignore::for_app(dir.path()) {
            Err(e) => crate::output::error_chain(&e),
            Ok(_) => panic!("{} was read", cfignore.display()),
        };
        let unreadable = |what: &str| {
            format!(
                "{}: {what}; .cfignore is a file of patterns (gitignore syntax): replace it with one, or remove it",
                cfignore.display()
            )
        };
        std::fs::create_dir(&cfignore).unwrap();
        assert_eq!(refused(), unreadable("it is a folder, not a file"));
        std::fs::remove_dir(&cfignore).unwrap();

        let made = std::process::Command::new("mkfifo")
            .arg(&cfignore)
            .status()
            .unwrap();
        assert!(made.success());
        assert_eq!(refused(), unreadable("it is a fifo, not a file"));
        std::fs::remove_file(&cfignore).unwrap();

        std::fs::File::create(&cfignore)
            .unwrap()
            .set_len(CFIGNORE_LIMIT + 1)
            .unwrap();
        assert_eq!(
            refused(),
            unreadable("it is larger than 1 MiB, which no list of patterns is")
        );
        std::fs::remove_file(&cfignore).unwrap();

        std::os::unix::fs::symlink(".cfignore", &cfignore).unwrap();
        assert_eq!(
            refused(),
            unreadable(
                "it is a symbolic link that leads back to itself, so there is no file to read"
            )
        );
        std::fs::remove_file(&cfignore).unwrap();

        // A link through a file (ENOTDIR) is said as one.
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        std::os::unix::fs::symlink("notes.txt/x", &cfignore).unwrap();
        assert_eq!(
            refused(),
            unreadable(
                "it is a symbolic link to a path that goes through a file (part of it is a file, not a folder), so there is no file to read"
            )
        );
    }

    #[test]
    fn gitignore_rules() {
        let ignore =
            ignore_with("# comment\n*.log\n!keep.log\n/tmp/\nnode_modules\ndocs/**/*.md\n");
        assert!(ignore.is_ignored("a.log", false));
        assert!(ignore.is_ignored("deep/b.log", false));
        assert!(!ignore.is_ignored("keep.log", false));
        assert!(ignore.is_ignored("tmp", true));
        assert!(!ignore.is_ignored("tmp", false));
        assert!(!ignore.is_ignored("src/tmp", true));
        assert!(ignore.is_ignored("web/node_modules", true));
        assert!(ignore.is_ignored("docs/a/b/c.md", false));
        assert!(!ignore.is_ignored("docs/a/b/c.txt", false));
        // A comment is no pattern, even for a file named like it; `\#` is one.
        assert!(!ignore.is_ignored("# comment", false));
        assert!(ignore_with("\\# comment\n").is_ignored("# comment", false));
    }
}
