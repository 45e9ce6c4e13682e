//! Staging failures, each with its exact message and exit code (issue 4): a checksum mismatch,
//! a requested version the manifest lacks, an unsupported stack, a failing `build:` command,
//! crafted tarballs and zips (issue 6) with `../` entries, absolute names, absolute symlinks,
//! symbolic or hard links pointing outside, a file written through a link (nothing is written
//! outside the target, nothing half-installed is left).
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use common::bin::Run;
use common::server::{Server, refused_url};
use common::staging::{Staging, buildpack};
use common::tarball::{Tarball, sha256};
use common::zipball::Zipball;

/// A buildpack with one dependency `name` 1.0.0 made of `bytes`, served by `uri` or kept as
/// `file:` in the buildpack, with manifest `sha` (defaults to the right one) and `extra` keys.
struct Dep<'a> {
    name: &'a str,
    file_name: &'a str,
    bytes: Vec<u8>,
    uri: Option<String>,
    sha: Option<String>,
    extra: &'a str,
}

fn one_dep_buildpack(root: &Path, dep: &Dep<'_>) -> PathBuf {
    let sha = dep.sha.clone().unwrap_or_else(|| sha256(&dep.bytes));
    let (uri, file) = match &dep.uri {
        Some(uri) => (uri.clone(), String::new()),
        None => (
            refused_url(&format!("/{}", dep.file_name)),
            format!("  file: deps/{}\n", dep.file_name),
        ),
    };
    let manifest = format!(
        "language: {name}\ndependencies:\n- name: {name}\n  version: 1.0.0\n  uri: {uri}\n  sha256: {sha}\n{file}  cf_stacks: [cflinuxfs4, cflinuxfs5]\ninstall:\n- name: {name}\n  version_from:\n  - file: .version\n{extra}",
        name = dep.name,
        extra = dep.extra,
    );
    let bp = buildpack(root, "bp", &manifest);
    if dep.uri.is_none() {
        fs::create_dir_all(bp.join("deps")).unwrap();
        fs::write(bp.join("deps").join(dep.file_name), &dep.bytes).unwrap();
    }
    bp
}

fn simple(name: &'static str, bytes: Vec<u8>) -> Dep<'static> {
    Dep {
        name,
        file_name: "dep-1.0.0.tgz",
        bytes,
        uri: None,
        sha: None,
        extra: "",
    }
}

fn error_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| l.starts_with("       **ERROR** "))
        .unwrap_or_else(|| panic!("no error line in:\n{stderr}"))
}

#[test]
fn a_checksum_mismatch_deletes_the_download_and_says_what_was_expected() {
    let server = Server::start();
    let bytes = Tarball::new().script("bin/dep", "echo dep").tgz();
    server.serve("/dep-1.0.0.tgz", bytes.clone());
    let staging = Staging::new();
    let expected = sha256(b"something else");
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            uri: Some(server.url("/dep-1.0.0.tgz")),
            sha: Some(expected.clone()),
            ..simple("dep", bytes.clone())
        },
    );
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 14, "{}", run.stderr);
    assert_eq!(
        error_line(&run.stderr),
        format!(
            "       **ERROR** Could not install dep 1.0.0: The file at {} is not the one the manifest describes (sha256 mismatch: expected {expected}, got {}), so it was not kept; fix the dependency's `uri`, or its checksum if that file is the right one.",
            server.url("/dep-1.0.0.tgz"),
            sha256(&bytes)
        )
    );
    let entry_dir = staging
        .cache
        .join("dependencies")
        .join(bpkit::checksum::sha256_hex(&server.url("/dep-1.0.0.tgz")));
    // Nothing is left, not even the entry's lock file and folder.
    assert!(!entry_dir.exists(), "{:?}", fs::read_dir(&entry_dir));
    assert!(!staging.deps.join("0/dep").exists());
}

/// A download supply cannot write to the app cache says how to write it elsewhere in a
/// phase's terms: the CACHE_DIR argument. It named the packager's `--cache-dir` and
/// `BPKIT_CACHE_DIR`, which a phase does not read.
#[test]
fn an_app_cache_that_cannot_be_written_names_the_cache_dir_argument() {
    let server = Server::start();
    let bytes = Tarball::new().script("bin/dep", "echo dep").tgz();
    server.serve("/dep-1.0.0.tgz", bytes.clone());
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            uri: Some(server.url("/dep-1.0.0.tgz")),
            ..simple("dep", bytes)
        },
    );
    fs::remove_dir_all(&staging.cache).unwrap();
    fs::write(&staging.cache, "a file").unwrap();
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 14, "{}", run.stderr);
    assert_eq!(
        error_line(&run.stderr),
        format!(
            "       **ERROR** Could not install dep 1.0.0: Could not write {cache}/dependencies/{entry}: {cache} is a file, not a folder; remove it, or use another folder (the app cache is the phase's CACHE_DIR argument: the platform's, or `bpkit stage --cache`).",
            cache = staging.cache.display(),
            entry = bpkit::checksum::sha256_hex(&server.url("/dep-1.0.0.tgz")),
        )
    );
    assert!(!staging.deps.join("0/dep").exists());
}

#[test]
fn a_damaged_file_in_a_cached_buildpack_is_refused() {
    let staging = Staging::new();
    let bytes = Tarball::new().script("bin/dep", "echo dep").tgz();
    let expected = sha256(b"the original");
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            sha: Some(expected.clone()),
            ..simple("dep", bytes.clone())
        },
    );
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 14);
    assert_eq!(
        error_line(&run.stderr),
        format!(
            "       **ERROR** Could not install dep 1.0.0: the buildpack's file {}/deps/dep-1.0.0.tgz is not the one the manifest describes (sha256 mismatch: expected {expected}, got {}); the buildpack is damaged, package it again",
            bp.display(),
            sha256(&bytes)
        )
    );
    assert!(
        bp.join("deps/dep-1.0.0.tgz").exists(),
        "the buildpack is never changed"
    );
}

#[test]
fn a_requested_version_the_manifest_lacks_lists_what_it_has() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple("dep", Tarball::new().dir("bin/").tgz()),
    );
    staging.app_file(".version", "2.x\n");
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 14);
    assert_eq!(
        run.stderr,
        "-----> Dep Buildpack version 1.0.0\n       **ERROR** Version 2.x of dependency dep is not supported by this buildpack (requested in .version); the versions of dep it has for cflinuxfs4 are: 1.0.0. Ask for one of them in .version\n"
    );
}

/// A `version_from` file that is a link leading out of the app is never read: the staging
/// machine's file would be taken as the app's request, and its text quoted in the error.
/// Supply refuses it, naming the link and the fix; a link inside the app is followed.
#[test]
fn a_version_file_linking_out_of_the_app_is_refused_unread() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple("dep", Tarball::new().dir("bin/").tgz()),
    );
    // A line break in the target's name is written as `\n`: the error stays one line.
    let secret = staging.path().join("sec\nret");
    fs::write(&secret, "2.x\n").unwrap();
    std::os::unix::fs::symlink(&secret, staging.app.join(".version")).unwrap();
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 14, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "-----> Dep Buildpack version 1.0.0\n       **ERROR** the version of dep would be read from .version, a link leading outside the app (to {}/sec\\nret); version_from reads only the app's own files: put the file itself in the app, or a link to a file inside it\n",
            staging.path().canonicalize().unwrap().display()
        )
    );
    assert!(!staging.deps.join("0/dep").exists());
    // Inside the app, a link is followed.
    fs::remove_file(staging.app.join(".version")).unwrap();
    fs::create_dir(staging.app.join("conf")).unwrap();
    fs::write(staging.app.join("conf/version"), "1.0.0\n").unwrap();
    std::os::unix::fs::symlink("conf/version", staging.app.join(".version")).unwrap();
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Using version 1.0.0, as requested in .version"),
        "{}",
        run.stderr
    );
}

