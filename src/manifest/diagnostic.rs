//! A problem found in a manifest: where (file, line, column, key path), how bad, and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

use super::yaml::Position;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding. `Display` gives the one-line form:
/// `manifest.yml:7:11: error: dependencies[0].sha256: expected 64 hexadecimal characters, found 63`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    #[serde(skip)]
    pub file: PathBuf,
    /// The key path, such as `dependencies[3].sha256`; empty for the whole document.
    pub key_path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// What was expected, what was found and, when known, the fix.
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        file: &Path,
        key_path: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        // One line each, whatever the manifest holds: a key or value quoted in a message may
        // hold a line break (a second line read as a finding of its own) or an escape sequence
        // (`\e[2J` cleared the terminal); each is written as its escape.
        Diagnostic {
            severity,
            file: file.to_path_buf(),
            key_path: crate::output::escape_controls(&key_path.into()),
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            message: crate::output::escape_controls(&message.into()),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The one-line form without the severity word, for a message that already says it is an
    /// error (`bpkit: error: manifest.yml:7:11: dependencies[0].sha256: …`), where
    /// `error: … error:` would say it twice.
    pub fn without_severity(&self) -> impl fmt::Display + '_ {
        WithoutSeverity(self)
    }

    /// The one-line form with a line break, the file's path byte for byte, for stdout, where
    /// a script opens the file it names (`Display` shows U+FFFD for bytes that are not UTF-8).
    pub fn line_bytes(&self) -> Vec<u8> {
        use std::os::unix::ffi::OsStrExt;
        let mut line = self.file.as_os_str().as_bytes().to_vec();
        line.extend_from_slice(format!("{}\n", AfterFile(self)).as_bytes());
        line
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, with_severity: bool) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        self.write_after_file(f, with_severity)
    }

    /// What follows the file's path: the position, the severity (`with_severity`), the key
    /// path and the message.
    fn write_after_file(&self, f: &mut fmt::Formatter<'_>, with_severity: bool) -> fmt::Result {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        if with_severity {
            write!(f, ": {}: ", self.severity)?;
        } else {
            f.write_str(": ")?;
        }
        if !self.key_path.is_empty() {
            write!(f, "{}: ", self.key_path)?;
        }
        f.write_str(&self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, true)
    }
}

struct AfterFile<'a>(&'a Diagnostic);

impl fmt::Display for AfterFile<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_after_file(f, true)
    }
}

struct WithoutSeverity<'a>(&'a Diagnostic);

impl fmt::Display for WithoutSeverity<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f, false)
    }
}

/// Collects diagnostics for one file while walking it.
#[derive(Debug)]
pub struct Report {
    pub file: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn new(file: &Path) -> Self {
        Report {
            file: file.to_path_buf(),
            diagnostics: Vec::new(),
        }
    }

    pub fn error(
        &mut self,
        key_path: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) {
        self.diagnostics.push(Diagnostic::new(
            Severity::Error,
            &self.file,
            key_path,
            position,
            message,
        ));
    }

    pub fn warning(
        &mut self,
        key_path: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) {
        self.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            &self.file,
            key_path,
            position,
            message,
        ));
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Whether an error was reported at `key_path` or under it (`cf_stacks[0]` is under
    /// `cf_stacks`): a check of the whole key would only repeat it.
    pub fn has_error_under(&self, key_path: &str) -> bool {
        self.errors().any(|d| {
            d.key_path
                .strip_prefix(key_path)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Warnings are no errors: a report of warnings alone has none, and each list holds its
    /// own kind.
    #[test]
    fn errors_and_warnings_are_told_apart() {
        let mut report = Report::new(Path::new("m.yml"));
        report.warning("a", None, "w");
        assert!(!report.has_errors());
        assert!(!report.diagnostics[0].is_error());
        report.error("b", None, "e");
        assert!(report.has_errors());
        let warnings: Vec<String> = report.warnings().map(ToString::to_string).collect();
        let errors: Vec<String> = report.errors().map(ToString::to_string).collect();
        assert_eq!(warnings, ["m.yml: warning: a: w"]);
        assert_eq!(errors, ["m.yml: error: b: e"]);
    }

    /// Inside a message that already says "error", a diagnostic keeps its place, key and
    /// message and drops only the severity word.
    #[test]
    fn without_severity_drops_only_the_word() {
        let position = Position { line: 3, column: 7 };
        let located = Diagnostic::new(
            Severity::Error,
            Path::new("m.yml"),
            "k",
            Some(position),
            "e",
        );
        assert_eq!(located.to_string(), "m.yml:3:7: error: k: e");
        assert_eq!(located.without_severity().to_string(), "m.yml:3:7: k: e");
        let whole = Diagnostic::new(Severity::Error, Path::new("m.yml"), "", None, "e");
        assert_eq!(whole.without_severity().to_string(), "m.yml: e");
    }

    /// A key or value from the manifest quoted in a diagnostic cannot break it into two lines
    /// or reach the terminal as an escape sequence.
    #[test]
    fn a_diagnostic_is_one_line_whatever_the_manifest_holds() {
        let mut report = Report::new(Path::new("m.yml"));
        report.error("launch_env.A\nB", None, "`1\u{1b}[2J` is no version\n");
        assert_eq!(
            report.diagnostics[0].to_string(),
            "m.yml: error: launch_env.A\\nB: `1\\u{1b}[2J` is no version\\n"
        );
    }
}
