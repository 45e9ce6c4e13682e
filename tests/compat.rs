//! argv[0] `buildpack-packager`: the Go packager's `build` and `summary` with Go flag syntax,
//! exit codes 0/1/2 and the exact success line; and the Ruby gem's flags (issue 3).
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::bin::{Run, command_for, link_as, run};
use common::buildpack::{sha256_hex, write, zip_map, zip_text};

struct Fixture {
    _temp: tempfile::TempDir,
    root: PathBuf,
    cache: PathBuf,
    packager: PathBuf,
}

/// A buildpack whose one dependency is a `file://` tarball, and a `buildpack-packager`
/// symlink to bpkit.
fn fixture() -> Fixture {
    let temp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(temp.path()).unwrap();
    let root = base.join("bp");
    let tarball = write(&base, "deps/lib-1.10.tgz", b"\x1f\x8bnot really gzip");
    let manifest = format!(
        "---\nlanguage: sample\ndefault_versions:\n- name: lib\n  version: 1.10.x\ndependencies:\n- name: lib\n  version: 1.10\n  uri: file://{}\n  sha256: {}\n  cf_stacks:\n  - cflinuxfs4\ninclude_files:\n- bin/detect\n- bin/compile\n- bin/release\n- manifest.yml\n- VERSION\n",
        tarball.display(),
        sha256_hex(&fs::read(&tarball).unwrap())
    );
    write(&root, "manifest.yml", &manifest);
    write(
        &root,
        "other.yml",
        manifest.replace("language: sample", "language: other"),
    );
    write(&root, "VERSION", "1.2.3\n");
    for phase in ["detect", "compile", "release"] {
        write(&root, &format!("bin/{phase}"), "#!/bin/sh\n");
    }
    let bin = base.join("tools");
    fs::create_dir_all(&bin).unwrap();
    let packager = link_as(&bin, "buildpack-packager");
    Fixture {
        cache: base.join("cache"),
        _temp: temp,
        root,
        packager,
    }
}

impl Fixture {
    fn command(&self) -> Command {
        let mut command = command_for(&self.packager);
        command
            .current_dir(&self.root)
            .env("HOME", &self.cache)
            .env_remove("BPKIT_CACHE_DIR");
        command
    }

    fn run(&self, args: &[&str]) -> Run {
        run(self.command().args(args))
    }

