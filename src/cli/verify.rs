//! `bpkit verify ZIP`: check a built zip (see `packager::verify`). Findings go to stdout, one
//! line each (or JSON); exit 1 when there is any error.

use std::path::PathBuf;

use super::{CliError, Context, count, print_bytes, print_json};
use crate::exit_code;
use crate::packager::verify;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The buildpack zip.
    pub zip: PathBuf,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    if args.json
        && let Some(error) = super::json_cannot_hold(
            "the zip",
            &args.zip,
            "name it by a path that is UTF-8 text (rename it, or link to it)",
        )
    {
        return Err(error);
    }
    let report = verify::verify(&args.zip).map_err(|e| CliError::failed(e, exit_code::FAILURE))?;
    let zip = args.zip.display();
    let summary = match (report.errors(), report.warnings()) {
        (0, w) => format!(
            "{zip}: valid{} ({}, {} verified)",
            if w == 0 {
                String::new()
            } else {
                format!(", {}", count(w, "warning", "warnings"))
            },
            count(report.entries, "entry", "entries"),
            count(report.dependencies_checked, "dependency", "dependencies"),
        ),
        (e, w) => format!(
            "{zip}: {}, {}",
            count(e, "error", "errors"),
            count(w, "warning", "warnings")
        ),
    };
    let code = if report.errors() == 0 {
        exit_code::SUCCESS
    } else {
        exit_code::FAILURE
    };
    if args.json {
        // A broken zip's `error` is the summary line text mode prints on stderr.
        let error = (code != exit_code::SUCCESS).then_some(summary.as_str());
        print_json(context, code, error, report.to_json())?;
    } else {
        print_bytes(&report.lines())?;
        context.logger.step(&summary);
    }
    Ok(code)
}
