//! `bpkit verify ZIP` finds what would break a buildpack on the platform (issue 3), and
//! `bpkit summary` / `list` / `defaults` print their tables and JSON.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs::File;
use std::io::Write;
use std::path::Path;

use common::bin::{Run, bpkit, repo_root, run};
use common::buildpack::sha256_hex;
use common::zipball::zip_bomb;
use zip::write::SimpleFileOptions;

/// Write a zip of (name, unix mode, bytes); mode 0o120777 makes a symlink.
fn make_zip(path: &Path, entries: &[(&str, u32, &[u8])]) {
    let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
    for (name, mode, data) in entries {
        let options = SimpleFileOptions::default().unix_permissions(*mode);
        if mode & 0o170_000 == 0o120_000 {
            zip.add_symlink(*name, String::from_utf8_lossy(data), options)
                .unwrap();
        } else {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
    }
    zip.finish().unwrap();
}

/// An ELF file carrying bpkit's mark: what `bpkit verify` takes for the bpkit binary (an
/// x86_64 one, static: its header and no program headers).
fn bpkit_elf() -> Vec<u8> {
    let mut header = [0u8; 64];
    header[..8].copy_from_slice(b"\x7fELF\x02\x01\x01\0");
    header[18..20].copy_from_slice(&62u16.to_le_bytes());
    [
        &header[..],
        b"rest of a binary ",
        bpkit::packager::shim::BINARY_MARKER,
    ]
    .concat()
}

#[test]
fn a_broken_zip_gets_every_finding() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp
        .path()
        .join("demo_buildpack-cached-cflinuxfs4-v1.0.0.zip");
    let good = b"the real tarball".as_slice();
    let manifest = format!(
        "---\nlanguage: demo\nstack: cflinuxfs4\ndependencies:\n- name: a\n  version: 1.0.0\n  uri: https://e/a.tgz\n  sha256: {}\n  file: dependencies/x/a.tgz\n- name: b\n  version: 2.0.0\n  uri: https://e/b.tgz\n  sha256: {}\n  file: dependencies/y/b.tgz\n  cf_stacks: [cflinuxfs3]\n",
        sha256_hex(good),
        sha256_hex(b"b")
    );
    make_zip(
        &zip,
        &[
            ("manifest.yml", 0o644, manifest.as_bytes()),
            ("VERSION", 0o644, b"1.0.0"),
            ("bin/bpkit", 0o755, b"#!/bin/sh\n# bootstrap\n"),
            ("bin/detect", 0o644, b"#!/bin/sh\n"),
            ("bin/release", 0o755, b"#!/bin/sh\n"),
            ("bin/escape", 0o120_777, b"../../etc/passwd"),
            ("dependencies/x/a.tgz", 0o644, b"a tampered tarball"),
            ("dependencies/z/stray.tgz", 0o644, b"?"),
        ],
    );
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_eq!(result.code, 1);
    let z = zip.display();
    assert_eq!(
        result.stdout,
        format!(
            "{z}: error: bin/detect is not executable (mode 644); the platform cannot run it (staging fails with exit 223); package with `bpkit package`, which makes bin/* 0755\n\
             {z}: error: symlink bin/escape points to `../../etc/passwd`, outside the buildpack; make it a relative link to a file in the buildpack, or put the file itself there\n\
             {z}: error: there is neither bin/compile nor bin/finalize; one of them builds the app\n\
             {z}: error: bin/bpkit is a script (the git checkout's bootstrap), not the bpkit binary; build the zip with `bpkit package`, which puts the binary there\n\
             {z}: error: dependencies[1] (b 2.0.0) is for cflinuxfs3, but the zip is for stack cflinuxfs4; package again with `--stack cflinuxfs4`, which leaves it out\n\
             {z}: error: dependencies[0] (a 1.0.0): `dependencies/x/a.tgz`: sha256 mismatch: expected {}, got {}; the zip holds another file than the manifest names (changed after packaging): package it again\n\
             {z}: error: dependencies[1] (b 2.0.0): file `dependencies/y/b.tgz` is not in the zip; package it again (`bpkit package --cached`), which puts every `file:` in it\n\
             {z}: warning: dependencies/z/stray.tgz is in the zip but no dependency's `file:` names it\n",
            sha256_hex(good),
            sha256_hex(b"a tampered tarball")
        )
    );
    assert_eq!(result.stderr, format!("-----> {z}: 7 errors, 1 warning\n"));

    let json = run(bpkit().args(["verify", "--json"]).arg(&zip));
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["valid"], false);
    assert_eq!(value["errors"], 7);
    assert_eq!(
        (&value["success"], &value["exit_code"], &value["error"]),
        (
            &serde_json::json!(false),
            &serde_json::json!(1),
            &serde_json::json!(format!("{z}: 7 errors, 1 warning"))
        )
    );
}

/// A zip whose bin/bpkit is an executable but not bpkit (another program given as `--binary`,
/// or a zip made by hand) would run that program as every phase: an error naming the fix.
#[test]
fn a_bin_bpkit_that_is_not_bpkit_is_an_error() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("other.zip");
    let shim = b"#!/bin/sh\nexec \"$BUILDPACK_DIR/bin/bpkit\" detect \"$@\"\n";
    make_zip(
        &zip,
        &[
            ("manifest.yml", 0o644, b"---\nlanguage: other\n"),
            ("VERSION", 0o644, b"1.0.0"),
            (
                "bin/bpkit",
                0o755,
                b"\x7fELF\x02\x01\x01\0some other program",
            ),
            ("bin/detect", 0o755, shim),
            ("bin/finalize", 0o755, shim),
            ("bin/release", 0o755, shim),
        ],
    );
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_eq!(
        (result.code, result.stdout),
        (
            1,
            format!(
                "{}: error: bin/bpkit is an executable, but not bpkit (it lacks the mark every bpkit binary carries); build the zip with `bpkit package --binary` given the bpkit binary\n",
                zip.display()
            )
        )
    );
}

