//! `bpkit validate`: the broken manifests under fixtures/manifests each get their exact message,
//! and every real manifest of the official buildpacks validates (issue 2).
#![allow(clippy::unwrap_used)]

mod common;

use common::bin::{bpkit, repo_root, run};

/// Validate a fixture manifest; returns (exit code, stdout).
fn validate(case: &str) -> (i32, String) {
    let root = repo_root();
    let result = run(bpkit()
        .current_dir(&root)
        .args(["validate", &format!("fixtures/manifests/{case}")]));
    (result.code, result.stdout)
}

fn assert_single_error(case: &str, expected: &str) {
    let (code, stdout) = validate(case);
    assert_eq!(
        stdout,
        format!("fixtures/manifests/{case}/manifest.yml:{expected}\n"),
        "case {case}"
    );
    assert_eq!(code, 1, "case {case}");
}

#[test]
fn missing_language() {
    assert_single_error(
        "missing-language",
        "2:1: error: language: required key is missing; add `language: <name>` at the top (the zip is named <name>_buildpack-…)",
    );
}

/// The packager refuses such a `language` in the zip's name, so validate does too.
#[test]
fn language_with_a_slash() {
    assert_single_error(
        "language-with-a-slash",
        "3:11: error: language: `../evil` cannot be part of the zip's file name (it contains `/`); use a name such as `ruby`",
    );
}

/// `version_from`'s `file:` is the app's: a path out of it is refused, as in `detect:`.
#[test]
fn version_file_outside_the_app() {
    assert_single_error(
        "version-file-outside-app",
        "13:11: error: install[0].version_from[0].file: `../.hello-version` goes up out of the app with `..`; write a path relative to the app's root folder, such as `.ruby-version`",
    );
}

/// The YAML library reports a tab-indented line at the end of the line before, and as "found a
/// tab" only: validate names the tab's own line and the fix.
#[test]
fn a_tab_in_the_indentation() {
    assert_single_error(
        "tab-indentation",
        "5:1: error: invalid YAML: a tab in the indentation; YAML indents with spaces",
    );
}

#[test]
fn dependency_without_checksum() {
    assert_single_error(
        "no-checksum",
        "4:3: error: dependencies[0].sha256: dependency bundler 2.6.5 has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)",
    );
}

#[test]
fn sha256_of_63_characters() {
    assert_single_error(
        "short-sha256",
        "7:11: error: dependencies[0].sha256: expected 64 hexadecimal characters, found 63; use the file's full sha256 (`sha256sum FILE`)",
    );
}

#[test]
fn two_defaults_for_one_name() {
    assert_single_error(
        "duplicate-default",
        "6:9: error: default_versions[1].name: a second default for ruby (the first is default_versions[0]); keep one default per dependency",
    );
}

#[test]
fn default_matching_no_dependency() {
    assert_single_error(
        "default-no-match",
        "5:12: error: default_versions[0].version: default ruby 3.4.x matches no dependency on any stack (the manifest has 3.2.4, 3.3.1); fix the version or add the dependency",
    );
}

#[test]
fn duplicate_name_version_stack_with_different_uri() {
    assert_single_error(
        "duplicate-dependency",
        "12:8: error: dependencies[1].uri: dependency ruby 3.2.4 for stack cflinuxfs4 is also dependencies[0] with a different uri; keep one entry per name, version and stack",
    );
}

#[test]
fn entries_sharing_a_uri_with_different_checksums() {
    assert_single_error(
        "shared-uri-checksums",
        "13:11: error: dependencies[1].sha256: expected cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc as dependencies[0].sha256 says, found 0bc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc: both entries have the uri https://example.invalid/ruby-3.2.4.tgz, and one file cannot match both; fix the checksum, or give the entries different uris",
    );
}

/// The Go packager looks at a profile only when it is chosen, so a bad one is a warning here
/// and packaging with another profile or none works; packaging with it is refused (compat.rs).
#[test]
fn a_profile_name_outside_lowercase_digits_dash_underscore() {
    let (code, stdout) = validate("bad-profile-name");
    assert_eq!(
        stdout,
        "fixtures/manifests/bad-profile-name/manifest.yml:11:3: warning: packaging_profiles.Minimal: profile name `Minimal` must match ^[a-z0-9_-]+$ (it becomes part of the zip name), so packaging with it fails\n"
    );
    assert_eq!(code, 0);
}

