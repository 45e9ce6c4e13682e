//! A disk that fills up, simulated with the file-size limit (`ulimit -f`, RLIMIT_FSIZE): every
//! write past it fails with EFBIG. bpkit ignores SIGXFSZ itself (the test shell does not), so it
//! reports the failure instead of being killed mid-write. Whether the zip, a download into the
//! dependency cache or an extraction runs into the limit, bpkit exits non-zero with one line
//! naming the file and the limit, leaves no partial zip, `.part` file, cache entry or
//! half-extracted dependency behind, and the same command succeeds once the limit is gone.
#![allow(clippy::unwrap_used, clippy::case_sensitive_file_extension_comparisons)] // names bpkit writes

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::bin::{Run, bpkit_path, run};
use common::buildpack::{isolated, list_files, sha256_hex, write};
use common::tarball::Tarball;

/// The limit, in the 512-byte blocks of dash's `ulimit -f` (bash counts 1024-byte ones): 128 or
/// 256 KiB, far below the 1 MiB files below and far above everything else bpkit writes.
const LIMIT_BLOCKS: u32 = 256;
const BIG: usize = 1 << 20;

/// `command` (a bpkit command) run by `sh` under the file-size limit, SIGXFSZ left at its
/// default action: a bpkit that did not ignore it would be killed by the first write past it.
fn limited(command: &Command) -> Command {
    limited_to(LIMIT_BLOCKS, command)
}

/// `bpkit stage APP -b BP --out OUT`, from `root` and with `root` as HOME.
fn stage_command(root: &Path, app: &Path, bp: &Path, out: &Path) -> Command {
    let mut stage = Command::new(bpkit_path());
    stage
        .env("NO_COLOR", "1")
        .env("HOME", root)
        .current_dir(root)
        .arg("stage")
        .arg(app)
        .arg("-b")
        .arg(bp)
        .arg("--out")
        .arg(out);
    stage
}

/// [`limited`] with a limit of `blocks` 512-byte blocks.
fn limited_to(blocks: u32, command: &Command) -> Command {
    common::bin::after_sh(&format!("ulimit -f {blocks}"), command)
}

/// Bytes that do not compress (xorshift), so the zip holding them is as large as they are.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// A buildpack whose one dependency `big` is the file `bytes`, served from `file://`.
fn buildpack(root: &Path, bytes: &[u8]) -> PathBuf {
    let served = write(root, "served/big-1.0.0-linux-x64.tgz", bytes);
    let dir = root.join("bp");
    write(&dir, "VERSION", "1.0.0\n");
    write(
        &dir,
        "manifest.yml",
        format!(
            "---\nlanguage: big\ndependencies:\n- name: big\n  version: 1.0.0\n  uri: file://{}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\ninclude_files: [manifest.yml, VERSION]\ninstall:\n- name: big\n",
            served.display(),
            sha256_hex(bytes)
        ),
    );
    dir
}

/// The one `bpkit: error:` / `**ERROR**` line of a failed run (narration before it aside).
fn error_line(run: &Run) -> &str {
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.contains("error:") || line.contains("**ERROR**"))
        .collect();
    assert_eq!(errors.len(), 1, "one error line: {}", run.stderr);
    errors[0]
}

#[track_caller]
fn assert_failed_on_the_limit(run: &Run, file: &str) {
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // Nothing the zip crate (or anything else) prints on its own.
    assert!(!run.stderr.contains("ZipWriter"), "{}", run.stderr);
    let line = error_line(run);
    assert!(line.contains(file), "names {file}: {line}");
    assert!(
        line.contains("File too large") && line.contains("file-size limit (`ulimit -f`)"),
        "{line}"
    );
}