    fn zip(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Run `args`, which must build the `kind` zip `name` and print the Go success line for
    /// it; the zip's path.
    #[track_caller]
    fn build(&self, args: &[&str], kind: &str, name: &str) -> PathBuf {
        let zip = self.zip(name);
        let result = self.run(args);
        if args.first() == Some(&"build") {
            assert_built(&result, kind, &zip);
        } else {
            assert_built_by_the_gem(&result, kind, &zip);
        }
        zip
    }
}

/// The run succeeded and printed the Go success line for the `kind` zip `zip`, and only that.
#[track_caller]
fn assert_built(result: &Run, kind: &str, zip: &Path) {
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(result.stdout, success_line(kind, zip));
}

/// The run succeeded and printed the Ruby gem's success line (lib/buildpack/packager.rb):
/// `Cached`/`Uncached`, and the size as `du -h` gives it, checked against `du` itself.
#[track_caller]
fn assert_built_by_the_gem(result: &Run, kind: &str, zip: &Path) {
    assert_eq!(result.code, 0, "{}", result.stderr);
    let du = Command::new("du").arg("-h").arg(zip).output().unwrap();
    let du = String::from_utf8(du.stdout).unwrap();
    let size = du.split('\t').next().unwrap();
    let kind = if kind == "cached" {
        "Cached"
    } else {
        "Uncached"
    };
    assert_eq!(
        result.stdout,
        format!(
            "{kind} buildpack created and saved as {} with a size of {size}\n",
            zip.display()
        )
    );
}

fn success_line(kind: &str, zip: &Path) -> String {
    let size = fs::metadata(zip).unwrap().len() / 1024 / 1024;
    format!(
        "{kind} buildpack created and saved as {} with a size of {size}MB\n",
        zip.display()
    )
}

#[test]
fn build_prints_the_go_success_line() {
    let f = fixture();
    let zip = f.build(
        &["build", "-stack", "cflinuxfs4", "-cached"],
        "cached",
        "sample_buildpack-cached-cflinuxfs4-v1.2.3.zip",
    );
    // The default cache is the Go packager's, under HOME.
    assert!(
        f.cache
            .join(".buildpack-packager/cache/dependencies")
            .is_dir()
    );
    assert!(zip_text(&zip, "manifest.yml").contains("\nstack: cflinuxfs4\n"));

    // Go flag syntax: --flag, -flag=value, -flag value.
    let zip = f.build(
        &[
            "build",
            "--any-stack",
            "-version=2.0.0",
            "--cachedir",
            "../c2",
        ],
        "uncached",
        "sample_buildpack-v2.0.0.zip",
    );
    assert_eq!(zip_text(&zip, "VERSION"), "2.0.0");
}

/// Go's `flag` stops at the first argument that is not a flag, and the Go packager ignores the
/// rest: `build -any-stack latest -cached` builds an uncached zip. bpkit builds the same, with
/// a warning naming what was ignored, where it said nothing.
#[test]
fn arguments_after_the_flags_are_ignored_with_a_warning() {
    let f = fixture();
    for (args, ignored, first) in [
        (
            &["build", "-any-stack", "latest", "-cached"][..],
            "latest -cached",
            "latest",
        ),
        (
            &["build", "-any-stack", "--", "-cached"],
            "-cached",
            "-cached",
        ),
    ] {
        let result = f.run(args);
        assert_built(&result, "uncached", &f.zip("sample_buildpack-v1.2.3.zip"));
        let warning = format!(
            "**WARNING** ignored `{ignored}`: flags end at the first argument that is not one (`{first}`), or after `--`, and build takes no other arguments, as in the Go packager; give flags only\n"
        );
        assert!(
            result.stderr.lines().next().unwrap().trim_start() == warning.trim_end(),
            "{}",
            result.stderr
        );
    }
    let result = f.run(&["summary", "extra"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stdout.starts_with("\nPackaged binaries:\n"));
    assert_eq!(
        result.stderr,
        "       **WARNING** ignored `extra`: flags end at the first argument that is not one (`extra`), or after `--`, and summary takes no other arguments, as in the Go packager; give flags only\n"
    );
}

/// The official buildpacks' `scripts/package.sh` calls the packager this way and takes the zip
/// from stdout with `xargs -n1 | grep -e '\.zip$'`: `--cached=false` is a boolean given a value,
/// and nothing but the success line may be on stdout.
#[test]
fn the_official_package_sh_invocation_finds_the_zip() {
    let f = fixture();
    let bin = f.packager.parent().unwrap();
    for (cached, stack_flag, name) in [
        (
            "false",
            "--stack=cflinuxfs4",
            "sample_buildpack-cflinuxfs4-v3.4.5.zip",
        ),
        ("true", "--any-stack", "sample_buildpack-cached-v3.4.5.zip"),
    ] {
        let script = format!(
            "set -e -o pipefail; file=\"$(buildpack-packager build \"--version=3.4.5\" \"--cached={cached}\" \"{stack_flag}\" | xargs -n1 | grep -e '\\.zip$')\"; printf '%s' \"$file\""
        );
        let result = run(Command::new("bash")
            .current_dir(&f.root)
            .env("HOME", &f.cache)
            .env("NO_COLOR", "1")
            .env_remove("BPKIT_CACHE_DIR")
            .env_remove("BPKIT_MIRRORS")
            .env(
                "PATH",
                format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
            )
            .args(["-c", &script]));
        assert_eq!(result.code, 0, "{}", result.stderr);
        assert_eq!(result.stdout, f.zip(name).display().to_string());
    }
}

/// Go's `filepath.Abs` keeps the path the user took to the folder (`$PWD`) rather than
/// resolving symlinks, and scripts grep the line for that path.
#[test]
fn the_success_line_names_the_zip_through_a_symlinked_working_directory() {
    let f = fixture();
    let link = f.root.with_file_name("bp-link");
    std::os::unix::fs::symlink(&f.root, &link).unwrap();
    let build_with_pwd = |pwd: &Path| {
        run(f
            .command()
            .current_dir(&link)
            .env("PWD", pwd)
            .args(["build", "-any-stack"]))
    };
    let zip = link.join("sample_buildpack-v1.2.3.zip");
    assert_built(&build_with_pwd(&link), "uncached", &zip);

    // As Go's `filepath.Abs`, the path is cleaned: no `//`, `.` or `..` in the line.
    let parent = link.parent().unwrap();
    let messy = PathBuf::from(format!("{}//./bp/../bp-link/.", parent.display()));
    assert_built(&build_with_pwd(&messy), "uncached", &zip);

    // A `PWD` that names another folder is not believed.
    let zip = f.zip("sample_buildpack-v1.2.3.zip");
    assert_built(&build_with_pwd(f.root.parent().unwrap()), "uncached", &zip);
}

/// The Go packager's `-profile`, `-exclude` and `-include` (packaging profiles): the zip's name
/// and which dependencies it keeps.
#[test]
fn build_with_profile_exclude_and_include_flags() {
    let f = fixture();
    let agent = write(
        f.root.parent().unwrap(),
        "deps/agent-2.0.jar",
        b"PK\x03\x04not really a jar",
    );
    let manifest = fs::read_to_string(f.root.join("manifest.yml")).unwrap();
    let manifest = manifest.replace(
        "include_files:\n",
        &format!(
            "- name: agent\n  version: 2.0.0\n  uri: file://{}\n  sha256: {}\n  cf_stacks:\n  - cflinuxfs4\npackaging_profiles:\n  minimal:\n    description: Without the agent.\n    exclude:\n    - agent\ninclude_files:\n",
            agent.display(),
            sha256_hex(&fs::read(&agent).unwrap())
        ),
    );
    fs::write(f.root.join("manifest.yml"), manifest).unwrap();
    let packaged = |zip: &Path| -> Vec<String> {
        let mut names: Vec<String> = zip_map(zip)
            .into_keys()
            .filter(|k| k.starts_with("dependencies/") && !k.ends_with('/'))
            .map(|k| k.rsplit('/').next().unwrap().to_string())
            .collect();
        names.sort();
        names
    };

    let zip = f.build(
        &[
            "build",
            "-stack",
            "cflinuxfs4",
            "-cached",
            "-profile",
            "minimal",
        ],
        "cached",
        "sample_buildpack-cached-minimal-cflinuxfs4-v1.2.3.zip",
    );
    assert_eq!(packaged(&zip), ["lib-1.10.tgz"]);

    let zip = f.build(
        &[
            "build",
            "-stack=cflinuxfs4",
            "--cached",
            "-profile=minimal",
            "-include",
            "agent",
        ],
        "cached",
        "sample_buildpack-cached-minimal+custom-cflinuxfs4-v1.2.3.zip",
    );
    assert_eq!(packaged(&zip), ["agent-2.0.jar", "lib-1.10.tgz"]);

    let zip = f.build(
        &["build", "-any-stack", "--exclude=agent"],
        "uncached",
        "sample_buildpack-custom-v1.2.3.zip",
    );
    let text = zip_text(&zip, "manifest.yml");
    assert!(
        text.contains("- name: lib\n") && !text.contains("- name: agent\n"),
        "{text}"
    );
}

#[test]
fn build_needs_exactly_one_stack_flag() {
    let f = fixture();
    let result = f.run(&["build", "-cached"]);
    result.assert_printed(
        1,
        "",
        "buildpack-packager: error: must either specify a stack or pass -any-stack\n",
    );
    let result = f.run(&["build", "-stack", "cflinuxfs4", "-any-stack"]);
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            "buildpack-packager: error: cannot specify a stack AND pass -any-stack\n"
        )
    );
    assert!(
        fs::read_dir(&f.root)
            .unwrap()
            .all(|e| { !e.unwrap().file_name().to_string_lossy().ends_with(".zip") })
    );
}

/// A folder with neither VERSION nor manifest.yml (`build` run in the wrong folder): the Go
/// packager reads VERSION first, so that is the file named, by bpkit too, in the Go
/// packager's words (main.go: `error: Could not read VERSION file: …`), with the fix added.
#[test]
fn build_in_a_folder_with_neither_file_names_version_first() {
    let f = fixture();
    fs::remove_file(f.root.join("VERSION")).unwrap();
    fs::remove_file(f.root.join("manifest.yml")).unwrap();
    let result = f.run(&["build", "-any-stack"]);
    result.assert_printed(
        1,
        "",
        "buildpack-packager: error: Could not read VERSION file: open VERSION: no such file or directory; create it with the buildpack's version (`echo 1.0.0 > VERSION`) or pass -version\n",
    );
}

/// Go's words are for a VERSION that is not there, on Go's command line. A VERSION that is a
/// folder gets bpkit's, and the gem's command line bpkit's with no flag it lacks: it has no
/// `--version` to build as (OptionParser's own prints the program's version).
#[test]
fn a_version_file_that_cannot_be_read_is_named_in_each_command_lines_words() {
    let f = fixture();
    fs::remove_file(f.root.join("VERSION")).unwrap();
    fs::create_dir(f.root.join("VERSION")).unwrap();
    let version = f.root.join("VERSION");
    f.run(&["build", "-any-stack"]).assert_printed(
        1,
        "",
        &format!(
            "buildpack-packager: error while creating zipfile: cannot read {}: it is a folder, not a file; put a file holding the buildpack's version in its place (`echo 1.0.0 > VERSION`) or pass --version\n",
            version.display()
        ),
    );
    f.run(&["--cached", "--any-stack"]).assert_last_line(
        1,
        &format!(
            "buildpack-packager: error while creating zipfile: cannot read {}: it is a folder, not a file; put a file holding the buildpack's version in its place (`echo 1.0.0 > VERSION`)",
            version.display()
        ),
    );
    fs::remove_dir(&version).unwrap();
    f.run(&["--uncached", "--any-stack"]).assert_last_line(
        1,
        &format!(
            "buildpack-packager: error while creating zipfile: cannot read {}: no such file; create it with the buildpack's version (`echo 1.0.0 > VERSION`)",
            version.display()
        ),
    );
}

