//! Step 1, the buildpacks: a buildpack folder made by `bpkit init` runs its phases with this
//! bpkit (`BPKIT_BINARY` in the staging environment), so an author can stage it before bpkit
//! is released; and a bpkit binary in a buildpack that the stack could not start is named,
//! since here it starts on this machine's glibc.

use std::path::Path;

use super::{Staging, env, source};
use crate::packager::stack_fit;

impl Staging<'_> {
    /// A buildpack folder made by `bpkit init` has the bootstrap as `bin/bpkit`, and neither
    /// Rust sources to build nor, until bpkit is released, a binary its lock can download: its
    /// phases would stop at once. `bpkit stage APP -b .` is the author's edit-stage loop, so its
    /// phases run this bpkit, as `bpkit package` puts this bpkit in the zip; a `BPKIT_BINARY`
    /// of the host still wins. The variable is the staging's, so a git-URL bpkit buildpack staged
    /// alongside runs this bpkit too (alone, a zip or a clone takes the platform's own path).
    pub(super) fn run_folder_bootstraps_with_this_bpkit(
        &self,
        located: &[source::Located],
        environment: &mut env::Environment,
    ) {
        if environment.get("BPKIT_BINARY").is_some() {
            return;
        }
        let Some(folder) = located.iter().find(|l| {
            l.folder
                && matches!(
                    crate::packager::shim::detect(&l.location, None),
                    Ok(Some(crate::packager::shim::Layout::Bootstrap))
                )
        }) else {
            return;
        };
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        self.logger.detail(&format!(
            "{}/bin/bpkit is the bootstrap: its phases run this bpkit ({}); set BPKIT_BINARY to run another",
            folder.location.display(),
            exe.display()
        ));
        environment.set("BPKIT_BINARY", exe);
    }

    /// A buildpack whose `bin/bpkit` is a binary the stack could not start (linked against a
    /// newer glibc than the stack's, or for another machine; `stack_fit`) stages here, where
    /// it runs on this machine, and fails every phase on the platform: said before the phases
    /// run, where the local success would hide it.
    pub(super) fn warn_of_binaries_the_stack_cannot_start(
        &self,
        roots: &[(&str, &Path)],
        stack: &str,
    ) {
        for (key, root) in roots {
            let shown = format!("bin/bpkit of {key}");
            if let Some(warning) =
                stack_fit::warning_for_file(&root.join("bin/bpkit"), &shown, &[stack])
            {
                self.logger.warning(&format!(
                    "{warning} (here it runs on this machine, not on {stack})"
                ));
            }
        }
    }
}
