//! The README cannot rot (issue 7): every ```sh block in README.md runs here, in order, offline,
//! in a scratch copy of the repository, unless the line before its fence says why it cannot
//! (`<!-- readme-test: skip REASON -->`); a ```text block marked `<!-- readme-test: output -->`
//! is a transcript whose `$ ` commands must print exactly what follows them. The convention is
//! also written in an HTML comment at the top of README.md's quick start.
//!
//! `bpkit` in a block is the binary under test (on PATH, and `$BPKIT` for scripts), and so is
//! `cargo run … -- ARGS`; `cargo test` is skipped, since it is what runs this test. Proxies
//! point at a closed port, so a command that reaches for the network fails.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::bin::{bpkit_path, repo_root};

/// What the marker before a block asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Run,
    Output,
    Skip(String),
}

#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    /// The `##` section it is in.
    section: String,
    mode: Mode,
    text: String,
}

const MARKER: &str = "<!-- readme-test:";

/// The blocks the convention applies to: every ```sh block, and ```text blocks with a marker.
fn blocks(readme: &str) -> Result<Vec<Block>, String> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    let mut section = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(title) = line.strip_prefix("## ") {
            section = title.trim().to_string();
        }
        let Some(info) = line.strip_prefix("```") else {
            i += 1;
            continue;
        };
        let start = i;
        let mut end = i + 1;
        while end < lines.len() && !lines[end].starts_with("```") {
            end += 1;
        }
        let text = lines[start + 1..end.min(lines.len())].join("\n") + "\n";
        let marker = start
            .checked_sub(1)
            .map(|p| lines[p].trim())
            .filter(|l| l.starts_with(MARKER));
        let mode = match marker {
            None => None,
            Some(m) => {
                let body = m[MARKER.len()..].trim_end_matches("-->").trim();
                Some(match body.split_once(' ').unwrap_or((body, "")) {
                    ("run", _) => Mode::Run,
                    ("output", _) => Mode::Output,
                    ("skip", reason) if !reason.trim().is_empty() => {
                        Mode::Skip(reason.trim().to_string())
                    }
                    _ => {
                        return Err(format!(
                            "README.md:{start}: unknown marker `{m}`; use `{MARKER} run -->`, `{MARKER} output -->` or `{MARKER} skip REASON -->`"
                        ));
                    }
                })
            }
        };
        let mode = match (info.trim(), mode) {
            ("sh", None) => Mode::Run,
            (_, Some(mode)) => mode,
            (_, None) => {
                i = end + 1;
                continue;
            }
        };
        out.push(Block {
            line: start + 1,
            section: section.clone(),
            mode,
            text,
        });
        i = end + 1;
    }
    Ok(out)
}

/// A scratch copy of the repository: everything but build outputs, vendored crates and git.
fn scratch_copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if from == repo_root()
            && ["target", "vendor", ".git", ".bpkit", ".ci-out", "fuzz"]
                .contains(&name.to_str().unwrap_or_default())
        {
            continue;
        }
        let path = entry.path();
        let target = to.join(&name);
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&path).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            scratch_copy(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// `bin/bpkit` and a `cargo` that runs it for `cargo run … -- ARGS` and skips `cargo test`.
fn tool_dir(root: &Path) -> PathBuf {
    let bin = root.join(".readme-test-bin");
    fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(bpkit_path(), bin.join("bpkit")).unwrap();
    let cargo = bin.join("cargo");
    fs::write(
        &cargo,
        r#"#!/bin/sh
# The README test's cargo: `cargo run [FLAGS] -- ARGS` runs the bpkit under test; `cargo test`
# is what runs the README test, so it is skipped; anything else is not available here.
case ${1:-} in
run)
	while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
	[ $# -gt 0 ] && shift
	exec bpkit "$@"
	;;
test)
	echo "(README test: \`cargo test\` skipped, it is what runs this test)" >&2
	exit 0
	;;
esac
echo "README test: \`cargo $*\` is not available; mark the block <!-- readme-test: skip REASON -->" >&2
exit 127
"#,
    )
    .unwrap();
    fs::set_permissions(&cargo, fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn shell(root: &Path, tools: &Path, script: &str) -> Command {
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("sh");
    command
        .arg("-eu")
        .arg("-c")
        .arg(script)
        .current_dir(root)
        .env("PATH", path)
        .env("HOME", root.join(".home"))
        .env("BPKIT", tools.join("bpkit"))
        .env("NO_COLOR", "1")
        .env_remove("BP_DEBUG")
        .env_remove("BPKIT_MIRRORS")
        .env_remove("BPKIT_CACHE_DIR")
        .env_remove("BPKIT_BINARY")
        .env_remove("CF_STACK")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    // Any attempt to use the network goes to a closed port and fails at once.
    for proxy in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"] {
        command.env(proxy, "http://127.0.0.1:9");
    }
    command
}

/// Run with a deadline, so a README command that never ends fails the test instead of
/// hanging it.
fn run_bounded(mut command: Command, limit: Duration) -> (Option<i32>, String) {
    // One open file for both streams (a shared offset), so their lines interleave as written.
    let out = tempfile::NamedTempFile::new().unwrap();
    let file = out.reopen().unwrap();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap();
    let start = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (code, fs::read_to_string(out.path()).unwrap_or_default())
}

/// A transcript's commands and the exact output each must print (stdout and stderr together).
fn transcript(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            out.push((command.to_string(), String::new()));
        } else if let Some((_, expected)) = out.last_mut() {
            expected.push_str(line);
            expected.push('\n');
        }
    }
    out
}

