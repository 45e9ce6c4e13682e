//! The stager's one error type. Failures the platform's builder reports are kept in its words
//! and with its exit code ([`StageError::exit_code`], [`StageError::is_builder_message`]);
//! everything else is bpkit's own (bad arguments, unwritable outputs) and exits 1.
//!
//! Files: this one holds [`StageError`] itself, each variant's wording; `builder` the builder's
//! message texts (word for word) and which variants are its failures, with their exit codes;
//! `wording` the helpers that word a cause and its fix inside a message.
//!
//! The enum stays whole here: its variants are one public type, and splitting the builder's
//! failures from bpkit's own would change every caller's paths.

mod builder;
mod wording;

use std::io;
use std::path::PathBuf;

use super::procfile::ProcfileError;
use super::run_phase::PhaseFailure;
use super::source::RootError;
use crate::archive::ArchiveError;
use crate::fetch::FetchError;
use crate::process_group::SpawnError;

pub use builder::{
    COMPILE_FAIL_MSG, COPY_APP_FAIL_MSG, DETECT_FAIL_MSG, FINALIZE_FAIL_MSG,
    MISSING_FINALIZE_WARN_MSG, NO_SUPPLY_SCRIPT_FAIL_MSG, RELEASE_FAIL_MSG, SUPPLY_FAIL_MSG,
};
use wording::{name_some, services_problem, staging_folder_fix};

#[derive(Debug, thiserror::Error)]
pub enum StageError {
    // The builder's failures, each `Display`ed in its words (the last line of the staging
    // log, shown without bpkit's `error:` prefix) and exiting with its code. A `source()`
    // carries the cause where there is one, even where the builder's message leaves it out.
    /// No buildpack's `bin/detect` matched (222).
    #[error("{DETECT_FAIL_MSG}")]
    DetectFailed,

