//! The README's bad-input table (issue 6, quality.md "Bad input, each tested with its exact
//! error"): each malformed manifest, argument or setting tried, and exactly what bpkit prints.
//!
//! The README is the expected data: each case below is one test that runs the built binary in a
//! fresh folder and checks that the README row with its name shows the exit code and every line
//! it printed (stdout, then stderr; the folder written as `$PWD`). `readme_lists_every_case`
//! checks that the table has exactly these rows, in this order;
//! `BPKIT_BLESS=1 cargo test --test bad_input readme_lists -- --test-threads=1` rewrites the
//! tables from what bpkit prints now (then read the diff).
//!
//! The network-fault table works the same way (quality.md: each fault "gives the documented
//! outcome and message"): each case packages a buildpack whose dependency is served by a
//! 127.0.0.1 server the case starts with one fault (`$SERVER` in the table), or by nothing at
//! all (`$REFUSED`).
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::time::Duration;

use common::bin::{Run, repo_root, run};
use common::buildpack::isolated;
use common::server::{Fault, Server};

const HEADER: &str = "| case | what is tried | command | exit | what bpkit prints |\n| --- | --- | --- | --- | --- |\n";

/// Where a table of cases stands in the README.
struct Table {
    begin: &'static str,
    end: &'static str,
}

const BAD_INPUT: Table = Table {
    begin: "<!-- bad-input table: generated and checked by tests/bad_input.rs -->",
    end: "<!-- end of the bad-input table -->",
};

const NETWORK: Table = Table {
    begin: "<!-- network-fault table: generated and checked by tests/bad_input.rs -->",
    end: "<!-- end of the network-fault table -->",
};

/// One bad input.
struct Case {
    /// The row's name in the README.
    name: &'static str,
    tried: &'static str,
    /// Files written first, relative to the case's folder (`$PWD` in them is that folder).
    files: &'static [(&'static str, &'static str)],
    /// Environment variables, shown before the command.
    env: &'static [(&'static str, &'static str)],
    /// The arguments after `bpkit`.
    args: &'static [&'static str],
}

/// A valid buildpack `bp/` whose manifest is `manifest` (with VERSION and bin/ scripts).
/// Files after the manifest are written too.
macro_rules! bp {
    ($manifest:expr $(, $extra:expr)*) => {
        &[
            ("bp/manifest.yml", $manifest),
            ("bp/VERSION", "1.0.0\n"),
            ("bp/bin/detect", "#!/bin/sh\n"),
            ("bp/bin/compile", "#!/bin/sh\n"),
            ("bp/bin/release", "#!/bin/sh\n"),
            $($extra,)*
        ]
    };
}

/// A manifest whose one dependency, tool 1.0.0 for cflinuxfs4, is at `uri`.
macro_rules! one_dep_at {
    ($uri:literal) => {
        concat!(
            "language: demo\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: ",
            $uri,
            "\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\n"
        )
    };
}

/// A manifest with two dependencies: tool 1.1.0 (cflinuxfs4, the default 1.1.x) and tool
/// 1.0.0 (cflinuxfs3), both `file://` tarballs under `$PWD/deps`.
const GOOD: &str = "language: demo\ndefault_versions:\n- name: tool\n  version: 1.1.x\ndependencies:\n- name: tool\n  version: 1.1.0\n  uri: file://$PWD/deps/tool-1.1.0.tgz\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\n- name: tool\n  version: 1.0.0\n  uri: file://$PWD/deps/tool-1.0.0.tgz\n  sha256: 1111111111111111111111111111111111111111111111111111111111111111\n  cf_stacks: [cflinuxfs3]\npackaging_profiles:\n  minimal:\n    description: nothing\n    exclude: [tool]\n";

/// The same, with one dependency only (no warnings), for the cases about other things.
const ONE: &str = "language: demo\ndependencies:\n- name: tool\n  version: 1.1.0\n  uri: file://$PWD/deps/tool-1.1.0.tgz\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\n";

/// The files of a phase run from the folder: buildpack `bp/` (manifest [`ONE`]) and app `app/`.
const PHASE_FILES: &[(&str, &str)] = &[
    ("bp/manifest.yml", ONE),
    ("bp/VERSION", "1.0.0\n"),
    ("app/app.txt", "hi\n"),
];

/// One test per [`Case`] (`env` may be left out: none), and `CASES` in the README's order.
macro_rules! cases {
    ($($test:ident: Case {
        name: $name:expr,
        tried: $tried:expr,
        files: $files:expr,
        $(env: $env:expr,)?
        args: $args:expr $(,)?
    };)*) => {
        const CASES: &[Case] = &[$(case!($name, $tried, $files, env_or_none!($($env)?), $args)),*];
        $(
            #[test]
            fn $test() {
                let case = case!($name, $tried, $files, env_or_none!($($env)?), $args);
                check(&case, None, &BAD_INPUT);
            }
        )*
    };
}

/// A [`Case`] from its fields, in order (the case macros build each twice: for the list of
/// cases and for its own test).
macro_rules! case {
    ($name:expr, $tried:expr, $files:expr, $env:expr, $args:expr) => {
        Case {
            name: $name,
            tried: $tried,
            files: $files,
            env: $env,
            args: $args,
        }
    };
}

macro_rules! env_or_none {
    () => {
        &[]
    };
    ($env:expr) => {
        $env
    };
}

/// How a network case sets up its server.
type Serve = fn(&Server);

/// A network fault: a case and how its server misbehaves.
struct NetCase {
    case: Case,
    /// Routes `/tool-1.1.0.tgz` (serving [`TOOL`] or not) on the case's server.
    serve: Serve,
}

/// One test per network case: its buildpack is [`net_bp!`]`()` unless `files` says otherwise,
/// its command [`PACKAGE`], and `env` may be left out (none).
macro_rules! net_cases {
    ($($test:ident: {
        name: $name:expr,
        tried: $tried:expr,
        $(files: $files:expr,)?
        $(env: $env:expr,)?
        serve: $serve:expr $(,)?
    };)*) => {
        const NET_CASES: &[NetCase] = &[$(NetCase {
            case: case!($name, $tried, files_or_net_bp!($($files)?), env_or_none!($($env)?), PACKAGE),
            serve: $serve,
        }),*];
        $(
            #[test]
            fn $test() {
                let case = case!($name, $tried, files_or_net_bp!($($files)?), env_or_none!($($env)?), PACKAGE);
                check(&case, Some($serve), &NETWORK);
            }
        )*
    };
}