#[test]
fn include_files_with_parent_dir() {
    assert_single_error(
        "include-dotdot",
        "5:3: error: include_files[1]: `../secrets.txt` contains `..`; list only paths inside the buildpack",
    );
}

#[test]
fn url_mapping_with_an_invalid_regex() {
    assert_single_error(
        "url-map-bad-regex",
        "7:10: error: url_to_dependency_map[1].match: not a valid regular expression: unclosed group",
    );
}

/// Each `url_to_dependency_map` entry needs `match`, `name` and `version`, and a `$N` needs a
/// group N in `match`; `version: 0` (an integer, as in the Ruby-era manifests) is fine.
#[test]
fn url_mapping_with_missing_keys_or_groups() {
    let (code, stdout) = validate("url-map-incomplete");
    let file = "fixtures/manifests/url-map-incomplete/manifest.yml";
    assert_eq!(
        stdout,
        format!(
            "{file}:4:3: error: url_to_dependency_map[0].match: required key is missing; add the regular expression the URL must match\n\
             {file}:6:3: error: url_to_dependency_map[1].version: required key is missing; add the dependency version (`$1` stands for the first ( ) group of `match`)\n\
             {file}:7:9: error: url_to_dependency_map[1].name: expected a value, found nothing; add the dependency name (`$1` stands for the first ( ) group of `match`)\n\
             {file}:10:12: error: url_to_dependency_map[2].version: `$2` is not a capture group of `match`, which has 1 group; use $1\n"
        )
    );
    assert_eq!(code, 1);
}

#[test]
fn malformed_yaml_reports_line_and_column() {
    assert_single_error(
        "malformed-yaml",
        "6:7: error: invalid YAML: mapping values are not allowed in this context; a value holding `: ` must be quoted whole (`web: 'run --opt a: b'`), and a key must be indented as the keys beside it",
    );
}

#[test]
fn json_output_lists_every_finding() {
    let root = repo_root();
    let result = run(bpkit().current_dir(&root).args([
        "validate",
        "--json",
        "--manifest",
        "fixtures/manifests/short-sha256/manifest.yml",
    ]));
    assert_eq!(result.code, 1);
    let json: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["errors"], 1);
    let finding = &json["diagnostics"][0];
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["key_path"], "dependencies[0].sha256");
    assert_eq!(finding["line"], 7);
    assert_eq!(finding["column"], 11);
    assert!(
        result.stderr.is_empty(),
        "--json prints nothing else: {}",
        result.stderr
    );
}

#[test]
fn missing_manifest_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let result = run(bpkit().arg("validate").arg(dir.path()));
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: cannot read {}/manifest.yml: no such file; give the buildpack's folder (the one holding manifest.yml)\n",
            dir.path().display()
        )
    );
}

/// A Latin-1 `é` used to give "cannot read …: stream did not contain valid UTF-8", with no line
/// to look at and no fix; it is now a finding at the byte's line and column.
#[test]
fn a_byte_that_is_not_utf8_is_found_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.yml"),
        b"---\nlanguage: \xc3\xbc-caf\xe9\n",
    )
    .unwrap();
    let result =
        run(bpkit()
            .current_dir(dir.path())
            .args(["validate", "--manifest", "manifest.yml"]));
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stdout,
        "manifest.yml:2:16: error: invalid YAML: byte 0xE9 is not UTF-8 text; save the file as UTF-8\n"
    );
    // Packaging says the same, once.
    let result = run(bpkit()
        .current_dir(dir.path())
        .args(["package", ".", "--version", "1.0.0"]));
    assert_eq!(result.code, 1);
    assert_eq!(
        result.stderr,
        format!(
            "bpkit: error: {}/manifest.yml:2:16: invalid YAML: byte 0xE9 is not UTF-8 text; save the file as UTF-8\n",
            dir.path().canonicalize().unwrap().display()
        )
    );
}

#[test]
fn warnings_alone_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.yml"),
        "---\nlanguage: x\ndependencies:\n- name: a\n  version: 1.0.0\n  uri: https://example.invalid/a.tgz\n  md5: 900150983cd24fb0d6963f7d28e17f72\n  cf_stacks: [cflinuxfs4]\n",
    )
    .unwrap();
    let result = run(bpkit().arg("validate").arg(dir.path()));
    assert_eq!(result.code, 0, "{}", result.stdout);
    assert!(
        result
            .stdout
            .contains("warning: dependencies[0].md5: dependency a 1.0.0 has only an md5 checksum")
    );
}

