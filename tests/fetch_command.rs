//! `bpkit fetch` (issue 6, spec README: fill the dependency cache, parallel and verified,
//! without packaging): the same plan as `bpkit package --cached` (stack, profile, exclude),
//! the same cache and messages, paths or JSON on stdout; a filled cache then packages with
//! `--offline` and no request. The fetch module itself is tested in tests/fetch.rs.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::bin::{Run, bpkit, repo_root, run};
use common::buildpack::{isolated, list_files, md5_hex, package, sha256_hex, write};
use common::server::{Fault, Server, payload};

const RUBY: &str = "/ruby/ruby-3.3.1-linux-x64.tgz";
const OLD_RUBY: &str = "/ruby/ruby-3.3.0-linux-x64.tgz";
const JVMKILL: &str = "/jvmkill/jvmkill-1.16.0.so";

/// A buildpack with ruby 3.3.1 (cflinuxfs4, the default), ruby 3.3.0 (cflinuxfs3 only) and
/// jvmkill (cflinuxfs4, left out by the `minimal` profile), served by a local server.
struct Scene {
    _temp: tempfile::TempDir,
    root: PathBuf,
    cache: PathBuf,
    server: Server,
    ruby: Vec<u8>,
    jvmkill: Vec<u8>,
}

impl Scene {
    fn new() -> Scene {
        let temp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(temp.path()).unwrap();
        let server = Server::start();
        let ruby = payload(4000);
        let old_ruby = payload(2000);
        let jvmkill = payload(1000).into_iter().rev().collect::<Vec<u8>>();
        server.serve(RUBY, ruby.clone());
        server.serve(OLD_RUBY, old_ruby.clone());
        server.serve(JVMKILL, jvmkill.clone());
        let root = base.join("bp");
        let manifest = format!(
            "language: ruby\ndefault_versions:\n- name: ruby\n  version: 3.3.x\ndependencies:\n- name: ruby\n  version: 3.3.1\n  uri: {}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n- name: ruby\n  version: 3.3.0\n  uri: {}\n  sha256: {}\n  cf_stacks: [cflinuxfs3]\n- name: jvmkill\n  version: 1.16.0\n  uri: {}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\npackaging_profiles:\n  minimal:\n    description: no jvmkill\n    exclude: [jvmkill]\n",
            server.url(RUBY),
            sha256_hex(&ruby),
            server.url(OLD_RUBY),
            sha256_hex(&old_ruby),
            server.url(JVMKILL),
            sha256_hex(&jvmkill),
        );
        write(&root, "manifest.yml", manifest);
        write(&root, "VERSION", "1.0.0\n");
        for phase in ["detect", "supply", "finalize", "release"] {
            write(&root, &format!("bin/{phase}"), "#!/bin/sh\n");
        }
        Scene {
            _temp: temp,
            cache: base.join("cache"),
            root,
            server,
            ruby,
            jvmkill,
        }
    }

    /// `bpkit -q fetch ROOT ARGS…` with the scene's cache (through BPKIT_CACHE_DIR).
    fn fetch(&self, args: &[&str]) -> Run {
        run(isolated(&self.cache)
            .args(["-q", "fetch"])
            .arg(&self.root)
            .args(args))
    }

    fn entry(&self, path: &str) -> PathBuf {
        let uri = self.server.url(path);
        self.cache
            .join("dependencies")
            .join(md5_hex(uri.as_bytes()))
            .join(path.rsplit('/').next().unwrap())
    }

    fn manifest(&self) -> PathBuf {
        self.root.join("manifest.yml")
    }
}

fn lines(paths: &[PathBuf]) -> String {
    let mut out = String::new();
    for path in paths {
        out.push_str(&path.display().to_string());
        out.push('\n');
    }
    out
}

/// A relative cache folder (`--cache-dir`, or `BPKIT_CACHE_DIR`) still gives absolute paths on
/// stdout and in `--json`: a script may use them from another folder.
#[test]
fn a_relative_cache_dir_gives_absolute_paths() {
    let scene = Scene::new();
    let base = scene.root.parent().unwrap();
    let result = run(isolated(Path::new("elsewhere")).current_dir(base).args([
        "-q",
        "fetch",
        "bp",
        "--stack",
        "cflinuxfs4",
        "--cache-dir",
        "cache",
    ]));
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert_eq!(
        result.stdout,
        lines(&[scene.entry(RUBY), scene.entry(JVMKILL)])
    );
    let json = run(isolated(Path::new("cache")).current_dir(base).args([
        "-q",
        "fetch",
        "bp",
        "--stack",
        "cflinuxfs4",
        "--json",
    ]));
    assert_eq!(json.code, 0, "{}", json.stderr);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["cache_dir"], scene.cache.display().to_string());
}

