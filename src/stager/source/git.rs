//! Cloning a buildpack given as a git URL, as the builder clones it: `git clone --depth 1 -b REF
//! --recursive URL`, and when that fails a full clone then `git checkout REF` (so a commit id
//! works too). Credentials in an http(s) URL reach git through a credential helper reading the
//! environment, never on a command line.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::fetch::uri;
use crate::output::Logger;
use crate::stager::env::Environment;
use crate::stager::error::StageError;
use crate::stager::run_phase::{self, Deadline, RunError, Sink};

pub(super) fn clone(
    url: &str,
    reference: Option<&str>,
    dest: &Path,
    env: &Environment,
    logger: &Logger,
    deadline: Option<Deadline>,
) -> Result<(), StageError> {
    let shown = uri::redact(url);
    let secrets = uri::secrets(url);
    let failed = |source| StageError::CannotCloneBuildpack {
        url: shown.clone(),
        source,
    };
    // `user:password@` of an http(s) URL goes to git through a credential helper that reads
    // the environment, not in the URL: a command line is readable by every user of the machine
    // (`ps`), the environment of a process only by its owner.
    let (url, credentials) = match uri::scheme(url).as_deref() {
        Some("http" | "https") => uri::take_credentials(url),
        _ => (url.to_string(), None),
    };
    let url = url.as_str();
    let git = |args: &[&std::ffi::OsStr]| -> Result<bool, StageError> {
        let mut command = Command::new("git");
        env.apply(&mut command);
        // A private repository must fail, not wait for a password nobody will type.
        command.env("GIT_TERMINAL_PROMPT", "0");
        if let Some(credentials) = &credentials {
            // An empty `credential.helper` first drops the user's own helpers, so that the
            // URL's credentials win over stored ones, as they do when written in the URL.
            command
                .args(["-c", "credential.helper=", "-c", CREDENTIAL_HELPER])
                .env("BPKIT_GIT_ORIGIN", uri::origin_as_written(url))
                .env("BPKIT_GIT_USERNAME", &credentials.user)
                .env("BPKIT_GIT_PASSWORD", &credentials.password);
        }
        command.args(args);
        logger.debug(&format!("git {}", describe_args(args, url, &shown)));
        match run_phase::run(
            command,
            Sink::Debug(&secrets),
            Sink::Debug(&secrets),
            logger,
            deadline,
        ) {
            Ok(finished) => Ok(finished.status.success()),
            Err(RunError::CannotSpawn(source)) => Err(StageError::GitNotInstalled {
                url: shown.clone(),
                source,
            }),
            Err(RunError::Interrupted) => Err(StageError::Interrupted),
            Err(RunError::TimedOut) => Err(StageError::TimedOut(deadline.map_or(0, |d| d.secs))),
            Err(RunError::CannotWait(e)) => Err(failed(Some(e))),
        }
    };
    let dest_os = dest.as_os_str();
    let mut shallow: Vec<&std::ffi::OsStr> =
        vec!["clone".as_ref(), "--depth".as_ref(), "1".as_ref()];
    if let Some(reference) = reference {
        shallow.push("-b".as_ref());
        shallow.push(reference.as_ref());
    }
    shallow.extend(["--recursive".as_ref(), url.as_ref(), dest_os]);
    if git(&shallow)? {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(dest);
    if !git(&[
        "clone".as_ref(),
        "--recursive".as_ref(),
        url.as_ref(),
        dest_os,
    ])? {
        return Err(failed(None));
    }
    if let Some(reference) = reference {
        let git_dir = format!("--git-dir={}", dest.join(".git").display());
        let work_tree = format!("--work-tree={}", dest.display());
        if !git(&[
            git_dir.as_ref(),
            work_tree.as_ref(),
            "checkout".as_ref(),
            reference.as_ref(),
        ])? {
            return Err(StageError::CannotCheckoutBuildpack {
                reference: reference.to_string(),
                url: shown,
            });
        }
    }
    Ok(())
}

/// A git credential helper (git runs `!…` with `sh`, adding ` get`, `store` or `erase`) that
/// answers `get` with the credentials bpkit put in its environment, and only for the server
/// they were written for: a submodule or a redirect on another host gets nothing, as when the
/// credentials are in the URL. git gives `protocol` and `host` (with `:port` when the URL
/// has one) as written in the URL, one `key=value` per line, ending with an empty line.
const CREDENTIAL_HELPER: &str = "credential.helper=!f() { \
    if test \"$1\" = get; then \
        p=; h=; \
        while IFS= read -r l && test -n \"$l\"; do \
            case $l in protocol=*) p=${l#protocol=} ;; host=*) h=${l#host=} ;; esac; \
        done; \
        if test \"$p://$h\" = \"$BPKIT_GIT_ORIGIN\"; then \
            printf 'username=%s\\npassword=%s\\n' \"$BPKIT_GIT_USERNAME\" \"$BPKIT_GIT_PASSWORD\"; \
        fi; \
    fi; \
}; f";

fn describe_args(args: &[&std::ffi::OsStr], url: &str, shown: &str) -> String {
    let mut text = String::new();
    for arg in args {
        let arg = arg.to_string_lossy();
        let arg = if arg == url { shown.into() } else { arg };
        let _ = write!(text, "{arg} ");
    }
    text.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The credential helper as git runs it: `sh -c '<helper> get'`, the request on stdin.
    fn ask_helper(action: &str, request: &str) -> String {
        use std::io::Write as _;
        let body = CREDENTIAL_HELPER
            .strip_prefix("credential.helper=!")
            .unwrap();
        let mut child = Command::new("sh")
            .args(["-c", &format!("{body} {action}")])
            .env("BPKIT_GIT_ORIGIN", "https://git.example:8443")
            .env("BPKIT_GIT_USERNAME", "deploy")
            .env("BPKIT_GIT_PASSWORD", "p a$s'w\\ord")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // For `store` and `erase` the helper may exit before reading: a broken pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(request.as_bytes());
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    }

    #[test]
    fn the_credential_helper_answers_only_its_server() {
        let request = "protocol=https\nhost=git.example:8443\npath=org/bp.git\n\n";
        assert_eq!(
            ask_helper("get", request),
            "username=deploy\npassword=p a$s'w\\ord\n"
        );
        // Another host, port or protocol (a submodule, a redirect) gets nothing.
        for other in [
            "protocol=https\nhost=evil.example:8443\n\n",
            "protocol=https\nhost=git.example\n\n",
            "protocol=http\nhost=git.example:8443\n\n",
        ] {
            assert_eq!(ask_helper("get", other), "", "{other}");
        }
        // git tells helpers what worked or failed; this one stores nothing.
        assert_eq!(ask_helper("store", request), "");
        assert_eq!(ask_helper("erase", request), "");
    }
}
