//! Progress reporting behind a trait, so library code (downloads, zip writing) reports progress
//! without knowing whether a terminal is attached. Bars are drawn with indicatif on stderr only
//! when it is a terminal that can draw them (`TERM` set and not `dumb`) and wide enough for a
//! bar on one line; otherwise nothing is drawn. Callers log their plain lines either way: while
//! bars are drawn, the logger prints its lines above them ([`super::logger::Overlay`]), and a
//! bar is cleared when its task ends, so the lines are what stays on the screen.

use std::sync::Arc;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::logger::{Logger, Overlay};

/// Something that can show the progress of several tasks at once.
pub trait Progress: Send + Sync {
    /// Start a task with a label and, when known, its total size in bytes.
    fn begin(&self, label: &str, total: Option<u64>) -> Box<dyn Task>;
}

/// One task's progress.
pub trait Task: Send {
    fn set_total(&self, total: u64);
    /// An attempt starts with `bytes` done already: those of a download it resumes, or 0 when
    /// a download starts again (so a retried bar does not count its bytes twice).
    fn set_done(&self, bytes: u64);
    fn advance(&self, bytes: u64);
    fn finish(&self);
}

/// Shows nothing: pipes, CI logs, tests, `--json`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Hidden;

struct HiddenTask;

impl Task for HiddenTask {
    fn set_total(&self, _: u64) {}
    fn set_done(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

impl Progress for Hidden {
    fn begin(&self, _: &str, _: Option<u64>) -> Box<dyn Task> {
        Box::new(HiddenTask)
    }
}

/// indicatif bars on stderr.
pub struct Bars {
    multi: MultiProgress,
    /// The bar line's template, chosen for the terminal's width.
    template: &'static str,
    /// The logger whose lines go through these bars until they are dropped.
    logger: Logger,
}

/// Below this many columns no template fits on one line: a bar that wraps is redrawn as a
/// ragged block on every tick, so plain lines are shown instead.
const NARROWEST: u16 = 50;

/// The bar line for a terminal `width` columns wide, always shorter than it: a line that wraps
/// turns every redraw into a ragged block. `{wide_bar}` takes the columns left; the fixed parts
/// keep three spare columns for sizes and rates longer than their padding (`1023.99 MiB/s`).
fn template(width: u16) -> Option<&'static str> {
    match width {
        // 103 columns, the bar a fixed 30 (a bar as wide as a wide terminal says nothing more).
        106.. => Some("       {msg:30!} {bar:30} {bytes:>10}/{total_bytes:10} {bytes_per_sec:>12}"),
        // 63 columns and the bar.
        75.. => {
            Some("       {msg:20!} {wide_bar} {bytes:>10}/{total_bytes:10} {bytes_per_sec:>12}")
        }
        // 46 columns and the bar, without the rate.
        NARROWEST.. => Some("       {msg:16!} {wide_bar} {bytes:>10}/{total_bytes:10}"),
        _ => None,
    }
}

impl Bars {
    /// Bars when stderr is a terminal that draws them, otherwise [`Hidden`]. While the bars
    /// live, `logger`'s lines are printed above them instead of through them.
    pub fn for_stderr(quiet: bool, logger: &Logger) -> Box<dyn Progress> {
        // indicatif hides a target that is not a terminal, or whose TERM is unset or `dumb`;
        // asking it keeps "bars are drawn" and "callers skip their plain lines" in step.
        let target = ProgressDrawTarget::stderr();
        // The width indicatif draws for (80 columns' worth when the terminal does not say).
        let width = console::Term::stderr().size().1;
        match template(width) {
            Some(template) if !quiet && !target.is_hidden() => Box::new(Bars::new(
                MultiProgress::with_draw_target(target),
                template,
                logger,
            )),
            _ => Box::new(Hidden),
        }
    }

