//! `bpkit run DROPLET [--check PATH]`: start a staged droplet as the platform's launcher would.
//! Narration and the app's own output go to stderr; with `--check`, stdout gets the smoke
//! test's result, pass or fail (`http://127.0.0.1:PORT/PATH 200 OK`, `… 000 no answer within
//! 60 s` when nothing answered, or JSON with `--json`) and the exit code says whether it passed. Without `--check`, bpkit exits with the app's exit code.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use super::{CliError, Context, print_data, print_json};
use crate::exit_code;
use crate::launcher::{self, Outcome, RunOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A droplet.tgz, the output folder of `bpkit stage`, or an unpacked droplet.
    pub droplet: PathBuf,
    /// The port the app listens on ($PORT); 0 picks a free one.
    #[arg(long, default_value_t = 8080, allow_negative_numbers = true, value_parser = super::utf8(clap::value_parser!(u16)))]
    pub port: u16,
    /// The process type to start.
    #[arg(long, default_value = "web", value_parser = super::text())]
    pub process: String,
    /// Start this command instead of the process type's (like `cf push -c`); not empty: leave
    /// out -c (or give `-c null`, as `cf push -c null` resets to it) to start the process
    /// type's own.
    #[arg(short = 'c', long, value_name = "COMMAND", value_parser = super::utf8(parse_command))]
    pub command: Option<String>,
    /// An app environment variable (repeatable).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE", value_parser = super::text())]
    pub env: Vec<String>,
    /// VCAP_SERVICES as JSON, or @FILE holding it (default {}).
    #[arg(long, value_name = "JSON", value_parser = super::text())]
    pub services: Option<String>,
    /// The app's memory limit in MB (MEMORY_LIMIT), or with a unit as `cf push -m` takes it
    /// (512M, 1G).
    #[arg(long, value_name = "MB", default_value_t = 1024, allow_negative_numbers = true, value_parser = super::utf8(super::parse_memory_mb))]
    pub memory: u64,
    /// Smoke test: wait until http://127.0.0.1:PORT/PATH answers, print the status, stop the
    /// app; exit 0 for a 2xx or 3xx answer, 1 otherwise. A #fragment is not sent, as a browser
    /// sends none (write a # in the path as %23).
    #[arg(long, value_name = "PATH", value_parser = super::text())]
    pub check: Option<String>,
    /// How long --check waits for an answer.
    #[arg(long, value_name = "SECS", default_value_t = 60, allow_negative_numbers = true, value_parser = super::utf8(super::parse_timeout_secs))]
    pub check_timeout: u64,
    /// Print the check result as JSON (with --check).
    #[arg(long, requires = "check")]
    pub json: bool,
}

/// A `-c` value: a command, not empty or blank. `-c "$START"` with the variable unset started
/// the process type's own command without a word (bash would run a blank one and exit 0 at
/// once), so the app the user asked for never ran and nothing said so.
fn parse_command(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        let what = if text.is_empty() { "empty" } else { "blank" };
        return Err(format!(
            "it is {what}; give the command to start, or leave out -c to start the process type's own"
        ));
    }
    Ok(text.to_string())
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    // As the platform's container would, whatever the app leaves running stops with it.
    crate::process_group::adopt_orphans();
    let options = RunOptions {
        droplet: args.droplet.clone(),
        port: args.port,
        process: args.process.clone(),
        // `null` is the CLI's word for "the droplet's own command" (`cf push -c null`), which
        // a user copying a push line means here too; as a command it is `null: command not
        // found`.
        command: args.command.clone().filter(|command| command != "null"),
        env: args.env.clone(),
        services: args.services.clone(),
        memory_mb: args.memory,
        check: args.check.clone(),
        check_timeout: Duration::from_secs(args.check_timeout),
    };
    let outcome = launcher::run(&options, &context.logger).map_err(|e| {
        let code = match e {
            launcher::LaunchError::Interrupted => exit_code::INTERRUPTED,
            _ => exit_code::FAILURE,
        };
        CliError::failed(e, code)
    })?;
    match outcome {
        Outcome::Exited(code) => Ok(code),
        Outcome::Checked(result) => {
            let code = if result.interrupted {
                exit_code::INTERRUPTED
            } else if result.passed() {
                exit_code::SUCCESS
            } else {
                exit_code::FAILURE
            };
            if args.json {
                let document = json!({
                    "url": result.url,
                    "passed": result.passed(),
                    "status": result.answer.as_ref().map(|a| a.status),
                    "reason": result.answer.as_ref().map(|a| a.reason.clone()),
                    "elapsed_ms": u64::try_from(result.elapsed.as_millis()).unwrap_or(u64::MAX),
                });
                // `error` is the words of the one line on stderr (`check failed: …`), as for
                // every command.
                let error = result
                    .failure
                    .as_ref()
                    .map(|failure| CliError::CheckFailed(failure.clone(), code).to_string());
                print_json(context, code, error.as_deref(), document)?;
            } else {
                // Pass or fail, one status line (stager.md: --check "prints the status").
                print_data(&format!("{}\n", result.status_line()))?;
            }
            match result.failure {
                Some(failure) => Err(CliError::CheckFailed(failure, code)),
                None => Ok(code),
            }
        }
    }
}
