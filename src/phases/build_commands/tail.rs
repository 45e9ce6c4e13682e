//! The last lines of a build command's output, kept for the error that reports its failure:
//! at most [`TAIL_LINES`] of them, each cut to [`TAIL_LINE_CHARS`] characters, whatever pieces
//! the output came in (a line's start shown before its end, a line longer than a read).

use std::collections::VecDeque;

/// How many of the last output lines a failure repeats.
pub const TAIL_LINES: usize = 20;

/// How many characters of each of those lines it repeats: the error is logged as one entry,
/// and a tool that failed printing a minified file would otherwise repeat megabytes there.
pub const TAIL_LINE_CHARS: usize = 500;

/// The last lines seen, and the one being read.
#[derive(Debug, Default)]
pub struct Tail {
    lines: VecDeque<String>,
    /// The first [`TAIL_LINE_CHARS`] characters of the line being read.
    current: String,
    /// How many characters of it are kept in `current`.
    kept: usize,
    /// How many more it has had.
    more: usize,
}

impl Tail {
    /// Take in a piece of output.
    pub fn push(&mut self, text: &str) {
        for piece in text.split_inclusive('\n') {
            match piece.strip_suffix('\n') {
                Some(body) => {
                    self.add(body);
                    self.end_line();
                }
                None => self.add(piece),
            }
        }
    }

    /// The lines kept, the last one even without its line break.
    pub fn finish(mut self) -> Vec<String> {
        // A line with more characters than kept has all those kept too.
        if !self.current.is_empty() {
            self.end_line();
        }
        self.lines.into()
    }

    fn add(&mut self, text: &str) {
        let room = TAIL_LINE_CHARS - self.kept;
        match text.char_indices().nth(room) {
            None => {
                self.current.push_str(text);
                self.kept += text.chars().count();
            }
            Some((cut, _)) => {
                self.current.push_str(&text[..cut]);
                self.kept = TAIL_LINE_CHARS;
                self.more += text[cut..].chars().count();
            }
        }
    }

    fn end_line(&mut self) {
        let mut line = std::mem::take(&mut self.current);
        // A CRLF line end is a line end (the log shows it as one).
        if self.more == 0 && line.ends_with('\r') {
            line.pop();
        }
        if self.more > 0 {
            let plural = if self.more == 1 { "" } else { "s" };
            line = format!("{line}… ({} more character{plural})", self.more);
        }
        self.kept = 0;
        self.more = 0;
        if self.lines.len() == TAIL_LINES {
            self.lines.pop_front();
        }
        self.lines.push_back(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail(pieces: &[&str]) -> Vec<String> {
        let mut tail = Tail::default();
        for piece in pieces {
            tail.push(piece);
        }
        tail.finish()
    }

    #[test]
    fn lines_are_whole_however_they_were_cut() {
        assert_eq!(tail(&["a\nb", "c\n", "d"]), ["a", "bc", "d"]);
        assert_eq!(tail(&["a\r", "\n", "\r\n"]), ["a", ""]);
        assert_eq!(tail(&["\n"]), [""]);
        assert!(tail(&[]).is_empty());
        assert!(tail(&[""]).is_empty());
    }

    #[test]
    fn only_the_last_lines_are_kept() {
        let text: Vec<String> = (1..=TAIL_LINES + 5).map(|n| format!("{n}\n")).collect();
        let lines = tail(&[&text.concat()]);
        assert_eq!(lines.len(), TAIL_LINES);
        assert_eq!(lines[0], "6");
        assert_eq!(lines[TAIL_LINES - 1], (TAIL_LINES + 5).to_string());
    }

    /// A long line is cut at [`TAIL_LINE_CHARS`] characters, counted across the pieces it came
    /// in, saying how many more it had; one exactly that long is whole.
    #[test]
    fn a_long_line_is_cut_counting_characters_across_pieces() {
        let half = "é".repeat(TAIL_LINE_CHARS / 2);
        assert_eq!(tail(&[&half, &half]), [half.repeat(2)]);
        assert_eq!(
            tail(&[&half, &half, "xy", "z\n", "next"]),
            [
                format!("{}… (3 more characters)", half.repeat(2)),
                "next".into()
            ]
        );
        assert_eq!(
            tail(&[&"a".repeat(TAIL_LINE_CHARS + 1)]),
            [format!(
                "{}… (1 more character)",
                "a".repeat(TAIL_LINE_CHARS)
            )]
        );
    }
}
