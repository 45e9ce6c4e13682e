//! `bpkit init`: a new buildpack from a template, ready to package, stage its own fixture app
//! and pass its own CI with no network (issue 7).
//!
//! - [`template`]: the embedded templates and what each new buildpack contains.
//! - [`render`]: placeholder substitution, the manifest's `language:`, stand-in tarballs.
//! - [`name`]: which NAMEs are accepted, and why.
//!
//! Everything is rendered in memory first, then every target path is checked, and only then is
//! anything written: a refused `init` leaves the folder as it was. One whose writing fails (a
//! full disk) removes the files and folders it had made, so it leaves no half a buildpack that
//! a second `init` would refuse to complete.

pub mod name;
pub mod render;
pub mod template;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::checksum::Sha256;

pub use name::NameError;
pub use render::RenderError;
pub use template::Template;

use template::Content;

/// What to create.
#[derive(Debug, Clone)]
pub struct Options {
    /// The buildpack's name: its `language`.
    pub name: String,
    /// Where to create it; `./NAME` when `None`.
    pub dir: Option<PathBuf>,
    pub template: Template,
    /// Replace files that exist.
    pub force: bool,
}

/// What was created.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    /// The buildpack folder, absolute.
    pub path: PathBuf,
    pub language: String,
    pub template: &'static str,
    /// Every file written, relative to `path`, in the order written.
    pub files: Vec<String>,
}

/// Why `bpkit init` stopped. Nothing was written unless the error is a write error.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error(transparent)]
    Name(#[from] NameError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(
        "{} already exists; bpkit init does not overwrite files (pass --force to replace them, or choose another folder)",
        path.display()
    )]
    AlreadyExists { path: PathBuf },
    #[error("{} is a folder, where bpkit init would write a file; move it away", path.display())]
    CannotReplaceFolder { path: PathBuf },
    #[error(
        "{} is a symbolic link, where bpkit init would make a folder; it writes only inside DIR, never through a link (which may lead outside it): remove the link, or choose another folder",
        path.display()
    )]
    LinkInTheWay { path: PathBuf },
    #[error(
        "{} is a file, where bpkit init would make a folder; move it away, or choose another folder",
        path.display()
    )]
    FileInTheWay { path: PathBuf },
    #[error(
        "{} is a file, not a folder to create the buildpack in; give bpkit init another DIR",
        path.display()
    )]
    NotAFolder { path: PathBuf },
    /// DIR, or a folder on the way to it, is a link that leads nowhere (its target is missing,
    /// or links loop): creating the folder failed with "File exists (os error 17)" and the
    /// fix for a read-only folder.
    #[error(
        "{} is a symbolic link to nothing (its target does not exist, or links loop), not a folder to create the buildpack in; remove the link, or give bpkit init another DIR",
        path.display()
    )]
    LinkToNothing { path: PathBuf },
    /// The new buildpack's path is printed on stdout, as text or in JSON, where a path that is
    /// not UTF-8 could only be shown changed (the JSON document lost every field).
    #[error(
        "{} is not valid UTF-8; create the buildpack in a folder whose path is UTF-8 text (bpkit init prints it, and writes it into JSON)",
        path.display()
    )]
    NotUtf8 { path: PathBuf },
    /// The fix names `init`'s own way out: another DIR (a read-only folder), or room for the
    /// files (a full disk, the file-size limit).
    #[error(
        "cannot write {}: {cause}; {}",
        path.display(),
        crate::output::no_room_fix(cause.kind())
            .unwrap_or("create the buildpack in a folder this user can write to (bpkit init NAME DIR)")
    )]
    CannotWrite {
        path: PathBuf,
        #[source]
        cause: io::Error,
    },
}

/// The version a new buildpack starts at.
pub const FIRST_VERSION: &str = "0.1.0";