/// A version file saved with a byte-order mark (Notepad, Visual Studio) or as UTF-16 (Windows
/// PowerShell's `echo 1.0.0 > .version`) asks for the version it shows: the mark was read as
/// part of the request, which then matched nothing (`Version \u{feff}1.0.0 … is not supported
/// …: 1.0.0`).
#[test]
fn a_version_file_with_a_byte_order_mark_or_in_utf16_asks_for_its_version() {
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend("1.0.0\r\n".encode_utf16().flat_map(u16::to_le_bytes));
    for contents in [b"\xef\xbb\xbf1.0.0\r\n".to_vec(), utf16] {
        let staging = Staging::new();
        let bp = one_dep_buildpack(
            staging.path(),
            &simple("dep", Tarball::new().dir("bin/").tgz()),
        );
        fs::write(staging.app.join(".version"), contents).unwrap();
        let run = staging.supply(&bp, "0");
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("\n       Using version 1.0.0, as requested in .version\n"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn an_unsupported_stack_stops_every_staging_phase() {
    let mut staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple("dep", Tarball::new().dir("bin/").tgz()),
    );
    staging.set_env("CF_STACK", "cflinuxfs2");
    let expected = "-----> Dep Buildpack version 1.0.0\n       **ERROR** Stack not supported by buildpack: required stack cflinuxfs2 was not found; this buildpack supports cflinuxfs4, cflinuxfs5\n";
    for run in [
        staging.supply(&bp, "0"),
        staging.finalize(&bp, "0"),
        staging.compile(&bp, None),
    ] {
        assert_eq!((run.code, run.stderr.as_str()), (11, expected));
    }
    // Heroku's STACK works too, and neither set is its own error.
    staging.env.retain(|(k, _)| k != "CF_STACK");
    let run = staging.supply(&bp, "0");
    assert_eq!(
        error_line(&run.stderr),
        "       **ERROR** Stack not supported by buildpack: neither CF_STACK nor STACK is set; set CF_STACK to the stack the app stages on (this buildpack supports cflinuxfs4, cflinuxfs5)"
    );
    staging.set_env("STACK", "cflinuxfs5");
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_failing_build_command_shows_its_exit_code_and_output_tail() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            extra: "build:\n- echo preparing\n- 'for i in $(seq 1 25); do echo \"line $i\"; done; echo oops >&2; exit 3'\n- echo never\n",
            ..simple("dep", Tarball::new().dir("bin/").tgz())
        },
    );
    assert_eq!(staging.supply(&bp, "0").code, 0);
    let run = staging.finalize(&bp, "0");
    assert_eq!(run.code, 12);
    let mut expected = String::from(
        "-----> Dep Buildpack version 1.0.0\n-----> Running: echo preparing\n       preparing\n-----> Running: for i in $(seq 1 25); do echo \"line $i\"; done; echo oops >&2; exit 3\n",
    );
    for i in 1..=25 {
        writeln!(expected, "       line {i}").unwrap();
    }
    expected.push_str("       oops\n       **ERROR** Build command build[1] failed: `for i in $(seq 1 25); do echo \"line $i\"; done; echo oops >&2; exit 3` ended with exit code 3; fix the app or the command in manifest.yml. The last 20 lines of its output:\n");
    for i in 7..=25 {
        writeln!(expected, "         line {i}").unwrap();
    }
    expected.push_str("         oops\n");
    assert_eq!(run.stderr, expected);
    assert!(!staging.profile.join("000_multi-supply.sh").exists());
}

/// An empty `build:` item (`- ` alone) was dropped when the manifest was read, so every later
/// command was named by the wrong index (`build[1]` for the manifest's `build[2]`); it is kept,
/// skipped without a `Running:` line, and the failing command named by its own index.
#[test]
fn a_failing_build_command_after_an_empty_item_is_named_by_its_own_index() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            extra: "build:\n- echo first\n-\n- ''\n- exit 4\n",
            ..simple("dep", Tarball::new().dir("bin/").tgz())
        },
    );
    assert_eq!(staging.supply(&bp, "0").code, 0);
    let run = staging.finalize(&bp, "0");
    assert_eq!(run.code, 12);
    assert_eq!(
        run.stderr,
        "-----> Dep Buildpack version 1.0.0\n-----> Running: echo first\n       first\n-----> Running: exit 4\n       **ERROR** Build command build[3] failed: `exit 4` ended with exit code 4; fix the app or the command in manifest.yml. It printed nothing.\n"
    );
}

/// An earlier buildpack's `env/` file too large for one variable made bash unable to start,
/// which finalize reported as "cannot start bash; build commands need bash on the PATH".
#[test]
fn an_env_file_too_large_for_a_variable_is_named_not_bash() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            extra: "build:\n- echo hi\n",
            ..simple("dep", Tarball::new().dir("bin/").tgz())
        },
    );
    fs::create_dir_all(staging.deps.join("0/env")).unwrap();
    fs::write(staging.deps.join("0/env/BIG"), "a".repeat(200_000)).unwrap();
    assert_eq!(staging.supply(&bp, "1").code, 0);
    let run = staging.finalize(&bp, "1");
    assert_eq!(run.code, 12, "{}", run.stderr);
    assert_eq!(
        error_line(&run.stderr),
        "       **ERROR** Could not run build[0] `echo hi`: the build environment's BIG holds 200000 bytes, more than the 131072 Linux lets one variable hold, so bash cannot be started with it (Argument list too long); make that value smaller: a large value belongs in a file, named by a variable"
    );
}

/// Supply a dependency made of `tarball`; it must fail with `message` (after `into <target>: `)
/// and leave nothing outside the target and nothing half-installed.
fn refused(tarball: Tarball, message: &str) {
    refused_archive("dep-1.0.0.tgz", tarball.tgz(), message);
}

/// [`refused`] for a zip dependency.
fn refused_zip(zip: Zipball, message: &str) {
    refused_archive("dep-1.0.0.zip", zip.bytes(), message);
}

fn refused_archive(file_name: &'static str, bytes: Vec<u8>, message: &str) {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            file_name,
            ..simple("evil", bytes)
        },
    );
    fs::create_dir_all(staging.deps.join("0")).unwrap();
    let before = staging.tree();
    let outside_before: Vec<_> = fs::read_dir(staging.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with("escaped"))
        .collect();
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 14, "{}", run.stderr);
    assert_eq!(
        error_line(&run.stderr),
        format!(
            "       **ERROR** Could not install evil 1.0.0 into {}: archive {file_name}: {message}",
            staging.deps.join("0/evil").display()
        )
    );
    // Nothing new anywhere in the staging folders: no escaped file, no half-extracted folder.
    let after: Vec<String> = staging
        .tree()
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    assert!(after.is_empty(), "written: {after:?}");
    let outside_after: Vec<_> = fs::read_dir(staging.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with("escaped"))
        .collect();
    assert_eq!(outside_before, outside_after);
}

#[test]
fn a_tarball_with_dotdot_entries_writes_nothing_outside() {
    refused(
        Tarball::new()
            .file("bin/ok", 0o755, "fine")
            .file("../escaped", 0o644, "x"),
        "entry \"../escaped\" escapes the target folder; refusing to extract",
    );
    refused(
        Tarball::new().file("bin/../../../../escaped", 0o644, "x"),
        "entry \"bin/../../../../escaped\" escapes the target folder; refusing to extract",
    );
}