    /// A non-final buildpack's `bin/supply` failed (225).
    #[error("{SUPPLY_FAIL_MSG}: {0}")]
    SupplyFailed(#[source] PhaseFailure),

    /// A non-final buildpack has no `bin/supply` (225).
    #[error("{NO_SUPPLY_SCRIPT_FAIL_MSG}")]
    NoSupplyScript,

    /// A buildpack of a skip-detect list has no `bin/` where the builder looks: the builder
    /// reports it as a failed supply (225).
    #[error("{SUPPLY_FAIL_MSG}: {0}")]
    MalformedBuildpack(#[source] RootError),

    /// The final buildpack's `bin/supply` failed. The builder wraps the final buildpack's
    /// failures in "Failed to compile droplet", and the exit code follows that outer message
    /// (223).
    #[error("{COMPILE_FAIL_MSG}: {SUPPLY_FAIL_MSG}: {0}")]
    FinalSupplyFailed(#[source] PhaseFailure),

    /// The final buildpack's `bin/finalize` failed (223).
    #[error("{COMPILE_FAIL_MSG}: {FINALIZE_FAIL_MSG}: {0}")]
    FinalizeFailed(#[source] PhaseFailure),

    /// The final buildpack's `bin/compile` failed: wrapped twice, as the builder does
    /// (runFinalize, then build) (223).
    #[error("{COMPILE_FAIL_MSG}: {COMPILE_FAIL_MSG}: {0}")]
    CompileFailed(#[source] PhaseFailure),

    /// `bin/release` failed (224).
    #[error("{RELEASE_FAIL_MSG}: {0}")]
    ReleaseFailed(#[source] PhaseFailure),

    /// `bin/release` printed past [`super::run_phase::CAPTURE_LIMIT`] and was stopped (224). The
    /// builder would read it all into memory, then fail on the YAML or run out of time; here
    /// the line says which buildpack and how to fix it.
    #[error(
        "{RELEASE_FAIL_MSG}: bin/release of buildpack {buildpack} {} and was stopped; release prints only its YAML (default_process_types), so send anything else to stderr",
        super::run_phase::too_much_output(*limit)
    )]
    ReleaseOutputTooLarge { buildpack: String, limit: usize },

    /// `bin/release` printed something that is not its YAML (224).
    #[error("{RELEASE_FAIL_MSG}: buildpack's release output invalid: {0}")]
    InvalidReleaseOutput(#[source] ProcfileError),

    // The builder's failures outside the numbered ones: exit 1.
    #[error("Failed to extract buildpack '{buildpack}': {source}")]
    CannotExtractBuildpack {
        /// The zip's path, or its URL (redacted).
        buildpack: String,
        #[source]
        source: ArchiveError,
    },

    #[error("Failed to download buildpack '{buildpack}': {source}")]
    CannotDownloadBuildpack {
        /// The URL, redacted.
        buildpack: String,
        /// Boxed: a `FetchError` is large, and every stager result carries room for one.
        #[source]
        source: Box<FetchError>,
    },

    /// Both `git clone`s failed. In the builder's words, which carry what git printed (its
    /// `CombinedOutput`, credentials redacted here) and how it exited, so the log says why: a
    /// missing repository, a branch or tag not found (a commit id is not a ref `-b` takes), a
    /// refused login. The message ends where the builder's does, less its trailing newline.
    #[error("Failed to clone git repository at {url}: git clone failed:\n{output}\n{status}")]
    CannotCloneBuildpack {
        /// Redacted.
        url: String,
        /// git's stdout then stderr, as printed (usually ending with a newline).
        output: String,
        /// Go's words: `exit status 128`.
        status: String,
    },

    #[error(
        "Failed to clone git repository at {url}: git is not installed; install git to stage git-URL buildpacks"
    )]
    GitNotInstalled {
        url: String,
        #[source]
        source: SpawnError,
    },

    /// The app's `Procfile` is not a map of type → command. The builder says only "invalid
    /// YAML"; the YAML error is the `source()`.
    #[error("Failed to read command from Procfile: invalid YAML")]
    InvalidProcfile(#[source] ProcfileError),

    /// In Go's words, as the builder's `ioutil.ReadFile` error reads.
    #[error(
        "Failed to read command from Procfile: read {}: {}",
        path.display(),
        super::result::go_io_error(source)
    )]
    CannotReadProcfile { path: PathBuf, source: io::Error },

    /// A supply buildpack's `DEPS_DIR/<index>/launch.yml` is not launch data.
    #[error("DEPS_DIR/{index}/launch.yml: {source}")]
    InvalidLaunchYml {
        index: usize,
        #[source]
        source: ProcfileError,
    },

    /// The build dir is gone when the droplet is put together: a buildpack removed
    /// `BUILD_DIR` itself. The builder's `cp -a` fails (`cannot stat '/tmp/app'`) and it says
    /// "Failed to copy compiled droplet: exit status 1"; here the reason and the fix follow its
    /// words instead of the status of a `cp` that bpkit does not run.
    #[error(
        "{COPY_APP_FAIL_MSG}: BUILD_DIR {} no longer exists, so there is no app to put in the droplet: a buildpack removed it; a buildpack changes what is inside BUILD_DIR and must leave the folder itself in place",
        build_dir.display()
    )]
    BuildDirGone { build_dir: PathBuf },

    #[error("Failed to compress droplet filesystem: {0}")]
    CannotCompressDroplet(#[source] super::droplet::TgzError),

    #[error("Failed to compress build artifacts: {0}")]
    CannotCompressCache(#[source] super::droplet::TgzError),

    /// Waiting on a buildpack program failed (should not happen).
    #[error("cannot wait for a phase: {0}")]
    CannotWaitForPhase(#[source] io::Error),

    // bpkit's own errors, each worded as a full sentence with the fix: exit 1.
    /// `why` as [`crate::output::nothing_at`] words it.
    #[error(
        "-b {arg}: {why}; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)"
    )]
    BuildpackNotFound { arg: String, why: &'static str },

    #[error(
        "-b {arg}: {source}; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)"
    )]
    CannotOpenBuildpack {
        arg: String,
        #[source]
        source: io::Error,
    },

