//! `policybook build`, as a pipeline: load (content and theme, checked) → render (pages and
//! assets, in memory) → offline (the service worker's list) → link check → write (into a fresh
//! folder, swapped into place). Nothing is written until every step before has succeeded, and
//! the previous output stays intact when anything fails.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::{self, Guide};
use crate::error::{Diagnostic, Error, Result};
use crate::output::Files;
use crate::render;
use crate::theme::Theme;

/// A file in every output folder, so that `build` never replaces a folder it did not make.
pub const MARKER: &str = ".policybook";
const MARKER_TEXT: &str = "This folder is built by policybook; it is replaced on every build.\n";

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The `content/` folder.
    pub content: PathBuf,
    /// The output folder, `site/` by default.
    pub out: PathBuf,
    /// The `themes/` folder; by default beside the content folder.
    pub themes: Option<PathBuf>,
}

/// The wall-clock time of each phase of a build, in order.
pub type Phases = Vec<(&'static str, Duration)>;

/// What a build produced.
#[derive(Debug)]
pub struct BuildReport {
    /// HTML pages written.
    pub pages: usize,
    /// All files written.
    pub files: usize,
    /// Warnings that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Wall-clock time of the whole build.
    pub elapsed: std::time::Duration,
    /// Wall-clock time of each phase, in order: `load`, `render`, `links`, `write`.
    pub phases: Phases,
    /// Every file written (relative path) and its size in bytes, sorted by path.
    pub written: Vec<(String, usize)>,
    /// What the build left out and why (`--verbose` prints them), e.g. no poster without base_url.
    pub notes: Vec<String>,
}

/// The guide rendered into memory, before the link check.
#[derive(Debug)]
pub struct Rendered {
    /// The guide as loaded.
    pub guide: Guide,
    /// Every page and asset: relative path → bytes.
    pub files: Files,
    /// The theme folder on disk (it may not exist: the built-in theme is used then).
    pub theme_dir: PathBuf,
    /// Time taken by `load` and `render`.
    pub phases: Phases,
}

/// Loads the guide and its theme and renders everything into memory, without checking links:
/// the first three steps of the pipeline.
pub fn render_unchecked(opts: &BuildOptions) -> Result<Rendered> {
    let start = Instant::now();
    // 1. Load: the content, checked, and the theme.
    let guide = content::load(&opts.content)?;
    let loaded = start.elapsed();
    let themes = match &opts.themes {
        Some(t) => t.clone(),
        None => opts.content.parent().unwrap_or(Path::new(".")).join("themes"),
    };
    let theme_dir = themes.join(&guide.site.theme);
    let theme = Theme::load(Some(&theme_dir))?;
    // 2. Render: every page and asset, into memory.
    let mut files = render::render(&guide, &theme, crate::clock::today())?;
    // 3. Offline: the service worker lists every file rendered; the crawlers' files come after
    // it, since nobody needs them offline.
    crate::offline::add_service_worker(&mut files, &theme)?;
    render::add_crawler_files(&mut files, guide.site.base_url.as_deref());
    Ok(Rendered {
        guide,
        files,
        theme_dir,
        phases: vec![("load", loaded), ("render", start.elapsed() - loaded)],
    })
}

/// One error per broken link target, at the Markdown file or template (and line) it was written
/// in, as `validate` reports it.
pub fn link_errors(content: &Path, theme_dir: &Path, broken: Vec<crate::links::BrokenLink>) -> Error {
    Error::Invalid(
        crate::links::group(broken)
            .into_iter()
            .map(|group| match crate::links::locate(content, theme_dir, &group.target) {
                Some(at) => Diagnostic::new(at.file, group.message())
                    .at(at.line, Some(at.column))
                    .hint(crate::links::HINT_WRITTEN),
                None => Diagnostic::new(theme_dir, group.message()).hint(crate::links::HINT_TEMPLATE),
            })
            .collect(),
    )
}

/// Loads the guide and its theme, renders everything into memory and checks every link.
pub fn render_site(opts: &BuildOptions) -> Result<(Guide, Files)> {
    let (guide, files, _) = render_checked(opts)?;
    Ok((guide, files))
}

/// [`render_site`], with the time of each phase.
fn render_checked(opts: &BuildOptions) -> Result<(Guide, Files, Phases)> {
    let mut rendered = render_unchecked(opts)?;
    // 4. Link check: every link of every page leads to a file of the build.
    let start = Instant::now();
    let broken = crate::links::check(&rendered.files, rendered.guide.site.base_url.as_deref());
    if !broken.is_empty() {
        return Err(link_errors(&rendered.guide.root, &rendered.theme_dir, broken));
    }
    rendered.phases.push(("links", start.elapsed()));
    Ok((rendered.guide, rendered.files, rendered.phases))
}

/// Builds the site into `opts.out`: load → render → offline → link check → write.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    recover(&opts.out)?;
    let (guide, mut files, mut phases) = render_checked(opts)?;
    // 5. Write, only once everything above has succeeded.
    files.insert(MARKER.to_string(), MARKER_TEXT.as_bytes().to_vec());
    let writing = Instant::now();
    write_atomically(&opts.out, &files)?;
    phases.push(("write", writing.elapsed()));
    Ok(BuildReport {
        pages: files.keys().filter(|k| k.ends_with(".html")).count(),
        files: files.len(),
        warnings: crate::lint::glossary(&guide),
        elapsed: start.elapsed(),
        phases,
        written: files.iter().map(|(k, v)| (k.clone(), v.len())).collect(),
        notes: render::poster::missing_reason(&guide.site)
            .into_iter()
            .map(String::from)
            .collect(),
    })
}

