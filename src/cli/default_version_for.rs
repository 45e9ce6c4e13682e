//! `bpkit default-version-for MANIFEST NAME`: the helper compile-extensions offered to
//! buildpack scripts. Prints the version (no trailing newline) that the manifest's
//! `default_versions` entry resolves to on `CF_STACK` (any stack when unset).

use std::path::PathBuf;

use super::{CliError, print_data};
use crate::exit_code;
use crate::manifest::Manifest;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The manifest.yml to read.
    pub manifest: PathBuf,
    /// The dependency name.
    pub name: String,
}

pub fn run(args: &Args) -> Result<u8, CliError> {
    let (manifest, _) = Manifest::load(&args.manifest)?;
    let stack = std::env::var("CF_STACK").ok().filter(|s| !s.is_empty());
    let Some(default) = manifest.default_version(&args.name) else {
        return Err(CliError::Usage(format!(
            "{}: default_versions has no entry for `{}`; add `- name: {}` with a `version:` there",
            args.manifest.display(),
            args.name,
            args.name
        )));
    };
    let Some(dependency) = manifest.resolve_default(&args.name, stack.as_deref()) else {
        let on = stack.map_or_else(|| "any stack".to_string(), |s| format!("stack {s}"));
        return Err(CliError::Usage(format!(
            "{}: default {} {} matches no dependency on {on}",
            args.manifest.display(),
            args.name,
            default.version
        )));
    };
    print_data(&dependency.version)?;
    Ok(exit_code::SUCCESS)
}
