//! Cloning a buildpack given as a git URL, as the builder clones it: `git clone --depth 1
//! --recursive URL DEST -b REF`, and when that fails (a transport without shallow clones) the
//! same without `--depth 1`, after removing what the first attempt left. The ref goes to both
//! clones, never to a later `git checkout`: a branch or a tag works, a commit id fails as it
//! does on the platform, and submodules are those of the ref. Credentials in an http(s) URL
//! reach git through a credential helper reading the environment, never on a command line.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::fetch::uri;
use crate::output::Logger;
use crate::stager::deadline::Deadline;
use crate::stager::env::Environment;
use crate::stager::error::StageError;
use crate::stager::run_phase::{self, RunError, Sink};

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
    // `user:password@` of an http(s) URL goes to git through a credential helper that reads
    // the environment, not in the URL: a command line is readable by every user of the machine
    // (`ps`), the environment of a process only by its owner.
    let (url, credentials) = match uri::scheme(url).as_deref() {
        Some("http" | "https") => uri::take_credentials(url),
        _ => (url.to_string(), None),
    };
    let url = url.as_str();
    // `Ok(Err((output, status)))` when git ran and failed: what it printed (stdout, then
    // stderr: the builder reads git's combined output) and Go's words for its exit.
    let git = |args: &[&std::ffi::OsStr]| -> Result<Result<(), (String, String)>, StageError> {
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
            Ok(finished) if finished.status.success() => Ok(Ok(())),
            Ok(finished) => {
                let mut output = finished.stdout;
                output.extend_from_slice(&finished.stderr);
                let output = uri::scrub(&String::from_utf8_lossy(&output), &secrets);
                Ok(Err((
                    output,
                    crate::process_group::describe_status(finished.status),
                )))
            }
            Err(RunError::CannotSpawn(source)) => Err(StageError::GitNotInstalled {
                url: shown.clone(),
                source,
            }),
            Err(RunError::Interrupted) => Err(StageError::Interrupted),
            Err(RunError::TimedOut) => Err(StageError::TimedOut(deadline.map_or(0, |d| d.secs))),
            Err(RunError::CannotWait(e)) => Err(StageError::CannotWaitForPhase(e)),
            // Debug sinks keep what fits and never stop git for its output; were that to
            // change, the clone would fail saying so.
            Err(e @ RunError::TooMuchOutput { .. }) => Ok(Err((String::new(), e.to_string()))),
        }
    };
    // The builder's performGitClone: `-b REF` after the URL and the destination, in both.
    let dest_os = dest.as_os_str();
    let reference_args: Vec<&std::ffi::OsStr> =
        reference.map_or_else(Vec::new, |r| vec!["-b".as_ref(), r.as_ref()]);
    let mut shallow: Vec<&std::ffi::OsStr> = vec![
        "clone".as_ref(),
        "--depth".as_ref(),
        "1".as_ref(),
        "--recursive".as_ref(),
        url.as_ref(),
        dest_os,
    ];
    shallow.extend(&reference_args);
    if git(&shallow)?.is_ok() {
        return Ok(());
    }
    // What the shallow clone left would make the full one fail ("already exists").
    if let Err(e) = std::fs::remove_dir_all(dest)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        return Err(StageError::access("remove", dest, e));
    }
    let mut full: Vec<&std::ffi::OsStr> = vec![
        "clone".as_ref(),
        "--recursive".as_ref(),
        url.as_ref(),
        dest_os,
    ];
    full.extend(&reference_args);
    match git(&full)? {
        Ok(()) => Ok(()),
        Err((output, status)) => Err(StageError::CannotCloneBuildpack {
            url: shown,
            output,
            status,
        }),
    }
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

    /// The DEBUG line of a git command shows its arguments, the URL redacted, and nothing of
    /// an argument that merely contains the URL's text.
    #[test]
    fn git_arguments_are_described_with_the_url_redacted() {
        let url = "https://deploy:s3cret@git.example/org/bp.git";
        let shown = "https://-redacted-:-redacted-@git.example/org/bp.git";
        let args: Vec<&std::ffi::OsStr> = ["clone", "--depth", "1", url, "/tmp/dest", "-b", "v1"]
            .into_iter()
            .map(std::ffi::OsStr::new)
            .collect();
        assert_eq!(
            describe_args(&args, url, shown),
            format!("clone --depth 1 {shown} /tmp/dest -b v1")
        );
        assert_eq!(describe_args(&[], url, shown), "");
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
