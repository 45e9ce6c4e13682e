//! The Ruby gem's command line, as its OptionParser reads it: `--cached`, `--uncached`,
//! `--list`, `--defaults`, `--use-custom-manifest`, `--force-download`, `--stack`,
//! `--any-stack`, the positional `cached` / `uncached` of its first releases, and abbreviations
//! of each long option.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::build::{Syntax, build};
use super::usage::RUBY_USAGE;
use super::{CompatError, is_positional_mode, say};
use crate::fetch::Mode;
use crate::manifest::{Manifest, ManifestError};
use crate::output::Logger;
use crate::packager::{Layout, Options, summary};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RubyMode {
    Cached,
    Uncached,
    List,
    Defaults,
}

/// What the Ruby gem's command line asked for.
#[derive(Debug, Default)]
struct RubyArgs {
    mode: Option<RubyMode>,
    manifest: Option<PathBuf>,
    stack: Option<String>,
    any_stack: bool,
    force_download: bool,
    /// Given as `cached` / `uncached` ([`is_positional_mode`]).
    positional: bool,
    /// Arguments that are no option, which OptionParser leaves in `ARGV` and the gem ignores.
    ignored: Vec<String>,
}

/// The Ruby gem's command line.
pub(super) fn run_ruby(args: &[OsString], logger: &Logger) -> Result<u8, CompatError> {
    let Some(ruby) = parse_ruby_args(args)? else {
        // OptionParser's `puts opts`: the help on stdout.
        return say(RUBY_USAGE);
    };
    if !ruby.ignored.is_empty() {
        // The gem ignores them; so does bpkit, where it refused each as `invalid option`,
        // which it is not.
        logger.warning(&format!(
            "ignored `{}`: the gem's command line takes options only (`--stack=STACK`, not `STACK`)",
            ruby.ignored.join(" ")
        ));
    }
    let Some(mode) = ruby.mode else {
        // The gem's `unless options[:mode]; puts optparser; exit 1`: its help on stdout, and
        // failure.
        say(RUBY_USAGE)?;
        return Ok(crate::exit_code::FAILURE);
    };
    let manifest_path = ruby
        .manifest
        .clone()
        .unwrap_or_else(|| PathBuf::from("manifest.yml"));
    // `--use-custom-manifest=` with nothing after the `=`: OptionParser hands the gem an empty
    // path, and its check below printed a bare `Could not find ` that named nothing.
    if manifest_path.as_os_str().is_empty() {
        return Err(CompatError::FailedPlain(
            "Could not find the manifest: --use-custom-manifest= names no file; give it the manifest's path (--use-custom-manifest=PATH_TO_MANIFEST)".into(),
        ));
    }
    // The gem's first check, before it reads the manifest, in its words (stderr, exit 1).
    if !manifest_path.exists() {
        return Err(CompatError::FailedPlain(format!(
            "Could not find {}",
            manifest_path.display()
        )));
    }
    let load = |path: &Path| {
        Manifest::load(path)
            .map(|(m, _)| m)
            // The fix for a file that is there but no manifest (a folder, /dev/null), which
            // names no bpkit flag: the gem's command line has none of them.
            .map_err(|e| {
                let fix = e.unreadable_fix().unwrap_or(match &e {
                    ManifestError::CannotRead { cause, .. }
                        if cause.kind() == std::io::ErrorKind::IsADirectory =>
                    {
                        "; give --use-custom-manifest the manifest file in it"
                    }
                    _ => "",
                });
                CompatError::Failed(format!("error: {e}{fix}"))
            })
    };
    match mode {
        RubyMode::List => say(&summary::ruby_list(&load(&manifest_path)?)),
        RubyMode::Defaults => say(&summary::ruby_defaults(&load(&manifest_path)?)),
        packaging => {
            let mut options = Options::new(".");
            options.cached = packaging == RubyMode::Cached;
            // The gem's cached zips hold each dependency where compile-extensions, which
            // Ruby-era buildpacks stage with, looks for it; the `file:` keys bpkit adds point
            // there too, so libbuildpack-style runtimes find them as well.
            options.layout = Layout::RubyGem;
            options.manifest = ruby.manifest;
            if ruby.force_download {
                options.mode = Mode::ForceDownload;
            }
            // The positional form knew no stacks: its zips held every dependency.
            let any = ruby.any_stack || (ruby.positional && ruby.stack.is_none());
            build(options, ruby.stack, any, Syntax::Ruby, logger)
        }
    }
}

/// The gem's long options, without their `--`.
const RUBY_OPTIONS: [&str; 9] = [
    "cached",
    "uncached",
    "list",
    "defaults",
    "force-download",
    "use-custom-manifest",
    "stack",
    "any-stack",
    "help",
];

/// The option OptionParser completes `--given` to: the option of that name, else the only one
/// each of whose words starts with the word given in its place (`--cach`, `--use-custom`,
/// `--f-d`); `Ok(None)` when none does, `Err` when several do (`--u`). Scripts of the gem's
/// time may use such abbreviations, which OptionParser has always taken. An `_` is a `-`, as
/// OptionParser reads a long option's name (`opt.tr!('_', '-')`): `--use_custom_manifest`.
pub(super) fn complete_ruby_option(given: &str) -> Result<Option<&'static str>, ()> {
    let given = given.replace('_', "-");
    let given = given.as_str();
    if let Some(exact) = RUBY_OPTIONS.iter().find(|o| **o == given) {
        return Ok(Some(exact));
    }
    let mut found = RUBY_OPTIONS
        .iter()
        .filter(|option| !given.is_empty() && completes_to(given, option));
    match (found.next(), found.next()) {
        (Some(only), None) => Ok(Some(only)),
        (None, _) => Ok(None),
        (Some(_), Some(_)) => Err(()),
    }
}

