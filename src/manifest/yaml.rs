//! An order-preserving YAML tree that keeps every scalar exactly as it was written.
//!
//! serde-based YAML values read `version: 1.10` as the float 1.1 before any code can keep the
//! spelling (the Go packager's bug). This tree is built from `saphyr-parser` events instead: a
//! scalar keeps its source text and quoting style, a mapping keeps its key order, and every node
//! keeps the line and column it started at, so errors can point at it and the packager can write
//! the manifest back without changing data (see `emit`).

use std::fmt::Write as _;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// A 1-based line and column in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

impl From<&Span> for Position {
    fn from(span: &Span) -> Self {
        Position {
            line: span.start.line(),
            column: span.start.col() + 1,
        }
    }
}

/// How a scalar was quoted in the source; the emitter writes it back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl From<ScalarStyle> for Style {
    fn from(style: ScalarStyle) -> Self {
        match style {
            ScalarStyle::Plain => Style::Plain,
            ScalarStyle::SingleQuoted => Style::SingleQuoted,
            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
            ScalarStyle::Literal => Style::Literal,
            ScalarStyle::Folded => Style::Folded,
        }
    }
}

/// A scalar: its text after unquoting, and how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    pub style: Style,
}

/// What YAML's core schema makes of a scalar (YAML 1.1 spellings included, as Go and Ruby read them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

impl Scalar {
    /// The type a YAML loader gives this scalar. Only plain scalars can be anything but a string.
    pub fn resolved_type(&self) -> ScalarType {
        if self.style != Style::Plain {
            return ScalarType::Str;
        }
        let t = self.text.as_str();
        match t {
            "" | "~" | "null" | "Null" | "NULL" => return ScalarType::Null,
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "yes" | "Yes" | "YES"
            | "no" | "No" | "NO" | "on" | "On" | "ON" | "off" | "Off" | "OFF" => {
                return ScalarType::Bool;
            }
            _ => {}
        }
        let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
        let is_int = (!unsigned.is_empty()
            && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
            || unsigned
                .strip_prefix("0x")
                .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
            || unsigned
                .strip_prefix("0o")
                .is_some_and(|o| !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b)));
        if is_int {
            return ScalarType::Int;
        }
        if is_float(unsigned) {
            return ScalarType::Float;
        }
        ScalarType::Str
    }

    pub fn is_null(&self) -> bool {
        self.resolved_type() == ScalarType::Null
    }
}

fn is_float(t: &str) -> bool {
    if matches!(t, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, frac)) => {
            (whole.is_empty() || digits(whole))
                && (frac.is_empty() || digits(frac))
                && !(whole.is_empty() && frac.is_empty())
        }
        None => exponent.is_some() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    /// Entries in source order. Keys are scalars (complex keys are refused when parsing).
    Mapping(Vec<(Node, Node)>),
}

/// A value and where it starts in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub value: Value,
    pub position: Position,
}

impl Node {
    pub fn scalar(text: impl Into<String>, style: Style) -> Node {
        Node {
            value: Value::Scalar(Scalar {
                text: text.into(),
                style,
            }),
            position: Position::default(),
        }
    }

    pub fn mapping(entries: Vec<(Node, Node)>) -> Node {
        Node {
            value: Value::Mapping(entries),
            position: Position::default(),
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// True for an explicit or implied null (`key:` with nothing after it).
    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(Scalar::is_null)
    }

    /// The key's text when this node is a mapping key.
    pub fn key_text(&self) -> &str {
        self.as_scalar().map_or("", |s| s.text.as_str())
    }

    /// Look up a key in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Mapping(entries) => entries
                .iter()
                .find(|(k, _)| k.key_text() == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A short description of the node's kind for "expected X, found Y" messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar(s) => match s.resolved_type() {
                ScalarType::Null => "null",
                ScalarType::Bool => "a boolean",
                ScalarType::Int => "an integer",
                ScalarType::Float => "a number",
                ScalarType::Str => "a string",
            },
            Value::Sequence(_) => "a list",
            Value::Mapping(_) => "a mapping",
        }
    }
}

/// A YAML syntax error with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {message}")]
pub struct SyntaxError {
    pub position: Position,
    pub message: String,
}

