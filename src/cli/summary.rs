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

/// Why no table is printed.
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error(
        "{diagnostic}; the tables would leave it out, so none is printed (the Go packager refuses such a manifest too): fix it (`bpkit validate` lists every problem)"
    )]
    LeavesOut { diagnostic: String },
}

/// The first error (without its severity word) that leaves a row or a cell out of the tables:
/// a key they show written as the wrong type (`dependencies: 5`, `- ruby` as an item,
/// `cf_stacks: s1`) is left out of the model, and the table came out without it and exit 0,
/// where the Go packager refuses the file. An empty file is an empty manifest to it.
pub(super) fn leaves_out(report: &crate::manifest::Report) -> Option<String> {
    report
        .diagnostics
        .iter()
        .find(|d| {
            d.is_error()
                && d.message.starts_with("expected ")
                && in_tables(&d.key_path)
                && !d.message.contains("found no keys at all")
        })
        .map(|d| d.without_severity().to_string())
}

/// Whether `key_path` is one the tables show: the document, `dependencies`,
/// `default_versions` and `packaging_profiles`, their items, and an item's name, version,
/// stacks and modules (a type error elsewhere, such as in `install:`, leaves no cell empty).
fn in_tables(key_path: &str) -> bool {
    if key_path.is_empty() || key_path.starts_with("packaging_profiles") {
        return true;
    }
    let Some(rest) = ["dependencies", "default_versions"]
        .iter()
        .find_map(|root| key_path.strip_prefix(root))
    else {
        return false;
    };
    let Some((index, field)) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) else {
        return rest.is_empty();
    };
    index.bytes().all(|b| b.is_ascii_digit())
        && [
            "",
            ".name",
            ".version",
            ".cf_stacks",
            ".modules",
            ".dependencies",
        ]
        .iter()
        .any(|f| field == *f || (!f.is_empty() && field.starts_with(&format!("{f}["))))
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
    let (manifest, report) = Manifest::load(&path)?;
    // …but not one whose tables would silently lack a row or a cell.
    if let Some(diagnostic) = leaves_out(&report) {
        return Err(CliError::failed(
            SummaryError::LeavesOut { diagnostic },
            exit_code::FAILURE,
        ));
    }
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

#[cfg(test)]
mod tests {
    use super::in_tables;

    #[test]
    fn the_keys_the_tables_show() {
        for path in [
            "",
            "dependencies",
            "dependencies[2]",
            "dependencies[0].name",
            "dependencies[0].version",
            "dependencies[3].cf_stacks",
            "dependencies[3].cf_stacks[1]",
            "default_versions",
            "default_versions[0].version",
            "packaging_profiles",
            "packaging_profiles.fat",
        ] {
            assert!(in_tables(path), "{path}");
        }
        for path in [
            "language",
            "dependencies[0].sha256",
            "dependencies[0].install",
            "dependencies[0].names",
            "dependencies_x",
            "default_versions[x]",
        ] {
            assert!(!in_tables(path), "{path}");
        }
    }
}
