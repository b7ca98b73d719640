//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("policybook-test-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// A temporary folder holding a copy of the repository's `content/` as `content/`.
pub fn content_copy(tag: &str) -> TempDir {
    let dir = TempDir::new(tag);
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    dir
}

/// Rewrites a file of a copied tree; `change` gets the text and returns the new text.
pub fn edit(path: &Path, change: impl FnOnce(&str) -> String) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::fs::write(path, change(&text)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Replaces `old` by `new` in a file of a copied tree, after checking that `old` is there (so a
/// test fails when the content it edits has changed, rather than testing nothing).
pub fn replace_in(path: &Path, old: &str, new: &str) {
    edit(path, |text| {
        assert!(
            text.contains(old),
            "{}: {old:?} is no longer in the file",
            path.display()
        );
        text.replace(old, new)
    });
}

/// Every file below `dir`: relative path (with `/`) → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("prefix");
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(key, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

/// Builds `content` (with themes from `themes`, if given) into `out` through the library.
pub fn build(content: &Path, out: &Path) -> policybook::Result<policybook::site::BuildReport> {
    policybook::site::build(&policybook::site::BuildOptions {
        content: content.to_path_buf(),
        out: out.to_path_buf(),
        themes: None,
    })
}

/// Builds `content` (a path from the repository root) into a temporary folder and reads the
/// output: relative path → bytes.
pub fn built_files(content: &str) -> BTreeMap<String, Vec<u8>> {
    let dir = TempDir::new("built");
    let out = dir.path().join("site");
    build(&repo().join(content), &out).unwrap_or_else(|e| panic!("{content} builds: {e}"));
    read_tree(&out)
}

/// Minified HTML with a line break before each tag, for readable snapshots and diffs.
///
/// Content hashes in asset names (`engine.1a2b3c4d.js`) become `[hash]`: they change with every
/// byte of the engine or stylesheet (another rustc gives other wasm bytes), which the snapshot of
/// a page is not about; `tests/site.rs` checks separately that every referenced asset exists.
pub fn pretty(html: &[u8]) -> String {
    unhash(&String::from_utf8_lossy(html)).replace("><", ">\n<")
}

/// Replaces each `.XXXXXXXX.` of eight lower-case hex digits followed by an extension with `.[hash].`.
fn unhash(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i + 10 <= bytes.len() {
        let is_hash = bytes[i] == b'.'
            && bytes[i + 9] == b'.'
            && bytes[i + 1..i + 9]
                .iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            && bytes.get(i + 10).is_some_and(|b| b.is_ascii_alphabetic());
        if is_hash {
            out.push_str(&text[last..i]);
            out.push_str(".[hash].");
            i += 10;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The fixture folders under `dir` (relative to the repository), sorted: one case each.
pub fn fixture_cases(dir: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(repo().join(dir))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Lays out the mini site (`tests/fixtures/mini/`) under `root` with `case`'s `content/` and
/// `themes/` files laid over it and the paths in its `DELETE` file removed; returns the
/// content folder.
pub fn prepare_fixture(case: &Path, root: &Path) -> PathBuf {
    let content = root.join("content");
    copy_tree(&repo().join("tests/fixtures/mini/content"), &content);
    for sub in ["content", "themes"] {
        if case.join(sub).is_dir() {
            copy_tree(&case.join(sub), &root.join(sub));
        }
    }
    if let Ok(list) = std::fs::read_to_string(case.join("DELETE")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            std::fs::remove_file(content.join(rel.trim())).expect("file listed in DELETE exists");
        }
    }
    content
}

/// Asserts that `text` contains every one of `parts`; the message shows the whole text.
#[track_caller]
pub fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} not found in:\n{text}");
    }
}

/// Runs `check` on every fixture case under `dir` (at least `min` of them), each with a fresh
/// temporary folder; `check` returns what is wrong with the case, and every case's failures are
/// reported together, each prefixed with the case's name.
#[track_caller]
pub fn each_fixture(dir: &str, min: usize, check: impl Fn(&Path, &TempDir) -> Vec<String>) {
    let cases = fixture_cases(dir);
    assert!(cases.len() >= min, "{dir}: {} fixtures found", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().expect("name").to_string_lossy().into_owned();
        let tmp = TempDir::new(&format!("fixture-{name}"));
        failures.extend(check(&case, &tmp).into_iter().map(|f| format!("{name}: {f}")));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The lines of the case's `expected.txt` that `text` (the `what` of a run) lacks, as failures.
pub fn lacks_expected(case: &Path, text: &str, what: &str) -> Vec<String> {
    let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
    expected
        .lines()
        .filter(|l| !l.trim().is_empty() && !text.contains(*l))
        .map(|line| format!("{what} lacks {line:?}\n--- {what}:\n{text}\n---"))
        .collect()
}
