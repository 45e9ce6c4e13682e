//! The rules of `manifest.md`, all checked at once. Errors make `bpkit validate` (and
//! `bpkit package`) fail; warnings are printed and do not.
//!
//! [`validate_on`] runs the rules in this order, one file each: the shared keys in `language`,
//! `dependencies` (uris, checksums, stacks), `defaults` (`default_versions`), `deprecations`
//! (`dependency_deprecation_dates`), `url_mappings` (`url_to_dependency_map`) and `packaging`
//! (`include_files`, `exclude_files`, `packaging_profiles`); then `declarative` checks bpkit's own keys
//! (`detect`, `install`, `launch_env`, `release`), `launch_defaults` the `launch_env` and
//! `config_vars` defaults the platform's own values always win over, and `unknown_keys` warns about keys nothing
//! reads, most often misspelt or misplaced ones. `helpers` holds what several rules share.

mod declarative;
mod defaults;
mod dependencies;
mod deprecations;
mod helpers;
mod language;
mod launch_defaults;
mod packaging;
mod unknown_keys;
mod url_mappings;

use super::Manifest;
use super::diagnostic::Report;

pub use declarative::is_variable_name;
pub(crate) use defaults::control_character_message;
pub use helpers::regex_reason;
pub use packaging::is_profile_name;

/// True for a diagnostic about a key only packaging reads (`include_files`,
/// `exclude_files`): staging and `bpkit verify` pass over it, so a packaged buildpack whose
/// manifest keeps a glob bpkit cannot compile (the Go packager may have packaged it) still
/// stages.
#[must_use]
pub fn packaging_only(key_path: &str) -> bool {
    let root = key_path.split(['.', '[']).next().unwrap_or_default();
    matches!(root, "include_files" | "exclude_files")
}

/// Validate against today's date (for deprecation warnings).
pub fn validate(manifest: &Manifest, report: &mut Report) {
    validate_on(manifest, report, today());
}

/// Validate as if today were `today` (year, month, day); tests pin the date.
pub fn validate_on(manifest: &Manifest, report: &mut Report, today: (i32, u32, u32)) {
    language::language(manifest, report);
    dependencies::dependencies(manifest, report);
    defaults::defaults(manifest, report);
    deprecations::deprecations(manifest, report, today);
    url_mappings::url_mappings(manifest, report);
    packaging::include_files(manifest, report);
    packaging::exclude_files(manifest, report);
    packaging::exclude_files_beside_include_files(manifest, report);
    packaging::profiles(manifest, report);
    declarative::check(manifest, report);
    launch_defaults::platform_set_defaults(manifest, report);
    unknown_keys::unknown_keys(manifest, report);
    unknown_keys::dependency_key_typos(manifest, report);
    unknown_keys::unknown_declarative_keys(manifest, report);
    // In the file's order, as a compiler lists them, whichever check found each: an author
    // fixes them top to bottom. Those of no line (the whole file's) come first; a stable sort
    // keeps the checks' order among those of one place.
    report
        .diagnostics
        .sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
}