/// Parse the first document of `text` into a tree. An empty document is a null scalar.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut builder = Builder {
        anchors: Vec::new(),
        stack: Vec::new(),
        documents: Vec::new(),
        expanded: 0,
    };
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            tab_in_indentation(text).unwrap_or_else(|| SyntaxError {
                position: Position {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                },
                message: e.info().to_string(),
            })
        })?;
        builder.on_event(event, &span)?;
    }
    let mut documents = builder.documents;
    if documents.len() > 1 {
        return Err(SyntaxError {
            position: documents[1].position,
            message: "found a second YAML document (`---`); a manifest is one document".into(),
        });
    }
    Ok(documents.pop().unwrap_or_else(|| {
        // Errors about an empty file point at its start, not at line 0.
        let mut empty = Node::scalar("", Style::Plain);
        empty.position = Position { line: 1, column: 1 };
        empty
    }))
}

/// The first line indented with a tab, as the error to show when parsing failed: the YAML
/// library reports such a tab as `found a tab` at the end of the line before, never saying that
/// YAML indents with spaces only. Blank lines and comments may start with tabs, and tabs after
/// the indentation (in values, in comments) are fine, so none of those count.
fn tab_in_indentation(text: &str) -> Option<SyntaxError> {
    text.lines().enumerate().find_map(|(index, line)| {
        let content = line.trim_start_matches([' ', '\t']);
        let indentation = &line[..line.len() - content.len()];
        let counts = indentation.contains('\t') && !content.is_empty() && !content.starts_with('#');
        counts.then(|| SyntaxError {
            position: Position {
                line: index + 1,
                column: 1,
            },
            message: "a tab in the indentation; YAML indents with spaces".into(),
        })
    })
}

enum Frame {
    Sequence {
        items: Vec<Node>,
        position: Position,
        anchor: usize,
    },
    Mapping {
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
        position: Position,
        anchor: usize,
    },
}

/// The most an alias expansion may add to the tree, in nodes plus scalar bytes, over the whole
/// document. Every alias is a copy of its anchor, so a few lines of nested aliases (the
/// "billion laughs") would otherwise take minutes and gigabytes; a real manifest reuses a
/// `cf_stacks` list or two, a few thousand at most.
const MAX_ALIAS_EXPANSION: usize = 1_000_000;

struct Builder {
    /// Each anchor's node and its [`weight`].
    anchors: Vec<(usize, Node, usize)>,
    stack: Vec<Frame>,
    documents: Vec<Node>,
    /// The weight added by aliases so far.
    expanded: usize,
}

/// The size of a node as an alias copy costs it: one per node, plus the bytes of its scalars.
fn weight(node: &Node) -> usize {
    match &node.value {
        Value::Scalar(scalar) => 1 + scalar.text.len(),
        Value::Sequence(items) => items.iter().fold(1, |sum, item| sum + weight(item)),
        Value::Mapping(entries) => entries
            .iter()
            .fold(1, |sum, (key, value)| sum + weight(key) + weight(value)),
    }
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>, span: &Span) -> Result<(), SyntaxError> {
        let position = Position::from(span);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let node = Node {
                    value: Value::Scalar(Scalar {
                        text: text.into_owned(),
                        style: style.into(),
                    }),
                    position,
                };
                self.remember(anchor, &node);
                self.push(node)?;
            }
            Event::Alias(id) => {
                let (anchored, cost) = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(anchor, _, _)| *anchor == id)
                    .map(|(_, node, cost)| (node, *cost))
                    .ok_or_else(|| SyntaxError {
                        position,
                        message: "alias to an unknown anchor".into(),
                    })?;
                self.expanded = self.expanded.saturating_add(cost);
                if self.expanded > MAX_ALIAS_EXPANSION {
                    return Err(SyntaxError {
                        position,
                        message: format!(
                            "the aliases up to here expand to more than {MAX_ALIAS_EXPANSION} nodes and bytes; write the values out instead of nesting aliases"
                        ),
                    });
                }
                let node = Node {
                    value: anchored.value.clone(),
                    position,
                };
                self.push(node)?;
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Sequence {
                items: Vec::new(),
                position,
                anchor,
            }),
            Event::MappingStart(anchor, _) => {
                self.stack.push(Frame::Mapping {
                    entries: Vec::new(),
                    pending_key: None,
                    position,
                    anchor,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Sequence {
                        items,
                        position,
                        anchor,
                    }) => {
                        let node = Node {
                            value: Value::Sequence(items),
                            position,
                        };
                        self.remember(anchor, &node);
                        node
                    }
                    Some(Frame::Mapping {
                        entries,
                        position,
                        anchor,
                        ..
                    }) => {
                        let node = Node {
                            value: Value::Mapping(entries),
                            position,
                        };
                        self.remember(anchor, &node);
                        node
                    }
                    None => {
                        return Err(SyntaxError {
                            position,
                            message: "unbalanced collection end".into(),
                        });
                    }
                };
                self.push(node)?;
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => {}
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.push((anchor, node.clone(), weight(node)));
        }
    }

    fn push(&mut self, node: Node) -> Result<(), SyntaxError> {
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    if node.as_scalar().is_none() {
                        return Err(SyntaxError {
                            position: node.position,
                            message: "a mapping key must be a plain string, not a list or mapping"
                                .into(),
                        });
                    }
                    if let Some((first, _)) = entries
                        .iter()
                        .find(|(k, _)| k.key_text() == node.key_text())
                    {
                        return Err(SyntaxError {
                            position: node.position,
                            message: format!(
                                "duplicate key `{}` (first at line {})",
                                node.key_text(),
                                first.position.line
                            ),
                        });
                    }
                    *pending_key = Some(node);
                }
                Some(key) => entries.push((key, node)),
            },
        }
        Ok(())
    }
}

