//! The build tool's errors: one diagnostic type ([`Diagnostic`]: file, line, column, message,
//! hint) for every problem — the build's, `validate`'s findings and `serve`'s status wrap it —
//! and one error type ([`Error`]) that every command returns. The command line formats an error
//! and picks its exit status in one place ([`Error::exit_code`], [`Error::report`]).

use std::fmt;
use std::path::{Path, PathBuf};

/// The longest message or hint kept, in characters: a message may quote a value, and a value can
/// be a whole file (a 10 MB line, or `/etc/passwd` saved as `site.yaml`); it is never echoed whole.
pub const MAX_MESSAGE_CHARS: usize = 400;
/// The most problems listed in one report; the rest are counted ("… and 1,099,950 more").
pub const MAX_LISTED: usize = 50;

/// `text` cut to [`MAX_MESSAGE_CHARS`] characters, saying how much was left out.
pub fn clip(text: &str) -> String {
    clip_to(text, MAX_MESSAGE_CHARS)
}

/// `text` cut to `max` characters, saying how much was left out.
pub fn clip_to(text: &str, max: usize) -> String {
    policybook_engine::rules::clip(text, max)
}

/// `1099950` → `1,099,950`, for counts in messages.
pub fn group_digits(n: usize) -> String {
    policybook_engine::rules::group_digits(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The line that ends a list cut at [`MAX_LISTED`]: `… and 1,099,950 more problems`.
pub fn and_more(total: usize, what: &str) -> Option<String> {
    (total > MAX_LISTED).then(|| format!("… and {} more {what}", group_digits(total - MAX_LISTED)))
}

/// One problem found in the input, pointing at a file and, where known, a line and column.
/// Serialised (for `validate --format json` and `serve`'s status) as
/// `{"file", "line", "column", "message", "hint"}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file the problem is in (or what was read: `standard input`, `--today 2024-13-01`).
    #[serde(rename = "file", serialize_with = "display_path")]
    pub path: PathBuf,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    /// 1-based column in that line, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            message: clip(&message.into()),
            hint: None,
        }
    }

    /// Points the problem at a line (and column) of its file.
    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Adds what the user should do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(clip(&hint.into()));
        self
    }

    /// `path:line:column`, as far as it is known.
    pub fn location(&self) -> String {
        let mut s = self.path.display().to_string();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s
    }
}

fn display_path<S: serde::Serializer>(path: &Path, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(&path.display())
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Everything that can stop a build or a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content or theme has one or more problems; nothing was written. Exit status 1.
    #[error("{}", list(.0))]
    Invalid(Vec<Diagnostic>),
    /// A command's own input (a case file, the policy data it was pointed at, an option) has
    /// one or more problems. Exit status 2.
    #[error("{}", list_input(.0))]
    BadInput(Vec<Diagnostic>),
    /// A command could not do its work for a reason that is not in a file (a port in use).
    /// Exit status 1.
    #[error("{message}{}", hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
    Failed {
        /// What went wrong.
        message: String,
        /// What the user can do.
        hint: Option<String>,
    },
    /// An error with a sentence after it on what became of the output.
    #[error("{error}\n{note}")]
    Noted {
        /// The error.
        error: Box<Error>,
        /// E.g. "The previous output in site was left as it was."
        note: String,
    },
    /// A file or folder could not be read or written.
    #[error("{}: cannot {action}: {source}{}", path.display(), hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What we were doing, e.g. "read the file".
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
        /// What the user can do.
        hint: Option<String>,
    },
}

fn list(diags: &[Diagnostic]) -> String {
    let mut out = list_input(diags);
    if diags.len() > 1 {
        out.push_str(&format!(
            "\n{} problems found; nothing was written.",
            group_digits(diags.len())
        ));
    }
    out
}

/// `error: …` per problem, at most [`MAX_LISTED`] of them.
fn list_input(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diags.iter().take(MAX_LISTED).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("error: ");
        out.push_str(&d.to_string());
    }
    if let Some(more) = and_more(diags.len(), "problems") {
        out.push('\n');
        out.push_str(&more);
    }
    out
}