/// One rendered file.
#[derive(Debug)]
enum Rendered {
    File { bytes: Vec<u8>, mode: u32 },
    Symlink(&'static str),
}

/// Create the buildpack.
pub fn init(options: &Options) -> Result<Outcome, ScaffoldError> {
    name::validate(&options.name)?;
    let dir = options
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&options.name));
    let rendered = render_all(options.template, &options.name)?;
    if std::path::absolute(&dir).is_ok_and(|p| p.to_str().is_none()) {
        return Err(ScaffoldError::NotUtf8 { path: dir });
    }
    // DIR, or a folder on the way to it (`afile/sub`), that is a file: said here, where
    // creating the folders said only "Not a directory (os error 20)" with a wrong fix.
    for folder in dir.ancestors().filter(|a| !a.as_os_str().is_empty()) {
        match fs::metadata(folder) {
            Ok(meta) if !meta.is_dir() => {
                return Err(ScaffoldError::NotAFolder {
                    path: folder.to_path_buf(),
                });
            }
            // A link that is there but cannot be followed. (A DIR that is a link to a folder
            // is followed: the user named it.)
            Err(_) if fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_symlink()) => {
                return Err(ScaffoldError::LinkToNothing {
                    path: folder.to_path_buf(),
                });
            }
            _ => {}
        }
    }
    // A folder on the way to a file (`bin/`, `fixtures/app/`) that is a link would take the
    // file wherever the link leads, outside DIR: refused, even with --force, before any write.
    for (path, _) in &rendered {
        for folder in Path::new(path).ancestors().skip(1) {
            if folder.as_os_str().is_empty() {
                continue;
            }
            let full = dir.join(folder);
            match fs::symlink_metadata(&full) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(ScaffoldError::LinkInTheWay { path: full });
                }
                // A file (or fifo) where a folder goes was found only when writing into it
                // ("File exists (os error 17)", with a wrong fix), after other files were
                // written: refused here, before any write, even with --force, which replaces
                // files the template writes, never the user's files on the way to them.
                Ok(meta) if !meta.is_dir() => {
                    return Err(ScaffoldError::FileInTheWay { path: full });
                }
                _ => {}
            }
        }
    }
    for (path, _) in &rendered {
        let target = dir.join(path);
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => {
                return Err(ScaffoldError::CannotReplaceFolder { path: target });
            }
            Ok(_) if !options.force => return Err(ScaffoldError::AlreadyExists { path: target }),
            _ => {}
        }
    }
    let mut files = Vec::with_capacity(rendered.len());
    let mut made = Vec::new();
    for (path, content) in &rendered {
        if let Err(error) = write(&dir.join(path), content, &mut made) {
            roll_back(&made);
            return Err(error);
        }
        files.push((*path).to_string());
    }
    let path = std::path::absolute(&dir).map_err(|cause| ScaffoldError::CannotWrite {
        path: dir.clone(),
        cause,
    })?;
    Ok(Outcome {
        path,
        language: options.name.clone(),
        template: options.template.name(),
        files,
    })
}

/// Every file of the new buildpack, in memory, in the template's order. Stand-in tarballs are
/// built first, since `dependencies.yml` carries their sha256.
fn render_all(
    template: Template,
    language: &str,
) -> Result<Vec<(&'static str, Rendered)>, ScaffoldError> {
    let files = template.files();
    let mut vars = render::Vars::default();
    vars.set("name", language);
    vars.set("template", template.name());
    vars.set("version", FIRST_VERSION);
    // Where the generated GitHub workflow installs bpkit from while bin/bpkit.lock names no
    // released binary: `cargo install --git <repository> --tag v<bpkit_version>`. The one place
    // the URL is set is Cargo.toml's `repository`; empty when it has none (the workflow then
    // skips the install and ci.sh says what to set).
    vars.set("bpkit_repository", env!("CARGO_PKG_REPOSITORY"));
    vars.set("bpkit_version", env!("CARGO_PKG_VERSION"));
    let mut tarballs = Vec::new();
    for file in &files {
        if let Content::Tarball(entries) = file.content {
            let entries: Vec<(&str, u32, &str)> =
                entries.iter().map(|(p, m, e)| (*p, *m, e.text)).collect();
            let bytes = render::tarball(file.path, &entries)?;
            vars.set(
                &format!("sha256 {}", file.path),
                Sha256::of_bytes(&bytes).hex(),
            );
            tarballs.push((file.path, bytes));
        }
    }
    for (key, part) in [
        ("about", template.about()),
        ("fixtures", template.fixtures()),
    ] {
        let text = render::text(part.source, part.text, &vars)?;
        vars.set(key, text.trim_end());
    }
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let rendered = match file.content {
            Content::Text(e) => Rendered::File {
                bytes: render::text(e.source, e.text, &vars)?.into_bytes(),
                mode: file.mode,
            },
            Content::Verbatim(e) => Rendered::File {
                bytes: e.text.as_bytes().to_vec(),
                mode: file.mode,
            },
            Content::Manifest { header, body } => Rendered::File {
                bytes: render::manifest(body.source, header.map(|h| h.text), body.text, language)?
                    .into_bytes(),
                mode: file.mode,
            },
            Content::Tarball(_) => {
                let index = tarballs
                    .iter()
                    .position(|(p, _)| *p == file.path)
                    .unwrap_or_default();
                Rendered::File {
                    bytes: std::mem::take(&mut tarballs[index].1),
                    mode: file.mode,
                }
            }
            Content::Symlink(target) => Rendered::Symlink(target),
        };
        out.push((file.path, rendered));
    }
    Ok(out)
}

