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

pub mod check;
mod error;
mod staging_info;

use std::fs;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::output::Logger;
use crate::process_group::{self, POLL, STOP_GRACE, SpawnError};
use crate::stager::outputs::app_name;
use crate::stager::{droplet, env};
pub use error::LaunchError;
use error::port_refused;
use staging_info::StagingInfo;

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

/// The one instance's GUID (`INSTANCE_GUID`, `CF_INSTANCE_GUID`, `instance_id`).
const INSTANCE_GUID: &str = "b9c1f2a4-7d3e-4f60-8a15-000000000000";

/// What to run, and how.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// A droplet.tgz, a `bpkit stage` output folder, or an unpacked droplet folder.
    pub droplet: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub process: String,
    /// Overrides the process's command (`cf push -c`).
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

#[derive(Debug, Clone)]
pub struct CheckResult {
    pub url: String,
    pub answer: Option<check::Answer>,
    /// Why there is no passing answer, when there is none.
    pub failure: Option<String>,
    /// Why nothing answered, when nothing did, in a few words (`no answer within 60 s`).
    pub no_answer: Option<String>,
    pub elapsed: Duration,
}

impl CheckResult {
    pub fn passed(&self) -> bool {
        self.answer.as_ref().is_some_and(check::Answer::is_success)
    }

    /// The status line `--check` prints, pass or fail: `URL STATUS REASON` as the app answered
    /// (`http://127.0.0.1:8080/ 200 OK`), or `URL 000 WHY` when nothing answered (000 is what
    /// curl writes for no HTTP status), so a script can always split it into three fields.
    pub fn status_line(&self) -> String {
        match (&self.answer, &self.no_answer) {
            (Some(answer), _) => format!("{} {} {}", self.url, answer.status, answer.reason),
            (None, why) => format!("{} 000 {}", self.url, why.as_deref().unwrap_or("no answer")),
        }
    }
}

/// The unpacked droplet, removed when dropped (unless it was given unpacked).
struct Home {
    root: PathBuf,
    _guard: Option<crate::scratch::ScratchDir>,
}