#[test]
fn a_tarball_with_an_absolute_symlink_is_refused() {
    refused(
        Tarball::new()
            .symlink("bin/passwd", "/etc/passwd")
            .file("bin/passwd", 0o644, "overwrite"),
        "symbolic link \"bin/passwd\" points to the absolute path \"/etc/passwd\"; refusing to extract",
    );
}

#[test]
fn a_tarball_with_links_pointing_outside_is_refused() {
    refused(
        Tarball::new()
            .symlink("out", "../../../escaped-dir")
            .file("out/payload", 0o644, "x"),
        "symbolic link \"out\" points to \"../../../escaped-dir\", which escapes the target folder; refusing to extract",
    );
    refused(
        Tarball::new().hard_link("hard", "../../../escaped-file"),
        "hard link \"hard\" points to \"../../../escaped-file\", which escapes the target folder; refusing to extract",
    );
}

#[test]
fn a_tarball_with_an_absolute_entry_is_refused() {
    let outside = std::env::temp_dir().join("escaped-absolute-entry-tar");
    let name = outside.to_str().unwrap();
    refused(
        Tarball::new().file(name, 0o644, "x"),
        &format!("entry {name:?} has an absolute path; refusing to extract"),
    );
    assert!(!outside.exists());
}

#[test]
fn a_tarball_writing_a_file_through_its_own_symlink_is_refused() {
    // The link points inside (`lib -> real`), but no honest archive writes through a link, and
    // refusing it is what keeps every later write inside.
    refused(
        Tarball::new()
            .dir("real/")
            .symlink("lib", "real")
            .file("lib/payload", 0o644, "x"),
        "entry \"lib/payload\" would be written through the symbolic link \"lib\"; refusing to extract",
    );
}

#[test]
fn a_zip_with_dotdot_entries_writes_nothing_outside() {
    refused_zip(
        Zipball::new()
            .file("bin/ok", 0o755, "fine")
            .file("../escaped", 0o644, "x"),
        "entry \"../escaped\" escapes the target folder; refusing to extract",
    );
}

#[test]
fn a_zip_with_an_absolute_entry_is_refused() {
    let outside = std::env::temp_dir().join("escaped-absolute-entry-zip");
    let name = outside.to_str().unwrap();
    refused_zip(
        Zipball::new().file(name, 0o644, "x"),
        &format!("entry {name:?} has an absolute path; refusing to extract"),
    );
    assert!(!outside.exists());
}

#[test]
fn a_zip_with_an_absolute_symlink_is_refused() {
    refused_zip(
        Zipball::new()
            .symlink("etc", "/etc")
            .file("etc/escaped", 0o644, "x"),
        "symbolic link \"etc\" points to the absolute path \"/etc\"; refusing to extract",
    );
}

#[test]
fn a_zip_with_a_symlink_pointing_outside_then_a_file_through_it_is_refused() {
    refused_zip(
        Zipball::new()
            .symlink("out", "../../../escaped-dir")
            .file("out/payload", 0o644, "x"),
        "symbolic link \"out\" points to \"../../../escaped-dir\", which escapes the target folder; refusing to extract",
    );
}

#[test]
fn a_zip_writing_a_file_through_its_own_symlink_is_refused() {
    refused_zip(
        Zipball::new()
            .dir("real/")
            .symlink("lib", "real")
            .file("lib/payload", 0o644, "x"),
        "entry \"lib/payload\" would be written through the symbolic link \"lib\"; refusing to extract",
    );
}

#[test]
fn a_missing_path_folder_names_the_manifest_key() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            extra: "  path: [bin, sbin]\n",
            ..simple(
                "dep",
                Tarball::new()
                    .script("bin/dep", "echo")
                    .file("README", 0o644, "")
                    .tgz(),
            )
        },
    );
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 14);
    assert_eq!(
        error_line(&run.stderr),
        "       **ERROR** manifest.yml install[0].path[1]: dep 1.0.0 has no folder `sbin` (it has: README, bin/); fix the folder name"
    );
}

/// A dependency whose name bpkit does not extract (a `.tar.zst`) is installed whole: a
/// `path` folder in it cannot exist, and "fix the folder name" sent the author the wrong way.
#[test]
fn a_path_folder_in_a_dependency_installed_whole_names_the_archives_bpkit_extracts() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            file_name: "dep-1.0.0.tar.zst",
            extra: "  path: [bin]\n",
            ..simple("dep", b"(zstd data)".to_vec())
        },
    );
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 14, "{}", run.stderr);
    assert_eq!(
        error_line(&run.stderr),
        "       **ERROR** manifest.yml install[0].path[0]: dep 1.0.0 has no folder `bin` (it has: dep-1.0.0.tar.zst); `dep-1.0.0.tar.zst` was installed as it is, not extracted, since bpkit extracts only the archives its uri's name says are .tgz, .tar.gz, .tar.xz, .txz, .tar.bz2, .tbz2, .tbz, .tar or .zip: give the dependency as one of those, or write `.` for the folder holding the file itself"
    );
}

#[test]
fn a_path_folder_under_the_archives_top_folder_asks_for_strip_components() {
    // The usual tarball has one top folder (`dep-1.0.0/bin/dep`); `path: [bin]` without
    // `strip_components: 1` finds no `bin`, and the fix is that key, not the folder name.
    for (extra, fix) in [
        ("  path: [bin]\n", "set `strip_components: 1` in install[0]"),
        (
            "  strip_components: 1\n  library_path: [lib]\n",
            "set `strip_components: 2` in install[0]",
        ),
    ] {
        let staging = Staging::new();
        let top = if extra.contains("strip") {
            "x/dep-1.0.0"
        } else {
            "dep-1.0.0"
        };
        let bp = one_dep_buildpack(
            staging.path(),
            &Dep {
                extra,
                ..simple(
                    "dep",
                    Tarball::new()
                        .script(&format!("{top}/bin/dep"), "echo")
                        .file(&format!("{top}/lib/libdep.so"), 0o644, "")
                        .tgz(),
                )
            },
        );
        let run = staging.supply(&bp, "0");
        assert_eq!(run.code, 14);
        let key = if extra.contains("strip") {
            "library_path[0]: dep 1.0.0 has no folder `lib`"
        } else {
            "path[0]: dep 1.0.0 has no folder `bin`"
        };
        assert_eq!(
            error_line(&run.stderr),
            format!(
                "       **ERROR** manifest.yml install[0].{key} (it has: dep-1.0.0/); the archive has one top folder, `dep-1.0.0/`, which holds `{}`: {fix}",
                if extra.contains("strip") {
                    "lib"
                } else {
                    "bin"
                }
            )
        );
    }
}

/// A `strip_components` larger than the archive is deep took off every entry: the dependency
/// was installed as an empty folder without a word (and with `path:`, the error blamed the
/// folder name). Now supply stops naming the key, and an earlier run's install stays.
#[test]
fn a_strip_components_leaving_nothing_is_refused() {
    let staging = Staging::new();
    let tarball = Tarball::new().script("dep-1.0.0/bin/dep", "echo").tgz();
    let bp = one_dep_buildpack(staging.path(), &simple("dep", tarball));
    let manifest = fs::read_to_string(bp.join("manifest.yml")).unwrap();
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(staging.deps.join("0/dep/dep-1.0.0/bin/dep").is_file());
    for (strip, path) in [(3, ""), (4, "  path: [bin]\n")] {
        fs::write(
            bp.join("manifest.yml"),
            format!("{manifest}  strip_components: {strip}\n{path}"),
        )
        .unwrap();
        let run = staging.supply(&bp, "0");
        assert_eq!(run.code, 14, "{}", run.stderr);
        assert_eq!(
            error_line(&run.stderr),
            format!(
                "       **ERROR** manifest.yml install[0].strip_components: {strip} takes off the whole name of every entry of dep-1.0.0.tgz, so dep 1.0.0 would install nothing; use fewer (1 takes off one top folder, 0 none)"
            )
        );
        assert!(staging.deps.join("0/dep/dep-1.0.0/bin/dep").is_file());
    }
    // Three components deep, two taken off: the file is installed.
    fs::write(
        bp.join("manifest.yml"),
        format!("{manifest}  strip_components: 2\n"),
    )
    .unwrap();
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(staging.deps.join("0/dep/dep").is_file());
}

