//! `bpkit stage` and `bpkit run` with hand-written shell-script buildpacks (issue 5): the stager
//! runs any buildpack's `bin/*` programs as the platform's builder does, with its arguments,
//! environment, messages and exit codes, and writes the builder's outputs.
#![allow(clippy::unwrap_used)]

mod common;

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::bin::{Run, bpkit};
use common::git::{git, init_and_commit};
use common::shell_buildpack::{ShellBuildpack, app, snapshot};
use common::stager::{Stage, listing, member, result_json};
use common::timed::run_within;
use serde_json::Value;

const LIMIT: Duration = Duration::from_secs(60);

/// `bpkit stage` in `cwd` (arguments to follow), killed after [`LIMIT`].
fn stage(cwd: &Path) -> Stage {
    Stage::new(cwd).limit(LIMIT)
}

/// `bpkit stage APP -b BUILDPACK --out OUT`, run in `cwd`: the most common staging here.
fn stage_into(cwd: &Path, app: &Path, buildpack: &str, out: &Path) -> Run {
    stage(cwd).arg(app).bp(buildpack).out(out).run()
}

fn run_droplet(cwd: &Path, args: &[&str]) -> Run {
    common::stager::run_droplet(cwd, args, LIMIT)
}

/// `bpkit run DROPLET --port 0 ARGS…` in `cwd`: the droplet (or outputs folder) on a free port.
fn run_on_free_port(cwd: &Path, droplet: &Path, args: &[&str]) -> Run {
    common::stager::run_on_free_port(cwd, droplet, args, LIMIT)
}

/// A test's temp folder, holding an app with one `index.html`.
fn hi_app() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(tmp.path(), &[("index.html", "hi")]);
    (tmp, app)
}

/// A compile-only buildpack that compiles nothing and whose web command is `./start`.
fn plain_buildpack(parent: &Path, dir: &str) -> ShellBuildpack {
    ShellBuildpack::new(parent, dir)
        .script("compile", "true")
        .release_web("./start")
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or("")
}

/// A compile-only buildpack (the Heroku shape) that detects with `name`.
fn compile_buildpack(parent: &Path, dir: &str, name: &str, marker: &str) -> ShellBuildpack {
    ShellBuildpack::new(parent, dir)
        .script("detect", &format!("echo '{name}'"))
        .script("compile", &format!("echo '{marker}' > \"$1/compiled\""))
        .release_web("./start")
}

#[test]
fn detect_mode_picks_the_first_match() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let no = ShellBuildpack::new(t, "no")
        .script("detect", "echo 'not me'; exit 1")
        .script("compile", "exit 9");
    let first = compile_buildpack(t, "first", "First Match", "first");
    let second = compile_buildpack(t, "second", "Second Match", "second");
    let out = t.join("out");

    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(no.path())
        .bp(first.path())
        .bp(second.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("{}\n", out.join("droplet.tgz").display())
    );
    let droplet = out.join("droplet.tgz");
    assert_eq!(member(&droplet, "./app/compiled"), "first\n");
    let result = result_json(&out);
    assert_eq!(
        result["lifecycle_metadata"]["detected_buildpack"],
        "First Match"
    );
    assert_eq!(result["lifecycle_metadata"]["buildpack_key"], first.path());
    assert_eq!(
        result["lifecycle_metadata"]["buildpacks"],
        serde_json::json!([{"key": first.path(), "name": "First Match"}])
    );
    assert_eq!(
        member(&droplet, "./staging_info.yml"),
        "{\"detected_buildpack\":\"First Match\",\"start_command\":\"./start\"}\n"
    );
    // The builder's droplet layout.
    let names = listing(&droplet);
    for expected in [
        "./",
        "./app/",
        "./deps/",
        "./profile.d/",
        "./tmp/",
        "./logs/",
        "./staging_info.yml",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    // detect's stdout is data: a failed detect's output is not shown.
    assert!(!run.stderr.contains("not me"));
    // Every bin/detect here is 0755: no warning of a script that is not executable.
    assert!(!run.stderr.contains("is not executable"), "{}", run.stderr);
}

/// The builder warns of a bin/detect that not everyone may execute (its `mode&0111 != 0111`),
/// and still runs it: here its owner may, so it detects.
#[test]
fn a_detect_script_not_executable_by_all_is_warned_of_and_still_run() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let owner_only = compile_buildpack(t, "owner-only", "Owner Only", "owner");
    let detect = Path::new(owner_only.path()).join("bin/detect");
    fs::set_permissions(&detect, fs::Permissions::from_mode(0o744)).unwrap();
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(owner_only.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .lines()
            .any(|line| line == "WARNING: buildpack script '/bin/detect' is not executable"),
        "{}",
        run.stderr
    );
    assert_eq!(
        member(&out.join("droplet.tgz"), "./app/compiled"),
        "owner\n"
    );
}

#[test]
fn no_detect_match_exits_222() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let a = ShellBuildpack::new(t, "a").script("detect", "exit 1");
    let b = ShellBuildpack::new(t, "b").script("detect", "exit 1");
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(a.path())
        .bp(b.path())
        .out(&out)
        .run();
    run.assert_last_line(
        222,
        "None of the buildpacks detected a compatible application",
    );
    assert_eq!(run.stdout, "");
    assert!(!out.join("droplet.tgz").exists());

    // A buildpack whose `bin` is a file: the builder's `os.Stat` of bin/detect fails and it
    // prints Go's words, not Rust's (`Not a directory (os error 20)`).
    let file_bin = t.join("file-bin");
    fs::create_dir_all(&file_bin).unwrap();
    fs::write(file_bin.join("bin"), "not a folder").unwrap();
    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(&file_bin)
        .out(&out)
        .run();
    assert_eq!(run.code, 222, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "stat {}/bin/detect: not a directory\nNone of the buildpacks detected a compatible application\n",
            fs::canonicalize(&file_bin).unwrap().display()
        )
    );
}

/// A supply-only buildpack that installs `greet` into its deps folder, and a final buildpack
/// that puts every deps `bin` on PATH during finalize and at launch (as libbuildpack does).
fn multi_buildpacks(t: &Path) -> (ShellBuildpack, ShellBuildpack) {
    let supply = ShellBuildpack::new(t, "supply-only").script(
        "supply",
        r#"echo "-----> Supplying greet (index $4)"
mkdir -p "$3/$4/bin"
printf '#!/bin/sh\necho hello from supply\n' > "$3/$4/bin/greet"
chmod +x "$3/$4/bin/greet"
printf 'name: Supply One\nversion: 1.2.3\nconfig: {}\n' > "$3/$4/config.yml""#,
    );
    let last = ShellBuildpack::new(t, "final")
        .script("supply", r#"echo "-----> Final supply at index $4""#)
        .script(
            "finalize",
            r#"for d in "$3"/*/bin; do PATH="$d:$PATH"; done
greet > "$1/greeting.txt"
echo "-----> finalize saw $(command -v greet | sed "s|^$3|DEPS_DIR|")"
printf 'export PATH="$DEPS_DIR/0/bin:$PATH"\n' > "$5/000_multi-supply.sh""#,
        )
        .release_web("greet");
    (supply, last)
}

#[test]
fn the_final_buildpack_sees_supplied_binaries_in_finalize_and_at_launch() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let (supply, last) = multi_buildpacks(t);
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .bp(supply.path())
        .bp(last.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("-----> Supplying greet (index 0)"));
    assert!(run.stderr.contains("-----> Final supply at index 1"));
    assert!(
        run.stderr
            .contains("-----> finalize saw DEPS_DIR/0/bin/greet")
    );
    let droplet = out.join("droplet.tgz");
    assert_eq!(
        member(&droplet, "./app/greeting.txt"),
        "hello from supply\n"
    );
    assert!(listing(&droplet).contains(&"./profile.d/000_multi-supply.sh".to_string()));
    let result = result_json(&out);
    assert_eq!(
        result["lifecycle_metadata"]["buildpacks"],
        serde_json::json!([
            {"key": supply.path(), "name": "Supply One", "version": "1.2.3"},
            {"key": last.path(), "name": ""}
        ])
    );

    // At launch: profile.d puts the supplied binary on PATH for the start command.
    let launched = run_on_free_port(t, &out, &[]);
    assert_eq!(launched.code, 0, "{}", launched.stderr);
    assert!(
        launched.stderr.contains("hello from supply"),
        "{}",
        launched.stderr
    );
    assert_eq!(launched.stdout, "");
}

#[test]
fn a_non_final_buildpack_without_supply_exits_225() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let old = compile_buildpack(t, "compile-only", "Old", "old");
    let (_, last) = multi_buildpacks(t);
    let run = stage(t).arg(&app).bp(old.path()).bp(last.path()).run();
    run.assert_last_line(225, "Error: one of the buildpacks chosen to supply dependencies does not support multi-buildpack apps");

    let failing = ShellBuildpack::new(t, "failing-supply").script("supply", "exit 7");
    let run = stage(t).arg(&app).bp(failing.path()).bp(last.path()).run();
    run.assert_last_line(225, "Failed to run all supply scripts: exit status 7");
}

#[test]
fn a_failing_finalize_exits_223_and_still_writes_result_json() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "bad-finalize")
        .script("finalize", "echo '       **ERROR** broken' >&2; exit 1")
        .release_web("./start");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    run.assert_last_line(
        223,
        "Failed to compile droplet: Failed to run finalize script: exit status 1",
    );
    assert!(run.stderr.contains("**ERROR** broken"));
    assert!(!out.join("droplet.tgz").exists());
    let result = result_json(&out);
    assert_eq!(result["process_types"], Value::Null);
    assert_eq!(result["lifecycle_metadata"]["buildpack_key"], bp.path());

    // A failing compile is wrapped twice, as the builder wraps it.
    let compile = ShellBuildpack::new(t, "bad-compile").script("compile", "exit 4");
    let run = stage(t).arg(&app).bp(compile.path()).run();
    run.assert_last_line(
        223,
        "Failed to compile droplet: Failed to compile droplet: exit status 4",
    );
}

/// A build that fails after detection: the builder's result.json names the buildpacks from
/// their `config.yml` alone (`buildpacksMetadata(buildpackKeys)`), not from detect's output,
/// which only a successful staging uses; bpkit named it `MyName`.
#[test]
fn a_build_failing_after_detect_leaves_detects_name_out_of_result_json() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "bp")
        .script("detect", "echo MyName")
        .script("compile", "exit 7")
        .release_web("./start");
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(bp.path())
        .out(&out)
        .arg("--json")
        .run();
    assert_eq!(run.code, 223, "{}", run.stderr);
    assert_eq!(stage_json(&run)["detected_buildpack"], "");
    let result = result_json(&out);
    assert_eq!(result["lifecycle_metadata"]["detected_buildpack"], "");
    assert_eq!(
        result["lifecycle_metadata"]["buildpacks"],
        serde_json::json!([{"key": bp.path(), "name": ""}])
    );

    // A config.yml still names it, failure or not.
    let named = ShellBuildpack::new(t, "named")
        .script("detect", "echo MyName")
        .script("supply", r#"printf 'name: Named\n' > "$3/$4/config.yml""#)
        .script("finalize", "exit 7")
        .release_web("./start");
    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(named.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 223, "{}", run.stderr);
    assert_eq!(
        result_json(&out)["lifecycle_metadata"]["detected_buildpack"],
        "Named"
    );
}

/// A finalize that removes BUILD_DIR itself: the builder's `cp -a` of it fails ("Failed to
/// copy compiled droplet", exit 1); bpkit said only `cannot move …/contents/app: No such file
/// or directory`, naming a folder of its own and not what happened.
#[test]
fn a_buildpack_that_removes_build_dir_is_named_with_the_builders_words() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "remover")
        .script("finalize", "echo \"BUILD_DIR=$1\" >&2; rm -rf \"$1\"")
        .release_web("./start");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    let build_dir = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("BUILD_DIR="))
        .unwrap();
    run.assert_last_line(
        1,
        &format!(
            "Failed to copy compiled droplet: BUILD_DIR {build_dir} no longer exists, so there is no app to put in the droplet: a buildpack removed it; a buildpack changes what is inside BUILD_DIR and must leave the folder itself in place"
        ),
    );
    assert!(!out.join("droplet.tgz").exists());
    // As the builder, result.json is written before the app is copied.
    assert_eq!(
        result_json(&out)["lifecycle_metadata"]["buildpack_key"],
        bp.path()
    );
    assert!(app.join("index.html").is_file());
}

#[test]
fn release_failures_exit_224() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let invalid = ShellBuildpack::new(t, "invalid-release")
        .script("compile", "true")
        .script("release", "echo 'default_process_types: [web: {'");
    let run = stage(t).arg(&app).bp(invalid.path()).run();
    assert_eq!(run.code, 224, "{}", run.stderr);
    assert!(
        last_line(&run.stderr).starts_with(
            "Failed to build droplet release: buildpack's release output invalid: yaml: line "
        ),
        "{}",
        run.stderr
    );

    // Go's YAML reader refuses bytes that are not UTF-8; a lossy reading would pass them.
    let latin1 = ShellBuildpack::new(t, "latin1-release")
        .script("compile", "true")
        .script(
            "release",
            r"printf -- '---\ndefault_process_types:\n  web: ./caf\351\n'",
        );
    let run = stage(t).arg(&app).bp(latin1.path()).run();
    run.assert_last_line(224, "Failed to build droplet release: buildpack's release output invalid: yaml: invalid trailing UTF-8 octet");
    let latin1_app = t.join("latin1-app");
    fs::create_dir_all(&latin1_app).unwrap();
    fs::write(latin1_app.join("Procfile"), b"web: ./caf\xe9\n").unwrap();
    let good = ShellBuildpack::new(t, "good-release")
        .script("compile", "true")
        .release_web("./start");
    let run = stage(t).arg(&latin1_app).bp(good.path()).run();
    run.assert_last_line(1, "Failed to read command from Procfile: invalid YAML");

    // Go's YAML reader refuses a line that starts with a tab, blank or not, which the YAML
    // library bpkit reads with takes: a Procfile or a release output so written fails here
    // as it fails on the platform.
    let tabbed_app = t.join("tabbed-app");
    fs::create_dir_all(&tabbed_app).unwrap();
    for procfile in ["\tweb: ./start\n", "web: ./start\n\t\n"] {
        fs::write(tabbed_app.join("Procfile"), procfile).unwrap();
        let run = stage(t).arg(&tabbed_app).bp(good.path()).run();
        run.assert_last_line(1, "Failed to read command from Procfile: invalid YAML");
    }
    let tabbed = ShellBuildpack::new(t, "tabbed-release")
        .script("compile", "true")
        .script(
            "release",
            r"printf -- '\tdefault_process_types:\n  web: ./start\n'",
        );
    let run = stage(t).arg(&app).bp(tabbed.path()).run();
    run.assert_last_line(224, "Failed to build droplet release: buildpack's release output invalid: yaml: line 1: a tab at the start of a line; YAML indents with spaces, and the platform's YAML reader refuses a line starting with a tab (a blank or comment line too): replace it with spaces");

    let failing = ShellBuildpack::new(t, "failing-release")
        .script("compile", "true")
        .script("release", "exit 2");
    let run = stage(t).arg(&app).bp(failing.path()).run();
    run.assert_last_line(224, "Failed to build droplet release: exit status 2");

    // Release's YAML is no manifest: the limits that stop an alias bomb or a nesting without
    // end name the document, not a manifest (the words were the manifest reader's).
    let bomb = ShellBuildpack::new(t, "bomb-release")
        .script("compile", "true")
        .script(
            "release",
            "echo 'a: &a [x, x, x, x, x, x, x, x, x, x]'\n\
             echo 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]'\n\
             echo 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]'\n\
             echo 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'\n\
             echo 'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]'\n\
             echo 'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]'",
        );
    let run = stage(t).arg(&app).bp(bomb.path()).run();
    run.assert_last_line(224, "Failed to build droplet release: buildpack's release output invalid: yaml: line 6: aliases expand the document by more than 1000000 values and bytes; write the values out instead of aliasing aliases");
    let deep = ShellBuildpack::new(t, "deep-release")
        .script("compile", "true")
        .script(
            "release",
            "i=0; while [ $i -lt 300 ]; do printf '%*s- \\n' $((i * 2)) ''; i=$((i + 1)); done",
        );
    let run = stage(t).arg(&app).bp(deep.path()).run();
    run.assert_last_line(224, "Failed to build droplet release: buildpack's release output invalid: yaml: line 257: lists and mappings nested more than 256 levels deep; real documents need a few");
}

/// The builder reads release's output, `launch.yml` and the Procfile with yaml.v2's
/// `Unmarshal`, which takes a repeated key (the later wins) and reads only the first document:
/// a buildpack whose release prints either stages on the platform, so it must here. It reads
/// `config.yml` with yaml.v3, which refuses the repeated key: the staging goes on, with no name
/// for the buildpack, and the log says why.
#[test]
fn yaml_the_builder_accepts_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = app(
        t,
        &[
            ("index.html", "hi"),
            ("Procfile", "clock: ./a\nclock: ./b\n"),
        ],
    );
    let buildpack = ShellBuildpack::new(t, "lenient")
        .script("supply", "true")
        .script(
            "finalize",
            "printf 'name: first\\nname: lenient\\n' > \"$3/$4/config.yml\"",
        )
        .script(
            "release",
            "printf -- '---\\ndefault_process_types:\\n  web: ./old\\n  web: ./web\\n---\\nnot: [yaml\\n'",
        );
    let out = t.join("out");
    let run = stage_into(t, &app, buildpack.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let result = result_json(&out);
    assert_eq!(
        result["process_types"],
        serde_json::json!({"web": "./web", "clock": "./b"})
    );
    assert_eq!(result["lifecycle_metadata"]["detected_buildpack"], "");
    assert!(
        run.stderr.contains(&format!(
            "Failed to unmarshal buildpack metadata for buildpack key {}: yaml: unmarshal errors:\n  line 2: mapping key \"name\" already defined at line 1\n",
            buildpack.path()
        )),
        "{}",
        run.stderr
    );
}

/// A `!!binary` value in release's output, a supply buildpack's `launch.yml` and `config.yml`,
/// or the Procfile is decoded as the builder's YAML readers (yaml.v2; yaml.v3 for config.yml)
/// decode it into a Go string; text that is not base64 fails like any YAML the builder cannot
/// read.
#[test]
fn binary_yaml_values_are_decoded_as_the_builder_decodes_them() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // base64 of `./clock`, `bin`, `worker`, `./work`, `./web`.
    let app = app(
        t,
        &[
            ("index.html", "hi"),
            ("Procfile", "clock: !!binary Li9jbG9jaw==\n"),
        ],
    );
    let supply = ShellBuildpack::new(t, "supply").script(
        "supply",
        "printf 'name: !!binary Ymlu\\n' > \"$3/$4/config.yml\"\nprintf 'processes:\\n- type: !!binary d29ya2Vy\\n  command: !!binary |\\n    Li93\\n    b3Jr\\n' > \"$3/$4/launch.yml\"",
    );
    let last = ShellBuildpack::new(t, "last")
        .script("supply", "true")
        .script("finalize", "true")
        .script(
            "release",
            "printf -- '---\\ndefault_process_types:\\n  web: !!binary Li93ZWI=\\n'",
        );
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .bp(supply.path())
        .bp(last.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let result = result_json(&out);
    assert_eq!(
        result["process_types"],
        serde_json::json!({"clock": "./clock", "web": "./web", "worker": "./work"})
    );
    assert_eq!(result["lifecycle_metadata"]["buildpacks"][0]["name"], "bin");
    let info: Value =
        serde_json::from_str(&member(&out.join("droplet.tgz"), "./staging_info.yml")).unwrap();
    assert_eq!(info["start_command"], "./web");

    let bad = ShellBuildpack::new(t, "bad")
        .script("compile", "true")
        .script(
            "release",
            "printf -- '---\\ndefault_process_types:\\n  web: !!binary ./web\\n'",
        );
    let run = stage(t).arg(&app).bp(bad.path()).run();
    run.assert_last_line(
        224,
        "Failed to build droplet release: buildpack's release output invalid: yaml: !!binary value contains invalid base64 data",
    );
}

/// `cf push` uploads every folder with mode 0755 (the CLI's `DefaultFolderPermissions`) and every
/// file with its own mode, so buildpacks see, and the droplet holds, 0755 folders whatever their
/// mode in the app: 0700, or 000 (which only root can read; the CLI cannot upload it otherwise).
#[test]
fn app_folders_get_the_uploads_0755_and_files_keep_their_modes() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = app(t, &[("index.html", "hi"), ("private/inner/key", "k")]);
    fs::set_permissions(
        app.join("private/inner/key"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    fs::set_permissions(app.join("private/inner"), fs::Permissions::from_mode(0o750)).unwrap();
    fs::set_permissions(app.join("private"), fs::Permissions::from_mode(0o700)).unwrap();
    fs::create_dir(app.join("sealed")).unwrap();
    fs::set_permissions(app.join("sealed"), fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::read_dir(app.join("sealed")).is_ok();
    let bp = ShellBuildpack::new(t, "bp")
        .script(
            "compile",
            "stat -c '%a %n' \"$1/private\" \"$1/private/inner\" \"$1/private/inner/key\" >&2",
        )
        .release_web("./start");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    fs::set_permissions(app.join("sealed"), fs::Permissions::from_mode(0o755)).unwrap();
    if !readable {
        // Not root: the folder cannot be read, as `cf push` could not read it either.
        assert_ne!(run.code, 0, "{}", run.stderr);
        eprintln!("skipped the droplet check: a mode-000 folder is readable only to root");
        return;
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("755 "), "{}", run.stderr);
    for line in ["/private\n", "/private/inner\n"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("755 ") && l.ends_with(line.trim_end())),
            "{line}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("600 ") && l.ends_with("/private/inner/key")),
        "{}",
        run.stderr
    );
    let listing = Command::new("tar")
        .arg("-tvzf")
        .arg(out.join("droplet.tgz"))
        .output()
        .unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    let mode_of = |name: &str| {
        listing
            .lines()
            .find(|l| l.split_whitespace().last() == Some(name))
            .unwrap_or_else(|| panic!("{name} not in\n{listing}"))
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(mode_of("./app/"), "drwxr-xr-x");
    assert_eq!(mode_of("./app/private/"), "drwxr-xr-x");
    assert_eq!(mode_of("./app/private/inner/"), "drwxr-xr-x");
    assert_eq!(mode_of("./app/sealed/"), "drwxr-xr-x");
    assert_eq!(mode_of("./app/private/inner/key"), "-rw-------");
}

/// `--cache DIR` replaces DIR after a successful staging, so a folder that is not a build cache
/// (a typo naming the sources) is refused before anything runs, and left as it was.
#[test]
fn a_cache_folder_holding_something_else_is_refused_and_untouched() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", "echo compiled")
        .release_web("./web");
    let precious = t.join("precious");
    fs::create_dir_all(precious.join("src")).unwrap();
    fs::write(precious.join("src/main.rs"), "fn main() {}\n").unwrap();
    let run = stage(t)
        .arg(&app)
        .bp(bp.path())
        .args(["--cache", "precious"])
        .out("out")
        .run();
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "bpkit: error: --cache precious: that folder holds `src` and is not a build cache; a successful staging replaces the whole folder, so give a new or empty folder (or one an earlier `bpkit stage --cache` made)\n"
    );
    assert_eq!(
        fs::read_to_string(precious.join("src/main.rs")).unwrap(),
        "fn main() {}\n"
    );
    assert_eq!(fs::read_dir(&precious).unwrap().count(), 1);
}