/// Start the droplet's process and wait for it (or smoke-test it and stop it).
pub fn run(options: &RunOptions, logger: &Logger) -> Result<Outcome, LaunchError> {
    process_group::watch_termination();
    let (home, result_json, app_name) = unpack(&options.droplet)?;
    let app_dir = home.root.join("app");
    let info = staging_info::read(&home.root, &options.droplet)?;
    // An empty `-c` is no command, as the launcher takes an empty start command argument to
    // mean "the droplet's own".
    let command = match options.command.as_deref().filter(|c| !c.is_empty()) {
        Some(command) => command.to_string(),
        None => process_command(&options.process, result_json.as_deref(), &info)?,
    };
    if command.is_empty() {
        return Err(LaunchError::NoStartCommand {
            process: options.process.clone(),
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
    let environment = launch_env(&home.root, &app_name, port, options)?;

    let script = LAUNCHER_SCRIPT.replace(
        "%ENTRYPOINT%",
        info.entrypoint_prefix.as_deref().unwrap_or("bash -c"),
    );
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
        .arg(&app_dir)
        .arg(&command)
        .current_dir(&app_dir)
        .stdin(Stdio::null())
        .stdout(stderr_stdio())
        .process_group(0);
    crate::process_group::restore_signals(&mut launcher);
    logger.step(&format!(
        "Starting {} on port {port}: {command}",
        options.process
    ));
    let mut child = launcher
        .spawn()
        .map_err(|e| LaunchError::CannotStartLauncher(SpawnError::new(bash, e)))?;

    let outcome = match &options.check {
        None => Outcome::Exited(wait(&mut child, logger)),
        Some(path) => Outcome::Checked(smoke_test(&mut child, port, path, options, logger)),
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

/// The app's stdout goes to our stderr (stdout is for data).
fn stderr_stdio() -> Stdio {
    use std::os::fd::AsFd;
    std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .map_or_else(|_| Stdio::inherit(), Stdio::from)
}

/// The droplet `bpkit stage` wrote for the app folder `given` when staged with the default
/// `--out` from here, if there is one.
fn staged_droplet_of(given: &Path) -> Option<PathBuf> {
    let app_dir = fs::canonicalize(given).ok()?;
    let out = crate::stager::default_out_dir(&app_dir).ok()?;
    let droplet = out.path.join("droplet.tgz");
    droplet.is_file().then_some(droplet)
}

/// Find or unpack the droplet. Returns the home, `result.json` when one sits beside the
/// droplet, and an app name for `VCAP_APPLICATION`.
fn unpack(given: &Path) -> Result<(Home, Option<PathBuf>, String), LaunchError> {
    let meta = fs::metadata(given).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            LaunchError::DropletNotFound {
                path: given.to_path_buf(),
            }
        } else {
            LaunchError::CannotAccess {
                action: "open",
                path: given.to_path_buf(),
                source: e,
            }
        }
    })?;
    let (tgz, beside) = if meta.is_file() {
        (given.to_path_buf(), given.parent().map(Path::to_path_buf))
    } else if given.join("droplet.tgz").is_file() {
        (given.join("droplet.tgz"), Some(given.to_path_buf()))
    } else if given.join("app").is_dir() {
        let name = app_name(given);
        // Absolute: the app runs in `app/`, where a relative HOME, TMPDIR or DEPS_DIR (and the
        // launcher's own `cd`) would name nothing.
        let root = std::path::absolute(given).map_err(|e| LaunchError::CannotAccess {
            action: "open",
            path: given.to_path_buf(),
            source: e,
        })?;
        let home = Home { root, _guard: None };
        return Ok((home, None, name));
    } else {
        let path = given.to_path_buf();
        return Err(if given.join("result.json").is_file() {
            LaunchError::FailedStaging { path }
        } else if let Some(droplet) = staged_droplet_of(given) {
            LaunchError::AppFolderNotDroplet { path, droplet }
        } else {
            LaunchError::NotADroplet { path }
        });
    };
    let result_json = beside
        .as_ref()
        .map(|d| d.join("result.json"))
        .filter(|p| p.is_file());
    let name = beside.as_deref().map_or_else(|| "app".into(), app_name);
    // Removed by a later run when this one is killed (an unpacked droplet is large).
    let dir = crate::scratch::ScratchDir::create("bpkit-run-")?;
    droplet::extract_tgz(&tgz, dir.path()).map_err(|e| unpack_error(&tgz, e))?;
    for sub in ["app", "tmp", "logs", "deps"] {
        let _ = fs::create_dir_all(dir.path().join(sub));
    }
    Ok((
        Home {
            root: dir.path().to_path_buf(),
            _guard: Some(dir),
        },
        result_json,
        name,
    ))
}

/// A droplet that would not unpack: this machine's fault (a full disk, a permission) when the
/// innermost io error says so, else the file's (not a gzip'd tar, or one cut short).
fn unpack_error(tgz: &Path, error: io::Error) -> LaunchError {
    let mut reasons = vec![error.to_string()];
    let mut kind = error.kind();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = error.get_ref().map(|e| e as _);
    while let Some(current) = cause {
        if let Some(io_error) = current.downcast_ref::<io::Error>() {
            kind = io_error.kind();
        }
        let words = current.to_string();
        if !reasons.iter().any(|r| r.contains(&words)) {
            reasons.push(words);
        }
        cause = current.source();
    }
    match kind {
        io::ErrorKind::PermissionDenied
        | io::ErrorKind::StorageFull
        | io::ErrorKind::QuotaExceeded
        | io::ErrorKind::ReadOnlyFilesystem
        | io::ErrorKind::FileTooLarge => LaunchError::CannotAccess {
            action: "unpack",
            path: tgz.to_path_buf(),
            source: error,
        },
        _ => LaunchError::DamagedDroplet {
            path: tgz.to_path_buf(),
            reason: reasons.join(": "),
        },
    }
}

/// The command of `process`: from `result.json`'s `process_types` (what the platform starts),
/// else, for `web`, the droplet's own `staging_info.yml`.
fn process_command(
    process: &str,
    result_json: Option<&Path>,
    info: &StagingInfo,
) -> Result<String, LaunchError> {
    if let Some(path) = result_json {
        let text = fs::read_to_string(path).map_err(|e| LaunchError::CannotAccess {
            action: "read",
            path: path.to_path_buf(),
            source: e,
        })?;
        let value: Value =
            serde_json::from_str(&text).map_err(|source| LaunchError::InvalidResultJson {
                path: path.to_path_buf(),
                source,
            })?;
        if let Some(types) = value["process_types"].as_object() {
            if let Some(command) = types.get(process).and_then(Value::as_str) {
                return Ok(command.to_string());
            }
            if process != "web" {
                return Err(LaunchError::UnknownProcessType {
                    path: path.to_path_buf(),
                    process: process.to_string(),
                    known: types.keys().cloned().collect(),
                });
            }
        }
    }
    if process == "web" {
        return Ok(info.start_command.clone());
    }
    Err(LaunchError::ProcessTypeNeedsResultJson {
        process: process.to_string(),
    })
}

/// The instance environment the platform gives a running app.
fn launch_env(
    root: &Path,
    app_name: &str,
    port: u16,
    options: &RunOptions,
) -> Result<env::Environment, LaunchError> {
    let services = env::parse_services(options.services.as_deref())?;
    let user_env = env::parse_user_env(&options.env)?;
    let app_dir = root.join("app");
    let instance_guid = INSTANCE_GUID.to_string();
    let mut vcap = env::vcap_application(app_name, options.memory_mb);
    if let Value::Object(map) = &mut vcap {
        map.insert("host".into(), Value::String("0.0.0.0".into()));
        map.insert("instance_id".into(), Value::String(instance_guid.clone()));
        map.insert("instance_index".into(), Value::from(0));
        map.insert("port".into(), Value::from(port));
    }
    let mut environment = env::Environment::from_host();
    // Diego's default, which the app's variables may change (`cf set-env APP LANG …`).
    environment.set("LANG", "en_US.UTF-8");
    for (name, value) in &user_env {
        environment.set(name, value);
    }
    // What the platform sets after the app's variables, so they never replace it: Cloud
    // Controller's VCAP_APPLICATION, MEMORY_LIMIT and VCAP_SERVICES (merged last), Diego's
    // instance variables, and the launcher's CalcEnv (HOME, TMPDIR, DEPS_DIR, set in its own
    // process right before the app starts).
    environment.set("HOME", &app_dir);
    environment.set("TMPDIR", root.join("tmp"));
    environment.set("DEPS_DIR", root.join("deps"));
    environment.set("PORT", port.to_string());
    environment.set("VCAP_APPLICATION", vcap.to_string());
    environment.set("VCAP_SERVICES", &services);
    environment.set("MEMORY_LIMIT", format!("{}m", options.memory_mb));
    environment.set("INSTANCE_INDEX", "0");
    environment.set("INSTANCE_GUID", &instance_guid);
    environment.set("CF_INSTANCE_INDEX", "0");
    environment.set("CF_INSTANCE_GUID", &instance_guid);
    environment.set("CF_INSTANCE_IP", "127.0.0.1");
    environment.set("CF_INSTANCE_INTERNAL_IP", "127.0.0.1");
    environment.set("CF_INSTANCE_PORT", port.to_string());
    environment.set("CF_INSTANCE_ADDR", format!("127.0.0.1:{port}"));
    environment.set(
        "CF_INSTANCE_PORTS",
        format!("[{{\"external\":{port},\"internal\":{port}}}]"),
    );
    if let Some(url) = env::database_url(&services) {
        environment.set("DATABASE_URL", url);
    }
    Ok(environment)
}

/// Wait for the app to exit; on SIGINT/SIGTERM/SIGHUP stop its group.
fn wait(child: &mut Child, logger: &Logger) -> u8 {
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

fn smoke_test(
    child: &mut Child,
    port: u16,
    path: &str,
    options: &RunOptions,
    logger: &Logger,
) -> CheckResult {
    // The URL shown is the one requested, so `/a b` shows as `/a%20b`.
    let target = check::request_target(path);
    let url = format!("http://127.0.0.1:{port}{target}");
    logger.step(&format!(
        "Waiting up to {} s for {url}",
        options.check_timeout.as_secs()
    ));
    let started = Instant::now();
    // `None` when the timeout is beyond what an `Instant` can hold (`--check-timeout
    // 18446744073709551615`): no deadline, as a wait that long never ends anyway.
    let deadline = started.checked_add(options.check_timeout);
    let mut answer = None;
    let mut failure = None;
    let mut no_answer = None;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let status = process_group::describe_status(status);
            failure = Some(format!("the app exited ({status}) before answering {url}"));
            no_answer = Some(format!("the app exited ({status}) before answering"));
            break;
        }
        if process_group::termination_requested() {
            failure = Some("interrupted".to_string());
            no_answer = Some("interrupted".to_string());
            break;
        }
        let left = deadline.map_or(Duration::MAX, |d| {
            d.saturating_duration_since(Instant::now())
        });
        if left.is_zero() {
            let secs = options.check_timeout.as_secs();
            // The usual cause is a start command that ignores $PORT (a port of its own, or
            // the server's default): say which port the app was given.
            failure = Some(format!(
                "no answer from {url} within {secs} s; the app must listen on $PORT ({port}), or if it starts slowly raise --check-timeout"
            ));
            no_answer = Some(format!("no answer within {secs} s"));
            break;
        }
        if let Some(got) = check::probe(port, &target, left.min(Duration::from_secs(5))) {
            if !got.is_success() {
                failure = Some(format!("{url} answered {} {}", got.status, got.reason));
            }
            answer = Some(got);
            break;
        }
        std::thread::sleep(Duration::from_millis(100).min(left));
    }
    let elapsed = started.elapsed();
    logger.step("Stopping the app");
    let _ = process_group::stop_group(child, STOP_GRACE);
    CheckResult {
        url,
        answer,
        failure,
        no_answer,
        elapsed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_comes_from_result_json_then_staging_info() {
        let dir = tempfile::tempdir().unwrap();
        let result = dir.path().join("result.json");
        fs::write(
            &result,
            r#"{"process_types":{"web":"./web","worker":"./work"}}"#,
        )
        .unwrap();
        let info = StagingInfo {
            start_command: "./from-info".into(),
            entrypoint_prefix: None,
        };
        assert_eq!(
            process_command("worker", Some(&result), &info).unwrap(),
            "./work"
        );
        assert_eq!(
            process_command("web", Some(&result), &info).unwrap(),
            "./web"
        );
        let e = process_command("clock", Some(&result), &info).unwrap_err();
        assert!(
            e.to_string().contains("staging recorded: web, worker"),
            "{e}"
        );
        assert_eq!(process_command("web", None, &info).unwrap(), "./from-info");
        assert!(process_command("worker", None, &info).is_err());
    }
}
