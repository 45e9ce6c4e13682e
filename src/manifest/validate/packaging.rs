//! What only packaging reads: `include_files` (paths inside the buildpack, globs that compile),
//! `exclude_files` (globs that compile, and not beside include_files, which makes it ignored)
//! and
//! `packaging_profiles` (names fit for the zip's name, exclusions naming dependencies).

use std::path::Path;

use super::super::Manifest;
use super::super::diagnostic::Report;
use super::super::yaml::Value;

/// exclude_files: each glob must compile, as packaging compiles it, and must be able to match
/// a path inside the buildpack: a pattern that matches nothing keeps in the zip what the user
/// meant to keep out of it (`./secrets/`), so packaging stops on it too.
pub(super) fn exclude_files(m: &Manifest, report: &mut Report) {
    let items = list_items(m, "exclude_files");
    for (i, pattern) in m.exclude_files.iter().enumerate() {
        let position = items.and_then(|items| items.get(i)).map(|n| n.position);
        if let Some(problem) = crate::packager::select::pattern_problem(false, i, pattern) {
            report.error(format!("exclude_files[{i}]"), position, problem);
        } else if let Some(problem) = matches_nothing(pattern.trim()) {
            report.error(format!("exclude_files[{i}]"), position, problem);
        }
    }
}

/// exclude_files beside include_files: packaging takes exactly what include_files lists, as the
/// Go packager does (it never reads exclude_files), so the patterns leave nothing out, and a
/// file the author meant to keep out of the zip goes in if include_files takes it.
pub(super) fn exclude_files_beside_include_files(m: &Manifest, report: &mut Report) {
    if m.include_files.is_none() || m.exclude_files.is_empty() {
        return;
    }
    let key = m.tree.as_ref().and_then(|tree| match &tree.value {
        Value::Mapping(entries) => entries
            .iter()
            .find(|(key, _)| key.key_text() == "exclude_files")
            .map(|(key, _)| key.position),
        _ => None,
    });
    report.warning(
        "exclude_files",
        key,
        "it is ignored, as include_files is set: the zip holds exactly what include_files lists (so did the Go packager's); remove exclude_files, and list less in include_files to leave those files out",
    );
}

/// Why exclude_files `pattern` can match no path, if it cannot: the paths it is matched
/// against are relative and clean (`lib/x.rb`, as Info-ZIP names a zip's entries), so one
/// starting with `/` or holding a `.` or `..` folder left out nothing, without a word, and
/// what the user meant to keep out of the zip (`./secrets/`) went in.
fn matches_nothing(pattern: &str) -> Option<String> {
    let segments: Vec<&str> = pattern.split('/').collect();
    if segments.contains(&"..") {
        return Some(format!(
            "`{pattern}` has a `..` folder in it, and the paths it is matched against are inside the buildpack (`lib/x.rb`), so it leaves out nothing; remove it"
        ));
    }
    let what = if pattern.starts_with('/') {
        "starts with `/`"
    } else if segments.contains(&".") {
        "has a `.` folder in it"
    } else {
        return None;
    };
    let meant = segments
        .iter()
        .enumerate()
        .filter(|&(at, segment)| {
            *segment != "." && !(segment.is_empty() && at + 1 < segments.len())
        })
        .map(|(_, segment)| *segment)
        .collect::<Vec<_>>()
        .join("/");
    let fix = if meant.is_empty() {
        "remove it".to_string()
    } else {
        format!("write `{meant}`")
    };
    Some(format!(
        "`{pattern}` {what}, and the paths it is matched against never do (`lib/x.rb`), so it leaves out nothing; {fix}"
    ))
}

/// The items of the list under `key`, for their positions.
fn list_items<'a>(m: &'a Manifest, key: &str) -> Option<&'a Vec<super::super::yaml::Node>> {
    m.tree
        .as_ref()
        .and_then(|t| t.get(key))
        .and_then(|n| match &n.value {
            Value::Sequence(items) => Some(items),
            _ => None,
        })
}

