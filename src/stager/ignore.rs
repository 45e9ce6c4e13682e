//! Which app files reach the platform: `cf push` leaves out version-control folders and app
//! manifests, plus whatever the app's `.cfignore` lists, before it uploads. The stager copies the
//! app folder through the same filter, so a staging sees the files a push would send.
//!
//! The filter is the current cf CLI's (v7 and later: `actor/sharedaction/resource.go`, with the
//! `github.com/sabhiram/go-gitignore` its go.mod pins, 362f984), not git's nor the retired v6
//! CLI's, and differs from both:
//! - each `.cfignore` line becomes a regular expression (`pattern`), matched against the path of
//!   every file and folder relative to the app folder, folders without a trailing `/`; only a
//!   leading `/` anchors a line to the app folder (or a `dir/…*.ext` line, which is anchored
//!   as if it had one), any other line matches at any depth (`a/b` also leaves out `x/a/b`);
//! - the CLI walks into every folder, left out or not, and asks about each entry on its own, so
//!   `!node_modules/keep.js` after `node_modules` brings that file back, and a `tmp/` line
//!   leaves out what is inside `tmp` but not `tmp` itself, which is uploaded (empty);
//! - the default lines come after the `.cfignore`'s, so a `!` line cannot bring them back;
//!   `manifest.yml` and `manifest.yaml` are among them and match at any depth;
//! - `*` is any text without `/`, `**` any text, `?` a literal `?`, and what else a regular
//!   expression gives meaning to (`[…]`, `+`, `(…)`, `{n}`, `$`) keeps it. A line that is no
//!   valid expression matches nothing, as Go's `regexp.Compile` failing drops it; the stager
//!   says so ([`Ignore::skipped`]).

use std::path::Path;

use regex::Regex;

use super::error::StageError;

/// What the cf CLI always leaves out (`DefaultIgnoreLines`), after the `.cfignore`'s lines.
const DEFAULTS: &[&str] = &[
    ".cfignore",
    ".DS_Store",
    ".git",
    ".gitignore",
    ".hg",
    ".svn",
    "_darcs",
    "manifest.yaml",
    "manifest.yml",
];

struct Rule {
    regex: Regex,
    negated: bool,
}

/// A `.cfignore` line that is no valid pattern, which the CLI drops without a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based, in the `.cfignore`.
    pub line: usize,
    pub pattern: String,
    /// Why the regular expression the line becomes is not one.
    pub reason: String,
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
    /// The `.cfignore` lines that match nothing because they are no valid pattern.
    pub skipped: Vec<Skipped>,
}

impl Ignore {
    /// `APP/.cfignore`'s lines when there is one, then the default list, as the CLI's
    /// `CompileIgnoreFileAndLines(cfignore, DefaultIgnoreLines…)` orders them.
    pub fn for_app(app_dir: &Path) -> Result<Self, StageError> {
        let cfignore = app_dir.join(".cfignore");
        // Read as bytes, like the cf CLI (Go strings are bytes): a line that is not UTF-8 is a
        // pattern still, matched against names read the same lossy way (see `copy.rs`).
        let text = read_cfignore(&cfignore)?
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        let mut ignore = Ignore {
            rules: Vec::new(),
            skipped: Vec::new(),
        };
        // Split at `\n` alone, as Go's `strings.Split` does (a `\r` is trimmed per line).
        let file_lines = if text.is_empty() {
            Vec::new()
        } else {
            text.split('\n').collect()
        };
        for (index, line) in file_lines.into_iter().enumerate() {
            match Rule::of(line) {
                Ok(Some(rule)) => ignore.rules.push(rule),
                Ok(None) => {}
                Err(reason) => ignore.skipped.push(Skipped {
                    line: index + 1,
                    pattern: line.trim_matches([' ', '\r']).to_string(),
                    reason,
                }),
            }
        }
        for line in DEFAULTS {
            if let Ok(Some(rule)) = Rule::of(line) {
                ignore.rules.push(rule);
            }
        }
        Ok(ignore)
    }

