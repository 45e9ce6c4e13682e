//! `bpkit package`: build a buildpack zip (packager.md). stdout gets the zip's absolute path,
//! or with `--json` a document with its size, sha256 and where each dependency came from.

use std::path::PathBuf;

use super::selection::Selection;
use super::{CliError, Context, print_json, print_path_lines};
use crate::exit_code;
use crate::output::Verbosity;
use crate::output::progress::Bars;
use crate::packager::{self, BinLinks, Options};

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
    /// The version in the zip's name and VERSION file; default: the VERSION file.
    #[arg(long, value_name = "VERSION", value_parser = super::text())]
    pub version: Option<String>,
    /// Use this manifest instead of DIR/manifest.yml (it becomes the zip's manifest.yml).
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
    /// Where to write the zip [default: DIR]. `--out` is the same, as for `bpkit stage`.
    #[arg(long, value_name = "DIR", visible_alias = "out")]
    pub output_dir: Option<PathBuf>,
    #[command(flatten)]
    pub selection: Selection,
    // `help =` rather than a doc comment: rustdoc would read `<phase>` as an HTML tag.
    #[arg(
        long,
        value_enum,
        value_name = "HOW",
        default_value_t = BinLinks::Shim,
        help = "How a bpkit buildpack's bin/<phase> entries are written"
    )]
    pub bin_links: BinLinks,
    /// The Linux x86_64 bpkit binary to put in a bpkit buildpack [default: this executable].
    #[arg(long, value_name = "PATH")]
    pub binary: Option<PathBuf>,
    /// Print a JSON document (path, size, sha256, dependencies) instead of the path.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    // Whatever pre_package leaves running, in its process group or out of it, stops with it.
    crate::process_group::adopt_orphans();
    let mut options = Options::new(&args.dir);
    options.manifest.clone_from(&args.manifest);
    options.cached = args.cached;
    options.stack = args.selection.stack_choice();
    options.version.clone_from(&args.version);
    options.cache_dir.clone_from(&args.selection.cache_dir);
    options.output_dir.clone_from(&args.output_dir);
    options.profile.clone_from(&args.selection.profile);
    options.exclude = args.selection.exclude();
    options.include = args.selection.include();
    options.jobs = args.selection.jobs();
    options.mode = args.selection.mode();
    options.bin_links = args.bin_links;
    options.binary.clone_from(&args.binary);
    // Read lossily: a value that is not UTF-8 is then refused as "not a whole number", where
    // reading it as unset silently made a zip that is not reproducible.
    options.source_date_epoch =
        std::env::var_os("SOURCE_DATE_EPOCH").map(|v| v.to_string_lossy().into_owned());
    options.hash_zip = args.json;
    if args.json {
        // The zip goes into the output folder with its links resolved, as the document names it.
        let output_dir = args.output_dir.as_ref().unwrap_or(&args.dir);
        let output_dir = std::fs::canonicalize(output_dir).unwrap_or_else(|_| output_dir.clone());
        if let Some(error) = super::json_cannot_name(
            "the output folder",
            &output_dir,
            "write the zip to a folder whose path is UTF-8 text (--output-dir)",
        ) {
            return Err(error);
        }
    }

    let progress = Bars::for_stderr(context.verbosity == Verbosity::Quiet, &context.logger);
    match packager::package(&options, &context.logger, progress.as_ref()) {
        Ok(outcome) => {
            if args.json {
                print_json(context, exit_code::SUCCESS, None, outcome.to_json())?;
            } else {
                print_path_lines([outcome.path.as_path()])?;
            }
            Ok(exit_code::SUCCESS)
        }
        Err(e) => {
            let code = e.exit_code();
            Err(CliError::failed(e, code))
        }
    }
}
