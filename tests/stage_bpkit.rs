//! `bpkit stage` and `bpkit run` with real bpkit buildpacks (issue 5): the fixture buildpack
//! staging the fixture app and answering HTTP, a bpkit supply buildpack feeding a bpkit final
//! one, and git-URL buildpacks cloned from `file://` repositories, run through the bootstrap's
//! cargo path and its download path (a release binary served from 127.0.0.1, `bin/bpkit.lock`
//! pointing at it, a wrong sha256 refused). Nothing touches the internet: dependencies come
//! from `fixtures/deps` through `BPKIT_MIRRORS`.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::bin::{Run, bpkit, bpkit_path, repo_root};
use common::git::git;
use common::stager::{Stage, member, result_json, run_on_free_port};
use common::staging::{PHASES, buildpack};
use common::timed::run_within;

const LIMIT: Duration = Duration::from_secs(120);

/// Where the fixture buildpack's dependency really comes from.
fn mirrors() -> String {
    format!(
        "https://deps.example.invalid/hello/=file://{}/",
        repo_root().join("fixtures/deps").display()
    )
}

fn hello_app() -> PathBuf {
    repo_root().join("fixtures/apps/hello")
}

/// `bpkit stage` in `cwd` (arguments to follow), the fixture buildpack's dependency coming
/// from `fixtures/deps`.
fn stage(cwd: &Path) -> Stage {
    Stage::new(cwd).env("BPKIT_MIRRORS", mirrors()).limit(LIMIT)
}

/// `bpkit run OUT --port 0 --check /greeting.txt`: the fixture app answers.
fn check(cwd: &Path, out: &Path) -> Run {
    run_on_free_port(cwd, out, &["--check", "/greeting.txt"], LIMIT)
}

/// The fixture buildpack as a folder, its phases linked to the test's bpkit binary.
fn fixture_buildpack(root: &Path) -> PathBuf {
    let manifest = fs::read_to_string(repo_root().join("fixtures/buildpack/manifest.yml")).unwrap();
    let dir = buildpack(root, "fixture-buildpack", &manifest);
    fs::copy(
        repo_root().join("fixtures/buildpack/VERSION"),
        dir.join("VERSION"),
    )
    .unwrap();
    dir
}

#[test]
fn the_fixture_buildpack_stages_the_fixture_app_which_answers_http() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let bp = fixture_buildpack(t);
    let out = t.join("out");
    let app_before = fs::read_dir(hello_app()).unwrap().count();
    let run = stage(t).arg(hello_app()).bp(&bp).out(&out).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("-----> Hello Buildpack version "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("-----> Installing hello 1.1.0"),
        "{}",
        run.stderr
    );
    let droplet = out.join("droplet.tgz");
    assert_eq!(
        member(&droplet, "./app/greeting.txt"),
        "Hello from hello 1.1.0, installed by bpkit\n"
    );
    let result = result_json(&out);
    assert_eq!(
        result["process_types"]["web"],
        "python3 -m http.server $PORT"
    );
    assert_eq!(
        result["lifecycle_metadata"]["buildpack_key"],
        bp.to_str().unwrap()
    );
    // The repository's fixture app is only read.
    assert_eq!(fs::read_dir(hello_app()).unwrap().count(), app_before);

    let checked = check(t, &out);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert!(
        checked.stdout.ends_with("/greeting.txt 200 OK\n"),
        "{}",
        checked.stdout
    );
}

#[test]
fn detect_mode_over_bpkit_buildpacks() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let other = buildpack(
        t,
        "other",
        "language: other\ndetect:\n  any_of:\n  - file: other.txt\n",
    );
    let bp = fixture_buildpack(t);
    let out = t.join("out");
    let run = stage(t)
        .arg(hello_app())
        .arg("--detect")
        .bp(&other)
        .bp(&bp)
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        result_json(&out)["lifecycle_metadata"]["buildpack_key"],
        bp.to_str().unwrap()
    );
    let run = stage(t).arg(hello_app()).arg("--detect").bp(&other).run();
    run.assert_last_line(
        222,
        "None of the buildpacks detected a compatible application",
    );
}