    /// True when the entry at `rel` (relative to the app root, `/`-separated, a folder without
    /// a trailing `/`) is left out: the last line that matches it decides.
    pub fn is_ignored(&self, rel: &str) -> bool {
        let mut ignored = false;
        for rule in &self.rules {
            if rule.regex.is_match(rel) {
                ignored = !rule.negated;
            }
        }
        ignored
    }
}

/// A `.cfignore` line that leaves out exactly the entry at `rel` (relative to the app folder)
/// and what is in it: anchored with `/`, with the characters a regular expression gives
/// meaning to escaped (`.` and `?` need no escape: every line's are literal).
pub fn line_for(rel: &str) -> String {
    let mut line = String::from("/");
    for c in rel.chars() {
        if "\\+()[]{}|^$*".contains(c) {
            line.push('\\');
        }
        line.push(c);
    }
    line
}

impl Rule {
    /// The rule of one line: `None` for a blank line or a comment, `Err` with the reason
    /// for a line whose expression does not compile.
    fn of(line: &str) -> Result<Option<Rule>, String> {
        let Some((expression, negated)) = expression_of(line) else {
            return Ok(None);
        };
        match Regex::new(&for_rust(&expression)) {
            Ok(regex) => Ok(Some(Rule { regex, negated })),
            Err(e) => Err(regex_reason(&e)),
        }
    }
}

/// go-gitignore's `getPatternFromLine`, step by step: the regular expression (Go syntax) a
/// `.cfignore` line stands for, and whether it is negated; `None` for a comment or a blank line.
fn expression_of(line: &str) -> Option<(String, bool)> {
    // `#$~` stands for a `*` the steps below must leave alone.
    const MAGIC_STAR: &str = "#$~";
    let line = line.trim_end_matches('\r');
    // A comment only when `#` is the very first character: ` #x` is the pattern `x` (below).
    if line.starts_with('#') {
        return None;
    }
    let line = line.trim_matches(' ');
    if line.is_empty() {
        return None;
    }
    let (negated, line) = match line.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    // One `#` or `!` is dropped from the start (meant for `\#`, which it does not handle).
    let line = line.strip_prefix(['#', '!']).unwrap_or(line);
    // `foo/*.blah`: anchored, as if it began with `/`.
    let mut line = if !line.starts_with('/') && folder_then_star_dot(line) {
        format!("/{line}")
    } else {
        line.to_string()
    };
    line = line.replace('.', r"\.");
    if line.starts_with("/**/") {
        line.remove(0);
    }
    line = line.replace("/**/", "(/|/.+/)");
    line = line.replace("**/", &format!("(|.{MAGIC_STAR}/)"));
    line = line.replace("/**", &format!("(|/.{MAGIC_STAR})"));
    line = line.replace(r"\*", &format!(r"\{MAGIC_STAR}"));
    line = line.replace('*', "([^/]*)");
    line = line.replace('?', r"\?");
    line = line.replace(MAGIC_STAR, "*");
    let expression = if line.ends_with('/') {
        format!("{line}(|.*)$")
    } else {
        format!("{line}(|/.*)$")
    };
    let expression = match expression.strip_prefix('/') {
        Some(rest) => format!("^(|/){rest}"),
        None => format!("^(|.*/){expression}"),
    };
    Some((expression, negated))
}

/// go-gitignore's test `([^/+])/.*\*\.`: a character other than `/` or `+`, a `/`, then `*.`
/// somewhere after it.
fn folder_then_star_dot(line: &str) -> bool {
    line.char_indices().any(|(i, c)| {
        c == '/'
            && line[..i]
                .chars()
                .next_back()
                .is_some_and(|b| b != '/' && b != '+')
            && line[i + 1..].contains("*.")
    })
}