impl Error {
    /// An I/O error with the path and what we were doing.
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
            hint: None,
        }
    }

    /// An I/O error with a hint for the user.
    pub fn io_hint(path: &Path, action: &'static str, source: std::io::Error, hint: impl Into<String>) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
            hint: Some(hint.into()),
        }
    }

    /// A failure outside any file, with what to do about it.
    pub fn failed(message: impl Into<String>, hint: Option<&str>) -> Self {
        Error::Failed {
            message: message.into(),
            hint: hint.map(str::to_string),
        }
    }

    /// A command's bad input: one problem.
    pub fn bad_input(d: Diagnostic) -> Self {
        Error::BadInput(vec![d])
    }

    /// The same error followed by `note`.
    pub fn noted(self, note: impl Into<String>) -> Self {
        Error::Noted {
            error: Box::new(self),
            note: note.into(),
        }
    }

    /// The diagnostics, when this error is about invalid input.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(d) | Error::BadInput(d) => d,
            Error::Noted { error, .. } => error.diagnostics(),
            Error::Io { .. } | Error::Failed { .. } => &[],
        }
    }

    /// Every problem as a diagnostic (an I/O error as one at its path), at most [`MAX_LISTED`].
    pub fn problems(&self) -> Vec<Diagnostic> {
        match self {
            Error::Io { path, .. } => vec![Diagnostic {
                path: path.clone(),
                line: None,
                column: None,
                message: self.to_string(),
                hint: None,
            }],
            Error::Noted { error, .. } => error.problems(),
            Error::Failed { message, hint } => vec![Diagnostic {
                path: PathBuf::new(),
                line: None,
                column: None,
                message: message.clone(),
                hint: hint.clone(),
            }],
            _ => self.diagnostics().iter().take(MAX_LISTED).cloned().collect(),
        }
    }

    /// The process's exit status for this error: 2 for a command's bad input, 1 for the rest.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::BadInput(_) => 2,
            Error::Noted { error, .. } => error.exit_code(),
            Error::Invalid(_) | Error::Io { .. } | Error::Failed { .. } => 1,
        }
    }

    /// The error as printed on standard error: every line that starts a problem says `error: `.
    pub fn report(&self) -> String {
        let text = self.to_string();
        if text.starts_with("error: ") {
            text
        } else {
            format!("error: {text}")
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Invalid(vec![d])
    }
}

/// The build tool's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_and_lists_are_cut() {
        assert_eq!(clip_to("abcdef", 3), "abc… (3 more characters not shown)");
        assert_eq!(clip_to("abc", 3), "abc");
        let long = "x".repeat(20_000);
        assert!(Diagnostic::new("f", long).message.chars().count() < MAX_MESSAGE_CHARS + 50);
        let many: Vec<Diagnostic> = (0..1_100_000).map(|i| Diagnostic::new("f", format!("p{i}"))).collect();
        let text = Error::Invalid(many).to_string();
        assert_eq!(text.lines().count(), MAX_LISTED + 2, "{}", &text[text.len() - 200..]);
        assert!(text.contains("… and 1,099,950 more problems"));
        assert!(text.ends_with("1,100,000 problems found; nothing was written."));
    }

    #[test]
    fn one_error_path_picks_the_exit_status_and_the_words() {
        let d = Diagnostic::new("case.yaml", "members: is missing")
            .at(3, Some(1))
            .hint("add it");
        let bad = Error::bad_input(d.clone());
        assert_eq!(bad.exit_code(), 2);
        assert_eq!(
            bad.report(),
            "error: case.yaml:3:1: members: is missing\n  hint: add it"
        );
        let built = Error::Invalid(vec![d.clone(), d.clone()]).noted("The previous output in site was left as it was.");
        assert_eq!(built.exit_code(), 1);
        assert!(built
            .report()
            .ends_with("nothing was written.\nThe previous output in site was left as it was."));
        assert_eq!(built.problems(), vec![d.clone(), d.clone()]);
        let failed = Error::failed("cannot listen on 127.0.0.1:80: denied", Some("pass --port"));
        assert_eq!(failed.exit_code(), 1);
        assert_eq!(
            failed.report(),
            "error: cannot listen on 127.0.0.1:80: denied\n  hint: pass --port"
        );
        let json = serde_json::to_value(&d).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"file": "case.yaml", "line": 3, "column": 1, "message": "members: is missing", "hint": "add it"})
        );
    }
}
