//! `bpkit init` (issue 7): what a new buildpack contains, the refusals (existing files, unknown
//! templates, bad names), and that each template's buildpack works as generated: it validates,
//! and its phases stage its fixture app through the bootstrap.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::bin::{Run, bpkit, bpkit_path, repo_root, run};
use common::staging::{PHASES, Staging};

const TEMPLATES: [&str; 3] = ["generic", "static", "ruby"];

fn init(cwd: &Path, args: &[&str]) -> Run {
    run(bpkit().current_dir(cwd).arg("init").args(args))
}

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every path under `dir`, relative, sorted; links shown as `path -> target`.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(dir).unwrap().display().to_string();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                out.push(format!(
                    "{relative} -> {}",
                    fs::read_link(&path).unwrap().display()
                ));
            } else if meta.is_dir() {
                stack.push(path);
            } else {
                out.push(relative);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn each_template_gives_a_complete_buildpack() {
    let common = [
        ".github/workflows/buildpack.yml",
        ".gitignore",
        "README.md",
        "VERSION",
        "bin/bpkit",
        "bin/bpkit.lock",
        "bin/compile -> bpkit",
        "bin/detect -> bpkit",
        "bin/finalize -> bpkit",
        "bin/release -> bpkit",
        "bin/supply -> bpkit",
        "ci.sh",
        "manifest.yml",
    ];
    let fixtures: [&[&str]; 3] = [
        &["fixtures/app/Procfile", "fixtures/app/server"],
        &[
            "fixtures/app/public/index.html",
            "fixtures/deps/dependencies.yml",
            "fixtures/deps/nginx-1.27.5-stand-in.tgz",
        ],
        &[
            "fixtures/app/Gemfile",
            "fixtures/app/Gemfile.lock",
            "fixtures/app/config.ru",
            "fixtures/deps/bundler-2.6.5-stand-in.tgz",
            "fixtures/deps/dependencies.yml",
            "fixtures/deps/ruby-3.3.11-stand-in.tgz",
        ],
    ];
    let bootstrap = fs::read(repo_root().join("bin/bpkit")).unwrap();
    let lock = fs::read(repo_root().join("bin/bpkit.lock")).unwrap();
    for (template, fixtures) in TEMPLATES.iter().zip(fixtures) {
        let tmp = tempfile::tempdir().unwrap();
        let result = init(tmp.path(), &["shiny", "--from", template]);
        assert_eq!(result.code, 0, "{template}: {}", result.stderr);
        let dir = tmp.path().join("shiny");
        // stdout: the new folder's absolute path only.
        assert_eq!(result.stdout, format!("{}\n", dir.display()));
        let count = common.len() + fixtures.len();
        assert_eq!(
            result.stderr,
            format!(
                "-----> Created the shiny buildpack from the `{template}` template in shiny\n       {count} files: manifest.yml, VERSION, README.md, bin/ (bootstrap and phase links), fixtures/, ci.sh, .github/workflows/buildpack.yml\n       Next: cd shiny && ./ci.sh   (validate, package, stage fixtures/app, check it answers; see its README.md)\n"
            )
        );
        let mut expected: Vec<String> = common
            .iter()
            .chain(fixtures.iter())
            .map(ToString::to_string)
            .collect();
        expected.sort();
        assert_eq!(tree(&dir), expected, "{template}");

        // The bootstrap and its lock are this repository's, byte for byte; scripts are
        // executable.
        assert_eq!(fs::read(dir.join("bin/bpkit")).unwrap(), bootstrap);
        assert_eq!(fs::read(dir.join("bin/bpkit.lock")).unwrap(), lock);
        assert_eq!(mode(&dir.join("bin/bpkit")), 0o755);
        assert_eq!(mode(&dir.join("ci.sh")), 0o755);
        assert_eq!(mode(&dir.join("manifest.yml")), 0o644);
        assert_eq!(fs::read_to_string(dir.join("VERSION")).unwrap(), "0.1.0\n");
        let manifest = fs::read_to_string(dir.join("manifest.yml")).unwrap();
        assert!(
            manifest.lines().any(|l| l == "language: shiny"),
            "{template}"
        );
        assert!(manifest.starts_with("---\n# "), "{template}: commented");
        let readme = fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(readme.starts_with("# The shiny buildpack\n"), "{readme}");
        assert!(!readme.contains("{{"), "{template}: {readme}");

        // It validates with no errors or warnings of its own.
        let validate = run(bpkit().arg("validate").arg(&dir));
        assert_eq!(validate.code, 0, "{template}: {}", validate.stdout);
    }
}

/// The ruby template is this repository's own manifest, with the new buildpack's name where
/// it names itself: `language:` and what `bin/detect` prints.
#[test]
fn the_ruby_template_is_this_repositorys_buildpack_renamed() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &["gems", "--from", "ruby"]).code, 0);
    let generated = fs::read_to_string(tmp.path().join("gems/manifest.yml")).unwrap();
    let own = fs::read_to_string(repo_root().join("manifest.yml")).unwrap();
    assert!(
        generated.contains("\nlanguage: gems\n") && generated.contains("\ndetect:\n  name: gems\n")
    );
    let body = |text: &str| -> Vec<String> {
        text.lines()
            .skip_while(|l| *l == "---" || l.starts_with('#'))
            .map(|l| {
                if l.starts_with("language:") {
                    "language: X".to_string()
                } else if l.starts_with("  name: gems") || l.starts_with("  name: Ruby") {
                    "  name: X".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect()
    };
    assert_eq!(body(&generated), body(&own));
}

#[test]
fn the_default_folder_is_the_name_and_an_existing_empty_folder_is_fine() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("into")).unwrap();
    let result = init(tmp.path(), &["web-bits", "into", "--from", "static"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        result.stdout,
        format!("{}\n", tmp.path().join("into").display())
    );
    assert!(tmp.path().join("into/manifest.yml").is_file());
    assert!(!tmp.path().join("web-bits").exists());
}

/// `bpkit init NAME .` in a folder the user is already in (a fresh `git clone`, say): the next
/// step to copy is `./ci.sh`, not `cd . && ./ci.sh`.
#[test]
fn the_current_folder_needs_no_cd() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("LICENSE"), "mine\n").unwrap();
    let result = init(tmp.path(), &["here", "."]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stderr.ends_with(
            "       Next: ./ci.sh   (validate, package, stage fixtures/app, check it answers; see its README.md)\n"
        ),
        "{}",
        result.stderr
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("LICENSE")).unwrap(),
        "mine\n"
    );
}