/// A `--cache` staging could not save into was found only at the end: the whole staging ran,
/// the previous outputs were replaced, and saving the cache failed (`File exists (os error
/// 17)` for a folder under a file). It is now refused before anything runs, naming the file or
/// the folder and the fix, and the previous outputs stay.
#[test]
fn a_cache_that_cannot_be_saved_is_refused_before_staging() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", "touch \"$1/compiled\"")
        .release_web("./web");
    let out = t.join("out");
    stage_into(t, &app, bp.path(), &out).assert_code(0);
    let droplet = fs::read(out.join("droplet.tgz")).unwrap();
    fs::write(t.join("cfile"), "not a folder").unwrap();
    for (cache, file) in [
        ("cfile", "cfile"),
        ("cfile/sub", "cfile"),
        ("/dev/null/c", "/dev/null"),
    ] {
        let run = stage(t)
            .arg(&app)
            .bp(bp.path())
            .args(["--cache", cache])
            .out(&out)
            .run();
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (
                1,
                format!(
                    "bpkit: error: --cache {cache}: {file} is a file, and the build cache is kept in a folder; give --cache a folder, or a path that does not exist yet\n"
                )
                .as_str()
            )
        );
        assert_eq!(fs::read(out.join("droplet.tgz")).unwrap(), droplet);
    }

    // A folder this user cannot write in: root writes through `chmod 0555`, so there the case
    // cannot be made.
    let locked = t.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::write(locked.join("probe"), "x").is_ok() {
        eprintln!(
            "skipped the locked folder: this process writes through chmod 0555 (running as root)"
        );
        return;
    }
    let run = stage(t)
        .arg(&app)
        .bp(bp.path())
        .arg("--cache")
        .arg(locked.join("cache"))
        .out(&out)
        .run();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: --cache {}: cannot write in {}, where a successful staging saves the cache: Permission denied (os error 13); give --cache a folder this user can write to\n",
                locked.join("cache").display(),
                locked.display()
            )
            .as_str()
        )
    );
    assert_eq!(fs::read(out.join("droplet.tgz")).unwrap(), droplet);
    assert_eq!(fs::read_dir(&locked).unwrap().count(), 0);
}

#[test]
fn a_procfile_overrides_the_default_web_command_and_serves_http() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = app(
        t,
        &[
            ("index.html", "hello from the app\n"),
            ("a b.txt", "a name with a space\n"),
            (
                "Procfile",
                "web: python3 -m http.server $PORT --bind 127.0.0.1\nworker: sleep 1000\n",
            ),
        ],
    );
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", "true")
        .release_web("./default-start --never-used");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let result = result_json(&out);
    assert_eq!(
        result["process_types"],
        serde_json::json!({
            "web": "python3 -m http.server $PORT --bind 127.0.0.1",
            "worker": "sleep 1000"
        })
    );
    assert_eq!(
        member(&out.join("droplet.tgz"), "./staging_info.yml"),
        "{\"detected_buildpack\":\"\",\"start_command\":\"python3 -m http.server $PORT --bind 127.0.0.1\"}\n"
    );

    let checked = run_on_free_port(t, &out, &["--check", "/"]);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert_eq!(
        status_line_without_port(&checked.stdout),
        "http://127.0.0.1:PORT/ 200 OK\n"
    );
    // A timeout past what the clock can count means no deadline rather than a panic; a
    // path with a space is sent percent-encoded (unencoded, the server answers 400), and
    // shown as sent.
    let checked = run_on_free_port(
        t,
        &out,
        &[
            "--check",
            "a b.txt",
            "--check-timeout",
            "18446744073709551615",
        ],
    );
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert_eq!(
        status_line_without_port(&checked.stdout),
        "http://127.0.0.1:PORT/a%20b.txt 200 OK\n"
    );
    // A fragment is not sent, as a browser sends none: it was sent as `%23top`, a file the
    // app does not have (404), so the check failed.
    let checked = run_on_free_port(t, &out, &["--check", "/index.html#top"]);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert_eq!(
        status_line_without_port(&checked.stdout),
        "http://127.0.0.1:PORT/index.html 200 OK\n"
    );
    // An error status fails the check (exit 1), with a line saying what the app answered.
    let checked = run_on_free_port(t, &out, &["--check", "/missing.html"]);
    assert_eq!(checked.code, 1, "{}", checked.stderr);
    assert_eq!(
        status_line_without_port(&checked.stdout),
        "http://127.0.0.1:PORT/missing.html 404 File not found\n"
    );
    assert!(
        checked
            .stderr
            .lines()
            .any(|l| l.contains("/missing.html answered 404 File not found")),
        "{}",
        checked.stderr
    );

    // An invalid Procfile fails staging with the builder's words (exit 1), after a line
    // saying where and how to fix it, which the builder's words do not.
    fs::write(app.join("Procfile"), "web: ./start\nworker: echo a: b\n").unwrap();
    let run = stage(t).arg(&app).bp(bp.path()).run();
    run.assert_last_line(1, "Failed to read command from Procfile: invalid YAML");
    assert!(
        run.stderr.lines().any(|l| l == "       **ERROR** The app's Procfile is not a list of process types: yaml: line 2: mapping values are not allowed in this context; write each as `type: command` on one line, in single quotes when the command holds `: ` or ` #` (worker: 'echo a: b')"),
        "{}",
        run.stderr
    );

    fs::remove_file(app.join("Procfile")).unwrap();
    a_procfile_folder_fails_with_the_fix(t, &app, bp.path());
}

/// A folder named Procfile fails as in the builder (Go's words for the read error, exit 1),
/// after a line saying what is wrong with the app's file and how to fix it; the fix given
/// works.
fn a_procfile_folder_fails_with_the_fix(t: &Path, app: &Path, bp: &str) {
    fs::create_dir(app.join("Procfile")).unwrap();
    let run = stage(t).arg(app).bp(bp).run();
    let last = last_line(&run.stderr);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        last.starts_with("Failed to read command from Procfile: read /")
            && last.ends_with("/app/Procfile: is a directory"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.lines().any(|l| l == "       **ERROR** The app's Procfile is a folder, and the platform reads Procfile as a file of `type: command` lines; rename the folder, or leave it out of the upload with a `/Procfile` line in .cfignore (`/Procfile/` would leave out only what is in it)"),
        "{}",
        run.stderr
    );
    // The cf CLI's `/Procfile/` leaves out what is in the folder, not the folder, which is
    // still uploaded (empty) and still fails; `/Procfile` leaves it out.
    for (line, code) in [("/Procfile/", 1), ("/Procfile", 0)] {
        fs::write(app.join(".cfignore"), line).unwrap();
        let run = stage(t).arg(app).bp(bp).run();
        assert_eq!(run.code, code, "{line}: {}", run.stderr);
    }
}

#[test]
fn no_web_command_warns_and_succeeds() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", "true")
        .script("release", "echo '--- {}'");
    let alone = t.join("alone-out");
    let run = stage(t).arg(&app).bp(bp.path()).out(&alone).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(
        "No start command specified by buildpack or via Procfile.\nApp will not start unless a command is provided at runtime.\n"
    ));
    // As the warning says, such a droplet starts only with a command given at runtime: the
    // launcher's refusal, then the fix.
    let refused = run_on_free_port(t, &alone, &[]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert_eq!(
        refused.stderr,
        "bpkit: error: launcher: no start command specified or detected in droplet (its `web` process has none); give one with -c COMMAND, as `cf push -c` does\n"
    );
    // `-c null` is `cf push`'s way of asking for the droplet's own command: the same refusal,
    // where bash ran `null` (`command not found`, exit 127).
    let null = run_on_free_port(t, &alone, &["-c", "null"]);
    assert_eq!((null.code, &null.stderr), (1, &refused.stderr));
    let given = run_on_free_port(t, &alone, &["-c", "echo started-by-hand"]);
    assert_eq!(given.code, 0, "{}", given.stderr);
    assert!(
        given.stderr.contains("started-by-hand\n"),
        "{}",
        given.stderr
    );
    // A droplet whose other process types have commands names them as the way out.
    fs::write(app.join("Procfile"), "worker: ./work\nclock: ./tick\n").unwrap();
    let workers = t.join("workers-out");
    let run = stage(t).arg(&app).bp(bp.path()).out(&workers).run();
    fs::remove_file(app.join("Procfile")).unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let refused = run_on_free_port(t, &workers, &[]);
    assert_eq!(
        refused.stderr,
        "bpkit: error: launcher: no start command specified or detected in droplet (its `web` process has none); give one with -c COMMAND, as `cf push -c` does, or run another of its process types with --process (clock, worker)\n"
    );

    // A launch.yml listing `web` twice: the builder keeps both in `processes` but its
    // `process_types` map (and so staging_info.yml and the warning) holds the later, empty one.
    let supply = ShellBuildpack::new(t, "twice").script(
        "supply",
        r#"printf 'processes:\n- type: web\n  command: ./first\n- type: web\n  command: ""\n' > "$3/$4/launch.yml""#,
    );
    let out = t.join("twice-out");
    let run = stage(t)
        .arg(&app)
        .bp(supply.path())
        .bp(bp.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("No start command specified by buildpack or via Procfile.\n"),
        "{}",
        run.stderr
    );
    let result = result_json(&out);
    assert_eq!(result["process_types"]["web"], "");
    assert_eq!(
        result["processes"],
        serde_json::json!([{"type": "web", "command": "./first"}, {"type": "web", "command": ""}])
    );
}

#[test]
fn a_compile_only_final_buildpack_after_supply_warns() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let (supply, _) = multi_buildpacks(t);
    let old = ShellBuildpack::new(t, "old")
        .script(
            "compile",
            r#"[ "$#" -eq 2 ] && echo "compile got $# arguments""#,
        )
        .release_web("./start");
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .bp(supply.path())
        .bp(old.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Warning: the last buildpack is not compatible with multi-buildpack apps and cannot make use of any dependencies supplied by the buildpacks specified before it\n"));
    assert!(run.stderr.contains("compile got 2 arguments"));
    let names = listing(&out.join("droplet.tgz"));
    assert!(names.contains(&"./deps/0/bin/greet".to_string()));
    // compile gets no deps folder: the builder removes the unused one.
    assert!(
        !names.iter().any(|n| n.starts_with("./deps/1")),
        "{names:?}"
    );
}

#[test]
fn deps_indexes_are_zero_padded() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let mut staging = stage(t).arg(&app);
    for i in 0..10 {
        let bp = ShellBuildpack::new(t, &format!("s{i}"))
            .script("supply", r#"echo "$4" > "$3/$4/index""#);
        staging = staging.bp(bp.path());
    }
    let last = ShellBuildpack::new(t, "last")
        .script(
            "finalize",
            r#"echo "$4" > "$3/$4/index"; ls "$3" > "$1/deps-listing""#,
        )
        .release_web("./start");
    let out = t.join("out");
    let run = staging.bp(last.path()).out(&out).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let droplet = out.join("droplet.tgz");
    assert_eq!(member(&droplet, "./deps/00/index"), "00\n");
    assert_eq!(member(&droplet, "./deps/09/index"), "09\n");
    assert_eq!(member(&droplet, "./deps/10/index"), "10\n");
    assert_eq!(
        member(&droplet, "./app/deps-listing"),
        "00\n01\n02\n03\n04\n05\n06\n07\n08\n09\n10\n"
    );
}

#[test]
fn the_staging_environment_is_the_platforms() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "env")
        .script(
            "compile",
            r#"{
echo "CF_STACK=$CF_STACK"
echo "MEMORY_LIMIT=$MEMORY_LIMIT"
echo "LANG=$LANG"
echo "VCAP_SERVICES=$VCAP_SERVICES"
echo "DATABASE_URL=$DATABASE_URL"
echo "FOO=$FOO"
echo "TMPDIR_EMPTY=$(ls -A "$TMPDIR" | wc -l)"
echo "SECRET=${HOST_ONLY_SECRET:-unset}"
} > "$1/env.txt"
echo "$VCAP_APPLICATION" > "$1/vcap_application.json""#,
        )
        .release_web("./start");
    let out = t.join("out");
    let run = stage(t)
        .env("HOST_ONLY_SECRET", "leak")
        .arg(&app)
        .bp(bp.path())
        .args([
            "--stack",
            "cflinuxfs5",
            "--memory",
            "256",
            "-e",
            "FOO=bar=baz",
        ])
        .args([
            "--services",
            r#"{"db":[{"credentials":{"uri":"postgresql://u@h/d"}}]}"#,
        ])
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let droplet = out.join("droplet.tgz");
    assert_eq!(
        member(&droplet, "./app/env.txt"),
        concat!(
            "CF_STACK=cflinuxfs5\n",
            "MEMORY_LIMIT=256m\n",
            "LANG=en_US.UTF-8\n",
            "VCAP_SERVICES={\"db\":[{\"credentials\":{\"uri\":\"postgresql://u@h/d\"}}]}\n",
            "DATABASE_URL=postgres://u@h/d\n",
            "FOO=bar=baz\n",
            "TMPDIR_EMPTY=0\n",
            "SECRET=unset\n"
        )
    );
    let vcap: Value =
        serde_json::from_str(&member(&droplet, "./app/vcap_application.json")).unwrap();
    assert_eq!(vcap["application_name"], "app");
    assert_eq!(vcap["limits"]["mem"], 256);
    assert!(vcap["space_name"].is_string());
}

/// The app's variables (`-e`) are merged as Cloud Controller merges `cf set-env` values: before
/// the platform's own, so they change `LANG` but never `MEMORY_LIMIT`, nor at launch what
/// Diego and the launcher set (`HOME`, `TMPDIR`, `DEPS_DIR`); and the names Cloud Controller
/// refuses (`VCAP_…`, `VMC…`, `CF_…`, `PORT`) are refused, in its words, naming the option
/// that sets the value.
#[test]
fn app_variables_never_replace_the_platforms() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "env")
        .script(
            "compile",
            r#"echo "MEMORY_LIMIT=$MEMORY_LIMIT LANG=$LANG" > "$1/env.txt""#,
        )
        .release_web("./start");
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .bp(bp.path())
        .args([
            "--memory",
            "256",
            "-e",
            "MEMORY_LIMIT=1m",
            "-e",
            "LANG=C.UTF-8",
        ])
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let droplet = out.join("droplet.tgz");
    assert_eq!(
        member(&droplet, "./app/env.txt"),
        "MEMORY_LIMIT=256m LANG=C.UTF-8\n"
    );

    let script = r#"echo "home=${HOME##*/} deps=${DEPS_DIR##*/} tmp=${TMPDIR##*/} mem=$MEMORY_LIMIT index=$INSTANCE_INDEX lang=$LANG""#;
    let launched = run_on_free_port(
        t,
        &droplet,
        &[
            "--memory",
            "128",
            "-e",
            "HOME=/nowhere",
            "-e",
            "DEPS_DIR=/nowhere",
            "-e",
            "TMPDIR=/nowhere",
            "-e",
            "MEMORY_LIMIT=1m",
            "-e",
            "INSTANCE_INDEX=7",
            "-e",
            "LANG=C.UTF-8",
            "-c",
            script,
        ],
    );
    assert_eq!(launched.code, 0, "{}", launched.stderr);
    assert!(
        launched
            .stderr
            .contains("home=app deps=deps tmp=tmp mem=128m index=0 lang=C.UTF-8\n"),
        "{}",
        launched.stderr
    );
}

/// The names Cloud Controller refuses for an app's variables are refused by `-e`, in its words,
/// naming the option that sets the value, before anything runs.
#[test]
fn names_cloud_controller_refuses_are_refused() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let marker = t.join("ran");
    let bp =
        ShellBuildpack::new(t, "bp").script("compile", &format!("touch '{}'", marker.display()));
    // An unpacked droplet: `bpkit run` checks `-e` before it starts anything.
    let droplet = t.join("droplet");
    fs::create_dir_all(droplet.join("app")).unwrap();
    for (arg, rule, fix) in [
        (
            "VCAP_SERVICES={}",
            "cannot start with VCAP_",
            "give services with --services JSON (or @FILE)",
        ),
        (
            "vcap_application={}",
            "cannot start with VCAP_",
            "bpkit writes it from the app folder's name and --memory, as the platform writes it from the app",
        ),
        (
            "CF_STACK=cflinuxfs3",
            "cannot start with CF_",
            "choose the stack with --stack",
        ),
        (
            "CF_INSTANCE_IP=1",
            "cannot start with CF_",
            "choose another name",
        ),
        ("VMC_APP=1", "cannot start with VMC_", "choose another name"),
        (
            "PORT=9000",
            "cannot set PORT",
            "choose the port with bpkit run --port",
        ),
    ] {
        let name = arg.split('=').next().unwrap();
        let expected = format!(
            "bpkit: error: -e {name}: Cloud Foundry refuses this app variable (\"{rule}\"), because the platform sets it; {fix}\n"
        );
        let refused = stage(t).arg(&app).bp(bp.path()).args(["-e", arg]).run();
        assert_eq!(
            (
                refused.code,
                refused.stdout.as_str(),
                refused.stderr.as_str()
            ),
            (1, "", expected.as_str()),
            "stage -e {arg}"
        );
        let refused = run_droplet(
            t,
            &[droplet.to_str().unwrap(), "-e", arg, "-c", "touch ran"],
        );
        assert_eq!(
            (refused.code, refused.stderr.as_str()),
            (1, expected.as_str()),
            "run -e {arg}"
        );
    }
    assert!(!marker.exists() && !droplet.join("app/ran").exists());
}

/// A `--cache` folder whose `final` (or a supply buildpack's folder) is a link, as a buildpack
/// that replaced its CACHE_DIR with one leaves it: the next staging's phases wrote their cache
/// through it, into the folder it names, outside the staging. The link is replaced by an empty
/// folder; what it names is left as it was.
#[test]
fn a_cache_folder_that_is_a_link_is_replaced_not_followed() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let outside = t.join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("mine"), "mine").unwrap();
    let supplier = ShellBuildpack::new(t, "supplier").script("supply", "echo s > \"$2/supplied\"");
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", "ls -A \"$2\" >&2; echo c > \"$2/compiled\"")
        .release_web("./start");
    let cache = t.join("cache");
    let out = t.join("out");
    let staged = |cache: &Path| {
        stage(t)
            .arg(&app)
            .bp(supplier.path())
            .bp(bp.path())
            .out(&out)
            .arg("--cache")
            .arg(cache)
            .run()
    };
    let run = staged(&cache);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let supply_dirs: Vec<PathBuf> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("final"))
        .collect();
    assert_eq!(supply_dirs.len(), 1);
    for dir in [cache.join("final"), supply_dirs[0].clone()] {
        fs::remove_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(&outside, &dir).unwrap();
    }

    let run = staged(&cache);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("mine"), "{}", run.stderr);
    assert_eq!(
        snapshot(&outside),
        vec![("mine".to_string(), b"mine".to_vec(), 0o100_644)]
    );
    for (dir, file) in [
        (cache.join("final"), "compiled"),
        (supply_dirs[0].clone(), "supplied"),
    ] {
        assert!(
            fs::symlink_metadata(&dir).unwrap().is_dir(),
            "{}",
            dir.display()
        );
        assert!(dir.join(file).is_file());
    }
}

/// A `--cache` that is a symbolic link (to a larger disk) stays one: saving the cache swapped
/// a new folder in at the link, so the link was gone and the cache moved off the disk it led
/// to. The cache is now read and saved where the link leads.
#[test]
fn a_cache_given_as_a_link_is_kept_where_the_link_leads() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "bp")
        .script(
            "compile",
            r#"n=$(cat "$2/count" 2>/dev/null || echo 0); echo $((n + 1)) > "$2/count"; echo "-----> compile run $((n + 1))""#,
        )
        .release_web("./start");
    let disk = t.join("disk");
    fs::create_dir_all(disk.join("cache")).unwrap();
    let link = t.join("cache");
    // Relative, as `ln -s disk/cache cache` makes it.
    std::os::unix::fs::symlink("disk/cache", &link).unwrap();
    let out = t.join("out");
    let staged = |cache: &Path| {
        stage(t)
            .arg(&app)
            .bp(bp.path())
            .arg("--cache")
            .arg(cache)
            .out(&out)
            .run()
    };
    for run_number in 1..=2 {
        let run = staged(&link);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("-----> compile run {run_number}")),
            "{}",
            run.stderr
        );
        assert_eq!(
            fs::read_link(&link).unwrap(),
            Path::new("disk/cache"),
            "the link is still a link"
        );
        assert!(disk.join("cache/.bpkit-build-cache").is_file());
        assert_eq!(
            fs::read_to_string(disk.join("cache/final/count")).unwrap(),
            format!("{run_number}\n")
        );
    }
    let mut names = names_in(t);
    names.extend(names_in(&disk));
    names.retain(|name| name.starts_with('.'));
    assert!(names.is_empty(), "swap leftovers: {names:?}");

    // A link to a folder that does not exist yet: the first staging makes it.
    let later = t.join("later");
    std::os::unix::fs::symlink(disk.join("new/cache"), &later).unwrap();
    let run = staged(&later);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        fs::symlink_metadata(&later)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(disk.join("new/cache/final/count").is_file());
}

