//! What a person at a terminal sees (spec README: progress bars only on a terminal, `NO_COLOR`
//! honoured; stdout data, stderr narration): `bpkit fetch` run on a pseudo-terminal of a given
//! width, its screen rendered as the terminal would leave it. Guards: a warning printed while
//! bars are drawn stays whole and leaves no stale bar behind; where each file came from (a
//! mirror too) stays on the screen after its bar; a bar never wraps; a terminal too
//! narrow for a bar, or a `TERM=dumb` one, gets the plain per-dependency lines and no escape
//! codes; `NO_COLOR` set and non-empty turns colour off; `package` draws the bars too, and `-q`
//! none.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::bin::{Run, bpkit_path};
use common::buildpack::{sha256_hex, write};
use common::server::{Fault, Server, payload};
use common::terminal::{self, Screen, has_bar};

/// A buildpack whose `slow` dependency takes about a second to arrive (so bars are drawn for a
/// while) and whose `flaky` one (when asked for) fails three times with 503 first, each failure
/// printing a retry warning while the slow bar is on the screen.
struct Scene {
    _temp: tempfile::TempDir,
    root: PathBuf,
    cache: PathBuf,
    server: Server,
}

impl Scene {
    fn new(slow: bool, flaky: bool) -> Scene {
        let temp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(temp.path()).unwrap();
        let server = Server::start();
        let mut manifest = String::from("language: tty\ndependencies:\n");
        let mut add = |name: &str, body: Vec<u8>, fault: Fault| {
            let path = format!("/{name}.tgz");
            server.route(&path, body.clone(), fault);
            let _ = write!(
                manifest,
                "- name: {name}\n  version: 1.0.0\n  uri: {}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n",
                server.url(&path),
                sha256_hex(&body)
            );
        };
        if slow {
            let fault = Fault::Slow {
                chunk: 2000,
                delay: Duration::from_millis(50),
            };
            add("slow", payload(40_000), fault);
        }
        if flaky {
            let fault = Fault::FailFirst {
                count: 3,
                status: 503,
            };
            add("flaky", payload(1000), fault);
        }
        let root = base.join("bp");
        write(&root, "manifest.yml", manifest);
        write(&root, "VERSION", "1.0.0\n");
        Scene {
            _temp: temp,
            root,
            cache: base.join("c"),
            server,
        }
    }

    /// `bpkit [ARGS] fetch BUILDPACK` on a terminal `cols` wide with `TERM=xterm`, a private
    /// cache, no proxies, no colour unless `no_color` says otherwise (`None` unsets it).
    fn fetch(&self, cols: u16, args: &[&str], no_color: Option<&str>) -> Command {
        let root = self.root.to_str().unwrap();
        let args: Vec<&str> = args.iter().copied().chain(["fetch", root]).collect();
        let mut command = terminal::command(cols, &bpkit_path(), &args);
        isolate(&mut command, &self.cache);
        match no_color {
            Some(value) => command.env("NO_COLOR", value),
            None => command.env_remove("NO_COLOR"),
        };
        command
    }
}

impl Scene {
    /// `bpkit [ARGS] package --cached BUILDPACK` on a terminal, as [`Scene::fetch`] runs fetch,
    /// the zip written beside the cache.
    fn package(&self, cols: u16, args: &[&str]) -> Command {
        let root = self.root.to_str().unwrap();
        let out = self.cache.with_file_name("out");
        let out = out.to_str().unwrap();
        let args: Vec<&str> = args
            .iter()
            .copied()
            .chain(["package", "--cached", root, "--output-dir", out])
            .collect();
        let mut command = terminal::command(cols, &bpkit_path(), &args);
        isolate(&mut command, &self.cache);
        command.env("NO_COLOR", "1");
        command
    }
}

fn isolate(command: &mut Command, cache: &Path) {
    command
        .env("TERM", "xterm")
        .env("BPKIT_CACHE_DIR", cache)
        .env("HOME", cache)
        .env("BPKIT_RETRIES", "3")
        .env("BPKIT_RETRY_DELAY_MS", "100")
        .env_remove("BP_DEBUG")
        .env_remove("BPKIT_MIRRORS")
        .env_remove("SOURCE_DATE_EPOCH");
    common::bin::clear_proxies(command);
}

fn ran(run: &Run) -> String {
    format!("exit {}, terminal:\n{}", run.code, run.stdout)
}

