//! Small YAML documents the phases write: release's output, `config.yml`,
//! `BUILDPACK_METADATA`. Built as a [`yaml::Node`] tree and written by the manifest's emitter,
//! with every scalar plain when YAML reads it back as the same string and double-quoted
//! otherwise, so a value like `yes`, `1.10` or `a: b #c` survives any YAML reader.

use crate::manifest::yaml::{self, Node, ScalarType, Style};

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