#[test]
fn the_cache_persists_and_forgets_removed_buildpacks() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let counting = |name: &str| {
        ShellBuildpack::new(t, name).script(
            "supply",
            r#"n=$(cat "$2/count" 2>/dev/null || echo 0); echo $((n + 1)) > "$2/count"; echo "-----> supply run $((n + 1))""#,
        )
    };
    let a = counting("a");
    let b = counting("b");
    let last = ShellBuildpack::new(t, "last")
        .script(
            "compile",
            r#"n=$(cat "$2/count" 2>/dev/null || echo 0); echo $((n + 1)) > "$2/count"; echo "-----> compile run $((n + 1))""#,
        )
        .release_web("./start");
    let cache = t.join("cache");
    let out = t.join("out");
    let stage_with = |supply: &ShellBuildpack| {
        stage(t)
            .arg(&app)
            .bp(supply.path())
            .bp(last.path())
            .args(["--cache", cache.to_str().unwrap()])
            .out(&out)
            .run()
    };
    let first = stage_with(&a);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let second = stage_with(&a);
    assert!(
        second.stderr.contains("-----> supply run 2"),
        "{}",
        second.stderr
    );
    assert!(second.stderr.contains("-----> compile run 2"));
    let entries = |dir: &Path| {
        let mut names = names_in(dir);
        names.retain(|name| name != ".bpkit-build-cache");
        names
    };
    assert!(cache.join(".bpkit-build-cache").is_file(), "the marker");
    let with_a = entries(&cache);
    assert_eq!(with_a.len(), 2, "{with_a:?}");
    assert!(with_a.contains(&"final".to_string()));
    assert!(listing(&out.join("cache.tgz")).contains(&"./final/count".to_string()));

    // With b instead of a, a's folder is dropped and b starts from nothing.
    let third = stage_with(&b);
    assert!(
        third.stderr.contains("-----> supply run 1"),
        "{}",
        third.stderr
    );
    assert!(third.stderr.contains("-----> compile run 3"));
    let with_b = entries(&cache);
    assert_eq!(with_b.len(), 2);
    assert_ne!(with_a, with_b);

    // A failed staging leaves the cache as it was.
    let broken =
        ShellBuildpack::new(t, "broken").script("supply", r#"echo 999 > "$2/count"; exit 1"#);
    let failed = stage_with(&broken);
    assert_eq!(failed.code, 225);
    assert_eq!(entries(&cache), with_b);
}

/// `bpkit stage` in `cwd` with a controlled user cache folder (XDG_CACHE_HOME, HOME).
fn stage_with_home(cwd: &Path, xdg: Option<&Path>, home: &Path, args: &[&str]) -> Run {
    let staging = stage(cwd).env("HOME", home).env_remove("XDG_CACHE_HOME");
    match xdg {
        Some(xdg) => staging.env("XDG_CACHE_HOME", xdg),
        None => staging,
    }
    .args(args)
    .run()
}

/// `.cfignore` as the current cf CLI reads it (v7+, go-gitignore), not as the retired v6 CLI
/// did: manifests are left out at any depth, a `!` line brings back a file of a left-out
/// folder (the CLI looks into every folder), and `tmp/` leaves out what is in `tmp` but
/// uploads the folder itself, empty.
#[test]
fn cfignore_is_read_as_the_current_cf_cli_reads_it() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = app(
        t,
        &[
            ("index.html", "hi"),
            ("manifest.yaml", "applications: []"),
            ("level1/manifest.yml", "applications: []"),
            ("level1/kept.txt", "kept"),
            ("node_modules/keep.js", "keep"),
            ("node_modules/drop.js", "drop"),
            ("tmp/t", "t"),
            (
                ".cfignore",
                "node_modules\n!node_modules/keep.js\ntmp/\nlogs/[\n",
            ),
        ],
    );
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut app_entries: Vec<String> = listing(&out.join("droplet.tgz"))
        .into_iter()
        .filter(|name| name.starts_with("./app/"))
        .collect();
    app_entries.sort();
    assert_eq!(
        app_entries,
        [
            "./app/",
            "./app/index.html",
            "./app/level1/",
            "./app/level1/kept.txt",
            "./app/node_modules/",
            "./app/node_modules/keep.js",
            "./app/tmp/",
        ]
    );
    // A line that is no valid pattern is skipped, as the CLI skips it, and said.
    assert!(
        run.stderr.lines().any(|l| l == "       **WARNING** .cfignore line 4: `logs/[` is not a valid pattern (unclosed character class); `cf push` skips the line, and so does this staging: fix or remove it"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_app_folder_is_never_modified_and_cfignore_is_honoured() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = app(
        t,
        &[
            ("index.html", "hi"),
            (".cfignore", "secret.txt\nlogs/\n"),
            ("secret.txt", "no"),
            ("logs/old.log", "no"),
            (".git/HEAD", "ref: refs/heads/main"),
            ("manifest.yml", "applications: []"),
        ],
    );
    let bp = ShellBuildpack::new(t, "bp")
        .script(
            "compile",
            r#"seen=$(ls -A "$1"); echo "$seen" > "$1/seen"; echo changed > "$1/index.html""#,
        )
        .release_web("./start");
    let before = snapshot(&app);
    // Run from inside the app folder, as `cd app && bpkit stage . -b …` is: the default
    // ./.bpkit would be inside the app, so the outputs go to the user cache folder instead,
    // and the app tree stays byte for byte as it was (nothing is deleted before comparing).
    let xdg = t.join("xdg-cache");
    let home = t.join("home");
    let run = stage_with_home(&app, Some(&xdg), &home, &[".", "-b", bp.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = xdg.join("bpkit/stage/app");
    let droplet = out.join("droplet.tgz");
    assert_eq!(run.stdout, format!("{}\n", droplet.display()));
    assert!(
        run.stderr.contains(&format!(
            "       Outputs go to {}: the default ./.bpkit/stage/app is inside the app folder, which staging never writes to\n",
            out.display()
        )),
        "{}",
        run.stderr
    );
    // `logs/` leaves out what is in `logs`, not the folder: the cf CLI uploads it, empty.
    assert_eq!(member(&droplet, "./app/seen"), "index.html\nlogs\n");
    assert_eq!(snapshot(&app), before);

    // Without XDG_CACHE_HOME, ~/.cache; from a folder below the app, the same.
    let run = stage_with_home(&app.join("logs"), None, &home, &["..", "-b", bp.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let droplet = home.join(".cache/bpkit/stage/app/droplet.tgz");
    assert_eq!(run.stdout, format!("{}\n", droplet.display()));
    assert_eq!(snapshot(&app), before);

    // From outside the app, the default stays ./.bpkit/stage/<app>.
    let run = stage_with_home(t, Some(&xdg), &home, &["app", "-b", bp.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let droplet = t.join(".bpkit/stage/app/droplet.tgz");
    assert_eq!(run.stdout, format!("{}\n", droplet.display()));
    assert!(!run.stderr.contains("Outputs go to"), "{}", run.stderr);

    // An explicit --out or --cache inside the app is refused in one line, before anything
    // is written.
    for (flag, value) in [
        ("--out", "out"),
        ("--cache", "logs/../cache"),
        ("--out", "."),
    ] {
        let run = stage_with_home(
            &app,
            Some(&xdg),
            &home,
            &[".", "-b", bp.path(), flag, value],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            format!(
                "bpkit: error: {flag} {value}: that folder is inside the app folder {}, which staging never writes to (the next `cf push` would upload {}); give a folder outside it\n",
                app.display(),
                if flag == "--out" { "the droplet" } else { "it" }
            )
        );
        assert_eq!(snapshot(&app), before);
    }
}

/// TMPDIR inside the app folder: the workspace (a copy of the app) was made there, so the copy
/// copied itself until its names grew too long (`File name too long`), writing into the user's
/// folder on the way. Refused before anything is written, naming TMPDIR and the fix.
#[test]
fn a_tmpdir_inside_the_app_folder_is_refused_before_anything_is_written() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    for tmpdir in [app.clone(), app.join("tmp")] {
        fs::create_dir_all(&tmpdir).unwrap();
        let before = snapshot(&app);
        let out = t.join("out");
        let run = stage(t)
            .env("TMPDIR", &tmpdir)
            .arg(&app)
            .bp(bp.path())
            .out(&out)
            .run();
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "bpkit: error: TMPDIR {}: that folder is inside the app folder {}, which staging never writes to (the staging workspace, a copy of the app among it, is made in TMPDIR, so the app would be copied into itself); set TMPDIR to a folder outside the app\n",
                tmpdir.display(),
                app.display()
            )
        );
        assert_eq!(snapshot(&app), before, "the app folder was written to");
        assert!(!out.exists(), "the outputs folder was made");
    }
}

/// Cloud Controller refuses an upload holding a symbolic link that points outside the app
/// folder, so staging refuses it too, before any phase runs: here a phase writing through an
/// absolute link would change the user's own files. Links that stay inside are kept as links,
/// and a link left out with .cfignore is no longer in the way.
#[test]
fn links_pointing_outside_the_app_are_refused_as_the_platform_refuses_them() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = fs::canonicalize(app(
        t,
        &[
            ("index.html", "hi"),
            ("data/mine.txt", "mine"),
            ("lib/a/real.txt", "x"),
        ],
    ))
    .unwrap();
    symlink("real.txt", app.join("lib/a/near")).unwrap();
    symlink("../../lib/a/real.txt", app.join("lib/a/round")).unwrap();
    symlink(app.join("data"), app.join("data-link")).unwrap();
    let bp = ShellBuildpack::new(t, "bp")
        .script(
            "compile",
            r#"readlink "$1/lib/a/near" "$1/lib/a/round" > "$1/links"; if [ -e "$1/data-link" ]; then echo written > "$1/data-link/new.txt"; fi"#,
        )
        .release_web("./start");
    let before = snapshot(&app);
    let refused = |link: &str, target: &str| {
        format!(
            "bpkit: error: {}/{link}: a symbolic link to {target}, outside the app folder; the platform refuses such an upload (The app upload is invalid: Symlink(s) point outside of root folder); point it inside the app with a relative path, or leave it out with a line in .cfignore\n",
            app.display()
        )
    };
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        refused("data-link", &app.join("data").display().to_string())
    );
    assert_eq!(snapshot(&app), before);
    assert!(!out.join("droplet.tgz").exists());

    // A relative link climbing above the app folder is refused the same way.
    fs::remove_file(app.join("data-link")).unwrap();
    symlink("../../..", app.join("lib/a/up")).unwrap();
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, refused("lib/a/up", "../../.."));

    // Left out of the upload, it is out of the way; the links inside stay links.
    fs::write(app.join(".cfignore"), "/lib/a/up\n").unwrap();
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        member(&out.join("droplet.tgz"), "./app/links"),
        "real.txt\n../../lib/a/real.txt\n"
    );
}

/// A link that is lexically inside the app but climbs out through another link (`a -> .`,
/// then `b -> a/a/../../victim`: `a/a` is the app folder itself, so each `..` climbs one more
/// level) is refused like one pointing outside: no phase writes through it.
#[test]
fn a_link_climbing_out_through_another_link_is_refused() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = fs::canonicalize(app(t, &[("index.html", "hi")])).unwrap();
    let victim = t.join("victim");
    fs::create_dir(&victim).unwrap();
    // From the build dir, as many levels up as there are to `/`, then down to the victim.
    let depth = 64;
    let target = format!(
        "{}{}{}",
        "a/".repeat(depth),
        "../".repeat(depth),
        fs::canonicalize(&victim)
            .unwrap()
            .display()
            .to_string()
            .trim_start_matches('/')
    );
    symlink(".", app.join("a")).unwrap();
    symlink(&target, app.join("b")).unwrap();
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", r#"echo written > "$1/b/owned.txt" || true"#)
        .release_web("./start");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(
        fs::read_dir(&victim).unwrap().count(),
        0,
        "a phase wrote through b into {}",
        victim.display()
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "bpkit: error: {}/b: a symbolic link to {target}, outside the app folder; the platform refuses such an upload (The app upload is invalid: Symlink(s) point outside of root folder); point it inside the app with a relative path, or leave it out with a line in .cfignore\n",
            app.display()
        )
    );
    assert!(!out.join("droplet.tgz").exists());
}

/// A `.cfignore` that is not a file of patterns stops staging at once, with a message: a fifo
/// (opened without waiting for a writer, which would hang staging past Ctrl-C and SIGTERM), a
/// link to a device that never ends (read into memory without end), a file over 1 MiB.
#[test]
fn a_cfignore_that_is_a_fifo_a_device_or_huge_is_refused_without_waiting() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let app = fs::canonicalize(app).unwrap();
    let bp = plain_buildpack(t, "bp");
    let cfignore = app.join(".cfignore");
    let refused = |what: &str| {
        format!(
            "bpkit: error: {}: {what}; .cfignore is a file of patterns (gitignore syntax): replace it with one, or remove it\n",
            cfignore.display()
        )
    };
    let out = t.join("out");
    let status = Command::new("mkfifo").arg(&cfignore).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    let run = stage(t)
        .limit(Duration::from_secs(20))
        .arg(&app)
        .bp(bp.path())
        .out(&out)
        .run();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, refused("it is a fifo, not a file"));

    fs::remove_file(&cfignore).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &cfignore).unwrap();
    let run = stage(t)
        .limit(Duration::from_secs(20))
        .arg(&app)
        .bp(bp.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, refused("it is a character device, not a file"));

    fs::remove_file(&cfignore).unwrap();
    fs::write(&cfignore, "x\n".repeat(600_000)).unwrap();
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        refused("it is larger than 1 MiB, which no list of patterns is")
    );
    assert!(!out.join("droplet.tgz").exists());

    // A real one, through a link, still works.
    fs::remove_file(&cfignore).unwrap();
    fs::write(t.join("patterns"), "secret.txt\n").unwrap();
    std::os::unix::fs::symlink(t.join("patterns"), &cfignore).unwrap();
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn zip_buildpacks_from_a_file_and_from_a_url() {
    use common::server::Server;
    let (tmp, app) = hi_app();
    let t = tmp.path();
    // A zip with a top folder, as GitHub's archives have: the builder looks one level down.
    let zip = zip_buildpack(t, "top-1.0/");
    let out = t.join("out");
    let run = stage(t).arg(&app).bp(&zip).out(&out).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        member(&out.join("droplet.tgz"), "./app/zipped"),
        "from zip\n"
    );
    // The outputs are readable by others, as tar and a plain write leave files (less the
    // umask), not the 0600 of a temporary file.
    for output in ["droplet.tgz", "result.json", "cache.tgz"] {
        let mode = fs::metadata(out.join(output)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644 & !common::bin::umask(), "{output}");
    }

    let server = Server::start();
    server.serve("/buildpacks/bp.zip", fs::read(&zip).unwrap());
    let url = server.url("/buildpacks/bp.zip");
    let run = stage(t).arg(&app).bp(&url).out(&out).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("Downloaded buildpack `{url}` (")),
        "{}",
        run.stderr
    );
    assert_eq!(
        result_json(&out)["lifecycle_metadata"]["buildpack_key"],
        url.as_str()
    );

    let missing = server.url("/buildpacks/missing.zip");
    let run = stage(t)
        .env("BPKIT_RETRIES", "0")
        .arg(&app)
        .bp(&missing)
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        last_line(&run.stderr).starts_with(&format!("Failed to download buildpack '{missing}': ")),
        "{}",
        run.stderr
    );
}

fn zip_buildpack(t: &Path, prefix: &str) -> PathBuf {
    use std::io::Write;
    let path = t.join("bp.zip");
    let file = fs::File::create(&path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let exe = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
    zip.add_directory(prefix, zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.start_file(format!("{prefix}bin/compile"), exe).unwrap();
    zip.write_all(b"#!/bin/sh\necho 'from zip' > \"$1/zipped\"\n")
        .unwrap();
    zip.start_file(format!("{prefix}bin/release"), exe).unwrap();
    zip.write_all(b"#!/bin/sh\necho '--- {default_process_types: {web: ./start}}'\n")
        .unwrap();
    zip.finish().unwrap();
    path
}

#[test]
fn git_url_buildpacks_with_a_branch_or_a_tag() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let repo = t.join("repo");
    let bp = ShellBuildpack::new(t, "repo")
        .script("compile", r#"echo main > "$1/branch""#)
        .release_web("./start");
    init_and_commit(&repo, "main");
    git(&repo, &["checkout", "-qb", "feature"]);
    bp.script("compile", r#"echo feature > "$1/branch""#);
    git(&repo, &["commit", "-qam", "feature"]);
    git(&repo, &["tag", "v1.0.0"]);
    git(&repo, &["checkout", "-q", "main"]);

    let url = format!("file://{}", repo.display());
    let out = t.join("out");
    for (reference, expected) in [
        ("", "main"),
        ("#feature", "feature"),
        ("#v1.0.0", "feature"),
    ] {
        let spec = format!("{url}{reference}");
        let run = stage(t).arg(&app).bp(&spec).out(&out).run();
        assert_eq!(run.code, 0, "{spec}: {}", run.stderr);
        assert_eq!(
            member(&out.join("droplet.tgz"), "./app/branch"),
            format!("{expected}\n")
        );
        assert_eq!(
            result_json(&out)["lifecycle_metadata"]["buildpack_key"],
            spec.as_str()
        );
    }

    // The builder gives the ref to both clones (`-b REF`), never to `git checkout`: a ref git
    // cannot find fails both, and the message carries what git said and how it exited.
    let spec = format!("{url}#no-such-branch");
    let run = stage(t).arg(&app).bp(&spec).run();
    assert_clone_failed(&run, &url);
    assert!(
        run.stderr
            .contains("Remote branch no-such-branch not found in upstream origin"),
        "{}",
        run.stderr
    );
    let missing = format!("file://{}/nothing-here", t.display());
    let run = stage(t).arg(&app).bp(&missing).run();
    assert_clone_failed(&run, &missing);

    // With --json, `error` is one line, the builder's first with git's exit status; what git
    // said stays in the log on stderr. It held all of git's lines.
    let run = stage(t).arg(&app).bp(&missing).arg("--json").run();
    assert_clone_failed(&run, &missing);
    assert!(
        run.stderr
            .contains("does not appear to be a git repository")
    );
    assert_eq!(
        stage_json(&run)["error"],
        format!("Failed to clone git repository at {missing}: git clone failed: exit status 128")
    );
}

/// A git URL pinned to a commit id (`#<sha>`) fails as on the platform, whose builder gives the
/// `#` part to `git clone -b` in both its attempts (shallow, then full) and never runs `git
/// checkout`: `-b` takes a branch or a tag, not a commit. bpkit used to fall back to a full
/// clone and `git checkout <sha>`, which staged here what `cf push` then refused.
#[test]
fn a_git_url_pinned_to_a_commit_fails_as_on_the_platform() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let repo = t.join("repo");
    ShellBuildpack::new(t, "repo")
        .script("compile", "true")
        .release_web("./start");
    init_and_commit(&repo, "main");
    let sha = git(&repo, &["rev-parse", "HEAD"]);
    let url = format!("file://{}", repo.display());
    let run = stage(t).arg(&app).bp(format!("{url}#{sha}")).run();
    assert_clone_failed(&run, &url);
    assert!(
        run.stderr
            .contains(&format!("Remote branch {sha} not found in upstream origin")),
        "{}",
        run.stderr
    );
}

/// A private buildpack repository (`-b https://user:pass@host/bp.git`) is cloned with its
/// credentials, which never reach git's command line (readable by every user through `ps`):
/// a credential helper gives them to git from the environment, only for that server. The
/// repository is served over git's "dumb" HTTP protocol behind Basic auth by the test server;
/// a `git` wrapper on PATH records every command line git got.
#[test]
fn a_git_url_with_credentials_clones_without_them_on_the_command_line() {
    use common::server::{Fault, Server};
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let repo = t.join("repo");
    ShellBuildpack::new(t, "repo")
        .script("compile", r#"echo private > "$1/branch""#)
        .release_web("./start");
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "main"]);
    let password = "s3cr3t-pass";
    let server = Server::start();
    let auth = Fault::BasicAuth {
        user: "deploy".into(),
        password: password.into(),
    };
    serve_over_dumb_http(&repo, &t.join("bp.git"), &server, &auth);
    let (path, log) = git_recording_its_arguments(t);

    let home = t.join("home");
    common::buildpack::write(
        &home,
        ".gitconfig",
        "[credential]\n\thelper = \"!f() { echo username=deploy; echo password=stored-wrong; }; f\"\n",
    );
    let stage_with = |user: &str, password: &str, out: &Path| {
        let url = server.url_with_credentials(user, password, "/bp.git");
        let run = stage(t)
            .env("PATH", &path)
            // Credentials the user stored for that server must not win over the URL's.
            .env("HOME", &home)
            .arg(&app)
            .bp(&url)
            .out(out)
            .run();
        (url, run)
    };

    let out = t.join("out");
    let (url, run) = stage_with("deploy", password, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        member(&out.join("droplet.tgz"), "./app/branch"),
        "private\n"
    );
    // The key is the URL as given, its credentials redacted.
    let redacted = url.replace(&format!("deploy:{password}@"), "-redacted-:-redacted-@");
    assert_eq!(
        result_json(&out)["lifecycle_metadata"]["buildpack_key"],
        redacted.as_str()
    );
    let argv = fs::read_to_string(&log).unwrap();
    assert!(argv.contains(" clone "), "{argv}");
    assert!(!argv.contains(password), "{argv}");
    assert!(!argv.contains("deploy@"), "{argv}");
    assert!(!run.stderr.contains(password), "{}", run.stderr);

    // Wrong credentials fail as the builder words it, with the password redacted.
    let (url, run) = stage_with("deploy", "wrong", &t.join("out-wrong"));
    assert_clone_failed(
        &run,
        &url.replace("deploy:wrong@", "-redacted-:-redacted-@"),
    );
    // git's own words, in the message as in the builder's, name the refused login.
    assert!(
        run.stderr.contains("Authentication failed"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("wrong@"), "{}", run.stderr);
    assert!(!fs::read_to_string(&log).unwrap().contains("wrong"));
}

/// Serve a bare clone of `repo` (made at `bare`) under `/bp.git/` as git's "dumb" HTTP
/// protocol wants it (plain files: packed objects and `info/refs`), each behind `fault`.
fn serve_over_dumb_http(
    repo: &Path,
    bare: &Path,
    server: &common::server::Server,
    fault: &common::server::Fault,
) {
    let parent = bare.parent().unwrap();
    git(
        parent,
        &[
            "clone",
            "-q",
            "--bare",
            repo.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    git(bare, &["repack", "-q", "-a", "-d"]);
    git(bare, &["update-server-info"]);
    for file in walk(bare) {
        let rel = file
            .strip_prefix(bare)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        server.route(
            &format!("/bp.git/{rel}"),
            fs::read(&file).unwrap(),
            fault.clone(),
        );
    }
}

/// A `PATH` whose `git` records its arguments, one command per line, in the returned log file,
/// then runs the real git.
fn git_recording_its_arguments(t: &Path) -> (String, PathBuf) {
    let wrapper_dir = t.join("wrapper");
    fs::create_dir_all(&wrapper_dir).unwrap();
    let log = t.join("git-argv.log");
    let real_git = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap()
        .stdout;
    let wrapper = wrapper_dir.join("git");
    fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            String::from_utf8(real_git).unwrap().trim()
        ),
    )
    .unwrap();
    fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        wrapper_dir.display(),
        std::env::var("PATH").unwrap()
    );
    (path, log)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// A `#REF` starting with `-` once reached `git checkout` as an option (`#--orphan=x` made a
/// new branch of the default branch's tree, and staging went on with the wrong buildpack); it
/// now goes only to `git clone -b`, as on the platform, and is still refused before git runs
/// (git is not even on PATH), with the `-b` argument and the fix, even for a branch of that
/// name, which git's plumbing can make.
#[test]
fn a_git_ref_that_looks_like_an_option_is_refused_before_git_runs() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let repo = t.join("repo");
    ShellBuildpack::new(t, "repo")
        .script("compile", r#"echo main > "$1/branch""#)
        .release_web("./start");
    init_and_commit(&repo, "main");
    git(&repo, &["update-ref", "refs/heads/-dash", "HEAD"]);
    let no_git = t.join("no-git");
    fs::create_dir_all(&no_git).unwrap();
    let out = t.join("out");
    for reference in ["--orphan=x", "-dash", "-", "--upload-pack=touch pwned"] {
        let spec = format!("file://{}#{reference}", repo.display());
        let run = stage(t)
            .env("PATH", &no_git)
            .arg(&app)
            .bp(&spec)
            .out(&out)
            .run();
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (
                1,
                format!(
                    "bpkit: error: -b {spec}: the git ref `{reference}` starts with `-`, as no branch or tag that git makes does; give the branch or tag after `#`\n"
                )
                .as_str()
            )
        );
        assert!(!out.join("droplet.tgz").exists());
        assert!(!t.join("pwned").exists());
    }
    // A `-` inside a ref is an ordinary name.
    git(&repo, &["branch", "release-1"]);
    let spec = format!("file://{}#release-1", repo.display());
    let run = stage(t).arg(&app).bp(&spec).out(&out).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(member(&out.join("droplet.tgz"), "./app/branch"), "main\n");
}

/// A password in an ssh URL never reaches a command line: git would hand `user:password@host`
/// to ssh whole (visible in `ps`, and a login that fails). Refused before git runs, with the
/// password redacted and the fix; git here is a stand-in that records being run.
#[test]
fn a_password_in_an_ssh_url_is_refused_before_git_runs() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bin = t.join("bin");
    let ran = t.join("git-ran");
    common::buildpack::write(
        &bin,
        "git",
        format!("#!/bin/sh\necho \"$@\" >> '{}'\nexit 1\n", ran.display()),
    );
    fs::set_permissions(bin.join("git"), fs::Permissions::from_mode(0o755)).unwrap();
    let spec = "ssh://deploy:Ssh-s3cret@git.example.invalid:2222/org/bp.git#v1";
    let run = stage(t)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .arg(&app)
        .bp(spec)
        .out(t.join("out"))
        .run();
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "bpkit: error: -b ssh://-redacted-:-redacted-@git.example.invalid:2222/org/bp.git#v1: an ssh URL cannot carry a password (git would pass it to ssh as part of the user name, and the login would fail); remove `:<password>` and let ssh log in with a key (ssh-agent or ~/.ssh)\n"
        )
    );
    assert!(
        !ran.exists(),
        "git ran: {}",
        fs::read_to_string(&ran).unwrap()
    );
    // Without the password, git is asked to clone (and the stand-in fails, as no server is
    // there): the URL is not refused for being ssh.
    let run = stage(t)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .arg(&app)
        .bp("ssh://deploy@git.example.invalid:2222/org/bp.git#v1")
        .out(t.join("out"))
        .run();
    assert_ne!(run.code, 0);
    assert!(
        fs::read_to_string(&ran)
            .unwrap()
            .contains("ssh://deploy@git.example.invalid:2222/org/bp.git")
    );
}

