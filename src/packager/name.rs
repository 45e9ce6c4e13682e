//! The zip's file name (packager.md, "Name"):
//! `<language>_buildpack[-cached][-<profile>[+custom]|-custom][-<stack>]-v<version>.zip`.
//!
//! Pipelines find the zip by this name (and `cf create-buildpack` users by habit), so it is
//! exactly the Go packager's for the cases it knows (cached/uncached × stack/any stack), and the
//! libbuildpack packaging-profiles proposal's for profiles.

/// What the name is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipName<'a> {
    pub language: &'a str,
    pub cached: bool,
    /// `--profile`.
    pub profile: Option<&'a str>,
    /// `--exclude` was given, or an `--include` restored something a profile excludes.
    pub custom: bool,
    /// `None` for any stack.
    pub stack: Option<&'a str>,
    pub version: &'a str,
}

impl ZipName<'_> {
    /// The file name, without a folder.
    pub fn file_name(&self) -> String {
        let mut name = format!("{}_buildpack", self.language);
        if self.cached {
            name.push_str("-cached");
        }
        match (self.profile, self.custom) {
            (Some(profile), custom) => {
                name.push('-');
                name.push_str(profile);
                if custom {
                    name.push_str("+custom");
                }
            }
            (None, true) => name.push_str("-custom"),
            (None, false) => {}
        }
        if let Some(stack) = self.stack {
            name.push('-');
            name.push_str(stack);
        }
        name.push_str("-v");
        name.push_str(self.version);
        name.push_str(".zip");
        name
    }
}

/// Why a name part (`language`, a stack) cannot be part of the zip's file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NamePartProblem {
    /// An empty part would leave a name that no longer says what it holds
    /// (`ruby_buildpack--v1.0.0.zip`), which is what the Ruby gem wrote for `--stack=`.
    #[error("it is empty")]
    Empty,
    /// A character that would change the folder the zip is written to (`/`, `\\`) or that
    /// shells and pipelines split on or cannot show (whitespace, control characters), or a
    /// quote: the official buildpacks' `scripts/package.sh` takes the zip's path from the
    /// success line through `xargs -n1`, which stops at an unmatched `'` or `"` ("unmatched
    /// single quote"), so the zip was written and the script found none.
    #[error("it contains `{}`", shown(*.0))]
    Unsafe(char),
    /// Longer than [`MAX_NAME_PART_BYTES`]: no zip's name can hold it.
    #[error(
        "it is {0} bytes long, and the zip's file name, `_buildpack-v<version>.zip` and all, holds at most {MAX_FILE_NAME_BYTES} bytes"
    )]
    TooLong(usize),
}

/// `c` as a message shows it: escaped when it cannot be seen (`\u{1b}`), as it is otherwise
/// (a quote, which `escape_debug` gives a `\` it does not have).
fn shown(c: char) -> String {
    match c {
        '\'' | '"' => c.to_string(),
        c => c.escape_debug().to_string(),
    }
}

/// The longest name part any zip's name can hold: the shortest name around it is
/// `_buildpack-v1.zip` (17 bytes).
pub const MAX_NAME_PART_BYTES: usize = MAX_FILE_NAME_BYTES - "_buildpack-v1.zip".len();

/// Why a name part (`language`, a stack) cannot be part of the zip's file name, if it cannot.
/// `bpkit validate` uses this rule too, so a manifest it calls valid also packages.
pub fn name_part_problem(part: &str) -> Option<NamePartProblem> {
    if part.is_empty() {
        return Some(NamePartProblem::Empty);
    }
    if part.len() > MAX_NAME_PART_BYTES {
        return Some(NamePartProblem::TooLong(part.len()));
    }
    part.chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\' | '\'' | '"'))
        .map(NamePartProblem::Unsafe)
}

/// The most bytes a file name holds (NAME_MAX on Linux file systems): a longer zip name cannot
/// be created.
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// The longest version the zip's name holds: file systems refuse names over 255 bytes, and a
/// version is far shorter than what is left of that for the other parts.
pub const MAX_VERSION_CHARS: usize = 100;

/// Why a version (VERSION or `--version`) cannot be part of the zip's file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionProblem {
    #[error("the version is empty")]
    Empty,
    #[error(
        "the version is {0} characters long, more than the {MAX_VERSION_CHARS} a zip's file name allows"
    )]
    TooLong(usize),
    #[error(
        "the version `{}` contains `{}`, and only letters, digits, `.`, `-`, `+`, `_` and `~` are safe in the zip's file name",
        .version.escape_debug(),
        .bad.escape_debug()
    )]
    Unsafe { version: String, bad: char },
    /// Only punctuation (`..`, `-`, `~`): safe characters, but a name such as
    /// `ruby_buildpack-v...zip` says nothing about what it holds, and `.`/`..` were read as
    /// folders by the scripts that take the version back out of the name.
    #[error("the version `{0}` has no letter or digit")]
    NoLetterOrDigit(String),
}

