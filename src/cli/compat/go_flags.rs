//! Go's `flag` package, as the Go `buildpack-packager` parses its command line with it:
//! `-x`, `--x`, `-x=v`, `-x v` (not for booleans), stopping at the first argument that is not
//! a flag or after `--`, with Go's words for each mistake. Values are read as the bytes they
//! are: a path may be any file name, anything else must be UTF-8.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `-x`, `-x=true`, `-x=false`: never takes the next argument.
    Bool,
    /// A value that must be UTF-8 (a stack, a version, names).
    Text,
    /// A path, taken byte for byte.
    Path,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Flags {
    pub(super) text: HashMap<&'static str, String>,
    pub(super) paths: HashMap<&'static str, PathBuf>,
    pub(super) bools: HashMap<&'static str, bool>,
    /// The arguments after the flags: the subcommand and its own.
    pub(super) rest: Vec<OsString>,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum FlagError {
    Help,
    /// Go's words, e.g. `flag provided but not defined: -x`.
    Bad(String),
}

/// Go's `flag.FlagSet.Parse`: `-x`, `--x`, `-x=v`, `-x v` (not for booleans), stopping at the
/// first non-flag argument or after `--`.
pub(super) fn parse_go_flags(
    defs: &[(&'static str, Kind)],
    args: &[OsString],
) -> Result<Flags, FlagError> {
    let mut flags = Flags::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_bytes();
        if arg.len() < 2 || arg[0] != b'-' {
            break;
        }
        let body = if let Some(rest) = arg.strip_prefix(b"--") {
            if rest.is_empty() {
                i += 1;
                break;
            }
            rest
        } else {
            &arg[1..]
        };
        if body.starts_with(b"-") || body.starts_with(b"=") {
            return Err(FlagError::Bad(format!(
                "bad flag syntax: {}",
                args[i].to_string_lossy()
            )));
        }
        let (name, value) = match body.iter().position(|&b| b == b'=') {
            Some(at) => (&body[..at], Some(OsStr::from_bytes(&body[at + 1..]))),
            None => (body, None),
        };
        let name = String::from_utf8_lossy(name);
        i += 1;
        let Some(&(key, kind)) = defs.iter().find(|(n, _)| *n == name) else {
            if name == "h" || name == "help" {
                return Err(FlagError::Help);
            }
            return Err(FlagError::Bad(format!(
                "flag provided but not defined: -{name}"
            )));
        };
        if kind == Kind::Bool {
            let on = match value.map(OsStr::to_string_lossy).as_deref() {
                None | Some("1" | "t" | "T" | "true" | "TRUE" | "True") => true,
                Some("0" | "f" | "F" | "false" | "FALSE" | "False") => false,
                Some(other) => {
                    return Err(FlagError::Bad(format!(
                        "invalid boolean value \"{other}\" for -{name}: parse error"
                    )));
                }
            };
            flags.bools.insert(key, on);
            continue;
        }
        let value = match value {
            Some(v) => v.to_os_string(),
            None if i < args.len() => {
                i += 1;
                args[i - 1].clone()
            }
            None => {
                return Err(FlagError::Bad(format!("flag needs an argument: -{name}")));
            }
        };
        if kind == Kind::Path {
            // Go takes `-cachedir=` and joins `dependencies/<md5>` to nothing: a cache in the
            // buildpack's own folder, which the next uncached zip then packs. Said instead.
            if value.is_empty() {
                return Err(FlagError::Bad(format!(
                    "invalid value \"\" for flag -{name}: an empty path names no folder; give one, or leave out -{name} for the default"
                )));
            }
            flags.paths.insert(key, PathBuf::from(value));
        } else {
            flags.text.insert(key, utf8(value, &format!("-{name}"))?);
        }
    }
    flags.rest = args[i..].to_vec();
    Ok(flags)
}

/// A flag's value as UTF-8, or Go `flag`'s "invalid value" usage error saying what would do.
fn utf8(value: OsString, flag: &str) -> Result<String, FlagError> {
    value.into_string().map_err(|value| {
        FlagError::Bad(format!(
            "invalid value \"{}\" for flag {flag}: not valid UTF-8; only a path may be other bytes",
            value.to_string_lossy()
        ))
    })
}

#[cfg(test)]
mod tests {
    use std::os::unix::ffi::OsStringExt;

    use super::super::go::BUILD_FLAGS;
    use super::*;

    fn args(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn go_flag_syntax() {
        let flags = parse_go_flags(
            BUILD_FLAGS,
            &args(&[
                "-stack",
                "cflinuxfs4",
                "--cached",
                "-version=1.2.3",
                "-any-stack=false",
                "rest",
                "-cached",
            ]),
        )
        .unwrap();
        assert_eq!(flags.text["stack"], "cflinuxfs4");
        assert_eq!(flags.text["version"], "1.2.3");
        assert!(flags.bools["cached"]);
        assert!(!flags.bools["any-stack"]);
        assert_eq!(flags.rest, args(&["rest", "-cached"]));
        // `--` ends the flags and is itself no argument.
        for given in [&["--", "-cached"][..], &["-cached=false", "--", "-cached"]] {
            let flags = parse_go_flags(BUILD_FLAGS, &args(given)).unwrap();
            assert_eq!(flags.rest, args(&["-cached"]), "{given:?}");
            assert!(flags.bools.values().all(|on| !on), "{given:?}");
        }
    }

    #[test]
    fn go_flag_errors() {
        assert_eq!(
            parse_go_flags(BUILD_FLAGS, &args(&["-nope"])),
            Err(FlagError::Bad(
                "flag provided but not defined: -nope".into()
            ))
        );
        assert_eq!(
            parse_go_flags(BUILD_FLAGS, &args(&["-stack"])),
            Err(FlagError::Bad("flag needs an argument: -stack".into()))
        );
        assert_eq!(
            parse_go_flags(BUILD_FLAGS, &args(&["-cached=maybe"])),
            Err(FlagError::Bad(
                "invalid boolean value \"maybe\" for -cached: parse error".into()
            ))
        );
        assert_eq!(
            parse_go_flags(BUILD_FLAGS, &args(&["-h"])),
            Err(FlagError::Help)
        );
    }

    /// Go's edges: a lone `-` is an argument (stdin's name), not a flag; three dashes or a
    /// name starting with `=` are bad syntax; a boolean takes Go's spellings only; `-help` and
    /// `--h` ask for the usage as `-h` does.
    #[test]
    fn go_flag_edges() {
        let flags = parse_go_flags(BUILD_FLAGS, &args(&["-", "-cached"])).unwrap();
        assert_eq!(flags.rest, args(&["-", "-cached"]));
        assert!(flags.bools.is_empty());
        for bad in ["---cached", "-=x", "--=x"] {
            assert_eq!(
                parse_go_flags(BUILD_FLAGS, &args(&[bad])),
                Err(FlagError::Bad(format!("bad flag syntax: {bad}"))),
                "{bad}"
            );
        }
        for (given, on) in [
            ("1", true),
            ("T", true),
            ("True", true),
            ("0", false),
            ("F", false),
        ] {
            let flags = parse_go_flags(BUILD_FLAGS, &args(&[&format!("-cached={given}")])).unwrap();
            assert_eq!(flags.bools["cached"], on, "{given}");
        }
        for help in ["-help", "--h", "--help"] {
            assert_eq!(
                parse_go_flags(BUILD_FLAGS, &args(&[help])),
                Err(FlagError::Help),
                "{help}"
            );
        }
        // A boolean never takes the next argument, which is then the first of the rest.
        let flags = parse_go_flags(BUILD_FLAGS, &args(&["-cached", "true"])).unwrap();
        assert_eq!(flags.rest, args(&["true"]));
    }

    #[test]
    fn a_path_keeps_its_bytes_and_other_values_must_be_utf8() {
        let latin1 = OsString::from_vec(b"/tmp/caf\xe9".to_vec());
        let mut inline = OsString::from("-cachedir=");
        inline.push(&latin1);
        for given in [
            vec![OsString::from("-cachedir"), latin1.clone()],
            vec![inline],
        ] {
            let flags = parse_go_flags(BUILD_FLAGS, &given).unwrap();
            assert_eq!(flags.paths["cachedir"].as_os_str(), latin1.as_os_str());
        }
        for given in [args(&["-cachedir="]), args(&["--cachedir", ""])] {
            assert_eq!(
                parse_go_flags(BUILD_FLAGS, &given),
                Err(FlagError::Bad(
                    "invalid value \"\" for flag -cachedir: an empty path names no folder; give one, or leave out -cachedir for the default".into()
                ))
            );
        }
        let stack = OsString::from_vec(b"cflinuxfs\xff".to_vec());
        assert_eq!(
            parse_go_flags(BUILD_FLAGS, &[OsString::from("-stack"), stack]),
            Err(FlagError::Bad(
                "invalid value \"cflinuxfs\u{fffd}\" for flag -stack: not valid UTF-8; only a path may be other bytes".into()
            ))
        );
    }
}