/// A DIR starting with `-` (`bpkit init NAME -- -site`) is one `cd` can take: `cd ./-site`,
/// where the line said `cd -site`, which cd reads as options (and `cd -` goes back).
#[test]
fn a_folder_starting_with_a_dash_gets_a_next_line_cd_can_take() {
    let tmp = tempfile::tempdir().unwrap();
    for (dir, cd) in [
        ("-site", "./-site"),
        ("-", "./-"),
        ("-my site", "'./-my site'"),
    ] {
        let result = init(tmp.path(), &["shiny", "--", dir]);
        assert_eq!(result.code, 0, "{}", result.stderr);
        assert!(tmp.path().join(dir).join("manifest.yml").is_file());
        assert!(
            result.stderr.ends_with(&format!(
                "       Next: cd {cd} && ./ci.sh   (validate, package, stage fixtures/app, check it answers; see its README.md)\n"
            )),
            "{}",
            result.stderr
        );
    }
}

/// A DIR that is a file says so, and what to do, in one line.
#[test]
fn a_file_as_the_folder_is_refused_with_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes"), "mine\n").unwrap();
    let result = init(tmp.path(), &["shiny", "notes"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        "bpkit: error: notes is a file, not a folder to create the buildpack in; give bpkit init another DIR\n"
    );
}

#[test]
fn existing_files_are_refused_in_one_line_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("shiny");
    fs::create_dir_all(dir.join("bin")).unwrap();
    fs::write(dir.join("README.md"), "mine\n").unwrap();
    std::os::unix::fs::symlink("elsewhere", dir.join("bin/detect")).unwrap();
    let result = init(tmp.path(), &["shiny"]);
    assert_eq!(result.code, 1);
    assert_eq!(result.stdout, "");
    assert_eq!(
        result.stderr,
        "bpkit: error: shiny/README.md already exists; bpkit init does not overwrite files (pass --force to replace them, or choose another folder)\n"
    );
    assert_eq!(
        tree(&dir),
        ["README.md", "bin/detect -> elsewhere"],
        "nothing written"
    );

    let forced = init(tmp.path(), &["shiny", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        fs::read_to_string(dir.join("README.md"))
            .unwrap()
            .starts_with("# The shiny buildpack")
    );
    assert_eq!(
        fs::read_link(dir.join("bin/detect")).unwrap(),
        Path::new("bpkit")
    );
}

#[test]
fn a_folder_in_the_way_is_refused_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("shiny/ci.sh")).unwrap();
    let result = init(tmp.path(), &["shiny", "--force"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        "bpkit: error: shiny/ci.sh is a folder, where bpkit init would write a file; move it away\n"
    );
    assert!(!tmp.path().join("shiny/manifest.yml").exists());
}