#[test]
fn staging_refuses_an_invalid_manifest_listing_every_error() {
    let staging = Staging::new();
    let manifest = "language: x\ndependencies:\n- name: a\n  version: 1.0.0\n  uri: https://e/a.tgz\n  sha256: abc\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: b\n";
    let bp = buildpack(staging.path(), "bp", manifest);
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 10);
    let m = bp.join("manifest.yml").display().to_string();
    assert_eq!(
        run.stderr,
        format!(
            "       **ERROR** Unable to load buildpack manifest: {m}:6:11: dependencies[0].sha256: expected 64 hexadecimal characters, found 3; use the file's full sha256 (`sha256sum FILE`)\n       {m}:9:9: install[0].name: `b` is not the name of any dependency; add it under `dependencies:`\n",
        )
    );
}

#[test]
fn a_language_unfit_for_a_zip_name_stops_packaging_but_not_staging() {
    let staging = Staging::new();
    let manifest = "language: my app\nbuild:\n- touch built\nrelease:\n  default_process_types:\n    web: ./run\n";
    let bp = buildpack(staging.path(), "bp", manifest);
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    let finalize = staging.finalize(&bp, "0");
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert!(staging.app.join("built").exists());
    assert!(
        finalize
            .stderr
            .starts_with("-----> My App Buildpack version "),
        "{}",
        finalize.stderr
    );

    // Packaging is where the name matters.
    let packaged = common::bin::run(common::bin::bpkit().args(["-q", "package"]).arg(&bp));
    assert_eq!(packaged.code, 1);
    assert_eq!(
        packaged.stderr,
        format!(
            "bpkit: error: {}:1:11: language: `my app` cannot be part of the zip's file name (it contains ` `); use a name such as `ruby`\n",
            bp.join("manifest.yml").display()
        )
    );
}

/// A language with a line break (`language: |`, which staging takes) ended the comment lines
/// of the launch scripts: the rest ran at launch, and its `'` made bash refuse the whole
/// script, so the app started without its variables. Escaped, each comment stays one line, as
/// the header does.
#[test]
fn a_language_with_a_line_break_stays_on_one_line_in_the_launch_scripts() {
    let staging = Staging::new();
    let manifest = "language: |\n  my app\n  touch pwned\nlaunch_env:\n  A: b\nrelease:\n  config_vars:\n    C: d\n";
    let bp = buildpack(staging.path(), "bp", manifest);
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    assert!(
        supply
            .stderr
            .starts_with("-----> My App\\nTouch Pwned\\n Buildpack version 1.0.0\n"),
        "{}",
        supply.stderr
    );
    let finalize = staging.finalize(&bp, "0");
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    let script = staging.profile.join("0_my_app_touch_pwned_.sh");
    assert_eq!(
        fs::read_to_string(&script).unwrap(),
        "# launch_env from the my app\\ntouch pwned\\n buildpack's manifest.yml (bpkit supply).\n[ -n \"${A:-}\" ] || export A=\"b\"\n# release.config_vars from the my app\\ntouch pwned\\n buildpack's manifest.yml (bpkit finalize)\n[ -n \"${C:-}\" ] || export C=\"d\"\n"
    );
    let sourced = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(". '{}' && echo \"$A $C\"", script.display()))
        .current_dir(staging.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&sourced.stdout), "b d\n");
    assert!(!staging.path().join("pwned").exists());
}

#[test]
fn a_bad_environment_name_is_refused_before_anything_is_written() {
    // Every phase validates the whole manifest first, so a bad name in launch_env (written by
    // supply) or in release.config_vars (written by finalize) stops supply before it installs
    // anything, and finalize before `build:` runs.
    for (extra, key) in [
        (
            "launch_env:\n  NOT-A-NAME: x\nbuild:\n- touch built\n",
            "launch_env",
        ),
        (
            "release:\n  config_vars:\n    NOT-A-NAME: x\nbuild:\n- touch built\n",
            "release.config_vars",
        ),
    ] {
        let staging = Staging::new();
        let bp = one_dep_buildpack(
            staging.path(),
            &Dep {
                extra,
                ..simple("dep", Tarball::new().dir("bin/").tgz())
            },
        );
        fs::create_dir_all(staging.deps.join("0")).unwrap();
        let before = staging.tree();
        // The error points at the name's line and column in the manifest.
        let text = fs::read_to_string(bp.join("manifest.yml")).unwrap();
        let (line, column) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.find("NOT-A-NAME").map(|c| (i + 1, c + 1)))
            .unwrap();
        let expected = format!(
            "       **ERROR** Unable to load buildpack manifest: {}:{line}:{column}: {key}.NOT-A-NAME: `NOT-A-NAME` is not a valid environment variable name; use letters, digits and _ (not starting with a digit)",
            bp.join("manifest.yml").display()
        );
        let run = staging.supply(&bp, "0");
        assert_ne!(run.code, 0, "{key}");
        assert_eq!(error_line(&run.stderr), expected, "{key}");
        assert_eq!(staging.tree(), before, "{key}");
        let run = staging.finalize(&bp, "0");
        assert_ne!(run.code, 0, "{key}");
        assert_eq!(error_line(&run.stderr), expected, "{key}");
        assert!(!staging.app.join("built").exists(), "{key}");
    }
}

/// An empty folder argument (an unset variable in a hand-written call) is refused before
/// anything is written, instead of meaning the working directory, which the phases never use.
#[test]
fn an_empty_folder_argument_is_refused_and_nothing_lands_in_the_working_directory() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz()),
    );
    let cwd = staging.path().join("cwd");
    fs::create_dir_all(&cwd).unwrap();
    let (app, cache, deps) = (
        staging.app.to_str().unwrap(),
        staging.cache.to_str().unwrap(),
        staging.deps.to_str().unwrap(),
    );
    for (phase, args, name) in [
        ("supply", vec![app, "", deps, "0"], "CACHE_DIR"),
        ("supply", vec![app, cache, "", "0"], "DEPS_DIR"),
        ("compile", vec![app, ""], "CACHE_DIR"),
        ("compile", vec![app, cache, ""], "ENV_DIR"),
    ] {
        let run = common::bin::run(
            staging
                .command(&bp, phase)
                .env("CF_STACK", "cflinuxfs4")
                .current_dir(&cwd)
                .args(&args),
        );
        assert_eq!(run.code, 1, "{phase} {args:?}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "       **ERROR** Invalid {name}: it is an empty argument; pass the folder's path (a phase never falls back to the working directory)\n"
            ),
            "{phase} {args:?}"
        );
        assert_eq!(
            fs::read_dir(&cwd).unwrap().count(),
            0,
            "{phase} {args:?} wrote into the working directory"
        );
    }
}

/// An empty PROFILE_DIR means none, as libbuildpack's `NewStager` reads it (the official
/// `bin/finalize` passes `"${5:-}"`, empty when `bin/compile` calls it with four arguments):
/// the launch scripts go to `BUILD_DIR/.profile.d`, not to the working directory.
#[test]
fn an_empty_profile_dir_means_the_apps_profile_d() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            extra: "  path: [bin]\n",
            ..simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz())
        },
    );
    let cwd = staging.path().join("cwd");
    fs::create_dir_all(&cwd).unwrap();
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    let run = common::bin::run(
        staging
            .command(&bp, "finalize")
            .env("CF_STACK", "cflinuxfs4")
            .current_dir(&cwd)
            .arg(&staging.app)
            .arg(&staging.cache)
            .arg(&staging.deps)
            .arg("0")
            .arg(""),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(staging.app.join(".profile.d/000_multi-supply.sh")).unwrap(),
        "export PATH=\"$DEPS_DIR/0/bin${PATH:+:$PATH}\"\n"
    );
    assert_eq!(fs::read_dir(&cwd).unwrap().count(), 0);
}

