//! `bpkit package`: a buildpack folder in, a zip that `cf create-buildpack` accepts out
//! (packager.md). This file is the order of the steps; each step is its own module:
//!
//! - [`plan`]: which dependencies go in (stack, defaults, profiles) — the Go packager's checks.
//! - [`name`]: the zip's file name.
//! - [`prepackage`]: `pre_package` in a temporary copy.
//! - [`select`]: which files of the tree go in (`include_files` / `exclude_files`, symlinks).
//! - [`shim`]: the bpkit binary and `bin/<phase>` entries of a bpkit buildpack.
//! - [`rewrite`]: the packaged `manifest.yml`.
//! - [`zipwriter`]: the deterministic zip, written to a temporary file and renamed.
//! - [`fetching`]: the dependencies fetched into the cache, one file per URI, in the zip's order.
//! - [`pending`]: a dependency still downloading, which the zip writer follows as it arrives.
//! - [`outcome`], [`error`]: what was built (the `--json` document), and why it was not.
//! - [`summary`], [`verify`]: the dependency tables of `bpkit summary/list/defaults` (and of the
//!   `buildpack-packager` drop-in, whose command line is [`crate::cli::compat`]), `bpkit verify`;
//!   `go_sort` is Go's `sort.Sort`, which orders `summary` as the Go packager does.
//! - [`prefetch`]: `bpkit fetch`, the cache filled as a cached zip would fill it, no zip.
//!
//! Dependencies are fetched by [`crate::fetch`] into the Go packager's cache layout.
//!
//! The steps' glue is in files of its own too: [`options`] (the flags, the cache folder, the
//! version), `job` (what will be built, decided before a file is touched), `contents` (the
//! tree's entries), `dependencies` (the dependencies' entries, written while they download)
//! and `manifest_checks` (warnings about the packaged manifest).

pub mod error;
pub mod fetching;
mod go_sort;
pub mod linkage;
pub mod name;
pub mod options;
pub mod outcome;
pub mod pending;
pub mod plan;
pub mod prefetch;
pub mod prepackage;
pub mod rewrite;
pub mod select;
pub mod shim;
pub mod stack_fit;
pub mod summary;
pub mod verify;
pub mod zipwriter;

mod contents;
mod dependencies;
mod job;
mod manifest_checks;

use std::fs;

use crate::checksum;
use crate::output::progress::Progress;
use crate::output::{Logger, human_size};
use crate::process_group;
use crate::stoppable;

pub use dependencies::{Layout, zip_path_for};
pub use error::{ConflictingChecksums, FailedFetch, PackageError};
pub use manifest_checks::{MANIFEST_LIMIT, OverTheLimit, any_stack_manifest_over_the_limit};
pub use options::{Options, cache_dir, default_cache_dir, resolve_version};
pub use outcome::{Origin, Outcome, PackagedDependency};
pub use plan::{Plan, PlanError, StackChoice};
pub use shim::BinLinks;

use contents::{bpkit_entries, missing_phases, pre_package, select_files, zip_entries};
use dependencies::{dependencies, write_while_fetching};
use job::decide;
use manifest_checks::{check_credentials, check_manifest_size};
use rewrite::RewriteError;

/// Build the zip. Narration goes to `logger`, download progress to `progress`.
///
/// Ctrl-C (SIGINT), SIGTERM and SIGHUP are caught for the whole run
/// ([`process_group::watch_termination`], as `bpkit stage` does): downloads, `pre_package` and
/// the zip writer stop, each removing what it was writing (its `.part` file, the zip's
/// temporary file) as it unwinds, and the run ends with [`PackageError::Interrupted`] (exit
/// 130) whatever the steps returned. A zip finished just as the signal came is removed too, so
/// an interrupted run never leaves one. A second signal exits at once.
pub fn package(
    options: &Options,
    logger: &Logger,
    progress: &dyn Progress,
) -> Result<Outcome, PackageError> {
    process_group::watch_termination();
    let result = package_steps(options, logger, progress);
    if process_group::termination_requested() {
        if let Ok(outcome) = &result {
            // Already renamed into place; leaving it would be no harm, but exit 130 says no zip.
            let _ = fs::remove_file(&outcome.path);
        }
        return Err(PackageError::Interrupted {
            cached: options.cached,
        });
    }
    result
}