/// A file where the new buildpack needs a folder (`fixtures/app` a file, `bin` a file) was
/// found only when writing into it: `cannot write …/fixtures/app/Procfile: File exists (os
/// error 17); create the buildpack in a folder this user can write to`, a wrong fix, after
/// other files were written (and, with --force, replaced). It is refused before any write,
/// naming the file, with or without --force.
#[test]
fn a_file_where_a_folder_goes_is_refused_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("shiny/fixtures")).unwrap();
    fs::write(tmp.path().join("shiny/fixtures/app"), "mine\n").unwrap();
    fs::write(tmp.path().join("shiny/VERSION"), "9.9.9\n").unwrap();
    for args in [&["shiny"][..], &["shiny", "--force"][..]] {
        let result = init(tmp.path(), args);
        assert_eq!(result.code, 1, "{}", result.stderr);
        assert_eq!(
            result.stderr,
            "bpkit: error: shiny/fixtures/app is a file, where bpkit init would make a folder; move it away, or choose another folder\n"
        );
        assert!(!tmp.path().join("shiny/manifest.yml").exists());
        assert_eq!(
            fs::read_to_string(tmp.path().join("shiny/VERSION")).unwrap(),
            "9.9.9\n"
        );
    }
    // A file on the way to DIR itself: "Not a directory (os error 20)" before.
    let result = init(tmp.path(), &["shiny", "shiny/VERSION/sub"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_eq!(
        result.stderr,
        "bpkit: error: shiny/VERSION is a file, not a folder to create the buildpack in; give bpkit init another DIR\n"
    );
}

/// A DIR (or a folder on the way to it) that is a link to nothing, or one of a loop, says so
/// in one line; it said `cannot write dangling/manifest.yml: File exists (os error 17); create
/// the buildpack in a folder this user can write to`. Nothing is made where the link points.
#[test]
fn a_link_to_nothing_as_the_folder_is_refused_with_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let nowhere = tmp.path().join("nowhere");
    std::os::unix::fs::symlink(&nowhere, tmp.path().join("dangling")).unwrap();
    std::os::unix::fs::symlink("loop-b", tmp.path().join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", tmp.path().join("loop-b")).unwrap();
    for (dir, link) in [
        ("dangling", "dangling"),
        ("dangling/sub", "dangling"),
        ("loop-a", "loop-a"),
    ] {
        for args in [&["shiny", dir][..], &["shiny", dir, "--force"][..]] {
            let result = init(tmp.path(), args);
            assert_eq!(result.code, 1, "{args:?}: {}", result.stderr);
            assert_eq!(
                result.stderr,
                format!(
                    "bpkit: error: {link} is a symbolic link to nothing (its target does not exist, or links loop), not a folder to create the buildpack in; remove the link, or give bpkit init another DIR\n"
                ),
                "{args:?}"
            );
            assert_eq!(result.stdout, "");
        }
    }
    assert!(!nowhere.exists());
}

/// A DIR whose path is not UTF-8 is refused before anything is written: its path, the data on
/// stdout, was printed with U+FFFD in place of its odd bytes (naming no real folder), and the
/// `--json` document lost every field but `success`, `exit_code` and `error`.
#[test]
fn a_folder_whose_path_is_not_utf8_is_refused() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::ffi::OsStr::from_bytes(b"j\xffx");
    for json in [false, true] {
        let mut command = bpkit();
        command
            .current_dir(tmp.path())
            .args(["init", "shiny"])
            .arg(dir);
        if json {
            command.arg("--json");
        }
        let result = run(&mut command);
        assert_eq!(result.code, 1, "{}", result.stderr);
        assert_eq!(
            result.stderr,
            "bpkit: error: j\u{fffd}x is not valid UTF-8; create the buildpack in a folder whose path is UTF-8 text (bpkit init prints it, and writes it into JSON)\n"
        );
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}

/// A folder of the new buildpack that is already a link (`bin -> elsewhere`) would take the
/// files written into it outside DIR: refused, with or without --force, and nothing written.
#[test]
fn a_link_where_a_folder_goes_is_refused_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::create_dir_all(tmp.path().join("shiny")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, tmp.path().join("shiny/bin")).unwrap();
    for args in [&["shiny"][..], &["shiny", "--force"][..]] {
        let result = init(tmp.path(), args);
        assert_eq!(result.code, 1, "{}", result.stderr);
        assert_eq!(
            result.stderr,
            "bpkit: error: shiny/bin is a symbolic link, where bpkit init would make a folder; it writes only inside DIR, never through a link (which may lead outside it): remove the link, or choose another folder\n"
        );
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
        assert!(!tmp.path().join("shiny/manifest.yml").exists());
    }
}

#[test]
fn an_unknown_template_lists_the_known_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let result = init(tmp.path(), &["shiny", "--from", "go"]);
    assert_eq!(result.code, 2);
    assert_eq!(result.stdout, "");
    assert!(
        result.stderr.starts_with(
            "error: invalid value 'go' for '--from <TEMPLATE>'\n  [possible values: generic, static, ruby]\n"
        ),
        "{}",
        result.stderr
    );
    assert!(!tmp.path().join("shiny").exists());
    // `binary`, the template's old name, still works.
    assert_eq!(init(tmp.path(), &["shiny", "--from", "binary"]).code, 0);
    assert!(
        fs::read_to_string(tmp.path().join("shiny/manifest.yml"))
            .unwrap()
            .contains("\ndetect:\n  name: shiny\n")
    );
}

