//! `bin/detect BUILD_DIR`: evaluate the manifest's `detect:` rules against the app. It runs for
//! every buildpack in the platform's list on every push, so it does the least work it can: no
//! network, no validation beyond its own keys, a plain path is one `stat`, and only a glob
//! walks the app's tree (no deeper than the glob can match).

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher};
use regex::Regex;

use crate::manifest::DetectRule;

/// Detect reads at most this much of a file for `contains` (a lock file can be large; the
/// markers detect looks for are near the top, and detect must stay fast).
const CONTAINS_LIMIT: u64 = super::files::APP_TEXT_LIMIT;

/// Why the rules could not be evaluated (a broken buildpack, not a non-matching app).
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error(
        "manifest.yml {key_path}: `{pattern}` is not a valid path or glob ({reason}); fix the rule"
    )]
    BadGlob {
        key_path: String,
        pattern: String,
        reason: String,
    },
    #[error(
        "manifest.yml {key_path}: `{pattern}` is not a valid regular expression ({reason}); fix the rule"
    )]
    BadRegex {
        key_path: String,
        pattern: String,
        reason: String,
    },
}

/// Whether `rule` holds for the app in `app_dir`. `key_path` names the rule in messages.
pub fn matches(rule: &DetectRule, app_dir: &Path, key_path: &str) -> Result<bool, DetectError> {
    evaluate(rule, app_dir, key_path, None)
}

/// Why `rule` does or does not hold for the app: one line per rule looked at, in the order
/// detect looks at them (`detect.any_of[0].file: no \`Gemfile\` in the app`). For `BP_DEBUG`
/// (or `-v`) after a detect that matched nothing, so the fast path never builds the text.
pub fn explain(
    rule: &DetectRule,
    app_dir: &Path,
    key_path: &str,
) -> Result<Vec<String>, DetectError> {
    let mut trace = Vec::new();
    evaluate(rule, app_dir, key_path, Some(&mut trace))?;
    Ok(trace)
}

fn evaluate(
    rule: &DetectRule,
    app_dir: &Path,
    key_path: &str,
    mut trace: Option<&mut Vec<String>>,
) -> Result<bool, DetectError> {
    match rule {
        DetectRule::File { pattern, contains } => {
            let regex = contains
                .as_deref()
                .map(|text| {
                    Regex::new(text).map_err(|e| DetectError::BadRegex {
                        key_path: format!("{key_path}.contains"),
                        pattern: text.to_string(),
                        reason: crate::manifest::validate::regex_reason(&e),
                    })
                })
                .transpose()?;
            let key_path = format!("{key_path}.file");
            let finding = file_rule(pattern, regex.as_ref(), app_dir, &key_path)?;
            if let Some(trace) = trace {
                let why = finding.describe(pattern, regex.as_ref());
                trace.push(format!("{key_path}: {why}"));
            }
            Ok(finding.holds())
        }
        DetectRule::AnyOf(rules) => {
            for (i, inner) in rules.iter().enumerate() {
                let path = format!("{key_path}.any_of[{i}]");
                if evaluate(inner, app_dir, &path, trace.as_deref_mut())? {
                    return Ok(true);
                }
            }
            if rules.is_empty()
                && let Some(trace) = trace
            {
                trace.push(format!("{key_path}.any_of: no rules, so it matches no app"));
            }
            Ok(false)
        }
        DetectRule::AllOf(rules) => {
            for (i, inner) in rules.iter().enumerate() {
                let path = format!("{key_path}.all_of[{i}]");
                if !evaluate(inner, app_dir, &path, trace.as_deref_mut())? {
                    return Ok(false);
                }
            }
            if rules.is_empty()
                && let Some(trace) = trace
            {
                trace.push(format!("{key_path}.all_of: no rules, so it matches no app"));
            }
            Ok(!rules.is_empty())
        }
    }
}

/// What a file rule found: whether it holds follows from it, and the words only when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finding {
    /// The plain path is there (and its text matches, with `contains`).
    Found,
    /// No such plain path.
    Missing,
    /// The plain path is there, but its text does not match.
    NoMatchInFile,
    /// Some file matching the glob is there (and its text matches, with `contains`).
    GlobFound,
    /// No file matching the glob (whose text matches, with `contains`).
    GlobMissing,
}

