//! detect and release through `bin/<phase>` symlinks (issue 4): detect prints the name and exits
//! 0, or exits 1 printing nothing; `contains` regexes and `all_of`; it ignores the parts of the
//! manifest it does not need. release prints only YAML.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;

use common::bin::Run;
use common::staging::{Staging, buildpack};

const DETECT: &str = r#"language: hello
detect:
  name: Hello World
  any_of:
  - file: hello.txt
  - file: '*.hello'
  - file: package.json
    contains: '"hello-framework"\s*:'
  - all_of:
    - file: Procfile
    - file: bin/*
release:
  default_process_types:
    web: hello --port $PORT
"#;

fn detect_with(files: &[(&str, &str)]) -> common::bin::Run {
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", DETECT);
    for (name, contents) in files {
        staging.app_file(name, contents);
    }
    staging.detect(&bp)
}

fn assert_match(run: &common::bin::Run) {
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "Hello World\n", "")
    );
}

fn assert_no_match(run: &common::bin::Run) {
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (1, "", "")
    );
}

#[test]
fn detect_matches_a_file_and_prints_the_name() {
    assert_match(&detect_with(&[("hello.txt", "hi")]));
    assert_match(&detect_with(&[("site.hello", "")]));
}

/// A phase run by hand from inside `bin/` (`./detect APP`, as a link or a copy made by
/// `--bin-links`) finds the buildpack above it, as libbuildpack's `Abs(Join(Dir(argv[0]),
/// ".."))` does, not `bin/` itself.
#[test]
fn a_phase_run_from_inside_bin_finds_the_buildpack_above_it() {
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", DETECT);
    staging.app_file("hello.txt", "hi");
    for argv0 in ["./detect", "../bin/detect"] {
        let mut command = staging.command(&bp, "detect");
        // The command runs the link by its path; argv[0] is what a shell in bin/ passes.
        std::os::unix::process::CommandExt::arg0(&mut command, argv0);
        let run = common::bin::run(command.current_dir(bp.join("bin")).arg(&staging.app));
        assert_match(&run);
    }
}

#[test]
fn detect_without_a_match_exits_1_and_prints_nothing() {
    assert_no_match(&detect_with(&[]));
    assert_no_match(&detect_with(&[("README.md", "hello.txt")]));
    // A glob without `**` does not look into folders.
    assert_no_match(&detect_with(&[("sub/site.hello", "")]));
}

/// A fifo where a `contains` rule looks is not read (opening it would wait for a writer for
/// ever): it does not match, and detect goes on to the next rule.
#[test]
fn detect_does_not_wait_on_a_fifo() {
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", DETECT);
    staging.app_file("README.md", "");
    let made = std::process::Command::new("mkfifo")
        .arg(staging.app.join("package.json"))
        .status()
        .unwrap();
    assert!(made.success());
    assert_no_match(&staging.detect(&bp));
    staging.app_file("hello.txt", "hi");
    assert_match(&staging.detect(&bp));
}

#[test]
fn detect_contains_is_a_regex_over_the_file() {
    assert_match(&detect_with(&[(
        "package.json",
        "{\"dependencies\": {\"hello-framework\" : \"1\"}}",
    )]));
    assert_no_match(&detect_with(&[(
        "package.json",
        "{\"dependencies\": {\"express\": \"1\"}}",
    )]));
    assert_no_match(&detect_with(&[("package.json", "\"hello-framework\"")]));
}

/// A file saved on Windows ends its lines with `\r\n`: a pattern's `$` in `(?m)` did not match
/// at the end of its lines (the `\r` stood before the `\n`), so `(?m)^web: .+$`-style rules
/// missed every app written there.
#[test]
fn detect_contains_matches_line_ends_of_a_file_saved_on_windows() {
    let manifest = "language: hello\ndetect:\n  any_of:\n  - file: Gemfile\n    contains: '(?m)^gem \"rails\"$'\n";
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", manifest);
    staging.app_file("Gemfile", "source \"x\"\r\ngem \"rails\"\r\ngem \"pg\"\r\n");
    staging.detect(&bp).assert_printed(0, "hello\n", "");
}

/// A file saved with a byte-order mark (Notepad, Visual Studio) or as UTF-16 (Windows
/// PowerShell's `>`) is matched on its text: the mark read as text kept `^` from matching at
/// the start, and UTF-16's zero bytes kept every pattern from matching.
#[test]
fn detect_contains_reads_a_file_with_a_byte_order_mark_or_in_utf16() {
    let manifest =
        "language: hello\ndetect:\n  any_of:\n  - file: Procfile\n    contains: '^web: hello'\n";
    let utf16 = |text: &str| -> Vec<u8> {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let mut utf8_bom = b"\xef\xbb\xbf".to_vec();
    utf8_bom.extend_from_slice(b"web: hello --port $PORT\r\n");
    for (contents, matches) in [
        (utf8_bom, true),
        (utf16("web: hello --port $PORT\r\n"), true),
        (utf16("worker: hello\r\n"), false),
    ] {
        let staging = Staging::new();
        let bp = buildpack(staging.path(), "bp", manifest);
        fs::write(staging.app.join("Procfile"), contents).unwrap();
        let run = staging.detect(&bp);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            if matches {
                (0, "hello\n", "")
            } else {
                (1, "", "")
            }
        );
    }
}

#[test]
fn detect_all_of_needs_every_rule() {
    assert_no_match(&detect_with(&[("Procfile", "web: bin/server")]));
    assert_no_match(&detect_with(&[("bin/server", "")]));
    assert_match(&detect_with(&[
        ("Procfile", "web: bin/server"),
        ("bin/server", ""),
    ]));
}

/// `bin/detect` of a buildpack with `manifest` on an app holding an empty `hello.txt`.
fn detect_hello_txt(manifest: &str) -> Run {
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", manifest);
    staging.app_file("hello.txt", "");
    staging.detect(&bp)
}

#[test]
fn detect_defaults_to_the_language_and_ignores_what_it_does_not_need() {
    // The dependency is broken (short sha256, no uri): staging would refuse this manifest, but
    // detect neither needs nor validates it.
    let manifest = "language: hello\ndetect:\n  any_of:\n  - file: hello.txt\ndependencies:\n- name: hello\n  version: 1.0.0\n  sha256: abc\n";
    detect_hello_txt(manifest).assert_printed(0, "hello\n", "");
}

#[test]
fn detect_with_a_broken_rule_says_so_on_stderr() {
    let manifest =
        "language: hello\ndetect:\n  any_of:\n  - file: hello.txt\n    contains: '(unclosed'\n";
    let run = detect_hello_txt(manifest);
    assert_eq!(run.code, 10);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with("       **ERROR** manifest.yml detect.any_of[0].contains: `(unclosed` is not a valid regular expression ("),
        "{}",
        run.stderr
    );
}

/// `file:` is relative to the app's root: an absolute path or `..` would test the staging
/// machine (every machine has /etc/passwd), so the rule is refused, naming the key.
#[test]
fn detect_refuses_a_file_rule_outside_the_app() {
    for (file, problem) in [
        ("/etc/passwd", "is absolute"),
        ("../hello.txt", "goes up out of the app with `..`"),
        ("sub/../../x", "goes up out of the app with `..`"),
    ] {
        let manifest = format!(
            "language: hello\ndetect:\n  any_of:\n  - file: hello.txt\n  - file: '{file}'\n"
        );
        let run = detect_hello_txt(&manifest);
        assert_eq!((run.code, run.stdout.as_str()), (10, ""), "{}", run.stderr);
        assert!(
            run.stderr.ends_with(&format!("detect.any_of[1].file: `{file}` {problem}; write a path relative to the app's root folder, such as `Gemfile`\n")),
            "{}",
            run.stderr
        );
    }
}

/// An empty `file:` named the app's folder, which every app has: the buildpack matched every
/// push, taking apps from the buildpacks after it in the list. It is refused, naming the key.
#[test]
fn detect_refuses_an_empty_file_rule_that_would_match_every_app() {
    let staging = Staging::new();
    let bp = buildpack(
        staging.path(),
        "bp",
        "language: hello\ndetect:\n  any_of:\n  - file: ''\n",
    );
    let run = staging.detect(&bp);
    assert_eq!((run.code, run.stdout.as_str()), (10, ""), "{}", run.stderr);
    assert!(
        run.stderr.ends_with("detect.any_of[0].file: the path is empty, so the rule names the app's folder itself and matches every app; write a file such as `Gemfile`\n"),
        "{}",
        run.stderr
    );
}

/// A blank `detect.name` was printed as an empty line, so the platform showed the app staged
/// by a buildpack of no name: the language is printed instead, as without `name:`.
#[test]
fn detect_with_a_blank_name_prints_the_language() {
    detect_hello_txt("language: hello\ndetect:\n  name: ' '\n  any_of: [{file: hello.txt}]\n")
        .assert_printed(0, "hello\n", "");
}

#[test]
fn detect_without_rules_never_matches() {
    detect_hello_txt("language: hello\n").assert_printed(1, "", "");
}

#[test]
fn release_prints_only_yaml() {
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", DETECT);
    let run = staging.release(&bp);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "---\ndefault_process_types:\n  web: hello --port $PORT\n"
    );

    let manifest = "language: ruby\nrelease:\n  config_vars:\n    RACK_ENV: production\n    FLAG: 'on'\n  default_process_types:\n    web: 'bundle exec rackup config.ru -p $PORT # comment-like'\n    worker: bundle exec sidekiq\n";
    let bp = buildpack(staging.path(), "ruby", manifest);
    let run = staging.release(&bp);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "---\nconfig_vars:\n  RACK_ENV: production\n  FLAG: \"on\"\ndefault_process_types:\n  web: \"bundle exec rackup config.ru -p $PORT # comment-like\"\n  worker: bundle exec sidekiq\n"
    );
}

#[test]
fn release_and_detect_through_the_subcommand_with_buildpack_dir() {
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", DETECT);
    staging.app_file("hello.txt", "");
    let subcommand = |phase: &str| {
        common::bin::run(
            common::bin::bpkit()
                .env("BUILDPACK_DIR", &bp)
                .arg(phase)
                .arg(&staging.app),
        )
    };
    let run = subcommand("detect");
    assert_eq!((run.code, run.stdout.as_str()), (0, "Hello World\n"));
    let run = subcommand("release");
    assert_eq!(
        run.stdout,
        "---\ndefault_process_types:\n  web: hello --port $PORT\n"
    );
}

/// `bpkit -v <phase>` prints the `DEBUG:` lines `BP_DEBUG` would, and `bpkit -q <phase>` leaves
/// out the step lines, as `--help` says; `bin/<phase>` (no flags) narrates as before.
#[test]
fn the_global_quiet_and_verbose_flags_reach_the_phase_subcommands() {
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", DETECT);
    let subcommand = |flag: &str, phase: &str, args: &[&Path]| {
        let mut command = common::bin::bpkit();
        command
            .env("BUILDPACK_DIR", &bp)
            .env("CF_STACK", "cflinuxfs4")
            .args([flag, phase])
            .args(args);
        common::bin::run(&mut command)
    };
    let debug = |phase: &str| {
        format!(
            "       DEBUG: bpkit {phase} {}: buildpack {}, stack cflinuxfs4\n",
            env!("CARGO_PKG_VERSION"),
            bp.display()
        )
    };
    let run = subcommand("-v", "release", &[&staging.app]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "---\ndefault_process_types:\n  web: hello --port $PORT\n",
            debug("release").as_str()
        )
    );

    let supply = [&staging.app, &staging.cache, &staging.deps, Path::new("0")];
    let step = "-----> Hello Buildpack version 1.0.0\n";
    let run = subcommand("-v", "supply", &supply);
    assert_eq!(
        (run.code, run.stderr),
        (0, format!("{}{step}", debug("supply")))
    );
    let run = subcommand("-q", "supply", &supply);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    // Through bin/supply, as the platform runs it: the step line, no DEBUG line.
    let run = staging.supply(&bp, "0");
    assert_eq!((run.code, run.stderr.as_str()), (0, step));
}

/// A detect that matches nothing says why under `-v` (or `BP_DEBUG`), rule by rule in the
/// order it looked, on stderr; stdout stays empty and the exit code 1, as the platform needs.
#[test]
fn a_detect_that_matches_nothing_says_why_when_asked() {
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", DETECT);
    staging.app_file("package.json", "{\"other\": 1}");
    staging.app_file("Procfile", "web: x\n");
    let mut command = common::bin::bpkit();
    command
        .env("BUILDPACK_DIR", &bp)
        .env("CF_STACK", "cflinuxfs4")
        .args(["-v", "detect"])
        .arg(&staging.app);
    let run = common::bin::run(&mut command);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{}", run.stderr);
    let why: Vec<&str> = run.stderr.lines().skip(1).collect();
    assert_eq!(
        why,
        [
            "       DEBUG: detect.any_of[0].file: no `hello.txt` in the app",
            "       DEBUG: detect.any_of[1].file: no file in the app matches `*.hello`",
            "       DEBUG: detect.any_of[2].file: `package.json` is in the app but has no match for `\"hello-framework\"\\s*:`",
            "       DEBUG: detect.any_of[3].all_of[0].file: `Procfile` is in the app",
            "       DEBUG: detect.any_of[3].all_of[1].file: no file in the app matches `bin/*`",
        ]
    );
    // Without -v: nothing at all on stderr.
    assert_no_match(&staging.detect(&bp));
}

/// A syntax error is in the right manifest: the fix is the YAML, not BUILDPACK_DIR.
/// `bpkit release APP` with the buildpack at `buildpack_dir`.
fn release_of(
    buildpack_dir: impl AsRef<std::path::Path>,
    app: &std::path::Path,
) -> common::bin::Run {
    common::bin::run(
        common::bin::bpkit()
            .env("BUILDPACK_DIR", buildpack_dir.as_ref())
            .arg("release")
            .arg(app),
    )
}

#[test]
fn a_manifest_syntax_error_asks_to_fix_the_yaml() {
    let staging = Staging::new();
    let bp = staging.path().join("bp");
    fs::create_dir_all(&bp).unwrap();
    fs::write(bp.join("manifest.yml"), "language: [demo\n").unwrap();
    let run = release_of(&bp, &staging.app);
    assert_eq!(run.code, 10);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "       **ERROR** Unable to load buildpack manifest: {}/manifest.yml:2:1: invalid YAML: while parsing a flow sequence, expected ',' or ']'; close the `[` or `{{` of the value, with `,` between its items (or quote a value that starts with `[` or `{{`)\n",
            bp.display()
        )
    );
    // A message with no fix of its own gets the generic one.
    fs::write(bp.join("manifest.yml"), "language: a\nlanguage: b\n").unwrap();
    let run = release_of(&bp, &staging.app);
    assert_eq!(
        run.stderr,
        format!(
            "       **ERROR** Unable to load buildpack manifest: {}/manifest.yml:2:1: invalid YAML: duplicate key `language` (first at line 1); keep one of the two: a key appears once in a mapping\n",
            bp.display()
        )
    );
}

/// A `BUILDPACK_DIR` with no manifest, or one that is a file, is the wrong folder: the fix says
/// which to give.
#[test]
fn a_missing_manifest_names_the_file_and_the_fix() {
    let staging = Staging::new();
    fs::write(staging.path().join("a-file"), "").unwrap();
    for (dir, problem) in [
        ("nowhere", "no such file"),
        ("a-file", "part of that path is a file, not a folder"),
    ] {
        let run = release_of(staging.path().join(dir), &staging.app);
        assert_eq!(run.code, 10);
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            format!(
                "       **ERROR** Unable to load buildpack manifest: cannot read {}/{dir}/manifest.yml: {problem}; set BUILDPACK_DIR to the buildpack's folder (the one holding manifest.yml)\n",
                staging.path().display()
            )
        );
    }
}

/// A folder where manifest.yml belongs: the phase says so and how to fix it (it once printed
/// only "it is a folder, not a file", with no fix).
#[test]
fn a_manifest_that_is_a_folder_names_the_file_and_the_fix() {
    let staging = Staging::new();
    let bp = staging.path().join("bp");
    fs::create_dir_all(bp.join("manifest.yml")).unwrap();
    let run = release_of(&bp, &staging.app);
    assert_eq!(run.code, 10);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "       **ERROR** Unable to load buildpack manifest: cannot read {}/manifest.yml: it is a folder, not a file; replace that folder with the buildpack's manifest file\n",
            bp.display()
        )
    );
}