#[test]
fn launch_sources_profile_scripts_in_the_launchers_order() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = app(
        t,
        &[
            ("index.html", "hi"),
            (
                ".profile.d/app.sh",
                "export ORDER=\"${ORDER}app-profile.d \"\n",
            ),
            (
                ".profile",
                "echo sourcing .profile\nexport ORDER=\"${ORDER}.profile\"\n",
            ),
        ],
    );
    let bp = ShellBuildpack::new(t, "bp")
        .script(
            "finalize",
            r#"printf '%s\n' 'echo sourcing profile.d' 'export ORDER="${ORDER}profile.d "' > "$5/00_order.sh""#,
        )
        .release_web("./start");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let script = r#"echo "order=$ORDER"; echo "home=${HOME##*/} deps=${DEPS_DIR##*/} tmp=${TMPDIR##*/} port=$PORT pwd=${PWD##*/}"; echo "$VCAP_APPLICATION""#;
    let run = run_droplet(
        t,
        &[
            out.join("droplet.tgz").to_str().unwrap(),
            "--port",
            "4321",
            "-c",
            script,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("order=profile.d app-profile.d .profile\n"),
        "{}",
        run.stderr
    );
    // The launcher's two lines, around the profile scripts, as every app log shows them.
    assert!(
        run.stderr.contains(
            "Invoking pre-start scripts.\nsourcing profile.d\nsourcing .profile\nInvoking start command.\norder="
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("home=app deps=deps tmp=tmp port=4321 pwd=app\n")
    );
    let vcap_line = run
        .stderr
        .lines()
        .find(|l| l.starts_with('{'))
        .expect("VCAP_APPLICATION line");
    let vcap: Value = serde_json::from_str(vcap_line).unwrap();
    // As the launcher's CalcEnv writes it: json.Marshal of a Go map, its keys sorted.
    let keys: Vec<&String> = vcap.as_object().unwrap().keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "{vcap_line}");
    assert_eq!(vcap["port"], 4321);
    assert_eq!(vcap["instance_index"], 0);
    assert_eq!(vcap["host"], "0.0.0.0");

    // An empty or blank -c (`-c "$START"`, the variable unset) is refused before anything
    // runs, naming the flag and the fix: it started the droplet's own command without a word.
    for (given, what) in [("", "empty"), (" \t", "blank")] {
        let run = run_on_free_port(t, &out.join("droplet.tgz"), &["-c", given]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr.lines().next().unwrap(),
            format!(
                "error: invalid value '{given}' for '--command <COMMAND>': it is {what}; give the command to start, or leave out -c to start the process type's own"
            )
        );
        assert!(!run.stderr.contains("Starting web"), "{}", run.stderr);
    }
}

fn wait_for_file(path: &Path) -> String {
    for _ in 0..400 {
        if let Ok(text) = fs::read_to_string(path)
            && text.ends_with('\n')
        {
            return text;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("{} never appeared", path.display());
}

fn staged_sleeper(t: &Path) -> PathBuf {
    let app = app(t, &[("index.html", "hi")]);
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", "true")
        .release_web("sleep 1000 & echo $! > \"$PIDFILE\"; wait");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

/// The keys of `bpkit run --check --json`'s document, in order (README, "Local staging").
const CHECK_JSON_KEYS: [&str; 8] = [
    "success",
    "exit_code",
    "error",
    "url",
    "passed",
    "status",
    "reason",
    "elapsed_ms",
];

/// A failed check's JSON document: its keys, its verdict, and its `error`, the words of the
/// one line on stderr, `check failed: …`. Returns the `error` after `check failed: `.
fn failed_check_json(run: &Run) -> String {
    let report = json_document(run, &CHECK_JSON_KEYS);
    assert_eq!(
        (&report["success"], &report["exit_code"], &report["passed"]),
        (&Value::Bool(false), &Value::from(1), &Value::Bool(false))
    );
    let error = report["error"].as_str().unwrap().to_string();
    assert!(
        run.stderr.ends_with(&format!("bpkit: error: {error}\n")),
        "{}",
        run.stderr
    );
    error
        .strip_prefix("check failed: ")
        .unwrap_or_else(|| panic!("{error}"))
        .to_string()
}

#[test]
fn a_failed_check_stops_the_whole_app_group_in_bounded_time() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let out = staged_sleeper(t);
    let pidfile = t.join("pid");
    let started = Instant::now();
    let mut command = bpkit();
    command.current_dir(t).env("PIDFILE", &pidfile).args([
        "run",
        out.to_str().unwrap(),
        "--port",
        "0",
        "-e",
        &format!("PIDFILE={}", pidfile.display()),
        "--check",
        "/",
        "--check-timeout",
        "1",
        "--json",
    ]);
    let run = run_within(&mut command, LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(started.elapsed() < Duration::from_secs(20));
    let error = failed_check_json(&run);
    assert!(
        error.starts_with("no answer from http://127.0.0.1:"),
        "{error}"
    );
    // The port named in the fix is the one the app was given (and the URL asked).
    let port = error
        .strip_prefix("no answer from http://127.0.0.1:")
        .and_then(|rest| rest.split_once('/'))
        .map(|(port, _)| port)
        .unwrap();
    assert!(
        error.ends_with(&format!(
            "/ within 1 s; the app must listen on $PORT ({port}), or if it starts slowly raise --check-timeout"
        )),
        "{error}"
    );
    let pid: u32 = wait_for_file(&pidfile).trim().parse().unwrap();
    assert!(
        common::process::gone_soon(pid),
        "the app's background process {pid} survived"
    );

    // An app that exits early fails the check at once.
    let run = run_on_free_port(t, &out, &["-c", "exit 3", "--check", "/"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("check failed: the app exited (exit status 3) before answering"),
        "{}",
        run.stderr
    );
    // The status line is printed on a failure too: `URL 000 WHY` when nothing answered.
    assert_eq!(
        status_line_without_port(&run.stdout),
        "http://127.0.0.1:PORT/ 000 the app exited (exit status 3) before answering\n"
    );

    let run = run_on_free_port(t, &out, &["--check", "/health", "--check-timeout", "1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        status_line_without_port(&run.stdout),
        "http://127.0.0.1:PORT/health 000 no answer within 1 s\n"
    );
}

/// An app that answers the check's request one byte every half second, never ending its
/// status line, used to keep `--check` reading past its `--check-timeout` and past Ctrl-C: the
/// read timeout counted only silence. Now the check ends at its timeout, and a SIGTERM ends it
/// at once with exit 130 (the app stopped), as it ends `bpkit run` without `--check`.
#[test]
fn a_check_against_an_app_dripping_its_answer_ends_at_its_timeout_or_at_ctrl_c() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = app(
        t,
        &[(
            "drip.py",
            // It gives up after 20 s, so that a check that keeps reading still ends.
            "import os, socket, time\n\
             end = time.time() + 20\n\
             s = socket.socket()\n\
             s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n\
             s.bind(('127.0.0.1', int(os.environ['PORT'])))\n\
             s.listen(5)\n\
             while True:\n\
             \x20   c, _ = s.accept()\n\
             \x20   c.recv(1000)\n\
             \x20   try:\n\
             \x20       while time.time() < end:\n\
             \x20           c.send(b'H')\n\
             \x20           time.sleep(0.5)\n\
             \x20   except OSError:\n\
             \x20       pass\n\
             \x20   if time.time() >= end:\n\
             \x20       break\n",
        )],
    );
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", "true")
        .release_web("python3 drip.py");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let started = Instant::now();
    let run = run_on_free_port(t, &out, &["--check", "/", "--check-timeout", "2"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        status_line_without_port(&run.stdout),
        "http://127.0.0.1:PORT/ 000 no answer within 2 s\n"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the check took {:?}",
        started.elapsed()
    );

    // Ctrl-C (SIGINT) and SIGTERM end the check at once: the app drips its answer for 20 s,
    // so a check that waited for it would take that long.
    for signal in ["-INT", "-TERM"] {
        let child = spawn_for_signal(&{
            let mut command = bpkit();
            command.current_dir(t).args([
                "run",
                out.to_str().unwrap(),
                "--port",
                "0",
                "--check",
                "/",
            ]);
            command
        });
        // Long enough for the app to start and the check to be reading its answer.
        std::thread::sleep(Duration::from_secs(2));
        let signalled = Instant::now();
        let stopped = signal_and_wait(child, signal, "bpkit run --check");
        assert_eq!(
            (stopped.code, stopped.stderr.lines().last()),
            (
                130,
                Some("bpkit: error: check failed: interrupted; the app was stopped")
            ),
            "{signal}: {}",
            stopped.stderr
        );
        assert!(
            signalled.elapsed() < Duration::from_secs(8),
            "{signal}: stopped {:?} after the signal",
            signalled.elapsed()
        );
    }
}

/// `--check` given a whole URL was requested as the path `/http://127.0.0.1:8080/health`,
/// which apps answer 404: the check failed with no line saying why. Refused before the app
/// starts, naming the fix, the URL's credentials redacted.
#[test]
fn a_check_given_a_url_instead_of_a_path_is_refused_before_the_app_starts() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", "true")
        .release_web("exec sleep 100");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (given, shown) in [
        (
            "http://127.0.0.1:8080/health",
            "http://127.0.0.1:8080/health",
        ),
        (
            "HTTPS://user:s3cret@localhost/health",
            "HTTPS://-redacted-:-redacted-@localhost/health",
        ),
    ] {
        let run = run_on_free_port(t, &out, &["--check", given]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (
                1,
                "",
                format!("bpkit: error: --check {shown}: give the path to request, such as /health, not a URL; bpkit requests it from the app on http://127.0.0.1:$PORT (the port set with --port)\n").as_str()
            )
        );
    }
}

/// An app that takes the check's connection and closes it, or answers something that is not
/// HTTP, is listening on $PORT: the check said "no answer … the app must listen on $PORT",
/// sending its author to look for the wrong fault. It now says what the app did.
#[test]
fn a_check_says_when_the_app_closes_the_connection_or_answers_something_else() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = app(
        t,
        &[(
            "serve.py",
            "import os, socket, sys\n\
             s = socket.socket()\n\
             s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n\
             s.bind(('127.0.0.1', int(os.environ['PORT'])))\n\
             s.listen(5)\n\
             while True:\n\
             \x20   c, _ = s.accept()\n\
             \x20   c.recv(1000)\n\
             \x20   if sys.argv[1] == 'ssh':\n\
             \x20       c.sendall(b'SSH-2.0-OpenSSH_9.6\\r\\n')\n\
             \x20   c.close()\n",
        )],
    );
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", "true")
        .release_web("python3 serve.py close");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);

    for (mode, status, error) in [
        (
            "close",
            "000 connection closed without an answer within 2 s",
            "no answer from http://127.0.0.1:PORT/ within 2 s: the app took the connection on $PORT (PORT) and closed it without answering; it must answer HTTP there",
        ),
        (
            "ssh",
            "000 no HTTP answer within 2 s (it began `SSH-2.0-OpenSSH_9.6`)",
            "no HTTP answer from http://127.0.0.1:PORT/ within 2 s: the app's answer began `SSH-2.0-OpenSSH_9.6`, not a status line such as `HTTP/1.1 200 OK`; it must answer HTTP on $PORT (PORT)",
        ),
    ] {
        let command = format!("python3 serve.py {mode}");
        let run = run_on_free_port(
            t,
            &out,
            &["-c", &command, "--check", "/", "--check-timeout", "2"],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        let port = run.stdout["http://127.0.0.1:".len()..]
            .split('/')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(
            run.stdout.replace(&port, "PORT"),
            format!("http://127.0.0.1:PORT/ {status}\n")
        );
        assert_eq!(
            run.stderr.lines().last().unwrap().replace(&port, "PORT"),
            format!("bpkit: error: check failed: {error}"),
            "{}",
            run.stderr
        );
    }
}

/// `--services @FILE` naming a fifo nobody writes to: opening it waits for a writer, and a
/// caught signal does not end that wait, so Ctrl-C and SIGTERM were ignored and `bpkit stage`
/// or `bpkit run` hung until killed. Now they stop at once with exit 130; a writer that comes
/// late is still read.
#[test]
fn a_services_fifo_nobody_writes_to_is_abandoned_at_ctrl_c() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let fifo = t.join("services.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    let services = format!("@{}", fifo.display());
    let staging = || {
        let mut command = stage(t)
            .arg(&app)
            .bp(bp.path())
            .out(&out)
            .arg("--services")
            .arg(&services)
            .command();
        command.stdin(std::process::Stdio::null());
        command
    };
    for signal in ["-INT", "-TERM"] {
        let child = spawn_for_signal(&staging());
        // Past the start, to the wait for a writer.
        std::thread::sleep(Duration::from_secs(1));
        let stopped = signal_and_wait(child, signal, "bpkit stage --services @FIFO");
        assert_eq!(
            (stopped.code, stopped.stderr.as_str()),
            (
                130,
                "bpkit: error: staging was interrupted; nothing was written to the output folder\n"
            )
        );
    }
    assert!(!out.exists());
    // A writer that comes a little later is waited for, as before.
    let child = spawn_for_signal(&staging());
    std::thread::sleep(Duration::from_millis(300));
    // On a thread: the write waits for bpkit to open the fifo.
    let writer = fifo.clone();
    std::thread::spawn(move || fs::write(writer, "{\"late\": []}"));
    let staged = common::timed::wait_within(child, LIMIT, "bpkit stage");
    assert_eq!(staged.code, 0, "{}", staged.stderr);

    let mut command = bpkit();
    command
        .current_dir(t)
        .args(["run", out.to_str().unwrap(), "--port", "0", "--services"])
        .arg(&services);
    let child = spawn_for_signal(&command);
    std::thread::sleep(Duration::from_secs(1));
    let stopped = signal_and_wait(child, "-INT", "bpkit run --services @FIFO");
    assert_eq!(
        (stopped.code, stopped.stderr.as_str()),
        (130, "bpkit: error: interrupted before the app started\n")
    );
}

/// `-b` naming a fifo: opening it as a zip waited for a writer, for ever, Ctrl-C included. Now
/// it is refused with the command line, as a device is.
#[test]
fn a_buildpack_argument_that_is_a_fifo_or_a_device_is_refused_at_once() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let fifo = t.join("bp.zip");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = t.join("out");
    for (buildpack, what) in [
        (fifo.to_str().unwrap(), "a fifo"),
        ("/dev/zero", "a character device"),
    ] {
        let run = stage_into(t, &app, buildpack, &out);
        assert_eq!(
            (run.code, run.stderr),
            (
                1,
                format!(
                    "bpkit: error: -b {buildpack}: it is {what}, not a folder or a file; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)\n"
                )
            )
        );
    }
    assert!(!out.exists());
}

/// `run` failed as the builder fails a clone of `url` (as shown, credentials redacted):
/// exit 1, the builder's line, and git's exit status last.
#[track_caller]
fn assert_clone_failed(run: &Run, url: &str) {
    run.assert_last_line(1, "exit status 128");
    assert!(
        run.stderr.contains(&format!(
            "Failed to clone git repository at {url}: git clone failed:\n"
        )),
        "{}",
        run.stderr
    );
}

/// `http://127.0.0.1:<port>/…` with the (free, so unknown) port replaced by `PORT`.
fn status_line_without_port(stdout: &str) -> String {
    let rest = stdout
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("not a status line: {stdout:?}"));
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    assert!(digits > 0, "no port in {stdout:?}");
    format!("http://127.0.0.1:PORT{}", &rest[digits..])
}

/// Start `command` with stdout discarded and stderr piped, to be stopped by
/// [`signal_and_wait`].
fn spawn_for_signal(command: &Command) -> std::process::Child {
    common::process::with_default_signals(command)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Send `signal` to a running bpkit (started with piped stderr) and wait, bounded, for it to
/// stop.
fn signal_and_wait(child: std::process::Child, signal: &str, what: &str) -> Run {
    Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    common::timed::wait_within(child, Duration::from_secs(20), what)
}

/// The names in folder `dir` (not below it), sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A shell line that starts `sleep 1000` in a session of its own (out of every process group
/// bpkit stops), writes its pid to `pidfile`, and waits until it has. With `ignore_term` the
/// sleeper ignores SIGTERM, so only SIGKILL stops it; without, it takes SIGTERM's default
/// action (`env --default-signal`) even in a test run started with SIGTERM ignored, which it
/// would inherit.
fn detached_sleeper(pidfile: &Path, ignore_term: bool) -> String {
    let (trap, sleep) = if ignore_term {
        ("trap \"\" TERM; ", "sleep")
    } else {
        ("", "env --default-signal=TERM sleep")
    };
    format!(
        "setsid sh -c '{trap}echo $$ > {pidfile}; exec {sleep} 1000' </dev/null >/dev/null 2>&1 & \
         while [ ! -s {pidfile} ]; do sleep 0.05; done",
        pidfile = pidfile.display()
    )
}

#[test]
fn a_process_the_app_detached_stops_with_the_app() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let out = staged_sleeper(t);
    let pidfile = t.join("daemon.pid");
    let command = format!("{}; exit 0", detached_sleeper(&pidfile, false));
    let started = Instant::now();
    let run = run_on_free_port(t, &out, &["-c", &command]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("       Stopped 1 process the app left running outside its process group\n"),
        "{}",
        run.stderr
    );
    let pid = common::process::read_pid(&pidfile);
    assert!(
        common::process::gone_soon(pid),
        "the detached process {pid} survived"
    );
    // It answered SIGTERM: no wait for the 10 s grace period.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_process_a_phase_detached_is_killed_when_the_phase_ends() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let pidfile = t.join("daemon.pid");
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", &detached_sleeper(&pidfile, true))
        .release_web("./start");
    let started = Instant::now();
    let run = stage_into(t, &app, bp.path(), &t.join("out"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pid = common::process::read_pid(&pidfile);
    // It ignored SIGTERM; SIGKILL followed the 3 s grace period, before staging went on.
    assert!(
        common::process::gone_soon(pid),
        "the detached process {pid} survived"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn sigterm_to_bpkit_run_stops_the_app_group() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let out = staged_sleeper(t);
    let pidfile = t.join("pid");
    let mut command = bpkit();
    command
        .current_dir(t)
        .args(["run", out.to_str().unwrap(), "--port", "0", "-e"])
        .arg(format!("PIDFILE={}", pidfile.display()));
    let child = spawn_for_signal(&command);
    let pid: u32 = wait_for_file(&pidfile).trim().parse().unwrap();
    let stopped = signal_and_wait(child, "-TERM", "bpkit run");
    assert_eq!(stopped.code, 130, "{}", stopped.stderr);
    assert!(
        common::process::gone_soon(pid),
        "the app's background process {pid} survived"
    );
}

/// A Ctrl-C while `bpkit run` unpacks a large droplet stops the unpacking: exit 130 with the
/// interruption's line, at once, and the partly unpacked droplet removed. The unpacking went on
/// to the end (2 GiB of zeros here, many seconds on a slow disk) before the signal was looked at.
#[test]
fn ctrl_c_while_a_droplet_is_unpacked_stops_the_unpacking() {
    use std::io::{Read as _, Write as _};
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let droplet = t.join("droplet.tgz");
    let gz = flate2::write::GzEncoder::new(
        fs::File::create(&droplet).unwrap(),
        flate2::Compression::fast(),
    );
    let mut tar = tar::Builder::new(gz);
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Directory);
    header.set_mode(0o755);
    header.set_size(0);
    tar.append_data(&mut header, "./app/", std::io::empty())
        .unwrap();
    let size: u64 = 2 << 30;
    let mut header = tar::Header::new_gnu();
    header.set_mode(0o644);
    header.set_size(size);
    tar.append_data(&mut header, "./app/big", std::io::repeat(0).take(size))
        .unwrap();
    tar.into_inner().unwrap().finish().unwrap().flush().unwrap();

    let tmp_dir = t.join("tmp");
    fs::create_dir_all(&tmp_dir).unwrap();
    let mut command = bpkit();
    command.current_dir(t).env("TMPDIR", &tmp_dir).args([
        "run",
        droplet.to_str().unwrap(),
        "--port",
        "0",
    ]);
    let child = spawn_for_signal(&command);
    // The big file has begun to arrive.
    let waited = Instant::now();
    let unpacking = loop {
        let big = fs::read_dir(&tmp_dir)
            .unwrap()
            .map(|entry| entry.unwrap().path().join("app/big"))
            .find(|big| fs::metadata(big).is_ok_and(|meta| meta.len() > 0));
        if let Some(big) = big {
            break big;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "no unpacking seen"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let signalled = Instant::now();
    let stopped = signal_and_wait(child, "-INT", "bpkit run");
    let took = signalled.elapsed();
    assert_eq!(
        (stopped.code, last_line(&stopped.stderr)),
        (130, "bpkit: error: interrupted before the app started"),
        "{}",
        stopped.stderr
    );
    assert!(took < Duration::from_secs(3), "it took {took:?}");
    assert!(!unpacking.exists(), "the partly unpacked droplet is left");
    assert_eq!(names_in(&tmp_dir), Vec::<String>::new());
}

/// Values clap refuses before anything runs: exit 2, the value, and what to give instead. A
/// timeout of 0 failed staging or the check at once; a negative number was taken for a flag.
#[test]
fn empty_or_zero_values_are_usage_errors() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = compile_buildpack(t, "bp", "Bp", "x");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--stack", ""],
            "error: invalid value '' for '--stack <STACK>': it is empty; give a stack name such as cflinuxfs4\n",
        ),
        (
            &["--memory", "0"],
            "error: invalid value '0' for '--memory <MB>': a memory limit of 0 leaves the app nothing; give at least 1 MB\n",
        ),
        (
            &["--timeout", "0"],
            "error: invalid value '0' for '--timeout <SECS>': a timeout of 0 s ends at once; give at least 1 second, such as 60\n",
        ),
        // A negative number is the value's error, where clap took it for a flag and advised
        // `-- -5`.
        (
            &["--memory", "-5"],
            "error: invalid value '-5' for '--memory <MB>': expected megabytes, such as 1024, or a size with a unit as `cf push -m` takes it (512M, 1G)\n",
        ),
        (
            &["--timeout", "-5"],
            "error: invalid value '-5' for '--timeout <SECS>': expected a whole number of seconds, such as 60\n",
        ),
    ];
    for (args, expected) in cases {
        let refused = stage(t).arg(&app).bp(bp.path()).args(args).run();
        assert_eq!(refused.code, 2, "{args:?}");
        assert!(refused.stderr.starts_with(expected), "{}", refused.stderr);
    }
    let run_cases: [(&[&str], &str); 4] = [
        (
            &["--check-timeout", "0"],
            "error: invalid value '0' for '--check-timeout <SECS>': a timeout of 0 s ends at once; give at least 1 second, such as 60\n",
        ),
        (
            &["--check-timeout", "-1"],
            "error: invalid value '-1' for '--check-timeout <SECS>': expected a whole number of seconds, such as 60\n",
        ),
        (
            &["--memory", "-1"],
            "error: invalid value '-1' for '--memory <MB>': expected megabytes, such as 1024, or a size with a unit as `cf push -m` takes it (512M, 1G)\n",
        ),
        (
            &["--port", "-1"],
            "error: invalid value '-1' for '--port <PORT>': -1 is not in 0..=65535\n",
        ),
    ];
    for (args, expected) in run_cases {
        let refused = run_droplet(t, &[&[".", "--check", "/"][..], args].concat());
        assert_eq!(refused.code, 2, "{args:?}");
        assert!(refused.stderr.starts_with(expected), "{}", refused.stderr);
    }
}

/// `-b ""` (a variable that was not set) said `-b : no such file or folder`, and `-b bp#v1`
/// with `bp` a local folder said `no such file or folder` of a folder that is there: an empty
/// `-b` is named as such, and a `#ref` on a local path says it is only a git URL's, with the
/// fix. The previous outputs stay, as for any refused command line.
#[test]
fn an_empty_b_or_a_ref_on_a_local_buildpack_is_named() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = compile_buildpack(t, "bp", "Bp", "x");
    fs::write(t.join("bp.zip"), "a zip").unwrap();
    let out = t.join("out");
    stage_into(t, &app, bp.path(), &out).assert_code(0);
    let droplet = fs::read(out.join("droplet.tgz")).unwrap();
    let folder = fs::canonicalize(bp.path()).unwrap();
    let cases = [
        (
            "",
            "bpkit: error: -b is empty; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)\n".to_string(),
        ),
        (
            " ",
            "bpkit: error: -b is empty; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)\n".to_string(),
        ),
        (
            "bp#v1",
            format!(
                "bpkit: error: -b bp#v1: bp is a local folder, used as it is, and a `#branch` or `#tag` is only a git URL's; remove `#v1`, or give the folder as a git URL to clone that ref of its repository (-b file://{}#v1)\n",
                folder.display()
            ),
        ),
        (
            "./bp/#main",
            format!(
                "bpkit: error: -b ./bp/#main: ./bp/ is a local folder, used as it is, and a `#branch` or `#tag` is only a git URL's; remove `#main`, or give the folder as a git URL to clone that ref of its repository (-b file://{}#main)\n",
                folder.display()
            ),
        ),
        (
            "bp#",
            "bpkit: error: -b bp#: bp is a local folder, used as it is, and a `#branch` or `#tag` is only a git URL's; remove the `#`\n".to_string(),
        ),
        (
            "bp.zip#v2",
            "bpkit: error: -b bp.zip#v2: bp.zip is a local file, used as it is, and a `#branch` or `#tag` is only a git URL's; remove `#v2`\n".to_string(),
        ),
        (
            "nothing#v1",
            "bpkit: error: -b nothing#v1: no such file or folder; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)\n".to_string(),
        ),
    ];
    for (arg, expected) in cases {
        let run = stage(t).arg(&app).bp(arg).out(&out).run();
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (1, expected.as_str()),
            "{arg:?}"
        );
        assert_eq!(fs::read(out.join("droplet.tgz")).unwrap(), droplet);
    }
    // A folder whose name holds `#` is still a folder.
    let hashed = compile_buildpack(t, "bp#2", "Hashed", "hashed");
    stage_into(t, &app, hashed.path(), &out).assert_code(0);
}