/// Every manifest.yml of the official buildpacks (../shared/corpus) validates with exit 0.
#[test]
fn every_corpus_manifest_validates() {
    let corpus = std::env::var_os("BPKIT_CORPUS")
        .map_or_else(|| repo_root().join("../shared/corpus"), Into::into);
    if !corpus.is_dir() {
        println!(
            "skipped: no corpus at {} (set BPKIT_CORPUS)",
            corpus.display()
        );
        return;
    }
    let mut checked = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let manifest = entry.unwrap().path().join("manifest.yml");
        if !manifest.is_file() {
            continue;
        }
        let result = run(bpkit().args(["validate", "--manifest"]).arg(&manifest));
        assert_eq!(
            result.code,
            0,
            "{}:\n{}{}",
            manifest.display(),
            result.stdout,
            result.stderr
        );
        assert!(!result.stdout.contains(": error:"), "{}", result.stdout);
        checked += 1;
    }
    assert!(
        checked >= 17,
        "expected the 17 corpus manifests, found {checked}"
    );
}

/// A manifest that shares dependency fields through a YAML merge key (`<<: *common`), as Go's
/// YAML library reads it, validates, summarises and packages with the merged fields.
#[test]
fn merge_keys_share_dependency_fields() {
    let temp = tempfile::tempdir().unwrap();
    let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
    std::fs::write(
        temp.path().join("manifest.yml"),
        format!(
            "language: merged\ncommon: &common\n  cf_stacks: [cflinuxfs4]\n  sha256: {sha}\ndependencies:\n- <<: *common\n  name: a\n  version: 1.0.0\n  uri: https://deps.example.invalid/a.tgz\n- <<: *common\n  name: a\n  version: 2.0.0\n  uri: https://deps.example.invalid/a2.tgz\n  cf_stacks: [cflinuxfs5]\n"
        ),
    )
    .unwrap();
    std::fs::write(temp.path().join("VERSION"), "1.0.0\n").unwrap();
    let validated = run(bpkit().arg("validate").arg(temp.path()));
    assert_eq!(
        (validated.code, validated.stdout.as_str()),
        (0, ""),
        "{}",
        validated.stderr
    );
    let summary = run(bpkit().arg("summary").arg(temp.path()));
    assert_eq!(summary.code, 0, "{}", summary.stderr);
    assert!(
        summary
            .stdout
            .contains("| a | 1.0.0 | cflinuxfs4 |\n| a | 2.0.0 | cflinuxfs5 |\n"),
        "{}",
        summary.stdout
    );
    // The packaged manifest has the merged fields written out.
    let out = temp.path().join("out");
    let packaged = run(bpkit()
        .args(["-q", "package", "--stack", "cflinuxfs4", "--output-dir"])
        .arg(&out)
        .arg(temp.path()));
    assert_eq!(packaged.code, 0, "{}", packaged.stderr);
    let zip = std::path::PathBuf::from(packaged.stdout.trim_end());
    let manifest = common::buildpack::zip_text(&zip, "manifest.yml");
    assert!(
        manifest.contains(&format!(
            "dependencies:\n- sha256: {sha}\n  name: a\n  version: 1.0.0\n  uri: https://deps.example.invalid/a.tgz\n"
        )),
        "{manifest}"
    );
    assert!(!manifest.contains("<<"), "{manifest}");
}