#[test]
fn the_screen_emulator_renders_redraws_and_wraps() {
    let screen = Screen::render("ab\r\ncd\x1b[1A\r\x1b[2Kxy\x1b[1B\r\n123456", 4);
    assert_eq!(screen.lines, ["xy", "cd", "1234", "56"]);
    assert_eq!(screen.wrapped, ["1234"]);
}

/// Retry warnings printed while a download's bar is drawn once landed at the end of the bar's
/// line, and the next redraw cleared the wrong lines: half a warning, a stale bar left behind.
#[test]
fn lines_printed_while_bars_are_drawn_stay_whole_and_no_bar_is_left_behind() {
    let scene = Scene::new(true, true);
    // Wide enough for a warning on one line.
    let run = terminal::run(&mut scene.fetch(200, &[], Some("1")));
    assert_eq!(run.code, 0, "{}", ran(&run));
    assert!(has_bar(&run.stdout), "no bar was drawn: {}", ran(&run));
    let screen = Screen::render(&run.stdout, 200);
    let text = screen.text();
    assert!(!has_bar(&text), "a bar was left on the screen:\n{text}");
    let warnings: Vec<&String> = screen
        .lines
        .iter()
        .filter(|l| l.contains("WARNING"))
        .collect();
    assert_eq!(warnings.len(), 3, "{text}");
    for warning in warnings {
        assert!(
            warning.starts_with("       **WARNING** Could not download http://127.0.0.1:")
                && warning.contains("Retrying in"),
            "{text}"
        );
    }
    assert!(
        text.starts_with("-----> Fetching 2 dependencies into "),
        "{text}"
    );
    assert!(text.contains("-----> 2 dependencies in "), "{text}");
    // A bar is cleared when its download ends; the line saying where the file came from stays.
    for name in ["slow", "flaky"] {
        let line = format!("       {name} 1.0.0: downloaded from http://127.0.0.1:");
        assert!(screen.lines.iter().any(|l| l.starts_with(&line)), "{text}");
    }
}

/// With the bars drawn, nothing said which files a mirror served (the plain line was printed
/// only where no bar was): an air-gapped site's operator at a terminal could not see the mirror
/// used. The line is printed above the bars, and stays when they are cleared.
#[test]
fn a_file_a_mirror_served_is_said_so_under_the_bars() {
    let scene = Scene::new(true, false);
    let fault = Fault::Slow {
        chunk: 2000,
        delay: Duration::from_millis(50),
    };
    scene
        .server
        .route("/mirror/slow.tgz", payload(40_000), fault);
    let rule = format!(
        "{}={}",
        scene.server.url("/slow.tgz"),
        scene.server.url("/mirror/slow.tgz")
    );
    let mut command = scene.fetch(200, &[], Some("1"));
    command.env("BPKIT_MIRRORS", rule);
    let run = terminal::run(&mut command);
    assert_eq!(run.code, 0, "{}", ran(&run));
    assert!(has_bar(&run.stdout), "no bar was drawn: {}", ran(&run));
    let screen = Screen::render(&run.stdout, 200);
    let text = screen.text();
    assert!(!has_bar(&text), "a bar was left on the screen:\n{text}");
    let line = format!(
        "       slow 1.0.0: fetched from mirror {}",
        scene.server.url("/mirror/slow.tgz")
    );
    assert!(screen.lines.contains(&line), "{text}");
    assert_eq!(scene.server.hits("/slow.tgz"), 0);
}

/// The bar line was 103 columns whatever the terminal: on an 80-column one every bar took two
/// lines and every redraw left a ragged block.
#[test]
fn a_bar_fits_the_width_of_the_terminal() {
    let scene = Scene::new(true, false);
    for cols in [80, 60] {
        let _ = fs::remove_dir_all(&scene.cache);
        let run = terminal::run(&mut scene.fetch(cols, &[], Some("1")));
        assert_eq!(run.code, 0, "{}", ran(&run));
        assert!(
            has_bar(&run.stdout),
            "{cols} columns: no bar: {}",
            ran(&run)
        );
        let screen = Screen::render(&run.stdout, cols.into());
        let wrapped: Vec<&String> = screen.wrapped.iter().filter(|l| has_bar(l)).collect();
        assert!(wrapped.is_empty(), "{cols} columns: {wrapped:#?}");
        assert!(!has_bar(&screen.text()), "{}", screen.text());
    }
}