#[test]
fn bad_input_gets_one_clear_line() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = compile_buildpack(t, "bp", "Bp", "x");
    common::buildpack::write(t, "a-file", "not a folder\n");
    let cases: [(&[&str], &str); 7] = [
        (
            &["missing-app", "-b", bp.path()],
            "bpkit: error: missing-app: no such folder; give the app's folder (what `cf push -p` would upload)\n",
        ),
        (
            &[app.to_str().unwrap(), "-b", "./no-such-buildpack"],
            "bpkit: error: -b ./no-such-buildpack: no such file or folder; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)\n",
        ),
        (
            &[app.to_str().unwrap(), "-b", bp.path(), "-e", "NOVALUE"],
            "bpkit: error: -e NOVALUE: expected KEY=VALUE with a name of letters, digits and `_`, as in -e BP_DEBUG=1\n",
        ),
        (
            &[app.to_str().unwrap(), "-b", bp.path(), "--services", "[]"],
            "bpkit: error: --services: expected a JSON object like {\"my-db\": [{\"credentials\": {}}]}, as VCAP_SERVICES is\n",
        ),
        (
            &[
                app.to_str().unwrap(),
                "-b",
                bp.path(),
                "--services",
                "@no-such-file",
            ],
            "bpkit: error: --services @no-such-file: no such file; give @FILE naming a file that holds VCAP_SERVICES, or the JSON itself\n",
        ),
        (
            &[app.to_str().unwrap(), "-b", bp.path(), "--out", "a-file"],
            "bpkit: error: --out a-file: a-file is a file, and the outputs (droplet.tgz, result.json, cache.tgz) go in a folder; give --out a folder, or a path that does not exist yet\n",
        ),
        (
            &[
                app.to_str().unwrap(),
                "-b",
                bp.path(),
                "--out",
                "a-file/out",
            ],
            "bpkit: error: --out a-file/out: a-file is a file, and the outputs (droplet.tgz, result.json, cache.tgz) go in a folder; give --out a folder, or a path that does not exist yet\n",
        ),
    ];
    for (args, expected) in cases {
        let run = stage(t).args(args).run();
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(run.stderr, expected, "{args:?}");
        assert_eq!(run.stdout, "");
    }
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let out = t.join("out");
    assert_eq!(stage_into(t, &app, bp.path(), &out).code, 0);
    let run = run_droplet(t, &[out.to_str().unwrap(), "--port", &port, "--check", "/"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "bpkit: error: port {port} on 127.0.0.1 is already in use; choose another with --port, or --port 0 for a free one\n"
        )
    );
    let run = run_droplet(t, &["no-such-droplet.tgz"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "bpkit: error: no-such-droplet.tgz: no such file or folder; give a droplet.tgz or the output folder of `bpkit stage`\n"
    );
}

/// `--services @FILE` naming a folder, or a file that is not UTF-8: what is wrong and the fix,
/// not the raw `Is a directory (os error 21)` or `stream did not contain valid UTF-8`.
#[test]
fn an_unreadable_services_file_says_why() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = compile_buildpack(t, "bp", "Bp", "x");
    common::buildpack::write(t, "services/vcap.json", "{}");
    common::buildpack::write(t, "latin1.json", b"{\"caf\xe9\": []}");
    let cases: [(&[&str], &str); 2] = [
        (
            &[
                app.to_str().unwrap(),
                "-b",
                bp.path(),
                "--services",
                "@services",
            ],
            "bpkit: error: --services @services: it is a folder, not a file; give @FILE naming a file that holds VCAP_SERVICES, or the JSON itself\n",
        ),
        (
            &[
                app.to_str().unwrap(),
                "-b",
                bp.path(),
                "--services",
                "@latin1.json",
            ],
            "bpkit: error: --services @latin1.json: it is not UTF-8 text; save it as UTF-8 JSON, or give @FILE naming a file that holds VCAP_SERVICES, or the JSON itself\n",
        ),
    ];
    for (args, expected) in cases {
        let run = stage(t).args(args).run();
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(run.stderr, expected, "{args:?}");
        assert_eq!(run.stdout, "");
    }
}

/// The longest VCAP_SERVICES Linux lets a program start with (an environment string of at
/// most 128 KiB with its name and NUL) reaches the phases whole; one byte more is refused
/// before staging, with the fix, instead of every phase failing with `Argument list too
/// long`. A file that never ends (`/dev/zero`) is read only so far.
#[test]
fn services_up_to_the_environment_limit_reach_the_phases() {
    const LIMIT: usize = (128 << 10) - "VCAP_SERVICES=".len() - 1;
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "bp")
        .script(
            "compile",
            r#"printf '%s' "${#VCAP_SERVICES}" > "$1/length""#,
        )
        .release_web("./start");
    let json = |len: usize| format!("{{\"a\":\"{}\"}}\n", "x".repeat(len - 8));
    common::buildpack::write(t, "largest.json", json(LIMIT).as_str());
    common::buildpack::write(t, "too-large.json", json(LIMIT + 1).as_str());
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .bp(bp.path())
        .args(["--services", "@largest.json"])
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        member(&out.join("droplet.tgz"), "./app/length"),
        LIMIT.to_string()
    );
    let refused = |file: &str, size: &str| {
        let run = stage(t)
            .arg(&app)
            .bp(bp.path())
            .args(["--services", &format!("@{file}")])
            .run();
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "bpkit: error: --services file {file}: {size}, more than the {LIMIT} bytes Linux lets VCAP_SERVICES hold (one environment variable); give only the services the app binds\n"
            )
        );
    };
    refused("too-large.json", &format!("{} bytes", LIMIT + 1));
    refused("/dev/zero", &format!("at least {} bytes", 2 * LIMIT));
}

/// The last line of a staging stopped at `--timeout SECS`.
fn timed_out_line(secs: u64) -> String {
    format!(
        "bpkit: error: staging timed out after {secs} s and was stopped; raise --timeout if the buildpack needs longer"
    )
}

/// Run `staging` with `--timeout SECS` and assert that it timed out: exit 1 with the timeout's
/// line last, within `bound`.
fn assert_times_out(staging: Stage, secs: u64, bound: Duration) -> Run {
    let started = Instant::now();
    let run = staging.args(["--timeout", &secs.to_string()]).run();
    let took = started.elapsed();
    assert_eq!(
        (run.code, last_line(&run.stderr)),
        (1, timed_out_line(secs).as_str()),
        "{}",
        run.stderr
    );
    assert!(took < bound, "it took {took:?}: {}", run.stderr);
    run
}

/// Stage `app` with `bp` in `t` under `--timeout SECS` ([`assert_times_out`]), and assert that
/// it left neither outputs nor its workspace (in a `TMPDIR` of its own).
fn assert_times_out_leaving_nothing(
    t: &Path,
    app: &Path,
    bp: &ShellBuildpack,
    secs: u64,
    bound: Duration,
) {
    let out = t.join("out");
    let tmp_dir = t.join("tmp");
    fs::create_dir_all(&tmp_dir).unwrap();
    let staging = stage(t)
        .env("TMPDIR", &tmp_dir)
        .arg(app)
        .bp(bp.path())
        .out(&out);
    assert_times_out(staging, secs, bound);
    assert!(
        !out.exists() || fs::read_dir(&out).unwrap().count() == 0,
        "outputs left"
    );
    assert_eq!(fs::read_dir(&tmp_dir).unwrap().count(), 0, "workspace left");
}

#[test]
fn a_staging_timeout_stops_the_phase() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let slow = ShellBuildpack::new(t, "slow")
        .script("compile", "sleep 30 & sleep 30")
        .release_web("./start");
    let run = assert_times_out(
        stage(t).arg(&app).bp(slow.path()),
        1,
        Duration::from_secs(15),
    );
    // The line alone: no phase output, no other error.
    assert_eq!(run.stderr, format!("{}\n", timed_out_line(1)));
}

/// `--timeout` is the platform's staging timeout, over the whole staging: writing the droplet
/// went on past it (here a 64 GB sparse file the buildpack left in the app, minutes of zeros
/// to compress), and the staging succeeded long after its deadline. It now stops there too,
/// with the same line, and leaves neither outputs nor its workspace.
#[test]
fn a_staging_timeout_stops_the_droplet_being_written() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", r#"truncate -s 64G "$1/sparse""#)
        .release_web("./start");
    assert_times_out_leaving_nothing(t, &app, &bp, 2, Duration::from_secs(20));
}

/// Copying the app in stops at the deadline inside a large file, not only between two files:
/// a 4 GiB file (sparse here, so the test needs no disk for it, but copied as zeros, tens of
/// seconds on a slow disk) was copied whole before the deadline was looked at again.
#[test]
fn a_staging_timeout_stops_inside_a_large_app_file() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    fs::File::create(app.join("huge.bin"))
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    let bp = compile_buildpack(t, "bp", "Bp", "x");
    assert_times_out_leaving_nothing(t, &app, &bp, 1, Duration::from_secs(5));
}

/// A staging waiting for another one that holds the same `--cache` says so once, and the wait
/// ends at the deadline with the staging's timeout line, where a blocking lock waited on past
/// `--timeout` (and Ctrl-C) for as long as the other staging took.
#[test]
fn a_wait_for_a_shared_cache_ends_at_the_deadline() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = compile_buildpack(t, "bp", "Bp", "x");
    let caches = t.join("caches");
    let cache = caches.join("cache");
    fs::create_dir_all(&cache).unwrap();
    // What a staging swapping its cache in holds: the lock on the cache folder's parent.
    let other_staging = fs::File::open(&caches).unwrap();
    other_staging.lock().unwrap();
    let staging = stage(t)
        .arg(&app)
        .bp(bp.path())
        .args(["--cache", cache.to_str().unwrap()])
        .out(t.join("out"));
    let run = assert_times_out(staging, 2, Duration::from_secs(10));
    let waiting = format!(
        "       Waiting for another `bpkit stage` using the cache {} to finish\n",
        cache.display()
    );
    assert_eq!(run.stderr.matches(&waiting).count(), 1, "{}", run.stderr);

    // Once the other staging lets go, the cache is used with no word about waiting.
    other_staging.unlock().unwrap();
    let run = stage(t)
        .arg(&app)
        .bp(bp.path())
        .args(["--cache", cache.to_str().unwrap()])
        .out(t.join("out"))
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("Waiting for another"),
        "{}",
        run.stderr
    );
}

/// A zip URL buildpack whose download outlasts `--timeout` stops at the deadline, whether
/// the server trickles the zip in or stalls mid-way (a read the server never answers is ended
/// too): the staging's line, no outputs. The download looked at the deadline only once it
/// ended, so a slow mirror kept the staging going for as long as it sent (and a stalled one
/// for the 30 s read timeout).
#[test]
fn a_staging_timeout_stops_a_zip_url_download() {
    use common::server::{Fault, Server};
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let server = Server::start();
    let zip = vec![b'z'; 1 << 20];
    server.route(
        "/slow.zip",
        zip.clone(),
        Fault::Slow {
            chunk: 1024,
            delay: Duration::from_millis(100),
        },
    );
    server.route("/stalled.zip", zip, Fault::Stall { after: 4096 });
    for path in ["/slow.zip", "/stalled.zip"] {
        let out = t.join(format!("out{}", path.replace(['/', '.'], "-")));
        let staging = stage(t)
            .env("BPKIT_READ_TIMEOUT", "30")
            .arg(&app)
            .bp(server.url(path))
            .out(&out);
        assert_times_out(staging, 2, Duration::from_secs(10));
        assert!(
            !out.exists() || fs::read_dir(&out).unwrap().count() == 0,
            "{path}: outputs left"
        );
    }
}

#[test]
fn a_timeout_past_what_the_clock_can_count_is_no_deadline() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = compile_buildpack(t, "bp", "Bp", "x");
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .bp(bp.path())
        .out(&out)
        .args(["--timeout", "18446744073709551615"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "{}\n",
            out.join("droplet.tgz").canonicalize().unwrap().display()
        )
    );
}

/// The keys of both `--json` documents, in order (README, "Local staging").
const STAGE_JSON_KEYS: [&str; 9] = [
    "success",
    "exit_code",
    "error",
    "droplet",
    "result",
    "cache",
    "detected_buildpack",
    "process_types",
    "workspace",
];

/// An output folder whose path is not UTF-8: `--json` refused it only by panicking after the
/// staging had run (serializing the droplet's path: `path contains invalid UTF-8 characters`,
/// exit 101), and the droplet path on stdout had U+FFFD for its bytes. `--json` now refuses it
/// before staging, naming the folder and the fix, as `package` and `fetch` do; without
/// `--json` the path is printed byte for byte. So is a TMPDIR such with `--keep`.
#[test]
fn an_output_folder_that_is_not_utf8_is_refused_by_json_and_printed_as_it_is() {
    use std::ffi::OsString;
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let (tmp, app) = hi_app();
    let t = fs::canonicalize(tmp.path()).unwrap();
    let bp = plain_buildpack(&t, "bp");
    let mut out = t.join("out-caf").into_os_string().into_vec();
    out.push(0xe9);
    let out = PathBuf::from(OsString::from_vec(out));

    let run = stage(&t)
        .arg(&app)
        .bp(bp.path())
        .out(&out)
        .arg("--json")
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let error = format!(
        "the output folder {} is not valid UTF-8, which a --json document cannot hold; give --out a folder whose path is UTF-8 text, or leave out --json, which prints paths as they are",
        out.display()
    );
    assert_eq!(run.stderr, format!("bpkit: error: {error}\n"));
    assert_eq!(stage_json(&run)["error"], error.as_str());
    assert!(!out.exists());

    let mut tmpdir = t.join("tmp-caf").into_os_string().into_vec();
    tmpdir.push(0xe9);
    let tmpdir = PathBuf::from(OsString::from_vec(tmpdir));
    fs::create_dir(&tmpdir).unwrap();
    let run = stage(&t)
        .arg(&app)
        .bp(bp.path())
        .out(t.join("out"))
        .env("TMPDIR", &tmpdir)
        .args(["--keep", "--json"])
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        stage_json(&run)["error"],
        format!(
            "the temporary folder {} is not valid UTF-8, which a --json document cannot hold; set TMPDIR to a folder whose path is UTF-8 text, leave out --keep, or leave out --json, which prints paths as they are",
            tmpdir.display()
        )
    );

    let output = stage(&t)
        .arg(&app)
        .bp(bp.path())
        .out(&out)
        .arg("-q")
        .command()
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let droplet = out.join("droplet.tgz");
    assert!(droplet.is_file());
    let mut expected = droplet.as_os_str().as_bytes().to_vec();
    expected.push(b'\n');
    assert_eq!(output.stdout, expected);
}

