//! `bpkit package` end to end (issue 3): zip names, contents read back by the `zip` crate,
//! Info-ZIP and Python, byte-identical rebuilds, stored tarballs, the packaged manifest, and
//! every failure with its exact message. Dependencies come from a 127.0.0.1 server the test
//! starts, or `file://`; nothing touches the internet.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::bin::{link_as, repo_root, run};
use common::buildpack::{
    chmod, fake_elf, info_zip, list_files, md5_hex, package, python_zip, sha256_hex, write,
    zip_map, zip_text,
};
use common::server::{Fault, Server, payload, refused_url};

const TOOL: &str = "/tool/tool-1.10-linux-x64.tgz";
const OLD_TOOL: &str = "/tool/tool-1.9.0-linux-x64.tgz";
const AGENT: &str = "/agent/agent-2.0.0.jar";

/// A buildpack `demo` with three dependencies served by a local server: tool 1.10 (for
/// cflinuxfs4/5, the default), tool 1.9.0 (cflinuxfs3 only) and agent 2.0 (cflinuxfs4, left
/// out by the `minimal` profile).
struct Demo {
    _temp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    cache: PathBuf,
    server: Server,
    tool: Vec<u8>,
    agent: Vec<u8>,
}

impl Demo {
    fn new() -> Demo {
        let temp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(temp.path()).unwrap();
        let root = base.join("demo-buildpack");
        let out = base.join("out");
        let cache = base.join("cache");
        let server = Server::start();
        let tool = payload(3000);
        let old_tool = payload(1500);
        let agent = payload(2500).into_iter().rev().collect::<Vec<u8>>();
        server.serve(TOOL, tool.clone());
        server.serve(OLD_TOOL, old_tool.clone());
        server.serve(AGENT, agent.clone());
        let manifest = format!(
            "---\nlanguage: demo\ndefault_versions:\n- name: tool\n  version: 1.10.x\ndependencies:\n- name: tool\n  version: 1.10\n  uri: {tool_uri}\n  sha256: {tool_sha}\n  cf_stacks:\n  - cflinuxfs4\n  - cflinuxfs5\n- name: tool\n  version: 1.9.0\n  uri: {old_uri}\n  sha256: {old_sha}\n  cf_stacks:\n  - cflinuxfs3\n- name: agent\n  version: '2.0'\n  uri: {agent_uri}\n  sha256: {agent_sha}\n  md5: {agent_md5}\n  cf_stacks:\n  - cflinuxfs4\npackaging_profiles:\n  minimal:\n    description: Without the agent.\n    exclude:\n    - agent\ninclude_files:\n- README.md\n- bin\n- lib/\n- manifest.yml\n- VERSION\n",
            tool_uri = server.url(TOOL),
            tool_sha = sha256_hex(&tool),
            old_uri = server.url(OLD_TOOL),
            old_sha = sha256_hex(&old_tool),
            agent_uri = server.url(AGENT),
            agent_sha = sha256_hex(&agent),
            agent_md5 = md5_hex(&agent),
        );
        write(&root, "manifest.yml", manifest);
        write(&root, "VERSION", "1.2.3\n");
        write(&root, "README.md", "# demo\n");
        for phase in ["detect", "supply", "finalize", "release"] {
            // 0644 on purpose: the zip must still have 0755 for everything under bin/.
            write(
                &root,
                &format!("bin/{phase}"),
                format!("#!/bin/sh\necho {phase}\n"),
            );
        }
        chmod(&write(&root, "lib/helper.rb", "puts 1\n"), 0o600);
        chmod(&write(&root, "lib/tool.sh", "#!/bin/sh\n"), 0o700);
        write(&root, "secret.txt", "not listed, not packaged\n");
        Demo {
            _temp: temp,
            root,
            out,
            cache,
            server,
            tool,
            agent,
        }
    }

    /// `bpkit -q package ROOT --output-dir OUT ARGS…`.
    fn package(&self, args: &[&str]) -> common::bin::Run {
        run(package(&self.cache)
            .arg(&self.root)
            .arg("--output-dir")
            .arg(&self.out)
            .args(args))
    }

    fn manifest_path(&self) -> PathBuf {
        self.root.join("manifest.yml")
    }

    fn edit_manifest(&self, from: &str, to: &str) {
        let text = fs::read_to_string(self.manifest_path()).unwrap();
        assert!(text.contains(from), "{from} not in the manifest");
        fs::write(self.manifest_path(), text.replace(from, to)).unwrap();
    }

    /// Serve `size` bytes instead of tool 1.10 (the manifest's sha256 made to match), with
    /// `fault`; the bytes.
    fn big_tool(&self, size: usize, fault: Fault) -> Vec<u8> {
        let big = payload(size);
        self.edit_manifest(&sha256_hex(&self.tool), &sha256_hex(&big));
        self.server.route(TOOL, big.clone(), fault);
        big
    }

    /// `bpkit package ROOT -q --cached --stack cflinuxfs4 --output-dir OUT`, to start.
    fn cached_packager(&self) -> std::process::Command {
        let mut command = package(&self.cache);
        command
            .arg(&self.root)
            .args(["-q", "--cached", "--stack", "cflinuxfs4", "--output-dir"])
            .arg(&self.out);
        command
    }

    /// Once the server serves `big` whole, a quiet cached run packages from it, with nothing
    /// to say, and leaves only the zip.
    fn assert_a_rerun_packages(&self, big: &[u8]) {
        self.server.serve(TOOL, big.to_vec());
        let result = quiet(self, CACHED);
        assert_eq!((result.code, result.stderr.as_str()), (0, ""));
        assert_eq!(fs::read(self.cache_entry(TOOL)).unwrap(), big);
        assert_eq!(
            list_files(&self.out),
            ["demo_buildpack-cached-cflinuxfs4-v1.2.3.zip"]
        );
    }

    fn cache_entry(&self, path: &str) -> PathBuf {
        let uri = self.server.url(path);
        self.cache
            .join("dependencies")
            .join(md5_hex(uri.as_bytes()))
            .join(path.rsplit('/').next().unwrap())
    }
}

/// The warning every run of the demo prints: tool's default (1.10.x) has no match on
/// cflinuxfs3, where only tool 1.9.0 exists (which the default-version test relies on).
fn manifest_warning(demo: &Demo) -> String {
    format!(
        "       **WARNING** {} has 1 warning; `bpkit validate` lists them\n",
        demo.manifest_path().display()
    )
}

/// `bpkit package ROOT --cached --stack cflinuxfs4`: the demo's usual run.
const CACHED: &[&str] = &["--cached", "--stack", "cflinuxfs4"];

/// Run quietly so stderr holds only warnings and errors, less the demo's manifest warning.
fn quiet(demo: &Demo, args: &[&str]) -> common::bin::Run {
    let mut command = package(&demo.cache);
    command
        .arg(&demo.root)
        .arg("--output-dir")
        .arg(&demo.out)
        .args(args)
        .arg("-q");
    without_the_manifest_warning(demo, run(&mut command))
}

/// `quiet(demo, CACHED)` with extra environment variables.
fn quiet_env(demo: &Demo, env: &[(&str, &str)]) -> common::bin::Run {
    let mut command = demo.cached_packager();
    command.envs(env.iter().copied());
    without_the_manifest_warning(demo, run(&mut command))
}

/// `result` with the demo's manifest warning, which must start its stderr, taken out.
fn without_the_manifest_warning(demo: &Demo, mut result: common::bin::Run) -> common::bin::Run {
    let warning = manifest_warning(demo);
    assert!(result.stderr.starts_with(&warning), "{}", result.stderr);
    result.stderr = result.stderr.replacen(&warning, "", 1);
    result
}

/// `bpkit verify ZIP` finds nothing wrong: exit 0, nothing on stdout.
#[track_caller]
fn assert_verifies(zip: &Path) {
    let verify = run(common::bin::bpkit().arg("verify").arg(zip));
    assert_eq!(
        (verify.code, verify.stdout.as_str()),
        (0, ""),
        "{}",
        verify.stderr
    );
}

fn has_extension(name: &str, extension: &str) -> bool {
    Path::new(name).extension().is_some_and(|e| e == extension)
}

fn assert_path(result: &common::bin::Run, out: &Path, name: &str) {
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(result.stdout, format!("{}/{name}\n", out.display()));
    assert!(out.join(name).is_file());
}

#[test]
fn zip_names_for_each_combination() {
    let demo = Demo::new();
    let cases: &[(&[&str], &str)] = &[
        (&[], "demo_buildpack-v1.2.3.zip"),
        (&["--any-stack"], "demo_buildpack-v1.2.3.zip"),
        (
            &["--stack", "cflinuxfs4"],
            "demo_buildpack-cflinuxfs4-v1.2.3.zip",
        ),
        (&["--cached"], "demo_buildpack-cached-v1.2.3.zip"),
        (
            &["--cached", "--stack", "cflinuxfs5"],
            "demo_buildpack-cached-cflinuxfs5-v1.2.3.zip",
        ),
        (
            &["--profile", "minimal"],
            "demo_buildpack-minimal-v1.2.3.zip",
        ),
        (
            &["--cached", "--profile", "minimal", "--stack", "cflinuxfs4"],
            "demo_buildpack-cached-minimal-cflinuxfs4-v1.2.3.zip",
        ),
        (
            &[
                "--cached",
                "--profile",
                "minimal",
                "--include",
                "agent",
                "--stack",
                "cflinuxfs4",
            ],
            "demo_buildpack-cached-minimal+custom-cflinuxfs4-v1.2.3.zip",
        ),
        (
            &["--profile", "minimal", "--exclude", "tool"],
            "demo_buildpack-minimal+custom-v1.2.3.zip",
        ),
        (
            &["--cached", "--exclude", "agent"],
            "demo_buildpack-cached-custom-v1.2.3.zip",
        ),
        (&["--version", "9.9.9"], "demo_buildpack-v9.9.9.zip"),
    ];
    for (args, name) in cases {
        let result = demo.package(args);
        assert_path(&result, &demo.out, name);
    }
}

/// `--include` with nothing to restore packages as if it were not given, and says why.
#[test]
fn an_include_that_restores_nothing_is_warned_about() {
    let demo = Demo::new();
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--include", "agent"],
            "demo_buildpack-v1.2.3.zip",
            "--include agent: nothing to restore without --profile",
        ),
        (
            &["--profile", "minimal", "--include", "tool"],
            "demo_buildpack-minimal-v1.2.3.zip",
            "--include tool: nothing to restore, profile minimal does not exclude it",
        ),
    ];
    for (args, name, warning) in cases {
        let result = quiet(&demo, args);
        assert_path(&result, &demo.out, name);
        assert_eq!(result.stderr, format!("       **WARNING** {warning}\n"));
    }
}

#[test]
fn cached_zip_contents_modes_and_packaged_manifest() {
    let demo = Demo::new();
    let result = demo.package(&["--cached", "--stack", "cflinuxfs4"]);
    let name = "demo_buildpack-cached-cflinuxfs4-v1.2.3.zip";
    assert_path(&result, &demo.out, name);
    let zip = demo.out.join(name);
    let tool_dir = format!("dependencies/{}", md5_hex(demo.server.url(TOOL).as_bytes()));
    let agent_dir = format!(
        "dependencies/{}",
        md5_hex(demo.server.url(AGENT).as_bytes())
    );
    let tool_file = format!("{tool_dir}/tool-1.10-linux-x64.tgz");
    let agent_file = format!("{agent_dir}/agent-2.0.0.jar");

    let entries = zip_map(&zip);
    let mut expected: Vec<(String, u32)> = vec![
        ("README.md".into(), 0o100_644),
        ("VERSION".into(), 0o100_644),
        ("bin/".into(), 0o040_755),
        ("bin/detect".into(), 0o100_755),
        ("bin/finalize".into(), 0o100_755),
        ("bin/release".into(), 0o100_755),
        ("bin/supply".into(), 0o100_755),
        ("dependencies/".into(), 0o040_755),
        (format!("{agent_dir}/"), 0o040_755),
        (agent_file.clone(), 0o100_644),
        (format!("{tool_dir}/"), 0o040_755),
        (tool_file.clone(), 0o100_644),
        ("lib/".into(), 0o040_755),
        ("lib/helper.rb".into(), 0o100_644),
        ("lib/tool.sh".into(), 0o100_755),
        ("manifest.yml".into(), 0o100_644),
    ];
    expected.sort();
    let actual: Vec<(String, u32)> = entries
        .iter()
        .map(|(name, e)| (name.clone(), e.mode))
        .collect();
    assert_eq!(actual, expected);
    assert_eq!(entries[&tool_file].data, demo.tool);
    assert_eq!(entries[&agent_file].data, demo.agent);
    assert!(entries[&tool_file].stored, ".tgz is stored, not deflated");
    assert!(entries[&agent_file].stored, ".jar is stored, not deflated");
    assert!(!entries["README.md"].stored);
    assert_eq!(entries["VERSION"].data, b"1.2.3");

    assert_eq!(
        zip_text(&zip, "manifest.yml"),
        format!(
            "---\nlanguage: demo\nstack: cflinuxfs4\ndefault_versions:\n- name: tool\n  version: 1.10.x\ndependencies:\n- name: tool\n  version: 1.10\n  uri: {tool_uri}\n  sha256: {tool_sha}\n  file: {tool_file}\n- name: agent\n  version: '2.0'\n  uri: {agent_uri}\n  sha256: {agent_sha}\n  md5: {agent_md5}\n  file: {agent_file}\npackaging_profiles:\n  minimal:\n    description: Without the agent.\n    exclude:\n    - agent\ninclude_files:\n- README.md\n- bin\n- lib/\n- manifest.yml\n- VERSION\n",
            tool_uri = demo.server.url(TOOL),
            tool_sha = sha256_hex(&demo.tool),
            agent_uri = demo.server.url(AGENT),
            agent_sha = sha256_hex(&demo.agent),
            agent_md5 = md5_hex(&demo.agent),
        )
    );

    // Info-ZIP reads the same entries, modes and methods.
    if let Some(listing) = info_zip(&zip) {
        let tgz = listing.iter().find(|(_, _, n)| n == &tool_file).unwrap();
        assert_eq!((tgz.0.as_str(), tgz.1.as_str()), ("-rw-r--r--", "stor"));
        let detect = listing.iter().find(|(_, _, n)| n == "bin/detect").unwrap();
        assert_eq!(
            (detect.0.as_str(), detect.1.as_str()),
            ("-rwxr-xr-x", "defN")
        );
        assert_eq!(listing.len(), entries.len());
    } else {
        println!("skipped the Info-ZIP check: unzip is not installed");
    }
    // And so does Python's zipfile (CRCs checked by testzip).
    if let Some(listing) = python_zip(&zip) {
        let tgz = listing.iter().find(|(n, _, _)| n == &tool_file).unwrap();
        assert_eq!((tgz.1.as_str(), tgz.2), ("0o100644", 0));
        let helper = listing.iter().find(|(n, _, _)| n == "lib/tool.sh").unwrap();
        assert_eq!((helper.1.as_str(), helper.2), ("0o100755", 8));
    } else {
        println!("skipped the Python zipfile check: python3 is not installed");
    }

    // The cache uses the Go packager's layout.
    assert_eq!(fs::read(demo.cache_entry(TOOL)).unwrap(), demo.tool);
    // And bpkit verify agrees.
    assert_verifies(&zip);
}

#[test]
fn uncached_any_stack_keeps_cf_stacks_and_has_no_dependencies() {
    let demo = Demo::new();
    let result = demo.package(&[]);
    assert_path(&result, &demo.out, "demo_buildpack-v1.2.3.zip");
    let zip = demo.out.join("demo_buildpack-v1.2.3.zip");
    let entries = zip_map(&zip);
    assert!(!entries.keys().any(|k| k.starts_with("dependencies")));
    let manifest = zip_text(&zip, "manifest.yml");
    let source = fs::read_to_string(demo.manifest_path()).unwrap();
    assert_eq!(
        manifest, source,
        "nothing to change for an uncached any-stack zip"
    );
    assert_eq!(
        demo.server.requests().len(),
        0,
        "an uncached zip downloads nothing"
    );

    // A `file:` in the source (a manifest copied out of a cached zip) named a file the
    // uncached zip does not hold, so `bpkit verify` refused it: it is dropped.
    demo.edit_manifest(
        "  version: '2.0'\n",
        "  version: '2.0'\n  file: dependencies/0123/agent-2.0.0.jar\n",
    );
    let result = demo.package(&[]);
    assert_path(&result, &demo.out, "demo_buildpack-v1.2.3.zip");
    assert_eq!(zip_text(&zip, "manifest.yml"), source);
    assert_verifies(&zip);
}

#[test]
fn the_same_inputs_give_a_byte_identical_zip() {
    let demo = Demo::new();
    let first = demo.package(&["--cached", "--stack", "cflinuxfs4"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let name = "demo_buildpack-cached-cflinuxfs4-v1.2.3.zip";
    let a = fs::read(demo.out.join(name)).unwrap();
    // Touch the sources: timestamps must not matter.
    fs::write(demo.root.join("README.md"), "# demo\n").unwrap();
    let again = run(package(&demo.cache)
        .arg(&demo.root)
        .args([
            "--cached",
            "--stack",
            "cflinuxfs4",
            "--jobs",
            "1",
            "--output-dir",
        ])
        .arg(demo.out.join("again")));
    assert_eq!(again.code, 0, "{}", again.stderr);
    let b = fs::read(demo.out.join("again").join(name)).unwrap();
    assert!(a == b, "the second zip differs from the first");
    assert_eq!(demo.server.hits(TOOL), 1, "the second run used the cache");

    // SOURCE_DATE_EPOCH sets every entry's time, and is reproducible too.
    let epoch = run(package(&demo.cache)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .arg(&demo.root)
        .args(["--cached", "--stack", "cflinuxfs4", "--output-dir"])
        .arg(demo.out.join("epoch")));
    assert_eq!(epoch.code, 0, "{}", epoch.stderr);
    let mut archive =
        zip::ZipArchive::new(fs::File::open(demo.out.join("epoch").join(name)).unwrap()).unwrap();
    let t = archive
        .by_name("manifest.yml")
        .unwrap()
        .last_modified()
        .unwrap();
    assert_eq!((t.year(), t.month(), t.day()), (2023, 11, 14));
    let mut plain = zip::ZipArchive::new(fs::File::open(demo.out.join(name)).unwrap()).unwrap();
    let t = plain
        .by_name("manifest.yml")
        .unwrap()
        .last_modified()
        .unwrap();
    assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1));
}