impl Finding {
    fn holds(self) -> bool {
        matches!(self, Finding::Found | Finding::GlobFound)
    }

    fn describe(self, pattern: &str, contains: Option<&Regex>) -> String {
        let pattern = pattern.trim_start_matches("./");
        match (self, contains) {
            (Finding::Found, None) => format!("`{pattern}` is in the app"),
            (Finding::Found, Some(regex)) => {
                format!("`{pattern}` contains a match for `{regex}`")
            }
            (Finding::Missing, _) => format!("no `{pattern}` in the app"),
            (Finding::NoMatchInFile, regex) => format!(
                "`{pattern}` is in the app but has no match for `{}`",
                regex.map(Regex::as_str).unwrap_or_default()
            ),
            (Finding::GlobFound, None) => format!("a file in the app matches `{pattern}`"),
            (Finding::GlobFound, Some(regex)) => {
                format!("a file matching `{pattern}` contains a match for `{regex}`")
            }
            (Finding::GlobMissing, None) => format!("no file in the app matches `{pattern}`"),
            (Finding::GlobMissing, Some(regex)) => {
                format!("no file matching `{pattern}` has a match for `{regex}`")
            }
        }
    }
}

fn file_rule(
    pattern: &str,
    contains: Option<&Regex>,
    app_dir: &Path,
    key_path: &str,
) -> Result<Finding, DetectError> {
    let pattern = pattern.trim_start_matches("./");
    if !is_glob(pattern) {
        let path = app_dir.join(pattern);
        return Ok(match contains {
            None if path.exists() => Finding::Found,
            Some(regex) if text_matches(&path, regex) => Finding::Found,
            Some(_) if path.exists() => Finding::NoMatchInFile,
            _ => Finding::Missing,
        });
    }
    let glob = GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| DetectError::BadGlob {
            key_path: key_path.to_string(),
            pattern: pattern.to_string(),
            reason: e.kind().to_string(),
        })?;
    let walk = Walk::new(&glob);
    let matched = walk.any(app_dir, &mut |relative, absolute| {
        walk.matcher.is_match(relative)
            && contains.is_none_or(|regex| text_matches(absolute, regex))
    });
    Ok(if matched {
        Finding::GlobFound
    } else {
        Finding::GlobMissing
    })
}

fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '[', '{'])
}

/// True when the start of the file's text matches `regex`; an unreadable file, a folder or
/// anything else that is not a regular file (a fifo) does not match.
fn text_matches(path: &Path, regex: &Regex) -> bool {
    let Some(file) = super::files::open_regular_file(path) else {
        return false;
    };
    let mut bytes = Vec::new();
    if file.take(CONTAINS_LIMIT).read_to_end(&mut bytes).is_err() {
        return false;
    }
    regex.is_match(&super::files::app_text(&bytes))
}

/// A bounded walk for one glob: it starts at the glob's literal leading folders and goes no
/// deeper than its number of components, unless it has `**`. Symbolic links to folders are not
/// followed (no loops, nothing outside the app), but for the leading folders, followed only
/// where they stay inside the app.
struct Walk {
    matcher: GlobMatcher,
    start: PathBuf,
    max_depth: Option<usize>,
}

impl Walk {
    fn new(glob: &Glob) -> Walk {
        let pattern = glob.glob();
        let components: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
        let literal: Vec<&str> = components
            .iter()
            .take_while(|c| !is_glob(c))
            .copied()
            .collect();
        let mut start = PathBuf::new();
        for c in &literal {
            start.push(c);
        }
        let max_depth = (!pattern.contains("**")).then_some(components.len());
        Walk {
            matcher: glob.compile_matcher(),
            start,
            max_depth,
        }
    }

    /// Calls `found(relative, absolute)` for each entry under the start folder, depth-first,
    /// stopping at the first `true`.
    fn any(&self, app_dir: &Path, found: &mut dyn FnMut(&Path, &Path) -> bool) -> bool {
        // The literal leading folders are opened by path, so a link among them is followed:
        // only where it stays inside the app (an app's `src -> /` would have the walk go
        // through the whole filesystem, on every push, and `contains` read files there).
        if self.start.components().next().is_some() {
            let inside = fs::canonicalize(app_dir.join(&self.start))
                .ok()
                .zip(fs::canonicalize(app_dir).ok())
                .is_some_and(|(start, app)| start.starts_with(app));
            if !inside {
                return false;
            }
        }
        let depth = self.start.components().count();
        self.visit(app_dir, &self.start, depth, found)
    }

