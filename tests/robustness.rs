//! What a trainer's computer can throw at `policybook build` (issue 5): content files that are not
//! UTF-8, empty, huge (10 MB) or saved with Windows line endings; a content folder that does not
//! exist; an output folder that cannot be written or that policybook did not build. Each is a
//! clear message naming the file and what to do, a non-zero exit status without a panic, and the
//! previous output left exactly as it was — or, for Windows line endings, the same site.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_tree, read_tree, repo, TempDir};

/// A project with the mini content and a good build in `site/`.
fn project(tag: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new(tag);
    let content = dir.path().join("content");
    copy_tree(&repo().join("tests/fixtures/mini/content"), &content);
    common::build(&content, &dir.path().join("site")).expect("the first build");
    (dir, content)
}

/// Runs `policybook build` in `root` with `args`; returns (exit status, standard error).
fn build(root: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .current_dir(root)
        .arg("build")
        .args(args)
        .output()
        .expect("run policybook build");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The build fails with every part of `expected` in its message and keeps the previous output.
fn fails_and_keeps_the_output(root: &Path, expected: &[&str]) {
    let before = read_tree(&root.join("site"));
    let (code, stderr) = build(root, &[]);
    assert_eq!(code, Some(1), "exit status; stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for part in expected {
        assert!(stderr.contains(part), "lacks {part:?}:\n{stderr}");
    }
    assert!(
        stderr.contains("The previous output in site was left as it was."),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(read_tree(&root.join("site")), before, "the previous output changed");
}

#[test]
fn a_file_that_is_not_utf8_names_its_line() {
    let (dir, content) = project("robust-utf8");
    // "第二段" in GBK, as an old Windows editor would save it.
    std::fs::write(
        content.join("zh/q/01.md"),
        b"---\nnumber: 1\ntitle: x\ntopic: first\n---\n\n\xb5\xda\xb6\xfe\xb6\xce\n",
    )
    .expect("write");
    fails_and_keeps_the_output(
        dir.path(),
        &[
            "content/zh/q/01.md:7: the file is not valid UTF-8 text",
            "save the file as UTF-8",
        ],
    );
}

#[test]
fn an_empty_file_is_named_as_empty() {
    let (dir, content) = project("robust-empty");
    std::fs::write(content.join("zh/q/02.md"), b"").expect("truncate");
    std::fs::write(content.join("site.yaml"), b"\n  \n").expect("blank");
    fails_and_keeps_the_output(
        dir.path(),
        &[
            "content/zh/q/02.md: the file is empty",
            "content/site.yaml: the file is empty",
            "restore the file from the previous version",
        ],
    );
}

#[test]
fn a_huge_file_is_refused_with_its_size() {
    let (dir, content) = project("robust-huge");
    let huge = "第二段。".repeat(10 * 1024 * 1024 / "第二段。".len());
    std::fs::write(content.join("zh/q/03.md"), format!("---\nnumber: 3\n---\n{huge}")).expect("write");
    let len = std::fs::metadata(content.join("zh/q/03.md")).expect("size").len();
    assert!(len >= 10 * 1024 * 1024 - 16, "{len}");
    fails_and_keeps_the_output(
        dir.path(),
        &[
            &format!("content/zh/q/03.md: the file is 10.0 MB ({len} bytes); content files may be at most 2 MB"),
            "check that the right file was saved here",
        ],
    );
}

#[test]
fn windows_line_endings_give_the_same_site() {
    let (dir, content) = project("robust-crlf");
    let lf = read_tree(&dir.path().join("site"));
    let mut converted = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).expect("read");
            std::fs::write(entry.path(), text.replace('\n', "\r\n")).expect("write");
            converted += 1;
        }
    }
    assert!(converted >= 10, "{converted}");
    let (code, stderr) = build(dir.path(), &["--quiet"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        read_tree(&dir.path().join("site")),
        lf,
        "CRLF content gives the same bytes"
    );
}

#[test]
fn a_missing_content_folder_says_what_to_do() {
    let dir = TempDir::new("robust-missing");
    let (code, stderr) = build(dir.path(), &["--content", "contnet"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error: contnet: the content folder does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("pass --content DIR"), "{stderr}");
    assert!(!dir.path().join("site").exists(), "nothing written");
}

#[test]
fn an_output_that_cannot_be_written_is_a_clear_error() {
    let (dir, _) = project("robust-unwritable");
    // A regular file where the output's parent folder should be: not writable for anyone, root included.
    std::fs::write(dir.path().join("blocker"), "a file").expect("write");
    let (code, stderr) = build(dir.path(), &["--out", "blocker/site"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error: blocker: cannot create the output's parent folder"),
        "{stderr}"
    );
    assert!(
        stderr.contains("choose an --out inside a folder that exists and that you can write to"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("blocker")).expect("kept"),
        "a file"
    );
    // The output path itself is a file.
    let (code, stderr) = build(dir.path(), &["--out", "blocker"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the output path exists and is not a folder"),
        "{stderr}"
    );
}

#[test]
fn a_folder_policybook_did_not_build_is_not_replaced() {
    let (dir, _) = project("robust-foreign");
    std::fs::create_dir_all(dir.path().join("documents")).expect("mkdir");
    std::fs::write(dir.path().join("documents/thesis.txt"), "precious").expect("write");
    let (code, stderr) = build(dir.path(), &["--out", "documents"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("refusing to replace a folder that policybook did not build"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("documents/thesis.txt")).expect("kept"),
        "precious"
    );
}

#[test]
fn quiet_prints_nothing_and_verbose_lists_files_and_phases() {
    let (dir, _) = project("robust-output");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_policybook"))
            .current_dir(dir.path())
            .arg("build")
            .args(args)
            .output()
            .expect("run");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(run(&["--quiet"]), "");
    let normal = run(&[]);
    let pages: usize = normal
        .strip_prefix("built ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("summary line: {normal}"));
    assert!(
        normal.contains(&format!("built {pages} pages in 2 languages into site in ")),
        "{normal}"
    );
    assert_eq!(normal.lines().count(), 1, "{normal}");
    let verbose = run(&["--verbose"]);
    let listed = format!("pages ({pages}, ");
    for part in [
        listed.as_str(),
        "  zh/q/1/index.html",
        "assets (",
        "  assets/style.",
        "other files (",
        "phases: load ",
        " · render ",
        " · links ",
        " · write ",
        normal.trim_end().rsplit_once(" in ").map_or("", |(head, _)| head),
    ] {
        assert!(verbose.contains(part), "lacks {part:?}:\n{verbose}");
    }
    let both = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .current_dir(dir.path())
        .args(["build", "--quiet", "--verbose"])
        .output()
        .expect("run");
    assert_eq!(both.status.code(), Some(2), "--quiet and --verbose conflict");
}