/// OptionParser's completion pattern (`\A` + the given text with `\w*` after each word), tried
/// on `option`.
fn completes_to(given: &str, option: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = option;
    let mut given = given;
    while let Some(c) = given.chars().next() {
        if is_word(c) {
            let end = given.find(|c| !is_word(c)).unwrap_or(given.len());
            let Some(after) = rest.strip_prefix(&given[..end]) else {
                return false;
            };
            rest = after.trim_start_matches(is_word);
            given = &given[end..];
        } else {
            let Some(after) = rest.strip_prefix(c) else {
                return false;
            };
            rest = after;
            given = &given[c.len_utf8()..];
        }
    }
    true
}

/// OptionParser's reading of the gem's flags; `None` when help was asked for.
fn parse_ruby_args(args: &[OsString]) -> Result<Option<RubyArgs>, CompatError> {
    let mut ruby = RubyArgs {
        positional: is_positional_mode(args.first()),
        ..RubyArgs::default()
    };
    let mut i = 0;
    if ruby.positional {
        ruby.mode = Some(if args[0] == "cached" {
            RubyMode::Cached
        } else {
            RubyMode::Uncached
        });
        i = 1;
    }
    while i < args.len() {
        let arg = args[i].as_bytes();
        i += 1;
        let (name, inline) = match arg.iter().position(|&b| b == b'=') {
            Some(at) => (&arg[..at], Some(OsStr::from_bytes(&arg[at + 1..]))),
            None => (arg, None),
        };
        let mut value = || -> Option<OsString> {
            inline.map(OsStr::to_os_string).or_else(|| {
                let next = args.get(i).cloned();
                i += 1;
                next
            })
        };
        let name = String::from_utf8_lossy(name);
        let name = match name.strip_prefix("--") {
            Some(given) => match complete_ruby_option(given) {
                Ok(Some(option)) => format!("--{option}"),
                Ok(None) => name.into_owned(),
                Err(()) => {
                    return Err(CompatError::RubyUsage(format!("ambiguous option: {name}")));
                }
            },
            None => name.into_owned(),
        };
        // A switch given a value (`--cached=false`, `--any-stack=false`): OptionParser's
        // NeedlessArgument, where the value was dropped and the switch taken as on, so
        // `--cached=false` built a cached zip.
        if inline.is_some()
            && matches!(
                name.as_str(),
                "--cached"
                    | "--uncached"
                    | "--list"
                    | "--defaults"
                    | "--force-download"
                    | "--any-stack"
                    | "--help"
            )
        {
            return Err(CompatError::RubyUsage(format!(
                "needless argument: {}",
                OsStr::from_bytes(arg).to_string_lossy()
            )));
        }
        match name.as_str() {
            "--cached" => ruby.mode = Some(RubyMode::Cached),
            "--uncached" => ruby.mode = Some(RubyMode::Uncached),
            "--list" => ruby.mode = Some(RubyMode::List),
            "--defaults" => ruby.mode = Some(RubyMode::Defaults),
            "--force-download" => ruby.force_download = true,
            "--any-stack" => ruby.any_stack = true,
            "--stack" => match value() {
                Some(v) => {
                    ruby.stack = Some(v.into_string().map_err(|v| {
                        CompatError::RubyUsage(format!(
                            "invalid argument: --stack {}: not valid UTF-8; give the stack's name",
                            v.to_string_lossy()
                        ))
                    })?);
                }
                None => {
                    return Err(CompatError::RubyUsage("missing argument: --stack".into()));
                }
            },
            "--use-custom-manifest" => match value() {
                Some(v) => ruby.manifest = Some(PathBuf::from(v)),
                None => {
                    return Err(CompatError::RubyUsage(
                        "missing argument: --use-custom-manifest".into(),
                    ));
                }
            },
            "-h" | "--help" => return Ok(None),
            // OptionParser's `parse!` passes over an argument that is no option (`-` alone
            // included) and leaves it in ARGV. A mode word out of its place (`cached` after
            // the options) stays an error: the build it asks for would not be made.
            _ if (!arg.starts_with(b"-") || arg == b"-")
                && !is_positional_mode(Some(&args[i - 1])) =>
            {
                ruby.ignored
                    .push(OsStr::from_bytes(arg).to_string_lossy().into_owned());
            }
            _ => {
                return Err(CompatError::RubyUsage(format!(
                    "invalid option: {}",
                    OsStr::from_bytes(arg).to_string_lossy()
                )));
            }
        }
    }
    Ok(Some(ruby))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruby_options_complete_as_option_parser_completes_them() {
        for (given, expected) in [
            ("cached", Ok(Some("cached"))),
            ("cach", Ok(Some("cached"))),
            ("c", Ok(Some("cached"))),
            ("unc", Ok(Some("uncached"))),
            ("use-custom", Ok(Some("use-custom-manifest"))),
            ("use", Ok(Some("use-custom-manifest"))),
            ("u-c-m", Ok(Some("use-custom-manifest"))),
            ("f-d", Ok(Some("force-download"))),
            ("any", Ok(Some("any-stack"))),
            ("s", Ok(Some("stack"))),
            ("stack", Ok(Some("stack"))),
            ("l", Ok(Some("list"))),
            ("h", Ok(Some("help"))),
            ("u", Err(())),
            ("custom", Ok(None)),
            ("cachedx", Ok(None)),
            ("f_d", Ok(Some("force-download"))),
            ("use_custom_manifest", Ok(Some("use-custom-manifest"))),
            ("any_stack", Ok(Some("any-stack"))),
            ("any__stack", Ok(None)),
            ("", Ok(None)),
        ] {
            assert_eq!(complete_ruby_option(given), expected, "--{given}");
        }
    }
}
