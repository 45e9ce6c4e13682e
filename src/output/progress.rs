//! Progress reporting behind a trait, so library code (downloads, zip writing) reports progress
//! without knowing whether a terminal is attached. Bars are drawn with indicatif on stderr only
//! when it is a terminal; otherwise nothing is drawn and callers log plain lines instead.

use std::io::IsTerminal;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Something that can show the progress of several tasks at once.
pub trait Progress: Send + Sync {
    /// Start a task with a label and, when known, its total size in bytes.
    fn begin(&self, label: &str, total: Option<u64>) -> Box<dyn Task>;

    /// True when bars are actually drawn (callers then skip their plain per-item lines).
    fn is_visible(&self) -> bool;
}

/// One task's progress.
pub trait Task: Send {
    fn set_total(&self, total: u64);
    /// An attempt starts with `bytes` done already: those of a download it resumes, or 0 when
    /// a download starts again (so a retried bar does not count its bytes twice).
    fn set_done(&self, bytes: u64) {
        let _ = bytes;
    }
    fn advance(&self, bytes: u64);
    fn finish(&self);
}

/// Shows nothing: pipes, CI logs, tests, `--json`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Hidden;

struct HiddenTask;

impl Task for HiddenTask {
    fn set_total(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

impl Progress for Hidden {
    fn begin(&self, _: &str, _: Option<u64>) -> Box<dyn Task> {
        Box::new(HiddenTask)
    }

    fn is_visible(&self) -> bool {
        false
    }
}

/// indicatif bars on stderr.
pub struct Bars {
    multi: MultiProgress,
}

impl Bars {
    /// Bars when stderr is a terminal, otherwise [`Hidden`].
    pub fn for_stderr(quiet: bool) -> Box<dyn Progress> {
        if !quiet && std::io::stderr().is_terminal() {
            Box::new(Bars {
                multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            })
        } else {
            Box::new(Hidden)
        }
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
        // The template is a constant known to be valid; fall back to the default style anyway.
        let style = ProgressStyle::with_template(
            "       {msg:30!} {bar:30} {bytes:>10}/{total_bytes:10} {bytes_per_sec:>12}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(label.to_string());
        Box::new(BarTask(bar))
    }

    fn is_visible(&self) -> bool {
        true
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
    }
}
