//! Whether the bpkit binary a zip carries starts on the stacks the zip is for: the glibc and the
//! program loader of each cflinuxfs (and Heroku) stack, against what the binary needs
//! ([`super::linkage`]).
//!
//! A warning, not a refusal: the stacks' glibc is known only for the cflinuxfs and Heroku
//! stacks (another stack name says nothing, but for the Windows stacks, where no Linux binary
//! starts), and a binary that cannot start on one stack may be meant for another. The platform
//! would only say so at staging, on every app, after the zip was uploaded.

use std::path::Path;

use super::linkage::{GlibcVersion, Linkage};

/// A stack bpkit knows the C library of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownStack {
    pub name: &'static str,
    /// The Ubuntu release it is built from.
    pub ubuntu: &'static str,
    pub glibc: GlibcVersion,
}

/// The cflinuxfs stacks, Ubuntu 18.04 (bionic), 22.04 (jammy) and 24.04 (noble), and Heroku's
/// stacks of Ubuntu 20.04 (focal), 22.04 and 24.04 (a bpkit buildpack's `compile` runs there
/// too), with the glibc of each release; oldest first, for the fix to name the oldest Ubuntu.
/// All of them x86_64 with glibc's loader (Heroku's arm64 images are for Cloud Native
/// Buildpacks, which run no `bin/compile`).
pub const KNOWN_STACKS: [KnownStack; 6] = [
    KnownStack {
        name: "cflinuxfs3",
        ubuntu: "18.04",
        glibc: GlibcVersion([2, 27, 0]),
    },
    KnownStack {
        name: "heroku-20",
        ubuntu: "20.04",
        glibc: GlibcVersion([2, 31, 0]),
    },
    KnownStack {
        name: "cflinuxfs4",
        ubuntu: "22.04",
        glibc: GlibcVersion([2, 35, 0]),
    },
    KnownStack {
        name: "heroku-22",
        ubuntu: "22.04",
        glibc: GlibcVersion([2, 35, 0]),
    },
    KnownStack {
        name: "cflinuxfs5",
        ubuntu: "24.04",
        glibc: GlibcVersion([2, 39, 0]),
    },
    KnownStack {
        name: "heroku-24",
        ubuntu: "24.04",
        glibc: GlibcVersion([2, 39, 0]),
    },
];

/// The stacks an any-stack zip is checked against when its dependencies name none: those still
/// supported (cflinuxfs3 reached its end of life with Ubuntu 18.04's standard support).
pub const SUPPORTED_STACKS: [&str; 2] = ["cflinuxfs4", "cflinuxfs5"];

/// [`warning`] for the binary at `path`; `None` also when it cannot be read (its own use then
/// fails with its own message, to which this adds nothing).
pub fn warning_for_file(path: &Path, shown: &str, stacks: &[&str]) -> Option<String> {
    let (mut file, _) = crate::regular_file::open(path).ok()?;
    let linkage = super::linkage::read(&mut file).ok()?;
    warning(&linkage, shown, stacks)
}

/// The stacks a zip is checked against: its one stack, else those its dependencies name
/// (`named`), else [`SUPPORTED_STACKS`].
pub fn zip_stacks<'a>(one: Option<&'a str>, named: Vec<&'a str>) -> Vec<&'a str> {
    match one {
        Some(stack) => vec![stack],
        None if named.is_empty() => SUPPORTED_STACKS.to_vec(),
        None => named,
    }
}

/// Whether `stack` is one of Cloud Foundry's Windows stacks (`windows`, `windows2016`,
/// `windows2012R2`), where no ELF executable starts.
fn is_windows(stack: &str) -> bool {
    stack
        .get(.."windows".len())
        .is_some_and(|start| start.eq_ignore_ascii_case("windows"))
}

/// Whether `interpreter` is glibc's program loader (`/lib64/ld-linux-x86-64.so.2`,
/// `/lib/ld-linux-aarch64.so.1`), the only one the cflinuxfs stacks have.
fn is_glibc_loader(interpreter: &str) -> bool {
    interpreter
        .rsplit('/')
        .next()
        .is_some_and(|name| name.starts_with("ld-linux"))
}

/// The ELF machine (`e_machine`) of x86_64, which every cflinuxfs stack runs.
const EM_X86_64: u16 = 62;