/// `package` draws the bars `fetch` draws while it downloads, and `-q` draws none for either:
/// quiet hides the narration, bars included.
#[test]
fn package_draws_the_bars_and_quiet_draws_none() {
    let scene = Scene::new(true, false);
    let runs = [
        ("package", scene.package(80, &[]), true),
        ("package -q", scene.package(80, &["-q"]), false),
        ("fetch -q", scene.fetch(80, &["-q"], Some("1")), false),
    ];
    for (what, mut command, bars) in runs {
        let _ = fs::remove_dir_all(&scene.cache);
        let run = terminal::run(&mut command);
        assert_eq!(run.code, 0, "{what}: {}", ran(&run));
        assert_eq!(has_bar(&run.stdout), bars, "{what}: {}", ran(&run));
    }
}

#[test]
fn a_terminal_too_narrow_for_a_bar_gets_plain_lines() {
    let scene = Scene::new(true, false);
    let run = terminal::run(&mut scene.fetch(40, &[], Some("1")));
    assert_eq!(run.code, 0, "{}", ran(&run));
    assert!(!has_bar(&run.stdout), "{}", ran(&run));
    assert!(
        run.stdout
            .contains("\r\n       slow 1.0.0: downloaded from http://127.0.0.1:"),
        "{}",
        ran(&run)
    );
}

/// A `TERM=dumb` terminal (an editor's shell buffer) draws no bars (indicatif hides them), so
/// it must get the plain lines instead, which it once did not; and no colour, as from clap.
#[test]
fn a_dumb_terminal_gets_plain_lines_and_no_escape_codes() {
    let scene = Scene::new(true, true);
    let mut command = scene.fetch(120, &[], None);
    command.env("TERM", "dumb");
    let run = terminal::run(&mut command);
    assert_eq!(run.code, 0, "{}", ran(&run));
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    for name in ["slow", "flaky"] {
        let line = format!("\r\n       {name} 1.0.0: downloaded from http://127.0.0.1:");
        assert!(run.stdout.contains(&line), "{}", ran(&run));
    }
    assert!(
        run.stdout
            .contains("\r\n       **WARNING** Could not download"),
        "{}",
        ran(&run)
    );
}

/// no-color.org: colour is off when `NO_COLOR` is present and not empty; an empty one counts
/// as unset.
#[test]
fn no_color_set_and_not_empty_turns_colour_off() {
    for (no_color, coloured) in [(None, true), (Some(""), true), (Some("1"), false)] {
        // A new server for each run: each 503 is answered once.
        let scene = Scene::new(false, true);
        let run = terminal::run(&mut scene.fetch(120, &["-q"], no_color));
        assert_eq!(run.code, 0, "{}", ran(&run));
        let red = run
            .stdout
            .contains("       \x1b[31;1m**WARNING**\x1b[0m Could not");
        assert_eq!(red, coloured, "NO_COLOR={no_color:?}: {:?}", run.stdout);
        if !coloured {
            assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
        }
    }
}

/// stdout redirected, stderr a terminal: the file gets only the paths, the terminal the bars.
#[test]
fn redirected_stdout_gets_only_data_while_the_terminal_gets_the_narration() {
    let scene = Scene::new(true, false);
    let out = scene.root.parent().unwrap().join("out.txt");
    let script = format!("exec \"$@\" > '{}'", out.display());
    let root = scene.root.to_str().unwrap();
    let bpkit = bpkit_path();
    let args = ["-c", &script, "sh", bpkit.to_str().unwrap(), "fetch", root];
    let mut command = terminal::command(120, Path::new("sh"), &args);
    isolate(&mut command, &scene.cache);
    command.env("NO_COLOR", "1");
    let run = terminal::run(&mut command);
    assert_eq!(run.code, 0, "{}", ran(&run));
    assert!(has_bar(&run.stdout), "{}", ran(&run));
    let data = fs::read_to_string(&out).unwrap();
    assert!(
        data.starts_with(scene.cache.to_str().unwrap()) && data.ends_with("/slow.tgz\n"),
        "{data:?}"
    );
    // The narration says where the file came from (a URI ending in slow.tgz too); the
    // entry's path is data, and reaches the file only.
    assert!(!run.stdout.contains(data.trim_end()), "{}", ran(&run));
}
