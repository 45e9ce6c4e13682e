//! Small YAML documents the phases write: release's output, `config.yml`,
//! `BUILDPACK_METADATA`. Built as a [`yaml::Node`] tree and written by the manifest's emitter,
//! with every scalar plain when YAML reads it back as the same string and double-quoted
//! otherwise, so a value like `yes`, `1.10` or `a: b #c` survives any YAML reader: the platform
//! reads release's output with Go's YAML 1.1 library, Heroku with Ruby's, and both read more
//! plain scalars as non-strings than YAML 1.2 does (`yaml11_not_a_string`).

use std::sync::LazyLock;

use regex::Regex;

use crate::manifest::yaml::{self, Node, ScalarType, Style};

/// Plain scalars that YAML 1.1 readers take for something other than a string, where YAML 1.2
/// (bpkit's own reader) sees a string: Go's `y`/`n` booleans, sexagesimal numbers (`1:20` is
/// 80), binary and `0o` integers, digits grouped with `_` or `,` (Ruby's `1,000`), signed
/// infinities and NaNs, dates and timestamps, and the merge (`<<`) and value (`=`) keys.
fn yaml11_not_a_string(text: &str) -> bool {
    static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"^(?:[yYnN]|<<|=",
            r"|[-+]?\.?(?i:inf|infinity|nan)",
            r"|[-+]?[0-9][0-9_,]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?",
            r"|[-+]?0[bBoOxX][0-9a-fA-F_,]+",
            r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?",
            r")$"
        ))
        .unwrap_or_else(|_| unreachable!("a fixed, tested pattern"))
    });
    PATTERN.is_match(text)
}

/// A string scalar that reads back as exactly `text`.
pub fn string(text: &str) -> Node {
    let plain = Node::scalar(text, Style::Plain);
    let safe = !text.is_empty()
        && text.trim() == text
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(char::is_control)
        // U+2028 and U+2029 are line breaks to YAML 1.1 readers (libyaml, the platform's Go
        // library): a plain value holding one ends there, and what follows breaks the document.
        // Double-quoted, they keep it as the character it is.
        && !text.contains(['\u{2028}', '\u{2029}'])
        && !yaml11_not_a_string(text)
        && plain
            .as_scalar()
            .is_some_and(|s| s.resolved_type() == ScalarType::Str);
    if safe {
        plain
    } else {
        Node::scalar(text, Style::DoubleQuoted)
    }
}

/// A mapping of string keys to string values, in the given order.
pub fn string_map(pairs: &[(String, String)]) -> Node {
    Node::mapping(pairs.iter().map(|(k, v)| (string(k), string(v))).collect())
}

/// A document: a mapping of keys to nodes, in order.
pub fn emit(entries: Vec<(&str, Node)>) -> String {
    yaml::emit(&Node::mapping(
        entries.into_iter().map(|(k, v)| (string(k), v)).collect(),
    ))
}

/// A document of top-level string keys and values.
pub fn document(pairs: &[(&str, String)]) -> String {
    emit(pairs.iter().map(|(k, v)| (*k, string(v))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What YAML 1.1 readers (the platform's Go library, Heroku's Ruby) take for a boolean,
    /// number or date is quoted; a version such as 1.2.3 or a command stays plain.
    #[test]
    fn yaml_1_1_non_strings_are_quoted() {
        for text in [
            "y",
            "N",
            "1:20",
            "-1:20:30.5",
            "0b101",
            "0o17",
            "1_000",
            "1,000",
            "+inf",
            "-.Inf",
            "+NaN",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "<<",
            "=",
        ] {
            assert_eq!(
                yaml::emit(&string(text)),
                format!("--- \"{text}\"\n"),
                "{text}"
            );
        }
        for text in [
            "1.2.3",
            "ruby",
            "yes-no",
            "bundle exec rackup -p $PORT",
            "a:b",
            "n1",
            "2001-12",
        ] {
            assert_eq!(yaml::emit(&string(text)), format!("--- {text}\n"), "{text}");
        }
    }

    /// YAML 1.1 readers (libyaml, so Go's yaml.v2 on the platform, and Ruby's Psych) end a line
    /// at U+2028 and U+2029 too: plain, `web: a<LS>b` ends the value at `a` and `b` starts a
    /// line of its own, so the whole document fails to parse ("could not find expected ':'").
    #[test]
    fn yaml_1_1_line_separators_are_quoted() {
        for text in ["a\u{2028}b", "a\u{2029}b"] {
            assert_eq!(
                yaml::emit(&string(text)),
                format!("--- \"{text}\"\n"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn values_read_back_unchanged() {
        let values = [
            "production",
            "bundle exec rackup config.ru -p $PORT",
            "yes",
            "1.10",
            "",
            " padded",
            "a: b",
            "x #y",
            "- dash",
            "multi\nline",
            "'quoted'",
            "null",
            "tab\there",
            "ünïcode",
            "y",
            "1:20",
            "2001-12-14",
        ];
        let pairs: Vec<(String, String)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("k{i}"), (*v).to_string()))
            .collect();
        let text = emit(vec![("map", string_map(&pairs))]);
        let tree = yaml::parse(&text).unwrap();
        let map = tree.get("map").unwrap();
        for (k, v) in &pairs {
            let node = map.get(k).unwrap().as_scalar().unwrap();
            assert_eq!(&node.text, v, "{text}");
            assert_eq!(node.resolved_type(), ScalarType::Str, "{v}: {text}");
        }
        assert_eq!(
            document(&[("language", "ruby".into()), ("version", "1.0".into())]),
            "---\nlanguage: ruby\nversion: \"1.0\"\n"
        );
    }
}
