//! The ready manifests in `templates/` (issue 4): each validates, and each stages a fixture app
//! through supply → finalize → release and starts it the way the launcher does. nginx is a
//! stand-in script (checksummed like the real tarball, kept as a `file:` entry), so nothing is
//! downloaded.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::bin::{bpkit, repo_root, run};
use common::staging::{PHASES, Staging};
use common::tarball::{Tarball, sha256};

/// A buildpack made from `templates/<name>/manifest.yml`, with every `sha256:` of a dependency
/// replaced by the stand-in's and a `file:` entry added.
fn from_template(root: &Path, name: &str, stand_in: Option<&[u8]>) -> PathBuf {
    let bp = root.join(name);
    fs::create_dir_all(bp.join("bin")).unwrap();
    let original = fs::read_to_string(
        repo_root()
            .join("templates")
            .join(name)
            .join("manifest.yml"),
    )
    .unwrap();
    let mut manifest = String::new();
    for line in original.lines() {
        match stand_in {
            Some(bytes) if line.starts_with("  sha256: ") => {
                writeln!(
                    manifest,
                    "  sha256: {}\n  file: stand-in.tgz",
                    sha256(bytes)
                )
                .unwrap();
            }
            _ => {
                manifest.push_str(line);
                manifest.push('\n');
            }
        }
    }
    if let Some(bytes) = stand_in {
        fs::write(bp.join("stand-in.tgz"), bytes).unwrap();
    }
    fs::write(bp.join("manifest.yml"), manifest).unwrap();
    fs::write(bp.join("VERSION"), "0.0.1\n").unwrap();
    for phase in PHASES {
        std::os::unix::fs::symlink(common::bin::bpkit_path(), bp.join("bin").join(phase)).unwrap();
    }
    bp
}

/// Start the release's `web` command (or the Procfile's) the way the launcher does.
fn start(staging: &Staging, command: &str) -> common::bin::Run {
    let output = Command::new("bash")
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &staging.app)
        .env("DEPS_DIR", &staging.deps)
        .env("PORT", "8080")
        .current_dir(&staging.app)
        .arg("-c")
        .arg("for f in ../profile.d/*; do . \"$f\"; done; exec bash -c \"$0\"")
        .arg(command)
        .output()
        .unwrap();
    output.into()
}

/// The static template's release starts nginx (emulated) on `$PORT`, serving `public/`.
fn assert_nginx_serves_public(staging: &Staging, bp: &Path) {
    let release = staging.release(bp);
    let web = release
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("  web: "))
        .unwrap();
    let started = start(staging, web);
    assert_eq!(started.stderr, "");
    assert_eq!(
        started.stdout,
        format!("listen 8080;\nroot {}/public;\n", staging.app.display())
    );
}

#[test]
fn every_template_validates() {
    for name in ["static", "generic"] {
        let result = run(bpkit()
            .arg("validate")
            .arg(repo_root().join("templates").join(name)));
        assert_eq!(result.code, 0, "{name}: {}{}", result.stdout, result.stderr);
        assert_eq!(result.stdout, "", "{name}");
    }
}

/// A stand-in for nginx-static: sbin/nginx prints the server lines of the config it is given.
fn nginx_stand_in() -> Vec<u8> {
    Tarball::new()
        .dir("sbin/")
        .script(
            "sbin/nginx",
            r#"while [ $# -gt 0 ]; do [ "$1" = -c ] && conf=$2; shift; done
grep -E '^ *(listen|root) ' "$conf" | sed 's/^ *//'"#,
        )
        .tgz()
}

/// The names in `dir`, sorted, folders marked with `/`.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().unwrap().is_dir() {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    names.sort();
    names
}

#[test]
fn the_static_template_serves_public_with_nginx() {
    let nginx = nginx_stand_in();
    let staging = Staging::new();
    let bp = from_template(staging.path(), "static", Some(&nginx));
    staging.app_file("public/index.html", "<h1>hi</h1>");
    let detect = staging.detect(&bp);
    assert_eq!((detect.code, detect.stdout.as_str()), (0, "Staticfile\n"));
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    assert!(
        supply.stderr.contains("-----> Installing nginx 1.27.5\n"),
        "{}",
        supply.stderr
    );
    let finalize = staging.finalize(&bp, "0");
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert!(
        finalize
            .stderr
            .ends_with("       nginx will serve public/\n"),
        "{}",
        finalize.stderr
    );
    assert_nginx_serves_public(&staging, &bp);
}