#[test]
fn json_output_names_the_zip_and_where_each_dependency_came_from() {
    let demo = Demo::new();
    let result = demo.package(&["--cached", "--stack", "cflinuxfs4", "--json"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let json: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    let path = demo.out.join("demo_buildpack-cached-cflinuxfs4-v1.2.3.zip");
    assert_eq!(json["path"], path.display().to_string());
    let bytes = fs::read(&path).unwrap();
    assert_eq!(json["size"], bytes.len());
    assert_eq!(json["sha256"], sha256_hex(&bytes));
    assert_eq!(json["stack"], "cflinuxfs4");
    let deps = json["dependencies"].as_array().unwrap();
    assert_eq!(deps.len(), 2);
    assert_eq!(deps[0]["name"], "tool");
    assert_eq!(deps[0]["version"], "1.10");
    assert_eq!(deps[0]["source"], "download");
    assert_eq!(deps[0]["sha256"], sha256_hex(&demo.tool));

    let again = demo.package(&["--cached", "--stack", "cflinuxfs4", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(json["dependencies"][0]["source"], "cache");
    assert_eq!(json["dependencies"][1]["source"], "cache");
}

/// `bin/detect`, `bin/compile` and `bin/release` under `root`, each an empty shell script (what
/// `bpkit verify` looks for).
fn stub_phases(root: &Path) {
    for p in ["bin/detect", "bin/compile", "bin/release"] {
        write(root, p, "#!/bin/sh\n");
    }
}

/// A buildpack folder `bp` with `manifest` and VERSION 1.0.0 in a fresh temporary folder, which
/// is returned with the (canonical) folder itself.
fn small_buildpack(manifest: &str) -> (tempfile::TempDir, PathBuf) {
    buildpack_with_version(manifest, "1.0.0\n")
}

/// [`small_buildpack`] with `version` in VERSION.
fn buildpack_with_version(manifest: &str, version: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(temp.path()).unwrap().join("bp");
    write(&root, "manifest.yml", manifest);
    write(&root, "VERSION", version);
    (temp, root)
}

/// `bpkit package ROOT ARGS… --output-dir OUT` with its cache (and HOME) in `cache`.
fn package_into(cache: &Path, root: &Path, out: &Path, args: &[&str]) -> common::bin::Run {
    run(package(cache)
        .arg(root)
        .args(args)
        .arg("--output-dir")
        .arg(out))
}

/// The Go packager names a cache entry and a zip entry `filepath.Base(uri)`: the raw last
/// segment, `%2B` and all (the corpus's openjdk URIs). bpkit uses the same name, so it finds
/// a file the Go packager cached, and writes the zip entry the Go packager would.
#[test]
fn a_percent_encoded_uri_keeps_its_raw_name_in_the_cache_and_the_zip() {
    const JDK: &str = "/openjdk/openjdk_11.0.32%2B11_linux_x64_cflinuxfs4_34cadaf9.tgz";
    const NAME: &str = "openjdk_11.0.32%2B11_linux_x64_cflinuxfs4_34cadaf9.tgz";
    let server = Server::start();
    let body = payload(2000);
    server.serve(JDK, body.clone());
    let uri = server.url(JDK);
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: java\ndependencies:\n- name: openjdk\n  version: 11.0.32\n  uri: {uri}\n  sha256: {}\n  cf_stacks:\n  - cflinuxfs4\n",
        sha256_hex(&body)
    ));
    let cache = temp.path().join("cache");
    let md5 = md5_hex(uri.as_bytes());
    let file = format!("dependencies/{md5}/{NAME}");

    let result = run(package(&cache)
        .arg(&root)
        .args(["-q", "--cached", "--stack", "cflinuxfs4"]));
    let zip = root.join("java_buildpack-cached-cflinuxfs4-v1.0.0.zip");
    assert_path(
        &result,
        &root,
        "java_buildpack-cached-cflinuxfs4-v1.0.0.zip",
    );
    assert_eq!(fs::read(cache.join(&file)).unwrap(), body);
    assert_eq!(zip_map(&zip)[&file].data, body);
    assert!(
        zip_text(&zip, "manifest.yml").contains(&format!("\n  file: {file}\n")),
        "{}",
        zip_text(&zip, "manifest.yml")
    );
    assert_eq!(server.hits(JDK), 1);

    // A cache the Go packager filled: found where Go put it, offline.
    let go_cache = temp.path().join("go-cache");
    write(&go_cache, &file, &body);
    let result = run(package(&go_cache).arg(&root).args([
        "-q",
        "--cached",
        "--stack",
        "cflinuxfs4",
        "--offline",
    ]));
    assert_path(
        &result,
        &root,
        "java_buildpack-cached-cflinuxfs4-v1.0.0.zip",
    );
    assert_eq!(server.hits(JDK), 1);
}

/// The URIs the Ruby gem's layout refuses, because it names the file after the whole URI (one
/// read two ways, one longer than a file name, one holding a `\`), are the Go layout's like
/// any other: it names the file after the md5 of the URI and its last segment, made safe.
#[test]
fn the_uris_the_gem_layout_refuses_package_in_the_go_layout() {
    let server = Server::start();
    // A last segment of 230 bytes: with the md5 folder before it a name of 263 bytes, more
    // than the 255 the gem's check allows its names, though each of the Go layout's names (the
    // folder's, the file's) is short enough.
    let long_name = format!("{}.tgz", "q".repeat(226));
    let long = format!("/deps/{long_name}");
    let paths = [
        "/pkg@latest/two-ways.tgz",
        long.as_str(),
        "/deps/back\\slash.tgz",
    ];
    let mut manifest = String::from("---\nlanguage: demo\ndependencies:\n");
    for (n, path) in paths.iter().enumerate() {
        let body = payload(100 + n);
        server.serve(path, body.clone());
        write!(
            manifest,
            "- name: tool{n}\n  version: 1.0.{n}\n  uri: '{}'\n  sha256: {}\n  cf_stacks:\n  - cflinuxfs4\n",
            server.url(path),
            sha256_hex(&body)
        )
        .unwrap();
    }
    let (temp, root) = small_buildpack(&manifest);
    stub_phases(&root);
    let result = run(package(temp.path()).arg(&root).args(["-q", "--cached"]));
    assert_path(&result, &root, "demo_buildpack-cached-v1.0.0.zip");
    let zip = zip_map(&root.join("demo_buildpack-cached-v1.0.0.zip"));
    for (n, (path, name)) in paths
        .iter()
        .zip(["two-ways.tgz", long_name.as_str(), "back_slash.tgz"])
        .enumerate()
    {
        let file = format!(
            "dependencies/{}/{name}",
            md5_hex(server.url(path).as_bytes())
        );
        assert_eq!(zip[&file].data, payload(100 + n), "{file}");
        assert_eq!(server.hits(path), 1, "{path}");
    }
}

/// Two entries with one URI (one name and version for two stacks): the file is fetched and
/// written once, and both entries' `file:` point at it.
#[test]
fn entries_sharing_a_uri_share_one_file_in_the_zip() {
    let server = Server::start();
    let body = payload(1500);
    server.serve(TOOL, body.clone());
    let uri = server.url(TOOL);
    let sha = sha256_hex(&body);
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: demo\ndependencies:\n- name: tool\n  version: 1.10\n  uri: {uri}\n  sha256: {sha}\n  cf_stacks:\n  - cflinuxfs4\n- name: tool\n  version: 1.10\n  uri: {uri}\n  sha256: {sha}\n  cf_stacks:\n  - cflinuxfs5\n"
    ));
    let result = run(package(temp.path()).arg(&root).args(["--cached"]));
    assert_path(&result, &root, "demo_buildpack-cached-v1.0.0.zip");
    // Counted as dependencies, like the summary after it, with the one file they share,
    // fetched one at a time however many jobs --jobs allows.
    assert!(
        result
            .stderr
            .contains("-----> Fetching 2 dependencies (1 file) into "),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains(" (1 at a time)\n"),
        "{}",
        result.stderr
    );
    let zip = root.join("demo_buildpack-cached-v1.0.0.zip");
    let file = format!(
        "dependencies/{}/tool-1.10-linux-x64.tgz",
        md5_hex(uri.as_bytes())
    );
    let files: Vec<String> = zip_map(&zip)
        .into_keys()
        .filter(|k| k.starts_with("dependencies/") && !k.ends_with('/'))
        .collect();
    assert_eq!(files, std::slice::from_ref(&file));
    assert_eq!(zip_map(&zip)[&file].data, body);
    assert_eq!(
        zip_text(&zip, "manifest.yml"),
        format!(
            "---\nlanguage: demo\ndependencies:\n- name: tool\n  version: 1.10\n  uri: {uri}\n  sha256: {sha}\n  cf_stacks:\n  - cflinuxfs4\n  file: {file}\n- name: tool\n  version: 1.10\n  uri: {uri}\n  sha256: {sha}\n  cf_stacks:\n  - cflinuxfs5\n  file: {file}\n"
        )
    );
    assert_eq!(server.hits(TOOL), 1);
}

#[test]
fn sha256_mismatch_leaves_nothing_and_the_next_run_recovers() {
    let demo = Demo::new();
    let wrong = payload(3001);
    demo.server.serve(TOOL, wrong.clone());
    let result = quiet(&demo, CACHED);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch tool 1.10: The file at {} is not the one the manifest describes (sha256 mismatch: expected {}, got {}), so it was not kept; fix the dependency's `uri`, or its checksum if that file is the right one.\n",
            demo.server.url(TOOL),
            sha256_hex(&demo.tool),
            sha256_hex(&wrong)
        )
    );
    assert_eq!(result.stdout, "");
    assert_eq!(
        list_files(&demo.out),
        Vec::<String>::new(),
        "no zip, no temporary file"
    );
    assert!(!demo.cache_entry(TOOL).exists(), "no bad cache entry");
    let leftovers: Vec<String> = list_files(&demo.cache)
        .into_iter()
        .filter(|f| has_extension(f, "part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The server is fixed: the next run succeeds with no clean-up.
    demo.server.serve(TOOL, demo.tool.clone());
    let fixed = quiet(&demo, CACHED);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert!(
        demo.out
            .join("demo_buildpack-cached-cflinuxfs4-v1.2.3.zip")
            .is_file()
    );
}

#[test]
fn md5_mismatch() {
    let demo = Demo::new();
    let wrong_md5 = md5_hex(b"something else");
    demo.edit_manifest(&md5_hex(&demo.agent), &wrong_md5);
    let result = quiet(&demo, CACHED);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch agent 2.0: The file at {} is not the one the manifest describes (md5 mismatch: expected {wrong_md5}, got {}), so it was not kept; fix the dependency's `uri`, or its checksum if that file is the right one.\n",
            demo.server.url(AGENT),
            md5_hex(&demo.agent)
        )
    );
    assert_eq!(list_files(&demo.out), Vec::<String>::new());
}

#[test]
fn not_found_is_not_retried() {
    let demo = Demo::new();
    demo.server
        .route(TOOL, demo.tool.clone(), Fault::Status(404));
    let result = quiet(&demo, CACHED);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch tool 1.10: Could not download {}: the server answered 404 Not Found; the server has no file there: correct the URI, or put the file on the server.\n",
            demo.server.url(TOOL)
        )
    );
    assert_eq!(demo.server.hits(TOOL), 1);
    assert_eq!(list_files(&demo.out), Vec::<String>::new());
}

#[test]
fn a_500_then_success_is_retried() {
    let demo = Demo::new();
    demo.server.route(
        TOOL,
        demo.tool.clone(),
        Fault::FailFirst {
            count: 1,
            status: 500,
        },
    );
    let result = quiet(&demo, CACHED);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        result.stderr,
        format!(
            "       **WARNING** Could not download {}: the server answered 500 Internal Server Error. Retrying in 0.01 s (attempt 2 of 3).\n",
            demo.server.url(TOOL)
        )
    );
    assert_eq!(demo.server.hits(TOOL), 2);
    assert_eq!(
        zip_map(&demo.out.join("demo_buildpack-cached-cflinuxfs4-v1.2.3.zip")).len(),
        16
    );
}

/// Package the demo cached with a 3 MiB tool whose first download breaks after 2.5 MiB
/// (`fault`), then again from the warm cache; the two zips must be the same bytes. The zip
/// writer copies a dependency into the zip while it downloads: whatever the retry does
/// (start again, or resume), nothing of a broken attempt may stay in the zip. Returns the
/// demo, for what the caller checks of the requests.
fn broken_download_then_warm(fault: Fault) -> Demo {
    let demo = Demo::new();
    demo.big_tool(3 << 20, fault);
    let cold = quiet(&demo, CACHED);
    assert_eq!(cold.code, 0, "{}", cold.stderr);
    assert_eq!(
        cold.stderr,
        format!(
            "       **WARNING** Could not download {}: the connection closed early, got 2621440 of 3145728 bytes. Retrying in 0.01 s (attempt 2 of 3).\n",
            demo.server.url(TOOL)
        )
    );
    let name = "demo_buildpack-cached-cflinuxfs4-v1.2.3.zip";
    let warm = run(package(&demo.cache)
        .arg(&demo.root)
        .args(["--cached", "--stack", "cflinuxfs4", "--output-dir"])
        .arg(demo.out.join("warm")));
    assert_eq!(warm.code, 0, "{}", warm.stderr);
    assert_eq!(demo.server.hits(TOOL), 2, "one retry, then the cache");
    let cold_zip = fs::read(demo.out.join(name)).unwrap();
    let warm_zip = fs::read(demo.out.join("warm").join(name)).unwrap();
    assert!(
        cold_zip == warm_zip,
        "the cold zip differs from the warm one"
    );
    let verify = run(common::bin::bpkit().arg("verify").arg(demo.out.join(name)));
    assert_eq!(verify.code, 0, "{}", verify.stderr);
    demo
}

#[test]
fn a_download_retried_after_bad_bytes_gives_the_zip_a_warm_cache_gives() {
    // The first attempt's bytes are not the file's: the retry starts it again.
    broken_download_then_warm(Fault::GarbleFirst { send: 5 << 19 });
}

#[test]
fn a_server_asking_to_wait_is_given_the_wait_it_asks_for() {
    // A rate-limited mirror answers 429 or 503 with Retry-After; retrying sooner (the tests'
    // backoff is 10 ms) would only be refused again.
    let demo = Demo::new();
    demo.server.route(
        TOOL,
        demo.tool.clone(),
        Fault::AskToWait {
            count: 1,
            status: 503,
            retry_after: "1".into(),
        },
    );
    let started = Instant::now();
    let result = quiet(&demo, CACHED);
    let elapsed = started.elapsed();
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        result.stderr,
        format!(
            "       **WARNING** Could not download {}: the server answered 503 Service Unavailable. Retrying in 1 s, as the server asked (attempt 2 of 3).\n",
            demo.server.url(TOOL)
        )
    );
    assert_eq!(demo.server.hits(TOOL), 2);
    assert!(elapsed >= Duration::from_secs(1), "waited only {elapsed:?}");
}

#[test]
fn a_broken_download_resumes_where_it_stopped() {
    // The retry asks for the rest only, and the zip writer keeps what it copied.
    let demo = broken_download_then_warm(Fault::CutThenResume { send: 5 << 19 });
    let asked: Vec<_> = demo
        .server
        .requests()
        .into_iter()
        .filter(|r| r.target == TOOL)
        .map(|r| {
            (
                r.headers.get("range").cloned(),
                r.headers.get("if-range").cloned(),
            )
        })
        .collect();
    assert_eq!(
        asked,
        [
            (None, None),
            (Some("bytes=2621440-".into()), Some("\"v1\"".into()))
        ]
    );
}

#[test]
fn connection_refused() {
    let demo = Demo::new();
    let dead = refused_url(TOOL);
    demo.edit_manifest(&demo.server.url(TOOL), &dead);
    let result = quiet_env(&demo, &[("BPKIT_RETRIES", "0")]);
    assert_eq!(result.code, 1);
    // The mirror rule that would map the server is spelt out, for an air-gapped machine.
    let server = &dead[..=dead.find(TOOL).unwrap()];
    assert!(server.starts_with("http://127.0.0.1:") && server.ends_with('/'));
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch tool 1.10: Could not connect to {dead}: connection refused. Check the network, the proxy settings (HTTP_PROXY, NO_PROXY) and BPKIT_MIRRORS. Where this machine cannot reach {server}, map it to a mirror that it can: BPKIT_MIRRORS={server}=<the mirror's URL>/ (README, \"Air-gapped sites\").\n"
        )
    );
    assert_eq!(list_files(&demo.out), Vec::<String>::new());
}

#[test]
fn a_body_cut_short() {
    let demo = Demo::new();
    demo.server
        .route(TOOL, demo.tool.clone(), Fault::Truncate { send: 1000 });
    let result = quiet_env(&demo, &[("BPKIT_RETRIES", "0")]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch tool 1.10: Could not download {}: the connection closed early, got 1000 of 3000 bytes.\n",
            demo.server.url(TOOL)
        )
    );
    assert!(!demo.cache_entry(TOOL).exists());
    assert_eq!(list_files(&demo.out), Vec::<String>::new());
}

#[test]
fn a_stalled_server_times_out_within_a_bounded_time() {
    let demo = Demo::new();
    demo.server
        .route(TOOL, demo.tool.clone(), Fault::Stall { after: 500 });
    let started = Instant::now();
    let result = quiet_env(
        &demo,
        &[("BPKIT_RETRIES", "0"), ("BPKIT_READ_TIMEOUT", "1")],
    );
    let elapsed = started.elapsed();
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch tool 1.10: Timed out downloading {}: no data for 1 s after 500 of {} bytes. Set BPKIT_READ_TIMEOUT to wait longer.\n",
            demo.server.url(TOOL),
            demo.tool.len()
        )
    );
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert_eq!(list_files(&demo.out), Vec::<String>::new());
}

#[test]
fn a_redirect_is_followed() {
    let demo = Demo::new();
    let moved = "/moved/tool-1.10-linux-x64.tgz";
    demo.server.serve(moved, demo.tool.clone());
    demo.server.route(
        TOOL,
        Vec::new(),
        Fault::Redirect {
            to: moved.to_string(),
        },
    );
    let result = quiet_env(&demo, &[]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert_eq!((demo.server.hits(TOOL), demo.server.hits(moved)), (1, 1));
    // The cache entry and the zip are named after the manifest's URI, not the redirect's.
    assert_eq!(fs::read(demo.cache_entry(TOOL)).unwrap(), demo.tool);
    let zip = zip_map(&demo.out.join("demo_buildpack-cached-cflinuxfs4-v1.2.3.zip"));
    let path = format!(
        "dependencies/{}/tool-1.10-linux-x64.tgz",
        md5_hex(demo.server.url(TOOL).as_bytes())
    );
    assert_eq!(zip[&path].data, demo.tool);
}

/// A cold packaging copies a dependency into the zip as its bytes arrive (so it ends soon
/// after the last download does), says so under `-v`, and gives the zip a warm cache gives.
#[test]
fn a_cold_packaging_copies_a_dependency_into_the_zip_as_it_downloads() {
    let demo = Demo::new();
    // 1 MiB in 32 KiB pieces every 30 ms: about a second (time for the zip writer to reach
    // it on a busy machine), with its size announced.
    demo.big_tool(
        1 << 20,
        Fault::Slow {
            chunk: 32 << 10,
            delay: Duration::from_millis(30),
        },
    );
    let packaged = |out: &Path| {
        let result = run(package(&demo.cache)
            .arg(&demo.root)
            .args([
                "-v",
                "--cached",
                "--stack",
                "cflinuxfs4",
                "--profile",
                "minimal",
            ])
            .arg("--output-dir")
            .arg(out));
        assert_eq!(result.code, 0, "{}", result.stderr);
        let said: Vec<String> = result
            .stderr
            .lines()
            .filter(|line| line.contains("into the zip"))
            .map(str::to_string)
            .collect();
        (said, fs::read(result.stdout.trim_end()).unwrap())
    };
    let (cold_said, cold_zip) = packaged(&demo.out);
    assert_eq!(
        cold_said,
        ["       DEBUG: 1 dependency copied into the zip as it downloaded"]
    );
    // From the cache: nothing to follow.
    let (warm_said, warm_zip) = packaged(&demo.out.join("warm"));
    assert_eq!(warm_said, Vec::<String>::new());
    assert!(
        cold_zip == warm_zip,
        "the cold zip differs from the warm one"
    );
    assert_eq!(demo.server.hits(TOOL), 1);
}

#[test]
fn a_slow_server_that_keeps_sending_is_waited_for() {
    let demo = Demo::new();
    // 3000 bytes, 300 every 150 ms: about 1.5 s in all, longer than the 1 s idle timeout,
    // which only counts time without data.
    demo.server.route(
        TOOL,
        demo.tool.clone(),
        Fault::Slow {
            chunk: 300,
            delay: Duration::from_millis(150),
        },
    );
    let started = Instant::now();
    let result = quiet_env(
        &demo,
        &[("BPKIT_RETRIES", "0"), ("BPKIT_READ_TIMEOUT", "1")],
    );
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert!(started.elapsed() >= Duration::from_millis(1300));
    assert_eq!(demo.server.hits(TOOL), 1);
    assert_eq!(fs::read(demo.cache_entry(TOOL)).unwrap(), demo.tool);
}

/// A cached zip packaged offline without the agent, so that the one message is about tool
/// (dependencies are fetched in the zip's order, and after a first failure no new fetch
/// starts).
const OFFLINE_TOOL_ONLY: &[&str] = &[
    "--cached",
    "--stack",
    "cflinuxfs4",
    "--offline",
    "--exclude",
    "agent",
];

#[test]
fn offline_with_a_missing_cache_entry() {
    let demo = Demo::new();
    let result = quiet(&demo, OFFLINE_TOOL_ONLY);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Could not fetch tool 1.10: {} is not in the cache and --offline forbids downloading {}; run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere.\n",
            demo.cache_entry(TOOL).display(),
            demo.server.url(TOOL)
        )
    );
    assert_eq!(
        demo.server.requests().len(),
        0,
        "--offline never touches the network"
    );
    assert_eq!(list_files(&demo.out), Vec::<String>::new());

    // Filled once, the cache serves --offline.
    assert_eq!(quiet(&demo, CACHED).code, 0);
    let offline = quiet(&demo, &["--cached", "--stack", "cflinuxfs4", "--offline"]);
    assert_eq!(offline.code, 0, "{}", offline.stderr);
}

/// A cache entry that fails verification under `--offline` is removed before the run fails
/// (packager.md: no bad cache entry left behind): it was left in the cache, where it failed
/// every offline run the same way. The next run without `--offline` downloads it once more.
#[test]
fn offline_removes_a_cache_entry_that_fails_verification() {
    let demo = Demo::new();
    assert_eq!(quiet(&demo, CACHED).code, 0);
    fs::remove_dir_all(&demo.out).unwrap();
    let entry = demo.cache_entry(TOOL);
    fs::write(&entry, b"bit rot").unwrap();
    let result = quiet(&demo, OFFLINE_TOOL_ONLY);
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (
            1,
            "",
            format!(
                "bpkit: error: Could not fetch tool 1.10: The cached {} failed verification (sha256 mismatch: expected {}, got {}) and was removed, and --offline forbids downloading {} again; run again without --offline.\n",
                entry.display(),
                sha256_hex(&demo.tool),
                sha256_hex(b"bit rot"),
                demo.server.url(TOOL)
            )
            .as_str()
        )
    );
    assert!(!entry.exists(), "the bad entry is gone");
    assert!(!entry.parent().unwrap().exists(), "and its folder");
    let parts: Vec<String> = list_files(&demo.cache)
        .into_iter()
        .filter(|f| has_extension(f, "part"))
        .collect();
    assert!(parts.is_empty(), "{parts:?}");
    assert_eq!(list_files(&demo.out), Vec::<String>::new(), "no zip");
    assert_eq!(
        demo.server.hits(TOOL),
        1,
        "--offline never touches the network"
    );

    let rerun = quiet(&demo, CACHED);
    assert_eq!((rerun.code, rerun.stderr.as_str()), (0, ""));
    assert_eq!(fs::read(&entry).unwrap(), demo.tool);
    assert_eq!(demo.server.hits(TOOL), 2);
}

