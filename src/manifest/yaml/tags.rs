//! YAML tags given their meaning: `!!binary` scalars decoded as yaml.v2 decodes them, and the
//! core schema's tags (`!!int`, `!!bool`, …) checked against the values they are put on.

use super::{CORE_SCHEMA, Node, Position, Scalar, ScalarType, Style, SyntaxError, Tag, Value};

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
pub(super) fn decode_base64(text: &str) -> Option<Vec<u8>> {
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
/// [`super::parse()`]. An invalid one is refused (yaml.v2 refuses it too) at the scalar, with
/// its key path and the fix, as [`check_core_tags`] refuses `!!int abc`.
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
pub(super) fn key_path(path: &str, key: &Node) -> String {
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
pub(super) fn shortened(text: &str) -> String {
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
pub(super) fn is_timestamp(text: &str) -> bool {
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