pub(super) fn include_files(m: &Manifest, report: &mut Report) {
    let Some(files) = &m.include_files else {
        return;
    };
    let items = list_items(m, "include_files");
    for (i, file) in files.iter().enumerate() {
        let position = items.and_then(|items| items.get(i)).map(|n| n.position);
        let path = Path::new(file);
        if path.is_absolute() {
            report.error(
                format!("include_files[{i}]"),
                position,
                format!("`{file}` is an absolute path; list paths relative to the buildpack root"),
            );
        } else if path
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            report.error(
                format!("include_files[{i}]"),
                position,
                format!("`{file}` contains `..`; list only paths inside the buildpack"),
            );
        } else if let Some(problem) = crate::packager::select::pattern_problem(true, i, file) {
            // A glob that cannot be compiled: packaging refuses it.
            report.error(format!("include_files[{i}]"), position, problem);
        }
    }
}

/// Problems of a profile are warnings: the Go packager looks at a profile only when it is
/// chosen, so a manifest with a stale one (excluding a dependency since removed) packages with
/// any other profile or none, and `bpkit package --profile` refuses that one itself (plan.rs).
pub(super) fn profiles(m: &Manifest, report: &mut Report) {
    for profile in &m.packaging_profiles {
        let path = format!("packaging_profiles.{}", profile.name);
        if !is_profile_name(&profile.name) {
            report.warning(
                &path,
                Some(profile.position),
                format!(
                    "profile name `{}` must match ^[a-z0-9_-]+$ (it becomes part of the zip name), so packaging with it fails",
                    profile.name
                ),
            );
        }
        for (j, name) in profile.exclude.iter().enumerate() {
            if !m.dependencies.iter().any(|d| &d.name == name) {
                report.warning(
                    format!("{path}.exclude[{j}]"),
                    Some(profile.position),
                    format!(
                        "`{name}` is not the name of any dependency, so packaging with this profile fails; fix the name or remove it"
                    ),
                );
            }
        }
    }
}

