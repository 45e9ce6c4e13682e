//! The start of a line of a child's output, held for its end: lines reach the log whole, so
//! that a program's stdout and stderr never cut into each other mid-line (`bpkit stage`'s
//! phases) and a line is indented as one (build commands, `pre_package`), yet a line whose end
//! is slow to come is shown without it, and a line longer than a [`CHUNK`] is passed on in
//! pieces cut between characters, so memory stays bounded however long a line is.

use std::time::{Duration, Instant};

/// The most read from a pipe at once, and the longest piece of a line handed on whole: a
/// program printing without line breaks (a minified file, a progress bar redrawn with `\r` and
/// never ended) is passed on in pieces of this size, never held whole.
pub const CHUNK: usize = 64 * 1024;

/// How long the start of a line waits for its end before it is shown alone. Lines are handed
/// on whole so that the log's stdout and stderr do not interleave mid-line, and the pieces of
/// one line that a block-buffered program writes arrive together; a program that pauses
/// mid-line (`Installing ruby... ` before the work, a prompt before it hangs) is shown at once
/// on the platform, and here within this time.
pub const HOLD: Duration = Duration::from_millis(200);

/// What has been read of a stream and not handed on yet: the start of a line whose end has
/// not arrived.
#[derive(Debug, Default)]
pub struct Held {
    bytes: Vec<u8>,
    /// When the bytes held began to wait.
    since: Option<Instant>,
}

impl Held {
    /// Add `bytes` just read; hand back what is ready: the whole lines, or a line's first
    /// [`CHUNK`] bytes and more, cut before a character the cut would split.
    pub fn push(&mut self, bytes: &[u8], now: Instant) -> Option<Vec<u8>> {
        self.bytes.extend_from_slice(bytes);
        let mut ready = self
            .bytes
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |last| last + 1);
        if self.bytes.len() - ready >= CHUNK {
            ready = self.bytes.len() - incomplete_utf8_tail(&self.bytes);
        }
        let taken = self.take(ready);
        if !self.bytes.is_empty() && (taken.is_some() || self.since.is_none()) {
            self.since = Some(now);
        }
        taken
    }

    /// What is held, when it has waited [`HOLD`] for its line's end, but a character not all
    /// there yet.
    pub fn take_stale(&mut self, now: Instant) -> Option<Vec<u8>> {
        if self
            .since
            .is_none_or(|since| now.duration_since(since) < HOLD)
        {
            return None;
        }
        let taken = self.take(self.bytes.len() - incomplete_utf8_tail(&self.bytes));
        self.since = (!self.bytes.is_empty()).then_some(now);
        taken
    }

    /// All that is held, at the end of the stream.
    pub fn take_all(&mut self) -> Option<Vec<u8>> {
        self.since = None;
        let len = self.bytes.len();
        self.take(len)
    }

    /// The first `len` bytes held, unless none.
    fn take(&mut self, len: usize) -> Option<Vec<u8>> {
        if len == 0 {
            return None;
        }
        let rest = self.bytes.split_off(len);
        if rest.is_empty() {
            self.since = None;
        }
        Some(std::mem::replace(&mut self.bytes, rest))
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

    /// A line longer than a chunk is handed on in pieces cut before a character, never
    /// inside one, and no more than a chunk of it is held.
    #[test]
    fn long_lines_are_cut_between_characters() {
        // One byte of padding puts a 2-byte character across every 64 KiB boundary.
        let line = format!("x{}\n", "é".repeat(CHUNK));
        let now = Instant::now();
        let mut held = Held::default();
        let mut text = String::new();
        for read in line.as_bytes().chunks(CHUNK) {
            if let Some(piece) = held.push(read, now) {
                text.push_str(std::str::from_utf8(&piece).unwrap());
            }
            assert!(held.bytes.len() < CHUNK, "{}", held.bytes.len());
        }
        assert_eq!(held.take_all(), None);
        assert_eq!(text, line);
    }

    /// The whole lines read go out as one piece; the start of a line waits for its end, for
    /// [`HOLD`] at most, and then goes out alone.
    #[test]
    fn a_line_start_waits_for_its_end_for_a_while() {
        let now = Instant::now();
        let mut held = Held::default();
        assert_eq!(held.push(b"a\nb\nc", now).unwrap(), b"a\nb\n");
        assert_eq!(held.take_stale(now + HOLD / 2), None);
        assert_eq!(held.push(b"d\ne", now + HOLD / 2).unwrap(), b"cd\n");
        // The wait counts from when the line began, not from its last bytes: a line of
        // progress dots is shown as it grows.
        assert_eq!(held.push(b".", now + HOLD), None);
        assert_eq!(
            held.take_stale(now + (HOLD * 3 / 2).saturating_sub(Duration::from_millis(1))),
            None
        );
        assert_eq!(held.take_stale(now + HOLD * 3 / 2).unwrap(), b"e.");
        assert_eq!(held.take_stale(now + HOLD * 3), None);
        assert_eq!(held.push(b".", now + HOLD * 3), None);
        assert_eq!(held.take_stale(now + HOLD * 4).unwrap(), b".");
        // A line begun after all was shown waits from when it began.
        assert_eq!(held.push(b"x", now + HOLD * 5), None);
        assert_eq!(held.take_stale(now + HOLD * 5 + HOLD / 2), None);
        assert_eq!(held.take_stale(now + HOLD * 6).unwrap(), b"x");
        assert_eq!(held.take_all(), None);
        assert_eq!(held.push(b"end", now), None);
        assert_eq!(held.take_all().unwrap(), b"end");
    }

    /// A line of up to 64 KiB is handed on whole, as the README says.
    #[test]
    fn lines_up_to_64_kib_are_whole() {
        let now = Instant::now();
        let mut held = Held::default();
        assert_eq!(held.push(&vec![b'x'; 64 * 1024 - 1], now), None);
        assert_eq!(
            held.push(b"x", now).map(|piece| piece.len()),
            Some(64 * 1024)
        );
    }

    /// A line start shown alone keeps back a character not all there yet.
    #[test]
    fn a_line_start_shown_alone_splits_no_character() {
        let now = Instant::now();
        let mut held = Held::default();
        let word = "caf\u{e9}".as_bytes();
        assert_eq!(held.push(&word[..word.len() - 1], now), None);
        assert_eq!(held.take_stale(now + HOLD).unwrap(), b"caf");
        assert_eq!(held.take_stale(now + HOLD * 2), None);
        assert_eq!(
            held.push(&[word[word.len() - 1], b'\n'], now).unwrap(),
            "\u{e9}\n".as_bytes()
        );
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

    /// A program's reads of tiny lines (`yes`) go out in few pieces, whole lines each.
    #[test]
    fn tiny_lines_go_out_in_few_pieces() {
        let lines = "y\n".repeat(CHUNK);
        let now = Instant::now();
        let mut held = Held::default();
        let mut total = 0;
        let mut pieces = 0;
        for read in lines.as_bytes().chunks(CHUNK - 1) {
            if let Some(piece) = held.push(read, now) {
                assert!(piece.ends_with(b"\n"));
                total += piece.len();
                pieces += 1;
            }
        }
        assert_eq!(total, lines.len());
        assert!(pieces <= 3, "{pieces} pieces for {} bytes", lines.len());
    }
}