#[test]
fn a_cached_zip_past_the_limit_leaves_no_partial_zip() {
    let root = tempfile::tempdir().unwrap();
    let cache = root.path().join("cache");
    let dir = buildpack(root.path(), &noise(BIG));
    let out = root.path().join("out");
    fs::create_dir(&out).unwrap();
    // The dependency is in the cache already: only the zip grows past the limit.
    run(isolated(&cache).arg("fetch").arg(&dir)).assert_code(0);
    let mut package = isolated(&cache);
    package
        .args(["package", "--cached", "--output-dir"])
        .arg(&out)
        .arg(&dir);

    let failed = run(&mut limited(&package));
    let zip = out.join("big_buildpack-cached-v1.0.0.zip");
    assert_failed_on_the_limit(&failed, &zip.display().to_string());
    assert!(failed.stdout.is_empty());
    assert_eq!(list_files(&out), Vec::<String>::new(), "no zip, no .part");

    let passed = run(&mut package);
    passed.assert_code(0);
    assert_eq!(passed.stdout.trim(), zip.display().to_string());
    assert!(fs::metadata(&zip).unwrap().len() > BIG as u64);
}

#[test]
fn a_download_past_the_limit_leaves_no_part_file_or_cache_entry() {
    let root = tempfile::tempdir().unwrap();
    let cache = root.path().join("cache");
    let dir = buildpack(root.path(), &noise(BIG));
    let mut fetch = isolated(&cache);
    fetch.arg("fetch").arg(&dir);

    let failed = run(&mut limited(&fetch));
    assert_failed_on_the_limit(&failed, "big-1.0.0-linux-x64.tgz");
    // Nothing stays, not even the entry's lock file.
    assert_eq!(list_files(&cache), Vec::<String>::new());

    let passed = run(&mut fetch);
    passed.assert_code(0);
    let entries: Vec<String> = list_files(&cache)
        .into_iter()
        .filter(|f| f.ends_with("/big-1.0.0-linux-x64.tgz"))
        .collect();
    assert_eq!(entries.len(), 1, "{:?}", list_files(&cache));
    assert_eq!(
        fs::metadata(cache.join(&entries[0])).unwrap().len(),
        BIG as u64
    );
}

#[test]
fn an_extraction_past_the_limit_leaves_no_half_installed_dependency() {
    let root = tempfile::tempdir().unwrap();
    // A small download that extracts to a file past the limit.
    let tgz = Tarball::new()
        .bytes("bin/blob", 0o644, &vec![0u8; BIG])
        .tgz();
    assert!(tgz.len() < 64 << 10);
    let dir = buildpack(root.path(), &tgz);
    let (build, cache, deps) = (
        root.path().join("app"),
        root.path().join("cache"),
        root.path().join("deps"),
    );
    for folder in [&build, &cache, &deps] {
        fs::create_dir(folder).unwrap();
    }
    let mut supply = Command::new(bpkit_path());
    supply
        .env("NO_COLOR", "1")
        .env("CF_STACK", "cflinuxfs4")
        .env("BUILDPACK_DIR", &dir)
        .env("HOME", root.path())
        .env_remove("BPKIT_MIRRORS")
        .arg("supply")
        .args([&build, &cache, &deps])
        .arg("0");

    let failed = run(&mut limited(&supply));
    assert_failed_on_the_limit(&failed, "\"bin/blob\"");
    assert!(failed.stderr.contains("Could not install big 1.0.0"));
    assert_eq!(
        list_files(&deps),
        Vec::<String>::new(),
        "nothing half-extracted"
    );
    assert!(
        !list_files(&cache).iter().any(|f| f.ends_with(".part")),
        "{:?}",
        list_files(&cache)
    );

    run(&mut supply).assert_code(0);
    assert_eq!(
        fs::metadata(deps.join("0/big/bin/blob")).unwrap().len(),
        BIG as u64
    );
}

/// `bpkit init` that runs out of room removes what it had written, so the same command can
/// simply be run again (half a buildpack made it refuse: `… already exists`).
#[test]
fn an_init_past_the_limit_leaves_no_half_buildpack() {
    let root = tempfile::tempdir().unwrap();
    let existing = root.path().join("existing");
    write(&existing, "notes.txt", "mine\n");
    // Given as an absolute path below a folder that exists and is empty: the folders made
    // are removed, not that one, nor those above it.
    let empty = root.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let nested = empty.join("new/demo");
    for (args, dir) in [
        (vec!["init", "demo"], root.path().join("demo")),
        (vec!["init", "demo", "existing"], existing.clone()),
        (
            vec!["init", "demo", nested.to_str().unwrap()],
            nested.clone(),
        ),
    ] {
        let mut init = Command::new(bpkit_path());
        init.env("NO_COLOR", "1")
            .current_dir(root.path())
            .args(&args);
        // 4 or 8 KiB: the new README is larger.
        let failed = run(&mut limited_to(8, &init));
        assert_failed_on_the_limit(&failed, "cannot write ");
        if dir == existing {
            assert_eq!(list_files(&dir), ["notes.txt"], "only what was there");
        } else {
            assert!(!dir.exists(), "{:?}", list_files(&dir));
        }
        if dir == nested {
            assert!(!empty.join("new").exists());
            assert!(empty.is_dir(), "a folder that was there was removed");
        }
        run(&mut init).assert_code(0);
        assert!(dir.join("manifest.yml").is_file());
    }
}