/// A bpkit binary needing a newer glibc than the zip's stacks have (built on a newer Ubuntu),
/// or built for another machine, would fail every phase there at staging (as any Linux binary
/// on a Windows stack): a warning naming the stacks, the zip still valid.
/// The zip's `stack:` decides, else the stacks its dependencies name.
#[cfg(all(target_arch = "x86_64", target_env = "gnu"))]
#[test]
fn a_binary_that_cannot_start_on_the_zips_stacks_is_a_warning() {
    let temp = tempfile::tempdir().unwrap();
    let newer = common::buildpack::bpkit_renaming(b"GLIBC_2.2.5\0", b"GLIBC_9.9.9\0");
    let none = common::buildpack::bpkit_renaming(b"GLIBC_", b"GLIBX_");
    let verify = |binary: &[u8], stack: &str, stacks: &str| {
        let zip = temp.path().join("bp.zip");
        let manifest = format!(
            "---\nlanguage: bp\n{stack}dependencies:\n- name: a\n  version: 1.0.0\n  uri: https://e/a.tgz\n  sha256: {}\n  cf_stacks: [{stacks}]\n",
            "a".repeat(64)
        );
        make_zip(
            &zip,
            &[
                ("manifest.yml", 0o644, manifest.as_bytes()),
                ("VERSION", 0o644, b"1.0.0"),
                ("bin/bpkit", 0o755, binary),
                ("bin/detect", 0o120_777, b"bpkit"),
                ("bin/finalize", 0o120_777, b"bpkit"),
                ("bin/release", 0o120_777, b"bpkit"),
            ],
        );
        let result = run(bpkit().arg("verify").arg(&zip));
        assert_eq!(result.code, 0, "{}", result.stdout);
        result.stdout.replace(&format!("{}: ", zip.display()), "")
    };
    let fix = "pass --binary a static build (`cargo build --release --target x86_64-unknown-linux-musl`), or one built on Ubuntu";
    assert_eq!(
        verify(&newer, "stack: cflinuxfs4\n", "cflinuxfs4"),
        format!(
            "warning: bin/bpkit needs glibc 9.9.9; cflinuxfs4 (Ubuntu 22.04) has glibc 2.35: every phase would fail there (version `GLIBC_9.9.9' not found); {fix} 22.04\n"
        )
    );
    assert_eq!(
        verify(&newer, "", "cflinuxfs5, other"),
        format!(
            "warning: bin/bpkit needs glibc 9.9.9; cflinuxfs5 (Ubuntu 24.04) has glibc 2.39: every phase would fail there (version `GLIBC_9.9.9' not found); {fix} 24.04\n"
        )
    );
    let mut aarch64 = newer.clone();
    aarch64[18..20].copy_from_slice(&183u16.to_le_bytes());
    assert_eq!(
        verify(&aarch64, "stack: cflinuxfs4\n", "cflinuxfs4"),
        "warning: bin/bpkit is an executable for aarch64 (ELF machine 183), and cflinuxfs4 runs x86_64: every phase would fail there (Exec format error); pass --binary the Linux x86_64 bpkit binary\n"
    );
    assert_eq!(verify(&newer, "stack: other\n", "other"), "");
    assert_eq!(verify(&none, "stack: cflinuxfs4\n", "cflinuxfs4"), "");
    assert_eq!(
        verify(&none, "stack: windows2016\n", "windows2016"),
        "warning: bin/bpkit is a Linux executable, and windows2016 runs Windows: every phase would fail there; a bpkit buildpack runs on Linux stacks, so package it with --stack cflinuxfs4 or another Linux stack\n"
    );
}