/// A name a packaging profile can have: lowercase letters, digits, `_` and `-`, as it becomes
/// part of the zip's file name.
pub fn is_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::super::tests::messages;
    use super::*;

    /// A profile's name becomes part of the zip's name and its exclusions must name
    /// dependencies; either problem is a warning, as only packaging with that profile fails.
    #[test]
    fn profile_names_and_exclusions_are_checked() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\npackaging_profiles:\n  ok_1-b: {{exclude: [a]}}\n  Bad: {{exclude: [b, a]}}\n  '': {{}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:6:3: warning: packaging_profiles.Bad: profile name `Bad` must match ^[a-z0-9_-]+$ (it becomes part of the zip name), so packaging with it fails",
                "m.yml:6:3: warning: packaging_profiles.Bad.exclude[0]: `b` is not the name of any dependency, so packaging with this profile fails; fix the name or remove it",
                "m.yml:7:3: warning: packaging_profiles.: profile name `` must match ^[a-z0-9_-]+$ (it becomes part of the zip name), so packaging with it fails",
            ]
        );
        for name in ["a", "z9", "_", "-", "cflinuxfs4_no-ruby"] {
            assert!(is_profile_name(name), "{name}");
        }
        for name in ["", "A", "a.b", "a b", "a/b", "ä"] {
            assert!(!is_profile_name(name), "{name}");
        }
    }

    /// An exclude_files pattern that can match no path (`/lib/`, `./secrets/`, `../x`) is an
    /// error naming the pattern meant, where it left out nothing without a word; patterns
    /// that merely start with a dot (`.git/`, `.*rc`) are fine.
    #[test]
    fn an_exclude_pattern_that_matches_nothing_is_an_error() {
        let got = messages(
            "language: x\nexclude_files:\n- /lib/\n- ./secrets/\n- lib/./x.rb\n- ../x\n- a/../b\n- ./\n- .git/\n- .*rc\n- '*.rb'\n- log/\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:3: error: exclude_files[0]: `/lib/` starts with `/`, and the paths it is matched against never do (`lib/x.rb`), so it leaves out nothing; write `lib/`",
                "m.yml:4:3: error: exclude_files[1]: `./secrets/` has a `.` folder in it, and the paths it is matched against never do (`lib/x.rb`), so it leaves out nothing; write `secrets/`",
                "m.yml:5:3: error: exclude_files[2]: `lib/./x.rb` has a `.` folder in it, and the paths it is matched against never do (`lib/x.rb`), so it leaves out nothing; write `lib/x.rb`",
                "m.yml:6:3: error: exclude_files[3]: `../x` has a `..` folder in it, and the paths it is matched against are inside the buildpack (`lib/x.rb`), so it leaves out nothing; remove it",
                "m.yml:7:3: error: exclude_files[4]: `a/../b` has a `..` folder in it, and the paths it is matched against are inside the buildpack (`lib/x.rb`), so it leaves out nothing; remove it",
                "m.yml:8:3: error: exclude_files[5]: `./` has a `.` folder in it, and the paths it is matched against never do (`lib/x.rb`), so it leaves out nothing; remove it",
            ]
        );
    }

    /// Spaces around an exclude_files pattern are dropped, as the gem's shell dropped them:
    /// `'*.log '` is `*.log` (no diagnostic), `' /lib/'` is `/lib/` (its error), and a
    /// pattern of spaces only is empty.
    #[test]
    fn spaces_around_an_exclude_pattern_are_dropped() {
        let got = messages(
            "language: x\nexclude_files:\n- '*.log '\n- \"\\tlog/\"\n- ' /lib/'\n- '  '\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:5:3: error: exclude_files[2]: `/lib/` starts with `/`, and the paths it is matched against never do (`lib/x.rb`), so it leaves out nothing; write `lib/`",
                "m.yml:6:3: error: exclude_files[3]: the pattern is empty, which would leave out every folder; remove the item, or write what to leave out (`tests/`, `*.md`)",
            ]
        );
    }

    /// exclude_files beside include_files is ignored, as by the Go packager: a warning at the
    /// key, where nothing said the patterns left nothing out. An empty one is no matter.
    #[test]
    fn exclude_files_beside_include_files_is_warned_about() {
        assert_eq!(
            messages(
                "language: x
include_files:
- bin/
exclude_files:
- '*.md'
"
            ),
            [
                "m.yml:4:1: warning: exclude_files: it is ignored, as include_files is set: the zip holds exactly what include_files lists (so did the Go packager's); remove exclude_files, and list less in include_files to leave those files out"
            ]
        );
        assert!(
            messages(
                "language: x
include_files: [bin/]
exclude_files: []
"
            )
            .is_empty()
        );
        assert!(
            messages(
                "language: x
exclude_files: ['*.md']
"
            )
            .is_empty()
        );
    }

    /// An empty include_files entry is an error, as packaging refuses it; `.` (the whole
    /// folder) is fine.
    #[test]
    fn an_empty_include_files_entry_is_an_error() {
        assert_eq!(
            messages("language: x\ninclude_files:\n- .\n- ''\n- '  '\n- ./\n"),
            [
                "m.yml:4:3: error: include_files[1]: the entry is empty, so it names no file; remove the item, or write what to package (`bin/`, `lib/*.rb`, or `.` for the whole folder)",
                "m.yml:5:3: error: include_files[2]: the entry is empty, so it names no file; remove the item, or write what to package (`bin/`, `lib/*.rb`, or `.` for the whole folder)",
            ]
        );
    }

    #[test]
    fn include_files_must_stay_inside_the_buildpack() {
        let got =
            messages("language: x\ninclude_files:\n- bin/\n- /etc/passwd\n- lib/../../secret\n");
        assert_eq!(
            got,
            [
                "m.yml:4:3: error: include_files[1]: `/etc/passwd` is an absolute path; list paths relative to the buildpack root",
                "m.yml:5:3: error: include_files[2]: `lib/../../secret` contains `..`; list only paths inside the buildpack",
            ]
        );
    }
}