/// A setting the fetch reads when it starts (mirrors, retries, proxies, extra CAs), refused,
/// fails a cached packaging at once with its one line and no zip: the zip writer, which waits
/// for each dependency's file, is told that none will come rather than waiting for ever.
#[test]
fn a_fetch_setting_refused_fails_a_cached_zip_at_once() {
    let demo = Demo::new();
    for (name, value, reason) in [
        (
            "BPKIT_MIRRORS",
            "garbage",
            "expected prefix=replacement, as in https://buildpacks.cloudfoundry.org/=https://mirror.example/ (rules separated by commas)",
        ),
        (
            "BPKIT_RETRIES",
            "x",
            "expected a whole number of retries, such as 2 (0 turns retries off)",
        ),
        (
            "HTTPS_PROXY",
            ":1",
            "it names a port only; write the proxy's host before it, as in http://proxy.example:1",
        ),
    ] {
        let mut command = demo.cached_packager();
        command.env(name, value);
        let result = common::timed::run_within(&mut command, Duration::from_secs(30));
        let result = without_the_manifest_warning(&demo, result);
        assert_eq!(
            (result.code, result.stderr),
            (
                1,
                format!("bpkit: error: {name}=`{value}` is not valid: {reason}.\n")
            ),
            "{name}"
        );
        assert_eq!(list_files(&demo.out), Vec::<String>::new(), "{name}");
        assert_eq!(demo.server.requests().len(), 0, "{name}");
    }
}

#[test]
fn credentials_in_uris_are_redacted() {
    let demo = Demo::new();
    demo.server
        .route(TOOL, demo.tool.clone(), Fault::Status(404));
    let secret = demo.server.url_with_credentials("deploy", "s3cret", TOOL);
    demo.edit_manifest(&demo.server.url(TOOL), &secret);
    let result = run(package(&demo.cache)
        .arg(&demo.root)
        .args([
            "--cached",
            "--stack",
            "cflinuxfs4",
            "--json",
            "--output-dir",
        ])
        .arg(&demo.out));
    assert_eq!(result.code, 1);
    assert!(!result.stderr.contains("s3cret"), "{}", result.stderr);
    assert!(
        result.stderr.contains("-redacted-:-redacted-@"),
        "{}",
        result.stderr
    );
}

#[test]
fn unknown_stack() {
    let demo = Demo::new();
    let result = quiet(&demo, &["--stack", "cflinuxfs9"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: Stack `cflinuxfs9` not found in manifest {}: its dependencies are for cflinuxfs4, cflinuxfs5, cflinuxfs3; package for one of those, or use --any-stack\n",
            demo.manifest_path().display()
        )
    );
}

#[test]
fn a_default_with_no_match_on_the_stack() {
    let demo = Demo::new();
    let result = quiet(&demo, &["--stack", "cflinuxfs3"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: No matching default dependency `tool` for stack `cflinuxfs3`: {} asks for tool 1.10.x by default, and its tool versions for cflinuxfs3 are 1.9.0; package for another stack or --any-stack, or fix default_versions\n",
            demo.manifest_path().display()
        )
    );
    assert_eq!(list_files(&demo.out), Vec::<String>::new());
}

/// For any stack, a default whose matching dependency lists no `cf_stacks` (so, as in the Go
/// packager, it is packaged for no stack) is refused: the zip would have a default naming a
/// dependency it lacks, which `bpkit verify` and the phases refuse.
#[test]
fn a_default_whose_dependency_lists_no_stacks_is_refused_for_any_stack() {
    const SHA: &str = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: demo\ndefault_versions:\n- name: tool\n  version: 1.x\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: https://deps.example.invalid/tool-1.tgz\n  sha256: {SHA}\n- name: tool\n  version: 2.0.0\n  uri: https://deps.example.invalid/tool-2.tgz\n  sha256: {SHA}\n  cf_stacks:\n  - cflinuxfs4\n"
    ));
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    // The two warnings: tool 1.0.0 lists no stacks, and the default has no match on
    // cflinuxfs4 (the one stack tool lists).
    let warning = format!(
        "       **WARNING** {} has 2 warnings; `bpkit validate` lists them\n",
        root.join("manifest.yml").display()
    );
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (
            1,
            "",
            format!(
                "{warning}bpkit: error: No matching default dependency `tool` for any stack: {} asks for tool 1.x by default, and no tool that matches it lists `cf_stacks`, so none is packaged (as by the Go packager); add `cf_stacks` to it, or fix default_versions\n",
                root.join("manifest.yml").display()
            )
            .as_str()
        )
    );
    assert!(list_files(&root).iter().all(|f| !has_extension(f, "zip")));
}

#[test]
fn a_missing_version_file() {
    let demo = Demo::new();
    fs::remove_file(demo.root.join("VERSION")).unwrap();
    // VERSION is read before the manifest (as by the Go packager), so no manifest warning.
    let result = run(package(&demo.cache)
        .arg(&demo.root)
        .arg("--output-dir")
        .arg(&demo.out)
        .arg("-q"));
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: cannot read {}/VERSION: no such file; create it with the buildpack's version (`echo 1.0.0 > VERSION`) or pass --version\n",
            demo.root.display()
        )
    );
    // --version makes the file unnecessary; the zip's VERSION holds it.
    let result = quiet(&demo, &["--version", "4.5.6"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        zip_text(&demo.out.join("demo_buildpack-v4.5.6.zip"), "VERSION"),
        "4.5.6"
    );
}

/// Windows editors start VERSION with a byte-order mark and end it with `\r\n`: neither is
/// part of the version, in the zip's name or in its VERSION file.
#[test]
fn a_byte_order_mark_in_version_is_not_part_of_the_version() {
    let demo = Demo::new();
    fs::write(demo.root.join("VERSION"), "\u{feff}1.0.0\r\n").unwrap();
    let result = quiet(&demo, &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        zip_text(&demo.out.join("demo_buildpack-v1.0.0.zip"), "VERSION"),
        "1.0.0"
    );
}

/// A VERSION written like a git tag (`v1.2.3`) still packages, as with the Go packager, whose
/// zip name it matches; the `-vv1.2.3` it gives is warned about, with the fix.
#[test]
fn a_version_starting_with_v_is_warned_about() {
    let demo = Demo::new();
    fs::write(demo.root.join("VERSION"), "v1.2.4\n").unwrap();
    let result = quiet(&demo, &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(demo.out.join("demo_buildpack-vv1.2.4.zip").is_file());
    assert_eq!(
        result.stderr,
        format!(
            "       **WARNING** {}/VERSION: the version `v1.2.4` starts with `v`, and the zip's name adds one (demo_buildpack-vv1.2.4.zip); write `1.2.4`\n",
            demo.root.display()
        )
    );
    let result = quiet(&demo, &["--version", "1.2.4"]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    let result = quiet(&demo, &["--version", "V2"]);
    assert!(
        result
            .stderr
            .contains("--version: the version `V2` starts with `v`"),
        "{}",
        result.stderr
    );
}

/// A version of punctuation only (`..`, `.`, `-`) named the zip `demo_buildpack-v...zip`; it is
/// refused, from `--version` and from VERSION alike, and no zip is written.
#[test]
fn a_version_with_no_letter_or_digit_is_refused() {
    let demo = Demo::new();
    // The version is checked before the manifest is read: no manifest warning comes first.
    let packaging = |args: &[&str]| {
        run(package(&demo.cache)
            .arg(&demo.root)
            .arg("--output-dir")
            .arg(&demo.out)
            .arg("-q")
            .args(args))
    };
    for version in ["..", ".", "...", "-", "~"] {
        let result = packaging(&[&format!("--version={version}")]);
        assert_eq!(
            (result.code, result.stderr.as_str()),
            (
                1,
                format!(
                    "bpkit: error: --version: the version `{version}` has no letter or digit; use a version such as 1.2.3\n"
                )
                .as_str()
            )
        );
    }
    fs::write(demo.root.join("VERSION"), "..\n").unwrap();
    let result = packaging(&[]);
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: {}/VERSION: the version `..` has no letter or digit; use a version such as 1.2.3\n",
                demo.root.display()
            )
            .as_str()
        )
    );
    assert!(!demo.out.exists() || fs::read_dir(&demo.out).unwrap().next().is_none());
}

#[test]
fn an_already_packaged_manifest_is_refused() {
    let demo = Demo::new();
    demo.edit_manifest("language: demo\n", "language: demo\nstack: cflinuxfs4\n");
    let result = quiet(&demo, &["--any-stack"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: {}: Cannot package from already packaged buildpack manifest (it has `stack: cflinuxfs4`); package the buildpack's source tree, whose manifest.yml has no top-level `stack`\n",
            demo.manifest_path().display()
        )
    );
}

/// An empty `stack` (`stack:` or `stack: ""`) is no stack, as Go reads it: the manifest is a
/// source manifest, and packaging for one stack sets the key. `stack: ""` was refused as
/// already packaged, and `stack:` gave a packaged manifest with two `stack` keys.
#[test]
fn an_empty_stack_key_is_a_source_manifest() {
    for empty in ["stack:", "stack: \"\""] {
        let demo = Demo::new();
        demo.edit_manifest("language: demo\n", &format!("language: demo\n{empty}\n"));
        let result = quiet(&demo, &["--stack", "cflinuxfs4"]);
        assert_path(&result, &demo.out, "demo_buildpack-cflinuxfs4-v1.2.3.zip");
        let manifest = zip_text(
            &demo.out.join("demo_buildpack-cflinuxfs4-v1.2.3.zip"),
            "manifest.yml",
        );
        assert!(
            manifest.starts_with("---\nlanguage: demo\nstack: cflinuxfs4\ndefault_versions:\n"),
            "{manifest}"
        );
        assert_eq!(manifest.matches("stack:").count(), 1, "{manifest}");
    }
}

/// A profile that leaves out a dependency with a default version (the java buildpack's
/// `minimal` leaves out 19 such agents): the zip's manifest loses the default and the profile
/// lists' mention of it too, so it names no missing dependency. Kept, they made `bpkit verify`
/// refuse the zip and the phases refuse to load its manifest.
#[test]
fn a_profile_zip_names_no_dependency_it_left_out() {
    const SHA: &str = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: java\ndefault_versions:\n- name: jdk\n  version: 17.x\n- name: agent\n  version: 1.x\ndependencies:\n- name: jdk\n  version: 17.0.1\n  uri: https://deps.example.invalid/jdk.tgz\n  sha256: {SHA}\n  cf_stacks:\n  - cflinuxfs4\n- name: agent\n  version: 1.2.3\n  uri: https://deps.example.invalid/agent.jar\n  sha256: {SHA}\n  cf_stacks:\n  - cflinuxfs4\npackaging_profiles:\n  minimal:\n    description: No agent.\n    exclude:\n    - agent\n"
    ));
    for phase in ["detect", "finalize", "release"] {
        chmod(&write(&root, &format!("bin/{phase}"), "#!/bin/sh\n"), 0o755);
    }
    let name = "java_buildpack-minimal-cflinuxfs4-v1.0.0.zip";
    let result = run(package(temp.path()).arg(&root).args([
        "-q",
        "--profile",
        "minimal",
        "--stack",
        "cflinuxfs4",
    ]));
    assert_path(&result, &root, name);
    let zip = root.join(name);
    assert_eq!(
        zip_text(&zip, "manifest.yml"),
        format!(
            "---\nlanguage: java\nstack: cflinuxfs4\ndefault_versions:\n- name: jdk\n  version: 17.x\ndependencies:\n- name: jdk\n  version: 17.0.1\n  uri: https://deps.example.invalid/jdk.tgz\n  sha256: {SHA}\npackaging_profiles:\n  minimal:\n    description: No agent.\n    exclude: []\n"
        )
    );
    assert_verifies(&zip);
}

/// A zip for one stack leaves out the dependencies built for other stacks only; a profile
/// excluding one of them must not go on naming it, or the zip's manifest names a dependency it
/// lacks (`bpkit verify` refused such a zip, and the phases its manifest).
#[test]
fn a_one_stack_zip_names_no_dependency_of_another_stack_in_its_profiles() {
    const SHA: &str = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: java\ndependencies:\n- name: jdk\n  version: 17.0.1\n  uri: https://deps.example.invalid/jdk.tgz\n  sha256: {SHA}\n  cf_stacks:\n  - cflinuxfs4\n  - cflinuxfs3\n- name: agent\n  version: 1.2.3\n  uri: https://deps.example.invalid/agent.jar\n  sha256: {SHA}\n  cf_stacks:\n  - cflinuxfs3\npackaging_profiles:\n  minimal:\n    description: No agent.\n    exclude:\n    - agent\n"
    ));
    for phase in ["detect", "finalize", "release"] {
        chmod(&write(&root, &format!("bin/{phase}"), "#!/bin/sh\n"), 0o755);
    }
    let name = "java_buildpack-cflinuxfs4-v1.0.0.zip";
    let result = run(package(temp.path())
        .arg(&root)
        .args(["-q", "--stack", "cflinuxfs4"]));
    assert_path(&result, &root, name);
    let zip = root.join(name);
    assert_eq!(
        zip_text(&zip, "manifest.yml"),
        format!(
            "---\nlanguage: java\nstack: cflinuxfs4\ndependencies:\n- name: jdk\n  version: 17.0.1\n  uri: https://deps.example.invalid/jdk.tgz\n  sha256: {SHA}\npackaging_profiles:\n  minimal:\n    description: No agent.\n    exclude: []\n"
        )
    );
    assert_verifies(&zip);
}

/// A bpkit buildpack installs every `install:` entry for every app: a profile or `--exclude`
/// leaving one out is refused, as the zip's manifest would name a dependency it lacks and the
/// phases would refuse to load it.
#[test]
fn leaving_out_an_installed_dependency_is_refused() {
    const SHA: &str = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: hello\ndependencies:\n- name: hello\n  version: 1.0.0\n  uri: https://deps.example.invalid/hello.tgz\n  sha256: {SHA}\n  cf_stacks:\n  - cflinuxfs4\n- name: extra\n  version: 1.0.0\n  uri: https://deps.example.invalid/extra.tgz\n  sha256: {SHA}\n  cf_stacks:\n  - cflinuxfs4\npackaging_profiles:\n  bare:\n    description: Nothing.\n    exclude:\n    - hello\n    - extra\ninstall:\n- name: hello\n"
    ));
    let manifest = root.join("manifest.yml");
    let cases: &[(&[&str], String)] = &[
        (
            &["--profile", "bare"],
            format!(
                "bpkit: error: profile `bare` leaves out `hello`, but install[0] in {} installs it for every app, so the buildpack it makes could not stage any app; keep it with --include hello, or remove it from install\n",
                manifest.display()
            ),
        ),
        (
            &["--exclude", "hello"],
            format!(
                "bpkit: error: --exclude leaves out `hello`, but install[0] in {} installs it for every app, so the buildpack it makes could not stage any app; drop hello from --exclude, or remove it from install\n",
                manifest.display()
            ),
        ),
    ];
    for (args, stderr) in cases {
        let result = run(package(temp.path()).arg(&root).arg("-q").args(*args));
        assert_eq!(
            (result.code, result.stdout.as_str(), result.stderr.as_str()),
            (1, "", stderr.as_str()),
            "{args:?}"
        );
    }
    assert!(list_files(&root).iter().all(|f| !has_extension(f, "zip")));
    // What the install needs can be kept against the profile.
    let result = run(package(temp.path()).arg(&root).args([
        "-q",
        "--profile",
        "bare",
        "--include",
        "hello",
    ]));
    assert_path(&result, &root, "hello_buildpack-bare+custom-v1.0.0.zip");
}

/// Nor may a stack leave out what `install:` installs: the dependency must be packaged for it.
#[test]
fn an_installed_dependency_not_on_the_stack_is_refused() {
    const SHA: &str = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: hello\ndependencies:\n- name: hello\n  version: 1.0.0\n  uri: https://deps.example.invalid/hello.tgz\n  sha256: {SHA}\n  cf_stacks:\n  - cflinuxfs4\n- name: extra\n  version: 1.0.0\n  uri: https://deps.example.invalid/extra.tgz\n  sha256: {SHA}\n  cf_stacks:\n  - cflinuxfs5\ninstall:\n- name: extra\n- name: hello\n"
    ));
    let result = run(package(temp.path())
        .arg(&root)
        .args(["-q", "--stack", "cflinuxfs5"]));
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (
            1,
            "",
            format!(
                "bpkit: error: install[1] in {} installs `hello` for every app, but no hello is packaged for stack cflinuxfs5 (a dependency is packaged for the stacks its `cf_stacks` lists), so the buildpack it makes could not stage any app; add the stack to its `cf_stacks`, or package for another stack\n",
                root.join("manifest.yml").display()
            )
            .as_str()
        )
    );
    assert!(list_files(&root).iter().all(|f| !has_extension(f, "zip")));
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "hello_buildpack-v1.0.0.zip");
}

#[test]
fn a_missing_include_file_and_an_unknown_profile() {
    let demo = Demo::new();
    fs::remove_file(demo.root.join("README.md")).unwrap();
    let result = quiet(&demo, &[]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: include_files[0]: `README.md` does not exist in {}; create it (or have pre_package create it) or remove it from include_files\n",
            demo.root.display()
        )
    );
    let result = quiet(&demo, &["--profile", "tiny"]);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: packaging profile `tiny` not found in {}: it defines minimal\n",
            demo.manifest_path().display()
        )
    );
}

/// pre_package runs in a temporary copy: a listed file it did not make is named in the
/// buildpack folder, not in the copy, which is gone by the time the message is read.
#[test]
fn a_missing_include_file_after_pre_package_names_the_buildpack_folder() {
    let (temp, root) = small_buildpack(
        "---\nlanguage: built\ndependencies: []\npre_package: scripts/build.sh\ninclude_files:\n- manifest.yml\n- VERSION\n- profile/setup.sh\n",
    );
    chmod(
        &write(&root, "scripts/build.sh", "#!/bin/sh\necho building\n"),
        0o755,
    );
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: include_files[2]: `profile/setup.sh` does not exist in {}, and pre_package `scripts/build.sh` (run in a temporary copy of it) did not create it; create it, have pre_package create it, or remove it from include_files\n",
            root.display()
        )
    );
    // Made by pre_package, it is packaged.
    write(
        &root,
        "scripts/build.sh",
        "#!/bin/sh\nmkdir -p profile && echo hi > profile/setup.sh\n",
    );
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "built_buildpack-v1.0.0.zip");
}

