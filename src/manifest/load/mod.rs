//! Turning the YAML tree into the typed model. Loading never stops at the first problem: a
//! value of the wrong type is reported (with its key path and position) and skipped, so
//! `bpkit validate` can list every problem at once.
//!
//! This module dispatches the top-level keys; `reader` holds the `Reader` core (type errors,
//! key paths, scalar helpers), `shared` reads the keys bpkit shares with the other packagers
//! (`dependencies`, `default_versions`, …), `declarative` reads bpkit's own keys (`detect`,
//! `install`, `release`), and `keys` lists every key read, for `validate` to warn about others.

mod declarative;
mod keys;
mod reader;
mod shared;

use super::Manifest;
use super::diagnostic::Report;
use super::yaml::{Node, Value};
use reader::Reader;

pub(super) use keys::{
    DETECT_KEYS, DETECT_RULE_KEYS, INSTALL_KEYS, KNOWN_KEYS, RELEASE_KEYS, VERSION_FROM_KEYS,
};

pub(super) fn manifest(root: &Node, report: &mut Report) -> Manifest {
    let mut r = Reader { report };
    let mut m = Manifest::default();
    let Value::Mapping(entries) = &root.value else {
        let found = match &root.value {
            Value::Scalar(s) if s.text.trim().is_empty() => "no keys at all".into(),
            _ => root.kind_name().to_string(),
        };
        r.report.error(
            "",
            Some(root.position),
            format!(
                "expected a mapping of keys at the top of the manifest, found {found}; start it with `language: <name>` and the other keys, one per line"
            ),
        );
        return m;
    };
    for (key, value) in entries {
        let name = key.key_text();
        match name {
            "language" => m.language = r.name(value, name, "ruby"),
            // An empty `stack` is none, as Go reads it (the packager and libbuildpack test
            // `Stack != ""`): not an already packaged manifest, not a stack to stage on.
            "stack" => {
                m.stack = r
                    .name(value, name, "cflinuxfs4")
                    .filter(|stack| !stack.is_empty());
            }
            "pre_package" => m.pre_package = r.string(value, name),
            "default_versions" => {
                m.default_versions = r.each(value, name, "- name: ruby", Reader::default_version);
            }
            "dependencies" => {
                m.dependencies = r.each(value, name, "- name: ruby", Reader::dependency);
            }
            "dependency_deprecation_dates" => {
                m.deprecation_dates = r.each(value, name, "- name: ruby", Reader::deprecation);
            }
            "include_files" => {
                m.include_files = if value.is_null() {
                    None
                } else {
                    Some(r.string_list(value, name))
                }
            }
            "exclude_files" => m.exclude_files = r.string_list(value, name),
            "url_to_dependency_map" => {
                m.url_to_dependency_map =
                    r.each(value, name, "- match: REGEX", Reader::url_mapping);
            }
            "packaging_profiles" => m.packaging_profiles = r.profiles(value, name),
            "mirrors" => m.mirrors = r.mirrors(value, name),
            "detect" => m.detect = r.detect(value, name),
            "install" => {
                m.install = r.each(value, name, "- name: ruby", Reader::install);
            }
            "build" => m.build = r.command_list(value, name),
            "launch_env" => m.launch_env = r.string_map(value, name),
            "release" => m.release = r.release(value, name),
            _ => {}
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The manifest and what loading it reported (validation not included); the tests of every
    /// file of the loader read manifests with it.
    pub(super) fn load(text: &str) -> (Manifest, Vec<String>) {
        let (m, report) = Manifest::parse(text, Path::new("m.yml")).unwrap();
        let messages = report.diagnostics.iter().map(ToString::to_string).collect();
        (m, messages)
    }

    /// A manifest of no keys is told so; another kind of value is named.
    #[test]
    fn a_manifest_that_is_no_mapping_says_what_it_is() {
        let expected = |at: &str, found: &str| {
            vec![format!(
                "m.yml:{at}: error: expected a mapping of keys at the top of the manifest, found {found}; start it with `language: <name>` and the other keys, one per line"
            )]
        };
        assert_eq!(load("").1, expected("1:1", "no keys at all"));
        assert_eq!(load("---\n").1, expected("2:1", "no keys at all"));
        assert_eq!(load("hello\n").1, expected("1:1", "a string"));
        assert_eq!(load("[a]\n").1, expected("1:1", "a list"));
    }
}
