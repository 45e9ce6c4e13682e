//! `--json` on every command that reports something (issue 7): each prints exactly one JSON
//! document on stdout and nothing else there (narration stays on stderr), on success and on
//! every failure, starting with `success`, `exit_code` and `error`; a command that fails before
//! it has its data prints just these three, `error` being the line on stderr. A command added without `--json` fails the inventory test unless
//! it is listed, with the reason, among the commands whose output is a fixed format.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use common::bin::{Run, bpkit, repo_root, run};
use serde_json::json;

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
    // Every document starts the same way, so `jq .success` works on any of them.
    let status: Vec<(&String, &serde_json::Value)> =
        first.as_object().unwrap().iter().take(3).collect();
    let (success, exit_code) = (&status[0], &status[1]);
    assert_eq!(
        (
            success.0.as_str(),
            exit_code.0.as_str(),
            status[2].0.as_str()
        ),
        ("success", "exit_code", "error"),
        "{what}"
    );
    assert_eq!(
        (success.1, exit_code.1),
        (&json!(result.code == 0), &json!(result.code)),
        "{what}"
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
    let document = json(&valid, "validate");
    assert_eq!(document["valid"], true);
    // A valid manifest's `error` is null: only an error makes one.
    assert_eq!(document["errors"], 0);
    assert_eq!(document["error"], serde_json::Value::Null);

    let invalid = run(bpkit()
        .args(["validate", "--json"])
        .arg(repo_root().join("fixtures/manifests/short-sha256")));
    assert_eq!(invalid.code, 1);
    assert_eq!(invalid.stderr, "");
    let document = json(&invalid, "validate (invalid)");
    assert_eq!(document["errors"], 1);
    // An invalid manifest's `error` is the summary line text mode prints on stderr.
    assert_eq!(
        document["error"],
        format!(
            "{}: 1 error, 0 warnings",
            repo_root()
                .join("fixtures/manifests/short-sha256/manifest.yml")
                .display()
        )
    );

    // The keys the README documents, in its order, and each row's fields.
    let dependency = ["name", "version", "cf_stacks", "modules"];
    let default = ["name", "version"];
    for (command, keys) in [
        (
            "summary",
            &["dependencies", "default_versions", "packaging_profiles"][..],
        ),
        ("list", &["dependencies"][..]),
        ("defaults", &["default_versions"][..]),
    ] {
        let result = run(bpkit().args([command, "--json"]).arg(&bp));
        assert_eq!(result.code, 0, "{command}: {}", result.stderr);
        let document = json(&result, command);
        let found: Vec<&str> = document
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = vec!["success", "exit_code", "error"];
        expected.extend(keys);
        assert_eq!(found, expected, "{command}");
        for (key, fields) in [
            ("dependencies", &dependency[..]),
            ("default_versions", &default[..]),
        ] {
            let Some(rows) = document.get(key) else {
                continue;
            };
            let row = rows[0].as_object().unwrap();
            assert_eq!(
                row.keys().map(String::as_str).collect::<Vec<_>>(),
                fields,
                "{command} {key}"
            );
        }
    }
    let java = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/java");
    if java.exists() {
        let result = run(bpkit().args(["summary", "--json"]).arg(&java));
        let document = json(&result, "summary (java)");
        let profile = document["packaging_profiles"][0].as_object().unwrap();
        assert_eq!(
            profile.keys().map(String::as_str).collect::<Vec<_>>(),
            ["name", "description", "exclude"]
        );
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

/// A command that failed before it had its data: `error` on stderr, once, and the bare failure
/// document, exactly, on stdout.
fn assert_failure(result: &Run, what: &str, code: u8, error: &str) {
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (i32::from(code), format!("bpkit: error: {error}\n").as_str()),
        "{what}"
    );
    let document = json!({"success": false, "exit_code": code, "error": error});
    assert_eq!(result.stdout, format!("{document:#}\n"), "{what}");
}

#[test]
fn a_manifest_that_cannot_be_read_is_a_json_failure_document() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let error = format!(
        "cannot read {}/manifest.yml: no such file; give the buildpack's folder (the one holding manifest.yml)",
        dir.display()
    );
    for command in ["validate", "summary", "list", "defaults"] {
        let result = run(bpkit().args([command, "--json"]).arg(dir));
        assert_failure(&result, command, 1, &error);
    }
    let result = run(bpkit()
        .env("CF_STACK", "cflinuxfs4")
        .args([
            "translate-dependency-url",
            "--json",
            "https://e/ruby-3.3.11.tgz",
        ])
        .arg(dir));
    assert_failure(&result, "translate-dependency-url", 1, &error);
    let result = run(bpkit()
        .args(["default-version-for", "--json"])
        .arg(dir.join("manifest.yml"))
        .arg("ruby"));
    assert_failure(&result, "default-version-for", 1, &error);
    // A folder with neither VERSION nor manifest.yml is told it is no buildpack.
    let result = run(bpkit().args(["package", "--json"]).arg(dir));
    assert_failure(
        &result,
        "package",
        1,
        &format!(
            "{} is not a buildpack folder: it has neither VERSION nor manifest.yml; give the buildpack's folder (the one holding manifest.yml), or run bpkit package from it",
            std::fs::canonicalize(dir).unwrap().display()
        ),
    );
    let result = run(bpkit()
        .args(["package", "--json", "--version", "1.0.0"])
        .arg(dir));
    assert_failure(&result, "package", 1, &error);
    let result = run(bpkit().args(["fetch", "--json"]).arg(dir));
    assert_failure(&result, "fetch", 1, &error);
}

