//! The rules of `manifest.md`, all checked at once. Errors make `bpkit validate` (and
//! `bpkit package`) fail; warnings are printed and do not.
//!
//! This module checks the shared keys (`language`, `dependencies`, `default_versions`, …);
//! `declarative` checks bpkit's own keys (`detect`, `install`, `launch_env`, `release`), and
//! `unknown_keys` warns about keys nothing reads, most often misspelt or misplaced ones.

mod declarative;
mod unknown_keys;

use std::collections::HashMap;
use std::path::Path;

use regex::Regex;

use super::diagnostic::Report;
use super::model::UrlMapping;
use super::yaml::{Node, Position, Value};
use super::{Dependency, Manifest};
use crate::version::Constraint;

pub use declarative::is_variable_name;

/// Validate against today's date (for deprecation warnings).
pub fn validate(manifest: &Manifest, report: &mut Report) {
    validate_on(manifest, report, today());
}

/// Validate as if today were `today` (year, month, day); tests pin the date.
pub fn validate_on(manifest: &Manifest, report: &mut Report, today: (i32, u32, u32)) {
    language(manifest, report);
    dependencies(manifest, report);
    defaults(manifest, report);
    deprecations(manifest, report, today);
    url_mappings(manifest, report);
    include_files(manifest, report);
    profiles(manifest, report);
    declarative::check(manifest, report);
    unknown_keys::unknown_keys(manifest, report);
    unknown_keys::dependency_key_typos(manifest, report);
    unknown_keys::unknown_declarative_keys(manifest, report);
}

fn language(m: &Manifest, report: &mut Report) {
    // A manifest that is not a mapping already has its one error (load/mod.rs): every key is
    // missing, and saying so of `language` alone adds nothing.
    if m.tree
        .as_ref()
        .is_some_and(|t| !matches!(t.value, crate::manifest::yaml::Value::Mapping(_)))
    {
        return;
    }
    let position = m
        .tree
        .as_ref()
        .map(|t| t.get("language").map_or(t.position, |n| n.position));
    match m.language.as_deref() {
        Some(language) if !language.trim().is_empty() => {
            // The packager's own rule, so that a manifest called valid here also packages.
            if let Some(problem) = crate::packager::name::name_part_problem(language) {
                report.error(
                    "language",
                    position,
                    format!(
                        "`{}` cannot be part of the zip's file name ({problem}); use a name such as `ruby`",
                        language.escape_debug(),
                    ),
                );
            }
        }
        // Present but not a string: loading said so, with what it found.
        None if m
            .tree
            .as_ref()
            .and_then(|t| t.get("language"))
            .is_some_and(|n| !n.is_null()) => {}
        _ => report.error(
            "language",
            position,
            "required key is missing; add `language: <name>` at the top (the zip is named <name>_buildpack-…)",
        ),
    }
}

fn dependencies(m: &Manifest, report: &mut Report) {
    // name+version+stack → (index, uri) of the first entry, to find conflicting duplicates.
    let mut seen: HashMap<(&str, &str, &str), (usize, &str)> = HashMap::new();
    // uri → the entries with that uri so far, to find checksums one file cannot all match.
    let mut by_uri: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in m.dependencies.iter().enumerate() {
        let path = format!("dependencies[{i}]");
        if !d.uri.is_empty() {
            let earlier = by_uri.entry(d.uri.as_str()).or_default();
            shared_uri_checksums(m, i, earlier, report);
            earlier.push(i);
        }
        if !d.uri.is_empty()
            && let Some(problem) = crate::fetch::uri::download_problem(&d.uri)
        {
            report.warning(
                format!("{path}.uri"),
                Some(d.position),
                format!(
                    "bpkit cannot download `{}`: {problem} (a mirror may still map it to a URI it can)",
                    crate::fetch::uri::redact(&d.uri)
                ),
            );
        }
        checksum_spelling(m, i, report);
        if d.checksums().is_empty() && !d.has_malformed_checksum {
            report.error(
                format!("{path}.sha256"),
                Some(d.position),
                format!("dependency {} has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)", d.label()),
            );
        } else if d.sha256.is_none() && d.md5.is_some() {
            report.warning(
                format!("{path}.md5"),
                Some(d.position),
                format!(
                    "dependency {} has only an md5 checksum, which is weak; add its sha256",
                    d.label()
                ),
            );
        }
        // `cf_stacks: []` and `cf_stacks:` (null) leave it on no stack, as a missing key does:
        // Go reads all three as an empty list.
        // A list whose entries were all refused (`cf_stacks: [true]`) is empty too, but its
        // error already says what to write.
        if m.stack.is_none()
            && d.cf_stacks.as_ref().is_none_or(Vec::is_empty)
            && !report.has_error_under(&format!("{path}.cf_stacks"))
        {
            report.warning(
                format!("{path}.cf_stacks"),
                Some(d.position),
                format!("dependency {} lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`", d.label()),
            );
        }
        let stacks: Vec<&str> = match (&d.cf_stacks, &m.stack) {
            (Some(stacks), _) => stacks.iter().map(String::as_str).collect(),
            (None, Some(stack)) => vec![stack.as_str()],
            (None, None) => vec![""],
        };
        for stack in stacks {
            match seen.get(&(d.name.as_str(), d.version.as_str(), stack)) {
                Some((first, uri)) if *uri != d.uri => report.error(
                    format!("{path}.uri"),
                    Some(d.position),
                    format!(
                        "dependency {} {} for stack {} is also dependencies[{first}] with a different uri; keep one entry per name, version and stack",
                        d.name,
                        d.version,
                        if stack.is_empty() { "(none)" } else { stack }
                    ),
                ),
                Some(_) => {}
                None => {
                    seen.insert((d.name.as_str(), d.version.as_str(), stack), (i, d.uri.as_str()));
                }
            }
        }
    }
}