#[test]
fn exclude_files_with_info_zip_semantics_and_symlinks() {
    let (temp, root) = buildpack_with_version(
        "---\nlanguage: plain\ndependencies: []\nexclude_files:\n- spec/\n- '*.log'\n- notes.txt\n",
        "0.1.0",
    );
    let out = temp.path().join("out");
    for file in [
        "bin/compile",
        "bin/detect",
        "bin/release",
        "spec/a_spec.rb",
        "lib/spec/deep.rb",
        "lib/v1/code.rb",
        "docs/notes.txt",
        "debug.log",
        "logs/today.log",
        ".gitignore",
        ".git/HEAD",
        "plain_buildpack-v0.0.1.zip",
    ] {
        write(&root, file, file);
    }
    std::os::unix::fs::symlink("v1", root.join("lib/current")).unwrap();
    let outside = temp.path().join("shared.txt");
    fs::write(&outside, "outside").unwrap();
    std::os::unix::fs::symlink(&outside, root.join("shared.txt")).unwrap();

    let result = package_into(temp.path(), &root, &out, &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let zip = out.join("plain_buildpack-v0.1.0.zip");
    let names: Vec<String> = zip_map(&zip).into_keys().collect();
    assert_eq!(
        names,
        [
            "VERSION",
            "bin/",
            "bin/compile",
            "bin/detect",
            "bin/release",
            // Emptied by `notes.txt`, the folder stays, as with `zip -r -x`.
            "docs/",
            "lib/",
            "lib/current/",
            "lib/current/code.rb",
            "lib/v1/",
            "lib/v1/code.rb",
            "logs/",
            "manifest.yml",
            "shared.txt",
        ]
    );
    assert_eq!(zip_text(&zip, "shared.txt"), "outside");

    // With --bin-links symlink, a link inside the tree stays a link.
    let result = run(package(temp.path())
        .arg(&root)
        .args(["--bin-links", "symlink", "--output-dir"])
        .arg(out.join("links")));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let zip = out.join("links/plain_buildpack-v0.1.0.zip");
    let entries = zip_map(&zip);
    assert_eq!(entries["lib/current"].mode, 0o120_777);
    assert_eq!(entries["lib/current"].data, b"v1");
    if let Some(listing) = info_zip(&zip) {
        let link = listing.iter().find(|(_, _, n)| n == "lib/current").unwrap();
        assert!(link.0.starts_with('l'), "{link:?}");
    }
}

/// A buildpack `big` whose manifest is exactly `size` bytes (a long unknown key, kept as it is
/// in an uncached any-stack zip), with the bin/ scripts `bpkit verify` looks for.
fn buildpack_with_a_manifest_of(size: usize) -> (tempfile::TempDir, PathBuf) {
    let head = "---\nlanguage: big\ndependencies: []\npadding: ";
    let manifest = format!("{head}{}\n", "x".repeat(size - head.len() - 1));
    assert_eq!(manifest.len(), size);
    let (temp, root) = small_buildpack(&manifest);
    stub_phases(&root);
    (temp, root)
}

/// Cloud Controller refuses a buildpack whose manifest.yml is over 1 MiB: packaging warns
/// near it and refuses over it, as `bpkit verify` calls such a zip broken (packaging only
/// warned, so bpkit wrote a zip its own `verify` refused). One byte under the limit packages
/// and verifies.
#[test]
fn a_packaged_manifest_near_or_over_1_mib_is_warned_about_or_refused_as_verify_refuses_it() {
    let (temp, root) = buildpack_with_a_manifest_of(1_000_000);
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "big_buildpack-v1.0.0.zip");
    assert_eq!(
        result.stderr,
        "       **WARNING** The packaged manifest.yml is 976.6 KiB, close to the 1 MiB Cloud Controller accepts.\n"
    );
    let zip = root.join("big_buildpack-v1.0.0.zip");
    assert_eq!(zip_text(&zip, "manifest.yml").len(), 1_000_000);
    assert_verifies(&zip);

    // Exactly 1 MiB is what Cloud Controller and verify still accept.
    let (temp, root) = buildpack_with_a_manifest_of(1 << 20);
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "big_buildpack-v1.0.0.zip");
    assert_verifies(&root.join("big_buildpack-v1.0.0.zip"));

    for size in [(1 << 20) + 1, 1_200_000] {
        let (temp, root) = buildpack_with_a_manifest_of(size);
        let result = run(package(temp.path()).arg(&root).arg("-q"));
        assert_eq!(
            (result.code, result.stdout.as_str(), result.stderr),
            (
                1,
                "",
                format!(
                    "bpkit: error: the packaged manifest.yml would be {size} bytes, {} over the 1 MiB (1048576 bytes) Cloud Controller accepts, so `cf create-buildpack` would refuse the zip; package for one stack (--stack) or drop old dependencies from {}/manifest.yml\n",
                    size - 1_048_576,
                    root.display()
                )
            )
        );
        // No zip, and no temporary one left behind.
        let files = list_files(&root);
        assert!(
            files
                .iter()
                .all(|f| !f.contains(".zip") && !f.contains(".part")),
            "{files:?}"
        );
    }

    // A zip made by other means with such a manifest is still refused by verify.
    let (temp, root) = buildpack_with_a_manifest_of(1_000_000);
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let zip = root.join("big_buildpack-v1.0.0.zip");
    let big = temp.path().join("big.zip");
    let python = "import zipfile,sys\nsrc=zipfile.ZipFile(sys.argv[1])\nout=zipfile.ZipFile(sys.argv[2],'w',zipfile.ZIP_DEFLATED)\nfor i in src.infolist():\n    data=src.read(i)\n    if i.filename=='manifest.yml': data+=b'#'*int(sys.argv[3])\n    out.writestr(i,data,zipfile.ZIP_DEFLATED)\nout.close()\n";
    // Past the 16 MiB verify reads of a manifest, it says so, not the bytes it read (and not
    // a YAML error about the text cut there).
    for (extra, size) in [(200_000, "1200000 bytes"), (17 << 20, "over 16 MiB")] {
        let made = std::process::Command::new("python3")
            .args(["-c", python])
            .arg(&zip)
            .arg(&big)
            .arg(extra.to_string())
            .status()
            .unwrap();
        assert!(made.success());
        let verify = run(common::bin::bpkit().arg("verify").arg(&big));
        assert_eq!(verify.code, 1);
        assert_eq!(
            verify.stdout,
            format!(
                "{}: error: manifest.yml is {size}; Cloud Controller refuses a buildpack whose manifest.yml is over 1 MiB\n",
                big.display()
            )
        );
    }
}

/// With include_files, manifest.yml and VERSION go in even when not listed, with a warning.
#[test]
fn include_files_without_manifest_and_version_warns_and_packages_them() {
    let (temp, root) =
        small_buildpack("---\nlanguage: plain\ndependencies: []\ninclude_files:\n- bin/detect\n");
    stub_phases(&root);
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
    // A zip without the other phases is still written, and said to lack them.
    assert_eq!(
        result.stderr,
        "       **WARNING** include_files does not list manifest.yml; it is always included\n       **WARNING** include_files does not list VERSION; it is always included\n       **WARNING** The zip has no bin/release, neither bin/compile nor bin/finalize: Cloud Foundry runs these to stage every app, and `bpkit verify` refuses the zip. Add them to the buildpack (and to include_files, if it has that key).\n"
    );
    let names: Vec<String> = zip_map(&root.join("plain_buildpack-v1.0.0.zip"))
        .into_keys()
        .collect();
    assert_eq!(names, ["VERSION", "bin/", "bin/detect", "manifest.yml"]);

    // A glob matching them lists them: `*` was warned about as if it did not. It does not
    // take the last zip (or `.bpkit/`) at the top: the zip held the one before it.
    write(&root, ".bpkit/droplet.tgz", "droplet\n");
    for glob in ["*", "**"] {
        fs::write(
            root.join("manifest.yml"),
            format!("---\nlanguage: plain\ndependencies: []\ninclude_files:\n- '{glob}'\n"),
        )
        .unwrap();
        let result = run(package(temp.path()).arg(&root).arg("-q"));
        assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
        assert_eq!(result.stderr, "");
        let names: Vec<String> = zip_map(&root.join("plain_buildpack-v1.0.0.zip"))
            .into_keys()
            .collect();
        assert_eq!(
            names,
            [
                "VERSION",
                "bin/",
                "bin/compile",
                "bin/detect",
                "bin/release",
                "manifest.yml"
            ],
            "{glob}"
        );
    }
}

/// An include_files path spelled with `//` or `/./` (`bin//detect`, `lib/./x.rb`, a glob
/// `bin//*`) names the same file as `bin/detect`; it was packaged under the spelling as given,
/// as entries `bin//`, `bin//detect` and `lib/./`, which extractors write to one path and
/// `bpkit verify` refuses, and the zip had no `bin/detect` at all.
#[test]
fn include_files_spelled_with_empty_or_dot_segments_name_the_plain_path() {
    let (temp, root) = small_buildpack(
        "---\nlanguage: plain\ndependencies: []\ninclude_files:\n- manifest.yml\n- VERSION\n- bin//detect\n- bin/./release\n- lib/./x.rb\n- bin//com*\n",
    );
    for phase in ["detect", "release", "compile"] {
        write(&root, &format!("bin/{phase}"), "#!/bin/sh\n");
    }
    write(&root, "lib/x.rb", "puts 1\n");
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
    assert_eq!(result.stderr, "");
    let zip = root.join("plain_buildpack-v1.0.0.zip");
    let names: Vec<String> = zip_map(&zip).into_keys().collect();
    assert_eq!(
        names,
        [
            "VERSION",
            "bin/",
            "bin/compile",
            "bin/detect",
            "bin/release",
            "lib/",
            "lib/x.rb",
            "manifest.yml"
        ]
    );
    assert_verifies(&zip);
}

/// An include_files glob finds the files below a symlink to a folder inside the buildpack,
/// named under the link as the Go packager names a path it opens through one
/// (`vendor/pkg/a.rb`): `vendor/**/*.rb` warned that it matched no file, while the path
/// `vendor/pkg/a.rb` listed as it is was packaged. A link out of the buildpack is not
/// searched by a glob.
#[test]
fn include_files_globs_find_files_below_links_to_folders_inside() {
    let (temp, root) = small_buildpack(
        "---\nlanguage: plain\ndependencies: []\ninclude_files:\n- manifest.yml\n- VERSION\n- bin/\n- vendor/**/*.rb\n- elsewhere/*.rb\n",
    );
    stub_phases(&root);
    write(&root, "vendor-real/pkg/a.rb", "puts 1\n");
    write(&root, "vendor-real/pkg/notes.txt", "not packaged\n");
    std::os::unix::fs::symlink("vendor-real", root.join("vendor")).unwrap();
    let outside = temp.path().join("outside");
    write(&outside, "secret.rb", "not packaged\n");
    std::os::unix::fs::symlink(&outside, root.join("elsewhere")).unwrap();
    for links in ["shim", "symlink"] {
        let result = run(package(temp.path())
            .arg(&root)
            .args(["-q", "--bin-links", links]));
        assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
        assert_eq!(
            result.stderr,
            "       **WARNING** include_files[4]: `elsewhere/*.rb` matches no file; it is ignored\n",
            "{links}"
        );
        let zip = root.join("plain_buildpack-v1.0.0.zip");
        let names: Vec<String> = zip_map(&zip).into_keys().collect();
        assert_eq!(
            names,
            [
                "VERSION",
                "bin/",
                "bin/compile",
                "bin/detect",
                "bin/release",
                "manifest.yml",
                "vendor/",
                "vendor/pkg/",
                "vendor/pkg/a.rb"
            ],
            "{links}"
        );
        assert_eq!(zip_text(&zip, "vendor/pkg/a.rb"), "puts 1\n");
        assert_verifies(&zip);
    }
}

/// `include_files: [.]` packaged only manifest.yml and VERSION, without a word (`.` was
/// skipped): it is the whole folder now, as `*` takes it. An empty entry, skipped as silently,
/// is an error naming it, from `bpkit validate` and from packaging alike.
#[test]
fn include_files_dot_is_the_whole_folder_and_an_empty_entry_is_refused() {
    let (temp, root) =
        small_buildpack("---\nlanguage: plain\ndependencies: []\ninclude_files:\n- .\n");
    for phase in ["detect", "release", "compile"] {
        write(&root, &format!("bin/{phase}"), "#!/bin/sh\n");
    }
    write(&root, "lib/x.rb", "puts 1\n");
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
    assert_eq!(result.stderr, "");
    let zip = root.join("plain_buildpack-v1.0.0.zip");
    let names: Vec<String> = zip_map(&zip).into_keys().collect();
    assert_eq!(
        names,
        [
            "VERSION",
            "bin/",
            "bin/compile",
            "bin/detect",
            "bin/release",
            "lib/",
            "lib/x.rb",
            "manifest.yml"
        ]
    );
    assert_verifies(&zip);
    fs::remove_file(&zip).unwrap();

    let problem = "include_files[1]: the entry is empty, so it names no file; remove the item, or write what to package (`bin/`, `lib/*.rb`, or `.` for the whole folder)";
    write(
        &root,
        "manifest.yml",
        "---\nlanguage: plain\ndependencies: []\ninclude_files:\n- bin/\n- ''\n",
    );
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_eq!(result.stdout, "");
    let manifest = root.join("manifest.yml");
    assert_eq!(
        result.stderr,
        format!("bpkit: error: {}:6:3: {problem}\n", manifest.display())
    );
    assert!(!zip.exists());
    let validated = run(common::bin::bpkit().arg("validate").arg(&root));
    assert_eq!(validated.code, 1, "{}", validated.stderr);
    assert_eq!(
        validated.stdout,
        format!("{}:6:3: error: {problem}\n", manifest.display())
    );
}

/// A file whose name is not UTF-8 cannot be a zip entry; it stopped packaging even where it
/// would not be packaged: anywhere in the tree when include_files has a glob (`bin/*`), and
/// when exclude_files names it (`*caf*`), so the error's own fix ("leave it out") did not
/// work. Only a name that would be packaged is an error now.
#[test]
fn a_name_that_is_not_utf8_is_an_error_only_when_it_would_be_packaged() {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9");
    for (manifest, packaged) in [
        (
            "include_files:\n- bin/*\n- manifest.yml\n- VERSION\n",
            false,
        ),
        ("exclude_files:\n- '*caf*'\n", false),
        ("exclude_files:\n- fixtures/\n", false),
        (
            "include_files:\n- fixtures/*\n- manifest.yml\n- VERSION\n",
            true,
        ),
        ("exclude_files: []\n", true),
    ] {
        let (temp, root) = small_buildpack(&format!(
            "---\nlanguage: plain\ndependencies: []\n{manifest}"
        ));
        write(&root, "bin/detect", "#!/bin/sh\n");
        fs::create_dir_all(root.join("fixtures")).unwrap();
        fs::write(root.join("fixtures").join(name), "x\n").unwrap();
        let result = run(package(temp.path()).arg(&root).arg("-q"));
        if packaged {
            // exclude_files is ignored with include_files, so the fix names the key that works.
            let fix = if manifest.starts_with("include_files") {
                "leave it out of include_files (list less, or a narrower glob: exclude_files is ignored when include_files is set)"
            } else {
                "leave it out with exclude_files"
            };
            assert_eq!(result.code, 1, "{manifest}");
            assert_eq!(
                result.stderr,
                format!(
                    "bpkit: error: {}/fixtures/caf\u{fffd}: the file name is not valid UTF-8, which zip entry names must be; rename it, or {fix}\n",
                    root.display()
                ),
                "{manifest}"
            );
        } else {
            assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
            let names: Vec<String> = zip_map(&root.join("plain_buildpack-v1.0.0.zip"))
                .into_keys()
                .collect();
            assert!(
                names.contains(&"bin/detect".to_string()),
                "{manifest}: {names:?}"
            );
        }
    }
}

/// A `--cache-dir` or `--output-dir` that cannot become a folder because of what is on the
/// way to it: a file above it (`afile/sub`) failed each download with `Could not write
/// …/dependencies/<md5>: Not a directory (os error 20).`, and a symlink to nothing with `File
/// exists (os error 17)` (`a file is in the way` for --output-dir). Each now names what is in
/// the way, and the fix.
#[test]
fn a_cache_or_output_folder_that_cannot_be_made_names_what_is_in_the_way() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let deps = base.join("deps");
    write(&deps, "t.tgz", "hello\n");
    let manifest = format!(
        "---\nlanguage: plain\ndependencies:\n- name: t\n  version: 1.0.0\n  uri: file://{}/t.tgz\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n",
        deps.display(),
        sha256_hex(b"hello\n")
    );
    let root = base.join("bp");
    write(&root, "manifest.yml", manifest);
    write(&root, "VERSION", "1.0.0\n");
    write(&base, "afile", "x\n");
    std::os::unix::fs::symlink("nowhere", base.join("dangling")).unwrap();
    let cache = base.join("home");
    for (flag, dir, expected) in [
        (
            "--cache-dir",
            "afile/sub",
            "bpkit: error: the dependency cache afile/sub cannot be made: afile is a file, not a folder; point --cache-dir (or BPKIT_CACHE_DIR) at a folder, which is created when missing\n",
        ),
        (
            "--cache-dir",
            "dangling/sub",
            "bpkit: error: the dependency cache dangling/sub cannot be made: dangling is a symlink to `nowhere`, which does not exist; point --cache-dir (or BPKIT_CACHE_DIR) at a folder, which is created when missing\n",
        ),
        (
            "--output-dir",
            "dangling",
            "bpkit: error: cannot create the output folder dangling: dangling is a symlink to `nowhere`, which does not exist; give --output-dir a folder, which is created when missing\n",
        ),
        (
            "--output-dir",
            "afile/sub",
            "bpkit: error: cannot create the output folder afile/sub: afile is a file, not a folder; give --output-dir a folder, which is created when missing\n",
        ),
    ] {
        let result = run(package(&cache)
            .current_dir(&base)
            .args(["-q", "bp", "--cached", flag, dir]));
        assert_eq!((result.code, result.stderr.as_str()), (1, expected));
    }
    assert!(!base.join("nowhere").exists());
}

/// A fifo that `pre_package` makes is left out with a warning, which named it in the
/// temporary copy (`/tmp/bpkit-package-…/tree/fifo`), a folder gone by the time it is read;
/// it is named in the buildpack folder, as errors found in the copy are.
#[test]
fn a_warning_about_a_file_pre_package_made_names_it_in_the_buildpack_folder() {
    let (temp, root) =
        small_buildpack("---\nlanguage: plain\ndependencies: []\npre_package: mkfifo made-fifo\n");
    stub_phases(&root);
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
    assert_eq!(
        result.stderr,
        format!(
            "       **WARNING** {}/made-fifo is not a regular file, folder or symlink; it is left out (found after pre_package `mkfifo made-fifo`, which runs in a temporary copy)\n",
            root.display()
        )
    );
}

/// A file name with a line break in it broke the error or warning naming it in two lines
/// (the second read as an error of its own: `bpkit: error: link is a symlink to …`); the
/// break is shown as `\n`, so each message stays one line.
#[test]
fn a_name_with_a_line_break_is_named_on_one_line() {
    let (temp, root) = small_buildpack("---\nlanguage: plain\ndependencies: []\n");
    stub_phases(&root);
    std::os::unix::fs::symlink("nowhere", root.join("bad\nlink")).unwrap();
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: {}/bad\\nlink is a symlink to `nowhere`, which does not exist; fix the link, or leave it out with exclude_files\n",
                root.display()
            )
            .as_str()
        )
    );
    fs::remove_file(root.join("bad\nlink")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("fi\rfo"))
        .status()
        .unwrap();
    assert!(made.success());
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
    assert_eq!(
        result.stderr,
        format!(
            "       **WARNING** {}/fi\\rfo is not a regular file, folder or symlink; it is left out\n",
            root.display()
        )
    );
}

/// A packaged file name holding a line break (or a tab, an escape) made a zip whose listing
/// (`unzip -l`, CI logs, Cloud Foundry's tools) split that line in two, and `bpkit verify`
/// now refuses it: packaging refuses it first, naming the file escaped and the fix; so too a
/// name holding a `\`, which verify refused. A name left out by exclude_files is no error.
#[test]
fn a_file_name_with_a_control_character_is_refused() {
    let (temp, root) = small_buildpack("---\nlanguage: plain\ndependencies: []\n");
    stub_phases(&root);
    for (name, shown) in [
        ("lib/notes\nfile.txt", "lib/notes\\nfile.txt"),
        ("tab\there", "tab\\there"),
        ("esc\x1b[2J", "esc\\u{1b}[2J"),
    ] {
        write(&root, name, "x\n");
        let result = run(package(temp.path()).arg(&root).arg("-q"));
        assert_eq!(
            (result.code, result.stdout.as_str(), result.stderr),
            (
                1,
                "",
                format!(
                    "bpkit: error: {}/{shown}: the file name holds a line break or another control character, which breaks the lines of `unzip -l`, CI logs and Cloud Foundry's tools; rename it, or leave it out with exclude_files\n",
                    root.display()
                )
            )
        );
        fs::remove_file(root.join(name)).unwrap();
    }
    // A `\` is a folder separator to some extractors, and `bpkit verify` refuses it.
    write(&root, "lib\\x.rb", "x\n");
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_eq!(
        (result.code, result.stderr),
        (
            1,
            format!(
                "bpkit: error: {}/lib\\x.rb: the file name holds a `\\`, which some extractors read as a folder separator (so `bpkit verify` refuses the zip); rename it, or leave it out with exclude_files\n",
                root.display()
            )
        )
    );
    fs::remove_file(root.join("lib\\x.rb")).unwrap();
    // Through a folder symlink and through include_files too, and named in the tree.
    write(&root, "real/bad\nname", "x\n");
    std::os::unix::fs::symlink("real", root.join("alias")).unwrap();
    fs::write(
        root.join("manifest.yml"),
        "---\nlanguage: plain\ndependencies: []\ninclude_files:\n- bin/\n- alias\n",
    )
    .unwrap();
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    // exclude_files is ignored with include_files: the fix says to list less instead.
    assert_eq!(
        (result.code, result.stderr),
        (
            1,
            format!(
                "bpkit: error: {}/alias/bad\\nname: the file name holds a line break or another control character, which breaks the lines of `unzip -l`, CI logs and Cloud Foundry's tools; rename it, or leave it out of include_files (list less, or a narrower glob: exclude_files is ignored when include_files is set)\n",
                root.display()
            )
        )
    );
    // Left out: packaged, and the zip verifies.
    fs::write(
        root.join("manifest.yml"),
        "---\nlanguage: plain\ndependencies: []\nexclude_files:\n- real/\n- alias\n",
    )
    .unwrap();
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
    assert_verifies(&root.join("plain_buildpack-v1.0.0.zip"));
}

