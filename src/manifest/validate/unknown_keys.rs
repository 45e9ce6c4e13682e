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