#[test]
fn usage_errors_exit_2() {
    let f = fixture();
    let result = f.run(&["build", "-nope"]);
    result.assert_stderr_starts(
        2,
        "flag provided but not defined: -nope\nbuild -stack <stack>|-any-stack",
    );
    let result = f.run(&["build", "-stack"]);
    result.assert_stderr_starts(2, "flag needs an argument: -stack\n");
    // Go takes an empty -cachedir and caches in the buildpack's own folder, whose next
    // uncached zip then holds the tarballs: refused, and nothing is written.
    let result = f.run(&["build", "-any-stack", "-cached", "-cachedir="]);
    result.assert_stderr_starts(
        2,
        "invalid value \"\" for flag -cachedir: an empty path names no folder; give one, or leave out -cachedir for the default\nbuild -stack <stack>|-any-stack",
    );
    assert!(!f.root.join("dependencies").exists());
    assert!(!f.zip("sample_buildpack-cached-v1.2.3.zip").exists());
    let result = f.run(&[]);
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("Usage: buildpack-packager <flags> <subcommand>")
    );
    let result = f.run(&["bake"]);
    assert_eq!(result.code, 2);
    // As Go's `subcommands`: a subcommand's `-h` is a flag parse error (exit 2), while
    // `help build` and a top-level `-h` succeed. Both print the usage on stderr only.
    for args in [
        &["build", "-h"][..],
        &["build", "--help"],
        &["summary", "-h"],
    ] {
        let result = f.run(args);
        assert_eq!((result.code, result.stdout.as_str()), (2, ""), "{args:?}");
        let usage = if args[0] == "build" {
            "build -stack"
        } else {
            "summary:\n"
        };
        assert!(
            result.stderr.starts_with(usage),
            "{args:?}: {}",
            result.stderr
        );
    }
    // A top-level `-h` is Go `flag`'s: usage on stderr, exit 0.
    let result = f.run(&["-h"]);
    assert_eq!((result.code, result.stdout.as_str()), (0, ""));
    assert!(
        result
            .stderr
            .starts_with("Usage: buildpack-packager <flags>")
    );
    // Only the usage when there is no subcommand, as Go prints it (no empty line first).
    let result = f.run(&[]);
    assert!(
        result
            .stderr
            .starts_with("Usage: buildpack-packager <flags>")
    );
}

