//! `bin/bpkit`, the POSIX sh bootstrap a plain git clone runs (bootstrap.md, issue 4): the
//! phases reached through the `bin/<phase>` symlinks with `BPKIT_BINARY`, through the cargo
//! path (building this repository with the test's own target dir, so the build is a no-op, then
//! reusing the per-staging copy), and the one-line failure when nothing is available.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::bin::{Run, bpkit_path, repo_root, run};
use common::staging::{PHASES, Staging};

/// A buildpack laid out as in git: `bin/bpkit` (the script) and `bin/<phase>` links to it.
fn git_layout_buildpack(root: &Path, manifest: &str) -> PathBuf {
    let bp = root.join("bp");
    fs::create_dir_all(bp.join("bin")).unwrap();
    fs::copy(repo_root().join("bin/bpkit"), bp.join("bin/bpkit")).unwrap();
    for phase in PHASES {
        std::os::unix::fs::symlink("bpkit", bp.join("bin").join(phase)).unwrap();
    }
    fs::write(bp.join("manifest.yml"), manifest).unwrap();
    fs::write(bp.join("VERSION"), "2.3.4\n").unwrap();
    bp
}

const MANIFEST: &str = "language: hello\ndetect:\n  any_of:\n  - file: hello.txt\nbuild:\n- echo built > built.txt\nrelease:\n  default_process_types:\n    web: ./serve\n";

#[test]
fn the_repository_links_every_phase_to_the_bootstrap() {
    let bin = repo_root().join("bin");
    for phase in PHASES {
        assert_eq!(
            fs::read_link(bin.join(phase)).unwrap(),
            Path::new("bpkit"),
            "bin/{phase}"
        );
    }
    let script = fs::read_to_string(bin.join("bpkit")).unwrap();
    assert!(script.starts_with("#!/bin/sh\n"));
    assert_eq!(
        fs::metadata(bin.join("bpkit"))
            .unwrap()
            .permissions()
            .mode()
            & 0o111,
        0o111
    );
    // dash is the platform's /bin/sh; the script must parse there, and be shellcheck-clean
    // as POSIX sh (bootstrap.md), where those tools are installed.
    let checks: [(&str, &[&str]); 2] = [("dash", &["-n"]), ("shellcheck", &["-s", "sh"])];
    for (tool, args) in checks {
        if let Ok(out) = Command::new(tool)
            .args(args)
            .arg(bin.join("bpkit"))
            .output()
        {
            assert!(
                out.status.success(),
                "{tool}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn phases_run_through_the_symlinks_with_bpkit_binary() {
    let mut staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.set_env("BPKIT_BINARY", bpkit_path().to_str().unwrap());
    staging.app_file("hello.txt", "");

    let detect = staging.detect(&bp);
    assert_eq!(
        (detect.code, detect.stdout.as_str(), detect.stderr.as_str()),
        (0, "hello\n", "")
    );
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    assert_eq!(supply.stderr, "-----> Hello Buildpack version 2.3.4\n");
    let finalize = staging.finalize(&bp, "0");
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert_eq!(
        fs::read_to_string(staging.app.join("built.txt")).unwrap(),
        "built\n"
    );
    let release = staging.release(&bp);
    assert_eq!(
        (
            release.code,
            release.stdout.as_str(),
            release.stderr.as_str()
        ),
        (0, "---\ndefault_process_types:\n  web: ./serve\n", "")
    );
    // Usage errors come from the binary, named after the phase.
    let usage = run(&mut staging.command(&bp, "supply"));
    assert_eq!(
        (usage.code, usage.stderr.as_str()),
        (1, "Usage: supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX\n")
    );
    // bin/bpkit itself is the toolkit.
    let version = run(staging.command(&bp, "bpkit").arg("--version"));
    assert_eq!(version.code, 0);
    assert!(version.stdout.starts_with("bpkit "), "{}", version.stdout);
}

#[test]
fn a_bpkit_binary_that_is_not_executable_is_one_clear_line() {
    let mut staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    let not_a_binary = staging.path().join("bpkit.txt");
    fs::write(&not_a_binary, "text").unwrap();
    staging.set_env("BPKIT_BINARY", not_a_binary.to_str().unwrap());
    let run = staging.detect(&bp);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "       **ERROR** bpkit: BPKIT_BINARY={} is not an executable file; point it at a bpkit binary or unset it\n",
            not_a_binary.display()
        )
    );
}

/// `bin/<phase>` of `bp` with nothing to run: no `BPKIT_BINARY`, `PATH` as given, a fresh
/// `TMPDIR` (so no binary is cached), and no lock file (so nothing can be downloaded).
fn detect_without_a_binary(staging: &Staging, bp: &Path, path: &str) -> Run {
    let tmp = staging.path().join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    run(staging
        .command(bp, "detect")
        .env("PATH", path)
        .env("TMPDIR", &tmp)
        .env_remove("BPKIT_BINARY")
        .arg(&staging.app))
}

/// The one failure line: its start (what was tried first) and its end (the rest, the fix).
fn assert_failure_line(staging: &Staging, run: &Run, end: &str) {
    assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let start = format!(
        "       **ERROR** bpkit: no bpkit binary: BPKIT_BINARY is not set, none is cached in {}/bpkit-2.3.4-",
        staging.path().join("tmp").display()
    );
    assert!(run.stderr.starts_with(&start), "{}", run.stderr);
    assert!(run.stderr.ends_with(end), "{}", run.stderr);
}

#[test]
fn without_a_binary_or_cargo_it_says_what_was_tried_and_what_to_set() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    // Sources (a Cargo.toml) but no cargo on this PATH: cargo is what is missing.
    fs::write(bp.join("Cargo.toml"), "[package]\nname = \"bpkit\"\n").unwrap();
    let run = detect_without_a_binary(&staging, &bp, "/usr/bin:/bin");
    assert_failure_line(
        &staging,
        &run,
        ", cargo is not on PATH, and no release binary could be downloaded: bin/bpkit.lock is missing; set BPKIT_BINARY to a bpkit binary, put cargo on PATH, or copy bin/bpkit.lock of a bpkit release next to bin/bpkit\n",
    );
}

/// A lock that records no binary yet (the repository's own, until the first release): a mirror
/// could serve nothing, so the line asks for a release's lock, not for BPKIT_MIRRORS.
#[test]
fn a_lock_without_a_release_is_not_answered_with_a_mirror() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    fs::write(bp.join("Cargo.toml"), "[package]\nname = \"bpkit\"\n").unwrap();
    fs::write(
        bp.join("bin/bpkit.lock"),
        "# no release yet\nversion 0.1.0\n",
    )
    .unwrap();
    let run = detect_without_a_binary(&staging, &bp, "/usr/bin:/bin");
    assert_failure_line(
        &staging,
        &run,
        "(a bpkit release fills it, with the binaries it publishes); set BPKIT_BINARY to a bpkit binary, put cargo on PATH, or copy bin/bpkit.lock of a bpkit release next to bin/bpkit\n",
    );
}

/// An empty lock, or one of blanks only (a copy or a write cut short), is named as such: it
/// records nothing, and the fix is a release's lock.
#[test]
fn an_empty_lock_is_one_line_naming_it() {
    for content in ["", "  \n\t\n\n"] {
        let staging = Staging::new();
        let bp = git_layout_buildpack(staging.path(), MANIFEST);
        fs::write(bp.join("Cargo.toml"), "[package]\nname = \"bpkit\"\n").unwrap();
        fs::write(bp.join("bin/bpkit.lock"), content).unwrap();
        let run = detect_without_a_binary(&staging, &bp, "/usr/bin:/bin");
        assert_failure_line(
            &staging,
            &run,
            ", cargo is not on PATH, and no release binary could be downloaded: bin/bpkit.lock is empty; set BPKIT_BINARY to a bpkit binary, put cargo on PATH, or copy bin/bpkit.lock of a bpkit release next to bin/bpkit\n",
        );
    }
}

/// A lock whose last line has no line break, or saved with CRLF line ends (an editor's), is
/// read whole: `read` dropped such a last line (the `sha256` one here) and kept the `\r`.
#[test]
fn a_lock_without_a_final_line_break_or_with_crlf_is_read_whole() {
    let mirror = common::server::Server::start();
    mirror.serve(
        &format!("/rel/bpkit-9.9.9-{}", machine_target()),
        fs::read(bpkit_path()).unwrap(),
    );
    let lock = lock_for(&mirror.url("/rel/bpkit-{version}-{target}"));
    let variants = [
        ("no-final-break", lock.trim_end().to_string()),
        ("crlf", lock.replace('\n', "\r\n")),
    ];
    for (name, content) in variants {
        let staging = Staging::new();
        let bp = git_layout_buildpack(staging.path(), MANIFEST);
        staging.app_file("hello.txt", "");
        fs::write(bp.join("bin/bpkit.lock"), content).unwrap();
        let log = staging.path().join("curl.log");
        let path = recording_path(&staging.path().join("tools"), &log, &[]);
        let run = detect_through_download(&staging, &bp, &path, &staging.path().join("tmp"), &[]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "hello\n"),
            "{name}: {}",
            run.stderr
        );
    }
}

/// On a machine no release is built for, neither a mirror nor another lock can help: the line
/// says so and offers only what can (here a `uname` on PATH plays a riscv64 machine).
#[test]
fn a_machine_without_a_release_binary_is_offered_only_what_can_help() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    fs::write(bp.join("Cargo.toml"), "[package]\nname = \"bpkit\"\n").unwrap();
    fs::write(
        bp.join("bin/bpkit.lock"),
        format!(
            "version 9.9.9\nurl https://releases.example.invalid/v{{version}}/bpkit-{{target}}\nsha256 x86_64-unknown-linux-musl {}\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    let tools = staging.path().join("tools");
    fs::create_dir_all(&tools).unwrap();
    fs::write(tools.join("uname"), "#!/bin/sh\necho riscv64\n").unwrap();
    fs::set_permissions(tools.join("uname"), fs::Permissions::from_mode(0o755)).unwrap();
    let run = detect_without_a_binary(&staging, &bp, &format!("{}:/usr/bin:/bin", tools.display()));
    assert_failure_line(
        &staging,
        &run,
        ", cargo is not on PATH, and no release binary could be downloaded: no release binary is built for this machine (riscv64); set BPKIT_BINARY to a bpkit binary, or put cargo on PATH\n",
    );
}

/// The per-staging copy lives in the shared TMPDIR under a name anyone can work out (the
/// version and the sources' hash). A binary there is run only when both it and its folder are
/// ours: whoever owns the folder could rename another file over ours between the check and the
/// exec. Needs root, to give the folder to another user.
#[test]
fn a_binary_in_a_folder_of_another_user_is_never_run() {
    use std::os::unix::fs::MetadataExt;
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    let tmp = staging.path().join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    // A folder this test made is owned by the user it runs as.
    if fs::metadata(&tmp).unwrap().uid() != 0 {
        eprintln!("skipped: needs root to make a folder owned by another user");
        return;
    }
    // The bootstrap's own fingerprint of the (absent) sources.
    let key = Command::new("sh")
        .arg("-c")
        .arg("find Cargo.toml Cargo.lock build.rs .cargo src templates manifest.yml bin/bpkit bin/bpkit.lock -type f 2>/dev/null | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16")
        .current_dir(&bp)
        .output()
        .unwrap();
    let key = String::from_utf8(key.stdout).unwrap();
    let planted_dir = tmp.join(format!("bpkit-2.3.4-{}", key.trim()));
    fs::create_dir_all(&planted_dir).unwrap();
    let planted = planted_dir.join("bpkit");
    fs::write(&planted, "#!/bin/sh\necho planted\n").unwrap();
    fs::set_permissions(&planted, fs::Permissions::from_mode(0o755)).unwrap();
    // The file is ours; its folder is nobody's.
    std::os::unix::fs::chown(&planted_dir, Some(65534), Some(65534)).unwrap();
    let run = detect_without_a_binary(&staging, &bp, "/usr/bin:/bin");
    assert_ne!(
        run.stdout, "planted\n",
        "ran a binary from another user's folder"
    );
    assert_failure_line(
        &staging,
        &run,
        &format!(
            ", there is no Cargo.toml in {} for cargo to build bpkit from, and no release binary could be downloaded: bin/bpkit.lock is missing; set BPKIT_BINARY to a bpkit binary, or copy bin/bpkit.lock of a bpkit release next to bin/bpkit\n",
            bp.display()
        ),
    );
}

/// A buildpack made with `bpkit init` carries no Rust sources: with cargo on PATH the line
/// must not claim cargo is missing, nor ask for it (it could not help), and cargo is never run.
#[test]
fn a_buildpack_without_sources_is_not_told_to_put_cargo_on_path() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    let tools = staging.path().join("tools");
    fs::create_dir_all(&tools).unwrap();
    let ran = staging.path().join("cargo-ran");
    fs::write(
        tools.join("cargo"),
        format!("#!/bin/sh\ntouch '{}'\nexit 1\n", ran.display()),
    )
    .unwrap();
    fs::set_permissions(tools.join("cargo"), fs::Permissions::from_mode(0o755)).unwrap();
    let no_sources = format!(
        ", there is no Cargo.toml in {} for cargo to build bpkit from, and no release binary could be downloaded: bin/bpkit.lock is missing; set BPKIT_BINARY to a bpkit binary, or copy bin/bpkit.lock of a bpkit release next to bin/bpkit\n",
        bp.display()
    );
    for path in [
        format!("{}:/usr/bin:/bin", tools.display()),
        "/usr/bin:/bin".into(),
    ] {
        let run = detect_without_a_binary(&staging, &bp, &path);
        assert_failure_line(&staging, &run, &no_sources);
    }
    assert!(!ran.exists(), "cargo was run without a Cargo.toml");
}

