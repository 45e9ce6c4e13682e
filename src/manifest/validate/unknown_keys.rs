//! Warnings about keys that nothing reads: a misspelt key (`sha265`, `dependecies`), or one
//! indented a level too few, would otherwise be kept and silently do nothing, while the real
//! key reads as missing.

use super::super::Manifest;
use super::super::diagnostic::Report;
use super::super::load::{
    DETECT_KEYS, DETECT_RULE_KEYS, INSTALL_KEYS, KNOWN_KEYS, RELEASE_KEYS, VERSION_FROM_KEYS,
};
use super::super::yaml::{Node, Value};

/// The keys of a dependency bpkit reads (others, such as `source_sha256`'s neighbours in newer
/// manifests, are kept and passed through).
const DEPENDENCY_KEYS: [&str; 12] = [
    "name",
    "version",
    "uri",
    "sha256",
    "md5",
    "cf_stacks",
    "file",
    "source",
    "source_sha256",
    "osl",
    "dependencies",
    "modules",
];

/// Keys only bpkit's `install:` entries have, which a dependency entry never does: written
/// in a dependency, they would be kept and do nothing.
const INSTALL_ONLY_KEYS: [&str; 3] = ["strip_components", "version_from", "library_path"];

/// The blocks whose keys a top-level key may have slipped out of, by one indentation too few.
const NESTED_KEYS: [(&str, &[&str]); 5] = [
    ("an install entry", &INSTALL_KEYS),
    ("`detect:`", &DETECT_KEYS),
    ("a `detect:` rule", &DETECT_RULE_KEYS),
    ("`release:`", &RELEASE_KEYS),
    ("a dependency", &DEPENDENCY_KEYS),
];

/// `known` is close enough to `name` to be what was meant: one edit for a short key (`url`
/// for `uri`), two for a longer one (`sha265`, `dependecies`).
fn close_to(name: &str, known: &str) -> bool {
    let limit = if known.chars().count() < 5 { 1 } else { 2 };
    edit_distance(name, known) <= limit
}

/// Warn about a dependency's keys that look like misspelt ones it has (`sha265`, `url`): the
/// real key then reads as missing, and the error about it does not say why.
pub(super) fn dependency_key_typos(m: &Manifest, report: &mut Report) {
    let Some(Value::Sequence(items)) = m
        .tree
        .as_ref()
        .and_then(|t| t.get("dependencies"))
        .map(|n| &n.value)
    else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let Value::Mapping(entries) = &item.value else {
            continue;
        };
        for (key, _) in entries {
            let name = key.key_text();
            if DEPENDENCY_KEYS.contains(&name) {
                continue;
            }
            // `strip_components: 1` next to the tarball's uri reads naturally, but bpkit reads
            // it (and the other keys only bpkit has) from the `install:` entry.
            if INSTALL_ONLY_KEYS.contains(&name) {
                let entry = entries
                    .iter()
                    .find(|(k, _)| k.key_text() == "name")
                    .and_then(|(_, v)| v.as_scalar())
                    .map_or_else(
                        || "its install entry".to_string(),
                        |dep| format!("the install entry `- name: {}`", dep.text),
                    );
                report.warning(
                    format!("dependencies[{i}].{name}"),
                    Some(key.position),
                    format!(
                        "a key of an install entry, not of a dependency, so it does nothing here; move it under `install:`, to {entry}"
                    ),
                );
                continue;
            }
            if let Some(close) = DEPENDENCY_KEYS.iter().find(|known| close_to(name, known)) {
                report.warning(
                    format!("dependencies[{i}].{name}"),
                    Some(key.position),
                    format!(
                        "unknown key; did you mean `{close}`? (unknown keys are kept but not used)"
                    ),
                );
            }
        }
    }
}

