//! A Cloud Foundry style logger, worded like libbuildpack's: `-----> ` steps, 7-space detail
//! lines, `**WARNING**`, `**ERROR**`, and `DEBUG:` lines only under `BP_DEBUG`. Multi-line
//! messages keep the 7-space indent on every line, as libbuildpack does. The writer is
//! injectable so tests can read exactly what a user would see. While progress bars are drawn
//! on the same terminal, every line goes through their [`Overlay`], so a warning printed during
//! a download neither lands in the middle of a bar nor leaves a stale copy of one behind.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};

use super::line_state::LineState;

const DETAIL: &str = "       ";
const RED: &str = "\x1b[31;1m";
const BLUE: &str = "\x1b[34;1m";
const RESET: &str = "\x1b[0m";

/// How much narration to print. Warnings and errors are printed at every level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Verbosity {
    Quiet,
    #[default]
    Normal,
    Verbose,
}

/// Whether to colour `**WARNING**` / `**ERROR**` markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour unless `NO_COLOR` is set: libbuildpack always colours staging output, and the
    /// platform's log stream shows it.
    Always,
    /// Colour only when stderr is a terminal that shows colour (`TERM` set and not `dumb`)
    /// and `NO_COLOR` is unset or empty (the toolkit CLI): the rule clap applies to its own
    /// help and usage errors, so a `TERM=dumb` terminal (an editor's shell buffer) gets no
    /// escape codes from either.
    Auto,
    Never,
}

impl ColorChoice {
    fn resolve(self) -> bool {
        self.wanted(
            std::env::var_os("NO_COLOR"),
            std::env::var_os("TERM"),
            || io::stderr().is_terminal(),
        )
    }

    /// Whether to colour, given `NO_COLOR`, `TERM` and whether stderr is a terminal (asked
    /// only for `Auto`).
    fn wanted(
        self,
        no_color: Option<std::ffi::OsString>,
        term: Option<std::ffi::OsString>,
        stderr_is_terminal: impl FnOnce() -> bool,
    ) -> bool {
        let no_color = set_and_not_empty(no_color);
        match self {
            ColorChoice::Never => false,
            ColorChoice::Always => !no_color,
            ColorChoice::Auto => !no_color && term_shows_colour(term) && stderr_is_terminal(),
        }
    }
}

/// Whether a switch variable is on: set to anything but the empty string, the rule of both
/// `NO_COLOR` (no-color.org: "when present and not an empty string") and `BP_DEBUG` (as
/// libbuildpack reads it).
fn set_and_not_empty(value: Option<std::ffi::OsString>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

/// Whether a terminal with this `TERM` shows colour: set and not `dumb` (as clap and
/// indicatif read it).
fn term_shows_colour(term: Option<std::ffi::OsString>) -> bool {
    term.is_some_and(|term| !term.is_empty() && term != "dumb")
}

/// Something drawn below the narration on the same terminal (the progress bars), which has to
/// be lifted while a line is printed and drawn again under it.
pub trait Overlay: Send + Sync {
    /// Clear what is drawn, run `print`, draw it again.
    fn suspend(&self, print: &mut dyn FnMut());
}

/// The writer and, while bars are drawn, their overlay; shared by every clone of a logger.
struct Sink {
    writer: Box<dyn Write + Send>,
    overlay: Option<Arc<dyn Overlay>>,
    line: LineState,
}

/// The narration channel. Cloning shares the writer, so threads can log through one logger
/// and their lines never interleave mid-line.
#[derive(Clone)]
pub struct Logger {
    sink: Arc<Mutex<Sink>>,
    color: bool,
    debug: bool,
    verbosity: Verbosity,
    wording: Option<Wording>,
}

/// A rewording of every step, detail, warning, error and debug message ([`Logger::reworded`]).
type Wording = Arc<dyn Fn(&str) -> String + Send + Sync>;

impl std::fmt::Debug for Logger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logger")
            .field("color", &self.color)
            .field("debug", &self.debug)
            .finish_non_exhaustive()
    }
}

