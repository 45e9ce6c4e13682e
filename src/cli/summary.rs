//! `bpkit summary`, `bpkit list`, `bpkit defaults`: the dependency tables of the Go packager
//! (`summary`) and the Ruby gem (`--list`, `--defaults`), or the same data with `--json`.

use super::{CliError, Context, ManifestLocation, print_data, print_json};
use crate::exit_code;
use crate::manifest::Manifest;
use crate::packager::summary;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub location: ManifestLocation,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// Which table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Summary,
    List,
    Defaults,
}

pub fn run(args: &Args, table: Table, context: &Context) -> Result<u8, CliError> {
    let path = args.location.path();
    // Like the Go packager, the tables need a manifest that parses, not a fully valid one.
    let (manifest, _) = Manifest::load(&path)?;
    if args.json {
        let document = match table {
            Table::Summary => summary::summary_json(&manifest),
            Table::List => summary::list_json(&manifest),
            Table::Defaults => summary::defaults_json(&manifest),
        };
        print_json(context, exit_code::SUCCESS, None, document)?;
    } else {
        print_data(&match table {
            Table::Summary => summary::go_summary(&manifest),
            Table::List => summary::ruby_list(&manifest),
            Table::Defaults => summary::ruby_defaults(&manifest),
        })?;
    }
    Ok(exit_code::SUCCESS)
}