/// The repository's own `bin/<phase>` built through cargo into the test's own target dir, with
/// the test's profile and `--all-targets` (the features `cargo test` resolved, so the build is a
/// no-op instead of a rebuild that would replace the binary other tests are running), then run
/// again from the per-staging copy without cargo.
#[test]
fn the_cargo_path_builds_once_and_reuses_the_binary() {
    let staging = Staging::new();
    staging.app_file("Gemfile", "source 'https://rubygems.org'\ngem 'rack'\n");
    let tmp = staging.path().join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    let cargo_home = staging.path().join("cargo-home");
    fs::create_dir_all(&cargo_home).unwrap();
    // <target>/<debug|release>/bpkit → <target> and the profile.
    let out_dir = bpkit_path().parent().unwrap().to_path_buf();
    let target_dir = out_dir.parent().unwrap().to_path_buf();
    let profile = match out_dir.file_name().unwrap().to_str().unwrap() {
        "debug" => "dev".to_string(),
        other => other.to_string(),
    };
    let cargo = PathBuf::from(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    let path = match cargo.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => format!("{}:/usr/bin:/bin", dir.display()),
        None => std::env::var("PATH").unwrap(),
    };
    // `cargo test` gives this process CARGO_MANIFEST_DIR and friends; a build script (ring's)
    // watches that variable, so the inner cargo must see the environment the outer one saw.
    let cargo_test_vars: Vec<_> = std::env::vars_os()
        .map(|(k, _)| k)
        .filter(|k| {
            let k = k.to_string_lossy();
            (k.starts_with("CARGO_") && k != "CARGO_HOME") || k == "OUT_DIR"
        })
        .collect();
    let phase = |name: &str, path: &str| -> Run {
        let mut command = staging.command(&repo_root(), name);
        for var in &cargo_test_vars {
            command.env_remove(var);
        }
        run(command
            // The platform runs phases from a folder of its own, not the clone: cargo must
            // still find the clone's .cargo/config.toml (vendor/), and build with a CARGO_HOME
            // that holds no registry (a fresh machine's).
            .current_dir(&tmp)
            .env("CARGO_HOME", &cargo_home)
            .env_remove("BPKIT_BINARY")
            .env("PATH", path)
            .env("TMPDIR", &tmp)
            .env("CARGO_TARGET_DIR", &target_dir)
            .env("BPKIT_CARGO_PROFILE", &profile)
            .env("BPKIT_CARGO_FLAGS", "--all-targets")
            .arg(&staging.app))
    };
    let first = phase("detect", &path);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stdout, "Ruby\n");
    let version = fs::read_to_string(repo_root().join("VERSION")).unwrap();
    assert_eq!(
        first.stderr,
        format!(
            "-----> bpkit: building bpkit {} from source with cargo ({profile}), once per staging\n",
            version.trim()
        )
    );
    // The next phases of this staging find the copy and need no cargo at all.
    let second = phase("detect", "/usr/bin:/bin");
    assert_eq!(
        (second.code, second.stdout.as_str(), second.stderr.as_str()),
        (0, "Ruby\n", "")
    );
    let release = phase("release", "/usr/bin:/bin");
    assert_eq!(release.code, 0, "{}", release.stderr);
    assert_eq!(
        release.stdout,
        "---\nconfig_vars:\n  RACK_ENV: production\ndefault_process_types:\n  web: bundle exec rackup config.ru -p $PORT\n"
    );
    let cached: Vec<_> = fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert!(
        cached[0].starts_with(&format!("bpkit-{}-", version.trim()))
            && cached[0].ends_with(&format!("-{profile}"))
    );
}

/// The target `uname -m` gives here, as the bootstrap names it.
fn machine_target() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    }
}

/// A folder standing in for the system's programs: for each one in /usr/bin and /bin (but
/// `leave_out`), a script that appends its name and arguments to `log`, then runs the real one.
/// With PATH set to this folder alone, every program the bootstrap starts is recorded with its
/// command line, which is what any user of the machine sees in `ps`.
fn recording_path(root: &Path, log: &Path, leave_out: &[&str]) -> PathBuf {
    let dir = root.join("recording-bin");
    fs::create_dir_all(&dir).unwrap();
    for system in ["/usr/bin", "/bin"] {
        let Ok(entries) = fs::read_dir(system) else {
            continue;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap_or_default();
            let real = entry.path();
            let executable = fs::metadata(&real)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
            if name.is_empty()
                || name.contains('\'')
                || leave_out.contains(&name.as_str())
                || !executable
                || dir.join(&name).exists()
            {
                continue;
            }
            fs::write(
                dir.join(&name),
                format!(
                    "#!/bin/sh\nprintf '%s\\n' \"{name} $*\" >>'{}'\nexec '{}' \"$@\"\n",
                    log.display(),
                    real.display()
                ),
            )
            .unwrap();
            fs::set_permissions(dir.join(&name), fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    dir
}

/// The lock of a release 9.9.9 whose binary for this machine is the test's bpkit, at `url`.
fn lock_for(url: &str) -> String {
    let binary = fs::read(bpkit_path()).unwrap();
    format!(
        "version 9.9.9\nurl {url}\nsha256 {} {}\n",
        machine_target(),
        common::tarball::sha256(&binary)
    )
}

/// A recording PATH folder (and its log) where `tool` is the downloader the bootstrap finds:
/// for `wget`, curl is left out.
fn downloading_with(staging: &Staging, tool: &str) -> (PathBuf, PathBuf) {
    let log = staging.path().join(format!("{tool}.log"));
    let leave_out: &[&str] = if tool == "wget" { &["curl"] } else { &[] };
    let path = recording_path(&staging.path().join(tool), &log, leave_out);
    (log, path)
}

/// `bin/detect` of `bp` run with `tool` as the only downloader the bootstrap finds, and `env`
/// set: its run, and the log of `tool`'s command lines.
fn detect_downloading_with(
    staging: &Staging,
    bp: &Path,
    tool: &str,
    env: &[(&str, &str)],
) -> (Run, PathBuf) {
    let (log, recording) = downloading_with(staging, tool);
    let tmp = staging.path().join(format!("tmp-{tool}"));
    (
        detect_through_download(staging, bp, &recording, &tmp, env),
        log,
    )
}

/// A buildpack of the git layout whose lock names a release on a host no test can reach
/// (`releases.example.invalid`), for the tests that send the download elsewhere.
fn locked_to_the_example_release(root: &Path) -> PathBuf {
    let bp = git_layout_buildpack(root, MANIFEST);
    fs::write(
        bp.join("bin/bpkit.lock"),
        lock_for("https://releases.example.invalid/v{version}/bpkit-{version}-{target}"),
    )
    .unwrap();
    bp
}

/// A 127.0.0.1 server standing in for the release host of [`locked_to_the_example_release`]:
/// `body` served with `fault` at the release's path, and the `BPKIT_MIRRORS` rule sending the
/// release there.
struct ReleaseMirror {
    server: common::server::Server,
    /// The release binary's path on the server (`/rel/bpkit-9.9.9-<target>`).
    path: String,
    rule: String,
}

fn release_mirror(body: Vec<u8>, fault: common::server::Fault) -> ReleaseMirror {
    let server = common::server::Server::start();
    let path = format!("/rel/bpkit-9.9.9-{}", machine_target());
    server.route(&path, body, fault);
    let rule = format!(
        "https://releases.example.invalid/v9.9.9/={}",
        server.url("/rel/")
    );
    ReleaseMirror { server, path, rule }
}

/// What the bootstrap's download folders in `tmp` (its TMPDIR) still hold: nothing, once a
/// download failed or was stopped.
fn left_in_download_folders(tmp: &Path) -> Vec<std::ffi::OsString> {
    fs::read_dir(tmp)
        .unwrap()
        .flat_map(|folder| fs::read_dir(folder.unwrap().path()).unwrap().flatten())
        .map(|e| e.file_name())
        .collect()
}

/// `bin/detect` of `bp` with nothing but a download to run: no `BPKIT_BINARY`, no cargo, PATH
/// the recording folder alone, `tmp` as TMPDIR, and `env` added.
fn detect_through_download(
    staging: &Staging,
    bp: &Path,
    path: &Path,
    tmp: &Path,
    env: &[(&str, &str)],
) -> Run {
    fs::create_dir_all(tmp).unwrap();
    let mut command = staging.command(bp, "detect");
    command
        .env("PATH", path)
        .env("TMPDIR", tmp)
        .env_remove("BPKIT_BINARY")
        .env_remove("BPKIT_MIRRORS")
        .env_remove("CURL_HOME")
        .env_remove("WGETRC");
    for (k, v) in env {
        command.env(k, v);
    }
    run(command.arg(&staging.app))
}

/// Where the release is served: behind Basic auth, and reached only through a proxy that wants
/// its own credentials (the mirror's name does not resolve).
struct AuthServers {
    origin: common::server::Server,
    proxy: common::server::Server,
    path: String,
}

const MIRROR_USER: &str = "deploy";
/// With `"` and `\`, which curl's config file syntax escapes.
const MIRROR_PASSWORD: &str = "m1rror\"s3\\cret";
/// wget's URL parser takes no `\` before the host (`Bad port number`), wherever the URL is.
const WGET_PASSWORD: &str = "wg3t-s3cret";
const PROXY_USER: &str = "squid";
const PROXY_PASSWORD: &str = "pr0xy-s3cret";
const WRONG_PASSWORD: &str = "wr0ng-s3cret";
/// What must never show: the passwords, and the user names with them.
const SECRETS: [&str; 6] = [
    MIRROR_PASSWORD,
    WGET_PASSWORD,
    PROXY_PASSWORD,
    WRONG_PASSWORD,
    MIRROR_USER,
    PROXY_USER,
];

fn assert_no_secret_in(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "`{secret}` shown:\n{text}");
    }
}

fn auth_servers(password: &str) -> AuthServers {
    use common::server::{Fault, Server};
    let origin = Server::start();
    let path = format!("/mirror/v9.9.9/bpkit-9.9.9-{}", machine_target());
    origin.route(
        &path,
        fs::read(bpkit_path()).unwrap(),
        Fault::BasicAuth {
            user: MIRROR_USER.into(),
            password: password.into(),
        },
    );
    let proxy = Server::start();
    proxy.proxy_to(origin.addr());
    proxy.require_proxy_auth(PROXY_USER, PROXY_PASSWORD);
    AuthServers {
        origin,
        proxy,
        path,
    }
}

impl AuthServers {
    /// `http://USER:PASSWORD@mirror.bpkit-test.invalid:PORT/mirror/`
    fn mirror(&self, password: &str) -> String {
        format!(
            "http://{MIRROR_USER}:{password}@mirror.bpkit-test.invalid:{}/mirror/",
            self.origin.addr().port()
        )
    }

    fn proxy_url(&self) -> String {
        format!("http://{PROXY_USER}:{PROXY_PASSWORD}@{}", self.proxy.addr())
    }
}

/// What the recording folder logged: every program the bootstrap started, with its arguments.
/// None of them holds a password, or even a user name (the whole `user:password@` stays off
/// the command line).
fn assert_no_secret_on_a_command_line(log: &Path, tool: &str) -> String {
    let logged = fs::read_to_string(log).unwrap_or_default();
    assert!(
        logged.lines().any(|l| l.starts_with(&format!("{tool} "))),
        "{tool} was not run through the recording folder:\n{logged}"
    );
    for secret in SECRETS {
        assert!(
            !logged.contains(secret),
            "`{secret}` on a command line:\n{logged}"
        );
    }
    logged
}

/// The mirror's `user:password@` (from `BPKIT_MIRRORS`) and the proxy's (from `http_proxy`)
/// reach curl on its stdin and in its environment, never in its arguments nor in any other
/// program's, and never in a message; a refused password is reported redacted.
#[test]
fn curl_gets_credentials_on_stdin_and_in_its_environment_never_in_argv() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let servers = auth_servers(MIRROR_PASSWORD);
    let log = staging.path().join("argv.log");
    let path = recording_path(staging.path(), &log, &[]);
    let tmp = staging.path().join("tmp");
    let mirror = |password: &str| {
        format!(
            "https://releases.example.invalid/={}",
            servers.mirror(password)
        )
    };
    let proxy = servers.proxy_url();

    // A wrong password: the server refuses it, and the line says so without showing it.
    let refused = detect_through_download(
        &staging,
        &bp,
        &path,
        &tmp,
        &[
            ("BPKIT_MIRRORS", &mirror(WRONG_PASSWORD)),
            ("http_proxy", &proxy),
        ],
    );
    assert_eq!((refused.code, refused.stdout.as_str()), (1, ""));
    assert!(
        refused.stderr.contains(&format!(
            "downloading http://-redacted-:-redacted-@mirror.bpkit-test.invalid:{}{} (mirror of https://releases.example.invalid/v9.9.9/bpkit-9.9.9-{}) failed (curl: (22) The requested URL returned error: 401)",
            servers.origin.addr().port(),
            servers.path,
            machine_target()
        )),
        "{}",
        refused.stderr
    );
    assert_no_secret_in(&refused.stderr);
    assert_no_secret_on_a_command_line(&log, "curl");

    let ok = detect_through_download(
        &staging,
        &bp,
        &path,
        &tmp,
        &[
            ("BPKIT_MIRRORS", &mirror(MIRROR_PASSWORD)),
            ("http_proxy", &proxy),
        ],
    );
    assert_eq!(
        (ok.code, ok.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        ok.stderr
    );
    assert!(
        ok.stderr
            .starts_with("-----> bpkit: downloading bpkit 9.9.9 (")
            && ok
                .stderr
                .contains("from http://-redacted-:-redacted-@mirror.bpkit-test.invalid:"),
        "{}",
        ok.stderr
    );
    assert_no_secret_in(&ok.stderr);
    assert!(
        servers.proxy.hits("FORWARD") >= 2,
        "{:?}",
        servers.proxy.methods_and_targets()
    );
    assert_eq!(servers.origin.hits(&servers.path), 2);
    let logged = assert_no_secret_on_a_command_line(&log, "curl");
    // Nor the URL at all: it went on stdin.
    // (`curl --help all` asks which options this curl has.)
    let downloads = logged
        .lines()
        .filter(|l| l.starts_with("curl ") && !l.starts_with("curl --help"));
    for line in downloads {
        assert!(!line.contains("mirror.bpkit-test.invalid"), "{line}");
        assert!(line.ends_with(" --config -"), "{line}");
    }
}

/// Without curl, wget gets the lock's `user:password@` URL on its stdin (`--input-file=-`)
/// and the proxy (here from an upper-case `HTTP_PROXY`, which wget ignores) in its
/// environment.
#[test]
fn wget_gets_credentials_on_stdin_and_in_its_environment_never_in_argv() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let servers = auth_servers(WGET_PASSWORD);
    let url = |password: &str| {
        format!(
            "{}v{{version}}/bpkit-{{version}}-{{target}}",
            servers.mirror(password)
        )
    };
    let log = staging.path().join("argv.log");
    let path = recording_path(staging.path(), &log, &["curl"]);
    let tmp = staging.path().join("tmp");

    fs::write(bp.join("bin/bpkit.lock"), lock_for(&url(WRONG_PASSWORD))).unwrap();
    let refused = detect_through_download(
        &staging,
        &bp,
        &path,
        &tmp,
        &[("HTTP_PROXY", &servers.proxy_url())],
    );
    assert_eq!((refused.code, refused.stdout.as_str()), (1, ""));
    assert!(
        refused.stderr.contains(&format!(
            "downloading http://-redacted-:-redacted-@mirror.bpkit-test.invalid:{}{} failed (the credentials were refused)",
            servers.origin.addr().port(),
            servers.path
        )),
        "{}",
        refused.stderr
    );
    assert_no_secret_in(&refused.stderr);
    assert_no_secret_on_a_command_line(&log, "wget");

    fs::write(bp.join("bin/bpkit.lock"), lock_for(&url(WGET_PASSWORD))).unwrap();
    let ok = detect_through_download(
        &staging,
        &bp,
        &path,
        &tmp,
        &[("HTTP_PROXY", &servers.proxy_url())],
    );
    assert_eq!(
        (ok.code, ok.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        ok.stderr
    );
    assert!(
        ok.stderr
            .contains("from http://-redacted-:-redacted-@mirror.bpkit-test.invalid:"),
        "{}",
        ok.stderr
    );
    assert_no_secret_in(&ok.stderr);
    assert!(servers.origin.hits(&servers.path) >= 1);
    let logged = assert_no_secret_on_a_command_line(&log, "wget");
    assert!(!logged.contains("\ncurl "), "{logged}");
    for line in logged.lines().filter(|l| l.starts_with("wget ")) {
        assert!(!line.contains("mirror.bpkit-test.invalid"), "{line}");
    }
}

/// The URL reaches curl or wget as one line of their stdin: a line break in it (here from
/// `BPKIT_MIRRORS`) would add a line of curl's config, an option of the mirror's choosing. It
/// is refused before either runs.
#[test]
fn a_download_url_with_a_line_break_is_refused_before_curl_runs() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let log = staging.path().join("argv.log");
    let path = recording_path(staging.path(), &log, &[]);
    let written = staging.path().join("written");
    let run = detect_through_download(
        &staging,
        &bp,
        &path,
        &staging.path().join("tmp"),
        &[(
            "BPKIT_MIRRORS",
            &format!(
                "https://releases.example.invalid/=http://127.0.0.1:9/\"\noutput = \"{}",
                written.display()
            ),
        )],
    );
    assert_failure_line(
        &staging,
        &run,
        &format!(
            ", there is no Cargo.toml in {} for cargo to build bpkit from, and no release binary could be downloaded: the download URL (from bin/bpkit.lock, or BPKIT_MIRRORS) has a control character in it; fix the one that has; set BPKIT_BINARY to a bpkit binary, or fix that rule of BPKIT_MIRRORS\n",
            bp.display()
        ),
    );
    let logged = fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !logged.contains("\ncurl ") && !logged.starts_with("curl "),
        "{logged}"
    );
    assert!(!written.exists());
}