/// A PROFILE_DIR that cannot be made (a file is there) stops finalize before the build runs.
#[test]
fn a_profile_dir_that_cannot_be_made_fails_before_the_build() {
    let staging = Staging::new();
    let bytes = Tarball::new().script("bin/dep", "echo dep").tgz();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            extra: "build:\n- touch built\n",
            ..simple("dep", bytes)
        },
    );
    let profile = staging.path().join("profile-file");
    fs::write(&profile, "a file").unwrap();
    let run = common::bin::run(
        staging
            .command(&bp, "finalize")
            .env("CF_STACK", "cflinuxfs4")
            .args([&staging.app, &staging.cache, &staging.deps])
            .arg("0")
            .arg(&profile),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        error_line(&run.stderr),
        format!(
            "       **ERROR** Invalid PROFILE_DIR: `{}` is not a folder; pass the folder for the launch scripts, or none (they then go to BUILD_DIR/.profile.d)",
            profile.display()
        ),
    );
    assert!(!run.stderr.contains("Running:"), "{}", run.stderr);
    assert!(!staging.app.join("built").exists());
}

/// A BUILD_DIR or DEPS_DIR that is not UTF-8 would be written into `env/` files with U+FFFD
/// in place of its odd bytes: refused, naming the argument, before anything is written.
#[test]
fn a_path_that_is_not_utf8_is_refused_by_the_staging_phases() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz()),
    );
    let odd = staging.path().join(OsStr::from_bytes(b"app\xff"));
    fs::create_dir_all(&odd).unwrap();
    let odd_deps = staging.path().join(OsStr::from_bytes(b"deps\xff"));
    for (phase, args, name) in [
        (
            "supply",
            vec![
                odd.as_os_str(),
                staging.cache.as_os_str(),
                staging.deps.as_os_str(),
                OsStr::new("0"),
            ],
            "BUILD_DIR",
        ),
        (
            "finalize",
            vec![
                staging.app.as_os_str(),
                staging.cache.as_os_str(),
                odd_deps.as_os_str(),
                OsStr::new("0"),
                staging.profile.as_os_str(),
            ],
            "DEPS_DIR",
        ),
        (
            "compile",
            vec![odd.as_os_str(), staging.cache.as_os_str()],
            "BUILD_DIR",
        ),
    ] {
        let run = common::bin::run(
            staging
                .command(&bp, phase)
                .env("CF_STACK", "cflinuxfs4")
                .args(&args),
        );
        assert_eq!(run.code, 1, "{phase}: {}", run.stderr);
        assert!(
            error_line(&run.stderr).contains(&format!("Invalid {name}: `"))
                && run
                    .stderr
                    .contains("` is not valid UTF-8; stage from a folder whose path is UTF-8 text"),
            "{phase}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
    assert_eq!(fs::read_dir(&odd).unwrap().count(), 0);
    assert!(!odd_deps.exists());
}

/// A cached buildpack's `file:` is a path inside the buildpack. One that is absolute or climbs
/// out with `..` is refused as the manifest is read, before anything is, even when the file it
/// names has the right checksum; one naming a fifo is refused at once instead of waiting for a
/// writer.
#[test]
fn a_buildpack_file_outside_the_buildpack_or_not_a_regular_file_is_refused() {
    let staging = Staging::new();
    let bytes = Tarball::new().script("bin/dep", "echo dep").tgz();
    let outside = staging.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("dep-1.0.0.tgz"), &bytes).unwrap();
    let absolute = outside.join("dep-1.0.0.tgz").display().to_string();
    for (i, (file, why)) in [
        ("../../outside/dep-1.0.0.tgz", "climbs out of it with `..`"),
        (absolute.as_str(), "is absolute"),
    ]
    .into_iter()
    .enumerate()
    {
        let root = staging.path().join(format!("case{i}"));
        let bp = one_dep_buildpack(&root, &simple("dep", bytes.clone()));
        let manifest = fs::read_to_string(bp.join("manifest.yml"))
            .unwrap()
            .replace("file: deps/dep-1.0.0.tgz", &format!("file: {file}"));
        fs::write(bp.join("manifest.yml"), manifest).unwrap();
        let run = staging.supply(&bp, "0");
        // Refused with the manifest's other errors, before anything is installed (exit 10).
        assert_eq!(run.code, 10, "{}", run.stderr);
        let line = error_line(&run.stderr);
        let start = format!(
            "       **ERROR** Unable to load buildpack manifest: {}:",
            bp.join("manifest.yml").display()
        );
        let end = format!(
            ": dependencies[0].file: `{file}` {why}, but it must name a file inside the buildpack; write the path from the buildpack's folder (the packager writes dependencies/<md5 of the uri>/<file name>)"
        );
        assert!(line.starts_with(&start) && line.ends_with(&end), "{line}");
        assert!(!staging.deps.join("0/dep").exists());
    }

    let bp = one_dep_buildpack(&staging.path().join("fifo"), &simple("dep", bytes.clone()));
    let fifo = bp.join("deps/dep-1.0.0.tgz");
    fs::remove_file(&fifo).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 14, "{}", run.stderr);
    assert_eq!(
        error_line(&run.stderr),
        format!(
            "       **ERROR** Could not install dep 1.0.0: cannot read the buildpack's file {} (manifest `file:` entry); package the buildpack again: it is not a regular file",
            fifo.display()
        )
    );
}

/// Files a phase only glances at (the previous staging's `CACHE_DIR/BUILDPACK_METADATA`, an
/// earlier supply's `DEPS_DIR/IDX/config.yml`) are read as regular files without waiting and
/// no further than a small limit: a fifo there once kept supply waiting for a writer for ever
/// (Ctrl-C included), and a link to `/dev/zero` read until memory ran out. Such a file is
/// passed over as an unreadable one is, and supply succeeds.
#[test]
fn a_fifo_or_endless_file_where_supply_reads_its_own_records_is_passed_over() {
    for (i, special) in ["fifo", "endless"].into_iter().enumerate() {
        let staging = Staging::new();
        let bytes = Tarball::new().script("bin/dep", "echo dep").tgz();
        let bp = one_dep_buildpack(
            &staging.path().join(format!("bp{i}")),
            &simple("dep", bytes),
        );
        fs::create_dir_all(staging.deps.join("0")).unwrap();
        for path in [
            staging.cache.join("BUILDPACK_METADATA"),
            staging.deps.join("0/config.yml"),
        ] {
            if special == "fifo" {
                let made = std::process::Command::new("mkfifo")
                    .arg(&path)
                    .status()
                    .unwrap();
                assert!(made.success());
            } else {
                std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
            }
        }
        let mut command = staging.command(&bp, "supply");
        command
            .args([&staging.app, &staging.cache, &staging.deps])
            .arg("0");
        let run = common::timed::run_within(&mut command, std::time::Duration::from_secs(60));
        assert_eq!(run.code, 0, "{special}: {}", run.stderr);
        assert!(
            fs::read_to_string(staging.deps.join("0/config.yml"))
                .unwrap()
                .contains("dep: 1.0.0"),
            "{special}"
        );
    }
}