#[test]
fn a_good_zip_is_valid_and_a_non_zip_is_one_error() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("ok.zip");
    let tarball = b"tarball".as_slice();
    let manifest = format!(
        "---\nlanguage: ok\ndependencies:\n- name: a\n  version: 1.0.0\n  uri: https://e/a.tgz\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n  file: dependencies/x/a.tgz\n",
        sha256_hex(tarball)
    );
    let elf = bpkit_elf();
    let entries: &[(&str, u32, &[u8])] = &[
        ("manifest.yml", 0o644, manifest.as_bytes()),
        ("VERSION", 0o644, b"1.0.0"),
        ("bin/bpkit", 0o755, &elf),
        (
            "bin/detect",
            0o755,
            b"#!/bin/sh\nexec \"$BUILDPACK_DIR/bin/bpkit\" detect \"$@\"\n",
        ),
        ("bin/supply", 0o755, b"#!/bin/sh\n"),
        ("bin/finalize", 0o120_777, b"bpkit"),
        ("bin/release", 0o755, b"#!/bin/sh\n"),
        ("dependencies/x/a.tgz", 0o644, tarball),
    ];
    make_zip(&zip, entries);
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_eq!(
        (result.code, result.stdout.as_str()),
        (0, ""),
        "{}",
        result.stdout
    );
    assert_eq!(
        result.stderr,
        format!(
            "-----> {}: valid (8 entries, 1 dependency verified)\n",
            zip.display()
        )
    );

    // Warnings alone leave the zip valid, counted as validate counts them.
    let stray = temp.path().join("stray.zip");
    make_zip(
        &stray,
        &[entries, &[("dependencies/z/stray.tgz", 0o644, b"?")]].concat(),
    );
    let result = run(bpkit().arg("verify").arg(&stray));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        result.stderr,
        format!(
            "-----> {}: valid, 1 warning (9 entries, 1 dependency verified)\n",
            stray.display()
        )
    );

    // An uncached zip renamed as cached would download everything on an air-gapped platform.
    let renamed = temp.path().join("ok_buildpack-cached-v1.0.0.zip");
    let uncached_manifest = manifest.replace("  file: dependencies/x/a.tgz\n", "");
    assert_ne!(uncached_manifest, manifest);
    make_zip(
        &renamed,
        &[
            &[("manifest.yml", 0o644, uncached_manifest.as_bytes())],
            &entries[1..entries.len() - 1],
        ]
        .concat(),
    );
    let result = run(bpkit().arg("verify").arg(&renamed));
    assert_eq!(
        (result.code, result.stdout),
        (
            0,
            format!(
                "{}: warning: the file name says cached, but no dependency has a `file:` in it, so staging downloads every one; build it with `bpkit package --cached`\n",
                renamed.display()
            )
        )
    );

    let not_zip = temp.path().join("not.zip");
    std::fs::write(&not_zip, "hello").unwrap();
    let result = run(bpkit().arg("verify").arg(&not_zip));
    assert_eq!(result.code, 1);
    assert!(
        result.stderr.starts_with(&format!(
            "bpkit: error: {} is not a readable zip (",
            not_zip.display()
        )),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.ends_with("): it is truncated, corrupt or not a zip; give the path of a buildpack zip, as `bpkit package` prints it\n"),
        "{}",
        result.stderr
    );
}

#[test]
fn an_entry_damaged_after_packaging_is_an_error_as_when_extracting() {
    // A zip that lists fine but whose data no longer matches its CRC-32 (a bad copy, a flipped
    // byte) or no longer inflates: `unzip -t` and the platform's extractor fail on it, so
    // verify must too, whichever entry it is, not only the dependencies it hashes.
    let temp = tempfile::tempdir().unwrap();
    let good = temp.path().join("good.zip");
    let release = b"#!/bin/sh\necho a release script long enough to find in the zip\n";
    let version = b"1.0.0 and some text for deflate to work on, 1.0.0 1.0.0 1.0.0";
    let mut zip = zip::ZipWriter::new(File::create(&good).unwrap());
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .unix_permissions(0o755);
    let deflated = SimpleFileOptions::default().unix_permissions(0o644);
    for (name, options, data) in [
        ("manifest.yml", deflated, b"---\nlanguage: ok\n".as_slice()),
        ("VERSION", deflated, version),
        ("bin/detect", stored, b"#!/bin/sh\n"),
        ("bin/compile", stored, b"#!/bin/sh\n"),
        ("bin/release", stored, release),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    let result = run(bpkit().arg("verify").arg(&good));
    assert_eq!(
        (result.code, result.stdout.as_str()),
        (0, ""),
        "{}",
        result.stderr
    );

    // One byte of bin/release's stored data changed: its CRC-32 no longer matches.
    let bytes = std::fs::read(&good).unwrap();
    let at = bytes
        .windows(release.len())
        .position(|w| w == release)
        .unwrap();
    let mut damaged = bytes.clone();
    damaged[at + 20] ^= 0x20;
    let crc = temp.path().join("crc.zip");
    std::fs::write(&crc, &damaged).unwrap();
    let result = run(bpkit().arg("verify").arg(&crc));
    assert_eq!(
        (result.code, result.stdout),
        (
            1,
            format!(
                "{}: error: bin/release is damaged (Invalid checksum); the platform cannot extract it: copy the zip again, or package it again\n",
                crc.display()
            )
        )
    );
    assert_eq!(
        result.stderr,
        format!("-----> {}: 1 error, 0 warnings\n", crc.display())
    );
}

#[test]
fn a_fifo_or_a_folder_is_refused_at_once() {
    let temp = tempfile::tempdir().unwrap();
    let fifo = temp.path().join("x.zip");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Opening a fifo waited for a writer for ever; a short limit turns that into a failure.
    let limit = std::time::Duration::from_secs(20);
    let result = common::timed::run_within(bpkit().arg("verify").arg(&fifo), limit);
    assert_eq!(
        (result.code, result.stderr),
        (
            1,
            format!(
                "bpkit: error: {} is a fifo, not a zip file; give the path of a buildpack zip\n",
                fifo.display()
            )
        )
    );
    let result = common::timed::run_within(bpkit().arg("verify").arg(temp.path()), limit);
    assert_eq!(
        (result.code, result.stderr),
        (
            1,
            format!(
                "bpkit: error: {} is a folder, not a zip file; give the path of a buildpack zip\n",
                temp.path().display()
            )
        )
    );
}

#[test]
fn a_symlink_longer_than_a_path_is_reported_and_read_no_further() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("demo_buildpack-v1.0.0.zip");
    let long = "a/".repeat(5000);
    make_zip(
        &zip,
        &[
            ("manifest.yml", 0o644, b"---\nlanguage: demo\n"),
            ("VERSION", 0o644, b"1.0.0"),
            ("bin/detect", 0o755, b"#!/bin/sh\n"),
            ("bin/compile", 0o755, b"#!/bin/sh\n"),
            ("bin/release", 0o755, b"#!/bin/sh\n"),
            ("lib/far", 0o120_777, long.as_bytes()),
        ],
    );
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_eq!(
        (result.code, result.stdout),
        (
            1,
            format!(
                "{}: error: symlink lib/far points to a path longer than 4096 bytes, which no system can follow; make it a short relative link\n",
                zip.display()
            )
        )
    );
}