/// Secrets the bootstrap's own redaction missed: a token in the query of the lock's URL (a
/// private release's `?access_token=`) and a mirror password pasted unencoded with a `/` in it.
/// Neither shows in the download line nor in the failure line (bpkit redacts both the same way).
#[test]
fn query_tokens_and_raw_slash_passwords_never_show_in_the_bootstrap_lines() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    let dead = common::server::refused_addr();
    fs::write(
        bp.join("bin/bpkit.lock"),
        lock_for(&format!(
            "http://{dead}/rel/bpkit-{{version}}-{{target}}?access_token=T0ken-s3cret&Signature=S1g-s3cret&job_token=J0b-s3cret&v=1"
        )),
    )
    .unwrap();
    let log = staging.path().join("argv.log");
    let path = recording_path(staging.path(), &log, &[]);
    let tmp = staging.path().join("tmp");
    let query = "?access_token=-redacted-&Signature=-redacted-&job_token=-redacted-&v=1";
    let target = machine_target();

    let direct = detect_through_download(&staging, &bp, &path, &tmp, &[]);
    assert_eq!(direct.code, 1, "{}", direct.stderr);
    for shown in [
        format!("from http://{dead}/rel/bpkit-9.9.9-{target}{query}, once per staging"),
        format!("downloading http://{dead}/rel/bpkit-9.9.9-{target}{query} failed ("),
    ] {
        assert!(direct.stderr.contains(&shown), "{shown}\n{}", direct.stderr);
    }

    let mirrored = detect_through_download(
        &staging,
        &bp,
        &path,
        &tmp,
        &[(
            "BPKIT_MIRRORS",
            &format!("http://{dead}/rel/=http://deploy:Sl4sh/p4ss@{dead}/mirror/"),
        )],
    );
    assert_eq!(mirrored.code, 1, "{}", mirrored.stderr);
    let shown = format!(
        "downloading http://-redacted-:-redacted-@{dead}/mirror/bpkit-9.9.9-{target}{query} (mirror of http://{dead}/rel/bpkit-9.9.9-{target}{query}) failed ("
    );
    assert!(
        mirrored.stderr.contains(&shown),
        "{shown}\n{}",
        mirrored.stderr
    );
    for run in [&direct, &mirrored] {
        for secret in [
            "T0ken-s3cret",
            "S1g-s3cret",
            "J0b-s3cret",
            "Sl4sh",
            "p4ss",
            "deploy",
        ] {
            assert!(!run.stderr.contains(secret), "{secret}:\n{}", run.stderr);
        }
    }
}

/// A `BPKIT_MIRRORS` rule bpkit refuses (no `=`, a prefix ending with `/` and a replacement
/// that does not, a side that is not an absolute URI, a `=` in a prefix's password or a `,` in
/// any password) is refused by the bootstrap too, with
/// bpkit's own words (compared with what `bpkit fetch` prints for the same setting) and its
/// credentials redacted, before curl runs: skipping the rule sent the download to the lock's
/// own server, which an air-gapped site cannot reach.
#[test]
fn a_mirror_rule_bpkit_refuses_is_refused_by_the_bootstrap_with_the_same_words() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let log = staging.path().join("argv.log");
    let path = recording_path(staging.path(), &log, &[]);
    for rules in [
        "https://releases.example.invalid/=file:///srv/bpkit",
        " https://other.example.invalid/=https://m.example.invalid/o/ , https://releases.example.invalid/ = https://deploy:S3cret-pw@m.example.invalid/rel ",
        "https://releases.example.invalid/",
        "https://releases.example.invalid/=/srv/bpkit/",
        "releases.example.invalid/=https://m.example.invalid/",
        // A replacement whose scheme is missing or misspelled still has its credentials.
        "https://releases.example.invalid/=deploy:S3cret-pw@m.example.invalid/rel/",
        "https://releases.example.invalid/=://deploy:S3cret-pw@m.example.invalid/rel/",
        "https://releases.example.invalid/=https:/deploy:S3cret-pw@m.example.invalid/rel/",
        "https://releases.example.invalid/=//deploy:S3cret-pw@m.example.invalid/rel/",
        // A `=` in the prefix's password would split the rule inside it.
        "https://deploy:S3cret-pw=@releases.example.invalid/=https://m.example.invalid/",
        "https://deploy:S3cret=pw@releases.example.invalid/",
        // A `,` in a user or password (either side) would split the list inside it.
        "https://deploy:S3cret,pw@releases.example.invalid/=https://m.example.invalid/",
        "https://other.example.invalid/=https://m.example.invalid/o/,https://releases.example.invalid/=https://deploy:S3cret,pw@m.example.invalid/rel/",
        "https://deploy,S3cret@releases.example.invalid/=https://m:S3cret-pw@m.example.invalid/",
        // A side left empty is said to be.
        "https://releases.example.invalid/=",
        " = https://m.example.invalid/",
        "=",
    ] {
        let bpkit = run(common::bin::bpkit()
            .args(["-q", "fetch"])
            .arg(&bp)
            .arg("--cache-dir")
            .arg(staging.path().join("cache"))
            .env("BPKIT_MIRRORS", rules));
        let message = bpkit
            .stderr
            .trim_end()
            .strip_prefix("bpkit: error: ")
            .and_then(|m| m.strip_suffix('.'))
            .unwrap_or_else(|| panic!("{rules}: {}", bpkit.stderr))
            .to_string();
        assert!(message.starts_with("BPKIT_MIRRORS=`"), "{message}");
        assert!(!message.contains("S3cret"), "{message}");
        let run = detect_through_download(
            &staging,
            &bp,
            &path,
            &staging.path().join("tmp"),
            &[("BPKIT_MIRRORS", rules)],
        );
        assert_failure_line(
            &staging,
            &run,
            &format!(
                ", and no release binary could be downloaded: {message}; set BPKIT_BINARY to a bpkit binary, or fix that rule of BPKIT_MIRRORS\n"
            ),
        );
        assert!(!run.stderr.contains("S3cret"), "{}", run.stderr);
    }
    let logged = fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !logged.contains("\ncurl ") && !logged.starts_with("curl "),
        "{logged}"
    );
    // The rules bpkit takes still apply (the download then fails at the unreachable mirror),
    // with line breaks around them too.
    let mirror = common::server::refused_url("/m/");
    let run = detect_through_download(
        &staging,
        &bp,
        &path,
        &staging.path().join("tmp"),
        &[(
            "BPKIT_MIRRORS",
            &format!("\n\thttps://releases.example.invalid/={mirror}\n"),
        )],
    );
    assert!(
        run.stderr.contains(&format!("downloading {mirror}v9.9.9/")),
        "{}",
        run.stderr
    );
}

/// The bootstrap's `redact` (cut out of `bin/bpkit` and run by `sh`) shows every URL as bpkit's
/// own `uri::redact` does: the same `-redacted-:-redacted-@` for `user:password@`, the same
/// reading of a password with a raw `/` (`user:pa/ss@host`, and `user:12/34@host`, which a URL
/// parser reads as port 12 but which could be a password), the same secret query parameters.
#[test]
fn the_bootstrap_redacts_every_url_as_bpkit_does() {
    let script = fs::read_to_string(repo_root().join("bin/bpkit")).unwrap();
    // `redact` and the `hidden_userinfo` and `redact_params` it calls, which come just before it.
    let start = script.find("\nhidden_userinfo() {\n").unwrap();
    let redact = start + script[start..].find("\nredact() {\n").unwrap();
    let end = redact + script[redact..].find("\n}\n").unwrap() + 3;
    let function = &script[start..end];
    let uris = [
        "https://user:s3cret@host:8080/a/x.tgz",
        "https://tok3n@github.com/x.tgz",
        "https://host/x.tgz",
        "https://u:p@ss@host/x",
        "https://user:pa/ss@host/x.tgz",
        "https://user:p#ss@host:8443/x.tgz?v=1",
        "http://user:p?s/s@s@host/a@b/x.tgz",
        "https://user:12/34@host/x.tgz",
        "https://user:12/34@host:8443/x.tgz?token=t#f",
        "http://user:12?34@host/x.tgz",
        "http://user:/12@host/x",
        "https://host:8080/pkg@1.0/x.tgz",
        "https://host/pkg@1.0/x.tgz",
        "https://[::1]:80/a@b",
        "https://u@host:99/a@b",
        "https://registry.example:8443/npm/@types/node/-/node-1.tgz",
        "https://host:8443/x.tgz?mail=a@b.example",
        "https://host:8443/x.tgz?v=1&a@b",
        "https://h/x?job_token=j0b&Refresh_Token=r&X-Api-Key=k&keyring=main&sig=s",
        "https://b.example/x.tgz?X-Amz-Credential=AK%2F1&X-Amz-Signature=abc&v=1#frag",
        "file:///srv/deps/x.tgz",
        // No scheme, or one missing or misspelled: the userinfo is still one.
        "u:p@h/x.tgz",
        "tok@h/x",
        "https:u:p@h/x",
        "://u:p@h/x",
        "://u:p@ss@[::1]:8443",
        "//u:p@h/x?token=t",
        "https:/u:p@h/x",
        "HTTPS:/tok3n@h/x#f",
        "https:///u:p@h/x",
        "HTTPS:///tok3n@h/x",
        "file:///u:p@h/x",
        "/srv/deps/pkg@1.0/x.tgz",
        "//host/pkg@1.0/x.tgz",
        "file:/srv/x.tgz",
        "://h/x",
        "//@h/x",
        // A raw `/`, `?` or `#` in a password without a scheme.
        "usr:Px/Secret@127.0.0.1:9",
        "usr:Px#Sec@ret@proxy:3128/",
        "usr:Px?Secret@h/x?token=t",
        "//usr:Px/Secret@h/x",
        "https:/usr:Px/Secret@h/x",
        "dir/x:1/a@b",
        "usr:1234/5678@proxy:3128",
        "//usr:12?34@h/x",
        "h:8080/@scope/x",
        "h:8080/x?mail=a@b",
        // A version after the `@` is no host; a word or an IPv4 address could be one.
        "https://host:8080/pkg@1.0/x.tgz",
        "https://host:8080/pkg@2.3.4-rc1:80/x?v=1",
        "https://host:8080/pkg@1.2.3.4.5/x",
        "https://host:8080/pkg@1./x",
        "https://host:8080/pkg@latest/x.tgz",
        "https://user:12/34@10.0.0.1:8080/x.tgz",
        "https://user:12/34@h/pkg@1.0/x",
        "host:8080/pkg@1.0",
        "//host:8080/pkg@1.0/x.tgz",
        "https:/host:8080/pkg@1.0/x.tgz",
        "user:12/34@host:8443",
        // Secret parameters in a fragment written as a query; a git ref stays.
        "https://h/x.tgz#access_token=Fr4g&state=1",
        "https://h/x?v=1#sig=Fr4g",
        "https://h/x#a?token=z",
        "https://h/r.git#v1.2=3",
        "https://h/x?#",
    ];
    let mut program = function.to_string();
    for uri in uris {
        program.push_str("redact '");
        program.push_str(uri);
        program.push_str("'; echo\n");
    }
    let out = Command::new("sh").arg("-c").arg(&program).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = String::from_utf8(out.stdout).unwrap();
    let shown: Vec<&str> = shown.lines().collect();
    assert_eq!(shown.len(), uris.len(), "{shown:?}");
    for (uri, shown) in uris.iter().zip(shown) {
        assert_eq!(shown, bpkit::fetch::uri::redact(uri), "{uri}");
    }
}