/// `bpkit stage` whose droplet.tgz, then cache.tgz, grows past the limit: the one error line
/// names the archive and the limit (not the bare `File too large (os error 27)` after the
/// builder's `Failed to compress …`), and neither archive nor its `.part` file is left.
#[test]
fn a_droplet_or_cache_past_the_limit_is_named_with_the_fix() {
    let root = tempfile::tempdir().unwrap();
    // A script buildpack whose compile copies its `noise/` into the build cache when the app
    // asks (staging passes the phases the platform's environment, not the test's).
    let bp = root.path().join("bp");
    write(&bp, "bin/detect", "#!/bin/sh\necho noisy\n");
    write(
        &bp,
        "bin/compile",
        "#!/bin/sh\nset -e\nif [ -f \"$1/fill-cache\" ]; then cp \"$(dirname \"$0\")\"/../noise/* \"$2\"/; fi\n",
    );
    write(
        &bp,
        "bin/release",
        "#!/bin/sh\necho '---'\necho 'default_process_types:'\necho '  web: sleep 1'\n",
    );
    for script in ["detect", "compile", "release"] {
        common::buildpack::chmod(&bp.join("bin").join(script), 0o755);
    }
    // Three files of 100 KiB each fit under the limit (at least 128 KiB) one by one; their
    // archive (they do not compress) does not.
    let noise = noise(300 << 10);
    let (small, big) = (root.path().join("small"), root.path().join("big"));
    write(&small, "fill-cache", "yes\n");
    for (i, part) in noise.chunks(100 << 10).enumerate() {
        write(&big, &format!("part{i}"), part);
        write(&bp, &format!("noise/part{i}"), part);
    }
    for (app, file) in [(&big, "droplet.tgz"), (&small, "cache.tgz")] {
        let out = root.path().join(format!("out-{file}"));
        let mut stage = stage_command(root.path(), app, &bp, &out);

        let failed = run(&mut limited(&stage));
        assert_eq!(failed.code, 1, "{}", failed.stderr);
        assert_failed_on_the_limit(
            &failed,
            &format!("cannot write {}", out.join(file).display()),
        );
        let left = list_files(&out);
        assert!(
            !left
                .iter()
                .any(|f| f.contains("droplet.tgz") || f.contains("cache.tgz")),
            "{left:?}"
        );

        run(&mut stage).assert_code(0);
        assert!(fs::metadata(out.join(file)).unwrap().len() > 300 << 10);
    }
}

/// An app file past the limit stops the copy into the staging folder, named as such (the
/// limit is the staging folder's problem, not the app folder's, which is only read).
#[test]
fn an_app_past_the_limit_names_the_staging_folder() {
    let root = tempfile::tempdir().unwrap();
    let bp = root.path().join("bp");
    for script in ["detect", "compile", "release"] {
        let path = write(&bp, &format!("bin/{script}"), "#!/bin/sh\n");
        common::buildpack::chmod(&path, 0o755);
    }
    let app = root.path().join("app");
    write(&app, "big", noise(BIG));
    let out = root.path().join("out");
    let stage = stage_command(root.path(), &app, &bp, &out);
    let failed = run(&mut limited(&stage));
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert_failed_on_the_limit(&failed, "cannot copy the app into the staging folder ");
    assert!(error_line(&failed).contains(&app.join("big").display().to_string()));
    assert!(!out.join("droplet.tgz").exists());
}
