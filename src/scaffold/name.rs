//! The NAME of `bpkit init NAME`: it becomes the manifest's `language`, which names the zips
//! (`NAME_buildpack-cached-v0.1.0.zip`), the staging header (`-----> Name Buildpack version …`)
//! and a file at staging (`DEPS_DIR/IDX/profile.d/NAME.sh`). So it must be safe in a file name,
//! a zip name and a plain YAML scalar, in bpkit and in the Go and Ruby tools that read the same
//! manifest.

/// The longest NAME accepted; far above any real buildpack's language, and short enough for
/// zip and file names on every file system.
pub const MAX_LEN: usize = 64;

/// YAML words that are not strings in YAML 1.1 (Go's yaml.v2, which libbuildpack and the Go
/// packager use) or 1.2: `language: no` would be the boolean false there.
const YAML_WORDS: &[&str] = &["true", "false", "yes", "no", "on", "off", "y", "n", "null"];

/// Why a NAME is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error(
        "`{name}` cannot be a buildpack name: use lowercase letters, digits, `-` and `_`, starting with a letter, at most {MAX_LEN} characters (it becomes `language`, the zip name `{suggestion}_buildpack-…zip` and a file name at staging); try `{suggestion}`"
    )]
    CannotUseCharacters { name: String, suggestion: String },
    #[error(
        "`{name}` cannot be a buildpack name: `language: {name}` reads as a YAML boolean or null, not a name; choose another, such as `{name}-buildpack`"
    )]
    CannotUseYamlWord { name: String },
}

/// Check NAME; the error suggests a name that would be accepted.
pub fn validate(name: &str) -> Result<(), NameError> {
    let mut chars = name.chars();
    let valid = name.len() <= MAX_LEN
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid {
        return Err(NameError::CannotUseCharacters {
            name: name.to_string(),
            suggestion: suggest(name),
        });
    }
    if YAML_WORDS.contains(&name) {
        return Err(NameError::CannotUseYamlWord {
            name: name.to_string(),
        });
    }
    Ok(())
}

/// Lowercase, other characters turned into `-` (runs collapsed), then trimmed to start with a
/// letter; `buildpack` when nothing is left, and `-buildpack` after a YAML word (`No` gave
/// `no`, a suggestion `validate` refuses).
fn suggest(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out
        .trim_start_matches(|c: char| !c.is_ascii_lowercase())
        .trim_end_matches('-');
    let mut suggestion: String = trimmed.chars().take(MAX_LEN).collect();
    while suggestion.ends_with('-') {
        suggestion.pop();
    }
    if suggestion.is_empty() {
        "buildpack".to_string()
    } else if YAML_WORDS.contains(&suggestion.as_str()) {
        format!("{suggestion}-buildpack")
    } else {
        suggestion
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_names_like_the_official_buildpacks() {
        for name in ["ruby", "dotnet-core", "php_web", "nginx2", "my-buildpack"] {
            assert_eq!(validate(name), Ok(()), "{name}");
        }
        assert_eq!(validate(&"a".repeat(MAX_LEN)), Ok(()));
    }

    #[test]
    fn refuses_and_suggests() {
        let cases = [
            ("My Buildpack", "my-buildpack"),
            ("9lives", "lives"),
            ("-x", "x"),
            ("a.b", "a-b"),
            ("", "buildpack"),
            ("日本", "buildpack"),
            ("x/../y", "x-y"),
            ("Nginx_2", "nginx_2"),
            // A YAML word once lowercased or trimmed: suggested as the YAML word's refusal
            // suggests it.
            ("No", "no-buildpack"),
            ("9null", "null-buildpack"),
            ("OFF!", "off-buildpack"),
        ];
        for (name, suggestion) in cases {
            assert_eq!(
                validate(name),
                Err(NameError::CannotUseCharacters {
                    name: name.to_string(),
                    suggestion: suggestion.to_string()
                }),
                "{name}"
            );
        }
        assert!(validate(&"a".repeat(MAX_LEN + 1)).is_err());
    }

    #[test]
    fn every_suggestion_is_a_name_validate_accepts() {
        let long = format!("{}-x", "a".repeat(MAX_LEN - 1));
        let mut names = vec![
            "", "-", "--a--", "A", "Y", "N", "True", "YES!", "9", "_x", "x-",
        ];
        names.push(&long);
        for word in YAML_WORDS {
            names.push(word);
        }
        for name in names {
            let suggestion = suggest(name);
            assert_eq!(validate(&suggestion), Ok(()), "{name} gave {suggestion}");
        }
    }

    #[test]
    fn refuses_yaml_words() {
        assert_eq!(
            validate("no").unwrap_err().to_string(),
            "`no` cannot be a buildpack name: `language: no` reads as a YAML boolean or null, not a name; choose another, such as `no-buildpack`"
        );
    }

    #[test]
    fn the_message_names_the_rules_and_a_suggestion() {
        assert_eq!(
            validate("My BP").unwrap_err().to_string(),
            "`My BP` cannot be a buildpack name: use lowercase letters, digits, `-` and `_`, starting with a letter, at most 64 characters (it becomes `language`, the zip name `my-bp_buildpack-…zip` and a file name at staging); try `my-bp`"
        );
    }
}