/// The bootstrap's `proxies_problem` (cut out of `bin/bpkit` with `redact`, which it calls, and
/// run by `sh`) refuses the proxy settings bpkit refuses, in bpkit's own words (`Config`'s
/// error for the same environment), and takes the ones bpkit takes: a setting with no host, a
/// port only, a port that is none, a scheme that is no proxy's went to curl or wget, which
/// failed on it in words of their own or took `3128` for a host name.
#[test]
fn the_bootstrap_refuses_the_proxy_settings_bpkit_refuses_in_its_words() {
    let script = fs::read_to_string(repo_root().join("bin/bpkit")).unwrap();
    let cut = |from: &str, to: &str| {
        let start = script.find(from).unwrap();
        let last = start + script[start..].find(to).unwrap();
        let end = last + script[last..].find("\n}\n").unwrap() + 3;
        script[start..end].to_string()
    };
    let functions = cut("\nhidden_userinfo() {\n", "\nredact() {\n")
        + &cut("\nproxy_problem() {\n", "\nproxies_problem() {\n");
    let values = [
        ":3128",
        "http://:3128",
        "http://:",
        "3128",
        " 3128 ",
        "proxy.example:99999",
        "http://proxy:0",
        "http://proxy:",
        "http://proxy:80x",
        "http://proxy:00080",
        "http://proxy:+80",
        "http://proxy:123456",
        "http://u:pw@:3128",
        "http://u@:80",
        "http://u:p@proxy:99999",
        "http://squid:Pr0xy/s3cret@127.0.0.1:9",
        "http://[]:80",
        "http://[::1]:3128",
        "http://[::1]",
        "http://[::1",
        "http://[::1]:0",
        "[::1]:99999",
        "ftp://proxy:21",
        "HTTP://proxy:3128",
        "Socks5h://proxy",
        "socks4a://proxy:1080",
        "http://",
        "http:///x",
        "//squid:Pr0xy-s3cret@127.0.0.1:9",
        "squid:Pr0xy/s3cret@127.0.0.1:9",
        "proxy example:3128",
        "http://squid:Pr0xy[s3cret@127.0.0.1:9",
        "http://squid:Pr0xy^s3cret@127.0.0.1:9",
        "http://squid:Pr0xy|s3cret@127.0.0.1:9",
        "http://squid:Pr0xy@s3cret@127.0.0.1:9",
        "http://proxy.example:3128",
        "http://proxy.example:3128/",
        "proxy.example:3128",
        "proxy",
    ];
    for value in values {
        for (variable, others) in [
            ("https_proxy", vec![]),
            (
                "HTTP_PROXY",
                vec![("https_proxy", "http://good.example:3128")],
            ),
            ("all_proxy", vec![]),
        ] {
            let env: Vec<(&str, &str)> = others.into_iter().chain([(variable, value)]).collect();
            let bpkit = bpkit::fetch::Config::from_lookup(&|name| {
                env.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_string())
            });
            let expected = match bpkit {
                Ok(_) => String::new(),
                Err(e) => e.to_string().strip_suffix('.').unwrap().to_string(),
            };
            let mut command = Command::new("sh");
            command
                .arg("-c")
                .arg(format!("{functions}proxies_problem"))
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap());
            for (k, v) in &env {
                command.env(k, v);
            }
            let out = command.output().unwrap();
            let shown = String::from_utf8(out.stdout).unwrap();
            assert_eq!(shown, expected, "{variable}={value:?}");
            assert_eq!(
                out.status.success(),
                expected.is_empty(),
                "{variable}={value:?}"
            );
            assert!(
                String::from_utf8_lossy(&out.stderr).is_empty(),
                "{variable}={value:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// Through a phase, a proxy setting bpkit refuses is the one line's reason, with its fix, and
/// nothing is downloaded.
#[test]
fn a_proxy_setting_bpkit_refuses_stops_the_bootstrap_before_curl_runs() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let log = staging.path().join("argv.log");
    let path = recording_path(staging.path(), &log, &[]);
    let run = detect_through_download(
        &staging,
        &bp,
        &path,
        &staging.path().join("tmp"),
        &[("HTTPS_PROXY", "http://squid:Pr0xy@:3128")],
    );
    assert_failure_line(
        &staging,
        &run,
        ", and no release binary could be downloaded: HTTPS_PROXY=`http://-redacted-:-redacted-@:3128` is not valid: it names a port only; write the proxy's host before it, as in http://proxy.example:3128; set BPKIT_BINARY to a bpkit binary, or correct that proxy variable, or unset it\n",
    );
    let logged = fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !logged.contains("\ncurl ") && !logged.starts_with("curl "),
        "{logged}"
    );
}

/// `http://user:password@host/` redirected to `https://host/` (both on their default ports,
/// reached through a proxy that routes each port to a test server): curl and wget take the
/// credentials along, as bpkit does (curl alone dropped them on the change of scheme, and the
/// download failed with 401). Redirected to another port of the host they do not go, and the
/// server refuses; no password shows in a message or on a command line either way.
#[test]
fn credentials_follow_a_redirect_up_to_https_on_the_same_host_as_in_bpkit() {
    use common::server::{Fault, PROXIED_CA_PEM, Server};
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let target = machine_target();
    let plain = Server::start();
    let tls = Server::start_tls_proxied();
    let proxy = Server::start();
    proxy.proxy_port_to(80, plain.addr());
    proxy.proxy_port_to(443, tls.addr());
    proxy.proxy_port_to(8443, tls.addr());
    let file = format!("bpkit-9.9.9-{target}");
    tls.route(
        &format!("/rel/{file}"),
        fs::read(bpkit_path()).unwrap(),
        Fault::BasicAuth {
            user: MIRROR_USER.into(),
            password: WGET_PASSWORD.into(),
        },
    );
    for (from, to) in [
        ("/up", "https://deps.bpkit-test.invalid/rel"),
        ("/port", "https://deps.bpkit-test.invalid:8443/rel"),
    ] {
        plain.route(
            &format!("{from}/{file}"),
            Vec::new(),
            Fault::Redirect {
                to: format!("{to}/{file}"),
            },
        );
    }
    let proxy_url = proxy.url("");
    let env = [
        ("http_proxy", proxy_url.as_str()),
        ("https_proxy", proxy_url.as_str()),
        ("SSL_CERT_FILE", PROXIED_CA_PEM),
    ];
    for tool in ["curl", "wget"] {
        let (log, path) = downloading_with(&staging, tool);
        for (from, works) in [("/up", true), ("/port", false)] {
            fs::write(
                bp.join("bin/bpkit.lock"),
                lock_for(&format!(
                    "http://{MIRROR_USER}:{WGET_PASSWORD}@deps.bpkit-test.invalid{from}/bpkit-{{version}}-{{target}}"
                )),
            )
            .unwrap();
            let tmp = staging.path().join(format!("tmp-{tool}{}", &from[1..]));
            let run = detect_through_download(&staging, &bp, &path, &tmp, &env);
            assert_no_secret_in(&run.stderr);
            if works {
                assert_eq!(
                    (run.code, run.stdout.as_str()),
                    (0, "hello\n"),
                    "{tool}: {}",
                    run.stderr
                );
            } else {
                assert_eq!(run.code, 1, "{tool}: {}", run.stderr);
                let refused = if tool == "curl" {
                    "(curl: (22) The requested URL returned error: 401)"
                } else {
                    "(the credentials were refused)"
                };
                assert!(
                    run.stderr.contains(&format!(
                        "downloading http://-redacted-:-redacted-@deps.bpkit-test.invalid/port/{file} failed {refused}"
                    )),
                    "{tool}: {}",
                    run.stderr
                );
            }
        }
        assert_no_secret_on_a_command_line(&log, tool);
    }
    // Each tool reached the https server with the credentials once (through /up), and
    // through /port without them.
    let authorized: Vec<bool> = tls
        .requests()
        .iter()
        .map(|r| r.headers.contains_key("authorization"))
        .collect();
    assert!(
        authorized.iter().filter(|a| **a).count() >= 2,
        "{authorized:?}"
    );
    assert!(authorized.iter().any(|a| !*a), "{authorized:?}");
}

/// A mirror on 127.0.0.1 is reached directly whatever the proxy variables say, as bpkit reaches
/// loopback: curl and wget sent it to the proxy (here one where nothing listens).
#[test]
fn a_loopback_mirror_never_goes_through_the_proxy() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let mirror = common::server::Server::start();
    mirror.serve(
        &format!("/rel/bpkit-9.9.9-{}", machine_target()),
        fs::read(bpkit_path()).unwrap(),
    );
    let rule = format!(
        "https://releases.example.invalid/v9.9.9/={}",
        mirror.url("/rel/")
    );
    let dead = common::server::refused_url("");
    for tool in ["curl", "wget"] {
        let (run, log) = detect_downloading_with(
            &staging,
            &bp,
            tool,
            &[
                ("BPKIT_MIRRORS", &rule),
                ("http_proxy", &dead),
                ("HTTP_PROXY", &dead),
                ("no_proxy", "corp.example"),
            ],
        );
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "hello\n"),
            "{tool}: {}",
            run.stderr
        );
        assert!(
            fs::read_to_string(&log)
                .unwrap()
                .contains(&format!("\n{tool} "))
        );
    }
}

/// A mirror rule's scheme and host match the lock's URL in any case, as bpkit matches them
/// (`HTTPS://Releases.Example.Invalid/…`): the rule was passed over and the download went to
/// the lock's own server, which an air-gapped site cannot reach.
#[test]
fn a_mirror_rule_matches_the_scheme_and_host_in_any_case() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let mirror = common::server::Server::start();
    mirror.serve(
        &format!("/rel/bpkit-9.9.9-{}", machine_target()),
        fs::read(bpkit_path()).unwrap(),
    );
    let rule = format!(
        "HTTPS://Releases.Example.INVALID/v9.9.9/={}",
        mirror.url("/rel/")
    );
    let (run, _) = detect_downloading_with(&staging, &bp, "curl", &[("BPKIT_MIRRORS", &rule)]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        run.stderr
    );
}

/// A redirect to a scheme written without `//` (`javascript:…`, `file:/etc/passwd`) is refused
/// as another scheme by both tools, as bpkit refuses it: with wget, the bootstrap resolved it
/// as a path on the same server and asked for `/rel/javascript:alert(1)`.
#[test]
fn a_redirect_to_a_scheme_without_slashes_is_refused_by_both_tools() {
    use common::server::{Fault, Server};
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let server = Server::start();
    let name = format!("bpkit-9.9.9-{}", machine_target());
    server.route(
        &format!("/rel/{name}"),
        Vec::new(),
        Fault::Redirect {
            to: "javascript:alert(1)".into(),
        },
    );
    fs::write(
        bp.join("bin/bpkit.lock"),
        lock_for(&server.url("/rel/bpkit-{version}-{target}")),
    )
    .unwrap();
    for tool in ["curl", "wget"] {
        let (run, _) = detect_downloading_with(&staging, &bp, tool, &[]);
        assert_eq!(run.code, 1, "{tool}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "downloading {} failed (redirected to javascript:alert(1), which is not an http:// or https:// URL)",
                server.url(&format!("/rel/{name}"))
            )),
            "{tool}: {}",
            run.stderr
        );
    }
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.target.contains("javascript")),
        "{:?}",
        server
            .requests()
            .iter()
            .map(|r| r.target.clone())
            .collect::<Vec<_>>()
    );
}

/// A release server that answers with other bytes than the lock's sha256 is not "unreachable":
/// the file is deleted, and the fix offered is a copy that matches (from the lock's own URL) or
/// the mirror's contents (through a mirror), not reaching the server.
#[test]
fn a_release_with_the_wrong_sha256_is_refused_with_the_fix_for_where_it_came_from() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let server = common::server::Server::start();
    let name = format!("bpkit-9.9.9-{}", machine_target());
    server.serve(&format!("/rel/{name}"), b"not the release".to_vec());
    server.serve(&format!("/mirror/{name}"), b"not the release".to_vec());
    fs::write(
        bp.join("bin/bpkit.lock"),
        lock_for(&server.url("/rel/bpkit-{version}-{target}")),
    )
    .unwrap();
    let rule = format!("{}={}", server.url("/rel/"), server.url("/mirror/"));
    let cases = [
        (
            None,
            "point BPKIT_MIRRORS at a copy of the release bin/bpkit.lock names\n",
        ),
        (
            Some(rule.as_str()),
            "make that mirror serve the release bin/bpkit.lock names\n",
        ),
    ];
    for (mirrors, fix) in cases {
        let env: Vec<(&str, &str)> = mirrors.map(|m| ("BPKIT_MIRRORS", m)).into_iter().collect();
        let (run, _) = detect_downloading_with(&staging, &bp, "curl", &env);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let line = run.stderr.lines().last().unwrap_or_default().to_string() + "\n";
        assert!(
            line.contains("has sha256 ")
                && line.contains(" so it was deleted; set BPKIT_BINARY to a bpkit binary")
                && line.ends_with(fix),
            "{mirrors:?}: {}",
            run.stderr
        );
    }
}

