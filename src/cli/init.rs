//! `bpkit init NAME [DIR] [--from TEMPLATE] [--force] [--json]`: a new buildpack from a
//! template (issue 7). stdout gets the new folder's absolute path (or JSON); what was made and
//! what to do next go to stderr.

use std::path::{Path, PathBuf};

use super::{CliError, Context, print_data, print_json};
use crate::exit_code;
use crate::scaffold::{self, Template};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The buildpack's name: its `language`, and the prefix of its zip names
    /// (NAME_buildpack-v0.1.0.zip). Lowercase letters, digits, `-` and `_`.
    #[arg(value_parser = super::utf8(parse_name))]
    pub name: String,
    /// The folder to create it in [default: ./NAME]. It may exist; files in it are never
    /// overwritten without --force.
    pub dir: Option<PathBuf>,
    /// The template to start from.
    #[arg(long = "from", value_name = "TEMPLATE", value_enum, default_value_t = Template::Generic)]
    pub template: Template,
    /// Replace files that already exist.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON document (path, language, template, files) instead of the path.
    #[arg(long)]
    pub json: bool,
}

/// clap runs this, so a bad NAME is a usage error (exit 2) with the rule and a suggestion.
fn parse_name(name: &str) -> Result<String, scaffold::NameError> {
    scaffold::name::validate(name)?;
    Ok(name.to_string())
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    let options = scaffold::Options {
        name: args.name.clone(),
        dir: args.dir.clone(),
        template: args.template,
        force: args.force,
    };
    let outcome = scaffold::init(&options)?;
    let shown = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&args.name));
    context.logger.step(&format!(
        "Created the {} buildpack from the `{}` template in {}",
        outcome.language,
        outcome.template,
        shown.display()
    ));
    context.logger.detail(&format!(
        "{} files: manifest.yml, VERSION, README.md, bin/ (bootstrap and phase links), fixtures/, ci.sh, .github/workflows/buildpack.yml",
        outcome.files.len()
    ));
    // A line to copy and paste: no `cd .` when the buildpack is where the user already is.
    let cd = if shown == Path::new(".") {
        String::new()
    } else {
        format!(
            "cd {} && ",
            crate::output::shell_word(&shown.display().to_string())
        )
    };
    context.logger.detail(&format!(
        "Next: {cd}./ci.sh   (validate, package, stage fixtures/app, check it answers; see its README.md)"
    ));
    if args.json {
        let document = serde_json::to_value(&outcome).unwrap_or_default();
        print_json(context, exit_code::SUCCESS, None, document)?;
    } else {
        print_data(&format!("{}\n", outcome.path.display()))?;
    }
    Ok(exit_code::SUCCESS)
}