/// Audit finding (JEP 322): Java-style defaults resolve as libbuildpack's
/// `isExactJEP322Constraint` short-circuit resolves them. `21.0.12.1` was refused ("matches no
/// dependency") though `21.0.12.1+1` is that release, and `21.0.12+10` chose `+11`; a build
/// the manifest lacks (`17.0.20+9` beside `+10`) stays an error.
#[test]
fn exact_java_style_defaults_choose_that_release() {
    let temp = tempfile::tempdir().unwrap();
    let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
    let manifest = |openjdk: &str| {
        format!(
            "language: x\ndefault_versions:\n- {{name: openjdk, version: '{openjdk}'}}\n- {{name: sap, version: '21.0.12.1'}}\ndependencies:\n- {{name: openjdk, version: '21.0.12+10', uri: 'https://e/a10', sha256: {sha}, cf_stacks: [cflinuxfs4]}}\n- {{name: openjdk, version: '21.0.12+11', uri: 'https://e/a11', sha256: {sha}, cf_stacks: [cflinuxfs4]}}\n- {{name: openjdk, version: '17.0.20+10', uri: 'https://e/o17', sha256: {sha}, cf_stacks: [cflinuxfs4]}}\n- {{name: sap, version: '21.0.12.1+1', uri: 'https://e/s', sha256: {sha}, cf_stacks: [cflinuxfs4]}}\n"
        )
    };
    let path = temp.path().join("manifest.yml");
    std::fs::write(&path, manifest("21.0.12+10")).unwrap();
    std::fs::write(temp.path().join("VERSION"), "1.0.0\n").unwrap();
    let validated = run(bpkit().arg("validate").arg(temp.path()));
    assert_eq!(
        (validated.code, validated.stdout.as_str()),
        (0, ""),
        "{}",
        validated.stderr
    );
    for (name, expected) in [("openjdk", "21.0.12+10"), ("sap", "21.0.12.1+1")] {
        let chosen = run(bpkit().arg("default-version-for").arg(&path).arg(name));
        assert_eq!(
            (chosen.code, chosen.stdout.as_str()),
            (0, expected),
            "{}",
            chosen.stderr
        );
    }

    std::fs::write(&path, manifest("17.0.20+9")).unwrap();
    let refused = run(bpkit().arg("validate").arg(temp.path()));
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stdout.contains(
            ":3:28: error: default_versions[0].version: default openjdk 17.0.20+9 matches no dependency on any stack"
        ),
        "{}",
        refused.stdout
    );
}

/// A buildpack moving to bpkit phase by phase links bin/detect to bpkit (README, "Migrating"):
/// with no `detect:` key that detect matches nothing, so validate says so; a detect that is
/// still a script, or a manifest with `detect:`, gets no such warning.
#[test]
fn bin_detect_linked_to_bpkit_without_detect_rules_is_warned_about() {
    let temp = tempfile::tempdir().unwrap();
    let bp = temp.path().join("bp");
    std::fs::create_dir_all(bp.join("bin")).unwrap();
    std::fs::write(bp.join("manifest.yml"), "---\nlanguage: lang\n").unwrap();
    std::fs::write(bp.join("bin/bpkit"), "#!/bin/sh\n").unwrap();
    std::fs::write(bp.join("bin/detect"), "#!/bin/sh\nexit 0\n").unwrap();
    let validate = || run(bpkit().current_dir(temp.path()).args(["validate", "bp"]));
    let script = validate();
    assert_eq!((script.code, script.stdout.as_str()), (0, ""));
    std::fs::remove_file(bp.join("bin/detect")).unwrap();
    std::os::unix::fs::symlink("bpkit", bp.join("bin/detect")).unwrap();
    let linked = validate();
    assert_eq!(
        (linked.code, linked.stdout.as_str()),
        (
            0,
            "bp/manifest.yml:2:1: warning: detect: bin/detect runs bpkit, which detects by this key, and the manifest has none, so no app is ever detected; add `detect:` with `any_of:` rules (README, \"Writing a buildpack\"), or keep bin/detect a script\n"
        )
    );
    // In the file's order with the other findings: its place (the document's start) is
    // before a later line's.
    std::fs::write(
        bp.join("manifest.yml"),
        "---\nlanguage: lang\nlanch_env: {}\n",
    )
    .unwrap();
    let with_a_typo = validate();
    let lines: Vec<&str> = with_a_typo.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", with_a_typo.stdout);
    assert!(
        lines[0].starts_with("bp/manifest.yml:2:1: warning: detect:"),
        "{lines:?}"
    );
    assert!(lines[1].starts_with("bp/manifest.yml:3:"), "{lines:?}");
    std::fs::write(
        bp.join("manifest.yml"),
        "---\nlanguage: lang\ndetect:\n  any_of:\n  - file: package.json\n",
    )
    .unwrap();
    let with_rules = validate();
    assert_eq!((with_rules.code, with_rules.stdout.as_str()), (0, ""));
}

