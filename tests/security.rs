//! Security promises of quality.md ("Security") through the built binary (issue 6). Crafted
//! archives through `supply` are in tests/phases_errors.rs (and every refusal, in-process, in
//! tests/archive.rs); here:
//!
//! - file names from manifests and URIs never reach a shell: a dependency whose name, URI and
//!   file name are full of `$(…)`, backticks, `;` and quotes is packaged, verified, supplied,
//!   built with and launched (by hand, and through `bpkit stage` and `bpkit run`), and no
//!   `pwned` file appears anywhere;
//! - credentials in URIs never appear in any output: stdout and stderr of `package` (and its
//!   `--json`), `fetch --json`, `supply` and `stage` (zip and git URLs, result.json), on
//!   success and through error chains, verbose and debug output included, proxies' too;
//! - crafted droplets given to `bpkit run` write nothing outside the folder it unpacks them in.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::bin::{Run, bpkit, run};
use common::buildpack::{list_files, package, sha256_hex, write};
use common::server::{Fault, Server};
use common::staging::{Staging, buildpack};
use common::tarball::Tarball;

/// What each injection attempt would run: `touch pwned` (relative, so in whatever folder the
/// shell happens to be in; every command below runs in the test's own temporary folder).
const NASTY: &str = "evil$(touch pwned);`touch pwned`'\"|&";

/// Every `pwned` file under `dir`.
fn pwned_under(dir: &Path) -> Vec<String> {
    list_files(dir)
        .into_iter()
        .filter(|f| Path::new(f).file_name().is_some_and(|n| n == "pwned"))
        .collect()
}

/// `text` as a single-quoted YAML scalar.
fn yaml_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A tarball with one executable, `bin/tool`, that prints its argument.
fn tool_tarball() -> Vec<u8> {
    Tarball::new()
        .script("bin/tool", "printf 'tool says %s\\n' \"$1\"")
        .tgz()
}

/// A buildpack whose one dependency has a name, a file name and an env value full of shell
/// syntax; `uri` is where the tarball is. It installs it with `{{dir}}` in an env value, puts
/// its `bin` on PATH, runs it in a build command and exports a launch variable.
fn nasty_manifest(uri: &str, bytes: &[u8]) -> String {
    let name = yaml_quoted(NASTY);
    format!(
        "language: nasty\npre_package: echo pre_package ran\ndependencies:\n- name: {name}\n  version: 1.0.0\n  uri: {uri}\n  sha256: {sha}\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: {name}\n  path: [bin]\n  env:\n    TOOL_HOME: {env}\nbuild:\n- tool built > built.txt\nlaunch_env:\n  GREETING: {greeting}\n",
        uri = yaml_quoted(uri),
        sha = sha256_hex(bytes),
        env = yaml_quoted(&format!("{{{{dir}}}}/{NASTY}")),
        greeting = yaml_quoted(NASTY),
    )
}

/// Run `command` in `cwd` (so a relative `touch pwned` would land there).
fn run_in(cwd: &Path, command: &mut std::process::Command) -> Run {
    run(command.current_dir(cwd))
}

/// Source every launch script the way the launcher does (`../profile.d/*`, then
/// `app/.profile.d/*`), from the app folder, and print two variables.
fn launch(staging: &Staging) -> Run {
    let script = "for f in \"$PROFILE_DIR\"/*.sh; do . \"$f\"; done; printf '%s\\n%s\\n' \"$TOOL_HOME\" \"$GREETING\"";
    run(std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(&staging.app)
        .env("HOME", &staging.app)
        .env("DEPS_DIR", &staging.deps)
        .env("PROFILE_DIR", &staging.profile))
}

