//! `bpkit run`: what Cloud Foundry's launcher (buildpackapplifecycle `launcher`) does to start a
//! staged droplet, on the local machine (stager.md, "run").
//!
//! The droplet is unpacked into a temporary folder standing in for `/home/vcap` (`app/`,
//! `deps/`, `profile.d/`, `tmp/`, `logs/`). As the launcher's `CalcEnv` does, `HOME` is the
//! app folder, `TMPDIR` and `DEPS_DIR` its siblings `tmp` and `deps`, and `VCAP_APPLICATION`
//! gains `host`, `instance_id`, `instance_index` and `port`. Then the launcher's own script
//! runs under bash: `cd` into the app, echo `Invoking pre-start scripts.`, source
//! `../profile.d/*`, then `.profile.d/*`, then `.profile`, echo `Invoking start command.`, then
//! `exec bash -c "<command>"` (or the buildpack's `entrypoint_prefix`).
//!
//! The app leads its own process group; bpkit stops the whole group (SIGTERM, 10 s, SIGKILL,
//! as the platform stops an instance) after a `--check`, or when bpkit itself is interrupted.
//! The app's stdout and stderr both go to bpkit's stderr: stdout carries only the check result.
//!
//! [`run`] reads as the steps: `unpack` the droplet, pick the start `command`, a port, the
//! instance `environment`, start the launcher script (`process`), then `process` waits for the
//! app or `smoke_test` checks it (with [`check`]'s HTTP probe), and the app's leftovers are
//! stopped. `staging_info` reads the droplet's `staging_info.yml`; `error` is [`LaunchError`].

pub mod check;
mod command;
mod environment;
mod error;
mod process;
mod smoke_test;
mod staging_info;
mod unpack;

use std::path::PathBuf;
use std::time::Duration;

use crate::output::Logger;
use crate::process_group::{self, STOP_GRACE, SpawnError};
pub use error::LaunchError;
use error::port_refused;
pub use smoke_test::CheckResult;

/// What to run, and how.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// A droplet.tgz, a `bpkit stage` output folder, or an unpacked droplet folder.
    pub droplet: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub process: String,
    /// Overrides the process's command (`cf push -c`); the CLI refuses an empty one.
    pub command: Option<String>,
    /// Raw `-e KEY=VALUE`.
    pub env: Vec<String>,
    /// Raw `--services`.
    pub services: Option<String>,
    pub memory_mb: u64,
    /// `--check PATH`.
    pub check: Option<String>,
    pub check_timeout: Duration,
}

/// How a run ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Without `--check`: the app exited (or was stopped) with this exit code.
    Exited(u8),
    /// With `--check`: the smoke test's result; the app has been stopped.
    Checked(CheckResult),
}

/// Start the droplet's process and wait for it (or smoke-test it and stop it).
pub fn run(options: &RunOptions, logger: &Logger) -> Result<Outcome, LaunchError> {
    process_group::watch_termination();
    if let Some(path) = options
        .check
        .as_deref()
        .filter(|path| crate::fetch::uri::scheme(path).is_some())
    {
        return Err(LaunchError::CheckPathIsAUrl {
            given: crate::fetch::uri::redact(path),
        });
    }
    let (home, result_json, app_name) = unpack::unpack(&options.droplet)?;
    let app_dir = home.root.join("app");
    let info = staging_info::read(&home.root, &options.droplet)?;
    // `bpkit run` refuses an empty `-c` (the launcher would read it as "the droplet's own",
    // which is no command a user writes on purpose: leaving `-c` out says that).
    let command = match options.command.as_deref() {
        Some(command) => command.to_string(),
        None => command::process_command(&options.process, result_json.as_deref(), &info)?,
    };
    if command.is_empty() {
        return Err(LaunchError::NoStartCommand {
            process: options.process.clone(),
            others: command::other_process_types(&options.process, result_json.as_deref()),
        });
    }
    let port = if options.port == 0 {
        check::free_port().map_err(|e| LaunchError::CannotAccess {
            action: "find a free port on",
            path: "127.0.0.1".into(),
            source: e,
        })?
    } else {
        // A server already on the port would answer the check in the app's place.
        std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, options.port))
            .map_err(|e| port_refused(options.port, e))?;
        options.port
    };
    let environment = environment::launch_env(&home.root, &app_name, port, options)?;

    let (bash, mut launcher) = process::launcher(
        &app_dir,
        &command,
        info.entrypoint_prefix.as_deref(),
        &environment,
    );
    logger.step(&format!(
        "Starting {} on port {port}: {command}",
        options.process
    ));
    let mut child = launcher
        .spawn()
        .map_err(|e| LaunchError::CannotStartLauncher(SpawnError::new(bash, e)))?;

    let outcome = match &options.check {
        None => Outcome::Exited(process::wait(&mut child, logger)),
        Some(path) => Outcome::Checked(smoke_test::smoke_test(
            &mut child, port, path, options, logger,
        )),
    };
    // What the app started outside its group (a daemon, a `setsid` process) stops with it, as
    // the platform's container would, and before its folder is removed.
    match process_group::stop_adopted(STOP_GRACE) {
        0 => {}
        1 => logger.detail("Stopped 1 process the app left running outside its process group"),
        n => logger.detail(&format!(
            "Stopped {n} processes the app left running outside its process group"
        )),
    }
    drop(home);
    Ok(outcome)
}