#[test]
fn default_version_for_json_names_the_dependency_and_its_version() {
    let manifest = repo_root().join("fixtures/buildpack/manifest.yml");
    let found = run(bpkit()
        .env_remove("CF_STACK")
        .args(["default-version-for", "--json"])
        .arg(&manifest)
        .arg("hello"));
    assert_eq!((found.code, found.stderr.as_str()), (0, ""));
    assert_eq!(
        found.stdout,
        "{\n  \"success\": true,\n  \"exit_code\": 0,\n  \"error\": null,\n  \"name\": \"hello\",\n  \"version\": \"1.1.0\"\n}\n"
    );

    let unknown = run(bpkit()
        .env_remove("CF_STACK")
        .args(["default-version-for", "--json"])
        .arg(&manifest)
        .arg("nope"));
    assert_failure(
        &unknown,
        "default-version-for nope",
        1,
        &format!(
            "The buildpack manifest is misconfigured for 'default_versions'. Contact your Cloud Foundry operator/admin. For more information, see https://docs.cloudfoundry.org/buildpacks/custom.html#specifying-default-versions ({}: default_versions has no entry for `nope`; add `- name: nope` with a `version:` there)",
            manifest.display()
        ),
    );
}

#[test]
fn verify_run_and_init_failures_are_json_failure_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("missing.zip");
    let result = run(bpkit().args(["verify", "--json"]).arg(&zip));
    assert_failure(
        &result,
        "verify",
        1,
        &format!(
            "cannot open {}: no such file; give the path of a buildpack zip",
            zip.display()
        ),
    );

    let droplet = tmp.path().join("droplet.tgz");
    let result = run(bpkit()
        .args(["run", "--json", "--check", "/"])
        .arg(&droplet));
    assert_failure(
        &result,
        "run --check",
        1,
        &format!(
            "{}: no such file or folder; give a droplet.tgz or the output folder of `bpkit stage`",
            droplet.display()
        ),
    );

    std::fs::write(tmp.path().join("manifest.yml"), "").unwrap();
    let result = run(bpkit()
        .current_dir(tmp.path())
        .args(["init", "shiny", ".", "--json"]));
    assert_failure(
        &result,
        "init",
        1,
        "./manifest.yml already exists; bpkit init does not overwrite files (pass --force to replace them, or choose another folder)",
    );
}

/// A command line clap refuses still gives `--json` its one document on stdout (clap's text
/// stays on stderr); `--help` is not a failure and prints no document.
#[test]
fn usage_errors_are_json_failure_documents() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, error) in [
        (
            &["package", ".", "--jobs", "0", "--json"][..],
            "invalid value '0' for '--jobs <N>': 0 is not in 1..=64",
        ),
        (
            &["verify", "--json"][..],
            "the following required arguments were not provided: <ZIP>",
        ),
        (
            &["init", "x", "--from", "python", "--json"][..],
            "invalid value 'python' for '--from <TEMPLATE>' [possible values: generic, static, ruby]",
        ),
    ] {
        let result = run(bpkit().current_dir(tmp.path()).args(args));
        let what = args.join(" ");
        assert_eq!(result.code, 2, "{what}");
        // clap's own text, for a person, is on stderr as without --json.
        assert!(
            result.stderr.starts_with("error: ") && result.stderr.contains("try '--help'"),
            "{what}: {}",
            result.stderr
        );
        let document = json!({"success": false, "exit_code": 2, "error": error});
        assert_eq!(result.stdout, format!("{document:#}\n"), "{what}");
    }
    let help = run(bpkit().args(["package", "--json", "--help"]));
    assert_eq!(help.code, 0);
    assert!(!help.stdout.contains("\"success\""), "{}", help.stdout);
    // After `--`, `--json` is an argument, not the flag.
    let result = run(bpkit().args(["verify", "--", "--json", "extra"]));
    assert_eq!((result.code, result.stdout.as_str()), (2, ""));
}