/// Warn about top-level keys that look like misspelt known keys (`dependecies`), or like keys
/// of a block indented one level too few (`path:` at the left margin, after an install entry).
pub(super) fn unknown_keys(m: &Manifest, report: &mut Report) {
    let Some(Value::Mapping(entries)) = m.tree.as_ref().map(|t| &t.value) else {
        return;
    };
    for (key, _) in entries {
        let name = key.key_text();
        if KNOWN_KEYS.contains(&name) {
            continue;
        }
        let blocks: Vec<String> = NESTED_KEYS
            .iter()
            .filter(|(_, keys)| keys.contains(&name))
            .map(|(block, _)| (*block).to_string())
            .collect();
        if !blocks.is_empty() {
            report.warning(
                name,
                Some(key.position),
                format!(
                    "a key of {}, not of the manifest's top level, so it does nothing here; indent it under the entry it belongs to",
                    join_or(&blocks)
                ),
            );
            continue;
        }
        if let Some(close) = KNOWN_KEYS
            .iter()
            .find(|known| edit_distance(name, known) <= 2)
        {
            report.warning(
                name,
                Some(key.position),
                format!(
                    "unknown key; did you mean `{close}`? (unknown keys are kept but not used)"
                ),
            );
        }
    }
}

/// Warn about keys bpkit's own blocks do not have (`install[0].version_form`): no other tool
/// reads these blocks, so such a key is a mistake that would silently do nothing. An entry
/// with none of the keys it needs already has its error, which names what it found.
pub(super) fn unknown_declarative_keys(m: &Manifest, report: &mut Report) {
    let Some(root) = m.tree.as_ref() else {
        return;
    };
    if let Some(detect) = root.get("detect") {
        unknown_in(detect, "detect", "`detect:` takes", &DETECT_KEYS, report);
        detect_rule_keys(detect, "detect", report);
    }
    if let Some(Value::Sequence(items)) = root.get("install").map(|n| &n.value) {
        for (i, item) in items.iter().enumerate() {
            let path = format!("install[{i}]");
            unknown_in(item, &path, "an install entry takes", &INSTALL_KEYS, report);
            if let Some(Value::Sequence(sources)) = item.get("version_from").map(|n| &n.value) {
                for (j, source) in sources.iter().enumerate() {
                    let path = format!("{path}.version_from[{j}]");
                    let env_key = match &source.value {
                        Value::Mapping(entries) => {
                            entries.iter().find(|(k, _)| k.key_text() == "env")
                        }
                        _ => None,
                    };
                    if let (Some(_), Some((env, _))) = (source.get("file"), env_key) {
                        report.warning(
                            format!("{path}.env"),
                            Some(env.position),
                            "ignored: this entry reads its `file:`; an entry reads a file or a variable, not both, so give each its own entry".to_string(),
                        );
                    }
                    if source.get("file").is_some() {
                        unknown_in(
                            source,
                            &path,
                            "a version_from entry takes",
                            &VERSION_FROM_KEYS,
                            report,
                        );
                    } else if source.get("env").is_some() {
                        env_source_keys(source, &path, report);
                    }
                }
            }
        }
    }
    if let Some(release) = root.get("release") {
        unknown_in(
            release,
            "release",
            "`release:` takes",
            &RELEASE_KEYS,
            report,
        );
    }
}

/// An `env:` source takes nothing else: the variable's value is the version as a whole, so a
/// `regex:` there (it reads files only) or any other key would be silently ignored.
fn env_source_keys(node: &Node, path: &str, report: &mut Report) {
    let Value::Mapping(entries) = &node.value else {
        return;
    };
    for (key, _) in entries {
        let name = key.key_text();
        if name == "env" || name == "<<" {
            continue;
        }
        report.warning(
            format!("{path}.{name}"),
            Some(key.position),
            "does nothing in an `env:` entry, whose variable's value is the version as a whole; a `regex:` goes with a `file:` entry".to_string(),
        );
    }
}

fn detect_rule_keys(node: &Node, path: &str, report: &mut Report) {
    for group in ["any_of", "all_of"] {
        let Some(Value::Sequence(rules)) = node.get(group).map(|n| &n.value) else {
            continue;
        };
        for (i, rule) in rules.iter().enumerate() {
            let path = format!("{path}.{group}[{i}]");
            if ["file", "any_of", "all_of"]
                .iter()
                .any(|k| rule.get(k).is_some())
            {
                unknown_in(
                    rule,
                    &path,
                    "a detect rule takes",
                    &DETECT_RULE_KEYS,
                    report,
                );
            }
            detect_rule_keys(rule, &path, report);
        }
    }
}

