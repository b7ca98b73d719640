//! Reading the files of `content/` and the theme, and pointing into them: a file is read once,
//! as UTF-8 text with Unix line endings, within a size limit and never through a link, then
//! parsed strictly; a problem is located by searching the text already read, never by reading
//! the file again. The bottom layer of the build tool: it imports nothing of the crate but the
//! diagnostic type.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::Diagnostic;

/// Largest content file accepted; the whole guide is about 60 KB.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// A file that has been read: its path (for messages) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file.
    pub path: PathBuf,
    /// Its text, as [`read_text`] returns it.
    pub text: String,
}

impl SourceFile {
    /// The 1-based line of the first line starting with `prefix` (leading spaces ignored), or
    /// line 1 when there is none: where a problem with that field is reported.
    pub fn line_of(&self, prefix: &str) -> usize {
        line_in(&self.text, prefix).unwrap_or(1)
    }

    /// A problem with this file at the line of the field `prefix` (see [`SourceFile::line_of`]).
    pub fn at(&self, prefix: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.path, message).at(self.line_of(prefix), None)
    }
}

/// What a file that is not a regular file is, for messages: `a folder`, `a named pipe (FIFO)`, …
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// The error for a content path that is not a regular file.
pub fn not_a_file(path: &Path, file_type: std::fs::FileType) -> Diagnostic {
    let kind = kind_of(file_type);
    if file_type.is_symlink() {
        Diagnostic::new(path, "this is a symbolic link; content files must be regular files").hint(
            "replace the link with a copy of the file it points to (links are refused so that the content never reads a file outside content/)",
        )
    } else {
        Diagnostic::new(path, format!("this is {kind}, not a regular file"))
            .hint("content files must be ordinary text files; remove this or replace it with the file")
    }
}

/// Reads a file of `content/`: a regular file, never a symbolic link, as [`read_text`].
pub fn read_content(path: &Path) -> std::result::Result<String, Diagnostic> {
    let meta =
        std::fs::symlink_metadata(path).map_err(|e| Diagnostic::new(path, format!("cannot read the file: {e}")))?;
    if !meta.is_file() {
        return Err(not_a_file(path, meta.file_type()));
    }
    read_text(path)
}

