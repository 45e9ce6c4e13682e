//! An order-preserving YAML tree that keeps every scalar exactly as it was written.
//!
//! serde-based YAML values read `version: 1.10` as the float 1.1 before any code can keep the
//! spelling (the Go packager's bug). This tree is built from `saphyr-parser` events instead: a
//! scalar keeps its source text, quoting style and tag, a mapping keeps its key order, and every
//! node keeps the line and column it started at, so errors can point at it and the packager can
//! write the manifest back without changing data.
//!
//! `parse` reads text into the tree (`tabs` refusing a line that starts with a tab, as Go's
//! YAML libraries do), `tags` gives `!!binary` and the core tags their meaning,
//! and `emit` writes a tree back.

mod emit;
mod parse;
mod tabs;
mod tags;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use saphyr_parser::{ScalarStyle, Span};

pub use emit::emit;
pub use parse::{
    MAX_ALIAS_EXPANSION, MAX_DEPTH, SyntaxError, parse, parse_as_go_unmarshal,
    parse_as_go_v3_unmarshal, with_fix,
};
pub use tags::{InvalidBinary, check_core_tags, decode_binary_scalars};

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

/// A scalar: its text after unquoting, how it was written, and its tag if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    pub style: Style,
    /// `!!str` in `version: !!str 1.10`: it decides the type (a string here, where the plain
    /// text alone is a number), so it is kept and written back.
    pub tag: Option<Tag>,
}

/// A scalar's tag, by its full name: `tag:yaml.org,2002:str` for `!!str` (or the verbatim
/// `!<tag:yaml.org,2002:str>`), `!x` for the local tag `!x`, `!` for the non-specific tag.
/// Written back by `Tag::written`, a `%TAG` shorthand becomes the verbatim form of its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
}

/// The prefix `!!` stands for when no `%TAG` directive changes it.
const CORE_SCHEMA: &str = "tag:yaml.org,2002:";

impl Tag {
    /// The suffix of a core schema tag (`str` for `!!str`).
    fn core(&self) -> Option<&str> {
        self.name.strip_prefix(CORE_SCHEMA)
    }

    /// The tag as YAML text that reads back as the same tag in a document without `%TAG`
    /// directives: `!`, `!!x` and `!x` where they can be, else the verbatim `!<…>`. Characters
    /// that cannot stand in a tag are percent-escaped (the parser decodes them).
    fn written(&self) -> String {
        let escaped = |text: &str| {
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':' | '/') {
                    out.push(c);
                } else {
                    let mut buffer = [0; 4];
                    for byte in c.encode_utf8(&mut buffer).bytes() {
                        let _ = write!(out, "%{byte:02X}");
                    }
                }
            }
            out
        };
        if self.name == "!" {
            self.name.clone()
        } else if let Some(suffix) = self.core().filter(|s| !s.is_empty()) {
            format!("!!{}", escaped(suffix))
        } else if let Some(local) = self.name.strip_prefix('!') {
            format!("!{}", escaped(local))
        } else {
            format!("!<{}>", escaped(&self.name))
        }
    }
}

impl From<&saphyr_parser::Tag> for Tag {
    fn from(tag: &saphyr_parser::Tag) -> Self {
        // The parser gives the non-specific `!` as an empty handle and the suffix `!`, a local
        // `!x` as the handle `!` and `x`, and other tags as prefix and suffix.
        Tag {
            name: format!("{}{}", tag.handle, tag.suffix),
        }
    }
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
    /// The type a YAML loader gives this scalar: the type its core schema tag names (`!!str 1.10`
    /// is a string), a string for the non-specific tag `!`, else by its text, where only plain
    /// scalars can be anything but a string.
    pub fn resolved_type(&self) -> ScalarType {
        if let Some(tag) = &self.tag {
            match tag.core() {
                Some("str") => return ScalarType::Str,
                Some("int") => return ScalarType::Int,
                Some("float") => return ScalarType::Float,
                Some("bool") => return ScalarType::Bool,
                Some("null") => return ScalarType::Null,
                _ if tag.name == "!" => return ScalarType::Str,
                _ => {}
            }
        }
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
                tag: None,
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
