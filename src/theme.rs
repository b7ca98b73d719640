//! The theme: tera templates, static files and interface strings. The default theme in
//! `themes/default/` is embedded in the binary; a folder `themes/<name>/` beside `content/`
//! overrides it file by file, so a trainer with only the release binary can still restyle it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::Lang;

/// One embedded file: its path inside the theme and its bytes.
type Embedded = (&'static str, &'static [u8]);

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)))),*]
    };
}

/// The built-in theme, file by file. `tests/theme.rs` checks that this list matches the folder.
pub const DEFAULT_THEME: &[Embedded] = embed![
    "strings.yaml",
    "templates/base.html",
    "templates/home.html",
    "templates/question.html",
    "templates/page.html",
    "templates/glossary.html",
    "templates/print.html",
    "templates/check.html",
    "templates/changes.html",
    "templates/line-note.html",
    "templates/line-status.html",
    "templates/tool.html",
    "templates/elimination.html",
    "templates/deadlines.html",
    "templates/redact.html",
    "templates/screen.html",
    "templates/poster.html",
    "templates/fields.html",
    "templates/nav.html",
    "static/style.css",
    "static/print.css",
    "static/app.js",
    "static/form.js",
    "sw.js",
];

/// A theme file and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// The file's contents.
    pub bytes: Vec<u8>,
    /// Where it came from: a path on disk, or `(built-in)/…`.
    pub origin: PathBuf,
}

/// The theme in use: built-in files overridden by those on disk.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Every file by its path inside the theme (`templates/base.html`, `static/style.css`, …).
    pub files: BTreeMap<String, ThemeFile>,
}

/// Interface strings: key → text per language.
pub type Strings = BTreeMap<String, crate::config::Bilingual>;

impl Theme {
    /// The built-in theme, overridden by `dir` when that folder exists.
    pub fn load(dir: Option<&Path>) -> Result<Theme> {
        let mut files = BTreeMap::new();
        for (path, bytes) in DEFAULT_THEME {
            files.insert(
                (*path).to_string(),
                ThemeFile {
                    bytes: bytes.to_vec(),
                    origin: Path::new("(built-in theme)").join(path),
                },
            );
        }
        if let Some(dir) = dir.filter(|d| d.is_dir()) {
            for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.map_err(|e| {
                    Error::from(Diagnostic::new(
                        e.path().unwrap_or(dir),
                        format!("cannot read the theme: {e}"),
                    ))
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if key.split('/').any(|part| part.starts_with('.')) {
                    continue;
                }
                let bytes =
                    std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), "read the theme file", e))?;
                files.insert(
                    key,
                    ThemeFile {
                        bytes,
                        origin: entry.path().to_path_buf(),
                    },
                );
            }
        }
        Ok(Theme { files })
    }

    /// The templates: name (path under `templates/`) → (source, origin).
    pub fn templates(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("templates/").map(|name| (name, v)))
    }

    /// The static files: path under `static/` → file.
    pub fn statics(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("static/").map(|name| (name, v)))
    }

    /// The interface strings, checked to exist in both languages.
    pub fn strings(&self) -> Result<Strings> {
        let file = self.files.get("strings.yaml").ok_or_else(|| {
            Error::from(
                Diagnostic::new("strings.yaml", "the theme has no strings.yaml")
                    .hint("copy strings.yaml from themes/default/"),
            )
        })?;
        let text = std::str::from_utf8(&file.bytes)
            .map_err(|_| Error::from(Diagnostic::new(&file.origin, "the file is not valid UTF-8 text")))?;
        Ok(crate::source::parse_yaml(&file.origin, text, 0)?)
    }
}

/// The strings for one language, for a template's `t` variable.
pub fn strings_for(strings: &Strings, lang: Lang) -> BTreeMap<&str, &str> {
    strings.iter().map(|(k, v)| (k.as_str(), v.get(lang))).collect()
}