impl Logger {
    /// A logger writing to `writer`. `DEBUG:` lines appear only when `debug` is true.
    pub fn new(writer: Box<dyn Write + Send>, color: bool, debug: bool) -> Self {
        Logger {
            sink: Arc::new(Mutex::new(Sink {
                writer,
                overlay: None,
                line: LineState::default(),
            })),
            color,
            debug,
            verbosity: Verbosity::Normal,
            wording: None,
        }
    }

    /// A logger on stderr; `BP_DEBUG` (any non-empty value) turns on debug lines.
    pub fn stderr(color: ColorChoice) -> Self {
        let debug = set_and_not_empty(std::env::var_os("BP_DEBUG"));
        Logger::new(Box::new(io::stderr()), color.resolve(), debug)
    }

    /// A logger that keeps everything it is given, for tests.
    pub fn capture() -> (Self, Captured) {
        let buffer = Captured::default();
        (Logger::new(Box::new(buffer.clone()), false, false), buffer)
    }

    #[must_use]
    pub fn with_verbosity(mut self, verbosity: Verbosity) -> Self {
        self.verbosity = verbosity;
        if verbosity == Verbosity::Verbose {
            self.debug = true;
        }
        self
    }

    /// This logger (sharing its writer) with every message passed through `wording` first:
    /// the `buildpack-packager` drop-in spells the flags the packager's messages name
    /// (`--cache-dir`) as its own command line does (`-cachedir`).
    #[must_use]
    pub fn reworded(&self, wording: impl Fn(&str) -> String + Send + Sync + 'static) -> Self {
        let mut logger = self.clone();
        logger.wording = Some(Arc::new(wording));
        logger
    }

    #[must_use]
    pub fn with_debug(mut self, debug: bool) -> Self {
        self.debug = debug;
        self
    }