/// A folder argument naming a file (or an ENV_DIR naming nothing) is refused before anything
/// is written, naming the argument and what to pass. It failed later with the system's words
/// alone: `cannot create the folder …/afile: File exists (os error 17)` for a PROFILE_DIR,
/// `cannot create the folder …/afile/0: Not a directory` for a DEPS_DIR, `cannot read the Heroku
/// ENV_DIR …: No such file or directory` for an ENV_DIR. (A CACHE_DIR that is a file is not
/// refused: a cached buildpack stages without writing to it, as with libbuildpack.)
#[test]
fn a_folder_argument_that_is_a_file_is_refused_naming_it() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz()),
    );
    let file = staging.path().join("afile");
    fs::write(&file, "a file").unwrap();
    let missing = staging.path().join("missing");
    // A DEPS_DIR whose DEPS_IDX entry is a file: supply said `cannot create the folder …/0:
    // File exists (os error 17)`, exit 15.
    let other_deps = staging.path().join("other-deps");
    fs::create_dir(&other_deps).unwrap();
    let idx_file = other_deps.join("0");
    fs::write(&idx_file, "a file").unwrap();
    let (app, cache, deps, file, missing, other_deps, idx_file) = (
        staging.app.to_str().unwrap(),
        staging.cache.to_str().unwrap(),
        staging.deps.to_str().unwrap(),
        file.to_str().unwrap(),
        missing.to_str().unwrap(),
        other_deps.to_str().unwrap(),
        idx_file.to_str().unwrap(),
    );
    let deps_fix = "pass the folder that holds every buildpack's deps (the platform creates it)";
    let profile_fix =
        "pass the folder for the launch scripts, or none (they then go to BUILD_DIR/.profile.d)";
    let env_fix = "pass Heroku's folder of environment variable files, or leave ENV_DIR out";
    let idx_fix = "remove that file: it is where supply installs this buildpack's dependencies, a folder it creates (as the platform does)";
    for (phase, args, name, value, problem, fix) in [
        (
            "supply",
            vec![app, cache, other_deps, "0"],
            "DEPS_DIR/DEPS_IDX",
            idx_file,
            "is not a folder",
            idx_fix,
        ),
        (
            "supply",
            vec![app, cache, file, "0"],
            "DEPS_DIR",
            file,
            "is not a folder",
            deps_fix,
        ),
        (
            "finalize",
            vec![app, cache, deps, "0", file],
            "PROFILE_DIR",
            file,
            "is not a folder",
            profile_fix,
        ),
        (
            "compile",
            vec![app, cache, file],
            "ENV_DIR",
            file,
            "is not a folder",
            env_fix,
        ),
        (
            "compile",
            vec![app, cache, missing],
            "ENV_DIR",
            missing,
            "does not exist",
            env_fix,
        ),
    ] {
        let run = common::bin::run(
            staging
                .command(&bp, phase)
                .env("CF_STACK", "cflinuxfs4")
                .args(&args),
        );
        assert_eq!(run.code, 1, "{phase} {args:?}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!("       **ERROR** Invalid {name}: `{value}` {problem}; {fix}\n"),
            "{phase} {args:?}"
        );
    }
    assert_eq!(fs::read_to_string(file).unwrap(), "a file");
    assert_eq!(fs::read_to_string(idx_file).unwrap(), "a file");
    assert_eq!(fs::read_dir(&staging.deps).unwrap().count(), 0);
}

/// Two stagings sharing one app cache: the one that ends first removes the cache entries it
/// did not use, and removed the folder the other was downloading into (its lock and its
/// `.part` file), failing that install with `Could not write …: No such file or directory`.
/// An entry whose lock another process holds is now left to it; one nobody holds is removed.
#[test]
fn cleaning_the_app_cache_leaves_an_entry_another_staging_is_downloading() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz()),
    );
    let busy = staging.cache.join("dependencies").join("a".repeat(64));
    let stale = staging.cache.join("dependencies").join("b".repeat(64));
    for dir in [&busy, &stale] {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(".other.tgz.lock"), "").unwrap();
        fs::write(dir.join(".other.tgz.x1y2.part"), "half a download").unwrap();
    }
    // The other staging, mid-download, holds its entry's lock.
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(busy.join(".other.tgz.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(busy.join(".other.tgz.x1y2.part").exists());
    assert!(!stale.exists());
    drop(lock);
}

/// `DEPS_DIR/IDX/bin` (or `lib`, `env`, `profile.d`) left by something else as a link to a
/// folder outside, or as a file: supply made its links in the folder the link named, and
/// removed as stale every other link there (a `bin -> /usr/local/bin` lost its links), or
/// stopped with `File exists`. These folders are supply's own, rewritten at every run, so what
/// is not a real folder there is replaced by one, and nothing outside DEPS_DIR is touched.
#[test]
fn a_link_or_file_where_supplys_own_folders_go_is_replaced_not_followed() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            extra: "  path: [bin]\n  env: {DEP_HOME: '{{dir}}'}\n",
            ..simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz())
        },
    );
    let outside = staging.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink("/bin/true", outside.join("precious")).unwrap();
    fs::write(outside.join("KEEP"), "outside").unwrap();
    let dep_dir = staging.deps.join("0");
    fs::create_dir_all(&dep_dir).unwrap();
    std::os::unix::fs::symlink(&outside, dep_dir.join("bin")).unwrap();
    std::os::unix::fs::symlink(&outside, dep_dir.join("env")).unwrap();
    fs::write(dep_dir.join("profile.d"), "a file").unwrap();
    let before = fs::read_dir(&outside).unwrap().count();
    let run = staging.supply(&bp, "0");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fs::read_dir(&outside).unwrap().count(), before);
    assert!(fs::symlink_metadata(outside.join("precious")).is_ok());
    assert_eq!(fs::read_to_string(outside.join("KEEP")).unwrap(), "outside");
    for folder in ["bin", "env", "profile.d"] {
        assert!(
            fs::symlink_metadata(dep_dir.join(folder)).unwrap().is_dir(),
            "{folder}"
        );
    }
    assert_eq!(
        fs::read_link(dep_dir.join("bin/dep")).unwrap(),
        Path::new("../dep/bin/dep")
    );
    assert!(dep_dir.join("env/DEP_HOME").is_file());
}

/// The app cache is bpkit's own, and on the platform an app's user cannot reach into it: a
/// folder, a fifo or a dangling link where a cached file goes (or a file where its folder
/// goes) failed every later staging ('it is a folder, not a regular file; remove it'). It is
/// now warned about, removed and the dependency fetched again, as a cached file that fails
/// verification is. (A file at `CACHE_DIR/dependencies` is left alone: it may be the app's,
/// when CACHE_DIR is given as the app's folder by a slip.)
#[test]
fn an_app_cache_entry_that_is_not_a_file_is_replaced() {
    let staging = Staging::new();
    let bytes = Tarball::new().script("bin/dep", "echo dep").tgz();
    let source = staging.path().join("served/dep-1.0.0.tgz");
    fs::create_dir_all(source.parent().unwrap()).unwrap();
    fs::write(&source, &bytes).unwrap();
    let uri = format!("file://{}", source.display());
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            uri: Some(uri.clone()),
            ..simple("dep", bytes.clone())
        },
    );
    let entry_dir = staging
        .cache
        .join("dependencies")
        .join(sha256(uri.as_bytes()));
    let entry = entry_dir.join("dep-1.0.0.tgz");
    let cases: [(&str, &dyn Fn(), &Path, &str); 4] = [
        (
            "folder",
            &|| fs::create_dir_all(entry.join("x")).unwrap(),
            &entry,
            "a folder",
        ),
        (
            "fifo",
            &|| {
                let made = std::process::Command::new("mkfifo")
                    .arg(&entry)
                    .status()
                    .unwrap();
                assert!(made.success());
            },
            &entry,
            "a fifo",
        ),
        (
            "dangling link",
            &|| std::os::unix::fs::symlink("/nonexistent", &entry).unwrap(),
            &entry,
            "a link to nothing",
        ),
        (
            "entry folder a file",
            &|| fs::write(&entry_dir, "x").unwrap(),
            &entry_dir,
            "a file",
        ),
    ];
    for (case, make, odd, what) in cases {
        let _ = fs::remove_dir_all(&staging.cache);
        fs::create_dir_all(&entry_dir).unwrap();
        if odd != entry {
            fs::remove_dir_all(odd).unwrap();
        }
        make();
        let run = staging.supply(&bp, "0");
        assert_eq!(run.code, 0, "{case}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "**WARNING** The app cache's {} is {what}, not the {} bpkit keeps there; removing it and fetching the dependency again.",
                odd.display(),
                if odd == entry { "file" } else { "folder" }
            )),
            "{case}: {}",
            run.stderr
        );
        assert_eq!(fs::read(&entry).unwrap(), bytes, "{case}");
    }
}

