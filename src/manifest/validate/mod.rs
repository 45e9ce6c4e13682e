//! The rules of `manifest.md`, all checked at once. Errors make `bpkit validate` (and
//! `bpkit package`) fail; warnings are printed and do not.
//!
//! [`validate_on`] runs the rules in this order, one file each: the shared keys in `language`,
//! `dependencies` (uris, checksums, stacks), `defaults` (`default_versions`), `deprecations`
//! (`dependency_deprecation_dates`), `url_mappings` (`url_to_dependency_map`) and `packaging`
//! (`include_files`, `exclude_files`, `packaging_profiles`); then `declarative` checks bpkit's own keys
//! (`detect`, `install`, `launch_env`, `release`), and `unknown_keys` warns about keys nothing
//! reads, most often misspelt or misplaced ones. `helpers` holds what several rules share.

mod declarative;
mod defaults;
mod dependencies;
mod deprecations;
mod helpers;
mod language;
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
    packaging::profiles(manifest, report);
    declarative::check(manifest, report);
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
                "m.yml:3:3: warning: dependency_deprecation_dates[0].date: a 1.x reached end of life on 2020-01-01"
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
                "m.yml:3:3: warning: dependency_deprecation_dates[0].date: a 1.x reached end of life on 2020-01-01",
                "m.yml:5:3: warning: dependencies[0].md5: dependency a 1.0.0 has only an md5 checksum, which is weak; add its sha256",
                "m.yml:5:3: warning: dependencies[0].cf_stacks: dependency a 1.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
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
                "m.yml:3:38: error: dependency_deprecation_dates[0].date: expected a date as YYYY-MM-DD, found `2020-13-45`; write it as 2027-03-31",
                "m.yml:5:3: error: dependencies[0].sha256: dependency a (no version) has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)",
                "m.yml:5:22: error: dependencies[0].version: expected a value, found nothing; add its version",
            ]
        );
    }
}