#[test]
fn summary_list_and_defaults_of_the_fixture_buildpack() {
    let dir = repo_root().join("fixtures/buildpack");
    let summary = run(bpkit().arg("summary").arg(&dir));
    assert_eq!(
        summary.stdout,
        "\nPackaged binaries:\n\n| name | version | cf_stacks |\n|-|-|-|\n| hello | 1.0.0 | cflinuxfs4, cflinuxfs5 |\n| hello | 1.1.0 | cflinuxfs4, cflinuxfs5 |\n\nDefault binary versions:\n\n| name | version |\n|-|-|\n| hello | 1.1.x |\n\n"
    );
    let list = run(bpkit().arg("list").arg(&dir));
    assert_eq!(
        list.stdout,
        "| name  | version | cf_stacks             |\n|-------|---------|-----------------------|\n| hello | 1.0.0   | cflinuxfs4,cflinuxfs5 |\n| hello | 1.1.0   | cflinuxfs4,cflinuxfs5 |\n"
    );
    let defaults = run(bpkit().arg("defaults").arg(&dir));
    assert_eq!(
        defaults.stdout,
        "| name  | version |\n|-------|---------|\n| hello | 1.1.x   |\n"
    );
    let json = run(bpkit().args(["summary", "--json"]).arg(&dir));
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["dependencies"][1]["version"], "1.1.0");
    assert_eq!(value["default_versions"][0]["version"], "1.1.x");
    let json = run(bpkit()
        .args(["defaults", "--json", "--manifest"])
        .arg(dir.join("manifest.yml")));
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["default_versions"][0]["name"], "hello");
}

/// A key the tables show written as the wrong type (an item that is text, `cf_stacks` as one
/// string) is an error naming it, for each table and in JSON; the tables came out without
/// that row or cell, exit 0. Other keys' errors (a sha256) and an empty file still print.
#[test]
fn a_manifest_whose_tables_would_lack_a_row_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let manifest = temp.path().join("manifest.yml");
    for (text, error) in [
        (
            "language: x\ndependencies:\n- name: a\n  version: 1.0.0\n- b\n",
            "manifest.yml:5:3: dependencies[1]: expected a mapping of keys, found a string; write the item as `- name: ruby`, its other keys indented under it",
        ),
        (
            "language: x\ndependencies:\n- name: a\n  version: 1.0.0\n  cf_stacks: s1\n",
            "manifest.yml:5:14: dependencies[0].cf_stacks: expected a list, found a string; write each item on its own line under the key, starting with `- ` (`- s1`)",
        ),
        (
            "language: x\ndefault_versions:\n  ruby: 1.0.0\n",
            "manifest.yml:3:3: default_versions: expected a list, found a mapping; write each item under the key as `- name: ruby`, its other keys indented under it (keys with no `- ` before them make one mapping, not a list)",
        ),
    ] {
        std::fs::write(&manifest, text).unwrap();
        let message = format!(
            "{error}; the tables would leave it out, so none is printed (the Go packager refuses such a manifest too): fix it (`bpkit validate` lists every problem)"
        );
        for table in ["summary", "list", "defaults"] {
            let result = run(bpkit()
                .args([table, "--manifest", "manifest.yml"])
                .current_dir(temp.path()));
            assert_eq!(
                (result.code, result.stdout.as_str(), result.stderr.as_str()),
                (1, "", format!("bpkit: error: {message}\n").as_str()),
                "{table}"
            );
            let json = run(bpkit()
                .args([table, "--json", "--manifest", "manifest.yml"])
                .current_dir(temp.path()));
            let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
            assert_eq!(value["error"], message.as_str(), "{table}");
        }
    }
    for (text, stdout) in [
        ("", "\n"),
        (
            "language: x\ndependencies:\n- name: a\n  version: 1.0.0\n  sha256: [x]\n  cf_stacks: [s1]\n",
            "\nPackaged binaries:\n\n| name | version | cf_stacks |\n|-|-|-|\n| a | 1.0.0 | s1 |\n\n",
        ),
    ] {
        std::fs::write(&manifest, text).unwrap();
        let result = run(bpkit().arg("summary").current_dir(temp.path()));
        assert_eq!(
            (result.code, result.stdout.as_str()),
            (0, stdout),
            "{}",
            result.stderr
        );
    }
}

/// A symlink whose target is not UTF-8 cannot be checked to stay inside, so it is an error
/// (read leniently, it looked like an empty, harmless target). Python writes such a zip.
#[test]
fn a_symlink_to_a_target_that_is_not_text_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("odd.zip");
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\ni = zipfile.ZipInfo('bin/odd')\ni.create_system = 3\ni.external_attr = 0o120777 << 16\nz.writestr(i, b'../../\\xff/etc')\nz.writestr('manifest.yml', 'language: x\\n')\nz.close()\n";
    let made = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&zip)
        .status()
        .unwrap();
    assert!(made.success());
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stdout.contains(&format!(
            "{}: error: symlink bin/odd points to a path that is not UTF-8 text, which cannot be checked to stay inside the buildpack; make it a plain relative link\n",
            zip.display()
        )),
        "{}",
        result.stdout
    );
}