#[test]
fn a_bpkit_supply_buildpack_feeds_a_bpkit_final_buildpack() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let supply = fixture_buildpack(t);
    let last = buildpack(
        t,
        "final",
        "language: final\nbuild:\n- hello > from-supply.txt\nrelease:\n  default_process_types:\n    web: hello; echo \"GREETING_FILE=$GREETING_FILE\"\n",
    );
    let out = t.join("out");
    let run = stage(t)
        .arg(hello_app())
        .bp(&supply)
        .bp(&last)
        .out(&out)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let droplet = out.join("droplet.tgz");
    // finalize of the final buildpack ran `hello`, which only the supply buildpack installed.
    assert_eq!(
        member(&droplet, "./app/from-supply.txt"),
        "Hello from hello 1.1.0, installed by bpkit\n"
    );
    let buildpacks = &result_json(&out)["lifecycle_metadata"]["buildpacks"];
    assert_eq!(buildpacks[0]["key"], supply.to_str().unwrap());
    assert_eq!(buildpacks[1]["key"], last.to_str().unwrap());

    // The supply buildpack's launch_env is in its profile.d script, which the final buildpack's
    // finalize copied for the launcher (once, though neither buildpack's finalize ran for it).
    assert_eq!(
        member(&droplet, "./profile.d/0_hello.sh"),
        "# launch_env from the hello buildpack's manifest.yml (bpkit supply).\n[ -n \"${GREETING_FILE:-}\" ] || export GREETING_FILE=\"greeting.txt\"\n"
    );

    // At launch the supplied binary is on PATH too (the web command runs `hello`), and the
    // supply buildpack's launch_env is set.
    let launched = run_on_free_port(t, &out, &[], LIMIT);
    assert_eq!(launched.code, 0, "{}", launched.stderr);
    assert!(
        launched
            .stderr
            .contains("Hello from hello 1.1.0, installed by bpkit\nGREETING_FILE=greeting.txt\n"),
        "{}",
        launched.stderr
    );
    // launch_env is a default: a value the app sets itself (`cf set-env`, here `-e`) wins, as
    // the official Ruby buildpack's `${RACK_ENV:-production}` lets it.
    let launched = run_on_free_port(t, &out, &["-e", "GREETING_FILE=mine.txt"], LIMIT);
    assert_eq!(launched.code, 0, "{}", launched.stderr);
    assert!(
        launched.stderr.contains("\nGREETING_FILE=mine.txt\n"),
        "{}",
        launched.stderr
    );
}