/// Today's date in UTC as (year, month, day).
pub fn today() -> (i32, u32, u32) {
    let date = crate::calendar::Date::today();
    (date.year, date.month, date.day)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The diagnostics of manifest `text` validated as on 2026-11-22, one line each as
    /// printed: what the rules' tests, here and in each rule's file, compare.
    pub(super) fn messages(text: &str) -> Vec<String> {
        let (m, mut report) = Manifest::parse(text, Path::new("m.yml")).unwrap();
        validate_on(&m, &mut report, (2026, 11, 22));
        report.diagnostics.iter().map(ToString::to_string).collect()
    }

    /// An item of the wrong kind (`- tool`) is refused and left out of the model; every later
    /// entry of the list is still named by its own index and points at its own keys. Named by
    /// the model's index, `dependencies[1]` was called `dependencies[0]`, and the lowercase
    /// warning showed one entry's checksum with the fix of another's.
    #[test]
    fn entries_after_an_item_of_the_wrong_kind_keep_their_own_index() {
        let upper = "1E111111111111111111111111111111111111111111111111111111111111AB";
        let zeros = "0".repeat(64);
        let text = format!(
            "language: x
dependencies:
- tool
- {{name: a, version: 1.0.0, uri: 'https://e/a', sha256: {upper}, cf_stacks: [s]}}
- {{name: b, version: 1.0.0, uri: 'https://e/b', sha256: {zeros}, cf_stacks: [s]}}
- {{name: c, version: 1.0.0, uri: 'https://e/c', cf_stacks: [s]}}
default_versions:
- a
- {{name: a, version: 2.x}}
dependency_deprecation_dates:
- 1
- {{name: a, version_line: 1.x, date: 2020-01-01, link: l}}
url_to_dependency_map:
- []
- {{match: x, name: $1, version: '1'}}
install:
- a
- {{name: b}}
- {{name: b}}
"
        );
        let got = messages(&text);
        let wrong = |at: &str, path: &str, item: &str| {
            format!("m.yml:{at}: error: {path}: expected a mapping of keys, found {item}")
        };
        let expected = [
            wrong("3:3", "dependencies[0]", "a string; write the item as `- name: ruby`"),
            format!("m.yml:4:57: warning: dependencies[1].sha256: `{upper}` is not lowercase hex as written"),
            "m.yml:6:3: error: dependencies[3].sha256: dependency c 1.0.0 has no checksum".to_string(),
            wrong("8:3", "default_versions[0]", "a string; write the item as `- name: ruby`"),
            "m.yml:9:22: error: default_versions[1].version: default a 2.x matches no dependency on any stack".to_string(),
            wrong("11:3", "dependency_deprecation_dates[0]", "an integer; write the item as `- name: ruby`"),
            "m.yml:12:38: warning: dependency_deprecation_dates[1].date: a 1.x reached end of life".to_string(),
            wrong("14:3", "url_to_dependency_map[0]", "a list; write the item as `- match: REGEX`"),
            "m.yml:15:20: error: url_to_dependency_map[1].name: `$1` is not a capture group of `match`".to_string(),
            wrong("17:3", "install[0]", "a string; write the item as `- name: ruby`"),
            "m.yml:19:10: error: install[2].name: `b` is installed by install[1] already".to_string(),
        ];
        assert_eq!(got.len(), expected.len(), "{got:#?}");
        for (got, expected) in got.iter().zip(&expected) {
            assert!(
                got.starts_with(expected.as_str()),
                "{got}\n does not start with\n{expected}"
            );
        }
    }

    /// `validate` checks against today's date: a date long past warns, one far ahead does not.
    #[test]
    fn validate_checks_against_today() {
        let (m, mut report) = Manifest::parse(
            "language: x\ndependency_deprecation_dates:\n- {name: a, version_line: 1.x, date: 2020-01-01, link: l}\n- {name: b, version_line: 1.x, date: 9999-01-01, link: l}\n",
            Path::new("m.yml"),
        )
        .unwrap();
        validate(&m, &mut report);
        let got: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "m.yml:3:38: warning: dependency_deprecation_dates[0].date: a 1.x reached end of life on 2020-01-01"
            ]
        );
    }

    /// The other names and URIs of the shared keys had the same gap; free text (a command)
    /// takes a number as written but not a boolean; an environment value takes either; and a
    /// version stays as written, `0` and `1.10` included.
    #[test]
    fn names_uris_and_commands_that_yaml_reads_as_booleans_or_numbers_are_errors() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\nstack: yes\npre_package: true\ndefault_versions:\n- {{name: on, version: 1.x}}\ndependencies:\n- {{name: true, version: 1.10, uri: {{a: b}}, sha256: {sha}, cf_stacks: [s]}}\n- {{name: b, version: 0, uri: 7, sha256: {sha}, cf_stacks: [false, s]}}\npackaging_profiles:\n  p: {{exclude: [2]}}\nbuild: [true]\nlaunch_env: {{A: true, B: 2}}\n"
        ));
        let hint = |text: &str| format!("quote it ('{text}') if you mean the text `{text}`");
        assert_eq!(
            got,
            [
                format!(
                    "m.yml:2:8: error: stack: expected a string such as `cflinuxfs4`, found a boolean (`yes`); {}",
                    hint("yes")
                ),
                format!(
                    "m.yml:3:14: error: pre_package: expected a string, found a boolean (`true`); {}",
                    hint("true")
                ),
                format!(
                    "m.yml:5:10: error: default_versions[0].name: expected a string such as `ruby`, found a boolean (`on`); {}",
                    hint("on")
                ),
                format!(
                    "m.yml:7:10: error: dependencies[0].name: expected a string such as `ruby`, found a boolean (`true`); {}",
                    hint("true")
                ),
                "m.yml:7:36: error: dependencies[0].uri: expected a string such as `https://example.com/ruby-3.3.0.tgz`, found a mapping; if it is meant as text, quote it whole ('…'): a `: ` in it makes YAML read a key and its value".to_string(),
                format!(
                    "m.yml:8:30: error: dependencies[1].uri: expected a string such as `https://example.com/ruby-3.3.0.tgz`, found an integer (`7`); {}",
                    hint("7")
                ),
                format!(
                    "m.yml:8:119: error: dependencies[1].cf_stacks[0]: expected a string such as `cflinuxfs4`, found a boolean (`false`); {}",
                    hint("false")
                ),
                format!(
                    "m.yml:10:17: error: packaging_profiles.p.exclude[0]: expected a string such as `ruby`, found an integer (`2`); {}",
                    hint("2")
                ),
                format!(
                    "m.yml:11:9: error: build[0]: expected a string, found a boolean (`true`); {}",
                    hint("true")
                ),
            ]
        );
        let (m, _) = Manifest::parse(
            &format!(
                "language: x\ndependencies:\n- {{name: a, version: 1.10, uri: 'https://e/a', sha256: {sha}, cf_stacks: [s]}}\n- {{name: a, version: 0, uri: 'https://e/b', sha256: {sha}, cf_stacks: [s]}}\npre_package: 42\nlaunch_env: {{A: true, B: 2}}\n"
            ),
            Path::new("m.yml"),
        )
        .unwrap();
        let versions: Vec<&str> = m.dependencies.iter().map(|d| d.version.as_str()).collect();
        assert_eq!(versions, ["1.10", "0"]);
        assert_eq!(m.pre_package.as_deref(), Some("42"));
        assert_eq!(
            m.launch_env,
            [("A".into(), "true".into()), ("B".into(), "2".into())]
        );
    }

    #[test]
    fn warnings_for_weak_and_stackless_and_past() {
        let got = messages(
            "language: x\ndependency_deprecation_dates:\n- {name: a, version_line: 1.x, date: 2020-01-01, link: l}\ndependencies:\n- {name: a, version: 1.0.0, uri: 'https://e/u', md5: 900150983cd24fb0d6963f7d28e17f72}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:38: warning: dependency_deprecation_dates[0].date: a 1.x reached end of life on 2020-01-01",
                "m.yml:5:3: warning: dependencies[0].cf_stacks: dependency a 1.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
                "m.yml:5:54: warning: dependencies[0].md5: dependency a 1.0.0 has only an md5 checksum, which is weak; add its sha256",
            ]
        );
    }

    #[test]
    fn messages_name_a_dependency_without_a_version_and_show_a_date_fix() {
        let got = messages(
            "language: x\ndependency_deprecation_dates:\n- {name: a, version_line: 1.x, date: 2020-13-45, link: l}\ndependencies:\n- {name: a, version: '', uri: 'https://e/a.tgz', cf_stacks: [s]}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:38: error: dependency_deprecation_dates[0].date: expected a date as YYYY-MM-DD, found `2020-13-45`; write it as YYYY-MM-DD, such as 2027-03-31",
                "m.yml:5:3: error: dependencies[0].sha256: dependency a (no version) has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)",
                "m.yml:5:22: error: dependencies[0].version: expected a value, found nothing; add its version",
            ]
        );
    }
}
