//! `--version`, shell completions, the man page and `default-version-for` (issue 7 items that
//! only need the CLI definitions and the manifest model).
#![allow(clippy::unwrap_used)]

mod common;

use clap::CommandFactory;
use common::bin::{bpkit, repo_root, run};

#[test]
fn version_carries_the_git_revision_when_built_from_git() {
    let result = run(bpkit().arg("--version"));
    assert_eq!(result.code, 0);
    assert!(
        result
            .stdout
            .starts_with(&format!("bpkit {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        result.stdout
    );
    if repo_root().join(".git").exists() {
        assert!(result.stdout.contains("(git "), "{}", result.stdout);
    }
    // Every command's -V/--version prints the same line (clap's own said `bpkit-run 0.1.0`).
    for args in [
        &["run", "-V"][..],
        &["validate", "--version"],
        &["stage", "-V"],
    ] {
        let command = run(bpkit().args(args));
        assert_eq!(
            (command.code, &command.stdout),
            (0, &result.stdout),
            "{args:?}"
        );
    }
}

/// The subcommands bash completes at the top level, read from the generated script's
/// `opts="…"` line of the `bpkit)` case.
fn bash_top_level_words() -> Vec<String> {
    let result = run(bpkit().args(["completions", "bash"]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let mut lines = result.stdout.lines();
    lines
        .find(|l| l.trim() == "bpkit)")
        .expect("a `bpkit)` case in the bash script");
    let opts = lines.next().unwrap().trim();
    let words = opts
        .strip_prefix("opts=\"")
        .and_then(|s| s.strip_suffix('"'))
        .expect("an opts=\"…\" line");
    words.split_whitespace().map(str::to_string).collect()
}

#[test]
fn bash_completion_offers_every_subcommand() {
    let words = bash_top_level_words();
    let expected: Vec<String> = bpkit::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    assert!(expected.len() >= 8, "{expected:?}");
    for name in &expected {
        assert!(
            words.contains(name),
            "bash completion lacks `{name}`: {words:?}"
        );
    }
    assert!(words.contains(&"--quiet".to_string()));
}

#[test]
fn completions_for_other_shells_and_man_page_generate() {
    for shell in ["zsh", "fish"] {
        let result = run(bpkit().args(["completions", shell]));
        assert_eq!(result.code, 0, "{shell}: {}", result.stderr);
        assert!(result.stdout.contains("validate"), "{shell}");
    }
    let man = run(bpkit().arg("man"));
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.contains(".TH bpkit 1"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("validate"));
}

/// roff input is ASCII: a `…` in a flag's help reached the page as UTF-8 bytes, which groff
/// without preconv printed as `â€¦` ("warning: invalid input character code 128"); then as
/// `\[u2026]`, which a C locale's `-Tascii` cannot draw. It is `...` now.
#[test]
fn the_man_page_is_plain_ascii() {
    let man = run(bpkit().arg("man"));
    assert_eq!(man.code, 0, "{}", man.stderr);
    let odd: String = man.stdout.chars().filter(|c| !c.is_ascii()).collect();
    assert_eq!(odd, "");
    // Nor an escape for one: `man` in a C locale renders with -Tascii, which has no glyph for
    // most (`can't find special character 'u2026'`, and the character is dropped).
    assert!(!man.stdout.contains("\\[u"), "{}", man.stdout);
    assert!(
        man_subsection(&man.stdout, "stage").contains("\\-b BUILDPACK..."),
        "{}",
        man_subsection(&man.stdout, "stage")
    );
}

/// The lines of the man page's subsection for `bpkit NAME`, up to the next (sub)section.
fn man_subsection<'a>(page: &'a str, name: &str) -> &'a str {
    let heading = format!(".SS \"bpkit {}\"\n", name.replace('-', "\\-"));
    let start = page
        .find(&heading)
        .unwrap_or_else(|| panic!("no {heading:?} in the man page"));
    let body = &page[start + heading.len()..];
    let end = [body.find("\n.SS "), body.find("\n.SH ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(body.len());
    &body[..end]
}

/// README, "Usage": the man page lists every subcommand and flag there is, each flag under its
/// own command.
#[test]
fn the_man_page_has_every_command_with_its_flags() {
    let man = run(bpkit().arg("man"));
    assert_eq!(man.code, 0, "{}", man.stderr);
    // One page: one title, one preamble.
    assert_eq!(man.stdout.matches(".TH ").count(), 1);
    assert_eq!(man.stdout.matches(".ds Aq").count(), 2);
    let cli = bpkit::cli::Cli::command();
    for command in cli.get_subcommands() {
        let section = man_subsection(&man.stdout, command.get_name());
        for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = arg.get_long() {
                let flag = format!("\\fB\\-\\-{}\\fR", long.replace('-', "\\-"));
                assert!(
                    section.contains(&flag),
                    "bpkit {}: --{long} is missing from its man section:\n{section}",
                    command.get_name()
                );
            }
        }
    }
    // The ones the audit named, by hand.
    assert!(man_subsection(&man.stdout, "package").contains("\\fB\\-\\-cached\\fR"));
    assert!(man_subsection(&man.stdout, "package").contains("\\fB\\-\\-any\\-stack\\fR"));
    assert!(man_subsection(&man.stdout, "run").contains("\\fB\\-\\-check\\fR"));
    assert!(
        man_subsection(&man.stdout, "default-version-for").contains("MANIFEST"),
        "{}",
        man_subsection(&man.stdout, "default-version-for")
    );
}

fn write_manifest(dir: &std::path::Path) -> std::path::PathBuf {
    let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
    let path = dir.join("manifest.yml");
    std::fs::write(
        &path,
        format!(
            "---\nlanguage: x\ndefault_versions:\n- name: node\n  version: 18.x\n\
             dependencies:\n\
             - {{name: node, version: 18.1.0, uri: https://e/a, sha256: {sha}, cf_stacks: [cflinuxfs3, cflinuxfs4]}}\n\
             - {{name: node, version: 18.20.4, uri: https://e/b, sha256: {sha}, cf_stacks: [cflinuxfs4]}}\n\
             - {{name: node, version: 20.0.0, uri: https://e/c, sha256: {sha}, cf_stacks: [cflinuxfs4]}}\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn default_version_for_prints_the_resolved_version_without_newline() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write_manifest(dir.path());
    let any = run(bpkit()
        .env_remove("CF_STACK")
        .arg("default-version-for")
        .arg(&manifest)
        .arg("node"));
    assert_eq!((any.code, any.stdout.as_str()), (0, "18.20.4"));
    let fs3 = run(bpkit()
        .env("CF_STACK", "cflinuxfs3")
        .arg("default-version-for")
        .arg(&manifest)
        .arg("node"));
    assert_eq!((fs3.code, fs3.stdout.as_str()), (0, "18.1.0"));
    // The buildpack's folder works as the manifest's, as for every other command.
    let folder = run(bpkit()
        .env_remove("CF_STACK")
        .arg("default-version-for")
        .arg(manifest.parent().unwrap())
        .arg("node"));
    assert_eq!(
        (folder.code, folder.stdout.as_str(), folder.stderr.as_str()),
        (0, "18.20.4", "")
    );
}

/// compile-extensions' message for a misconfigured `default_versions` (its
/// bin/default_version_for), which bpkit prints word for word before its own details.
const MISCONFIGURED: &str = "The buildpack manifest is misconfigured for 'default_versions'. Contact your Cloud Foundry operator/admin. For more information, see https://docs.cloudfoundry.org/buildpacks/custom.html#specifying-default-versions";

fn default_version_for(dir: &std::path::Path, manifest: &str, name: &str) -> common::bin::Run {
    let path = dir.join("manifest.yml");
    std::fs::write(&path, manifest).unwrap();
    run(bpkit()
        .env_remove("CF_STACK")
        .arg("default-version-for")
        .arg(&path)
        .arg(name))
}

#[test]
fn default_version_for_unknown_name_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write_manifest(dir.path());
    let result = run(bpkit()
        .arg("default-version-for")
        .arg(&manifest)
        .arg("ruby"));
    assert_eq!(result.code, 1);
    assert_eq!(result.stdout, "");
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: {MISCONFIGURED} ({}: default_versions has no entry for `ruby`; add `- name: ruby` with a `version:` there)\n",
            manifest.display()
        )
    );
}

/// A NAME that is empty (an unset variable in a script's call) or holds a line break is
/// refused in one line naming it, escaped: it said the manifest had no entry for ``, or split
/// the message over two lines (`bpkit: error: ` starting the second).
#[test]
fn default_version_for_refuses_an_empty_or_multi_line_name() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write_manifest(dir.path());
    for (name, problem) in [
        (
            "",
            "is empty; give the dependency's name as default_versions lists it, such as ruby",
        ),
        (
            " ",
            "is empty; give the dependency's name as default_versions lists it, such as ruby",
        ),
        (
            "he\nllo",
            "holds a line break or another control character; give the dependency's name as default_versions lists it, on one line",
        ),
        (
            "go\u{1b}[31m",
            "holds a line break or another control character; give the dependency's name as default_versions lists it, on one line",
        ),
    ] {
        let result = run(bpkit().arg("default-version-for").arg(&manifest).arg(name));
        assert_eq!(result.code, 1, "{name:?}");
        assert_eq!(result.stdout, "", "{name:?}");
        assert_eq!(
            result.stderr,
            format!("bpkit: error: NAME {name:?} {problem}\n"),
            "{name:?}"
        );
    }
}

/// The cases of compile-extensions' own spec (spec/integration/default_version_for_spec.rb),
/// with its manifests: the version on success, its BP_DEBUG line, and exit 1 with its message
/// for every misconfiguration.
#[test]
fn default_version_for_behaves_as_compile_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shown = d.join("manifest.yml").display().to_string();

    let correct = "---\ndefault_versions:\n  - name: Testlang\n    version: 11.0.1\n  - name: SomethingElse\n    version: 0.0.1\n\ndependencies:\n  - name: Testlang\n    version: 1.0.1\n  - name: Testlang\n    version: 5.0.1\n  - name: Testlang\n    version: 11.0.1\n";
    let ok = default_version_for(d, correct, "Testlang");
    assert_eq!(
        (ok.code, ok.stdout.as_str(), ok.stderr.as_str()),
        (0, "11.0.1", "")
    );
    std::fs::write(d.join("manifest.yml"), correct).unwrap();
    let debug = run(bpkit()
        .env("BP_DEBUG", "true")
        .env_remove("CF_STACK")
        .arg("default-version-for")
        .arg(d.join("manifest.yml"))
        .arg("Testlang"));
    assert_eq!(
        (debug.code, debug.stdout.as_str(), debug.stderr.as_str()),
        (
            0,
            "11.0.1",
            "DEBUG: default_version_for Testlang is 11.0.1\n"
        )
    );

    for (manifest, detail) in [
        (
            "---\ndefault_versions:\n  - name: Testlang\n    version: 11.0.1\n  - name: Testlang\n    version: 11.0.2\n  - name: SomethingElse\n    version: 0.0.1\n\ndependencies:\n  - name: Testlang\n    version: 11.0.1\n",
            "default_versions has 2 entries for `Testlang`; keep one".to_string(),
        ),
        (
            "---\ndefault_versions:\n  - name: Testlang\n    version: 11.0.1\n\ndependencies:\n  - name: SomethingElse\n    version: 0.0.1\n",
            "the default Testlang 11.0.1 matches no dependency on any stack; add that version to dependencies or change the default".to_string(),
        ),
        (
            "---\ndefault_versions:\n  - name: Testlang\n    version: 11.0.1\n\ndependencies:\n  - name: Testlang\n    version: 11.0.2\n",
            "the default Testlang 11.0.1 matches no dependency on any stack; add that version to dependencies or change the default".to_string(),
        ),
        (
            "---\ndefault_versions:\n  - name: SomethingElse\n    version: 0.0.1\n\ndependencies:\n  - name: Testlang\n    version: 11.0.2\n",
            "default_versions has no entry for `Testlang`; add `- name: Testlang` with a `version:` there".to_string(),
        ),
        (
            "dependencies:\n  - name: Testlang\n    version: 11.0.2\n",
            "no default_versions; add `default_versions:` with `- name: Testlang` and its `version:`".to_string(),
        ),
        (
            "---\ndefault_versions:\n  - name: Testlang\n\ndependencies:\n  - name: Testlang\n    version: 11.0.2\n",
            "the default_versions entry for `Testlang` has no version; add `version:` to it".to_string(),
        ),
    ] {
        let failed = default_version_for(d, manifest, "Testlang");
        assert_eq!(failed.code, 1, "{manifest}\n{}", failed.stderr);
        assert_eq!(failed.stdout, "", "{manifest}");
        assert_eq!(
            failed.stderr,
            format!("bpkit: error: {MISCONFIGURED} ({shown}: {detail})\n"),
            "{manifest}"
        );
    }

    // On a stack no matching dependency supports, the default matches nothing there.
    std::fs::write(
        d.join("manifest.yml"),
        "---\ndefault_versions:\n  - name: Testlang\n    version: 11.0.x\ndependencies:\n  - name: Testlang\n    version: 11.0.1\n    cf_stacks: [cflinuxfs3]\n",
    )
    .unwrap();
    let on_stack = run(bpkit()
        .env("CF_STACK", "cflinuxfs4")
        .arg("default-version-for")
        .arg(d.join("manifest.yml"))
        .arg("Testlang"));
    assert_eq!(on_stack.code, 1);
    assert_eq!(
        on_stack.stderr,
        format!(
            "bpkit: error: {MISCONFIGURED} ({shown}: the default Testlang 11.0.x matches no dependency on stack cflinuxfs4; add that version to dependencies or change the default)\n"
        )
    );
}