macro_rules! files_or_net_bp {
    () => {
        net_bp!()
    };
    ($files:expr) => {
        $files
    };
}

cases! {
    yaml_syntax: Case {
        name: "yaml-syntax",
        tried: "malformed YAML (a key indented too far)",
        files: bp!("language: demo\ndependencies:\n- name: tool\n  version: 1.0.0\n   uri: https://example.invalid/tool.tgz\n"),
        args: &["validate", "bp"],
    };
    yaml_unclosed: Case {
        name: "yaml-unclosed",
        tried: "malformed YAML (an unclosed `[`), when packaging",
        files: bp!("language: [demo\n"),
        args: &["package", "bp"],
    };
    yaml_tab: Case {
        name: "yaml-tab",
        tried: "malformed YAML (a line indented with a tab), when packaging",
        files: bp!("language: demo\ndependencies:\n- name: tool\n\tversion: 1.0.0\n"),
        args: &["package", "bp"],
    };
    yaml_tab_after_colon: Case {
        name: "yaml-tab-after-colon",
        tried: "malformed YAML (a tab between a key and its value)",
        files: bp!("language: demo\ndependencies:\n- name:\ttool\n"),
        args: &["validate", "bp"],
    };
    yaml_tab_blank_line: Case {
        name: "yaml-tab-blank-line",
        tried: "a blank line that starts with a tab (Go's YAML libraries refuse it)",
        files: bp!("language: demo\n\t\ndependencies: []\n"),
        args: &["validate", "bp"],
    };
    yaml_tag_mismatch: Case {
        name: "yaml-tag-mismatch",
        tried: "a type tag the value does not fit (`version: !!int abc`)",
        files: bp!("language: demo\ndependencies:\n- name: tool\n  version: !!int abc\n"),
        args: &["validate", "bp"],
    };
    yaml_binary_not_base64: Case {
        name: "yaml-binary-not-base64",
        tried: "a `!!binary` value that is not base64 (`uri: !!binary aGVsbG8`, its padding missing)",
        files: bp!("language: demo\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: !!binary aGVsbG8\n"),
        args: &["validate", "bp"],
    };
    yaml_alias_bomb: Case {
        name: "yaml-alias-bomb",
        tried: "aliases of aliases that expand to billions of values (\"billion laughs\")",
        files: bp!("language: demo\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n"),
        args: &["validate", "bp"],
    };
    yaml_too_deep: Case {
        name: "yaml-too-deep",
        tried: "lists nested 270 levels deep (`- - - …`)",
        files: bp!(concat!("language: demo\nbuild:\n", "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x\n")),
        args: &["validate", "bp"],
    };
    not_a_mapping: Case {
        name: "not-a-mapping",
        tried: "a manifest that is a list",
        files: bp!("- language: demo\n"),
        args: &["validate", "bp"],
    };
    empty_manifest: Case {
        name: "empty-manifest",
        tried: "an empty manifest",
        files: bp!(""),
        args: &["validate", "bp"],
    };
    wrong_type: Case {
        name: "wrong-type",
        tried: "wrong types (`dependencies` a string, `include_files` a mapping)",
        files: bp!("language: demo\ndependencies: ruby\ninclude_files: {a: b}\n"),
        args: &["validate", "bp"],
    };
    missing_language: Case {
        name: "missing-language",
        tried: "no `language`",
        files: bp!("dependencies: []\n"),
        args: &["validate", "bp"],
    };
    language_with_a_space: Case {
        name: "language-with-a-space",
        tried: "a `language` that cannot be part of the zip's file name",
        files: bp!("language: a b\n"),
        args: &["validate", "bp"],
    };
    language_with_a_quote: Case {
        name: "language-with-a-quote",
        tried: "a `language` with a quote, at which the official package.sh's `xargs -n1` stops, when packaging",
        files: bp!("language: it's\n"),
        args: &["-q", "package", "bp"],
    };
    language_not_a_string: Case {
        name: "language-not-a-string",
        tried: "a `language` YAML reads as a boolean, and a dependency `name` as a number",
        files: bp!("language: true\ndependencies:\n- name: 7\n  version: 1.0.0\n  uri: https://example.invalid/tool.tgz\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\n"),
        args: &["validate", "bp"],
    };
    missing_keys: Case {
        name: "missing-keys",
        tried: "a dependency without `version` and `uri`",
        files: bp!("language: demo\ndependencies:\n- name: tool\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\n"),
        args: &["validate", "bp"],
    };
    empty_dependency_item: Case {
        name: "empty-dependency-item",
        tried: "an empty `-` item in `dependencies` (it once stopped packaging as \"a bug in bpkit\")",
        files: bp!("language: demo\ndependencies:\n-\n"),
        args: &["-q", "package", "bp"],
    };
    no_checksum: Case {
        name: "no-checksum",
        tried: "a dependency without any checksum",
        files: bp!("language: demo\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: https://example.invalid/tool.tgz\n  cf_stacks: [cflinuxfs4]\n"),
        args: &["validate", "bp"],
    };
    bad_checksums: Case {
        name: "bad-checksums",
        tried: "a sha256 of 63 characters and an md5 that is not hexadecimal",
        files: bp!("language: demo\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: https://example.invalid/tool.tgz\n  sha256: 000000000000000000000000000000000000000000000000000000000000000\n  md5: not-an-md5\n  cf_stacks: [cflinuxfs4]\n"),
        args: &["validate", "bp"],
    };
    checksum_mismatch: Case {
        name: "checksum-mismatch",
        tried: "a dependency whose file does not match its sha256",
        files: &[
            ("bp/manifest.yml", ONE),
            ("bp/VERSION", "1.0.0\n"),
            ("bp/bin/detect", "#!/bin/sh\n"),
            ("bp/bin/compile", "#!/bin/sh\n"),
            ("bp/bin/release", "#!/bin/sh\n"),
            ("deps/tool-1.1.0.tgz", "not the tarball the manifest describes\n"),
        ],
        args: &["-q", "package", "bp", "--cached", "--cache-dir", "cache"],
    };
    duplicate_default: Case {
        name: "duplicate-default",
        tried: "two `default_versions` for one name",
        files: bp!("language: demo\ndefault_versions:\n- {name: tool, version: 1.x}\n- {name: tool, version: 2.x}\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: https://example.invalid/tool.tgz\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\n"),
        args: &["validate", "bp"],
    };
    default_no_match: Case {
        name: "default-no-match",
        tried: "a default that matches no dependency",
        files: bp!("language: demo\ndefault_versions:\n- {name: tool, version: 2.x}\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: https://example.invalid/tool.tgz\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\n"),
        args: &["validate", "bp"],
    };
    default_no_match_on_stack: Case {
        name: "default-no-match-on-stack",
        tried: "packaging for a stack where the default has no match",
        files: bp!(GOOD),
        args: &["-q", "package", "bp", "--stack", "cflinuxfs3"],
    };
    unknown_stack: Case {
        name: "unknown-stack",
        tried: "packaging for a stack no dependency lists",
        files: bp!(GOOD),
        args: &["-q", "package", "bp", "--stack", "cflinuxfs9"],
    };
    profile_unknown_dependency: Case {
        name: "profile-unknown-dependency",
        tried: "packaging with a profile that excludes an unknown dependency",
        files: bp!("language: demo\ndependencies: []\npackaging_profiles:\n  minimal:\n    description: smaller\n    exclude: [ruby]\n"),
        args: &["-q", "package", "bp", "--profile", "minimal"],
    };
    unknown_profile: Case {
        name: "unknown-profile",
        tried: "`--profile` naming a profile the manifest lacks",
        files: bp!(GOOD),
        args: &["-q", "package", "bp", "--profile", "tiny"],
    };
    exclude_unknown: Case {
        name: "exclude-unknown",
        tried: "`--exclude` naming an unknown dependency",
        files: bp!(ONE),
        args: &["-q", "package", "bp", "--exclude", "ruby"],
    };
    missing_version: Case {
        name: "missing-version",
        tried: "no VERSION file",
        files: &[("bp/manifest.yml", ONE), ("bp/bin/detect", "#!/bin/sh\n")],
        args: &["-q", "package", "bp"],
    };
    version_a_folder: Case {
        name: "version-a-folder",
        tried: "a folder called VERSION where the file belongs",
        files: &[("bp/manifest.yml", ONE), ("bp/VERSION/1.0.0", "")],
        args: &["-q", "package", "bp"],
    };
    empty_version: Case {
        name: "empty-version",
        tried: "an empty VERSION file",
        files: &[("bp/manifest.yml", ONE), ("bp/VERSION", "\n")],
        args: &["-q", "package", "bp"],
    };
    version_too_long: Case {
        name: "version-too-long",
        tried: "a VERSION file holding 150 characters",
        files: &[
            ("bp/manifest.yml", ONE),
            ("bp/VERSION", "1.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\n"),
        ],
        args: &["-q", "package", "bp"],
    };
    version_with_a_space: Case {
        name: "version-with-a-space",
        tried: "a VERSION file with a character unsafe in a file name",
        files: &[("bp/manifest.yml", ONE), ("bp/VERSION", "1.0.0 (beta)\r\n")],
        args: &["-q", "package", "bp"],
    };
    pre_package_dangling_link: Case {
        name: "pre-package-dangling-link",
        tried: "`pre_package` making a symlink to nothing (found in its temporary copy)",
        files: bp!("language: demo\ndependencies: []\npre_package: ln -s /nonexistent made-by-pre\n"),
        args: &["-q", "package", "bp"],
    };
    tmpdir_missing: Case {
        name: "tmpdir-missing",
        tried: "`TMPDIR` naming a folder that does not exist, when `pre_package` needs a copy",
        files: bp!("language: demo\ndependencies: []\npre_package: 'true'\n"),
        env: &[("TMPDIR", "gone")],
        args: &["-q", "package", "bp"],
    };
    tmpdir_a_file: Case {
        name: "tmpdir-a-file",
        tried: "`TMPDIR` naming a file, when `pre_package` needs a copy",
        files: bp!("language: demo\ndependencies: []\npre_package: 'true'\n", ("afile", "x")),
        env: &[("TMPDIR", "afile")],
        args: &["-q", "package", "bp"],
    };
    zip_name_a_folder: Case {
        name: "zip-name-a-folder",
        tried: "a folder in the way of the zip's name in `--output-dir`",
        files: bp!(ONE, ("out/demo_buildpack-v1.0.0.zip/x", "x")),
        args: &["-q", "package", "bp", "--output-dir", "out"],
    };
    package_into_a_file: Case {
        name: "package-into-a-file",
        tried: "a buildpack folder that is a file",
        files: &[("afile", "x")],
        args: &["-q", "package", "afile"],
    };
    validate_a_file: Case {
        name: "validate-a-file",
        tried: "`validate` given a file where the buildpack folder goes",
        files: &[("afile", "x")],
        args: &["validate", "afile"],
    };
    version_with_a_slash: Case {
        name: "version-with-a-slash",
        tried: "`--version` that cannot be part of a file name",
        files: bp!(ONE),
        args: &["-q", "package", "bp", "--version", "1.0/evil"],
    };
    name_with_a_line_break: Case {
        name: "name-with-a-line-break",
        tried: "a file whose name holds a line break (a tab or another control character is refused the same way)",
        files: bp!(ONE, ("bp/lib/notes\nold.txt", "x\n")),
        args: &["-q", "package", "bp"],
    };
    version_of_dots: Case {
        name: "version-of-dots",
        tried: "`--version` with no letter or digit (a VERSION file holding `..` is refused the same way)",
        files: bp!(ONE),
        args: &["-q", "package", "bp", "--version", ".."],
    };
    include_outside: Case {
        name: "include-outside",
        tried: "`include_files` paths outside the tree",
        files: bp!("language: demo\ninclude_files:\n- manifest.yml\n- ../secrets.txt\n- /etc/passwd\n"),
        args: &["validate", "bp"],
    };
    include_missing: Case {
        name: "include-missing",
        tried: "`include_files` listing a file that does not exist",
        files: bp!("language: demo\ninclude_files: [manifest.yml, VERSION, README.md]\n"),
        args: &["-q", "package", "bp"],
    };
    already_packaged: Case {
        name: "already-packaged",
        tried: "packaging a packaged manifest (top-level `stack`)",
        files: bp!("language: demo\nstack: cflinuxfs4\n"),
        args: &["-q", "package", "bp"],
    };
    unknown_install: Case {
        name: "unknown-install",
        tried: "`install` naming no dependency, a bad `detect` regex",
        files: bp!("language: demo\ndetect:\n  any_of:\n  - file: Gemfile\n    contains: 'gem ('\ninstall:\n- name: ruby\n"),
        args: &["validate", "bp"],
    };
    url_map: Case {
        name: "url-map",
        tried: "`url_to_dependency_map` entries with a bad regex, no `version`, a `$2` of one group",
        files: bp!("language: demo\nurl_to_dependency_map:\n- {match: 'tool-(\\d+', name: tool, version: $1}\n- {match: 'tool-(\\d+)', name: tool}\n- {match: 'tool-(\\d+)', name: tool, version: $2}\n"),
        args: &["validate", "bp"],
    };
    deprecation_dates: Case {
        name: "deprecation-dates",
        tried: "`dependency_deprecation_dates` with a date in another form and one on 29 February of a common year",
        files: bp!("language: demo\ndependency_deprecation_dates:\n- {name: tool, version_line: 1.x, date: 31/03/2027, link: 'https://e/eol'}\n- {name: tool, version_line: 2.x, date: 2027-02-29, link: 'https://e/eol'}\n"),
        args: &["validate", "bp"],
    };
    no_such_folder: Case {
        name: "no-such-folder",
        tried: "a buildpack folder that does not exist",
        files: &[],
        args: &["package", "nowhere"],
    };
    not_a_buildpack: Case {
        name: "not-a-buildpack",
        tried: "`package` in a folder with neither VERSION nor manifest.yml (an app's)",
        files: &[("app/index.html", "hi\n")],
        args: &["-q", "package", "app"],
    };
    no_manifest: Case {
        name: "no-manifest",
        tried: "a folder without manifest.yml",
        files: &[("bp/VERSION", "1.0.0\n")],
        args: &["validate", "bp"],
    };
    jobs_zero: Case {
        name: "jobs-zero",
        tried: "`--jobs 0`",
        files: bp!(ONE),
        args: &["package", "bp", "--jobs", "0"],
    };
    jobs_negative: Case {
        name: "jobs-negative",
        tried: "a negative number (`--jobs -1`; `--port`, `--memory` and `--timeout` too)",
        files: bp!(ONE),
        args: &["package", "bp", "--jobs", "-1"],
    };
    port_negative: Case {
        name: "port-negative",
        tried: "`bpkit run --port -1`",
        files: &[],
        args: &["run", "droplet.tgz", "--port", "-1"],
    };
    stack_and_any_stack: Case {
        name: "stack-and-any-stack",
        tried: "`--stack` with `--any-stack`",
        files: bp!(ONE),
        args: &["package", "bp", "--stack", "cflinuxfs4", "--any-stack"],
    };
    offline_and_force: Case {
        name: "offline-and-force",
        tried: "`--offline` with `--force-download`",
        files: bp!(ONE),
        args: &["fetch", "bp", "--offline", "--force-download"],
    };
    bin_links: Case {
        name: "bin-links",
        tried: "an unknown `--bin-links`",
        files: bp!(ONE),
        args: &["package", "bp", "--bin-links", "hardlink"],
    };
    binary_not_elf: Case {
        name: "binary-not-elf",
        tried: "`--binary` that is not a Linux executable",
        files: &[
            ("bp/manifest.yml", "language: demo\n"),
            ("bp/VERSION", "1.0.0\n"),
            ("bp/bin/bpkit", "#!/bin/sh\n# bpkit bootstrap\n"),
            ("not-elf", "#!/bin/sh\n"),
        ],
        args: &["-q", "package", "bp", "--binary", "not-elf"],
    };
    binary_a_folder: Case {
        name: "binary-a-folder",
        tried: "`--binary` naming a folder",
        files: &[
            ("bp/manifest.yml", "language: demo\n"),
            ("bp/VERSION", "1.0.0\n"),
            ("bp/bin/bpkit", "#!/bin/sh\n# bpkit bootstrap\n"),
            ("target/release/bpkit/x", ""),
        ],
        args: &["-q", "package", "bp", "--binary", "target/release"],
    };
    binary_not_bpkit: Case {
        name: "binary-not-bpkit",
        tried: "`--binary` naming an executable that is not bpkit",
        files: &[
            ("bp/manifest.yml", "language: demo\n"),
            ("bp/VERSION", "1.0.0\n"),
            ("bp/bin/bpkit", "#!/bin/sh\n# bpkit bootstrap\n"),
        ],
        args: &["-q", "package", "bp", "--binary", "/bin/sh"],
    };
    offline_not_cached: Case {
        name: "offline-not-cached",
        tried: "`--offline` with an empty cache (and an `https://` dependency)",
        files: bp!(one_dep_at!("https://deps.example.invalid/tool-1.0.0.tgz")),
        args: &["-q", "fetch", "bp", "--offline", "--cache-dir", "cache"],
    };
    unsupported_scheme: Case {
        name: "unsupported-scheme",
        tried: "a dependency URI with another scheme",
        files: bp!(one_dep_at!("ftp://deps.example.invalid/tool-1.0.0.tgz")),
        args: &["-q", "fetch", "bp", "--cache-dir", "cache"],
    };
    uri_not_parsable: Case {
        name: "uri-not-parsable",
        tried: "a dependency URI with a space in it",
        files: bp!(one_dep_at!("https://deps.example.invalid/tool 1.0.0.tgz")),
        args: &["-q", "fetch", "bp", "--cache-dir", "cache"],
    };
    uri_ipv6_zone: Case {
        name: "uri-ipv6-zone",
        tried: "a dependency URI whose IPv6 host has a zone (`%25eth0`)",
        files: bp!(one_dep_at!("http://[fe80::1%25eth0]:8080/tool-1.0.0.tgz")),
        args: &["-q", "fetch", "bp", "--cache-dir", "cache"],
    };
    file_uri_folder: Case {
        name: "file-uri-folder",
        tried: "a `file://` dependency URI naming a folder (a fifo or a device is refused the same way)",
        files: bp!(one_dep_at!("file://$PWD/bp")),
        args: &["-q", "fetch", "bp", "--cache-dir", "cache"],
    };
    source_date_epoch: Case {
        name: "source-date-epoch",
        tried: "`SOURCE_DATE_EPOCH` that is not a number",
        files: bp!("language: demo\n"),
        env: &[("SOURCE_DATE_EPOCH", "yesterday")],
        args: &["-q", "package", "bp"],
    };
    retries_setting: Case {
        name: "retries-setting",
        tried: "`BPKIT_RETRIES` that is not a number",
        files: bp!(ONE),
        env: &[("BPKIT_RETRIES", "lots")],
        args: &["-q", "fetch", "bp", "--cache-dir", "cache"],
    };
    mirrors_setting: Case {
        name: "mirrors-setting",
        tried: "`BPKIT_MIRRORS` without `=`",
        files: bp!(ONE),
        env: &[("BPKIT_MIRRORS", "https://deps.example.invalid/")],
        args: &["-q", "fetch", "bp", "--cache-dir", "cache"],
    };
    mirrors_empty_replacement: Case {
        name: "mirrors-empty-replacement",
        tried: "a `BPKIT_MIRRORS` rule with nothing after `=`",
        files: bp!(ONE),
        env: &[("BPKIT_MIRRORS", "https://deps.example.invalid/=")],
        args: &["-q", "fetch", "bp", "--cache-dir", "cache"],
    };
    mirrors_password_comma: Case {
        name: "mirrors-password-comma",
        tried: "a `BPKIT_MIRRORS` rule whose password holds a `,`",
        files: bp!(ONE),
        env: &[("BPKIT_MIRRORS", "https://deps.example.invalid/=https://deploy:pa,ss@mirror.example.invalid/")],
        args: &["-q", "fetch", "bp", "--cache-dir", "cache"],
    };
    phase_arguments: Case {
        name: "phase-arguments",
        tried: "supply with too few arguments",
        files: &[],
        args: &["supply", "app", "cache"],
    };
    phase_no_stack: Case {
        name: "phase-no-stack",
        tried: "supply with neither `CF_STACK` nor `STACK`",
        files: PHASE_FILES,
        env: &[("BUILDPACK_DIR", "bp")],
        args: &["supply", "app", "cache", "deps", "0"],
    };
    phase_unsupported_stack: Case {
        name: "phase-unsupported-stack",
        tried: "supply on a stack the manifest does not list",
        files: PHASE_FILES,
        env: &[("BUILDPACK_DIR", "bp"), ("CF_STACK", "cflinuxfs2")],
        args: &["supply", "app", "cache", "deps", "0"],
    };
    phase_no_version: Case {
        name: "phase-no-version",
        tried: "supply from a buildpack without VERSION",
        files: &[("bp/manifest.yml", ONE), ("app/app.txt", "hi\n")],
        env: &[("BUILDPACK_DIR", "bp"), ("CF_STACK", "cflinuxfs4")],
        args: &["supply", "app", "cache", "deps", "0"],
    };
    phase_no_build_dir: Case {
        name: "phase-no-build-dir",
        tried: "supply with a BUILD_DIR that does not exist",
        files: &[("bp/manifest.yml", ONE), ("bp/VERSION", "1.0.0\n")],
        env: &[("BUILDPACK_DIR", "bp"), ("CF_STACK", "cflinuxfs4")],
        args: &["supply", "no-such-app", "cache", "deps", "0"],
    };
    phase_bad_deps_idx: Case {
        name: "phase-bad-deps-idx",
        tried: "supply with a DEPS_IDX that is not a number",
        files: PHASE_FILES,
        env: &[("BUILDPACK_DIR", "bp"), ("CF_STACK", "cflinuxfs4")],
        args: &["supply", "app", "cache", "deps", "../../escape"],
    };
    phase_long_deps_idx: Case {
        name: "phase-long-deps-idx",
        tried: "supply with a DEPS_IDX of 40 digits (more than 9, which a buildpack's position never has; `00` is taken)",
        files: PHASE_FILES,
        env: &[("BUILDPACK_DIR", "bp"), ("CF_STACK", "cflinuxfs4")],
        args: &["supply", "app", "cache", "deps", "0000000000000000000000000000000000000000"],
    };
    phase_deps_dir_a_file: Case {
        name: "phase-deps-dir-a-file",
        tried: "supply with a DEPS_DIR that is a file (a PROFILE_DIR or ENV_DIR is refused the same way)",
        files: &[
            ("bp/manifest.yml", ONE),
            ("bp/VERSION", "1.0.0\n"),
            ("app/app.txt", "hi\n"),
            ("afile", ""),
        ],
        env: &[("BUILDPACK_DIR", "bp"), ("CF_STACK", "cflinuxfs4")],
        args: &["supply", "app", "cache", "afile", "0"],
    };
    override_a_folder: Case {
        name: "override-a-folder",
        tried: "supply after an earlier buildpack left a folder called `override.yml` in its DEPS_DIR folder",
        files: &[
            ("bp/manifest.yml", ONE),
            ("bp/VERSION", "1.0.0\n"),
            ("app/app.txt", "hi\n"),
            ("stage-deps/0/override.yml/x", ""),
        ],
        env: &[("BUILDPACK_DIR", "bp"), ("CF_STACK", "cflinuxfs4")],
        args: &["supply", "app", "cache", "stage-deps", "1"],
    };
    compile_profile_d_a_file: Case {
        name: "compile-profile-d-a-file",
        tried: "compile of an app holding a file named `.profile.d` (a link there, or at `.cloudfoundry`, is refused the same way)",
        files: &[
            ("bp/manifest.yml", ONE),
            ("bp/VERSION", "1.0.0\n"),
            ("app/app.txt", "hi\n"),
            ("app/.profile.d", "not a folder\n"),
        ],
        env: &[("BUILDPACK_DIR", "bp"), ("CF_STACK", "cflinuxfs4")],
        args: &["compile", "app", "cache"],
    };
    phase_version_of_two_lines: Case {
        name: "phase-version-of-two-lines",
        tried: "supply from a buildpack whose VERSION holds two lines (an empty one is refused too)",
        files: &[
            ("bp/manifest.yml", ONE),
            ("bp/VERSION", "1.0\n2.0\n"),
            ("app/app.txt", "hi\n"),
        ],
        env: &[("BUILDPACK_DIR", "bp"), ("CF_STACK", "cflinuxfs4")],
        args: &["supply", "app", "cache", "deps", "0"],
    };
    install_reserved_name: Case {
        name: "install-reserved-name",
        tried: "an `install` entry named as a folder supply keeps beside the dependencies (`profile.d`)",
        files: &[(
            "bp/manifest.yml",
            "language: demo\ndependencies:\n- name: profile.d\n  version: 1.0.0\n  uri: https://deps.example.invalid/p.tgz\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\ninstall:\n- name: profile.d\n",
        )],
        args: &["validate", "bp"],
    };
    default_version_line_break: Case {
        name: "default-version-line-break",
        tried: "a `default_versions` version holding a line break",
        files: &[(
            "bp/manifest.yml",
            "language: demo\ndefault_versions:\n- name: tool\n  version: \"1.0.x\\n\"\ndependencies:\n- name: tool\n  version: 1.0.0\n  uri: https://deps.example.invalid/tool-1.0.0.tgz\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\n",
        )],
        args: &["validate", "bp"],
    };
    bad_glob: Case {
        name: "bad-glob",
        tried: "an `exclude_files` glob that is not a pattern (`[abc`)",
        files: &[("bp/manifest.yml", "language: demo\nexclude_files:\n- '[abc'\n")],
        args: &["validate", "bp"],
    };
    empty_exclude: Case {
        name: "empty-exclude",
        tried: "an empty `exclude_files` item (it left out every folder, `bin/` too), when packaging",
        files: bp!("language: demo\nexclude_files:\n- tests/\n- ''\n"),
        args: &["-q", "package", "bp"],
    };
    exclude_matching_nothing: Case {
        name: "exclude-matching-nothing",
        tried: "an `exclude_files` pattern that can match no path (`./secrets/`: it left out nothing, without a word), when packaging",
        files: bp!("language: demo\nexclude_files:\n- ./secrets/\n", ("bp/secrets/key", "hunter2\n")),
        args: &["-q", "package", "bp"],
    };
    verify_not_a_zip: Case {
        name: "verify-not-a-zip",
        tried: "`bpkit verify` of a file that is not a zip",
        files: &[("x.zip", "not a zip\n")],
        args: &["verify", "x.zip"],
    };
    verify_a_folder: Case {
        name: "verify-a-folder",
        tried: "`bpkit verify` of a folder (a fifo or a device is refused the same way, without waiting)",
        files: &[("x.zip/README", "not a zip\n")],
        args: &["verify", "x.zip"],
    };
    verify_missing: Case {
        name: "verify-missing",
        tried: "`bpkit verify` of a zip that does not exist",
        files: &[],
        args: &["verify", "x.zip"],
    };
    output_dir_a_file: Case {
        name: "output-dir-a-file",
        tried: "`--output-dir` naming a file",
        files: &[("bp/manifest.yml", ONE), ("bp/VERSION", "1.0.0\n"), ("out", "")],
        args: &["package", "bp", "--output-dir", "out"],
    };
    cache_dir_a_file: Case {
        name: "cache-dir-a-file",
        tried: "`--cache-dir` naming a file",
        files: &[("bp/manifest.yml", ONE), ("bp/VERSION", "1.0.0\n"), ("cache", "")],
        args: &["package", "bp", "--cached", "--cache-dir", "cache"],
    };
    cache_dir_tilde: Case {
        name: "cache-dir-tilde",
        tried: "a `--cache-dir` (or `--output-dir`, `BPKIT_CACHE_DIR`) starting with a `~` no shell expanded: it made a folder named `~` in the current one",
        files: &[("bp/manifest.yml", ONE), ("bp/VERSION", "1.0.0\n")],
        env: &[("HOME", "/home/ci")],
        args: &["package", "bp", "--cached", "--cache-dir=~/cache"],
    };
    cache_dir_under_a_file: Case {
        name: "cache-dir-under-a-file",
        tried: "`--cache-dir` inside a file (`afile/sub`)",
        files: &[("bp/manifest.yml", ONE), ("bp/VERSION", "1.0.0\n"), ("afile", "")],
        args: &["package", "bp", "--cached", "--cache-dir", "afile/sub"],
    };
    cache_dependencies_a_file: Case {
        name: "cache-dependencies-a-file",
        tried: "a file where the cache's `dependencies/` folder goes (or where an entry's folder goes)",
        files: bp!(
            one_dep_at!("https://deps.example.invalid/tool-1.0.0.tgz"),
            ("cache/dependencies", "")
        ),
        args: &["-q", "package", "bp", "--cached", "--cache-dir", "cache"],
    };
    run_not_a_droplet: Case {
        name: "run-not-a-droplet",
        tried: "`bpkit run` of a file that is not a droplet (or one cut short)",
        files: &[("droplet.tgz", "not a droplet\n")],
        args: &["run", "droplet.tgz"],
    };
    manifest_never_ends: Case {
        name: "manifest-never-ends",
        tried: "`--manifest` naming a device that never ends",
        files: &[],
        args: &["validate", "--manifest", "/dev/zero"],
    };
    manifest_a_folder: Case {
        name: "manifest-a-folder",
        tried: "`--manifest` naming a folder",
        files: &[("bp/VERSION", "1.0.0\n")],
        args: &["summary", "--manifest", "bp"],
    };
    manifest_yml_a_folder: Case {
        name: "manifest-yml-a-folder",
        tried: "a folder called manifest.yml where the file belongs",
        files: &[("bp/VERSION", "1.0.0\n"), ("bp/manifest.yml/manifest.yml", ONE)],
        args: &["validate", "bp"],
    };
    services_a_folder: Case {
        name: "services-a-folder",
        tried: "`stage --services @FILE` naming a folder",
        files: &[
            ("bp/manifest.yml", ONE),
            ("bp/VERSION", "1.0.0\n"),
            ("services/vcap.json", "{}"),
            ("app/app.txt", "hi\n"),
        ],
        args: &["stage", "app", "-b", "bp", "--services", "@services"],
    };
    services_endless: Case {
        name: "services-endless",
        tried: "`stage --services @FILE` naming a file that never ends (read only past the most VCAP_SERVICES can hold)",
        files: &[
            ("bp/manifest.yml", ONE),
            ("bp/VERSION", "1.0.0\n"),
            ("app/app.txt", "hi\n"),
        ],
        args: &["stage", "app", "-b", "bp", "--services", "@/dev/zero"],
    };
    app_under_a_file: Case {
        name: "app-under-a-file",
        tried: "`stage` given an app folder inside a file (`notes.txt/app`)",
        files: &[
            ("bp/manifest.yml", ONE),
            ("bp/VERSION", "1.0.0\n"),
            ("notes.txt", "hi\n"),
        ],
        args: &["stage", "notes.txt/app", "-b", "bp"],
    };
    unknown_command: Case {
        name: "unknown-command",
        tried: "an unknown command",
        files: &[],
        args: &["pakage"],
    };
}