/// A `mirrors:` rule whose prefix ends with `/` and whose replacement does not would join
/// names (`…/depsx.tgz`): an error naming the rule and the fix, in either form of the key.
#[test]
fn a_mirror_rule_missing_its_slash_is_an_error() {
    let temp = tempfile::tempdir().unwrap();
    for (form, mirrors, at) in [
        (
            "mapping",
            "mirrors:\n  https://deps.example.invalid/: file:///srv/deps\n",
            "4:3",
        ),
        (
            "list",
            "mirrors:\n- https://deps.example.invalid/=file:///srv/deps\n",
            "4:3",
        ),
    ] {
        let dir = temp.path().join(form);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(
            dir.join("manifest.yml"),
            format!("language: demo\ndependencies: []\n{mirrors}"),
        )
        .unwrap();
        let result = run(bpkit().current_dir(&dir).arg("validate"));
        assert_eq!(result.code, 1, "{form}: {}", result.stdout);
        assert_eq!(
            result.stdout,
            format!(
                "./manifest.yml:{at}: error: mirrors: the rule `https://deps.example.invalid/` → `file:///srv/deps`: the prefix ends with `/` and the replacement does not, which joins them without a `/` (`file:///srv/depsNAME`); end the replacement with `/` too\n"
            ),
            "{form}"
        );
    }
}

/// A `mirrors:` rule with an empty side says which side, in either form of the key, where an
/// empty replacement was a slash mismatch ("joins them without a `/` (`NAME`)").
#[test]
fn a_mirror_rule_with_an_empty_side_says_which() {
    let temp = tempfile::tempdir().unwrap();
    for (form, mirrors) in [
        ("mapping", "mirrors:\n  https://deps.example.invalid/: ''\n"),
        ("list", "mirrors:\n- 'https://deps.example.invalid/= '\n"),
    ] {
        let dir = temp.path().join(form);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(
            dir.join("manifest.yml"),
            format!("language: demo\ndependencies: []\n{mirrors}"),
        )
        .unwrap();
        let result = run(bpkit().current_dir(&dir).arg("validate"));
        assert_eq!(result.code, 1, "{form}: {}", result.stdout);
        assert_eq!(
            result.stdout,
            format!(
                "./manifest.yml:4:3: error: mirrors: the rule `https://deps.example.invalid/` → ``: the replacement is empty; write the mirror's URL there, as in https://buildpacks.cloudfoundry.org/=https://mirror.example/\n"
            ),
            "{form}"
        );
    }
}

/// `[` or `{` nested past the YAML scanner's 255 levels said only "invalid YAML: recursion
/// limit exceeded", with no fix, where `- - - …` nested as deep names the nesting; both now
/// say what is too deep, in `validate` and `--json` alike.
#[test]
fn flow_collections_nested_too_deep_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.yml");
    for (open, close, column) in [("[", "]", 259), ("{a: ", "}", 1024)] {
        std::fs::write(
            &manifest,
            format!(
                "language: demo\nx: {}{}\n",
                open.repeat(100_000),
                close.repeat(100_000)
            ),
        )
        .unwrap();
        let result = run(bpkit().arg("validate").arg("--manifest").arg(&manifest));
        assert_eq!(result.code, 1, "{}", result.stderr);
        assert_eq!(
            result.stdout,
            format!(
                "{}:2:{column}: error: invalid YAML: `[` and `{{` nested more than 255 levels deep; real documents need a few\n",
                manifest.display()
            )
        );
        let json = run(bpkit()
            .args(["validate", "--json", "--manifest"])
            .arg(&manifest));
        let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(
            json["diagnostics"][0]["message"],
            "invalid YAML: `[` and `{` nested more than 255 levels deep; real documents need a few"
        );
    }
}