#[test]
fn a_bad_name_is_a_usage_error_with_a_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let result = init(tmp.path(), &["My Buildpack"]);
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.starts_with(
            "error: invalid value 'My Buildpack' for '<NAME>': `My Buildpack` cannot be a buildpack name: use lowercase letters, digits, `-` and `_`, starting with a letter, at most 64 characters (it becomes `language`, the zip name `my-buildpack_buildpack-…zip` and a file name at staging); try `my-buildpack`\n"
        ),
        "{}",
        result.stderr
    );
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn json_lists_what_was_written() {
    let tmp = tempfile::tempdir().unwrap();
    let result = init(tmp.path(), &["shiny", "--from", "static", "--json"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let document: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(
        document["path"],
        tmp.path().join("shiny").display().to_string()
    );
    assert_eq!(document["language"], "shiny");
    assert_eq!(document["template"], "static");
    let files: Vec<&str> = document["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(files[..3], ["manifest.yml", "VERSION", "README.md"]);
    assert!(files.contains(&"fixtures/deps/nginx-1.27.5-stand-in.tgz"));
}

#[test]
fn the_generated_scripts_are_posix_sh() {
    let tmp = tempfile::tempdir().unwrap();
    for template in TEMPLATES {
        let dir = tmp.path().join(template);
        assert_eq!(
            init(tmp.path(), &["shiny", template, "--from", template]).code,
            0
        );
        let mut scripts = vec![dir.join("ci.sh"), dir.join("bin/bpkit")];
        if template == "generic" {
            scripts.push(dir.join("fixtures/app/server"));
        }
        for script in scripts {
            let parsed = run(std::process::Command::new("sh").arg("-n").arg(&script));
            assert_eq!(parsed.code, 0, "{}: {}", script.display(), parsed.stderr);
            if which("shellcheck") {
                let checked = run(std::process::Command::new("shellcheck").arg(&script));
                assert_eq!(checked.code, 0, "{}: {}", script.display(), checked.stdout);
            }
        }
    }
}

fn which(tool: &str) -> bool {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The generic buildpack, as generated, stages its fixture app through its own `bin/<phase>`
/// links and bootstrap (with `BPKIT_BINARY`, as an operator would set it), and releases
/// nothing: the fixture app's Procfile gives the web command.
#[test]
fn the_generic_buildpack_stages_its_fixture_app_through_the_bootstrap() {
    let mut staging = Staging::new();
    assert_eq!(init(staging.path(), &["shiny"]).code, 0);
    let bp: PathBuf = staging.path().join("shiny");
    copy_tree(&bp.join("fixtures/app"), &staging.app);
    // Zip uploads lose the executable bit; the buildpack's build step restores it.
    fs::set_permissions(
        staging.app.join("server"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    staging.set_env("BPKIT_BINARY", &bpkit_path().display().to_string());
    let detect = staging.detect(&bp);
    // The buildpack's own name, not the template's.
    assert_eq!((detect.code, detect.stdout.as_str()), (0, "shiny\n"));
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    let finalize = staging.finalize(&bp, "0");
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert!(
        finalize
            .stderr
            .ends_with("       web: ./server --port $PORT\n"),
        "{}",
        finalize.stderr
    );
    assert_eq!(mode(&staging.app.join("server")) & 0o111, 0o111);
    assert_eq!(
        staging.release(&bp).stdout,
        "---\ndefault_process_types: {}\n"
    );
    for phase in PHASES {
        assert!(bp.join("bin").join(phase).exists());
    }
}

/// "Trying it" in bpkit's README: `bpkit stage APP -b .` in a new buildpack's folder. Its
/// `bin/bpkit` is the bootstrap, which finds no binary there (no Rust sources to build, no
/// release in the lock), so the phases run the bpkit that stages, as `bpkit package` puts that
/// bpkit in the zip; the host's `BPKIT_BINARY`, when set, still wins.
#[test]
fn a_new_buildpack_stages_from_its_own_folder() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &["shiny"]).code, 0);
    let bp = tmp.path().join("shiny");
    let stage = |binary: Option<&str>| {
        let mut command = bpkit();
        command
            .current_dir(&bp)
            .env_remove("BPKIT_BINARY")
            .args(["stage", "fixtures/app", "-b", ".", "--out"])
            .arg(tmp.path().join("out"));
        if let Some(binary) = binary {
            command.env("BPKIT_BINARY", binary);
        }
        run(&mut command)
    };
    let staged = stage(None);
    assert_eq!(staged.code, 0, "{}", staged.stderr);
    assert!(
        staged.stderr.starts_with(&format!(
            "       {}/bin/bpkit is the bootstrap: its phases run this bpkit ({}); set BPKIT_BINARY to run another\n",
            fs::canonicalize(&bp).unwrap().display(),
            bpkit_path().display()
        )),
        "{}",
        staged.stderr
    );
    assert!(tmp.path().join("out/droplet.tgz").is_file());

    let missing = tmp.path().join("no-such-bpkit");
    let refused = stage(Some(missing.to_str().unwrap()));
    assert_eq!(refused.code, 223, "{}", refused.stderr);
    assert!(
        refused.stderr.contains(&format!(
            "**ERROR** bpkit: BPKIT_BINARY={} is not an executable file",
            missing.display()
        )),
        "{}",
        refused.stderr
    );
}

/// The generated README's pipeline block, run as written in the new buildpack's folder: it
/// packages through the `buildpack-packager` link and leaves no link in the buildpack, where
/// `git add .` would commit it.
#[test]
fn the_generated_readme_pipeline_block_leaves_the_buildpack_clean() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &["shiny"]).code, 0);
    let bp = tmp.path().join("shiny");
    let readme = fs::read_to_string(bp.join("README.md")).unwrap();
    let after = readme.split("In a pipeline").nth(1).unwrap();
    let block = after
        .split("```sh\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let before = tree(&bp);
    let home = tmp.path().join("home");
    fs::create_dir(&home).unwrap();
    let bin_dir = bpkit_path().parent().unwrap().to_path_buf();
    let path = format!("{}:/usr/bin:/bin", bin_dir.display());
    let result = run(std::process::Command::new("sh")
        .arg("-ec")
        .arg(block)
        .current_dir(&bp)
        .env("HOME", &home)
        .env("PATH", path)
        .env("BPKIT_CACHE_DIR", tmp.path().join("cache")));
    assert_eq!(result.code, 0, "{block}\n{}", result.stderr);
    let zip = bp.join("shiny_buildpack-cached-v0.1.0.zip");
    assert!(
        result.stdout.starts_with(&format!(
            "cached buildpack created and saved as {} with a size of ",
            zip.display()
        )),
        "{}",
        result.stdout
    );
    let mut expected = before;
    expected.push("shiny_buildpack-cached-v0.1.0.zip".into());
    expected.sort();
    assert_eq!(tree(&bp), expected);
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// `manifest.yml` with its top-level `dependencies:` block replaced by the stand-ins' list, as
/// `ci.sh` makes it with awk (done here independently, so the test does not trust the script).
fn offline_manifest(bp: &Path) -> Option<PathBuf> {
    let stand_ins = fs::read_to_string(bp.join("fixtures/deps/dependencies.yml")).ok()?;
    let manifest = fs::read_to_string(bp.join("manifest.yml")).unwrap();
    let mut out = String::new();
    let mut skip = false;
    for line in manifest.lines() {
        if line.starts_with(|c: char| !c.is_whitespace() && c != '#' && c != '-') {
            skip = line.split_whitespace().next() == Some("dependencies:");
        }
        if !skip {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&stand_ins);
    let path = bp.join("offline-manifest.yml");
    fs::write(&path, out).unwrap();
    Some(path)
}

/// The issue's "Show" item: `bpkit init` for a template, then `bpkit validate`, `bpkit package
/// --cached --offline` with the template's fixture dependencies, `bpkit stage` of its fixture
/// app with the zip, and `bpkit run --check /` on the droplet, each as a user types it.
fn init_package_stage_run(template: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let name = format!("{template}-bp");
    let created = init(tmp.path(), &[&name, "--from", template]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let bp = tmp.path().join(&name);

    let validate = run(bpkit().arg("validate").arg(&bp));
    assert_eq!(validate.code, 0, "{}{}", validate.stdout, validate.stderr);

    let out = tmp.path().join("out");
    let mut package = bpkit();
    package
        .env(
            "BPKIT_MIRRORS",
            format!(
                "https://stand-ins.invalid/=file://{}/",
                bp.join("fixtures/deps").display()
            ),
        )
        .env("BPKIT_CACHE_DIR", tmp.path().join("cache"))
        .args(["package", "--cached", "--offline", "--output-dir"])
        .arg(&out)
        .arg(&bp);
    if let Some(manifest) = offline_manifest(&bp) {
        package.arg("--manifest").arg(manifest);
    }
    let package = run(&mut package);
    assert_eq!(package.code, 0, "{template}: {}", package.stderr);
    let zip = out.join(format!("{name}_buildpack-cached-v0.1.0.zip"));
    assert_eq!(package.stdout, format!("{}\n", zip.display()));
    let verify = run(bpkit().arg("verify").arg(&zip));
    assert_eq!(
        verify.code, 0,
        "{template}: {}{}",
        verify.stdout, verify.stderr
    );

    let stage = run(bpkit()
        .current_dir(&bp)
        .args(["stage", "fixtures/app", "-b"])
        .arg(&zip)
        .arg("--out")
        .arg(tmp.path().join("stage")));
    assert_eq!(stage.code, 0, "{template}: {}", stage.stderr);
    let droplet = tmp.path().join("stage/droplet.tgz");
    assert_eq!(stage.stdout, format!("{}\n", droplet.display()));

    let started = run(bpkit()
        .args(["run", "--port", "0", "--check", "/"])
        .arg(&droplet));
    assert_eq!(started.code, 0, "{template}: {}", started.stderr);
    assert!(
        started.stdout.starts_with("http://127.0.0.1:") && started.stdout.ends_with("/ 200 OK\n"),
        "{template}: {}",
        started.stdout
    );
}

#[test]
fn generic_init_package_stage_run() {
    init_package_stage_run("generic");
}

#[test]
fn static_init_package_stage_run() {
    init_package_stage_run("static");
}

#[test]
fn ruby_init_package_stage_run() {
    init_package_stage_run("ruby");
}

/// The generated CI passes on its first run, offline, with bpkit given as `BPKIT` (not on
/// PATH), and says what it did.
fn generated_ci_passes(template: &str) {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &["shiny", "--from", template]).code, 0);
    let bp = tmp.path().join("shiny");
    let ci = run(std::process::Command::new(bp.join("ci.sh"))
        .current_dir(tmp.path())
        .env("BPKIT", bpkit_path())
        .env("NO_COLOR", "1")
        .env_remove("BPKIT_MIRRORS")
        .env_remove("BPKIT_CACHE_DIR")
        .env_remove("BP_DEBUG"));
    assert_eq!(ci.code, 0, "{template}: {}", ci.stderr);
    // The stand-ins' manifest ci.sh writes into the output folder is the zip's manifest.yml:
    // it was warned about as a file left out of the zip.
    assert!(!ci.stderr.contains("WARNING"), "{template}: {}", ci.stderr);
    let out = bp.join(".ci-out/offline");
    let steps: Vec<&str> = ci
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("-----> ci: "))
        .collect();
    let zip = out.join("shiny_buildpack-cached-v0.1.0.zip");
    let droplet = out.join("stage/droplet.tgz");
    let package = if template == "generic" {
        format!(
            "bpkit package --cached --output-dir {} --offline",
            out.display()
        )
    } else {
        format!(
            "bpkit package --cached --output-dir {} --manifest {}/manifest.yml --offline",
            out.display(),
            out.display()
        )
    };
    // With stand-ins, the log says the zip's dependencies are theirs, not the manifest's.
    let note = "       dependencies: the stand-ins of fixtures/deps/dependencies.yml, not manifest.yml's (./ci.sh --real uses those); a version the fixture app asks for must be listed there too";
    assert_eq!(
        ci.stderr.lines().any(|l| l == note),
        template != "generic",
        "{template}: {}",
        ci.stderr
    );
    assert_eq!(
        steps,
        [
            "bpkit validate".to_string(),
            package,
            format!("bpkit stage fixtures/app -b {}", zip.display()),
            format!("bpkit run {} --check /", droplet.display()),
            format!("passed (offline): {}", zip.display()),
        ]
    );
    assert!(ci.stdout.ends_with("/ 200 OK\n"), "{}", ci.stdout);
}

/// `sh shiny/ci.sh` with an exported CDPATH that holds another `shiny` runs this buildpack's
/// CI, where `cd "$(dirname "$0")"` went to the other one (printing its path on stdout) and
/// validate found no manifest.yml there.
#[test]
fn generated_ci_ignores_cdpath() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &["shiny"]).code, 0);
    let decoy = tmp.path().join("decoy");
    fs::create_dir_all(decoy.join("shiny")).unwrap();
    let ci = run(std::process::Command::new("sh")
        .arg("shiny/ci.sh")
        .current_dir(tmp.path())
        .env("CDPATH", &decoy)
        .env("BPKIT", bpkit_path())
        .env("NO_COLOR", "1")
        .env_remove("BPKIT_MIRRORS")
        .env_remove("BPKIT_CACHE_DIR")
        .env_remove("BP_DEBUG"));
    assert_eq!(ci.code, 0, "{}", ci.stderr);
    assert!(!ci.stdout.contains("decoy"), "{}", ci.stdout);
    assert!(tmp.path().join("shiny/.ci-out/offline").is_dir());
}

