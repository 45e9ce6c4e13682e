//! What `bpkit verify` found in a zip: the [`Report`] of [`Finding`]s, as lines or as the
//! `--json` document.

use std::path::PathBuf;

use serde_json::json;

use crate::manifest::Severity;

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
}

/// Everything found in one zip.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub zip: PathBuf,
    pub entries: usize,
    /// Dependencies whose file was found and hashed.
    pub dependencies_checked: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    pub(super) fn error(&mut self, message: impl Into<String>) {
        self.findings.push(Finding {
            severity: Severity::Error,
            message: message.into(),
        });
    }

    pub(super) fn warning(&mut self, message: impl Into<String>) {
        self.findings.push(Finding {
            severity: Severity::Warning,
            message: message.into(),
        });
    }

    /// One line per finding: `ZIP: error: message`, the zip's path byte for byte (a lossy one
    /// names no file when it is not UTF-8).
    pub fn lines(&self) -> Vec<u8> {
        use std::os::unix::ffi::OsStrExt;
        let mut out = Vec::new();
        for f in &self.findings {
            let word = if f.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            // Names in messages come from the zip: a line break in one would forge a finding
            // of its own, an escape sequence would rewrite the terminal. Both are escaped.
            let message = crate::output::escape_controls(&f.message);
            out.extend_from_slice(self.zip.as_os_str().as_bytes());
            out.extend_from_slice(format!(": {word}: {message}\n").as_bytes());
        }
        out
    }

    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "zip": self.zip.display().to_string(),
            "valid": self.errors() == 0,
            "entries": self.entries,
            "dependencies_checked": self.dependencies_checked,
            "errors": self.errors(),
            "warnings": self.warnings(),
            "findings": self.findings.iter().map(|f| json!({
                "severity": if f.severity == Severity::Error { "error" } else { "warning" },
                "message": f.message,
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let mut report = Report {
            zip: PathBuf::from("bp.zip"),
            entries: 7,
            dependencies_checked: 2,
            findings: Vec::new(),
        };
        report.warning("w1");
        report.error("e1\nbp.zip: error: forged");
        report.warning("w2");
        report
    }

    #[test]
    fn errors_and_warnings_are_counted_apart() {
        let report = report();
        assert_eq!((report.errors(), report.warnings()), (1, 2));
        let empty = Report::default();
        assert_eq!((empty.errors(), empty.warnings()), (0, 0));
    }

    /// A line break in a message from the zip is escaped, so it cannot forge a line.
    #[test]
    fn each_finding_is_one_line_naming_the_zip() {
        assert_eq!(
            String::from_utf8(report().lines()).unwrap(),
            "bp.zip: warning: w1\nbp.zip: error: e1\\nbp.zip: error: forged\nbp.zip: warning: w2\n"
        );
    }

    #[test]
    fn the_json_document_says_valid_only_without_errors() {
        let report = report();
        assert_eq!(
            report.to_json(),
            json!({
                "zip": "bp.zip",
                "valid": false,
                "entries": 7,
                "dependencies_checked": 2,
                "errors": 1,
                "warnings": 2,
                "findings": [
                    {"severity": "warning", "message": "w1"},
                    {"severity": "error", "message": "e1\nbp.zip: error: forged"},
                    {"severity": "warning", "message": "w2"},
                ],
            })
        );
        let mut warned = Report::default();
        warned.warning("w");
        assert_eq!(warned.to_json()["valid"], true);
    }
}
