//! The templates `bpkit init` renders, embedded in the binary so that an installed `bpkit`
//! needs no copy of the repository. Each file of `templates/` (and the repository's own
//! `bin/bpkit`, `bin/bpkit.lock` and `manifest.yml`) is included at compile time by `embed!`,
//! which keeps the source path next to the text so a test can check that every file under
//! `templates/` is used and none is forgotten.
//!
//! A hand-written table rather than a build script walking `templates/`: the table also says
//! where each file goes, its mode and how it is rendered, which a directory walk could not know,
//! and it reads as the list of what a new buildpack contains.

/// A file of this repository, included at compile time.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    /// Its path in the repository, for tests and messages.
    pub source: &'static str,
    pub text: &'static str,
}

macro_rules! embed {
    ($path:literal) => {
        Embedded {
            source: $path,
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)),
        }
    };
}

/// How one file of the new buildpack is made.
#[derive(Debug, Clone, Copy)]
pub enum Content {
    /// Text with `{{name}}`-style placeholders (see `render`).
    Text(Embedded),
    /// Copied byte for byte.
    Verbatim(Embedded),
    /// A `manifest.yml`: optional header comments, then the body with its first top-level
    /// `language:` set to NAME. Nothing else is substituted: `{{dir}}` in a manifest is the
    /// phases' own syntax.
    Manifest {
        header: Option<Embedded>,
        body: Embedded,
    },
    /// A stand-in dependency: a `.tgz` built from these files (paths inside the archive).
    Tarball(&'static [(&'static str, u32, Embedded)]),
    /// A symbolic link to this target (relative).
    Symlink(&'static str),
}

/// One file of the new buildpack.
#[derive(Debug, Clone, Copy)]
pub struct File {
    /// Its path in the new buildpack.
    pub path: &'static str,
    pub content: Content,
    /// Permission bits (ignored for links).
    pub mode: u32,
}

const fn text(path: &'static str, source: Embedded) -> File {
    File {
        path,
        content: Content::Text(source),
        mode: 0o644,
    }
}

const fn script(path: &'static str, source: Embedded) -> File {
    File {
        path,
        content: Content::Text(source),
        mode: 0o755,
    }
}

const fn link(path: &'static str) -> File {
    File {
        path,
        content: Content::Symlink("bpkit"),
        mode: 0o777,
    }
}

/// The templates, in the order `bpkit init --help` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// An app that brings its own executable and a Procfile with a `web:` line; installs nothing.
    #[value(alias = "binary")]
    Generic,
    /// Static files served by Cloud Foundry's nginx build.
    Static,
    /// Ruby and Bundler, `bundle install`, `bundle exec rackup` (bpkit's own buildpack).
    Ruby,
}

impl Template {
    pub const ALL: [Template; 3] = [Template::Generic, Template::Static, Template::Ruby];