fn unknown_in(node: &Node, path: &str, what: &str, known: &[&str], report: &mut Report) {
    let Value::Mapping(entries) = &node.value else {
        return;
    };
    for (key, _) in entries {
        let name = key.key_text();
        // `<<` is a merge key, already applied by the reader.
        if known.contains(&name) || name == "<<" {
            continue;
        }
        let close = known
            .iter()
            .find(|k| edit_distance(name, k) <= 2)
            .map(|k| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default();
        let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        report.warning(
            format!("{path}.{name}"),
            Some(key.position),
            format!(
                "unknown key, so it does nothing{close}; {what} {}",
                join_and(&list)
            ),
        );
    }
}

pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(current)
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// `a`, `a or b`, `a, b or c`.
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::messages;
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
                "m.yml:5:3: warning: dependencies[0].url: unknown key; did you mean `uri`? (unknown keys are kept but not used)",
                "m.yml:8:3: warning: dependencies[0].sha265: unknown key; did you mean `sha256`? (unknown keys are kept but not used)",
                "m.yml:15:1: warning: path: a key of an install entry, not of the manifest's top level, so it does nothing here; indent it under the entry it belongs to",
                "m.yml:16:1: warning: name: a key of an install entry, `detect:` or a dependency, not of the manifest's top level, so it does nothing here; indent it under the entry it belongs to",
            ]
        );
    }

    /// `strip_components` (or `version_from`, `library_path`) written in the dependency, next
    /// to its uri, does nothing there: the warning says it belongs in the install entry.
    #[test]
    fn an_install_key_in_a_dependency_is_warned_about() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- name: t\n  version: '1'\n  uri: 'https://h/t.tgz'\n  sha256: {sha}\n  cf_stacks: [s]\n  strip_components: 1\ninstall:\n- name: t\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:8:3: warning: dependencies[0].strip_components: a key of an install entry, not of a dependency, so it does nothing here; move it under `install:`, to the install entry `- name: t`",
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
                "m.yml:5:3: warning: detect.nmae: unknown key, so it does nothing (did you mean `name`?); `detect:` takes `name`, `any_of` and `all_of`",
                "m.yml:8:5: warning: detect.any_of[0].contain: unknown key, so it does nothing (did you mean `contains`?); a detect rule takes `file`, `contains`, `any_of` and `all_of`",
                "m.yml:11:7: warning: detect.any_of[1].all_of[0].containz: unknown key, so it does nothing (did you mean `contains`?); a detect rule takes `file`, `contains`, `any_of` and `all_of`",
                "m.yml:12:5: error: detect.any_of[2]: expected a rule with `file:` (and optionally `contains:`), `any_of:` or `all_of:`, found `files`",
                "m.yml:15:3: warning: install[0].version_form: unknown key, so it does nothing (did you mean `version_from`?); an install entry takes `name`, `version_from`, `strip_components`, `path`, `library_path` and `env`",
                "m.yml:18:5: error: install[0].version_from[0]: expected `file:` (with an optional `regex:`) or `env:`, found `files`",
                "m.yml:20:5: warning: install[0].version_from[1].regx: does nothing in an `env:` entry, whose variable's value is the version as a whole; a `regex:` goes with a `file:` entry",
                "m.yml:22:5: warning: install[0].version_from[2].regex: does nothing in an `env:` entry, whose variable's value is the version as a whole; a `regex:` goes with a `file:` entry",
                "m.yml:24:5: warning: install[0].version_from[3].regx: unknown key, so it does nothing (did you mean `regex`?); a version_from entry takes `file`, `regex` and `env`",
                "m.yml:25:5: warning: install[0].version_from[3].env: ignored: this entry reads its `file:`; an entry reads a file or a variable, not both, so give each its own entry",
                "m.yml:26:3: warning: install[0].color: unknown key, so it does nothing; an install entry takes `name`, `version_from`, `strip_components`, `path`, `library_path` and `env`",
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
}
