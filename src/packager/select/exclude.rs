//! Selecting by `exclude_files`: what is left out of the walk of the whole folder. The
//! patterns follow Info-ZIP's `-x` as the Ruby gem used it; `.git*`, earlier output zips and
//! `.bpkit/` at the top, and bpkit's own unfinished zip are left out by default.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::{SelectError, Walker};
use crate::packager::name::looks_like_output;
use crate::packager::zipwriter::is_part_name;

/// bpkit's work folder in a buildpack (`bpkit stage`'s default outputs), never packaged unless
/// include_files names it.
const WORK_DIR: &str = ".bpkit";

/// True for what bpkit itself leaves at the top of a buildpack folder and never packages
/// without include_files: an earlier output zip (packaging writes it there by default) and
/// the work folder `.bpkit/`. Deeper down, such names are the buildpack's own (test fixtures).
pub fn is_own_output_at_top(name: &str, is_dir: bool) -> bool {
    if is_dir {
        name == WORK_DIR
    } else {
        looks_like_output(name)
    }
}

/// `.git`, and bpkit's own unfinished zip (the zip writer's temporary file, in the tree when
/// the zip is written there, or left by a killed run): left out at any depth, whether walked,
/// in a listed folder or matched by an include_files glob (`*` packaged a killed run's
/// leftover, or failed reading it when this run's clean-up removed it).
pub(super) fn never_packaged(name: &str) -> bool {
    name == ".git" || is_part_name(name)
}

impl Walker<'_> {
    pub(super) fn excluded(&self, name: &str, rel: &str, is_dir: bool) -> bool {
        if self.provided.contains(rel) {
            return true;
        }
        if never_packaged(name) {
            return true;
        }
        // What include_files lists is packaged whatever its name (an output folder inside the
        // tree is skipped whole elsewhere).
        if self.excluder.is_some() && !rel.contains('/') && is_own_output_at_top(name, is_dir) {
            return true;
        }
        match &self.excluder {
            Some(excluder) => name.starts_with(".git") || excluder.excludes(rel, is_dir),
            None => false,
        }
    }
}

/// `exclude_files` with the Ruby gem's Info-ZIP semantics: `p/` is `-x p* -x */p*`, anything
/// else is `-x p -x */p`, and Info-ZIP's `*` matches `/` too.
pub(super) struct Excluder {
    set: GlobSet,
}