/// A git repository holding the fixture buildpack laid out as in git: `bin/bpkit` is the
/// bootstrap script and `bin/<phase>` link to it. `with_sources` adds what cargo needs to build
/// bpkit (the crate's sources and the templates it embeds; `vendor` as a link to this
/// checkout's, to keep the repository small). The buildpack is committed on branch `stable`; `main` holds a broken one.
fn bootstrap_repo(root: &Path, with_sources: bool, lock: Option<&str>) -> PathBuf {
    let repo = root.join("repo");
    fs::create_dir_all(repo.join("bin")).unwrap();
    git(&repo, &["init", "-q"]);
    fs::write(repo.join("manifest.yml"), "language: broken\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "main is not the buildpack"]);
    git(&repo, &["checkout", "-qb", "stable"]);
    let src = repo_root();
    fs::copy(
        src.join("fixtures/buildpack/manifest.yml"),
        repo.join("manifest.yml"),
    )
    .unwrap();
    fs::copy(src.join("fixtures/buildpack/VERSION"), repo.join("VERSION")).unwrap();
    fs::copy(src.join("bin/bpkit"), repo.join("bin/bpkit")).unwrap();
    for phase in PHASES {
        std::os::unix::fs::symlink("bpkit", repo.join("bin").join(phase)).unwrap();
    }
    if let Some(lock) = lock {
        fs::write(repo.join("bin/bpkit.lock"), lock).unwrap();
    }
    if with_sources {
        for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
            fs::copy(src.join(file), repo.join(file)).unwrap();
        }
        copy_dir(&src.join("src"), &repo.join("src"));
        copy_dir(&src.join(".cargo"), &repo.join(".cargo"));
        // `bpkit init`'s templates are compiled in: templates/, and the bootstrap's lock (the
        // bootstrap itself and a manifest.yml are there already).
        copy_dir(&src.join("templates"), &repo.join("templates"));
        if lock.is_none() {
            fs::copy(src.join("bin/bpkit.lock"), repo.join("bin/bpkit.lock")).unwrap();
        }
        std::os::unix::fs::symlink(src.join("vendor"), repo.join("vendor")).unwrap();
    }
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "the fixture buildpack"]);
    git(&repo, &["checkout", "-q", "main"]);
    repo
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The cargo path: the clone builds bpkit itself (dev profile, into a target folder kept under
/// cargo's test temp dir so later runs reuse it), once for the whole staging.
#[test]
fn a_git_url_buildpack_through_the_cargo_path() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let repo = bootstrap_repo(t, true, None);
    let url = format!("file://{}#stable", repo.display());
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("git-buildpack-target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cargo_dir = Path::new(&cargo)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let path = format!(
        "{}:{}",
        cargo_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = t.join("out");
    let run = stage(t)
        .env("PATH", &path)
        .env("CARGO_TARGET_DIR", &target)
        .env("BPKIT_CARGO_PROFILE", "dev")
        .arg(hello_app())
        .bp(&url)
        .out(&out)
        // A first run compiles bpkit and its crates once; later runs reuse the target folder.
        .limit(Duration::from_secs(1200))
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches("building bpkit 1.0.0 from source with cargo (dev), once per staging")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        member(&out.join("droplet.tgz"), "./app/greeting.txt"),
        "Hello from hello 1.1.0, installed by bpkit\n"
    );
    assert_eq!(
        result_json(&out)["lifecycle_metadata"]["buildpack_key"],
        url.as_str()
    );
    let checked = check(t, &out);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
}

/// The release process: binaries in a folder, `scripts/release-lock` records them in a lock.
fn release_lock(t: &Path, target: &str, binary: &[u8]) -> String {
    let release_dir = t.join("release");
    fs::create_dir_all(&release_dir).unwrap();
    fs::write(release_dir.join(format!("bpkit-9.9.9-{target}")), binary).unwrap();
    let tool = t.join("tool");
    fs::create_dir_all(tool.join("scripts")).unwrap();
    fs::copy(
        repo_root().join("scripts/release-lock"),
        tool.join("scripts/release-lock"),
    )
    .unwrap();
    let made = Command::new(tool.join("scripts/release-lock"))
        .args([
            "9.9.9",
            "https://releases.example.invalid/v{version}/bpkit-{version}-{target}",
        ])
        .arg(&release_dir)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let lock = fs::read_to_string(tool.join("bin/bpkit.lock")).unwrap();
    assert!(lock.contains("\nversion 9.9.9\n"), "{lock}");

    lock
}

/// The download path: no cargo and no sources, so the bootstrap downloads the release binary
/// named in `bin/bpkit.lock` (written by `scripts/release-lock`, as a release would), once per
/// staging, and refuses one whose sha256 does not match.
#[test]
fn a_git_url_buildpack_through_the_download_path() {
    use common::server::Server;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let target = machine_target();
    let lock = release_lock(t, target, &fs::read(bpkit_path()).unwrap());

    let server = Server::start();
    let path = serve_release(&server);
    let mirror = server.url("/mirror/");
    let out = t.join("out");
    let run = stage_with_lock(t, &lock, &mirror, &[]).out(&out).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches("-----> bpkit: downloading bpkit 9.9.9")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        server.hits(&path),
        1,
        "supply, finalize and release reuse the download"
    );
    assert_eq!(
        member(&out.join("droplet.tgz"), "./app/greeting.txt"),
        "Hello from hello 1.1.0, installed by bpkit\n"
    );

    // A lock whose sha256 does not match what the server sends: refused, staging fails.
    let real = lock
        .lines()
        .find_map(|l| l.strip_prefix(&format!("sha256 {target} ")))
        .unwrap()
        .to_string();
    let zeros = "0".repeat(64);
    let wrong = lock.replace(&real, &zeros);
    let run = stage_with_lock(t, &wrong, &mirror, &[]).run();
    run.assert_last_line(
        223,
        "Failed to compile droplet: Failed to run all supply scripts: exit status 1",
    );
    let refusal = bootstrap_refusal(&run);
    assert!(
        refusal.contains(&format!(
            "has sha256 {real} but bin/bpkit.lock expects {zeros}"
        )),
        "{refusal}"
    );
    // The mirror answered: the fix is what it serves, not whether it can be reached.
    assert!(
        refusal.ends_with(
            "so it was deleted; set BPKIT_BINARY to a bpkit binary, or make that mirror serve the release bin/bpkit.lock names"
        ),
        "{refusal}"
    );
}