#[test]
fn names_from_manifests_and_uris_never_reach_a_shell() {
    let server = Server::start();
    let bytes = tool_tarball();
    // The URI's path carries the same syntax (percent-encoding only what HTTP forbids).
    let path = "/deps/evil$(touch%20pwned);%60touch%20pwned%60'%22|&.tgz";
    server.serve(path, bytes.clone());
    let staging = Staging::new();
    let root = fs::canonicalize(staging.path()).unwrap();
    let manifest = nasty_manifest(&server.url(path), &bytes);
    let bp = buildpack(&root, "bp", &manifest);

    // Package it cached (pre_package runs in a copy, the dependency is downloaded), verify it.
    // (A copy with script phases: bp's are links to the bpkit binary, which would be packaged
    // whole, five times.)
    let to_package = root.join("bp-to-package");
    write(&to_package, "manifest.yml", &manifest);
    write(&to_package, "VERSION", "1.0.0\n");
    for phase in ["detect", "supply", "finalize", "release"] {
        write(&to_package, &format!("bin/{phase}"), "#!/bin/sh\n");
    }
    let out = root.join("out");
    let packaged = run_in(
        &root,
        package(&root.join("pkg-cache"))
            .arg(&to_package)
            .args(["--cached", "--stack", "cflinuxfs4", "--output-dir"])
            .arg(&out),
    );
    assert_eq!(packaged.code, 0, "{}", packaged.stderr);
    let zip = PathBuf::from(packaged.stdout.trim_end());
    assert!(
        packaged.stderr.contains("       pre_package ran\n"),
        "{}",
        packaged.stderr
    );
    // pre_package runs in a temporary copy of the buildpack, and that copy is what is zipped
    // (the manifest lists no include_files): a `pwned` made there would be in the zip.
    let entries = common::buildpack::zip_map(&zip);
    let pwned_in_zip: Vec<&String> = entries.keys().filter(|k| k.ends_with("pwned")).collect();
    assert_eq!(pwned_in_zip, Vec::<&String>::new());
    // The dependency's name in the zip keeps none of the URI's shell syntax.
    let dependency_files: Vec<&String> = entries
        .keys()
        .filter(|k| k.starts_with("dependencies/") && !k.ends_with('/'))
        .collect();
    assert_eq!(dependency_files.len(), 1, "{entries:?}");
    assert!(
        dependency_files[0].ends_with("/evil__touch%20pwned__%60touch%20pwned%60_%22__.tgz"),
        "{dependency_files:?}"
    );
    let verified = run_in(&root, bpkit().arg("verify").arg(&zip));
    assert_eq!(verified.code, 0, "{}\n{}", verified.stdout, verified.stderr);
    assert_eq!(server.hits(path), 1);

    // Stage with the buildpack folder itself (the dependency downloaded again, by supply).
    let supply = run_in(
        &root,
        staging
            .command(&bp, "supply")
            .args([&staging.app, &staging.cache, &staging.deps])
            .arg("0"),
    );
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    let finalize = run_in(
        &root,
        staging
            .command(&bp, "finalize")
            .args([&staging.app, &staging.cache, &staging.deps])
            .arg("0")
            .arg(&staging.profile),
    );
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert_eq!(
        fs::read_to_string(staging.app.join("built.txt")).unwrap(),
        "tool says built\n"
    );
    // The env/ file holds the literal staging value.
    let dep_dir = staging.deps.join("0").join(NASTY);
    assert_eq!(
        fs::read_to_string(staging.deps.join("0/env/TOOL_HOME")).unwrap(),
        format!("{}/{NASTY}", dep_dir.display())
    );

    // At launch the values are the literal text, with `{{dir}}` under $DEPS_DIR.
    let launched = launch(&staging);
    assert_eq!(launched.code, 0, "{}", launched.stderr);
    assert_eq!(
        launched.stdout,
        format!("{}/{NASTY}\n{NASTY}\n", dep_dir.display())
    );
    assert_eq!(pwned_under(&root), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Credentials in URIs

const PASSWORD: &str = "s3cret-pw";
const SIGNATURE: &str = "s1gnature-s3cret";

/// A server with a Basic-auth dependency and a presigned-URL one (secret query parameters).
struct Secrets {
    server: Server,
    tool: Vec<u8>,
    agent: Vec<u8>,
}

impl Secrets {
    fn new() -> Secrets {
        let server = Server::start();
        let tool = tool_tarball();
        let agent = Tarball::new().script("bin/agent", "echo agent").tgz();
        server.route(
            "/private/tool.tgz",
            tool.clone(),
            Fault::BasicAuth {
                user: "deploy".into(),
                password: PASSWORD.into(),
            },
        );
        server.serve("/signed/agent.tgz", agent.clone());
        Secrets {
            server,
            tool,
            agent,
        }
    }

    fn tool_uri(&self, password: &str) -> String {
        self.server
            .url_with_credentials("deploy", password, "/private/tool.tgz")
    }

    fn agent_uri(&self) -> String {
        format!(
            "{}?X-Amz-Credential=AKIA%2Fcred-s3cret&X-Amz-Signature={SIGNATURE}&x=1",
            self.server.url("/signed/agent.tgz")
        )
    }

    /// How every message shows the two URIs.
    fn tool_shown(&self) -> String {
        self.server
            .url("/private/tool.tgz")
            .replace("http://", "http://-redacted-:-redacted-@")
    }

    fn agent_shown(&self) -> String {
        format!(
            "{}?X-Amz-Credential=-redacted-&X-Amz-Signature=-redacted-&x=1",
            self.server.url("/signed/agent.tgz")
        )
    }

    /// A buildpack to package, with `tool_uri` for tool.
    fn buildpack(&self, root: &Path, tool_uri: &str) -> PathBuf {
        let dir = root.join("secret-bp");
        let manifest = format!(
            "language: secret\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: {}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n- name: agent\n  version: 2.0.0\n  uri: {}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: tool\n- name: agent\n",
            yaml_quoted(tool_uri),
            sha256_hex(&self.tool),
            yaml_quoted(&self.agent_uri()),
            sha256_hex(&self.agent),
        );
        write(&dir, "manifest.yml", manifest);
        write(&dir, "VERSION", "1.0.0\n");
        for phase in ["detect", "supply", "finalize", "release"] {
            write(&dir, &format!("bin/{phase}"), "#!/bin/sh\n");
        }
        dir
    }
}

/// No secret of [`Secrets`] in `run`'s stdout or stderr.
fn assert_no_secret(run: &Run) {
    for secret in [
        PASSWORD,
        "wr0ng-pw",
        SIGNATURE,
        "cred-s3cret",
        "l0cation-s3cret",
    ] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{secret} shown:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
}

/// The `--json` document of a command that failed before it had its data: the error on stdout
/// too, redacted as on stderr.
fn failure_json(code: u8, error: &str) -> String {
    let document = serde_json::json!({"success": false, "exit_code": code, "error": error});
    format!("{document:#}\n")
}

/// A `--json` run that failed with exit 1 and `error`: its last line on stderr, and the JSON
/// document on stdout.
#[track_caller]
fn assert_failed_with(result: &Run, error: &str) {
    assert!(
        result.stderr.ends_with(&format!("bpkit: error: {error}\n")),
        "{}",
        result.stderr
    );
    assert_eq!(result.stdout, failure_json(1, error));
}

/// `bpkit -v package DIR --cached --json` with a fresh cache and output folder under `root`.
fn package_json(root: &Path, dir: &Path) -> Run {
    run(package(&root.join("cache"))
        .arg("-v")
        .arg(dir)
        .args(["--cached", "--json", "--output-dir"])
        .arg(root.join("out")))
}

/// `bpkit package --cached --json` of `dir` with no retries, for a server that cannot answer.
fn package_json_once(root: &Path, dir: &Path) -> Run {
    run(package(&root.join("cache"))
        .env("BPKIT_RETRIES", "0")
        .arg(dir)
        .args(["--cached", "--json", "--output-dir"])
        .arg(root.join("out")))
}

#[test]
fn package_json_and_verbose_output_never_show_credentials() {
    let secrets = Secrets::new();
    let temp = tempfile::tempdir().unwrap();
    let dir = secrets.buildpack(temp.path(), &secrets.tool_uri(PASSWORD));
    let result = package_json(temp.path(), &dir);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_no_secret(&result);
    let json: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    let uris: Vec<&str> = json["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, [secrets.tool_shown(), secrets.agent_shown()]);
    // Verbose narration names each download, redacted; and a warning says that the zip's
    // manifest.yml keeps the credentials (it does: see below).
    for line in [
        "       **WARNING** The packaged manifest.yml keeps the credentials written in the URIs of tool 1.0.0, agent 2.0.0: anyone who can read the zip can read them. Write the URIs without them and give them through BPKIT_MIRRORS where the zip is packaged and staged (README, \"Air-gapped sites\").\n".to_string(),
        format!(
            "       tool 1.0.0: downloaded from {}\n",
            secrets.tool_shown()
        ),
        format!(
            "       agent 2.0.0: downloaded from {}\n",
            secrets.agent_shown()
        ),
    ] {
        assert!(result.stderr.contains(&line), "{line}\n{}", result.stderr);
    }
    let zip = std::path::PathBuf::from(json["path"].as_str().unwrap());
    let packaged = common::buildpack::zip_text(&zip, "manifest.yml");
    assert!(packaged.contains(PASSWORD), "{packaged}");
}

#[test]
fn a_refused_password_is_redacted_in_the_error_chain() {
    let secrets = Secrets::new();
    let temp = tempfile::tempdir().unwrap();
    let dir = secrets.buildpack(temp.path(), &secrets.tool_uri("wr0ng-pw"));
    let result = package_json(temp.path(), &dir);
    assert_eq!(result.code, 1);
    assert_no_secret(&result);
    let error = format!(
        "Could not fetch tool 1.0.0: Could not download {}: the server answered 401 Unauthorized; the user and password in the URI were refused: correct them (in the manifest's `uri`, or in BPKIT_MIRRORS for a mirror).",
        secrets.tool_shown()
    );
    assert_failed_with(&result, &error);
}

#[test]
fn credentials_in_a_redirect_target_are_redacted() {
    let secrets = Secrets::new();
    let target = secrets
        .server
        .url_with_credentials("other", "l0cation-s3cret", "/gone.tgz");
    secrets.server.route(
        "/moved/tool.tgz",
        Vec::new(),
        Fault::Redirect { to: target },
    );
    let temp = tempfile::tempdir().unwrap();
    let moved = secrets
        .server
        .url_with_credentials("deploy", PASSWORD, "/moved/tool.tgz");
    let dir = secrets.buildpack(temp.path(), &moved);
    let result = package_json(temp.path(), &dir);
    assert_eq!(result.code, 1);
    assert_no_secret(&result);
    assert!(
        result.stderr.ends_with(&format!(
            "bpkit: error: Could not fetch tool 1.0.0: Could not download {}: the server answered 404 Not Found (after a redirect to {}); the server has no file there: correct the URI, or put the file on the server.\n",
            secrets
                .server
                .url("/moved/tool.tgz")
                .replace("http://", "http://-redacted-:-redacted-@"),
            // The redirect's credentials are taken out before anything shows the URI.
            secrets.server.url("/gone.tgz"),
        )),
        "{}",
        result.stderr
    );
}

#[test]
fn credentials_of_an_unreachable_server_are_redacted() {
    let secrets = Secrets::new();
    let temp = tempfile::tempdir().unwrap();
    let dead = common::server::refused_addr();
    let uri = format!("http://deploy:{PASSWORD}@{dead}/private/tool.tgz");
    let dir = secrets.buildpack(temp.path(), &uri);
    let result = package_json_once(temp.path(), &dir);
    assert_eq!(result.code, 1);
    assert_no_secret(&result);
    assert!(
        result.stderr.ends_with(&format!(
            "bpkit: error: Could not fetch tool 1.0.0: Could not connect to http://-redacted-:-redacted-@{dead}/private/tool.tgz: connection refused. Check the network, the proxy settings (HTTP_PROXY, NO_PROXY) and BPKIT_MIRRORS. Where this machine cannot reach http://{dead}/, map it to a mirror that it can: BPKIT_MIRRORS=http://{dead}/=<the mirror's URL>/ (README, \"Air-gapped sites\").\n"
        )),
        "{}",
        result.stderr
    );
}

/// A token in a fragment written as a query (`#access_token=…`, as an OAuth redirect hands one
/// over, pasted whole into a `uri`) is redacted in the errors and `--json` as in a query.
#[test]
fn a_token_in_the_fragment_is_redacted() {
    let secrets = Secrets::new();
    let temp = tempfile::tempdir().unwrap();
    let dead = common::server::refused_addr();
    let uri = format!("http://{dead}/private/tool.tgz#access_token={PASSWORD}&state=1");
    let dir = secrets.buildpack(temp.path(), &uri);
    let result = package_json_once(temp.path(), &dir);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_no_secret(&result);
    assert!(
        result.stdout.contains(&format!(
            "Could not connect to http://{dead}/private/tool.tgz#access_token=-redacted-&state=1: "
        )),
        "{}",
        result.stdout
    );
}

#[test]
fn credentials_of_a_mirror_are_redacted() {
    let secrets = Secrets::new();
    secrets.server.route(
        "/mirror/private/tool.tgz",
        secrets.tool.clone(),
        Fault::BasicAuth {
            user: "mirror".into(),
            password: PASSWORD.into(),
        },
    );
    let temp = tempfile::tempdir().unwrap();
    let dir = secrets.buildpack(temp.path(), &secrets.server.url("/private/tool.tgz"));
    let mirror = secrets
        .server
        .url_with_credentials("mirror", PASSWORD, "/mirror/private/");
    let result = run(package(&temp.path().join("cache"))
        .env(
            "BPKIT_MIRRORS",
            format!("{}={mirror}", secrets.server.url("/private/")),
        )
        .arg("-v")
        .arg(&dir)
        .args(["--cached", "--json", "--output-dir"])
        .arg(temp.path().join("out")));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_no_secret(&result);
    let shown = secrets
        .server
        .url("/mirror/private/tool.tgz")
        .replace("http://", "http://-redacted-:-redacted-@");
    assert!(
        result
            .stderr
            .contains(&format!("       tool 1.0.0: fetched from mirror {shown}\n")),
        "{}",
        result.stderr
    );
    let json: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(json["dependencies"][0]["source"], "mirror");
}

#[test]
fn supply_with_debug_output_never_shows_credentials() {
    let secrets = Secrets::new();
    let mut staging = Staging::new();
    staging.set_env("BP_DEBUG", "1");
    let temp = tempfile::tempdir().unwrap();
    let source = secrets.buildpack(temp.path(), &secrets.tool_uri(PASSWORD));
    let manifest = fs::read_to_string(source.join("manifest.yml")).unwrap();
    let bp = buildpack(staging.path(), "bp", &manifest);
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    assert_no_secret(&supply);
    assert!(
        supply
            .stderr
            .contains(&format!("       Download [{}]\n", secrets.agent_shown())),
        "{}",
        supply.stderr
    );

    let wrong = manifest.replace(PASSWORD, "wr0ng-pw");
    let bp = buildpack(staging.path(), "bp-wrong", &wrong);
    fs::create_dir_all(staging.deps.join("1")).unwrap();
    let failed = run(staging
        .command(&bp, "supply")
        .arg(&staging.app)
        .arg(temp.path().join("other-cache"))
        .arg(&staging.deps)
        .arg("1"));
    assert_eq!(failed.code, 14);
    assert_no_secret(&failed);
}

#[test]
fn fetch_json_never_shows_credentials() {
    let secrets = Secrets::new();
    let temp = tempfile::tempdir().unwrap();
    let dir = secrets.buildpack(temp.path(), &secrets.tool_uri(PASSWORD));
    let result = run(common::buildpack::isolated(&temp.path().join("cache"))
        .args(["-v", "fetch", "--json"])
        .arg(&dir));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_no_secret(&result);
    let json: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(json["dependencies"][0]["uri"], secrets.tool_shown());
    assert_eq!(json["dependencies"][1]["uri"], secrets.agent_shown());

    let wrong = secrets.buildpack(&temp.path().join("wrong"), &secrets.tool_uri("wr0ng-pw"));
    let failed = run(common::buildpack::isolated(&temp.path().join("cache2"))
        .args(["-v", "fetch", "--json"])
        .arg(&wrong));
    assert_eq!(failed.code, 1);
    assert_no_secret(&failed);
    let error = format!(
        "Could not fetch tool 1.0.0: Could not download {}: the server answered 401 Unauthorized; the user and password in the URI were refused: correct them (in the manifest's `uri`, or in BPKIT_MIRRORS for a mirror).",
        secrets.tool_shown()
    );
    assert_failed_with(&failed, &error);
}

/// A `uri` whose scheme is missing or misspelled (`://` after an unset `${SCHEME}`, a
/// scheme-relative `//`, `https:/`) still carries a user and password: `validate` (text and
/// `--json`), `fetch --json` and `package --json` refuse it without showing them.
#[test]
fn credentials_after_a_missing_or_misspelled_scheme_are_redacted() {
    let secrets = Secrets::new();
    let dead = common::server::refused_addr();
    for (uri, shown) in [
        (
            format!("://deploy:{PASSWORD}@{dead}/tool.tgz"),
            format!("://-redacted-:-redacted-@{dead}/tool.tgz"),
        ),
        (
            format!("//deploy:{PASSWORD}@{dead}/tool.tgz"),
            format!("//-redacted-:-redacted-@{dead}/tool.tgz"),
        ),
        (
            format!("https:/deploy:{PASSWORD}@{dead}/tool.tgz"),
            format!("https:/-redacted-:-redacted-@{dead}/tool.tgz"),
        ),
        (
            format!("https:///deploy:{PASSWORD}@{dead}/tool.tgz"),
            format!("https:///-redacted-:-redacted-@{dead}/tool.tgz"),
        ),
    ] {
        let temp = tempfile::tempdir().unwrap();
        let dir = secrets.buildpack(temp.path(), &uri);
        for args in [&["validate"][..], &["validate", "--json"]] {
            let result = run(bpkit().args(args).arg(&dir));
            assert_no_secret(&result);
            assert!(
                result
                    .stdout
                    .contains(&format!("bpkit cannot download `{shown}`: ")),
                "{uri}: {}",
                result.stdout
            );
        }
        let fetched = run(common::buildpack::isolated(&temp.path().join("cache"))
            .args(["fetch", "--json"])
            .arg(&dir));
        assert_eq!(fetched.code, 1, "{}", fetched.stderr);
        assert_no_secret(&fetched);
        assert!(
            fetched
                .stderr
                .contains(&format!("`{shown}` cannot be downloaded")),
            "{uri}: {}",
            fetched.stderr
        );
        let packaged = package_json(temp.path(), &dir);
        assert_eq!(packaged.code, 1, "{}", packaged.stderr);
        assert_no_secret(&packaged);
    }
}

/// The same dependency through `bpkit stage` and `bpkit run` (the platform's builder and
/// launcher, emulated): staged, built with, launched; no `pwned` anywhere, and the app sees the
/// literal values.
#[test]
fn names_never_reach_a_shell_through_stage_and_run() {
    let server = Server::start();
    let bytes = tool_tarball();
    let path = "/deps/evil$(touch%20pwned);%60touch%20pwned%60'%22|&.tgz";
    server.serve(path, bytes.clone());
    let temp = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(temp.path()).unwrap();
    let manifest = nasty_manifest(&server.url(path), &bytes).replace(
        "language: nasty\n",
        "language: nasty\ndetect:\n  any_of:\n  - file: app.txt\n",
    );
    let bp = buildpack(&root, "bp", &manifest);
    write(&root, "app/app.txt", "hi\n");
    let out = root.join("out");
    // Staging's shells (supply, finalize, `build:`) run in its workspace: kept (`--keep`) and
    // under `root` (TMPDIR), so a `pwned` made in any of them is found below.
    let scratch = root.join("tmp");
    fs::create_dir(&scratch).unwrap();
    let staged = run_in(
        &root,
        common::buildpack::isolated(&root.join("cache"))
            .env("TMPDIR", &scratch)
            .args(["stage", "app", "--keep", "-b"])
            .arg(&bp)
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(staged.code, 0, "{}", staged.stderr);
    // `bpkit run` on an unpacked droplet runs in place (a droplet.tgz would be unpacked into a
    // temporary folder, removed after): the launcher's shells run in `root/home/app`.
    let home = root.join("home");
    fs::create_dir(&home).unwrap();
    let untar = run(std::process::Command::new("tar")
        .arg("-xzf")
        .arg(out.join("droplet.tgz"))
        .arg("-C")
        .arg(&home));
    assert_eq!(untar.code, 0, "{}", untar.stderr);
    let launched = run_in(
        &root,
        common::buildpack::isolated(&root.join("cache"))
            .env("TMPDIR", &scratch)
            .args([
                "run",
                "-c",
                "printf '%s\\n%s\\n' \"$TOOL_HOME\" \"$GREETING\"",
            ])
            .arg(&home),
    );
    assert_eq!(launched.code, 0, "{}", launched.stderr);
    assert!(
        launched
            .stderr
            .contains(&format!("/{NASTY}/{NASTY}\n{NASTY}\n")),
        "{}",
        launched.stderr
    );
    assert_eq!(pwned_under(&root), Vec::<String>::new());
}

/// A buildpack zip (compile + release) for `bpkit stage -b URL`.
fn stage_buildpack_zip() -> Vec<u8> {
    common::zipball::Zipball::new()
        .file(
            "bin/compile",
            0o755,
            "#!/bin/sh\necho 'from zip' > \"$1/zipped\"\n",
        )
        .file(
            "bin/release",
            0o755,
            "#!/bin/sh\necho '--- {default_process_types: {web: ./start}}'\n",
        )
        .bytes()
}

/// `bpkit stage app -b BUILDPACK --json` with debug output on, under `root`.
fn stage_json(root: &Path, buildpack: &str) -> Run {
    write(root, "app/index.html", "hi\n");
    run(common::buildpack::isolated(&root.join("cache"))
        .current_dir(root)
        .env("BP_DEBUG", "1")
        .env("BPKIT_RETRIES", "0")
        .args(["stage", "app", "--json", "--out", "out", "-b", buildpack]))
}

/// The same secrets checked in what `bpkit stage` writes: result.json and the staging info.
fn assert_no_secret_in_files(dir: &Path) {
    for file in list_files(dir) {
        if Path::new(&file)
            .extension()
            .is_some_and(|e| e == "json" || e == "yml")
        {
            let text = fs::read_to_string(dir.join(&file)).unwrap();
            assert!(
                !text.contains(PASSWORD),
                "{file} shows the password:\n{text}"
            );
        }
    }
}

/// Such a `uri` with no path gets a cache entry (locked, then found undownloadable) whose name
/// is no part of its userinfo: a lock file named `.deploy:PASSWORD@host.lock` would show the
/// password to whoever lists the cache (one killed mid-download stays), and the path is named
/// in messages: here a folder where the lock file goes makes the error name it.
#[test]
fn the_cache_never_names_a_file_after_credentials() {
    let secrets = Secrets::new();
    let dead = common::server::refused_addr();
    for uri in [
        format!("https:/deploy:{PASSWORD}@{dead}"),
        format!("//deploy:{PASSWORD}@{dead}"),
    ] {
        let temp = tempfile::tempdir().unwrap();
        let dir = secrets.buildpack(temp.path(), &uri);
        let cache = temp.path().join("cache");
        let lock = cache
            .join("dependencies")
            .join(common::buildpack::md5_hex(uri.as_bytes()))
            .join(".download.lock");
        fs::create_dir_all(&lock).unwrap();
        let fetched = run(common::buildpack::isolated(&cache)
            .args(["fetch", "--cache-dir"])
            .arg(&cache)
            .arg(&dir));
        assert_eq!(fetched.code, 1, "{}", fetched.stderr);
        assert_no_secret(&fetched);
        assert!(
            fetched.stderr.contains(&format!(
                "Could not lock {} to share the cache with other processes: it is a folder, not a file",
                lock.display()
            )),
            "{uri}: {}",
            fetched.stderr
        );
        let files = list_files(&cache);
        assert!(
            files.iter().all(|f| !f.contains(PASSWORD)),
            "{uri}: {files:?}"
        );
    }
}

/// `http://127.0.0.1:PORT/half-s3cret@deps.example` is fetched as written (port PORT, path
/// `/half-s3cret@deps.example`), but its writer may have meant the user `127.0.0.1` and the
/// password `PORT/half-s3cret`: the download succeeds, and neither what is shown nor the name
/// of the file in the cache and in the zip holds the second half of that password.
#[test]
fn a_uri_that_could_hold_a_password_never_names_a_file_after_it() {
    const HALF: &str = "half-s3cret";
    let server = Server::start();
    let tool = tool_tarball();
    let path = format!("/{HALF}@deps.example");
    server.serve(&path, tool.clone());
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("bp");
    write(
        &dir,
        "manifest.yml",
        format!(
            "language: x\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: {}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n",
            server.url(&path),
            sha256_hex(&tool)
        ),
    );
    write(&dir, "VERSION", "1.0.0\n");
    let packaged = package_json(temp.path(), &dir);
    assert_eq!(packaged.code, 0, "{}", packaged.stderr);
    assert_eq!(server.hits(&path), 1);
    for text in [&packaged.stdout, &packaged.stderr] {
        assert!(!text.contains(HALF), "{text}");
    }
    assert!(
        packaged
            .stderr
            .contains("tool 1.0.0: downloaded from http://-redacted-:-redacted-@deps.example"),
        "{}",
        packaged.stderr
    );
    let json: serde_json::Value = serde_json::from_str(&packaged.stdout).unwrap();
    let zip = PathBuf::from(json["path"].as_str().unwrap());
    let entries: Vec<String> = common::buildpack::read_zip(&zip)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let md5 = common::buildpack::md5_hex(server.url(&path).as_bytes());
    assert!(
        entries.contains(&format!("dependencies/{md5}/download")),
        "{entries:?}"
    );
    let cached = list_files(&temp.path().join("cache"));
    for name in entries.iter().chain(&cached) {
        assert!(!name.contains(HALF), "{name}");
    }
}

/// A `-b` URL whose scheme is missing or misspelled is no path that exists either: the error
/// (and `--json`) shows it with its credentials redacted, as a URL's are. (Staging stops
/// before it writes result.json.)
#[test]
fn stage_never_shows_the_credentials_of_a_buildpack_url_without_a_scheme() {
    let dead = common::server::refused_addr();
    for (url, shown) in [
        (
            format!("deploy:{PASSWORD}@{dead}/bp.git"),
            format!("-redacted-:-redacted-@{dead}/bp.git"),
        ),
        (
            format!("https:/deploy:{PASSWORD}@{dead}/bp.git#v1"),
            format!("https:/-redacted-:-redacted-@{dead}/bp.git#v1"),
        ),
    ] {
        let temp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(temp.path()).unwrap();
        let staged = stage_json(&root, &url);
        assert_eq!(staged.code, 1, "{}", staged.stderr);
        assert_no_secret(&staged);
        assert!(
            staged
                .stderr
                .ends_with(&format!("bpkit: error: -b {shown}: no such file or folder; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)\n")),
            "{}",
            staged.stderr
        );
    }
}

/// A buildpack zip behind Basic auth, staged from its URL with the credentials in it: the
/// download line, `--json`, the debug output and result.json show it redacted; with a wrong
/// password the error chain does too.
#[test]
fn stage_never_shows_the_credentials_of_a_buildpack_url() {
    let server = Server::start();
    server.route(
        "/private/bp.zip",
        stage_buildpack_zip(),
        Fault::BasicAuth {
            user: "deploy".into(),
            password: PASSWORD.into(),
        },
    );
    let shown = server
        .url("/private/bp.zip")
        .replace("http://", "http://-redacted-:-redacted-@");

    let temp = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(temp.path()).unwrap();
    let url = server.url_with_credentials("deploy", PASSWORD, "/private/bp.zip");
    let staged = stage_json(&root, &url);
    assert_eq!(staged.code, 0, "{}", staged.stderr);
    assert_no_secret(&staged);
    assert_no_secret_in_files(&root.join("out"));
    assert!(
        staged
            .stderr
            .contains(&format!("Downloaded buildpack `{shown}` (")),
        "{}",
        staged.stderr
    );

    let refused = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(refused.path()).unwrap();
    let url = server.url_with_credentials("deploy", "wr0ng-pw", "/private/bp.zip");
    let failed = stage_json(&root, &url);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert_no_secret(&failed);
    assert!(
        failed
            .stderr
            .contains(&format!("Failed to download buildpack '{shown}': ")),
        "{}",
        failed.stderr
    );
}

/// A git URL with credentials, to a server that refuses the connection: git's own output is
/// shown under BP_DEBUG, and neither it nor bpkit's lines show the password.
#[test]
fn stage_never_shows_the_credentials_of_a_git_url() {
    let dead = common::server::refused_addr();
    let temp = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(temp.path()).unwrap();
    let url = format!("http://deploy:{PASSWORD}@{dead}/org/buildpack.git#v1.2");
    let failed = stage_json(&root, &url);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert_no_secret(&failed);
    assert!(
        failed.stderr.contains(&format!(
            "Failed to clone git repository at http://-redacted-:-redacted-@{dead}/org/buildpack.git"
        )),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains("DEBUG: git clone"),
        "{}",
        failed.stderr
    );
}

/// Credentials of a proxy (HTTPS_PROXY=http://user:password@host) never appear, in the error
/// chain of a proxy that refuses the connection included.
#[test]
fn credentials_of_a_proxy_are_redacted() {
    let secrets = Secrets::new();
    let temp = tempfile::tempdir().unwrap();
    // Not on 127.0.0.1, which never goes through a proxy: the proxy is the only way there.
    let dir = secrets.buildpack(temp.path(), "http://deps.example.invalid/private/tool.tgz");
    let dead = common::server::refused_addr();
    let proxy = format!("http://proxyuser:{PASSWORD}@{dead}");
    let result = run(package(&temp.path().join("cache"))
        .env("BPKIT_RETRIES", "0")
        .env("HTTP_PROXY", &proxy)
        .env("http_proxy", &proxy)
        .env("HTTPS_PROXY", &proxy)
        .env("https_proxy", &proxy)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .arg("-v")
        .arg(&dir)
        .args(["--cached", "--json", "--output-dir"])
        .arg(temp.path().join("out")));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_no_secret(&result);
    assert!(!result.stderr.contains("proxyuser"), "{}", result.stderr);
    let error = format!(
        "Could not fetch tool 1.0.0: Could not connect to http://deps.example.invalid/private/tool.tgz: connection refused (through the proxy http://-redacted-:-redacted-@{dead}, from http_proxy). Check the network, the proxy settings (http_proxy, NO_PROXY) and BPKIT_MIRRORS. Where this machine cannot reach http://deps.example.invalid/, map it to a mirror that it can: BPKIT_MIRRORS=http://deps.example.invalid/=<the mirror's URL>/ (README, \"Air-gapped sites\")."
    );
    assert_failed_with(&result, &error);
}

/// A proxy setting written without its `http://` and with a raw `/` in the password is one no
/// HTTP library parses: refused, it is shown with its user and password redacted.
#[test]
fn credentials_of_a_proxy_setting_without_a_scheme_are_redacted() {
    let secrets = Secrets::new();
    let temp = tempfile::tempdir().unwrap();
    let dir = secrets.buildpack(temp.path(), "http://deps.example.invalid/private/tool.tgz");
    let dead = common::server::refused_addr();
    for (proxy, shown) in [
        (
            format!("proxyuser:s3cret/{PASSWORD}@{dead}"),
            format!("-redacted-:-redacted-@{dead}"),
        ),
        (
            format!("//proxyuser:s3cret/{PASSWORD}@{dead}"),
            format!("//-redacted-:-redacted-@{dead}"),
        ),
    ] {
        let result = run(common::buildpack::isolated(&temp.path().join("cache"))
            .env("https_proxy", &proxy)
            .args(["fetch", "--json"])
            .arg(&dir));
        assert_eq!(result.code, 1, "{}", result.stderr);
        assert_no_secret(&result);
        assert!(!result.stderr.contains("proxyuser"), "{}", result.stderr);
        assert_failed_with(
            &result,
            &format!(
                "https_proxy=`{shown}` is not valid: expected a proxy URI such as http://proxy.example:3128."
            ),
        );
    }
}

/// A `BPKIT_MIRRORS` that is not UTF-8 is refused, shown whole: each rule's replacement with
/// its credentials redacted (as one URI, the list read as host `a` with a long path).
#[test]
fn credentials_of_mirrors_that_are_not_utf8_are_redacted() {
    use std::os::unix::ffi::OsStringExt;
    let secrets = Secrets::new();
    let temp = tempfile::tempdir().unwrap();
    let dir = secrets.buildpack(temp.path(), &secrets.server.url("/private/tool.tgz"));
    let mut bytes =
        format!("https://a/=https://mirror:{PASSWORD}@m/a/,https://b/=https://m/b").into_bytes();
    bytes.extend(b"\xff/");
    let result = run(common::buildpack::isolated(&temp.path().join("cache"))
        .env("BPKIT_MIRRORS", std::ffi::OsString::from_vec(bytes))
        .args(["fetch", "--json"])
        .arg(&dir));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_no_secret(&result);
    assert_failed_with(
        &result,
        "BPKIT_MIRRORS=`https://a/=https://-redacted-:-redacted-@m/a/,https://b/=https://m/b\u{FFFD}/` is not valid: it is not UTF-8 text; set it in plain ASCII or UTF-8, or unset it.",
    );
}

/// Credentials of a reachable proxy go as `Proxy-Authorization` on the absolute-form request
/// of an `http://` URI (the URI's own as `Authorization`), and neither shows, verbose output and
/// `--json` included, whether the proxy accepts them or refuses them (407).
#[test]
fn credentials_for_a_proxy_that_checks_them_are_redacted() {
    let secrets = Secrets::new();
    let proxy = Server::start();
    proxy.proxy_to(secrets.server.addr());
    proxy.allow_connect_only_to(443);
    proxy.require_proxy_auth("proxyuser", PASSWORD);
    let temp = tempfile::tempdir().unwrap();
    // Not on 127.0.0.1, which never goes through a proxy: the proxy is the only way there.
    let host = format!("deps.bpkit-test.invalid:{}", secrets.server.addr().port());
    let dir = secrets.buildpack(
        temp.path(),
        &format!("http://deploy:{PASSWORD}@{host}/private/tool.tgz"),
    );
    let attempt = |password: &str, name: &str| {
        let proxy = proxy
            .url("")
            .replace("http://", &format!("http://proxyuser:{password}@"));
        run(package(&temp.path().join(name))
            .env("BPKIT_RETRIES", "0")
            .env("http_proxy", &proxy)
            .env_remove("HTTP_PROXY")
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .arg("-v")
            .arg(&dir)
            .args(["--cached", "--json", "--output-dir"])
            .arg(temp.path().join(name).join("out")))
    };

    let accepted = attempt(PASSWORD, "accepted");
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert_no_secret(&accepted);
    assert!(
        !accepted.stderr.contains("proxyuser"),
        "{}",
        accepted.stderr
    );
    let seen = &proxy.requests()[0];
    assert_eq!(seen.target, format!("http://{host}/private/tool.tgz"));
    assert_eq!(
        seen.headers.get("proxy-authorization").map(String::as_str),
        // base64("proxyuser:s3cret-pw")
        Some("Basic cHJveHl1c2VyOnMzY3JldC1wdw==")
    );
    assert_eq!(
        seen.headers.get("authorization").map(String::as_str),
        // base64("deploy:s3cret-pw")
        Some("Basic ZGVwbG95OnMzY3JldC1wdw==")
    );

    let refused = attempt("wr0ng-pw", "refused");
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert_no_secret(&refused);
    assert!(!refused.stderr.contains("proxyuser"), "{}", refused.stderr);
    let error = format!(
        "Could not fetch tool 1.0.0: Could not download http://-redacted-:-redacted-@{host}/private/tool.tgz: the server answered 407 Proxy Authentication Required; the proxy http://-redacted-:-redacted-@{} (http_proxy) refused the user and password of its URI: correct them in http_proxy.",
        proxy.addr()
    );
    assert_failed_with(&refused, &error);
}

// ---------------------------------------------------------------------------------------------
// Droplets: `bpkit run` unpacks one as the platform does (`tar -xzf`: links restored as they
// are, an absolute one included), into a temporary folder; crafted entries never write outside.

/// `bpkit run DROPLET -c 'echo ran'` with its temporary folder under `root/tmp`; returns the run
/// and every file under `root` outside that folder afterwards.
fn run_droplet(root: &Path, droplet: Vec<u8>) -> (Run, Vec<String>) {
    let scratch = root.join("tmp");
    fs::create_dir_all(&scratch).unwrap();
    let tgz = root.join("droplet.tgz");
    fs::write(&tgz, droplet).unwrap();
    let result = run(bpkit()
        .env("TMPDIR", &scratch)
        .args(["run", "-c", "echo ran"])
        .arg(&tgz));
    let outside = list_files(root)
        .into_iter()
        .filter(|f| !f.starts_with("tmp/"))
        .collect();
    (result, outside)
}

/// Builds a droplet for a test folder (some name a path inside it).
type MakeDroplet = Box<dyn Fn(&Path) -> Vec<u8>>;

#[test]
fn crafted_droplets_never_write_outside_their_folder() {
    let victim_text = "untouched\n";
    let base = || {
        Tarball::new()
            .dir("./app/")
            .file("./app/index.html", 0o644, "hi\n")
    };
    let cases: Vec<(&str, MakeDroplet, bool)> = vec![
        // `..` entries are skipped, as bsdtar and the tar crate do; the rest unpacks.
        (
            "dot-dot",
            Box::new(move |_| base().file("./app/../../../escaped", 0o644, "x").tgz()),
            true,
        ),
        // A link out of the folder, then a file through it: refused.
        (
            "through-link",
            Box::new(move |_| {
                base()
                    .symlink("./app/out", "../../..")
                    .file("./app/out/escaped", 0o644, "x")
                    .tgz()
            }),
            false,
        ),
        // A hard link to a file outside: refused. Its target is named from the folder the
        // droplet unpacks into (TMPDIR/bpkit-run-…), so `../../victim.txt` is the file beside
        // TMPDIR; one `..` more named a file that does not exist, refused for that instead.
        (
            "hard-link",
            Box::new(move |_| base().hard_link("./app/hard", "../../victim.txt").tgz()),
            false,
        ),
        // An absolute link (kept, as on the platform), then a file of the same name: the file
        // replaces the link; what it pointed at is not written.
        (
            "absolute-link-then-file",
            Box::new(move |root: &Path| {
                let victim = root.join("victim.txt");
                base()
                    .symlink("./app/victim", victim.to_str().unwrap())
                    .file("./app/victim", 0o644, "pwned\n")
                    .tgz()
            }),
            true,
        ),
    ];
    for (name, droplet, unpacks) in cases {
        let temp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(temp.path()).unwrap();
        write(&root, "victim.txt", victim_text);
        let (result, outside) = run_droplet(&root, droplet(&root));
        assert_eq!(
            outside,
            ["droplet.tgz", "victim.txt"],
            "{name}: {}",
            result.stderr
        );
        assert_eq!(
            fs::read_to_string(root.join("victim.txt")).unwrap(),
            victim_text,
            "{name}"
        );
        if unpacks {
            assert_eq!(result.code, 0, "{name}: {}", result.stderr);
            assert!(result.stderr.contains("ran\n"), "{name}: {}", result.stderr);
        } else {
            assert_ne!(result.code, 0, "{name}: {}", result.stderr);
            assert!(
                !result.stderr.contains("ran\n"),
                "{name}: {}",
                result.stderr
            );
            assert!(
                result.stderr.starts_with(&format!(
                    "bpkit: error: {} is not a readable droplet (",
                    root.join("droplet.tgz").display()
                )),
                "{name}: {}",
                result.stderr
            );
            // Refused as leaving the folder, not for a file that is not there.
            assert!(
                result
                    .stderr
                    .contains("trying to unpack outside of destination path: "),
                "{name}: {}",
                result.stderr
            );
        }
    }
}

/// A password pasted unencoded, with a `/`, `#` and `?` in it (generated passwords often have
/// them): read by the RFC the URI's authority would end early, and the whole password showed in
/// every message. It is taken as the password: sent as Basic auth (the download works) and
/// redacted everywhere, in the error chain of a wrong one too.
#[test]
fn a_password_with_raw_slash_hash_and_question_mark_is_used_and_redacted() {
    const RAW_PASSWORD: &str = "R4wpw/Sl4sh#H4sh?Qm4rk";
    const WRONG: &str = "Wr0ng/Sl4shy#H4shy?Qm4rky";
    let secrets = Secrets::new();
    secrets.server.route(
        "/raw/tool.tgz",
        secrets.tool.clone(),
        Fault::BasicAuth {
            user: "deploy".into(),
            password: RAW_PASSWORD.into(),
        },
    );
    let temp = tempfile::tempdir().unwrap();
    let shown = secrets
        .server
        .url("/raw/tool.tgz")
        .replace("http://", "http://-redacted-:-redacted-@");
    let no_piece_of = |run: &Run, password: &str| {
        for piece in password.split(['/', '#', '?']) {
            assert!(
                !run.stdout.contains(piece) && !run.stderr.contains(piece),
                "{piece} of {password} shown:\n{}\n{}",
                run.stdout,
                run.stderr
            );
        }
    };

    let uri = secrets
        .server
        .url_with_credentials("deploy", RAW_PASSWORD, "/raw/tool.tgz");
    let dir = secrets.buildpack(temp.path(), &uri);
    let result = package_json(temp.path(), &dir);
    assert_eq!(result.code, 0, "{}", result.stderr);
    no_piece_of(&result, RAW_PASSWORD);
    assert_no_secret(&result);
    let json: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(json["dependencies"][0]["uri"], shown.as_str());
    let line = format!("       tool 1.0.0: downloaded from {shown}\n");
    assert!(result.stderr.contains(&line), "{line}\n{}", result.stderr);

    let uri = secrets
        .server
        .url_with_credentials("deploy", WRONG, "/raw/tool.tgz");
    let dir = secrets.buildpack(&temp.path().join("wrong"), &uri);
    let failed = run(common::buildpack::isolated(&temp.path().join("cache2"))
        .args(["-v", "fetch", "--json"])
        .arg(&dir));
    assert_eq!(failed.code, 1);
    no_piece_of(&failed, WRONG);
    assert_failed_with(
        &failed,
        &format!(
            "Could not fetch tool 1.0.0: Could not download {shown}: the server answered 401 Unauthorized; the user and password in the URI were refused: correct them (in the manifest's `uri`, or in BPKIT_MIRRORS for a mirror)."
        ),
    );
}