/// Entries sharing a uri share one file (packager.md: it goes in the zip once), so their
/// checksums must agree: report each checksum of entry `i` that differs from the first earlier
/// entry (`earlier`, same uri) giving that kind of checksum.
fn shared_uri_checksums(m: &Manifest, i: usize, earlier: &[usize], report: &mut Report) {
    type Get = fn(&Dependency) -> Option<String>;
    let kinds: [(&str, Get); 2] = [
        ("sha256", |d| d.sha256.map(|s| s.hex())),
        ("md5", |d| d.md5.map(|s| s.hex())),
    ];
    let d = &m.dependencies[i];
    for (kind, get) in kinds {
        let Some(found) = get(d) else { continue };
        let first = earlier
            .iter()
            .find_map(|&j| get(&m.dependencies[j]).map(|value| (j, value)));
        if let Some((j, expected)) = first
            && expected != found
        {
            report.error(
                format!("dependencies[{i}].{kind}"),
                Some(dependency_key_position(m, i, kind).unwrap_or(d.position)),
                format!(
                    "expected {expected} as dependencies[{j}].{kind} says, found {found}: both entries have the uri {}, and one file cannot match both; fix the checksum, or give the entries different uris",
                    crate::fetch::uri::redact(&d.uri)
                ),
            );
        }
    }
}

/// Where the value of `dependencies[i].key` is written.
fn dependency_key_position(m: &Manifest, i: usize, key: &str) -> Option<Position> {
    Some(dependency_value(m, i, key)?.position)
}

/// The value of `dependencies[i].key` as written.
fn dependency_value<'m>(m: &'m Manifest, i: usize, key: &str) -> Option<&'m Node> {
    let Value::Sequence(items) = &m.tree.as_ref()?.get("dependencies")?.value else {
        return None;
    };
    items.get(i)?.get(key)
}

/// A checksum bpkit reads (hex in any case, spaces around it trimmed) but that libbuildpack,
/// which installs the official buildpacks' dependencies, and the Go packager compare as
/// written with the lowercase hex they compute: with them the file never matches, so staging
/// or packaging fails on a file that is right.
fn checksum_spelling(m: &Manifest, i: usize, report: &mut Report) {
    let d = &m.dependencies[i];
    let kinds = [
        ("sha256", d.sha256.map(|s| s.hex())),
        ("md5", d.md5.map(|s| s.hex())),
    ];
    for (kind, hex) in kinds {
        let (Some(hex), Some(node)) = (hex, dependency_value(m, i, kind)) else {
            continue;
        };
        let Some(written) = node.as_scalar().map(|s| s.text.as_str()) else {
            continue;
        };
        if written != hex {
            report.warning(
                format!("dependencies[{i}].{kind}"),
                Some(node.position),
                format!(
                    "`{}` is not lowercase hex as written; libbuildpack and the Go packager compare it as written with the lowercase hex they compute, so they would refuse the file; write `{hex}`",
                    written.escape_debug()
                ),
            );
        }
    }
}

fn defaults(m: &Manifest, report: &mut Report) {
    let mut first_for_name: HashMap<&str, usize> = HashMap::new();
    for (i, default) in m.default_versions.iter().enumerate() {
        let path = format!("default_versions[{i}]");
        if default.name.is_empty() || default.version.is_empty() {
            continue;
        }
        if let Some(first) = first_for_name.get(default.name.as_str()) {
            report.error(
                format!("{path}.name"),
                Some(default.position),
                format!("a second default for {} (the first is default_versions[{first}]); keep one default per dependency", default.name),
            );
            continue;
        }
        first_for_name.insert(&default.name, i);
        let constraint = match Constraint::parse(&default.version) {
            Ok(c) => c,
            Err(e) => {
                report.error(
                    format!("{path}.version"),
                    Some(default.position),
                    format!("{e}; use a version or a constraint such as 3.2.x"),
                );
                continue;
            }
        };
        let named: Vec<_> = m
            .dependencies
            .iter()
            .filter(|d| d.name == default.name)
            .collect();
        if m.highest_matching(&default.name, &constraint, None)
            .is_none()
        {
            let mut versions: Vec<&str> = named.iter().map(|d| d.version.as_str()).collect();
            versions.sort_by(|a, b| crate::version::compare(a, b));
            versions.dedup();
            let have = if versions.is_empty() {
                format!("there is no dependency named {}", default.name)
            } else {
                format!("the manifest has {}", versions.join(", "))
            };
            report.error(
                format!("{path}.version"),
                Some(default.position),
                format!("default {} {} matches no dependency on any stack ({have}); fix the version or add the dependency", default.name, default.version),
            );
            continue;
        }
        // Stacks its dependency lists but where the default has no match: `package --stack`
        // for those is refused, as by the Go packager (nginx and nodejs on cflinuxfs3).
        let mut stacks: Vec<&str> = Vec::new();
        for stack in named.iter().filter_map(|d| d.cf_stacks.as_ref()).flatten() {
            if !stacks.contains(&stack.as_str()) {
                stacks.push(stack);
            }
        }
        for stack in stacks {
            if m.highest_matching(&default.name, &constraint, Some(stack))
                .is_none()
            {
                report.warning(
                    format!("{path}.version"),
                    Some(default.position),
                    format!("default {} {} has no match on stack {stack}, so packaging for {stack} alone will be refused", default.name, default.version),
                );
            }
        }
    }
}

