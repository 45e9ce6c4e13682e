//! `bpkit translate-dependency-url URL [DIR | --manifest PATH] [--json]`: compile-extensions'
//! `translate_dependency_url`, for Ruby-era buildpack scripts that name a dependency by a URL.
//! The manifest's `url_to_dependency_map` turns the URL into a name and version, and the
//! dependency with them on `CF_STACK` gives the URL to download (or, in a cached buildpack, a
//! `file://` URL of its copy). A URL that leads to no dependency prints
//! `DEPENDENCY_MISSING_IN_MANIFEST: URL` on stdout and exits 1, as compile-extensions did:
//! the scripts print that line to the staging log.

use std::path::{Path, PathBuf};

use super::{CliError, Context, ManifestLocation, print_data, print_json};
use crate::exit_code;
use crate::fetch::uri;
use crate::manifest::{Dependency, Manifest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The URL the script asks for.
    #[arg(value_parser = super::text())]
    pub url: String,
    #[command(flatten)]
    pub location: ManifestLocation,
    /// Print {"url", "name", "version", "translated"} as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    let path = args.location.path();
    // Load without validating, as compile-extensions read whatever manifest it was given: a
    // Ruby-era manifest may have findings elsewhere that do not affect this lookup.
    let (manifest, _) = Manifest::load(&path)?;
    let Some(stack) = stack() else {
        let stacks = manifest.stacks();
        let listed = if stacks.is_empty() {
            String::new()
        } else {
            format!(" ({} lists {})", path.display(), stacks.join(", "))
        };
        return Err(CliError::Usage(format!(
            "neither CF_STACK nor STACK is set; set CF_STACK to the stack the app stages on{listed}"
        )));
    };
    let lookup = manifest.dependency_for_url(&args.url, &stack)?;
    let found = lookup.as_ref().and_then(|l| l.dependency);
    let translated = found
        .map(|d| translated(d, &buildpack_dir(args, &path)))
        .transpose()
        .map_err(|problem| {
            let index = found.map(|d| d.index).unwrap_or_default();
            CliError::Usage(format!(
                "{}: dependencies[{index}].file {problem}, but it must name a file inside the buildpack; package the buildpack again",
                path.display()
            ))
        })?;
    // The URL is echoed to the staging log, so its credentials are not.
    let shown = uri::redact(&args.url);
    let missing = format!("DEPENDENCY_MISSING_IN_MANIFEST: {shown}");
    let code = if translated.is_some() {
        exit_code::SUCCESS
    } else {
        exit_code::FAILURE
    };
    if args.json {
        let document = serde_json::json!({
            "url": shown,
            "name": lookup.as_ref().map(|l| &l.name),
            "version": lookup.as_ref().map(|l| &l.version),
            "translated": translated,
        });
        // A missing dependency's `error` is the line text mode prints.
        let error = translated.is_none().then_some(missing.as_str());
        print_json(context, code, error, document)?;
    } else {
        match &translated {
            Some(url) => print_data(&format!("{url}\n"))?,
            None => print_data(&format!("{missing}\n"))?,
        }
    }
    Ok(code)
}

/// `CF_STACK`, else `STACK` (Heroku's), when set and not empty; the phases read it the same way.
fn stack() -> Option<String> {
    ["CF_STACK", "STACK"].iter().find_map(|name| {
        std::env::var(name)
            .ok()
            .filter(|value| !value.trim().is_empty())
    })
}

/// Where the buildpack is: DIR, or the folder of `--manifest`, made absolute so the `file://`
/// URL of a cached file works from any working directory.
fn buildpack_dir(args: &Args, manifest: &Path) -> PathBuf {
    let dir = match &args.location.manifest {
        Some(_) => manifest.parent().unwrap_or(Path::new(".")),
        None => args.location.dir.as_path(),
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// The dependency's copy in a cached buildpack (`file:`, relative to the buildpack, written by
/// `bpkit package --cached`), else its `uri`. compile-extensions pointed into the cached
/// buildpack's `dependencies/` folder the same way. A `file:` that is absolute or climbs out
/// with `..` is refused (`Err`: what is wrong with it), as supply refuses it: the packager never
/// writes one, and the script would fetch a file from outside the buildpack (a `Path::join`
/// with an absolute path replaces the buildpack's folder).
fn translated(dependency: &Dependency, buildpack_dir: &Path) -> Result<String, String> {
    let Some(file) = dependency.file.as_deref().filter(|f| !f.trim().is_empty()) else {
        return Ok(dependency.uri.clone());
    };
    let relative = Path::new(file);
    if relative.is_absolute() {
        return Err(format!("`{file}` is absolute"));
    }
    if relative
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(format!("`{file}` climbs out of the buildpack with `..`"));
    }
    // A URL, not a path: percent-encoded, so a buildpack folder holding a space, `#`, `?`, `%`
    // or bytes that are not UTF-8 is the folder the script's download reads.
    Ok(uri::file_uri(&buildpack_dir.join(relative)))
}