/// The stand-ins' file:// mirror is percent-encoded: a buildpack folder with `,` (which split
/// BPKIT_MIRRORS in two), `#`, `?` (which ended the URL's path) or `%` in its path passes its
/// offline CI, where bpkit refused the mirror rule or read another file.
#[test]
fn generated_ci_passes_in_a_folder_with_url_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = "a,b #c?d%41=e";
    assert_eq!(
        init(tmp.path(), &["shiny", dir, "--from", "static"]).code,
        0
    );
    let ci = run(
        std::process::Command::new(tmp.path().join(dir).join("ci.sh"))
            .current_dir(tmp.path())
            .env("BPKIT", bpkit_path())
            .env("NO_COLOR", "1")
            .env_remove("BPKIT_MIRRORS")
            .env_remove("BPKIT_CACHE_DIR")
            .env_remove("BP_DEBUG"),
    );
    assert_eq!(ci.code, 0, "{}", ci.stderr);
    assert!(ci.stdout.ends_with("/ 200 OK\n"), "{}", ci.stdout);
}

/// A dependency added to manifest.yml but not to the stand-ins fails the offline CI at
/// packaging; bpkit names ci.sh's copy of the manifest, so ci.sh says which files to fix.
#[test]
fn a_dependency_without_a_stand_in_is_explained_by_ci() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &["shiny", "--from", "static"]).code, 0);
    let bp = tmp.path().join("shiny");
    let manifest = fs::read_to_string(bp.join("manifest.yml")).unwrap();
    let added = manifest.replacen(
        "\ninclude_files:",
        "\n- name: tool\n  version: 1.0.0\n  uri: https://example.invalid/tool-1.0.0.tgz\n  sha256: cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc\n  cf_stacks: [cflinuxfs4]\ninclude_files:",
        1,
    ).replacen("\nbuild:", "\n- name: tool\nbuild:", 1);
    assert_ne!(added, manifest);
    fs::write(bp.join("manifest.yml"), added).unwrap();
    let ci = run(std::process::Command::new(bp.join("ci.sh"))
        .env("BPKIT", bpkit_path())
        .env("NO_COLOR", "1")
        .env_remove("BPKIT_MIRRORS")
        .env_remove("BPKIT_CACHE_DIR"));
    assert_eq!(ci.code, 1, "{}", ci.stderr);
    let copy = bp.join(".ci-out/offline/manifest.yml");
    let lines: Vec<&str> = ci.stderr.lines().collect();
    assert!(
        lines[lines.len() - 2].contains("`tool` is not the name of any dependency"),
        "{}",
        ci.stderr
    );
    assert_eq!(
        lines[lines.len() - 1],
        format!(
            "ci.sh: error: {} is a copy ci.sh makes of manifest.yml with the dependencies of fixtures/deps/dependencies.yml: fix those two files, not the copy (a dependency that install: names needs a stand-in there too)",
            copy.display()
        )
    );
}