/// Write a tree back as block-style YAML, starting with `---`.
///
/// Scalars keep their quoting style and text, so a plain `1.10` stays `1.10` and `'6.1'` stays
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
const MAX_IMPLICIT_KEY: usize = 1000;

fn emit_mapping(out: &mut String, entries: &[(Node, Node)], indent: usize) {
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            push_indent(out, indent);
        }
        // A key is always one line: a block scalar key is written double-quoted. A long key,
        // or one at column 0 that starts like a document marker (`--- x`), takes the explicit
        // form `? key` with `:` on the next line.
        let key_text = match key.as_scalar() {
            Some(s) if matches!(s.style, Style::Literal | Style::Folded) => double_quoted(&s.text),
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
            Value::Scalar(s) if s.text.is_empty() && s.style == Style::Plain => out.push('\n'),
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
fn plain_is_safe(text: &str) -> bool {
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

/// A node that fits on one line: a scalar, or an empty collection.
fn inline(node: &Node, indent: usize) -> String {
    match &node.value {
        Value::Sequence(_) => "[]".into(),
        Value::Mapping(_) => "{}".into(),
        Value::Scalar(s) => match s.style {
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
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_float_spelling_and_quoting() {
        let root = parse("---\nversion: 1.10\nother: '6.1'\nzero: 0\n").unwrap();
        let v = root.get("version").unwrap().as_scalar().unwrap();
        assert_eq!(v.text, "1.10");
        assert_eq!(v.resolved_type(), ScalarType::Float);
        assert_eq!(
            root.get("other").unwrap().as_scalar().unwrap().style,
            Style::SingleQuoted
        );
        assert_eq!(
            root.get("zero")
                .unwrap()
                .as_scalar()
                .unwrap()
                .resolved_type(),
            ScalarType::Int
        );
        assert_eq!(emit(&root), "---\nversion: 1.10\nother: '6.1'\nzero: 0\n");
    }

    #[test]
    fn reports_position_of_syntax_errors() {
        let err = parse("a: b\n  c: [d\n").unwrap_err();
        assert!(err.position.line >= 2, "{err}");
    }

    #[test]
    fn a_tab_in_the_indentation_is_named_at_its_line() {
        let err = parse("language: x\ndependencies:\n- name: a\n\tversion: 1.0\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 4, column 1: a tab in the indentation; YAML indents with spaces"
        );
        // Tabs in values and comments, and before a comment, are not indentation.
        assert!(parse("a: \"1\\t2\" # x\ty\n\t# c\nb:\n  - c\td\n").is_ok());
        // When parsing fails for another reason, that reason is shown.
        let err = parse("a: [b\n\t# c\n").unwrap_err();
        assert!(!err.message.contains("tab"), "{err}");
    }

    #[test]
    fn refuses_duplicate_keys_with_both_lines() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3, column 1: duplicate key `a` (first at line 1)"
        );
    }

    #[test]
    fn null_values_and_nested_sequences_round_trip() {
        let text = "---\nlanguage: php\ndependency_deprecation_dates:\ndependencies:\n- name: php\n  version: 8.2.1\n  cf_stacks:\n  - cflinuxfs4\n  dependencies:\n  - name: bz2\n    version:\n  - name: amqp\n    version: 2.1.2\nempty: []\n";
        let root = parse(text).unwrap();
        assert!(root.get("dependency_deprecation_dates").unwrap().is_null());
        assert_eq!(emit(&root), text);
        assert_eq!(parse(&emit(&root)).unwrap(), root);
    }

    #[test]
    fn multi_line_plain_scalars_are_written_on_one_line() {
        let root = parse("a:\n  description: one two\n    three\n").unwrap();
        assert_eq!(emit(&root), "---\na:\n  description: one two three\n");
    }

    #[test]
    fn block_and_special_scalars_survive_a_round_trip() {
        let text = "script: |\n  echo one\n  echo two\nq: \"tab\\there\"\ns: 'it''s'\n";
        let root = parse(text).unwrap();
        let again = parse(&emit(&root)).unwrap();
        for key in ["script", "q", "s"] {
            assert_eq!(
                again.get(key).unwrap().as_scalar().unwrap().text,
                root.get(key).unwrap().as_scalar().unwrap().text
            );
        }
    }

    /// Found by `cargo fuzz run manifest` (fuzz/regressions/manifest/root-scalar-document-marker):
    /// a root scalar was written alone at column 0, where a text such as `--- a` (here from
    /// a multi-line plain scalar) or `...` reads as a document marker.
    #[test]
    fn root_scalars_stay_off_column_0() {
        for text in [
            " ---\nlanguage:x\n:y\n",
            "--- |\n  ...\n",
            "--- |\n  --- a\n",
        ] {
            let root = parse(text).unwrap();
            let again = parse(&emit(&root)).unwrap();
            assert_eq!(
                again.as_scalar().unwrap().text,
                root.as_scalar().unwrap().text
            );
        }
        assert_eq!(emit(&parse("x").unwrap()), "--- x\n");
        assert_eq!(emit(&parse("--- |\n  a\n").unwrap()), "--- |\n  a\n");
        assert_eq!(emit(&parse("").unwrap()), "---\n");
    }

    /// Keys that an implicit `key:` cannot hold: a block scalar key, a key over YAML's 1024
    /// characters, a key at column 0 that starts like a document marker. (Found while writing
    /// the manifest fuzz target's round-trip property: fuzz/regressions/manifest/key-*.)
    #[test]
    fn awkward_keys_round_trip() {
        let long = "k".repeat(1500);
        for text in [
            "? |\n  a\n: b\n".to_string(),
            format!("? {long}\n: v\n"),
            format!("- ? \"{long}\"\n  : [1]\n"),
            "{--- a: 1, ... : 2, ---b: 3}\n".to_string(),
        ] {
            let root = parse(&text).unwrap();
            let emitted = emit(&root);
            let again = parse(&emitted).unwrap_or_else(|e| panic!("{e}:\n{emitted}"));
            assert_eq!(emit(&again), emitted);
        }
        assert_eq!(
            emit(&parse("? |\n  a\n: b\n").unwrap()),
            "---\n\"a\\n\": b\n"
        );
        assert_eq!(
            emit(&parse("{--- a: 1, ---b: 2}").unwrap()),
            "---\n? --- a\n: 1\n---b: 2\n"
        );
    }

    /// Found by `cargo fuzz run manifest` (fuzz/regressions/manifest/flow-plain-indicator):
    /// saphyr reads `>.> -` in a flow mapping as a plain scalar, which YAML does not allow
    /// and which, written back in block style, starts a folded block scalar.
    #[test]
    fn plain_text_that_cannot_be_plain_is_quoted() {
        let root = parse("{--- a: 1, >.> -:, 2 -)b: 3}").unwrap();
        assert_eq!(emit(&root), "---\n? --- a\n: 1\n\">.> -\":\n2 -)b: 3\n");
        for (text, plain) in [
            ("a", true),
            ("-a", true),
            ("a:b", true),
            ("a#b", true),
            ("1.10", true),
            ("-", false),
            ("- a", false),
            (">a", false),
            ("a: b", false),
            ("a #b", false),
            ("a:", false),
            (" a", false),
            ("a ", false),
            ("a\nb", false),
            ("", false),
        ] {
            assert_eq!(plain_is_safe(text), plain, "{text:?}");
        }
    }

    #[test]
    fn nested_aliases_that_would_explode_are_refused_at_once() {
        // Nine levels of ten aliases each: 10^9 scalars if expanded.
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(", ");
            writeln!(text, "a{level}: &a{level} [{items}]").unwrap();
        }
        let started = std::time::Instant::now();
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 6, column 25: the aliases up to here expand to more than 1000000 nodes and bytes; write the values out instead of nesting aliases"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // A large scalar repeated is the same bomb with fewer nodes.
        let big = format!(
            "a: &a {}\nb: [{}]\n",
            "y".repeat(100_000),
            ["*a"; 20].join(", ")
        );
        assert!(
            parse(&big)
                .unwrap_err()
                .message
                .starts_with("the aliases up to here")
        );
    }

    #[test]
    fn aliases_are_expanded() {
        let root = parse("a: &x [1, 2]\nb: *x\n").unwrap();
        assert_eq!(root.get("a").unwrap().value, root.get("b").unwrap().value);
    }
}
