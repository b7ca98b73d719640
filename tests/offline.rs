//! The service worker for offline use: written to the site root as `sw.js`, listing
//! every page and asset of the build, with a build hash that changes when any file changes. The
//! browser side (install, offline navigation, search and checker, file://) is in
//! tests/browser/quality.test.mjs.

mod common;

use common::{build, copy_tree, read_tree, repo, TempDir};
use std::collections::BTreeMap;

fn mini() -> std::path::PathBuf {
    repo().join("tests/fixtures/mini/content")
}

/// (BUILD, FILES) from a built sw.js.
fn parts(sw: &[u8]) -> (String, Vec<String>) {
    let text = String::from_utf8(sw.to_vec()).expect("utf-8");
    let build = text
        .split("var BUILD = '")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("BUILD")
        .to_string();
    let files = text
        .split("var FILES = ")
        .nth(1)
        .and_then(|s| s.split(";\n").next())
        .expect("FILES");
    (build, serde_json::from_str(files).expect("FILES is a JSON list"))
}

fn built(content: &std::path::Path, dir: &TempDir) -> BTreeMap<String, Vec<u8>> {
    let out = dir.path().join("site");
    build(content, &out).expect("the site builds");
    read_tree(&out)
}

#[test]
fn the_service_worker_lists_every_page_and_asset_and_sits_at_the_root() {
    let dir = TempDir::new("offline");
    let files = built(&mini(), &dir);
    let sw = files.get("sw.js").expect("sw.js at the site root, unhashed");
    let (hash, list) = parts(sw);
    assert!(
        hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()),
        "build hash {hash}"
    );
    let expected: Vec<String> = files
        .keys()
        .filter(|k| *k != "sw.js" && *k != policybook::site::MARKER)
        .cloned()
        .collect();
    assert_eq!(list, expected, "every page and asset, nothing else");
    assert!(list.iter().any(|f| f == "index.html") && list.iter().any(|f| f == "en/q/3/index.html"));
    assert!(list.iter().any(|f| f.starts_with("assets/app.") && f.ends_with(".js")));
    assert!(
        !String::from_utf8_lossy(sw).contains("__POLICYBOOK_"),
        "no placeholder left"
    );
    // Registered from the pages' script (minified: any quotes), never inline.
    let app = files.keys().find(|k| k.starts_with("assets/app.")).expect("app.js");
    let app = String::from_utf8_lossy(&files[app]);
    assert!(
        ["'sw.js'", "\"sw.js\"", "`sw.js`"].iter().any(|q| app.contains(q)),
        "app.js registers sw.js"
    );
}

#[test]
fn a_changed_file_changes_the_build_hash() {
    let first_dir = TempDir::new("offline-a");
    let (first, _) = parts(&built(&mini(), &first_dir)["sw.js"]);
    let again_dir = TempDir::new("offline-b");
    let (again, _) = parts(&built(&mini(), &again_dir)["sw.js"]);
    assert_eq!(first, again, "the same input, the same hash");

    let edited = TempDir::new("offline-c");
    copy_tree(&mini(), &edited.path().join("content"));
    let q = edited.path().join("content/en/q/01.md");
    let text = std::fs::read_to_string(&q).expect("read");
    std::fs::write(&q, format!("{text}\nOne more sentence.\n")).expect("write");
    let (changed, _) = parts(&built(&edited.path().join("content"), &edited)["sw.js"]);
    assert_ne!(
        first, changed,
        "one changed page, a new hash: the browser installs the new worker"
    );
}

#[test]
fn a_theme_service_worker_without_its_placeholders_is_an_error() {
    let dir = TempDir::new("offline-theme");
    let content = dir.path().join("content");
    copy_tree(&mini(), &content);
    let theme = dir.path().join("themes/default");
    std::fs::create_dir_all(&theme).expect("mkdir");
    std::fs::write(theme.join("sw.js"), "self.addEventListener('fetch', () => {});\n").expect("write");
    let err = build(&content, &dir.path().join("site"))
        .expect_err("the build fails")
        .to_string();
    assert!(err.contains("sw.js") && err.contains("__POLICYBOOK_BUILD__"), "{err}");
}
