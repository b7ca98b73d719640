//! Offline use: the theme's service worker (`sw.js` at the theme's top level), written to the
//! site root as `/sw.js` — a stable, unhashed name, so that its scope is the whole site. The build
//! fills in the list of files it may keep (every page and hashed asset), their size in bytes (what
//! "Save for offline use" stores; an upper bound of what it downloads) and a hash of the whole
//! build, so that a new build replaces the cache. The worker keeps what the reader opens, and the
//! whole list only when asked. `app.js` registers it over http(s) only, never from
//! `file://`, where the site works without it.

use crate::error::{Diagnostic, Result};
use crate::output::{fnv1a64, Files};
use crate::theme::Theme;

/// The theme file and the site file.
pub const SERVICE_WORKER: &str = "sw.js";
/// Replaced by a hash of every file of the build (16 hex digits).
const BUILD_MARK: &str = "__POLICYBOOK_BUILD__";
/// Replaced by the JSON list of the files to keep, relative to the site root.
const FILES_MARK: &str = "__POLICYBOOK_FILES__";
/// Replaced by the size in bytes of those files, as stored.
const BYTES_MARK: &str = "__POLICYBOOK_BYTES__";

/// Adds `sw.js` to the site, listing every file already in `files`. Call it last, once every
/// page and asset is in. A theme without `sw.js` gets no service worker.
pub fn add_service_worker(files: &mut Files, theme: &Theme) -> Result<()> {
    let Some(file) = theme.files.get(SERVICE_WORKER) else {
        return Ok(());
    };
    let text = std::str::from_utf8(&file.bytes)
        .map_err(|_| Diagnostic::new(&file.origin, "the service worker is not valid UTF-8 text"))?;
    for mark in [BUILD_MARK, FILES_MARK, BYTES_MARK] {
        if !text.contains(mark) {
            return Err(
                Diagnostic::new(&file.origin, format!("the service worker has no `{mark}`"))
                    .hint(
                        "the build writes the build hash, the list of files and their size there; copy sw.js from themes/default/",
                    )
                    .into(),
            );
        }
    }
    files.remove(SERVICE_WORKER);
    let list: Vec<&str> = files.keys().map(String::as_str).collect();
    let list = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    let bytes: usize = files.values().map(Vec::len).sum();
    let sw = text
        .replace(BUILD_MARK, &build_hash(files))
        .replace(FILES_MARK, &list)
        .replace(BYTES_MARK, &bytes.to_string());
    files.insert(SERVICE_WORKER.into(), sw.into_bytes());
    Ok(())
}

/// A hash of every path and its contents: any change to any file changes it.
pub fn build_hash(files: &Files) -> String {
    let mut summary = String::new();
    for (path, bytes) in files {
        summary.push_str(&format!("{path}\0{:016x}\n", fnv1a64(bytes)));
    }
    format!("{:016x}", fnv1a64(summary.as_bytes()))
}
