//! The tree written back as YAML, each scalar spelt as it was read.

use std::fmt::Write as _;

use super::{Node, Scalar, Style, Value};

/// Write a tree back as block-style YAML, starting with `---`.
///
/// Scalars keep their tag, quoting style and text, so a plain `1.10` stays `1.10` and `'6.1'` stays
/// quoted; mapping order is kept. Sequences under a key are written at the key's indentation,
/// as the official manifests are. Comments are not kept (the spec allows that).
///
/// A style is changed only where it cannot hold the text as written, never the text or the
/// type it resolves to: multi-line plain and single-quoted scalars, and plain text that YAML
/// would not read back as plain, are double-quoted; a folded block becomes a literal block;
/// a block scalar that a literal block cannot reproduce exactly, or that is a key, is
/// double-quoted. `parse(&emit(tree))` gives the same data, and emitting that again the same
/// text: the manifest fuzz target checks both (README.md, "Fuzzing").
pub fn emit(root: &Node) -> String {
    let mut out = String::from("---\n");
    match &root.value {
        Value::Mapping(entries) if !entries.is_empty() => emit_mapping(&mut out, entries, 0),
        Value::Sequence(items) if !items.is_empty() => emit_sequence(&mut out, items, 0),
        _ => {
            // A lone scalar goes on the `---` line, its block indented: alone at column 0,
            // text such as `--- x` or `...` would read as a document marker.
            let text = inline(root, 2);
            if !text.is_empty() {
                out.pop();
                out.push(' ');
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
    out
}

/// The longest key written in the implicit `key: value` form: YAML limits an implicit key to
/// 1024 characters (saphyr counts the quotes and the `:`); longer ones use `? key`.
pub(super) const MAX_IMPLICIT_KEY: usize = 1000;

fn emit_mapping(out: &mut String, entries: &[(Node, Node)], indent: usize) {
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            push_indent(out, indent);
        }
        // A key is always one line: a block scalar key is written double-quoted. A long key,
        // or one at column 0 that starts like a document marker (`--- x`), takes the explicit
        // form `? key` with `:` on the next line.
        let key_text = match key.as_scalar() {
            Some(s) if matches!(s.style, Style::Literal | Style::Folded) => {
                tagged(s, double_quoted(&s.text))
            }
            _ => inline(key, indent),
        };
        if key_text.chars().count() > MAX_IMPLICIT_KEY
            || (indent == 0 && starts_with_document_marker(&key_text))
        {
            out.push_str("? ");
            out.push_str(&key_text);
            out.push('\n');
            push_indent(out, indent);
        } else {
            out.push_str(&key_text);
        }
        // An empty key with a tag is the tag alone, which would take the `:` into its name.
        if key
            .as_scalar()
            .is_some_and(|k| k.tag.is_some() && k.text.is_empty())
        {
            out.push(' ');
        }
        out.push(':');
        match &value.value {
            Value::Mapping(inner) if !inner.is_empty() => {
                out.push('\n');
                push_indent(out, indent + 2);
                emit_mapping(out, inner, indent + 2);
            }
            Value::Sequence(items) if !items.is_empty() => {
                out.push('\n');
                push_indent(out, indent);
                emit_sequence(out, items, indent);
            }
            Value::Scalar(s) if s.text.is_empty() && s.style == Style::Plain && s.tag.is_none() => {
                out.push('\n');
            }
            _ => {
                out.push(' ');
                out.push_str(&inline(value, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn emit_sequence(out: &mut String, items: &[Node], indent: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            push_indent(out, indent);
        }
        out.push_str("- ");
        match &item.value {
            Value::Mapping(inner) if !inner.is_empty() => emit_mapping(out, inner, indent + 2),
            Value::Sequence(inner) if !inner.is_empty() => emit_sequence(out, inner, indent + 2),
            _ => {
                out.push_str(&inline(item, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// Whether `text` reads back as itself when written as a plain scalar in block context: one
/// line, no leading or trailing space, no indicator first (`-`, `?` and `:` only before a
/// non-space), no `: ` or ` #` inside, no `:` last. A plain scalar that was read from a file
/// usually is, but saphyr also accepts some in flow context that YAML does not
/// (`{>x: 1}`), and a multi-line one is folded onto one line; any other is double-quoted,
/// which keeps its type (such a text always resolves to a string).
pub(super) fn plain_is_safe(text: &str) -> bool {
    let mut chars = text.chars();
    let first_ok = match chars.next() {
        Some('-' | '?' | ':') => chars.next().is_some_and(|c| !c.is_whitespace()),
        Some(c) => !c.is_whitespace() && !",[]{}#&*!|>'\"%@`".contains(c),
        None => false,
    };
    first_ok
        && !text.ends_with(char::is_whitespace)
        && !text.ends_with(':')
        && ![": ", ":\t", " #", "\t#"].iter().any(|s| text.contains(s))
        && !text.contains(['\n', '\r'])
}

/// `---` or `...` followed by a space, a tab or nothing: at column 0, a document marker.
fn starts_with_document_marker(text: &str) -> bool {
    ["---", "..."].iter().any(|marker| {
        text.strip_prefix(marker)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A node that fits on one line: a scalar (after its tag), or an empty collection.
fn inline(node: &Node, indent: usize) -> String {
    match &node.value {
        Value::Sequence(_) => "[]".into(),
        Value::Mapping(_) => "{}".into(),
        Value::Scalar(s) => tagged(s, scalar_text(s, indent)),
    }
}

/// `text` (the scalar as written) after the scalar's tag, if it has one.
fn tagged(scalar: &Scalar, text: String) -> String {
    match &scalar.tag {
        None => text,
        Some(tag) if text.is_empty() => tag.written(),
        Some(tag) => format!("{} {text}", tag.written()),
    }
}

/// A scalar as written, without its tag.
fn scalar_text(s: &Scalar, indent: usize) -> String {
    match s.style {
        Style::Plain if s.text.is_empty() || plain_is_safe(&s.text) => s.text.clone(),
        Style::SingleQuoted if !s.text.contains('\n') => {
            format!("'{}'", s.text.replace('\'', "''"))
        }
        Style::Literal | Style::Folded
            if s.text.ends_with('\n')
                && !s.text.ends_with("\n\n")
                && !s.text.starts_with([' ', '\n']) =>
        {
            // A block scalar is kept as a literal block: the text is identical either way.
            let mut block = String::from("|\n");
            for line in s.text.lines() {
                if !line.is_empty() {
                    push_indent(&mut block, indent);
                    block.push_str(line);
                }
                block.push('\n');
            }
            block.pop();
            block
        }
        _ => double_quoted(&s.text),
    }
}

fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
