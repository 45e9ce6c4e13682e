//! Why `bpkit run` could not start or check a droplet: each message names what was given and
//! the fix; the launcher's own refusals keep its words.

use std::path::PathBuf;

use crate::process_group::SpawnError;

/// Why `bpkit run` could not start the droplet. Each message names what was given and how to
/// fix it; the launcher's own refusals keep its words.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// `why` as [`crate::output::nothing_at`] words it.
    #[error(
        "{}: {why}; give a droplet.tgz or the output folder of `bpkit stage`",
        path.display()
    )]
    DropletNotFound { path: PathBuf, why: &'static str },

    #[error(
        "{} holds neither droplet.tgz nor an app/ folder; give a droplet.tgz or the output folder of `bpkit stage`",
        path.display()
    )]
    NotADroplet { path: PathBuf },

    /// An app folder given where its droplet belongs (`bpkit stage app` then `bpkit run app`):
    /// the droplet `bpkit stage` made for it is named, so the next command is obvious.
    #[error(
        "{} is an app folder, not a droplet; `bpkit stage` made its droplet, so run `bpkit run {}`",
        path.display(),
        droplet.display()
    )]
    AppFolderNotDroplet { path: PathBuf, droplet: PathBuf },

    /// A `bpkit stage` output folder a staging is writing into now: its previous outputs are
    /// removed first, and the new droplet comes at the end.
    #[error(
        "{} holds no droplet.tgz yet: a `bpkit stage` is writing its outputs there now; run this again when it has finished",
        path.display()
    )]
    StagingInProgress { path: PathBuf },

    /// A `bpkit stage` output folder whose staging failed: the stager removes the previous
    /// outputs first and writes `result.json` even when the build fails, so there is no droplet.
    #[error(
        "{} holds no droplet.tgz: the last `bpkit stage` into it failed (only its result.json is there); fix what its log said and stage again",
        path.display()
    )]
    FailedStaging { path: PathBuf },

    /// A tarball without `./app/`: not a droplet (the build cache beside it, a source archive).
    #[error(
        "{} holds no app/ folder, so it is not a droplet{}; give a droplet.tgz made by `bpkit stage` or downloaded from the platform",
        path.display(),
        if path.file_name().is_some_and(|n| n == "cache.tgz") {
            " (cache.tgz is the build cache `bpkit stage` writes beside droplet.tgz)"
        } else {
            ""
        }
    )]
    NoAppInDroplet { path: PathBuf },

    #[error(
        "{} is not a readable droplet ({reason}); give a droplet.tgz made by `bpkit stage` or downloaded from the platform",
        path.display()
    )]
    DamagedDroplet { path: PathBuf, reason: String },

    #[error("cannot {action} {}: {source}", path.display())]
    CannotAccess {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// SIGINT, SIGTERM or SIGHUP arrived before the app started (while the droplet was
    /// unpacked, or a `--services @FIFO` waited for its writer).
    #[error("interrupted before the app started")]
    Interrupted,

    /// `-e` or `--services` is invalid: the stager's checks, and its messages.
    #[error("{0}")]
    InvalidAppEnvironment(#[from] crate::stager::StageError),

    /// The staging info could not be read, in the launcher's words (Go's error names the file
    /// it read; the droplet's temporary copy would mean nothing, so the droplet is named).
    #[error(
        "Invalid staging info - read staging_info.yml: {} (in the droplet {}); give a droplet made by `bpkit stage` or downloaded from the platform",
        crate::stager::result::go_io_error(cause),
        droplet.display()
    )]
    CannotReadStagingInfo {
        droplet: PathBuf,
        /// Not a `source()`: the message has it in Go's words already.
        cause: std::io::Error,
    },

    /// The staging info is not YAML of the right shape, in the launcher's words (it reads the
    /// file with yaml.v2, so the JSON the builder writes and a hand-written YAML file both do).
    #[error("Invalid staging info - failed to unmarshal staging_info.yml: {0}")]
    InvalidStagingInfo(#[source] crate::stager::procfile::ProcfileError),

    #[error("{}: invalid JSON: {source}", path.display())]
    InvalidResultJson {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },

    #[error(
        "{}: no process type `{process}` (staging recorded: {}); choose one with --process",
        path.display(),
        list_or_none(known)
    )]
    UnknownProcessType {
        /// The `result.json` read.
        path: PathBuf,
        process: String,
        /// The process types it records.
        known: Vec<String>,
    },

    #[error(
        "--process {process}: only `web` is known without the result.json that `bpkit stage` writes beside droplet.tgz; run the stage output folder, or give --command"
    )]
    ProcessTypeNeedsResultJson { process: String },

    #[error(transparent)]
    Scratch(#[from] crate::scratch::ScratchError),

    /// The launcher's own refusal, in its words, then which process had none and the fix:
    /// a command, or one of the droplet's other process types when it has some.
    #[error(
        "launcher: no start command specified or detected in droplet (its `{process}` process has none); give one with -c COMMAND, as `cf push -c` does{}",
        if others.is_empty() { String::new() } else { format!(", or run another of its process types with --process ({})", others.join(", ")) }
    )]
    NoStartCommand {
        process: String,
        /// The droplet's other process types that have a command (from `result.json`).
        others: Vec<String>,
    },

    /// `--check` given a URL (`http://127.0.0.1:8080/health`): it would be requested as the
    /// path `/http://127.0.0.1:8080/health`, which apps answer 404, and the check would fail
    /// for a reason no line showed. `given` is redacted.
    #[error(
        "--check {given}: give the path to request, such as /health, not a URL; bpkit requests it from the app on http://127.0.0.1:$PORT (the port set with --port)"
    )]
    CheckPathIsAUrl { given: String },

    /// `--port N` is taken: a server already there would answer the check in the app's place.
    #[error(
        "port {port} on 127.0.0.1 is already in use; choose another with --port, or --port 0 for a free one"
    )]
    PortInUse { port: u16 },

    /// `--port N` cannot be listened on for another reason (a port below 1024 without root).
    #[error(
        "cannot listen on port {port} on 127.0.0.1: {source}; choose another with --port, or --port 0 for a free one"
    )]
    CannotListen {
        port: u16,
        #[source]
        source: std::io::Error,
    },

    /// bash could not be started (Go's words, as the launcher's own failure would be).
    #[error("{0}")]
    CannotStartLauncher(#[source] SpawnError),
}

/// Why `--port` cannot be used: taken by another server, or refused for another reason (the
/// reason is then shown, not guessed).
pub(super) fn port_refused(port: u16, error: std::io::Error) -> LaunchError {
    if error.kind() == std::io::ErrorKind::AddrInUse {
        LaunchError::PortInUse { port }
    } else {
        LaunchError::CannotListen {
            port,
            source: error,
        }
    }
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_and_a_refused_port_are_told_apart() {
        let taken = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let in_use =
            std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)).unwrap_err();
        assert_eq!(
            port_refused(port, in_use).to_string(),
            format!(
                "port {port} on 127.0.0.1 is already in use; choose another with --port, or --port 0 for a free one"
            )
        );
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(
            port_refused(80, denied).to_string(),
            "cannot listen on port 80 on 127.0.0.1: permission denied; choose another with --port, or --port 0 for a free one"
        );
    }
}