fn deprecations(m: &Manifest, report: &mut Report, today: (i32, u32, u32)) {
    for (i, d) in m.deprecation_dates.iter().enumerate() {
        let path = format!("dependency_deprecation_dates[{i}]");
        if let Some(regex) = &d.match_regex
            && let Err(e) = Regex::new(regex)
        {
            report.error(
                format!("{path}.match"),
                Some(d.position),
                format!("not a valid regular expression: {}", regex_reason(&e)),
            );
        }
        if d.ymd().is_some_and(|date| date < today) {
            report.warning(
                format!("{path}.date"),
                Some(d.position),
                format!(
                    "{} {} reached end of life on {}",
                    d.name, d.version_line, d.date
                ),
            );
        }
    }
}

/// `url_to_dependency_map`: each `match` must compile with Rust's regex syntax (every official
/// manifest's mappings do; see the corpus test in `manifest`), and each `$N` in `name` and
/// `version` must name one of its groups: a `$N` without a group stays as written, so the lookup
/// would never find a dependency. Missing or empty keys are reported while loading.
fn url_mappings(m: &Manifest, report: &mut Report) {
    for (i, mapping) in m.url_to_dependency_map.iter().enumerate() {
        let path = format!("url_to_dependency_map[{i}]");
        if mapping.match_regex.is_empty() {
            continue;
        }
        let regex = match Regex::new(&mapping.match_regex) {
            Ok(regex) => regex,
            Err(e) => {
                report.error(
                    format!("{path}.match"),
                    Some(mapping.position),
                    format!("not a valid regular expression: {}", regex_reason(&e)),
                );
                continue;
            }
        };
        // captures_len counts the whole match as group 0.
        let groups = regex.captures_len() - 1;
        for (key, template) in [("name", &mapping.name), ("version", &mapping.version)] {
            if let Some(n) = UrlMapping::group_references(template)
                .into_iter()
                .find(|&n| n == 0 || n > groups)
            {
                let (has, fix) = match groups {
                    0 => (
                        "no groups".to_string(),
                        "put the part of the URL to take in ( )".to_string(),
                    ),
                    1 => ("1 group".to_string(), "use $1".to_string()),
                    g => (format!("{g} groups"), format!("use $1 to ${g}")),
                };
                report.error(
                    format!("{path}.{key}"),
                    Some(mapping.position),
                    format!("`${n}` is not a capture group of `match`, which has {has}; {fix}"),
                );
            }
        }
    }
}

fn include_files(m: &Manifest, report: &mut Report) {
    let Some(files) = &m.include_files else {
        return;
    };
    let items = m
        .tree
        .as_ref()
        .and_then(|t| t.get("include_files"))
        .and_then(|n| match &n.value {
            Value::Sequence(items) => Some(items),
            _ => None,
        });
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
        }
    }
}

