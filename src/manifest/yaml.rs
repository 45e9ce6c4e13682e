//! An order-preserving YAML tree that keeps every scalar exactly as it was written.
//!
//! serde-based YAML values read `version: 1.10` as the float 1.1 before any code can keep the
//! spelling (the Go packager's bug). This tree is built from `saphyr-parser` events instead: a
//! scalar keeps its source text, quoting style and tag, a mapping keeps its key order, and every
//! node keeps the line and column it started at, so errors can point at it and the packager can
//! write the manifest back without changing data (see `emit`).

use std::collections::HashMap;
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

/// A `!!binary` scalar whose text is not base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("!!binary value contains invalid base64 data")]
pub struct InvalidBinary;

impl Scalar {
    /// For a `!!binary` scalar, the text its base64 encodes, as Go's yaml.v2 decodes such a
    /// scalar into a string (the libbuildpack manifest, and everything the builder and launcher
    /// read): Go's standard encoding, padding required, line breaks skipped. Bytes that are not
    /// UTF-8 become U+FFFD, as Go's JSON encoder writes them. `None` for any other scalar.
    pub fn binary_text(&self) -> Option<Result<String, InvalidBinary>> {
        let tag = self.tag.as_ref()?;
        if tag.core() != Some("binary") {
            return None;
        }
        Some(
            decode_base64(&self.text)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .ok_or(InvalidBinary),
        )
    }
}

/// Go's `base64.StdEncoding.DecodeString`: the standard alphabet with `=` padding required,
/// `\r` and `\n` skipped anywhere, anything else (a space included) refused. Like Go, the
/// unused low bits of the last character need not be zero.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let chars: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b'\r' | b'\n'))
        .collect();
    if !chars.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let quads = chars.len() / 4;
    for (i, quad) in chars.chunks(4).enumerate() {
        // Padding only at the very end: `xx==` or `xxx=`.
        let padding = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if padding > 2 || (padding > 0 && i + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - padding] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * padding;
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..4 - padding]);
    }
    Some(out)
}

/// `node` with every `!!binary` scalar replaced by the double-quoted text it encodes, as
/// libbuildpack's yaml.v2 reads its manifest: the manifest's meaning, for a tree read with
/// [`parse`]. An invalid one is refused (yaml.v2 refuses it too) at the scalar, with its key
/// path and the fix, as [`check_core_tags`] refuses `!!int abc`.
pub fn decode_binary_scalars(node: &Node) -> Result<Node, SyntaxError> {
    decode_binary_at(node, "")
}

fn decode_binary_at(node: &Node, path: &str) -> Result<Node, SyntaxError> {
    let value = match &node.value {
        Value::Scalar(scalar) => match scalar.binary_text() {
            None => Value::Scalar(scalar.clone()),
            Some(Ok(text)) => Value::Scalar(Scalar {
                text,
                style: Style::DoubleQuoted,
                tag: None,
            }),
            Some(Err(InvalidBinary)) => {
                return Err(SyntaxError {
                    position: node.position,
                    message: format!(
                        "{}the tag !!binary says the value is base64 (with `=` padding), but `{}` is not; remove the tag to write the value as plain text, or encode it again with base64",
                        path_prefix(path),
                        shortened(&scalar.text)
                    ),
                });
            }
        },
        Value::Sequence(items) => Value::Sequence(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| decode_binary_at(item, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        Value::Mapping(entries) => Value::Mapping(
            entries
                .iter()
                .map(|(k, v)| {
                    Ok((
                        decode_binary_at(k, path)?,
                        decode_binary_at(v, &key_path(path, k))?,
                    ))
                })
                .collect::<Result<_, SyntaxError>>()?,
        ),
    };
    Ok(Node {
        value,
        position: node.position,
    })
}

/// The path of the value of `key` in the mapping at `path` (`dependencies[0]` and `uri` give
/// `dependencies[0].uri`).
fn key_path(path: &str, key: &Node) -> String {
    if path.is_empty() {
        key.key_text().to_owned()
    } else {
        format!("{path}.{}", key.key_text())
    }
}

/// `path: ` to start a message, or nothing for the document itself.
fn path_prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

/// A scalar's text for a one-line message: line breaks (a block of base64) as spaces, and
/// at most 40 characters.
fn shortened(text: &str) -> String {
    let flat: String = text
        .trim()
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if flat.chars().count() > 40 {
        format!("{}…", flat.chars().take(40).collect::<String>())
    } else {
        flat
    }
}

/// Every scalar with a core schema tag that names a type (`!!int`, `!!float`, `!!bool`,
/// `!!null`, `!!timestamp`) must be written as a value of that type. yaml.v2, which reads the
/// manifest for libbuildpack and the Go packager, refuses `!!int abc` ("cannot decode !!str
/// `abc` as a !!int"); accepting it would make the tag mean nothing here (a version, a URL or a
/// command is taken as written) or, for `!!null`, drop the value. The error names the key path
/// (`dependencies[0].version`) and the fix; keys are checked too, at their mapping's path.
pub fn check_core_tags(node: &Node) -> Result<(), SyntaxError> {
    check_tags_at(node, "")
}

fn check_tags_at(node: &Node, path: &str) -> Result<(), SyntaxError> {
    match &node.value {
        Value::Scalar(scalar) => check_scalar_tag(scalar, node.position, path),
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_tags_at(item, &format!("{path}[{i}]"))),
        Value::Mapping(entries) => entries.iter().try_for_each(|(key, value)| {
            check_tags_at(key, path)?;
            check_tags_at(value, &key_path(path, key))
        }),
    }
}

fn check_scalar_tag(scalar: &Scalar, position: Position, path: &str) -> Result<(), SyntaxError> {
    let Some(core) = scalar.tag.as_ref().and_then(Tag::core) else {
        return Ok(());
    };
    // The tag decides the type and the text must fit it, quoted or not (yaml.v2 resolves a
    // tagged quoted scalar's text as if plain): what the text would be without the tag.
    let untagged = Scalar {
        text: scalar.text.clone(),
        style: Style::Plain,
        tag: None,
    }
    .resolved_type();
    let (fits, kind) = match core {
        "int" => (untagged == ScalarType::Int, "a whole number"),
        // yaml.v2 reads a whole number tagged `!!float` as that number.
        "float" => (
            matches!(untagged, ScalarType::Int | ScalarType::Float),
            "a number",
        ),
        "bool" => (untagged == ScalarType::Bool, "true or false"),
        "null" => (untagged == ScalarType::Null, "null (`~` or nothing)"),
        "timestamp" => (is_timestamp(&scalar.text), "a date such as 2026-12-31"),
        _ => return Ok(()),
    };
    if fits {
        return Ok(());
    }
    let written = Tag {
        name: format!("{CORE_SCHEMA}{core}"),
    }
    .written();
    let at = path_prefix(path);
    Err(SyntaxError {
        position,
        message: format!(
            "{at}the tag {written} says the value is {kind}, but `{}` is not; remove the tag, or write {kind}",
            scalar.text
        ),
    })
}

/// A YAML timestamp as yaml.v2 reads one: `2006-1-2`, optionally followed by `T`, `t` or
/// spaces and a time `15:4:5` with optional fraction and zone (`Z`, `+09:00`).
fn is_timestamp(text: &str) -> bool {
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let date_end = text.find(['T', 't', ' ', '\t']).unwrap_or(text.len());
    let mut date = text[..date_end].split('-');
    let date_ok = matches!(
        (date.next(), date.next(), date.next(), date.next()),
        (Some(y), Some(m), Some(d), None) if digits(y, 4, 4) && digits(m, 1, 2) && digits(d, 1, 2)
    );
    if !date_ok {
        return false;
    }
    let time = text[date_end..].trim_start_matches(['T', 't', ' ', '\t']);
    if date_end == text.len() {
        return true;
    }
    // The zone: `Z`, or a sign and hours with optional `:MM`, after optional blanks.
    let (clock, zone) = match time.find(['Z', '+', '-']) {
        Some(i) => (time[..i].trim_end_matches([' ', '\t']), &time[i..]),
        None => (time, ""),
    };
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || zone[1..]
            .split_once(':')
            .map_or(digits(&zone[1..], 1, 2), |(h, m)| {
                digits(h, 1, 2) && digits(m, 2, 2)
            });
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let clock_ok = matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(h), Some(m), Some(s), None) if digits(h, 1, 2) && digits(m, 1, 2) && digits(s, 1, 2)
    ) && fraction.bytes().all(|b| b.is_ascii_digit());
    clock_ok && zone_ok
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