/// Hostile zips: a link that climbs (`..`) out of another link (each alone looks inside: `s`
/// leads to the top, `t -> x/y/s/../..` counted step by step too, but it resolves above the
/// top), an entry inside a symlink (an extractor that makes links as it goes writes it through
/// the link), a NUL in a name, and one name given twice (extractors disagree on which copy
/// wins, so the copy checked need not be the one installed).
#[test]
fn hostile_link_chains_entries_through_links_nul_and_duplicate_names_are_errors() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("hostile.zip");
    make_zip(
        &zip,
        &[
            ("manifest.yml", 0o644, b"language: x\n"),
            ("VERSION", 0o644, b"1.0.0"),
            ("x/y/s", 0o120_777, b"../.."),
            ("t", 0o120_777, b"x/y/s/../.."),
            ("r", 0o120_777, b"."),
            ("q", 0o120_777, b"./r/../etc"),
            ("fine", 0o120_777, b"x/y/../y/s"),
            ("x/y/s/evil", 0o644, b"through the link"),
            ("nul\0name", 0o644, b"n"),
            ("bin/esc\x1b[2Jape", 0o644, b"not executable"),
            ("../new\nline", 0o644, b"escapes"),
            ("same.txt", 0o644, b"checked"),
            ("SAME.txt", 0o644, b"installed"),
        ],
    );
    let mut bytes = std::fs::read(&zip).unwrap();
    let mut patched = 0;
    while let Some(at) = bytes.windows(8).position(|w| w == b"SAME.txt") {
        bytes[at..at + 8].copy_from_slice(b"same.txt");
        patched += 1;
    }
    assert_eq!(patched, 2);
    std::fs::write(&zip, bytes).unwrap();

    let result = run(bpkit().arg("verify").arg(&zip));
    assert_eq!(result.code, 1, "{}", result.stderr);
    let z = zip.display();
    for line in [
        format!(
            "{z}: error: symlink t points to `x/y/s/../..`, which climbs (`..`) out of the symlink x/y/s and may lead outside the buildpack; make it a plain relative link\n"
        ),
        format!(
            "{z}: error: symlink q points to `./r/../etc`, which climbs (`..`) out of the symlink r and may lead outside the buildpack; make it a plain relative link\n"
        ),
        format!(
            "{z}: error: entry `x/y/s/evil` is inside the symlink x/y/s; extracting it would write through the link\n"
        ),
        format!(
            "{z}: error: entry `nul\\0name` has a NUL in its name; extractors cut the name there\n"
        ),
        format!(
            "{z}: error: entry `same.txt` is in the zip more than once; extractors disagree on which copy wins, so the copy checked may not be the one installed: package it again\n"
        ),
    ] {
        assert!(result.stdout.contains(&line), "{line}\n{}", result.stdout);
    }
    assert!(
        !result.stdout.contains("error: symlink fine"),
        "{}",
        result.stdout
    );
    // Names with a line break or an escape sequence cannot forge a line or drive the terminal.
    for line in [
        format!(
            "{z}: error: entry `../new\\nline` is absolute or contains `..`; extracting it would write outside the buildpack\n"
        ),
        format!(
            "{z}: error: bin/esc\\u{{1b}}[2Jape is not executable (mode 644); the platform cannot run it (staging fails with exit 223); package with `bpkit package`, which makes bin/* 0755\n"
        ),
    ] {
        assert!(result.stdout.contains(&line), "{line}\n{}", result.stdout);
    }
    assert!(
        !result.stdout.contains('\x1b') && !result.stdout.contains("new\nline"),
        "{}",
        result.stdout
    );
    assert!(
        !result.stdout.contains("error: symlink x/y/s "),
        "{}",
        result.stdout
    );
}

/// A cached zip with dependencies left out of it says how many, in English: "1 dependency
/// has", where it said "1 dependency have".
#[test]
fn dependencies_without_a_file_in_a_cached_zip_are_counted_in_a_sentence() {
    let temp = tempfile::tempdir().unwrap();
    let tarball = b"tarball".as_slice();
    for (without, line) in [
        (1, "1 dependency has no `file:`"),
        (2, "2 dependencies have no `file:`"),
    ] {
        let zip = temp.path().join(format!("ok{without}.zip"));
        let mut manifest = format!(
            "---\nlanguage: ok\ndependencies:\n- name: a\n  version: 1.0.0\n  uri: https://e/a.tgz\n  sha256: {}\n  file: dependencies/x/a.tgz\n",
            sha256_hex(tarball)
        );
        for i in 0..without {
            write!(
                manifest,
                "- name: b{i}\n  version: 1.0.0\n  uri: https://e/b{i}.tgz\n  sha256: {}\n",
                sha256_hex(b"b")
            )
            .unwrap();
        }
        let mut entries = minimal_entries(b"#!/bin/sh\n");
        entries[0].2 = manifest.leak().as_bytes();
        entries.push(("dependencies/x/a.tgz", 0o644, tarball));
        make_zip(&zip, &entries);
        let result = run(bpkit().arg("verify").arg(&zip));
        assert_eq!(
            (result.code, result.stdout),
            (
                0,
                format!(
                    "{}: warning: {line} in this cached zip and will be downloaded when staging\n",
                    zip.display()
                )
            )
        );
    }
}

