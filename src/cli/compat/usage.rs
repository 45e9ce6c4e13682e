//! The usage texts of the drop-in: Go's `subcommands` and `flag` words for the Go packager's
//! command line (what `help`, `flags` and a usage error print), with the Ruby gem's forms added.

pub(super) const USAGE: &str = "\
Usage: buildpack-packager <flags> <subcommand> <subcommand args>

Subcommands:
\tcommands         list all command names
\tflags            describe all known top-level flags
\thelp             describe subcommands and their syntax

Subcommands for Custom:
\tbuild            Create a buildpack zipfile from the current directory
\tsummary          Print out list of dependencies of this buildpack

The Ruby gem's flags work too:
\tbuildpack-packager --cached|--uncached --stack=STACK|--any-stack [--use-custom-manifest=PATH] [--force-download]
\tbuildpack-packager --list|--defaults [--use-custom-manifest=PATH]
\tbuildpack-packager cached|uncached [--use-custom-manifest=PATH] [--force-download]
";

/// The flag defaults of `build`, as Go's `flag.PrintDefaults` prints them (sorted by name; a
/// string flag's non-empty default as ` (default "…")`, quoted as Go's `%q` quotes it): the end
/// of [`build_usage`], and all that `flags build` prints. Go's `-cachedir` defaults to
/// `$HOME/.buildpack-packager/cache`, shown as the path it is; bpkit's may come from
/// `$BPKIT_CACHE_DIR` first, and shows that path.
pub(super) fn build_flag_defaults() -> String {
    let cache = crate::packager::default_cache_dir()
        .map(|dir| format!(" (default {:?})", dir.to_string_lossy()))
        .unwrap_or_default();
    format!(
        "  -any-stack
    \tpackage buildpack for any stack
  -cached
    \tinclude dependencies
  -cachedir string
    \tcache dir{cache}
  -exclude string
    \tcomma-separated dependency names to exclude
  -include string
    \tcomma-separated dependency names to include, overriding profile exclusions
  -profile string
    \tpackaging profile defined in manifest.yml
  -stack string
    \tstack to package buildpack for
  -version string
    \tversion to build as
"
    )
}

/// `build`'s usage, as `subcommands` explains it: the Go packager's `Usage()` text
/// (libbuildpack packager/buildpack-packager/main.go, with `-profile`, `-exclude` and
/// `-include`), then [`build_flag_defaults`].
pub(super) fn build_usage() -> String {
    format!(
        "{}{}",
        "build -stack <stack>|-any-stack [-cached] [-version <version>] [-cachedir <path>]
      [-profile <profile>] [-exclude <dep1,dep2,...>] [-include <dep1,dep2,...>]:
  When run in a directory that is structured as a buildpack, creates a zip file.

  -profile  Name of a packaging profile defined in manifest.yml's
            packaging_profiles section. Profiles declare which dependencies
            to exclude from the cached zip.

  -exclude  Comma-separated list of dependency names to exclude, in addition
            to any exclusions implied by -profile. Names must exist in
            manifest.yml. Example: -exclude datadog-javaagent,newrelic

  -include  Comma-separated list of dependency names to force-include,
            overriding exclusions implied by -profile. Useful for starting
            from a restrictive profile and adding back a single dep.
            Example: -profile minimal -include jprofiler-profiler

",
        build_flag_defaults()
    )
}

/// `help help`, and the usage `help` prints when it cannot help (Go's `subcommands` text).
pub(super) const HELP_USAGE: &str = "\
help [<subcommand>]:
\tWith an argument, prints detailed information on the use of
\tthe specified subcommand. With no argument, print a list of
\tall commands and a brief description of each.
";

pub(super) const FLAGS_USAGE: &str = "\
flags [<subcommand>]:
\tWith an argument, print all flags of <subcommand>. Else,
\tprint a description of all known top-level flags.  (The basic
\thelp information only discusses the most generally important
\ttop-level flags.)
";

pub(super) const COMMANDS_USAGE: &str = "\
commands:
\tPrint a list of all commands.
";

/// The usage `help NAME` prints for each subcommand.
pub(super) fn subcommand_usage(name: &str) -> Option<String> {
    match name {
        "build" => Some(build_usage()),
        "summary" => Some(SUMMARY_USAGE.into()),
        "help" => Some(HELP_USAGE.into()),
        "flags" => Some(FLAGS_USAGE.into()),
        "commands" => Some(COMMANDS_USAGE.into()),
        _ => None,
    }
}

pub(super) const SUMMARY_USAGE: &str = "\
summary:
  When run in a directory that is structured as a buildpack, prints a list of depedencies of that buildpack.
  (i.e. what would be downloaded to build a cached zipfile)
";

/// The gem's help, as its OptionParser prints it (`puts opts`, bin/buildpack-packager of
/// cloudfoundry/buildpack-packager): its banner, then each option indented 4, padded to 32
/// columns, with a long one's description on the next line. `--stack` and `--any-stack` are
/// bpkit's, which the gem never had, and say so.
pub(super) const RUBY_USAGE: &str = "\
USAGE: buildpack-packager < --cached | --uncached | --list | --defaults >
        --cached                     Package dependencies with the built buildpack.
        --uncached                   Will NOT package dependencies with the built buildpack.
        --list                       List dependencies supported by the buildpack.
        --defaults                   List default dependency versions specified by the buildpack.
        --force-download             Force dependencies to be downloaded from the internet. (default is false)
        --use-custom-manifest=PATH_TO_MANIFEST
                                     Use a custom manifest, passing the path as an argument.
        --stack=STACK                Package for one stack (bpkit; not an option of the gem's).
        --any-stack                  Package for any stack (bpkit; not an option of the gem's).
    -h, --help                       Show this message
";