    pub fn name(self) -> &'static str {
        match self {
            Template::Generic => "generic",
            Template::Static => "static",
            Template::Ruby => "ruby",
        }
    }

    /// The template called `name` (`binary` is the old name of `generic`).
    pub fn from_name(name: &str) -> Option<Template> {
        match name {
            "binary" => Some(Template::Generic),
            _ => Template::ALL.into_iter().find(|t| t.name() == name),
        }
    }

    /// A paragraph for the new README, saying what the buildpack does.
    pub fn about(self) -> Embedded {
        match self {
            Template::Generic => embed!("templates/generic/about.md"),
            Template::Static => embed!("templates/static/about.md"),
            Template::Ruby => embed!("templates/ruby/about.md"),
        }
    }

    /// A paragraph for the new README, saying what the fixtures are.
    pub fn fixtures(self) -> Embedded {
        match self {
            Template::Generic => embed!("templates/generic/fixtures.md"),
            Template::Static => embed!("templates/static/fixtures.md"),
            Template::Ruby => embed!("templates/ruby/fixtures.md"),
        }
    }

    /// Every file of a buildpack made from this template, in the order they are checked and
    /// written (so "already exists" names the most important file first).
    pub fn files(self) -> Vec<File> {
        let manifest = File {
            path: "manifest.yml",
            content: match self {
                Template::Generic => Content::Manifest {
                    header: None,
                    body: embed!("templates/generic/manifest.yml"),
                },
                Template::Static => Content::Manifest {
                    header: None,
                    body: embed!("templates/static/manifest.yml"),
                },
                // The repository's own buildpack, whose header comment speaks of bpkit's
                // repository: it is replaced by one written for a new buildpack.
                Template::Ruby => Content::Manifest {
                    header: Some(embed!("templates/ruby/header.yml")),
                    body: embed!("manifest.yml"),
                },
            },
            mode: 0o644,
        };
        let mut files = vec![
            manifest,
            File {
                path: "VERSION",
                content: Content::Verbatim(embed!("templates/common/VERSION")),
                mode: 0o644,
            },
            text("README.md", embed!("templates/common/README.md")),
            File {
                path: ".gitignore",
                content: Content::Verbatim(embed!("templates/common/gitignore")),
                mode: 0o644,
            },
            script("ci.sh", embed!("templates/common/ci.sh")),
            text(
                ".github/workflows/buildpack.yml",
                embed!("templates/common/github/workflows/buildpack.yml"),
            ),
            // The bootstrap, exactly as this repository has it (a test compares them).
            File {
                path: "bin/bpkit",
                content: Content::Verbatim(embed!("bin/bpkit")),
                mode: 0o755,
            },
            // The bpkit release the bootstrap downloads in a git clone (README, "Releasing
            // bpkit"): the one this bpkit was built with, so the two agree.
            File {
                path: "bin/bpkit.lock",
                content: Content::Verbatim(embed!("bin/bpkit.lock")),
                mode: 0o644,
            },
            link("bin/detect"),
            link("bin/supply"),
            link("bin/finalize"),
            link("bin/compile"),
            link("bin/release"),
        ];
        files.extend(self.fixture_files());
        files
    }

    fn fixture_files(self) -> Vec<File> {
        match self {
            Template::Generic => vec![
                text(
                    "fixtures/app/Procfile",
                    embed!("templates/generic/app/Procfile"),
                ),
                script(
                    "fixtures/app/server",
                    embed!("templates/generic/app/server"),
                ),
            ],
            Template::Static => vec![
                text(
                    "fixtures/app/public/index.html",
                    embed!("templates/static/app/public/index.html"),
                ),
                File {
                    path: "fixtures/deps/nginx-1.27.5-stand-in.tgz",
                    content: Content::Tarball(&[(
                        "sbin/nginx",
                        0o755,
                        embed!("templates/static/deps/nginx/sbin/nginx"),
                    )]),
                    mode: 0o644,
                },
                text(
                    "fixtures/deps/dependencies.yml",
                    embed!("templates/static/deps/dependencies.yml"),
                ),
            ],
            Template::Ruby => vec![
                text("fixtures/app/Gemfile", embed!("templates/ruby/app/Gemfile")),
                text(
                    "fixtures/app/Gemfile.lock",
                    embed!("templates/ruby/app/Gemfile.lock"),
                ),
                text(
                    "fixtures/app/config.ru",
                    embed!("templates/ruby/app/config.ru"),
                ),
                File {
                    path: "fixtures/deps/bundler-2.6.5-stand-in.tgz",
                    content: Content::Tarball(&[(
                        "bin/bundle",
                        0o755,
                        embed!("templates/ruby/deps/bundler/bin/bundle"),
                    )]),
                    mode: 0o644,
                },
                File {
                    path: "fixtures/deps/ruby-3.3.11-stand-in.tgz",
                    content: Content::Tarball(&[
                        (
                            "bin/ruby",
                            0o755,
                            embed!("templates/ruby/deps/ruby/bin/ruby"),
                        ),
                        (
                            "lib/README",
                            0o644,
                            embed!("templates/ruby/deps/ruby/lib/README"),
                        ),
                    ]),
                    mode: 0o644,
                },
                text(
                    "fixtures/deps/dependencies.yml",
                    embed!("templates/ruby/deps/dependencies.yml"),
                ),
            ],
        }
    }

    /// Every repository file this template uses (for the test that nothing is left out).
    pub fn sources(self) -> Vec<&'static str> {
        let mut sources = vec![self.about().source, self.fixtures().source];
        for file in self.files() {
            match file.content {
                Content::Text(e) | Content::Verbatim(e) => sources.push(e.source),
                Content::Manifest { header, body } => {
                    sources.extend(header.map(|h| h.source));
                    sources.push(body.source);
                }
                Content::Tarball(entries) => sources.extend(entries.iter().map(|e| e.2.source)),
                Content::Symlink(_) => {}
            }
        }
        sources
    }
}

impl std::fmt::Display for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The known template names, for messages: `generic, static, ruby`.
pub fn known_names() -> String {
    Template::ALL.map(Template::name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn names_round_trip_and_binary_is_generic() {
        for t in Template::ALL {
            assert_eq!(Template::from_name(t.name()), Some(t));
            assert_eq!(t.to_string(), t.name());
        }
        assert_eq!(Template::from_name("binary"), Some(Template::Generic));
        assert_eq!(Template::from_name("go"), None);
        assert_eq!(known_names(), "generic, static, ruby");
    }

    /// Every file under `templates/` is used by some template, so nothing is shipped by
    /// mistake or forgotten when a file is added.
    #[test]
    fn every_file_under_templates_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let used: Vec<&str> = Template::ALL.iter().flat_map(|t| t.sources()).collect();
        let mut stack = vec![root.join("templates")];
        let mut unused = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                // templates/README.md documents the folder; it is not rendered.
                if relative != "templates/README.md" && !used.contains(&relative.as_str()) {
                    unused.push(relative);
                }
            }
        }
        assert!(unused.is_empty(), "not used by any template: {unused:?}");
    }

    #[test]
    fn paths_are_unique_and_relative() {
        for t in Template::ALL {
            let files = t.files();
            for (i, f) in files.iter().enumerate() {
                assert!(
                    !f.path.starts_with('/') && !f.path.contains(".."),
                    "{}",
                    f.path
                );
                assert!(
                    files[..i].iter().all(|g| g.path != f.path),
                    "{t}: {} twice",
                    f.path
                );
            }
        }
    }
}
