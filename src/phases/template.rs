//! Environment values written in the manifest (`install[].env`, `launch_env`,
//! `release.config_vars`): literal text with `{{dir}}` (the dependency's install folder) and
//! `$NAME` / `${NAME}` references. Nothing else is special: no command substitution, no globbing,
//! no word splitting, so a value can never run code at launch.
//!
//! The same template is rendered twice (manifest.md, "bpkit's declarative buildpack keys"):
//! - for staging ([`Template::expand`]): references resolved now, `{{dir}}` and `$DEPS_DIR` to
//!   the staging paths, `$HOME` to the build dir, so `env/` files and `build:` commands see real
//!   paths;
//! - for launch ([`Template::to_shell`]): a double-quoted shell word in which references are left
//!   to the launcher's shell and `{{dir}}` becomes `${DEPS_DIR}/<idx>/<name>`, because the
//!   droplet runs from `/home/vcap`, not from the staging paths (phases.md, "The platform
//!   contract").

use std::fmt::Write as _;

/// Why a manifest environment entry cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "{key_path}: `{name}` is not a valid environment variable name; use letters, digits and _ (not starting with a digit)"
    )]
    BadName { key_path: String, name: String },
    #[error(
        "{key_path}: `{{{{dir}}}}` only means something under install[].env; write the folder as $DEPS_DIR/<index>/<name> or $HOME/<path>"
    )]
    DirOutsideInstall { key_path: String },
}

/// One piece of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// `{{dir}}`.
    Dir,
    /// `$NAME` or `${NAME}`.
    Var(String),
}

/// A parsed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// True for a POSIX environment variable name (also safe as a file name under `env/`).
pub fn is_valid_name(name: &str) -> bool {
    crate::manifest::validate::is_variable_name(name)
}

/// Check a variable name from the manifest, naming the key on failure.
pub fn check_name(name: &str, key_path: &str) -> Result<(), TemplateError> {
    if is_valid_name(name) {
        Ok(())
    } else {
        Err(TemplateError::BadName {
            key_path: key_path.to_string(),
            name: name.to_string(),
        })
    }
}

impl Template {
    pub fn parse(text: &str) -> Template {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("{{dir}}") {
                flush(&mut pieces, &mut literal);
                pieces.push(Piece::Dir);
                rest = after;
                continue;
            }
            if c == '$'
                && let Some((name, after)) = variable(&rest[1..])
            {
                flush(&mut pieces, &mut literal);
                pieces.push(Piece::Var(name.to_string()));
                rest = after;
                continue;
            }
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
        flush(&mut pieces, &mut literal);
        Template { pieces }
    }

    /// True when the value uses `{{dir}}`.
    pub fn uses_dir(&self) -> bool {
        self.pieces.contains(&Piece::Dir)
    }

    /// True when the value refers to the variable `name` (`$PATH` in `PATH: /opt/x/bin:$PATH`).
    pub fn refers_to(&self, name: &str) -> bool {
        self.pieces
            .iter()
            .any(|piece| matches!(piece, Piece::Var(var) if var == name))
    }

    /// The value at staging: `{{dir}}` is `dir`, references come from `lookup` (empty when unset,
    /// as in the shell).
    pub fn expand(&self, dir: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Dir => out.push_str(dir),
                Piece::Var(name) => out.push_str(&lookup(name).unwrap_or_default()),
            }
        }
        out
    }

    /// The value as one double-quoted shell word for a profile script; `{{dir}}` is written as
    /// `dir_at_launch` (itself made of references such as `${DEPS_DIR}/0/ruby`).
    pub fn to_shell(&self, dir_at_launch: &str) -> String {
        let mut out = String::from("\"");
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(&escape_in_double_quotes(text)),
                Piece::Dir => out.push_str(dir_at_launch),
                Piece::Var(name) => {
                    let _ = write!(out, "${{{name}}}");
                }
            }
        }
        out.push('"');
        out
    }
}

fn flush(pieces: &mut Vec<Piece>, literal: &mut String) {
    if !literal.is_empty() {
        pieces.push(Piece::Text(std::mem::take(literal)));
    }
}

/// After a `$`: a name (`NAME` or `{NAME}`) and the text after it.
fn variable(text: &str) -> Option<(&str, &str)> {
    if let Some(inner) = text.strip_prefix('{') {
        let end = inner.find('}')?;
        let name = &inner[..end];
        return is_valid_name(name).then(|| (name, &inner[end + 1..]));
    }
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let name = &text[..end];
    is_valid_name(name).then(|| (name, &text[end..]))
}

/// Inside `"…"` only `\`, `"`, `$` and `` ` `` are special (POSIX sh).
pub(crate) fn escape_in_double_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` as a single-quoted shell word (for literal data such as paths in messages and tests).
pub fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Option<String> {
        match name {
            "DEPS_DIR" => Some("/tmp/deps".into()),
            "HOME" => Some("/tmp/app".into()),
            _ => None,
        }
    }

    #[test]
    fn expands_for_staging() {
        let t = Template::parse("{{dir}}/gems:$HOME/x:${DEPS_DIR}/0:$UNSET:$:$1:{{other}}");
        assert_eq!(
            t.expand("/tmp/deps/0/ruby", &lookup),
            "/tmp/deps/0/ruby/gems:/tmp/app/x:/tmp/deps/0::$:$1:{{other}}"
        );
        assert!(t.uses_dir());
        assert!(!Template::parse("plain").uses_dir());
    }

    #[test]
    fn renders_one_safe_shell_word_for_launch() {
        let t = Template::parse("{{dir}}/gems");
        assert_eq!(
            t.to_shell("${DEPS_DIR}/0/ruby"),
            "\"${DEPS_DIR}/0/ruby/gems\""
        );
        let t = Template::parse("a \"b\" `rm -rf /` $(id) \\ ${HOME} *");
        assert_eq!(
            t.to_shell(""),
            "\"a \\\"b\\\" \\`rm -rf /\\` \\$(id) \\\\ ${HOME} *\""
        );
    }

    #[test]
    fn shell_rendering_survives_a_real_shell() {
        let value = "it's \"quoted\" `x` $(y) \\ * $HOME\nline two";
        let word = Template::parse(value).to_shell("");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("HOME=/h; printf '%s' {word}"))
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "it's \"quoted\" `x` $(y) \\ * /h\nline two"
        );
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s' {}", single_quoted("a'b $c")))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), "a'b $c");
    }

    #[test]
    fn names() {
        assert!(is_valid_name("GEM_HOME") && is_valid_name("_x1"));
        for bad in ["", "1A", "A-B", "../x", "A=B", "A B"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
        assert_eq!(
            check_name("A-B", "launch_env.A-B").unwrap_err().to_string(),
            "launch_env.A-B: `A-B` is not a valid environment variable name; use letters, digits and _ (not starting with a digit)"
        );
    }
}
