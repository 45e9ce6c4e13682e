//! `bpkit translate-dependency-url`: compile-extensions' `translate_dependency_url` for Ruby-era
//! buildpack scripts (manifest.md, `url_to_dependency_map`: "used for lookups by URL"). stdout
//! is the contract those scripts read: the URL to download, a `file://` URL in a cached
//! buildpack, or `DEPENDENCY_MISSING_IN_MANIFEST: URL` with exit 1.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::bin::{Run, bpkit, repo_root, run};
use common::buildpack::{package, read_zip, sha256_hex, write};

const RUBY_3_3_11_FS4: &str = "https://buildpacks.cloudfoundry.org/dependencies/ruby/ruby_3.3.11_linux_x64_cflinuxfs4_52f961c2.tgz";

/// `bpkit translate-dependency-url` on `stack` (CF_STACK), with STACK unset.
fn translate(stack: Option<&str>) -> Command {
    let mut command = bpkit();
    command.env_remove("CF_STACK").env_remove("STACK");
    if let Some(stack) = stack {
        command.env("CF_STACK", stack);
    }
    command.arg("translate-dependency-url");
    command
}

fn assert_output(result: &Run, code: i32, stdout: &str) {
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (code, stdout, "")
    );
}

#[test]
fn a_mapped_url_prints_the_dependency_uri() {
    // fixtures/ruby-era is the README's example: the official 2015 mappings, today's URLs.
    let result = run(translate(Some("cflinuxfs4"))
        .current_dir(repo_root())
        .args([
            "https://s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz",
            "fixtures/ruby-era",
        ]));
    assert_output(&result, 0, &format!("{RUBY_3_3_11_FS4}\n"));

    // The stack picks between two entries of the same name and version; STACK stands in for
    // CF_STACK, as in the phases; --manifest names the file instead of the folder.
    let result = run(translate(None)
        .env("STACK", "cflinuxfs5")
        .arg("https://s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz")
        .arg("--manifest")
        .arg(repo_root().join("fixtures/ruby-era/manifest.yml")));
    assert_output(
        &result,
        0,
        "https://buildpacks.cloudfoundry.org/dependencies/ruby/ruby_3.3.11_linux_x64_cflinuxfs5_1c0767bd.tgz\n",
    );
}

#[test]
fn an_unknown_url_is_missing_with_its_credentials_redacted() {
    let result = run(translate(Some("cflinuxfs4"))
        .current_dir(repo_root())
        .args([
            "https://deploy:s3cret@s3.amazonaws.com/ruby-buildpack/node-v0.12.2-linux-x64.tgz",
            "fixtures/ruby-era",
        ]));
    assert_output(
        &result,
        1,
        "DEPENDENCY_MISSING_IN_MANIFEST: https://-redacted-:-redacted-@s3.amazonaws.com/ruby-buildpack/node-v0.12.2-linux-x64.tgz\n",
    );

    // A mapping matches, but the manifest has no such version.
    let result = run(translate(Some("cflinuxfs4"))
        .current_dir(repo_root())
        .args([
            "https://s3.amazonaws.com/ruby-buildpack/ruby-2.2.2-linux-x64.tgz",
            "fixtures/ruby-era",
        ]));
    assert_output(
        &result,
        1,
        "DEPENDENCY_MISSING_IN_MANIFEST: https://s3.amazonaws.com/ruby-buildpack/ruby-2.2.2-linux-x64.tgz\n",
    );
}

#[test]
fn a_dependency_on_another_stack_is_missing() {
    let result = run(translate(Some("cflinuxfs3"))
        .current_dir(repo_root())
        .args([
            "https://s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz",
            "fixtures/ruby-era",
        ]));
    assert_output(
        &result,
        1,
        "DEPENDENCY_MISSING_IN_MANIFEST: https://s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz\n",
    );
}

