//! `policybook build`, as a pipeline: load (content and theme, checked) → render (pages and
//! assets, in memory) → offline (the service worker's list) → link check → write. Nothing is
//! written until every step before has succeeded, so the previous output stays intact when
//! anything fails; then the output is updated in place: only files whose bytes changed are
//! written (each replaced whole), and stale ones are removed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::{self, Guide};
use crate::error::{Diagnostic, Error, Result};
use crate::output::Files;
use crate::render;
use crate::theme::Theme;

/// A file in every output folder, so that `build` never replaces a folder it did not make.
pub const MARKER: &str = ".policybook";
const MARKER_TEXT: &str = "This folder is built by policybook; every build rewrites it to match the content.\n";

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
    /// How many files were written, left alone and removed.
    pub stats: WriteStats,
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
    let stats = write_in_place(&opts.out, &files)?;
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
        stats,
    })
}

/// What [`write_in_place`] did to the output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written because they were new or their bytes changed.
    pub written: usize,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Files (and emptied folders) removed because the build no longer has them.
    pub removed: usize,
}

/// Updates `out` to hold exactly `files` (plus the marker file), in place: a file whose bytes
/// are already right is not touched; a new or changed one is written beside its place and
/// renamed over it, so that each file is replaced whole; files of an earlier build that this one
/// no longer has are removed. Called only once the whole site has rendered and passed the link
/// check, so a failed build writes nothing.
///
/// `out` must be missing, empty, or marked as built by policybook: a folder it did not build is
/// refused. The marker is written first, so that a folder left by an interrupted first build is
/// still known as ours; an interrupted build leaves some files new and some old (and perhaps a
/// temporary file), and the next build, comparing every file, repairs the tree. Leftovers of the
/// earlier design (a whole new tree swapped in, the old one moved aside) are cleaned up by
/// [`recover`].
pub fn write_in_place(out: &Path, files: &Files) -> Result<WriteStats> {
    recover(out)?;
    let hint = "check that the output's folder exists and is writable, and that the disk is not full";
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
    } else {
        let (parent, _) = split_out(out)?;
        std::fs::create_dir_all(&parent).map_err(|e| {
            Error::io_hint(
                &parent,
                "create the output's parent folder",
                e,
                "choose an --out inside a folder that exists and that you can write to",
            )
        })?;
        std::fs::create_dir(out).map_err(|e| Error::io_hint(out, "create the output folder", e, hint))?;
    }
    let mut stats = WriteStats::default();
    let marker = files.get(MARKER).map_or(MARKER_TEXT.as_bytes(), Vec::as_slice);
    update_file(out, MARKER, marker, &mut stats)?;
    for (rel, bytes) in files.iter().filter(|(rel, _)| rel.as_str() != MARKER) {
        update_file(out, rel, bytes, &mut stats)?;
    }
    remove_stale(out, files, &mut stats)?;
    Ok(stats)
}

/// Makes `out/rel` hold `bytes`, leaving it alone when it already does.
fn update_file(out: &Path, rel: &str, bytes: &[u8], stats: &mut WriteStats) -> Result<()> {
    let hint = "check that the output's folder is writable and that the disk is not full, then build again";
    let path = out.join(rel);
    match std::fs::symlink_metadata(&path) {
        Ok(meta)
            if meta.is_file()
                && meta.len() == bytes.len() as u64
                && std::fs::read(&path).is_ok_and(|old| old == bytes) =>
        {
            stats.unchanged += 1;
            return Ok(());
        }
        // A folder (or a link) where the file belongs, from an earlier build: it goes.
        Ok(meta) if meta.is_dir() => {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io_hint(&path, "remove an old folder", e, hint))?;
        }
        _ => {}
    }
    if let Some(parent) = path.parent() {
        make_folder(out, parent).map_err(|e| Error::io_hint(parent, "create a folder", e, hint))?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{TEMP_MARK}{}", std::process::id()));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io_hint(&path, "write the file", e, hint));
    }
    stats.written += 1;
    Ok(())
}

/// The middle of a temporary file's name (`.index.html.policybook-tmp-PID`).
const TEMP_MARK: &str = "policybook-tmp-";

/// Creates `dir` inside `out` and every folder above it, replacing a file of an earlier build
/// that stands where a folder now belongs.
fn make_folder(out: &Path, dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut at = out.to_path_buf();
    for part in dir.strip_prefix(out).unwrap_or(dir).components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => std::fs::remove_file(&at)?,
            Err(_) => {}
        }
        std::fs::create_dir(&at)?;
    }
    Ok(())
}

/// Removes what `out` holds beyond `files` and the marker: pages and assets of an earlier build,
/// temporary files of an interrupted one, and the folders this leaves empty.
fn remove_stale(out: &Path, files: &Files, stats: &mut WriteStats) -> Result<()> {
    let hint = "close programs that use files in the output folder and build again";
    let walk = walkdir::WalkDir::new(out).min_depth(1).contents_first(true);
    for entry in walk.into_iter().filter_map(|e| e.ok()) {
        let path = entry.path();
        let rel: Vec<String> = path
            .strip_prefix(out)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        if entry.file_type().is_dir() {
            if std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none()) {
                std::fs::remove_dir(path).map_err(|e| Error::io_hint(path, "remove an empty folder", e, hint))?;
                stats.removed += 1;
            }
        } else if rel != MARKER && !files.contains_key(&rel) {
            std::fs::remove_file(path)
                .map_err(|e| Error::io_hint(path, "remove a file of an earlier build", e, hint))?;
            stats.removed += 1;
        }
    }
    Ok(())
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

/// Cleans up after builds of the earlier design (a new tree written beside the output and swapped
/// in) that were interrupted: when the output is missing but a previous output moved aside
/// (`.NAME.old-PID`, with the marker file) exists, puts it back; then removes the temporary
/// folders of builds that are no longer running. Runs before every build, also one
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