/// The dependency every network case serves (when its fault lets it through).
const TOOL: &[u8] = b"the tool's tarball (any bytes do: the manifest has their sha256)\n";

/// A buildpack whose one dependency, tool 1.1.0, is `$SERVER/tool-1.1.0.tgz` (or `uri`).
macro_rules! net_bp {
    () => {
        net_bp!("$SERVER/tool-1.1.0.tgz")
    };
    ($uri:literal) => {
        &[
            (
                "bp/manifest.yml",
                concat!(
                    "language: demo\ndependencies:\n- name: tool\n  version: 1.1.0\n  uri: ",
                    $uri,
                    "\n  sha256: $TOOL_SHA256\n  cf_stacks: [cflinuxfs4]\n"
                ),
            ),
            ("bp/VERSION", "1.0.0\n"),
            ("bp/bin/detect", "#!/bin/sh\n"),
            ("bp/bin/compile", "#!/bin/sh\n"),
            ("bp/bin/release", "#!/bin/sh\n"),
        ]
    };
}

/// Route `/tool-1.1.0.tgz` on `server` to [`TOOL`] with `fault`.
fn serve_tool(server: &Server, fault: Fault) {
    server.route("/tool-1.1.0.tgz", TOOL, fault);
}

/// `bpkit -q package bp --cached`, with its own cache.
const PACKAGE: &[&str] = &["-q", "package", "bp", "--cached", "--cache-dir", "cache"];