/// A mirror that accepts the connection and then sends nothing is given up on after
/// `BPKIT_READ_TIMEOUT` seconds without a byte, retried `BPKIT_RETRIES` times, as bpkit's own
/// downloads are (the bootstrap waited out curl's 10-minute limit, three times); a setting
/// bpkit refuses is refused with bpkit's words.
#[test]
fn a_stalled_mirror_is_given_up_on_after_the_read_timeout() {
    use common::server::Fault;
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let ReleaseMirror {
        server: mirror,
        path,
        rule,
    } = release_mirror(fs::read(bpkit_path()).unwrap(), Fault::Stall { after: 0 });
    for tool in ["curl", "wget"] {
        let (_, recording) = downloading_with(&staging, tool);
        let hits = mirror.hits(&path);
        let started = std::time::Instant::now();
        let run = detect_through_download(
            &staging,
            &bp,
            &recording,
            &staging.path().join(format!("tmp-{tool}")),
            &[
                ("BPKIT_MIRRORS", &rule),
                ("BPKIT_READ_TIMEOUT", "1"),
                ("BPKIT_RETRIES", "1"),
            ],
        );
        let took = started.elapsed();
        assert_eq!(run.code, 1, "{tool}: {}", run.stderr);
        assert!(
            took < std::time::Duration::from_secs(20),
            "{tool}: {took:?}"
        );
        assert_eq!(mirror.hits(&path) - hits, 2, "{tool}: one retry");
        if tool == "curl" {
            assert!(
                run.stderr.contains(
                    "(curl: (28) Operation too slow. Less than 1 bytes/sec transferred the last 1 seconds); set BPKIT_CONNECT_TIMEOUT or BPKIT_READ_TIMEOUT to wait longer;"
                ),
                "{}",
                run.stderr
            );
        }
        assert!(
            !fs::read_dir(staging.path().join(format!("tmp-{tool}")))
                .unwrap()
                .flatten()
                .any(|e| e.path().join("bpkit").exists()),
            "{tool}: nothing kept"
        );
    }
    let log = staging.path().join("bad.log");
    let recording = recording_path(&staging.path().join("bad"), &log, &[]);
    for (name, value, reason) in [
        (
            "BPKIT_READ_TIMEOUT",
            "soon",
            "expected a positive number of seconds, such as 30 or 0.5",
        ),
        (
            "BPKIT_CONNECT_TIMEOUT",
            "0",
            "expected a positive number of seconds, such as 30 or 0.5",
        ),
        (
            "BPKIT_RETRIES",
            "lots",
            "expected a whole number of retries, such as 2 (0 turns retries off)",
        ),
    ] {
        let run = detect_through_download(
            &staging,
            &bp,
            &recording,
            &staging.path().join("tmp"),
            &[("BPKIT_MIRRORS", &rule), (name, value)],
        );
        assert_failure_line(
            &staging,
            &run,
            &format!(
                "no release binary could be downloaded: {name}=`{value}` is not valid: {reason}; set BPKIT_BINARY to a bpkit binary, or point BPKIT_MIRRORS at a reachable copy of the release\n"
            ),
        );
    }
}

/// A mirror password pasted unencoded with a `/` and a `#` in it (`deploy:pa/ss#w@host`) is
/// still the password, as bpkit takes it: curl and wget get it percent-encoded (they would end
/// the host at the `/` and fail on its "port"), and the server accepts it.
#[test]
fn a_raw_slash_password_is_sent_as_bpkit_sends_it() {
    use common::server::{Fault, Server};
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let mirror = Server::start();
    let path = format!("/rel/bpkit-9.9.9-{}", machine_target());
    mirror.route(
        &path,
        fs::read(bpkit_path()).unwrap(),
        Fault::BasicAuth {
            user: MIRROR_USER.into(),
            password: "Sl4sh/p4ss#w".into(),
        },
    );
    let rule = format!(
        "https://releases.example.invalid/v9.9.9/=http://{MIRROR_USER}:Sl4sh/p4ss#w@{}/rel/",
        mirror.addr()
    );
    for tool in ["curl", "wget"] {
        let (run, _) = detect_downloading_with(&staging, &bp, tool, &[("BPKIT_MIRRORS", &rule)]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "hello\n"),
            "{tool}: {}",
            run.stderr
        );
        for secret in ["Sl4sh", "p4ss", MIRROR_USER] {
            assert!(!run.stderr.contains(secret), "{tool}: {}", run.stderr);
        }
    }
}

/// `deploy:4242/pw@host`: every URL parser (curl's, wget's) reads host `deploy`, port 4242, so
/// the download fails there; the line says so and what to encode, and shows neither piece of
/// what may be a password (curl's own line named `deploy` and port `4242`).
#[test]
fn a_password_of_digits_before_a_raw_slash_is_not_shown_when_the_download_fails() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let dead = common::server::refused_addr();
    for tool in ["curl", "wget"] {
        let (run, _) = detect_downloading_with(
            &staging,
            &bp,
            tool,
            &[(
                "BPKIT_MIRRORS",
                &format!("https://releases.example.invalid/=http://deploy:4242/Pw9x@{dead}/m/"),
            )],
        );
        assert_eq!(run.code, 1, "{tool}: {}", run.stderr);
        let line = format!(
            "no release binary could be downloaded: downloading http://-redacted-:-redacted-@{dead}/m/v9.9.9/bpkit-9.9.9-{} (mirror of https://releases.example.invalid/v9.9.9/bpkit-9.9.9-{}) failed; as written, its URL names a host and port before its first `/`: if what comes before its `@` is a user and password, percent-encode each `/`, `?` and `#` in the password (%2F, %3F, %23); set BPKIT_BINARY to a bpkit binary, or point BPKIT_MIRRORS at a reachable copy of the release\n",
            machine_target(),
            machine_target()
        );
        assert!(run.stderr.contains(&line), "{tool}: {}", run.stderr);
        for secret in ["deploy", "4242", "Pw9x"] {
            assert!(!run.stderr.contains(secret), "{tool}: {}", run.stderr);
        }
    }
}

/// The release binary served over TLS by `origin` at `path`, which `proxy` (plain HTTP, as
/// HTTPS_PROXY names it) reaches by CONNECT.
struct ProxiedRelease {
    origin: common::server::Server,
    path: String,
    proxy: common::server::Server,
}

fn proxied_release() -> ProxiedRelease {
    use common::server::Server;
    let origin = Server::start_tls_proxied();
    let path = format!("/rel/bpkit-9.9.9-{}", machine_target());
    origin.serve(&path, fs::read(bpkit_path()).unwrap());
    let proxy = Server::start();
    proxy.proxy_to(origin.addr());
    ProxiedRelease {
        origin,
        path,
        proxy,
    }
}

/// The pieces of the `@` passwords below, which no line may show, nor any command line.
const AT_PIECES: [&str; 5] = ["Pr0xy", "s3cret", "Wr0ng", "Pa55", "w0rd"];

fn assert_no_piece_in(tool: &str, what: &str, text: &str) {
    for piece in AT_PIECES {
        assert!(
            !text.contains(piece),
            "{tool}: `{piece}` in {what}:\n{text}"
        );
    }
}

/// A proxy password with an `@` in it (`squid:Pr0xy@s3cret@proxy`, which bpkit takes: the last
/// `@` ends the userinfo), written with a scheme or without, reaches curl and wget with its
/// user and password percent-encoded, so both read it as bpkit does and the download goes
/// through the proxy; a wrong password and a proxy where nothing listens fail without a piece
/// of the password in any line. curl refused the setting (`Unsupported proxy syntax`), and
/// wget took `s3cret@127.0.0.1` for the proxy's host and named it (`unable to resolve host
/// address ‘s3cret@127.0.0.1’`); without a scheme, wget read it as an ftp:// URL.
#[test]
fn a_proxy_password_with_an_at_sign_goes_through_and_never_shows() {
    use common::server::PROXIED_CA_PEM;
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let ProxiedRelease {
        origin,
        path,
        proxy,
    } = proxied_release();
    proxy.require_proxy_auth("squid", "Pr0xy@s3cret");
    fs::write(
        bp.join("bin/bpkit.lock"),
        lock_for("https://deps.bpkit-test.invalid/rel/bpkit-{version}-{target}"),
    )
    .unwrap();
    let at = proxy.addr();
    let dead = common::server::refused_addr();
    let cases = [
        (format!("http://squid:Pr0xy@s3cret@{at}"), true),
        (format!("squid:Pr0xy@s3cret@{at}"), true),
        (format!("http://squid:Wr0ng@s3cret@{at}"), false),
        (format!("http://squid:Pr0xy@s3cret@{dead}"), false),
        (format!("squid:Pr0xy@s3cret@{dead}"), false),
    ];
    for tool in ["curl", "wget"] {
        let (log, recording) = downloading_with(&staging, tool);
        for (i, (setting, works)) in cases.iter().enumerate() {
            let tmp = staging.path().join(format!("tmp-{tool}-{i}"));
            let run = detect_through_download(
                &staging,
                &bp,
                &recording,
                &tmp,
                &[
                    ("HTTPS_PROXY", setting),
                    ("SSL_CERT_FILE", PROXIED_CA_PEM),
                    ("BPKIT_RETRIES", "0"),
                ],
            );
            if *works {
                assert_eq!(
                    (run.code, run.stdout.as_str()),
                    (0, "hello\n"),
                    "{tool} {setting}: {}",
                    run.stderr
                );
            } else {
                assert_eq!(
                    (run.code, run.stdout.as_str()),
                    (1, ""),
                    "{tool} {setting}: {}",
                    run.stderr
                );
                assert!(
                    run.stderr.contains(&format!(
                        ", and no release binary could be downloaded: downloading https://deps.bpkit-test.invalid{path} failed ("
                    )),
                    "{tool} {setting}: {}",
                    run.stderr
                );
            }
            assert_no_piece_in(tool, "stderr", &run.stderr);
        }
        let logged = fs::read_to_string(&log).unwrap_or_default();
        assert!(logged.contains(&format!("{tool} ")), "{logged}");
        assert_no_piece_in(tool, "a command line", &logged);
    }
    // Two downloads through the proxy with each tool.
    assert_eq!(origin.hits(&path), 4);
}

/// A mirror password with an `@` in it (`deploy:Pa55@w0rd@host`, the last `@` ending the
/// userinfo, as bpkit reads it) reaches curl and wget percent-encoded: the download works,
/// and one that fails (a wrong password, nothing listening) names no piece of it. curl refused
/// the URL (`URL using bad/illegal format`), and wget looked up `w0rd@127.0.0.1` and named it.
#[test]
fn a_mirror_password_with_an_at_sign_is_sent_as_bpkit_sends_it_and_never_shown() {
    use common::server::{Fault, Server};
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let mirror = Server::start();
    let path = format!("/rel/bpkit-9.9.9-{}", machine_target());
    mirror.route(
        &path,
        fs::read(bpkit_path()).unwrap(),
        Fault::BasicAuth {
            user: MIRROR_USER.into(),
            password: "Pa55@w0rd".into(),
        },
    );
    let dead = common::server::refused_addr();
    let rule = |password: &str, at: std::net::SocketAddr| {
        format!(
            "https://releases.example.invalid/v9.9.9/=http://{MIRROR_USER}:{password}@{at}/rel/"
        )
    };
    let cases = [
        (rule("Pa55@w0rd", mirror.addr()), true),
        (rule("Wr0ng@w0rd", mirror.addr()), false),
        (rule("Pa55@w0rd", dead), false),
    ];
    for tool in ["curl", "wget"] {
        let (log, recording) = downloading_with(&staging, tool);
        for (i, (rule, works)) in cases.iter().enumerate() {
            let tmp = staging.path().join(format!("tmp-{tool}-{i}"));
            let run = detect_through_download(
                &staging,
                &bp,
                &recording,
                &tmp,
                &[("BPKIT_MIRRORS", rule), ("BPKIT_RETRIES", "0")],
            );
            assert_eq!(
                (run.code, run.stdout.as_str()),
                if *works { (0, "hello\n") } else { (1, "") },
                "{tool} {rule}: {}",
                run.stderr
            );
            assert!(
                run.stderr
                    .contains("http://-redacted-:-redacted-@127.0.0.1:"),
                "{tool} {rule}: {}",
                run.stderr
            );
            assert_no_piece_in(tool, "stderr", &run.stderr);
        }
        let logged = fs::read_to_string(&log).unwrap_or_default();
        assert!(logged.contains(&format!("{tool} ")), "{logged}");
        assert_no_piece_in(tool, "a command line", &logged);
    }
    assert!(mirror.hits(&path) >= 4, "{}", mirror.hits(&path));
}

/// A proxy setting wget cannot parse (`Bad port number`, for a raw `/` in the password) is one
/// bpkit refuses too: the bootstrap refuses it before wget runs, in bpkit's words and without
/// the proxy's password, where wget's exit 8 read as a server's error answer.
#[test]
fn a_proxy_setting_wget_cannot_parse_is_refused_before_wget_runs_without_its_password() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let dead = common::server::refused_addr();
    let proxy = format!("http://squid:Pr0xy/s3cret@{dead}");
    let (run, log) = detect_downloading_with(&staging, &bp, "wget", &[("HTTPS_PROXY", &proxy)]);
    assert_eq!(
        (run.code, run.stderr.lines().count()),
        (1, 1),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with(&format!(
            ", and no release binary could be downloaded: HTTPS_PROXY=`http://-redacted-:-redacted-@{dead}` is not valid: its port is no number (a number from 1 to 65535); write the proxy's port, as in http://proxy.example:3128; set BPKIT_BINARY to a bpkit binary, or correct that proxy variable, or unset it\n"
        )),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Pr0xy"), "{}", run.stderr);
    let logged = fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !logged.contains("\nwget ") && !logged.starts_with("wget "),
        "{logged}"
    );
}

/// A proxy bpkit takes but wget cannot use (a SOCKS one; an https:// one for an http://
/// download), with no curl to download with: the one line gives wget's own, the proxy's
/// password redacted, says what wget takes and offers curl or an http:// proxy, where it offered
/// a mirror, which cannot help. (wget exits 8 with no answer: the branch for a proxy it refuses
/// is still reached after the bootstrap's own check of the proxy settings.)
#[test]
fn a_proxy_bpkit_takes_but_wget_cannot_use_is_said_so_with_the_fix() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let dead = common::server::refused_addr();
    let http_mirror =
        "https://releases.example.invalid/=http://mirror.example.invalid/m/".to_string();
    for (variable, proxy, mirror, wget_line) in [
        (
            "HTTPS_PROXY",
            format!("socks5://squid:Pr0xy@s3cret@{dead}"),
            None,
            format!(
                "(wget: Error parsing proxy URL socks5://-redacted-:-redacted-@{dead}: Unsupported scheme "
            ),
        ),
        (
            "http_proxy",
            format!("https://squid:Pr0xy@s3cret@{dead}"),
            Some(http_mirror.as_str()),
            format!(
                "(wget: Error in proxy URL https://-redacted-:-redacted-@{dead}: Must be HTTP.)"
            ),
        ),
    ] {
        let mut env = vec![(variable, proxy.as_str()), ("BPKIT_RETRIES", "0")];
        env.extend(mirror.map(|rule| ("BPKIT_MIRRORS", rule)));
        let (run, _) = detect_downloading_with(&staging, &bp, "wget", &env);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (1, ""),
            "{proxy}: {}",
            run.stderr
        );
        let line = run.stderr.lines().last().unwrap_or_default();
        assert!(line.contains(&wget_line), "{proxy}: {line}");
        assert!(
            line.ends_with(&format!(
                "; wget takes only http:// proxies (and https:// ones for https:// downloads); set BPKIT_BINARY to a bpkit binary, or install curl, which takes every proxy bpkit takes, or set {variable} to an http:// proxy"
            )),
            "{proxy}: {line}"
        );
        assert_no_piece_in("wget", "stderr", &run.stderr);
    }
}