/// Folders linked from two places at every level (`l0/a -> ../l1`, `l0/b -> ../l1`, `l1/a ->
/// ../l2`, …): each path through the links was packaged as a copy, 2^25 of them for 25
/// levels, and packaging ran for hours. It stops within seconds, naming the outermost link
/// and the fixes, and writes no zip; with `--bin-links symlink` the links stay links and the
/// same tree packages at once.
#[test]
fn symlinked_folders_doubling_the_paths_at_every_level_stop_within_seconds() {
    let (temp, root) = small_buildpack("---\nlanguage: plain\ndependencies: []\n");
    stub_phases(&root);
    for level in 0..25 {
        fs::create_dir_all(root.join(format!("l{level}"))).unwrap();
        for name in ["a", "b"] {
            std::os::unix::fs::symlink(
                format!("../l{}", level + 1),
                root.join(format!("l{level}/{name}")),
            )
            .unwrap();
        }
    }
    write(&root, "l25/f", "x\n");
    let started = Instant::now();
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr),
        (
            1,
            "",
            format!(
                "bpkit: error: {}/l0/a is a symlink to a folder, and following it and the symlinks to folders below it reaches more than 100000 files and folders, as a folder linked from several places is packaged once per path to it; keep the links as links (--bin-links symlink), link to files rather than folders, or leave the links out with exclude_files\n",
                root.display()
            )
        )
    );
    // Only the top: list_files would follow the links down every path.
    let top: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(top.iter().all(|name| !name.contains(".zip")), "{top:?}");

    let result = run(package(temp.path())
        .arg(&root)
        .args(["-q", "--bin-links", "symlink"]));
    assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
    assert_verifies(&root.join("plain_buildpack-v1.0.0.zip"));
}

/// With `--bin-links symlink`, every kept link was tried against every packaged path (to leave
/// out what is inside a link): 30,000 links to files took about 20 s where following them took
/// 2 s. Each path's folders are looked up instead.
#[test]
fn many_kept_links_package_in_linear_time() {
    let (temp, root) = small_buildpack("---\nlanguage: plain\ndependencies: []\n");
    stub_phases(&root);
    fs::create_dir_all(root.join("real")).unwrap();
    fs::create_dir_all(root.join("links")).unwrap();
    for i in 0..30_000 {
        fs::write(root.join(format!("real/f{i}")), "x").unwrap();
        std::os::unix::fs::symlink(format!("../real/f{i}"), root.join(format!("links/l{i}")))
            .unwrap();
    }
    let started = Instant::now();
    let result = run(package(temp.path())
        .arg(&root)
        .args(["-q", "--bin-links", "symlink"]));
    let took = started.elapsed();
    assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
    assert!(took < Duration::from_secs(10), "{took:?}");
    let names = zip_map(&root.join("plain_buildpack-v1.0.0.zip"));
    assert_eq!(names.len(), 60_000 + 8);
}

/// A URI whose last segment is longer than a file name may be stopped at the cache with
/// `File name too long (os error 36)` alone; it now says what the name is made from and what
/// to change. Nothing is downloaded, and no zip is written.
#[test]
fn a_uri_whose_file_name_is_too_long_for_the_cache_says_what_to_shorten() {
    let name = format!("{}.tgz", "a".repeat(300));
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: plain\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: https://deps.example.invalid/{name}\n  sha256: {}\n  cf_stacks: [cflinuxfs4]\n",
        "0".repeat(64)
    ));
    stub_phases(&root);
    let cache = temp.path().join("cache");
    let result = run(package(temp.path())
        .arg(&root)
        .args(["-q", "--cached", "--cache-dir"])
        .arg(&cache));
    let entry = cache.join(format!(
        "dependencies/{}",
        md5_hex(format!("https://deps.example.invalid/{name}").as_bytes())
    ));
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr),
        (
            1,
            "",
            format!(
                "bpkit: error: Could not fetch tool 1.0.0: Could not lock {}/.{name}.lock to share the cache with other processes: File name too long (os error 36); the cache names each file after the last segment of its URI (as the Go packager does), and file names hold at most 255 bytes: shorten that segment of the dependency's `uri`.\n",
                entry.display()
            )
        )
    );
}

/// A tree nested past the 4096 bytes a path may have on Linux stopped packaging with the
/// OS's words only (`File name too long (os error 36)`); the message now says why and what to
/// do, on one line.
#[test]
fn a_path_longer_than_linux_allows_says_why_and_the_fix() {
    let (temp, root) = small_buildpack("---\nlanguage: plain\ndependencies: []\n");
    let mut deep = root.clone();
    let mut made = 0;
    // Made a folder at a time, relative to the last, as `mkdir` in a loop would.
    while deep.as_os_str().len() < 5000 {
        deep.push("dddddddddddddddddddd");
        made += 1;
    }
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "cd '{}' && for i in $(seq 1 {made}); do mkdir dddddddddddddddddddd && cd dddddddddddddddddddd || exit 1; done",
            root.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_eq!(result.code, 1);
    assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
    assert!(
        result.stderr.ends_with(
            ": the path is longer than the 4096 bytes Linux allows; shorten the names of the folders on the way, or leave the folder out with exclude_files\n"
        ),
        "{}",
        result.stderr
    );
    assert!(!root.join("plain_buildpack-v1.0.0.zip").exists());
}

/// Earlier output zips and bpkit's work folder `.bpkit/` (stage outputs) are left out where
/// they are written, at the top of the folder; a zip with such a name deeper down, or one that
/// include_files lists, is the buildpack's own.
#[test]
fn only_earlier_output_zips_at_the_top_are_left_out() {
    let (temp, root) = small_buildpack("---\nlanguage: plain\ndependencies: []\n");
    for file in [
        "bin/detect",
        "x_buildpack-v1.zip",
        "fixtures/foo_buildpack-v1.zip",
        ".bpkit/stage/app/droplet.tgz",
        "fixtures/.bpkit/kept.txt",
    ] {
        write(&root, file, file);
    }
    let names = |zip: &Path| -> Vec<String> { zip_map(zip).into_keys().collect() };
    // What the zip holds when the earlier zip and `.bpkit/` at the top are left out.
    let kept = [
        "VERSION",
        "bin/",
        "bin/detect",
        "fixtures/",
        "fixtures/.bpkit/",
        "fixtures/.bpkit/kept.txt",
        "fixtures/foo_buildpack-v1.zip",
        "manifest.yml",
    ];

    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_path(&result, &root, "plain_buildpack-v1.0.0.zip");
    assert_eq!(names(&root.join("plain_buildpack-v1.0.0.zip")), kept);
    // With a pre_package, from the temporary copy: the same.
    write(
        &root,
        "manifest.yml",
        "---\nlanguage: plain\ndependencies: []\npre_package: 'true'\n",
    );
    let copied = temp.path().join("copied");
    let result = package_into(temp.path(), &root, &copied, &["-q"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        !names(&copied.join("plain_buildpack-v1.0.0.zip"))
            .iter()
            .any(|n| n.starts_with(".bpkit/"))
    );

    // Listed in include_files (here with a pre_package, so from the temporary copy too).
    write(
        &root,
        "manifest.yml",
        "---\nlanguage: plain\ndependencies: []\npre_package: 'true'\ninclude_files:\n- bin/\n- fixtures/\n- manifest.yml\n- VERSION\n",
    );
    let out = temp.path().join("out");
    let result = package_into(temp.path(), &root, &out, &["-q"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(names(&out.join("plain_buildpack-v1.0.0.zip")), kept);
    assert_eq!(
        zip_text(
            &out.join("plain_buildpack-v1.0.0.zip"),
            "fixtures/foo_buildpack-v1.zip"
        ),
        "fixtures/foo_buildpack-v1.zip"
    );
}

/// pre_package's copy of the tree lives in a scratch folder of TMPDIR: its lock file stays out
/// of the zip, it is gone after the run, and the copy a killed run left is removed by the next.
#[test]
fn pre_packages_copy_is_cleaned_up_even_after_a_killed_run() {
    let temp = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(temp.path()).unwrap().join("bp");
    let tmp_dir = temp.path().join("tmp");
    fs::create_dir_all(&tmp_dir).unwrap();
    write(
        &root,
        "manifest.yml",
        "---\nlanguage: copied\ndependencies: []\npre_package: echo made > generated.txt\n",
    );
    write(&root, "VERSION", "1.0.0");
    stub_phases(&root);
    // What a run killed during pre_package leaves: its copy, with its (now unlocked) lock.
    let killed = tmp_dir.join("bpkit-package-Kil1ed");
    write(&killed, "tree/manifest.yml", "half a copy");
    write(&killed, ".lock", "");
    let result = run(package(&temp.path().join("cache"))
        .env("TMPDIR", &tmp_dir)
        .arg(&root)
        .arg("--output-dir")
        .arg(temp.path().join("out")));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let zip = temp.path().join("out/copied_buildpack-v1.0.0.zip");
    let entries = zip_map(&zip);
    assert_eq!(zip_text(&zip, "generated.txt"), "made\n");
    assert!(
        !entries
            .keys()
            .any(|k| k.contains("lock") || k.starts_with("tree")),
        "{:?}",
        entries.keys()
    );
    assert_eq!(list_files(&tmp_dir), Vec::<String>::new());
}

#[test]
fn pre_package_runs_in_a_copy_and_its_failure_code_is_kept() {
    let (temp, root) = buildpack_with_version(
        "---\nlanguage: built\ndependencies: []\npre_package: scripts/build.sh\ninclude_files:\n- bin/detect\n- bin/compile\n- bin/release\n- generated.txt\n- manifest.yml\n- VERSION\n",
        "2.0.0",
    );
    let out = temp.path().join("out");
    chmod(
        &write(
            &root,
            "scripts/build.sh",
            "#!/bin/sh\nset -e\necho building version $(cat VERSION)\nmkdir -p bin\nfor p in detect compile release; do echo '#!/bin/sh' > bin/$p; done\necho made > generated.txt\nrm scripts/build.sh\n",
        ),
        0o755,
    );
    let result = package_into(temp.path(), &root, &out, &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stderr.contains(
            "-----> Running pre_package: scripts/build.sh\n       building version 2.0.0\n"
        ),
        "{}",
        result.stderr
    );
    let zip = out.join("built_buildpack-v2.0.0.zip");
    assert_eq!(zip_text(&zip, "generated.txt"), "made\n");
    assert_eq!(zip_map(&zip)["bin/detect"].mode, 0o100_755);
    // The user's tree is untouched.
    assert!(root.join("scripts/build.sh").exists());
    assert!(!root.join("generated.txt").exists());
    assert!(!root.join("bin").exists());

    write(
        &root,
        "scripts/build.sh",
        "#!/bin/sh\necho about to fail\nexit 7\n",
    );
    let result = package_into(temp.path(), &root, &out, &["-q"]);
    assert_eq!(result.code, 7);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: pre_package `scripts/build.sh` failed with exit code 7 (it ran in a temporary copy of {}); fix it, or run it by hand there to see why\n",
            root.display()
        )
    );
}

/// The Go packager packages the manifest as pre_package leaves it; bpkit plans from the one
/// read before, so a pre_package that edits manifest.yml is refused instead of being ignored.
#[test]
fn a_pre_package_that_changes_the_manifest_is_refused() {
    let (temp, root) = buildpack_with_version(
        "---\nlanguage: edited\ndependencies: []\npre_package: ./edit.sh\n",
        "1.0.0",
    );
    let out = temp.path().join("out");
    chmod(
        &write(
            &root,
            "edit.sh",
            "#!/bin/sh\necho 'exclude_files: [secret]' >> manifest.yml\n",
        ),
        0o755,
    );
    let result = package_into(temp.path(), &root, &out, &["-q"]);
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.clone()),
        (
            1,
            "",
            format!(
                "bpkit: error: pre_package `./edit.sh` changed manifest.yml, and bpkit packages {}/manifest.yml as it was before pre_package ran; make pre_package leave manifest.yml alone, or write the manifest before running bpkit package\n",
                root.display()
            )
        )
    );
    assert!(!out.exists() || fs::read_dir(&out).unwrap().next().is_none());

    // Touching it without changing it is fine.
    write(&root, "edit.sh", "#!/bin/sh\ntouch manifest.yml\n");
    let result = package_into(temp.path(), &root, &out, &["-q"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
}

/// The Go packager zips the copy pre_package ran in, VERSION as the command left it; bpkit
/// names the zip and writes VERSION from the version read before, and a VERSION rewritten
/// by pre_package was dropped without a word (the zip shipped 1.0.0). It is refused, as a
/// changed manifest is; writing the same version back is fine.
#[test]
fn a_pre_package_that_changes_the_version_is_refused() {
    let (temp, root) =
        small_buildpack("---\nlanguage: versioned\ndependencies: []\npre_package: ./bump.sh\n");
    stub_phases(&root);
    let out = temp.path().join("out");
    chmod(
        &write(&root, "bump.sh", "#!/bin/sh\necho 1.0.1 > VERSION\n"),
        0o755,
    );
    let result = package_into(temp.path(), &root, &out, &["-q"]);
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (
            1,
            "",
            "bpkit: error: pre_package `./bump.sh` changed VERSION, and bpkit packages version 1.0.0, read before pre_package ran (the zip's name holds it too); make pre_package leave VERSION alone, or write VERSION (or pass --version) before running bpkit package\n"
        )
    );
    assert!(!out.exists() || fs::read_dir(&out).unwrap().next().is_none());

    write(&root, "bump.sh", "#!/bin/sh\necho 1.0.0 > VERSION\n");
    let result = package_into(temp.path(), &root, &out, &["-q"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        zip_text(&out.join("versioned_buildpack-v1.0.0.zip"), "VERSION"),
        "1.0.0"
    );
}

/// A bpkit buildpack (bin/bpkit is the bootstrap, bin/<phase> link to it) gets the binary
/// and shims, symlinks or copies.
#[test]
fn a_bpkit_buildpack_gets_the_binary_and_its_phase_entries() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let root = base.join("bp");
    write(
        &root,
        "manifest.yml",
        "---\nlanguage: hello\ndependencies: []\ninclude_files:\n- manifest.yml\n- VERSION\n- bin/bpkit\n- bin/detect\n- bin/supply\n- bin/finalize\n- bin/release\n",
    );
    write(&root, "VERSION", "1.0.0");
    chmod(
        &write(&root, "bin/bpkit", "#!/bin/sh\n# bootstrap\n"),
        0o755,
    );
    for phase in ["detect", "supply", "finalize", "release"] {
        std::os::unix::fs::symlink("bpkit", root.join("bin").join(phase)).unwrap();
    }
    let binary = fake_elf(&base);
    let elf = fs::read(&binary).unwrap();
    let name = "hello_buildpack-v1.0.0.zip";

    for (links, dir) in [("shim", "shim"), ("symlink", "symlink"), ("copy", "copy")] {
        let out = base.join(dir);
        let result = run(package(&base)
            .arg(&root)
            .args(["--binary"])
            .arg(&binary)
            .args(["--bin-links", links, "--output-dir"])
            .arg(&out));
        assert_eq!(result.code, 0, "{links}: {}", result.stderr);
        let entries = zip_map(&out.join(name));
        assert_eq!(entries["bin/bpkit"].data, elf, "{links}");
        assert_eq!(entries["bin/bpkit"].mode, 0o100_755);
        let detect = &entries["bin/detect"];
        match links {
            "shim" => {
                assert_eq!(detect.mode, 0o100_755);
                let text = String::from_utf8(detect.data.clone()).unwrap();
                assert!(
                    text.starts_with("#!/bin/sh\n")
                        && text.ends_with("exec \"$BUILDPACK_DIR/bin/bpkit\" detect \"$@\"\n"),
                    "{text}"
                );
            }
            "symlink" => {
                assert_eq!(
                    (detect.mode, detect.data.as_slice()),
                    (0o120_777, &b"bpkit"[..])
                );
            }
            _ => assert_eq!((detect.mode, &detect.data), (0o100_755, &elf)),
        }
        // compile was not in the tree: bpkit adds every phase.
        assert!(entries.contains_key("bin/compile"), "{links}");
    }

    // Without --binary, the running bpkit (a Linux x86_64 executable here) goes in.
    let out = base.join("self");
    let result = run(package(&base).arg(&root).arg("--output-dir").arg(&out));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let entries = zip_map(&out.join(name));
    assert_eq!(
        sha256_hex(&entries["bin/bpkit"].data),
        sha256_hex(&fs::read(common::bin::bpkit_path()).unwrap())
    );

    // An executable that is not bpkit is refused; the bpkit binary itself is taken.
    let result = run(package(&base)
        .arg(&root)
        .args(["-q", "--binary", "/bin/sh", "--output-dir"])
        .arg(&out));
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            "bpkit: error: --binary /bin/sh: an executable, but not bpkit (it lacks the mark every bpkit binary carries); give the Linux x86_64 bpkit binary, such as target/release/bpkit built on Linux\n"
        )
    );
    let result = run(package(&base)
        .arg(&root)
        .arg("--binary")
        .arg(common::bin::bpkit_path())
        .arg("--output-dir")
        .arg(&out));
    assert_eq!(result.code, 0, "{}", result.stderr);

    // A script is no binary.
    let result = run(package(&base)
        .arg(&root)
        .arg("-q")
        .arg("--binary")
        .arg(root.join("bin/bpkit"))
        .arg("--output-dir")
        .arg(&out));
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: --binary {}/bin/bpkit: not a Linux executable (ELF); give the Linux x86_64 bpkit binary, such as target/release/bpkit built on Linux\n",
            root.display()
        )
    );
}

/// `--binary` for a buildpack whose phases are its own (no bin/bpkit) is said to be unused,
/// not silently dropped; the zip carries no binary.
#[test]
fn a_binary_given_for_a_buildpack_that_does_not_run_bpkit_is_said_to_be_unused() {
    let (temp, root) = small_buildpack("---\nlanguage: plain\n");
    for phase in ["detect", "compile", "release"] {
        chmod(&write(&root, &format!("bin/{phase}"), "#!/bin/sh\n"), 0o755);
    }
    let binary = common::bin::bpkit_path();
    let result = package_into(
        temp.path(),
        &root,
        &temp.path().join("out"),
        &["-q", "--binary", binary.to_str().unwrap()],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        result.stderr,
        format!(
            "       **WARNING** --binary {} is not used: {} is not a bpkit buildpack (no bin/bpkit, and its bin/<phase> files are its own), so its zip carries no bpkit binary\n",
            binary.display(),
            root.display()
        )
    );
    let zip = temp.path().join("out/plain_buildpack-v1.0.0.zip");
    assert!(!zip_map(&zip).contains_key("bin/bpkit"));
    assert!(zip_map(&zip).contains_key("bin/detect"));
}

/// The manifest of a bpkit buildpack with one dependency for `stacks`.
fn one_tool_for(stacks: &str) -> String {
    format!(
        "---\nlanguage: hello\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: https://example.invalid/tool.tgz\n  sha256: {}\n  cf_stacks: [{stacks}]\ninclude_files:\n- manifest.yml\n- VERSION\n- bin/bpkit\n",
        "a".repeat(64)
    )
}

/// A bpkit buildpack (`one_tool_for` cflinuxfs4, cflinuxfs5 and my-stack) in `base/bp`.
fn one_tool_buildpack(base: &Path) -> PathBuf {
    let root = base.join("bp");
    write(
        &root,
        "manifest.yml",
        one_tool_for("cflinuxfs4, cflinuxfs5, my-stack"),
    );
    write(&root, "VERSION", "1.0.0");
    chmod(&write(&root, "bin/bpkit", "#!/bin/sh\n"), 0o755);
    root
}

/// The warnings of packaging `root` uncached with `--binary binary` and `args`, which succeeds.
fn warnings_packaging_with(base: &Path, root: &Path, binary: &Path, args: &[&str]) -> Vec<String> {
    let result = run(package(base)
        .arg(root)
        .arg("--binary")
        .arg(binary)
        .args(args)
        .arg("--output-dir")
        .arg(base.join("out")));
    assert_eq!(result.code, 0, "{}", result.stderr);
    result
        .stderr
        .lines()
        .filter(|line| line.contains("**WARNING**"))
        .map(str::to_string)
        .collect()
}

/// The bpkit binary put in a zip is checked against the glibc of the cflinuxfs stacks the zip
/// is for: one built on a newer Ubuntu than the stack would fail every phase there at staging
/// (version `GLIBC_…' not found). A warning, naming the stacks short of it, and the zip is
/// written all the same.
#[cfg(all(target_arch = "x86_64", target_env = "gnu"))]
#[test]
fn a_binary_that_cannot_start_on_the_zips_stacks_is_warned_about() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let root = one_tool_buildpack(&base);
    // x86_64's oldest glibc symbol version, which every glibc-linked x86_64 binary names, made
    // one no glibc has yet; and every glibc version renamed, as in a binary needing none.
    let newer = write(
        &base,
        "newer",
        common::buildpack::bpkit_renaming(b"GLIBC_2.2.5\0", b"GLIBC_9.9.9\0"),
    );
    let none = write(
        &base,
        "none",
        common::buildpack::bpkit_renaming(b"GLIBC_", b"GLIBX_"),
    );
    let package_with =
        |binary: &Path, args: &[&str]| warnings_packaging_with(&base, &root, binary, args);
    let fix = "pass --binary a static build (`cargo build --release --target x86_64-unknown-linux-musl`), or one built on Ubuntu";
    assert_eq!(
        package_with(&newer, &["--stack", "cflinuxfs4"]),
        [format!(
            "       **WARNING** bin/bpkit ({}) needs glibc 9.9.9; cflinuxfs4 (Ubuntu 22.04) has glibc 2.35: every phase would fail there (version `GLIBC_9.9.9' not found); {fix} 22.04",
            newer.display()
        )]
    );
    assert!(
        base.join("out/hello_buildpack-cflinuxfs4-v1.0.0.zip")
            .is_file()
    );
    // Any stack: the cflinuxfs stacks the dependencies name; another stack's glibc is unknown.
    assert_eq!(
        package_with(&newer, &[]),
        [format!(
            "       **WARNING** bin/bpkit ({}) needs glibc 9.9.9; cflinuxfs4 (Ubuntu 22.04) has glibc 2.35, cflinuxfs5 (Ubuntu 24.04) has glibc 2.39: every phase would fail there (version `GLIBC_9.9.9' not found); {fix} 22.04",
            newer.display()
        )]
    );
    assert_eq!(
        package_with(&newer, &["--stack", "my-stack"]),
        Vec::<String>::new()
    );
    assert_eq!(
        package_with(&none, &["--stack", "cflinuxfs4"]),
        Vec::<String>::new()
    );
    assert_eq!(package_with(&none, &[]), Vec::<String>::new());
    // A binary in the tree itself (bin/bpkit already the binary) is checked too.
    fs::copy(&newer, root.join("bin/bpkit")).unwrap();
    chmod(&root.join("bin/bpkit"), 0o755);
    write(&root, "manifest.yml", one_tool_for("cflinuxfs5"));
    let result = run(package(&base)
        .arg(&root)
        .arg("--output-dir")
        .arg(base.join("out")));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let warning = format!(
        "       **WARNING** bin/bpkit ({}/bin/bpkit) needs glibc 9.9.9; cflinuxfs5 (Ubuntu 24.04) has glibc 2.39:",
        root.display()
    );
    assert!(
        result.stderr.lines().any(|line| line.starts_with(&warning)),
        "{}",
        result.stderr
    );
}