/// A dependency added to the generic template's manifest (which has no stand-ins) fails the
/// offline CI at packaging when it is not in the packager's cache; bpkit's fix, "run again
/// without --offline", is `./ci.sh --real` for ci.sh's user, so ci.sh says so.
#[test]
fn a_generic_dependency_not_in_the_cache_is_explained_by_ci() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &["shiny", "--from", "generic"]).code, 0);
    let bp = tmp.path().join("shiny");
    let manifest = fs::read_to_string(bp.join("manifest.yml")).unwrap();
    let added = manifest.replacen(
        "\ninclude_files:",
        "\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: https://example.invalid/tool-1.0.0.tgz\n  sha256: cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: tool\ninclude_files:",
        1,
    );
    assert_ne!(added, manifest);
    fs::write(bp.join("manifest.yml"), added).unwrap();
    let ci = || {
        run(std::process::Command::new(bp.join("ci.sh"))
            .env("BPKIT", bpkit_path())
            .env("NO_COLOR", "1")
            .env("BPKIT_CACHE_DIR", tmp.path().join("cache"))
            .env_remove("BPKIT_MIRRORS"))
    };
    let failed = ci();
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    let lines: Vec<&str> = failed.stderr.lines().collect();
    assert!(
        lines[lines.len() - 2].contains("is not in the cache and --offline forbids downloading"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        lines[lines.len() - 1],
        "ci.sh: error: ./ci.sh packages offline, so a dependency with no file:// URI must be in the packager's cache (BPKIT_CACHE_DIR, default ~/.buildpack-packager/cache); run ./ci.sh --real once to fill it, or list small stand-ins in fixtures/deps/dependencies.yml (README.md, \"Fixtures\")"
    );
    // Any other failure of the offline packaging is bpkit's line alone, last: the cache hint
    // followed a checksum mismatch too, sending the user to `--real`, which cannot fix it.
    fs::write(bp.join("tool.tgz"), "not the tool").unwrap();
    let uri = format!("file://{}", bp.join("tool.tgz").display());
    let mismatched = fs::read_to_string(bp.join("manifest.yml"))
        .unwrap()
        .replace("https://example.invalid/tool-1.0.0.tgz", &uri);
    fs::write(bp.join("manifest.yml"), mismatched).unwrap();
    let mismatch = ci();
    assert_eq!(mismatch.code, 1, "{}", mismatch.stderr);
    let last = mismatch.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("bpkit: error: Could not fetch tool 1.0.0: ") && last.contains("sha256"),
        "{}",
        mismatch.stderr
    );
    assert!(
        !mismatch.stderr.contains("ci.sh: error"),
        "{}",
        mismatch.stderr
    );
}

