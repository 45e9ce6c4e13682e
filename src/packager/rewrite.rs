//! The manifest.yml that goes into the zip (packager.md, "The packaged manifest.yml"): the
//! source tree with `stack: S` added and other stacks' dependencies and `cf_stacks` removed for
//! a single stack, `file:` added to each dependency of a cached zip, and excluded dependencies
//! removed. Everything else is written back by `manifest::yaml::emit`, which keeps key order and
//! every scalar's spelling, so `version: 1.10` stays `1.10` (the Go packager writes `1.1`).
//!
//! A dependency the zip does not carry (left out by a profile or `--exclude`, or by the stack
//! filter: only on other stacks, or on none) also leaves the places that name it: its
//! `default_versions` entry and its name in `packaging_profiles` exclude lists. Kept, they name
//! a dependency the manifest no longer has, which `validate` calls an error; the phases then
//! refuse to load the manifest and `bpkit verify` refuses the zip (every `--profile` zip of the
//! java buildpack did, and so did a one-stack zip whose profile excluded an agent built for
//! another stack only). A default can only lose its dependency by exclusion: the plan refuses a
//! stack filter that leaves a default without a match.

use std::collections::BTreeSet;

use crate::manifest::yaml::{self, Node, Style, Value};

/// Why the packaged manifest could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RewriteError {
    #[error("the manifest's top level is not a mapping of keys")]
    NotAMapping,
    #[error(
        "`dependencies` has {found} entries but {expected} were read; this is a bug in bpkit, please report it"
    )]
    Mismatch { expected: usize, found: usize },
    #[error(
        "the packaged manifest.yml does not parse back ({0}); this is a bug in bpkit, please report it with the manifest"
    )]
    CannotReparse(String),
}

/// One dependency kept in the zip: its index in the source `dependencies` list, and the
/// `file:` path inside the zip for a cached build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptDependency {
    pub index: usize,
    pub file: Option<String>,
}

/// The packaged manifest's text. `count` is how many dependencies the model read, to make sure
/// the tree's list lines up with it; `excluded` are the names left out by a profile or
/// `--exclude` (names the stack filter leaves without an entry are found here).
pub fn packaged_manifest(
    source: &Node,
    count: usize,
    kept: &[KeptDependency],
    stack: Option<&str>,
    excluded: &BTreeSet<String>,
) -> Result<String, RewriteError> {
    let mut root = source.clone();
    let mut gone = excluded.clone();
    let Value::Mapping(entries) = &mut root.value else {
        return Err(RewriteError::NotAMapping);
    };
    if let Some(stack) = stack {
        let value = Node::scalar(stack, scalar_style(stack));
        if let Some((_, existing)) = entries.iter_mut().find(|(k, _)| k.key_text() == "stack") {
            // A source manifest may say `stack:` (null) or `stack: ""`, which mean no stack
            // (anything else is refused as already packaged): the value is set where it is, as
            // the Go packager sets it, rather than a second `stack` key added.
            *existing = value;
        } else {
            // Right after `language`, where a reader looks for it (the Go packager sorts keys).
            let at = entries
                .iter()
                .position(|(k, _)| k.key_text() == "language")
                .map_or(0, |i| i + 1);
            entries.insert(at, (Node::scalar("stack", Style::Plain), value));
        }
    }
    if let Some((_, list)) = entries
        .iter_mut()
        .find(|(k, _)| k.key_text() == "dependencies")
        && let Value::Sequence(items) = &mut list.value
    {
        if items.len() != count {
            return Err(RewriteError::Mismatch {
                expected: count,
                found: items.len(),
            });
        }
        let mut kept_items = Vec::with_capacity(kept.len());
        for dependency in kept {
            let mut item = items[dependency.index].clone();
            if let Value::Mapping(fields) = &mut item.value {
                if stack.is_some() {
                    fields.retain(|(k, _)| k.key_text() != "cf_stacks");
                }
                if let Some(file) = &dependency.file {
                    let value = Node::scalar(file.as_str(), scalar_style(file));
                    match fields.iter_mut().find(|(k, _)| k.key_text() == "file") {
                        Some((_, existing)) => *existing = value,
                        None => fields.push((Node::scalar("file", Style::Plain), value)),
                    }
                } else {
                    // A `file:` in the source (a manifest copied out of a cached zip) names a
                    // file an uncached zip does not hold: the phases would look for it there
                    // instead of downloading, and `bpkit verify` refused the zip.
                    fields.retain(|(k, _)| k.key_text() != "file");
                }
            }
            kept_items.push(item);
        }
        let kept_names: BTreeSet<&str> = kept_items.iter().filter_map(dependency_name).collect();
        gone.extend(
            items
                .iter()
                .filter_map(dependency_name)
                .filter(|name| !kept_names.contains(name))
                .map(String::from),
        );
        *items = kept_items;
    }
    if !gone.is_empty() {
        forget_excluded(entries, &gone);
    }
    let text = yaml::emit(&root);
    yaml::parse(&text).map_err(|e| RewriteError::CannotReparse(e.to_string()))?;
    Ok(text)
}