/// A buildpack folder zipped as a folder (`zip -r bp.zip my-bp`) has everything one level
/// down: one error naming the folder and the fix, where verify listed no bin/detect, no
/// bin/release, no bin/compile or bin/finalize and no manifest.yml.
#[test]
fn a_zipped_folder_is_one_error_naming_it() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("bp.zip");
    let entries: Vec<(String, u32, &[u8])> = minimal_entries(b"#!/bin/sh\n")
        .into_iter()
        .map(|(name, mode, data)| (format!("my-bp/{name}"), mode, data))
        .collect();
    let entries: Vec<(&str, u32, &[u8])> = entries
        .iter()
        .map(|(n, m, d)| (n.as_str(), *m, *d))
        .collect();
    make_zip(&zip, &entries);
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_one_error(
        &result,
        &zip,
        "every entry is inside the folder `my-bp/` (the folder was zipped, not what is in it), but the platform reads manifest.yml and bin/ at the top of the zip; zip from inside it (`cd my-bp && zip -r ../bp.zip .`), or build the zip with `bpkit package`",
    );
    assert_eq!(
        result.stderr,
        format!("-----> {}: 1 error, 0 warnings\n", zip.display())
    );

    // The command to copy takes a folder and a zip with spaces in their names as one word each.
    let spaced = temp.path().join("my bp.zip");
    let entries: Vec<(String, u32, &[u8])> = minimal_entries(b"#!/bin/sh\n")
        .into_iter()
        .map(|(name, mode, data)| (format!("my bp/{name}"), mode, data))
        .collect();
    let entries: Vec<(&str, u32, &[u8])> = entries
        .iter()
        .map(|(n, m, d)| (n.as_str(), *m, *d))
        .collect();
    make_zip(&spaced, &entries);
    let result = run(bpkit().arg("verify").arg(&spaced));
    assert_one_error(
        &result,
        &spaced,
        "every entry is inside the folder `my bp/` (the folder was zipped, not what is in it), but the platform reads manifest.yml and bin/ at the top of the zip; zip from inside it (`cd 'my bp' && zip -r '../my bp.zip' .`), or build the zip with `bpkit package`",
    );
}

/// A symlink to nothing in the zip: a phase in bin/ the platform cannot run is an error, a link
/// elsewhere a warning; where the zip was called valid. A link to a folder only implied by
/// the entries inside it, or to another link, leads somewhere.
#[test]
fn a_symlink_to_nothing_in_the_zip_is_reported() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("links.zip");
    let mut entries = minimal_entries(b"#!/bin/sh\n");
    entries.retain(|(name, _, _)| *name != "bin/detect");
    entries.extend([
        ("bin/detect", 0o120_777, b"runner".as_slice()),
        ("bin/supply", 0o120_777, b"compile".as_slice()),
        ("lib/gone", 0o120_777, b"../vendor/tool".as_slice()),
        ("lib/up", 0o120_777, b"../share".as_slice()),
        ("lib/again", 0o120_777, b"up".as_slice()),
        ("share/x.txt", 0o644, b"x".as_slice()),
    ]);
    make_zip(&zip, &entries);
    let result = run(bpkit().arg("verify").arg(&zip));
    let z = zip.display();
    assert_eq!(
        (result.code, result.stdout),
        (
            1,
            format!(
                "{z}: error: symlink bin/detect points to `runner`, which is not in the zip; put bin/runner in it, or remove the link (the platform cannot run it)\n\
                 {z}: warning: symlink lib/gone points to `../vendor/tool`, which is not in the zip; put vendor/tool in it, or remove the link\n"
            )
        )
    );
}

/// `result` reports exactly one finding, the error `message`, about `zip`, and exits 1.
fn assert_one_error(result: &Run, zip: &Path, message: &str) {
    assert_eq!(
        (result.code, result.stdout.as_str()),
        (1, format!("{}: error: {message}\n", zip.display()).as_str())
    );
}

/// The entries of the smallest zip verify calls valid, `bin/release` holding `release`.
fn minimal_entries(release: &'static [u8]) -> Vec<(&'static str, u32, &'static [u8])> {
    vec![
        ("manifest.yml", 0o644, b"---\nlanguage: ok\n"),
        ("VERSION", 0o644, b"1.0.0"),
        ("bin/detect", 0o755, b"#!/bin/sh\n"),
        ("bin/compile", 0o755, b"#!/bin/sh\n"),
        ("bin/release", 0o755, release),
    ]
}

/// The offset of the central directory record of the entry `name` in the zip `bytes`.
fn central_record(bytes: &[u8], name: &str) -> usize {
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let record = at + found;
        let len = usize::from(u16::from_le_bytes([bytes[record + 28], bytes[record + 29]]));
        if &bytes[record + 46..record + 46 + len] == name.as_bytes() {
            return record;
        }
        at = record + 4;
    }
    panic!("no central record for {name}");
}