/// A Go regular expression as Rust's `regex` reads it the same way. The two agree on what
/// these expressions use, but for two cases: Go reads `\<` (any escaped punctuation) as the
/// character, where Rust reads `\<` and `\>` as word boundaries, and Go reads a `{` that
/// starts no repetition (`{a,b}`) as the character, which Rust refuses.
fn for_rust(go: &str) -> String {
    let mut out = String::with_capacity(go.len());
    let mut chars = go.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, next)) if next.is_ascii_punctuation() => {
                    out.push_str(&regex::escape(&next.to_string()));
                }
                Some((_, next)) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '{' if !starts_repetition(&go[i..]) => out.push_str(r"\{"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `text` (starting at a `{`) is a repetition Go reads as one: `{n}`, `{n,}` or
/// `{n,m}`.
fn starts_repetition(text: &str) -> bool {
    let Some(end) = text.find('}') else {
        return false;
    };
    let inner = &text[1..end];
    let (min, max) = inner.split_once(',').unwrap_or((inner, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(min) && (max.is_empty() || digits(max))
}

/// The reason in a `regex` error, on one line: its last line, without `error: `.
fn regex_reason(error: &regex::Error) -> String {
    let text = error.to_string();
    let last = text.lines().last().unwrap_or(&text);
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore_with(cfignore: &str) -> Ignore {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".cfignore"), cfignore).unwrap();
        Ignore::for_app(dir.path()).unwrap()
    }

    /// The CLI's defaults match at any depth, `manifest.yml` and `manifest.yaml` included (the
    /// retired v6 CLI anchored `/manifest.yml`, which this followed: a nested manifest was
    /// uploaded).
    #[test]
    fn defaults_leave_out_vcs_and_manifests_at_any_depth() {
        let ignore = ignore_with("");
        assert!(ignore.is_ignored(".git"));
        assert!(ignore.is_ignored(".git/HEAD"));
        assert!(ignore.is_ignored("sub/.svn"));
        assert!(ignore.is_ignored("manifest.yml"));
        assert!(ignore.is_ignored("config/manifest.yml"));
        assert!(ignore.is_ignored("level1/manifest.yaml"));
        assert!(ignore.is_ignored(".cfignore"));
        assert!(!ignore.is_ignored("app.py"));
        assert!(!ignore.is_ignored("my-manifest.yml"));
        // After the app's lines, so no `!` brings them back.
        let ignore = ignore_with("!manifest.yml\n!.gitignore\n");
        assert!(ignore.is_ignored("manifest.yml"));
        assert!(ignore.is_ignored(".gitignore"));
    }

    /// A line whose expression does not compile matches nothing, as the CLI drops it; it is
    /// kept with its line number and the reason, for the staging to say.
    #[test]
    fn an_invalid_pattern_is_skipped_with_its_line() {
        let ignore = ignore_with("*.log\nlogs/[\n  {a,b}  \n");
        assert!(ignore.is_ignored("a.log"));
        assert!(!ignore.is_ignored("logs/[x"));
        assert_eq!(
            ignore.skipped,
            [Skipped {
                line: 2,
                pattern: "logs/[".into(),
                reason: "unclosed character class".into(),
            }]
        );
        // A `{` that starts no repetition is the character, as Go reads it.
        assert!(ignore.is_ignored("{a,b}"));
    }

    #[test]
    fn a_cfignore_that_is_not_utf8_still_applies() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".cfignore"), b"*.log\ncaf\xe9\n").unwrap();
        let ignore = Ignore::for_app(dir.path()).unwrap();
        assert!(ignore.is_ignored("a.log"));
        assert!(ignore.is_ignored(&String::from_utf8_lossy(b"caf\xe9")));
        assert!(!ignore.is_ignored("cafe"));
    }

    /// No `.cfignore` is the default list alone; one that cannot be read as a file of
    /// patterns stops the staging, each saying what is there instead.
    #[test]
    fn a_cfignore_that_is_no_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let ignore = Ignore::for_app(dir.path()).unwrap();
        assert_eq!(ignore.rules.len(), DEFAULTS.len());
        assert!(ignore.is_ignored(".git"));

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

    /// go-gitignore's reading of the lines, as the CLI matches them against each path.
    #[test]
    fn lines_read_as_the_cli_reads_them() {
        let ignore = ignore_with(
            "# comment\n*.log\n!keep.log\n/tmp/\nnode_modules\ndocs/**/*.md\nsrc/gen\n",
        );
        assert!(ignore.is_ignored("a.log"));
        assert!(ignore.is_ignored("deep/b.log"));
        assert!(!ignore.is_ignored("keep.log"));
        // `dir/` leaves out what is inside, not the folder itself (or a file of that name).
        assert!(!ignore.is_ignored("tmp"));
        assert!(ignore.is_ignored("tmp/t"));
        assert!(!ignore.is_ignored("src/tmp/t"), "anchored by its leading /");
        assert!(ignore.is_ignored("web/node_modules"));
        assert!(ignore.is_ignored("web/node_modules/x/y.js"));
        // `dir/…*.ext` is anchored as if it began with `/`; `**/` is any folders.
        assert!(ignore.is_ignored("docs/a/b/c.md"));
        assert!(ignore.is_ignored("docs/c.md"));
        assert!(!ignore.is_ignored("x/docs/c.md"));
        assert!(!ignore.is_ignored("docs/a/b/c.txt"));
        // Another line with a `/` is not anchored: it matches at any depth.
        assert!(ignore.is_ignored("src/gen"));
        assert!(ignore.is_ignored("lib/src/gen/x"));
        // A comment is no pattern, even for a file named like it; a line that starts with a
        // space, or `\#`, is none: the first `#` is dropped (` #x` is `x`), and `\#x` keeps its
        // backslash, which escapes the `#`.
        assert!(!ignore.is_ignored("# comment"));
        assert!(ignore_with(" #x\n").is_ignored("x"));
        assert!(ignore_with("\\#x\n").is_ignored("#x"));
        // `?` is a literal `?`; `*` stops at `/`, `**` does not.
        let ignore = ignore_with("a?c\n/top/*\n/all/**\n");
        assert!(ignore.is_ignored("a?c"));
        assert!(!ignore.is_ignored("abc"));
        assert!(ignore.is_ignored("top/x"));
        assert!(
            ignore.is_ignored("top/x/y"),
            "what is inside a matched folder"
        );
        assert!(ignore.is_ignored("all/x/y"));
        // Spaces around a line are trimmed; `\r` at its end too.
        assert!(ignore_with("  spaced.txt  \r\n").is_ignored("spaced.txt"));
    }

    /// `node_modules` then `!node_modules/keep.js`: the folder is left out, the file is not,
    /// since the CLI asks about every entry of a left-out folder too.
    #[test]
    fn a_negation_brings_back_a_file_of_a_left_out_folder() {
        let ignore = ignore_with("node_modules\n!node_modules/keep.js\n");
        assert!(ignore.is_ignored("node_modules"));
        assert!(ignore.is_ignored("node_modules/drop.js"));
        assert!(!ignore.is_ignored("node_modules/keep.js"));
        assert!(!ignore.is_ignored("web/node_modules/keep.js"));
    }

    /// The line offered for an entry leaves out that entry and what is in it, whatever
    /// characters its name holds, and nothing else.
    #[test]
    fn the_line_for_an_entry_matches_it_alone() {
        for (rel, others) in [
            ("secret", &["x/secret", "secrets"][..]),
            ("a locked", &["a_locked"][..]),
            ("a.b+c(1)[x]{2}|^$*?", &["aXb+c(1)[x]{2}|^$*?", "a.bbc"][..]),
            ("dir/file.txt", &["dir/fileXtxt", "x/dir/file.txt"][..]),
        ] {
            let line = line_for(rel);
            let ignore = ignore_with(&format!("{line}\n"));
            assert!(ignore.skipped.is_empty(), "{line}: {:?}", ignore.skipped);
            assert!(ignore.is_ignored(rel), "{line} leaves out {rel}");
            assert!(ignore.is_ignored(&format!("{rel}/inside")), "{line}");
            for other in others {
                assert!(!ignore.is_ignored(other), "{line} leaves out {other}");
            }
        }
        assert_eq!(line_for("a locked"), "/a locked");
    }
}