fn stage_json(run: &Run) -> Value {
    json_document(run, &STAGE_JSON_KEYS)
}

/// What a `--json` run printed: one JSON document whose keys are `keys`, in that order.
fn json_document(run: &Run, keys: &[&str]) -> Value {
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    let found: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(found, keys, "{}", run.stdout);
    report
}

#[test]
fn json_output_for_ci() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = compile_buildpack(t, "bp", "Bp", "x");
    let out = t.join("out");
    let path = |name: &str| out.join(name).to_str().unwrap().to_string();
    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(bp.path())
        .out(&out)
        .arg("--json")
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        stage_json(&run),
        serde_json::json!({
            "success": true,
            "exit_code": 0,
            "error": null,
            "droplet": path("droplet.tgz"),
            "result": path("result.json"),
            "cache": path("cache.tgz"),
            "detected_buildpack": "Bp",
            "process_types": {"web": "./start"},
            "workspace": null,
        })
    );

    // A failure after detection: the buildpack is known (its config.yml names it), the
    // droplet and the process types are not.
    let failing = ShellBuildpack::new(t, "f")
        .script(
            "supply",
            r#"printf 'name: Failing\nversion: 2.0.0\n' > "$3/$4/config.yml""#,
        )
        .script("finalize", "exit 1");
    let run = stage(t)
        .arg(&app)
        .bp(failing.path())
        .out(&out)
        .arg("--json")
        .run();
    assert_eq!(run.code, 223, "{}", run.stderr);
    assert_eq!(
        stage_json(&run),
        serde_json::json!({
            "success": false,
            "exit_code": 223,
            "error": "Failed to compile droplet: Failed to run finalize script: exit status 1",
            "droplet": null,
            "result": path("result.json"),
            "cache": null,
            "detected_buildpack": "Failing",
            "process_types": null,
            "workspace": null,
        })
    );

    // A failure before detection: nothing is known.
    let no = ShellBuildpack::new(t, "no").script("detect", "exit 1");
    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(no.path())
        .out(&out)
        .arg("--json")
        .run();
    assert_eq!(run.code, 222, "{}", run.stderr);
    assert_eq!(
        stage_json(&run),
        serde_json::json!({
            "success": false,
            "exit_code": 222,
            "error": "None of the buildpacks detected a compatible application",
            "droplet": null,
            "result": null,
            "cache": null,
            "detected_buildpack": null,
            "process_types": null,
            "workspace": null,
        })
    );
}

#[test]
fn an_interrupted_staging_stops_its_phase_and_writes_nothing() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let pidfile = t.join("pid");
    let slow = ShellBuildpack::new(t, "slow")
        .script(
            "compile",
            &format!("sleep 1000 & echo $! > {}; wait", pidfile.display()),
        )
        .release_web("./start");
    let out = t.join("out");
    fs::create_dir_all(&out).unwrap();
    // What a staging killed while writing would have left behind.
    fs::write(out.join(".droplet.tgz.x1Yz.part"), "half").unwrap();
    let child = spawn_for_signal(&stage(t).arg(&app).bp(slow.path()).out(&out).command());
    let pid: u32 = wait_for_file(&pidfile).trim().parse().unwrap();
    let stopped = signal_and_wait(child, "-INT", "bpkit stage");
    assert_eq!(stopped.code, 130);
    assert_eq!(
        stopped.stderr,
        "bpkit: error: staging was interrupted; nothing was written to the output folder\n"
    );
    assert!(
        common::process::gone_soon(pid),
        "the phase's background process {pid} survived"
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
}

/// Ctrl-C while a zip URL buildpack downloads from a server that went silent: the blocked
/// read is ended at once (exit 130, the staging's line), where it waited out the 30 s read
/// timeout.
#[test]
fn an_interrupt_ends_a_stalled_zip_url_download() {
    use common::server::{Fault, Server};
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let server = Server::start();
    server.route(
        "/stalled.zip",
        vec![b'z'; 1 << 20],
        Fault::Stall { after: 4096 },
    );
    let out = t.join("out");
    let child = spawn_for_signal(
        &stage(t)
            .env("BPKIT_READ_TIMEOUT", "30")
            .arg(&app)
            .bp(server.url("/stalled.zip"))
            .out(&out)
            .command(),
    );
    let started = Instant::now();
    while server.hits("/stalled.zip") == 0 {
        assert!(started.elapsed() < Duration::from_secs(20), "no download");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Into the stall: the first 4 KiB are in.
    std::thread::sleep(Duration::from_millis(300));
    let signalled = Instant::now();
    let stopped = signal_and_wait(child, "-INT", "bpkit stage");
    let took = signalled.elapsed();
    assert_eq!(
        (stopped.code, stopped.stderr.as_str()),
        (
            130,
            "bpkit: error: staging was interrupted; nothing was written to the output folder\n"
        )
    );
    assert!(took < Duration::from_secs(5), "took {took:?} to stop");
}

/// Ctrl-C while the droplet is being compressed (no phase running) stops the staging too: it
/// used to be caught and ignored, so the staging finished and exited 0 after the user asked it
/// to stop. Now: exit 130, no output left (not even result.json), the workspace removed.
#[test]
fn an_interrupt_while_the_droplet_is_written_stops_the_staging() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    // Incompressible, so that compressing it takes a while (a second or so), long enough for
    // the signal to arrive while the droplet is written.
    fs::write(app.join("blob"), common::server::payload(48 << 20)).unwrap();
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    let tmp_dir = t.join("tmp");
    fs::create_dir_all(&tmp_dir).unwrap();
    let staging = stage(t).env("TMPDIR", &tmp_dir).arg(&app).bp(bp.path());
    let mut child = spawn_for_signal(&staging.out(&out).command());
    let writing = |out: &Path| {
        fs::read_dir(out).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(".droplet.tgz."))
        })
    };
    let started = std::time::Instant::now();
    while !writing(&out) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "bpkit stage ended before the droplet was being written"
        );
        assert!(started.elapsed() < Duration::from_secs(60), "no droplet");
        std::thread::sleep(Duration::from_millis(2));
    }
    let stopped = signal_and_wait(child, "-INT", "bpkit stage");
    // Before it, the builder's line about the missing config.yml (a compile-only buildpack).
    assert_eq!(
        (stopped.code, stopped.stderr.lines().last()),
        (
            130,
            Some("bpkit: error: staging was interrupted; nothing was written to the output folder")
        ),
        "{}",
        stopped.stderr
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
    assert_eq!(fs::read_dir(&tmp_dir).unwrap().count(), 0, "workspace left");
}

/// A staging killed outright (SIGKILL, or a second Ctrl-C, which exits at once) cannot remove
/// its workspace, a copy of the app and every dependency. The next staging removes it: its
/// lock is free. A workspace kept with `--keep` stays, and so does the next one's.
#[test]
fn a_killed_stagings_workspace_is_removed_by_the_next_one() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let tmp_dir = t.join("tmp");
    fs::create_dir_all(&tmp_dir).unwrap();
    let staging = || stage(t).env("TMPDIR", &tmp_dir).arg(&app).bp(bp.path());
    let kept = staging().arg("--keep").out(t.join("out")).run();
    assert_eq!(kept.code, 0);
    let kept: Vec<PathBuf> = fs::read_dir(&tmp_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    // What a killed staging leaves: its workspace, with its (now unlocked) lock file.
    let killed = tmp_dir.join("bpkit-stage-Kil1ed");
    fs::create_dir_all(killed.join("app")).unwrap();
    fs::write(killed.join("app/blob"), "half a copy").unwrap();
    fs::write(killed.join(".lock"), "").unwrap();
    let run = staging().out(t.join("out")).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let left: Vec<PathBuf> = fs::read_dir(&tmp_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(left, kept);
}

/// A supply buildpack writing `config.yml` (name `name`) and, when given, `launch.yml` at
/// `DEPS_DIR/<launch_index>` (`$4`, its own padded index, unless another is given).
fn launch_supply(t: &Path, dir: &str, name: &str, launch: Option<(&str, &str)>) -> ShellBuildpack {
    let mut body = format!(
        "printf 'name: {name}\\nversion: 0.1.0\\n' > \"$3/$4/config.yml\"\nbasename \"$2\" > \"$1/cache-of-{dir}\"\n"
    );
    if let Some((index, yaml)) = launch {
        let _ = write!(
            body,
            "mkdir -p \"$3/{index}\"\ncat > \"$3/{index}/launch.yml\" <<'YAML'\n{yaml}YAML\n"
        );
    }
    ShellBuildpack::new(t, dir).script("supply", &body)
}

/// Issue 6: process types merged as the builder merges them (supply buildpacks' launch.yml,
/// then release, then the Procfile, each replacing a type in place), sidecars recorded in
/// result.json only, the final buildpack's `config.entrypoint_prefix` carried through
/// staging_info.yml to the launcher, and what `bpkit run` starts for each type.
#[test]
fn launch_yml_release_procfile_sidecars_and_entrypoint_prefix_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = app(
        t,
        &[(
            "Procfile",
            "clock: echo clock from procfile, entry=$BPKIT_ENTRY\n",
        )],
    );
    let (first, second, last) = launch_buildpacks(t);
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .bp(first.path())
        .bp(second.path())
        .bp(last.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);

    // result.json, byte for byte: types sorted; processes in merge order (web and worker
    // replaced in place, clock appended by release, then replaced by the Procfile); the
    // sidecar only under sidecars.
    let expected = format!(
        concat!(
            r#"{{"lifecycle_metadata":{{"buildpack_key":"{last}","detected_buildpack":"Last","buildpacks":["#,
            r#"{{"key":"{first}","name":"First","version":"0.1.0"}},"#,
            r#"{{"key":"{second}","name":"Second","version":"0.1.0"}},"#,
            r#"{{"key":"{last}","name":"Last","version":"1.2.3"}}]}},"#,
            r#""process_types":{{"clock":"echo clock from procfile, entry=$BPKIT_ENTRY","web":"echo web from release, entry=$BPKIT_ENTRY","worker":"echo worker from second, entry=$BPKIT_ENTRY"}},"#,
            r#""processes":[{{"type":"web","command":"echo web from release, entry=$BPKIT_ENTRY"}},"#,
            r#"{{"type":"worker","command":"echo worker from second, entry=$BPKIT_ENTRY"}},"#,
            r#"{{"type":"clock","command":"echo clock from procfile, entry=$BPKIT_ENTRY"}}],"#,
            r#""sidecars":[{{"name":"logger","process_types":["web","worker"],"command":"echo sidecar"}}],"#,
            r#""execution_metadata":"","lifecycle_type":"buildpack"}}"#,
            "\n"
        ),
        first = first.path(),
        second = second.path(),
        last = last.path(),
    );
    assert_eq!(
        fs::read_to_string(out.join("result.json")).unwrap(),
        expected
    );
    assert_eq!(
        member(&out.join("droplet.tgz"), "./staging_info.yml"),
        concat!(
            r#"{"detected_buildpack":"Last","start_command":"echo web from release, entry=$BPKIT_ENTRY","#,
            r#""config":{"entrypoint_prefix":"env BPKIT_ENTRY=prefixed bash -c"}}"#,
            "\n"
        )
    );

    // What the launcher starts: each type's command, through the buildpack's entrypoint.
    assert_launches(
        t,
        &out,
        &[
            ("web", "web from release, entry=prefixed"),
            ("worker", "worker from second, entry=prefixed"),
            ("clock", "clock from procfile, entry=prefixed"),
        ],
    );
    // A sidecar is not a process type the launcher can start.
    let sidecar = run_on_free_port(t, &out, &["--process", "logger"]);
    assert_eq!(sidecar.code, 1);
    assert_eq!(
        sidecar.stderr,
        format!(
            "bpkit: error: {}: no process type `logger` (staging recorded: clock, web, worker); choose one with --process\n",
            out.join("result.json").display()
        )
    );
}

/// `bpkit run OUT --process P` for each `(P, line)`: exits 0 and the app printed `line`.
fn assert_launches(t: &Path, out: &Path, expected: &[(&str, &str)]) {
    for (process, said) in expected {
        let launched = run_on_free_port(t, out, &["--process", process]);
        assert_eq!(launched.code, 0, "{process}: {}", launched.stderr);
        assert!(
            launched.stderr.contains(&format!("\n{said}\n")),
            "{process}: {}",
            launched.stderr
        );
    }
}

/// Two supply buildpacks with launch.yml (the first with a sidecar) and a final buildpack
/// whose config.yml sets `entrypoint_prefix` and whose release gives web and clock.
fn launch_buildpacks(t: &Path) -> (ShellBuildpack, ShellBuildpack, ShellBuildpack) {
    let first = launch_supply(
        t,
        "first",
        "First",
        Some((
            "$4",
            "processes:\n- type: web\n  command: echo web from first\n- type: worker\n  command: echo worker from first\n- type: logger\n  command: echo sidecar\n  platforms:\n    cloudfoundry:\n      sidecar_for: [web, worker]\n",
        )),
    );
    let second = launch_supply(
        t,
        "second",
        "Second",
        Some((
            "$4",
            "processes:\n- type: worker\n  command: echo worker from second, entry=$BPKIT_ENTRY\n",
        )),
    );
    let last = ShellBuildpack::new(t, "last")
        .script("supply", "true")
        .script(
            "finalize",
            "cat > \"$3/$4/config.yml\" <<'YAML'\nname: Last\nversion: 1.2.3\nconfig:\n  entrypoint_prefix: env BPKIT_ENTRY=prefixed bash -c\nYAML",
        )
        .script(
            "release",
            "cat <<'YAML'\n---\ndefault_process_types:\n  web: echo web from release, entry=$BPKIT_ENTRY\n  clock: echo clock from release\nYAML",
        );
    (first, second, last)
}

/// Issue 6: eleven buildpacks, so deps folders are padded (`00`…`10`). Supply buildpacks'
/// launch.yml is read at the unpadded index (`DEPS_DIR/1`, not `01`: the builder's quirk); the
/// final buildpack, from a git URL pinned to a tag (`#pinned`, behind later commits on the
/// branch), has a launch.yml at `DEPS_DIR/10` that replaces
/// `bin/release` altogether (which would fail if run); each supply buildpack's cache folder is
/// the xxhash64 of its key, the final one's `final`.
#[test]
fn padded_indexes_a_tag_pinned_git_buildpack_and_its_launch_yml_replacing_release() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let supply = ten_supply_buildpacks(t);
    let final_key = tag_pinned_final_buildpack(t);
    let out = t.join("out");
    let run = supply
        .iter()
        .fold(stage(t).arg(&app), |staging, bp| staging.bp(bp.path()))
        .bp(&final_key)
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("must not run"), "{}", run.stderr);

    let droplet = out.join("droplet.tgz");
    assert_eq!(member(&droplet, "./app/final-index"), "10\n");
    let result = result_json(&out);
    assert_eq!(
        result["process_types"],
        serde_json::json!({
            "web": "echo web from final launch.yml",
            "worker": "echo worker from unpadded 1",
        })
    );
    assert_eq!(
        result["lifecycle_metadata"]["buildpack_key"],
        final_key.as_str()
    );
    let keys: Vec<&str> = result["lifecycle_metadata"]["buildpacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["key"].as_str().unwrap())
        .collect();
    let mut expected_keys: Vec<&str> = supply.iter().map(ShellBuildpack::path).collect();
    expected_keys.push(&final_key);
    assert_eq!(keys, expected_keys);
    assert_eq!(
        member(&droplet, "./staging_info.yml"),
        "{\"detected_buildpack\":\"\",\"start_command\":\"echo web from final launch.yml\"}\n"
    );
    let listed = listing(&droplet);
    for i in 0..=10 {
        assert!(
            listed.contains(&format!("./deps/{i:02}/")),
            "no ./deps/{i:02}/ in {listed:?}"
        );
    }

    // Cache folders: the builder's names, as the buildpacks saw them and as cache.tgz holds them.
    let cache = listing(&out.join("cache.tgz"));
    for (i, bp) in supply.iter().enumerate() {
        let name = bpkit::stager::layout::supply_cache_name(bp.path());
        assert_eq!(name.len(), 16);
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(
            member(&droplet, &format!("./app/cache-of-s{i:02}")),
            format!("{name}\n")
        );
        assert!(
            cache.contains(&format!("./{name}/")),
            "{name} not in {cache:?}"
        );
    }
    assert_eq!(member(&droplet, "./app/cache-of-final"), "final\n");
    assert!(cache.contains(&"./final/".to_string()), "{cache:?}");

    // What the launcher starts.
    assert_launches(
        t,
        &out,
        &[
            ("web", "web from final launch.yml"),
            ("worker", "worker from unpadded 1"),
        ],
    );
}

/// Ten supply buildpacks: the first writes launch.yml in its own padded folder (`00`, never
/// read), the second in the unpadded `1` (read), the others none.
fn ten_supply_buildpacks(t: &Path) -> Vec<ShellBuildpack> {
    let mut supply = vec![
        // Its own (padded) folder, 00: never read for launch.yml.
        launch_supply(
            t,
            "s00",
            "S00",
            Some(("$4", "processes:\n- type: ignored\n  command: echo never\n")),
        ),
        // The unpadded folder, 1: read.
        launch_supply(
            t,
            "s01",
            "S01",
            Some((
                "1",
                "processes:\n- type: worker\n  command: echo worker from unpadded 1\n- type: web\n  command: echo web from supply\n",
            )),
        ),
    ];
    for i in 2..10 {
        supply.push(launch_supply(
            t,
            &format!("s{i:02}"),
            &format!("S{i:02}"),
            None,
        ));
    }
    supply
}

/// The final buildpack in a git repository, as `file://…#pinned`, a tag on a commit behind the
/// branch head. At that tag its supply writes launch.yml (and its padded index) and its release
/// fails; at the head its supply fails.
fn tag_pinned_final_buildpack(t: &Path) -> String {
    let repo = t.join("final-repo");
    let pinned = ShellBuildpack::new(t, "final-repo")
        .script(
            "supply",
            "cat > \"$3/$4/launch.yml\" <<'YAML'\nprocesses:\n- type: web\n  command: echo web from final launch.yml\nYAML\necho \"$4\" > \"$1/final-index\"",
        )
        .script("finalize", "basename \"$2\" > \"$1/cache-of-final\"")
        .script("release", "echo 'release must not run' >&2; exit 1");
    init_and_commit(&repo, "pinned");
    git(&repo, &["tag", "pinned"]);
    pinned.script(
        "supply",
        "echo 'the branch head, not the pinned tag' >&2; exit 1",
    );
    git(&repo, &["commit", "-qam", "later"]);
    format!("file://{}#pinned", repo.display())
}

/// `bpkit run DIR` with DIR relative to the working directory: the app starts in DIR/app with
/// HOME, TMPDIR and DEPS_DIR as absolute paths. They were DIR's relative paths, wrong once the
/// app runs in DIR/app, and the launcher's own `cd` failed with "No such file or directory".
#[test]
fn an_unpacked_droplet_named_by_a_relative_path_runs_in_its_app_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::create_dir_all(t.join("dr/app")).unwrap();
    fs::write(
        t.join("dr/staging_info.yml"),
        r#"{"start_command": "echo PWD=$(pwd) HOME=$HOME TMPDIR=$TMPDIR DEPS_DIR=$DEPS_DIR"}"#,
    )
    .unwrap();
    let run = run_droplet(t, &["dr", "--port", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let root = t.join("dr");
    let root = root.display();
    assert!(!run.stderr.contains("No such file"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "PWD={root}/app HOME={root}/app TMPDIR={root}/tmp DEPS_DIR={root}/deps\n"
        )),
        "{}",
        run.stderr
    );
}

