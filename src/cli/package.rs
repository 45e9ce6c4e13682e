//! `bpkit package`: build a buildpack zip (packager.md). stdout gets the zip's absolute path,
//! or with `--json` a document with its size, sha256 and where each dependency came from.

use std::path::PathBuf;

use super::{CliError, Context, print_data, report_error};
use crate::exit_code;
use crate::fetch::Mode;
use crate::output::Verbosity;
use crate::output::progress::Bars;
use crate::packager::{self, BinLinks, Options, StackChoice};

// Each bool is an independent command-line switch.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The buildpack folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Put the dependencies in the zip (an offline buildpack).
    #[arg(long)]
    pub cached: bool,
    /// Package for this stack only: `stack: S` in the manifest, other stacks' dependencies left out.
    #[arg(long, value_name = "S", conflicts_with = "any_stack")]
    pub stack: Option<String>,
    /// Package for any stack (the default when no --stack is given).
    #[arg(long)]
    pub any_stack: bool,
    /// The version in the zip's name and VERSION file; default: the VERSION file.
    #[arg(long, value_name = "V")]
    pub version: Option<String>,
    /// Use this manifest instead of DIR/manifest.yml (it becomes the zip's manifest.yml).
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
    /// The dependency cache [default: $BPKIT_CACHE_DIR, else ~/.buildpack-packager/cache].
    #[arg(long, value_name = "D")]
    pub cache_dir: Option<PathBuf>,
    /// Where to write the zip [default: DIR].
    #[arg(long, value_name = "D")]
    pub output_dir: Option<PathBuf>,
    /// A packaging profile from the manifest's `packaging_profiles`.
    #[arg(long, value_name = "P")]
    pub profile: Option<String>,
    /// Dependency names to leave out (comma-separated).
    #[arg(long, value_name = "a,b", value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// Dependency names the profile leaves out, to keep after all (comma-separated).
    #[arg(long, value_name = "a,b", value_delimiter = ',')]
    pub include: Vec<String>,
    /// Downloads (and compression threads) at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Never use the network: every dependency must be in the cache (file:// sources are
    /// local files and still read).
    #[arg(long, conflicts_with = "force_download")]
    pub offline: bool,
    /// Download every dependency again; a cache entry is replaced only by a verified file.
    #[arg(long)]
    pub force_download: bool,
    /// How a bpkit buildpack's bin/<phase> entries are written.
    #[arg(long, value_enum, value_name = "HOW", default_value_t = BinLinks::Shim)]
    pub bin_links: BinLinks,
    /// The Linux x86_64 bpkit binary to put in a bpkit buildpack [default: this executable].
    #[arg(long, value_name = "PATH")]
    pub binary: Option<PathBuf>,
    /// Print a JSON document (path, size, sha256, dependencies) instead of the path.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    let mut options = Options::new(&args.dir);
    options.manifest.clone_from(&args.manifest);
    options.cached = args.cached;
    options.stack = match &args.stack {
        Some(stack) => StackChoice::One(stack.clone()),
        None => StackChoice::Any,
    };
    options.version.clone_from(&args.version);
    options.cache_dir.clone_from(&args.cache_dir);
    options.output_dir.clone_from(&args.output_dir);
    options.profile.clone_from(&args.profile);
    options.exclude = trimmed(&args.exclude);
    options.include = trimmed(&args.include);
    options.jobs = usize::from(args.jobs);
    options.mode = if args.offline {
        Mode::Offline
    } else if args.force_download {
        Mode::ForceDownload
    } else {
        Mode::Normal
    };
    options.bin_links = args.bin_links;
    options.binary.clone_from(&args.binary);
    options.source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    options.hash_zip = args.json;

    let progress = Bars::for_stderr(context.verbosity == Verbosity::Quiet);
    match packager::package(&options, &context.logger, progress.as_ref()) {
        Ok(outcome) => {
            if args.json {
                print_data(&format!("{:#}\n", outcome.to_json()))?;
            } else {
                print_data(&format!("{}\n", outcome.path.display()))?;
            }
            Ok(exit_code::SUCCESS)
        }
        Err(e) => {
            report_error(&e);
            Ok(e.exit_code())
        }
    }
}

fn trimmed(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}
