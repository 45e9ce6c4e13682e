//! Step 2 in detect mode: the first buildpack whose `bin/detect` exits 0 is the final one, and
//! what it printed names it when its `config.yml` does not.

use std::fs;

use super::error::StageError;
use super::phases::Phases;
use super::run_phase::{PhaseFailure, too_much_output};
use super::{Buildpack, Chosen, Staging};

impl Staging<'_> {
    /// The builder's `detect`: the first buildpack whose `bin/detect` exits 0.
    pub(super) fn detect(
        &self,
        phases: &Phases<'_>,
        buildpacks: &[Buildpack],
    ) -> Result<Chosen, StageError> {
        use std::os::unix::fs::PermissionsExt;
        let build_dir = self.workspace.build_dir();
        for buildpack in buildpacks {
            let root = match &buildpack.root {
                Ok(root) => root,
                Err(error) => {
                    self.logger.raw(&format!("{error}\n"));
                    continue;
                }
            };
            let detect = root.join("bin/detect");
            match fs::metadata(&detect) {
                Ok(meta) => {
                    if meta.permissions().mode() & 0o111 != 0o111 {
                        self.logger
                            .raw("WARNING: buildpack script '/bin/detect' is not executable\n");
                    }
                }
                Err(e) => {
                    // Go's `os.Stat` error, as the builder prints it.
                    self.logger.raw(&format!(
                        "stat {}: {}\n",
                        detect.display(),
                        super::result::go_io_error(&e)
                    ));
                    continue;
                }
            }
            match phases.run_capturing(&detect, &[build_dir.as_os_str()])? {
                Ok(output) => {
                    let output = String::from_utf8_lossy(&output);
                    return Ok(Chosen {
                        key: buildpack.key.clone(),
                        root: root.clone(),
                        detect_output: output.trim_end_matches(['\r', '\n']).to_string(),
                    });
                }
                // A detect that floods stdout does not match, as a failing one does, but
                // unlike an exit status (which is detect's answer) this is a fault to fix:
                // say so, or the staging would end in "None of the buildpacks detected" alone.
                Err(PhaseFailure::TooMuchOutput { limit }) => {
                    self.logger.warning(&format!(
                        "bin/detect of buildpack {} {} and was stopped, so it did not detect the app; detect prints only the buildpack's name, so send anything else to stderr",
                        buildpack.key,
                        too_much_output(limit)
                    ));
                }
                Err(_) => {}
            }
        }
        Err(StageError::DetectFailed)
    }
}
