//! A child's output read on threads of their own, so that the thread writing the log can
//! also watch the child (its exit, a deadline, a Ctrl-C) while it prints nothing: a signal
//! caught with `SA_RESTART` does not end a blocked read. Reads are of at most a [`CHUNK`],
//! through a bounded queue: a child printing faster than the log is written waits for it
//! (its pipe fills), instead of piling its output up in memory. [`Streamed`] is one pipe's
//! output in lines held for their end ([`Held`]), as the build commands and `pre_package`
//! show it; `bpkit stage`'s phase runner reads two pipes with [`spawn_reader`].

use std::io::{self, Read};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::held::{CHUNK, Held};

/// How many reads may wait between the readers and the loop that handles them: past that the
/// readers wait, the pipe fills and the program blocks, so a program cannot outrun the log.
pub const QUEUE: usize = 16;

/// What a reader sends, with the tag of its pipe.
#[derive(Debug)]
pub enum Piece<T> {
    /// Bytes as one read gave them.
    Data(T, Vec<u8>),
    /// The end of the pipe, with the error that ended the reading if one did.
    End(T, Option<io::Error>),
}

/// Send what `pipe` gives, as it comes, tagged `tag`, then its end. The thread ends at the
/// pipe's end, or when nothing receives any more.
pub fn spawn_reader<T: Copy + Send + 'static>(
    mut pipe: impl Read + Send + 'static,
    tag: T,
    tx: mpsc::SyncSender<Piece<T>>,
) {
    std::thread::spawn(move || {
        let mut buffer = vec![0; CHUNK];
        let error = loop {
            match pipe.read(&mut buffer) {
                Ok(0) => break None,
                Ok(n) => {
                    if tx.send(Piece::Data(tag, buffer[..n].to_vec())).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Some(e),
            }
        };
        let _ = tx.send(Piece::End(tag, error));
    });
}

/// One pipe's output, read as it comes and handed on in whole lines, or a line's start once it
/// has waited [`super::held::HOLD`] for its end.
pub struct Streamed {
    received: mpsc::Receiver<Piece<()>>,
    held: Held,
    open: bool,
}

impl Streamed {
    /// Start reading `pipe`.
    pub fn start(pipe: impl Read + Send + 'static) -> Self {
        let (tx, received) = mpsc::sync_channel(QUEUE);
        spawn_reader(pipe, (), tx);
        Streamed {
            received,
            held: Held::default(),
            open: true,
        }
    }

    /// Whether the pipe may still give more (its end has not been read).
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Wait up to `wait` for output (sleep, once the pipe has ended), and hand `show` what is
    /// ready: whole lines, a line's start that has waited long enough for its end, and all
    /// that is left at the pipe's end. `Err` when reading the pipe failed (what was read
    /// before has been handed on).
    pub fn poll(&mut self, wait: Duration, show: &mut dyn FnMut(&[u8])) -> io::Result<()> {
        if !self.open {
            std::thread::sleep(wait);
            return Ok(());
        }
        match self.received.recv_timeout(wait) {
            Ok(Piece::Data((), bytes)) => {
                if let Some(ready) = self.held.push(&bytes, Instant::now()) {
                    show(&ready);
                }
            }
            Ok(Piece::End((), error)) => {
                self.open = false;
                self.flush(show);
                if let Some(error) = error {
                    return Err(error);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                self.open = false;
                self.flush(show);
            }
        }
        if let Some(stale) = self.held.take_stale(Instant::now()) {
            show(&stale);
        }
        Ok(())
    }

    /// Hand `show` all that is held (at the end, or when the rest is given up on).
    pub fn flush(&mut self, show: &mut dyn FnMut(&[u8])) {
        if let Some(rest) = self.held.take_all() {
            show(&rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::output::held::HOLD;

    /// Everything `streamed` hands on until its pipe ends, as the pieces it came in.
    fn pieces(mut streamed: Streamed) -> Vec<Vec<u8>> {
        let mut pieces = Vec::new();
        let started = Instant::now();
        while streamed.is_open() {
            assert!(started.elapsed() < Duration::from_secs(20), "never ended");
            streamed
                .poll(Duration::from_millis(10), &mut |bytes| {
                    pieces.push(bytes.to_vec());
                })
                .unwrap();
        }
        pieces
    }

    #[test]
    fn whole_lines_come_whole_and_the_rest_at_the_end() {
        let streamed = Streamed::start(&b"one\ntwo\nthree"[..]);
        assert_eq!(pieces(streamed).concat(), b"one\ntwo\nthree");
    }

    /// A line's start is handed on once it has waited for its end, before the end comes.
    #[test]
    fn a_line_start_is_shown_while_its_end_is_awaited() {
        let (reader, mut writer) = io::pipe().unwrap();
        let mut streamed = Streamed::start(reader);
        io::Write::write_all(&mut writer, b"Installing... ").unwrap();
        let mut shown = Vec::new();
        let started = Instant::now();
        while shown.is_empty() && started.elapsed() < HOLD * 20 {
            streamed
                .poll(Duration::from_millis(10), &mut |bytes| {
                    shown.extend_from_slice(bytes);
                })
                .unwrap();
        }
        assert_eq!(shown, b"Installing... ");
        assert!(started.elapsed() >= HOLD, "{:?}", started.elapsed());
        io::Write::write_all(&mut writer, b"done\n").unwrap();
        drop(writer);
        assert_eq!(pieces(streamed), [b"done\n"]);
    }

    /// A read error ends the stream, after what was read before it.
    #[test]
    fn a_read_error_ends_the_stream_after_what_came_before() {
        struct FailsSecond(bool);
        impl Read for FailsSecond {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if std::mem::replace(&mut self.0, true) {
                    return Err(io::Error::other("gone"));
                }
                buf[..4].copy_from_slice(b"half");
                Ok(4)
            }
        }
        let mut streamed = Streamed::start(FailsSecond(false));
        let mut shown = Vec::new();
        let error = loop {
            match streamed.poll(Duration::from_millis(10), &mut |bytes| {
                shown.extend_from_slice(bytes);
            }) {
                Ok(()) => assert!(streamed.is_open()),
                Err(error) => break error,
            }
        };
        assert_eq!(error.to_string(), "gone");
        assert_eq!(shown, b"half");
        assert!(!streamed.is_open());
    }

    /// A read interrupted by a signal (`EINTR`) is made again: it is no error, and the rest
    /// of the output still comes.
    #[test]
    fn an_interrupted_read_is_made_again() {
        struct InterruptedFirst(Vec<io::Result<&'static [u8]>>);
        impl Read for InterruptedFirst {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Ok(0);
                }
                let bytes = self.0.remove(0)?;
                buf[..bytes.len()].copy_from_slice(bytes);
                Ok(bytes.len())
            }
        }
        let reader = InterruptedFirst(vec![
            Err(io::Error::from(io::ErrorKind::Interrupted)),
            Ok(b"after\n"),
        ]);
        assert_eq!(pieces(Streamed::start(reader)), [b"after\n"]);
    }

    /// A reader stops when nothing receives what it reads any more.
    #[test]
    fn a_reader_stops_when_its_receiver_is_gone() {
        let (reader, mut writer) = io::pipe().unwrap();
        let (tx, rx) = mpsc::sync_channel(1);
        spawn_reader(reader, 7, tx);
        io::Write::write_all(&mut writer, b"x").unwrap();
        match rx.recv().unwrap() {
            Piece::Data(7, bytes) => assert_eq!(bytes, b"x"),
            other => panic!("{other:?}"),
        }
        drop(rx);
        // The reader's next send fails, and it ends, closing the pipe's read end: a write
        // then fails with EPIPE (SIGPIPE is ignored in Rust programs) instead of blocking.
        let started = Instant::now();
        let error = loop {
            if let Err(error) = io::Write::write_all(&mut writer, &[b'y'; 4096]) {
                break error;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "reader still reading"
            );
        };
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
    }
}