/// An app pushed with a file named `.cloudfoundry` or `.profile.d`, where compile makes its
/// folders: refused naming it, where compile failed with the system's words alone (`cannot
/// create the folder …/.profile.d: File exists (os error 17)`).
#[test]
fn compile_refuses_an_app_with_a_file_where_its_folders_go() {
    for (i, name) in [".cloudfoundry", ".profile.d"].into_iter().enumerate() {
        let staging = Staging::new();
        let bp = one_dep_buildpack(
            &staging.path().join(format!("bp{i}")),
            &simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz()),
        );
        fs::write(staging.app.join(name), "a file").unwrap();
        let run = staging.compile(&bp, None);
        assert_eq!(run.code, 13, "{name}: {}", run.stderr);
        assert_eq!(
            error_line(&run.stderr),
            format!(
                "       **ERROR** BUILD_DIR/{name} is a file; compile writes the app's dependencies and launch scripts into that folder of the app: remove {name} from the app (or list it in .cfignore)"
            ),
        );
    }
}

/// compile installs into the app's own `.cloudfoundry/0` and writes `.profile.d`: an app
/// pushed with one of them as a symbolic link had compile install, link and write where the
/// link pointed, outside the app, and remove what an earlier run's `config.yml` there named
/// (an app's `.cloudfoundry -> /elsewhere` with a `0/config.yml` listing `stuff` removed
/// `/elsewhere/0/stuff`); the droplet then held a dangling link. Refused, naming the link.
#[test]
fn compile_refuses_an_app_whose_deps_or_profile_folder_is_a_link() {
    for (i, link) in [".cloudfoundry", ".cloudfoundry/0", ".profile.d"]
        .into_iter()
        .enumerate()
    {
        let staging = Staging::new();
        let bp = one_dep_buildpack(
            &staging.path().join(format!("bp{i}")),
            &simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz()),
        );
        // A line break in the link's target is written as `\n`: the error stays one line.
        let outside = staging.path().join("out\nside");
        fs::create_dir_all(outside.join("0/stuff")).unwrap();
        fs::write(outside.join("0/stuff/data"), "precious").unwrap();
        fs::write(
            outside.join("0/config.yml"),
            "name: x\nversion: 1\nconfig:\n  dependencies:\n    stuff: 1\n",
        )
        .unwrap();
        fs::create_dir_all(staging.app.join(".cloudfoundry")).unwrap();
        if link == ".cloudfoundry" {
            fs::remove_dir(staging.app.join(link)).unwrap();
        }
        std::os::unix::fs::symlink(&outside, staging.app.join(link)).unwrap();
        let before = staging.tree();
        let run = staging.compile(&bp, None);
        assert_eq!(run.code, 13, "{link}: {}", run.stderr);
        assert_eq!(
            error_line(&run.stderr),
            format!(
                "       **ERROR** BUILD_DIR/{link} is a symbolic link (to {}/out\\nside); compile writes the app's dependencies and launch scripts into that folder of the app, and would write and remove files where the link points: remove {link} from the app (or list it in .cfignore)",
                staging.path().display()
            ),
            "{link}"
        );
        assert_eq!(staging.tree(), before, "{link}");
    }
}

/// finalize without a PROFILE_DIR (none, or an empty one, as the official `bin/compile` passes
/// it) writes the launch scripts into the app's `.profile.d`: one that is a link had them
/// written, and stale copies removed, where the link points, outside the app. Refused as
/// compile refuses it (exit 13), with nothing written.
#[test]
fn finalize_without_a_profile_dir_refuses_an_app_whose_profile_d_is_a_link() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            extra: "  path: [bin]\nlaunch_env:\n  A: b\n",
            ..simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz())
        },
    );
    let outside = staging.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, staging.app.join(".profile.d")).unwrap();
    assert_eq!(staging.supply(&bp, "0").code, 0);
    for profile_dir in [None, Some("")] {
        let before = staging.tree();
        let run = common::bin::run(
            staging
                .command(&bp, "finalize")
                .env("CF_STACK", "cflinuxfs4")
                .arg(&staging.app)
                .arg(&staging.cache)
                .arg(&staging.deps)
                .arg("0")
                .args(profile_dir),
        );
        assert_eq!(run.code, 13, "{}", run.stderr);
        assert_eq!(
            error_line(&run.stderr),
            format!(
                "       **ERROR** BUILD_DIR/.profile.d is a symbolic link (to {}); finalize writes the launch scripts into that folder of the app when no PROFILE_DIR is given, and would write and remove files where the link points: remove .profile.d from the app (or list it in .cfignore)",
                outside.display()
            )
        );
        assert_eq!(staging.tree(), before);
    }
    // With the platform's PROFILE_DIR, the app's `.profile.d` is not written to.
    let run = staging.finalize(&bp, "0");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);
}

/// Whether the tests run as root, and a runner of `bp`'s phases on cflinuxfs4, as `nobody`
/// when they do: root writes through any mode, so what a user meets with a folder they may
/// not write to needs another user.
fn as_a_user(bp: &Path) -> (bool, impl Fn(&str, &[&Path]) -> Run + '_) {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout == b"0\n");
    let phase = move |name: &str, args: &[&Path]| {
        let program = bp.join("bin").join(name);
        let mut command = if root {
            let mut command = common::bin::command_for(Path::new("setpriv"));
            command
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&program);
            command
        } else {
            common::bin::command_for(&program)
        };
        command
            .env("CF_STACK", "cflinuxfs4")
            .env_remove("BUILDPACK_DIR");
        common::bin::run(command.args(args))
    };
    (root, phase)
}

/// A DEPS_DIR/IDX the user may not write to: the error said `at path "…/.dep.bpkit-YuKseo"`,
/// tempfile's random name, between the system's words and the fix.
#[test]
fn a_deps_folder_that_cannot_be_written_is_named_without_a_temporary_name() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz()),
    );
    let idx = staging.deps.join("0");
    fs::create_dir_all(&idx).unwrap();
    let (root, phase) = as_a_user(&bp);
    let chmod = |mode: &str, path: &Path| {
        let changed = std::process::Command::new("chmod")
            .arg(mode)
            .arg(path)
            .status()
            .unwrap();
        assert!(changed.success());
    };
    if root {
        // Everything the user's but DEPS_DIR/0, root's own.
        for path in [staging.path(), &staging.app, &staging.cache, &staging.deps] {
            chmod("a+rwx", path);
        }
        let opened = std::process::Command::new("chmod")
            .arg("-R")
            .arg("a+rX")
            .arg(&bp)
            .status()
            .unwrap();
        assert!(opened.success());
    } else {
        chmod("a-w", &idx);
    }
    let run = phase(
        "supply",
        &[&staging.app, &staging.cache, &staging.deps, Path::new("0")],
    );
    chmod("u+w", &idx);
    assert_eq!(run.code, 14, "{}", run.stderr);
    assert_eq!(
        error_line(&run.stderr),
        format!(
            "       **ERROR** cannot create a folder in {}: Permission denied (os error 13); let the user staging the app write there (check its owner, mode and `lsattr` flags)",
            idx.display()
        )
    );
}

