//! `argv[0]` dispatch. The platform runs `bin/detect`, `bin/supply`, … which are symlinks (or
//! shims) to this one binary, so the file name of `argv[0]` picks the behaviour. We read
//! `args_os()` and never `current_exe()`, which resolves the symlink whose name *is* the phase.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use crate::exit_code;
use crate::output::Verbosity;
use crate::phases::Phase;

/// What the binary was invoked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// `detect`, `supply`, `finalize`, `compile` or `release`.
    Phase(Phase),
    /// libbuildpack's Go `buildpack-packager` (and the Ruby gem's flags).
    BuildpackPackager,
    /// Anything else: the toolkit CLI.
    Toolkit,
}

impl Entry {
    /// Decide from `argv[0]`'s file name.
    pub fn from_argv0(argv0: &OsStr) -> Entry {
        let name = Path::new(argv0)
            .file_name()
            .and_then(OsStr::to_str)
            .unwrap_or_default();
        if let Some(phase) = Phase::from_name(name) {
            return Entry::Phase(phase);
        }
        if name == "buildpack-packager" {
            return Entry::BuildpackPackager;
        }
        Entry::Toolkit
    }
}

/// Run with the process arguments (`argv[0]` first) and return the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let args: Vec<OsString> = args.into_iter().collect();
    // A file-size limit (`ulimit -f`) is an error to report and clean up after, not a kill.
    crate::process_group::ignore_file_size_signal();
    let Some(argv0) = args.first() else {
        return crate::cli::run(&[OsString::from("bpkit")]);
    };
    match Entry::from_argv0(argv0) {
        // The platform calls bin/<phase> with positional arguments only: no -q/-v to honour.
        Entry::Phase(phase) => crate::phases::run_from_args(phase, &args[1..], Verbosity::Normal),
        Entry::BuildpackPackager => crate::cli::compat::run(&args[1..]),
        Entry::Toolkit => crate::cli::run(&args),
    }
}

/// Exit code for a phase usage error (one line naming the phase was printed).
pub const USAGE_EXIT: u8 = exit_code::FAILURE;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv0_file_name_picks_the_entry() {
        assert_eq!(
            Entry::from_argv0(OsStr::new("/tmp/buildpacks/abc/bin/detect")),
            Entry::Phase(Phase::Detect)
        );
        assert_eq!(
            Entry::from_argv0(OsStr::new("finalize")),
            Entry::Phase(Phase::Finalize)
        );
        assert_eq!(
            Entry::from_argv0(OsStr::new("./buildpack-packager")),
            Entry::BuildpackPackager
        );
        assert_eq!(
            Entry::from_argv0(OsStr::new("/usr/local/bin/bpkit")),
            Entry::Toolkit
        );
        assert_eq!(Entry::from_argv0(OsStr::new("detector")), Entry::Toolkit);
    }
}