net_cases! {
    net_refused: {
        name: "net-refused",
        tried: "a dependency on a port where nothing listens",
        files: net_bp!("$REFUSED/tool-1.1.0.tgz"),
        env: &[("BPKIT_RETRIES", "0")],
        serve: |_| {},
    };
    net_not_found: {
        name: "net-404",
        tried: "a dependency the server does not have (404: not retried)",
        serve: |server| serve_tool(server, Fault::Status(404)),
    };
    net_500_then_success: {
        name: "net-500-then-success",
        tried: "a server that answers 500 once, then serves the file",
        env: &[("BPKIT_RETRY_DELAY_MS", "10")],
        serve: |server| serve_tool(server, Fault::FailFirst { count: 1, status: 500 }),
    };
    net_500_always: {
        name: "net-500-always",
        tried: "a server that always answers 500 (retries run out)",
        env: &[("BPKIT_RETRIES", "1"), ("BPKIT_RETRY_DELAY_MS", "10")],
        serve: |server| serve_tool(server, Fault::Status(500)),
    };
    net_retry_after: {
        name: "net-retry-after",
        tried: "a server that answers 503 with `Retry-After: 1` once",
        serve: |server| serve_tool(server, Fault::AskToWait { count: 1, status: 503, retry_after: "1".into() }),
    };
    net_truncated: {
        name: "net-truncated",
        tried: "a body cut short",
        env: &[("BPKIT_RETRIES", "0")],
        serve: |server| serve_tool(server, Fault::Truncate { send: 10 }),
    };
    net_stalled: {
        name: "net-stalled",
        tried: "a server that stops sending half-way",
        env: &[("BPKIT_RETRIES", "0"), ("BPKIT_READ_TIMEOUT", "1")],
        serve: |server| serve_tool(server, Fault::Stall { after: 10 }),
    };
    net_slow: {
        name: "net-slow",
        tried: "a slow server that keeps sending (longer in all than the idle timeout)",
        env: &[("BPKIT_READ_TIMEOUT", "1")],
        serve: |server| serve_tool(server, Fault::Slow { chunk: 12, delay: Duration::from_millis(400) }),
    };
    net_endless: {
        name: "net-endless",
        tried: "a server that sends without end, announcing no size (stopped at `BPKIT_MAX_DOWNLOAD_SIZE`, 4G unless set; the `.part` file is removed)",
        env: &[("BPKIT_MAX_DOWNLOAD_SIZE", "1K")],
        serve: |server| serve_tool(server, Fault::Endless),
    };
    net_too_large: {
        name: "net-too-large",
        tried: "a file whose `Content-Length` is above `BPKIT_MAX_DOWNLOAD_SIZE` (refused before a byte is written)",
        env: &[("BPKIT_MAX_DOWNLOAD_SIZE", "10")],
        serve: |server| serve_tool(server, Fault::None),
    };
    net_redirect: {
        name: "net-redirect",
        tried: "a redirect (followed; the cache and zip keep the manifest's name)",
        serve: |server| {
            serve_tool(server, Fault::Redirect { to: "/moved/tool-1.1.0.tgz".into() });
            server.serve("/moved/tool-1.1.0.tgz", TOOL);
        },
    };
    net_redirect_loop: {
        name: "net-redirect-loop",
        tried: "a redirect to itself",
        serve: |server| serve_tool(server, Fault::Redirect { to: "/tool-1.1.0.tgz".into() }),
    };
}