/// `bpkit help init` is `bpkit init --help`, as newcomers type it (and as git and cargo accept).
#[test]
fn help_names_a_command_as_its_help_flag_does() {
    let help = run(bpkit().args(["help", "init"]));
    let flag = run(bpkit().args(["init", "--help"]));
    assert_eq!((help.code, flag.code), (0, 0), "{}", help.stderr);
    assert_eq!(help.stdout, flag.stdout);
    assert!(help.stdout.contains("Usage: bpkit init"), "{}", help.stdout);
}

#[test]
fn each_commands_own_flags_come_before_the_global_ones_in_its_help() {
    // `-q` and `-v` are global; listed among a command's own flags (`--port`, `-q`, `--process`,
    // `-v`, …) they split them up. Every command lists its own first.
    for (command, own) in [
        ("run", "--port"),
        ("stage", "--buildpack"),
        ("package", "--cached"),
    ] {
        let result = run(bpkit().args([command, "-h"]));
        assert_eq!(result.code, 0, "{}", result.stderr);
        let line_of = |flag: &str| {
            result
                .stdout
                .lines()
                .position(|l| l.contains(flag))
                .unwrap_or_else(|| panic!("{command} -h lacks {flag}: {}", result.stdout))
        };
        assert!(
            line_of(own) < line_of("--quiet") && line_of("--json") < line_of("--quiet"),
            "{command}: {}",
            result.stdout
        );
        assert_eq!(line_of("--quiet") + 1, line_of("--verbose"), "{command}");
    }
}