/// A hard link to a file its owner may not read (an execute-only program, mode 0111): hard
/// links are extracted as copies, and the copy could not read its source ("cannot write entry
/// … Permission denied") where GNU tar links it without reading it. Root reads any file, so as
/// root the phase runs as `nobody` here.
#[test]
fn a_hard_link_to_a_file_its_owner_may_not_read_is_extracted() {
    use std::os::unix::fs::PermissionsExt;
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple(
            "dep",
            Tarball::new()
                .dir("bin/")
                .file("bin/tool", 0o111, "#!/bin/sh\necho tool\n")
                .hard_link("bin/tool-again", "bin/tool")
                .tgz(),
        ),
    );
    fs::create_dir_all(staging.deps.join("0")).unwrap();
    let (root, phase) = as_a_user(&bp);
    if root {
        let opened = std::process::Command::new("chmod")
            .arg("-R")
            .arg("a+rwX")
            .arg(staging.path())
            .status()
            .unwrap();
        assert!(opened.success());
    }
    let run = phase(
        "supply",
        &[&staging.app, &staging.cache, &staging.deps, Path::new("0")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in ["tool", "tool-again"] {
        let meta = fs::metadata(staging.deps.join("0/dep/bin").join(name)).unwrap();
        assert_eq!(
            (meta.permissions().mode() & 0o777, meta.len()),
            (0o111, 20),
            "{name}"
        );
    }
}

/// supply run again over its own earlier install could not remove it when a build command had
/// left read-only folders in it (Go's module cache under `{{dir}}`, made 0555 by `go mod
/// download`): "cannot remove …: Permission denied", though the tree is the user's own (as
/// `rm -rf` fails there too). Root writes through any mode, so as root the phases run as
/// `nobody` here.
#[test]
fn supply_again_removes_an_install_holding_read_only_folders() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            extra: "  env:\n    GOMODCACHE: '{{dir}}/mod'\nbuild:\n- mkdir -p \"$GOMODCACHE/x@v1/y\" && touch \"$GOMODCACHE/x@v1/y/f\" && chmod -R a-w \"$GOMODCACHE\"\n",
            ..simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz())
        },
    );
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout == b"0\n");
    let phase = |name: &str, args: &[&Path]| {
        let program = bp.join("bin").join(name);
        let mut command = if root {
            let mut command = common::bin::command_for(Path::new("setpriv"));
            command
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&program);
            command
        } else {
            common::bin::command_for(&program)
        };
        command
            .env("CF_STACK", "cflinuxfs4")
            .env_remove("BUILDPACK_DIR");
        common::bin::run(command.args(args))
    };
    fs::create_dir_all(staging.deps.join("0")).unwrap();
    if root {
        let opened = std::process::Command::new("chmod")
            .arg("-R")
            .arg("a+rwX")
            .arg(staging.path())
            .status()
            .unwrap();
        assert!(opened.success());
    }
    let dirs = [
        staging.app.as_path(),
        staging.cache.as_path(),
        staging.deps.as_path(),
        Path::new("0"),
    ];
    let supply = phase("supply", &dirs);
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    let mut with_profile = dirs.to_vec();
    with_profile.push(staging.profile.as_path());
    let finalize = phase("finalize", &with_profile);
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert!(staging.deps.join("0/dep/mod/x@v1/y/f").exists());
    let again = phase("supply", &dirs);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(staging.deps.join("0/dep/bin/dep").exists());
    assert!(!staging.deps.join("0/dep/mod").exists());
}

/// The app cache's clean-up removes only what bpkit could have put there, a folder named by a
/// sha256: `supply APP APP DEPS 0` (CACHE_DIR given as the app's folder, a slip when running
/// a phase by hand) removed every file of the app's own `dependencies/` folder as an unused
/// cache entry.
#[test]
fn cleaning_the_app_cache_removes_only_what_bpkit_put_there() {
    let staging = Staging::new();
    let bytes = Tarball::new().script("bin/dep", "echo dep").tgz();
    let source = staging.path().join("served/dep-1.0.0.tgz");
    fs::create_dir_all(source.parent().unwrap()).unwrap();
    fs::write(&source, &bytes).unwrap();
    let bp = one_dep_buildpack(
        staging.path(),
        &Dep {
            uri: Some(format!("file://{}", source.display())),
            ..simple("dep", bytes.clone())
        },
    );
    let mine = staging.app.join("dependencies/mine");
    fs::create_dir_all(&mine).unwrap();
    fs::write(mine.join("index.js"), "the app's code").unwrap();
    fs::write(
        staging.app.join("dependencies/notes.txt"),
        "the app's notes",
    )
    .unwrap();
    let unused = staging.app.join("dependencies").join("c".repeat(64));
    fs::create_dir_all(&unused).unwrap();
    fs::create_dir_all(staging.deps.join("0")).unwrap();
    let run = common::bin::run(
        staging
            .command(&bp, "supply")
            .args([&staging.app, &staging.app, &staging.deps])
            .arg("0"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(mine.join("index.js")).unwrap(),
        "the app's code"
    );
    assert!(staging.app.join("dependencies/notes.txt").exists());
    assert!(!unused.exists());
}

/// A DEPS_IDX of more digits than a buildpack's position ever has is refused before anything
/// is written, naming it, with the usage exit code. Three hundred digits failed with the
/// system's words alone (`File name too long (os error 36)`); the zero-padded positions the
/// platform passes (`00`) are still taken.
#[test]
fn a_deps_idx_too_long_for_a_position_is_refused_and_a_zero_padded_one_is_taken() {
    let staging = Staging::new();
    let bp = one_dep_buildpack(
        staging.path(),
        &simple("dep", Tarball::new().script("bin/dep", "echo dep").tgz()),
    );
    let long = "1".repeat(300);
    let (app, cache, deps) = (
        staging.app.to_str().unwrap(),
        staging.cache.to_str().unwrap(),
        staging.deps.to_str().unwrap(),
    );
    for (phase, args) in [
        ("supply", vec![app, cache, deps, long.as_str()]),
        ("finalize", vec![app, cache, deps, long.as_str()]),
        ("supply", vec![app, cache, deps, "0000000001"]),
    ] {
        let run = common::bin::run(
            staging
                .command(&bp, phase)
                .env("CF_STACK", "cflinuxfs4")
                .args(&args),
        );
        assert_eq!(run.code, 1, "{phase} {args:?}: {}", run.stderr);
        let (shown, digits) = if args[3].len() > 12 {
            ("111111111111…", 300)
        } else {
            ("0000000001", 10)
        };
        assert_eq!(
            run.stderr,
            format!(
                "       **ERROR** Invalid DEPS_IDX: `{shown}` has {digits} digits, more than a buildpack's position ever has (at most 9); pass this buildpack's position in the buildpack list (0, 1, …), as the platform does\n"
            ),
            "{phase} {args:?}"
        );
        assert_eq!(fs::read_dir(&staging.deps).unwrap().count(), 0);
    }
    for idx in ["00", "000000001"] {
        let supply = staging.supply(&bp, idx);
        assert_eq!(supply.code, 0, "{idx}: {}", supply.stderr);
        assert!(
            staging.deps.join(idx).join("dep/bin/dep").is_file(),
            "{idx}"
        );
    }
}