/// The target `uname -m` gives here, as the bootstrap names it.
fn machine_target() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    }
}

/// Stage the fixture app from a git clone of the fixture buildpack that must download bpkit (no
/// cargo on PATH, no sources), with the release mirrored to `release_mirror` and `env` added.
fn stage_through_download(t: &Path, release_mirror: &str, env: &[(&str, &str)]) -> Run {
    let lock = release_lock(t, machine_target(), &fs::read(bpkit_path()).unwrap());
    let out = t.join("out");
    stage_with_lock(t, &lock, release_mirror, env)
        .out(&out)
        .run()
}

/// The staging of the fixture app from a git clone of the fixture buildpack whose
/// `bin/bpkit.lock` is `lock` (no cargo on PATH, no sources: the bootstrap downloads bpkit),
/// the release mirrored to `release_mirror`, `env` added.
fn stage_with_lock(t: &Path, lock: &str, release_mirror: &str, env: &[(&str, &str)]) -> Stage {
    let repo_parent = t.join(format!("repo-{}", fs::read_dir(t).unwrap().count()));
    fs::create_dir_all(&repo_parent).unwrap();
    let repo = bootstrap_repo(&repo_parent, false, Some(lock));
    let url = format!("file://{}#stable", repo.display());
    let mirrors = format!(
        "{},https://releases.example.invalid/={release_mirror}",
        mirrors()
    );
    let staging = stage(t)
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("BPKIT_MIRRORS", &mirrors);
    env.iter()
        .fold(staging, |staging, (name, value)| staging.env(name, value))
        .arg(hello_app())
        .bp(&url)
}

/// Serve this bpkit on `server` at `/mirror/`, where a mirror of the release has it; its path.
fn serve_release(server: &common::server::Server) -> String {
    let path = format!("/mirror/v9.9.9/bpkit-9.9.9-{}", machine_target());
    server.serve(&path, fs::read(bpkit_path()).unwrap());
    path
}

/// The bootstrap's refusal in a staging that failed (exit 223) because it had no bpkit binary.
fn bootstrap_refusal(run: &Run) -> &str {
    assert_eq!(run.code, 223, "{}", run.stderr);
    run.stderr
        .lines()
        .find(|l| l.contains("**ERROR** bpkit: no bpkit binary"))
        .unwrap_or_else(|| panic!("{}", run.stderr))
}

/// An air-gapped site mirrors bpkit's release on a server whose certificate its own CA signed,
/// and sets `SSL_CERT_FILE` as it does for bpkit's downloads. curl and wget do not read that
/// variable, so the bootstrap passes it on (and without it says what to set, not curl's advice
/// to read a web page).
#[test]
fn the_bootstrap_downloads_from_a_tls_mirror_trusted_through_ssl_cert_file() {
    use common::server::{Server, TEST_CA_PEM};
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let server = Server::start_tls();
    let path = serve_release(&server);
    let mirror = server.url("/mirror/");

    let run = stage_through_download(t, &mirror, &[("SSL_CERT_FILE", TEST_CA_PEM)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(server.hits(&path), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "from {}{} (mirror of https://releases.example.invalid{}), once per staging",
            server.url(""),
            path,
            path.trim_start_matches("/mirror")
        )),
        "{}",
        run.stderr
    );

    let run = stage_through_download(t, &mirror, &[("SSL_CERT_FILE", "")]);
    let refusal = bootstrap_refusal(&run);
    assert!(
        refusal.contains("set SSL_CERT_FILE to a PEM file holding it"),
        "{refusal}"
    );
    assert!(!refusal.contains("web page mentioned above"), "{refusal}");
}