/// `help`, `flags` and `commands` are Go `subcommands`' own: what they are asked for goes to
/// stdout (its `Output`), a name they do not know is an error on stderr.
#[test]
fn help_flags_and_commands_answer_on_stdout_as_go_subcommands_does() {
    let f = fixture();
    // The Go packager's `Usage()` and Go `flag`'s defaults, the cache's default as Go's `%q`
    // shows it (libbuildpack packager/buildpack-packager/main.go; subcommands.go `explain`).
    let defaults = format!(
        "  -any-stack\n    \tpackage buildpack for any stack\n  -cached\n    \tinclude dependencies\n  -cachedir string\n    \tcache dir (default \"{}/.buildpack-packager/cache\")\n  -exclude string\n    \tcomma-separated dependency names to exclude\n  -include string\n    \tcomma-separated dependency names to include, overriding profile exclusions\n  -profile string\n    \tpackaging profile defined in manifest.yml\n  -stack string\n    \tstack to package buildpack for\n  -version string\n    \tversion to build as\n",
        f.cache.display()
    );
    let result = f.run(&["help", "build"]);
    result.assert_printed(
        0,
        &format!(
            "build -stack <stack>|-any-stack [-cached] [-version <version>] [-cachedir <path>]
      [-profile <profile>] [-exclude <dep1,dep2,...>] [-include <dep1,dep2,...>]:
  When run in a directory that is structured as a buildpack, creates a zip file.

  -profile  Name of a packaging profile defined in manifest.yml's
            packaging_profiles section. Profiles declare which dependencies
            to exclude from the cached zip.

  -exclude  Comma-separated list of dependency names to exclude, in addition
            to any exclusions implied by -profile. Names must exist in
            manifest.yml. Example: -exclude datadog-javaagent,newrelic

  -include  Comma-separated list of dependency names to force-include,
            overriding exclusions implied by -profile. Useful for starting
            from a restrictive profile and adding back a single dep.
            Example: -profile minimal -include jprofiler-profiler

{defaults}"
        ),
        "",
    );
    f.run(&["flags", "build"]).assert_printed(0, &defaults, "");
    let result = f.run(&["help"]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert!(
        result
            .stdout
            .starts_with("Usage: buildpack-packager <flags>")
    );

    // Each subcommand's usage, as Go's `subcommands` words it.
    for (name, usage) in [
        (
            "summary",
            "summary:\n  When run in a directory that is structured as a buildpack, prints a list of depedencies of that buildpack.\n",
        ),
        (
            "help",
            "help [<subcommand>]:\n\tWith an argument, prints detailed information on the use of\n",
        ),
        (
            "flags",
            "flags [<subcommand>]:\n\tWith an argument, print all flags of <subcommand>. Else,\n",
        ),
        ("commands", "commands:\n\tPrint a list of all commands.\n"),
    ] {
        let result = f.run(&["help", name]);
        assert_eq!((result.code, result.stderr.as_str()), (0, ""), "{name}");
        assert!(
            result.stdout.starts_with(usage),
            "{name}: {}",
            result.stdout
        );
    }

    let result = f.run(&["help", "bake"]);
    assert_eq!((result.code, result.stdout.as_str()), (2, ""));
    assert!(
        result
            .stderr
            .starts_with("Subcommand bake not understood\nhelp [<subcommand>]:\n"),
        "{}",
        result.stderr
    );

    // `subcommands`' own words, with no prefix (`fmt.Fprintf(flg.Error, …)`), and exit 1.
    let result = f.run(&["flags", "bake"]);
    result.assert_printed(1, "", "Subcommand bake not understood\n");
    // No top-level flag is defined, nor any for the other subcommands: nothing to describe,
    // and no error.
    for args in [
        &["flags"][..],
        &["flags", "summary"],
        &["flags", "help"],
        &["flags", "flags"],
        &["flags", "commands"],
    ] {
        let result = f.run(args);
        assert_eq!(
            (result.code, result.stdout.as_str(), result.stderr.as_str()),
            (0, "", ""),
            "{args:?}"
        );
    }
    // Go `subcommands` lists the commands as `main.go` registers them, `summary` before
    // `build` (libbuildpack packager/buildpack-packager/main.go, subcommands.go `lister`).
    f.run(&["commands"])
        .assert_printed(0, "help\nflags\ncommands\nsummary\nbuild\n", "");
    let result = f.run(&["commands", "extra"]);
    assert_eq!((result.code, result.stdout.as_str()), (2, ""));
    assert!(result.stderr.starts_with("commands:\n"));
}

/// A flag before the subcommand is a top-level flag, and there are none: Go names it as
/// defined (`-cached`), not as typed (`--cached=true`).
#[test]
fn an_unknown_top_level_flag_is_named_as_go_names_it() {
    let f = fixture();
    let result = f.run(&["--cached=true", "build", "-any-stack"]);
    result.assert_stderr_starts(
        2,
        "flag provided but not defined: -cached\nUsage: buildpack-packager",
    );
}

#[test]
fn a_failed_build_exits_1_with_the_reason() {
    let f = fixture();
    let result = f.run(&["build", "-stack", "cflinuxfs9"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr.lines().last().unwrap(),
        format!(
            "buildpack-packager: error while creating zipfile: Stack `cflinuxfs9` not found in manifest {}/manifest.yml: its dependencies are for cflinuxfs4; package for one of those, or use --any-stack",
            f.root.display()
        )
    );
    assert_eq!(result.stdout, "");
}

#[test]
fn summary_prints_the_go_markdown() {
    let f = fixture();
    let result = f.run(&["summary"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        result.stdout,
        "\nPackaged binaries:\n\n| name | version | cf_stacks |\n|-|-|-|\n| lib | 1.10 | cflinuxfs4 |\n\nDefault binary versions:\n\n| name | version |\n|-|-|\n| lib | 1.10.x |\n\n"
    );
}

/// A key the summary shows written as the wrong type is yaml.Unmarshal's error to the Go
/// packager (exit 1); the summary came out without that row, exit 0.
#[test]
fn summary_of_a_manifest_with_an_item_of_the_wrong_type_fails() {
    let f = fixture();
    write(
        &f.root,
        "manifest.yml",
        "---\nlanguage: x\ndependencies:\n- ruby\n",
    );
    let result = f.run(&["summary"]);
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (
            1,
            "",
            "buildpack-packager: error reading dependencies from manifest: manifest.yml:4:3: dependencies[0]: expected a mapping of keys, found a string; write the item as `- name: ruby`, its other keys indented under it\n"
        )
    );
}

/// The drop-in reads the working folder's manifest.yml: run elsewhere, it says where to run.
#[test]
fn summary_without_a_manifest_says_where_to_run() {
    let f = fixture();
    fs::remove_file(f.root.join("manifest.yml")).unwrap();
    let result = f.run(&["summary"]);
    assert_eq!(
        (result.code, result.stdout.as_str(), result.stderr.as_str()),
        (
            1,
            "",
            "buildpack-packager: error reading dependencies from manifest: cannot read manifest.yml: no such file; run buildpack-packager in the buildpack's folder (the one holding manifest.yml)\n"
        )
    );
}

/// The Go packager reads a profile only when `-profile` chooses it: a manifest keeping a stale
/// profile (excluding a dependency since removed) or one with a name that cannot be part of a
/// zip name still packages without it, and only choosing that profile fails.
#[test]
fn a_bad_profile_fails_only_when_chosen() {
    let f = fixture();
    let manifest = fs::read_to_string(f.root.join("manifest.yml")).unwrap();
    write(
        &f.root,
        "manifest.yml",
        format!(
            "{manifest}packaging_profiles:\n  stale:\n    description: Leaves out a removed agent.\n    exclude: [old-agent]\n  Big Name:\n    description: Not a file name part.\n    exclude: [lib]\n  minimal:\n    description: No lib.\n    exclude: [lib]\n"
        ),
    );
    let result = f.run(&["build", "-any-stack"]);
    assert_built(&result, "uncached", &f.zip("sample_buildpack-v1.2.3.zip"));
    assert!(
        result
            .stderr
            .contains("manifest.yml has 2 warnings; `bpkit validate` lists them"),
        "{}",
        result.stderr
    );
    f.build(
        &["build", "-cached", "-any-stack", "-profile", "minimal"],
        "cached",
        "sample_buildpack-cached-minimal-v1.2.3.zip",
    );

    let result = f.run(&["build", "-cached", "-any-stack", "-profile", "stale"]);
    assert_eq!(result.stdout, "");
    result.assert_last_line(
        1,
        &format!(
            "buildpack-packager: error while creating zipfile: profile `stale` names `old-agent`, which is not a dependency in {}/manifest.yml; use the `name` of an entry under `dependencies:`",
            f.root.display()
        ),
    );
    let result = f.run(&["build", "-cached", "-any-stack", "-profile", "Big Name"]);
    assert_eq!(result.stdout, "");
    result.assert_last_line(
        1,
        &format!(
            "buildpack-packager: error while creating zipfile: profile name `Big Name` in {}/manifest.yml is invalid: a profile's name becomes part of the zip's file name, so it must match ^[a-z0-9_-]+$; rename it under `packaging_profiles:`",
            f.root.display()
        ),
    );
}

/// Go's `sort.Sort` is not stable: past 12 rows it partitions, so rows equal in name and
/// version (one per stack) can swap, and the semver-else-text comparison, which is not a total
/// order when both kinds of version are mixed, still gives one answer. The expected rows are
/// Go's order, from a separate replay of its sort package's steps; a stable sort keeps
/// `ruby 2.1.6 lucid64` first, and Rust's sort may panic on the inconsistent comparison.
#[test]
fn summary_rows_come_in_the_order_of_go_sort() {
    let f = fixture();
    let deps = [
        ("ruby", "2.2.2", "lucid64"),
        ("ruby", "2.2.2", "cflinuxfs2"),
        ("ruby", "2.1.6", "lucid64"),
        ("ruby", "2.1.6", "cflinuxfs2"),
        ("ruby", "2.0.0", "lucid64"),
        ("ruby", "2.0.0", "cflinuxfs2"),
        ("libyaml", "0.1.6", "lucid64"),
        ("libyaml", "0.1.6", "cflinuxfs2"),
        ("jdk", "1.10.0", "s"),
        ("jdk", "1.9.0", "s"),
        ("jdk", "1.2.0.1", "s"),
        ("jdk", "1.9.0.1", "s"),
        ("ruby", "2.2.1", "lucid64"),
        ("ruby", "2.2.1", "cflinuxfs2"),
        ("node", "0.12.2", "s"),
        ("jdk", "1.10.0.2", "s"),
    ];
    let mut manifest = String::from("---\nlanguage: ruby\ndependencies:\n");
    for (name, version, stack) in deps {
        writeln!(
            manifest,
            "- {{name: {name}, version: {version}, uri: https://example.invalid/{name}-{version}-{stack}.tgz, sha256: {}, cf_stacks: [{stack}]}}",
            "0".repeat(64)
        )
        .unwrap();
    }
    write(&f.root, "manifest.yml", &manifest);
    let result = f.run(&["summary"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        result.stdout,
        "\nPackaged binaries:\n\n| name | version | cf_stacks |\n|-|-|-|\n\
         | jdk | 1.10.0 | s |\n| jdk | 1.10.0.2 | s |\n| jdk | 1.2.0.1 | s |\n\
         | jdk | 1.9.0 | s |\n| jdk | 1.9.0.1 | s |\n\
         | libyaml | 0.1.6 | lucid64 |\n| libyaml | 0.1.6 | cflinuxfs2 |\n\
         | node | 0.12.2 | s |\n\
         | ruby | 2.0.0 | lucid64 |\n| ruby | 2.0.0 | cflinuxfs2 |\n\
         | ruby | 2.1.6 | cflinuxfs2 |\n| ruby | 2.1.6 | lucid64 |\n\
         | ruby | 2.2.1 | lucid64 |\n| ruby | 2.2.1 | cflinuxfs2 |\n\
         | ruby | 2.2.2 | lucid64 |\n| ruby | 2.2.2 | cflinuxfs2 |\n\n"
    );
}

#[test]
fn the_ruby_gem_flags() {
    let f = fixture();
    let result = f.run(&["--list"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        result.stdout,
        "| name | version | cf_stacks  |\n|------|---------|------------|\n| lib  | 1.10    | cflinuxfs4 |\n"
    );
    let result = f.run(&["--defaults"]);
    assert_eq!(
        result.stdout,
        "| name | version |\n|------|---------|\n| lib  | 1.10.x  |\n"
    );

    let zip = f.build(
        &[
            "--uncached",
            "--any-stack",
            "--use-custom-manifest=other.yml",
        ],
        "uncached",
        "other_buildpack-v1.2.3.zip",
    );
    assert!(zip_text(&zip, "manifest.yml").contains("language: other"));

    let zip = f.build(
        &["--cached", "--stack=cflinuxfs4", "--force-download"],
        "cached",
        "sample_buildpack-cached-cflinuxfs4-v1.2.3.zip",
    );
    // Where the gem put it, and compile-extensions looks: the URI with `/`, `:` (and `?`,
    // `&`) made `_`, right under dependencies/; the packaged manifest's `file:` says so too.
    let uri = format!(
        "file://{}",
        f.root.parent().unwrap().join("deps/lib-1.10.tgz").display()
    );
    let path = format!("dependencies/{}", uri.replace(['/', ':'], "_"));
    assert!(
        zip_map(&zip).contains_key(&path),
        "{:?}",
        zip_map(&zip).keys()
    );
    assert!(
        zip_text(&zip, "manifest.yml").contains(&format!("file: {path}\n")),
        "{}",
        zip_text(&zip, "manifest.yml")
    );
    let verified = run(common::bin::bpkit().arg("verify").arg(&zip));
    assert_eq!(verified.code, 0, "{}{}", verified.stdout, verified.stderr);

    // The Ruby command line is told its own spelling of the stack flags.
    let result = f.run(&["--cached"]);
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        "buildpack-packager: error: must either specify a stack (--stack=STACK) or pass --any-stack\n"
    );
    let result = f.run(&["--uncached", "--stack=cflinuxfs4", "--any-stack"]);
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            "buildpack-packager: error: cannot specify a stack AND pass --any-stack\n"
        )
    );
    // `--stack=` names no stack: said so, not that it "contains ` `".
    let result = f.run(&["--uncached", "--stack="]);
    result.assert_printed(
        1,
        "",
        "buildpack-packager: error while creating zipfile: The stack `` cannot be part of the zip's file name (it is empty); use a stack name such as cflinuxfs4\n",
    );
    // OptionParser prints the gem's help on stdout (bin/buildpack-packager: `puts opts`).
    let result = f.run(&["--cached", "--help"]);
    result.assert_printed(0, GEM_HELP, "");
    // A wrong option ends the gem with OptionParser's uncaught error: exit 1, not Go's 2.
    let result = f.run(&["--cached", "--bogus"]);
    result.assert_printed(1, "", &format!("invalid option: --bogus\n{GEM_HELP}"));
    let result = f.run(&["--cached", "--use-custom-manifest"]);
    result.assert_printed(
        1,
        "",
        &format!("missing argument: --use-custom-manifest\n{GEM_HELP}"),
    );
    // A switch given a value is OptionParser's NeedlessArgument, where `--cached=false` built a
    // cached zip and `--any-stack=false` packaged for any stack.
    for (args, given) in [
        (["--cached=false", "--any-stack"], "--cached=false"),
        (["--uncached", "--any-stack=false"], "--any-stack=false"),
        (["--uncach=no", "--any-stack"], "--uncach=no"),
        (["--list=x", "--any-stack"], "--list=x"),
        (["--cached", "--force-download="], "--force-download="),
        (["--help=1", "--cached"], "--help=1"),
    ] {
        let result = f.run(&args);
        result.assert_printed(1, "", &format!("needless argument: {given}\n{GEM_HELP}"));
    }
    assert!(!f.root.join("sample_buildpack-cached-v1.2.3.zip").exists());
    // No mode: the gem's `puts optparser; exit 1`, the help on stdout.
    let result = f.run(&["--use-custom-manifest=other.yml"]);
    result.assert_printed(1, GEM_HELP, "");
    let result = f.run(&["--force-download"]);
    result.assert_printed(1, GEM_HELP, "");
    // A manifest that is not there: the gem's first check, in its words.
    for args in [
        &["--list", "--use-custom-manifest=nope.yml"][..],
        &["--cached", "--any-stack", "--use-custom-manifest=nope.yml"],
    ] {
        let result = f.run(args);
        result.assert_printed(1, "", "Could not find nope.yml\n");
    }
}

/// The packager's warnings name the cache's flag as the command line spells it, as its errors
/// do: Go's `-cachedir`, and for the gem, which has none, only the variable. They named
/// `--cache-dir`, which both refuse.
#[test]
fn warnings_name_the_flags_of_the_command_line_they_came_from() {
    let f = fixture();
    let manifest = fs::read_to_string(f.root.join("manifest.yml")).unwrap();
    let (without_list, _) = manifest.split_once("include_files:").unwrap();
    write(&f.root, "manifest.yml", without_list);
    write(&f.root, "lib/a.rb", "1");
    let warning = |fix: &str| {
        format!(
            "       **WARNING** the dependency cache lib/ is inside the buildpack and left out of the zip whole, so lib/a.rb in it is not packaged; keep the cache in a folder of its own ({fix}) or outside the buildpack\n"
        )
    };
    let go = f.run(&["build", "-cached", "-any-stack", "-cachedir", "lib"]);
    assert_eq!(go.code, 0, "{}", go.stderr);
    assert!(
        go.stderr.contains(&warning("-cachedir or BPKIT_CACHE_DIR")),
        "{}",
        go.stderr
    );
    let mut gem = f.command();
    gem.env("BPKIT_CACHE_DIR", f.root.join("lib"))
        .args(["--cached", "--any-stack"]);
    let gem = run(&mut gem);
    assert_eq!(gem.code, 0, "{}", gem.stderr);
    assert!(
        gem.stderr.contains(&warning("BPKIT_CACHE_DIR")),
        "{}",
        gem.stderr
    );
}

/// `--use-custom-manifest=` with nothing after the `=` is said to name no file, where the
/// gem's words alone (`Could not find `) named nothing.
#[test]
fn an_empty_custom_manifest_is_named_with_the_fix() {
    let f = fixture();
    for mode in ["--list", "--cached"] {
        let result = f.run(&[mode, "--use-custom-manifest="]);
        result.assert_printed(
            1,
            "",
            "Could not find the manifest: --use-custom-manifest= names no file; give it the manifest's path (--use-custom-manifest=PATH_TO_MANIFEST)\n",
        );
    }
}

/// A custom manifest that cannot be read is named with the OS's reason; only a folder gets
/// the fix that says to give the file in it.
#[test]
fn an_unreadable_custom_manifest_is_named_with_its_reason() {
    let f = fixture();
    // Reading /proc/self/mem from its start fails (EIO): nothing is mapped at address 0.
    f.run(&["--list", "--use-custom-manifest=/proc/self/mem"])
        .assert_printed(
            1,
            "",
            "buildpack-packager: error: cannot read /proc/self/mem: Input/output error (os error 5)\n",
        );
    fs::create_dir(f.root.join("folder")).unwrap();
    let result = f.run(&["--list", "--use-custom-manifest=folder"]);
    assert!(
        result
            .stderr
            .ends_with("; give --use-custom-manifest the manifest file in it\n"),
        "{}",
        result.stderr
    );
}

/// The gem's help as its OptionParser prints it, with bpkit's two stack options.
const GEM_HELP: &str = "\
USAGE: buildpack-packager < --cached | --uncached | --list | --defaults >
        --cached                     Package dependencies with the built buildpack.
        --uncached                   Will NOT package dependencies with the built buildpack.
        --list                       List dependencies supported by the buildpack.
        --defaults                   List default dependency versions specified by the buildpack.
        --force-download             Force dependencies to be downloaded from the internet. (default is false)
        --use-custom-manifest=PATH_TO_MANIFEST
                                     Use a custom manifest, passing the path as an argument.
        --stack=STACK                Package for one stack (bpkit; not an option of the gem's).
        --any-stack                  Package for any stack (bpkit; not an option of the gem's).
    -h, --help                       Show this message
";

/// Two URIs the gem's layout names alike cannot share one file: refused, naming both.
#[test]
fn the_ruby_gem_layout_refuses_two_uris_it_names_alike() {
    let f = fixture();
    let base = f.root.parent().unwrap().to_path_buf();
    let one = write(&base, "deps/a/b.tgz", b"one");
    let two = write(&base, "deps/a_b.tgz", b"two");
    let manifest = format!(
        "language: sample\ndependencies:\n- {{name: one, version: 1.0.0, uri: 'file://{}', sha256: {}, cf_stacks: [cflinuxfs4]}}\n- {{name: two, version: 1.0.0, uri: 'file://{}', sha256: {}, cf_stacks: [cflinuxfs4]}}\n",
        one.display(),
        sha256_hex(b"one"),
        two.display(),
        sha256_hex(b"two")
    );
    write(&f.root, "alike.yml", &manifest);
    let result = f.run(&["--cached", "--any-stack", "--use-custom-manifest=alike.yml"]);
    let path = format!(
        "dependencies/{}",
        format!("file://{}", two.display()).replace(['/', ':'], "_")
    );
    assert_eq!(result.stdout, "");
    result.assert_last_line(
        1,
        &format!(
            "buildpack-packager: error while creating zipfile: the dependencies at file://{} and file://{} would both be {path} in the Ruby gem's layout of a cached zip (which writes each `/`, `:`, `?` and `&` of a URI as `_`), and one file cannot be both; change one of the URIs, or package with `buildpack-packager build -cached` (the Go layout)",
            one.display(),
            two.display()
        ),
    );
    assert!(!f.zip("sample_buildpack-cached-v1.2.3.zip").exists());
    // A URI the gem's naming cannot read one way only is refused before anything downloads.
    write(
        &f.root,
        "ambiguous.yml",
        format!(
            "language: sample\ndependencies:\n- {{name: one, version: 1.0.0, uri: 'http://127.0.0.1:9/pkg@latest/x.tgz', sha256: {}, cf_stacks: [cflinuxfs4]}}\n",
            sha256_hex(b"one")
        ),
    );
    let result = f.run(&[
        "--cached",
        "--any-stack",
        "--use-custom-manifest=ambiguous.yml",
    ]);
    result.assert_last_line(
        1,
        "buildpack-packager: error while creating zipfile: the URI http://-redacted-:-redacted-@latest/x.tgz reads two ways, as `user:password@host` (a password holding a raw `/`) or as a host and a path holding an `@`, and the Ruby gem's layout of a cached zip names its file after one of them; percent-encode the `/` in the password (%2F) or the `@` in the path (%40), or package with `buildpack-packager build -cached` (the Go layout)",
    );
    // A URI longer than a file name, which the gem's layout names the file after whole, is
    // refused before anything downloads, where the zip held a name unzip cannot create
    // ('File name too long') and verify called it valid.
    let folder = "q".repeat(250);
    let long = format!("http://127.0.0.1:9/deps/{folder}/x.tgz");
    write(
        &f.root,
        "long.yml",
        format!(
            "language: sample\ndependencies:\n- {{name: one, version: 1.0.0, uri: '{long}', sha256: {}, cf_stacks: [cflinuxfs4]}}\n",
            sha256_hex(b"one")
        ),
    );
    let result = f.run(&["--cached", "--any-stack", "--use-custom-manifest=long.yml"]);
    result.assert_last_line(
        1,
        &format!(
            "buildpack-packager: error while creating zipfile: the dependency at {long} would be named after its whole URI in the Ruby gem's layout of a cached zip (each `/`, `:`, `?` and `&` written as `_`), a file name of 280 bytes, more than the 255 a file name holds, so no extractor could create it; shorten the URI, or package with `buildpack-packager build -cached` (the Go layout, which names the file after the URI's last segment)"
        ),
    );
    assert!(!f.zip("sample_buildpack-cached-v1.2.3.zip").exists());
    // A `\` the gem's name would keep (a folder separator to some extractors, and verify
    // refuses the zip) is refused too, where the zip was written.
    let backslash = "http://127.0.0.1:9/deps/x.tgz?a=b\\c";
    write(
        &f.root,
        "backslash.yml",
        format!(
            "language: sample\ndependencies:\n- {{name: one, version: 1.0.0, uri: '{backslash}', sha256: {}, cf_stacks: [cflinuxfs4]}}\n",
            sha256_hex(b"one")
        ),
    );
    let result = f.run(&[
        "--cached",
        "--any-stack",
        "--use-custom-manifest=backslash.yml",
    ]);
    result.assert_last_line(
        1,
        "buildpack-packager: error while creating zipfile: the dependency at http://127.0.0.1:9/deps/x.tgz?a=b\\c would be named after its whole URI in the Ruby gem's layout of a cached zip, keeping its `\\`, which extractors read as a folder separator or which splits the lines of every listing (`bpkit verify` refuses such a zip); percent-encode it in the URI (%5C), or package with `buildpack-packager build -cached` (the Go layout)",
    );
    assert!(!f.zip("sample_buildpack-cached-v1.2.3.zip").exists());
    // The Go packager's command line keeps the Go layout, where the two differ.
    let zip = f.build(
        &["build", "-cached", "-any-stack"],
        "cached",
        "sample_buildpack-cached-v1.2.3.zip",
    );
    assert!(
        zip_map(&zip)
            .keys()
            .all(|k| !k.starts_with("dependencies/file_"))
    );
}

/// The gem's layout names a file after its whole URI: a name of 255 bytes, the most a file
/// name holds, is packaged; one of 256 is refused before anything is read.
#[test]
fn the_ruby_gem_layout_takes_a_name_of_255_bytes_and_no_more() {
    let f = fixture();
    let base = f.root.parent().unwrap().to_path_buf();
    // `file://BASE/deps/FOLDER/x.tgz`, its name as long as the URI.
    let around = format!("file://{}/deps//x.tgz", base.display()).len();
    for (bytes, built) in [(255, true), (256, false)] {
        let folder = "q".repeat(bytes - around);
        let file = write(&base, &format!("deps/{folder}/x.tgz"), b"edge");
        let uri = format!("file://{}", file.display());
        assert_eq!(uri.len(), bytes);
        write(
            &f.root,
            "edge.yml",
            format!(
                "language: sample\ndependencies:\n- {{name: one, version: 1.0.0, uri: '{uri}', sha256: {}, cf_stacks: [cflinuxfs4]}}\n",
                sha256_hex(b"edge")
            ),
        );
        let args = ["--cached", "--any-stack", "--use-custom-manifest=edge.yml"];
        let zip = f.zip("sample_buildpack-cached-v1.2.3.zip");
        if built {
            f.build(&args, "cached", "sample_buildpack-cached-v1.2.3.zip");
            let name = format!("dependencies/{}", uri.replace(['/', ':'], "_"));
            assert_eq!(zip_map(&zip)[&name].data, b"edge");
            fs::remove_file(&zip).unwrap();
        } else {
            let result = f.run(&args);
            result.assert_last_line(
                1,
                &format!(
                    "buildpack-packager: error while creating zipfile: the dependency at {uri} would be named after its whole URI in the Ruby gem's layout of a cached zip (each `/`, `:`, `?` and `&` written as `_`), a file name of 256 bytes, more than the 255 a file name holds, so no extractor could create it; shorten the URI, or package with `buildpack-packager build -cached` (the Go layout, which names the file after the URI's last segment)"
                ),
            );
            assert!(!zip.exists());
        }
    }
}

/// OptionParser takes any unambiguous abbreviation of a long option, word by word, so scripts
/// of the gem's time may carry them.
#[test]
fn the_ruby_gem_flags_abbreviated() {
    let f = fixture();
    let zip = f.build(
        &["--uncach", "--any", "--use-custom=other.yml"],
        "uncached",
        "other_buildpack-v1.2.3.zip",
    );
    assert!(zip_text(&zip, "manifest.yml").contains("language: other"));
    f.build(
        &["--c", "--s", "cflinuxfs4", "--f-d"],
        "cached",
        "sample_buildpack-cached-cflinuxfs4-v1.2.3.zip",
    );
    let result = f.run(&["--l"]);
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    assert!(
        result
            .stdout
            .starts_with("| name | version | cf_stacks  |\n")
    );
    let result = f.run(&["--cached", "--u"]);
    result.assert_stderr_starts(1, "ambiguous option: --u\nUSAGE: buildpack-packager <");
    // OptionParser reads an `_` in a long option's name as a `-`, so `--use_custom_manifest`
    // is the gem's flag, where it was `invalid option` (and `--any_stack` not a gem command
    // line at all).
    let zip = f.build(
        &[
            "--use_custom_manifest=other.yml",
            "--any_stack",
            "--uncached",
        ],
        "uncached",
        "other_buildpack-v1.2.3.zip",
    );
    assert!(zip_text(&zip, "manifest.yml").contains("language: other"));
    let result = f.run(&["--cached", "--any_stack=yes"]);
    result.assert_stderr_starts(
        1,
        "needless argument: --any_stack=yes\nUSAGE: buildpack-packager <",
    );
}

/// OptionParser takes an option's value from the next argument too (`--stack cflinuxfs4`),
/// which is then no argument of its own to ignore.
#[test]
fn the_ruby_gem_flags_take_their_values_from_the_next_argument() {
    let f = fixture();
    let zip = f.zip("other_buildpack-cached-cflinuxfs4-v1.2.3.zip");
    let result = f.run(&[
        "--cached",
        "--stack",
        "cflinuxfs4",
        "--use-custom-manifest",
        "other.yml",
    ]);
    assert_built_by_the_gem(&result, "cached", &zip);
    assert!(!result.stderr.contains("ignored"), "{}", result.stderr);
    assert!(zip_text(&zip, "manifest.yml").contains("language: other"));
}

/// The gem's older command line, `buildpack-packager cached|uncached` (`bundle exec
/// buildpack-packager uncached` in scripts and docs of its time), packages as its flags do;
/// from before stacks, it takes every stack unless given one.
#[test]
fn the_ruby_gem_positional_modes() {
    let f = fixture();
    f.build(&["uncached"], "uncached", "sample_buildpack-v1.2.3.zip");
    let zip = f.build(
        &["cached", "--use-custom-manifest=other.yml"],
        "cached",
        "other_buildpack-cached-v1.2.3.zip",
    );
    // The gem's layout, as with its flags.
    assert!(
        zip_map(&zip)
            .keys()
            .any(|k| k.starts_with("dependencies/file____") && k.ends_with("_deps_lib-1.10.tgz"))
    );
    f.build(
        &["cached", "--stack=cflinuxfs4"],
        "cached",
        "sample_buildpack-cached-cflinuxfs4-v1.2.3.zip",
    );
    // Only as the first word: a mode word anywhere else is no option of the gem's.
    let result = f.run(&["--use-custom-manifest=other.yml", "cached"]);
    result.assert_stderr_starts(1, "invalid option: cached\n");
    // Nor is another word a mode.
    let result = f.run(&["online"]);
    result.assert_stderr_starts(2, "buildpack-packager: unknown subcommand `online`\n");
    // Another word among the options is left in ARGV by OptionParser, and ignored by the gem:
    // so by bpkit, with a warning, where it was refused as `invalid option: cflinuxfs4`.
    let result = f.run(&["--cached", "--any-stack", "cflinuxfs4"]);
    assert_built_by_the_gem(
        &result,
        "cached",
        &f.zip("sample_buildpack-cached-v1.2.3.zip"),
    );
    assert!(
        result.stderr.starts_with(
            "       **WARNING** ignored `cflinuxfs4`: the gem's command line takes options only (`--stack=STACK`, not `STACK`)\n"
        ),
        "{}",
        result.stderr
    );
}

/// Paths are taken byte for byte (Linux file names need not be UTF-8); other values must be
/// UTF-8 and are refused with Go `flag`'s "invalid value" usage error, never silently changed.
#[test]
fn a_non_utf8_path_reaches_the_packager_unchanged() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;

    let f = fixture();
    let base = f.root.parent().unwrap();
    let cache = base.join(OsString::from_vec(b"cach\xe9".to_vec()));
    let result = run(f
        .command()
        .args(["build", "-any-stack", "-cached", "-cachedir"])
        .arg(&cache));
    let zip = f.zip("sample_buildpack-cached-v1.2.3.zip");
    assert_built(&result, "cached", &zip);
    let entries: Vec<_> = fs::read_dir(cache.join("dependencies"))
        .unwrap()
        .map(|e| e.unwrap().path().join("lib-1.10.tgz").exists())
        .collect();
    assert_eq!(
        entries,
        [true],
        "the cache is the folder named by those bytes"
    );

    let manifest = base.join(OsString::from_vec(b"m\xe9.yml".to_vec()));
    fs::copy(f.root.join("other.yml"), &manifest).unwrap();
    let mut flag = OsString::from("--use-custom-manifest=");
    flag.push(&manifest);
    let result = run(f.command().args(["--uncached", "--any-stack"]).arg(flag));
    let zip = f.zip("other_buildpack-v1.2.3.zip");
    assert_built_by_the_gem(&result, "uncached", &zip);

    let result = run(f
        .command()
        .args(["build", "-any-stack", "-version"])
        .arg(OsString::from_vec(b"1.0\xff".to_vec())));
    assert_eq!((result.code, result.stdout.as_str()), (2, ""));
    assert!(
        result.stderr.starts_with(
            "invalid value \"1.0\u{fffd}\" for flag -version: not valid UTF-8; only a path may be other bytes\nbuild -stack <stack>|-any-stack"
        ),
        "{}",
        result.stderr
    );
}

/// Scripts take the zip's path from the success line, so it is printed byte for byte, as Go's
/// `fmt` prints it (and as `bpkit package` prints its path), where a folder whose name is not
/// UTF-8 was shown with U+FFFD for its bytes, which names no file. The gem's line escapes each
/// such byte with a `\`, as it escapes any other byte a shell would read otherwise.
#[test]
fn the_success_line_prints_a_path_that_is_not_utf8_byte_for_byte() {
    use std::ffi::OsString;
    use std::os::unix::ffi::{OsStrExt, OsStringExt};

    let f = fixture();
    let folder = f
        .root
        .with_file_name(OsString::from_vec(b"bp-\xe9t\xe9".to_vec()));
    fs::rename(&f.root, &folder).unwrap();
    let output = f
        .command()
        .current_dir(&folder)
        .args(["build", "-any-stack"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let zip = folder.join("sample_buildpack-v1.2.3.zip");
    let size = fs::metadata(&zip).unwrap().len() / 1024 / 1024;
    let mut expected = b"uncached buildpack created and saved as ".to_vec();
    expected.extend_from_slice(zip.as_os_str().as_bytes());
    expected.extend_from_slice(format!(" with a size of {size}MB\n").as_bytes());
    assert_eq!(output.stdout, expected);

    let output = f
        .command()
        .current_dir(&folder)
        .args(["--cached", "--any-stack"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let zip = folder.join("sample_buildpack-cached-v1.2.3.zip");
    let du = Command::new("du").arg("-h").arg(&zip).output().unwrap();
    let du = String::from_utf8_lossy(&du.stdout);
    let size = du.split('\t').next().unwrap();
    let mut expected = b"Cached buildpack created and saved as ".to_vec();
    // The temporary folder above it has only letters, digits, `.` and `/`, left as they are.
    expected.extend_from_slice(folder.parent().unwrap().as_os_str().as_bytes());
    expected.extend_from_slice(b"/bp-\\\xe9t\\\xe9/sample_buildpack-cached-v1.2.3.zip");
    expected.extend_from_slice(format!(" with a size of {size}\n").as_bytes());
    assert_eq!(output.stdout, expected);
}

/// A manifest that is there but is no file gets the fix in the gem's own words (it has no DIR,
/// only `--use-custom-manifest`), for `--list` and `--defaults` as when packaging, where the
/// first said no fix and the second named bpkit's DIR.
#[test]
fn a_custom_manifest_that_is_a_folder_or_a_device_gets_the_gems_fix() {
    let f = fixture();
    let folder = f.root.join("lib");
    fs::create_dir_all(&folder).unwrap();
    let flag = format!("--use-custom-manifest={}", folder.display());
    for args in [
        vec!["--list", flag.as_str()],
        vec!["--cached", "--any-stack", flag.as_str()],
    ] {
        let prefix = if args[0] == "--list" {
            "error"
        } else {
            "error while creating zipfile"
        };
        f.run(&args).assert_last_line(
            1,
            &format!(
                "buildpack-packager: {prefix}: cannot read {}: it is a folder, not a file; give --use-custom-manifest the manifest file in it",
                folder.display()
            ),
        );
    }
    f.run(&["--defaults", "--use-custom-manifest=/dev/null"]).assert_last_line(
        1,
        "buildpack-packager: error: cannot read /dev/null: it is a character device, not a file; give the buildpack's manifest.yml, a regular file",
    );
}

/// The packager's errors name its `--cache-dir`, which neither command line has: Go's is
/// `-cachedir`, and the gem has only the variable. `--cache-dir` there was `flag provided but
/// not defined` or `invalid option`.
#[test]
fn a_cache_error_names_the_flag_of_the_command_line_used() {
    let f = fixture();
    let file = f.root.parent().unwrap().join("afile");
    fs::write(&file, "").unwrap();
    let result = run(f
        .command()
        .args(["build", "-any-stack", "-cached", "-cachedir"])
        .arg(&file));
    result.assert_last_line(
        1,
        &format!(
            "buildpack-packager: error while creating zipfile: the dependency cache {} is a file, not a folder; point -cachedir (or BPKIT_CACHE_DIR) at a folder, which is created when missing",
            file.display()
        ),
    );
    let result = run(f
        .command()
        .env("BPKIT_CACHE_DIR", &file)
        .args(["--cached", "--any-stack"]));
    result.assert_last_line(
        1,
        &format!(
            "buildpack-packager: error while creating zipfile: the dependency cache {} is a file, not a folder; point BPKIT_CACHE_DIR at a folder, which is created when missing",
            file.display()
        ),
    );
}