/// An app without `public/` has its files moved into one, as the staticfile buildpack does, so
/// nginx never serves the files that configure the app (or its generated nginx.conf).
#[test]
fn the_static_template_moves_an_app_without_public_into_public() {
    let nginx = nginx_stand_in();
    let staging = Staging::new();
    let bp = from_template(staging.path(), "static", Some(&nginx));
    staging
        .app_file("index.html", "<h1>hi</h1>")
        .app_file("css/site.css", "h1 {}")
        .app_file("-dash.txt", "a name like an option")
        .app_file("Staticfile", "")
        .app_file("Procfile", "web: sleep 1\n")
        .app_file("manifest.yml", "applications: []\n")
        .app_file("nginx.conf", "# the app's own\n")
        .app_file(".hidden", "");
    let detect = staging.detect(&bp);
    assert_eq!((detect.code, detect.stdout.as_str()), (0, "Staticfile\n"));
    assert_eq!(staging.supply(&bp, "0").code, 0);
    let finalize = staging.finalize(&bp, "0");
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert!(
        finalize.stderr.ends_with(
            "       Moving the app's files into public/ (all but Staticfile, Staticfile.auth, Procfile, manifest.yml, nginx.conf, nginx.conf.template and hidden files)\n       nginx will serve public/\n"
        ),
        "{}",
        finalize.stderr
    );
    assert_eq!(
        names(&staging.app.join("public")),
        ["-dash.txt", "css/", "index.html"]
    );
    assert_eq!(
        names(&staging.app),
        [
            ".hidden",
            "Procfile",
            "Staticfile",
            "manifest.yml",
            "nginx.conf",
            "nginx.conf.template",
            "public/"
        ]
    );
    assert_nginx_serves_public(&staging, &bp);

    // Staged again (public/ is there now): nothing moves.
    assert_eq!(staging.finalize(&bp, "0").code, 0);
    assert_eq!(
        names(&staging.app.join("public")),
        ["-dash.txt", "css/", "index.html"]
    );
}

#[test]
fn the_generic_template_runs_the_procfile_program() {
    let staging = Staging::new();
    let bp = from_template(staging.path(), "generic", None);
    staging
        .app_file("Procfile", "web: ./server --port $PORT\n")
        .app_file("server", "#!/bin/sh\necho \"serving on $2\"\n");
    fs::set_permissions(
        staging.app.join("server"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let detect = staging.detect(&bp);
    assert_eq!((detect.code, detect.stdout.as_str()), (0, "Binary\n"));
    // No dependencies: any stack will do.
    let mut command = staging.command(&bp, "supply");
    command.env("CF_STACK", "some-future-stack");
    fs::create_dir_all(staging.deps.join("0")).unwrap();
    let supply = run(command
        .args([&staging.app, &staging.cache, &staging.deps])
        .arg("0"));
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    let finalize = staging.finalize(&bp, "0");
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert!(
        finalize
            .stderr
            .ends_with("       web: ./server --port $PORT\n"),
        "{}",
        finalize.stderr
    );
    assert_eq!(
        fs::metadata(staging.app.join("server"))
            .unwrap()
            .permissions()
            .mode()
            & 0o111,
        0o111
    );
    assert_eq!(
        staging.release(&bp).stdout,
        "---\ndefault_process_types: {}\n"
    );
    let started = start(&staging, "./server --port $PORT");
    assert_eq!(started.stdout, "serving on 8080\n");
}

/// A Procfile without a web: line, or none at all (a `-b` buildpack skips detect), and a web:
/// program the app lacks: the build step says what is missing, not only its exit code.
#[test]
fn the_generic_template_explains_a_missing_web_line() {
    let needs_web =
        "       The app needs a Procfile with a web: line, such as: web: ./server --port $PORT\n";
    for procfile in [Some("worker: ./work\n"), None] {
        let staging = Staging::new();
        let bp = from_template(staging.path(), "generic", None);
        if let Some(text) = procfile {
            staging.app_file("Procfile", text);
        }
        assert_eq!(staging.supply(&bp, "0").code, 0);
        let finalize = staging.finalize(&bp, "0");
        assert_eq!(finalize.code, 12, "{procfile:?}: {}", finalize.stderr);
        assert!(
            finalize.stderr.contains(needs_web),
            "{procfile:?}: {}",
            finalize.stderr
        );
        assert!(
            finalize.stderr.contains("ended with exit code 1"),
            "{procfile:?}: {}",
            finalize.stderr
        );
    }

    let staging = Staging::new();
    let bp = from_template(staging.path(), "generic", None);
    // The first web: line counts, after other process types.
    staging.app_file(
        "Procfile",
        "worker: ./work\nweb: bin/server --port $PORT\nweb: ./other\n",
    );
    assert_eq!(staging.supply(&bp, "0").code, 0);
    let finalize = staging.finalize(&bp, "0");
    assert_eq!(finalize.code, 12);
    assert!(
        finalize
            .stderr
            .contains("       The Procfile's web: line runs bin/server, which is not in the app\n"),
        "{}",
        finalize.stderr
    );
}