/// A value that is not UTF-8 for a flag read as text (`bpkit stage -e $'\xff'=x`) got clap's
/// `invalid UTF-8 was detected in one or more arguments`, naming no flag; it is refused as any
/// invalid value is, naming the flag (exit 2), and `--json` gets the same reason.
#[test]
fn a_flag_value_that_is_not_utf8_is_refused_naming_the_flag() {
    use std::os::unix::ffi::OsStrExt;
    let temp = tempfile::tempdir().unwrap();
    let value = std::ffi::OsStr::from_bytes(b"\xff=x");
    let result = run(bpkit()
        .arg("stage")
        .arg(temp.path())
        .args(["-b", "bp", "-e"])
        .arg(value));
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert_eq!(result.stdout, "");
    assert_eq!(
        result.stderr,
        "error: invalid value '\u{FFFD}=x' for '--env <KEY=VALUE>': not valid UTF-8; only a path may be other bytes\n\nFor more information, try '--help'.\n"
    );
    let result = run(bpkit()
        .arg("fetch")
        .arg(temp.path())
        .args(["--json", "--profile"])
        .arg(value));
    assert_eq!(result.code, 2, "{}", result.stderr);
    let document: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(
        document["error"],
        "invalid value '\u{FFFD}=x' for '--profile <PROFILE>': not valid UTF-8; only a path may be other bytes"
    );
}