#[test]
fn without_a_stack_it_says_to_set_cf_stack() {
    let result = run(translate(None).current_dir(repo_root()).args([
        "https://s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz",
        "fixtures/ruby-era",
    ]));
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (
            1,
            "",
            "bpkit: error: neither CF_STACK nor STACK is set; set CF_STACK to the stack the app stages on (fixtures/ruby-era/manifest.yml lists cflinuxfs4, cflinuxfs5)\n"
        )
    );
}

#[test]
fn json_gives_the_name_version_and_translation() {
    let found = run(translate(Some("cflinuxfs4"))
        .current_dir(repo_root())
        .args([
            "--json",
            "https://s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz",
            "fixtures/ruby-era",
        ]));
    assert_output(
        &found,
        0,
        &format!(
            "{{\n  \"success\": true,\n  \"exit_code\": 0,\n  \"error\": null,\n  \"url\": \"https://s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz\",\n  \"name\": \"ruby\",\n  \"version\": \"3.3.11\",\n  \"translated\": \"{RUBY_3_3_11_FS4}\"\n}}\n"
        ),
    );

    // Missing: the mapping's name and version when one matched, null when none did.
    let wrong_stack = run(translate(Some("cflinuxfs3"))
        .current_dir(repo_root())
        .args([
            "https://u:p@s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz",
            "fixtures/ruby-era",
            "--json",
        ]));
    assert_output(
        &wrong_stack,
        1,
        "{\n  \"success\": false,\n  \"exit_code\": 1,\n  \"error\": \"DEPENDENCY_MISSING_IN_MANIFEST: https://-redacted-:-redacted-@s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz\",\n  \"url\": \"https://-redacted-:-redacted-@s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz\",\n  \"name\": \"ruby\",\n  \"version\": \"3.3.11\",\n  \"translated\": null\n}\n",
    );
    let unmapped = run(translate(Some("cflinuxfs4"))
        .current_dir(repo_root())
        .args([
            "https://nodejs.org/dist/v0.12.2/node-v0.12.2-linux-x64.tar.gz",
            "fixtures/ruby-era",
            "--json",
        ]));
    assert_output(
        &unmapped,
        1,
        "{\n  \"success\": false,\n  \"exit_code\": 1,\n  \"error\": \"DEPENDENCY_MISSING_IN_MANIFEST: https://nodejs.org/dist/v0.12.2/node-v0.12.2-linux-x64.tar.gz\",\n  \"url\": \"https://nodejs.org/dist/v0.12.2/node-v0.12.2-linux-x64.tar.gz\",\n  \"name\": null,\n  \"version\": null,\n  \"translated\": null\n}\n",
    );
}

#[test]
fn an_invalid_mapping_is_one_line_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "manifest.yml",
        "---\nlanguage: ruby\nurl_to_dependency_map:\n- match: ruby-(\\d+\n  name: ruby\n  version: $1\ndependencies: []\n",
    );
    let result = run(translate(Some("cflinuxfs4"))
        .arg("https://s3/ruby-3.3.11.tgz")
        .arg(dir.path()));
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr),
        (
            1,
            "",
            format!(
                "bpkit: error: {}/manifest.yml:4:3: url_to_dependency_map[0].match: not a valid regular expression: unclosed group\n",
                dir.path().display()
            )
        )
    );
}

