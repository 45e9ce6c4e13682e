//! The zip's file name (packager.md, "Name"):
//! `<language>_buildpack[-cached][-<profile>[+custom]|-custom][-<stack>]-v<version>.zip`.
//!
//! Pipelines find the zip by this name (and `cf create-buildpack` users by habit), so it is
//! exactly the Go packager's for the cases it knows (cached/uncached × stack/any stack), and the
//! libbuildpack packaging-profiles proposal's for profiles.

/// What the name is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipName<'a> {
    pub language: &'a str,
    pub cached: bool,
    /// `--profile`.
    pub profile: Option<&'a str>,
    /// `--exclude` was given, or an `--include` restored something a profile excludes.
    pub custom: bool,
    /// `None` for any stack.
    pub stack: Option<&'a str>,
    pub version: &'a str,
}

impl ZipName<'_> {
    /// The file name, without a folder.
    pub fn file_name(&self) -> String {
        let mut name = format!("{}_buildpack", self.language);
        if self.cached {
            name.push_str("-cached");
        }
        match (self.profile, self.custom) {
            (Some(profile), custom) => {
                name.push('-');
                name.push_str(profile);
                if custom {
                    name.push_str("+custom");
                }
            }
            (None, true) => name.push_str("-custom"),
            (None, false) => {}
        }
        if let Some(stack) = self.stack {
            name.push('-');
            name.push_str(stack);
        }
        name.push_str("-v");
        name.push_str(self.version);
        name.push_str(".zip");
        name
    }
}

/// True for a file name this packager (or the Go and Ruby ones) could have written, so that
/// earlier zips lying in the buildpack folder are not packaged into the next one.
pub fn looks_like_output(file_name: &str) -> bool {
    file_name
        .strip_suffix(".zip")
        .and_then(|stem| stem.split_once("_buildpack"))
        .is_some_and(|(language, rest)| {
            !language.is_empty() && (rest.starts_with("-v") || rest.contains("-v"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(cached: bool, profile: Option<&str>, custom: bool, stack: Option<&str>) -> String {
        ZipName {
            language: "ruby",
            cached,
            profile,
            custom,
            stack,
            version: "1.2.3",
        }
        .file_name()
    }

    #[test]
    fn go_packager_names() {
        assert_eq!(name(false, None, false, None), "ruby_buildpack-v1.2.3.zip");
        assert_eq!(
            name(true, None, false, None),
            "ruby_buildpack-cached-v1.2.3.zip"
        );
        assert_eq!(
            name(false, None, false, Some("cflinuxfs4")),
            "ruby_buildpack-cflinuxfs4-v1.2.3.zip"
        );
        assert_eq!(
            name(true, None, false, Some("cflinuxfs4")),
            "ruby_buildpack-cached-cflinuxfs4-v1.2.3.zip"
        );
    }

    #[test]
    fn profile_and_custom_names() {
        assert_eq!(
            name(true, Some("minimal"), false, Some("cflinuxfs4")),
            "ruby_buildpack-cached-minimal-cflinuxfs4-v1.2.3.zip"
        );
        assert_eq!(
            name(true, Some("minimal"), true, Some("cflinuxfs4")),
            "ruby_buildpack-cached-minimal+custom-cflinuxfs4-v1.2.3.zip"
        );
        assert_eq!(
            name(true, None, true, None),
            "ruby_buildpack-cached-custom-v1.2.3.zip"
        );
        assert_eq!(
            name(false, Some("minimal"), false, None),
            "ruby_buildpack-minimal-v1.2.3.zip"
        );
    }

    #[test]
    fn recognises_earlier_outputs() {
        assert!(looks_like_output("ruby_buildpack-v1.2.3.zip"));
        assert!(looks_like_output(
            "ruby_buildpack-cached-minimal+custom-cflinuxfs4-v1.0.0.zip"
        ));
        assert!(looks_like_output("binary_buildpack-offline-v1.0.0.zip"));
        assert!(!looks_like_output("fixture.zip"));
        assert!(!looks_like_output("_buildpack-v1.zip"));
        assert!(!looks_like_output("ruby_buildpack-v1.2.3.tgz"));
    }
}
