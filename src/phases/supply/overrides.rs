//! The `override.yml` files earlier buildpacks left in `DEPS_DIR/<idx>/`, applied to this
//! buildpack's manifest before any version is chosen, as the official buildpacks' supply does
//! (libbuildpack's `Manifest.ApplyOverride`, see [`crate::manifest::overrides`]). An operator
//! puts an "override buildpack" first in the list to change the default versions of the
//! buildpacks after it, or to give them versions (from a mirror, say) their manifests lack.

use std::path::{Path, PathBuf};

use crate::manifest::{MANIFEST_READ_LIMIT, Manifest, ManifestError};
use crate::phases::PhaseError;
use crate::phases::context::Context;

use super::SupplyError;

/// The manifest with every `DEPS_DIR/*/override.yml` applied in the order of the folder names
/// (libbuildpack's `filepath.Glob`), or `None` when DEPS_DIR holds none.
pub(super) fn apply(
    context: &Context,
    manifest: &Manifest,
    deps_dir: &Path,
) -> Result<Option<Manifest>, PhaseError> {
    let mut overridden: Option<Manifest> = None;
    for path in override_files(deps_dir) {
        let bytes = match crate::regular_file::read_limited(&path, MANIFEST_READ_LIMIT) {
            Ok(bytes) => bytes,
            // A folder without one, or an entry of DEPS_DIR that is no folder.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                continue;
            }
            Err(cause) => return Err(cannot_apply(ManifestError::CannotRead { path, cause })),
        };
        let text = String::from_utf8(bytes).map_err(|_| {
            cannot_apply(ManifestError::CannotRead {
                path: path.clone(),
                cause: std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text"),
            })
        })?;
        let target = overridden.get_or_insert_with(|| manifest.clone());
        let applied = target.apply_override(&text, &path).map_err(cannot_apply)?;
        if applied.is_empty() {
            continue;
        }
        context.logger.debug(&format!(
            "Applied {}: default_versions for [{}], added [{}]",
            path.display(),
            applied.defaults.join(", "),
            applied.added.join(", ")
        ));
        // An added version on no stack is offered on none, by libbuildpack without a word
        // either: the operator would see only "not supported by this buildpack" for it.
        if let Some(stack) = context.stack() {
            for label in &applied.added {
                if let Some(why) = not_on_stack(target, label, &stack) {
                    context
                        .logger
                        .warning(&format!("{} gives {label} {why}", path.display()));
                }
            }
        }
        for kept in &applied.kept {
            // libbuildpack ignores such an entry without a word; an operator who wrote it to
            // change a URI would otherwise not learn why nothing changed.
            context.logger.warning(&format!(
                "{} gives {kept}, which manifest.yml has already; manifest.yml's entry is the one installed, as in the official buildpacks. Give the override another version to have it used",
                path.display()
            ));
        }
    }
    Ok(overridden)
}

/// Why the added dependency `label` of `manifest` is not offered on `stack`, with the fix;
/// `None` when it is (its `cf_stacks` name the stack, or the buildpack was packaged for it).
fn not_on_stack(manifest: &Manifest, label: &str, stack: &str) -> Option<String> {
    if manifest.stack.as_deref() == Some(stack) {
        return None;
    }
    let dependency = manifest.dependencies.iter().find(|d| d.label() == label)?;
    match dependency.cf_stacks.as_deref() {
        _ if dependency.supports_stack(stack) => None,
        None | Some([]) => Some(format!(
            "without `cf_stacks`, so it is offered on no stack, as in the official buildpacks; add `cf_stacks: [{stack}]` to it"
        )),
        Some(stacks) => Some(format!(
            "for {}, not for {stack}, so it is not offered here; add {stack} to its `cf_stacks`",
            stacks.join(", ")
        )),
    }
}

/// `DEPS_DIR/<name>/override.yml` for every entry of DEPS_DIR, sorted by name; none when
/// DEPS_DIR cannot be listed (supply creates its own folder there next, and says why if not).
fn override_files(deps_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(deps_dir) else {
        return Vec::new();
    };
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| deps_dir.join(name).join("override.yml"))
        .collect()
}

/// The fix for an `override.yml` that is there but cannot be read (a folder, a fifo, a file
/// this user may not read, bytes that are not UTF-8), starting with `; `; empty for the other
/// errors, whose messages carry their own fix. The manifest's own fixes speak of
/// `manifest.yml`, which is not the file at fault: an earlier buildpack made this one.
pub(super) fn unreadable_fix(error: &ManifestError) -> String {
    let ManifestError::CannotRead { path, cause } = error else {
        return String::new();
    };
    let index = path
        .parent()
        .and_then(Path::file_name)
        .map_or_else(|| "?".into(), |name| name.to_string_lossy().into_owned());
    let must = if cause.kind() == std::io::ErrorKind::PermissionDenied {
        "must let every user read it"
    } else {
        "must write it as a YAML file"
    };
    format!(
        "; the buildpack at index {index} of the buildpack list (an override buildpack) writes it for the buildpacks after it, and {must}: fix that buildpack, or take it out of the list"
    )
}

fn cannot_apply(source: ManifestError) -> PhaseError {
    SupplyError::CannotApplyOverride { source }.into()
}