fn package_steps(
    options: &Options,
    logger: &Logger,
    progress: &dyn Progress,
) -> Result<Outcome, PackageError> {
    let job = decide(options, logger)?;
    logger.step(&format!(
        "Packaging {}_buildpack {} for {}, {}",
        job.manifest.language(),
        job.version,
        options.stack,
        if options.cached { "cached" } else { "uncached" }
    ));
    // What killed runs left in the output folder goes before anything reads the tree (the
    // buildpack folder is the output folder by default): pre_package's copy took those
    // leftovers along, and an include_files glob such as `*` packaged them.
    if let Some(output_dir) = job.dest.parent() {
        zipwriter::remove_abandoned(output_dir);
    }
    // pre_package runs in a copy; everything after reads the copy.
    let copy = pre_package(&job, options, logger)?;
    let tree = copy.as_ref().map_or(job.root.as_path(), |c| c.path());
    let generated = bpkit_entries(tree, &job, options, logger)?;
    let selection = select_files(tree, &job, &generated, options, logger)?;
    let mut dependencies = dependencies(&job, options)?;

    let tree_node = job
        .manifest
        .tree
        .as_ref()
        .ok_or(RewriteError::NotAMapping)?;
    let manifest_text = rewrite::packaged_manifest(
        tree_node,
        job.manifest.dependencies.len(),
        &dependencies.kept,
        options.stack.stack(),
        &job.plan.excluded,
    )?;
    check_manifest_size(manifest_text.len(), &job.manifest_path, logger)?;
    check_credentials(&job.manifest, &job.plan.kept, logger);

    let entries = zip_entries(
        selection,
        &manifest_text,
        &job.version,
        generated,
        &dependencies,
    );
    // Packaged all the same, as by the Go packager (a tree being built may lack them yet),
    // but said: the platform cannot use the zip, and `bpkit verify` refuses it.
    let missing = missing_phases(&entries);
    if !missing.is_empty() {
        logger.warning(&format!(
            "The zip has {}: Cloud Foundry runs these to stage every app, and `bpkit verify` refuses the zip. Add them to the buildpack (and to include_files, if it has that key).",
            missing.join(", ")
        ));
    }
    let settings = zipwriter::Settings {
        timestamp: job.timestamp,
        jobs: options.jobs,
    };
    let written = write_while_fetching(
        &job,
        &entries,
        settings,
        &mut dependencies,
        options,
        logger,
        progress,
    )?;
    log_written(&written, logger);
    drop(copy);
    let sha256 = if options.hash_zip {
        // Stopped by a Ctrl-C between two reads: a zip of gigabytes takes seconds to hash.
        let digests = fs::File::open(&job.dest)
            .and_then(|zip| {
                let mut zip = stoppable::Reader::new(zip, process_group::check_termination);
                checksum::digest_reader(&mut zip, false)
            })
            .map_err(|cause| PackageError::CannotHash {
                path: job.dest.clone(),
                cause,
            })?;
        Some(digests.sha256)
    } else {
        None
    };
    logger.step(&format!(
        "Created {} ({})",
        job.dest.display(),
        human_size(written.size)
    ));
    Ok(Outcome {
        path: job.dest,
        size: written.size,
        sha256,
        language: job.manifest.language().to_string(),
        version: job.version,
        cached: options.cached,
        stack: options.stack.stack().map(String::from),
        profile: options.profile.clone(),
        entries: written.entries,
        dependencies: dependencies.packaged,
    })
}

/// What the zip holds, and how the downloads of a cold packaging overlapped its writing
/// (README, "Benchmark"): each dependency copied in as it came, or written again after its
/// download started over.
fn log_written(written: &zipwriter::Written, logger: &Logger) {
    // The rest are folders (and links): said, so that the numbers add up.
    let others = written
        .entries
        .saturating_sub(written.stored + written.deflated);
    logger.detail(&format!(
        "{} entries: {} stored as they are, {} deflated{}",
        written.entries,
        written.stored,
        written.deflated,
        match others {
            0 => String::new(),
            1 => ", 1 folder or link".to_string(),
            n => format!(", {n} folders or links"),
        }
    ));
    let how_many = |n: usize| match n {
        1 => "1 dependency".to_string(),
        n => format!("{n} dependencies"),
    };
    if written.followed > 0 {
        logger.debug(&format!(
            "{} copied into the zip as {} downloaded",
            how_many(written.followed),
            if written.followed == 1 { "it" } else { "they" }
        ));
    }
    if written.rewritten > 0 {
        logger.debug(&format!(
            "{} begun as {} downloaded, then written into the zip again from the verified file (a download started over)",
            how_many(written.rewritten),
            if written.rewritten == 1 { "it" } else { "they" }
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(entries: usize, stored: usize, deflated: usize) -> zipwriter::Written {
        zipwriter::Written {
            path: std::path::PathBuf::from("/out/x.zip"),
            size: 1,
            entries,
            stored,
            deflated,
            followed: 0,
            rewritten: 0,
        }
    }

    fn logged(written: &zipwriter::Written) -> String {
        let (logger, captured) = Logger::capture();
        log_written(written, &logger.with_debug(true));
        captured.text()
    }

    /// The entries add up: what is neither stored nor deflated is a folder or a link.
    #[test]
    fn the_entries_line_adds_up() {
        assert_eq!(
            logged(&written(7, 4, 3)),
            "       7 entries: 4 stored as they are, 3 deflated\n"
        );
        assert_eq!(
            logged(&written(8, 4, 3)),
            "       8 entries: 4 stored as they are, 3 deflated, 1 folder or link\n"
        );
        assert_eq!(
            logged(&written(12, 2, 5)),
            "       12 entries: 2 stored as they are, 5 deflated, 5 folders or links\n"
        );
    }

    /// Under BP_DEBUG, how the downloads overlapped the zip's writing, in one or many.
    #[test]
    fn followed_and_rewritten_dependencies_are_told_under_debug() {
        let mut one_each = written(3, 3, 0);
        one_each.followed = 1;
        one_each.rewritten = 1;
        let text = logged(&one_each);
        assert!(
            text.contains("DEBUG: 1 dependency copied into the zip as it downloaded\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "DEBUG: 1 dependency begun as it downloaded, then written into the zip again"
            ),
            "{text}"
        );
        let mut many = written(3, 3, 0);
        many.followed = 2;
        let text = logged(&many);
        assert!(
            text.contains("DEBUG: 2 dependencies copied into the zip as they downloaded\n"),
            "{text}"
        );
        assert!(!text.contains("written into the zip again"), "{text}");
        assert!(!logged(&written(3, 3, 0)).contains("DEBUG"));
    }
}
