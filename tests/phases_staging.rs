//! supply → finalize → release as the platform runs them (issue 4): from a buildpack with
//! `file:` dependencies with the network unreachable; from a 127.0.0.1 server through a mirror,
//! downloaded once and then taken from the app cache; the launch environment sourced the way
//! the launcher does from another absolute path; several buildpacks; re-staging; a download
//! through the staging environment's proxy, and a stalled one cut off by `BPKIT_READ_TIMEOUT`.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::server::{Server, refused_url};
use common::staging::{Staging, buildpack};
use common::tarball::{Tarball, sha256};

const HELLO_110_SHA: &str = "f13f838fe0ecf22797a6d8fa73e632fc52f3ee5a67df27f2f53cd4e722ed277b";

fn fixture(path: &str) -> PathBuf {
    common::bin::repo_root().join(path)
}

/// A `hello` dependency with `bin/hello`, `lib/libhello.so` and `share/greeting`.
fn hello_tarball(version: &str) -> Vec<u8> {
    Tarball::new()
        .dir("bin/")
        .script("bin/hello", &format!("echo \"Hello from hello {version}\""))
        .dir("lib/")
        .file("lib/libhello.so", 0o644, "not really a library")
        .dir("share/")
        .file("share/greeting", 0o644, "good day")
        .tgz()
}

/// A buildpack whose two hello versions are `file:` entries inside it (a cached buildpack), with
/// URIs nobody answers.
fn cached_buildpack(root: &Path) -> PathBuf {
    let deps = [
        ("1.0.0", hello_tarball("1.0.0")),
        ("1.1.0", hello_tarball("1.1.0")),
    ];
    let mut entries = String::new();
    for (version, bytes) in &deps {
        write!(
            entries,
            "- name: hello\n  version: {version}\n  uri: {uri}\n  sha256: {sha}\n  file: dependencies/abc/hello-{version}.tgz\n  cf_stacks: [cflinuxfs4]\n",
            uri = refused_url(&format!("/hello-{version}.tgz")),
            sha = sha256(bytes),
        )
        .unwrap();
    }
    let manifest = format!(
        r#"language: hello
default_versions:
- name: hello
  version: 1.1.x
dependencies:
{entries}detect:
  any_of:
  - file: hello.txt
install:
- name: hello
  version_from:
  - file: .hello-version
  - env: BP_HELLO_VERSION
  path: [bin]
  library_path: [lib]
  env:
    HELLO_HOME: "{{{{dir}}}}"
    HELLO_SHARE: "{{{{dir}}}}/share"
    HELLO_MOTTO: 'say "hi" & $$ `x`'
build:
- hello > greeting.txt
- echo "$HELLO_HOME" > staged-hello-home.txt
- cat "$HELLO_SHARE/greeting" > share.txt
- echo "${{MY_SETTING:-unset}} $(command -v hello)" > setting.txt
launch_env:
  GREETING_FILE: $HOME/greeting.txt
release:
  config_vars:
    HELLO_ENV: production
  default_process_types:
    web: hello
"#
    );
    let bp = buildpack(root, "bp", &manifest);
    for (version, bytes) in deps {
        let path = bp.join(format!("dependencies/abc/hello-{version}.tgz"));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    bp
}

fn ok(run: &common::bin::Run) {
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

#[test]
fn a_cached_buildpack_stages_with_the_network_unreachable() {
    let mut staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    // Any download would go through a proxy nobody answers, to a host nobody answers.
    let nowhere = refused_url("");
    staging
        .set_env("http_proxy", &nowhere)
        .set_env("https_proxy", &nowhere);
    staging.app_file("hello.txt", "");

    let detect = staging.detect(&bp);
    assert_eq!((detect.code, detect.stdout.as_str()), (0, "hello\n"));

    let supply = staging.supply(&bp, "0");
    ok(&supply);
    assert_eq!(supply.stdout, "");
    assert_eq!(
        supply.stderr,
        format!(
            "-----> Hello Buildpack version 1.0.0\n-----> Installing hello 1.1.0\n       Using version 1.1.0, the highest matching the buildpack's default 1.1.x\n       Copy [{}/dependencies/abc/hello-1.1.0.tgz]\n",
            bp.display()
        )
    );
    let deps = &staging.deps;
    assert_eq!(
        fs::read_link(deps.join("0/bin/hello")).unwrap(),
        Path::new("../hello/bin/hello")
    );
    assert_eq!(
        fs::read_link(deps.join("0/lib/libhello.so")).unwrap(),
        Path::new("../hello/lib/libhello.so")
    );
    assert_eq!(
        fs::read_to_string(deps.join("0/config.yml")).unwrap(),
        "---\nname: hello\nversion: 1.0.0\nconfig:\n  dependencies:\n    hello: 1.1.0\n"
    );
    // env/ files hold staging values (later buildpacks' staging reads them).
    assert_eq!(
        fs::read_to_string(deps.join("0/env/HELLO_HOME")).unwrap(),
        deps.join("0/hello").display().to_string()
    );
    assert_eq!(
        fs::read_to_string(deps.join("0/env/HELLO_MOTTO")).unwrap(),
        "say \"hi\" & $$ `x`"
    );
    // profile.d holds launch values, relative to $DEPS_DIR, then launch_env (so that it reaches
    // the app even when this buildpack is not the final one and runs no finalize).
    let supplied = "# The environment of the dependencies the hello buildpack installed (bpkit supply).\nexport HELLO_HOME=\"${DEPS_DIR}/0/hello\"\nexport HELLO_SHARE=\"${DEPS_DIR}/0/hello/share\"\nexport HELLO_MOTTO=\"say \\\"hi\\\" & \\$\\$ \\`x\\`\"\n# launch_env from the hello buildpack's manifest.yml (bpkit supply).\n[ -n \"${GREETING_FILE:-}\" ] || export GREETING_FILE=\"${HOME}/greeting.txt\"\n";
    assert_eq!(
        fs::read_to_string(deps.join("0/profile.d/hello.sh")).unwrap(),
        supplied
    );

    let finalize = staging.finalize(&bp, "0");
    ok(&finalize);
    assert_eq!(
        finalize.stderr,
        "-----> Hello Buildpack version 1.0.0\n-----> Running: hello > greeting.txt\n-----> Running: echo \"$HELLO_HOME\" > staged-hello-home.txt\n-----> Running: cat \"$HELLO_SHARE/greeting\" > share.txt\n-----> Running: echo \"${MY_SETTING:-unset} $(command -v hello)\" > setting.txt\n"
    );
    let app = &staging.app;
    assert_eq!(
        fs::read_to_string(app.join("greeting.txt")).unwrap(),
        "Hello from hello 1.1.0\n"
    );
    assert_eq!(
        fs::read_to_string(app.join("staged-hello-home.txt"))
            .unwrap()
            .trim(),
        deps.join("0/hello").display().to_string()
    );
    assert_eq!(
        fs::read_to_string(app.join("share.txt")).unwrap(),
        "good day"
    );
    assert_eq!(
        fs::read_to_string(staging.profile.join("000_multi-supply.sh")).unwrap(),
        "export PATH=\"$DEPS_DIR/0/bin${PATH:+:$PATH}\"\nexport LD_LIBRARY_PATH=\"$DEPS_DIR/0/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\"\nexport LIBRARY_PATH=\"$DEPS_DIR/0/lib${LIBRARY_PATH:+:$LIBRARY_PATH}\"\n"
    );
    // The final buildpack's copy adds release.config_vars, which only it has (release runs
    // for the final buildpack alone).
    assert_eq!(
        fs::read_to_string(staging.profile.join("0_hello.sh")).unwrap(),
        format!(
            "{supplied}# release.config_vars from the hello buildpack's manifest.yml (bpkit finalize)\n[ -n \"${{HELLO_ENV:-}}\" ] || export HELLO_ENV=\"production\"\n"
        )
    );

    let release = staging.release(&bp);
    ok(&release);
    assert_eq!(
        release.stdout,
        "---\nconfig_vars:\n  HELLO_ENV: production\ndefault_process_types:\n  web: hello\n"
    );
    assert_eq!(release.stderr, "");
}

#[test]
fn an_app_asks_for_its_version() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    staging.app_file(".hello-version", "1.0.0\n");
    let supply = staging.supply(&bp, "0");
    ok(&supply);
    assert!(
        supply.stderr.contains(
            "-----> Installing hello 1.0.0\n       Using version 1.0.0, as requested in .hello-version\n"
        ),
        "{}",
        supply.stderr
    );
    // 1.0.0 is the newest 1.0 patch: no newer-patch warning.
    assert!(!supply.stderr.contains("WARNING"), "{}", supply.stderr);
}

/// Copy a folder tree (links as links).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        let dest = to.join(entry.file_name());
        if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &dest).unwrap();
        } else if kind.is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file's text (and every link's target) under `dir`.