/// A droplet whose staging_info.yml cannot be read (here a folder): the launcher's words with
/// the file and the droplet named, not the raw `Invalid staging info - Is a directory (os
/// error 21)`.
#[test]
fn an_unreadable_staging_info_names_the_file_and_the_droplet() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::create_dir_all(t.join("dr/app")).unwrap();
    fs::create_dir_all(t.join("dr/staging_info.yml")).unwrap();
    let run = run_droplet(t, &["dr", "--port", "0"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "bpkit: error: Invalid staging info - read staging_info.yml: is a directory (in the droplet dr); give a droplet made by `bpkit stage` or downloaded from the platform\n"
    );
    // A fifo blocked the open for ever (SIGTERM and Ctrl-C included), and a link to /dev/zero
    // (which a crafted droplet.tgz can hold) read until memory ran out: both said at once.
    fs::remove_dir(t.join("dr/staging_info.yml")).unwrap();
    let status = Command::new("mkfifo")
        .arg(t.join("dr/staging_info.yml"))
        .status()
        .unwrap();
    assert!(status.success());
    let run = run_droplet(t, &["dr", "--port", "0"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "bpkit: error: Invalid staging info - read staging_info.yml: it is a fifo, not a file (in the droplet dr); give a droplet made by `bpkit stage` or downloaded from the platform\n"
        )
    );
    fs::remove_file(t.join("dr/staging_info.yml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", t.join("dr/staging_info.yml")).unwrap();
    let run = run_droplet(t, &["dr", "--port", "0"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "bpkit: error: Invalid staging info - read staging_info.yml: it is a character device, not a file (in the droplet dr); give a droplet made by `bpkit stage` or downloaded from the platform\n"
        )
    );
}

/// `--cache` naming the outputs folder (or a folder holding it) is refused before staging:
/// saving the cache replaces its folder whole, so the droplet bpkit had just printed the path
/// of was gone. A cache inside the outputs folder is fine.
#[test]
fn outputs_inside_the_cache_folder_are_refused() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    for (out, cache) in [("o", "o"), ("c/o", "c"), ("d/./o", "d/o/..")] {
        let run = stage(t)
            .arg(&app)
            .bp(bp.path())
            .out(out)
            .args(["--cache", cache])
            .run();
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stdout, "");
        let resolved = t.join(out.replace("./", ""));
        assert_eq!(
            run.stderr,
            format!(
                "bpkit: error: --cache {cache}: the outputs go to {}, which is that folder or inside it, and saving the cache replaces the folder whole (the droplet would go with it); give --cache and --out separate folders\n",
                resolved.display()
            )
        );
    }
    let run = stage(t)
        .arg(&app)
        .bp(bp.path())
        .out("p")
        .args(["--cache", "p/cache"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(t.join("p/droplet.tgz").is_file());
    assert!(t.join("p/cache/final").is_dir());
}

/// SIGKILL while `--cache` is being swapped (the new cache half copied beside the old one)
/// leaves the old cache as it was, and the next staging, with no clean-up by hand, starts from
/// that old cache (not from the killed run's half copy), succeeds and leaves no sibling of the
/// cache folder behind (stager.md: a failed staging never leaves a half-updated cache).
#[test]
fn a_staging_killed_while_its_cache_is_swapped_leaves_the_old_cache() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    // Many small files, so that copying the cache takes long enough to be caught at it.
    let bp = ShellBuildpack::new(t, "bp")
        .script(
            "compile",
            r#"n=$(cat "$2/count" 2>/dev/null || echo 0); echo $((n + 1)) > "$2/count"; mkdir -p "$2/many"; (cd "$2/many" && seq 1 10000 | xargs touch); echo "-----> compile run $((n + 1))""#,
        )
        .release_web("./start");
    let cache = t.join("cache");
    let out = t.join("out");
    let staging = || {
        stage(t)
            .arg(&app)
            .bp(bp.path())
            .args(["--cache", cache.to_str().unwrap()])
            .out(&out)
    };
    let first = staging().run();
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(
        fs::read_to_string(cache.join("final/count")).unwrap(),
        "1\n"
    );

    let siblings = || -> Vec<String> {
        fs::read_dir(t)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".cache."))
            .collect()
    };
    let mut child = staging()
        .command()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let caught = loop {
        if siblings()
            .iter()
            .any(|name| name.starts_with(".cache.new-"))
        {
            child.kill().unwrap(); // SIGKILL: no clean-up of any kind
            child.wait().unwrap();
            break true;
        }
        if child.try_wait().unwrap().is_some() {
            break false;
        }
        assert!(
            started.elapsed() < LIMIT,
            "the staging never swapped its cache"
        );
        std::thread::sleep(Duration::from_millis(1));
    };
    assert!(caught, "the staging finished before it could be killed");
    // The old cache is whole: the killed run's count never reached it.
    assert_eq!(
        fs::read_to_string(cache.join("final/count")).unwrap(),
        "1\n"
    );

    let rerun = staging().run();
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    assert!(
        rerun.stderr.contains("-----> compile run 2"),
        "{}",
        rerun.stderr
    );
    assert_eq!(
        siblings(),
        Vec::<String>::new(),
        "the killed swap's leftovers"
    );
    assert_eq!(
        fs::read_to_string(cache.join("final/count")).unwrap(),
        "2\n"
    );
    assert_eq!(
        fs::read_dir(cache.join("final/many")).unwrap().count(),
        10000
    );
}

/// A folder where an output goes (`--out` given a folder that holds a `droplet.tgz/`): it
/// is left alone, and the line says so and what to do, where it said only `cannot remove the
/// old …/droplet.tgz: Is a directory (os error 21)`.
#[test]
fn a_folder_where_an_output_goes_is_left_alone_and_named() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    for name in ["droplet.tgz", "result.json", "cache.tgz"] {
        let _ = fs::remove_dir_all(&out);
        fs::create_dir_all(out.join(name).join("mine")).unwrap();
        let run = stage_into(t, &app, bp.path(), &out);
        let path = fs::canonicalize(&out).unwrap().join(name);
        run.assert_last_line(
            1,
            &format!(
                "bpkit: error: {} is a folder, where staging writes its {name}; bpkit replaces only the files it writes and leaves folders alone: move that folder away, or give another --out",
                path.display()
            ),
        );
        assert!(path.join("mine").is_dir());
    }
}

/// An outputs folder that cannot be created names it, the OS reason and the fix (it once said
/// only `cannot create …: Permission denied (os error 13)`). Root (or any process with
/// CAP_DAC_OVERRIDE) writes through `chmod 0555`, so there the case cannot be made and is
/// skipped, saying why.
#[test]
fn an_out_folder_that_cannot_be_created_names_it_and_the_fix() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = compile_buildpack(t, "bp", "Bp", "x");
    let locked = t.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::write(locked.join("probe"), "x").is_ok() {
        eprintln!("skipped: this process writes through chmod 0555 (running as root)");
        return;
    }
    let run = stage(t)
        .arg(&app)
        .bp(bp.path())
        .arg("--out")
        .arg(locked.join("out"))
        .run();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: cannot create the outputs folder {}: Permission denied (os error 13); give --out a folder this user can write to\n",
                locked.join("out").display()
            )
            .as_str()
        )
    );
}

#[test]
fn run_given_the_app_folder_names_the_droplet_stage_made_of_it() {
    // `bpkit stage app -b BP` then `bpkit run app`: the app folder is not a droplet, and the
    // error names the one `bpkit stage` wrote (the default --out, ./.bpkit/stage/<app>).
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let staged = stage(t).arg(&app).bp(bp.path()).run();
    assert_eq!(staged.code, 0, "{}", staged.stderr);
    let droplet = fs::canonicalize(t)
        .unwrap()
        .join(".bpkit/stage/app/droplet.tgz");
    assert_eq!(staged.stdout.trim_end(), droplet.to_str().unwrap());

    let run = run_droplet(t, &["app"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "bpkit: error: app is an app folder, not a droplet; `bpkit stage` made its droplet, so run `bpkit run {}`\n",
            droplet.display()
        )
    );

    // The output folder of a staging that failed (its droplet removed, result.json written)
    // says so, even when an app of the same name was staged elsewhere.
    let failing = ShellBuildpack::new(t, "failing")
        .script("compile", "exit 9")
        .release_web("./start");
    let staged = stage(t).arg(&app).bp(failing.path()).run();
    assert_eq!(staged.code, 223, "{}", staged.stderr);
    let run = run_droplet(t, &[".bpkit/stage/app"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "bpkit: error: .bpkit/stage/app holds no droplet.tgz: the last `bpkit stage` into it failed (only its result.json is there); fix what its log said and stage again\n"
        )
    );

    // A folder never staged keeps the plain message.
    fs::create_dir(t.join("other")).unwrap();
    let run = run_droplet(t, &["other"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("other holds neither droplet.tgz nor an app/ folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_mistyped_buildpack_argument_leaves_the_previous_outputs_alone() {
    // `bpkit stage app -b bp` then `-b bq` by mistake: the second command line is refused
    // before the outputs folder is touched, as a missing app folder or a bad `-e` is, so the
    // droplet of the first staging is still there for `bpkit run` (and the refusal does not
    // turn into `holds neither droplet.tgz nor an app/ folder` when it is run).
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let staged = stage(t).arg(&app).bp(bp.path()).run();
    assert_eq!(staged.code, 0, "{}", staged.stderr);
    let out = fs::canonicalize(t).unwrap().join(".bpkit/stage/app");
    for (argument, error) in [
        (
            "bq",
            "-b bq: no such file or folder; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)",
        ),
        (
            "https://example.invalid/bp.git#--orphan=x",
            "the git ref `--orphan=x` starts with `-`",
        ),
    ] {
        let refused = stage(t).arg(&app).bp(argument).run();
        assert_eq!(refused.code, 1, "{}", refused.stderr);
        assert!(refused.stderr.contains(error), "{}", refused.stderr);
        for output in ["droplet.tgz", "result.json", "cache.tgz"] {
            assert!(
                out.join(output).is_file(),
                "-b {argument} removed {output}: {}",
                refused.stderr
            );
        }
    }
    let run = run_droplet(t, &[".bpkit/stage/app", "-c", "true"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn stage_and_package_take_each_others_output_flag() {
    // `bpkit package --output-dir` and `bpkit stage --out` name the same thing; each command
    // takes the other's spelling too, so an operator's muscle memory works in both.
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let staged = stage(t)
        .arg(&app)
        .bp(bp.path())
        .args(["--output-dir", "staged"])
        .run();
    assert_eq!(staged.code, 0, "{}", staged.stderr);
    assert!(t.join("staged/droplet.tgz").is_file());

    fs::write(t.join("bp/manifest.yml"), "language: plain\n").unwrap();
    fs::write(t.join("bp/VERSION"), "1.0.0\n").unwrap();
    let mut package = bpkit();
    package
        .current_dir(t)
        .args(["-q", "package", "bp", "--out", "zips"]);
    let packaged = run_within(&mut package, LIMIT);
    assert_eq!(packaged.code, 0, "{}", packaged.stderr);
    assert_eq!(
        packaged.stdout.trim_end(),
        fs::canonicalize(t)
            .unwrap()
            .join("zips/plain_buildpack-v1.0.0.zip")
            .to_str()
            .unwrap()
    );
}

/// A `-b` zip that is not one is named by its own name in the extractor's words too (they
/// said `archive buildpack.zip`, a name the user never wrote), whatever the name ends with.
#[test]
fn a_corrupt_buildpack_zip_is_named_as_given() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    std::fs::write(t.join("broken.zip"), "not a zip").unwrap();
    let run = stage(t).arg(&app).bp("broken.zip").run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        last_line(&run.stderr),
        format!(
            "Failed to extract buildpack '{}': archive broken.zip: cannot read it as a zip archive; it is truncated, corrupt or of another kind",
            std::fs::canonicalize(t)
                .unwrap()
                .join("broken.zip")
                .display()
        )
    );
    // Downloaded, it is named by the URL's last segment, not by the hashed name of the
    // download in the workspace (`archive 312fa5…cee2.zip`).
    let url = format!("file://{}/broken.zip", t.display());
    let run = stage(t).arg(&app).bp(&url).run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        last_line(&run.stderr),
        format!(
            "Failed to extract buildpack '{url}': archive broken.zip: cannot read it as a zip archive; it is truncated, corrupt or of another kind"
        )
    );
    // A file whose name does not end in .zip was still called `buildpack.zip`.
    std::fs::write(t.join("bp.tgz"), "a tarball").unwrap();
    let run = stage(t).arg(&app).bp("bp.tgz").run();
    assert_eq!(
        last_line(&run.stderr),
        format!(
            "Failed to extract buildpack '{}': archive bp.tgz: cannot read it as a zip archive; it is truncated, corrupt or of another kind",
            std::fs::canonicalize(t).unwrap().join("bp.tgz").display()
        )
    );
    // And a zip by another name is unzipped, as the builder unzips whatever -b names.
    let zip = common::zipball::Zipball::new()
        .file("bin/compile", 0o755, "#!/bin/sh\n")
        .file(
            "bin/release",
            0o755,
            "#!/bin/sh\necho 'default_process_types: {web: ./start}'\n",
        )
        .bytes();
    std::fs::write(t.join("bp.bin"), zip).unwrap();
    let run = stage(t).arg(&app).bp("bp.bin").out("out").run();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Peak memory a staging may use while a phase floods its output: the whole of bpkit stays
/// near 20 MB in a debug build, where the flood below held 300 MB or more.
const FLOOD_MEMORY_KIB: u64 = 96 * 1024;

/// `bpkit stage` in `cwd` with `args`, stderr to `stderr`: the run and its peak memory.
fn stage_measuring_memory(cwd: &Path, args: &[&OsStr], stderr: Stdio) -> (Run, u64) {
    let command = stage(cwd).args(args).command();
    let (run, peak) = common::timed::run_within_measuring_memory(&command, LIMIT, stderr);
    let peak = peak.unwrap_or_else(|| {
        eprintln!("peak memory not checked: python3 is not installed to measure it");
        0
    });
    (run, peak)
}

/// A release printing endlessly (`yes`): its stdout was read whole into memory (300 MB took
/// 85 s and 600 MB), and endless output ran until the staging deadline. Past 4 MiB it is now
/// stopped and the staging fails as a failed release does (224), naming the buildpack, the
/// phase and the limit.
#[test]
fn a_release_printing_endlessly_is_stopped_at_the_capture_limit() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "yes")
        .script("compile", "true")
        .script("release", "yes");
    let out = t.join("out");
    let started = Instant::now();
    let (run, peak_kib) = stage_measuring_memory(
        t,
        &[
            app.as_os_str(),
            "-b".as_ref(),
            bp.path().as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
        Stdio::piped(),
    );
    run.assert_last_line(
        224,
        &format!(
            "Failed to build droplet release: bin/release of buildpack {} printed more than 4 MiB on stdout and was stopped; release prints only its YAML (default_process_types), so send anything else to stderr",
            fs::canonicalize(bp.path()).unwrap().display()
        ),
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert!(peak_kib < FLOOD_MEMORY_KIB, "peak {peak_kib} KiB");
    assert_eq!(run.stdout, "");
    assert!(!out.join("droplet.tgz").exists());
}

/// A detect printing endlessly does not match (as a failing detect does), with a warning
/// naming it, and the next buildpack is tried.
#[test]
fn a_detect_printing_endlessly_is_stopped_and_does_not_match() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let flood = ShellBuildpack::new(t, "flood")
        .script("detect", "yes")
        .script("compile", "exit 9");
    let next = compile_buildpack(t, "next", "Next", "next");
    let out = t.join("out");
    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(flood.path())
        .bp(next.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "       **WARNING** bin/detect of buildpack {} printed more than 4 MiB on stdout and was stopped, so it did not detect the app; detect prints only the buildpack's name, so send anything else to stderr\n",
            fs::canonicalize(flood.path()).unwrap().display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(member(&out.join("droplet.tgz"), "./app/compiled"), "next\n");

    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(flood.path())
        .out(&out)
        .run();
    run.assert_last_line(
        222,
        "None of the buildpacks detected a compatible application",
    );
}

/// Output without line breaks was held until a line break came: 300 MB of zeros on a
/// compile's stdout took 300 MB of memory on their way to the log. They now pass in pieces.
#[test]
fn a_phase_printing_without_line_breaks_is_logged_in_bounded_memory() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "zeros")
        .script("compile", "head -c 200000000 /dev/zero")
        .release_web("./start");
    let out = t.join("out");
    let (run, peak_kib) = stage_measuring_memory(
        t,
        &[
            app.as_os_str(),
            "-b".as_ref(),
            bp.path().as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
        Stdio::null(),
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!("{}\n", out.join("droplet.tgz").display())
    );
    assert!(peak_kib < FLOOD_MEMORY_KIB, "peak {peak_kib} KiB");
}

/// `bpkit run out/cache.tgz` (the build cache, one tab away from droplet.tgz) unpacked it,
/// created an empty `app/` and ran the web command from the `result.json` beside it, which
/// failed with `bash: ./start: No such file or directory` (exit 127); any tarball ran so. A
/// tarball without `app/` is now refused as no droplet, naming the build cache for what it is.
#[test]
fn run_refuses_a_tarball_without_an_app_folder() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    stage_into(t, &app, bp.path(), &out).assert_code(0);
    let run = run_droplet(t, &["out/cache.tgz"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "bpkit: error: out/cache.tgz holds no app/ folder, so it is not a droplet (cache.tgz is the build cache `bpkit stage` writes beside droplet.tgz); give a droplet.tgz made by `bpkit stage` or downloaded from the platform\n"
        )
    );
    fs::write(
        t.join("sources.tgz"),
        common::tarball::Tarball::new()
            .file("./README.md", 0o644, "hi\n")
            .tgz(),
    )
    .unwrap();
    let run = run_droplet(t, &["sources.tgz", "-c", "echo ran"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "bpkit: error: sources.tgz holds no app/ folder, so it is not a droplet; give a droplet.tgz made by `bpkit stage` or downloaded from the platform\n"
        )
    );
    // A droplet with `app/` and nothing else still runs a given command.
    fs::write(
        t.join("bare.tgz"),
        common::tarball::Tarball::new().dir("./app/").tgz(),
    )
    .unwrap();
    let run = run_droplet(t, &["bare.tgz", "-c", "echo ran"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("\nran\n"), "{}", run.stderr);
}

/// A read-only file (0444, as Go's module cache and many checkouts hold them) failed every
/// staging for a user other than root, as `cannot copy the app from APP: Permission denied (os
/// error 13)` naming no file: the copy got the file's mode, then was opened for writing to set
/// its time. The same held for a read-only file a buildpack kept in its cache, when `--cache`
/// was saved and restored. Both copy now, modes and times kept.
#[test]
fn read_only_files_in_the_app_and_the_cache_are_copied() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    fs::write(app.join("vendored.go"), "package x\n").unwrap();
    fs::set_permissions(app.join("vendored.go"), fs::Permissions::from_mode(0o444)).unwrap();
    let bp = ShellBuildpack::new(t, "bp")
        .script(
            "compile",
            r#"if [ -e "$2/mod.go" ]; then echo "cached $(stat -c %a "$2/mod.go")"; fi
rm -f "$2/mod.go"; echo module > "$2/mod.go"; chmod 0444 "$2/mod.go""#,
        )
        .release_web("./start");
    let out = t.join("out");
    let args = [
        app.as_os_str(),
        "-b".as_ref(),
        bp.path().as_ref(),
        "--cache".as_ref(),
        "cache".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    for expected in ["", "cached 444\n"] {
        // As a user the modes apply to, where there is one: root passed before the fix too.
        let run = stage_without_root(t, &args).unwrap_or_else(|| stage(t).args(args).run());
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.starts_with(expected), "{}", run.stderr);
        let listing = Command::new("tar")
            .arg("-tvzf")
            .arg(out.join("droplet.tgz"))
            .output()
            .unwrap();
        let listing = String::from_utf8(listing.stdout).unwrap();
        assert!(
            listing
                .lines()
                .any(|l| l.starts_with("-r--r--r-- ") && l.ends_with(" ./app/vendored.go")),
            "{listing}"
        );
    }
    let cached = fs::metadata(t.join("cache/final/mod.go")).unwrap();
    assert_eq!(cached.permissions().mode() & 0o777, 0o444);
}

/// The droplet's entries are owned by `vcap` (uid and gid 2000, by name and number), as the
/// builder's `tar`, run as that user, records them, whoever staged it: a droplet root unpacks
/// elsewhere (into an image) is owned by the app's user, as on the platform. They were the
/// staging user's (0/0 as root).
#[test]
fn droplet_entries_are_owned_by_vcap_as_the_builder_writes_them() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for archive in ["droplet.tgz", "cache.tgz"] {
        let file = fs::File::open(out.join(archive)).unwrap();
        let mut entries = tar::Archive::new(flate2::read::GzDecoder::new(file));
        let mut seen = 0;
        for entry in entries.entries().unwrap() {
            let entry = entry.unwrap();
            let header = entry.header();
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            assert_eq!(
                (header.uid().unwrap(), header.gid().unwrap()),
                (2000, 2000),
                "{archive}: {name}"
            );
            assert_eq!(
                (header.username_bytes(), header.groupname_bytes()),
                (Some(&b"vcap"[..]), Some(&b"vcap"[..])),
                "{archive}: {name}"
            );
            seen += 1;
        }
        assert!(seen > 0, "{archive}: no entries");
    }
}

/// `bpkit stage` as a user that file modes apply to (see `bpkit_without_root`), in `t`, whose
/// folders are opened to that user; `None` when there is no such user to be.
fn stage_without_root(t: &Path, args: &[&OsStr]) -> Option<Run> {
    let mut command = common::bin::bpkit_without_root()?;
    fs::set_permissions(t, fs::Permissions::from_mode(0o777)).unwrap();
    command.current_dir(t).arg("stage").args(args);
    Some(run_within(&mut command, LIMIT))
}

/// A file or folder of the app this user may not read stopped staging with `cannot copy the
/// app from APP: APP/secret: Permission denied (os error 13)`, and an unreadable app folder was
/// reported as its `.cfignore` (`cannot read APP/.cfignore: Permission denied`). Each is named
/// now, with the fix: make it readable, or leave a file out with the `.cfignore` line given,
/// which works. A folder cannot be left out: the cf CLI lists what is in every folder, one
/// `.cfignore` leaves out too, and fails on one it cannot list (its walk reports the error
/// before it asks whether the folder is left out), so the fix is to move it.
#[test]
fn an_unreadable_app_file_or_folder_is_named_with_the_fix() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    let args = [
        app.as_os_str(),
        "-b".as_ref(),
        bp.path().as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    let no_access = fs::Permissions::from_mode(0o000);
    fs::write(app.join("secret"), "s").unwrap();
    fs::set_permissions(app.join("secret"), no_access.clone()).unwrap();
    let Some(run) = stage_without_root(t, &args) else {
        eprintln!("skipped: running as root, and `setpriv` cannot make this process another user");
        return;
    };
    let secret = app.join("secret");
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: {}: Permission denied; this user cannot read this file, and `cf push` could not upload it either: make it readable (chmod u+r {}), or leave it out with a `/secret` line in .cfignore\n",
                secret.display(),
                secret.display()
            )
            .as_str()
        )
    );
    fs::write(app.join(".cfignore"), "/secret\n").unwrap();
    let run = stage_without_root(t, &args).unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);

    let locked = app.join("a locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, no_access.clone()).unwrap();
    let run = stage_without_root(t, &args).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: {}: Permission denied; this user cannot read this folder, and `cf push` could not upload it either: make it readable (chmod u+rx '{}'), or move it out of the app folder (`cf push` lists every folder, even one .cfignore leaves out)\n",
                locked.display(),
                locked.display()
            )
            .as_str()
        )
    );
    fs::write(app.join(".cfignore"), "/secret\n/a locked\n").unwrap();
    fs::set_permissions(&locked, no_access.clone()).unwrap();
    let run = stage_without_root(t, &args).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, 1, "{}", run.stderr);

    fs::set_permissions(&app, no_access).unwrap();
    let run = stage_without_root(t, &args).unwrap();
    fs::set_permissions(&app, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: {}: Permission denied; this user cannot read the app folder: make it readable (chmod u+rx {}), or stage as its owner\n",
                app.display(),
                app.display()
            )
            .as_str()
        )
    );
}