#[test]
fn fills_the_cache_for_a_stack_and_prints_the_paths() {
    let scene = Scene::new();
    let result = scene.fetch(&["--stack", "cflinuxfs4"]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert_eq!(
        result.stdout,
        lines(&[scene.entry(RUBY), scene.entry(JVMKILL)])
    );
    assert_eq!(fs::read(scene.entry(RUBY)).unwrap(), scene.ruby);
    assert_eq!(fs::read(scene.entry(JVMKILL)).unwrap(), scene.jvmkill);
    assert_eq!(scene.server.hits(OLD_RUBY), 0, "not for cflinuxfs4");
    // Readable by others (less the umask), not a temporary file's 0600: a cache may be shared
    // between users or copied to another machine.
    let mode = fs::metadata(scene.entry(RUBY))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o644 & !common::bin::umask());

    // The filled cache packages with --offline and no request at all.
    let before = scene.server.requests().len();
    let out = scene.root.parent().unwrap().join("out");
    let packaged = run(package(&scene.cache)
        .arg(&scene.root)
        .args(["-q", "--cached", "--offline", "--stack", "cflinuxfs4"])
        .arg("--output-dir")
        .arg(&out));
    assert_eq!((packaged.code, packaged.stderr.as_str()), (0, ""));
    assert_eq!(scene.server.requests().len(), before);
}

#[test]
fn any_stack_is_the_default_and_a_second_run_uses_the_cache() {
    let scene = Scene::new();
    let result = scene.fetch(&[]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert_eq!(
        result.stdout,
        lines(&[
            scene.entry(RUBY),
            scene.entry(OLD_RUBY),
            scene.entry(JVMKILL)
        ])
    );
    let again = scene.fetch(&["--any-stack"]);
    assert_eq!(again.stdout, result.stdout);
    for path in [RUBY, OLD_RUBY, JVMKILL] {
        assert_eq!(scene.server.hits(path), 1, "{path}");
    }
}

#[test]
fn json_names_each_file_and_where_it_came_from() {
    let scene = Scene::new();
    let first = scene.fetch(&["--stack", "cflinuxfs4", "--json"]);
    assert_eq!((first.code, first.stderr.as_str()), (0, ""));
    let json: serde_json::Value = serde_json::from_str(&first.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "success": true,
            "exit_code": 0,
            "error": null,
            "cache_dir": scene.cache.display().to_string(),
            "stack": "cflinuxfs4",
            "profile": null,
            "dependencies": [
                {
                    "name": "ruby",
                    "version": "3.3.1",
                    "uri": scene.server.url(RUBY),
                    "path": scene.entry(RUBY).display().to_string(),
                    "sha256": sha256_hex(&scene.ruby),
                    "size": 4000,
                    "source": "download",
                },
                {
                    "name": "jvmkill",
                    "version": "1.16.0",
                    "uri": scene.server.url(JVMKILL),
                    "path": scene.entry(JVMKILL).display().to_string(),
                    "sha256": sha256_hex(&scene.jvmkill),
                    "size": 1000,
                    "source": "download",
                },
            ],
        })
    );
    let second = scene.fetch(&["--stack", "cflinuxfs4", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&second.stdout).unwrap();
    assert_eq!(json["dependencies"][0]["source"], "cache");
    assert_eq!(json["dependencies"][1]["source"], "cache");
}

#[test]
fn a_profile_and_exclude_leave_dependencies_out() {
    let scene = Scene::new();
    let result = scene.fetch(&["--stack", "cflinuxfs4", "--profile", "minimal"]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert_eq!(result.stdout, lines(&[scene.entry(RUBY)]));
    assert_eq!(scene.server.hits(JVMKILL), 0);

    let result = scene.fetch(&["--exclude", "ruby"]);
    assert_eq!(result.stdout, lines(&[scene.entry(JVMKILL)]));
    let result = scene.fetch(&["--profile", "minimal", "--include", "jvmkill"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains("jvmkill-1.16.0.so"),
        "{}",
        result.stdout
    );
}

#[test]
fn offline_reports_a_missing_entry_and_checks_a_filled_cache() {
    let scene = Scene::new();
    // One dependency, so the message is about it alone.
    let result = scene.fetch(&["--stack", "cflinuxfs4", "--offline", "--exclude", "jvmkill"]);
    assert_eq!(result.code, 1);
    assert_eq!(result.stdout, "");
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch ruby 3.3.1: {} is not in the cache and --offline forbids downloading {}; run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere.\n",
            scene.entry(RUBY).display(),
            scene.server.url(RUBY)
        )
    );
    assert!(scene.server.requests().is_empty());

    assert_eq!(scene.fetch(&["--stack", "cflinuxfs4"]).code, 0);
    let before = scene.server.requests().len();
    let result = scene.fetch(&["--stack", "cflinuxfs4", "--offline"]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert_eq!(scene.server.requests().len(), before);
}

#[test]
fn offline_names_every_missing_entry_at_once() {
    // An operator checking a cache carried into an air-gapped site needs every missing file,
    // not the few that happened to be looked at before the first failure: offline, one miss
    // does not stop the others from being checked (--jobs 1 would otherwise stop at the first).
    let scene = Scene::new();
    let result = scene.fetch(&["--stack", "cflinuxfs4", "--offline", "--jobs", "1"]);
    assert_eq!(result.code, 1);
    assert_eq!(result.stdout, "");
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch 2 dependencies: they are not in the cache and --offline forbids downloading them: ruby 3.3.1: {} (from {}); jvmkill 1.16.0: {} (from {}); run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere.\n",
            scene.entry(RUBY).display(),
            scene.server.url(RUBY),
            scene.entry(JVMKILL).display(),
            scene.server.url(JVMKILL)
        )
    );
    assert!(scene.server.requests().is_empty());
}