/// A `file:` that is absolute or climbs out with `..` (a hand-edited cached manifest) is
/// refused in one line naming the file, the key and the fix, as supply refuses it: it was
/// printed as `file:///etc/passwd` or `file://…/bp/../../x`, a file outside the buildpack for
/// the script to fetch.
#[test]
fn a_file_outside_the_buildpack_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (file, problem) in [
        ("/etc/passwd", "`/etc/passwd` is absolute"),
        (
            "dependencies/../../x.tgz",
            "`dependencies/../../x.tgz` climbs out of the buildpack with `..`",
        ),
    ] {
        write(
            dir.path(),
            "manifest.yml",
            format!(
                "---\nlanguage: ruby\nurl_to_dependency_map:\n- match: ruby-(\\d+\\.\\d+\\.\\d+)\n  name: ruby\n  version: $1\ndependencies:\n- name: bundler\n  version: 2.6.5\n  uri: https://h/bundler.tgz\n  sha256: {sha}\n  cf_stacks: [cflinuxfs4]\n- name: ruby\n  version: 3.3.11\n  uri: https://h/ruby.tgz\n  sha256: {sha}\n  file: {file}\n  cf_stacks: [cflinuxfs4]\n",
                sha = "0".repeat(64)
            ),
        );
        let result = run(translate(Some("cflinuxfs4"))
            .arg("https://s3/ruby-3.3.11.tgz")
            .arg(dir.path()));
        assert_eq!(
            (result.code, result.stdout.as_str(), result.stderr),
            (
                1,
                "",
                format!(
                    "bpkit: error: {}/manifest.yml: dependencies[1].file {problem}, but it must name a file inside the buildpack; package the buildpack again\n",
                    dir.path().display()
                )
            ),
            "{file}"
        );
    }
}

/// Unpack a zip's entries into `dir`.
fn unzip(zip: &Path, dir: &Path) {
    for (name, entry) in read_zip(zip) {
        if !name.ends_with('/') {
            write(dir, &name, &entry.data);
        }
    }
}

/// In a cached buildpack made by `bpkit package --cached`, the dependency's `file:` is its copy
/// in the zip, so the answer is a `file://` URL of that copy in the unpacked buildpack, from
/// any working directory and with DIR given relative or as --manifest.
#[test]
fn a_cached_buildpack_answers_with_a_file_url_of_its_copy() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let tarball = b"not really a tarball".as_slice();
    let dep = write(&base, "deps/hello-1.1.0-linux-x64.tgz", tarball);
    let source = base.join("source");
    write(
        &source,
        "manifest.yml",
        format!(
            "---\nlanguage: hello\nurl_to_dependency_map:\n- match: hello-(\\d+\\.\\d+\\.\\d+)\n  name: hello\n  version: $1\ndependencies:\n- name: hello\n  version: 1.1.0\n  uri: file://{}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n",
            dep.display(),
            sha256_hex(tarball)
        ),
    );
    write(&source, "VERSION", "1.0.0");
    for phase in ["bin/detect", "bin/compile", "bin/release"] {
        write(&source, phase, "#!/bin/sh\n");
    }
    let out = base.join("out");
    let packaged = run(package(&base.join("cache"))
        .arg(&source)
        .args(["-q", "--cached", "--stack", "cflinuxfs4", "--output-dir"])
        .arg(&out));
    assert_eq!(packaged.code, 0, "{}", packaged.stderr);
    let buildpack = base.join("buildpack");
    // `package` prints the zip's path and nothing else on stdout.
    unzip(Path::new(packaged.stdout.trim_end()), &buildpack);

    let url = "https://example.org/hello-1.1.0-linux-x64.tgz";
    let relative = run(translate(Some("cflinuxfs4"))
        .current_dir(&base)
        .args([url, "buildpack"]));
    assert_eq!(relative.code, 0, "{}", relative.stderr);
    let path = relative
        .stdout
        .strip_prefix(&format!("file://{}/dependencies/", buildpack.display()))
        .and_then(|rest| rest.strip_suffix("/hello-1.1.0-linux-x64.tgz\n"))
        .unwrap_or_else(|| panic!("{}", relative.stdout));
    assert_eq!(path.len(), 32, "an md5 folder: {path}");
    let file = relative.stdout.trim_end().strip_prefix("file://").unwrap();
    assert_eq!(fs::read(file).unwrap(), tarball);

    let by_manifest = run(translate(Some("cflinuxfs4"))
        .arg(url)
        .arg("--manifest")
        .arg(buildpack.join("manifest.yml")));
    assert_output(&by_manifest, 0, &relative.stdout);

    // The packaged manifest is for cflinuxfs4 alone.
    let other = run(translate(Some("cflinuxfs5")).arg(url).arg(&buildpack));
    assert_output(
        &other,
        1,
        "DEPENDENCY_MISSING_IN_MANIFEST: https://example.org/hello-1.1.0-linux-x64.tgz\n",
    );
}

