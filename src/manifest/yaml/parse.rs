//! Text into the tree: `saphyr-parser` events built into nodes, with anchors, aliases and
//! merge keys applied, bounds on depth and alias expansion, and messages that say how to fix
//! the mistakes people make by hand.

use std::collections::HashMap;
use std::fmt::Write as _;

use saphyr_parser::{Event, Parser, Span};

use super::tabs::LineStartTabs;
use super::tags::key_path;
use super::{Node, Position, Scalar, Style, Tag, Value};

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
/// output and `launch.yml`, the app's `Procfile`, `staging_info.yml`. A
/// duplicate key is no error there (the later value wins), and only the first document is
/// read (what follows its end is never parsed). Refusing either would fail a staging the
/// platform lets through.
pub fn parse_as_go_unmarshal(text: &str) -> Result<Node, SyntaxError> {
    parse_with(text, Reading::GoUnmarshal)
}

/// Parse `text` as Go's yaml.v3 `Unmarshal` sees it before decoding, for the one document the
/// builder reads with yaml.v3 (a buildpack's `config.yml`): the first document only, and a
/// repeated key kept as a second entry, since yaml.v3 refuses a mapping with one when it
/// decodes that mapping (and only then: one under a key nothing reads is no error), which
/// the caller checks.
pub fn parse_as_go_v3_unmarshal(text: &str) -> Result<Node, SyntaxError> {
    parse_with(text, Reading::GoV3Unmarshal)
}

/// How strictly [`parse_with`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Duplicate keys and further documents are errors.
    Strict,
    /// yaml.v2's `Unmarshal`: a later duplicate key replaces the earlier one; the first
    /// document only.
    GoUnmarshal,
    /// yaml.v3's `Unmarshal`: duplicate keys kept, in order; the first document only.
    GoV3Unmarshal,
}

fn parse_with(text: &str, reading: Reading) -> Result<Node, SyntaxError> {
    let mut builder = Builder {
        anchors: Vec::new(),
        stack: Vec::new(),
        documents: Vec::new(),
        alias_values: 0,
        reading,
    };
    // Split once for the tab check: `lines()` would also end a line at a lone `\r`.
    let lines: Vec<&str> = text.split('\n').collect();
    let mut tabs = LineStartTabs::default();
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
        tabs.observe(&event, &span, &lines);
        builder.on_event(event, &span)?;
        if first_document_ended && reading != Reading::Strict {
            tabs.stop_at(&span);
            break;
        }
    }
    tabs.check(&lines)?;
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

/// An alias (`*name`) whose anchor (`&name`) is not before it: the library's error for one,
/// and the builder's should one ever reach it.
const UNKNOWN_ANCHOR_FIX: &str =
    "; define the anchor (`&name`) before the alias (`*name`) that repeats its value";

/// The YAML library's message, with the fix for the mistakes people make by hand: a value
/// holding `: ` unquoted, a line indented more or less than its neighbours, text after a
/// quoted value, an unclosed quote, a value starting with a character YAML reserves. The
/// library's words name none of those (and say "double-quoted" for a single-quoted value).
/// For a manifest only: the YAML a buildpack prints (release's output, launch.yml) gets the
/// builder's messages, word for word.
pub fn with_fix(info: &str) -> String {
    // The scanner's own limit on `[` and `{` (its flow level is a u8), worded so that it
    // names nothing the author wrote; `- - - …` as deep is [`MAX_DEPTH`]'s message.
    if info == "recursion limit exceeded" {
        return format!(
            "`[` and `{{` nested more than {} levels deep; real documents need a few",
            u8::MAX
        );
    }
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
    } else if info.contains("unprintable character") {
        // A NUL or another control character (often from a bad copy or an editor's escape
        // sequence), invisible where the line and column point.
        "; YAML text may not hold control characters such as a NUL byte: remove it (`cat -A` shows where), or write it as an escape in a double-quoted value (\"\\0\")"
    } else if info.contains("unknown anchor") && !info.ends_with(UNKNOWN_ANCHOR_FIX) {
        // (The tree builder's own message for one has the fix already.)
        UNKNOWN_ANCHOR_FIX
    } else if info.starts_with("unexpected character") {
        "; a plain value cannot start with it: quote the value"
    } else {
        ""
    };
    format!("{info}{fix}")
}

/// The first line indented with a tab, as the error to show when parsing failed: the YAML
/// library reports such a tab as `found a tab` at the end of the line before, never saying that
/// YAML indents with spaces only. Blank lines and comments are not counted (the library reads
/// past them; `tabs` refuses one starting with a tab once the rest parsed), and tabs after
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
                        message: format!("alias to an unknown anchor{UNKNOWN_ANCHOR_FIX}"),
                    })?;
                let (size, height) = (anchored.size, anchored.height);
                self.alias_values = self.alias_values.saturating_add(size);
                if self.alias_values > MAX_ALIAS_EXPANSION {
                    return Err(SyntaxError {
                        position,
                        message: format!(
                            "aliases expand the document by more than {MAX_ALIAS_EXPANSION} values and bytes; write the values out instead of aliasing aliases"
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
                    "lists and mappings nested more than {MAX_DEPTH} levels deep; real documents need a few"
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

    /// The error for `key`, a key of the innermost mapping that repeats one first written at
    /// line `first`, named by its key path (`dependencies[0].name`) as validate names keys:
    /// the line alone left the reader to work out which of a list's entries it was in.
    fn duplicate_key(&self, key: &Node, first: usize) -> SyntaxError {
        let mut path = String::new();
        // Every frame but the innermost is a list or a mapping holding the next one: at the
        // index of the item being built, or under the key whose value is being built.
        for frame in &self.stack[..self.stack.len().saturating_sub(1)] {
            match &frame.collection {
                Collection::Sequence(items) => {
                    let _ = write!(path, "[{}]", items.len());
                }
                Collection::Mapping {
                    pending_key: Some(key),
                    ..
                } => path = key_path(&path, key),
                Collection::Mapping { .. } => {}
            }
        }
        let path = key_path(&path, key);
        SyntaxError {
            position: key.position,
            message: format!(
                "duplicate key `{path}` (first at line {first}); keep one of the two: a key appears once in a mapping"
            ),
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
                        match self.reading {
                            Reading::GoUnmarshal => {
                                *pending_duplicate = true;
                                *pending_key = Some(node);
                                return Ok(());
                            }
                            Reading::GoV3Unmarshal => {
                                *pending_key = Some(node);
                                return Ok(());
                            }
                            Reading::Strict => {}
                        }
                        let first = *first;
                        return Err(self.duplicate_key(&node, first));
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