/// Write one file through a temporary file renamed into place (a crash never leaves half a
/// file), or make one link, replacing what is there (the caller has checked `--force`). What
/// did not exist before (the file, its new parent folders) is added to `made`, parents first.
fn write(path: &Path, content: &Rendered, made: &mut Vec<PathBuf>) -> Result<(), ScaffoldError> {
    let fail = |cause| ScaffoldError::CannotWrite {
        path: path.to_path_buf(),
        cause,
    };
    let parent = path.parent().unwrap_or(Path::new("."));
    let new_folders: Vec<PathBuf> = parent
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect();
    fs::create_dir_all(parent).map_err(fail)?;
    made.extend(new_folders.into_iter().rev());
    let existed = fs::symlink_metadata(path).is_ok();
    match content {
        Rendered::File { bytes, mode } => {
            use std::os::unix::fs::PermissionsExt;
            // tempfile's error ends with ` at path "…/.tmpAbC123"`, a name never made and
            // never seen: the OS's reason alone follows the file being written.
            let mut file = tempfile::NamedTempFile::new_in(parent)
                .map_err(|cause| fail(crate::output::without_temp_path(cause)))?;
            // The File's own error: NamedTempFile's adds its random name, which is gone.
            file.as_file_mut().write_all(bytes).map_err(fail)?;
            file.as_file()
                .set_permissions(fs::Permissions::from_mode(*mode))
                .map_err(fail)?;
            file.persist(path)
                .map_err(|e| fail(crate::output::without_temp_path(e.error)))?;
        }
        Rendered::Symlink(target) => {
            if fs::symlink_metadata(path).is_ok() {
                fs::remove_file(path).map_err(fail)?;
            }
            std::os::unix::fs::symlink(target, path).map_err(fail)?;
        }
    }
    if !existed {
        made.push(path.to_path_buf());
    }
    Ok(())
}

/// Remove what a failed `init` made (see [`write()`]), last first; best effort, since the
/// error that stopped it is the one to report. Files that `--force` replaced stay replaced.
fn roll_back(made: &[PathBuf]) {
    for path in made.iter().rev() {
        let _ = match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => fs::remove_dir(path),
            Ok(_) => fs::remove_file(path),
            Err(_) => Ok(()),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_without_leftover_placeholders() {
        for template in Template::ALL {
            let rendered = render_all(template, "shiny").unwrap();
            for (path, content) in &rendered {
                if let Rendered::File { bytes, .. } = content
                    && let Ok(text) = std::str::from_utf8(bytes)
                {
                    for key in ["{{name}}", "{{about}}", "{{fixtures}}", "{{sha256"] {
                        assert!(!text.contains(key), "{template}: {path} has {key}");
                    }
                }
            }
            let manifest = rendered
                .iter()
                .find_map(|(p, c)| match c {
                    Rendered::File { bytes, .. } if *p == "manifest.yml" => {
                        Some(String::from_utf8(bytes.clone()).unwrap())
                    }
                    _ => None,
                })
                .unwrap();
            assert!(
                manifest.lines().any(|l| l == "language: shiny"),
                "{template}"
            );
        }
    }

    #[test]
    fn stand_in_checksums_match_their_tarballs() {
        for template in [Template::Static, Template::Ruby] {
            let rendered = render_all(template, "shiny").unwrap();
            let deps = rendered
                .iter()
                .find_map(|(p, c)| match c {
                    Rendered::File { bytes, .. } if *p == "fixtures/deps/dependencies.yml" => {
                        Some(String::from_utf8(bytes.clone()).unwrap())
                    }
                    _ => None,
                })
                .unwrap();
            for (path, content) in &rendered {
                if let (true, Rendered::File { bytes, .. }) = (
                    Path::new(path).extension().is_some_and(|e| e == "tgz"),
                    content,
                ) {
                    let name = Path::new(path).file_name().unwrap().to_str().unwrap();
                    let expected = format!(
                        "  uri: https://stand-ins.invalid/{name}\n  sha256: {}\n",
                        Sha256::of_bytes(bytes).hex()
                    );
                    assert!(deps.contains(&expected), "{template}: {expected}\n{deps}");
                }
            }
        }
    }
}