/// A proxy that refuses the user and password of its URI (407 Proxy Authentication Required, to
/// the CONNECT of an https:// download or to the request itself of an http:// one), or that
/// wants some where its URI has none, is said so in bpkit's words under curl and wget, naming
/// the proxy (redacted) and the variable it came from, with the fix in that variable: curl's
/// line was `(22) HTTP response code said error` (or `… returned error: 407`) and wget's
/// `Proxy tunneling failed: Proxy Authentication RequiredUnable to establish SSL connection.`
/// (or `the server answered an error (407)`), and the fix offered a mirror, which goes
/// through the same proxy.
#[test]
fn a_proxy_refusing_its_credentials_is_said_so_naming_it_and_its_variable() {
    use common::server::Server;
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    let origin = Server::start();
    let proxy = Server::start();
    proxy.proxy_to(origin.addr());
    proxy.require_proxy_auth("squid", "Pr0xy@s3cret");
    let at = proxy.addr();
    let refused = "the proxy refused the user and password of its URI; set BPKIT_BINARY to a bpkit binary, or correct the proxy's user and password in";
    let wanted = "the proxy wants a user and password; set BPKIT_BINARY to a bpkit binary, or write the proxy's user and password into";
    let cases = [
        (
            "https",
            "HTTPS_PROXY",
            format!("http://squid:Wr0ng@s3cret@{at}"),
            format!(
                "(the proxy http://-redacted-:-redacted-@{at} (HTTPS_PROXY) answered 407 Proxy Authentication Required); {refused} HTTPS_PROXY"
            ),
        ),
        (
            "http",
            "http_proxy",
            format!("squid:Wr0ng@s3cret@{at}"),
            format!(
                "(the proxy -redacted-:-redacted-@{at} (http_proxy) answered 407 Proxy Authentication Required); {refused} http_proxy"
            ),
        ),
        (
            "https",
            "ALL_PROXY",
            format!("http://{at}"),
            format!(
                "(the proxy http://{at} (ALL_PROXY) answered 407 Proxy Authentication Required); {wanted} ALL_PROXY as http://user:password@proxy:3128"
            ),
        ),
        (
            "http",
            "HTTP_PROXY",
            format!("http://{at}/"),
            format!(
                "(the proxy http://{at}/ (HTTP_PROXY) answered 407 Proxy Authentication Required); {wanted} HTTP_PROXY as http://user:password@proxy:3128"
            ),
        ),
    ];
    for tool in ["curl", "wget"] {
        let (_, recording) = downloading_with(&staging, tool);
        for (i, (scheme, variable, setting, said)) in cases.iter().enumerate() {
            let url = format!(
                "{scheme}://deps.bpkit-test.invalid/rel/bpkit-9.9.9-{}",
                machine_target()
            );
            fs::write(
                bp.join("bin/bpkit.lock"),
                lock_for(&format!(
                    "{scheme}://deps.bpkit-test.invalid/rel/bpkit-{{version}}-{{target}}"
                )),
            )
            .unwrap();
            let tmp = staging.path().join(format!("tmp-{tool}-{i}"));
            let run = detect_through_download(
                &staging,
                &bp,
                &recording,
                &tmp,
                &[(variable, setting), ("BPKIT_RETRIES", "0")],
            );
            let context = format!("{tool} {variable}={setting}:\n{}", run.stderr);
            assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{context}");
            let lines: Vec<&str> = run.stderr.lines().collect();
            assert_eq!(lines.len(), 2, "{context}");
            assert_eq!(
                lines[0],
                format!(
                    "-----> bpkit: downloading bpkit 9.9.9 ({}) from {url}, once per staging",
                    machine_target()
                ),
                "{context}"
            );
            assert!(
                lines[1].starts_with(&format!(
                    "       **ERROR** bpkit: no bpkit binary: BPKIT_BINARY is not set, none is cached in {}/bpkit-2.3.4-",
                    tmp.display()
                )),
                "{context}"
            );
            assert!(
                lines[1].ends_with(&format!(
                    ", there is no Cargo.toml in {} for cargo to build bpkit from, and no release binary could be downloaded: downloading {url} failed {said}",
                    bp.display()
                )),
                "{context}"
            );
            assert!(!run.stderr.contains("squid"), "{context}");
            assert_no_piece_in(tool, "stderr", &run.stderr);
        }
    }
    assert_eq!(origin.requests().len(), 0);
}

/// wget's own settings (the file WGETRC names, else ~/.wgetrc, and /etc/wgetrc) would take
/// priority over the environment: a proxy there went unchecked by the bootstrap and was used
/// instead of the one in HTTPS_PROXY, `use_proxy = off` or a `no_proxy` there sent the download
/// past it, and the line named a variable that was never used. wget runs with `--no-config`,
/// so the proxy variables bpkit reads are the only ones, as for bpkit: here each of those files
/// is ignored and the download goes through HTTPS_PROXY's proxy, never the other.
#[test]
fn wget_settings_of_its_own_never_override_the_proxy_variables() {
    own_settings_never_override_the_proxy_variables(
        "wget",
        |elsewhere| {
            vec![
                format!("use_proxy = on\nhttps_proxy = {elsewhere}\nhttp_proxy = {elsewhere}\n"),
                "use_proxy = off\n".to_string(),
                "no_proxy = .bpkit-test.invalid\n".to_string(),
            ]
        },
        &[("WGETRC", None), ("HOME", Some(".wgetrc"))],
    );
}

/// The same for curl's own settings (~/.curlrc, found through CURL_HOME, XDG_CONFIG_HOME or
/// HOME), whose `proxy =` or `noproxy =` won over the variables: curl runs with `-q`.
#[test]
fn curl_settings_of_its_own_never_override_the_proxy_variables() {
    own_settings_never_override_the_proxy_variables(
        "curl",
        |elsewhere| {
            vec![
                format!("proxy = \"{elsewhere}\"\n"),
                "noproxy = \"*\"\n".to_string(),
            ]
        },
        &[
            ("CURL_HOME", Some(".curlrc")),
            ("XDG_CONFIG_HOME", Some(".curlrc")),
            ("HOME", Some(".curlrc")),
        ],
    );
}

/// Each of `settings` (given a proxy URL that is not HTTPS_PROXY's) written where `tool` reads
/// its own settings, each of `places` in turn (the variable, and the name of the file in the
/// folder it names; `None`: it names the file), must leave the download going through
/// HTTPS_PROXY's proxy and never the other.
fn own_settings_never_override_the_proxy_variables(
    tool: &str,
    settings: impl Fn(&str) -> Vec<String>,
    places: &[(&str, Option<&str>)],
) {
    use common::server::{PROXIED_CA_PEM, Server};
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let ProxiedRelease {
        origin,
        path,
        proxy,
    } = proxied_release();
    // Not a proxy (405 to anything sent as to one), and it counts what reaches it.
    let bogus = Server::start();
    fs::write(
        bp.join("bin/bpkit.lock"),
        lock_for("https://deps.bpkit-test.invalid/rel/bpkit-{version}-{target}"),
    )
    .unwrap();
    let settings = settings(&format!("http://{}/", bogus.addr()));
    let (_, recording) = downloading_with(&staging, tool);
    let mut runs = 0;
    for (i, setting) in settings.iter().enumerate() {
        for (j, (variable, file_name)) in places.iter().enumerate() {
            let place = staging.path().join(format!("settings-{i}-{j}"));
            if let Some(name) = file_name {
                fs::create_dir_all(&place).unwrap();
                fs::write(place.join(name), setting).unwrap();
            } else {
                fs::write(&place, setting).unwrap();
            }
            let value = place;
            let tmp = staging.path().join(format!("tmp-{i}-{j}"));
            let run = detect_through_download(
                &staging,
                &bp,
                &recording,
                &tmp,
                &[
                    (variable, value.to_str().unwrap()),
                    ("HTTPS_PROXY", &format!("http://{}", proxy.addr())),
                    ("SSL_CERT_FILE", PROXIED_CA_PEM),
                    ("BPKIT_RETRIES", "0"),
                ],
            );
            assert_eq!(
                (run.code, run.stdout.as_str()),
                (0, "hello\n"),
                "{tool}: {variable}={} holding {setting:?}: {}",
                value.display(),
                run.stderr
            );
            runs += 1;
        }
    }
    assert_eq!(origin.hits(&path), runs);
    assert_eq!(proxy.hits("CONNECT"), runs);
    assert!(
        bogus.requests().is_empty(),
        "{tool}: {:?}",
        bogus.methods_and_targets()
    );
}

/// A network failure under wget says which one, in wget's words: here the mirror's name does
/// not resolve.
#[test]
fn a_network_failure_under_wget_says_which_one() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let rule = "https://releases.example.invalid/=http://mirror.example.invalid/m/";
    let (run, _) = detect_downloading_with(&staging, &bp, "wget", &[("BPKIT_MIRRORS", rule)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // wget quotes the name with ‘’ or '' as the locale has it.
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("failed (a network failure: wget: unable to resolve host address "))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(line.contains("mirror.example.invalid"), "{line}");
}

/// A mirror that sends without end (no `Content-Length`) is stopped once past
/// `BPKIT_MAX_DOWNLOAD_SIZE` (the bootstrap's default 256M; bpkit's words), under curl and wget,
/// and nothing of it is left: the bootstrap downloaded until curl's 10 minutes were up (wget's
/// forever), filling the staging container's disk. A size bpkit refuses is refused too.
#[test]
fn a_mirror_sending_without_end_is_stopped_at_the_size_limit_and_removed() {
    use common::server::Fault;
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let ReleaseMirror {
        server: mirror,
        path: _,
        rule,
    } = release_mirror(vec![b'x'; 64 << 10], Fault::Endless);
    for tool in ["curl", "wget"] {
        let started = std::time::Instant::now();
        let (run, _) = detect_downloading_with(
            &staging,
            &bp,
            tool,
            &[("BPKIT_MIRRORS", &rule), ("BPKIT_MAX_DOWNLOAD_SIZE", "1M")],
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{tool}"
        );
        assert_eq!(run.code, 1, "{tool}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "{}/rel/bpkit-9.9.9-{} (mirror of https://releases.example.invalid/v9.9.9/bpkit-9.9.9-{}) failed (the server sent more than the 1048576 bytes a download may have, announcing no size); if the file is that large, set BPKIT_MAX_DOWNLOAD_SIZE to a larger size (such as 8G), or to 0 for no limit; set BPKIT_BINARY to a bpkit binary, or make that mirror serve the release bin/bpkit.lock names\n",
                mirror.url(""),
                machine_target(),
                machine_target()
            )),
            "{tool}: {}",
            run.stderr
        );
        let left = left_in_download_folders(&staging.path().join(format!("tmp-{tool}")));
        assert!(left.is_empty(), "{tool}: {left:?}");
    }
    let log = staging.path().join("bad.log");
    let recording = recording_path(&staging.path().join("bad"), &log, &[]);
    let run = detect_through_download(
        &staging,
        &bp,
        &recording,
        &staging.path().join("tmp"),
        &[
            ("BPKIT_MIRRORS", &rule),
            ("BPKIT_MAX_DOWNLOAD_SIZE", "lots"),
        ],
    );
    assert_failure_line(
        &staging,
        &run,
        "no release binary could be downloaded: BPKIT_MAX_DOWNLOAD_SIZE=`lots` is not valid: expected a whole number of bytes, optionally with K, M, G or T (1024-based), such as 8G; 0 turns the limit off; set BPKIT_BINARY to a bpkit binary, or set BPKIT_MAX_DOWNLOAD_SIZE to a size such as 256M\n",
    );
}

/// A TMPDIR the download's folder cannot be made in (here a file; read-only or full the same)
/// is one line, with mkdir's reason in it and TMPDIR as the fix: mkdir's own line came first,
/// a second line, and the fix offered was a mirror, which could not help.
#[test]
fn a_tmpdir_the_download_cannot_go_in_is_one_line_naming_tmpdir() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let tmp = staging.path().join("tmp-file");
    fs::write(&tmp, "").unwrap();
    let recording = recording_path(staging.path(), &staging.path().join("curl.log"), &[]);
    let run = run(staging
        .command(&bp, "detect")
        .env("PATH", &recording)
        .env("TMPDIR", &tmp)
        .env_remove("BPKIT_BINARY")
        .env_remove("BPKIT_MIRRORS")
        .arg(&staging.app));
    assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    // mkdir's line, as the locale and its path have it: `mkdir: cannot create directory …`.
    let start = format!(
        ", there is no Cargo.toml in {} for cargo to build bpkit from, and no release binary could be downloaded: TMPDIR {} is not a folder, and cannot be made one (",
        bp.display(),
        tmp.display()
    );
    assert!(run.stderr.contains(&start), "{}", run.stderr);
    assert!(
        run.stderr.ends_with(
            ": File exists); set BPKIT_BINARY to a bpkit binary, or set TMPDIR to a folder this user can write to\n"
        ),
        "{}",
        run.stderr
    );
}

