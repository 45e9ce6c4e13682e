//! `bpkit fetch`: fill the dependency cache (parallel, verified) without packaging. stdout gets
//! each cache file's absolute path, one a line, in manifest order (or a JSON document with
//! `--json`); narration goes to stderr.

use std::path::PathBuf;

use super::selection::Selection;
use super::{CliError, Context, print_json, print_path_lines};
use crate::exit_code;
use crate::output::Verbosity;
use crate::output::progress::Bars;
use crate::packager::prefetch::{self, FetchOptions};

// Each bool is an independent command-line switch.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The buildpack folder (its manifest.yml is read).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Use this manifest instead of DIR/manifest.yml.
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
    #[command(flatten)]
    pub selection: Selection,
    /// Print a JSON document (the cache, each dependency with its file) instead of the paths.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    let mut options = FetchOptions::new(&args.dir);
    options.manifest.clone_from(&args.manifest);
    options.stack = args.selection.stack_choice();
    options.cache_dir.clone_from(&args.selection.cache_dir);
    options.profile.clone_from(&args.selection.profile);
    options.exclude = args.selection.exclude();
    options.include = args.selection.include();
    options.jobs = args.selection.jobs();
    options.mode = args.selection.mode();
    if args.json
        && let Ok(cache_dir) = crate::packager::cache_dir(options.cache_dir.as_deref())
        && let Some(error) = super::json_cannot_name(
            "the dependency cache",
            &cache_dir,
            "use a cache folder whose path is UTF-8 text (--cache-dir or BPKIT_CACHE_DIR)",
        )
    {
        return Err(error);
    }

    let progress = Bars::for_stderr(context.verbosity == Verbosity::Quiet, &context.logger);
    match prefetch::fetch(&options, &context.logger, progress.as_ref()) {
        Ok(outcome) => {
            if args.json {
                print_json(context, exit_code::SUCCESS, None, outcome.to_json())?;
            } else {
                print_path_lines(outcome.dependencies.iter().map(|d| d.path.as_path()))?;
            }
            Ok(exit_code::SUCCESS)
        }
        Err(e) => {
            let code = e.exit_code();
            Err(CliError::failed(e, code))
        }
    }
}