    fn new(multi: MultiProgress, template: &'static str, logger: &Logger) -> Bars {
        logger.set_overlay(Some(Arc::new(Lift(multi.clone()))));
        Bars {
            multi,
            template,
            logger: logger.clone(),
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        // Each task clears its own bar when it ends; this clears any a caller left running (a
        // run that stopped early, interrupted or failed), so the terminal is left clean for the
        // error line that follows.
        let _ = self.multi.clear();
        self.logger.set_overlay(None);
    }
}

/// Lifts the bars for a line of narration.
struct Lift(MultiProgress);

impl Overlay for Lift {
    fn suspend(&self, print: &mut dyn FnMut()) {
        self.0.suspend(print);
    }
}

struct BarTask(ProgressBar);

impl Task for BarTask {
    fn set_total(&self, total: u64) {
        self.0.set_length(total);
    }

    fn set_done(&self, bytes: u64) {
        self.0.set_position(bytes);
    }

    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bars {
    fn begin(&self, label: &str, total: Option<u64>) -> Box<dyn Task> {
        let bar = self.multi.add(ProgressBar::new(total.unwrap_or(0)));
        // The templates are constants known to be valid; fall back to the default style anyway.
        let style = ProgressStyle::with_template(self.template)
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(label.to_string());
        Box::new(BarTask(bar))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_counts_an_attempt_from_where_it_starts() {
        let bar = BarTask(ProgressBar::hidden());
        bar.set_total(100);
        bar.advance(60);
        bar.set_done(0); // the download starts again
        bar.advance(30);
        assert_eq!(bar.0.position(), 30);
        bar.set_done(80); // a resume
        bar.advance(20);
        assert_eq!((bar.0.position(), bar.0.length()), (100, Some(100)));
        bar.finish();
        assert!(bar.0.is_finished());
    }

    /// A terminal's rows as the bars leave them: just enough of one for indicatif's drawing.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<std::sync::Mutex<(Vec<String>, usize)>>);

    impl Screen {
        fn with<T>(&self, f: impl FnOnce(&mut Vec<String>, &mut usize) -> T) -> T {
            let mut screen = self.0.lock().unwrap();
            let (rows, cursor) = &mut *screen;
            if rows.len() <= *cursor {
                rows.resize(*cursor + 1, String::new());
            }
            f(rows, cursor)
        }

        fn text(&self) -> String {
            self.with(|rows, _| rows.join("\n").trim().to_string())
        }
    }

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            120
        }
        fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
            self.with(|_, cursor| *cursor = cursor.saturating_sub(n));
            Ok(())
        }
        fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
            self.with(|_, cursor| *cursor += n);
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.with(|rows, cursor| {
                rows[*cursor].push_str(s);
                *cursor += 1;
            });
            Ok(())
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.with(|rows, cursor| rows[*cursor].push_str(s));
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            self.with(|rows, cursor| rows[*cursor].clear());
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A finished task's bar goes at once, and one still running when the bars go (a run that
    /// stopped early) goes with them: the terminal is left clean for the line that follows.
    #[test]
    fn bars_leave_the_screen_clean() {
        let screen = Screen::default();
        let (logger, _) = Logger::capture();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        let bars = Bars::new(
            MultiProgress::with_draw_target(target),
            template(120).unwrap_or_default(),
            &logger,
        );
        let done = bars.begin("first", Some(100));
        let left = bars.begin("second", Some(100));
        done.advance(100);
        left.advance(50);
        let shown = screen.text();
        assert!(
            shown.contains("first") && shown.contains("second"),
            "{shown}"
        );
        done.finish();
        let shown = screen.text();
        assert!(
            !shown.contains("first") && shown.contains("second"),
            "{shown}"
        );
        drop(bars);
        assert_eq!(screen.text(), "");
        drop(left);
    }

    /// Each terminal width gets the widest bar line that fits it, and one narrower than 50
    /// columns none (plain lines instead).
    #[test]
    fn the_bar_line_fits_the_terminal() {
        let rate =
            |t: Option<&str>| t.map(|t| (t.contains("{msg:30!}"), t.contains("bytes_per_sec")));
        assert_eq!(template(0), None);
        assert_eq!(template(NARROWEST - 1), None);
        assert_eq!(rate(template(NARROWEST)), Some((false, false)));
        assert_eq!(rate(template(74)), Some((false, false)));
        assert_eq!(rate(template(75)), Some((false, true)));
        assert_eq!(rate(template(105)), Some((false, true)));
        assert_eq!(rate(template(106)), Some((true, true)));
        assert_eq!(rate(template(u16::MAX)), Some((true, true)));
    }
}
