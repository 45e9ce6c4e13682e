//! Starting and stopping the app process: the launcher's script under bash, sourcing the
//! profile scripts before it `exec`s the start command, in a process group of its own whose
//! output goes to stderr; waiting for it to exit, or stopping its group when bpkit is
//! interrupted.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::output::Logger;
use crate::process_group::{self, POLL, STOP_GRACE};
use crate::stager::env;

/// The launcher's script (`launcher_unix.go`), argument for argument: `$1` is the app folder,
/// `$2` the start command; `%ENTRYPOINT%` is `bash -c` unless the buildpack set a prefix. The
/// two lines it echoes are the ones every app log on the platform starts with, on the app's
/// stdout, so output read by a test or a log parser is the same here.
const LAUNCHER_SCRIPT: &str = r#"
cd "$1"

echo 'Invoking pre-start scripts.'

if [ -n "$(ls ../profile.d/* 2> /dev/null)" ]; then
  for env_file in ../profile.d/*; do
    source $env_file
  done
fi

if [ -n "$(ls .profile.d/* 2> /dev/null)" ]; then
  for env_file in .profile.d/*; do
    source $env_file
  done
fi

if [ -f .profile ]; then
  source .profile
fi

shift

echo 'Invoking start command.'

exec %ENTRYPOINT% "$@"
"#;

/// The bash command that runs the launcher's script for `command` in `app_dir`, with
/// `environment`, leading its own process group; and the bash it runs (named when it cannot
/// start).
pub(super) fn launcher(
    app_dir: &Path,
    command: &str,
    entrypoint_prefix: Option<&str>,
    environment: &env::Environment,
) -> (&'static str, Command) {
    let script = LAUNCHER_SCRIPT.replace("%ENTRYPOINT%", entrypoint_prefix.unwrap_or("bash -c"));
    let bash = if Path::new("/bin/bash").exists() {
        "/bin/bash"
    } else {
        "bash"
    };
    let mut launcher = Command::new(bash);
    environment.apply(&mut launcher);
    launcher
        .arg("-c")
        .arg(&script)
        .arg("launcher")
        .arg(app_dir)
        .arg(command)
        .current_dir(app_dir)
        .stdin(Stdio::null())
        .stdout(stderr_stdio());
    // No controlling terminal, as in the container: an app that opens /dev/tty (or changes
    // the terminal's modes) was stopped by SIGTTIN (SIGTTOU) in its background process group,
    // and `bpkit run` waited on it for ever.
    crate::process_group::new_session(&mut launcher);
    crate::process_group::restore_signals(&mut launcher);
    (bash, launcher)
}

/// The app's stdout goes to our stderr (stdout is for data).
fn stderr_stdio() -> Stdio {
    use std::os::fd::AsFd;
    std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .map_or_else(|_| Stdio::inherit(), Stdio::from)
}

/// Wait for the app to exit; on SIGINT/SIGTERM/SIGHUP stop its group.
pub(super) fn wait(child: &mut Child, logger: &Logger) -> u8 {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let _ = process_group::signal_group(child.id(), process_group::Signal::Kill);
                logger.detail(&format!(
                    "The app exited: {}",
                    process_group::describe_status(status)
                ));
                return process_group::exit_code_of(status);
            }
            Ok(None) if process_group::termination_requested() => {
                logger.detail("Stopping the app");
                let _ = process_group::stop_group(child, STOP_GRACE);
                return 130;
            }
            Ok(None) => std::thread::sleep(POLL),
            Err(_) => {
                let _ = process_group::stop_group(child, STOP_GRACE);
                return 1;
            }
        }
    }
}
