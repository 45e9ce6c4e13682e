//! A line that starts with a tab, which Go's YAML libraries (yaml.v2 and yaml.v3, ports of
//! libyaml) refuse and `saphyr-parser` accepts. Their scanner eats tabs between tokens only
//! in a flow collection or where no key may start; at the start of a line in block context a
//! key may start, so a tab there is left for the next token, which nothing starts with:
//! "found character that cannot start any token" (or, after a plain scalar, "found a tab
//! character that violates indentation"). That holds for a blank line and a comment line too.
//! Reading the same file with both rules apart, a Procfile, a release's output or a manifest
//! that bpkit took fails on the platform, or in the Go packager, that reads it the Go way.
//!
//! Inside a flow collection (`[…]`, `{…}`) a line may start with a tab: those spans are
//! collected from the parser's events ([`LineStartTabs::observe`]), and only the lines of the
//! first document are checked, since Go reads no further. (Go also takes a quoted scalar's
//! line that starts with a tab, and a nested flow collection's; `saphyr-parser` refuses both,
//! as a tab in the indentation.)

use saphyr_parser::{Event, Span};

use super::Position;
use super::parse::SyntaxError;

/// What [`LineStartTabs::check`] needs from the events: the lines a tab may start.
#[derive(Debug, Default)]
pub(super) struct LineStartTabs {
    /// The line each open collection started on.
    open: Vec<usize>,
    /// Lines (1-based, inclusive) inside a flow collection, after the line it starts on.
    allowed: Vec<(usize, usize)>,
    /// The last line read (the first document's end, when reading stops there).
    last_line: Option<usize>,
}

impl LineStartTabs {
    /// Note what `event` spans. `lines` are the source's lines, to tell a flow collection's end
    /// (`]`, `}`) from a block one's.
    pub(super) fn observe(&mut self, event: &Event<'_>, span: &Span, lines: &[&str]) {
        let start = span.start.line();
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => self.open.push(start),
            Event::SequenceEnd | Event::MappingEnd => {
                let opened = self.open.pop().unwrap_or(start);
                let closes_flow = lines
                    .get(start.wrapping_sub(1))
                    .and_then(|line| line.chars().nth(span.start.col()))
                    .is_some_and(|c| c == ']' || c == '}');
                if closes_flow && start > opened {
                    self.allowed.push((opened + 1, start));
                }
            }
            _ => {}
        }
    }

    /// Reading stops after the event at `span` (the first document's end, for Go's readers).
    pub(super) fn stop_at(&mut self, span: &Span) {
        self.last_line = Some(span.end.line());
    }

    /// The first line read that starts with a tab outside a flow collection.
    pub(super) fn check(&self, lines: &[&str]) -> Result<(), SyntaxError> {
        let last = self.last_line.unwrap_or(lines.len()).min(lines.len());
        for (index, line) in lines[..last].iter().enumerate() {
            let number = index + 1;
            if line.starts_with('\t')
                && !self
                    .allowed
                    .iter()
                    .any(|&(from, to)| (from..=to).contains(&number))
            {
                return Err(SyntaxError {
                    position: Position {
                        line: number,
                        column: 1,
                    },
                    message: "a tab at the start of a line; YAML indents with spaces, and the platform's YAML reader refuses a line starting with a tab (a blank or comment line too): replace it with spaces".into(),
                });
            }
        }
        Ok(())
    }
}