/// Crafted zips that list and pass their CRC-32 checks yet are not what the platform's
/// extractor (Go's archive/zip) or Info-ZIP's unzip will extract, which verify used to call
/// valid: an entry whose header declares more bytes than its data gives (Go fails it), an
/// entry named as a file with a folder's mode (Go makes it an empty folder, here the
/// manifest), and entries sharing one compressed body, as a zip bomb does (unzip refuses it;
/// reading each to check it took as long as extracting them all, so it is not read).
#[test]
fn a_size_that_lies_a_folder_mode_on_a_file_and_overlapping_entries_are_errors() {
    let temp = tempfile::tempdir().unwrap();
    let good = temp.path().join("good.zip");
    let release = b"#!/bin/sh\necho release\n";
    make_zip(&good, &minimal_entries(release));
    let bytes = std::fs::read(&good).unwrap();
    let verify = |name: &str, bytes: &[u8]| {
        let path = temp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let result = run(bpkit().arg("verify").arg(&path));
        (path, result)
    };

    // bin/release's header says 1000 bytes more than its data holds.
    let mut lying = bytes.clone();
    let record = central_record(&lying, "bin/release");
    let declared = u32::try_from(release.len() + 1000).unwrap();
    lying[record + 24..record + 28].copy_from_slice(&declared.to_le_bytes());
    let (path, result) = verify("size.zip", &lying);
    assert_eq!(
        (result.code, result.stdout),
        (
            1,
            format!(
                "{}: error: bin/release is damaged (its data gives {} bytes, its header says {declared}); the platform cannot extract it: copy the zip again, or package it again\n",
                path.display(),
                release.len()
            )
        )
    );

    // manifest.yml with a folder's mode.
    let mut folder = bytes.clone();
    let record = central_record(&folder, "manifest.yml");
    folder[record + 38..record + 42].copy_from_slice(&(0o040_755u32 << 16).to_le_bytes());
    let (path, result) = verify("folder.zip", &folder);
    assert_one_error(
        &result,
        &path,
        "entry `manifest.yml` has a folder's mode but a file's name (no trailing `/`); the platform's extractor makes it an empty folder: package it again",
    );

    // Ten entries, all pointing at one deflated body of 64 MiB of zeros.
    let overlapping = zip_bomb(10);
    let (path, result) = verify("bomb.zip", &overlapping);
    assert_one_error(
        &result,
        &path,
        "entries `f0` and `f1` share bytes of the zip, as in a zip bomb (each extracts the same data again); extractors refuse it or fill the disk, so its contents were not read: package it again",
    );
    assert_eq!(
        result.stderr,
        format!("-----> {}: 1 error, 0 warnings\n", path.display())
    );
}

/// `manifest.yml` and `./manifest.yml` (or `bin/detect` and `bin//detect`) are one file to
/// `unzip` and to the platform's extractor, the last one written winning; verify checked the
/// plain one and called the zip valid while the other was what got installed.
#[test]
fn two_spellings_of_one_path_are_an_error() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("spellings.zip");
    let mut entries = minimal_entries(b"#!/bin/sh\n");
    entries.push((
        "./manifest.yml",
        0o644,
        b"---\nlanguage: other\nstack: none\n",
    ));
    make_zip(&zip, &entries);
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_one_error(
        &result,
        &zip,
        "entries `manifest.yml` and `./manifest.yml` are one path to extractors, which write both there, the last one winning; the copy checked may not be the one installed: package it again",
    );
    let mut entries = minimal_entries(b"#!/bin/sh\n");
    entries.push(("bin//detect", 0o644, b"#!/bin/sh\nexit 1\n"));
    make_zip(&zip, &entries);
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(
        result
            .stdout
            .contains("error: entries `bin/detect` and `bin//detect` are one path to extractors"),
        "{}",
        result.stdout
    );
}

/// A name holding a line break, a tab or an escape is a valid zip entry, but it splits the
/// lines of `unzip -l`, CI logs and Cloud Foundry's tools; verify accepted it (and
/// `bpkit package` wrote it). Each is an error, the name shown escaped on one line.
#[test]
fn a_name_with_a_control_character_is_an_error() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("names.zip");
    for (name, shown) in [
        ("lib/new\nline.rb", "lib/new\\nline.rb"),
        ("lib/tab\there", "lib/tab\\there"),
        ("lib/esc\x1b[2J", "lib/esc\\u{1b}[2J"),
        ("lib/c1\u{85}", "lib/c1\\u{85}"),
    ] {
        let mut entries = minimal_entries(b"#!/bin/sh\n");
        entries.push((name, 0o644, b"x"));
        make_zip(&zip, &entries);
        let result = run(bpkit().arg("verify").arg(&zip));
        assert_one_error(
            &result,
            &zip,
            &format!(
                "entry `{shown}` has a line break or another control character in its name, which breaks the lines of `unzip -l`, CI logs and Cloud Foundry's tools; rename the file and package it again"
            ),
        );
    }
}

/// A `\` in a name was called "absolute or contains `..`", which `a\b.txt` is not.
#[test]
fn a_name_with_a_backslash_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("backslash.zip");
    let mut entries = minimal_entries(b"#!/bin/sh\n");
    entries.push(("lib\\x.rb", 0o644, b"x"));
    make_zip(&zip, &entries);
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_one_error(
        &result,
        &zip,
        "entry `lib\\x.rb` holds a `\\`, which extractors on Windows and some others read as a folder separator (`..\\` leads out of the buildpack); rename the file and package it again",
    );
}

/// A manifest.yml that is not UTF-8 was "cannot read manifest.yml: stream did not contain
/// valid UTF-8", and one compressed with a method extractors lack "cannot read manifest.yml:
/// compression method not supported: 12": neither said where or what to do.
#[test]
fn a_manifest_that_cannot_be_read_says_where_and_the_fix() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("latin1.zip");
    let mut entries = minimal_entries(b"#!/bin/sh\n");
    entries[0] = ("manifest.yml", 0o644, b"---\nlanguage: caf\xe9\n");
    make_zip(&zip, &entries);
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_one_error(
        &result,
        &zip,
        "manifest.yml:2:14: byte 0xE9 is not UTF-8 text, which YAML is; save the manifest as UTF-8 and package it again",
    );

    let zip = temp.path().join("bzip2.zip");
    let python = "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w')\ndef add(n,d,m,c):\n    i=zipfile.ZipInfo(n); i.external_attr=m<<16; i.compress_type=c; z.writestr(i,d)\nadd('manifest.yml',b'language: ok\\n',0o100644,zipfile.ZIP_BZIP2)\nadd('VERSION',b'1.0.0',0o100644,zipfile.ZIP_DEFLATED)\nfor p in ['detect','compile','release']: add('bin/'+p,b'#!/bin/sh\\n',0o100755,zipfile.ZIP_DEFLATED)\nz.close()\n";
    let made = std::process::Command::new("python3")
        .args(["-c", python])
        .arg(&zip)
        .status()
        .unwrap();
    assert!(made.success());
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_one_error(
        &result,
        &zip,
        "cannot read manifest.yml (compression method not supported: 12); the platform cannot read it either: package it again",
    );
}

