//! Step 5, what a build leaves: the buildpacks' metadata for `staging_info.yml` and
//! `result.json` ([`result`](super::result)), `result.json` written so that it is never half
//! there, and the builder's `packageDroplet`: `droplet.tgz` and `cache.tgz` ([`droplet`]).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::error::StageError;
use super::layout::deps_index;
use super::result::BuildpackMetadata;
use super::{Staging, droplet};

impl Staging<'_> {
    /// Each buildpack's metadata from its `config.yml`. `detect_output` names the buildpack
    /// that has no name of its own: the builder gives it only on success (`WriteStartCommands`);
    /// the result.json of a build that failed after detection has the `config.yml` names alone
    /// (`buildpacksMetadata(buildpackKeys)` in `GoLikeLightning`).
    pub(super) fn metadata(
        &self,
        keys: &[String],
        count: usize,
        detect_output: Option<&str>,
    ) -> Vec<BuildpackMetadata> {
        let deps_dir = self.workspace.deps_dir();
        let mut metadata: Vec<BuildpackMetadata> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                BuildpackMetadata::read(&deps_dir, &deps_index(i, count), key, self.logger)
            })
            .collect();
        if let Some(output) = detect_output
            && let Some(first) = metadata.first_mut()
            && first.name.is_empty()
        {
            first.name = output.to_string();
        }
        metadata
    }

    /// The builder's `packageDroplet`.
    pub(super) fn package(&self) -> Result<(), StageError> {
        let ws = self.workspace;
        let contents = ws.contents_dir();
        for name in ["tmp", "logs"] {
            let dir = contents.join(name);
            fs::create_dir_all(&dir).map_err(|e| StageError::access("create", &dir, e))?;
        }
        // The builder copies the build dir with `cp -a`; both live in the workspace, so a
        // rename gives the same tree without copying it.
        let app = contents.join("app");
        let build_dir = ws.build_dir();
        // A buildpack may have removed BUILD_DIR itself (`rm -rf "$1"`): the rename would then
        // fail naming only its destination, which the user never heard of.
        if let Err(e) = fs::symlink_metadata(&build_dir)
            && e.kind() == std::io::ErrorKind::NotFound
        {
            return Err(StageError::BuildDirGone { build_dir });
        }
        fs::rename(&build_dir, &app).map_err(|e| StageError::access("move", &app, e))?;
        // Writing an archive fails for bpkit's own reasons (a full disk, the file-size limit),
        // told as its other writes are, with the fix; reading the staged tree fails as the
        // builder's compress step does.
        let dest = &self.outputs.droplet;
        droplet::write_tgz(&contents, dest, self.deadline).map_err(|e| match e {
            droplet::TgzError::Write(source) => StageError::access("write", dest, source),
            read @ droplet::TgzError::Read { .. } => StageError::CannotCompressDroplet(read),
        })?;
        let dest = &self.outputs.cache_tgz;
        droplet::write_tgz(&ws.cache_dir(), dest, self.deadline).map_err(|e| {
            // The staging failed: its droplet must not be left for `bpkit run` to start.
            let _ = fs::remove_file(&self.outputs.droplet);
            match e {
                droplet::TgzError::Write(source) => StageError::access("write", dest, source),
                read @ droplet::TgzError::Read { .. } => StageError::CannotCompressCache(read),
            }
        })?;
        Ok(())
    }
}

/// `result.json`'s `detected_buildpack`: the final buildpack's name.
pub(super) fn detected_name(metadata: &[BuildpackMetadata]) -> String {
    metadata.last().map(|m| m.name.clone()).unwrap_or_default()
}

/// Write `text` to `path` through a temporary file renamed into place.
pub(super) fn write_atomically(path: &Path, text: &str) -> Result<(), StageError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".result.")
        .suffix(".part")
        // As a plain write leaves it (tempfile's default is 0600), less the umask.
        .permissions(fs::Permissions::from_mode(0o644))
        .tempfile_in(dir)
        .map_err(|e| StageError::access("write", path, crate::output::without_temp_path(e)))?;
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| StageError::access("write", path, e))?;
    temp.persist(path)
        .map_err(|e| StageError::access("write", path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(key: &str, name: &str) -> BuildpackMetadata {
        BuildpackMetadata {
            key: key.to_string(),
            name: name.to_string(),
            version: String::new(),
            config: None,
        }
    }

    #[test]
    fn the_detected_buildpack_is_the_last_ones_name() {
        let metadata = [named("first", "one"), named("last", "two")];
        assert_eq!(detected_name(&metadata), "two");
        assert_eq!(detected_name(&[named("last", "")]), "");
        assert_eq!(detected_name(&[]), "");
    }

    #[test]
    fn write_atomically_replaces_the_file_and_leaves_no_part_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("result.json");
        fs::write(&path, "old, and longer than the new text").unwrap();
        write_atomically(&path, "{}\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{}\n");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["result.json"]);
    }
}