/// A phase script without a `#!` line ran here (glibc's `execvp` hands such a file to
/// `/bin/sh`), so a buildpack that fails on the platform staged: the builder's Go `exec`
/// reports `fork/exec PATH: exec format error`. So does bpkit now; a detect without one does
/// not match, and a script without an execute bit is still `permission denied`.
#[test]
fn a_phase_script_without_a_shebang_fails_as_on_the_platform() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let compile = bp.dir.join("bin/compile");
    fs::write(&compile, "echo compiled\n").unwrap();
    let out = t.join("out");
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(run.code, 223, "{}", run.stderr);
    let last = last_line(&run.stderr);
    assert!(
        last.starts_with("Failed to compile droplet: Failed to compile droplet: fork/exec /")
            && last.ends_with("/bin/compile: exec format error"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("compiled"), "{}", run.stderr);

    // An empty file is no program either, nor is a binary for another machine (an arm64
    // ELF header, machine 183, on x86_64; an x86_64 one elsewhere).
    let mut foreign = vec![0u8; 64];
    foreign[..4].copy_from_slice(b"\x7fELF");
    foreign[4] = 2;
    foreign[5] = 1;
    let machine: u16 = if cfg!(target_arch = "x86_64") {
        183
    } else {
        62
    };
    foreign[18..20].copy_from_slice(&machine.to_le_bytes());
    for program in [Vec::new(), foreign] {
        fs::write(&compile, &program).unwrap();
        let run = stage_into(t, &app, bp.path(), &out);
        assert!(
            last_line(&run.stderr).ends_with("/bin/compile: exec format error"),
            "{}",
            run.stderr
        );
    }

    fs::set_permissions(&compile, fs::Permissions::from_mode(0o644)).unwrap();
    let run = stage_into(t, &app, bp.path(), &out);
    assert!(
        last_line(&run.stderr).ends_with("/bin/compile: permission denied"),
        "{}",
        run.stderr
    );

    let detect = ShellBuildpack::new(t, "detect").script("compile", "true");
    fs::write(detect.dir.join("bin/detect"), "echo Detected\n").unwrap();
    fs::set_permissions(
        detect.dir.join("bin/detect"),
        fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let run = stage(t)
        .arg(&app)
        .arg("--detect")
        .bp(detect.path())
        .out(&out)
        .run();
    run.assert_last_line(
        222,
        "None of the buildpacks detected a compatible application",
    );
}

/// A `.cfignore` that is a link to itself, or that this user cannot read, stopped staging with
/// `cannot read APP/.cfignore: Too many levels of symbolic links (os error 40)` (or
/// `Permission denied (os error 13)`), naming no fix. Both are told as what they are, with the
/// fix of every unreadable `.cfignore`.
#[test]
fn a_cfignore_in_a_link_loop_or_unreadable_says_what_it_is() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    let cfignore = app.join(".cfignore");
    std::os::unix::fs::symlink(".cfignore", &cfignore).unwrap();
    let run = stage_into(t, &app, bp.path(), &out);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: {}: it is a symbolic link that leads back to itself, so there is no file to read; .cfignore is a file of patterns (gitignore syntax): replace it with one, or remove it\n",
                cfignore.display()
            )
            .as_str()
        )
    );
    fs::remove_file(&cfignore).unwrap();
    fs::write(&cfignore, "*.log\n").unwrap();
    fs::set_permissions(&cfignore, fs::Permissions::from_mode(0o000)).unwrap();
    // A folder of its own: `out` is root's when this test runs as root.
    let out = t.join("out-of-another-user");
    let args = [
        app.as_os_str(),
        "-b".as_ref(),
        bp.path().as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    let Some(run) = stage_without_root(t, &args) else {
        eprintln!("skipped the unreadable .cfignore: running as root, without `setpriv`");
        return;
    };
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: {}: this user cannot read it (Permission denied), and `cf push` reads it too; .cfignore is a file of patterns (gitignore syntax): replace it with one, or remove it\n",
                cfignore.display()
            )
            .as_str()
        )
    );
}

/// A buildpack that leaves a fifo where staging reads a document (the Procfile in BUILD_DIR,
/// `DEPS_DIR/<i>/launch.yml`, `config.yml`) hung the staging for ever: the read waited for a
/// writer, past `--timeout`, and SIGTERM only set a flag. A link to /dev/zero read until memory
/// ran out. Each is now read without waiting, and no further than 4 MiB: the Procfile and
/// launch.yml fail naming what they are, and config.yml is reported as the builder reports an
/// unreadable one.
#[test]
fn a_fifo_or_device_a_buildpack_leaves_for_staging_to_read_does_not_hang_it() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let out = t.join("out");
    let limit = Duration::from_secs(30);
    let procfile = ShellBuildpack::new(t, "procfile")
        .script("compile", r#"mkfifo "$1/Procfile""#)
        .release_web("./start");
    let run = stage(t)
        .limit(limit)
        .arg(&app)
        .bp(procfile.path())
        .out(&out)
        .args(["--timeout", "600"])
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "       **ERROR** The app's Procfile cannot be read (it is a fifo, not a file); make it a readable file of `type: command` lines, or remove it\n"
        ),
        "{}",
        run.stderr
    );
    let last = last_line(&run.stderr);
    assert!(
        last.starts_with("Failed to read command from Procfile: read /")
            && last.ends_with("/app/Procfile: it is a fifo, not a file"),
        "{}",
        run.stderr
    );

    let zero = ShellBuildpack::new(t, "zero")
        .script("compile", r#"ln -s /dev/zero "$1/Procfile""#)
        .release_web("./start");
    let run = stage(t)
        .limit(limit)
        .arg(&app)
        .bp(zero.path())
        .out(&out)
        .run();
    assert!(
        last_line(&run.stderr).ends_with("/app/Procfile: it is a character device, not a file"),
        "{}",
        run.stderr
    );

    let launch = ShellBuildpack::new(t, "launch").script("supply", r#"mkfifo "$3/$4/launch.yml""#);
    let last_bp = plain_buildpack(t, "last");
    let run = stage(t)
        .limit(limit)
        .arg(&app)
        .bp(launch.path())
        .bp(last_bp.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let last = last_line(&run.stderr);
    assert!(
        last.starts_with("bpkit: error: cannot read /")
            && last.ends_with("/contents/deps/0/launch.yml: it is a fifo, not a file"),
        "{}",
        run.stderr
    );

    let config = ShellBuildpack::new(t, "config").script("supply", r#"mkfifo "$3/$4/config.yml""#);
    let run = stage(t)
        .limit(limit)
        .arg(&app)
        .bp(config.path())
        .bp(last_bp.path())
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l.starts_with(&format!(
            "Failed to read buildpack config.yml for buildpack key {}: open /",
            fs::canonicalize(config.path()).unwrap().display()
        )) && l
            .ends_with("/contents/deps/0/config.yml: it is a fifo, not a file")),
        "{}",
        run.stderr
    );
}

/// Whether util-linux `script` can run a command under a terminal of its own.
fn has_script() -> bool {
    Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A buildpack whose `bin/bpkit` needs a newer glibc than the stack's stages here, on this
/// machine's glibc, and would fail every phase on the platform: a warning says so before the
/// phases run, and the staging goes on. The bpkit under test is the binary; whether it needs
/// more than cflinuxfs3's glibc 2.27 is read from it (every glibc since 2.34 gives
/// `__libc_start_main` that version, so it does when built on any recent Linux).
#[test]
fn a_buildpack_binary_the_stack_could_not_start_is_warned_about() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let binary = Path::new(bp.path()).join("bin/bpkit");
    fs::copy(common::bin::bpkit_path(), &binary).unwrap();
    let mut file = fs::File::open(&binary).unwrap();
    let needed = bpkit::packager::linkage::read(&mut file).unwrap().glibc;
    let stage_on = |stack: &str| {
        let run = stage(t)
            .arg(&app)
            .bp(bp.path())
            .args(["--stack", stack])
            .out(t.join(stack))
            .run();
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stderr
            .lines()
            .filter(|line| line.contains("**WARNING**"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let old_enough = bpkit::packager::linkage::GlibcVersion([2, 27, 0]);
    match needed.filter(|&needed| needed > old_enough) {
        Some(needed) => assert_eq!(
            stage_on("cflinuxfs3"),
            [format!(
                "       **WARNING** bin/bpkit of {} needs glibc {needed}; cflinuxfs3 (Ubuntu 18.04) has glibc 2.27: every phase would fail there (version `GLIBC_{needed}' not found); pass --binary a static build (`cargo build --release --target x86_64-unknown-linux-musl`), or one built on Ubuntu 18.04 (here it runs on this machine, not on cflinuxfs3)",
                bp.path()
            )]
        ),
        None => assert_eq!(stage_on("cflinuxfs3"), Vec::<String>::new()),
    }
    // A stack bpkit knows nothing of may have any glibc.
    assert_eq!(stage_on("my-stack"), Vec::<String>::new());
    // A Windows stack starts no Linux program; a script (the bootstrap) is none.
    assert_eq!(
        stage_on("windows"),
        [format!(
            "       **WARNING** bin/bpkit of {} is a Linux executable, and windows runs Windows: every phase would fail there; a bpkit buildpack runs on Linux stacks, so package it with --stack cflinuxfs4 or another Linux stack (here it runs on this machine, not on windows)",
            bp.path()
        )]
    );
    fs::remove_file(&binary).unwrap();
    fs::write(&binary, "#!/bin/sh\nexit 1\n").unwrap();
    assert_eq!(stage_on("windows"), Vec::<String>::new());
}

/// `COMMAND` run by util-linux `script` under a terminal of its own; its stdout holds what the
/// terminal showed.
fn under_a_terminal(command: &str) -> Run {
    run_within(
        Command::new("script")
            .args(["-qec", command, "/dev/null"])
            .env("NO_COLOR", "1"),
        LIMIT,
    )
}

/// A phase that opens /dev/tty (ssh asking whether to trust a git host, a script's
/// `read < /dev/tty`) was stopped by SIGTTIN in its background process group and the staging
/// hung, silent, until `--timeout`. Phases now run without a controlling terminal, as in a
/// staging container, so the open fails at once, as on the platform. Run under a terminal made
/// by util-linux `script`; skipped without it.
#[test]
fn a_phase_reading_the_terminal_fails_at_once_as_on_the_platform() {
    if !has_script() {
        eprintln!("skipped: util-linux `script` is not installed to give bpkit a terminal");
        return;
    }
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = ShellBuildpack::new(t, "tty")
        .script(
            "compile",
            "echo asking; read answer < /dev/tty; echo \"got $answer\"",
        )
        .release_web("./start");
    let out = t.join("out");
    let inner = format!(
        "'{}' stage '{}' -b '{}' --out '{}' --timeout 60",
        common::bin::bpkit_path().display(),
        app.display(),
        bp.path(),
        out.display()
    );
    let started = Instant::now();
    let run = under_a_terminal(&inner);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 223, "{}{}", run.stdout, run.stderr);
    // `script` puts everything the terminal showed on its stdout.
    assert!(
        run.stdout
            .contains("cannot open /dev/tty: No such device or address"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("got "), "{}", run.stdout);
}

/// The same for `bpkit run`: an app that opens /dev/tty was stopped by SIGTTIN in its
/// background process group and `bpkit run` waited on it for ever. The app now runs with no
/// controlling terminal, as in the container, so the open fails and the app goes on.
#[test]
fn an_app_reading_the_terminal_is_not_stopped() {
    if !has_script() {
        eprintln!("skipped: util-linux `script` is not installed to give bpkit a terminal");
        return;
    }
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    stage_into(t, &app, bp.path(), &out).assert_code(0);
    let inner = format!(
        "'{}' run '{}' -c 'read answer < /dev/tty; echo \"got $answer\"; exit 3'",
        common::bin::bpkit_path().display(),
        out.display()
    );
    let started = Instant::now();
    let run = under_a_terminal(&inner);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("/dev/tty: No such device or address"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("got \r\n"), "{:?}", run.stdout);
}

/// Two stagings into one outputs folder each removed the other's outputs (and temporary
/// files) and wrote their own, so the droplet of one could sit beside the result.json of the
/// other. The second now waits for the first, saying so, and the folder holds its outputs, all
/// of one staging, and no lock file once both are done. `bpkit run` of the folder meanwhile
/// says a staging is writing there (it said the folder held neither droplet.tgz nor app/).
#[test]
fn two_stagings_into_one_outputs_folder_take_turns() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let started = t.join("started");
    let go = t.join("go");
    let first = ShellBuildpack::new(t, "first")
        .script(
            "compile",
            &format!(
                "echo started > '{}'; while [ ! -e '{}' ]; do sleep 0.05; done; echo first > \"$1/who\"",
                started.display(),
                go.display()
            ),
        )
        .release_web("./start");
    let second = compile_buildpack(t, "second", "Second", "second");
    let out = t.join("out");
    let a = spawn_for_signal(&stage(t).arg(&app).bp(first.path()).out(&out).command());
    wait_for_file(&started);
    let b = spawn_for_signal(&stage(t).arg(&app).bp(second.path()).out(&out).command());
    // The second waits while the first holds the folder.
    std::thread::sleep(Duration::from_millis(1500));
    let mut b = b;
    assert!(
        b.try_wait().unwrap().is_none(),
        "the second staging did not wait"
    );
    // Meanwhile the folder holds no droplet, and `bpkit run` says why.
    let run = run_droplet(t, &["out"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "bpkit: error: out holds no droplet.tgz yet: a `bpkit stage` is writing its outputs there now; run this again when it has finished\n"
        )
    );
    fs::write(&go, "").unwrap();
    let a = common::timed::wait_within(a, LIMIT, "the first staging");
    assert_eq!(a.code, 0, "{}", a.stderr);
    let b = common::timed::wait_within(b, LIMIT, "the second staging");
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(
        b.stderr.starts_with(&format!(
            "       Waiting for another `bpkit stage` writing to {} to finish\n",
            fs::canonicalize(&out).unwrap().display()
        )),
        "{}",
        b.stderr
    );
    assert_eq!(
        member(&out.join("droplet.tgz"), "./app/compiled"),
        "second\n"
    );
    assert_eq!(
        result_json(&out)["lifecycle_metadata"]["buildpack_key"],
        fs::canonicalize(second.path()).unwrap().to_str().unwrap()
    );
    assert_eq!(names_in(&out), ["cache.tgz", "droplet.tgz", "result.json"]);
}

/// A staging killed outright (SIGKILL) in the middle of a phase leaves its empty
/// `.bpkit-stage.lock` in the outputs folder. The lock is an `flock` held by the open file, not
/// the file being there, so it ended with the process: `bpkit run OUT` does not say a staging
/// is writing there, and the next staging into OUT neither waits nor needs a clean-up by hand;
/// it takes the file over and removes it when done.
#[test]
fn a_staging_killed_mid_phase_leaves_no_lock_that_blocks_the_next() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let pidfile = t.join("phase.pid");
    // The phase runs in a session of its own, so it outlives a SIGKILL of bpkit: its pid is
    // written down to stop it at the end.
    let stuck = ShellBuildpack::new(t, "stuck")
        .script(
            "compile",
            &format!("echo $$ > '{}'; exec sleep 1000", pidfile.display()),
        )
        .release_web("./start");
    let out = t.join("out");
    let tmp_dir = t.join("tmp");
    fs::create_dir_all(&tmp_dir).unwrap();
    let mut killed = stage(t)
        .env("TMPDIR", &tmp_dir)
        .arg(&app)
        .bp(stuck.path())
        .out(&out)
        .command()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let phase = wait_for_file(&pidfile);
    killed.kill().unwrap(); // SIGKILL: no clean-up of any kind
    killed.wait().unwrap();
    Command::new("kill")
        .args(["-KILL", phase.trim()])
        .status()
        .unwrap();
    let lock = out.join(".bpkit-stage.lock");
    assert_eq!(
        fs::read(&lock).unwrap(),
        b"",
        "the killed staging's lock file"
    );

    let run = run_droplet(t, &["out"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "bpkit: error: out holds neither droplet.tgz nor an app/ folder; give a droplet.tgz or the output folder of `bpkit stage`\n"
        )
    );

    let bp = compile_buildpack(t, "bp", "Bp", "after the kill");
    let started = Instant::now();
    let rerun = stage(t)
        .env("TMPDIR", &tmp_dir)
        .arg(&app)
        .bp(bp.path())
        .out(&out)
        .run();
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    assert!(
        !rerun.stderr.contains("Waiting for another"),
        "{}",
        rerun.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(
        member(&out.join("droplet.tgz"), "./app/compiled"),
        "after the kill\n"
    );
    assert_eq!(names_in(&out), ["cache.tgz", "droplet.tgz", "result.json"]);
}

/// An outputs folder that is there but cannot be written in was found only when the droplet
/// was written, after the whole staging. It is now refused before staging, with the fix.
#[test]
fn an_outputs_folder_this_user_cannot_write_in_is_refused_before_staging() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let marker = t.join("compiled");
    let bp = ShellBuildpack::new(t, "bp")
        .script("compile", &format!("touch '{}'", marker.display()))
        .release_web("./start");
    let locked = t.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let args = [
        app.as_os_str(),
        "-b".as_ref(),
        bp.path().as_ref(),
        "--out".as_ref(),
        locked.as_os_str(),
    ];
    let Some(run) = stage_without_root(t, &args) else {
        eprintln!("skipped: running as root, without `setpriv`");
        return;
    };
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: cannot write in the outputs folder {}: Permission denied (os error 13); give --out a folder this user can write to\n",
                locked.display()
            )
            .as_str()
        )
    );
    assert!(!marker.exists(), "the staging ran");

    // A shared folder (sticky, like /tmp) holding another user's lock file is still usable:
    // the lock is taken on the file opened for reading.
    let shared = t.join("shared");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    fs::write(shared.join(".bpkit-stage.lock"), "").unwrap();
    let args = [
        app.as_os_str(),
        "-b".as_ref(),
        bp.path().as_ref(),
        "--out".as_ref(),
        shared.as_os_str(),
    ];
    let run = stage_without_root(t, &args).unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(shared.join("droplet.tgz").is_file());
}

/// `--out LINK` where LINK points to a folder that does not exist (here one inside the app)
/// said `cannot create the outputs folder LINK: File exists (os error 17)`. It now says what
/// LINK is, and nothing is created where it points.
#[test]
fn an_out_link_to_nothing_is_named() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    std::os::unix::fs::symlink("app/new", t.join("out-link")).unwrap();
    let run = stage(t).arg(&app).bp(bp.path()).out("out-link").run();
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "bpkit: error: --out out-link: a symbolic link to app/new, which does not exist; give --out a folder, or a path that does not exist yet\n"
        )
    );
    assert!(!app.join("new").exists());
}

/// A TMPDIR where the staging workspace cannot be made was found after the previous outputs
/// were removed, so a setting to fix cost the last droplet. It is found before now.
#[test]
fn a_tmpdir_that_cannot_hold_the_workspace_leaves_the_previous_outputs() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    stage_into(t, &app, bp.path(), &out).assert_code(0);
    let droplet = fs::read(out.join("droplet.tgz")).unwrap();
    let missing = t.join("no-such-tmp");
    let run = stage(t)
        .env("TMPDIR", &missing)
        .arg(&app)
        .bp(bp.path())
        .out(&out)
        .run();
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: cannot create a temporary folder in {}: it does not exist; set TMPDIR to an existing folder bpkit can write to\n",
                missing.display()
            )
            .as_str()
        )
    );
    assert_eq!(fs::read(out.join("droplet.tgz")).unwrap(), droplet);
    assert!(out.join("result.json").is_file());

    // One this user cannot write in gets the system's words, where it got the kind's
    // (`permission denied`, or `entity not found` for a folder such as /proc).
    let locked = t.join("locked-tmp");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let Some(mut command) = common::bin::bpkit_without_root() else {
        eprintln!("skipped the locked TMPDIR: running as root, without `setpriv`");
        return;
    };
    fs::set_permissions(t, fs::Permissions::from_mode(0o777)).unwrap();
    command
        .current_dir(t)
        .env("TMPDIR", &locked)
        .arg("stage")
        .arg(&app)
        .args(["-b", bp.path(), "--out"])
        .arg(t.join("out-of-another-user"));
    let run = run_within(&mut command, LIMIT);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: cannot create a temporary folder in {}: Permission denied (os error 13); set TMPDIR to an existing folder bpkit can write to\n",
                locked.display()
            )
            .as_str()
        )
    );
}

/// `--memory 1G`, as `cf push -m 1G` and the manifest's `memory:` write it, said `invalid digit
/// found in string`. Units are taken as cf takes them (M, MB, G, GB, T, TB, any case); a number
/// alone is megabytes, as before.
#[test]
fn memory_takes_the_units_cf_push_takes() {
    let (tmp, app) = hi_app();
    let t = tmp.path();
    let bp = plain_buildpack(t, "bp");
    let out = t.join("out");
    stage_into(t, &app, bp.path(), &out).assert_code(0);
    for (given, limit) in [
        ("1G", "1024m"),
        ("512m", "512m"),
        ("2gb", "2048m"),
        ("768", "768m"),
    ] {
        let run = run_droplet(
            t,
            &[
                "out",
                "--memory",
                given,
                "-c",
                "echo \"limit $MEMORY_LIMIT\"",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("\nlimit {limit}\n")),
            "{given}: {}",
            run.stderr
        );
    }
    let staged = stage(t)
        .arg(&app)
        .bp(bp.path())
        .out(&out)
        .args(["--memory", "2G"])
        .run();
    assert_eq!(staged.code, 0, "{}", staged.stderr);
    for (given, expected) in [
        (
            "512K",
            "error: invalid value '512K' for '--memory <MB>': expected megabytes, such as 1024, or a size with a unit as `cf push -m` takes it (512M, 1G)\n",
        ),
        (
            "2T",
            "error: invalid value '2T' for '--memory <MB>': 2T is more than the 1048576 MB (1T) this takes\n",
        ),
    ] {
        let refused = run_droplet(t, &["out", "--memory", given]);
        assert_eq!(refused.code, 2, "{given}");
        assert!(refused.stderr.starts_with(expected), "{}", refused.stderr);
    }
}