    /// Print every line through `overlay` from now on (for every clone of this logger), or
    /// directly again with `None`.
    pub fn set_overlay(&self, overlay: Option<Arc<dyn Overlay>>) {
        self.lock().overlay = overlay;
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    pub fn is_debug(&self) -> bool {
        self.debug
    }

    /// `-----> message`: the start of a step.
    pub fn step(&self, message: &str) {
        if self.verbosity > Verbosity::Quiet {
            self.print("----->", message);
        }
    }

    /// `       message`: a detail under the current step.
    pub fn detail(&self, message: &str) {
        if self.verbosity > Verbosity::Quiet {
            self.print("      ", message);
        }
    }

    /// `       **WARNING** message`.
    pub fn warning(&self, message: &str) {
        let header = self.marker("**WARNING**", RED);
        self.print(&header, message);
    }

    /// `       **ERROR** message`.
    pub fn error(&self, message: &str) {
        let header = self.marker("**ERROR**", RED);
        self.print(&header, message);
    }

    /// `       DEBUG: message`, only when debugging is on.
    pub fn debug(&self, message: &str) {
        if self.debug {
            let header = self.marker("DEBUG:", BLUE);
            self.print(&header, message);
        }
    }

    /// A piece of a child process's output as it arrives, each line indented as a detail
    /// line. A piece may end mid-line (a program that prints `Installing... ` before the
    /// work): the next piece goes on with that line, and any message first ends it. (Only
    /// where no bars are drawn: an [`Overlay`] would draw over the line's start.)
    pub fn output(&self, text: &str) {
        if self.verbosity > Verbosity::Quiet {
            self.write_with(|line| line.indent(text));
        }
    }

    /// End the line a child's output left unfinished, if it did: its last line had no line
    /// break, and what comes next in the log (from this program or another) starts a line.
    pub fn end_line(&self) {
        self.write_with(|line| line.end_line().to_string());
    }

    /// Text written unchanged (for output whose format is owned by someone else).
    pub fn raw(&self, text: &str) {
        self.write_with(|line| line.raw(text));
    }

    fn marker(&self, word: &str, color: &str) -> String {
        if self.color {
            format!("{DETAIL}{color}{word}{RESET}")
        } else {
            format!("{DETAIL}{word}")
        }
    }

    fn print(&self, header: &str, message: &str) {
        let reworded;
        let message = match &self.wording {
            Some(wording) => {
                reworded = wording(message);
                reworded.as_str()
            }
            None => message,
        };
        let message = message.replace('\n', &format!("\n{DETAIL}"));
        self.write_with(|line| format!("{}{header} {message}\n", line.end_line()));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Sink> {
        // A poisoned lock only means another thread panicked mid-write; keep logging.
        self.sink
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Write the text `compose` makes from the state of the current line (which it updates).
    fn write_with(&self, compose: impl FnOnce(&mut LineState) -> String) {
        let mut sink = self.lock();
        let Sink {
            writer,
            overlay,
            line,
        } = &mut *sink;
        let text = compose(line);
        if text.is_empty() {
            return;
        }
        // Logging must never fail the work it describes (a closed stderr is not our error),
        // and staging output is streamed live to the user, so flush every line.
        let mut print = || {
            let _ = writer.write_all(text.as_bytes());
            let _ = writer.flush();
        };
        match overlay {
            Some(overlay) => overlay.suspend(&mut print),
            None => print(),
        }
    }
}

/// A shared in-memory buffer behind a [`Logger::capture`] logger.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(
            &self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
        .into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reworded logger passes each message through its wording and shares the writer; the
    /// logger it came from is left as it was.
    #[test]
    fn a_reworded_logger_rewords_every_message_into_the_same_writer() {
        let (logger, out) = Logger::capture();
        let reworded = logger
            .clone()
            .with_debug(true)
            .reworded(|text| text.replace("--cache-dir", "-cachedir"));
        reworded.step("pass --cache-dir");
        reworded.detail("--cache-dir D");
        reworded.warning("use --cache-dir\nor --cache-dir");
        reworded.error("no --cache-dir");
        reworded.debug("--cache-dir=x");
        logger.warning("still --cache-dir");
        assert_eq!(
            out.text(),
            "-----> pass -cachedir\n       -cachedir D\n       **WARNING** use -cachedir\n       or -cachedir\n       **ERROR** no -cachedir\n       DEBUG: -cachedir=x\n       **WARNING** still --cache-dir\n"
        );
    }

    #[test]
    fn formats_like_libbuildpack() {
        let (logger, out) = Logger::capture();
        logger.step("Installing ruby 3.2.1");
        logger.detail("Download [https://example/ruby.tgz]");
        logger.warning("old version");
        logger.error("failed:\nsecond line");
        logger.debug("hidden");
        assert_eq!(
            out.text(),
            "-----> Installing ruby 3.2.1\n       Download [https://example/ruby.tgz]\n       **WARNING** old version\n       **ERROR** failed:\n       second line\n"
        );
    }

    #[test]
    fn debug_and_quiet() {
        let (logger, out) = Logger::capture();
        let logger = logger.with_debug(true);
        logger.debug("shown");
        let quiet = logger.with_verbosity(Verbosity::Quiet).with_debug(false);
        quiet.step("not shown");
        quiet.warning("shown anyway");
        assert_eq!(
            out.text(),
            "       DEBUG: shown\n       **WARNING** shown anyway\n"
        );
    }

    /// Records what happens, in order: the overlay's clear and redraw around each line.
    struct Recording(Captured);

    impl Overlay for Recording {
        fn suspend(&self, print: &mut dyn FnMut()) {
            let mut log = self.0.clone();
            let _ = log.write_all(b"[clear]");
            print();
            let _ = log.write_all(b"[draw]");
        }
    }

    #[test]
    fn lines_go_through_the_overlay_while_there_is_one() {
        let (logger, out) = Logger::capture();
        let other = logger.clone();
        logger.set_overlay(Some(Arc::new(Recording(out.clone()))));
        other.warning("retrying");
        logger.set_overlay(None);
        other.step("done");
        assert_eq!(
            out.text(),
            "[clear]       **WARNING** retrying\n[draw]-----> done\n"
        );
    }

    #[test]
    fn a_dumb_or_unknown_terminal_gets_no_colour() {
        assert!(term_shows_colour(Some("xterm-256color".into())));
        assert!(!term_shows_colour(Some("dumb".into())));
        assert!(!term_shows_colour(Some(String::new().into())));
        assert!(!term_shows_colour(None));
    }

    #[test]
    fn no_color_set_and_not_empty_turns_colour_off_and_auto_needs_a_colour_terminal() {
        let some = |v: &str| Some(std::ffi::OsString::from(v));
        let xterm = || some("xterm");
        // Always: everything but a non-empty NO_COLOR; the terminal is not asked.
        let never_asked = || -> bool { panic!("stderr asked for Always or Never") };
        assert!(ColorChoice::Always.wanted(None, None, never_asked));
        assert!(ColorChoice::Always.wanted(some(""), None, never_asked));
        assert!(!ColorChoice::Always.wanted(some("1"), xterm(), never_asked));
        assert!(!ColorChoice::Never.wanted(None, xterm(), never_asked));
        // Auto: NO_COLOR unset or empty, a TERM that shows colour and a terminal.
        assert!(ColorChoice::Auto.wanted(None, xterm(), || true));
        assert!(ColorChoice::Auto.wanted(some(""), xterm(), || true));
        assert!(!ColorChoice::Auto.wanted(some("1"), xterm(), || true));
        assert!(!ColorChoice::Auto.wanted(None, some("dumb"), || true));
        assert!(!ColorChoice::Auto.wanted(None, None, || true));
        assert!(!ColorChoice::Auto.wanted(None, xterm(), || false));
    }

    #[test]
    fn bp_debug_set_and_not_empty_asks_for_debug_lines() {
        assert!(set_and_not_empty(Some("1".into())));
        assert!(set_and_not_empty(Some("false".into())));
        assert!(!set_and_not_empty(Some("".into())));
        assert!(!set_and_not_empty(None));
    }

    /// Quiet keeps warnings and errors only; a child's output and details are narration.
    /// Verbose turns debug lines on.
    #[test]
    fn each_verbosity_prints_its_lines() {
        let (logger, out) = Logger::capture();
        assert_eq!(logger.verbosity(), Verbosity::Normal);
        assert!(!logger.is_debug());
        let quiet = logger.clone().with_verbosity(Verbosity::Quiet);
        assert_eq!(quiet.verbosity(), Verbosity::Quiet);
        assert!(!quiet.is_debug());
        quiet.step("step");
        quiet.detail("detail");
        quiet.output("output\n");
        quiet.debug("debug");
        quiet.error("error");
        assert_eq!(out.text(), "       **ERROR** error\n");
        let normal = logger.clone().with_verbosity(Verbosity::Normal);
        normal.detail("detail");
        normal.output("output\n");
        normal.debug("debug");
        let verbose = logger.with_verbosity(Verbosity::Verbose);
        assert_eq!(verbose.verbosity(), Verbosity::Verbose);
        assert!(verbose.is_debug());
        verbose.debug("debug");
        assert_eq!(
            out.text(),
            "       **ERROR** error\n       detail\n       output\n       DEBUG: debug\n"
        );
    }

    /// A child's output may leave its line unfinished: more output goes on with it, every
    /// message of bpkit's own (from any clone of the logger) and `end_line` end it first, raw
    /// text does not, and a finished line is not ended again.
    #[test]
    fn messages_end_the_line_output_left_unfinished() {
        let (logger, out) = Logger::capture();
        let other = logger.clone().with_debug(true);
        logger.output("Installing... ");
        logger.output("done\nno end");
        other.warning("late");
        logger.output("a");
        logger.end_line();
        logger.end_line();
        logger.output("b");
        other.debug("d");
        logger.output("c");
        logger.raw("raw\n");
        logger.output("e");
        logger.raw(" goes on\n");
        logger.output("f");
        logger.step("s");
        logger.output("g");
        logger.error("x");
        logger.output("h");
        logger.detail("i");
        assert_eq!(
            out.text(),
            "       Installing... done\n       no end\n       **WARNING** late\n       a\n       b\n       DEBUG: d\n       craw\n       e goes on\n       f\n-----> s\n       g\n       **ERROR** x\n       h\n       i\n"
        );
    }

    #[test]
    fn debug_text_shows_the_settings_not_the_writer() {
        let (logger, _) = Logger::capture();
        assert_eq!(
            format!("{:?}", logger.with_debug(true)),
            "Logger { color: false, debug: true, .. }"
        );
    }

    #[test]
    fn colours_markers_when_asked() {
        let buffer = Captured::default();
        let logger = Logger::new(Box::new(buffer.clone()), true, false);
        logger.warning("w");
        assert_eq!(buffer.text(), "       \x1b[31;1m**WARNING**\x1b[0m w\n");
    }
}
