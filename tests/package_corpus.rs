//! Every manifest of the official buildpacks (`../shared/corpus`, or `$BPKIT_CORPUS`) packages
//! uncached for each stack it names and for any stack, with stub files for `include_files` and
//! a no-op `pre_package`, exactly as the corpus README expects of the Go packager: only nginx
//! and nodejs are refused for cflinuxfs3 (`No matching default dependency`). Each zip passes
//! `bpkit verify`, keeps every version as written, and `bpkit summary` prints the Go format.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use bpkit::manifest::Manifest;
use common::bin::{bpkit, repo_root, run};
use common::buildpack::{chmod, package, write, zip_text};

fn corpus() -> Option<PathBuf> {
    let corpus = std::env::var_os("BPKIT_CORPUS")
        .map_or_else(|| repo_root().join("../shared/corpus"), Into::into);
    if corpus.is_dir() {
        Some(corpus)
    } else {
        println!(
            "skipped: no corpus at {} (set BPKIT_CORPUS)",
            corpus.display()
        );
        None
    }
}

/// The corpus folders with a manifest.yml, by name.
fn samples(corpus: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("manifest.yml").is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// A buildpack tree for a corpus manifest: the manifest and VERSION copied, a stub for each
/// `include_files` entry, the phases for `exclude_files` ones, and a no-op `pre_package`.
fn stub_tree(sample: &Path, dest: &Path) -> Manifest {
    fs::create_dir_all(dest).unwrap();
    fs::copy(sample.join("manifest.yml"), dest.join("manifest.yml")).unwrap();
    if sample.join("VERSION").is_file() {
        fs::copy(sample.join("VERSION"), dest.join("VERSION")).unwrap();
    } else {
        write(dest, "VERSION", "0.0.0");
    }
    let (manifest, _) = Manifest::load(&dest.join("manifest.yml")).unwrap();
    match &manifest.include_files {
        Some(list) => {
            for path in list {
                if !dest.join(path).exists() {
                    write(dest, path, format!("stub for {path}\n"));
                }
            }
        }
        None => {
            for phase in ["detect", "compile", "release"] {
                write(dest, &format!("bin/{phase}"), "#!/bin/sh\n");
            }
        }
    }
    if let Some(command) = &manifest.pre_package {
        chmod(&write(dest, command, "#!/bin/sh\nexit 0\n"), 0o755);
    }
    manifest
}

#[test]
fn every_corpus_manifest_packages_for_each_of_its_stacks() {
    let Some(corpus) = corpus() else { return };
    let temp = tempfile::tempdir().unwrap();
    let mut built = 0;
    let mut refused = Vec::new();
    for (name, sample) in samples(&corpus) {
        let root = temp.path().join(&name);
        let manifest = stub_tree(&sample, &root);
        let source = fs::read_to_string(root.join("manifest.yml")).unwrap();
        let mut stacks: Vec<Option<String>> = vec![None];
        stacks.extend(manifest.stacks().into_iter().map(|s| Some(s.to_string())));
        for stack in stacks {
            let out = temp.path().join("out").join(&name);
            let mut command = package(temp.path());
            command.arg(&root).arg("-q").arg("--output-dir").arg(&out);
            if let Some(stack) = &stack {
                command.args(["--stack", stack]);
            }
            let result = run(&mut command);
            let label = format!("{name} {}", stack.as_deref().unwrap_or("any stack"));
            if result.code != 0 {
                refused.push(label.clone());
                let error = result.stderr.lines().last().unwrap_or_default().to_string();
                assert!(
                    error.starts_with("bpkit: error: No matching default dependency `"),
                    "{label}: {}",
                    result.stderr
                );
                continue;
            }
            let zip = PathBuf::from(result.stdout.trim_end());
            let packaged = zip_text(&zip, "manifest.yml");
            let (packaged_model, _) =
                Manifest::parse(&packaged, Path::new("packaged.yml")).unwrap();
            assert_eq!(packaged_model.stack, stack, "{label}");
            let expected: Vec<&str> = manifest
                .dependencies
                .iter()
                .filter(|d| match &stack {
                    Some(s) => d.supports_stack(s),
                    None => d.cf_stacks.as_ref().is_some_and(|c| !c.is_empty()),
                })
                .map(|d| d.version.as_str())
                .collect();
            let actual: Vec<&str> = packaged_model
                .dependencies
                .iter()
                .map(|d| d.version.as_str())
                .collect();
            assert_eq!(actual, expected, "{label}: the dependencies kept");
            if stack.is_some() {
                assert!(
                    packaged_model
                        .dependencies
                        .iter()
                        .all(|d| d.cf_stacks.is_none()),
                    "{label}: cf_stacks removed"
                );
            }
            // Every version keeps its spelling (`1.10` is not `1.1`).
            for line in packaged
                .lines()
                .filter(|l| l.trim_start().starts_with("version:"))
            {
                assert!(
                    source.contains(line),
                    "{label}: `{line}` is not in the source"
                );
            }
            let verify = run(bpkit().arg("verify").arg(&zip));
            assert_eq!(
                verify.code, 0,
                "{label}: {}{}",
                verify.stdout, verify.stderr
            );
            built += 1;
        }
    }
    refused.sort();
    assert_eq!(refused, ["nginx cflinuxfs3", "nodejs cflinuxfs3"]);
    assert!(built >= 50, "only {built} zips were built");
}

/// Every packaging profile of the corpus (the java buildpack's `minimal` and `standard`, which
/// leave out dependencies that have default versions) gives a zip that `bpkit verify` accepts.
#[test]
fn every_corpus_profile_gives_a_zip_that_verifies() {
    let Some(corpus) = corpus() else { return };
    let temp = tempfile::tempdir().unwrap();
    let mut built = 0;
    for (name, sample) in samples(&corpus) {
        let root = temp.path().join(&name);
        let manifest = stub_tree(&sample, &root);
        for profile in &manifest.packaging_profiles {
            let out = temp.path().join("out").join(&name);
            let result = run(package(temp.path())
                .arg(&root)
                .args(["-q", "--profile", &profile.name, "--output-dir"])
                .arg(&out));
            let label = format!("{name} --profile {}", profile.name);
            assert_eq!(result.code, 0, "{label}: {}", result.stderr);
            let zip = PathBuf::from(result.stdout.trim_end());
            let verify = run(bpkit().arg("verify").arg(&zip));
            assert_eq!(
                verify.code, 0,
                "{label}: {}{}",
                verify.stdout, verify.stderr
            );
            built += 1;
        }
    }
    assert!(built >= 2, "only {built} profile zips were built");
}

#[test]
fn summary_of_every_corpus_manifest_is_in_the_go_format() {
    let Some(corpus) = corpus() else { return };
    for (name, sample) in samples(&corpus) {
        let result = run(bpkit().arg("summary").arg(&sample));
        assert_eq!(result.code, 0, "{name}: {}", result.stderr);
        let (manifest, _) = Manifest::load(&sample.join("manifest.yml")).unwrap();
        let text = &result.stdout;
        let modules = manifest.dependencies.iter().any(|d| !d.modules.is_empty());
        let mut expected_rows = 0;
        if manifest.dependencies.is_empty() {
            assert!(!text.contains("Packaged binaries:"), "{name}");
        } else {
            let header = if modules {
                "\nPackaged binaries:\n\n| name | version | cf_stacks | modules |\n|-|-|-|-|\n"
            } else {
                "\nPackaged binaries:\n\n| name | version | cf_stacks |\n|-|-|-|\n"
            };
            assert!(text.starts_with(header), "{name}: {text}");
            expected_rows += manifest.dependencies.len() + 1;
        }
        if manifest.default_versions.is_empty() {
            assert!(!text.contains("Default binary versions:"), "{name}");
        } else {
            assert!(
                text.contains("\nDefault binary versions:\n\n| name | version |\n|-|-|\n"),
                "{name}"
            );
            expected_rows += manifest.default_versions.len() + 1;
        }
        let rows = text.lines().filter(|l| l.starts_with("| ")).count();
        assert_eq!(rows, expected_rows, "{name}: {text}");
        assert!(text.ends_with('\n'), "{name}");
        if name == "java" {
            assert!(text.contains("\nPackaging profiles:\n\n  "), "{text}");
        }
    }
}