/// `--binary` a bpkit for another machine (an arm64 build) is packaged as asked, with a warning
/// naming the x86_64 stacks the zip is for, where its every phase would fail; none for a stack
/// bpkit does not know, which may run it.
#[test]
fn a_binary_for_another_machine_is_warned_about_for_x86_64_stacks() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let root = one_tool_buildpack(&base);
    let mut aarch64 = fs::read(common::bin::bpkit_path()).unwrap();
    aarch64[18..20].copy_from_slice(&183u16.to_le_bytes());
    let aarch64 = write(&base, "aarch64", aarch64);
    assert_eq!(
        warnings_packaging_with(&base, &root, &aarch64, &[]),
        [format!(
            "       **WARNING** bin/bpkit ({}) is an executable for aarch64 (ELF machine 183), and cflinuxfs4, cflinuxfs5 run x86_64: every phase would fail there (Exec format error); pass --binary the Linux x86_64 bpkit binary",
            aarch64.display()
        )]
    );
    assert_eq!(
        zip_map(&base.join("out/hello_buildpack-v1.0.0.zip"))["bin/bpkit"].data,
        fs::read(&aarch64).unwrap()
    );
    assert_eq!(
        warnings_packaging_with(&base, &root, &aarch64, &["--stack", "my-stack"]),
        Vec::<String>::new()
    );
}

/// A zip for a Windows stack (`--stack windows`, or any stack with a dependency for one) gets a
/// warning: bpkit is a Linux program, and no phase would start there.
#[test]
fn a_linux_binary_for_a_windows_stack_is_warned_about() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let root = one_tool_buildpack(&base);
    write(&root, "manifest.yml", one_tool_for("cflinuxfs4, windows"));
    // An x86_64 ELF needing no glibc, which any Linux stack starts.
    let bpkit = common::buildpack::fake_elf(&base);
    let warning = format!(
        "       **WARNING** bin/bpkit ({}) is a Linux executable, and windows runs Windows: every phase would fail there; a bpkit buildpack runs on Linux stacks, so package it with --stack cflinuxfs4 or another Linux stack",
        bpkit.display()
    );
    for args in [&["--stack", "windows"][..], &[]] {
        assert_eq!(
            warnings_packaging_with(&base, &root, &bpkit, args),
            std::slice::from_ref(&warning),
            "{args:?}"
        );
    }
    assert!(
        base.join("out/hello_buildpack-windows-v1.0.0.zip")
            .is_file()
    );
    assert_eq!(
        warnings_packaging_with(&base, &root, &bpkit, &["--stack", "cflinuxfs4"]),
        Vec::<String>::new()
    );
}

/// The packaging log says which `bin/<phase>` entries bpkit writes in words that read right
/// for one and for none, and its count of zip entries adds up (folders included).
#[test]
fn the_log_names_the_phase_entries_and_counts_every_zip_entry() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let root = base.join("bp");
    write(
        &root,
        "manifest.yml",
        "---\nlanguage: hello\ndependencies: []\n",
    );
    write(&root, "VERSION", "1.0.0");
    chmod(
        &write(&root, "bin/bpkit", "#!/bin/sh\n# bootstrap\n"),
        0o755,
    );
    std::os::unix::fs::symlink("bpkit", root.join("bin/detect")).unwrap();
    for phase in ["supply", "finalize", "compile", "release"] {
        chmod(&write(&root, &format!("bin/{phase}"), "#!/bin/sh\n"), 0o755);
    }
    let binary = fake_elf(&base);
    let log = |out: &str| {
        let result = run(package(&base)
            .arg(&root)
            .arg("--binary")
            .arg(&binary)
            .arg("--output-dir")
            .arg(base.join(out)));
        assert_eq!(result.code, 0, "{}", result.stderr);
        result.stderr
    };
    let stderr = log("one");
    let expected = format!(
        "       bin/bpkit is {}; bin/detect is written as a shim",
        binary.display()
    );
    assert!(stderr.lines().any(|l| l == expected), "{stderr}");
    // manifest.yml, VERSION and 6 bin/ files deflated; the bin/ folder is the 9th entry.
    assert!(
        stderr
            .lines()
            .any(|l| l == "       9 entries: 0 stored as they are, 8 deflated, 1 folder or link"),
        "{stderr}"
    );

    fs::remove_file(root.join("bin/detect")).unwrap();
    chmod(&write(&root, "bin/detect", "#!/bin/sh\n"), 0o755);
    let stderr = log("none");
    let expected = format!(
        "       bin/bpkit is {}; every bin/<phase> is the buildpack's own",
        binary.display()
    );
    assert!(stderr.lines().any(|l| l == expected), "{stderr}");
}