#[test]
fn every_command_in_the_readme_runs_offline() {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let blocks = blocks(&readme).unwrap();
    for section in ["Quick start", "Usage"] {
        assert!(
            blocks
                .iter()
                .any(|b| b.section == section && !matches!(b.mode, Mode::Skip(_))),
            "README.md's {section} section has no block the README test runs"
        );
    }
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path().join("bpkit");
    scratch_copy(&repo_root(), &root);
    fs::create_dir_all(root.join(".home")).unwrap();
    let tools = tool_dir(scratch.path());
    let mut failures = Vec::new();
    let mut ran = 0;
    for block in &blocks {
        match &block.mode {
            Mode::Skip(_) => {}
            Mode::Run => {
                ran += 1;
                let (code, output) =
                    run_bounded(shell(&root, &tools, &block.text), Duration::from_secs(300));
                if code != Some(0) {
                    failures.push(format!(
                        "README.md:{} ({}): the block exited {code:?}:\n{}--- its output:\n{output}",
                        block.line, block.section, block.text
                    ));
                }
            }
            Mode::Output => {
                for (command, expected) in transcript(&block.text) {
                    ran += 1;
                    let (code, output) = run_bounded(
                        shell(&root, &tools, &format!("{command} 2>&1")),
                        Duration::from_secs(300),
                    );
                    if code.is_none() || output != expected {
                        failures.push(format!(
                            "README.md:{} ({}): `{command}` printed (exit {code:?}):\n{output}--- the README shows:\n{expected}",
                            block.line, block.section
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran >= 3, "only {ran} README commands ran");
}

#[test]
fn the_convention_is_parsed_as_documented() {
    let readme = "## A\n\n```sh\necho a\n```\n\n<!-- readme-test: skip needs a platform -->\n```sh\ncf push\n```\n\n```text\nnot run\n```\n\n## B\n<!-- readme-test: output -->\n```text\n$ echo x\nx\n$ printf 'y\\n'\ny\n```\n";
    let parsed = blocks(readme).unwrap();
    let summary: Vec<(usize, &str, Mode)> = parsed
        .iter()
        .map(|b| (b.line, b.section.as_str(), b.mode.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (3, "A", Mode::Run),
            (8, "A", Mode::Skip("needs a platform".into())),
            (18, "B", Mode::Output),
        ]
    );
    assert_eq!(
        transcript(&parsed[2].text),
        [
            ("echo x".to_string(), "x\n".to_string()),
            ("printf 'y\\n'".to_string(), "y\n".to_string())
        ]
    );
    assert!(
        blocks("<!-- readme-test: skip -->\n```sh\nx\n```\n")
            .unwrap_err()
            .contains("unknown marker")
    );
}

/// "Writing a buildpack" shows the fixture buildpack's manifest and says it is the whole file
/// (but for its header comment): it is, byte for byte, so the README cannot show a buildpack
/// that is not the one the quick start packages and stages.
#[test]
fn the_manifest_shown_in_writing_a_buildpack_is_the_fixture() {
    let root = repo_root();
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let section = &readme[readme.find("\n## Writing a buildpack\n").unwrap()..];
    let start = section.find("```yaml\n").unwrap() + "```yaml\n".len();
    let shown = &section[start..start + section[start..].find("```\n").unwrap()];
    assert!(
        section[..start]
            .contains("`fixtures/buildpack/manifest.yml`, whole but for its header comment"),
        "the README no longer introduces the block as the fixture"
    );
    let fixture = fs::read_to_string(root.join("fixtures/buildpack/manifest.yml")).unwrap();
    let mut body = String::new();
    for line in fixture
        .lines()
        .skip_while(|l| *l == "---" || l.starts_with('#'))
    {
        body.push_str(line);
        body.push('\n');
    }
    assert_eq!(shown, body);
}