/// The translated URL is data, the one thing the script downloads (`curl -s $(…)`, as
/// compile-extensions' own `download_dependency` did with it): a dependency whose `uri`
/// carries credentials is printed with them, as compile-extensions printed it, in text and in
/// `--json`. Only the URL the script asked about is echoed redacted, as it goes to the log.
#[test]
fn the_translated_url_keeps_its_credentials_for_the_script_to_download() {
    let temp = tempfile::tempdir().unwrap();
    let uri = "https://deploy:s3cret@deps.example.com/ruby/ruby-3.3.11.tgz?token=abc";
    write(
        temp.path(),
        "manifest.yml",
        format!(
            "language: ruby\nurl_to_dependency_map:\n- match: ruby-(\\d+\\.\\d+\\.\\d+)\n  name: ruby\n  version: $1\ndependencies:\n- name: ruby\n  version: 3.3.11\n  uri: {uri}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n",
            sha256_hex(b"x")
        ),
    );
    let asked = "https://u:p@s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz";
    let result = run(translate(Some("cflinuxfs4")).arg(asked).arg(temp.path()));
    assert_output(&result, 0, &format!("{uri}\n"));
    let result = run(translate(Some("cflinuxfs4"))
        .arg(asked)
        .arg(temp.path())
        .arg("--json"));
    let document: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(document["translated"], uri);
    assert_eq!(
        document["url"],
        "https://-redacted-:-redacted-@s3.amazonaws.com/ruby-buildpack/ruby-3.3.11-linux-x64.tgz"
    );
}

/// The `file://` URL of a cached copy is a URL, so its path is percent-encoded: a buildpack
/// folder holding a space, `#` or `?` (which end a URL's path), a `%` (the cached file of a
/// `%2B` URI keeps it in its name) or bytes that are not UTF-8 reaches the script's download as
/// the folder it is, where the URL held them raw (`#` cut the path short, `%2B` read as `+`)
/// and bytes that are not UTF-8 were printed as U+FFFD.
#[test]
fn a_file_url_is_percent_encoded() {
    use std::os::unix::ffi::OsStrExt;
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let buildpack = base.join(std::ffi::OsStr::from_bytes(b"my bp#1?x=%2B,\xff"));
    let file = "dependencies/0123/openjdk_11.0.32%2B11.tgz";
    let tarball = write(&buildpack, file, "x");
    write(
        &buildpack,
        "manifest.yml",
        format!(
            "language: java\nurl_to_dependency_map:\n- match: openjdk-(\\d+)\n  name: openjdk\n  version: $1\ndependencies:\n- name: openjdk\n  version: 11\n  uri: https://h/openjdk_11.0.32%2B11.tgz\n  sha256: {}\n  file: {file}\n  cf_stacks: [cflinuxfs4]\n",
            sha256_hex(b"x")
        ),
    );
    let result = run(translate(Some("cflinuxfs4"))
        .arg("https://h/openjdk-11.tgz")
        .arg(&buildpack));
    let url = format!(
        "file://{}/my%20bp%231%3Fx%3D%252B%2C%FF/dependencies/0123/openjdk_11.0.32%252B11.tgz",
        base.display()
    );
    assert_output(&result, 0, &format!("{url}\n"));
    // curl, as the scripts download with, reads that URL as the file.
    let fetched = Command::new("curl").args(["-sf", &url]).output().unwrap();
    assert_eq!(
        (fetched.status.success(), fetched.stdout),
        (true, fs::read(tarball).unwrap())
    );
}
