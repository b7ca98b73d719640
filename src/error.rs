//! The build tool's error type: every failure names the file (and line where there is one),
//! says what is wrong and what to do about it.

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in.
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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content or theme has one or more problems; nothing was written.
    #[error("{}", list(.0))]
    Invalid(Vec<Diagnostic>),
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
    if diags.len() > 1 {
        out.push_str(&format!(
            "\n{} problems found; nothing was written.",
            group_digits(diags.len())
        ));
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

    /// The diagnostics, when this error is about invalid input.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(d) => d,
            Error::Io { .. } => &[],
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
}
