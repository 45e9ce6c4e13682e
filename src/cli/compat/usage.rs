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

/// The flag defaults of `build`, as Go's `flag.PrintDefaults` prints them: the end of
/// [`BUILD_USAGE`], and all that `flags build` prints.
macro_rules! build_flag_defaults {
    () => {
        "  -any-stack
    \tpackage buildpack for any stack
  -cached
    \tinclude dependencies
  -cachedir string
    \tcache dir (default $BPKIT_CACHE_DIR, else $HOME/.buildpack-packager/cache)
  -exclude string
    \tcomma-separated dependency names to exclude
  -include string
    \tcomma-separated dependency names a profile excludes, to keep
  -profile string
    \tpackaging profile defined in manifest.yml
  -stack string
    \tstack to package buildpack for
  -version string
    \tversion to build as
"
    };
}

pub(super) const BUILD_USAGE: &str = concat!(
    "build -stack <stack>|-any-stack [-cached] [-version <version>] [-cachedir <path to cachedir>] [-profile <profile>] [-exclude <dep1,dep2,...>] [-include <dep1,dep2,...>]:
  When run in a directory that is structured as a buildpack, creates a zip file.

",
    build_flag_defaults!()
);

pub(super) const BUILD_FLAG_DEFAULTS: &str = build_flag_defaults!();

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
pub(super) fn subcommand_usage(name: &str) -> Option<&'static str> {
    match name {
        "build" => Some(BUILD_USAGE),
        "summary" => Some(SUMMARY_USAGE),
        "help" => Some(HELP_USAGE),
        "flags" => Some(FLAGS_USAGE),
        "commands" => Some(COMMANDS_USAGE),
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
