//! What a trainer's computer can throw at `policybook build`: content files that are not
//! UTF-8, empty, huge (10 MB) or saved with Windows line endings; a content folder that does not
//! exist; an output folder that cannot be written or that policybook did not build. Each is a
//! clear message naming the file and what to do, a non-zero exit status without a panic, and the
//! previous output left exactly as it was — or, for Windows line endings, the same site.
//!
//! And hostile input: Markdown and YAML nested thousands deep, content paths that are links,
//! pipes or folders, leftovers of interrupted builds, stdin without end, numbers in other bases
//! and a million errors: each a bounded, named error, never an abort.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_contains, copy_tree, read_tree, repo, TempDir};

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

/// `policybook build` in `root` with `args` fails (exit status 1) with every part of
/// `expected` in its message; returns the message.
#[track_caller]
fn build_fails(root: &Path, args: &[&str], expected: &[&str]) -> String {
    let (code, stderr) = build(root, args);
    assert_eq!(code, Some(1), "{stderr}");
    assert_contains(&stderr, expected);
    stderr
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
    assert_contains(&stderr, &["The previous output in site was left as it was."]);
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
    build_fails(
        dir.path(),
        &["--content", "contnet"],
        &[
            "error: contnet: the content folder does not exist",
            "pass --content DIR",
        ],
    );
    assert!(!dir.path().join("site").exists(), "nothing written");
}

#[test]
fn an_output_that_cannot_be_written_is_a_clear_error() {
    let (dir, _) = project("robust-unwritable");
    // A regular file where the output's parent folder should be: not writable for anyone, root included.
    std::fs::write(dir.path().join("blocker"), "a file").expect("write");
    build_fails(
        dir.path(),
        &["--out", "blocker/site"],
        &[
            "error: blocker: cannot create the output's parent folder",
            "choose an --out inside a folder that exists and that you can write to",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("blocker")).expect("kept"),
        "a file"
    );
    // The output path itself is a file.
    build_fails(
        dir.path(),
        &["--out", "blocker"],
        &["the output path exists and is not a folder"],
    );
}