/// Check a version for the zip's name: stricter than [`name_part_problem`], as a version is free text
/// written by hand (and read from a file that may hold anything), while every real one is made
/// of letters, digits and `.-+_~` (semver, `8u452`, `1.2.3~rc1`), with a letter or digit in it.
pub fn version_problem(version: &str) -> Option<VersionProblem> {
    let length = version.chars().count();
    if length == 0 {
        return Some(VersionProblem::Empty);
    }
    if length > MAX_VERSION_CHARS {
        return Some(VersionProblem::TooLong(length));
    }
    let bad = version
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_' | '~')));
    if let Some(bad) = bad {
        return Some(VersionProblem::Unsafe {
            version: version.to_string(),
            bad,
        });
    }
    if !version.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Some(VersionProblem::NoLetterOrDigit(version.to_string()));
    }
    None
}

/// True for a file name this packager (or the Go and Ruby ones) could have written, so that
/// earlier zips lying in the buildpack folder are not packaged into the next one.
pub fn looks_like_output(file_name: &str) -> bool {
    file_name
        .strip_suffix(".zip")
        .and_then(|stem| stem.split_once("_buildpack"))
        .is_some_and(|(language, rest)| {
            !language.is_empty() && (rest.starts_with("-v") || rest.contains("-v"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(cached: bool, profile: Option<&str>, custom: bool, stack: Option<&str>) -> String {
        ZipName {
            language: "ruby",
            cached,
            profile,
            custom,
            stack,
            version: "1.2.3",
        }
        .file_name()
    }

    #[test]
    fn go_packager_names() {
        assert_eq!(name(false, None, false, None), "ruby_buildpack-v1.2.3.zip");
        assert_eq!(
            name(true, None, false, None),
            "ruby_buildpack-cached-v1.2.3.zip"
        );
        assert_eq!(
            name(false, None, false, Some("cflinuxfs4")),
            "ruby_buildpack-cflinuxfs4-v1.2.3.zip"
        );
        assert_eq!(
            name(true, None, false, Some("cflinuxfs4")),
            "ruby_buildpack-cached-cflinuxfs4-v1.2.3.zip"
        );
    }

    #[test]
    fn profile_and_custom_names() {
        assert_eq!(
            name(true, Some("minimal"), false, Some("cflinuxfs4")),
            "ruby_buildpack-cached-minimal-cflinuxfs4-v1.2.3.zip"
        );
        assert_eq!(
            name(true, Some("minimal"), true, Some("cflinuxfs4")),
            "ruby_buildpack-cached-minimal+custom-cflinuxfs4-v1.2.3.zip"
        );
        assert_eq!(
            name(true, None, true, None),
            "ruby_buildpack-cached-custom-v1.2.3.zip"
        );
        assert_eq!(
            name(false, Some("minimal"), false, None),
            "ruby_buildpack-minimal-v1.2.3.zip"
        );
    }

    #[test]
    fn version_rules() {
        assert_eq!(version_problem("1.2.3-rc.1+build_7~x"), None);
        assert_eq!(version_problem(""), Some(VersionProblem::Empty));
        assert_eq!(
            version_problem(&"1".repeat(101)),
            Some(VersionProblem::TooLong(101))
        );
        assert_eq!(version_problem(&"1".repeat(100)), None);
        assert_eq!(version_problem("1"), None);
        assert_eq!(version_problem("a"), None);
        for punctuation in [".", "..", "...", "-", "~", "_+"] {
            assert_eq!(
                version_problem(punctuation),
                Some(VersionProblem::NoLetterOrDigit(punctuation.into())),
                "{punctuation}"
            );
        }
        assert_eq!(
            version_problem("1.0\n2").unwrap().to_string(),
            "the version `1.0\\n2` contains `\\n`, and only letters, digits, `.`, `-`, `+`, `_` and `~` are safe in the zip's file name"
        );
    }

    #[test]
    fn name_part_rules() {
        assert_eq!(name_part_problem("ruby"), None);
        assert_eq!(name_part_problem("dotnet-core"), None);
        assert_eq!(
            name_part_problem("../evil"),
            Some(NamePartProblem::Unsafe('/'))
        );
        assert_eq!(name_part_problem("a b"), Some(NamePartProblem::Unsafe(' ')));
        // `xargs -n1` in the official package.sh stops at a quote.
        assert_eq!(
            name_part_problem("it's"),
            Some(NamePartProblem::Unsafe('\''))
        );
        assert_eq!(
            name_part_problem("a\"b"),
            Some(NamePartProblem::Unsafe('"'))
        );
        assert_eq!(NamePartProblem::Unsafe('"').to_string(), "it contains `\"`");
        assert_eq!(NamePartProblem::Unsafe('\'').to_string(), "it contains `'`");
        // An empty stack (the Ruby gem's `--stack=`) is said to be empty, not to hold a space.
        assert_eq!(name_part_problem(""), Some(NamePartProblem::Empty));
        assert_eq!(
            NamePartProblem::Unsafe('\x1b').to_string(),
            "it contains `\\u{1b}`"
        );
    }

    #[test]
    fn recognises_earlier_outputs() {
        assert!(looks_like_output("ruby_buildpack-v1.2.3.zip"));
        assert!(looks_like_output(
            "ruby_buildpack-cached-minimal+custom-cflinuxfs4-v1.0.0.zip"
        ));
        assert!(looks_like_output("binary_buildpack-offline-v1.0.0.zip"));
        assert!(!looks_like_output("fixture.zip"));
        assert!(!looks_like_output("_buildpack-v1.zip"));
        assert!(!looks_like_output("ruby_buildpack-v1.2.3.tgz"));
    }
}