/// A YAML syntax error with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {message}")]
pub struct SyntaxError {
    pub position: Position,
    pub message: String,
}

/// Parse the first document of `text` into a tree. An empty document is a null scalar.
///
/// A manifest is read strictly: a duplicate key or a second document is an error, as either
/// is almost always a mistake in a file someone edits.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    parse_with(text, Reading::Strict)
}

/// Parse `text` as Go's `yaml.Unmarshal` (yaml.v2, not `UnmarshalStrict`) reads it, for the
/// documents the platform's builder and launcher read that way: a buildpack's `release`
/// output, `launch.yml` and `config.yml`, the app's `Procfile`, `staging_info.yml`. A
/// duplicate key is no error there (the later value wins), and only the first document is
/// read (what follows its end is never parsed). Refusing either would fail a staging the
/// platform lets through.
pub fn parse_as_go_unmarshal(text: &str) -> Result<Node, SyntaxError> {
    parse_with(text, Reading::GoUnmarshal)
}

/// How strictly [`parse_with`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Duplicate keys and further documents are errors.
    Strict,
    /// yaml.v2's `Unmarshal`: a later duplicate key replaces the earlier one; the first
    /// document only.
    GoUnmarshal,
}

fn parse_with(text: &str, reading: Reading) -> Result<Node, SyntaxError> {
    let mut builder = Builder {
        anchors: Vec::new(),
        stack: Vec::new(),
        documents: Vec::new(),
        alias_values: 0,
        reading,
    };
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            tab_in_indentation(text)
                .or_else(|| {
                    let after_colon = e.info().contains("':' must be followed by");
                    after_colon.then(|| tab_after_colon(text, e.marker().line()))?
                })
                .unwrap_or_else(|| SyntaxError {
                    position: Position {
                        line: e.marker().line(),
                        column: e.marker().col() + 1,
                    },
                    message: e.info().to_string(),
                })
        })?;
        // yaml.v2 reads one document and its end; anything after is never parsed.
        let first_document_ended = matches!(event, Event::DocumentEnd);
        builder.on_event(event, &span)?;
        if first_document_ended && reading == Reading::GoUnmarshal {
            break;
        }
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