fn all_text(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            out.push((
                entry.path(),
                fs::read_link(entry.path()).unwrap().display().to_string(),
            ));
        } else if kind.is_dir() {
            all_text(&entry.path(), out);
        } else {
            out.push((
                entry.path(),
                String::from_utf8_lossy(&fs::read(entry.path()).unwrap()).into_owned(),
            ));
        }
    }
}

/// What the launcher does: `HOME=<root>/app`, `DEPS_DIR=<root>/deps`, cd to the app, source
/// `../profile.d/*`, `.profile.d/*`, `.profile`, then `bash -c COMMAND`.
fn launch(root: &Path, set_deps_dir: bool, command: &str) -> common::bin::Run {
    let mut bash = Command::new("bash");
    bash.env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", root.join("app"))
        .env("TMPDIR", root.join("tmp"))
        .env("PORT", "8080")
        .current_dir(root.join("app"))
        .arg("-c")
        .arg(
            r#"for f in ../profile.d/*; do [ -r "$f" ] && . "$f"; done
for f in .profile.d/*; do [ -r "$f" ] && . "$f"; done
[ -r .profile ] && . .profile
exec bash -c "$0""#,
        )
        .arg(command);
    if set_deps_dir {
        bash.env("DEPS_DIR", root.join("deps"));
    }
    common::bin::run(&mut bash)
}

#[test]
fn the_launch_environment_works_from_another_absolute_path() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    staging.app_file("hello.txt", "");
    ok(&staging.supply(&bp, "0"));
    ok(&staging.finalize(&bp, "0"));
    let release = staging.release(&bp);

    // Nothing written for launch names a staging path.
    let staging_root = staging.path().display().to_string();
    let mut launch_files = Vec::new();
    all_text(&staging.profile, &mut launch_files);
    for dir in ["bin", "lib", "profile.d"] {
        all_text(&staging.deps.join("0").join(dir), &mut launch_files);
    }
    assert!(launch_files.len() >= 5);
    for (path, text) in &launch_files {
        assert!(
            !text.contains(&staging_root),
            "{} names the staging path:\n{text}",
            path.display()
        );
    }
    assert!(!release.stdout.contains(&staging_root));

    // Move the droplet's parts to another root, as the platform does, and forget the staging.
    let home = tempfile::tempdir().unwrap();
    let root = home.path().join("home/vcap");
    copy_tree(&staging.app, &root.join("app"));
    copy_tree(&staging.deps, &root.join("deps"));
    copy_tree(&staging.profile, &root.join("profile.d"));
    fs::create_dir_all(root.join("tmp")).unwrap();
    drop(staging);

    let run = launch(
        &root,
        true,
        r#"hello; echo "$GREETING_FILE"; cat "$GREETING_FILE"; echo "$HELLO_HOME"; cat "$HELLO_SHARE/greeting"; echo; echo "$HELLO_MOTTO"; echo "$HELLO_ENV"; echo "$LD_LIBRARY_PATH""#,
    );
    assert_eq!(run.stderr, "");
    let deps = root.join("deps");
    assert_eq!(
        run.stdout,
        format!(
            "Hello from hello 1.1.0\n{app}/greeting.txt\nHello from hello 1.1.0\n{deps}/0/hello\ngood day\nsay \"hi\" & $$ `x`\nproduction\n{deps}/0/lib\n",
            app = root.join("app").display(),
            deps = deps.display()
        )
    );
}

#[test]
fn downloads_once_then_uses_the_app_cache_and_cleans_it() {
    let server = Server::start();
    let bytes = fs::read(fixture("fixtures/deps/hello-1.1.0-linux-x64.tgz")).unwrap();
    server.serve("/mirror/hello/hello-1.1.0-linux-x64.tgz", bytes);
    let mut first = Staging::new();
    // The fixture buildpack, as is: its URIs are https://deps.example.invalid/hello/…, served
    // here through a mirror, as on an air-gapped site.
    let bp = first.path().join("bp");
    copy_tree(&fixture("fixtures/buildpack"), &bp);
    fs::create_dir_all(bp.join("bin")).unwrap();
    for phase in common::staging::PHASES {
        std::os::unix::fs::symlink(common::bin::bpkit_path(), bp.join("bin").join(phase)).unwrap();
    }
    let mirror = format!(
        "https://deps.example.invalid/hello/={}",
        server.url("/mirror/hello/")
    );
    first.set_env("BPKIT_MIRRORS", &mirror);
    first.app_file("hello.txt", "");
    let supply = first.supply(&bp, "0");
    ok(&supply);
    assert!(
        supply.stderr.contains(&format!(
            "       Download [{}] (mirror of https://deps.example.invalid/hello/hello-1.1.0-linux-x64.tgz)\n",
            server.url("/mirror/hello/hello-1.1.0-linux-x64.tgz")
        )),
        "{}",
        supply.stderr
    );
    let entry = first
        .cache
        .join("dependencies")
        .join(bpkit::checksum::sha256_hex(
            "https://deps.example.invalid/hello/hello-1.1.0-linux-x64.tgz",
        ))
        .join("hello-1.1.0-linux-x64.tgz");
    assert_eq!(sha256(&fs::read(&entry).unwrap()), HELLO_110_SHA);
    ok(&first.finalize(&bp, "0"));
    assert_eq!(
        fs::read_to_string(first.cache.join("BUILDPACK_METADATA")).unwrap(),
        "---\nlanguage: hello\nversion: 1.0.0\n"
    );

    // A second staging of a fresh app with the same cache: no request reaches the server.
    // An unused entry left from an older staging (its folder named by a sha256, as bpkit
    // names them) is removed. The buildpack was upgraded.
    let stale = first
        .cache
        .join("dependencies")
        .join("0123abcd".repeat(8))
        .join("hello-0.9.0.tgz");
    fs::create_dir_all(stale.parent().unwrap()).unwrap();
    fs::write(&stale, "old").unwrap();
    fs::write(bp.join("VERSION"), "1.0.1\n").unwrap();
    let mut second = Staging::new();
    second.cache = first.cache.clone();
    second.set_env("BPKIT_MIRRORS", &mirror);
    second.app_file("hello.txt", "");
    let supply = second.supply(&bp, "0");
    ok(&supply);
    assert_eq!(
        supply.stderr,
        format!(
            "-----> Hello Buildpack version 1.0.1\n       **WARNING** buildpack version changed from 1.0.0 to 1.0.1\n-----> Installing hello 1.1.0\n       Using version 1.1.0, the highest matching the buildpack's default 1.1.x\n       Copy [{}]\n",
            entry.display()
        )
    );
    assert_eq!(server.hits("/mirror/hello/hello-1.1.0-linux-x64.tgz"), 1);
    assert!(
        !stale.parent().unwrap().exists(),
        "the unused entry is removed"
    );
    assert!(entry.exists());
    ok(&second.finalize(&bp, "0"));
    assert_eq!(
        fs::read_to_string(second.app.join("greeting.txt")).unwrap(),
        "Hello from hello 1.1.0, installed by bpkit\n"
    );
}

#[test]
fn several_buildpacks_share_the_deps_folders() {
    let staging = Staging::new();
    let first = cached_buildpack(staging.path());
    let tool = Tarball::new()
        .script("tool", "echo \"tool sees: $(hello)\"")
        .tgz();
    let manifest = format!(
        "language: tool\ndependencies:\n- name: tool\n  version: 2.0.0\n  uri: {uri}\n  sha256: {sha}\n  file: tool-2.0.0.tgz\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: tool\n  path: [.]\nbuild:\n- tool > tool.txt\n",
        uri = refused_url("/tool-2.0.0.tgz"),
        sha = sha256(&tool),
    );
    let second = buildpack(staging.path(), "second", &manifest);
    fs::write(second.join("tool-2.0.0.tgz"), tool).unwrap();
    ok(&staging.supply(&first, "0"));
    ok(&staging.supply(&second, "1"));
    let finalize = staging.finalize(&second, "1");
    ok(&finalize);
    assert_eq!(
        fs::read_to_string(staging.app.join("tool.txt")).unwrap(),
        "tool sees: Hello from hello 1.1.0\n"
    );
    assert_eq!(
        fs::read_to_string(staging.profile.join("000_multi-supply.sh"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
        "export PATH=\"$DEPS_DIR/1/bin:$DEPS_DIR/0/bin${PATH:+:$PATH}\""
    );
    assert!(staging.profile.join("0_hello.sh").exists());
    assert!(
        !staging.profile.join("1_tool.sh").exists(),
        "the tool buildpack exports nothing"
    );
}

/// An `env` value's `$DEPS_DIR` and `$HOME` are, at staging, the DEPS_DIR the platform gave
/// supply and the app folder, whatever the phase's own environment says (a local run can
/// have either set to anything); at launch they are the launcher's.
#[test]
fn env_values_use_the_staging_deps_dir_and_app_whatever_the_environment_says() {
    let mut staging = Staging::new();
    staging
        .set_env("DEPS_DIR", "/elsewhere/deps")
        .set_env("HOME", "/elsewhere/home");
    let tool = Tarball::new().script("bin/tool", "echo tool").tgz();
    let bp = buildpack(
        staging.path(),
        "bp",
        &format!(
            "language: tool\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: {uri}\n  sha256: {sha}\n  file: tool-1.0.0.tgz\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: tool\n  env:\n    TOOL_CONF: $DEPS_DIR/0/tool/etc\n    TOOL_DATA: ${{HOME}}/data\n",
            uri = refused_url("/tool-1.0.0.tgz"),
            sha = sha256(&tool),
        ),
    );
    fs::write(bp.join("tool-1.0.0.tgz"), &tool).unwrap();
    ok(&staging.supply(&bp, "0"));
    let env = |name: &str| fs::read_to_string(staging.deps.join("0/env").join(name)).unwrap();
    assert_eq!(
        env("TOOL_CONF"),
        format!("{}/0/tool/etc", staging.deps.display())
    );
    assert_eq!(env("TOOL_DATA"), format!("{}/data", staging.app.display()));
    let profile = fs::read_to_string(staging.deps.join("0/profile.d/tool.sh")).unwrap();
    assert!(
        profile.contains("export TOOL_CONF=\"${DEPS_DIR}/0/tool/etc\"\n")
            && profile.contains("export TOOL_DATA=\"${HOME}/data\"\n"),
        "{profile}"
    );
}

/// Supply run again by hand into the same folders after a manifest edit gives what a fresh
/// staging gives: an `env` variable the manifest no longer sets is gone from `env/` (finalize
/// exports every file there), a `path` folder it no longer lists is gone from `bin/`, and a
/// dependency it no longer installs is gone.
#[test]
fn supply_again_after_a_manifest_edit_drops_what_the_manifest_no_longer_gives() {
    let staging = Staging::new();
    let tool = Tarball::new()
        .dir("bin/")
        .script("bin/tool", "echo tool")
        .dir("sbin/")
        .script("sbin/old-tool", "echo old")
        .tgz();
    let extra = Tarball::new().script("extra", "echo extra").tgz();
    let manifest = |paths: &str, env: &str, more: &str| {
        format!(
            "language: tool\ndependencies:\n- name: tool\n  version: 2.0.0\n  uri: {uri}\n  sha256: {sha}\n  file: tool-2.0.0.tgz\n  cf_stacks: [cflinuxfs4]\n- name: extra\n  version: 1.0.0\n  uri: {extra_uri}\n  sha256: {extra_sha}\n  file: extra-1.0.0.tgz\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: tool\n  path: [{paths}]\n  env:\n    TOOL_HOME: '{{{{dir}}}}'\n{env}{more}build:\n- echo \"${{TOOL_OLD-unset}} $(command -v old-tool || echo none)\" > old.txt\n",
            uri = refused_url("/tool-2.0.0.tgz"),
            sha = sha256(&tool),
            extra_uri = refused_url("/extra-1.0.0.tgz"),
            extra_sha = sha256(&extra),
        )
    };
    let bp = buildpack(
        staging.path(),
        "bp",
        &manifest("bin, sbin", "    TOOL_OLD: old\n", "- name: extra\n"),
    );
    fs::write(bp.join("tool-2.0.0.tgz"), &tool).unwrap();
    fs::write(bp.join("extra-1.0.0.tgz"), &extra).unwrap();
    // Files a person put there by hand (not links, not bpkit's) stay.
    fs::create_dir_all(staging.deps.join("0/bin")).unwrap();
    fs::write(staging.deps.join("0/bin/mine"), "kept").unwrap();
    ok(&staging.supply(&bp, "0"));
    ok(&staging.finalize(&bp, "0"));
    let old = fs::read_to_string(staging.app.join("old.txt")).unwrap();
    assert!(old.starts_with("old /"), "{old}");
    assert!(staging.deps.join("0/env/TOOL_OLD").exists());
    assert!(staging.deps.join("0/extra/extra").exists());

    fs::write(bp.join("manifest.yml"), manifest("bin", "", "")).unwrap();
    let mut debug = Staging::new();
    debug.set_env("BP_DEBUG", "1");
    let supply = common::bin::run(
        debug
            .command(&bp, "supply")
            .args([&staging.app, &staging.cache, &staging.deps])
            .arg("0"),
    );
    ok(&supply);
    assert!(
        supply.stderr.contains(
            "Removed env/TOOL_OLD, which an earlier run wrote and manifest.yml no longer gives"
        ),
        "{}",
        supply.stderr
    );
    ok(&staging.finalize(&bp, "0"));
    assert_eq!(
        fs::read_to_string(staging.app.join("old.txt")).unwrap(),
        "unset none\n"
    );
    let listing = |dir: &str| {
        let mut names: Vec<String> = fs::read_dir(staging.deps.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(listing("0/env"), ["TOOL_HOME"]);
    // The dependency the manifest no longer installs is gone; what supply did not make stays.
    assert_eq!(
        listing("0"),
        ["bin", "config.yml", "env", "profile.d", "tool"]
    );
    assert_eq!(listing("0/bin"), ["mine", "tool"]);
    let profile = fs::read_to_string(staging.deps.join("0/profile.d/tool.sh")).unwrap();
    assert!(!profile.contains("TOOL_OLD"), "{profile}");
}

/// libbuildpack reads its manifest with yaml.v2, which decodes a `!!binary` value into the
/// text it encodes; so does bpkit, and a value that is not base64 is refused at its line, with
/// its key path.
#[test]
fn binary_manifest_values_mean_the_text_they_encode() {
    let staging = Staging::new();
    let tool = Tarball::new().script("tool", "echo tool").tgz();
    // `tool` and `prod`, base64-encoded.
    let manifest = format!(
        "language: !!binary dG9vbA==\ndependencies:\n- name: tool\n  version: 2.0.0\n  uri: {uri}\n  sha256: {sha}\n  file: tool-2.0.0.tgz\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: tool\n  path: [.]\n  env:\n    TOOL_MODE: !!binary cHJvZA==\n",
        uri = refused_url("/tool-2.0.0.tgz"),
        sha = sha256(&tool),
    );
    let bp = buildpack(staging.path(), "bp", &manifest);
    fs::write(bp.join("tool-2.0.0.tgz"), &tool).unwrap();
    let supply = staging.supply(&bp, "0");
    ok(&supply);
    assert!(
        supply
            .stderr
            .starts_with("-----> Tool Buildpack version 1.0.0\n"),
        "{}",
        supply.stderr
    );
    assert_eq!(
        fs::read_to_string(staging.deps.join("0/env/TOOL_MODE")).unwrap(),
        "prod"
    );
    assert!(staging.deps.join("0/profile.d/tool.sh").exists());

    fs::write(
        bp.join("manifest.yml"),
        manifest.replace("cHJvZA==", "prod!"),
    )
    .unwrap();
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 10, "{}", supply.stderr);
    assert!(
        supply.stderr.contains(
            "manifest.yml:13:16: invalid YAML: install[0].env.TOOL_MODE: the tag !!binary says the value is base64 (with `=` padding), but `prod!` is not; remove the tag to write the value as plain text, or encode it again with base64"
        ),
        "{}",
        supply.stderr
    );
}

/// Heroku names the stack `STACK`: with it alone (no `CF_STACK`), supply installs the
/// dependency built for that stack, as it would for `CF_STACK`.
#[test]
fn the_stack_variable_alone_picks_the_dependency_for_that_stack() {
    let tarball = |stack: &str| {
        Tarball::new()
            .script("which-stack", &format!("echo {stack}"))
            .tgz()
    };
    let (fs3, fs4) = (tarball("cflinuxfs3"), tarball("cflinuxfs4"));
    let manifest = format!(
        "language: tool\ndependencies:\n- name: tool\n  version: 2.0.0\n  uri: {u3}\n  sha256: {s3}\n  file: tool-fs3.tgz\n  cf_stacks: [cflinuxfs3]\n- name: tool\n  version: 2.0.0\n  uri: {u4}\n  sha256: {s4}\n  file: tool-fs4.tgz\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: tool\n  path: [.]\nbuild:\n- which-stack > stack.txt\n",
        u3 = refused_url("/tool-fs3.tgz"),
        s3 = sha256(&fs3),
        u4 = refused_url("/tool-fs4.tgz"),
        s4 = sha256(&fs4),
    );
    for stack in ["cflinuxfs3", "cflinuxfs4"] {
        let mut staging = Staging::new();
        let bp = buildpack(staging.path(), "bp", &manifest);
        fs::write(bp.join("tool-fs3.tgz"), &fs3).unwrap();
        fs::write(bp.join("tool-fs4.tgz"), &fs4).unwrap();
        staging.env.retain(|(k, _)| k != "CF_STACK");
        staging.set_env("STACK", stack);
        // compile, Heroku's entry point, with an ENV_DIR as Heroku passes one.
        let env_dir = staging.path().join("env");
        fs::create_dir_all(&env_dir).unwrap();
        let compile = staging.compile(&bp, Some(&env_dir));
        ok(&compile);
        assert_eq!(
            fs::read_to_string(staging.app.join("stack.txt")).unwrap(),
            format!("{stack}\n")
        );
    }
    // A stack no dependency is built for is refused by name, as with CF_STACK.
    let mut staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", &manifest);
    staging.env.retain(|(k, _)| k != "CF_STACK");
    staging.set_env("STACK", "heroku-24");
    let supply = staging.supply(&bp, "0");
    assert_ne!(supply.code, 0);
    assert!(
        supply.stderr.contains(
            "**ERROR** Stack not supported by buildpack: required stack heroku-24 was not found"
        ),
        "{}",
        supply.stderr
    );
}

/// A cache written by an older release of the buildpack built on libbuildpack (yaml.v2's
/// output: no `---`, a version that reads as a number quoted) gives libbuildpack's warning,
/// in its words; one written for another language gives none.
#[test]
fn a_cache_from_an_older_libbuildpack_release_gives_the_version_changed_warning() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    fs::write(bp.join("VERSION"), "1.10\n").unwrap();
    fs::write(
        staging.cache.join("BUILDPACK_METADATA"),
        "language: hello\nversion: \"1.9\"\n",
    )
    .unwrap();
    let supply = staging.supply(&bp, "0");
    ok(&supply);
    assert!(
        supply.stderr.starts_with(
            "-----> Hello Buildpack version 1.10\n       **WARNING** buildpack version changed from 1.9 to 1.10\n-----> Installing hello"
        ),
        "{}",
        supply.stderr
    );
    // supply records this version at its end (libbuildpack's StagingComplete), so finalize,
    // which runs the same checks, and the next staging are quiet.
    assert_eq!(
        fs::read_to_string(staging.cache.join("BUILDPACK_METADATA")).unwrap(),
        "---\nlanguage: hello\nversion: \"1.10\"\n"
    );
    let finalize = staging.finalize(&bp, "0");
    ok(&finalize);
    assert!(
        finalize
            .stderr
            .starts_with("-----> Hello Buildpack version 1.10\n-----> Running"),
        "{}",
        finalize.stderr
    );
    assert!(
        !staging
            .supply(&bp, "0")
            .stderr
            .contains("buildpack version changed"),
    );
    // Another buildpack's metadata in the same cache: no warning.
    fs::write(
        staging.cache.join("BUILDPACK_METADATA"),
        "---\nlanguage: ruby\nversion: 0.1.0\n",
    )
    .unwrap();
    assert!(
        !staging
            .supply(&bp, "0")
            .stderr
            .contains("buildpack version changed"),
    );
}

/// A value in a later buildpack's `env` may refer to a variable an earlier buildpack's `env`
/// set (`${HELLO_HOME}`): at staging, as libbuildpack's supply sees the earlier buildpacks'
/// `env/` files in its environment (`SetStagingEnvironment`), it expands to that value; at
/// launch the shell expands it after the earlier buildpack's script. A value set earlier in the
/// same manifest is seen too.
#[test]
fn env_values_refer_to_variables_earlier_buildpacks_set() {
    let staging = Staging::new();
    let first = cached_buildpack(staging.path());
    let tool = Tarball::new().script("tool", "echo tool").tgz();
    let manifest = format!(
        "language: tool\ndependencies:\n- name: tool\n  version: 2.0.0\n  uri: {uri}\n  sha256: {sha}\n  file: tool-2.0.0.tgz\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: tool\n  path: [.]\n  env:\n    TOOL_HELLO: ${{HELLO_HOME}}/bin\n    TOOL_BOTH: $TOOL_HELLO:{{{{dir}}}}\nbuild:\n- echo \"$TOOL_HELLO|$TOOL_BOTH\" > tool-env.txt\n",
        uri = refused_url("/tool-2.0.0.tgz"),
        sha = sha256(&tool),
    );
    let second = buildpack(staging.path(), "second", &manifest);
    fs::write(second.join("tool-2.0.0.tgz"), tool).unwrap();
    ok(&staging.supply(&first, "0"));
    ok(&staging.supply(&second, "1"));
    let hello_home = staging.deps.join("0/hello");
    let tool_dir = staging.deps.join("1/tool");
    let expected = format!("{}/bin", hello_home.display());
    assert_eq!(
        fs::read_to_string(staging.deps.join("1/env/TOOL_HELLO")).unwrap(),
        expected
    );
    ok(&staging.finalize(&second, "1"));
    assert_eq!(
        fs::read_to_string(staging.app.join("tool-env.txt")).unwrap(),
        format!("{expected}|{expected}:{}\n", tool_dir.display())
    );
}

/// A version asked for by variable (`version_from: env`) may come from an earlier buildpack's
/// `env/` file, which libbuildpack's supply has in its environment (`SetStagingEnvironment`)
/// and which wins over the app's own setting, as in finalize's build environment.
#[test]
fn a_version_variable_an_earlier_buildpack_set_is_the_apps_request() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    fs::create_dir_all(staging.deps.join("0/env")).unwrap();
    fs::write(staging.deps.join("0/env/BP_HELLO_VERSION"), "1.0.0").unwrap();
    let supply = common::bin::run(
        staging
            .command(&bp, "supply")
            .env("CF_STACK", "cflinuxfs4")
            .env("BP_HELLO_VERSION", "1.1.0")
            .arg(&staging.app)
            .arg(&staging.cache)
            .arg(&staging.deps)
            .arg("1"),
    );
    ok(&supply);
    assert!(
        supply
            .stderr
            .contains("-----> Installing hello 1.0.0\n       Using version 1.0.0, as requested by BP_HELLO_VERSION\n"),
        "{}",
        supply.stderr
    );
}

/// Finalize run again by hand into the same PROFILE_DIR after a supply buildpack stopped
/// writing a launch script: its earlier copy, which would still be sourced at launch, goes, as
/// the platform's PROFILE_DIR is new at every staging (`BUILD_DIR/.profile.d`, which the app
/// shares, is never pruned: the unit tests of `profile` cover that).
#[test]
fn finalize_again_drops_copies_of_launch_scripts_that_are_gone() {
    let staging = Staging::new();
    let with_env = "language: exports\nlaunch_env:\n  GREETING: hi\n";
    let first = buildpack(staging.path(), "first", with_env);
    let last = buildpack(staging.path(), "last", "language: last\n");
    ok(&staging.supply(&first, "0"));
    ok(&staging.supply(&last, "1"));
    ok(&staging.finalize(&last, "1"));
    assert!(staging.profile.join("0_exports.sh").exists());

    fs::write(first.join("manifest.yml"), "language: exports\n").unwrap();
    ok(&staging.supply(&first, "0"));
    ok(&staging.supply(&last, "1"));
    ok(&staging.finalize(&last, "1"));
    assert!(!staging.profile.join("0_exports.sh").exists());
    assert!(staging.profile.join("000_multi-supply.sh").exists());
}

/// Every file, contents included, is the same after supply and finalize run again into the same
/// folders: with dependencies that have an `env`, and with none (where finalize's own script
/// holds nothing but `launch_env` and `release.config_vars`, and once doubled them).
#[test]
fn staging_again_into_the_same_folders_gives_the_same_result() {
    let only_exports = |root: &Path| {
        buildpack(
            root,
            "exports",
            "language: exports\nlaunch_env:\n  GREETING: hi\nrelease:\n  config_vars:\n    MODE: production\n",
        )
    };
    let buildpacks: [&dyn Fn(&Path) -> PathBuf; 2] = [&cached_buildpack, &only_exports];
    for make in buildpacks {
        let staging = Staging::new();
        let bp = make(staging.path());
        ok(&staging.supply(&bp, "0"));
        ok(&staging.finalize(&bp, "0"));
        let before = staging.tree();
        assert!(
            before.iter().any(|f| f.starts_with("profile.d/0_")),
            "{before:#?}"
        );
        ok(&staging.supply(&bp, "0"));
        ok(&staging.finalize(&bp, "0"));
        assert_eq!(staging.tree(), before);
    }
}

/// A supply or finalize killed (SIGKILL runs no clean-up) while extracting a dependency or
/// writing a script leaves bpkit's temporary folders and files behind, under the names bpkit
/// gives them. The next run removes them: a half-extracted dependency must not ship in the
/// droplet, and a half-written script must not be copied to PROFILE_DIR and sourced at launch.
#[test]
fn a_run_after_a_killed_one_removes_what_it_left() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    ok(&staging.supply(&bp, "0"));
    ok(&staging.finalize(&bp, "0"));
    let before = staging.tree();
    let leftovers = [
        (
            "deps/0/.hello.bpkit-Ab12Cd/bin/hello",
            "#!/bin/sh\necho half",
        ),
        ("deps/0/.bpkit-Ef34Gh", "name: hel"),
        ("deps/0/env/.bpkit-Ij56Kl", "/tmp/half"),
        (
            "deps/0/profile.d/.bpkit-Mn78Op",
            "export HALF=\"unterminated",
        ),
        ("profile.d/.bpkit-Qr90St", "export HALF=\"unterminated"),
    ];
    for (path, contents) in leftovers {
        let path = staging.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    ok(&staging.supply(&bp, "0"));
    ok(&staging.finalize(&bp, "0"));
    assert_eq!(staging.tree(), before);
}

/// On the Heroku path every buildpack's compile uses `BUILD_DIR/.cloudfoundry/0`: what an
/// earlier buildpack's compile installed there (here a libbuildpack one's Ruby, its `bin/` link
/// and `env/` file, named in its config.yml) stays, where a run of this buildpack again would
/// remove what it no longer installs.
#[test]
fn compile_keeps_what_another_buildpack_installed_in_the_shared_deps_folder() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    staging.app_file("hello.txt", "");
    let shared = staging.app.join(".cloudfoundry/0");
    let theirs = [
        ("ruby/bin/ruby", "#!/bin/sh\n"),
        ("env/GEM_HOME", "/home/vcap/app/.gems"),
        (
            "config.yml",
            "---\nname: ruby\nversion: 1.9.0\nconfig:\n  dependencies:\n    ruby: 3.3.0\n",
        ),
    ];
    for (path, contents) in theirs {
        fs::create_dir_all(shared.join(path).parent().unwrap()).unwrap();
        fs::write(shared.join(path), contents).unwrap();
    }
    fs::create_dir_all(shared.join("bin")).unwrap();
    std::os::unix::fs::symlink("../ruby/bin/ruby", shared.join("bin/ruby")).unwrap();
    ok(&staging.compile(&bp, None));
    assert_eq!(
        fs::read_to_string(shared.join("ruby/bin/ruby")).unwrap(),
        "#!/bin/sh\n"
    );
    assert_eq!(
        fs::read_to_string(shared.join("env/GEM_HOME")).unwrap(),
        "/home/vcap/app/.gems"
    );
    assert_eq!(
        fs::read_link(shared.join("bin/ruby")).unwrap(),
        Path::new("../ruby/bin/ruby")
    );
    assert!(shared.join("bin/hello").exists());

    // The same buildpack run again (config.yml is now its own), its manifest no longer
    // installing hello: what it installed before goes.
    let manifest = bp.join("manifest.yml");
    let text = fs::read_to_string(&manifest).unwrap();
    let without_install = text.split("\ninstall:").next().unwrap().to_string();
    fs::write(&manifest, format!("{without_install}\n")).unwrap();
    ok(&staging.compile(&bp, None));
    assert!(!shared.join("hello").exists());
    assert!(!shared.join("bin/hello").exists());
}

#[test]
fn compile_with_two_arguments_keeps_the_deps_in_the_app() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    staging.app_file("hello.txt", "");
    let compile = staging.compile(&bp, None);
    ok(&compile);
    assert_eq!(
        compile.stderr,
        format!(
            "-----> Hello Buildpack version 1.0.0\n-----> Installing hello 1.1.0\n       Using version 1.1.0, the highest matching the buildpack's default 1.1.x\n       Copy [{}/dependencies/abc/hello-1.1.0.tgz]\n-----> Running: hello > greeting.txt\n-----> Running: echo \"$HELLO_HOME\" > staged-hello-home.txt\n-----> Running: cat \"$HELLO_SHARE/greeting\" > share.txt\n-----> Running: echo \"${{MY_SETTING:-unset}} $(command -v hello)\" > setting.txt\n",
            bp.display()
        )
    );
    let app = &staging.app;
    let deps = app.join(".cloudfoundry");
    assert_eq!(
        fs::read_to_string(app.join("setting.txt")).unwrap(),
        format!("unset {}\n", deps.join("0/bin/hello").display())
    );
    assert_eq!(
        fs::read_to_string(app.join(".profile.d/0000_set-deps-dir.sh")).unwrap(),
        "export DEPS_DIR=$HOME/.cloudfoundry\n"
    );
    assert!(app.join(".profile.d/000_multi-supply.sh").exists());
    assert!(app.join(".profile.d/0_hello.sh").exists());
    assert!(deps.join("0/config.yml").exists());

    // The droplet is the app folder alone; the launcher's DEPS_DIR (../deps) does not exist and
    // .profile.d/0000_set-deps-dir.sh points DEPS_DIR at $HOME/.cloudfoundry.
    let home = tempfile::tempdir().unwrap();
    let root = home.path().join("home/vcap");
    copy_tree(app, &root.join("app"));
    fs::create_dir_all(root.join("tmp")).unwrap();
    drop(staging);
    // launch_env and release.config_vars too, though the launcher never reads .cloudfoundry.
    let run = launch(
        &root,
        true,
        "hello; echo \"$HELLO_HOME\"; echo \"$GREETING_FILE $HELLO_ENV\"",
    );
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        format!(
            "Hello from hello 1.1.0\n{home}/.cloudfoundry/0/hello\n{home}/greeting.txt production\n",
            home = root.join("app").display()
        )
    );
}

#[test]
fn compile_with_an_env_dir_gives_its_values_to_the_build() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    let env_dir = staging.path().join("env");
    fs::create_dir_all(&env_dir).unwrap();
    // Saved by an editor: the newline goes, as with Heroku's `$(cat FILE)`.
    fs::write(env_dir.join("MY_SETTING"), "from ENV_DIR\n").unwrap();
    fs::write(env_dir.join("BP_HELLO_VERSION"), "1.0.0").unwrap();
    // Heroku's export_env_dir never exports PATH and friends from ENV_DIR.
    fs::write(env_dir.join("PATH"), "/nowhere").unwrap();
    let compile = staging.compile(&bp, Some(&env_dir));
    ok(&compile);
    assert!(
        compile
            .stderr
            .contains("Using version 1.0.0, as requested by BP_HELLO_VERSION"),
        "{}",
        compile.stderr
    );
    assert_eq!(
        fs::read_to_string(staging.app.join("setting.txt")).unwrap(),
        format!(
            "from ENV_DIR {}\n",
            staging.app.join(".cloudfoundry/0/bin/hello").display()
        )
    );
    assert_eq!(
        fs::read_to_string(staging.app.join("greeting.txt")).unwrap(),
        "Hello from hello 1.0.0\n"
    );
}

#[test]
fn relative_arguments_still_give_absolute_staging_paths() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    fs::create_dir_all(staging.deps.join("0")).unwrap();
    let supply = common::bin::run(
        staging
            .command(&bp, "supply")
            .current_dir(staging.path())
            .args(["app", "cache", "deps", "0"]),
    );
    ok(&supply);
    assert_eq!(
        fs::read_to_string(staging.deps.join("0/env/HELLO_HOME")).unwrap(),
        staging.deps.join("0/hello").display().to_string()
    );
}

#[test]
fn a_cache_dir_that_cannot_be_written_does_not_fail_a_staging_that_needs_none() {
    // libbuildpack's StagingComplete ignores a BUILDPACK_METADATA it cannot write, and its
    // CleanupAppCache skips a cache it cannot read: the cache only saves downloads and feeds a
    // warning. A cached buildpack (file: dependencies) needs nothing from it.
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    fs::remove_dir(&staging.cache).unwrap();
    fs::write(&staging.cache, "not a folder").unwrap();
    for run in [staging.supply(&bp, "0"), staging.finalize(&bp, "0")] {
        ok(&run);
        assert!(
            run.stderr.contains("**WARNING**")
                && run.stderr.contains("BUILDPACK_METADATA")
                && run.stderr.contains(
                    "; the next staging cannot tell whether the buildpack's version changed\n"
                ),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        fs::read_to_string(staging.app.join("greeting.txt")).unwrap(),
        "Hello from hello 1.1.0\n"
    );
    assert_eq!(fs::read(&staging.cache).unwrap(), b"not a folder");
}

/// A manifest entry for `name` 1.0.0 at `uri`, checksummed from `bytes`.
fn dependency_entry(name: &str, uri: &str, bytes: &[u8]) -> String {
    format!(
        "- name: {name}\n  version: 1.0.0\n  uri: {uri}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n",
        sha256(bytes)
    )
}

#[test]
fn downloads_retry_and_never_show_credentials() {
    use common::server::Fault;
    let server = Server::start();
    let hello = hello_tarball("1.0.0");
    let tool = Tarball::new().script("bin/tool", "echo tool").tgz();
    server.route(
        "/private/hello.tgz",
        hello.clone(),
        Fault::BasicAuth {
            user: "deploy".into(),
            password: "s3cret-pw".into(),
        },
    );
    server.route(
        "/flaky/tool.tgz",
        tool.clone(),
        Fault::FailFirst {
            count: 1,
            status: 500,
        },
    );
    let hello_uri = server.url_with_credentials("deploy", "s3cret-pw", "/private/hello.tgz");
    let manifest = format!(
        "language: hello\ndependencies:\n{}{}install:\n- name: hello\n  path: [bin]\n- name: tool\n  path: [bin]\n",
        dependency_entry("hello", &hello_uri, &hello),
        dependency_entry("tool", &server.url("/flaky/tool.tgz"), &tool),
    );
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", &manifest);
    let supply = staging.supply(&bp, "0");
    ok(&supply);
    assert!(!supply.stderr.contains("s3cret"), "{}", supply.stderr);
    assert!(
        supply.stderr.contains(&format!(
            "       Download [{}]\n",
            server
                .url("/private/hello.tgz")
                .replace("http://", "http://-redacted-:-redacted-@")
        )),
        "{}",
        supply.stderr
    );
    assert!(
        supply.stderr.contains(&format!(
            "       **WARNING** Could not download {}: the server answered 500 Internal Server Error. Retrying in 0.01 s (attempt 2 of 3).\n",
            server.url("/flaky/tool.tgz")
        )),
        "{}",
        supply.stderr
    );
    assert_eq!(server.hits("/flaky/tool.tgz"), 2);
    assert!(staging.deps.join("0/bin/hello").exists() && staging.deps.join("0/bin/tool").exists());

    // A wrong password fails with the URI still redacted.
    let wrong = manifest.replace("s3cret-pw", "wr0ng-pw");
    let bp = buildpack(staging.path(), "bp-wrong", &wrong);
    let cache = tempfile::tempdir().unwrap();
    fs::create_dir_all(staging.deps.join("1")).unwrap();
    let failed = common::bin::run(
        staging
            .command(&bp, "supply")
            .arg(&staging.app)
            .arg(cache.path())
            .arg(&staging.deps)
            .arg("1"),
    );
    assert_eq!(failed.code, 14);
    assert!(!failed.stderr.contains("wr0ng-pw"), "{}", failed.stderr);
    assert!(
        failed.stderr.contains(&format!(
            "       **ERROR** Could not install hello 1.0.0: Could not download {}: the server answered 401 Unauthorized; the user and password in the URI were refused: correct them (in the manifest's `uri`, or in BPKIT_MIRRORS for a mirror).\n",
            server
                .url("/private/hello.tgz")
                .replace("http://", "http://-redacted-:-redacted-@")
        )),
        "{}",
        failed.stderr
    );
}

#[test]
fn zips_scripts_and_plain_files_install_too() {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
    zip.start_file("tool-1.0/bin/zipped", options).unwrap();
    zip.write_all(b"#!/bin/sh\necho zipped\n").unwrap();
    let zip = zip.finish().unwrap().into_inner();
    let script = b"#!/bin/sh\necho scripted\n".to_vec();
    let data = b"{\"plain\": true}\n".to_vec();
    let server = Server::start();
    server.serve("/tool-1.0.zip", zip.clone());
    server.serve("/setup.sh", script.clone());
    server.serve("/data.json", data.clone());
    let manifest = format!(
        "language: kinds\ndependencies:\n{}{}{}install:\n- name: tool\n  strip_components: 1\n  path: [bin]\n- name: setup\n  path: [.]\n- name: data\nbuild:\n- zipped > out.txt; setup.sh >> out.txt; cat \"$DEPS_DIR/0/data/data.json\" >> out.txt\n",
        dependency_entry("tool", &server.url("/tool-1.0.zip"), &zip),
        dependency_entry("setup", &server.url("/setup.sh"), &script),
        dependency_entry("data", &server.url("/data.json"), &data),
    );
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", &manifest);
    ok(&staging.supply(&bp, "0"));
    ok(&staging.finalize(&bp, "0"));
    assert_eq!(
        fs::read_to_string(staging.app.join("out.txt")).unwrap(),
        "zipped\nscripted\n{\"plain\": true}\n"
    );
    assert_eq!(
        fs::read_link(staging.deps.join("0/bin/setup.sh")).unwrap(),
        Path::new("../setup/setup.sh")
    );
}

#[test]
fn old_versions_get_libbuildpacks_warnings() {
    let server = Server::start();
    let old = hello_tarball("1.0.0");
    let new = hello_tarball("1.0.1");
    server.serve("/hello-1.0.0.tgz", old.clone());
    server.serve("/hello-1.0.1.tgz", new.clone());
    let manifest = format!(
        "language: hello\ndependencies:\n{}{}dependency_deprecation_dates:\n- name: hello\n  version_line: 1.0.x\n  date: 2001-02-03\n  link: https://example.org/hello-eol\ninstall:\n- name: hello\n  version_from:\n  - file: .hello-version\n",
        dependency_entry("hello", &server.url("/hello-1.0.0.tgz"), &old),
        dependency_entry("hello", &server.url("/hello-1.0.1.tgz"), &new).replace("1.0.0", "1.0.1"),
    );
    let staging = Staging::new();
    let bp = buildpack(staging.path(), "bp", &manifest);
    staging.app_file(".hello-version", "1.0.0");
    let supply = staging.supply(&bp, "0");
    ok(&supply);
    assert!(
        supply.stderr.ends_with(
            "       **WARNING** A newer version of hello is available in this buildpack. Please adjust your app to use version 1.0.1 instead of version 1.0.0 as soon as possible. Old versions of hello are only provided to assist in migrating to newer versions.\n       **WARNING** hello 1.0.x will no longer be available in new buildpacks released after 2001-02-03.\n       See: https://example.org/hello-eol\n"
        ),
        "{}",
        supply.stderr
    );
}

/// An override buildpack earlier in the list leaves `DEPS_DIR/0/override.yml`; the buildpack
/// after it takes its default version and the version it adds (downloaded from its URI), as
/// libbuildpack's `ApplyOverride` does, and keeps its own entry for a version it has already,
/// saying so. A malformed override fails the staging with libbuildpack's words, and one that
/// is a folder with the fix too.
#[test]
fn an_override_yml_from_an_earlier_buildpack_changes_defaults_and_adds_versions() {
    let server = Server::start();
    let mirrored = hello_tarball("1.0.5");
    server.serve("/hello-1.0.5.tgz", mirrored.clone());
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    let override_yml = staging.deps.join("0/override.yml");
    fs::create_dir_all(override_yml.parent().unwrap()).unwrap();
    fs::write(
        &override_yml,
        format!(
            "other:\n  default_versions: [{{name: hello, version: 9.x}}]\nhello:\n  default_versions:\n  - {{name: hello, version: 1.0.x}}\n  dependencies:\n  - {{name: hello, version: 1.0.5, uri: '{uri}', sha256: {sha}, cf_stacks: [cflinuxfs4]}}\n  - {{name: hello, version: 1.1.0, uri: '{refused}', sha256: {sha}, cf_stacks: [cflinuxfs4]}}\n",
            uri = server.url("/hello-1.0.5.tgz"),
            refused = refused_url("/elsewhere.tgz"),
            sha = sha256(&mirrored),
        ),
    )
    .unwrap();
    let supply = staging.supply(&bp, "1");
    ok(&supply);
    assert!(
        supply.stderr.contains(&format!(
            "-----> Installing hello 1.0.5\n       Using version 1.0.5, the highest matching the buildpack's default 1.0.x\n       Download [{}]\n",
            server.url("/hello-1.0.5.tgz")
        )),
        "{}",
        supply.stderr
    );
    assert!(
        supply.stderr.contains(&format!(
            "       **WARNING** {} gives hello 1.1.0, which manifest.yml has already; manifest.yml's entry is the one installed, as in the official buildpacks. Give the override another version to have it used\n",
            override_yml.display()
        )),
        "{}",
        supply.stderr
    );
    // The app asks for 1.1.0: the buildpack's own file, not the override's URI nobody answers.
    staging.app_file(".hello-version", "1.1.0");
    ok(&staging.supply(&bp, "1"));
    assert!(
        fs::read_to_string(staging.deps.join("1/config.yml"))
            .unwrap()
            .contains("hello: 1.1.0"),
    );

    fs::write(
        &override_yml,
        "hello:\n  dependencies:\n  - {name: hello, version: 2.0.0}\n",
    )
    .unwrap();
    let supply = staging.supply(&bp, "1");
    assert_eq!(supply.code, 17, "{}", supply.stderr);
    assert!(
        supply.stderr.contains(&format!(
            "**ERROR** Unable to apply override.yml files: {}:3:5: dependencies[0].uri:",
            override_yml.display()
        )),
        "{}",
        supply.stderr
    );

    // A folder in its place said what it was, not what to do about it.
    fs::remove_file(&override_yml).unwrap();
    fs::create_dir(&override_yml).unwrap();
    let supply = staging.supply(&bp, "1");
    assert_eq!(supply.code, 17, "{}", supply.stderr);
    assert!(
        supply.stderr.contains(&format!(
            "       **ERROR** Unable to apply override.yml files: cannot read {}: it is a folder, not a file; the buildpack at index 0 of the buildpack list (an override buildpack) writes it for the buildpacks after it, and must write it as a YAML file: fix that buildpack, or take it out of the list\n",
            override_yml.display()
        )),
        "{}",
        supply.stderr
    );
}

/// An override's added version is offered on the stacks its `cf_stacks` names, as libbuildpack
/// offers it: one without `cf_stacks`, or for other stacks, is on none here, which supply says
/// with the fix, where the app asking for it learnt only that the buildpack lacked it.
#[test]
fn an_override_version_not_on_the_stack_is_named_with_the_fix() {
    let staging = Staging::new();
    let bp = cached_buildpack(staging.path());
    let override_yml = staging.deps.join("0/override.yml");
    fs::create_dir_all(override_yml.parent().unwrap()).unwrap();
    let sha = "a".repeat(64);
    fs::write(
        &override_yml,
        format!(
            "hello:\n  dependencies:\n  - {{name: hello, version: 1.2.0, uri: 'https://mirror.invalid/h.tgz', sha256: {sha}}}\n  - {{name: hello, version: 1.3.0, uri: 'https://mirror.invalid/h.tgz', sha256: {sha}, cf_stacks: [s1, s2]}}\n  - {{name: hello, version: 1.4.0, uri: 'https://mirror.invalid/h.tgz', sha256: {sha}, cf_stacks: [cflinuxfs4]}}\n"
        ),
    )
    .unwrap();
    let supply = staging.supply(&bp, "1");
    ok(&supply);
    let path = override_yml.display();
    assert!(
        supply.stderr.contains(&format!(
            "       **WARNING** {path} gives hello 1.2.0 without `cf_stacks`, so it is offered on no stack, as in the official buildpacks; add `cf_stacks: [cflinuxfs4]` to it\n       **WARNING** {path} gives hello 1.3.0 for s1, s2, not for cflinuxfs4, so it is not offered here; add cflinuxfs4 to its `cf_stacks`\n"
        )),
        "{}",
        supply.stderr
    );
    assert!(!supply.stderr.contains("1.4.0"), "{}", supply.stderr);
}

/// supply's downloads use the staging environment's proxy (the platform sets lowercase
/// `http_proxy`): the dependency's host is one only the proxy can reach, since it sends every
/// request to the origin server. The `http://` URI goes to the proxy in absolute form, so a
/// proxy that allows CONNECT only to port 443 (Squid's default) serves it.
#[test]
fn supply_downloads_through_the_proxy_of_the_staging_environment() {
    let origin = Server::start();
    let proxy = Server::start();
    proxy.proxy_to(origin.addr());
    proxy.allow_connect_only_to(443);
    let hello = hello_tarball("1.0.0");
    origin.serve("/hello.tgz", hello.clone());
    let host = format!("deps.bpkit-test.invalid:{}", origin.addr().port());
    let uri = format!("http://{host}/hello.tgz");
    let manifest = format!(
        "language: hello\ndependencies:\n{}install:\n- name: hello\n  path: [bin]\n",
        dependency_entry("hello", &uri, &hello)
    );
    let mut staging = Staging::new();
    staging.set_env("http_proxy", &proxy.url(""));
    let bp = buildpack(staging.path(), "bp", &manifest);
    let supply = staging.supply(&bp, "0");
    ok(&supply);
    assert!(
        supply
            .stderr
            .ends_with(&format!("       Download [{uri}]\n")),
        "{}",
        supply.stderr
    );
    assert_eq!(proxy.hits("FORWARD"), 1);
    assert_eq!(proxy.hits("CONNECT"), 0);
    assert_eq!(proxy.requests()[0].target, uri);
    assert_eq!(origin.hits("/hello.tgz"), 1);
    assert_eq!(
        fs::read_link(staging.deps.join("0/bin/hello")).unwrap(),
        Path::new("../hello/bin/hello")
    );
}

/// A server that answers the headers and then sends nothing fails supply after
/// `BPKIT_READ_TIMEOUT` seconds, with one error line and the install exit code, and installs
/// nothing.
#[test]
fn supply_gives_up_on_a_stalled_download_after_the_read_timeout() {
    use common::server::Fault;
    let server = Server::start();
    let hello = hello_tarball("1.0.0");
    server.route("/hello.tgz", hello.clone(), Fault::Stall { after: 0 });
    let uri = server.url("/hello.tgz");
    let manifest = format!(
        "language: hello\ndependencies:\n{}install:\n- name: hello\n  path: [bin]\n",
        dependency_entry("hello", &uri, &hello)
    );
    let mut staging = Staging::new();
    staging
        .set_env("BPKIT_READ_TIMEOUT", "0.3")
        .set_env("BPKIT_RETRIES", "0");
    let bp = buildpack(staging.path(), "bp", &manifest);
    let started = std::time::Instant::now();
    let supply = staging.supply(&bp, "0");
    let elapsed = started.elapsed();
    assert_eq!(supply.code, 14, "{}", supply.stderr);
    assert_eq!(supply.stdout, "");
    assert_eq!(
        supply.stderr,
        format!(
            "-----> Hello Buildpack version 1.0.0\n-----> Installing hello 1.0.0\n       Using version 1.0.0, the highest this buildpack has (the app asks for none and the manifest has no default)\n       Download [{uri}]\n       **ERROR** Could not install hello 1.0.0: Timed out downloading {uri}: no data for 0.3 s after 0 of {} bytes. Set BPKIT_READ_TIMEOUT to wait longer.\n",
            hello.len()
        )
    );
    assert_eq!(server.hits("/hello.tgz"), 1);
    assert!(
        elapsed < std::time::Duration::from_secs(10),
        "took {elapsed:?}"
    );
    assert!(!staging.deps.join("0/hello").exists());
    assert!(!staging.deps.join("0/bin").exists());
}

/// An uncached buildpack staging where its dependencies cannot be reached (an air-gapped
/// foundation; here a mirror with nothing listening, and a proxy likewise): the error names the
/// mirror and the URI it stands for, and says how to stage there at all, with a cached zip
/// or a reachable mirror.
#[test]
fn an_unreachable_dependency_says_how_to_stage_without_the_internet() {
    let mut staging = Staging::new();
    let bp = staging.path().join("bp");
    copy_tree(&fixture("fixtures/buildpack"), &bp);
    fs::create_dir_all(bp.join("bin")).unwrap();
    for phase in common::staging::PHASES {
        std::os::unix::fs::symlink(common::bin::bpkit_path(), bp.join("bin").join(phase)).unwrap();
    }
    let mirror = refused_url("/mirror/");
    staging.set_env(
        "BPKIT_MIRRORS",
        &format!("https://deps.example.invalid/hello/={mirror}"),
    );
    staging.set_env("BPKIT_RETRIES", "0");
    staging.app_file("hello.txt", "");
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 14, "{}", supply.stderr);
    let error = supply
        .stderr
        .lines()
        .find(|l| l.contains("**ERROR**"))
        .unwrap_or_else(|| panic!("{}", supply.stderr));
    assert_eq!(
        error,
        format!(
            "       **ERROR** Could not install hello 1.1.0: Could not connect to {mirror}hello-1.1.0-linux-x64.tgz: connection refused. Check the network, the proxy settings (HTTP_PROXY, NO_PROXY) and BPKIT_MIRRORS. That URI is the mirror of https://deps.example.invalid/hello/hello-1.1.0-linux-x64.tgz (BPKIT_MIRRORS or the manifest's `mirrors:`). This buildpack downloads its dependencies while staging; where staging cannot reach them, use a cached buildpack (`bpkit package --cached`, which carries them inside) or point BPKIT_MIRRORS at a mirror that it can reach"
        )
    );

    // Without a mirror, through a proxy that is not there: the same advice.
    staging.set_env("BPKIT_MIRRORS", "");
    staging.set_env("https_proxy", &refused_url(""));
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 14, "{}", supply.stderr);
    assert!(
        supply.stderr.contains(
            "use a cached buildpack (`bpkit package --cached`, which carries them inside)"
        ),
        "{}",
        supply.stderr
    );
}

/// A cache hit is re-verified: an app-cache entry swapped for another tarball (same name, one
/// that would plant a file) is thrown away with a warning and downloaded again, and only the
/// manifest's bytes are installed.
#[test]
fn a_tampered_app_cache_entry_is_never_installed() {
    let server = Server::start();
    let good = Tarball::new().script("bin/tool", "echo good").tgz();
    server.serve("/tool-1.0.0.tgz", good.clone());
    let staging = Staging::new();
    let uri = server.url("/tool-1.0.0.tgz");
    let manifest = format!(
        "language: tool\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: {uri}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: tool\n",
        sha256(&good)
    );
    let bp = buildpack(staging.path(), "bp", &manifest);
    let entry = staging
        .cache
        .join("dependencies")
        .join(bpkit::checksum::sha256_hex(&uri))
        .join("tool-1.0.0.tgz");
    fs::create_dir_all(entry.parent().unwrap()).unwrap();
    let evil = Tarball::new()
        .script("bin/tool", "echo evil")
        .file("planted", 0o644, "planted")
        .tgz();
    fs::write(&entry, &evil).unwrap();
    staging.app_file("hello.txt", "");
    let supply = staging.supply(&bp, "0");
    ok(&supply);
    assert!(
        supply.stderr.contains(&format!(
            "**WARNING** The cached {} failed verification (sha256 mismatch: expected {}, got {}); fetching it again.",
            entry.display(),
            sha256(&good),
            sha256(&evil)
        )),
        "{}",
        supply.stderr
    );
    assert_eq!(server.hits("/tool-1.0.0.tgz"), 1);
    assert_eq!(fs::read(&entry).unwrap(), good);
    let installed = fs::read_to_string(staging.deps.join("0/tool/bin/tool")).unwrap();
    assert!(installed.contains("echo good"), "{installed}");
    let planted: Vec<_> = walk(&staging.deps)
        .into_iter()
        .filter(|p| p.ends_with("planted"))
        .collect();
    assert!(planted.is_empty(), "{planted:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}
