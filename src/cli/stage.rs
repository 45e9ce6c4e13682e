//! `bpkit stage APP -b BUILDPACK…`: stage an app as the platform would (stager.md). The staging
//! log goes to stderr as the platform shows it; stdout gets the droplet path (or, with
//! `--json`, one JSON object, also when staging fails). The exit code is the builder's.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{CliError, Context, print_json, print_path_lines};
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
                (~/.cache/...) when run from inside the app]. `--output-dir` is the same, as \
                for `bpkit package`"
    )]
    pub out: Option<PathBuf>,
    /// The app's memory limit in MB (MEMORY_LIMIT, VCAP_APPLICATION limits), or with a unit
    /// as `cf push -m` takes it (512M, 1G).
    #[arg(long, value_name = "MB", default_value_t = 1024, allow_negative_numbers = true, value_parser = super::utf8(super::parse_memory_mb))]
    pub memory: u64,
    /// Keep the staging folders (build dir, deps, caches) and say where they are.
    #[arg(long)]
    pub keep: bool,
    /// Stop staging after this many seconds, as the platform's staging timeout does: the whole
    /// staging counts, from copying the app to writing the droplet and cache (not a wait for
    /// another staging into the same --out). A timed-out staging leaves no outputs.
    #[arg(long, value_name = "SECS", default_value_t = stager::DEFAULT_TIMEOUT_SECS, allow_negative_numbers = true, value_parser = super::utf8(super::parse_timeout_secs))]
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
    if args.json
        && let Some(error) = json_cannot_name_outputs(&options)
    {
        // Every key, as a failed staging's document has them.
        let document = json!({
            "droplet": null,
            "result": null,
            "cache": null,
            "detected_buildpack": null,
            "process_types": null,
            "workspace": null,
        });
        print_json(
            context,
            error.exit_code(),
            Some(&error.to_string()),
            document,
        )?;
        return Err(error);
    }
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
                    "droplet": path_value(Some(&staged.droplet)),
                    "result": path_value(Some(&staged.result_json)),
                    "cache": path_value(Some(&staged.cache_tgz)),
                    "detected_buildpack": staged.detected_buildpack,
                    "process_types": processes,
                    "workspace": path_value(staged.workspace.as_deref()),
                });
                print_json(context, crate::exit_code::SUCCESS, None, document)?;
            } else {
                print_path_lines([staged.droplet.as_path()])?;
            }
            Ok(crate::exit_code::SUCCESS)
        }
        Err(failed) => {
            let code = failed.error.exit_code();
            if args.json {
                // The same keys as on success, `null` for what a failed staging has not made.
                let document = json!({
                    "droplet": null,
                    "result": path_value(failed.result_json.as_deref()),
                    "cache": null,
                    "detected_buildpack": failed.detected_buildpack,
                    "process_types": null,
                    "workspace": path_value(failed.workspace.as_deref()),
                });
                // `error` is one line: the staging log's last, as the platform shows it, or
                // for a failed clone the builder's line with git's exit status (git's output
                // is in the log on stderr).
                print_json(context, code, Some(&failed.error.summary()), document)?;
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

/// Why `--json` cannot name where the staging writes: an output folder (or, with `--keep`, a
/// temporary folder for the workspace) whose path is not UTF-8, which JSON strings are. Said
/// before staging, as `package` and `fetch` say it, where serializing the paths panicked
/// after the staging had run (`path contains invalid UTF-8 characters`). A problem with the
/// app or the folders themselves is left to the staging, which names it.
fn json_cannot_name_outputs(options: &StageOptions) -> Option<CliError> {
    let app_dir = std::fs::canonicalize(&options.app_dir).ok()?;
    if let Ok(out) = stager::out_dir(options, &app_dir)
        && let Some(error) = super::json_cannot_name(
            "the output folder",
            &out.path,
            "give --out a folder whose path is UTF-8 text",
        )
    {
        return Some(error);
    }
    if options.keep {
        return super::json_cannot_name(
            "the temporary folder",
            &std::env::temp_dir(),
            "set TMPDIR to a folder whose path is UTF-8 text, leave out --keep",
        );
    }
    None
}

/// A path in the `--json` document. Checked to be UTF-8 before staging
/// ([`json_cannot_name_outputs`]); were one not, it is shown with U+FFFD for its bytes rather
/// than ending bpkit in a panic, as serializing the `PathBuf` did.
fn path_value(path: Option<&Path>) -> Value {
    path.map_or(Value::Null, |p| Value::String(p.display().to_string()))
}