/// Writes `files` into a new folder beside `out`, flushes it to disk, then swaps it into place.
///
/// Crash safety: the previous output is moved aside as `.NAME.old-PID` only after the new tree is
/// complete and synced, and put back if the new one cannot be moved in. A build killed between
/// the two renames leaves that folder, with its marker file; the next build puts it back before
/// anything else ([`recover`]), so the output is never lost. Temporary folders of earlier
/// interrupted builds are removed.
pub fn write_atomically(out: &Path, files: &Files) -> Result<()> {
    let (parent, name) = split_out(out)?;
    recover(out)?;
    if out.exists() {
        if !out.is_dir() {
            return Err(Diagnostic::new(out, "the output path exists and is not a folder")
                .hint("choose another --out, or remove the file")
                .into());
        }
        let empty = std::fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty && !out.join(MARKER).is_file() {
            return Err(
                Diagnostic::new(out, "refusing to replace a folder that policybook did not build")
                    .hint("choose another --out, or empty the folder first")
                    .into(),
            );
        }
    }
    std::fs::create_dir_all(&parent).map_err(|e| {
        Error::io_hint(
            &parent,
            "create the output's parent folder",
            e,
            "choose an --out inside a folder that exists and that you can write to",
        )
    })?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.new-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = write_tree(&tmp, files).and_then(|()| swap(&tmp, out, &old));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    sync_dir(&parent);
    result
}

/// The output's parent folder and its name.
fn split_out(out: &Path) -> Result<(PathBuf, String)> {
    let name = out
        .file_name()
        .ok_or_else(|| {
            Error::from(
                Diagnostic::new(out, "the output path has no folder name")
                    .hint("pass --out with a folder name, e.g. --out site"),
            )
        })?
        .to_string_lossy()
        .into_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Cleans up after builds that were interrupted: when the output is missing but a previous output
/// moved aside (`.NAME.old-PID`, with the marker file) exists, puts it back; then removes the
/// temporary folders of builds that are no longer running. Runs before every build, also one
/// that then fails, so that a failed build leaves the previous output in place.
pub fn recover(out: &Path) -> Result<()> {
    let (parent, name) = split_out(out)?;
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return Ok(());
    };
    let mut stale: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let (is_old, pid) = match (rest.strip_prefix("old-"), rest.strip_prefix("new-")) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid == std::process::id() || is_running(pid) {
            continue;
        }
        let path = entry.path();
        if path.join(MARKER).is_file() || !is_old {
            stale.push((path, is_old));
        }
    }
    stale.sort();
    for (path, is_old) in stale {
        if is_old && !out.exists() {
            std::fs::rename(&path, out).map_err(|e| {
                Error::io_hint(
                    out,
                    "put back the previous output left by an interrupted build",
                    e,
                    format!("rename {} to {} by hand", path.display(), out.display()),
                )
            })?;
            sync_dir(&parent);
        } else {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
    Ok(())
}

/// Whether a process with this id is running, where the system can tell (`/proc`); elsewhere a
/// temporary folder of another build is assumed abandoned.
fn is_running(pid: u32) -> bool {
    Path::new("/proc/self").exists() && Path::new(&format!("/proc/{pid}")).exists()
}

/// Flushes a folder's entries to disk (on systems where a folder can be opened; elsewhere the
/// files' own flush is what there is).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn write_tree(dir: &Path, files: &Files) -> Result<()> {
    use std::io::Write;
    let hint = "check that the output's folder exists and is writable, and that the disk is not full";
    std::fs::create_dir_all(dir).map_err(|e| Error::io_hint(dir, "create the output folder", e, hint))?;
    let mut folders = std::collections::BTreeSet::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io_hint(p, "create a folder", e, hint))?;
            folders.insert(p.to_path_buf());
        }
        let mut file = std::fs::File::create(&path).map_err(|e| Error::io_hint(&path, "write the file", e, hint))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io_hint(&path, "write the file", e, hint))?;
    }
    for folder in folders.iter().rev() {
        sync_dir(folder);
    }
    sync_dir(dir);
    Ok(())
}

fn swap(new: &Path, out: &Path, old: &Path) -> Result<()> {
    if out.exists() {
        std::fs::rename(out, old).map_err(|e| {
            Error::io_hint(
                out,
                "move the previous output aside",
                e,
                "close programs that use the folder and build again",
            )
        })?;
        if let Err(e) = std::fs::rename(new, out) {
            // Put the previous output back: nothing is lost.
            let _ = std::fs::rename(old, out);
            return Err(Error::io(out, "move the new output into place", e));
        }
        let _ = std::fs::remove_dir_all(old);
    } else {
        std::fs::rename(new, out).map_err(|e| Error::io(out, "move the new output into place", e))?;
    }
    Ok(())
}
