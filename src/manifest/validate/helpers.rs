//! Helpers the rule files share: a regex error in one line ([`regex_reason`]), the node
//! written at a path below a YAML node (`node_at`), and where a key of a list's entry is
//! written (`key_position`).

use super::super::Manifest;
use super::super::yaml::{Node, Position, Value};

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

/// The node at `path` below `node`: `.key` and `[i]` steps (`.any_of[1].all_of[0]`).
pub(super) fn node_at<'n>(node: Option<&'n Node>, path: &str) -> Option<&'n Node> {
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

/// Where `list[index].key` of the manifest is written (`index` as in the manifest, the
/// entries' `index`), so that a message points at the key it names; `entry` (the entry's own
/// position) when the key is absent.
pub(super) fn key_position(
    m: &Manifest,
    list: &str,
    index: usize,
    key: &str,
    entry: Position,
) -> Position {
    let at = node_at(m.tree.as_ref(), &format!("{list}[{index}].{key}"));
    at.map_or(entry, |node| node.position)
}