/// The README quick start's packaging step: `scripts/quickstart package` packages
/// fixtures/buildpack cached and offline from `file://` dependencies in fixtures/deps (through a
/// mirror), and prints the zip path.
#[test]
fn the_quick_start_packages_the_fixture_buildpack() {
    let temp = tempfile::tempdir().unwrap();
    let out = fs::canonicalize(temp.path()).unwrap().join("out");
    let result = run(
        std::process::Command::new(repo_root().join("scripts/quickstart"))
            .arg("package")
            .env("BPKIT", common::bin::bpkit_path())
            .env("BPKIT_QUICKSTART_OUT", &out)
            .env("BPKIT_CACHE_DIR", temp.path().join("cache"))
            .env("NO_COLOR", "1"),
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let zip = out.join("hello_buildpack-cached-v1.0.0.zip");
    assert_eq!(result.stdout, format!("{}\n", zip.display()));
    let entries = zip_map(&zip);
    let deps: Vec<&String> = entries.keys().filter(|k| has_extension(k, "tgz")).collect();
    assert_eq!(deps.len(), 2, "{:?}", entries.keys());
    assert!(entries.contains_key("bin/bpkit") && entries.contains_key("bin/supply"));
    assert_verifies(&zip);

    // With --json (the script passes its arguments on), each dependency says it came from the
    // mirror; the same bytes are written.
    let output = run(
        std::process::Command::new(repo_root().join("scripts/quickstart"))
            .args(["package", "--json"])
            .env("BPKIT", common::bin::bpkit_path())
            .env("BPKIT_QUICKSTART_OUT", out.join("json"))
            .env("BPKIT_CACHE_DIR", temp.path().join("cache2"))
            .env("NO_COLOR", "1"),
    );
    let json: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    let sources: Vec<&str> = json["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["mirror", "mirror"]);
    assert_eq!(
        fs::read(out.join("json/hello_buildpack-cached-v1.0.0.zip")).unwrap(),
        fs::read(&zip).unwrap()
    );

    // BPKIT may name a command on PATH, `BPKIT=bpkit` included: the script's own `bpkit`
    // function must run that command, not call itself until the shell gives up.
    let bin = temp.path().join("bin");
    fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(common::bin::bpkit_path(), bin.join("bpkit")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = run(
        std::process::Command::new(repo_root().join("scripts/quickstart"))
            .arg("package")
            .env("PATH", path)
            .env("BPKIT", "bpkit")
            .env("BPKIT_QUICKSTART_OUT", out.join("by-name"))
            .env("BPKIT_CACHE_DIR", temp.path().join("cache3"))
            .env("NO_COLOR", "1"),
    );
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(
        output.stdout,
        format!(
            "{}\n",
            out.join("by-name/hello_buildpack-cached-v1.0.0.zip")
                .display()
        )
    );
}

/// This repository is itself a buildpack: `bpkit package` on it makes ruby_buildpack-v<ver>.zip.
#[test]
fn this_repository_packages_as_the_ruby_buildpack() {
    let temp = tempfile::tempdir().unwrap();
    let out = fs::canonicalize(temp.path()).unwrap();
    let root = repo_root();
    let version = fs::read_to_string(root.join("VERSION")).unwrap();
    let result = run(package(temp.path())
        .arg(&root)
        .args(["--stack", "cflinuxfs4", "--output-dir"])
        .arg(&out));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let zip = out.join(format!("ruby_buildpack-cflinuxfs4-v{}.zip", version.trim()));
    assert_eq!(result.stdout, format!("{}\n", zip.display()));
    let names: Vec<String> = zip_map(&zip).into_keys().collect();
    assert_eq!(
        names,
        [
            "README.md",
            "VERSION",
            "bin/",
            "bin/bpkit",
            "bin/compile",
            "bin/detect",
            "bin/finalize",
            "bin/release",
            "bin/supply",
            "manifest.yml"
        ]
    );
    let manifest = zip_text(&zip, "manifest.yml");
    assert!(manifest.contains("\nstack: cflinuxfs4\n"));
    assert!(
        !manifest.contains("cflinuxfs3"),
        "other stacks' rubies are left out"
    );
    assert_verifies(&zip);
}

/// A process killed while writing leaves no zip under the real name, and the next run
/// removes its unfinished temporary file.
#[test]
fn killed_mid_zip_leaves_no_zip_and_the_next_run_cleans_up() {
    let (temp, root) = buildpack_with_version("---\nlanguage: big\ndependencies: []\n", "1.0.0");
    let out = temp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    stub_phases(&root);
    // 512 MiB of (sparse) data, stored as it is: long enough to be caught mid-write.
    let big = fs::File::create(root.join("data.tgz")).unwrap();
    big.set_len(512 << 20).unwrap();
    let mut child = package(temp.path())
        .arg(&root)
        .arg("--output-dir")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut caught = false;
    while started.elapsed() < Duration::from_secs(30) {
        let parts: Vec<String> = list_files(&out)
            .into_iter()
            .filter(|f| has_extension(f, "part"))
            .collect();
        let growing = parts
            .iter()
            .any(|p| fs::metadata(out.join(p)).is_ok_and(|m| m.len() > 1 << 20));
        if growing {
            child.kill().unwrap();
            caught = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.wait().unwrap();
    assert!(caught, "the packager finished before it could be killed");
    assert!(!out.join("big_buildpack-v1.0.0.zip").exists());

    let result = package_into(temp.path(), &root, &out, &["-q"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(list_files(&out), ["big_buildpack-v1.0.0.zip"]);
}

/// The leftovers of killed runs in the output folder (here the buildpack folder) are removed
/// before the tree is read, whichever zip they were for, and an include_files glob never
/// takes one: `include_files: ["*"]` packaged them, or failed (`cannot read
/// …/.bpkit-demo_buildpack-v1.0.0.zip.OVWEkr.part to put it in the zip`) when the run's
/// clean-up removed its own zip's leftover after the selection; a cached run's leftover was
/// never removed by an uncached one. One another run is writing (locked) stays.
#[test]
fn killed_runs_leftovers_are_removed_before_include_files_globs_see_them() {
    let (temp, root) = small_buildpack("---\nlanguage: demo\ninclude_files: ['*']\n");
    stub_phases(&root);
    let same = ".bpkit-demo_buildpack-v1.0.0.zip.OVWEkr.part";
    let other = ".bpkit-demo_buildpack-cached-v1.0.0.zip.AbCdEf.part";
    let live = ".bpkit-demo_buildpack-cflinuxfs4-v1.0.0.zip.GhIjKl.part";
    let half = vec![b'x'; 2 << 20];
    write(&root, same, &half);
    write(&root, other, &half);
    let writer = fs::File::create(root.join(live)).unwrap();
    writer.lock().unwrap();
    let result = run(package(temp.path()).arg(&root).arg("-q"));
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    let zip = root.join("demo_buildpack-v1.0.0.zip");
    assert_eq!(
        zip_map(&zip).into_keys().collect::<Vec<_>>(),
        [
            "VERSION",
            "bin/",
            "bin/compile",
            "bin/detect",
            "bin/release",
            "manifest.yml"
        ]
    );
    assert_eq!(
        list_files(&root),
        [
            live,
            "VERSION",
            "bin/compile",
            "bin/detect",
            "bin/release",
            "demo_buildpack-v1.0.0.zip",
            "manifest.yml"
        ]
    );
}

/// More than 65,535 entries do not fit the classic end-of-central-directory record (16-bit
/// counts), so the zip needs the Zip64 one: the cheap way to test Zip64 in every run. (An
/// entry over 4 GiB, the other Zip64 case, is the ignored test in src/packager/zipwriter/copy.rs.)
/// Read back by the `zip` crate, Info-ZIP (`unzip -t`) and Python's `zipfile`.
#[test]
fn zip64_for_more_than_65535_entries() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("bp");
    write(&root, "manifest.yml", "---\nlanguage: many\n");
    write(&root, "VERSION", "1.0.0");
    stub_phases(&root);
    // 256 folders of 257 files: 65,792 files, 66,055 entries with the folders and the rest.
    for d in 0..256 {
        let dir = root.join(format!("files/{d:03}"));
        fs::create_dir_all(&dir).unwrap();
        for f in 0..257 {
            fs::write(dir.join(format!("{f:03}")), format!("{d} {f}\n")).unwrap();
        }
    }
    let out = temp.path().join("out");
    let result = package_into(temp.path(), &root, &out, &["-q"]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    let zip = out.join("many_buildpack-v1.0.0.zip");
    let entries = 66_055;

    let bytes = fs::read(&zip).unwrap();
    let tail = &bytes[bytes.len() - 200..];
    let find = |signature: &[u8]| tail.windows(4).position(|w| w == signature);
    let zip64_eocd = find(b"PK\x06\x06").expect("a Zip64 end-of-central-directory record");
    let locator = find(b"PK\x06\x07").expect("a Zip64 end-of-central-directory locator");
    let eocd = find(b"PK\x05\x06").expect("the classic record still ends the file");
    assert!(zip64_eocd < locator && locator < eocd);
    // The Zip64 record holds the real count (at offset 32, 8 bytes); the classic one 0xFFFF.
    let count = u64::from_le_bytes(tail[zip64_eocd + 32..zip64_eocd + 40].try_into().unwrap());
    assert_eq!(count, entries);
    assert_eq!(&tail[eocd + 10..eocd + 12], [0xff, 0xff]);

    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    assert_eq!(archive.len() as u64, entries);
    let mut last = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("files/255/256").unwrap(), &mut last)
        .unwrap();
    assert_eq!(last, "255 256\n");
    if let Ok(test) = std::process::Command::new("unzip")
        .arg("-tqq")
        .arg(&zip)
        .output()
    {
        assert!(test.status.success(), "unzip -t: {test:?}");
    }
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(len(z.infolist()), z.read('files/255/256').decode(), end='')\n";
    if let Ok(python) = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&zip)
        .output()
    {
        assert_eq!(
            String::from_utf8_lossy(&python.stdout),
            format!("{entries} 255 256\n"),
            "{}",
            String::from_utf8_lossy(&python.stderr)
        );
    }
}

/// Files under `dir` that a crash could leave: `.part` files (downloads and zips).
fn parts(dir: &Path) -> Vec<String> {
    list_files(dir)
        .into_iter()
        .filter(|f| has_extension(f, "part"))
        .collect()
}

/// Whether `dir` holds a `.part` file of more than `bytes` bytes: a download or a zip under way.
fn has_a_started_part(dir: &Path, bytes: u64) -> bool {
    parts(dir)
        .iter()
        .any(|p| fs::metadata(dir.join(p)).is_ok_and(|m| m.len() > bytes))
}

/// Start `command` with stdout discarded and stderr to `stderr`.
fn spawn(command: &mut std::process::Command, stderr: Stdio) -> std::process::Child {
    common::process::with_default_signals(command)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// What `bpkit package` says last when Ctrl-C stopped it.
const INTERRUPTED: &str = "bpkit: error: packaging was interrupted; no zip was written, and the cache holds only verified files";

/// The run ended with exit 130 and `last` as the last line of stderr.
#[track_caller]
fn assert_interrupted(stopped: &common::bin::Run, last: &str) {
    assert_eq!(
        (stopped.code, stopped.stderr.lines().last()),
        (130, Some(last)),
        "{}",
        stopped.stderr
    );
}

/// Poll until `ready` holds (then SIGKILL `child` and return true) or the child ends.
fn kill_when(child: &mut std::process::Child, ready: impl Fn() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if ready() {
            child.kill().unwrap(); // SIGKILL: no destructor, no clean-up of any kind
            child.wait().unwrap();
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    false
}

/// SIGKILL while a dependency is downloading (the server trickles it) leaves a `.part` file
/// and no cache entry (and no zip: at most the zip's own hidden temporary file, since the zip
/// is written while dependencies download); the next run removes both leftovers, downloads
/// again and succeeds, with nothing left behind.
#[test]
fn killed_mid_download_then_a_rerun_succeeds_with_no_clean_up() {
    let demo = Demo::new();
    // 4 MiB, 64 KiB every 25 ms: about 1.6 s, plenty of time to be caught mid-way.
    let big = demo.big_tool(
        4 << 20,
        Fault::Slow {
            chunk: 64 << 10,
            delay: Duration::from_millis(25),
        },
    );
    let mut child = spawn(&mut demo.cached_packager(), Stdio::null());
    let entry_dir = demo.cache_entry(TOOL).parent().unwrap().to_path_buf();
    let caught = kill_when(&mut child, || has_a_started_part(&entry_dir, 0));
    assert!(caught, "the download finished before it could be killed");
    assert!(
        !demo.cache_entry(TOOL).exists(),
        "no unverified cache entry"
    );
    assert_eq!(parts(&entry_dir).len(), 1, "the killed download's .part");
    // The zip is written while dependencies download: at most its hidden temporary file.
    let left: Vec<String> = list_files(&demo.out)
        .into_iter()
        .filter(|f| !(f.starts_with(".bpkit-") && has_extension(f, "part")))
        .collect();
    assert_eq!(left, Vec::<String>::new(), "no zip");

    demo.assert_a_rerun_packages(&big);
    assert_eq!(parts(&demo.cache), Vec::<String>::new());
    assert_eq!(demo.server.hits(TOOL), 2);
}

/// In a fresh temporary folder, a buildpack `bp` with one dependency of 256 MiB (sparse, so
/// cheap to make) from `file://` under `deps`, stored in the zip as it is: long enough to write
/// that a test can stop the writer mid-way; its zip goes to `out`, its cache is `cache`.
struct BigCached {
    _temp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    cache: PathBuf,
    uri: String,
    sha: String,
}

impl BigCached {
    const ZIP: &str = "big_buildpack-cached-v1.0.0.zip";

    fn new() -> BigCached {
        let temp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(temp.path()).unwrap();
        let root = base.join("bp");
        let dep = base.join("deps/big-1.0.0-linux-x64.tgz");
        fs::create_dir_all(dep.parent().unwrap()).unwrap();
        fs::File::create(&dep).unwrap().set_len(256 << 20).unwrap();
        let sha = bpkit::checksum::digest_file(&dep, false)
            .unwrap()
            .sha256
            .hex();
        let uri = format!("file://{}", dep.display());
        write(
            &root,
            "manifest.yml",
            format!(
                "---\nlanguage: big\ndependencies:\n- name: big\n  version: 1.0.0\n  uri: {uri}\n  sha256: {sha}\n  cf_stacks: [cflinuxfs4]\n"
            ),
        );
        write(&root, "VERSION", "1.0.0");
        stub_phases(&root);
        BigCached {
            _temp: temp,
            root,
            out: base.join("out"),
            cache: base.join("cache"),
            uri,
            sha,
        }
    }

    /// `bpkit package ROOT --cached --output-dir OUT` (more arguments may follow).
    fn packager(&self) -> std::process::Command {
        let mut command = package(&self.cache);
        command
            .arg(&self.root)
            .args(["--cached", "--output-dir"])
            .arg(&self.out);
        command
    }

    /// The dependency's cache entry holds the whole dependency.
    fn assert_the_cache_entry_is_intact(&self) {
        let entry = self
            .cache
            .join("dependencies")
            .join(md5_hex(self.uri.as_bytes()))
            .join("big-1.0.0-linux-x64.tgz");
        assert_eq!(
            bpkit::checksum::digest_file(&entry, false)
                .unwrap()
                .sha256
                .hex(),
            self.sha,
            "the cache entry is intact"
        );
    }
}

/// SIGKILL while the zip of a cached buildpack with a large dependency is being written
/// leaves the cache as it was (verified entries, no `.part`) and no zip; the next run succeeds
/// from the cache and leaves only the zip.
#[test]
fn killed_mid_zip_with_large_dependencies_keeps_the_cache_and_leaves_no_zip() {
    let big = BigCached::new();
    // Fill the cache, then package again from it and kill while the zip grows.
    assert_eq!(run(big.packager().arg("-q")).code, 0);
    fs::remove_file(big.out.join(BigCached::ZIP)).unwrap();
    let mut child = spawn(big.packager().arg("-q"), Stdio::null());
    let caught = kill_when(&mut child, || has_a_started_part(&big.out, 1 << 20));
    assert!(caught, "the packager finished before it could be killed");
    assert!(
        !big.out.join(BigCached::ZIP).exists(),
        "no zip under the real name"
    );
    assert_eq!(parts(&big.cache), Vec::<String>::new());
    big.assert_the_cache_entry_is_intact();

    let result = run(big.packager().arg("-q"));
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert_eq!(
        list_files(&big.out),
        [BigCached::ZIP],
        "the killed run's temporary zip is gone"
    );
    assert_eq!(parts(&big.cache), Vec::<String>::new());
}

/// Send SIGINT (a Ctrl-C) to `child` once `ready` holds, and wait (bounded) for it to end.
/// Returns the run and how long it took to end after the signal; panics when `ready` never
/// held while the child ran.
fn interrupt_when(
    mut child: std::process::Child,
    ready: impl Fn() -> bool,
) -> (common::bin::Run, Duration) {
    let started = Instant::now();
    while !ready() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "bpkit ended before it could be interrupted"
        );
        assert!(started.elapsed() < Duration::from_secs(60), "never ready");
        std::thread::sleep(Duration::from_millis(2));
    }
    let signalled = Instant::now();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let run = common::timed::wait_within(child, Duration::from_secs(30), "bpkit package");
    (run, signalled.elapsed())
}

/// Ctrl-C while a dependency trickles in: the download stops at once, its `.part` file is
/// removed (a SIGKILL leaves it for the next run, see above), there is no cache entry and no
/// zip (not even the zip's temporary file), one line says so, and the exit code is 130. The
/// next run needs no clean-up.
#[test]
fn interrupted_mid_download_removes_its_part_files_and_exits_130() {
    let demo = Demo::new();
    // 4 MiB, 16 KiB every 50 ms: over 12 s, far longer than the run is given to stop.
    let big = demo.big_tool(
        4 << 20,
        Fault::Slow {
            chunk: 16 << 10,
            delay: Duration::from_millis(50),
        },
    );
    let child = spawn(&mut demo.cached_packager(), Stdio::piped());
    let entry_dir = demo.cache_entry(TOOL).parent().unwrap().to_path_buf();
    let (stopped, took) = interrupt_when(child, || has_a_started_part(&entry_dir, 0));
    // After the demo manifest's warning, one line.
    assert_interrupted(&stopped, INTERRUPTED);
    assert_eq!(
        stopped.stderr.matches("error").count(),
        1,
        "{}",
        stopped.stderr
    );
    assert!(took < Duration::from_secs(5), "took {took:?} to stop");
    assert_eq!(parts(&demo.cache), Vec::<String>::new());
    assert!(!demo.cache_entry(TOOL).exists(), "no unverified entry");
    assert_eq!(list_files(&demo.out), Vec::<String>::new(), "no zip");

    demo.assert_a_rerun_packages(&big);
}

/// The same through the `buildpack-packager build` drop-in, against a server that stops
/// sending altogether: the blocked read ends at once (not after the 30 s read timeout), and
/// the exit code is 130 too.
#[test]
fn the_drop_in_stops_a_download_stalled_on_a_silent_server() {
    let demo = Demo::new();
    demo.big_tool(1 << 20, Fault::Stall { after: 64 << 10 });
    let tools = tempfile::tempdir().unwrap();
    let mut command = common::bin::command_for(&link_as(tools.path(), "buildpack-packager"));
    for proxy in ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"] {
        command.env_remove(proxy);
    }
    command
        .current_dir(&demo.root)
        .env("HOME", &demo.cache)
        .env_remove("BPKIT_CACHE_DIR")
        .env("BPKIT_READ_TIMEOUT", "30")
        .args(["build", "--cached", "--stack", "cflinuxfs4"]);
    let child = spawn(&mut command, Stdio::piped());
    // The Go packager's cache: $HOME/.buildpack-packager/cache.
    let cache = demo.cache.join(".buildpack-packager/cache");
    let (stopped, took) = interrupt_when(child, || has_a_started_part(&cache, 0));
    assert_interrupted(
        &stopped,
        "buildpack-packager: packaging was interrupted; no zip was written, and the cache holds only verified files",
    );
    assert!(took < Duration::from_secs(5), "took {took:?} to stop");
    assert_eq!(parts(&cache), Vec::<String>::new());
    assert_eq!(parts(&demo.root), Vec::<String>::new());
    assert!(
        !list_files(&demo.root)
            .iter()
            .any(|f| has_extension(f, "zip")),
        "no zip"
    );
}

/// Ctrl-C while the zip of a cached buildpack with a large dependency is written: the writer
/// stops, its temporary file is removed, the cache is as it was, exit 130; the next run
/// succeeds and leaves only the zip.
#[test]
fn interrupted_mid_zip_removes_the_temporary_zip_and_keeps_the_cache() {
    let big = BigCached::new();
    assert_eq!(run(big.packager().arg("-q")).code, 0);
    fs::remove_file(big.out.join(BigCached::ZIP)).unwrap();
    // Not quiet: the step lines show the writer was stopped, not finished ("Created" never
    // comes; "Writing" is said once the writer returned).
    let child = spawn(&mut big.packager(), Stdio::piped());
    let (stopped, _) = interrupt_when(child, || has_a_started_part(&big.out, 1 << 20));
    assert_interrupted(&stopped, INTERRUPTED);
    assert!(
        stopped.stderr.contains("-----> Writing") && !stopped.stderr.contains("Created"),
        "{}",
        stopped.stderr
    );
    assert_eq!(
        list_files(&big.out),
        Vec::<String>::new(),
        "no zip, no .part"
    );
    assert_eq!(parts(&big.cache), Vec::<String>::new());
    big.assert_the_cache_entry_is_intact();

    let result = run(big.packager().arg("-q"));
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert_eq!(list_files(&big.out), [BigCached::ZIP]);
}

/// Ctrl-C while `pre_package` runs: the command (in its own process group) and what it
/// started get the signal and are waited for; no zip, exit 130. A SIGTERM sent to bpkit alone
/// (not to the terminal's process group) reaches them the same way.
#[test]
fn an_interrupt_stops_pre_package_and_what_it_started() {
    for signal in ["-INT", "-TERM"] {
        let temp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(temp.path()).unwrap();
        let (root, out) = (base.join("bp"), base.join("out"));
        let pidfile = base.join("pid");
        write(
            &root,
            "manifest.yml",
            format!(
                "---\nlanguage: slow\ndependencies: []\npre_package: 'sleep 1000 & echo $! > {}; wait'\n",
                pidfile.display()
            ),
        );
        write(&root, "VERSION", "1.0.0");
        write(&root, "bin/detect", "#!/bin/sh\n");
        let tmp_dir = base.join("tmp");
        fs::create_dir_all(&tmp_dir).unwrap();
        let mut packaging = package(&base.join("cache"));
        packaging
            .env("TMPDIR", &tmp_dir)
            .arg(&root)
            .args(["-q", "--output-dir"])
            .arg(&out);
        let child = common::process::with_default_signals(&packaging)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while fs::read_to_string(&pidfile).map_or(true, |p| !p.ends_with('\n')) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no pre_package"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let pid = common::process::read_pid(&pidfile);
        std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        let stopped = common::timed::wait_within(child, Duration::from_secs(30), "bpkit package");
        assert_eq!(
            (stopped.code, stopped.stderr.as_str()),
            (
                130,
                "bpkit: error: packaging was interrupted; no zip was written\n"
            ),
            "{signal}"
        );
        // Reaped or a zombie (its parent, the shell, is gone): either way not running.
        assert!(
            !common::process::running(pid),
            "pre_package's `sleep` {pid} survived {signal}"
        );
        assert!(!out.exists() || list_files(&out).is_empty(), "no zip");
        assert_eq!(
            list_files(&tmp_dir),
            Vec::<String>::new(),
            "the copy is removed"
        );
    }
}

/// Ctrl-C while the buildpack's tree is copied for `pre_package` stops the copy inside a large
/// file (4 GiB, sparse, copied as zeros): exit 130 at once, no zip, the copy removed. The copy
/// went on to the end of the tree (tens of seconds on a slow disk) before the signal was seen.
#[test]
fn an_interrupt_stops_the_copy_for_pre_package_inside_a_large_file() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let (root, out) = (base.join("bp"), base.join("out"));
    write(
        &root,
        "manifest.yml",
        "---\nlanguage: big\ndependencies: []\npre_package: 'true'\n",
    );
    write(&root, "VERSION", "1.0.0");
    write(&root, "bin/detect", "#!/bin/sh\n");
    fs::File::create(root.join("huge.bin"))
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    let tmp_dir = base.join("tmp");
    fs::create_dir_all(&tmp_dir).unwrap();
    let mut packaging = package(&base.join("cache"));
    packaging
        .env("TMPDIR", &tmp_dir)
        .arg(&root)
        .args(["-q", "--output-dir"])
        .arg(&out);
    // Interrupted once the copy of the big file has begun.
    let copy_of_huge = || {
        fs::read_dir(&tmp_dir).unwrap().find_map(|entry| {
            let copy = entry.unwrap().path().join("tree/huge.bin");
            fs::metadata(&copy)
                .is_ok_and(|meta| meta.len() > 0)
                .then_some(copy)
        })
    };
    let child = spawn(&mut packaging, Stdio::piped());
    let (stopped, took) = interrupt_when(child, || copy_of_huge().is_some());
    assert_interrupted(
        &stopped,
        "bpkit: error: packaging was interrupted; no zip was written",
    );
    assert_eq!(stopped.stderr.lines().count(), 1, "{}", stopped.stderr);
    assert!(took < Duration::from_secs(3), "it took {took:?}");
    assert!(copy_of_huge().is_none(), "the copy is left");
    assert!(!out.exists() || list_files(&out).is_empty(), "no zip");
    assert_eq!(list_files(&tmp_dir), Vec::<String>::new());
}

/// Ctrl-C while a large cached dependency is hashed (re-verified before it goes into the zip)
/// stops the hashing: exit 130 at once, no zip. A 4 GiB entry took half a minute here to hash
/// (sha256 and md5) before the signal was seen.
#[test]
fn an_interrupt_stops_the_hashing_of_a_large_cached_dependency() {
    let uri = "http://127.0.0.1:9/big.tgz";
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: big\ndependencies:\n- name: big\n  version: 1.0.0\n  uri: {uri}\n  sha256: {}\n  md5: {}\n  cf_stacks:\n  - cflinuxfs4\n",
        "a".repeat(64),
        "b".repeat(32)
    ));
    for phase in ["detect", "compile", "release"] {
        write(&root, &format!("bin/{phase}"), "#!/bin/sh\n");
    }
    let cache = temp.path().join("cache");
    let entry = cache
        .join("dependencies")
        .join(md5_hex(uri.as_bytes()))
        .join("big.tgz");
    fs::create_dir_all(entry.parent().unwrap()).unwrap();
    fs::File::create(&entry).unwrap().set_len(4 << 30).unwrap();
    let out = temp.path().join("out");
    let mut packaging = package(&cache);
    packaging
        .arg(&root)
        .args(["-q", "--cached", "--offline", "--output-dir"])
        .arg(&out);
    let child = spawn(&mut packaging, Stdio::piped());
    // Interrupted once the entry is open: the hashing has begun.
    let fds = PathBuf::from(format!("/proc/{}/fd", child.id()));
    let (stopped, took) = interrupt_when(child, || {
        fs::read_dir(&fds).is_ok_and(|fds| {
            fds.flatten()
                .any(|fd| fs::read_link(fd.path()).is_ok_and(|target| target == entry))
        })
    });
    assert_interrupted(&stopped, INTERRUPTED);
    assert_eq!(stopped.stderr.lines().count(), 1, "{}", stopped.stderr);
    assert!(took < Duration::from_secs(3), "it took {took:?}");
    assert!(!out.exists() || list_files(&out).is_empty(), "no zip");
}

/// A daemon `pre_package` starts (`setsid`: out of its process group, which a group signal no
/// longer reaches) is stopped once the command exits, as a staging phase's is: none outlives
/// packaging. One that still holds the output pipe does not keep packaging waiting either; one
/// left in the group (`cmd &`) is killed with it. The daemon takes SIGTERM's default action
/// (`env --default-signal`) even in a test run started with SIGTERM ignored, which it would
/// inherit: the SIGKILL after the grace period then stopped it, too late for the test's bound.
#[test]
fn a_daemon_pre_package_leaves_is_stopped() {
    let cases = [
        ("setsid", "</dev/null >/dev/null 2>&1"),
        ("setsid", ""),
        ("", ""),
    ];
    for (setsid, redirect) in cases {
        let temp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(temp.path()).unwrap();
        let (root, out) = (base.join("bp"), base.join("out"));
        let pidfile = base.join("daemon.pid");
        write(
            &root,
            "start-daemon.sh",
            format!(
                "#!/bin/sh\n{setsid} sh -c 'echo $$ > {pid}.tmp; mv {pid}.tmp {pid}; exec env --default-signal=TERM sleep 300' {redirect} &\n\
                 while [ ! -s {pid} ]; do sleep 0.05; done\necho started\n",
                pid = pidfile.display()
            ),
        );
        fs::set_permissions(
            root.join("start-daemon.sh"),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        write(
            &root,
            "manifest.yml",
            "---\nlanguage: daemon\ndependencies: []\npre_package: ./start-daemon.sh\n",
        );
        write(&root, "VERSION", "1.0.0");
        write(&root, "bin/detect", "#!/bin/sh\n");
        let started = Instant::now();
        let child = package(&base.join("cache"))
            .arg(&root)
            .arg("--output-dir")
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let result = common::timed::wait_within(child, Duration::from_secs(60), "bpkit package");
        let pid = common::process::read_pid(&pidfile);
        // Reaped or a zombie: either way not running. Checked before any assertion, so a
        // failure leaves no sleeper behind.
        let alive = common::process::running(pid);
        if alive {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        assert_eq!(result.code, 0, "{setsid} {redirect}: {}", result.stderr);
        assert!(
            !alive,
            "pre_package's daemon {pid} survived ({setsid} {redirect})"
        );
        assert!(
            result.stderr.contains("       started\n"),
            "{setsid} {redirect}: {}",
            result.stderr
        );
        if setsid.is_empty() {
            assert!(
                !result.stderr.contains("outside its process group"),
                "{}",
                result.stderr
            );
        } else {
            assert!(
                result.stderr.contains(
                    "       Stopped 1 process pre_package left running outside its process group\n"
                ),
                "{}",
                result.stderr
            );
        }
        // It answered SIGTERM: no wait for the 10 s grace period, nor for the pipe it held.
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(list_files(&out).len(), 1, "one zip");
    }
}

/// Two packagers sharing one cache at once both succeed; the dependency is downloaded once
/// (the second waits for the first's verified file) and neither sees a partial file.
#[test]
fn two_packagers_share_one_cache_at_once() {
    let demo = Demo::new();
    // 100 bytes every 50 ms: the tool's download takes a second and a half or more.
    demo.server.route(
        TOOL,
        demo.tool.clone(),
        Fault::Slow {
            chunk: 100,
            delay: Duration::from_millis(50),
        },
    );
    let spawn = |out: &str| {
        package(&demo.cache)
            .arg(&demo.root)
            .args(["-q", "--cached", "--stack", "cflinuxfs4", "--output-dir"])
            .arg(demo.out.join(out))
            // The debug line says when one packager waits for the other's download.
            .env("BP_DEBUG", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut first = spawn("one");
    // The second starts once the first is downloading (and so holds the entry's lock), not at
    // a moment a loaded machine could make too late; a first that ended without downloading
    // fails the test below at once, rather than after the wait's limit.
    let started = Instant::now();
    while demo.server.hits(TOOL) == 0
        && first.try_wait().unwrap().is_none()
        && started.elapsed() < common::bin::RUN_LIMIT
    {
        std::thread::sleep(Duration::from_millis(2));
    }
    let second = spawn("two");
    let name = "demo_buildpack-cached-cflinuxfs4-v1.2.3.zip";
    let mut waited = 0;
    for (child, out) in [(first, "one"), (second, "two")] {
        let result = common::timed::wait_within(child, common::bin::RUN_LIMIT, out);
        assert_eq!(result.code, 0, "{out}: {}", result.stderr);
        assert_eq!(
            result.stdout,
            format!("{}\n", demo.out.join(out).join(name).display())
        );
        waited += result
            .stderr
            .matches("DEBUG: Waiting for another process to finish with")
            .count();
    }
    // The runs overlapped: the second found the entry locked by the first mid-download and
    // waited for it, rather than both running one after the other.
    assert!(waited >= 1, "neither packager waited for the other");
    assert_eq!((demo.server.hits(TOOL), demo.server.hits(AGENT)), (1, 1));
    assert_eq!(
        fs::read(demo.out.join("one").join(name)).unwrap(),
        fs::read(demo.out.join("two").join(name)).unwrap()
    );
}

/// The zip works: the fixture buildpack packaged cached for cflinuxfs4 (the real bpkit binary
/// inside), extracted as the platform does, stages an app through its shims with no network
/// (the dependency comes from the zip's `file:`): detect, supply, finalize, release. Packaged
/// for one stack, it refuses another with phases.md's stack error, though the source manifest
/// lists that stack too.
#[test]
fn a_packaged_bpkit_buildpack_stages_an_app_from_its_zip() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let repo = repo_root();
    let result = run(package(&base.join("cache"))
        .env(
            "BPKIT_MIRRORS",
            format!(
                "https://deps.example.invalid/hello/=file://{}/fixtures/deps/",
                repo.display()
            ),
        )
        .arg(repo.join("fixtures/buildpack"))
        .args([
            "--cached",
            "--offline",
            "--stack",
            "cflinuxfs4",
            "--output-dir",
        ])
        .arg(&base));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let zip = PathBuf::from(result.stdout.trim_end());

    let buildpack = base.join("extracted");
    zip::ZipArchive::new(fs::File::open(&zip).unwrap())
        .unwrap()
        .extract(&buildpack)
        .unwrap();
    let app = base.join("app");
    write(&app, "hello.txt", "hi\n");
    let (cache, deps, profile) = (base.join("c"), base.join("d"), base.join("p"));
    for d in [&cache, &deps, &profile] {
        fs::create_dir_all(d).unwrap();
    }
    // Packaged for one stack: `stack:` at the top, no `cf_stacks` left (phases.md's stack check).
    let manifest = fs::read_to_string(buildpack.join("manifest.yml")).unwrap();
    assert!(manifest.contains("\nstack: cflinuxfs4\n"), "{manifest}");
    assert!(!manifest.contains("cf_stacks"), "{manifest}");
    let phase = |name: &str, args: &[&Path]| packaged_phase(&buildpack, "cflinuxfs4", name, args);
    let detect = phase("detect", &[&app]);
    assert_eq!(
        (detect.code, detect.stdout.as_str()),
        (0, "Hello\n"),
        "{}",
        detect.stderr
    );
    let supply = phase("supply", &[&app, &cache, &deps, Path::new("0")]);
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    assert!(
        supply.stderr.contains("Installing hello 1.1.0"),
        "{}",
        supply.stderr
    );
    let finalize = phase("finalize", &[&app, &cache, &deps, Path::new("0"), &profile]);
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert!(app.join("greeting.txt").is_file(), "{}", finalize.stderr);
    let release = phase("release", &[&app]);
    assert_eq!(release.code, 0, "{}", release.stderr);
    assert!(
        release.stdout.contains("web: python3 -m http.server $PORT"),
        "{}",
        release.stdout
    );
    refuses_another_stack(&buildpack, &base.join("other"));
}

/// `<buildpack>/bin/<name> ARGS` run as the platform runs it on `stack`.
fn packaged_phase(buildpack: &Path, stack: &str, name: &str, args: &[&Path]) -> common::bin::Run {
    let mut command = std::process::Command::new(buildpack.join("bin").join(name));
    command
        .args(args)
        .env("CF_STACK", stack)
        .env("NO_COLOR", "1")
        // Nothing may be downloaded: every URI goes to a proxy that does not exist.
        .env("https_proxy", "http://127.0.0.1:9")
        .env("http_proxy", "http://127.0.0.1:9")
        .env_remove("BPKIT_MIRRORS")
        .env_remove("BUILDPACK_DIR");
    // The shim's `exec bin/bpkit` meets the ETXTBSY of `common::bin::retry_busy` inside the
    // shell, which says so and exits 2: the binary was just extracted while other test threads
    // fork. Nothing ran, so running again is safe.
    let mut attempts = 0;
    loop {
        let result = run(&mut command);
        if result.code == 0 || !result.stderr.contains("Text file busy") || attempts == 50 {
            return result;
        }
        attempts += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The source manifest lists cflinuxfs5 too, but the zip is for cflinuxfs4 only: its staging
/// phases refuse another stack before touching anything.
fn refuses_another_stack(buildpack: &Path, other: &Path) {
    let (app, cache, deps, profile) = (
        other.join("app"),
        other.join("c"),
        other.join("d"),
        other.join("p"),
    );
    write(&app, "hello.txt", "hi\n");
    for d in [&cache, &deps.join("0"), &profile] {
        fs::create_dir_all(d).unwrap();
    }
    let refused = "-----> Hello Buildpack version 1.0.0\n       **ERROR** Stack not supported by buildpack: required stack cflinuxfs5 was not found; this buildpack supports cflinuxfs4\n";
    for (name, args) in [
        ("supply", vec![&*app, &*cache, &*deps, Path::new("0")]),
        (
            "finalize",
            vec![&*app, &*cache, &*deps, Path::new("0"), &*profile],
        ),
    ] {
        let failed = packaged_phase(buildpack, "cflinuxfs5", name, &args);
        assert_eq!(
            (failed.code, failed.stdout.as_str(), failed.stderr.as_str()),
            (11, "", refused),
            "{name}"
        );
    }
    assert_eq!(fs::read_dir(deps.join("0")).unwrap().count(), 0);
    assert_eq!(fs::read_dir(&profile).unwrap().count(), 0);
    assert_eq!(fs::read_dir(&cache).unwrap().count(), 0);
}

/// A cache entry that no longer matches its sha256 is downloaded once more, with a warning;
/// `--force-download` downloads again even when the entry is good.
#[test]
fn a_bad_cache_entry_is_downloaded_again_and_force_download_always_downloads() {
    let demo = Demo::new();
    assert_eq!(quiet(&demo, CACHED).code, 0);
    fs::write(demo.cache_entry(TOOL), b"bit rot").unwrap();
    let result = quiet(&demo, CACHED);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stderr.contains(&format!(
            "**WARNING** The cached {} failed verification (sha256 mismatch: expected {}, got {}); fetching it again.",
            demo.cache_entry(TOOL).display(),
            sha256_hex(&demo.tool),
            sha256_hex(b"bit rot")
        )),
        "{}",
        result.stderr
    );
    assert_eq!(demo.server.hits(TOOL), 2);
    assert_eq!(fs::read(demo.cache_entry(TOOL)).unwrap(), demo.tool);

    let result = quiet(
        &demo,
        &["--cached", "--stack", "cflinuxfs4", "--force-download"],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(demo.server.hits(TOOL), 3);
    assert_eq!(demo.server.hits(AGENT), 2);
}

/// A `SOURCE_DATE_EPOCH` that is not UTF-8 is refused like any value that is not a number.
/// Read as unset, it silently gave a zip with the default times instead of the asked ones.
#[test]
fn a_source_date_epoch_that_is_not_utf8_is_refused() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let (temp, root) = small_buildpack("language: demo\n");
    let result = run(package(&temp.path().join("cache"))
        .env("SOURCE_DATE_EPOCH", OsStr::from_bytes(b"17\xff"))
        .arg(&root)
        .args(["-q", "--any-stack"]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_eq!(result.stdout, "");
    assert_eq!(
        result.stderr,
        "bpkit: error: SOURCE_DATE_EPOCH=`17\u{FFFD}` is not usable: it is not a whole number; set it to a whole number of seconds since 1970 (`git log -1 --format=%ct`), or unset it\n"
    );
}

/// A `SOURCE_DATE_EPOCH` outside the years a zip can hold (before 1980, negative, after 2107)
/// was clamped without a word, so a zip dated 1980 looked like one built without it: the zip
/// is still made, dated at the nearest end, and a warning names the date used.
#[test]
fn a_source_date_epoch_outside_a_zips_years_is_clamped_with_a_warning() {
    let (temp, root) = small_buildpack("language: demo\n");
    stub_phases(&root);
    let zip = root.join("demo_buildpack-v1.0.0.zip");
    for (value, year, when, used, limit) in [
        (
            "-86400",
            1980,
            "before 1980",
            "1980-01-01 00:00:00",
            "first",
        ),
        ("0", 1980, "before 1980", "1980-01-01 00:00:00", "first"),
        (
            "99999999999",
            2107,
            "after 2107",
            "2107-12-31 23:59:58",
            "last",
        ),
    ] {
        let result = run(package(&temp.path().join("cache"))
            .env("SOURCE_DATE_EPOCH", value)
            .arg(&root)
            .arg("-q"));
        assert_path(&result, &root, "demo_buildpack-v1.0.0.zip");
        assert_eq!(
            result.stderr,
            format!(
                "       **WARNING** SOURCE_DATE_EPOCH=`{value}` is {when}, outside the years a zip can date its entries; they are dated {used} UTC, the {limit} time a zip can hold. Set it to a time from 1980 to 2107 (`git log -1 --format=%ct`) to choose the date\n"
            )
        );
        let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
        let t = archive
            .by_name("manifest.yml")
            .unwrap()
            .last_modified()
            .unwrap();
        assert_eq!(t.year(), year, "{value}");
        assert_verifies(&zip);
    }
    // Inside the years: no warning.
    let result = run(package(&temp.path().join("cache"))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .arg(&root)
        .arg("-q"));
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
}

/// An output folder bpkit may not write to says so, names the folder and the fix (it once
/// ended with tempfile's ` at path "…/.bpkit-….zip.XXXXXX.part"`, a random name the user never
/// sees). Root (or any process with CAP_DAC_OVERRIDE) writes through `chmod 0555`, so there
/// the case cannot be made and is skipped, saying why.
#[test]
fn a_read_only_output_folder_names_it_and_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    chmod(&out, 0o555);
    if fs::write(out.join("probe"), "x").is_ok() {
        chmod(&out, 0o755);
        eprintln!("skipped: this process writes through chmod 0555 (running as root)");
        return;
    }
    let result = run(common::bin::bpkit()
        .args(["-q", "package"])
        .arg(repo_root().join("fixtures/buildpack"))
        .arg("--output-dir")
        .arg(&out));
    chmod(&out, 0o755);
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            format!(
                "bpkit: error: cannot create the zip in {}: Permission denied (os error 13); make that folder writable, or package into another folder\n",
                out.display()
            )
            .as_str()
        )
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
}

/// A folder that is there but takes no file (/proc, where creating one answers "No such file
/// or directory") is named as such, where the line said to make it writable, which no one can.
#[test]
fn an_output_folder_that_takes_no_files_says_so() {
    if !Path::new("/proc/self").is_dir() {
        eprintln!("skipped: no /proc here");
        return;
    }
    let result = run(common::bin::bpkit()
        .args(["-q", "package"])
        .arg(repo_root().join("fixtures/buildpack"))
        .args(["--output-dir", "/proc"]));
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (
            1,
            "",
            "bpkit: error: cannot create the zip in /proc: No such file or directory (os error 2), though the folder is there: it is one of the kernel's (as /proc and /sys are), where no file can be created; package into another folder\n"
        )
    );
}

/// A cached zip keeps every dependency open from its verification until it is in the zip, and
/// bpkit raises its soft limit on open files to make room, but never past the hard one: under
/// `ulimit -n 40` (both limits), 60 dependencies run out of descriptors. The error used to be
/// the OS's bare `Too many open files (os error 24)`; it now says what the limit is, why so
/// many files are open, and how to get past it. Nothing is left behind either way.
#[test]
fn too_many_dependencies_for_the_open_file_limit_says_which_limit_and_the_fix() {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let root = base.join("bp");
    let mut manifest = String::from("---\nlanguage: many\ndependencies:\n");
    for i in 0..60 {
        let body = format!("dependency {i}\n");
        let dep = write(&base, &format!("deps/d{i}.tgz"), &body);
        writeln!(
            manifest,
            "- {{name: d{i}, version: 1.0.{i}, uri: 'file://{}', sha256: {}, cf_stacks: [cflinuxfs4]}}",
            dep.display(),
            sha256_hex(body.as_bytes())
        )
        .unwrap();
    }
    write(&root, "manifest.yml", manifest);
    write(&root, "VERSION", "1.0.0");
    stub_phases(&root);
    let (cache, out) = (base.join("cache"), base.join("out"));
    let inner = package(&cache);
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -n 40 && exec \"$0\" \"$@\"")
        .arg(inner.get_program())
        .args(inner.get_args())
        .arg(&root)
        .args(["--cached", "-q", "--output-dir"])
        .arg(&out);
    for (name, value) in inner.get_envs() {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let result = run(&mut command);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.starts_with("bpkit: error: Could not fetch ")
            && result.stderr.contains(
                "Too many open files (os error 24); bpkit may open only 40 files at once (`ulimit -n`), and a cached zip keeps each dependency open until it is in the zip; raise the limit (`ulimit -n 4096`), or package fewer dependencies"
            ),
        "{}",
        result.stderr
    );
    assert_eq!(fs::read_dir(&out).map_or(0, Iterator::count), 0);
    assert_eq!(parts(&cache), Vec::<String>::new());
}

/// A zip's name longer than the 255 bytes a file name holds is refused before anything is
/// fetched or written, naming the length and what to shorten, where the zip's temporary file
/// failed at the end with `File name too long (os error 36); make that folder writable`. A
/// name of exactly 255 bytes is written, where its temporary file's longer name failed.
#[test]
fn a_zip_name_longer_than_a_file_name_holds_is_refused_first() {
    // `<language>_buildpack-v1.0.0.zip`: 21 bytes after the language.
    for (language_bytes, fits) in [(234, true), (235, false)] {
        let language = "a".repeat(language_bytes);
        let (temp, root) =
            small_buildpack(&format!("---\nlanguage: {language}\ndependencies: []\n"));
        stub_phases(&root);
        let out = temp.path().join("out");
        let result = package_into(&temp.path().join("cache"), &root, &out, &["-q"]);
        let name = format!("{language}_buildpack-v1.0.0.zip");
        if fits {
            assert_eq!(name.len(), 255);
            assert_eq!(result.code, 0, "{}", result.stderr);
            assert_eq!(result.stdout, format!("{}\n", out.join(&name).display()));
            assert_verifies(&out.join(&name));
        } else {
            assert_eq!(
                (result.code, result.stdout.as_str(), result.stderr.as_str()),
                (
                    1,
                    "",
                    format!(
                        "bpkit: error: the zip's file name would be 256 bytes long, more than the 255 a file name holds ({name}); shorten `language` in {} (235 bytes), the version or the stack\n",
                        root.join("manifest.yml").display()
                    )
                    .as_str()
                )
            );
            assert!(!out.exists(), "the output folder was made");
        }
    }
}

/// A zip of this buildpack below the top of the folder (from an earlier `--output-dir dist`)
/// is packaged, as a buildpack's own fixtures are, but with a warning naming it and the fix,
/// where a plain `bpkit package` after one into `dist/` packed that zip into the new one
/// without a word. Another buildpack's zip there is a fixture, and is not warned about.
#[test]
fn an_earlier_zip_below_the_top_is_warned_about() {
    let (temp, root) = small_buildpack("---\nlanguage: demo\ndependencies: []\n");
    stub_phases(&root);
    write(&root, "fixtures/other_buildpack-v1.0.0.zip", "a fixture");
    let cache = temp.path().join("cache");
    let first = run(package(&cache)
        .args(["-q", "--output-dir"])
        .arg(root.join("dist"))
        .arg(&root));
    assert_eq!((first.code, first.stderr.as_str()), (0, ""));
    let result = run(package(&cache).arg("-q").arg(&root));
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            0,
            "       **WARNING** dist/demo_buildpack-v1.0.0.zip looks like an earlier zip of this buildpack, and only those at the top of the folder are left out, so it is packaged; delete it, or leave its folder out with exclude_files (`dist/`)\n"
        )
    );
    let zip = root.join("demo_buildpack-v1.0.0.zip");
    let names: Vec<String> = zip_map(&zip).into_keys().collect();
    assert!(names.contains(&"dist/demo_buildpack-v1.0.0.zip".to_string()));

    // Left out as the warning says: no warning, and not in the zip.
    write(
        &root,
        "manifest.yml",
        "---\nlanguage: demo\ndependencies: []\nexclude_files: [dist/]\n",
    );
    let result = run(package(&cache).arg("-q").arg(&root));
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    let names: Vec<String> = zip_map(&zip).into_keys().collect();
    assert!(!names.iter().any(|n| n.starts_with("dist/")), "{names:?}");
    assert!(names.contains(&"fixtures/other_buildpack-v1.0.0.zip".to_string()));
}

/// A cache or output folder inside the buildpack is left out of the zip whole; one holding the
/// buildpack's own files (`--cache-dir lib`) lost them from the zip without a word, and
/// `--output-dir bin` wrote a zip with no phases. The first is a warning naming what is not
/// packaged, the second an error, with no zip written; the zips and downloads bpkit itself
/// puts in such a folder are no concern.
#[test]
fn a_cache_or_output_folder_holding_the_buildpacks_files_is_named() {
    let deps = tempfile::tempdir().unwrap();
    let tarball = write(deps.path(), "lib-1.0.tgz", b"tarball");
    let (temp, root) = small_buildpack(&format!(
        "---\nlanguage: demo\ndependencies:\n- {{name: lib, version: 1.0.0, uri: 'file://{}', sha256: {}, cf_stacks: [s]}}\n",
        tarball.display(),
        sha256_hex(b"tarball")
    ));
    stub_phases(&root);
    write(&root, "lib/a.rb", "1");
    write(&root, "lib/b.rb", "2");
    let cache = temp.path().join("cache");

    let result = run(package(&cache)
        .args(["-q", "--output-dir"])
        .arg(root.join("bin"))
        .arg(&root));
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (
            1,
            "",
            "bpkit: error: the output folder bin/ is the buildpack's bin/, and it is left out of the zip whole, so the zip would have none of its phases (bin/compile and 2 more); write the zip to a folder of its own (--output-dir) or outside the buildpack\n"
        )
    );
    assert_eq!(list_files(&root.join("bin")).len(), 3);

    let result = run(package(&cache)
        .args(["-q", "--cached", "--cache-dir"])
        .arg(root.join("lib"))
        .arg(&root));
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            0,
            "       **WARNING** the dependency cache lib/ is inside the buildpack and left out of the zip whole, so lib/a.rb and 1 more in it are not packaged; keep the cache in a folder of its own (--cache-dir or BPKIT_CACHE_DIR) or outside the buildpack\n"
        )
    );

    // A folder holding only what bpkit put there: its zips, and a cache beside them.
    let dist = root.join("dist");
    for version in ["1.0.0", "1.0.1"] {
        let result = run(package(&cache)
            .args(["-q", "--cached", "--version", version, "--output-dir"])
            .arg(&dist)
            .arg("--cache-dir")
            .arg(dist.join("cache"))
            .arg(&root));
        assert_eq!((result.code, result.stderr.as_str()), (0, ""), "{version}");
    }
}