/// A manifest.yml that is a symlink (here to a file inside the zip): its entry holds only the
/// target's path, which verify parsed as the manifest and reported as "found a string".
#[test]
fn a_manifest_that_is_a_symlink_is_named_as_one() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("link.zip");
    let mut entries = minimal_entries(b"#!/bin/sh\n");
    entries[0] = ("manifest.yml", 0o120_777, b"real.yml");
    entries.push(("real.yml", 0o644, b"---\nlanguage: ok\n"));
    make_zip(&zip, &entries);
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_one_error(
        &result,
        &zip,
        "manifest.yml is a symlink; Cloud Controller reads the entry itself, which holds only the link's target path: make manifest.yml a regular file",
    );
}

/// A zip whose path is not UTF-8: its findings name it byte for byte, and `--json`, whose
/// document names the zip and cannot hold those bytes, refuses it before reading it, as the
/// other commands refuse such a path (`package --json`, `fetch --json`), where the document
/// and the lines showed U+FFFD for its bytes, naming no file.
#[test]
fn a_zip_whose_path_is_not_utf8_is_named_byte_for_byte_and_refused_by_json() {
    use std::ffi::OsString;
    use std::os::unix::ffi::{OsStrExt, OsStringExt};

    let temp = tempfile::tempdir().unwrap();
    let zip = temp
        .path()
        .join(OsString::from_vec(b"bp-\xe9.zip".to_vec()));
    let mut entries = minimal_entries(b"#!/bin/sh\n");
    entries.retain(|(name, _, _)| *name != "bin/detect");
    make_zip(&zip, &entries);

    let output = bpkit().arg("verify").arg(&zip).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let mut expected = zip.as_os_str().as_bytes().to_vec();
    expected.extend_from_slice(
        b": error: there is no bin/detect; the platform runs it for every app\n",
    );
    assert_eq!(output.stdout, expected);

    let json = run(bpkit().args(["verify", "--json"]).arg(&zip));
    let error = format!(
        "the zip {} is not valid UTF-8, which a --json document cannot hold; name it by a path that is UTF-8 text (rename it, or link to it), or leave out --json, which prints paths as they are",
        zip.display()
    );
    assert_eq!(json.code, 1);
    assert_eq!(json.stderr, format!("bpkit: error: {error}\n"));
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(document["error"], error.as_str());
    assert_eq!(document["success"], false);

    // The same zip through a path that is UTF-8 text is verified.
    let link = temp.path().join("bp.zip");
    std::os::unix::fs::symlink(&zip, &link).unwrap();
    let json = run(bpkit().args(["verify", "--json"]).arg(&link));
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(document["zip"], link.to_str().unwrap());
    assert_eq!(document["errors"], 1);
}

/// A name part over the 255 bytes a file name holds (a Ruby-gem-layout name made of a long
/// URI) is listed and read fine, and the platform's extractor fails on it with `File name too
/// long`: an error, where verify called the zip valid. 255 bytes is fine.
#[test]
fn a_name_part_longer_than_a_file_name_holds_is_an_error() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("long.zip");
    let fits = format!("lib/{}", "a".repeat(255));
    let long = format!("lib/{}/x.rb", "b".repeat(256));
    let mut entries = minimal_entries(b"#!/bin/sh\n");
    entries.push((&fits, 0o644, b"x"));
    entries.push((&long, 0o644, b"x"));
    make_zip(&zip, &entries);
    let result = run(bpkit().arg("verify").arg(&zip));
    assert_one_error(
        &result,
        &zip,
        &format!(
            "entry `{long}` has a name part of 256 bytes, more than the 255 a file name holds, so the platform's extractor cannot create it; shorten that name and package it again"
        ),
    );
}

/// A zip named as the packagers name one, whose name gives another language than its manifest
/// or another version than its VERSION, was renamed or built from another tree: a warning
/// each, as for the stack in its name, where it was called valid without a word.
#[test]
fn a_file_name_giving_another_language_or_version_is_warned_about() {
    let temp = tempfile::tempdir().unwrap();
    for (name, warning) in [
        ("ok_buildpack-v1.0.0.zip", None),
        ("ok_buildpack-cached-v1.0.0.zip", None),
        (
            "ok_buildpack-v9.9.9.zip",
            Some(
                "the file name does not end in `-v1.0.0.zip`, though VERSION holds `1.0.0`; the zip was renamed, or built from another tree",
            ),
        ),
        (
            "ruby_buildpack-v1.0.0.zip",
            Some(
                "the file name does not start with `ok_buildpack`, though the manifest says `language: ok`; the zip was renamed, or built from another buildpack",
            ),
        ),
        // Not named as a packager names a zip: nothing to compare.
        ("my-upload.zip", None),
    ] {
        let zip = temp.path().join(name);
        make_zip(&zip, &minimal_entries(b"#!/bin/sh\n"));
        let result = run(bpkit().arg("verify").arg(&zip));
        let expected = warning.map_or(String::new(), |w| {
            format!("{}: warning: {w}\n", zip.display())
        });
        assert_eq!((result.code, result.stdout), (0, expected), "{name}");
    }
}