    /// `-b` is empty (`-b ""`, or blanks): a variable that was not set.
    #[error(
        "-b is empty; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)"
    )]
    EmptyBuildpack,

    /// `-b bp#v1` where `bp` is a local folder or file: a ref is only a git URL's.
    #[error(
        "-b {arg}: {local} is a local {kind}, used as it is, and a `#branch` or `#tag` is only a git URL's; {fix}"
    )]
    RefOnLocalBuildpack {
        arg: String,
        local: String,
        kind: &'static str,
        /// How to write it instead.
        fix: String,
    },

    /// A git URL's `#REF` starts with `-`, as no ref git makes does: a typo, or an option
    /// smuggled toward git. `arg` is the key (the `-b` argument, credentials redacted).
    #[error(
        "-b {arg}: the git ref `{reference}` starts with `-`, as no branch or tag that git makes does; give the branch or tag after `#`"
    )]
    OptionLikeGitReference { arg: String, reference: String },

    /// `ssh://user:password@host/…`: see [`super::source::Spec::parse`].
    #[error(
        "-b {arg}: an ssh URL cannot carry a password (git would pass it to ssh as part of the user name, and the login would fail); remove `:<password>` and let ssh log in with a key (ssh-agent or ~/.ssh)"
    )]
    PasswordInSshUrl { arg: String },

    /// The download settings (proxies, mirrors, timeouts) are invalid.
    #[error("cannot download buildpacks: {0}")]
    CannotSetUpDownloads(#[source] FetchError),

    #[error("no buildpack given; name at least one with -b (a folder, a .zip, or a URL)")]
    NoBuildpack,

    /// `why` is `no such folder`, or that part of the path is a file (`notes.txt/app`):
    /// [`crate::output::nothing_at`].
    #[error(
        "{}: {why}; give the app's folder (what `cf push -p` would upload)",
        app_dir.display()
    )]
    AppDirNotFound { app_dir: PathBuf, why: &'static str },

    #[error(
        "{}: Permission denied; this user cannot read the app folder: make it readable ({}), or stage as its owner",
        app_dir.display(),
        wording::chmod_readable(app_dir, true)
    )]
    AppDirUnreadable { app_dir: PathBuf },

    #[error(
        "{} is a file; give the app's folder (what `cf push -p` would upload)",
        app_dir.display()
    )]
    AppDirIsAFile { app_dir: PathBuf },

    #[error(
        "--out {}: that folder is inside the app folder {}, which staging never writes to (the next `cf push` would upload the droplet); give a folder outside it",
        out.display(),
        app_dir.display()
    )]
    OutInsideApp { out: PathBuf, app_dir: PathBuf },

    /// The default output folder is inside the app folder, and there is no user cache folder
    /// to use instead.
    #[error(
        "the default output folder ./.bpkit/stage/{name} is inside the app folder {}, and neither XDG_CACHE_HOME nor HOME is set for another; give --out DIR outside the app folder",
        app_dir.display()
    )]
    NoOutDirOutsideApp { name: String, app_dir: PathBuf },

    #[error(
        "the default output folders ./.bpkit/stage/{name} and {} are both inside the app folder {}; give --out DIR outside the app folder",
        fallback.display(),
        app_dir.display()
    )]
    OutDirsInsideApp {
        name: String,
        fallback: PathBuf,
        app_dir: PathBuf,
    },

    #[error(
        "--cache {}: that folder is inside the app folder {}, which staging never writes to (the next `cf push` would upload it); give a folder outside it",
        cache.display(),
        app_dir.display()
    )]
    CacheInsideApp { cache: PathBuf, app_dir: PathBuf },

    /// The system temp folder, where the workspace (a copy of the app among it) is made, is
    /// the app folder or inside it: the copy would hold itself, again and again, until the
    /// names grew too long, and the user's folder would be written to.
    #[error(
        "TMPDIR {}: that folder is inside the app folder {}, which staging never writes to (the staging workspace, a copy of the app among it, is made in TMPDIR, so the app would be copied into itself); set TMPDIR to a folder outside the app",
        tmp.display(),
        app_dir.display()
    )]
    TempInsideApp { tmp: PathBuf, app_dir: PathBuf },

    #[error(
        "--cache {}: that folder holds {} and is not a build cache; a successful staging replaces the whole folder, so give a new or empty folder (or one an earlier `bpkit stage --cache` made)",
        cache.display(),
        name_some(found)
    )]
    NotABuildCache { cache: PathBuf, found: Vec<String> },

    /// `--cache` (or a folder on its path) is a file: the staging would run, and saving its
    /// cache fail at the end, after the previous outputs were replaced.
    #[error(
        "--cache {}: {} is a file, and the build cache is kept in a folder; give --cache a folder, or a path that does not exist yet",
        cache.display(),
        file.display()
    )]
    CacheNotAFolder { cache: PathBuf, file: PathBuf },

    /// The folder where the cache is swapped in (its parent) cannot be written to: found
    /// before staging rather than when saving the cache at the end of a staging that worked.
    #[error(
        "--cache {}: cannot write in {}, where a successful staging saves the cache: {source}; give --cache a folder this user can write to",
        cache.display(),
        folder.display()
    )]
    CannotWriteCache {
        cache: PathBuf,
        folder: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error(
        "--cache {}: the outputs go to {}, which is that folder or inside it, and saving the cache replaces the folder whole (the droplet would go with it); give --cache and --out separate folders",
        cache.display(),
        out.display()
    )]
    OutInsideCache { out: PathBuf, cache: PathBuf },

    #[error(
        "--out {}: {} is a file, and the outputs (droplet.tgz, result.json, cache.tgz) go in a folder; give --out a folder, or a path that does not exist yet",
        out.display(),
        file.display()
    )]
    OutNotAFolder { out: PathBuf, file: PathBuf },

    #[error(
        "--out {}: a symbolic link to {}, which does not exist; give --out a folder, or a path that does not exist yet",
        out.display(),
        target.display()
    )]
    OutIsDanglingLink { out: PathBuf, target: PathBuf },

    /// An output's name in the outputs folder is taken by a folder: staging replaces only the
    /// files it writes, and never removes a folder of the user's.
    #[error(
        "{} is a folder, where staging writes its {name}; bpkit replaces only the files it writes and leaves folders alone: move that folder away, or give another --out",
        path.display()
    )]
    OutputIsAFolder { path: PathBuf, name: String },

    /// Cloud Controller refuses such an upload, and here a phase writing through the link
    /// would change the user's files.
    #[error(
        "{}: a symbolic link to {}, outside the app folder; the platform refuses such an upload (The app upload is invalid: Symlink(s) point outside of root folder); point it inside the app with a relative path, or leave it out with a line in .cfignore",
        link.display(),
        target.display()
    )]
    LinkOutsideApp { link: PathBuf, target: PathBuf },

    /// A file or folder of the app that this user may not read. `cf push` fails on it too;
    /// the fix is to make it readable, or for a file to leave it out of the upload (the CLI
    /// lists every folder, left out or not, so it fails on a folder whatever `.cfignore` says).
    #[error(
        "{}: Permission denied; this user cannot read this {}, and `cf push` could not upload it either: make it readable ({}), {}",
        path.display(),
        if *is_dir { "folder" } else { "file" },
        wording::chmod_readable(path, *is_dir),
        wording::unreadable_entry_fix(rel, *is_dir)
    )]
    CannotReadAppEntry {
        path: PathBuf,
        /// Its path inside the app folder.
        rel: PathBuf,
        is_dir: bool,
    },

    /// The app's `.cfignore` (or what its link leads to) is not a file of patterns that can be
    /// read at once: a fifo (which would wait for a writer), a device such as /dev/zero (which
    /// never ends), a socket, or a file larger than any list of patterns.
    #[error(
        "{}: {what}; .cfignore is a file of patterns (gitignore syntax): replace it with one, or remove it",
        cfignore.display()
    )]
    UnreadableCfignore { cfignore: PathBuf, what: String },

    /// `--services` is JSON, but not an object.
    #[error(
        "{origin}: expected a JSON object like {{\"my-db\": [{{\"credentials\": {{}}}}]}}, as VCAP_SERVICES is"
    )]
    ServicesNotAnObject {
        /// `--services`, or `--services file PATH`.
        origin: String,
    },

    #[error("--services @{path}: {}", services_problem(cause))]
    CannotReadServices { path: String, cause: io::Error },

    /// Over [`crate::stager::env::SERVICES_LIMIT`].
    #[error(
        "{origin}: {size}, more than the {} bytes Linux lets VCAP_SERVICES hold (one environment variable); give only the services the app binds",
        crate::stager::env::SERVICES_LIMIT
    )]
    ServicesTooLarge {
        /// `--services`, or `--services file PATH`.
        origin: String,
        /// `140000 bytes`, or `at least 262114 bytes` when reading stopped there.
        size: String,
    },

    #[error("{origin}: invalid JSON: {source}; give VCAP_SERVICES as a JSON object, or @FILE")]
    InvalidServicesJson {
        origin: String,
        #[source]
        source: serde_json::Error,
    },

    #[error(
        "-e {arg}: expected KEY=VALUE with a name of letters, digits and `_`, as in -e BP_DEBUG=1"
    )]
    InvalidUserEnv { arg: String },

    /// A name Cloud Controller refuses for an app's variables (`cf set-env`, the manifest's
    /// `env:`), in its words; the platform sets these itself. Only the name is shown: the
    /// value may be a secret.
    #[error(
        "-e {name}: Cloud Foundry refuses this app variable (\"{rule}\"), because the platform sets it; {fix}"
    )]
    ReservedUserEnv {
        name: String,
        rule: &'static str,
        fix: &'static str,
    },

    /// The outputs folder cannot be made (a read-only or full disk, a folder of someone
    /// else's): the bare `cannot create …: Permission denied` named no way out.
    #[error(
        "cannot create the outputs folder {}: {source}; give --out a folder this user can write to",
        path.display()
    )]
    CannotCreateOut {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The outputs folder is there but cannot be written in: found before staging (where its
    /// lock file is made), not when the droplet is written at the end.
    #[error(
        "cannot write in the outputs folder {}: {source}; give --out a folder this user can write to",
        path.display()
    )]
    CannotWriteOut {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// A full disk, the file-size limit, a path this user may not use and a read-only file
    /// system get their fix after the reason.
    #[error(
        "cannot {action} {}: {source}{}",
        path.display(),
        wording::access_fix(source.kind()).map(|fix| format!("; {fix}")).unwrap_or_default()
    )]
    CannotAccess {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The staging folder (in TMPDIR) filled up while the app was copied into it: the app's
    /// own disk is not the one to free, so the folder is named, and TMPDIR as the way out.
    #[error(
        "cannot copy the app into the staging folder {}: {source}; {}",
        dir.display(),
        staging_folder_fix(source.kind())
    )]
    NoRoomToCopyApp {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error(transparent)]
    Scratch(#[from] crate::scratch::ScratchError),

    #[error("staging was interrupted; nothing was written to the output folder")]
    Interrupted,

    #[error(
        "staging timed out after {0} s and was stopped; raise --timeout if the buildpack needs longer"
    )]
    TimedOut(u64),
}