/// An include_files or exclude_files glob that cannot be compiled (`[abc`, `{a,b`) made
/// `bpkit package` fail, but `bpkit validate` said the manifest was valid; it is an error in
/// both, naming the entry and the fix. (exclude_files beside include_files is ignored, as by
/// the Go packager, which a warning says.)
#[test]
fn invalid_file_patterns_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.yml");
    std::fs::write(
        &manifest,
        "language: demo\ninclude_files:\n- manifest.yml\n- '{a,b'\nexclude_files:\n- '[abc'\n- ok/\n",
    )
    .unwrap();
    let result = run(bpkit().arg("validate").arg("--manifest").arg(&manifest));
    assert_eq!(result.code, 1, "{}", result.stderr);
    let m = manifest.display();
    assert_eq!(
        result.stdout,
        format!(
            "{m}:4:3: error: include_files[1]: `{{a,b` is not a valid pattern: unclosed alternate group; missing '}}' (maybe escape '{{' with '[{{]'?); fix the pattern, or write a `[`, `{{`, `*` or `?` meant literally after a `\\`\n\
             {m}:5:1: warning: exclude_files: it is ignored, as include_files is set: the zip holds exactly what include_files lists (so did the Go packager's); remove exclude_files, and list less in include_files to leave those files out\n\
             {m}:6:3: error: exclude_files[0]: `[abc` is not a valid pattern: unclosed character class; missing ']'; fix the pattern, or write a `[`, `{{`, `*` or `?` meant literally after a `\\`\n"
        )
    );
}

/// A control character in the manifest's text (a NUL byte, an escape) said only "invalid
/// YAML: found unprintable character"; the message now says what it is and the fix.
#[test]
fn a_control_character_in_the_text_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.yml");
    std::fs::write(&manifest, "language: demo\u{0}\n").unwrap();
    let result = run(bpkit().arg("validate").arg("--manifest").arg(&manifest));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_eq!(
        result.stdout,
        format!(
            "{}:1:15: error: invalid YAML: found unprintable character; YAML text may not hold control characters such as a NUL byte: remove it (`cat -A` shows where), or write it as an escape in a double-quoted value (\"\\0\")\n",
            manifest.display()
        )
    );
}

/// A manifest `bpkit package --any-stack` refuses (packaged, over Cloud Controller's 1 MiB) was
/// called valid, so CI found out only when packaging; it is a warning naming the size and the
/// fix (one stack may bring it under the limit, so it is no error). Size in comments, which
/// packaging drops, and exactly 1 MiB get no such warning.
#[test]
fn a_manifest_too_large_to_package_for_any_stack_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.yml");
    let with = |tail: &str| format!("---\nlanguage: big\ndependencies: []\n{tail}");
    let padded = |size: usize| {
        let head = with("padding: ");
        format!("{head}{}\n", "x".repeat(size - head.len() - 1))
    };
    let size_warnings = |text: &str| {
        std::fs::write(&manifest, text).unwrap();
        let result = run(bpkit().arg("validate").arg("--manifest").arg(&manifest));
        assert_eq!(result.code, 0, "{}", result.stderr);
        result
            .stdout
            .lines()
            .filter(|line| !line.contains("padding"))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        size_warnings(&padded(1_200_000)),
        [format!(
            "{}: warning: packaged for any stack, manifest.yml would be 1200000 bytes, 151424 over the 1 MiB (1048576 bytes) Cloud Controller accepts, so `bpkit package --any-stack` refuses it; package for one stack (--stack) or drop old dependencies",
            manifest.display()
        )]
    );
    assert!(size_warnings(&padded(1 << 20)).is_empty());
    let commented = with(&format!("# {}\n", "x".repeat(1_200_000)));
    assert!(size_warnings(&commented).is_empty());

    // Under the limit uncached, over it cached: each dependency's `file:` key (CI pipelines
    // run `--cached --any-stack`).
    let dependency = format!(
        "---\nlanguage: big\ndependencies:\n- {{name: a, version: '1', uri: 'https://h/a.tgz', sha256: {}, cf_stacks: [s]}}\n",
        "a".repeat(64)
    );
    let head = format!("{dependency}padding: ");
    // The flow-style entry is written back in block style, a few bytes longer.
    let text = format!("{head}{}\n", "x".repeat((1 << 20) - head.len() - 30));
    let warnings = size_warnings(&text);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(": warning: packaged cached for any stack (each dependency with its `file:` key), manifest.yml would be ")
            && warnings[0].ends_with("so `bpkit package --cached --any-stack` refuses it; package for one stack (--stack), uncached, or drop old dependencies"),
        "{warnings:?}"
    );
}

