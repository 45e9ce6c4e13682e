//! Where the log's last write left its line. A child's output reaches the log as it comes,
//! not only in whole lines (a build command printing `Installing... ` before the work is
//! shown at once, as the official buildpacks' indenting writer shows it), so a line may be
//! left unfinished: more output goes on with it, unindented, and a message of bpkit's own
//! first ends it, so that a `**WARNING**` never starts in the middle of someone else's line.

/// The 7 spaces before each line of a child's output, as before every detail line.
const INDENT: &str = "       ";

/// The state of the log's current line.
#[derive(Debug, Default)]
pub struct LineState {
    /// The last write did not end its line.
    unfinished: bool,
    /// Output's last piece ended in `\r`, not written yet: a `\n` at the start of the next
    /// piece makes it a CRLF line end, which the log shows as `\n` alone (a line of a
    /// Windows-built tool, cut between its two bytes); anything else gets it.
    carriage_return: bool,
}

impl LineState {
    /// What must come before a message of bpkit's own: a line break when output left its
    /// line unfinished (a carriage return held back is dropped: the line ends anyway).
    pub fn end_line(&mut self) -> &'static str {
        self.carriage_return = false;
        if std::mem::take(&mut self.unfinished) {
            "\n"
        } else {
            ""
        }
    }

    /// `text` of a child's output as the log shows it: each line indented, the first only
    /// when it starts a line, CRLF line ends made `\n`.
    pub fn indent(&mut self, text: &str) -> String {
        let mut shown = String::with_capacity(text.len() + INDENT.len() + 1);
        for piece in text.split_inclusive('\n') {
            let (body, ends_line) = match piece.strip_suffix('\n') {
                Some(body) => (body, true),
                None => (piece, false),
            };
            if std::mem::take(&mut self.carriage_return) && !body.is_empty() {
                shown.push('\r');
            }
            if !self.unfinished {
                shown.push_str(INDENT);
            }
            if ends_line {
                shown.push_str(body.strip_suffix('\r').unwrap_or(body));
                shown.push('\n');
                self.unfinished = false;
            } else {
                match body.strip_suffix('\r') {
                    Some(before) => {
                        shown.push_str(before);
                        self.carriage_return = true;
                    }
                    None => shown.push_str(body),
                }
                self.unfinished = true;
            }
        }
        shown
    }

    /// `text` as it is written unchanged (output whose format someone else owns), after a
    /// carriage return held back; the line is left as `text` leaves it.
    pub fn raw(&mut self, text: &str) -> String {
        let mut shown = String::new();
        if std::mem::take(&mut self.carriage_return) {
            shown.push('\r');
        }
        shown.push_str(text);
        if let Some(last) = text.chars().last() {
            self.unfinished = last != '\n';
        }
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the pieces look like together, with a message of bpkit's own after them.
    fn shown(pieces: &[&str]) -> String {
        let mut state = LineState::default();
        let mut text: String = pieces.iter().map(|piece| state.indent(piece)).collect();
        text.push_str(state.end_line());
        text.push_str("-----> next\n");
        text
    }

    #[test]
    fn each_line_is_indented_once_however_it_was_cut() {
        assert_eq!(shown(&["a\nb\n"]), "       a\n       b\n-----> next\n");
        assert_eq!(
            shown(&["Installing... ", "done\n", "x"]),
            "       Installing... done\n       x\n-----> next\n"
        );
        assert_eq!(shown(&["a", "", "b\n"]), "       ab\n-----> next\n");
        assert_eq!(shown(&["\n", "\n"]), "       \n       \n-----> next\n");
        assert_eq!(shown(&[]), "-----> next\n");
    }

    /// A CRLF line end is a line end, even cut between its two bytes; a `\r` of its own (a
    /// progress line redrawn) is kept.
    #[test]
    fn crlf_ends_a_line_and_a_lone_carriage_return_is_kept() {
        assert_eq!(shown(&["a\r\nb\r\n"]), "       a\n       b\n-----> next\n");
        assert_eq!(
            shown(&["a\r", "\nb\n"]),
            "       a\n       b\n-----> next\n"
        );
        assert_eq!(
            shown(&["10%\r", "20%\r", "30%\n"]),
            "       10%\r20%\r30%\n-----> next\n"
        );
        assert_eq!(shown(&["10%\r"]), "       10%\n-----> next\n");
        assert_eq!(shown(&["a\r", "", "\n"]), "       a\n-----> next\n");
    }

    /// Raw text leaves the line as it leaves it, and output after it goes on with it.
    #[test]
    fn raw_text_is_unchanged_and_leaves_its_line_as_it_ends() {
        let mut state = LineState::default();
        assert_eq!(state.raw("abc"), "abc");
        assert_eq!(state.indent("def\n"), "def\n");
        assert_eq!(state.raw(""), "");
        assert_eq!(state.end_line(), "");
        assert_eq!(state.indent("x\r"), "       x");
        assert_eq!(state.raw("y\n"), "\ry\n");
        assert_eq!(state.end_line(), "");
    }
}