/// A site that sets only the upper-case proxy variables (bpkit reads either case) gets its
/// proxy for the bootstrap's download too, although curl ignores `HTTP_PROXY`. The mirror's
/// name does not resolve: only the proxy can reach it.
#[test]
fn the_bootstrap_downloads_through_an_upper_case_http_proxy() {
    use common::server::Server;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let origin = Server::start();
    let path = serve_release(&origin);
    let proxy = Server::start();
    proxy.proxy_to(origin.addr());
    let mirror = format!(
        "http://mirror.bpkit-test.invalid:{}/mirror/",
        origin.addr().port()
    );
    let proxy_url = proxy.url("");
    let run = stage_through_download(
        t,
        &mirror,
        &[
            ("http_proxy", ""),
            ("all_proxy", ""),
            ("ALL_PROXY", ""),
            ("HTTP_PROXY", &proxy_url),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(origin.hits(&path), 1, "{}", run.stderr);
    assert!(
        proxy.hits("FORWARD") >= 1,
        "{:?}",
        proxy.methods_and_targets()
    );
}

/// The fixture buildpack packaged as a cached zip (dependencies inside, no network), the
/// fixture app staged with the zip, started, and answering HTTP on 127.0.0.1.
#[test]
fn a_cached_zip_stages_the_fixture_app_which_answers_http() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let mut package = bpkit();
    package
        .current_dir(t)
        .env("BPKIT_MIRRORS", mirrors())
        .env("BPKIT_CACHE_DIR", t.join("cache"))
        .arg("package")
        .arg(repo_root().join("fixtures/buildpack"))
        .args(["--cached", "--offline", "--output-dir"])
        .arg(t);
    let packaged = run_within(&mut package, LIMIT);
    assert_eq!(packaged.code, 0, "{}", packaged.stderr);
    let zip = packaged.stdout.trim_end().to_string();
    assert!(zip.ends_with("hello_buildpack-cached-v1.0.0.zip"), "{zip}");

    // Staging sees no mirror and no network: the dependency comes from the zip.
    let out = t.join("out");
    let run = Stage::new(t)
        .arg(hello_app())
        .bp(&zip)
        .out(&out)
        .limit(LIMIT)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("       Copy ["), "{}", run.stderr);
    assert_eq!(
        result_json(&out)["lifecycle_metadata"]["buildpack_key"],
        zip.as_str()
    );

    let checked = run_on_free_port(t, &out, &["--check", "/"], LIMIT);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert!(
        checked.stdout.starts_with("http://127.0.0.1:") && checked.stdout.ends_with("/ 200 OK\n"),
        "{}",
        checked.stdout
    );
}

/// The README's main command: scripts/quickstart packages, stages and smoke-tests, offline.
#[test]
fn the_quick_start_packages_stages_and_runs_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let out = fs::canonicalize(tmp.path()).unwrap().join("out");
    let mut command = Command::new(repo_root().join("scripts/quickstart"));
    command
        .env("BPKIT", bpkit_path())
        .env("BPKIT_QUICKSTART_OUT", &out)
        .env("NO_COLOR", "1")
        .env_remove("BPKIT_MIRRORS");
    let run = run_within(&mut command, LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..4],
        [
            format!(
                "zip:        {}",
                out.join("hello_buildpack-cached-v1.0.0.zip").display()
            )
            .as_str(),
            format!("droplet:    {}", out.join("stage/droplet.tgz").display()).as_str(),
            "detected:   hello",
            "release:    web: python3 -m http.server $PORT",
        ]
    );
    assert!(
        lines[4].starts_with("smoke test: http://127.0.0.1:")
            && lines[4].ends_with("/greeting.txt 200 OK"),
        "{}",
        run.stdout
    );
    assert_eq!(lines.len(), 5);
}