/// A manifest whose path is not UTF-8: the findings name it byte for byte, and `--json`, whose
/// document names the manifest and cannot hold those bytes, refuses it before reading it, as
/// `package --json` and `fetch --json` refuse such a path, where both showed U+FFFD for its
/// bytes, naming no file. Given as `./manifest.yml` from inside that folder, it is UTF-8.
#[test]
fn a_manifest_whose_path_is_not_utf8_is_named_byte_for_byte_and_refused_by_json() {
    use std::ffi::OsString;
    use std::os::unix::ffi::{OsStrExt, OsStringExt};

    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(OsString::from_vec(b"bp-\xe9".to_vec()));
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("manifest.yml"), "---\ndependencies: []\n").unwrap();
    let manifest = dir.join("manifest.yml");

    let output = bpkit().arg("validate").arg(&dir).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let mut expected = manifest.as_os_str().as_bytes().to_vec();
    expected.extend_from_slice(
        ":2:1: error: language: required key is missing; add `language: <name>` at the top (the zip is named <name>_buildpack-…)\n".as_bytes(),
    );
    assert_eq!(output.stdout, expected);

    let json = run(bpkit().args(["validate", "--json"]).arg(&dir));
    let error = format!(
        "the manifest {} is not valid UTF-8, which a --json document cannot hold; name it by a path that is UTF-8 text (run bpkit in its folder, or link to it), or leave out --json, which prints paths as they are",
        manifest.display()
    );
    assert_eq!(json.code, 1);
    assert_eq!(json.stderr, format!("bpkit: error: {error}\n"));
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(document["error"], error.as_str());
    assert_eq!(document["valid"], serde_json::Value::Null);

    let json = run(bpkit().current_dir(&dir).args(["validate", "--json"]));
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(document["manifest"], "./manifest.yml");
    assert_eq!(document["errors"], 1);
}

/// What staging would refuse after validate called it valid is an error here: a dependency's
/// `file:` outside the buildpack (supply: "must name a file inside the buildpack"), a
/// deprecation date with text after the day (libbuildpack's date parsing fails on it), and
/// a start command YAML reads as a boolean (the app would run `true` and exit). A key or value
/// holding a control character stays on its one line.
#[test]
fn what_staging_refuses_is_an_error_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.yml");
    let sha = "a".repeat(64);
    std::fs::write(
        &manifest,
        format!(
            "language: x\nstack: cflinuxfs4\ndependencies:\n- {{name: a, version: 1, uri: 'https://e/a', sha256: {sha}, cf_stacks: [cflinuxfs4], file: /etc/passwd}}\n- {{name: b, version: 1, uri: 'https://e/b', sha256: {sha}, cf_stacks: [cflinuxfs4], file: dependencies/../../x}}\n- {{name: c, version: 1, uri: 'https://e/c', sha256: {sha}, cf_stacks: [cflinuxfs4], file: dependencies/ab/c.tgz}}\ndependency_deprecation_dates:\n- {{name: a, version_line: 1.x, date: 2020-01-05 or so, link: l}}\n- {{name: a, version_line: 2.x, date: '2099-01-05 10:00:00', link: l}}\nrelease: {{default_process_types: {{web: true, worker: \"echo \\e[2J\"}}}}\nlaunch_env: {{\"A\\nB\": x}}\n"
        ),
    )
    .unwrap();
    let result = run(bpkit().arg("validate").arg("--manifest").arg(&manifest));
    assert_eq!(result.code, 1, "{}", result.stderr);
    let m = manifest.display();
    assert_eq!(
        result.stdout,
        format!(
            "{m}:4:150: error: dependencies[0].file: `/etc/passwd` is absolute, but it must name a file inside the buildpack; write the path from the buildpack's folder (the packager writes dependencies/<md5 of the uri>/<file name>)\n\
             {m}:5:150: error: dependencies[1].file: `dependencies/../../x` climbs out of it with `..`, but it must name a file inside the buildpack; write the path from the buildpack's folder (the packager writes dependencies/<md5 of the uri>/<file name>)\n\
             {m}:8:38: error: dependency_deprecation_dates[0].date: expected a date as YYYY-MM-DD, found `2020-01-05 or so`; write it as YYYY-MM-DD, such as 2027-03-31\n\
             {m}:10:40: error: release.default_process_types.web: expected a string, found a boolean (`true`); quote it ('true') if you mean the text `true`\n\
             {m}:11:14: error: launch_env.A\\nB: `A\\nB` is not a valid environment variable name; use letters, digits and _ (not starting with a digit)\n"
        )
    );
}