/// The `name` of a `dependencies` entry, as written.
fn dependency_name(item: &Node) -> Option<&str> {
    item.get("name")?.as_scalar().map(|s| s.text.as_str())
}

/// Remove the `default_versions` entries of excluded names, and the excluded names from every
/// `packaging_profiles.*.exclude` list (a profile that is left with `exclude: []` stays).
fn forget_excluded(entries: &mut [(Node, Node)], excluded: &BTreeSet<String>) {
    let is_excluded = |node: &Node| {
        node.as_scalar()
            .is_some_and(|s| excluded.contains(s.text.as_str()))
    };
    for (key, value) in entries.iter_mut() {
        match (key.key_text(), &mut value.value) {
            ("default_versions", Value::Sequence(items)) => {
                items.retain(|item| !item.get("name").is_some_and(is_excluded));
            }
            ("packaging_profiles", Value::Mapping(profiles)) => {
                for (_, profile) in profiles.iter_mut() {
                    let Value::Mapping(fields) = &mut profile.value else {
                        continue;
                    };
                    for (field, list) in fields.iter_mut() {
                        if let ("exclude", Value::Sequence(names)) =
                            (field.key_text(), &mut list.value)
                        {
                            names.retain(|name| !is_excluded(name));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Plain when the text reads back as the same string, quoted otherwise (a stack called `1.0`
/// or `yes` must stay a string).
fn scalar_style(text: &str) -> Style {
    let plain = yaml::Scalar {
        text: text.to_string(),
        style: Style::Plain,
        tag: None,
    };
    let safe = !text.is_empty()
        && text.chars().all(|c| {
            // `%`: a `file:` keeps the URI's percent-escapes (`openjdk_11.0.32%2B11_…`),
            // which is plain YAML anywhere but first, as the Go packager writes it.
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '+' | '~' | '%')
        })
        && !text.starts_with(['-', '.', '/', '%'])
        && plain.resolved_type() == yaml::ScalarType::Str;
    if safe {
        Style::Plain
    } else {
        Style::SingleQuoted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "---\nlanguage: ruby\ndefault_versions:\n- name: go\n  version: 1.10\ndependencies:\n- name: go\n  version: 1.10\n  uri: https://e/go-1.10.tgz\n  sha256: 'abc'\n  cf_stacks:\n  - cflinuxfs4\n  - cflinuxfs5\n- name: go\n  version: 1.9\n  uri: https://e/go-1.9.tgz\n  cf_stacks:\n  - cflinuxfs3\ninclude_files:\n- manifest.yml\n";

    fn rewrite(kept: &[KeptDependency], stack: Option<&str>) -> String {
        let tree = yaml::parse(SOURCE).unwrap();
        packaged_manifest(&tree, 2, kept, stack, &BTreeSet::new()).unwrap()
    }

    #[test]
    fn single_stack_cached() {
        let text = rewrite(
            &[KeptDependency {
                index: 0,
                file: Some("dependencies/0123/go-1.10.tgz".into()),
            }],
            Some("cflinuxfs4"),
        );
        assert_eq!(
            text,
            "---\nlanguage: ruby\nstack: cflinuxfs4\ndefault_versions:\n- name: go\n  version: 1.10\ndependencies:\n- name: go\n  version: 1.10\n  uri: https://e/go-1.10.tgz\n  sha256: 'abc'\n  file: dependencies/0123/go-1.10.tgz\ninclude_files:\n- manifest.yml\n"
        );
    }

    #[test]
    fn any_stack_uncached_keeps_cf_stacks() {
        let text = rewrite(
            &[
                KeptDependency {
                    index: 0,
                    file: None,
                },
                KeptDependency {
                    index: 1,
                    file: None,
                },
            ],
            None,
        );
        assert_eq!(text, SOURCE);
    }

    #[test]
    fn an_excluded_name_leaves_default_versions_and_profile_lists() {
        let source = "language: java\ndefault_versions:\n- name: jdk\n  version: 17.x\n- {name: agent, version: 1.x}\ndependencies:\n- name: jdk\n  version: 17.0.1\n- name: agent\n  version: 1.2.3\npackaging_profiles:\n  minimal:\n    description: d\n    exclude:\n    - agent\n  other:\n    exclude: [agent, jdk]\n";
        let tree = yaml::parse(source).unwrap();
        let kept = [KeptDependency {
            index: 0,
            file: None,
        }];
        let excluded = BTreeSet::from(["agent".to_string()]);
        assert_eq!(
            packaged_manifest(&tree, 2, &kept, None, &excluded).unwrap(),
            "---\nlanguage: java\ndefault_versions:\n- name: jdk\n  version: 17.x\ndependencies:\n- name: jdk\n  version: 17.0.1\npackaging_profiles:\n  minimal:\n    description: d\n    exclude: []\n  other:\n    exclude:\n    - jdk\n"
        );
    }

    #[test]
    fn a_name_the_stack_filter_leaves_without_an_entry_leaves_profile_lists() {
        // `agent` is built for cflinuxfs3 only: packaged for cflinuxfs4, the profile would
        // exclude a dependency the manifest no longer has (a `validate` error).
        let source = "language: java\ndependencies:\n- name: jdk\n  version: 17.0.1\n  cf_stacks: [cflinuxfs4]\n- name: agent\n  version: 1.2.3\n  cf_stacks: [cflinuxfs3]\npackaging_profiles:\n  minimal:\n    exclude: [agent, jdk]\n";
        let tree = yaml::parse(source).unwrap();
        let kept = [KeptDependency {
            index: 0,
            file: None,
        }];
        assert_eq!(
            packaged_manifest(&tree, 2, &kept, Some("cflinuxfs4"), &BTreeSet::new()).unwrap(),
            "---\nlanguage: java\nstack: cflinuxfs4\ndependencies:\n- name: jdk\n  version: 17.0.1\npackaging_profiles:\n  minimal:\n    exclude:\n    - jdk\n"
        );
    }

    /// `stack:` and `stack: ""` in a source manifest mean no stack: packaging for one sets
    /// that key, where a second `stack` key made the packaged manifest unreadable.
    #[test]
    fn an_empty_stack_key_is_set_in_place() {
        for empty in ["stack:", "stack: ''"] {
            let source = format!("language: x\ndependencies: []\n{empty}\nother: 1\n");
            let tree = yaml::parse(&source).unwrap();
            assert_eq!(
                packaged_manifest(&tree, 0, &[], Some("cflinuxfs4"), &BTreeSet::new()).unwrap(),
                "---\nlanguage: x\ndependencies: []\nstack: cflinuxfs4\nother: 1\n"
            );
        }
    }

    /// Paths cargo-mutants makes no mutant on: without `language`, `stack` goes first; a `file:` the source
    /// already has is replaced where it is, not written twice; an odd stack name is quoted.
    #[test]
    fn stack_without_language_and_an_existing_file_key() {
        let source = "dependencies:\n- name: go\n  file: old/go.tgz\n  version: 1.10\n";
        let tree = yaml::parse(source).unwrap();
        let kept = [KeptDependency {
            index: 0,
            file: Some("dependencies/ab/go.tgz".into()),
        }];
        assert_eq!(
            packaged_manifest(&tree, 1, &kept, Some("1.0"), &BTreeSet::new()).unwrap(),
            "---\nstack: '1.0'\ndependencies:\n- name: go\n  file: dependencies/ab/go.tgz\n  version: 1.10\n"
        );
    }

    /// An uncached zip holds no dependency file, so a `file:` the source has is dropped.
    #[test]
    fn an_uncached_zip_drops_a_file_key_of_the_source() {
        let source = "language: go\ndependencies:\n- name: go\n  version: 1.10\n  file: dependencies/ab/go.tgz\n  uri: https://e/go.tgz\n";
        let tree = yaml::parse(source).unwrap();
        let kept = [KeptDependency {
            index: 0,
            file: None,
        }];
        assert_eq!(
            packaged_manifest(&tree, 1, &kept, None, &BTreeSet::new()).unwrap(),
            "---\nlanguage: go\ndependencies:\n- name: go\n  version: 1.10\n  uri: https://e/go.tgz\n"
        );
    }

    #[test]
    fn odd_stack_names_are_quoted() {
        assert_eq!(scalar_style("cflinuxfs4"), Style::Plain);
        assert_eq!(scalar_style("1.0"), Style::SingleQuoted);
        assert_eq!(scalar_style("yes"), Style::SingleQuoted);
        assert_eq!(scalar_style("a b"), Style::SingleQuoted);
        assert_eq!(scalar_style("dependencies/0a/x%2B1.tgz"), Style::Plain);
        assert_eq!(scalar_style("%x"), Style::SingleQuoted);
    }

    #[test]
    fn refuses_a_list_that_does_not_line_up() {
        let tree = yaml::parse(SOURCE).unwrap();
        assert!(matches!(
            packaged_manifest(&tree, 3, &[], None, &BTreeSet::new()),
            Err(RewriteError::Mismatch { .. })
        ));
    }
}
