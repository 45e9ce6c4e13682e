//! `--json` on every command that reports something (issue 7): each prints exactly one JSON
//! document on stdout and nothing else there (narration stays on stderr), on success and on
//! the failures it reports. A command added without `--json` fails the inventory test unless
//! it is listed, with the reason, among the commands whose output is a fixed format.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use common::bin::{Run, bpkit, repo_root, run};

/// Commands whose stdout is a contract of its own, so `--json` would make no sense.
const NO_JSON: &[(&str, &str)] = &[
    (
        "detect",
        "the platform reads its stdout as the display name",
    ),
    ("supply", "a phase: its output is the staging log"),
    ("finalize", "a phase: its output is the staging log"),
    ("compile", "a phase: its output is the staging log"),
    ("release", "the platform reads its stdout as YAML"),
    (
        "default-version-for",
        "compile-extensions' contract: the bare version",
    ),
    ("completions", "a shell script"),
    ("man", "a roff page"),
];

#[test]
fn every_reporting_command_has_json() {
    let cli = bpkit::cli::Cli::command();
    let mut missing = Vec::new();
    for command in cli.get_subcommands() {
        let name = command.get_name();
        let has_json = command
            .get_arguments()
            .any(|a| a.get_long() == Some("json"));
        let exempt = NO_JSON.iter().any(|(n, _)| *n == name);
        assert!(
            !(has_json && exempt),
            "{name} has --json; remove it from NO_JSON"
        );
        if !has_json && !exempt {
            missing.push(name.to_string());
        }
    }
    assert!(missing.is_empty(), "commands without --json: {missing:?}");
}

/// stdout must be exactly one JSON document (and a final newline).
fn json(result: &Run, what: &str) -> serde_json::Value {
    let mut documents = serde_json::Deserializer::from_str(&result.stdout).into_iter();
    let first: serde_json::Value = documents
        .next()
        .unwrap_or_else(|| panic!("{what}: no JSON on stdout; stderr: {}", result.stderr))
        .unwrap_or_else(|e| panic!("{what}: {e}: {}", result.stdout));
    assert!(documents.next().is_none(), "{what}: more than one document");
    assert!(
        result.stdout.ends_with("}\n"),
        "{what}: trailing output: {:?}",
        result.stdout
    );
    first
}

/// A copy of the fixture buildpack and its dependencies' mirror, so zips land in a temp dir.
fn fixture(tmp: &Path) -> (PathBuf, String) {
    let bp = tmp.join("buildpack");
    std::fs::create_dir_all(&bp).unwrap();
    for file in ["manifest.yml", "VERSION"] {
        std::fs::copy(
            repo_root().join("fixtures/buildpack").join(file),
            bp.join(file),
        )
        .unwrap();
    }
    let mirror = format!(
        "https://deps.example.invalid/hello/=file://{}/",
        repo_root().join("fixtures/deps").display()
    );
    (bp, mirror)
}

#[test]
fn validate_summary_list_defaults_print_one_json_document() {
    let bp = repo_root().join("fixtures/buildpack");
    let valid = run(bpkit().args(["validate", "--json"]).arg(&bp));
    assert_eq!(valid.code, 0);
    assert_eq!(valid.stderr, "", "validate --json prints nothing on stderr");
    assert_eq!(json(&valid, "validate")["valid"], true);

    let invalid = run(bpkit()
        .args(["validate", "--json"])
        .arg(repo_root().join("fixtures/manifests/short-sha256")));
    assert_eq!(invalid.code, 1);
    assert_eq!(invalid.stderr, "");
    assert_eq!(json(&invalid, "validate (invalid)")["errors"], 1);

    for command in ["summary", "list", "defaults"] {
        let result = run(bpkit().args([command, "--json"]).arg(&bp));
        assert_eq!(result.code, 0, "{command}: {}", result.stderr);
        json(&result, command);
    }
}

#[test]
fn package_verify_stage_run_print_one_json_document() {
    let tmp = tempfile::tempdir().unwrap();
    let (bp, mirror) = fixture(tmp.path());
    let package = run(bpkit()
        .env("BPKIT_MIRRORS", &mirror)
        .env("BPKIT_CACHE_DIR", tmp.path().join("cache"))
        .args(["package", "--cached", "--offline", "--json", "--output-dir"])
        .arg(tmp.path())
        .arg(&bp));
    assert_eq!(package.code, 0, "{}", package.stderr);
    let document = json(&package, "package");
    let zip = document["path"].as_str().unwrap().to_string();
    assert!(zip.ends_with("hello_buildpack-cached-v1.0.0.zip"), "{zip}");

    let verify = run(bpkit().args(["verify", "--json", &zip]));
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
    json(&verify, "verify");

    // stage, and run's smoke test, with the quick start's app.
    let out = tmp.path().join("stage");
    let stage = run(bpkit()
        .args(["stage", "--json", "-b", &zip, "--out"])
        .arg(&out)
        .arg(repo_root().join("fixtures/apps/hello")));
    assert_eq!(stage.code, 0, "{}", stage.stderr);
    let staged = json(&stage, "stage");
    assert_eq!(staged["success"], true);
    let droplet = staged["droplet"].as_str().unwrap().to_string();

    let check = run(bpkit()
        .args(["run", "--json", "--port", "0", "--check", "/greeting.txt"])
        .arg(&droplet));
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(json(&check, "run --check")["passed"], true);

    // A staging that fails still reports as JSON: no buildpack detects an empty app.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let failed = run(bpkit()
        .args(["stage", "--json", "--detect", "-b", &zip, "--out"])
        .arg(tmp.path().join("failed"))
        .arg(&empty));
    assert_eq!(failed.code, 222, "{}", failed.stderr);
    assert_eq!(json(&failed, "stage (failed)")["exit_code"], 222);
}

#[test]
fn init_prints_one_json_document() {
    let tmp = tempfile::tempdir().unwrap();
    let result = run(bpkit()
        .current_dir(tmp.path())
        .args(["init", "shiny", "--json"]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(json(&result, "init")["language"], "shiny");
}