/// A name for the ELF machine `machine`, for messages (never x86_64's, which is no warning).
fn machine_name(machine: u16) -> &'static str {
    match machine {
        3 => "i386",
        40 => "32-bit ARM",
        183 => "aarch64",
        243 => "RISC-V",
        _ => "another machine",
    }
}

/// The warning for the binary `shown` (`bin/bpkit (PATH)`), which needs `linkage`, in a zip for
/// `stacks`; `None` when it starts on every one of them bpkit knows.
pub fn warning(linkage: &Linkage, shown: &str, stacks: &[&str]) -> Option<String> {
    let windows: Vec<&str> = stacks
        .iter()
        .copied()
        .filter(|stack| is_windows(stack))
        .collect();
    // Only of an ELF file: another (a script, such as the bootstrap) is no Linux program.
    if linkage.machine.is_some() && !windows.is_empty() {
        return Some(format!(
            "{shown} is a Linux executable, and {} {} Windows: every phase would fail there; a bpkit buildpack runs on Linux stacks, so package it with --stack cflinuxfs4 or another Linux stack",
            windows.join(", "),
            if windows.len() == 1 { "runs" } else { "run" },
        ));
    }
    let known: Vec<&KnownStack> = KNOWN_STACKS
        .iter()
        .filter(|known| stacks.contains(&known.name))
        .collect();
    let names: Vec<&str> = known.iter().map(|k| k.name).collect();
    let verb = |one: &'static str, many: &'static str| if names.len() == 1 { one } else { many };
    if let Some(machine) = linkage.machine
        && machine != EM_X86_64
        && !known.is_empty()
    {
        return Some(format!(
            "{shown} is an executable for {} (ELF machine {machine}), and {} {} x86_64: every phase would fail there (Exec format error); pass --binary the Linux x86_64 bpkit binary",
            machine_name(machine),
            names.join(", "),
            verb("runs", "run"),
        ));
    }
    let fix =
        "pass --binary a static build (`cargo build --release --target x86_64-unknown-linux-musl`)";
    if let Some(loader) = &linkage.interpreter
        && !is_glibc_loader(loader)
        && !known.is_empty()
    {
        // The loader's name is the binary's bytes: one holding a line break must not split
        // the packaging log's line in two.
        let loader = crate::output::escape_controls(loader);
        return Some(format!(
            "{shown} needs the program loader {loader}, which {} {}: every phase would fail there (No such file or directory); {fix}",
            names.join(", "),
            verb("lacks", "lack"),
        ));
    }
    let needed = linkage.glibc?;
    let short: Vec<&KnownStack> = known.into_iter().filter(|k| k.glibc < needed).collect();
    let oldest = short.first()?;
    let list: Vec<String> = short
        .iter()
        .map(|k| format!("{} (Ubuntu {}) has glibc {}", k.name, k.ubuntu, k.glibc))
        .collect();
    Some(format!(
        "{shown} needs glibc {needed}; {}: every phase would fail there (version `GLIBC_{needed}' not found); {fix}, or one built on Ubuntu {}",
        list.join(", "),
        oldest.ubuntu,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLIBC_LOADER: &str = "/lib64/ld-linux-x86-64.so.2";

    fn needing(glibc: [u16; 3]) -> Linkage {
        Linkage {
            machine: Some(62),
            interpreter: Some(GLIBC_LOADER.into()),
            glibc: Some(GlibcVersion(glibc)),
        }
    }

    #[test]
    fn a_binary_needing_a_newer_glibc_than_a_stack_has_is_named_with_the_stacks() {
        let shown = "bin/bpkit (/b/bpkit)";
        assert_eq!(
            warning(&needing([2, 39, 0]), shown, &["cflinuxfs4"]).as_deref(),
            Some(
                "bin/bpkit (/b/bpkit) needs glibc 2.39; cflinuxfs4 (Ubuntu 22.04) has glibc 2.35: every phase would fail there (version `GLIBC_2.39' not found); pass --binary a static build (`cargo build --release --target x86_64-unknown-linux-musl`), or one built on Ubuntu 22.04"
            )
        );
        // Every stack short of it, oldest first whatever the order given; the fix names the
        // oldest one's Ubuntu.
        assert_eq!(
            warning(
                &needing([2, 36, 0]),
                shown,
                &["cflinuxfs5", "cflinuxfs4", "cflinuxfs3"]
            )
            .as_deref(),
            Some(
                "bin/bpkit (/b/bpkit) needs glibc 2.36; cflinuxfs3 (Ubuntu 18.04) has glibc 2.27, cflinuxfs4 (Ubuntu 22.04) has glibc 2.35: every phase would fail there (version `GLIBC_2.36' not found); pass --binary a static build (`cargo build --release --target x86_64-unknown-linux-musl`), or one built on Ubuntu 18.04"
            )
        );
    }

    #[test]
    fn herokus_stacks_are_known_as_their_ubuntu_releases() {
        assert_eq!(
            warning(
                &needing([2, 32, 0]),
                "b",
                &["heroku-24", "heroku-22", "heroku-20"]
            )
            .as_deref(),
            Some(
                "b needs glibc 2.32; heroku-20 (Ubuntu 20.04) has glibc 2.31: every phase would fail there (version `GLIBC_2.32' not found); pass --binary a static build (`cargo build --release --target x86_64-unknown-linux-musl`), or one built on Ubuntu 20.04"
            )
        );
        assert_eq!(
            warning(&needing([2, 36, 0]), "b", &["heroku-24", "heroku-22"])
                .unwrap()
                .split(':')
                .next(),
            Some("b needs glibc 2.36; heroku-22 (Ubuntu 22.04) has glibc 2.35")
        );
        assert_eq!(warning(&needing([2, 39, 0]), "b", &["heroku-24"]), None);
        // The list runs oldest first, as the fix needs.
        let ubuntus: Vec<&str> = KNOWN_STACKS.iter().map(|k| k.ubuntu).collect();
        assert!(ubuntus.is_sorted(), "{ubuntus:?}");
    }

    #[test]
    fn a_binary_a_stack_can_start_gets_no_warning() {
        // The stack's own glibc is enough; so is an older one.
        assert_eq!(warning(&needing([2, 35, 0]), "b", &["cflinuxfs4"]), None);
        assert_eq!(warning(&needing([2, 2, 5]), "b", &["cflinuxfs3"]), None);
        assert_eq!(warning(&needing([2, 39, 0]), "b", &["cflinuxfs5"]), None);
        // A stack bpkit does not know says nothing either way.
        assert_eq!(warning(&needing([9, 0, 0]), "b", &["my-stack"]), None);
        assert_eq!(warning(&needing([9, 0, 0]), "b", &[]), None);
        // A static binary needs nothing.
        assert_eq!(warning(&Linkage::default(), "b", &["cflinuxfs3"]), None);
    }

    #[test]
    fn a_binary_for_another_machine_is_named_with_the_stacks_it_cannot_run_on() {
        let arm = Linkage {
            machine: Some(183),
            ..needing([2, 17, 0])
        };
        assert_eq!(
            warning(&arm, "bin/bpkit (b)", &["cflinuxfs4", "arm-stack"]).as_deref(),
            Some(
                "bin/bpkit (b) is an executable for aarch64 (ELF machine 183), and cflinuxfs4 runs x86_64: every phase would fail there (Exec format error); pass --binary the Linux x86_64 bpkit binary"
            )
        );
        let riscv = Linkage {
            machine: Some(243),
            ..Linkage::default()
        };
        assert_eq!(
            warning(&riscv, "b", &["cflinuxfs3", "cflinuxfs4"]).as_deref(),
            Some(
                "b is an executable for RISC-V (ELF machine 243), and cflinuxfs3, cflinuxfs4 run x86_64: every phase would fail there (Exec format error); pass --binary the Linux x86_64 bpkit binary"
            )
        );
        for (machine, name) in [(3, "i386"), (40, "32-bit ARM"), (9999, "another machine")] {
            let other = Linkage {
                machine: Some(machine),
                ..Linkage::default()
            };
            let expected = format!("b is an executable for {name} (ELF machine {machine}), ");
            let text = warning(&other, "b", &["cflinuxfs4"]).unwrap();
            assert!(text.starts_with(&expected), "{text}");
        }
        // A stack bpkit does not know may run that machine.
        assert_eq!(warning(&arm, "b", &["arm-stack"]), None);
    }

    #[test]
    fn a_linux_binary_for_a_windows_stack_is_named_with_the_windows_stacks() {
        assert_eq!(
            warning(
                &needing([2, 17, 0]),
                "bin/bpkit (b)",
                &["cflinuxfs4", "windows"]
            )
            .as_deref(),
            Some(
                "bin/bpkit (b) is a Linux executable, and windows runs Windows: every phase would fail there; a bpkit buildpack runs on Linux stacks, so package it with --stack cflinuxfs4 or another Linux stack"
            )
        );
        let static_arm = Linkage {
            machine: Some(183),
            ..Linkage::default()
        };
        let text = warning(&static_arm, "b", &["windows2016", "WINDOWS2012R2", "win"]).unwrap();
        assert!(
            text.starts_with(
                "b is a Linux executable, and windows2016, WINDOWS2012R2 run Windows: "
            ),
            "{text}"
        );
        assert_eq!(warning(&Linkage::default(), "b", &["windows"]), None);
        for stack in ["win", "window", "my-windows", "wîndows"] {
            assert!(!is_windows(stack), "{stack}");
        }
    }

    #[test]
    fn a_file_is_read_for_its_linkage_and_one_that_is_no_executable_says_nothing() {
        // This test binary: an ELF executable wherever the tests run.
        let me = std::env::current_exe().unwrap();
        let text = warning_for_file(&me, "me", &["windows"]).unwrap();
        assert!(text.starts_with("me is a Linux executable, "), "{text}");
        let temp = tempfile::tempdir().unwrap();
        let script = temp.path().join("script");
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        for path in [script.as_path(), temp.path(), &temp.path().join("missing")] {
            assert_eq!(
                warning_for_file(path, "b", &["windows"]),
                None,
                "{}",
                path.display()
            );
        }
    }

    #[test]
    fn a_zip_is_for_its_stack_else_its_dependencies_stacks_else_the_supported_ones() {
        assert_eq!(
            zip_stacks(Some("cflinuxfs3"), vec!["cflinuxfs4"]),
            ["cflinuxfs3"]
        );
        assert_eq!(
            zip_stacks(None, vec!["cflinuxfs5", "x"]),
            ["cflinuxfs5", "x"]
        );
        assert_eq!(zip_stacks(None, vec![]), ["cflinuxfs4", "cflinuxfs5"]);
    }

    #[test]
    fn a_loader_the_stacks_lack_is_named() {
        let musl = Linkage {
            machine: Some(62),
            interpreter: Some("/lib/ld-musl-x86_64.so.1".into()),
            glibc: None,
        };
        assert_eq!(
            warning(
                &musl,
                "bin/bpkit (b)",
                &["cflinuxfs4", "my-stack", "cflinuxfs5"]
            )
            .as_deref(),
            Some(
                "bin/bpkit (b) needs the program loader /lib/ld-musl-x86_64.so.1, which cflinuxfs4, cflinuxfs5 lack: every phase would fail there (No such file or directory); pass --binary a static build (`cargo build --release --target x86_64-unknown-linux-musl`)"
            )
        );
        assert_eq!(
            warning(&musl, "b", &["cflinuxfs4"])
                .as_deref()
                .map(|w| w.contains(" lacks:")),
            Some(true)
        );
        assert_eq!(warning(&musl, "b", &["my-stack"]), None);
        let crafted = Linkage {
            machine: Some(62),
            interpreter: Some("/x\n**ERROR** y".into()),
            glibc: None,
        };
        let text = warning(&crafted, "b", &["cflinuxfs4"]).unwrap();
        assert!(
            text.starts_with("b needs the program loader /x\\n**ERROR** y, "),
            "{text}"
        );
        // glibc's loaders, for x86_64 and aarch64, are the stacks' own.
        for loader in [GLIBC_LOADER, "/lib/ld-linux-aarch64.so.1"] {
            let linkage = Linkage {
                machine: Some(62),
                interpreter: Some(loader.into()),
                glibc: Some(GlibcVersion([2, 17, 0])),
            };
            assert_eq!(warning(&linkage, "b", &["cflinuxfs4"]), None, "{loader}");
        }
    }
}