/// The YAML library's message, with the fix for the mistakes people make by hand: a value
/// holding `: ` unquoted, a line indented more or less than its neighbours, text after a
/// quoted value, an unclosed quote, a value starting with a character YAML reserves. The
/// library's words name none of those (and say "double-quoted" for a single-quoted value).
/// For a manifest only: the YAML a buildpack prints (release's output, launch.yml) gets the
/// builder's messages, word for word.
pub fn with_fix(info: &str) -> String {
    let fix = if info.contains("mapping values are not allowed") {
        "; a value holding `: ` must be quoted whole (`web: 'run --opt a: b'`), and a key must be indented as the keys beside it"
    } else if info.contains("did not find expected key") {
        "; indent this line as the keys beside it (or quote a value that holds `: ` or starts with a quote)"
    } else if info.contains("trailing content after") {
        return "text after the closing quote of a value; quote the whole value (`web: 'ruby \"app.rb\" -p $PORT'`), not part of it".into();
    } else if info.contains("found unexpected end of stream") && info.contains("quoted scalar") {
        "; a quote is not closed: close it at the end of the value"
    } else if info.contains("flow sequence") || info.contains("flow mapping") {
        "; close the `[` or `{` of the value, with `,` between its items (or quote a value that starts with `[` or `{`)"
    } else if info.starts_with("unexpected character") {
        "; a plain value cannot start with it: quote the value"
    } else {
        ""
    };
    format!("{info}{fix}")
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

/// A tab right after a key's `:` on the failing line, as the error to show: YAML separates a
/// key from its value with spaces (Go's YAML library and PyYAML refuse the tab too, as "cannot
/// start any token"), but the YAML library says only that `:` "must be followed by a valid YAML
/// whitespace", pointing past the tab, where nothing looks wrong.
fn tab_after_colon(text: &str, line: usize) -> Option<SyntaxError> {
    let content = text.lines().nth(line.checked_sub(1)?)?;
    let tab = content.find(":\t")? + 1;
    Some(SyntaxError {
        position: Position {
            line,
            column: content[..tab].chars().count() + 1,
        },
        message: "a tab after `:`; YAML separates a key from its value with a space: replace the tab with a space".into(),
    })
}

/// The deepest nesting of lists and mappings accepted. Real manifests nest 5 levels; without a
/// bound, a 200 KB file of `- - - - …` built a tree whose recursive drop overflowed the stack
/// and aborted the process. The scanner already stops flow collections (`[[[…`) at 255 levels.
pub const MAX_DEPTH: usize = 256;

/// The most that aliases may add to a document, in values plus the bytes of their scalars. An
/// alias is a copy of its anchor's value, so nine lines of aliases to aliases (the "billion
/// laughs") expand to billions of values, and a few aliases of one long scalar to gigabytes;
/// either exhausted memory. Real manifests use no aliases (see the corpus README); Go's YAML
/// library refuses such documents too ("excessive aliasing").
pub const MAX_ALIAS_EXPANSION: usize = 1_000_000;

enum Collection {
    Sequence(Vec<Node>),
    Mapping {
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
        /// Each key's line, to find a duplicate without a scan per key (quadratic: a mapping of
        /// 100 000 keys took two minutes).
        lines: HashMap<String, usize>,
        /// The pending key repeats an earlier one (read as Go does: its value replaces the
        /// earlier entry).
        pending_duplicate: bool,
    },
}

/// A list or mapping being built, with what the limits need to know about its contents.
struct Frame {
    collection: Collection,
    position: Position,
    anchor: usize,
    /// Values inside it, at any depth, plus the bytes of its scalars (aliases counted as what
    /// they copy).
    size: usize,
    /// Levels of lists and mappings inside it (0 when it holds scalars only).
    height: usize,
}

/// An anchored value and its size and height, so an alias to it is checked without walking it.
struct Anchored {
    id: usize,
    node: Node,
    size: usize,
    height: usize,
}

struct Builder {
    anchors: Vec<Anchored>,
    stack: Vec<Frame>,
    documents: Vec<Node>,
    /// Values and bytes added by aliases so far (see [`MAX_ALIAS_EXPANSION`]).
    alias_values: usize,
    reading: Reading,
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>, span: &Span) -> Result<(), SyntaxError> {
        let position = Position::from(span);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let size = 1 + text.len();
                let node = Node {
                    value: Value::Scalar(Scalar {
                        text: text.into_owned(),
                        style: style.into(),
                        tag: tag.as_deref().map(Tag::from),
                    }),
                    position,
                };
                self.remember(anchor, &node, size, 0);
                self.push(node, size, 0)?;
            }
            Event::Alias(id) => {
                let anchored = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|anchored| anchored.id == id)
                    .ok_or_else(|| SyntaxError {
                        position,
                        message: "alias to an unknown anchor".into(),
                    })?;
                let (size, height) = (anchored.size, anchored.height);
                self.alias_values = self.alias_values.saturating_add(size);
                if self.alias_values > MAX_ALIAS_EXPANSION {
                    return Err(SyntaxError {
                        position,
                        message: format!(
                            "aliases expand the manifest by more than {MAX_ALIAS_EXPANSION} values and bytes; write the values out instead of aliasing aliases"
                        ),
                    });
                }
                Self::check_depth(self.stack.len() + height, position)?;
                let node = Node {
                    value: anchored.node.value.clone(),
                    position,
                };
                self.push(node, size, height)?;
            }
            Event::SequenceStart(anchor, _) => {
                Self::check_depth(self.stack.len() + 1, position)?;
                self.stack.push(Frame {
                    collection: Collection::Sequence(Vec::new()),
                    position,
                    anchor,
                    size: 0,
                    height: 0,
                });
            }
            Event::MappingStart(anchor, _) => {
                Self::check_depth(self.stack.len() + 1, position)?;
                self.stack.push(Frame {
                    collection: Collection::Mapping {
                        entries: Vec::new(),
                        pending_key: None,
                        lines: HashMap::new(),
                        pending_duplicate: false,
                    },
                    position,
                    anchor,
                    size: 0,
                    height: 0,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Err(SyntaxError {
                        position,
                        message: "unbalanced collection end".into(),
                    });
                };
                let value = match frame.collection {
                    Collection::Sequence(items) => Value::Sequence(items),
                    Collection::Mapping { entries, .. } => Value::Mapping(merge_keys(entries)?),
                };
                let node = Node {
                    value,
                    position: frame.position,
                };
                let (size, height) = (frame.size + 1, frame.height + 1);
                self.remember(frame.anchor, &node, size, height);
                self.push(node, size, height)?;
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => {}
        }
        Ok(())
    }

    fn check_depth(depth: usize, position: Position) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                position,
                message: format!(
                    "lists and mappings nested more than {MAX_DEPTH} levels deep; a manifest needs a few"
                ),
            });
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node, size: usize, height: usize) {
        if anchor != 0 {
            self.anchors.push(Anchored {
                id: anchor,
                node: node.clone(),
                size,
                height,
            });
        }
    }

    /// Add a finished value (`size` values in all, `height` levels deep) to its parent.
    fn push(&mut self, node: Node, size: usize, height: usize) -> Result<(), SyntaxError> {
        let Some(frame) = self.stack.last_mut() else {
            self.documents.push(node);
            return Ok(());
        };
        frame.size = frame.size.saturating_add(size);
        frame.height = frame.height.max(height);
        match &mut frame.collection {
            Collection::Sequence(items) => items.push(node),
            Collection::Mapping {
                entries,
                pending_key,
                lines,
                pending_duplicate,
            } => match pending_key.take() {
                None => {
                    if node.as_scalar().is_none() {
                        return Err(SyntaxError {
                            position: node.position,
                            message: "a mapping key must be a plain string, not a list or mapping"
                                .into(),
                        });
                    }
                    if let Some(first) = lines.get(node.key_text()) {
                        if self.reading == Reading::GoUnmarshal {
                            *pending_duplicate = true;
                            *pending_key = Some(node);
                            return Ok(());
                        }
                        return Err(SyntaxError {
                            position: node.position,
                            message: format!(
                                "duplicate key `{}` (first at line {first})",
                                node.key_text(),
                            ),
                        });
                    }
                    lines.insert(node.key_text().to_string(), node.position.line);
                    *pending_key = Some(node);
                }
                Some(key) => {
                    if std::mem::take(pending_duplicate) {
                        entries.retain(|(k, _)| k.key_text() != key.key_text());
                    }
                    entries.push((key, node));
                }
            },
        }
        Ok(())
    }
}