/// An operator who points BPKIT_MIRRORS at an internal http(s) server and packages
/// `--offline` is told which mirror URI was not asked and why (only a `file://` mirror is read
/// offline), not only the manifest's URI, which reads as if the rule had been ignored.
#[test]
fn offline_names_the_http_mirror_it_did_not_ask() {
    let scene = Scene::new();
    let rule = format!(
        "{}=https://deploy:s3cret@mirror.corp.invalid/cf/",
        scene.server.url("/")
    );
    let fetch = |args: &[&str]| {
        run(isolated(&scene.cache)
            .env("BPKIT_MIRRORS", &rule)
            .args(["-q", "fetch"])
            .arg(&scene.root)
            .args(["--stack", "cflinuxfs4", "--offline"])
            .args(args))
    };
    let mirror = |path: &str| format!("https://-redacted-:-redacted-@mirror.corp.invalid/cf{path}");

    let result = fetch(&["--exclude", "jvmkill"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch ruby 3.3.1: {} is not in the cache and --offline forbids downloading {}, the mirror of {} (BPKIT_MIRRORS or the manifest's `mirrors:`; --offline reads only a `file://` mirror); run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere.\n",
            scene.entry(RUBY).display(),
            mirror(RUBY),
            scene.server.url(RUBY)
        )
    );

    let result = fetch(&["--jobs", "1"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch 2 dependencies: they are not in the cache and --offline forbids downloading them: ruby 3.3.1: {} (from {}, the mirror of {}); jvmkill 1.16.0: {} (from {}, the mirror of {}); --offline reads only a `file://` mirror (BPKIT_MIRRORS or the manifest's `mirrors:`): run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere.\n",
            scene.entry(RUBY).display(),
            mirror(RUBY),
            scene.server.url(RUBY),
            scene.entry(JVMKILL).display(),
            mirror(JVMKILL),
            scene.server.url(JVMKILL)
        )
    );

    // A cache entry that fails its check names the mirror too, and is removed.
    fs::create_dir_all(scene.entry(RUBY).parent().unwrap()).unwrap();
    fs::write(scene.entry(RUBY), "corrupt").unwrap();
    let result = fetch(&["--exclude", "jvmkill"]);
    assert_eq!(result.code, 1);
    assert!(
        result.stderr.contains(&format!(
            "and was removed, and --offline forbids downloading {} again, the mirror of {} (BPKIT_MIRRORS or the manifest's `mirrors:`; --offline reads only a `file://` mirror); run again without --offline.\n",
            mirror(RUBY),
            scene.server.url(RUBY)
        )),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains("s3cret"));
    assert!(!scene.entry(RUBY).exists());
    assert!(scene.server.requests().is_empty());
}

#[test]
fn force_download_fetches_again() {
    let scene = Scene::new();
    assert_eq!(scene.fetch(&["--stack", "cflinuxfs4"]).code, 0);
    let result = scene.fetch(&["--stack", "cflinuxfs4", "--force-download"]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert_eq!(scene.server.hits(RUBY), 2);
}

#[test]
fn a_failed_download_leaves_no_part_file_and_no_entry() {
    let scene = Scene::new();
    scene
        .server
        .route(JVMKILL, scene.jvmkill.clone(), Fault::Status(404));
    let result = scene.fetch(&["--stack", "cflinuxfs4"]);
    assert_eq!(result.code, 1);
    assert_eq!(result.stdout, "");
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch jvmkill 1.16.0: Could not download {}: the server answered 404 Not Found; the server has no file there: correct the URI, or put the file on the server.\n",
            scene.server.url(JVMKILL)
        )
    );
    assert!(!scene.entry(JVMKILL).exists());
    let leftovers: Vec<String> = list_files(&scene.cache)
        .into_iter()
        .filter(|f| Path::new(f).extension().is_some_and(|e| e == "part"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
}

/// Everything in the cache folder (files and folders), relative to it, sorted.
fn cache_tree(cache: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![cache.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(cache).unwrap().display().to_string();
            if path.is_dir() {
                out.push(format!("{rel}/"));
                pending.push(path);
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// A cache shared with the Go packager kept a `.<name>.lock` for every entry ever fetched, and
/// an empty folder with one for every failed download (a 404, a checksum mismatch). The cache
/// now holds the verified files and their folders only.
#[test]
fn the_cache_keeps_no_lock_file_and_no_folder_of_a_failed_download() {
    let scene = Scene::new();
    scene
        .server
        .route(JVMKILL, scene.jvmkill.clone(), Fault::Status(404));
    let result = scene.fetch(&["--stack", "cflinuxfs4"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    let ruby = scene.entry(RUBY);
    let folder = |entry: &Path| {
        let dir = entry.parent().unwrap().strip_prefix(&scene.cache).unwrap();
        format!("{}/", dir.display())
    };
    let file = |entry: &Path| {
        entry
            .strip_prefix(&scene.cache)
            .unwrap()
            .display()
            .to_string()
    };
    // ruby is fetched or not, as the failure stops the fetch: either way no lock file is left,
    // and no folder without its file.
    let left = cache_tree(&scene.cache);
    let allowed = ["dependencies/".to_string(), folder(&ruby), file(&ruby)];
    assert!(left.iter().all(|p| allowed.contains(p)), "{left:?}");
    assert_eq!(
        left.contains(&allowed[1]),
        left.contains(&allowed[2]),
        "{left:?}"
    );

    // A file that is not the one the manifest describes.
    scene.server.serve(JVMKILL, b"another file".to_vec());
    let result = scene.fetch(&["--stack", "cflinuxfs4"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains("sha256 mismatch"),
        "{}",
        result.stderr
    );
    let left = cache_tree(&scene.cache);
    assert!(left.iter().all(|p| allowed.contains(p)), "{left:?}");
    assert_eq!(
        left.contains(&allowed[1]),
        left.contains(&allowed[2]),
        "{left:?}"
    );

    scene.server.serve(JVMKILL, scene.jvmkill.clone());
    assert_eq!(scene.fetch(&["--stack", "cflinuxfs4"]).code, 0);
    let jvmkill = scene.entry(JVMKILL);
    let mut expected = vec![
        "dependencies/".to_string(),
        folder(&ruby),
        file(&ruby),
        folder(&jvmkill),
        file(&jvmkill),
    ];
    expected.sort();
    assert_eq!(cache_tree(&scene.cache), expected);
}

#[test]
fn the_package_checks_apply() {
    let scene = Scene::new();
    let result = scene.fetch(&["--stack", "cflinuxfs9"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Stack `cflinuxfs9` not found in manifest {}: its dependencies are for cflinuxfs4, cflinuxfs3; package for one of those, or use --any-stack\n",
            scene.manifest().display()
        )
    );
    let result = scene.fetch(&["--profile", "tiny"]);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: packaging profile `tiny` not found in {}: it defines minimal\n",
            scene.manifest().display()
        )
    );
    assert!(scene.server.requests().is_empty());
}

/// `--stack ''` (a script's unset variable) is a usage error naming the flag, as `bpkit stage`
/// and `bpkit package` say it, where fetch looked for stack `` among the dependencies and
/// said it was not found (exit 1); `--profile ''` too. Nothing is fetched.
#[test]
fn an_empty_or_unnameable_stack_is_a_usage_error_naming_the_flag() {
    let scene = Scene::new();
    for (stack, problem) in [("", "it is empty"), ("cf linuxfs4", "it contains ` `")] {
        for command in ["fetch", "package"] {
            let result = run(isolated(&scene.cache)
                .args(["-q", command])
                .arg(&scene.root)
                .args(["--stack", stack]));
            assert_eq!(result.code, 2, "{command} {stack:?}: {}", result.stderr);
            assert_eq!(result.stdout, "");
            assert_eq!(
                result.stderr,
                format!(
                    "error: invalid value '{stack}' for '--stack <STACK>': {problem}; give a stack name such as cflinuxfs4\n\nFor more information, try '--help'.\n"
                )
            );
        }
    }
    // An empty --profile, the same: it was looked up, and "not found".
    for command in ["fetch", "package"] {
        let result = run(isolated(&scene.cache)
            .args(["-q", command])
            .arg(&scene.root)
            .args(["--profile", ""]));
        assert_eq!(result.code, 2, "{command}: {}", result.stderr);
        assert_eq!(
            result.stderr,
            "error: invalid value '' for '--profile <PROFILE>': it is empty; give the name of one of the manifest's packaging_profiles, or leave out --profile\n\nFor more information, try '--help'.\n"
        );
    }
    assert!(scene.server.requests().is_empty());
    assert!(!scene.cache.exists());
}

/// A cache folder whose path is not UTF-8: the paths on stdout are the files' own (they were
/// printed lossily, U+FFFD for the bytes, naming no file), and `--json`, whose strings are
/// UTF-8, refuses it before fetching anything, as `bpkit package --json` refuses such an
/// output folder (and `bpkit init` such a DIR), where both wrote a changed path.
#[test]
fn a_cache_path_that_is_not_utf8_is_printed_as_it_is_and_refused_by_json() {
    use std::ffi::OsString;
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let scene = Scene::new();
    let mut cache = scene.cache.clone().into_os_string().into_vec();
    cache.extend_from_slice(b"-caf\xe9");
    let cache = PathBuf::from(OsString::from_vec(cache));
    let shown = cache.display().to_string();

    let json = run(isolated(&cache)
        .args(["-q", "fetch", "--json", "--stack", "cflinuxfs4"])
        .arg(&scene.root));
    assert_eq!(json.code, 1, "{}", json.stderr);
    let error = format!(
        "the dependency cache {shown} is not valid UTF-8, which a --json document cannot hold; use a cache folder whose path is UTF-8 text (--cache-dir or BPKIT_CACHE_DIR), or leave out --json, which prints paths as they are"
    );
    assert_eq!(json.stderr, format!("bpkit: error: {error}\n"));
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(document["error"], error.as_str());
    assert!(scene.server.requests().is_empty());
    assert!(!cache.exists());

    let output = isolated(&cache)
        .args(["-q", "fetch", "--stack", "cflinuxfs4"])
        .arg(&scene.root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let mut expected = Vec::new();
    for (path, name) in [
        (RUBY, "ruby-3.3.1-linux-x64.tgz"),
        (JVMKILL, "jvmkill-1.16.0.so"),
    ] {
        let entry = cache
            .join("dependencies")
            .join(md5_hex(scene.server.url(path).as_bytes()))
            .join(name);
        assert!(entry.is_file(), "{}", entry.display());
        expected.extend_from_slice(entry.as_os_str().as_bytes());
        expected.push(b'\n');
    }
    assert_eq!(output.stdout, expected);

    // package, the same: its output folder.
    let out = cache.join("out");
    fs::create_dir_all(&out).unwrap();
    let json = run(package(&cache)
        .args(["-q", "--json", "--output-dir"])
        .arg(&out)
        .arg(&scene.root));
    assert_eq!(json.code, 1, "{}", json.stderr);
    assert_eq!(
        json.stderr,
        format!(
            "bpkit: error: the output folder {} is not valid UTF-8, which a --json document cannot hold; write the zip to a folder whose path is UTF-8 text (--output-dir), or leave out --json, which prints paths as they are\n",
            out.display()
        )
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
    let output = package(&cache)
        .args(["-q", "--output-dir"])
        .arg(&out)
        .arg(&scene.root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let zip = out.join("ruby_buildpack-v1.0.0.zip");
    assert!(zip.is_file());
    let mut expected = zip.into_os_string().into_vec();
    expected.push(b'\n');
    assert_eq!(output.stdout, expected);
}

#[test]
fn another_manifest_and_cache_dir() {
    let scene = Scene::new();
    let other = scene.root.parent().unwrap().join("other.yml");
    fs::copy(scene.manifest(), &other).unwrap();
    fs::remove_file(scene.manifest()).unwrap();
    let cache = scene.root.parent().unwrap().join("elsewhere");
    let result = run(bpkit()
        .args([
            "-q",
            "fetch",
            "--stack",
            "cflinuxfs4",
            "--exclude",
            "jvmkill",
            "--manifest",
        ])
        .arg(&other)
        .arg("--cache-dir")
        .arg(&cache)
        .arg(&scene.root));
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    let entry = cache
        .join("dependencies")
        .join(md5_hex(scene.server.url(RUBY).as_bytes()))
        .join("ruby-3.3.1-linux-x64.tgz");
    assert_eq!(result.stdout, lines(&[entry]));
}

/// A buildpack author's `mirrors:` rule points at the author's own mirror, which this site
/// cannot reach (nothing listens); the site's operator maps the whole host to a folder of its
/// own with a shorter prefix. The operator's rule wins although the manifest's is longer.
#[test]
fn the_operators_mirror_wins_over_a_longer_manifest_rule() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let source =
        fs::read_to_string(common::bin::repo_root().join("fixtures/buildpack/manifest.yml"))
            .unwrap();
    let authors_mirror = common::server::refused_url("/authors-mirror/");
    let manifest =
        format!("{source}mirrors:\n  https://deps.example.invalid/hello/: {authors_mirror}\n");
    let root = base.join("bp");
    write(&root, "manifest.yml", manifest);
    write(&root, "VERSION", "1.0.0\n");
    // The site's folder mirrors the whole host: `hello/` is a folder in it.
    let site = base.join("site");
    fs::create_dir_all(site.join("hello")).unwrap();
    for name in ["hello-1.0.0-linux-x64.tgz", "hello-1.1.0-linux-x64.tgz"] {
        fs::copy(
            common::bin::repo_root().join("fixtures/deps").join(name),
            site.join("hello").join(name),
        )
        .unwrap();
    }
    let site_mirror = format!("https://deps.example.invalid/=file://{}/", site.display());
    let fetched = run(isolated(&base.join("cache"))
        .env("BPKIT_MIRRORS", &site_mirror)
        .env("BPKIT_RETRIES", "0")
        .args(["fetch", "--json"])
        .arg(&root));
    assert_eq!(fetched.code, 0, "{}\n{}", fetched.stdout, fetched.stderr);
    let json: serde_json::Value = serde_json::from_str(&fetched.stdout).unwrap();
    for dependency in json["dependencies"].as_array().unwrap() {
        assert_eq!(dependency["source"], "mirror", "{dependency}");
    }
    assert!(
        fetched.stderr.contains(&format!(
            "hello 1.1.0: fetched from mirror file://{}/hello/hello-1.1.0-linux-x64.tgz",
            site.display()
        )),
        "{}",
        fetched.stderr
    );
}

/// A download setting that is not UTF-8 is refused by name. Read as unset, it was ignored:
/// `BPKIT_MIRRORS` or a proxy the operator set was silently skipped.
#[test]
fn settings_that_are_not_utf8_are_refused_by_name() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let scene = Scene::new();
    for name in ["BPKIT_MIRRORS", "https_proxy", "BPKIT_READ_TIMEOUT"] {
        let result = run(isolated(&scene.cache)
            .env(name, OsStr::from_bytes(b"http://m\xff/"))
            .args(["-q", "fetch"])
            .arg(&scene.root));
        assert_eq!(result.code, 1, "{name}: {}", result.stderr);
        assert_eq!(result.stdout, "");
        assert_eq!(
            result.stderr,
            format!(
                "bpkit: error: {name}=`http://m\u{FFFD}/` is not valid: it is not UTF-8 text; set it in plain ASCII or UTF-8, or unset it.\n"
            )
        );
    }
}

/// A proxy setting with no host, a port only or a port out of range is refused by name before
/// anything is fetched, where ureq took it and every download failed three times with "failed
/// to lookup address information (through the proxy :3128)", naming no setting.
#[test]
fn a_proxy_without_a_host_or_with_a_bad_port_is_refused_by_name() {
    let scene = Scene::new();
    for (name, value, reason) in [
        (
            "https_proxy",
            ":3128",
            "it names a port only; write the proxy's host before it, as in http://proxy.example:3128",
        ),
        (
            "HTTP_PROXY",
            "3128",
            "it names a port only; write the proxy's host before it, as in http://proxy.example:3128",
        ),
        (
            "all_proxy",
            "http://proxy:99999",
            "`99999` is no port (a number from 1 to 65535); write the proxy's port, as in http://proxy.example:3128",
        ),
    ] {
        let result = run(isolated(&scene.cache)
            .env(name, value)
            .args(["-q", "fetch"])
            .arg(&scene.root));
        assert_eq!(
            (result.code, result.stdout.as_str(), result.stderr),
            (
                1,
                "",
                format!("bpkit: error: {name}=`{value}` is not valid: {reason}.\n")
            ),
            "{name}"
        );
        assert_eq!(scene.server.hits(RUBY), 0, "{name}");
    }
}

/// An SSL_CERT_FILE whose certificate was cut short in a paste is refused naming it, before
/// anything is fetched, where the TLS layer dropped it without a word and every download from
/// the mirror it signs failed as untrusted.
#[test]
fn a_certificate_cut_short_in_ssl_cert_file_is_refused() {
    let scene = Scene::new();
    let ca = fs::read_to_string(repo_root().join("tests/common/tls/ca.pem")).unwrap();
    // Two base64 lines taken out of its middle: still PEM, no longer a certificate.
    let lines: Vec<&str> = ca.lines().collect();
    let cut = [&lines[..3], &lines[5..]].concat().join("\n") + "\n";
    let file = scene.cache.with_file_name("ca.pem");
    fs::write(&file, cut).unwrap();
    let result = run(isolated(&scene.cache)
        .env("SSL_CERT_FILE", &file)
        .args(["-q", "fetch"])
        .arg(&scene.root));
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr),
        (
            1,
            "",
            format!(
                "bpkit: error: Could not load extra CA certificates from SSL_CERT_FILE={}: its certificate 1 (counting from 1) is not an X.509 certificate: the base64 between its BEGIN and END lines is cut short or altered; copy it again from its source; set SSL_CERT_FILE to a PEM file of CA certificates, or unset it.\n",
                file.display()
            )
        )
    );
    assert_eq!(scene.server.hits(RUBY), 0);
}

/// Ctrl-C while a dependency trickles in: the download stops at once, no `.part` file and no
/// unverified entry is left (a file already verified stays), one line says so, exit 130; the
/// next run fetches the rest.
#[test]
fn an_interrupted_fetch_leaves_only_verified_files() {
    use std::time::{Duration, Instant};
    let scene = Scene::new();
    // 4000 bytes, 100 every 200 ms: 8 s, far longer than the run is given to stop.
    scene.server.route(
        RUBY,
        scene.ruby.clone(),
        Fault::Slow {
            chunk: 100,
            delay: Duration::from_millis(200),
        },
    );
    let child = spawn_fetch(&scene, "--default-signal=INT,TERM,HUP");
    wait_until_ruby_downloads(&scene);
    let signalled = Instant::now();
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let stopped = common::timed::wait_within(child, Duration::from_secs(30), "bpkit fetch");
    let took = signalled.elapsed();
    assert_eq!(
        (stopped.code, stopped.stderr.as_str()),
        (
            130,
            "bpkit: error: fetching was interrupted; the cache holds only verified files\n"
        )
    );
    assert!(took < Duration::from_secs(5), "took {took:?} to stop");
    let left = list_files(&scene.cache);
    assert!(
        !left
            .iter()
            .any(|f| Path::new(f).extension().is_some_and(|e| e == "part")),
        "{left:?}"
    );
    assert!(!scene.entry(RUBY).exists(), "no unverified entry");

    scene.server.serve(RUBY, scene.ruby.clone());
    let again = scene.fetch(&["--stack", "cflinuxfs4"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(fs::read(scene.entry(RUBY)).unwrap(), scene.ruby);
    assert_eq!(fs::read(scene.entry(JVMKILL)).unwrap(), scene.jvmkill);
}

/// `bpkit -q fetch` of the scene for cflinuxfs4 started in the background, through coreutils'
/// env with `signals` (which signals it starts with ignored or at their default action),
/// stderr piped.
fn spawn_fetch(scene: &Scene, signals: &str) -> std::process::Child {
    let mut fetch = isolated(&scene.cache);
    fetch
        .args(["-q", "fetch"])
        .arg(&scene.root)
        .args(["--stack", "cflinuxfs4"]);
    common::process::under_env(&fetch, &[signals])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait (up to 30 s) until the ruby dependency's `.part` file has its first bytes.
fn wait_until_ruby_downloads(scene: &Scene) {
    use std::time::{Duration, Instant};
    let entry_dir = scene.entry(RUBY).parent().unwrap().to_path_buf();
    let started = Instant::now();
    let downloading = || {
        list_files(&entry_dir).iter().any(|f| {
            Path::new(f).extension().is_some_and(|e| e == "part")
                && fs::metadata(entry_dir.join(f)).is_ok_and(|m| m.len() > 0)
        })
    };
    while !downloading() {
        assert!(started.elapsed() < Duration::from_secs(30), "no download");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Started with SIGHUP and SIGINT ignored (`nohup`, a script's `bpkit fetch &`), bpkit keeps
/// them ignored: both arrive mid-download and the fetch goes on to the end. It once caught
/// them anyway and stopped with exit 130 when the terminal closed.
#[test]
fn signals_ignored_when_bpkit_starts_stay_ignored() {
    use std::time::Duration;
    let scene = Scene::new();
    // 4000 bytes, 500 every 150 ms: about 1.2 s, time for the signals to arrive mid-way.
    scene.server.route(
        RUBY,
        scene.ruby.clone(),
        Fault::Slow {
            chunk: 500,
            delay: Duration::from_millis(150),
        },
    );
    // As nohup and `&` start it.
    let child = spawn_fetch(&scene, "--ignore-signal=HUP,INT");
    wait_until_ruby_downloads(&scene);
    for signal in ["-HUP", "-INT"] {
        let sent = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }
    let done = common::timed::wait_within(child, Duration::from_secs(30), "bpkit fetch");
    assert_eq!((done.code, done.stderr.as_str()), (0, ""));
    assert_eq!(fs::read(scene.entry(RUBY)).unwrap(), scene.ruby);
}

/// A dependency cache bpkit may not write to names the entry, the OS reason and the fix (it
/// once stopped at `Permission denied (os error 13).`). Root (or any process with
/// CAP_DAC_OVERRIDE) writes through `chmod 0555`, so there the case cannot be made and is
/// skipped, saying why.
#[test]
fn a_read_only_cache_names_the_entry_and_the_fix() {
    let scene = Scene::new();
    fs::create_dir_all(&scene.cache).unwrap();
    let read_only = |mode| fs::set_permissions(&scene.cache, fs::Permissions::from_mode(mode));
    read_only(0o555).unwrap();
    if fs::write(scene.cache.join("probe"), "x").is_ok() {
        read_only(0o755).unwrap();
        eprintln!("skipped: this process writes through chmod 0555 (running as root)");
        return;
    }
    let result = scene.fetch(&["--stack", "cflinuxfs4", "--profile", "minimal"]);
    read_only(0o755).unwrap();
    let entry = scene.cache.join("dependencies");
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: Could not fetch ruby 3.3.1: Could not write {}/{}: Permission denied (os error 13); make that folder writable by this user, or use a writable one (for the dependency cache: --cache-dir or BPKIT_CACHE_DIR).\n",
                entry.display(),
                md5_hex(scene.server.url(RUBY).as_bytes()),
            )
            .as_str()
        )
    );
}

/// The manifest's `mirrors:`, in both forms the README shows (a mapping of prefix to
/// replacement, or a list of `PREFIX=REPLACEMENT` texts), maps the dependencies' URIs with no
/// BPKIT_MIRRORS at all.
#[test]
fn the_manifests_mirrors_work_as_a_mapping_and_as_a_list() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let source =
        fs::read_to_string(common::bin::repo_root().join("fixtures/buildpack/manifest.yml"))
            .unwrap();
    let deps = common::bin::repo_root().join("fixtures/deps");
    let prefix = "https://deps.example.invalid/hello/";
    for (form, mirrors) in [
        (
            "mapping",
            format!("mirrors:\n  {prefix}: file://{}/\n", deps.display()),
        ),
        (
            "list",
            format!("mirrors:\n- {prefix}=file://{}/\n", deps.display()),
        ),
    ] {
        let root = base.join(form);
        write(&root, "manifest.yml", format!("{source}{mirrors}"));
        write(&root, "VERSION", "1.0.0\n");
        let fetched = run(isolated(&base.join(form).join("cache"))
            .env_remove("BPKIT_MIRRORS")
            .env("BPKIT_RETRIES", "0")
            .args(["fetch", "--json"])
            .arg(&root));
        assert_eq!(
            fetched.code, 0,
            "{form}: {}\n{}",
            fetched.stdout, fetched.stderr
        );
        let json: serde_json::Value = serde_json::from_str(&fetched.stdout).unwrap();
        let sources: Vec<&str> = json["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["source"].as_str().unwrap())
            .collect();
        assert_eq!(sources, ["mirror", "mirror"], "{form}");
    }
}

/// A `file://` URI decoding to a path with a NUL (`%00`) or a line break is named with their
/// escapes: the raw byte reached the terminal, and a line break split the error in two.
#[test]
fn a_file_uri_with_a_nul_or_a_line_break_is_named_with_escapes() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("bp");
    for (encoded, shown) in [("x%00y", "x\\u{0}y"), ("x%0Ay", "x\\ny")] {
        write(
            &root,
            "manifest.yml",
            format!(
                "language: t\ndependencies:\n- name: dep\n  version: 1.0.0\n  uri: file:///nonexistent/{encoded}.tgz\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n",
                "a".repeat(64)
            ),
        );
        write(&root, "VERSION", "1.0.0\n");
        let result = run(isolated(&temp.path().join("cache"))
            .args(["-q", "fetch"])
            .arg(&root));
        assert_eq!(result.code, 1, "{}", result.stderr);
        assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
        assert!(!result.stderr.contains('\0'), "{:?}", result.stderr);
        assert!(
            result.stderr.contains(&format!(
                "Could not read /nonexistent/{shown}.tgz (for file:///nonexistent/{encoded}.tgz)"
            )),
            "{}",
            result.stderr
        );
    }
}