#[test]
fn generic_generated_ci_passes_offline() {
    generated_ci_passes("generic");
}

#[test]
fn static_generated_ci_passes_offline() {
    generated_ci_passes("static");
}

#[test]
fn ruby_generated_ci_passes_offline() {
    generated_ci_passes("ruby");
}

/// No release of bpkit is published yet (this repository's bin/bpkit.lock names no binary), so
/// the generated CI, with `BPKIT` unset and no bpkit on PATH, stops at once with one line that
/// says what to set, rather than through the bootstrap's failed download; and the generated
/// workflow installs bpkit from the repository URL in bpkit's Cargo.toml, at this version.
#[test]
fn generated_ci_without_bpkit_says_what_to_set() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &["shiny"]).code, 0);
    let bp = tmp.path().join("shiny");
    let lock = fs::read_to_string(bp.join("bin/bpkit.lock")).unwrap();
    assert!(
        !lock.lines().any(|l| l.starts_with("sha256 ")),
        "the lock names a release now; this test shows the case without one:\n{lock}"
    );
    let path = "/usr/bin:/bin";
    assert!(
        !path.split(':').any(|d| Path::new(d).join("bpkit").exists()),
        "a bpkit is installed in {path}"
    );
    let ci = run(std::process::Command::new(bp.join("ci.sh"))
        .current_dir(tmp.path())
        .env_clear()
        .env("PATH", path)
        .env("HOME", tmp.path()));
    assert_eq!(ci.code, 1, "{}", ci.stderr);
    assert_eq!(ci.stdout, "");
    assert_eq!(
        ci.stderr,
        "ci.sh: error: no bpkit: BPKIT is not set, bpkit is not on PATH, and bin/bpkit.lock names no released bpkit binary to download; set BPKIT=/path/to/bpkit or install bpkit (README.md, \"Where bpkit comes from\")\n"
    );
    assert!(!bp.join(".ci-out").exists());

    let workflow = fs::read_to_string(bp.join(".github/workflows/buildpack.yml")).unwrap();
    for line in [
        format!(
            "          BPKIT_GIT: \"{}\"\n",
            env!("CARGO_PKG_REPOSITORY")
        ),
        format!(
            "          BPKIT_VERSION: \"{}\"\n",
            env!("CARGO_PKG_VERSION")
        ),
        "            cargo install --locked --git \"$BPKIT_GIT\" --tag \"v$BPKIT_VERSION\" bpkit\n"
            .to_string(),
    ] {
        assert!(workflow.contains(&line), "{line:?} not in:\n{workflow}");
    }
    // The install comes before ci.sh runs.
    assert!(workflow.find("cargo install").unwrap() < workflow.find("run: ./ci.sh").unwrap());
}

