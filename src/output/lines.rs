//! Reading a command's output for the log a line at a time, with memory bounded however long
//! the command writes without a line break (a minified file, a progress bar redrawn with `\r`
//! and never ended): such a line is passed on in pieces of [`LINE_LIMIT`], cut between
//! characters. The build commands of the phases and `pre_package` in `bpkit package` read their
//! output through this; `bpkit stage`'s phase runner holds a line's start for its end only for
//! a while (`stager::run_phase::held`, which needs the time a line has waited, and so cannot be
//! a blocking line reader like this one) but cuts with [`incomplete_utf8_tail`] too.

use std::io::{self, BufRead, Read};

/// The longest line kept whole (bytes); a longer one is passed on in pieces of this size.
pub const LINE_LIMIT: u64 = 64 << 10;

/// How many lines (or pieces) a reading thread may be ahead of the log: past that it waits, the
/// pipe fills and the command blocks, so a command printing faster than the log is written
/// cannot pile its output up in memory.
pub const LINES_IN_FLIGHT: usize = 64;

/// The lines of a reader, each with its `\n`, a longer one in pieces of at most
/// [`LINE_LIMIT`] bytes cut before a character the cut would split (its first bytes start the
/// next piece), so the log never shows U+FFFD where a long line of text was cut.
pub struct Lines<R> {
    reader: R,
    /// The first bytes of a character the last cut would have split.
    carry: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            carry: Vec::new(),
        }
    }

    /// The next line or piece; `Ok(None)` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut line = std::mem::take(&mut self.carry);
        let room = LINE_LIMIT - line.len() as u64;
        let read = self
            .reader
            .by_ref()
            .take(room)
            .read_until(b'\n', &mut line)?;
        if read == 0 && line.is_empty() {
            return Ok(None);
        }
        if read > 0 && line.len() as u64 >= LINE_LIMIT && !line.ends_with(b"\n") {
            let tail = incomplete_utf8_tail(&line);
            if tail < line.len() {
                self.carry = line.split_off(line.len() - tail);
            }
        }
        Ok(Some(line))
    }
}

/// How many bytes at the end of `bytes` are the start of a UTF-8 character that is not all
/// there (0 to 3): where a cut must go so that it splits no character.
pub fn incomplete_utf8_tail(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(3) {
        let byte = bytes[bytes.len() - back];
        if byte & 0xC0 == 0x80 {
            continue;
        }
        let length = match byte {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        return if length > back { back } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_comes_in_pieces() {
        let limit = usize::try_from(LINE_LIMIT).unwrap();
        let mut text = vec![b'a'; limit * 2 + 5];
        text.extend_from_slice(b"\nb\n");
        let mut lines = Lines::new(io::BufReader::new(text.as_slice()));
        let mut sizes = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            sizes.push(line.len());
        }
        assert_eq!(sizes, [limit, limit, 6, 2]);
    }

    /// A line of `é` (two bytes each) one byte off the limit is cut before the character the
    /// limit falls in, and every piece is text.
    #[test]
    fn a_cut_never_splits_a_character() {
        let limit = usize::try_from(LINE_LIMIT).unwrap();
        let text = format!("a{}\n", "é".repeat(limit));
        let mut lines = Lines::new(io::BufReader::new(text.as_bytes()));
        let mut pieces = Vec::new();
        while let Some(piece) = lines.next_line().unwrap() {
            pieces.push(String::from_utf8(piece).expect("a piece that is text"));
        }
        assert_eq!(pieces.concat(), text);
        assert_eq!(pieces[0].len(), limit - 1);
    }

    #[test]
    fn the_incomplete_tail_of_utf8() {
        assert_eq!(incomplete_utf8_tail(b"ab"), 0);
        assert_eq!(incomplete_utf8_tail("aé".as_bytes()), 0);
        assert_eq!(incomplete_utf8_tail(&"aé".as_bytes()[..2]), 1);
        assert_eq!(incomplete_utf8_tail(&"a€".as_bytes()[..3]), 2);
        assert_eq!(incomplete_utf8_tail(&"a😀".as_bytes()[..4]), 3);
        assert_eq!(incomplete_utf8_tail("a😀".as_bytes()), 0);
    }
}