/// The staging stopped mid-download (SIGTERM, as the platform stops it, or Ctrl-C's SIGINT, to
/// the process group) leaves no part file in the shared TMPDIR, under curl and wget, and the
/// script exits as the signal says (143, 130): its part file stayed, as large as the server
/// had sent (a server sending without end: as large as the limit).
#[test]
fn a_download_stopped_by_a_signal_leaves_no_part_file() {
    use common::server::Fault;
    use std::os::unix::process::CommandExt;
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let ReleaseMirror {
        server: _mirror,
        path: _,
        rule,
    } = release_mirror(
        fs::read(bpkit_path()).unwrap(),
        Fault::Stall { after: 4096 },
    );
    for tool in ["curl", "wget"] {
        for (signal, code) in [("TERM", 143), ("INT", 130)] {
            let (_, recording) = downloading_with(&staging, tool);
            let tmp = staging.path().join(format!("tmp-{tool}-{signal}"));
            fs::create_dir_all(&tmp).unwrap();
            let mut detect = staging.command(&bp, "detect");
            detect
                .env("PATH", &recording)
                .env("TMPDIR", &tmp)
                .env_remove("BPKIT_BINARY")
                .env("BPKIT_MIRRORS", &rule)
                .arg(&staging.app);
            let mut child = common::process::with_default_signals(&detect)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap();
            let part_written = || {
                fs::read_dir(&tmp).unwrap().flatten().any(|d| {
                    fs::read_dir(d.path()).is_ok_and(|files| {
                        files
                            .flatten()
                            .any(|f| f.metadata().is_ok_and(|m| m.len() > 0))
                    })
                })
            };
            let started = std::time::Instant::now();
            while !part_written() {
                assert!(
                    started.elapsed() < std::time::Duration::from_secs(20),
                    "{tool}: no part file"
                );
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let sent = Command::new("kill")
                .args([&format!("-{signal}"), "--", &format!("-{}", child.id())])
                .status()
                .unwrap();
            assert!(sent.success());
            let status = child.wait().unwrap();
            assert_eq!(status.code(), Some(code), "{tool}, signal {signal}");
            let left = left_in_download_folders(&tmp);
            assert!(left.is_empty(), "{tool}, signal {signal}: {left:?}");
        }
    }
}

/// A lock's sha256 in capitals is the same sum (sha256sum prints small letters, so it never
/// matched, and every download was deleted); one that is not 64 hex digits, or a version that
/// is not one (it goes into sed and a folder's name), is one line naming the lock's line,
/// before anything is downloaded.
#[test]
fn a_lock_with_a_sha256_in_capitals_is_read_and_a_malformed_one_refused_before_a_download() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let server = common::server::Server::start();
    let path = format!("/rel/bpkit-9.9.9-{}", machine_target());
    server.serve(&path, fs::read(bpkit_path()).unwrap());
    let lock = lock_for(&server.url("/rel/bpkit-{version}-{target}"));
    let sum = lock.rsplit(' ').next().unwrap().trim().to_string();
    fs::write(
        bp.join("bin/bpkit.lock"),
        lock.replace(&sum, &sum.to_uppercase()),
    )
    .unwrap();
    let (run, _) = detect_downloading_with(&staging, &bp, "curl", &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        run.stderr
    );
    let target = machine_target();
    for (from, to, shown) in [
        (
            sum.clone(),
            format!("{}g", &sum[..63]),
            format!(
                "`sha256 {target} {}g`, which is not 64 hex digits",
                &sum[..63]
            ),
        ),
        (
            sum.clone(),
            sum[..40].to_string(),
            format!(
                "`sha256 {target} {}`, which is not 64 hex digits",
                &sum[..40]
            ),
        ),
        (
            "version 9.9.9".to_string(),
            "version 9.9|9&x".to_string(),
            "`version 9.9|9&x`, which is not a version (letters, digits, `.`, `_`, `+` and `-`)"
                .to_string(),
        ),
    ] {
        fs::write(bp.join("bin/bpkit.lock"), lock.replace(&from, &to)).unwrap();
        let hits = server.hits(&path);
        let run = detect_without_a_binary(&staging, &bp, "/usr/bin:/bin");
        assert_failure_line(
            &staging,
            &run,
            &format!(
                "no release binary could be downloaded: bin/bpkit.lock has {shown}; set BPKIT_BINARY to a bpkit binary, or copy bin/bpkit.lock of a bpkit release next to bin/bpkit\n"
            ),
        );
        assert_eq!(server.hits(&path), hits, "{to}: nothing downloaded");
    }
}

/// A lock's `url` with a space in it was read up to the space, and the download went to the
/// URL's first half (here `…/rel/my`); a `version` with one was cut the same way. Either is now
/// one line naming the lock's line and the fix (%20, as bpkit asks of a dependency's URI), and
/// so is a BPKIT_MIRRORS rule that puts a space in the URL, before anything is downloaded. The
/// URL written with %20 downloads.
#[test]
fn a_lock_url_with_a_space_is_refused_before_a_download_and_one_with_percent_20_works() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let server = common::server::Server::start();
    let path = format!("/rel/my%20bpkit-9.9.9-{}", machine_target());
    server.serve(&path, fs::read(bpkit_path()).unwrap());
    let spaced = lock_for(&server.url("/rel/my bpkit-{version}-{target}"));
    for (lock, env, shown) in [
        (
            spaced.clone(),
            None,
            "bin/bpkit.lock has a `url` with a space in it, which no URL has; set BPKIT_BINARY to a bpkit binary, or write each space in that `url` as %20\n",
        ),
        (
            spaced.replace("version 9.9.9", "version 9.9.9 x"),
            None,
            "bin/bpkit.lock has `version 9.9.9 x`, which is not a version (letters, digits, `.`, `_`, `+` and `-`); set BPKIT_BINARY to a bpkit binary, or copy bin/bpkit.lock of a bpkit release next to bin/bpkit\n",
        ),
        (
            lock_for("https://releases.example.invalid/v{version}/bpkit-{version}-{target}"),
            Some(format!(
                "https://releases.example.invalid/v9.9.9/={}",
                server.url("/rel/my dir/")
            )),
            "BPKIT_MIRRORS makes the download URL one with a space in it, which no URL has; set BPKIT_BINARY to a bpkit binary, or write each space in that rule of BPKIT_MIRRORS as %20\n",
        ),
    ] {
        fs::write(bp.join("bin/bpkit.lock"), &lock).unwrap();
        let tmp = staging.path().join("tmp");
        fs::create_dir_all(&tmp).unwrap();
        let mut command = staging.command(&bp, "detect");
        command
            .env("PATH", "/usr/bin:/bin")
            .env("TMPDIR", &tmp)
            .env_remove("BPKIT_BINARY")
            .env_remove("BPKIT_MIRRORS");
        if let Some(rule) = &env {
            command.env("BPKIT_MIRRORS", rule);
        }
        let run = run(command.arg(&staging.app));
        assert_failure_line(
            &staging,
            &run,
            &format!("no release binary could be downloaded: {shown}"),
        );
        assert!(server.requests().is_empty(), "{lock}");
    }

    fs::write(
        bp.join("bin/bpkit.lock"),
        lock_for(&server.url("/rel/my%20bpkit-{version}-{target}")),
    )
    .unwrap();
    let (run, _) = detect_downloading_with(&staging, &bp, "curl", &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        run.stderr
    );
    assert_eq!(server.hits(&path), 1);
}

/// Without sha256sum (an image without coreutils' one), perl's `shasum -a 256` verifies the
/// download, as it prints the same: the bootstrap refused to download at all. Without either,
/// the line names both, and installing one as the fix (a mirror could not help).
#[test]
fn without_sha256sum_shasum_verifies_the_download() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let server = common::server::Server::start();
    let path = format!("/rel/bpkit-9.9.9-{}", machine_target());
    server.serve(&path, fs::read(bpkit_path()).unwrap());
    fs::write(
        bp.join("bin/bpkit.lock"),
        lock_for(&server.url("/rel/bpkit-{version}-{target}")),
    )
    .unwrap();
    let log = staging.path().join("shasum.log");
    let recording = recording_path(&staging.path().join("shasum"), &log, &["sha256sum"]);
    let tmp = staging.path().join("tmp-shasum");
    for _ in 0..2 {
        let run = detect_through_download(&staging, &bp, &recording, &tmp, &[]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "hello\n"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        server.hits(&path),
        1,
        "the second phase runs the kept binary"
    );
    let logged = fs::read_to_string(&log).unwrap();
    assert!(logged.contains("\nshasum -a 256 "), "{logged}");
    assert!(!logged.contains("sha256sum"), "{logged}");

    let log = staging.path().join("none.log");
    let recording = recording_path(&staging.path().join("none"), &log, &["sha256sum", "shasum"]);
    let run = detect_through_download(&staging, &bp, &recording, &staging.path().join("tmp"), &[]);
    assert_failure_line(
        &staging,
        &run,
        "no release binary could be downloaded: neither sha256sum nor shasum is installed, so a download could not be verified; set BPKIT_BINARY to a bpkit binary, or install sha256sum (coreutils) or shasum\n",
    );
}

/// A body cut short under wget: `-nv` leaves out wget's `Connection closed at byte N`, and the
/// line said `a network failure: wget: ` with nothing after it. The headers and the file say
/// how far it came (wget exits 4 for a silent server too, so both are named); nothing is kept.
#[test]
fn a_body_cut_short_under_wget_says_how_much_came() {
    use common::server::Fault;
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let binary = fs::read(bpkit_path()).unwrap();
    let size = binary.len();
    let ReleaseMirror {
        server: _mirror,
        path: _,
        rule,
    } = release_mirror(binary, Fault::Truncate { send: 4096 });
    let (run, _) = detect_downloading_with(
        &staging,
        &bp,
        "wget",
        &[("BPKIT_MIRRORS", &rule), ("BPKIT_RETRIES", "1")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            ") failed (a network failure: the download stopped after 4096 of {size} bytes: the connection closed, or sent nothing for 60 s (BPKIT_READ_TIMEOUT)); set BPKIT_BINARY to a bpkit binary, or point BPKIT_MIRRORS at a reachable copy of the release\n"
        )),
        "{}",
        run.stderr
    );
    let left = left_in_download_folders(&staging.path().join("tmp-wget"));
    assert!(left.is_empty(), "{left:?}");
}

/// `bin/detect` reached through links from other folders (an absolute link to a relative one
/// to the buildpack's own): the buildpack is the one the links lead to, and the phase is the
/// name it was run by. The folder of the first link was taken for `bin/`, so the binary looked
/// for the manifest (and the script for its lock) beside the links.
#[test]
fn a_phase_reached_through_links_from_elsewhere_finds_its_buildpack() {
    let staging = Staging::new();
    git_layout_buildpack(staging.path(), MANIFEST);
    staging.app_file("hello.txt", "");
    let (near, far) = (staging.path().join("near"), staging.path().join("far"));
    fs::create_dir_all(&near).unwrap();
    fs::create_dir_all(&far).unwrap();
    std::os::unix::fs::symlink("../bp/bin/detect", near.join("detect")).unwrap();
    std::os::unix::fs::symlink(near.join("detect"), far.join("detect")).unwrap();
    let run = run(Command::new(far.join("detect"))
        .env("BPKIT_BINARY", bpkit_path())
        .env_remove("BUILDPACK_DIR")
        .arg(&staging.app));
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "hello\n", "")
    );
}

/// The download folder of release 9.9.9 (its name: the version and the sha256's start) in `tmp`.
fn download_folder(tmp: &Path) -> PathBuf {
    let binary = fs::read(bpkit_path()).unwrap();
    let sha = common::tarball::sha256(&binary);
    tmp.join(format!("bpkit-9.9.9-{}", &sha[..16]))
}

/// Under umask 000 the download folder was made writable by everyone, and ownership alone was
/// checked: another user could rename a file over the verified binary before the exec. It is
/// made for this user alone whatever the umask, and one others can write to is never used.
#[test]
fn the_download_folder_is_this_users_alone_whatever_the_umask() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let mirror = release_mirror(fs::read(bpkit_path()).unwrap(), common::server::Fault::None);
    let (log, path) = downloading_with(&staging, "curl");
    let _ = log;
    let tmp = staging.path().join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    let mut command = staging.command(&bp, "detect");
    command
        .env("PATH", &path)
        .env("TMPDIR", &tmp)
        .env("BPKIT_MIRRORS", &mirror.rule)
        .env_remove("BPKIT_BINARY")
        .env_remove("CURL_HOME");
    let umask_000 = |command: &Command| common::bin::after_sh("umask 000", command);
    command.arg(&staging.app);
    let done = run(&mut umask_000(&command));
    assert_eq!(
        (done.code, done.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        done.stderr
    );
    let folder = download_folder(&tmp);
    let mode = fs::metadata(&folder).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{}", folder.display());
    // Opened to others (as an older bootstrap under umask 000 left it): refused, not run.
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o777)).unwrap();
    let refused = run(&mut umask_000(&command));
    assert_eq!(
        (refused.code, refused.stdout.as_str()),
        (1, ""),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains(&format!(
            "{} belongs to another user, or others can write to it; set BPKIT_BINARY to a bpkit binary, or remove it, or set TMPDIR to a folder of your own",
            folder.display()
        )),
        "{}",
        refused.stderr
    );
}

/// curl's `--retry` leaves a body cut short (curl's exit 18) alone, where bpkit's own
/// downloads retry it, and wget did: the bootstrap retries it, `BPKIT_RETRIES` times.
#[test]
fn a_body_cut_short_under_curl_is_downloaded_again() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let mirror = release_mirror(
        fs::read(bpkit_path()).unwrap(),
        common::server::Fault::CutThenResume { send: 4096 },
    );
    let (run, _) = detect_downloading_with(
        &staging,
        &bp,
        "curl",
        &[("BPKIT_MIRRORS", &mirror.rule), ("BPKIT_RETRIES", "1")],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        run.stderr
    );
    assert_eq!(mirror.server.hits(&mirror.path), 2);
}

/// `BPKIT_BINARY` naming a bootstrap (its own bin/bpkit, or another buildpack's) ran itself
/// for ever, printing nothing: refused at once in one line.
#[test]
fn a_bootstrap_as_bpkit_binary_is_refused_at_once() {
    let mut staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    let script = bp.join("bin/bpkit");
    staging.set_env("BPKIT_BINARY", script.to_str().unwrap());
    let run = staging.detect(&bp);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr),
        (
            1,
            "",
            format!(
                "       **ERROR** bpkit: BPKIT_BINARY={} is a buildpack's bin/bpkit bootstrap, not a bpkit binary, and would run itself for ever; point it at a bpkit binary or unset it\n",
                script.display()
            )
        )
    );
}

