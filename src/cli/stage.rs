//! `bpkit stage APP -b BUILDPACK…`: stage an app as the platform would (stager.md). The staging
//! log goes to stderr as the platform shows it; stdout gets the droplet path (or, with
//! `--json`, one JSON object, also when staging fails). The exit code is the builder's.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::{CliError, Context, print_data, print_json};
use crate::stager::{self, StageOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The app's folder (what `cf push -p` would upload; `.cfignore` is honoured).
    pub app: PathBuf,
    /// A buildpack: a folder, a .zip file, an http(s) zip URL, or a git URL with an optional
    /// #branch or #tag (not a commit id, which the platform's `git clone -b` refuses too).
    /// Repeat for multi-buildpack staging.
    #[arg(
        short = 'b',
        long = "buildpack",
        value_name = "BUILDPACK",
        required = true,
        value_parser = super::text()
    )]
    pub buildpacks: Vec<String>,
    /// Detect mode: try the buildpacks in order and use the first whose bin/detect matches
    /// (as when the platform picks among its admin buildpacks), instead of running them all.
    #[arg(long)]
    pub detect: bool,
    /// CF_STACK for the phases.
    #[arg(long, default_value = stager::DEFAULT_STACK, value_parser = super::utf8(super::parse_stack))]
    pub stack: String,
    /// An app environment variable for staging (repeatable).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE", value_parser = super::text())]
    pub env: Vec<String>,
    /// VCAP_SERVICES as JSON, or @FILE holding it (default {}).
    #[arg(long, value_name = "JSON", value_parser = super::text())]
    pub services: Option<String>,
    /// A folder that keeps the build cache between stagings, like the platform's app cache
    /// (outside the app folder).
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    // `help =` rather than a doc comment: rustdoc would read `<app>` as an HTML tag.
    #[arg(
        long,
        value_name = "DIR",
        visible_alias = "output-dir",
        help = "Where droplet.tgz, result.json and cache.tgz go; never inside the app folder \
                [default: ./.bpkit/stage/<app>, or $XDG_CACHE_HOME/bpkit/stage/<app> \
                (~/.cache/…) when run from inside the app]. `--output-dir` is the same, as \
                for `bpkit package`"
    )]
    pub out: Option<PathBuf>,
    /// The app's memory limit in MB (MEMORY_LIMIT, VCAP_APPLICATION limits).
    #[arg(long, value_name = "MB", default_value_t = 1024, value_parser = super::utf8(clap::value_parser!(u64).range(1..=1_048_576)))]
    pub memory: u64,
    /// Keep the staging folders (build dir, deps, caches) and say where they are.
    #[arg(long)]
    pub keep: bool,
    /// Stop staging after this many seconds, as the platform does.
    #[arg(long, value_name = "SECS", default_value_t = stager::DEFAULT_TIMEOUT_SECS, value_parser = super::utf8(super::parse_timeout_secs))]
    pub timeout: u64,
    /// Print the outcome as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    // As the platform's staging container would, whatever a phase leaves running stops with it.
    crate::process_group::adopt_orphans();
    let options = StageOptions {
        app_dir: args.app.clone(),
        buildpacks: args.buildpacks.clone(),
        detect: args.detect,
        stack: args.stack.clone(),
        env: args.env.clone(),
        services: args.services.clone(),
        cache: args.cache.clone(),
        out: args.out.clone(),
        memory_mb: args.memory,
        keep: args.keep,
        timeout_secs: args.timeout,
    };
    match stager::stage(&options, &context.logger) {
        Ok(staged) => {
            if args.json {
                let processes: serde_json::Map<String, Value> = staged
                    .processes
                    .iter()
                    .filter(|p| p.sidecar_for.is_empty())
                    .map(|p| (p.kind.clone(), Value::String(p.command.clone())))
                    .collect();
                let document = json!({
                    "droplet": staged.droplet,
                    "result": staged.result_json,
                    "cache": staged.cache_tgz,
                    "detected_buildpack": staged.detected_buildpack,
                    "process_types": processes,
                    "workspace": staged.workspace,
                });
                print_json(context, crate::exit_code::SUCCESS, None, document)?;
            } else {
                print_data(&format!("{}\n", staged.droplet.display()))?;
            }
            Ok(crate::exit_code::SUCCESS)
        }
        Err(failed) => {
            let code = failed.error.exit_code();
            if args.json {
                // The same keys as on success, `null` for what a failed staging has not made.
                let document = json!({
                    "droplet": null,
                    "result": failed.result_json,
                    "cache": null,
                    "detected_buildpack": failed.detected_buildpack,
                    "process_types": null,
                    "workspace": failed.workspace,
                });
                // `error` is the last line of the staging log, as the platform shows it.
                print_json(context, code, Some(&failed.error.to_string()), document)?;
            }
            Err(if failed.error.is_builder_message() {
                CliError::Builder {
                    message: failed.error.to_string(),
                    code,
                }
            } else {
                CliError::failed(failed.error, code)
            })
        }
    }
}
