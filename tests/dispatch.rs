//! argv[0] dispatch through symlinks named after each phase, and the phase subcommands (issue 2).
#![allow(clippy::unwrap_used)]

mod common;

use common::bin::{bpkit, command_for, link_as, run};

const PHASES: [(&str, &str); 5] = [
    ("detect", "Usage: detect BUILD_DIR"),
    (
        "supply",
        "Usage: supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX",
    ),
    (
        "finalize",
        "Usage: finalize BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX [PROFILE_DIR]",
    ),
    ("compile", "Usage: compile BUILD_DIR CACHE_DIR [ENV_DIR]"),
    ("release", "Usage: release BUILD_DIR"),
];

#[test]
fn symlinks_named_after_phases_print_their_usage_on_wrong_argument_counts() {
    let dir = tempfile::tempdir().unwrap();
    for (phase, usage) in PHASES {
        let link = link_as(dir.path(), phase);
        // No arguments at all, and far too many: both are wrong for every phase.
        for args in [vec![], vec!["a"; 6]] {
            let result = run(command_for(&link).args(&args));
            assert_eq!(result.code, 1, "{phase} {args:?}");
            assert_eq!(result.stderr, format!("{usage}\n"), "{phase} {args:?}");
            assert_eq!(result.stdout, "", "{phase}");
        }
    }
}

#[test]
fn phase_subcommands_check_arguments_the_same_way() {
    for (phase, usage) in PHASES {
        let result = run(bpkit().args([phase, "a", "b", "c", "d", "e", "f"]));
        assert_eq!(result.code, 1, "{phase}");
        assert_eq!(result.stderr, format!("{usage}\n"), "{phase}");
    }
}

#[test]
fn each_phase_subcommands_help_names_the_arguments_its_usage_line_takes() {
    // `bpkit help finalize` said PROFILE_DIR was required, where the phase (and its usage
    // line) take it as optional.
    for (phase, usage) in PHASES {
        let result = run(bpkit().args(["help", phase]));
        assert_eq!(result.code, 0, "{phase}");
        let arguments = usage.strip_prefix("Usage: ").unwrap();
        let expected = format!("`bpkit {arguments}`");
        assert!(
            result.stdout.lines().next().unwrap().contains(&expected),
            "{phase}: the help's first line should name {expected}:\n{}",
            result.stdout
        );
    }
}

#[test]
fn any_other_name_is_the_toolkit() {
    let dir = tempfile::tempdir().unwrap();
    let link = link_as(dir.path(), "my-tool");
    let result = run(command_for(&link).arg("--help"));
    assert_eq!(result.code, 0);
    assert!(result.stdout.contains("validate"), "{}", result.stdout);
}

#[test]
fn unknown_toolkit_command_is_a_usage_error() {
    let result = run(bpkit().arg("no-such-command"));
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("unrecognized subcommand 'no-such-command'"),
        "{}",
        result.stderr
    );
}
