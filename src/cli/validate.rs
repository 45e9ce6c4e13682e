//! `bpkit validate [DIR | --manifest PATH] [--json]`: every error and warning of manifest.md at
//! once. The findings are the command's data, so they go to stdout; exit 1 on any error.

use std::path::Path;

use super::{CliError, Context, ManifestLocation, count, print_bytes, print_json};
use crate::exit_code;
use crate::manifest::{self, Diagnostic, Manifest, ManifestError, Severity};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub location: ManifestLocation,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    let path = args.location.path();
    if args.json
        && let Some(error) = super::json_cannot_hold(
            "the manifest",
            &path,
            "name it by a path that is UTF-8 text (run bpkit in its folder, or link to it)",
        )
    {
        return Err(error);
    }
    let diagnostics = check(&path)?;
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let summary = match (errors, warnings) {
        (0, 0) => format!("{}: valid", path.display()),
        (0, w) => format!(
            "{}: valid, {}",
            path.display(),
            count(w, "warning", "warnings")
        ),
        (e, w) => format!(
            "{}: {}, {}",
            path.display(),
            count(e, "error", "errors"),
            count(w, "warning", "warnings")
        ),
    };
    let code = if errors == 0 {
        exit_code::SUCCESS
    } else {
        exit_code::FAILURE
    };
    if args.json {
        let document = serde_json::json!({
            "manifest": path.display().to_string(),
            "valid": errors == 0,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": diagnostics.iter().map(|d| {
                let mut value = serde_json::to_value(d).unwrap_or_default();
                value["text"] = serde_json::Value::String(d.to_string());
                value
            }).collect::<Vec<_>>(),
        });
        // An invalid manifest's `error` is the summary line text mode prints on stderr.
        let error = (errors > 0).then_some(summary.as_str());
        print_json(context, code, error, document)?;
    } else {
        let text: Vec<u8> = diagnostics
            .iter()
            .flat_map(Diagnostic::line_bytes)
            .collect();
        print_bytes(&text)?;
        context.logger.step(&summary);
    }
    Ok(code)
}

/// True when `phase` is a link to `bpkit` beside it (the bootstrap, or the binary), as `bpkit
/// init` writes them: the phase is bpkit's, and reads its manifest key.
fn runs_bpkit(phase: &Path) -> bool {
    std::fs::read_link(phase).is_ok_and(|target| target.file_name().is_some_and(|n| n == "bpkit"))
}

/// Every finding for one manifest file; a YAML syntax error is reported as a finding too.
fn check(path: &Path) -> Result<Vec<Diagnostic>, CliError> {
    match Manifest::load(path) {
        Ok((manifest, mut report)) => {
            if let Some(over) = crate::packager::any_stack_manifest_over_the_limit(&manifest) {
                let size = over.size;
                let (how, command, fix) = if over.cached {
                    (
                        "packaged cached for any stack (each dependency with its `file:` key)",
                        "--cached --any-stack",
                        "package for one stack (--stack), uncached, or drop old dependencies",
                    )
                } else {
                    (
                        "packaged for any stack",
                        "--any-stack",
                        "package for one stack (--stack) or drop old dependencies",
                    )
                };
                // Valid, yet `bpkit package --any-stack` refuses it: said here, before CI
                // packages (first, with the whole file's findings, once validate sorts them).
                report.warning(
                    "",
                    None,
                    format!(
                        "{how}, manifest.yml would be {size} bytes, {} over the 1 MiB ({} bytes) Cloud Controller accepts, so `bpkit package {command}` refuses it; {fix}",
                        size.saturating_sub(crate::packager::MANIFEST_LIMIT),
                        crate::packager::MANIFEST_LIMIT
                    ),
                );
            }
            manifest::validate::validate(&manifest, &mut report);
            if manifest.detect.is_none()
                && let Some(folder) = path.parent()
                && runs_bpkit(&folder.join("bin/detect"))
            {
                // A buildpack moving to bpkit phase by phase (README, "Migrating") links
                // bin/detect first: without `detect:` its detect matches no app, which the
                // platform reports only as "None of the buildpacks detected".
                report.warning(
                    "detect",
                    manifest.tree.as_ref().map(|t| t.position),
                    "bin/detect runs bpkit, which detects by this key, and the manifest has none, so no app is ever detected; add `detect:` with `any_of:` rules (README, \"Writing a buildpack\"), or keep bin/detect a script",
                );
                // In the file's order with the rest, as `validate` sorts them (stable: the
                // others keep theirs).
                report
                    .diagnostics
                    .sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
            }
            Ok(report.diagnostics)
        }
        Err(ManifestError::CannotParse { path, error }) => Ok(vec![Diagnostic::new(
            Severity::Error,
            &path,
            "",
            Some(error.position),
            format!("invalid YAML: {}", error.message),
        )]),
        Err(e) => Err(e.into()),
    }
}