    fn visit(
        &self,
        app_dir: &Path,
        relative: &Path,
        depth: usize,
        found: &mut dyn FnMut(&Path, &Path) -> bool,
    ) -> bool {
        if self.max_depth.is_some_and(|max| depth >= max) {
            return false;
        }
        let Ok(entries) = fs::read_dir(app_dir.join(relative)) else {
            return false;
        };
        for entry in entries.filter_map(Result::ok) {
            let child = relative.join(entry.file_name());
            if child
                .components()
                .any(|c| matches!(c, Component::ParentDir))
            {
                continue;
            }
            if found(&child, &entry.path()) {
                return true;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir())
                && self.visit(app_dir, &child, depth + 1, found)
            {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(pattern: &str, contains: Option<&str>) -> DetectRule {
        DetectRule::File {
            pattern: pattern.into(),
            contains: contains.map(Into::into),
        }
    }

    fn app() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("Gemfile"), "source 'x'\ngem \"rack\"\n").unwrap();
        fs::create_dir_all(dir.path().join("src/deep/er")).unwrap();
        fs::write(dir.path().join("src/deep/er/App.csproj"), "<Project/>").unwrap();
        fs::write(dir.path().join("src/main.go"), "package main").unwrap();
        dir
    }

    #[test]
    fn plain_paths_and_contains() {
        let dir = app();
        let d = dir.path();
        assert!(matches(&file("Gemfile", None), d, "detect").unwrap());
        assert!(matches(&file("./Gemfile", None), d, "detect").unwrap());
        assert!(matches(&file("src", None), d, "detect").unwrap());
        assert!(!matches(&file("package.json", None), d, "detect").unwrap());
        assert!(matches(&file("Gemfile", Some(r#"gem\s+"rack""#)), d, "detect").unwrap());
        assert!(!matches(&file("Gemfile", Some("rails")), d, "detect").unwrap());
        assert!(!matches(&file("src", Some(".")), d, "detect").unwrap());
    }

    #[test]
    fn globs_walk_only_as_deep_as_needed() {
        let dir = app();
        let d = dir.path();
        assert!(!matches(&file("*.csproj", None), d, "detect").unwrap());
        assert!(matches(&file("**/*.csproj", None), d, "detect").unwrap());
        assert!(matches(&file("src/*/er/*.csproj", None), d, "detect").unwrap());
        assert!(matches(&file("src/*.go", Some("package")), d, "detect").unwrap());
        assert!(!matches(&file("src/*.go", Some("nope")), d, "detect").unwrap());
        assert!(matches(&file("Gem*", None), d, "detect").unwrap());
    }

    /// A glob's literal leading folders were followed wherever a link there pointed: an app
    /// with `src -> /` made `src/**/x` walk the whole filesystem (seconds, on every push) and
    /// `contains` read files outside the app. A link that stays inside the app still counts.
    #[test]
    fn a_glob_does_not_walk_out_of_the_app_through_its_leading_folder() {
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir_all(outside.path().join("deep")).unwrap();
        fs::write(outside.path().join("deep/App.csproj"), "<Project/>").unwrap();
        let dir = app();
        let d = dir.path();
        std::os::unix::fs::symlink(outside.path(), d.join("out")).unwrap();
        std::os::unix::fs::symlink("src/deep", d.join("inner")).unwrap();
        assert!(!matches(&file("out/**/*.csproj", None), d, "detect").unwrap());
        assert!(!matches(&file("out/deep/*.csproj", None), d, "detect").unwrap());
        assert!(matches(&file("inner/**/*.csproj", None), d, "detect").unwrap());
    }

    #[test]
    fn explain_says_why_each_rule_looked_at_held_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let rule = DetectRule::AnyOf(vec![
            file("Gemfile", None),
            file("Procfile", Some("(?m)^web:")),
            file("**/*.zorg", None),
            DetectRule::AllOf(vec![]),
        ]);
        fs::write(dir.path().join("Procfile"), "worker: x\n").unwrap();
        assert_eq!(
            explain(&rule, dir.path(), "detect").unwrap(),
            [
                "detect.any_of[0].file: no `Gemfile` in the app",
                "detect.any_of[1].file: `Procfile` is in the app but has no match for `(?m)^web:`",
                "detect.any_of[2].file: no file in the app matches `**/*.zorg`",
                "detect.any_of[3].all_of: no rules, so it matches no app",
            ]
        );
        // An all_of stops at its first miss, as detect does.
        let rule = DetectRule::AllOf(vec![
            file("Procfile", None),
            file("x/*.txt", Some("hi")),
            file("never", None),
        ]);
        fs::create_dir_all(dir.path().join("x")).unwrap();
        fs::write(dir.path().join("x/a.txt"), "bye").unwrap();
        assert_eq!(
            explain(&rule, dir.path(), "detect").unwrap(),
            [
                "detect.all_of[0].file: `Procfile` is in the app",
                "detect.all_of[1].file: no file matching `x/*.txt` has a match for `hi`",
            ]
        );
        assert!(!matches(&rule, dir.path(), "detect").unwrap());
    }

    #[test]
    fn groups() {
        let dir = app();
        let d = dir.path();
        let any = DetectRule::AnyOf(vec![file("nope", None), file("Gemfile", None)]);
        let all = DetectRule::AllOf(vec![file("nope", None), file("Gemfile", None)]);
        assert!(matches(&any, d, "detect").unwrap());
        assert!(!matches(&all, d, "detect").unwrap());
        assert!(!matches(&DetectRule::AnyOf(vec![]), d, "detect").unwrap());
        assert!(!matches(&DetectRule::AllOf(vec![]), d, "detect").unwrap());
        let both = DetectRule::AllOf(vec![file("Gemfile", None), file("src/main.go", None)]);
        assert!(matches(&both, d, "detect").unwrap());
        let last_fails = DetectRule::AllOf(vec![file("Gemfile", None), file("nope", None)]);
        assert!(!matches(&last_fails, d, "detect").unwrap());
    }

    /// A plain path is looked up as the platform's buildpacks look it up (`FileExists`,
    /// `File.exist?`), through symbolic links; only a glob's walk leaves linked folders alone.
    #[test]
    fn a_plain_path_follows_links_and_a_glob_does_not() {
        let dir = app();
        let d = dir.path();
        let vendored = tempfile::tempdir().unwrap();
        fs::write(vendored.path().join("only.txt"), "vendored").unwrap();
        std::os::unix::fs::symlink(vendored.path(), d.join("vendor")).unwrap();
        assert!(matches(&file("vendor/only.txt", None), d, "detect").unwrap());
        assert!(matches(&file("vendor/only.txt", Some("vendored")), d, "detect").unwrap());
        assert!(!matches(&file("*/only.txt", None), d, "detect").unwrap());
        assert!(!matches(&file("**/only.txt", None), d, "detect").unwrap());
        assert!(matches(&file("*/main.go", None), d, "detect").unwrap());
    }

    /// `contains` sees the first [`CONTAINS_LIMIT`] bytes and no more (README, "Writing a
    /// buildpack"): a marker ending on the last byte read matches, one byte later it does not.
    #[test]
    fn contains_reads_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let marker = "MARKER";
        assert_eq!(CONTAINS_LIMIT, 8 << 20, "the README says 8 MiB");
        let limit = usize::try_from(CONTAINS_LIMIT).unwrap();
        let rule = file("big.lock", Some(marker));
        for (padding, expected) in [
            (limit - marker.len(), true),
            (limit - marker.len() + 1, false),
        ] {
            let mut text = " ".repeat(padding);
            text.push_str(marker);
            fs::write(dir.path().join("big.lock"), &text).unwrap();
            assert_eq!(
                matches(&rule, dir.path(), "detect").unwrap(),
                expected,
                "marker ending at byte {}",
                text.len()
            );
        }
    }

    #[test]
    fn broken_rules_are_errors_naming_the_key() {
        let dir = app();
        let rule = DetectRule::AnyOf(vec![file("Gemfile", Some("("))]);
        let err = matches(&rule, dir.path(), "detect")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "manifest.yml detect.any_of[0].contains: `(` is not a valid regular expression ("
            ),
            "{err}"
        );
        let rule = file("a[", None);
        let err = matches(&rule, dir.path(), "detect")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("manifest.yml detect.file: `a[` is not a valid path or glob"),
            "{err}"
        );
    }
}