#[test]
fn a_folder_policybook_did_not_build_is_not_replaced() {
    let (dir, _) = project("robust-foreign");
    std::fs::create_dir_all(dir.path().join("documents")).expect("mkdir");
    std::fs::write(dir.path().join("documents/thesis.txt"), "precious").expect("write");
    build_fails(
        dir.path(),
        &["--out", "documents"],
        &["refusing to replace a folder that policybook did not build"],
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

/// Runs `policybook ARGS` in `root` with `stdin`; returns (exit status, standard error).
fn run_with_stdin(root: &Path, args: &[&str], stdin: &[u8]) -> (Option<i32>, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .current_dir(root)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run policybook");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.to_vec();
    // Written on a thread: the program may stop reading (and close the pipe) before the end.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

const Q2_HEAD: &str = "---\nnumber: 2\ntitle: 监测线多少？\ntopic: first\nrelated: [1, 3]\n---\n\n监测线每年调整。\n\n";

#[test]
fn deeply_nested_markdown_is_an_error_at_its_line_not_an_abort() {
    let (dir, content) = project("robust-deep-md");
    for (body, what) in [
        (format!("{} 很深\n", ">".repeat(2_240)), "quotes"),
        (format!("{}很深\n", "- ".repeat(5_000)), "lists"),
    ] {
        std::fs::write(content.join("zh/q/02.md"), format!("{Q2_HEAD}{body}")).expect("write");
        fails_and_keeps_the_output(
            dir.path(),
            &[
                "content/zh/q/02.md:10: the text nests quotes, lists or emphasis more than 32 levels deep",
                "remove the extra `>` or list markers",
            ],
        );
        let out = Command::new(env!("CARGO_BIN_EXE_policybook"))
            .current_dir(dir.path())
            .arg("validate")
            .output()
            .expect("run validate");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "validate on nested {what}: {stdout}");
        assert_contains(&stdout, &["more than 32 levels deep"]);
    }
}

#[test]
fn deeply_nested_yaml_is_refused_before_it_is_parsed() {
    let (dir, content) = project("robust-deep-yaml");
    let nest = format!("[{}1{}]", "[".repeat(20_000), "]".repeat(20_000));
    std::fs::write(
        content.join("zh/q/02.md"),
        format!("---\nnumber: 2\ntitle: 监测线多少？\ntopic: first\nrelated: {nest}\n---\n\n监测线每年调整。\n"),
    )
    .expect("write");
    fails_and_keeps_the_output(
        dir.path(),
        &["content/zh/q/02.md:5:42: lists and mappings in brackets are nested more than 32 levels deep"],
    );
    // The same for a case on standard input, as JSON.
    let json = "{\"a\":".repeat(100_000);
    let (code, stderr) = run_with_stdin(dir.path(), &["check", "-"], json.as_bytes());
    assert_eq!(code, Some(2), "{stderr}");
    assert_contains(&stderr, &["standard input:1:161: not valid YAML or JSON: lists and mappings in brackets are nested more than 32 levels deep"]);
}

#[test]
fn standard_input_is_read_up_to_a_limit() {
    let (dir, _) = project("robust-stdin");
    let endless = vec![b' '; 3 * 1024 * 1024];
    for command in ["check", "deadlines"] {
        let (code, stderr) = run_with_stdin(dir.path(), &[command, "-"], &endless);
        assert_eq!(code, Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains("error: standard input: more than 2 MB"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn numbers_are_decimal_finite_and_written_once() {
    let (dir, _) = project("robust-numbers");
    let case = |members: &str, wages: &str| {
        format!("members: {members}\nmembers_with_labor: 1\npoverty_alleviated: false\nhukou: rural\nincome: {{wages: {wages}}}\nproblems: []\nsudden_hardship: false\n")
    };
    for (input, expected) in [
        (case("0x10", "1000"), "standard input:1:10: not valid YAML or JSON: `0x10` is a hexadecimal number"),
        (case("0o20", "1000"), "`0o20` is an octal number"),
        (case("4", ".nan"), "standard input:5:17: not valid YAML or JSON: `.nan` is not a number"),
        (case("4", ".inf"), "`.inf` is not a number"),
        (format!("{}members: 5\n", case("4", "1000")), "the field `members` is written twice"),
        (case("4", "18446744073709551615"), "error: standard input: income.wages: is too large (got 18446744073709551615; the largest accepted is 1,000,000,000)"),
    ] {
        let (code, stderr) = run_with_stdin(dir.path(), &["check", "--lang", "en", "-"], input.as_bytes());
        assert_eq!(code, Some(2), "{input}\n{stderr}");
        assert!(stderr.contains(expected), "{input}\nlacks {expected:?}:\n{stderr}");
    }
}

#[test]
fn a_million_errors_are_summarised_and_no_value_is_echoed_whole() {
    let (dir, _) = project("robust-many-errors");
    let items = vec!["nope"; 200_000].join(", ");
    let input = format!("members: 4\nmembers_with_labor: 1\npoverty_alleviated: false\nhukou: rural\nincome: {{}}\nproblems: [{items}]\ncan_resolve_alone: false\nsudden_hardship: false\n");
    let (code, stderr) = run_with_stdin(dir.path(), &["check", "-"], input.as_bytes());
    assert_eq!(code, Some(2), "{}", &stderr[..stderr.len().min(2000)]);
    assert_eq!(stderr.lines().count(), 51, "{}", &stderr[..stderr.len().min(2000)]);
    assert!(
        stderr.trim_end().ends_with("… and 199,950 more problems"),
        "{}",
        &stderr[stderr.len().saturating_sub(300)..]
    );

    let huge = "x".repeat(1024 * 1024);
    let input = format!("members: 4\nmembers_with_labor: 1\npoverty_alleviated: false\nhukou: {huge}\nincome: {{}}\nproblems: []\nsudden_hardship: false\n");
    let (code, stderr) = run_with_stdin(dir.path(), &["check", "-"], input.as_bytes());
    assert_eq!(code, Some(2), "{}", &stderr[..stderr.len().min(2000)]);
    assert!(stderr.len() < 4_000, "{} bytes of errors", stderr.len());
    assert_contains(&stderr, &["more characters not shown"]);
}

#[test]
fn content_paths_that_are_not_regular_files_are_named() {
    let (dir, content) = project("robust-not-files");
    // A link to a valid file (itself a copy of question 2 elsewhere) is refused by its own path.
    let outside = dir.path().join("02-elsewhere.md");
    std::fs::rename(content.join("zh/q/02.md"), &outside).expect("move");
    std::os::unix::fs::symlink(&outside, content.join("zh/q/02.md")).expect("symlink");
    fails_and_keeps_the_output(
        dir.path(),
        &["content/zh/q/02.md: this is a symbolic link; content files must be regular files"],
    );
    let (_, stderr) = build(dir.path(), &[]);
    assert!(
        !stderr.contains("does not exist"),
        "no echo errors about other files:\n{stderr}"
    );
    assert!(
        !stderr.contains("no Chinese original"),
        "no echo errors about other files:\n{stderr}"
    );
    std::fs::remove_file(content.join("zh/q/02.md")).expect("unlink");

    // A named pipe: reading it would block the build for ever.
    let status = Command::new("mkfifo")
        .arg(content.join("zh/q/02.md"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    fails_and_keeps_the_output(
        dir.path(),
        &["content/zh/q/02.md: this is a named pipe (FIFO), not a regular file"],
    );
    std::fs::remove_file(content.join("zh/q/02.md")).expect("unlink");

    // A folder named like a question.
    std::fs::create_dir(content.join("zh/q/02.md")).expect("mkdir");
    fails_and_keeps_the_output(
        dir.path(),
        &["content/zh/q/02.md: this is a folder, not a regular file"],
    );
    std::fs::remove_dir(content.join("zh/q/02.md")).expect("rmdir");
    std::fs::rename(&outside, content.join("zh/q/02.md")).expect("move back");

    // site.yaml linked to a system file: refused, and nothing of that file is shown.
    std::fs::remove_file(content.join("site.yaml")).expect("rm");
    std::os::unix::fs::symlink("/etc/passwd", content.join("site.yaml")).expect("symlink");
    fails_and_keeps_the_output(
        dir.path(),
        &["content/site.yaml: this is a symbolic link; content files must be regular files"],
    );
    let (_, stderr) = build(dir.path(), &[]);
    assert!(!stderr.contains("root:"), "{stderr}");
}

#[test]
fn a_system_file_copied_as_site_yaml_is_not_echoed_whole() {
    let (dir, content) = project("robust-passwd");
    let lines: Vec<String> = (0..2_000)
        .map(|i| format!("user{i}:x:{i}:{i}::/home/user{i}:/bin/sh"))
        .collect();
    std::fs::write(content.join("site.yaml"), lines.join("\n")).expect("write");
    let (code, stderr) = build(dir.path(), &[]);
    assert_eq!(code, Some(1), "{}", &stderr[..stderr.len().min(2000)]);
    assert_contains(&stderr, &["content/site.yaml"]);
    assert!(stderr.len() < 2_000, "{} bytes: {stderr}", stderr.len());
    assert!(!stderr.contains("user1999"), "{stderr}");
}

/// A process id above the largest Linux allows (2^22): never a running build's.
const DEAD_PID: u32 = 4_194_305;

#[test]
fn leftovers_of_interrupted_builds_are_cleaned_up() {
    let (dir, _) = project("robust-leftovers");
    let new = dir.path().join(format!(".site.new-{DEAD_PID}"));
    let old = dir.path().join(format!(".site.old-{DEAD_PID}"));
    std::fs::create_dir_all(new.join("zh")).expect("mkdir");
    std::fs::write(new.join("zh/index.html"), "half").expect("write");
    copy_tree(&dir.path().join("site"), &old);
    let (code, stderr) = build(dir.path(), &["--quiet"]);
    assert_eq!(code, Some(0), "{stderr}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site"))
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
}

#[test]
fn a_build_killed_between_the_renames_loses_nothing() {
    let (dir, content) = project("robust-between-renames");
    let site = dir.path().join("site");
    let before = read_tree(&site);
    // What a kill -9 right after moving the previous output aside leaves: no site/ at all.
    let aside = dir.path().join(format!(".site.old-{DEAD_PID}"));
    std::fs::rename(&site, &aside).expect("move aside");
    // The next build fails, and the previous output is back as it was.
    std::fs::write(content.join("zh/q/02.md"), b"").expect("truncate");
    fails_and_keeps_the_output_after_recovery(dir.path(), &before);
    assert!(!aside.exists(), "the folder moved aside was put back");
}

fn fails_and_keeps_the_output_after_recovery(root: &Path, before: &std::collections::BTreeMap<String, Vec<u8>>) {
    build_fails(root, &[], &["the file is empty"]);
    assert_eq!(&read_tree(&root.join("site")), before, "the previous output is back");
}

#[test]
fn a_rebuild_in_place_writes_only_what_changed_and_repairs_an_interrupted_tree() {
    let (dir, content) = project("robust-in-place");
    let site = dir.path().join("site");
    let fresh = read_tree(&site);
    // Unchanged content: nothing is written, nothing removed.
    let report = common::build(&content, &site).expect("rebuild");
    assert_eq!(
        (report.stats.written, report.stats.removed),
        (0, 0),
        "{:?}",
        report.stats
    );
    assert_eq!(report.stats.unchanged, fresh.len());
    // What an interrupted build can leave: a page cut short, a temporary file, a file of an
    // earlier build, a file where a folder belongs and a folder where a file belongs.
    std::fs::write(site.join("zh/index.html"), "half").expect("cut short");
    std::fs::write(site.join("zh/.index.html.policybook-tmp-4194305"), "tmp").expect("temporary file");
    std::fs::create_dir_all(site.join("zh/q/999")).expect("mkdir");
    std::fs::write(site.join("zh/q/999/index.html"), "stale").expect("stale page");
    std::fs::remove_dir_all(site.join("en/glossary")).expect("remove folder");
    std::fs::write(site.join("en/glossary"), "a file in the way").expect("file in the way");
    std::fs::remove_file(site.join("en/print/index.html")).expect("remove page");
    std::fs::create_dir_all(site.join("en/print/index.html/x")).expect("folder in the way");
    let report = common::build(&content, &site).expect("repairing build");
    assert_eq!(read_tree(&site), fresh, "the tree is as a fresh build makes it");
    assert_eq!(report.stats.written, 3, "{:?}", report.stats);
    assert!(!site.join("zh/q/999").exists(), "the emptied folder is removed");
    // A change to one question rewrites its pages and what lists it, not the whole site.
    let q3 = content.join("en/q/03.md");
    let text = std::fs::read_to_string(&q3).expect("read");
    std::fs::write(&q3, text.replacen("\n\n", "\n\nIN-PLACE-EDIT\n\n", 1)).expect("edit");
    let report = common::build(&content, &site).expect("build after an edit");
    assert!(
        report.stats.written > 0 && report.stats.written < fresh.len() / 2,
        "{:?}",
        report.stats
    );
    assert!(String::from_utf8_lossy(&read_tree(&site)["en/q/3/index.html"]).contains("IN-PLACE-EDIT"));
}