impl StageError {
    pub fn access(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        StageError::CannotAccess {
            action,
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A staging step's file error says the fix where there is one; another cause is the OS's
    /// alone.
    #[test]
    fn a_file_error_of_a_staging_step_says_the_fix() {
        let shown = |kind: io::ErrorKind| {
            StageError::access("write", "/out/droplet.tgz", io::Error::from(kind)).to_string()
        };
        let cases = [
            (
                io::ErrorKind::PermissionDenied,
                "; let this user in: check the owner and mode of that path and of the folders above it (`ls -ld`)",
            ),
            (
                io::ErrorKind::ReadOnlyFilesystem,
                "; that file system is mounted read-only; use a folder on a writable one",
            ),
            (
                io::ErrorKind::StorageFull,
                "; the disk is full; free space on it (`df -h`)",
            ),
            (io::ErrorKind::InvalidData, ""),
        ];
        for (kind, fix) in cases {
            assert_eq!(
                shown(kind),
                format!(
                    "cannot write /out/droplet.tgz: {}{fix}",
                    io::Error::from(kind)
                ),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn causes_are_kept_once() {
        let e = StageError::CompileFailed(PhaseFailure::CannotStart(SpawnError::new(
            "/bp/bin/compile",
            io::Error::from_raw_os_error(libc::EACCES),
        )));
        assert_eq!(
            crate::output::error_chain(&e),
            "Failed to compile droplet: Failed to compile droplet: fork/exec /bp/bin/compile: permission denied"
        );
        let e = StageError::InvalidProcfile(ProcfileError::CannotUnmarshal {
            line: 1,
            tag: "!!seq".into(),
            value: String::new(),
            target: "map[string]string",
        });
        assert_eq!(
            e.to_string(),
            "Failed to read command from Procfile: invalid YAML"
        );
        assert_eq!(
            std::error::Error::source(&e).map(ToString::to_string),
            Some(
                "yaml: unmarshal errors: line 1: cannot unmarshal !!seq into map[string]string"
                    .to_string()
            )
        );
    }
}
