//! `bpkit fetch`: fill the dependency cache (parallel, verified) without packaging. stdout gets
//! each cache file's absolute path, one a line, in manifest order (or a JSON document with
//! `--json`); narration goes to stderr.

use std::path::PathBuf;

use super::{CliError, Context, print_data, report_error};
use crate::exit_code;
use crate::fetch::Mode;
use crate::output::Verbosity;
use crate::output::progress::Bars;
use crate::packager::StackChoice;
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
    /// Only the dependencies for this stack (with the same checks as `bpkit package --stack`).
    #[arg(long, value_name = "S", conflicts_with = "any_stack")]
    pub stack: Option<String>,
    /// The dependencies of every stack (the default when no --stack is given).
    #[arg(long)]
    pub any_stack: bool,
    /// The dependency cache [default: $BPKIT_CACHE_DIR, else ~/.buildpack-packager/cache].
    #[arg(long, value_name = "D")]
    pub cache_dir: Option<PathBuf>,
    /// A packaging profile from the manifest's `packaging_profiles`.
    #[arg(long, value_name = "P")]
    pub profile: Option<String>,
    /// Dependency names to leave out (comma-separated).
    #[arg(long, value_name = "a,b", value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// Dependency names the profile leaves out, to fetch after all (comma-separated).
    #[arg(long, value_name = "a,b", value_delimiter = ',')]
    pub include: Vec<String>,
    /// Downloads at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Never use the network: check that every file is already in the cache, and verify it
    /// (file:// sources are local files and still read).
    #[arg(long, conflicts_with = "force_download")]
    pub offline: bool,
    /// Download every dependency again; a cache entry is replaced only by a verified file.
    #[arg(long)]
    pub force_download: bool,
    /// Print a JSON document (the cache, each dependency with its file) instead of the paths.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    let mut options = FetchOptions::new(&args.dir);
    options.manifest.clone_from(&args.manifest);
    options.stack = match &args.stack {
        Some(stack) => StackChoice::One(stack.clone()),
        None => StackChoice::Any,
    };
    options.cache_dir.clone_from(&args.cache_dir);
    options.profile.clone_from(&args.profile);
    options.exclude = super::package::trimmed(&args.exclude);
    options.include = super::package::trimmed(&args.include);
    options.jobs = usize::from(args.jobs);
    options.mode = if args.offline {
        Mode::Offline
    } else if args.force_download {
        Mode::ForceDownload
    } else {
        Mode::Normal
    };

    let progress = Bars::for_stderr(context.verbosity == Verbosity::Quiet);
    match prefetch::fetch(&options, &context.logger, progress.as_ref()) {
        Ok(outcome) => {
            if args.json {
                print_data(&format!("{:#}\n", outcome.to_json()))?;
            } else {
                let mut paths = String::new();
                for dependency in &outcome.dependencies {
                    paths.push_str(&dependency.path.display().to_string());
                    paths.push('\n');
                }
                print_data(&paths)?;
            }
            Ok(exit_code::SUCCESS)
        }
        Err(e) => {
            report_error(&e);
            Ok(e.exit_code())
        }
    }
}
