//! The flags `bpkit package` and `bpkit fetch` share: which dependencies (stack, profile,
//! exclude/include), where they are cached, and how they are fetched. One definition, so the
//! two commands can never drift apart in names, defaults or help.

use std::path::PathBuf;

use crate::fetch::Mode;
use crate::packager::StackChoice;

#[derive(Debug, clap::Args)]
pub struct Selection {
    /// Only this stack's dependencies (by their `cf_stacks`); `package` also writes `stack: STACK`
    /// into the zip's manifest.
    #[arg(long, value_name = "STACK", conflicts_with = "any_stack", value_parser = super::utf8(super::parse_stack))]
    pub stack: Option<String>,
    /// Every stack's dependencies (the default when no --stack is given).
    #[arg(long)]
    pub any_stack: bool,
    /// The dependency cache [default: $BPKIT_CACHE_DIR, else ~/.buildpack-packager/cache].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// A packaging profile from the manifest's `packaging_profiles`.
    #[arg(long, value_name = "PROFILE", value_parser = super::utf8(parse_profile))]
    pub profile: Option<String>,
    /// Dependency names to leave out (comma-separated).
    #[arg(long, value_name = "a,b", value_delimiter = ',', value_parser = super::text())]
    pub exclude: Vec<String>,
    /// Dependency names the profile leaves out, to keep after all (comma-separated).
    #[arg(long, value_name = "a,b", value_delimiter = ',', value_parser = super::text())]
    pub include: Vec<String>,
    /// Downloads at once (for `package`, also compression threads).
    #[arg(long, value_name = "N", default_value_t = 4, allow_negative_numbers = true, value_parser = super::utf8(clap::value_parser!(u16).range(1..=64)))]
    pub jobs: u16,
    /// Never use the network: every dependency must be in the cache (file:// sources are
    /// local files and still read).
    #[arg(long, conflicts_with = "force_download")]
    pub offline: bool,
    /// Download every dependency again; a cache entry is replaced only by a verified file.
    #[arg(long)]
    pub force_download: bool,
}

impl Selection {
    pub fn stack_choice(&self) -> StackChoice {
        match &self.stack {
            Some(stack) => StackChoice::One(stack.clone()),
            None => StackChoice::Any,
        }
    }

    pub fn mode(&self) -> Mode {
        if self.offline {
            Mode::Offline
        } else if self.force_download {
            Mode::ForceDownload
        } else {
            Mode::Normal
        }
    }

    pub fn jobs(&self) -> usize {
        usize::from(self.jobs)
    }

    /// `--exclude` names, trimmed, empties dropped (`--exclude 'a, b,'`).
    pub fn exclude(&self) -> Vec<String> {
        trimmed(&self.exclude)
    }

    /// `--include` names, trimmed, empties dropped.
    pub fn include(&self) -> Vec<String> {
        trimmed(&self.include)
    }
}

/// A `--profile` value: not empty (`--profile ''`, a script's unset variable), which is a usage
/// error naming the flag, as an empty `--stack` is, where it was looked up and "not found".
fn parse_profile(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err(
            "it is empty; give the name of one of the manifest's packaging_profiles, or leave out --profile"
                .into(),
        );
    }
    Ok(text.to_string())
}

fn trimmed(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Flags {
        #[command(flatten)]
        selection: Selection,
    }

    fn parse(args: &[&str]) -> Selection {
        let args = std::iter::once("bpkit").chain(args.iter().copied());
        Flags::try_parse_from(args).unwrap().selection
    }

    #[test]
    fn the_flags_read_as_the_packager_takes_them() {
        let defaults = parse(&[]);
        assert_eq!(defaults.jobs(), 4);
        assert_eq!(defaults.stack_choice(), StackChoice::Any);
        assert_eq!(defaults.mode(), Mode::Normal);

        let given = parse(&[
            "--jobs",
            "7",
            "--stack",
            "cflinuxfs4",
            "--exclude",
            " a, b,",
            "--include",
            "c,,",
            "--offline",
        ]);
        assert_eq!(given.jobs(), 7);
        assert_eq!(given.stack_choice(), StackChoice::One("cflinuxfs4".into()));
        assert_eq!(given.exclude(), ["a", "b"]);
        assert_eq!(given.include(), ["c"]);
        assert_eq!(given.mode(), Mode::Offline);
        assert_eq!(parse(&["--force-download"]).mode(), Mode::ForceDownload);
    }

    #[test]
    fn an_empty_profile_is_refused_naming_the_fix() {
        assert_eq!(
            parse(&["--profile", "minimal"]).profile.as_deref(),
            Some("minimal")
        );
        let error = Flags::try_parse_from(["bpkit", "--profile", " "]).unwrap_err();
        assert!(
            error.to_string().contains(
                "it is empty; give the name of one of the manifest's packaging_profiles, or leave out --profile"
            ),
            "{error}"
        );
    }
}