/// Apply a merge key (`<<: *base`, or `<<: [*a, *b]`), as Go's YAML library (and so libbuildpack
/// and the Go packager) does: the merged mappings' entries join this one where the `<<` was,
/// except keys it sets itself (those win), and with several mappings the first to set a key
/// wins. A quoted `'<<'` is an ordinary key.
fn merge_keys(entries: Vec<(Node, Node)>) -> Result<Vec<(Node, Node)>, SyntaxError> {
    let is_merge = |key: &Node| {
        key.as_scalar()
            .is_some_and(|k| k.text == "<<" && k.style == Style::Plain)
    };
    if !entries.iter().any(|(key, _)| is_merge(key)) {
        return Ok(entries);
    }
    let mut taken: std::collections::HashSet<String> = entries
        .iter()
        .filter(|(key, _)| !is_merge(key))
        .map(|(key, _)| key.key_text().to_string())
        .collect();
    let mut merged = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        if !is_merge(&key) {
            merged.push((key, value));
            continue;
        }
        let sources = match value.value {
            Value::Mapping(_) => vec![value],
            Value::Sequence(items)
                if items.iter().all(|i| matches!(i.value, Value::Mapping(_))) =>
            {
                items
            }
            _ => {
                return Err(SyntaxError {
                    position: value.position,
                    message: "the value of a merge key `<<` must be a mapping or a list of mappings (`<<: *base`)".into(),
                });
            }
        };
        for source in sources {
            if let Value::Mapping(source_entries) = source.value {
                for (source_key, source_value) in source_entries {
                    if taken.insert(source_key.key_text().to_string()) {
                        merged.push((source_key, source_value));
                    }
                }
            }
        }
    }
    Ok(merged)
}

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
    fn a_tab_after_a_keys_colon_is_named_at_its_column() {
        let err = parse("language: x\ndependencies:\n- name:\tfoo\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3, column 8: a tab after `:`; YAML separates a key from its value with a space: replace the tab with a space"
        );
        // Another error on a line with such a tab (in a quoted value) keeps its own words.
        let err = parse("a: \"x:\ty\" c: d\n").unwrap_err();
        assert!(!err.message.contains("tab"), "{err}");
    }

    #[test]
    fn reports_position_of_syntax_errors() {
        let err = parse("a: b\n  c: [d\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2, column 4: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn a_tab_in_the_indentation_is_named_at_its_line() {
        let err = parse("language: x\ndependencies:\n- name: a\n\tversion: 1.0\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 4, column 1: a tab in the indentation; YAML indents with spaces"
        );
        // A tab after spaces is in the indentation too.
        let err = parse("a:\n  b: 1\n  \tc: 2\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3, column 1: a tab in the indentation; YAML indents with spaces"
        );
        // Tabs in values and comments, and before a comment, are not indentation.
        assert!(parse("a: \"1\\t2\" # x\ty\n\t# c\nb:\n  - c\td\n").is_ok());
        // When parsing fails for another reason, that reason is shown.
        let err = parse("a: [b\n\t# c\n").unwrap_err();
        assert!(!err.message.contains("tab"), "{err}");
    }

    #[test]
    fn go_unmarshal_reading_lets_a_later_key_win_and_reads_one_document() {
        let root = parse_as_go_unmarshal("a: 1\nb: 2\na: 3\n").unwrap();
        let Value::Mapping(entries) = &root.value else {
            panic!("not a mapping: {root:?}");
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(root.get("a").unwrap().as_scalar().unwrap().text, "3");
        let flow = parse_as_go_unmarshal("{a: 1, a: 2}").unwrap();
        assert_eq!(flow.get("a").unwrap().as_scalar().unwrap().text, "2");
        // The second document is never parsed, broken or not.
        let first = parse_as_go_unmarshal("a: 1\n---\nb: [\n").unwrap();
        assert_eq!(first.get("a").unwrap().as_scalar().unwrap().text, "1");
        assert!(first.get("b").is_none());
        // Errors in the first document are still errors.
        assert!(parse_as_go_unmarshal("a: [1\n").is_err());
        // The strict reading is unchanged.
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
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

    /// Every scalar of a tree, keys included, in order.
    fn scalars(node: &Node) -> Vec<Scalar> {
        match &node.value {
            Value::Scalar(s) => vec![s.clone()],
            Value::Sequence(items) => items.iter().flat_map(scalars).collect(),
            Value::Mapping(entries) => entries
                .iter()
                .flat_map(|(k, v)| scalars(k).into_iter().chain(scalars(v)))
                .collect(),
        }
    }

    /// A tag decides a scalar's type (`!!str 1.10` is a string, `1.10` a number), so it is
    /// written back: dropped, `version: !!str 1.10` became the number 1.1 to Go and Ruby.
    #[test]
    fn tags_are_kept() {
        let text = "---\nversion: !!str 1.10\nzero: ! 0\nyes: !!str yes\nnil: !!str ~\nn: !!int \"7\"\nlocal: !thing x\nlist:\n- !!str 2.0\n- !!str\nempty: !!str\n!!str 1.5: key\nblock: !!str |\n  a\n";
        let root = parse(text).unwrap();
        let types: Vec<(String, ScalarType)> = match &root.value {
            Value::Mapping(entries) => entries
                .iter()
                .filter_map(|(k, v)| {
                    Some((k.key_text().to_string(), v.as_scalar()?.resolved_type()))
                })
                .collect(),
            _ => panic!("not a mapping"),
        };
        assert_eq!(
            types,
            [
                ("version".to_string(), ScalarType::Str),
                ("zero".to_string(), ScalarType::Str),
                ("yes".to_string(), ScalarType::Str),
                ("nil".to_string(), ScalarType::Str),
                ("n".to_string(), ScalarType::Int),
                ("local".to_string(), ScalarType::Str),
                ("empty".to_string(), ScalarType::Str),
                ("1.5".to_string(), ScalarType::Str),
                ("block".to_string(), ScalarType::Str),
            ]
        );
        assert_eq!(emit(&root), text);
        assert_eq!(parse(&emit(&root)).unwrap(), root);
        // Tags that the shorthand cannot write, and an empty tagged key.
        for text in [
            "%TAG !e! tag:example.com,2000:\n---\na: !e!x%20y 1\n",
            "a: !<tag:example.com,2000:odd> 1\n",
            "a: !!a%21b 1\n",
            "!!str : v\n",
            "- !!null\n",
        ] {
            let root = parse(text).unwrap();
            let emitted = emit(&root);
            let again = parse(&emitted).unwrap_or_else(|e| panic!("{e}:\n{emitted}"));
            assert_eq!(scalars(&again), scalars(&root), "{emitted}");
            assert!(scalars(&root).iter().any(|s| s.tag.is_some()), "{text}");
        }
        assert_eq!(
            emit(&parse("%TAG !e! tag:example.com,2000:\n---\na: !e!x%20y 1\n").unwrap()),
            "---\na: !<tag:example.com%2C2000:x%20y> 1\n"
        );
    }

    #[test]
    fn aliases_are_expanded() {
        let root = parse("a: &x [1, 2]\nb: *x\n").unwrap();
        assert_eq!(root.get("a").unwrap().value, root.get("b").unwrap().value);
    }

    /// `<<` merges as Go's YAML library merges: the mapping's own keys win, then the first
    /// merged mapping that sets a key; the merged keys go where the `<<` was.
    #[test]
    fn merge_keys_are_applied() {
        let keys = |node: &Node| -> Vec<(String, String)> {
            match &node.value {
                Value::Mapping(entries) => entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.key_text().to_string(),
                            emit(v).trim_start_matches("--- ").trim().to_string(),
                        )
                    })
                    .collect(),
                _ => panic!("not a mapping"),
            }
        };
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect()
        };
        let root = parse(
            "a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\none:\n  <<: *a\n  y: 9\nboth:\n  w: 0\n  <<: [*a, *b]\n'<<': kept\n",
        )
        .unwrap();
        assert_eq!(
            keys(root.get("one").unwrap()),
            pairs(&[("x", "1"), ("y", "9")])
        );
        assert_eq!(
            keys(root.get("both").unwrap()),
            pairs(&[("w", "0"), ("x", "1"), ("y", "2"), ("z", "4")])
        );
        // A quoted `<<` is a key like any other.
        assert_eq!(
            root.get("<<")
                .and_then(Node::as_scalar)
                .map(|s| s.text.as_str()),
            Some("kept")
        );
        let err = parse("a:\n  <<: [1, 2]\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2, column 7: the value of a merge key `<<` must be a mapping or a list of mappings (`<<: *base`)"
        );
    }

    /// Nine aliases to aliases ("billion laughs") ran out of memory before any error.
    #[test]
    fn aliases_of_aliases_stop_at_a_bound() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let j = i - 1;
            writeln!(
                text,
                "a{i}: &a{i} [*a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}]"
            )
            .unwrap();
        }
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 6, column 25: aliases expand the manifest by more than 1000000 values and bytes; write the values out instead of aliasing aliases"
        );
        // Up to the bound, aliases are fine: 50 copies of 9 999 one-byte scalars and their list
        // (19 999 each).
        let mut text = String::from("base: &b [");
        text.push_str(&vec!["x"; 9_999].join(", "));
        text.push_str("]\n");
        for i in 0..50 {
            writeln!(text, "c{i}: *b").unwrap();
        }
        assert!(parse(&text).is_ok());
        text.push_str("c50: *b\n");
        assert!(parse(&text).is_err());
        // A long scalar repeated is the same bomb with few values.
        let long = |copies: usize| {
            format!(
                "a: &a {}\nb: [{}]\n",
                "y".repeat(100_000),
                vec!["*a"; copies].join(", ")
            )
        };
        assert!(parse(&long(9)).is_ok());
        assert!(
            parse(&long(10))
                .unwrap_err()
                .message
                .starts_with("aliases expand the manifest by more than")
        );
    }

    /// Duplicate keys were found by scanning the keys before each one: a mapping of 100 000
    /// keys (1.2 MB) took two minutes. The bound is 50 times what it takes now.
    #[test]
    fn wide_mappings_parse_in_linear_time() {
        let mut text = String::from("a:\n");
        for i in 0..100_000 {
            writeln!(text, "  k{i}: v").unwrap();
        }
        let started = std::time::Instant::now();
        let root = parse(&text).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        assert!(matches!(&root.get("a").unwrap().value, Value::Mapping(e) if e.len() == 100_000));
    }

    /// 100 000 nested `- ` (a 200 KB file) overflowed the stack and aborted the process.
    #[test]
    fn nesting_stops_at_a_bound() {
        let deep = |levels: usize| format!("a:\n{}x\n", "- ".repeat(levels));
        assert!(parse(&deep(MAX_DEPTH - 1)).is_ok());
        let err = parse(&deep(100_000)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2, column 511: lists and mappings nested more than 256 levels deep; a manifest needs a few"
        );
        // An alias counts with the depth of what it copies.
        let mut text = format!("a: &a {}x\n", "[".repeat(200)) + &"]".repeat(200);
        text.push_str("\nb:\n- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - *a\n");
        let err = parse(&text).unwrap_err();
        assert!(
            err.message
                .starts_with("lists and mappings nested more than 256"),
            "{err}"
        );
    }

    #[test]
    fn base64_as_go_decodes_it() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("QQ==").unwrap(), b"A");
        assert_eq!(decode_base64("QUI=").unwrap(), b"AB");
        assert_eq!(decode_base64("QUJD").unwrap(), b"ABC");
        // The last two characters of the alphabet, `+` (62) and `/` (63).
        assert_eq!(decode_base64("+/+/").unwrap(), [0xFB, 0xFF, 0xBF]);
        assert_eq!(decode_base64("QU\r\nJD\n").unwrap(), b"ABC");
        // Go's standard encoding is not strict about the unused bits of the last character.
        assert_eq!(decode_base64("QR==").unwrap(), b"A");
        for bad in ["QQ", "QQ=", "QUJD QQ==", "QQ==QUJD", "====", "QQ-_"] {
            assert!(decode_base64(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn binary_scalars_decode_in_the_whole_tree() {
        let tree =
            parse("language: !!binary aGVsbG8=\nlist:\n- !!binary MS4xMA==\n- !!str 2\n").unwrap();
        let decoded = decode_binary_scalars(&tree).unwrap();
        let scalar = decoded.get("language").unwrap().as_scalar().unwrap();
        assert_eq!(
            (scalar.text.as_str(), scalar.resolved_type()),
            ("hello", ScalarType::Str)
        );
        let Value::Sequence(items) = &decoded.get("list").unwrap().value else {
            panic!("{decoded:?}")
        };
        // A decoded `1.10` stays the string it was, not a number.
        let first = items[0].as_scalar().unwrap();
        assert_eq!(
            (first.text.as_str(), first.resolved_type()),
            ("1.10", ScalarType::Str)
        );
        assert_eq!(
            items[1],
            match &tree.get("list").unwrap().value {
                Value::Sequence(original) => original[1].clone(),
                _ => unreachable!(),
            }
        );
        // An invalid one names its key path, as `!!int abc` does; a block of base64 is shown
        // on one line, shortened.
        let error =
            decode_binary_scalars(&parse("a:\n- b: !!binary nope!\n").unwrap()).unwrap_err();
        assert_eq!((error.position.line, error.position.column), (2, 6));
        assert_eq!(
            error.message,
            "a[0].b: the tag !!binary says the value is base64 (with `=` padding), but `nope!` is not; remove the tag to write the value as plain text, or encode it again with base64"
        );
        let block = format!("k: !!binary |\n  {}\n  QQ\n", "QUJD".repeat(12));
        let error = decode_binary_scalars(&parse(&block).unwrap()).unwrap_err();
        assert!(
            error.message.starts_with(&format!(
                "k: the tag !!binary says the value is base64 (with `=` padding), but `{}…` is not; ",
                "QUJD".repeat(10)
            )),
            "{}",
            error.message
        );
        let error = decode_binary_scalars(&parse("!!binary QQ\n").unwrap()).unwrap_err();
        assert!(
            error.message.starts_with("the tag !!binary "),
            "{}",
            error.message
        );
    }

    /// A tag naming a type the text is not is refused, as yaml.v2 refuses it, at the value with
    /// its key path; text that fits its tag, quoted or not, and other tags pass.
    #[test]
    fn core_tags_must_fit_their_text() {
        let error = |text: &str| check_core_tags(&parse(text).unwrap()).err();
        let bad = error("a: 1\nlist:\n- x: 2\n  y: !!int abc\n").unwrap();
        assert_eq!((bad.position.line, bad.position.column), (4, 6));
        assert_eq!(
            bad.message,
            "list[0].y: the tag !!int says the value is a whole number, but `abc` is not; remove the tag, or write a whole number"
        );
        // A quoted value is resolved as if plain; keys are checked at their mapping's path.
        assert!(
            error("n: !!int '3x'\n")
                .unwrap()
                .message
                .starts_with("n: the tag !!int ")
        );
        assert!(
            error("m:\n  !!bool maybe: x\n")
                .unwrap()
                .message
                .starts_with("m: the tag !!bool ")
        );
        assert!(
            error("!!int x\n")
                .unwrap()
                .message
                .starts_with("the tag !!int ")
        );
        for bad in [
            "v: !!int 1.5",
            "v: !!int",
            "v: !!float abc",
            "v: !!bool 1",
            "v: !!null x",
            "v: !<tag:yaml.org,2002:int> x",
            "v: !!timestamp 2020-13",
            "v: !!timestamp 2020-01-02T25",
            "v: !!timestamp 2020-01-02 10:00:00 +x",
        ] {
            assert!(error(bad).is_some(), "{bad}");
        }
        for good in [
            "v: !!int 3",
            "v: !!int '0x1F'",
            "v: !!float 3",
            "v: !!float 1.5e3",
            "v: !!bool yes",
            "v: !!null ~",
            "v: !!null",
            "v: !!str 1.10",
            "v: !!binary aGk=",
            "v: !thing x",
            "v: ! 3",
            "v: !!timestamp 2020-01-02",
            "v: !!timestamp 2020-1-2t10:00:00Z",
            "v: !!timestamp 2020-01-02 10:00:00.5 +09:00",
            "v: !!timestamp 2020-01-02T10:00:00-5",
        ] {
            assert_eq!(error(good), None, "{good}");
        }
    }

    /// The mistakes made by hand get their fix after the library's words; other messages are
    /// left as they are.
    #[test]
    fn hand_made_mistakes_get_their_fix() {
        let fixed = |text: &str| with_fix(&parse(text).unwrap_err().message);
        for (text, end) in [
            (
                "web: ruby -o host: 0.0.0.0\n",
                "must be quoted whole (`web: 'run --opt a: b'`), and a key must be indented as the keys beside it",
            ),
            (
                "a:\n- name: a\n version: 1\n",
                "; indent this line as the keys beside it (or quote a value that holds `: ` or starts with a quote)",
            ),
            (
                "web: 'ruby' app.rb\n",
                "quote the whole value (`web: 'ruby \"app.rb\" -p $PORT'`), not part of it",
            ),
            (
                "a: \"x\n",
                "; a quote is not closed: close it at the end of the value",
            ),
            (
                "a: @x\n",
                "; a plain value cannot start with it: quote the value",
            ),
            (
                "a: [b, c\n",
                "; close the `[` or `{` of the value, with `,` between its items (or quote a value that starts with `[` or `{`)",
            ),
        ] {
            let message = fixed(text);
            assert!(message.ends_with(end), "{text:?}: {message}");
        }
        assert!(!fixed("web: 'ruby' app.rb\n").contains("double-quoted"));
        // Other errors in a quoted value are no unclosed quote.
        for (text, message) in [
            (
                "a: \"\\q\"\n",
                "while parsing a quoted scalar, found unknown escape character",
            ),
            (
                "a: 'b\n---\n'\n",
                "while scanning a quoted scalar, found unexpected document indicator",
            ),
        ] {
            assert_eq!(fixed(text), message, "{text:?}");
        }
        assert_eq!(
            with_fix("found a second YAML document"),
            "found a second YAML document"
        );
    }

    /// A scalar's type as a loader gives it: the core schema tag it has names the type, quoted
    /// or not; the non-specific `!` makes a string; any other tag leaves it to the text.
    #[test]
    fn a_core_tag_decides_the_type_before_the_text() {
        let resolved = |text: &str| parse(text).unwrap().as_scalar().unwrap().resolved_type();
        for (text, expected) in [
            ("!!str 3", ScalarType::Str),
            ("!!int '3'", ScalarType::Int),
            ("!!float 3", ScalarType::Float),
            ("!!float '1.5'", ScalarType::Float),
            ("!!bool 'yes'", ScalarType::Bool),
            ("!!null ''", ScalarType::Null),
            ("! 3", ScalarType::Str),
            ("!thing 3", ScalarType::Int),
            ("!thing '3'", ScalarType::Str),
            ("!<tag:example.com,2000:x> 1.5", ScalarType::Float),
        ] {
            assert_eq!(resolved(text), expected, "{text}");
        }
    }

    /// Plain text resolved by its spelling: hexadecimal and octal need a digit after `0x` or
    /// `0o`, and only digits of their base.
    #[test]
    fn hex_and_octal_integers_need_digits_of_their_base() {
        let resolved = |text: &str| {
            Scalar {
                text: text.into(),
                style: Style::Plain,
                tag: None,
            }
            .resolved_type()
        };
        for (text, expected) in [
            ("0x1F", ScalarType::Int),
            ("-0xff", ScalarType::Int),
            ("0x", ScalarType::Str),
            ("0x1G", ScalarType::Str),
            ("0o17", ScalarType::Int),
            ("+0o7", ScalarType::Int),
            ("0o", ScalarType::Str),
            ("0o18", ScalarType::Str),
        ] {
            assert_eq!(resolved(text), expected, "{text}");
        }
    }

    /// Floats: digits on either side of the point (not neither), or digits with an exponent.
    #[test]
    fn floats_need_digits_around_the_point_or_an_exponent() {
        let resolved = |text: &str| {
            Scalar {
                text: text.into(),
                style: Style::Plain,
                tag: None,
            }
            .resolved_type()
        };
        for (text, expected) in [
            ("1.", ScalarType::Float),
            (".5", ScalarType::Float),
            ("-.5", ScalarType::Float),
            ("1.5e-3", ScalarType::Float),
            ("1e5", ScalarType::Float),
            (".", ScalarType::Str),
            ("e5", ScalarType::Str),
            ("xe5", ScalarType::Str),
            ("1.5e", ScalarType::Str),
        ] {
            assert_eq!(resolved(text), expected, "{text}");
        }
    }

    /// A timestamp's zone is `Z`, or hours (one or two digits) with optional `:MM` (two).
    #[test]
    fn timestamp_zones_take_hours_and_two_digit_minutes() {
        for (text, expected) in [
            ("2020-01-02 10:00:00 +09:00", true),
            ("2020-01-02 10:00:00 -9", true),
            ("2020-01-02T10:00:00Z", true),
            ("2020-01-02 10:00:00 +09:0", false),
            ("2020-01-02 10:00:00 +x:00", false),
            ("2020-01-02 10:00:00 +123", false),
        ] {
            assert_eq!(is_timestamp(text), expected, "{text}");
        }
    }

    /// A value in a message is one line of at most 40 characters.
    #[test]
    fn shortened_text_is_one_line_of_40_characters() {
        assert_eq!(shortened(" a\nb\r\nc \n"), "a b  c");
        let forty = "é".repeat(40);
        assert_eq!(shortened(&forty), forty);
        assert_eq!(shortened(&format!("{forty}x")), format!("{forty}…"));
        let error =
            decode_binary_scalars(&parse("k: !!binary |\n  QUJD\n  QQ\n").unwrap()).unwrap_err();
        assert!(
            error.message.contains("but `QUJD QQ` is not;"),
            "{}",
            error.message
        );
    }

    /// Aliases may add exactly [`MAX_ALIAS_EXPANSION`] values and bytes; a list counts as a
    /// value besides its items (here one scalar of 999 998 bytes, 999 999 with its own count).
    #[test]
    fn alias_expansion_stops_just_past_the_bound() {
        let list = |bytes: usize| format!("a: &a [{}]\nb: *a\n", "y".repeat(bytes));
        assert!(parse(&list(999_998)).is_ok());
        assert_eq!(
            parse(&list(999_999)).unwrap_err().to_string(),
            "line 2, column 4: aliases expand the manifest by more than 1000000 values and bytes; write the values out instead of aliasing aliases"
        );
    }

    /// Mappings count towards [`MAX_DEPTH`] as lists do, and an alias adds the levels of what it
    /// copies to the levels around it.
    #[test]
    fn nesting_bound_counts_mappings_and_aliased_levels() {
        let mappings = |levels: usize| {
            let mut text = String::new();
            for level in 0..levels - 1 {
                writeln!(text, "{}a:", "  ".repeat(level)).unwrap();
            }
            writeln!(text, "{}a: x", "  ".repeat(levels - 1)).unwrap();
            text
        };
        assert!(parse(&mappings(MAX_DEPTH)).is_ok());
        assert_eq!(
            parse(&mappings(MAX_DEPTH + 1)).unwrap_err().to_string(),
            "line 257, column 513: lists and mappings nested more than 256 levels deep; a manifest needs a few"
        );
        // A 200-level list aliased inside `levels` mappings.
        let aliased = |levels: usize| {
            let mut text = format!("a: &a {}x{}\n", "[".repeat(200), "]".repeat(200));
            for level in 0..levels - 1 {
                writeln!(text, "{}b:", "  ".repeat(level)).unwrap();
            }
            writeln!(text, "{}b: *a", "  ".repeat(levels - 1)).unwrap();
            text
        };
        assert!(parse(&aliased(2)).is_ok());
        assert!(parse(&aliased(56)).is_ok());
        assert!(
            parse(&aliased(57))
                .unwrap_err()
                .message
                .starts_with("lists and mappings nested more than 256 levels deep")
        );
    }

    /// Lists in lists, block scalars and empty collections as items, and empty collections
    /// alone: each written where it reads back the same.
    #[test]
    fn sequences_and_empty_collections_are_written_in_place() {
        for (text, emitted) in [
            (
                "- - a\n  - - b\n    - c\n- d\n",
                "---\n- - a\n  - - b\n    - c\n- d\n",
            ),
            (
                "- |\n  a\n  b\n- x: |\n    c\n",
                "---\n- |\n  a\n  b\n- x: |\n    c\n",
            ),
            ("- {}\n- []\n- [[]]\n", "---\n- {}\n- []\n- - []\n"),
            ("{}", "--- {}\n"),
            ("[]", "--- []\n"),
        ] {
            let root = parse(text).unwrap();
            assert_eq!(emit(&root), emitted, "{text:?}");
            assert_eq!(emit(&parse(emitted).unwrap()), emitted, "{text:?}");
        }
    }

    /// A key of [`MAX_IMPLICIT_KEY`] characters is still written `key: value`; one more takes
    /// the explicit `? key` form.
    #[test]
    fn implicit_keys_stop_at_their_bound() {
        let key = "k".repeat(MAX_IMPLICIT_KEY);
        let root = parse(&format!("{key}: v\n")).unwrap();
        assert_eq!(emit(&root), format!("---\n{key}: v\n"));
        let root = parse(&format!("{key}k: v\n")).unwrap();
        assert_eq!(emit(&root), format!("---\n? {key}k\n: v\n"));
    }

    /// Scalars a style cannot write back as they are take double quotes: a single-quoted one
    /// with a line break, a block that does not end in exactly one line break or that starts
    /// with a space, text with control characters.
    #[test]
    fn styles_that_cannot_hold_the_text_become_double_quoted() {
        for (text, emitted) in [
            ("a: 'x\n\n  y'\n", "---\na: \"x\\ny\"\n"),
            ("a: |-\n  x\n", "---\na: \"x\"\n"),
            ("a: |+\n  x\n\n", "---\na: \"x\\n\\n\"\n"),
            ("a: |2\n    x\n", "---\na: \"  x\\n\"\n"),
            ("a: >\n  x\n  y\n", "---\na: |\n  x y\n"),
            ("a: \"\\x01\\x7f\\t\"\n", "---\na: \"\\u0001\\u007f\\t\"\n"),
        ] {
            let root = parse(text).unwrap();
            assert_eq!(emit(&root), emitted, "{text:?}");
            // The same text, read back.
            let text_of = |node: &Node| node.get("a").unwrap().as_scalar().unwrap().text.clone();
            assert_eq!(
                text_of(&parse(emitted).unwrap()),
                text_of(&root),
                "{text:?}"
            );
        }
    }
}
