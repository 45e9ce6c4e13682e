//! Turning a template's files into the new buildpack's bytes: `{{name}}`-style substitution in
//! text files, the `language:` line of a manifest, and the stand-in dependency tarballs.
//! Substitution is plain text on purpose (no template engine crate): the templates need a
//! handful of values and nothing conditional.

use std::collections::BTreeMap;
use std::io::Write;

/// Why a template could not be rendered. These are bugs in `templates/` (a test renders every
/// template), worded so that whoever edits a template sees what to fix.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{source_path}: unknown placeholder `{{{{{key}}}}}`; known: {known}")]
    UnknownPlaceholder {
        source_path: String,
        key: String,
        known: String,
    },
    #[error("{source_path}: no top-level `language:` line to set")]
    NoLanguageLine { source_path: String },
    #[error("cannot build the stand-in tarball {path}: {cause}")]
    CannotBuildTarball {
        path: String,
        #[source]
        cause: std::io::Error,
    },
}

/// Values for `{{key}}` placeholders. `{{sha256 PATH}}` is the sha256 of a file rendered
/// earlier (a stand-in tarball).
#[derive(Debug, Default, Clone)]
pub struct Vars {
    values: BTreeMap<String, String>,
}

impl Vars {
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.values.insert(key.to_string(), value.into());
    }

    fn known(&self) -> String {
        self.values
            .keys()
            .map(|k| format!("{{{{{k}}}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Replace every `{{key}}` whose key looks like ours (a lowercase word, optionally followed by
/// one argument: `{{sha256 fixtures/deps/x.tgz}}`). Anything else in braces, such as GitHub
/// Actions' `${{ github.ref }}`, is left alone; one of ours with an unknown key is an error.
pub fn text(source_path: &str, template: &str, vars: &Vars) -> Result<String, RenderError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let key = &after[..end];
        if is_our_placeholder(key) {
            let value = vars
                .values
                .get(key)
                .ok_or_else(|| RenderError::UnknownPlaceholder {
                    source_path: source_path.to_string(),
                    key: key.to_string(),
                    known: vars.known(),
                })?;
            out.push_str(value);
        } else {
            out.push_str(&rest[start..start + 2 + end + 2]);
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn is_our_placeholder(key: &str) -> bool {
    let (word, argument) = key.split_once(' ').unwrap_or((key, ""));
    word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !argument.contains([' ', '{', '}'])
}

/// A manifest: `header` (when given) replaces the body's own leading `---` and comment lines,
/// the first top-level `language:` line becomes `language: NAME`, and the `name:` of the
/// top-level `detect:` block (what `bin/detect` prints, which the platform shows as the
/// buildpack that staged an app) becomes NAME too, so a new buildpack does not stage apps as
/// the template's `Binary`. Everything else is kept as written, so the manifest's keys,
/// comments and spelling stay the template's.
pub fn manifest(
    source_path: &str,
    header: Option<&str>,
    body: &str,
    language: &str,
) -> Result<String, RenderError> {
    let mut lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len() + 1024);
    if let Some(header) = header {
        let skip = lines
            .iter()
            .take_while(|l| l.trim() == "---" || l.trim().is_empty() || l.starts_with('#'))
            .count();
        lines.drain(..skip);
        out.push_str(header);
        if !header.ends_with('\n') {
            out.push('\n');
        }
    }
    let language_line = lines
        .iter()
        .position(|l| l.starts_with("language:"))
        .ok_or_else(|| RenderError::NoLanguageLine {
            source_path: source_path.to_string(),
        })?;
    let detect_name_line = detect_name_line(&lines);
    for (i, line) in lines.iter().enumerate() {
        if i == language_line {
            out.push_str("language: ");
            out.push_str(language);
        } else if Some(i) == detect_name_line {
            out.push_str("  name: ");
            out.push_str(language);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    Ok(out)
}

/// The `  name:` line of the top-level `detect:` block, if it has one (a block ends at the next
/// line that starts a top-level key).
fn detect_name_line(lines: &[&str]) -> Option<usize> {
    let start = lines.iter().position(|l| l.trim_end() == "detect:")?;
    lines[start + 1..]
        .iter()
        .take_while(|l| !l.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        .position(|l| l.starts_with("  name:"))
        .map(|at| start + 1 + at)
}

/// A gzipped tar of `entries` (path, mode, text) with their parent folders, owned by root, all
/// timestamps zero: the same entries always give the same bytes, so the sha256 written into
/// `dependencies.yml` is stable from one `bpkit init` to the next.
pub fn tarball(path: &str, entries: &[(&str, u32, &str)]) -> Result<Vec<u8>, RenderError> {
    let fail = |cause| RenderError::CannotBuildTarball {
        path: path.to_string(),
        cause,
    };
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    let mut folders: Vec<String> = Vec::new();
    for (name, mode, text) in entries {
        let mut parent = String::new();
        for part in name
            .split('/')
            .rev()
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            parent.push_str(part);
            parent.push('/');
            if !folders.contains(&parent) {
                folders.push(parent.clone());
                let mut header = header(tar::EntryType::Directory, 0o755, 0);
                tar.append_data(&mut header, &parent, std::io::empty())
                    .map_err(fail)?;
            }
        }
        let mut header = header(tar::EntryType::Regular, *mode, text.len() as u64);
        tar.append_data(&mut header, name, text.as_bytes())
            .map_err(fail)?;
    }
    let gz = tar.into_inner().map_err(fail)?;
    let mut bytes = gz.finish().map_err(fail)?;
    bytes.flush().map_err(fail)?;
    Ok(bytes)
}

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_size(size);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let mut vars = Vars::default();
        vars.set("name", "shiny");
        vars.set("sha256 fixtures/deps/x.tgz", "abc");
        vars
    }

    #[test]
    fn substitutes_ours_and_leaves_others() {
        let out = text(
            "t",
            "# {{name}}\nsha256: {{sha256 fixtures/deps/x.tgz}}\nref: ${{ github.ref }} {{ x }} {{dir}x",
            &vars(),
        )
        .unwrap();
        assert_eq!(
            out,
            "# shiny\nsha256: abc\nref: ${{ github.ref }} {{ x }} {{dir}x"
        );
    }

    #[test]
    fn only_a_lowercase_word_and_one_plain_argument_is_ours() {
        let mut vars = vars();
        vars.set("name_2", "two");
        assert_eq!(text("t", "{{name_2}}", &vars).unwrap(), "two");
        // Not starting with a lowercase letter, another character in the word, an argument
        // with a space or a brace: someone else's braces, kept as written.
        let others = "{{1name}} {{Name}} {{na-me}} {{name.x}} {{sha256 a b}} {{sha256 a{b}}";
        assert_eq!(text("t", others, &vars).unwrap(), others);
    }

    #[test]
    fn an_unknown_placeholder_is_an_error_naming_the_file() {
        let err = text("templates/x/README.md", "a {{nmae}} b", &vars()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "templates/x/README.md: unknown placeholder `{{nmae}}`; known: {{name}}, {{sha256 fixtures/deps/x.tgz}}"
        );
    }

    #[test]
    fn manifest_names_what_detect_prints() {
        let body = "language: binary\ndetect:\n  # comment\n  any_of:\n  - file: x\n    name: not this\n  name: Binary\nrelease:\n  name: kept\n";
        assert_eq!(
            manifest("m.yml", None, body, "zorg").unwrap(),
            "language: zorg\ndetect:\n  # comment\n  any_of:\n  - file: x\n    name: not this\n  name: zorg\nrelease:\n  name: kept\n"
        );
        // No detect block, or none with a name: nothing else changes.
        let body =
            "language: binary\nrelease:\n  name: kept\ndetect:\n  any_of: []\nx:\n  name: y\n";
        assert_eq!(
            manifest("m.yml", None, body, "zorg").unwrap(),
            body.replace("binary", "zorg")
        );
    }

    #[test]
    fn manifest_sets_language_and_swaps_the_header() {
        let body = "---\n# old header\n# more\nlanguage: ruby\nx: \"{{dir}}\"\n# keep me\nlanguage_note: 1\n";
        assert_eq!(
            manifest("m", Some("---\n# new\n"), body, "shiny").unwrap(),
            "---\n# new\nlanguage: shiny\nx: \"{{dir}}\"\n# keep me\nlanguage_note: 1\n"
        );
        assert_eq!(
            manifest("m", None, body, "shiny").unwrap(),
            "---\n# old header\n# more\nlanguage: shiny\nx: \"{{dir}}\"\n# keep me\nlanguage_note: 1\n"
        );
        assert_eq!(
            manifest("m.yml", None, "  language: x\n", "y")
                .unwrap_err()
                .to_string(),
            "m.yml: no top-level `language:` line to set"
        );
    }

    #[test]
    fn tarballs_are_reproducible_and_readable() {
        let entries = [("sbin/nginx", 0o755, "#!/bin/sh\necho hi\n")];
        let a = tarball("x.tgz", &entries).unwrap();
        assert_eq!(a, tarball("x.tgz", &entries).unwrap());
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&a[..]));
        let listed: Vec<(String, u32)> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.path().unwrap().to_str().unwrap().to_string(),
                    e.header().mode().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                ("sbin/".to_string(), 0o755),
                ("sbin/nginx".to_string(), 0o755)
            ]
        );
    }
}