/// A folder `init` may not write in names the file, the OS reason and the fix (it once ended
/// at `Permission denied (os error 13)`). Root (or any process with CAP_DAC_OVERRIDE) writes
/// through `chmod 0555`, so there the case cannot be made and is skipped, saying why.
#[test]
fn a_read_only_folder_names_the_file_and_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let locked = tmp.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::write(locked.join("probe"), "x").is_ok() {
        eprintln!("skipped: this process writes through chmod 0555 (running as root)");
        return;
    }
    let result = run(bpkit().current_dir(&locked).args(["init", "demo"]));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            "bpkit: error: cannot write demo/manifest.yml: Permission denied (os error 13); create the buildpack in a folder this user can write to (bpkit init NAME DIR)\n"
        )
    );
}

/// A folder that exists but takes no new files (/proc/1 takes none, for root too): the error
/// ended with tempfile's own ` at path "/proc/1/.tmpAbC123"`, a random name never made; it is
/// the OS's reason alone, after the file bpkit init was writing.
#[test]
fn a_folder_that_takes_no_files_is_named_without_a_temporary_name() {
    if !std::path::Path::new("/proc/1").is_dir() {
        eprintln!("skipped: no /proc/1 here");
        return;
    }
    let result = run(bpkit().args(["init", "demo", "/proc/1"]));
    assert_eq!(result.code, 1);
    assert!(
        result
            .stderr
            .starts_with("bpkit: error: cannot write /proc/1/manifest.yml: "),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains(" at path "), "{}", result.stderr);
    assert!(
        result.stderr.ends_with(
            "; create the buildpack in a folder this user can write to (bpkit init NAME DIR)\n"
        ),
        "{}",
        result.stderr
    );
}