/// Run a case in a fresh folder, with a server set up by `serve` when given; returns what it
/// printed, with the folder shown as `$PWD`, the server as `$SERVER` and a port nothing
/// listens on as `$REFUSED`.
fn run_case(case: &Case, serve: Option<Serve>) -> Run {
    let temp = tempfile::tempdir().unwrap();
    let dir = fs::canonicalize(temp.path()).unwrap();
    let here = dir.display().to_string();
    let server = serve.map(|serve| {
        let server = Server::start();
        serve(&server);
        server
    });
    let server_url = server.as_ref().map(|s| s.url("")).unwrap_or_default();
    let refused = format!("http://{}", common::server::refused_addr());
    let placeholders = [
        ("$PWD", here.as_str()),
        ("$SERVER", server_url.as_str()),
        ("$REFUSED", refused.as_str()),
        ("$TOOL_SHA256", &common::buildpack::sha256_hex(TOOL)),
    ];
    let fill = |text: &str| {
        placeholders
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .fold(text.to_string(), |text, (name, value)| {
                text.replace(name, value)
            })
    };
    for (path, contents) in case.files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, fill(contents)).unwrap();
        if path.parent().is_some_and(|p| p.ends_with("bin")) {
            common::buildpack::chmod(&path, 0o755);
        }
    }
    let mut command = isolated(&dir.join("cache"));
    command
        .current_dir(&dir)
        .env_remove("CF_STACK")
        .env_remove("STACK")
        .env_remove("BUILDPACK_DIR")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("BPKIT_RETRIES");
    for (key, value) in case.env {
        let value = if *key == "BUILDPACK_DIR" {
            dir.join(value).display().to_string()
        } else {
            (*value).to_string()
        };
        command.env(key, value);
    }
    let mut result = run(command.args(case.args));
    for (name, value) in &placeholders[..3] {
        if !value.is_empty() {
            result.stdout = result.stdout.replace(value, name);
            result.stderr = result.stderr.replace(value, name);
        }
    }
    result
}