/// A `~` no shell expanded (`--output-dir=~/out`, `BPKIT_CACHE_DIR: ~/cache` in a CI file) is
/// refused before anything is written, naming the path meant, where bpkit made a folder named
/// `~` in the current one (inside the buildpack, the next zip packed it).
#[test]
fn a_tilde_no_shell_expanded_is_refused() {
    let (temp, root) = small_buildpack("---\nlanguage: demo\ndependencies: []\n");
    stub_phases(&root);
    let home = temp.path().join("home");
    let cache = temp.path().join("cache");
    let result = run(package(&cache)
        .current_dir(&root)
        .env("HOME", &home)
        .args(["-q", "--output-dir=~/out"]));
    assert_eq!(
        (result.code, result.stderr),
        (
            1,
            format!(
                "bpkit: error: the output folder ~/out starts with `~`, which no shell expanded (one does only at the start of a word: not after `--flag=`, nor in CI files or Dockerfile ENV lines), so bpkit would make a folder named `~` in the current one; write {}\n",
                home.join("out").display()
            )
        )
    );
    let result = run(package(&cache)
        .current_dir(&root)
        .env("HOME", &home)
        .env("BPKIT_CACHE_DIR", "~alice/cache")
        .args(["-q", "--cached"]));
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            "bpkit: error: the dependency cache ~alice/cache starts with `~`, which no shell expanded (one does only at the start of a word: not after `--flag=`, nor in CI files or Dockerfile ENV lines), so bpkit would make a folder named `~alice` in the current one; write the folder's full path\n"
        )
    );
    let names: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('~') || has_extension(n, "zip"))
        .collect();
    assert_eq!(names, Vec::<String>::new());
}

/// A VERSION or manifest.yml that is a symlink to nothing (`VERSION -> ../VERSION` in a folder
/// copied out of its repository) is said to be one, with the fix, where the message said "no
/// such file; create it" about a file `ls` shows.
#[test]
fn a_version_or_manifest_linked_to_nothing_says_so() {
    let (temp, root) = small_buildpack("---\nlanguage: demo\ndependencies: []\n");
    stub_phases(&root);
    fs::remove_file(root.join("VERSION")).unwrap();
    std::os::unix::fs::symlink("../VERSION", root.join("VERSION")).unwrap();
    let cache = temp.path().join("cache");
    let result = run(package(&cache).arg("-q").arg(&root));
    assert_eq!(
        (result.code, result.stderr),
        (
            1,
            format!(
                "bpkit: error: cannot read {}: it is a symlink to `../VERSION`, which leads to no file; point the link at a file holding the version, replace the link with such a file, or pass --version\n",
                root.join("VERSION").display()
            )
        )
    );
    fs::remove_file(root.join("manifest.yml")).unwrap();
    std::os::unix::fs::symlink("../shared/manifest.yml", root.join("manifest.yml")).unwrap();
    let result = run(package(&cache)
        .args(["-q", "--version", "1.0.0"])
        .arg(&root));
    assert_eq!(
        (result.code, result.stderr),
        (
            1,
            format!(
                "bpkit: error: cannot read {}: it is a symlink to `../shared/manifest.yml`, which leads to no file; give the buildpack's folder (the one holding manifest.yml)\n",
                root.join("manifest.yml").display()
            )
        )
    );
}

/// A TMPDIR inside the buildpack (`TMPDIR=$PWD/tmp` in CI) holds pre_package's copy of the
/// tree, which is not copied into itself: it was, a level deeper each time, until the path was
/// too long (`File name too long`, in a message of thousands of characters).
#[test]
fn a_tmpdir_inside_the_buildpack_is_not_copied_into_itself() {
    let (temp, root) = small_buildpack(
        "---\nlanguage: demo\ndependencies: []\npre_package: echo built > built.txt\n",
    );
    stub_phases(&root);
    let result = run(package(&temp.path().join("cache"))
        .env("TMPDIR", &root)
        .arg("-q")
        .arg(&root));
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    let zip = root.join("demo_buildpack-v1.0.0.zip");
    let names: Vec<String> = zip_map(&zip).into_keys().collect();
    assert_eq!(
        names,
        [
            "VERSION",
            "bin/",
            "bin/compile",
            "bin/detect",
            "bin/release",
            "built.txt",
            "manifest.yml"
        ]
    );
    // Nothing of the copy is left in the buildpack.
    let left: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("bpkit-"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
}

/// With HOME inside the buildpack (as some CI runners set it), the default cache,
/// `.buildpack-packager/cache`, is left out of an uncached zip as of a cached one, with the
/// folder above it: the uncached zip made after a cached one held every tarball of the cache.
#[test]
fn the_cache_inside_the_buildpack_is_left_out_of_an_uncached_zip_too() {
    let deps = tempfile::tempdir().unwrap();
    let tarball = write(deps.path(), "lib-1.0.tgz", b"tarball");
    let (_temp, root) = small_buildpack(&format!(
        "---\nlanguage: demo\ndependencies:\n- {{name: lib, version: 1.0.0, uri: 'file://{}', sha256: {}, cf_stacks: [s]}}\n",
        tarball.display(),
        sha256_hex(b"tarball")
    ));
    stub_phases(&root);
    let in_home = |args: &[&str]| {
        let mut command = package(&root);
        command.env("HOME", &root).env_remove("BPKIT_CACHE_DIR");
        run(command.arg("-q").args(args).arg(&root))
    };
    for args in [&["--cached"][..], &["--cached", "--version", "1.0.1"], &[]] {
        let result = in_home(args);
        assert_eq!((result.code, result.stderr.as_str()), (0, ""), "{args:?}");
    }
    assert!(root.join(".buildpack-packager/cache/dependencies").is_dir());
    for zip in [
        "demo_buildpack-cached-v1.0.1.zip",
        "demo_buildpack-v1.0.0.zip",
    ] {
        let names: Vec<String> = zip_map(&root.join(zip)).into_keys().collect();
        assert!(
            !names.iter().any(|n| n.starts_with(".buildpack")),
            "{zip}: {names:?}"
        );
    }
}