/// Problems of a profile are warnings: the Go packager looks at a profile only when it is
/// chosen, so a manifest with a stale one (excluding a dependency since removed) packages with
/// any other profile or none, and `bpkit package --profile` refuses that one itself (plan.rs).
fn profiles(m: &Manifest, report: &mut Report) {
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

/// What is wrong with a regex, in one line. The regex crate's syntax errors span several
/// lines (`regex parse error:`, the pattern, a caret, `error: unclosed group`); the last one
/// says what is wrong, and a diagnostic is one line.
pub fn regex_reason(error: &regex::Error) -> String {
    let text = error.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(&text)
        .trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// Today's date in UTC as (year, month, day).
pub fn today() -> (i32, u32, u32) {
    let date = crate::calendar::Date::today();
    (date.year, date.month, date.day)
}

/// The node at `path` below `node`: `.key` and `[i]` steps (`.any_of[1].all_of[0]`).
fn node_at<'n>(node: Option<&'n Node>, path: &str) -> Option<&'n Node> {
    let mut node = node?;
    for step in path.split('.').filter(|s| !s.is_empty()) {
        let (key, indexes) = step.split_once('[').unwrap_or((step, ""));
        if !key.is_empty() {
            node = node.get(key)?;
        }
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            node = match &node.value {
                Value::Sequence(items) => items.get(i)?,
                _ => return None,
            };
        }
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::unknown_keys::edit_distance;
    use super::*;

    #[test]
    fn edit_distance_finds_typos() {
        assert_eq!(edit_distance("dependecies", "dependencies"), 1);
        // Letters to drop before any that match count too.
        assert_eq!(edit_distance("xxname", "name"), 2);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert!(edit_distance("version_lines", "language") > 2);
    }

    fn messages(text: &str) -> Vec<String> {
        let (m, mut report) = Manifest::parse(text, Path::new("m.yml")).unwrap();
        validate_on(&m, &mut report, (2026, 11, 22));
        report.diagnostics.iter().map(ToString::to_string).collect()
    }

    /// A missing, null, empty or blank `language` is one error at the top or at the key; a
    /// language the zip's name cannot hold is another; a manifest that is no mapping has its
    /// one error from loading, and no second one about `language`.
    #[test]
    fn a_missing_or_blank_language_is_an_error() {
        let missing = "error: language: required key is missing; add `language: <name>` at the top (the zip is named <name>_buildpack-…)";
        for (text, at) in [
            ("dependencies: []\n", "1:1"),
            ("language:\n", "1:9"),
            ("language: ''\n", "1:11"),
            ("language: ' '\n", "1:11"),
        ] {
            assert_eq!(
                messages(text),
                [format!("m.yml:{at}: {missing}")],
                "{text:?}"
            );
        }
        assert_eq!(
            messages("language: a b\n"),
            [
                "m.yml:1:11: error: language: `a b` cannot be part of the zip's file name (it contains ` `); use a name such as `ruby`"
            ]
        );
        assert_eq!(
            messages("[a]\n"),
            [
                "m.yml:1:1: error: expected a mapping of keys at the top of the manifest, found a list; start it with `language: <name>` and the other keys, one per line"
            ]
        );
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

    /// Two entries of one name and version on one stack must share a uri, as one file goes in
    /// the zip for them: another uri is an error, the same uri (a repeat) is not; entries on
    /// no stack count as one stack, `(none)`.
    #[test]
    fn entries_of_one_name_version_and_stack_share_a_uri() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s1, s2]}}\n- {{name: a, version: 1.0.0, uri: 'https://e/2', sha256: {sha}, cf_stacks: [s2]}}\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s1]}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:4:3: error: dependencies[1].uri: dependency a 1.0.0 for stack s2 is also dependencies[0] with a different uri; keep one entry per name, version and stack"
            ]
        );
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}}}\n- {{name: a, version: 1.0.0, uri: 'https://e/2', sha256: {sha}}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:3:3: warning: dependencies[0].cf_stacks: dependency a 1.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
                "m.yml:4:3: warning: dependencies[1].cf_stacks: dependency a 1.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
                "m.yml:4:3: error: dependencies[1].uri: dependency a 1.0.0 for stack (none) is also dependencies[0] with a different uri; keep one entry per name, version and stack",
            ]
        );
    }

    /// A default with an empty name or version has its one error from loading, not a second
    /// one about matching nothing.
    #[test]
    fn a_default_with_an_empty_name_or_version_is_not_matched() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndefault_versions:\n- {{name: a, version: ''}}\n- {{name: '', version: 1.x}}\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:3:3: error: default_versions[0].version: required key is missing; add the default version or a constraint such as 3.2.x",
                "m.yml:4:10: error: default_versions[1].name: expected a value, found nothing; add the dependency name",
            ]
        );
    }

    /// End of life on a date is past the day after; on the day itself it is not yet.
    #[test]
    fn a_deprecation_date_warns_from_the_day_after() {
        let got = messages(
            "language: x\ndependency_deprecation_dates:\n- {name: a, version_line: 1.x, date: 2026-11-21, link: l}\n- {name: b, version_line: 1.x, date: 2026-11-22, link: l}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:3: warning: dependency_deprecation_dates[0].date: a 1.x reached end of life on 2026-11-21"
            ]
        );
    }

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

    /// A top-level key two edits from a known one is warned about with that key; one further
    /// from every known key is an extra, kept without a word.
    #[test]
    fn a_misspelt_top_level_key_is_warned_about() {
        let got = messages("language: x\ndependecies: []\nstak: s\nmy_extra_key: 1\n");
        assert_eq!(
            got,
            [
                "m.yml:2:1: warning: dependecies: unknown key; did you mean `dependencies`? (unknown keys are kept but not used)",
                "m.yml:3:1: warning: stak: unknown key; did you mean `stack`? (unknown keys are kept but not used)",
            ]
        );
    }

    /// A dependency key of fewer than five letters is suggested for a key one edit from it
    /// (`url`), a longer one for a key two edits from it (`sha265`): `size` is two edits from
    /// `file` and is no typo of it.
    #[test]
    fn a_short_dependency_key_is_suggested_for_one_edit_only() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: '1', uri: 'https://h/a.tgz', sha256: {sha}, cf_stacks: [s], size: 10, fil: a.tgz, sourse: s}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:3:151: warning: dependencies[0].fil: unknown key; did you mean `file`? (unknown keys are kept but not used)",
                "m.yml:3:163: warning: dependencies[0].sourse: unknown key; did you mean `source`? (unknown keys are kept but not used)",
            ]
        );
    }

    /// `language: true` once loaded as the text `true` and validated (the zip would have been
    /// `true_buildpack-…`); a list or a mapping said "expected a string" and then "required key
    /// is missing" of the key just named. Each is now one error with what a language looks like.
    #[test]
    fn a_language_that_is_no_string_is_one_error_naming_what_was_found() {
        for (value, found) in [
            (
                "true",
                "a boolean (`true`); quote it ('true') if you mean the text `true`",
            ),
            (
                "no",
                "a boolean (`no`); quote it ('no') if you mean the text `no`",
            ),
            (
                "42",
                "an integer (`42`); quote it ('42') if you mean the text `42`",
            ),
            (
                "1.5",
                "a number (`1.5`); quote it ('1.5') if you mean the text `1.5`",
            ),
            ("[ruby]", "a list"),
            (
                "{name: ruby}",
                "a mapping; if it is meant as text, quote it whole ('…'): a `: ` in it makes YAML read a key and its value",
            ),
        ] {
            assert_eq!(
                messages(&format!(
                    "language: {value}
"
                )),
                [format!(
                    "m.yml:1:11: error: language: expected a string such as `ruby`, found {found}"
                )],
                "language: {value}"
            );
        }
        // Quoted, it is text, as YAML says.
        assert_eq!(
            messages(
                "language: 'true'
"
            ),
            Vec::<String>::new()
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
                "m.yml:5:3: warning: dependencies[0].md5: dependency a 1.0.0 has only an md5 checksum, which is weak; add its sha256",
                "m.yml:5:3: warning: dependencies[0].cf_stacks: dependency a 1.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
                "m.yml:3:3: warning: dependency_deprecation_dates[0].date: a 1.x reached end of life on 2020-01-01",
            ]
        );
    }

    #[test]
    fn an_empty_or_null_stack_list_warns_as_a_missing_one() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: []}}\n- {{name: a, version: 2.0.0, uri: 'https://e/2', sha256: {sha}, cf_stacks: }}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:3:3: warning: dependencies[0].cf_stacks: dependency a 1.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
                "m.yml:4:3: warning: dependencies[1].cf_stacks: dependency a 2.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
            ]
        );
    }

    #[test]
    fn a_stack_list_of_refused_entries_gets_its_error_and_no_stackless_warning() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [true]}}\n"
        ));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("error: dependencies[0].cf_stacks[0]: expected a string"),
            "{got:?}"
        );
    }

    #[test]
    fn default_without_match_on_one_stack_warns() {
        let got = messages(
            "language: x\ndefault_versions:\n- {name: a, version: 2.x}\ndependencies:\n- {name: a, version: 1.0.0, uri: 'https://e/1', sha256: cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc, cf_stacks: [old]}\n- {name: a, version: 2.0.0, uri: 'https://e/2', sha256: cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc, cf_stacks: [new]}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:3: warning: default_versions[0].version: default a 2.x has no match on stack old, so packaging for old alone will be refused"
            ]
        );
    }

    #[test]
    fn entries_sharing_a_uri_must_agree_on_each_checksum_both_give() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://u:p@h/a.tgz', sha256: {sha}, cf_stacks: [s1]}}\n- {{name: a, version: 1.0.0, uri: 'https://u:p@h/a.tgz', md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s2]}}\n- {{name: a, version: 1.0.0, uri: 'https://u:p@h/a.tgz', sha256: {sha}, md5: 000150983cd24fb0d6963f7d28e17f72, cf_stacks: [s3]}}\n"
        ));
        // Entries 0 and 1 give different kinds of checksum, which one file can match together.
        assert_eq!(
            got,
            [
                "m.yml:4:3: warning: dependencies[1].md5: dependency a 1.0.0 has only an md5 checksum, which is weak; add its sha256",
                "m.yml:5:136: error: dependencies[2].md5: expected 900150983cd24fb0d6963f7d28e17f72 as dependencies[1].md5 says, found 000150983cd24fb0d6963f7d28e17f72: both entries have the uri https://-redacted-:-redacted-@h/a.tgz, and one file cannot match both; fix the checksum, or give the entries different uris",
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
                "m.yml:5:22: error: dependencies[0].version: expected a value, found nothing; add its version",
                "m.yml:5:3: error: dependencies[0].sha256: dependency a (no version) has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)",
            ]
        );
    }

    /// A date of the right form on a day its month lacks is an error that says the month's
    /// length, not a deprecation warning for the next month's day it would count as.
    #[test]
    fn a_deprecation_date_on_a_day_its_month_lacks_is_an_error() {
        let got = messages(
            "language: x\ndependency_deprecation_dates:\n- {name: a, version_line: 1.x, date: 2027-02-29, link: l}\n- {name: a, version_line: 2.x, date: 2028-02-29, link: l}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:38: error: dependency_deprecation_dates[0].date: expected a day of the calendar, found `2027-02-29`: February 2027 has 28 days; fix the day"
            ]
        );
    }

    /// libbuildpack compares a checksum as written with the lowercase hex it computes, so an
    /// uppercase (or space-padded) one, which bpkit reads, fails staging with it.
    #[test]
    fn a_checksum_libbuildpack_would_not_match_is_warned_about() {
        let sha = "CBC59F6DFCAE65C6C5EAAC1B748BC1C1A7120F6B73B3A723D56D8A7E2850DAFC";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0, uri: 'https://e/a.tgz', sha256: {sha}, md5: ' 0123456789abcdef0123456789abcdef', cf_stacks: [s]}}\n- {{name: b, version: 1.0, uri: 'https://e/b.tgz', sha256: {lower}, cf_stacks: [s]}}\n",
            lower = sha.to_ascii_lowercase()
        ));
        assert_eq!(
            got,
            [
                format!(
                    "m.yml:3:59: warning: dependencies[0].sha256: `{sha}` is not lowercase hex as written; libbuildpack and the Go packager compare it as written with the lowercase hex they compute, so they would refuse the file; write `{}`",
                    sha.to_ascii_lowercase()
                ),
                "m.yml:3:130: warning: dependencies[0].md5: ` 0123456789abcdef0123456789abcdef` is not lowercase hex as written; libbuildpack and the Go packager compare it as written with the lowercase hex they compute, so they would refuse the file; write `0123456789abcdef0123456789abcdef`".to_string(),
            ]
        );
    }

    /// A dependency without a name still has every other problem reported (its missing
    /// checksum went unsaid), and is called `(no name)` rather than by a blank.
    #[test]
    fn a_dependency_without_a_name_has_its_other_problems_reported() {
        let got =
            messages("language: x\ndependencies:\n- {version: 1.0, uri: 'https://e/a.tgz'}\n");
        assert_eq!(
            got,
            [
                "m.yml:3:3: error: dependencies[0].name: required key is missing; add the dependency's name",
                "m.yml:3:3: error: dependencies[0].sha256: dependency (no name) 1.0 has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)",
                "m.yml:3:3: warning: dependencies[0].cf_stacks: dependency (no name) 1.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
            ]
        );
    }

    /// A version_from variable must be a name an environment can hold: `$X` gets its fix.
    #[test]
    fn a_version_from_variable_is_a_name() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: t, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: t\n  version_from:\n  - env: $BP_T\n  - env: '${{BP_T}}'\n  - env: bp-t\n  - env: BP_T\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:7:10: error: install[0].version_from[0].env: `$BP_T` is not an environment variable name, so no app could set it; write the variable's name alone: `env: BP_T`",
                "m.yml:8:10: error: install[0].version_from[1].env: `${BP_T}` is not an environment variable name, so no app could set it; write the variable's name alone: `env: BP_T`",
                "m.yml:9:10: error: install[0].version_from[2].env: `bp-t` is not an environment variable name, so no app could set it; use letters, digits and _ (not starting with a digit), such as `env: BP_RUBY_VERSION`",
            ]
        );
    }

    /// An empty start command is warned about, at its line.
    #[test]
    fn an_empty_start_command_is_warned_about() {
        let got = messages(
            "language: x\nrelease:\n  default_process_types:\n    web: ''\n    worker: ./w\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:4:10: warning: release.default_process_types.web: the `web` command is empty, so that process would start nothing; write its start command, or remove it (an app's Procfile can give it)"
            ]
        );
    }

    /// A detect group with no rules never matches: warned about, at any depth.
    #[test]
    fn an_empty_detect_group_is_warned_about() {
        let got = messages("language: x\ndetect:\n  any_of:\n");
        assert_eq!(
            got,
            [
                "m.yml:3:9: warning: detect.any_of: no rules, so it matches no app; add rules such as `- file: Gemfile` under `any_of:`"
            ]
        );
        let got = messages("language: x\ndetect:\n  any_of:\n  - file: a\n  - all_of: []\n");
        assert_eq!(
            got,
            [
                "m.yml:5:13: warning: detect.any_of[1].all_of: no rules, so it matches no app; add rules such as `- file: Gemfile` under `all_of:`"
            ]
        );
        assert_eq!(
            messages("language: x\ndetect:\n  all_of: [{file: a}]\n"),
            Vec::<String>::new()
        );
    }

    /// A key one indentation too far left, or a misspelt dependency key, would do nothing
    /// and leave the real key missing: each is warned about, with where it belongs or the key
    /// it was probably meant to be. Keys the official manifests use give no warning.
    #[test]
    fn misplaced_and_misspelt_keys_are_warned_about() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- name: t\n  version: '1'\n  url: 'https://h/t.tgz'\n  uri: 'https://h/t.tgz'\n  sha256: {sha}\n  sha265: {sha}\n  cf_stacks: [s]\n  source_sha256: {sha}\n  osl: x\n  link: y\ninstall:\n- name: t\npath: [bin]\nname: x\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:15:1: warning: path: a key of an install entry, not of the manifest's top level, so it does nothing here; indent it under the entry it belongs to",
                "m.yml:16:1: warning: name: a key of an install entry, `detect:` or a dependency, not of the manifest's top level, so it does nothing here; indent it under the entry it belongs to",
                "m.yml:5:3: warning: dependencies[0].url: unknown key; did you mean `uri`? (unknown keys are kept but not used)",
                "m.yml:8:3: warning: dependencies[0].sha265: unknown key; did you mean `sha256`? (unknown keys are kept but not used)",
            ]
        );
    }

    /// A misspelt key in bpkit's own blocks would do nothing at all: each is warned about, with
    /// the key it was probably meant to be; an entry with none of its keys has its error, which
    /// names what it found.
    #[test]
    fn unknown_keys_in_bpkit_blocks_are_warned_about() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: t, version: '1', uri: 'https://h/t.tgz', sha256: {sha}, cf_stacks: [s]}}\ndetect:\n  nmae: X\n  any_of:\n  - file: x\n    contain: foo\n  - all_of:\n    - file: y\n      containz: z\n  - files: y\ninstall:\n- name: t\n  version_form:\n  - file: .t-version\n  version_from:\n  - files: .t-version\n  - env: T_VERSION\n    regx: x\n  - env: T2_VERSION\n    regex: '(.*)'\n  - file: .t\n    regx: y\n    env: T3\n  color: blue\nrelease:\n  default_process_type: {{web: ./x}}\nbuild: ['true']\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:12:5: error: detect.any_of[2]: expected a rule with `file:` (and optionally `contains:`), `any_of:` or `all_of:`, found `files`",
                "m.yml:18:5: error: install[0].version_from[0]: expected `file:` (with an optional `regex:`) or `env:`, found `files`",
                "m.yml:5:3: warning: detect.nmae: unknown key, so it does nothing (did you mean `name`?); `detect:` takes `name`, `any_of` and `all_of`",
                "m.yml:8:5: warning: detect.any_of[0].contain: unknown key, so it does nothing (did you mean `contains`?); a detect rule takes `file`, `contains`, `any_of` and `all_of`",
                "m.yml:11:7: warning: detect.any_of[1].all_of[0].containz: unknown key, so it does nothing (did you mean `contains`?); a detect rule takes `file`, `contains`, `any_of` and `all_of`",
                "m.yml:15:3: warning: install[0].version_form: unknown key, so it does nothing (did you mean `version_from`?); an install entry takes `name`, `version_from`, `strip_components`, `path`, `library_path` and `env`",
                "m.yml:26:3: warning: install[0].color: unknown key, so it does nothing; an install entry takes `name`, `version_from`, `strip_components`, `path`, `library_path` and `env`",
                "m.yml:20:5: warning: install[0].version_from[1].regx: does nothing in an `env:` entry, whose variable's value is the version as a whole; a `regex:` goes with a `file:` entry",
                "m.yml:22:5: warning: install[0].version_from[2].regex: does nothing in an `env:` entry, whose variable's value is the version as a whole; a `regex:` goes with a `file:` entry",
                "m.yml:25:5: warning: install[0].version_from[3].env: ignored: this entry reads its `file:`; an entry reads a file or a variable, not both, so give each its own entry",
                "m.yml:24:5: warning: install[0].version_from[3].regx: unknown key, so it does nothing (did you mean `regex`?); a version_from entry takes `file`, `regex` and `env`",
                "m.yml:28:3: warning: release.default_process_type: unknown key, so it does nothing (did you mean `default_process_types`?); `release:` takes `config_vars` and `default_process_types`",
            ]
        );
        // Every key bpkit reads: no warning. (The official manifests have none of these
        // blocks; tests/templates.rs checks that the templates validate with no finding.)
        let clean = messages(&format!(
            "language: x\ndependencies:\n- {{name: t, version: '1', uri: 'https://h/t.tgz', sha256: {sha}, cf_stacks: [s]}}\ndetect:\n  name: X\n  any_of: [{{file: x, contains: y}}]\ninstall:\n- name: t\n  version_from: [{{file: f, regex: '(.*)'}}, {{env: E}}]\n  strip_components: 1\n  path: [bin]\n  library_path: [lib]\n  env: {{A: b}}\nrelease: {{config_vars: {{A: b}}, default_process_types: {{web: x}}}}\n"
        ));
        assert_eq!(clean, Vec::<String>::new());
    }

    #[test]
    fn a_uri_bpkit_cannot_download_is_warned_about() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: '1', uri: 's3://bucket/a.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: b, version: '1', uri: 'https://h/b 1.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: c, version: '1', uri: 'file://srv/c.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: d, version: '1', uri: 'https://u:secret@h/d.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: e, version: '1', uri: 'file:///srv/e.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: f, version: '1', uri: /srv/f.tgz, sha256: {sha}, cf_stacks: [s]}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:3:3: warning: dependencies[0].uri: bpkit cannot download `s3://bucket/a.tgz`: only http://, https:// and file:// URIs are supported (a mirror may still map it to a URI it can)",
                "m.yml:4:3: warning: dependencies[1].uri: bpkit cannot download `https://h/b 1.tgz`: it is not a valid URI (invalid uri character); write it as RFC 3986 says, with a space as %20 (a mirror may still map it to a URI it can)",
                "m.yml:5:3: warning: dependencies[2].uri: bpkit cannot download `file://srv/c.tgz`: a file URI needs an absolute path, as in file:///srv/deps/x.tgz (a mirror may still map it to a URI it can)",
                "m.yml:8:3: warning: dependencies[5].uri: bpkit cannot download `/srv/f.tgz`: only http://, https:// and file:// URIs are supported; a local file is written as a file:// URI with its absolute path, as in file:///srv/f.tgz (a mirror may still map it to a URI it can)",
            ]
        );
    }

    /// openresty (nginx) and jruby write four-part versions; libbuildpack matches them as their
    /// first three parts, so a default of `1.25.x` is valid (it was "matches no dependency").
    #[test]
    fn a_default_may_match_a_four_part_version() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let text = format!(
            "language: x\ndefault_versions:\n- {{name: openresty, version: 1.25.x}}\ndependencies:\n- {{name: openresty, version: 1.25.3.2, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\n- {{name: openresty, version: 1.21.4.4, uri: 'https://e/2', sha256: {sha}, cf_stacks: [s]}}\n"
        );
        assert_eq!(messages(&text), Vec::<String>::new());
        let (m, _) = Manifest::parse(&text, Path::new("m.yml")).unwrap();
        let chosen = m.highest_matching(
            "openresty",
            &Constraint::parse("1.25.x").unwrap(),
            Some("s"),
        );
        assert_eq!(chosen.map(|d| d.version.as_str()), Some("1.25.3.2"));
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

    #[test]
    fn declarative_keys_are_checked() {
        let got = messages(
            "language: x\ndetect:\n  any_of:\n  - file: Gemfile\n    contains: '('\ninstall:\n- name: ruby\n  version_from:\n  - file: .ruby-version\n    regex: 'ruby'\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:5:15: error: detect.any_of[0].contains: not a valid regular expression: unclosed group",
                "m.yml:7:9: error: install[0].name: `ruby` is not the name of any dependency; add it under `dependencies:`",
                "m.yml:10:12: error: install[0].version_from[0].regex: the regex has no capture group; put the version in ( )",
            ]
        );
    }

    #[test]
    fn an_install_entry_comes_once_and_folders_are_named_by_their_key() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: ruby, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: ruby\n  path: [bin]\n  library_path: [lib, ../lib]\n- name: ruby\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:7:23: error: install[0].library_path[1]: `../lib` must be a folder inside the dependency",
                "m.yml:8:9: error: install[1].name: `ruby` is installed by install[0] already; install each dependency once",
            ]
        );
    }

    #[test]
    fn an_install_name_must_be_a_folder_name() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: '..', version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\n- {{name: a/b, version: 1.0.0, uri: 'https://e/2', sha256: {sha}, cf_stacks: [s]}}\n- {{name: '.x', version: 1.0.0, uri: 'https://e/3', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: '..'\n- name: a/b\n- name: '.x'\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:7:9: error: install[0].name: `..` cannot be a folder name (the dependency installs into DEPS_DIR/IDX/<name>); rename the dependency without `/` and not `.` or `..`",
                "m.yml:8:9: error: install[1].name: `a/b` cannot be a folder name (the dependency installs into DEPS_DIR/IDX/<name>); rename the dependency without `/` and not `.` or `..`",
            ]
        );
    }

    #[test]
    fn variable_names_are_checked_where_they_are_written() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: t, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: t\n  env: {{GOOD_1: a, ../x: b}}\nlaunch_env: {{1BAD: c, _ok: d}}\nrelease:\n  config_vars: {{A-B: e}}\n"
        ));
        let reason = "is not a valid environment variable name; use letters, digits and _ (not starting with a digit)";
        assert_eq!(
            got,
            [
                format!("m.yml:6:20: error: install[0].env.../x: `../x` {reason}"),
                format!("m.yml:7:14: error: launch_env.1BAD: `1BAD` {reason}"),
                format!("m.yml:9:17: error: release.config_vars.A-B: `A-B` {reason}"),
            ]
        );
    }

    #[test]
    fn url_mapping_groups_are_checked() {
        let got = messages(
            "language: x\nurl_to_dependency_map:\n- {match: 'jruby-(\\d+)-(\\d+)', name: jruby, version: 'ruby-$1-jruby-$3'}\n- {match: 'node', name: $1, version: 0.12.2}\n- {match: '(a)(b)(c)', name: $0, version: $3}\n- {match: 'ok-(\\d+)', name: ok, version: $1}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:3: error: url_to_dependency_map[0].version: `$3` is not a capture group of `match`, which has 2 groups; use $1 to $2",
                "m.yml:4:3: error: url_to_dependency_map[1].name: `$1` is not a capture group of `match`, which has no groups; put the part of the URL to take in ( )",
                "m.yml:5:3: error: url_to_dependency_map[2].name: `$0` is not a capture group of `match`, which has 3 groups; use $1 to $3",
            ]
        );
    }
}