/// A table cell showing `text` as code (a double-backtick span when it holds a backtick; `|`
/// escaped, as GitHub tables need even in code).
fn code(text: &str) -> String {
    let text = text.replace('|', "\\|");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// The README row for a case and what it printed.
fn row(case: &Case, result: &Run) -> String {
    let mut command: Vec<String> = case
        .env
        .iter()
        .map(|(k, v)| {
            if *k == "BUILDPACK_DIR" {
                format!("{k}=$PWD/{v}")
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    command.push("bpkit".into());
    command.extend(case.args.iter().map(|a| (*a).to_string()));
    let printed: Vec<String> = result
        .stdout
        .lines()
        .chain(result.stderr.lines())
        .filter(|l| !l.trim().is_empty())
        .map(code)
        .collect();
    format!(
        "| {} | {} | {} | {} | {} |",
        case.name,
        case.tried,
        code(&command.join(" ")),
        result.code,
        printed.join("<br>")
    )
}

fn readme() -> String {
    fs::read_to_string(repo_root().join("README.md")).unwrap()
}

/// The rows of one of the README's tables.
fn readme_rows(text: &str, table: &Table) -> Vec<String> {
    let start = text.find(table.begin).expect("the README has the table") + table.begin.len();
    let end = text[start..]
        .find(table.end)
        .expect("the table's end marker")
        + start;
    text[start..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| case ") && !l.starts_with("| ---"))
        .map(str::to_string)
        .collect()
}

fn check(case: &Case, serve: Option<Serve>, table: &Table) {
    let result = run_case(case, serve);
    if serve.is_none() {
        assert_ne!(result.code, 0, "{}: bad input must fail", case.name);
    }
    assert!(
        !result.stderr.contains("panicked"),
        "{}: {}",
        case.name,
        result.stderr
    );
    let expected = row(case, &result);
    let rows = readme_rows(&readme(), table);
    let prefix = format!("| {} |", case.name);
    let Some(found) = rows.iter().find(|r| r.starts_with(&prefix)) else {
        panic!(
            "README has no row for {}; run BPKIT_BLESS=1 cargo test --test bad_input readme_lists -- --test-threads=1\n{expected}",
            case.name
        );
    };
    assert_eq!(
        found, &expected,
        "README row {} is out of date (BPKIT_BLESS=1 cargo test --test bad_input readme_lists -- --test-threads=1 rewrites it)",
        case.name
    );
}

/// The README's table has exactly `cases`' rows, in order (with `BPKIT_BLESS`, rewrite it).
fn check_table(table: &Table, cases: &[(&Case, Option<Serve>)]) {
    let text = readme();
    let start = text
        .find(table.begin)
        .expect("the README has the begin marker")
        + table.begin.len();
    if std::env::var_os("BPKIT_BLESS").is_some() {
        let end = text[start..].find(table.end).expect("the end marker") + start;
        let mut rows = format!("\n{HEADER}");
        for (case, serve) in cases {
            rows.push_str(&row(case, &run_case(case, *serve)));
            rows.push('\n');
        }
        let updated = format!("{}{rows}{}", &text[..start], &text[end..]);
        fs::write(repo_root().join("README.md"), updated).unwrap();
        return;
    }
    let names: Vec<String> = readme_rows(&text, table)
        .iter()
        .map(|r| {
            r.split(" | ")
                .next()
                .unwrap()
                .trim_start_matches("| ")
                .to_string()
        })
        .collect();
    let expected: Vec<&str> = cases.iter().map(|(c, _)| c.name).collect();
    assert_eq!(names, expected);
    assert!(
        text[start..].starts_with(&format!("\n{HEADER}")),
        "the table's header"
    );
}

#[test]
fn readme_lists_every_case() {
    let cases: Vec<(&Case, Option<Serve>)> = CASES.iter().map(|c| (c, None)).collect();
    check_table(&BAD_INPUT, &cases);
}

// The two tables are rewritten by two tests running at once: BPKIT_BLESS needs
// `--test-threads=1` (see the README).
#[test]
fn readme_lists_every_network_fault() {
    let cases: Vec<(&Case, Option<Serve>)> =
        NET_CASES.iter().map(|n| (&n.case, Some(n.serve))).collect();
    check_table(&NETWORK, &cases);
}

/// The README's map of faults and attacks to tests names real tests: every `snake_case` name
/// in its table is a `fn` somewhere under tests/ or src/.
#[test]
fn the_readme_test_map_names_real_tests() {
    let text = readme();
    let start = text
        .find("### Faults and attacks, and the tests that show each")
        .expect("the README's test map");
    let end = text[start..].find("\n### ").unwrap() + start;
    let mut sources = String::new();
    for dir in ["tests", "src"] {
        let mut pending = vec![repo_root().join(dir)];
        while let Some(d) = pending.pop() {
            for entry in fs::read_dir(&d).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    sources.push_str(&fs::read_to_string(&path).unwrap());
                }
            }
        }
    }
    let mut names = 0;
    for piece in text[start..end].split('`').skip(1).step_by(2) {
        let is_test_name = piece.contains('_')
            && piece
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if is_test_name {
            names += 1;
            assert!(
                sources.contains(&format!("fn {piece}(")),
                "the README names `{piece}`, which is no test"
            );
        }
    }
    assert!(names > 40, "only {names} test names found");
}