/// Reads a text file as UTF-8 text with Unix line endings; anything but a regular file (a FIFO
/// would block, a device never end) is refused.
pub fn read_text(path: &Path) -> std::result::Result<String, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| Diagnostic::new(path, format!("cannot read the file: {e}")))?;
    if !meta.is_file() {
        return Err(not_a_file(path, meta.file_type()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            path,
            format!(
                "the file is {} ({} bytes); content files may be at most {} MB",
                human_size(meta.len()),
                meta.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .hint("check that the right file was saved here (the whole guide is about 60 KB); split a text that is really this long"));
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::new(path, format!("cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::new(path, "the file is not valid UTF-8 text")
            .at(line, None)
            .hint("save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err(Diagnostic::new(path, "the file is empty").hint(
            "an editor or a copy may have cut it short: restore the file from the previous version of the content, or delete it if it should not be there",
        ));
    }
    Ok(text.replace("\r\n", "\n"))
}

/// `10485760` → `10.0 MB`, for messages.
fn human_size(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 0.1 {
        format!("{mb:.1} MB")
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// Parses a YAML document into `T`, reporting errors at `path`, shifted by `line_offset` lines.
pub fn parse_yaml<T: DeserializeOwned>(
    path: &Path,
    yaml: &str,
    line_offset: usize,
) -> std::result::Result<T, Diagnostic> {
    crate::yaml::from_str(yaml).map_err(|e| yaml_diagnostic(path, &e, line_offset))
}

/// Parses a YAML document into a JSON value (numbers decimal, no key twice), reporting errors at
/// `path`.
pub fn parse_yaml_value(path: &Path, yaml: &str) -> std::result::Result<serde_json::Value, Diagnostic> {
    crate::yaml::to_value(yaml).map_err(|e| yaml_diagnostic(path, &e, 0))
}

fn yaml_diagnostic(path: &Path, e: &crate::yaml::YamlError, line_offset: usize) -> Diagnostic {
    let msg = &e.message;
    let hint = if msg.contains("unknown field") {
        "remove the field or correct its spelling; the fields allowed here are listed above"
    } else if msg.contains("missing field") {
        "add the field (in a content file: to its front matter), or check its spelling and its indentation"
    } else if msg.contains("invalid type") {
        "check the value's type: numbers without quotes, lists in [brackets]"
    } else if msg.contains("nested more than") {
        "write the value with less nesting; no file of the guide needs more than two levels"
    } else if msg.contains("number") || msg.contains("written twice") {
        "correct the value as the message says"
    } else {
        "check the YAML syntax: `key: value` pairs, one per line, values with `: ` or `#` in quotes"
    };
    let d = Diagnostic::new(path, msg.as_str()).hint(hint);
    match e.line {
        Some(line) => d.at(line + line_offset, e.column),
        None => d,
    }
}

/// Splits `---\nYAML\n---\nbody` into the YAML, the body and the body's first line number.
pub fn split_front_matter<'a>(path: &Path, text: &'a str) -> std::result::Result<(&'a str, &'a str), Diagnostic> {
    let rest = text.strip_prefix("---\n").ok_or_else(|| {
        Diagnostic::new(path, "the file does not start with front matter")
            .at(1, None)
            .hint("begin the file with a line `---`, the fields (e.g. `title: …`), and another line `---`")
    })?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(path, "the front matter is not closed")
        .at(1, None)
        .hint("add a line `---` after the last front-matter field"))
}

/// The 1-based line of the first line of `text` starting with `prefix` (leading spaces ignored).
pub fn line_in(text: &str, prefix: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .map(|i| i + 1)
}

/// The line of a field such as `monitoring_lines[1].effective` or `rural_average.yuan`.
pub fn locate(text: &str, field: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let (section, rest) = field.split_once(['.', '[']).unwrap_or((field, ""));
    let mut start = lines.iter().position(|l| l.starts_with(&format!("{section}:")))?;
    let mut key = rest;
    if let Some((index, after)) = rest.split_once(']') {
        // `monitoring_lines[1].effective`: the second `- ` item of the section, then its field.
        let index: usize = index.parse().ok()?;
        let mut items = lines
            .iter()
            .enumerate()
            .skip(start + 1)
            .take_while(|(_, l)| l.starts_with(' ') || l.starts_with('#') || l.trim().is_empty())
            .filter(|(_, l)| l.trim_start().starts_with("- "));
        start = items.nth(index)?.0;
        key = after.trim_start_matches('.');
        if key.is_empty() {
            return Some(start + 1);
        }
    }
    if key.is_empty() {
        return Some(start + 1);
    }
    // `village_publicity.amount`: each part of the path after the one before it.
    for part in key.split('.') {
        match lines
            .iter()
            .enumerate()
            .skip(start)
            .find(|(_, l)| l.trim_start().trim_start_matches("- ").starts_with(&format!("{part}:")))
        {
            Some((i, _)) => start = i,
            None => break,
        }
    }
    Some(start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_fields() {
        let text = "monitoring_lines:\n  - year: 2023\n    yuan: 6000\n  - year: 2024\n    yuan: -1\nrural_average:\n  year: 2020\n  yuan: 0\n";
        assert_eq!(locate(text, "monitoring_lines[1].yuan"), Some(5));
        assert_eq!(locate(text, "monitoring_lines[0]"), Some(2));
        assert_eq!(locate(text, "rural_average.yuan"), Some(8));
        let limits = "time_limits:\n  home_verification:\n    amount: 3\n  village_publicity:\n    amount: 5\n";
        assert_eq!(locate(limits, "time_limits.village_publicity.amount"), Some(5));
        assert_eq!(line_in("a: 1\n  b: 2\n", "b:"), Some(2));
    }
}
