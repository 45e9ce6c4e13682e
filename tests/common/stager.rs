//! `bpkit stage` and `bpkit run` as the stager tests run them, and readers for what staging
//! writes: `result.json` and the droplet's members (read with `tar`, as the platform's tools
//! read them).

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use super::bin::{RUN_LIMIT, Run, bpkit};
use super::timed::run_within;

/// A `bpkit stage` command under construction: its arguments in the order they are added.
pub struct Stage {
    command: Command,
    limit: Duration,
}

impl Stage {
    /// `bpkit stage` run in `cwd`, no arguments yet; downloads from the tests' 127.0.0.1
    /// servers bypass any proxy of the machine running the tests.
    pub fn new(cwd: &Path) -> Stage {
        let mut command = bpkit();
        command
            .current_dir(cwd)
            .env("no_proxy", "127.0.0.1,localhost")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .arg("stage");
        Stage {
            command,
            limit: RUN_LIMIT,
        }
    }

    /// The next argument (the app's folder, a flag, a value).
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Stage {
        self.command.arg(arg);
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Stage {
        self.command.args(args);
        self
    }

    /// `-b BUILDPACK`.
    pub fn bp(self, buildpack: impl AsRef<OsStr>) -> Stage {
        self.arg("-b").arg(buildpack)
    }

    /// `--out OUT`.
    pub fn out(self, out: impl AsRef<OsStr>) -> Stage {
        self.arg("--out").arg(out)
    }

    pub fn env(mut self, name: &str, value: impl AsRef<OsStr>) -> Stage {
        self.command.env(name, value);
        self
    }

    pub fn env_remove(mut self, name: &str) -> Stage {
        self.command.env_remove(name);
        self
    }

    /// How long the run may take before it is killed and the test fails.
    pub fn limit(mut self, limit: Duration) -> Stage {
        self.limit = limit;
        self
    }

    /// The command, to start by other means (and be signalled).
    pub fn command(self) -> Command {
        self.command
    }

    pub fn run(mut self) -> Run {
        run_within(&mut self.command, self.limit)
    }
}

/// `bpkit run ARGS` in `cwd`, killed after `limit`.
pub fn run_droplet<S: AsRef<OsStr>>(cwd: &Path, args: &[S], limit: Duration) -> Run {
    let mut command = bpkit();
    command.current_dir(cwd).arg("run").args(args);
    run_within(&mut command, limit)
}

/// `bpkit run DROPLET --port 0 ARGS…` in `cwd`, killed after `limit`: the droplet (or
/// outputs folder) on a free port.
pub fn run_on_free_port(cwd: &Path, droplet: &Path, args: &[&str], limit: Duration) -> Run {
    let mut all = vec![droplet.as_os_str(), OsStr::new("--port"), OsStr::new("0")];
    all.extend(args.iter().map(OsStr::new));
    run_droplet(cwd, &all, limit)
}

/// The staging's `result.json` in the outputs folder `out`.
pub fn result_json(out: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(out.join("result.json")).unwrap()).unwrap()
}

/// `tar -tzf` of an archive, as the platform's tools see it.
pub fn listing(tgz: &Path) -> Vec<String> {
    let output = Command::new("tar").arg("-tzf").arg(tgz).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// One member of an archive (`tar -xzOf`).
pub fn member(tgz: &Path, name: &str) -> String {
    let output = Command::new("tar")
        .arg("-xzOf")
        .arg(tgz)
        .arg(name)
        .output()
        .unwrap();
    assert!(output.status.success(), "{name} not in {}", tgz.display());
    String::from_utf8(output.stdout).unwrap()
}