impl Excluder {
    pub(super) fn new(patterns: &[String]) -> Result<Self, SelectError> {
        let mut builder = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            // Spaces around a pattern are dropped, as for include_files: the Ruby gem put each
            // pattern into a shell command line unquoted, whose word splitting dropped them, so
            // `'*.log '` left the logs out there and matched nothing here.
            let pattern = pattern.trim();
            if pattern.is_empty() {
                return Err(SelectError::EmptyExclude { index });
            }
            let forms_of = |p: &str| {
                if p.ends_with('/') {
                    [format!("{p}*"), format!("*/{p}*")]
                } else {
                    [p.to_string(), format!("*/{p}")]
                }
            };
            let mut forms = forms_of(pattern).to_vec();
            // A name holding `[`, `{`, `*` or `?` is also matched as written: `secret[1].key`
            // read as a glob matches `secret1.key` only, and the file named went into the zip.
            // (With a `\` in it, the pattern escapes what it means literally itself.)
            if !pattern.contains('\\') && pattern.contains(['[', ']', '{', '}', '*', '?']) {
                forms.extend(forms_of(&globset::escape(pattern)));
            }
            for form in forms {
                let glob = GlobBuilder::new(&form)
                    .literal_separator(false)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| SelectError::BadPattern {
                        key: format!("exclude_files[{index}]"),
                        pattern: pattern.to_string(),
                        cause: e.kind().to_string(),
                    })?;
                builder.add(glob);
            }
        }
        let set = builder.build().map_err(|e| SelectError::BadPattern {
            key: "exclude_files".into(),
            pattern: patterns.join(", "),
            cause: e.to_string(),
        })?;
        Ok(Excluder { set })
    }

    /// A folder is tested as `rel/`, as Info-ZIP names folder entries.
    fn excludes(&self, rel: &str, is_dir: bool) -> bool {
        if is_dir {
            self.set.is_match(format!("{rel}/"))
        } else {
            self.set.is_match(rel)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::packager::select::select;
    use crate::packager::select::tests::{paths, rules, strings, tree};
    use crate::packager::zipwriter::is_part_name;
    use std::collections::BTreeSet;

    #[test]
    fn exclude_files_follow_info_zip() {
        let dir = tree(&[
            "README.md",
            "bin/compile",
            "cf_spec/a_spec.rb",
            "lib/cf_spec/deep.rb",
            "lib/x.rb",
            "log/today.log",
            "lib/ephemeral_junkpile",
            ".gitignore",
            ".git/config",
            ".github/workflows/ci.yml",
            "ruby_buildpack-v1.0.0.zip",
            "fixtures/app.zip",
            "fixtures/go_buildpack-v1.2.3.zip",
        ]);
        let exclude = strings(&["cf_spec/", "lib/ephemeral_junkpile", "log", "*.md"]);
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(None, &exclude, &provided)).unwrap();
        assert_eq!(
            paths(&s),
            [
                "bin/",
                "bin/compile",
                "fixtures/",
                "fixtures/app.zip",
                // Named like an output zip, but not where one is written: the buildpack's own.
                "fixtures/go_buildpack-v1.2.3.zip",
                "lib/",
                "lib/x.rb",
                "log/",
                // `log` (no slash) names a file, as with `zip -x log`, so the folder stays.
                "log/today.log",
            ]
        );
    }

    /// A pattern that reads as a glob also matches the name as written: `secret[1].key` left
    /// `secret[1].key` in the zip (the glob matches `secret1.key` only).
    #[test]
    fn a_pattern_also_matches_the_name_as_written() {
        let dir = tree(&[
            "bin/compile",
            "keys/secret[1].key",
            "keys/secret1.key",
            "docs/{draft}/a.md",
            "docs/b.md",
        ]);
        let exclude = strings(&["secret[1].key", "{draft}/"]);
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(None, &exclude, &provided)).unwrap();
        assert_eq!(
            paths(&s),
            ["bin/", "bin/compile", "docs/", "docs/b.md", "keys/"]
        );
    }

    /// Spaces around a pattern are dropped, as the Ruby gem's shell dropped them: `'*.log '`
    /// and `' tmp/'` leave out the logs and `tmp/`, where they matched nothing and both went
    /// into the zip; a pattern of spaces only is empty.
    #[test]
    fn spaces_around_a_pattern_are_dropped() {
        let dir = tree(&["bin/compile", "log/today.log", "tmp/cache.bin"]);
        let exclude = strings(&["*.log ", " tmp/\t"]);
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(None, &exclude, &provided)).unwrap();
        assert_eq!(paths(&s), ["bin/", "bin/compile", "log/"]);
        let blank = strings(&["  "]);
        let err = select(dir.path(), &rules(None, &blank, &provided)).unwrap_err();
        assert!(
            matches!(
                err,
                crate::packager::select::SelectError::EmptyExclude { index: 0 }
            ),
            "{err}"
        );
    }

    /// Only bpkit's own unfinished zip (`.bpkit-<name>.<random>.part`, any case) is left out
    /// as such, and `.git` is left out even from a folder include_files lists. An include_files
    /// glob takes neither: `*`, `.` and `**` packaged a killed run's leftover zip.
    #[test]
    fn unfinished_zips_and_git_folders_are_left_out() {
        let dir = tree(&[
            ".bpkit-ruby_buildpack-v1.zip.abc.part",
            ".bpkit-x.zip.def.PART",
            ".bpkit-notes.txt",
            "data.part",
            "vendor/lib/.git/config",
            "vendor/lib/x.rb",
        ]);
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(None, &[], &provided)).unwrap();
        assert_eq!(
            paths(&s),
            [
                ".bpkit-notes.txt",
                "data.part",
                "vendor/",
                "vendor/lib/",
                "vendor/lib/x.rb"
            ]
        );
        let include = strings(&["vendor"]);
        let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
        assert_eq!(paths(&s), ["vendor/", "vendor/lib/", "vendor/lib/x.rb"]);
        std::fs::write(dir.path().join("vendor/.bpkit-y.zip.ghi.part"), "half").unwrap();
        for glob in ["*", ".", "**", "**/*.part", "vendor/*"] {
            let include = strings(&[glob]);
            let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
            let name = |p: &str| p.rsplit('/').next().unwrap_or_default().to_string();
            assert!(
                paths(&s).iter().all(|p| !is_part_name(&name(p))),
                "{glob}: {:?}",
                paths(&s)
            );
        }
        let include = strings(&["*"]);
        let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
        assert_eq!(
            paths(&s),
            [
                ".bpkit-notes.txt",
                "data.part",
                "vendor/",
                "vendor/lib/",
                "vendor/lib/x.rb"
            ]
        );
    }
}
