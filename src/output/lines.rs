//! Reading a command's output for the log a line at a time, with memory bounded however long
//! the command writes without a line break (a minified file, a progress bar redrawn with `\r`
//! and never ended): such a line is passed on in pieces of [`LINE_LIMIT`]. The build commands
//! of the phases and `pre_package` in `bpkit package` read their output through this.

use std::io::{self, BufRead, Read};

/// The longest line kept whole (bytes); a longer one is passed on in pieces of this size.
pub const LINE_LIMIT: u64 = 64 << 10;

/// How many lines (or pieces) a reading thread may be ahead of the log: past that it waits, the
/// pipe fills and the command blocks, so a command printing faster than the log is written
/// cannot pile its output up in memory.
pub const LINES_IN_FLIGHT: usize = 64;

/// The next line of `reader` with its `\n`, or the next [`LINE_LIMIT`] bytes of a longer one;
/// `Ok(None)` at the end.
pub fn next_line(reader: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    match reader.take(LINE_LIMIT).read_until(b'\n', &mut line)? {
        0 => Ok(None),
        _ => Ok(Some(line)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_comes_in_pieces() {
        let limit = usize::try_from(LINE_LIMIT).unwrap();
        let mut text = vec![b'a'; limit * 2 + 5];
        text.extend_from_slice(b"\nb\n");
        let mut reader = io::BufReader::new(text.as_slice());
        let mut sizes = Vec::new();
        while let Some(line) = next_line(&mut reader).unwrap() {
            sizes.push(line.len());
        }
        assert_eq!(sizes, [limit, limit, 6, 2]);
    }
}