/// A lock with the sha256 of this machine's binary but no `url` (or `version`) line was said
/// to record no binary for this machine; the missing line is named.
#[test]
fn a_lock_without_its_url_or_version_line_names_it() {
    for (missing, lock) in [
        (
            "url",
            format!(
                "version 9.9.9\nsha256 {} {}\n",
                machine_target(),
                "a".repeat(64)
            ),
        ),
        (
            "version",
            format!(
                "url https://releases.example.invalid/{{target}}\nsha256 {} {}\n",
                machine_target(),
                "a".repeat(64)
            ),
        ),
    ] {
        let staging = Staging::new();
        let bp = git_layout_buildpack(staging.path(), MANIFEST);
        fs::write(bp.join("bin/bpkit.lock"), lock).unwrap();
        let run = detect_without_a_binary(&staging, &bp, "/usr/bin:/bin");
        assert_failure_line(
            &staging,
            &run,
            &format!(
                "no release binary could be downloaded: bin/bpkit.lock has no `{missing}` line (it records a sha256 for {}, but not the release's {missing}); set BPKIT_BINARY to a bpkit binary, or copy bin/bpkit.lock of a bpkit release next to bin/bpkit\n",
                machine_target()
            ),
        );
    }
}

/// wget reads no `file://` URL, and said only `No URLs found in -.`: a `file://` mirror (as the
/// README's air-gapped examples write them) under wget is named, with curl as the fix.
#[test]
fn a_file_mirror_under_wget_is_named_with_the_fix() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    let folder = staging.path().join("rel");
    fs::create_dir_all(&folder).unwrap();
    let rule = format!(
        "https://releases.example.invalid/v9.9.9/=file://{}/",
        folder.display()
    );
    let (run, _) = detect_downloading_with(&staging, &bp, "wget", &[("BPKIT_MIRRORS", &rule)]);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{}", run.stderr);
    // The download's step, then the one failure line.
    assert_eq!(run.stderr.lines().count(), 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "no release binary could be downloaded: wget cannot read the file:// URL file://{}/bpkit-9.9.9-{} (mirror of https://releases.example.invalid/v9.9.9/bpkit-9.9.9-{}); set BPKIT_BINARY to a bpkit binary, or install curl, which reads file:// URLs, or serve that folder over http://\n",
            folder.display(),
            machine_target(),
            machine_target()
        )),
        "{}",
        run.stderr
    );
}

/// A buildpack with bpkit's sources (a Cargo.toml) and a stand-in cargo on PATH, an app that
/// detects, and a TMPDIR, for the cargo path's tests.
struct CargoScene {
    staging: Staging,
    bp: PathBuf,
    tools: PathBuf,
    tmp: PathBuf,
}

impl CargoScene {
    fn new() -> CargoScene {
        let staging = Staging::new();
        let bp = git_layout_buildpack(staging.path(), MANIFEST);
        staging.app_file("hello.txt", "");
        fs::write(bp.join("Cargo.toml"), "[package]\nname = \"bpkit\"\n").unwrap();
        let tools = stand_in_cargo(staging.path());
        let tmp = staging.path().join("tmp");
        fs::create_dir_all(&tmp).unwrap();
        CargoScene {
            staging,
            bp,
            tools,
            tmp,
        }
    }

    /// `bin/detect` through the cargo path (release profile), with `target` as
    /// CARGO_TARGET_DIR or none.
    fn detect(&self, target: Option<&Path>) -> Run {
        let mut command = self.staging.command(&self.bp, "detect");
        command
            .env("PATH", format!("{}:/usr/bin:/bin", self.tools.display()))
            .env("TMPDIR", &self.tmp)
            .env_remove("BPKIT_BINARY")
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("BPKIT_CARGO_PROFILE")
            .env_remove("BPKIT_CARGO_FLAGS");
        if let Some(target) = target {
            command.env("CARGO_TARGET_DIR", target);
        }
        run(command.arg(&self.staging.app))
    }
}

/// A folder in `root` holding a stand-in `cargo` that puts the test's bpkit where `cargo
/// build --target-dir T` (release) would, and logs where it ran and its arguments (cargo.log).
fn stand_in_cargo(root: &Path) -> PathBuf {
    let tools = root.join("tools");
    fs::create_dir_all(&tools).unwrap();
    fs::write(
        tools.join("cargo"),
        format!(
            "#!/bin/sh\nprintf '%s %s\\n' \"$(pwd)\" \"$*\" >>'{}'\nwhile [ $# -gt 0 ]; do case $1 in --target-dir) target=$2; shift ;; esac; shift; done\nmkdir -p \"$target/release\" && cp '{}' \"$target/release/bpkit\"\n",
            tools.join("cargo.log").display(),
            bpkit_path().display()
        ),
    )
    .unwrap();
    fs::set_permissions(tools.join("cargo"), fs::Permissions::from_mode(0o755)).unwrap();
    tools
}

/// The cargo path's default target folder in the shared TMPDIR (`bpkit-target-<uid>`, a name
/// anyone can work out) was never checked: another user could make it first and replace the
/// binary built there before it ran. It is made for this user alone, and one others can write
/// to is refused before cargo runs. (A stand-in cargo puts the test's bpkit where cargo would.)
#[test]
fn the_cargo_target_folder_is_this_users_alone() {
    use std::os::unix::fs::MetadataExt;
    let scene = CargoScene::new();
    let (bp, tmp) = (&scene.bp, &scene.tmp);
    let detect = || scene.detect(None);
    // cargo reads `.cargo/config.toml` in every folder above where it runs: one another user
    // made in /tmp, above the clone, would have been taken. It runs from /, the clone's own
    // config named.
    fs::create_dir_all(bp.join(".cargo")).unwrap();
    fs::write(bp.join(".cargo/config.toml"), "").unwrap();
    let built = detect();
    let logged = fs::read_to_string(scene.tools.join("cargo.log")).unwrap();
    assert!(
        logged.starts_with("/ build ")
            && logged.trim_end().ends_with(&format!(
                " --manifest-path {}/Cargo.toml --config {}/.cargo/config.toml",
                bp.display(),
                bp.display()
            )),
        "{logged}"
    );
    assert_eq!(
        (built.code, built.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        built.stderr
    );
    let target = tmp.join(format!("bpkit-target-{}", fs::metadata(tmp).unwrap().uid()));
    let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{}", target.display());
    // The copy is reused by the next phase; an edited manifest.yml or bin/bpkit, which the
    // binary carries (`bpkit init` writes them), builds again, where the stale one was run.
    let building = "-----> bpkit: building bpkit 2.3.4 from source with cargo (release)";
    assert!(built.stderr.starts_with(building), "{}", built.stderr);
    let again = detect();
    assert_eq!((again.code, again.stderr.as_str()), (0, ""));
    for edited in ["manifest.yml", "bin/bpkit"] {
        let mut text = fs::read_to_string(bp.join(edited)).unwrap();
        text.push_str("# edited\n");
        fs::write(bp.join(edited), text).unwrap();
        let rebuilt = detect();
        assert_eq!(rebuilt.code, 0, "{edited}: {}", rebuilt.stderr);
        assert!(
            rebuilt.stderr.starts_with(building),
            "{edited}: {}",
            rebuilt.stderr
        );
    }
    // Without the per-staging copy, and with the target folder open to others: refused.
    for entry in fs::read_dir(tmp).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("bpkit-2.3.4-")
        {
            fs::remove_dir_all(path).unwrap();
        }
    }
    fs::set_permissions(&target, fs::Permissions::from_mode(0o777)).unwrap();
    let refused = detect();
    assert_eq!(
        (refused.code, refused.stdout.as_str(), refused.stderr),
        (
            1,
            "",
            format!(
                "       **ERROR** bpkit: {} belongs to another user, or others can write to it, so a binary built there could be replaced before it runs; remove it, or set CARGO_TARGET_DIR (or TMPDIR) to a folder of your own\n",
                target.display()
            )
        )
    );
}

/// A CARGO_TARGET_DIR others can write to: what is built there would be run, and copied to the
/// copy later phases run, so it is refused before cargo runs; so is a shared sticky one (as
/// /tmp), where others cannot rename what is in it but can make cargo's `release/` first.
#[test]
fn a_cargo_target_dir_others_can_write_to_is_refused_before_cargo_runs() {
    let scene = CargoScene::new();
    for (name, mode) in [("open", 0o777), ("sticky", 0o1777)] {
        let shared = scene.staging.path().join(name);
        fs::create_dir_all(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(mode)).unwrap();
        let refused = scene.detect(Some(&shared));
        assert_eq!(
            (refused.code, refused.stdout.as_str()),
            (1, ""),
            "{}",
            refused.stderr
        );
        assert_eq!(
            refused.stderr,
            format!(
                "       **ERROR** bpkit: {} is not a folder of this user's alone (another user owns it or a folder above it, or others can write to it), so what cargo builds there could be replaced before it runs; set CARGO_TARGET_DIR to a folder of your own\n",
                shared.display()
            )
        );
        assert!(!shared.join("release").exists(), "cargo ran in {name}");
    }
}

/// Unmounts its folder when dropped, so a failing test leaves no mount behind.
struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A TMPDIR on a file system mounted noexec: the downloaded binary could not run, so every
/// phase downloaded it again and ended with the shell's `Permission denied` (exit 126). It is
/// one line naming the folder and the fix, and the second phase does not download again.
/// Needs a tmpfs mounted noexec (root with CAP_SYS_ADMIN); skipped where none can be mounted.
#[test]
fn a_tmpdir_programs_cannot_run_from_is_one_line_and_one_download() {
    let staging = Staging::new();
    let noexec = staging.path().join("noexec");
    fs::create_dir_all(&noexec).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "noexec,size=512m", "tmpfs"])
        .arg(&noexec)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a noexec tmpfs here");
        return;
    }
    let _unmount = Unmount(noexec.clone());
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let mirror = release_mirror(fs::read(bpkit_path()).unwrap(), common::server::Fault::None);
    let (_, path) = downloading_with(&staging, "curl");
    let folder = download_folder(&noexec);
    for attempt in 1..=2 {
        let run = detect_through_download(
            &staging,
            &bp,
            &path,
            &noexec,
            &[("BPKIT_MIRRORS", &mirror.rule)],
        );
        assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{}", run.stderr);
        assert!(
            run.stderr.ends_with(&format!(
                "no release binary could be downloaded: the release binary is in {}, but programs cannot run from there (its file system is mounted noexec); set BPKIT_BINARY to a bpkit binary, or set TMPDIR to a folder programs can run from\n",
                folder.display()
            )),
            "attempt {attempt}: {}",
            run.stderr
        );
        assert_eq!(mirror.server.hits(&mirror.path), 1, "attempt {attempt}");
    }
}

/// `bin/detect` of `bp`, downloading the release from `mirror` with curl, TMPDIR `tmp`.
fn detect_from_mirror(staging: &Staging, bp: &Path, tmp: &Path, mirror: &ReleaseMirror) -> Run {
    let (_, path) = downloading_with(staging, "curl");
    detect_through_download(staging, bp, &path, tmp, &[("BPKIT_MIRRORS", &mirror.rule)])
}

/// A TMPDIR another user owns, or that others may write to without the sticky bit, lets them
/// rename the folder holding a checked binary (an older release's, or their own program)
/// into its place before it runs: nothing kept there is used, in one line. /tmp itself (root's,
/// sticky) is fine. Needs root, to give the folder to another user.
#[test]
fn a_tmpdir_others_can_rename_in_is_never_used() {
    use std::os::unix::fs::MetadataExt;
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let mirror = release_mirror(fs::read(bpkit_path()).unwrap(), common::server::Fault::None);
    let open = staging.path().join("open");
    fs::create_dir_all(&open).unwrap();
    fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).unwrap();
    let theirs = staging.path().join("theirs");
    fs::create_dir_all(&theirs).unwrap();
    fs::set_permissions(&theirs, fs::Permissions::from_mode(0o1777)).unwrap();
    let as_root = fs::metadata(&theirs).unwrap().uid() == 0;
    if as_root {
        std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).unwrap();
    } else {
        eprintln!("not root: the folder of another user is not tried");
    }
    // One not there yet, in a folder of another user's: made, then checked like any other,
    // where it was made through whatever was there and never checked.
    let not_yet = theirs.join("not-yet");
    let folders: &[&Path] = if as_root {
        &[&open, &theirs, &not_yet]
    } else {
        &[&open]
    };
    for tmp in folders {
        let run = detect_from_mirror(&staging, &bp, tmp, &mirror);
        assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "no release binary could be downloaded: TMPDIR {}, or a folder above it, belongs to another user or can be written to by others without the sticky bit, so a binary kept there could be replaced before it runs; set BPKIT_BINARY to a bpkit binary, or set TMPDIR to a folder of your own\n",
                tmp.display()
            )),
            "{}",
            run.stderr
        );
    }
    assert_eq!(mirror.server.hits(&mirror.path), 0);
}

/// A kept binary without its execute bit (which the script never leaves) was said to be on a
/// noexec file system, every phase: it is downloaded again. A TMPDIR with a `\` in its name
/// made sha256sum start its line with one, and every download failed its check.
#[test]
fn a_kept_binary_without_its_execute_bit_is_downloaded_again_and_any_tmpdir_name_works() {
    let staging = Staging::new();
    let bp = locked_to_the_example_release(staging.path());
    staging.app_file("hello.txt", "");
    let mirror = release_mirror(fs::read(bpkit_path()).unwrap(), common::server::Fault::None);
    let tmp = staging.path().join("back\\slash");
    let first = detect_from_mirror(&staging, &bp, &tmp, &mirror);
    assert_eq!(
        (first.code, first.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        first.stderr
    );
    let kept = download_folder(&tmp).join("bpkit");
    fs::set_permissions(&kept, fs::Permissions::from_mode(0o644)).unwrap();
    let second = detect_from_mirror(&staging, &bp, &tmp, &mirror);
    assert_eq!(
        (second.code, second.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        second.stderr
    );
    assert_eq!(mirror.server.hits(&mirror.path), 2);
}

/// The script makes its folders and files for this user alone (umask 077), and gives bpkit
/// the caller's umask back: the phases write the app with it.
#[test]
fn bpkit_runs_with_the_callers_umask() {
    let staging = Staging::new();
    let bp = git_layout_buildpack(staging.path(), MANIFEST);
    let binary = staging.path().join("says-umask");
    fs::write(&binary, "#!/bin/sh\numask\n").unwrap();
    fs::set_permissions(&binary, fs::Permissions::from_mode(0o755)).unwrap();
    let mut command = staging.command(&bp, "detect");
    command.env("BPKIT_BINARY", &binary).arg(&staging.app);
    let said = run(&mut common::bin::after_sh("umask 002", &command));
    assert_eq!(
        (said.code, said.stdout.as_str()),
        (0, "0002\n"),
        "{}",
        said.stderr
    );
}
