//! Every folder in `tests/fixtures/invalid/` is one broken site: the valid fixture
//! `tests/fixtures/mini/` with the case's `content/` and `themes/` files laid over it and the
//! paths in its `DELETE` file removed. The build must fail with every line of `expected.txt`
//! in its message, and the previous output must be left exactly as it was.

mod common;

use common::{assert_contains, each_fixture, lacks_expected, prepare_fixture, read_tree, repo, TempDir};

#[test]
fn each_invalid_fixture_fails_with_its_message_and_keeps_the_previous_output() {
    each_fixture("tests/fixtures/invalid", 15, |case, dir| {
        let out = dir.path().join("site");
        // A good build first: this is the output that must survive.
        common::build(&repo().join("tests/fixtures/mini/content"), &out).expect("mini builds");
        let before = read_tree(&out);
        let content = prepare_fixture(case, dir.path());
        let err = match common::build(&content, &out) {
            Ok(_) => return vec!["the build succeeded".into()],
            Err(e) => e.to_string(),
        };
        let mut failures = lacks_expected(case, &err, "message");
        if read_tree(&out) != before {
            failures.push("the previous output was changed".into());
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".site."))
            .collect();
        if !leftovers.is_empty() {
            failures.push(format!("temporary folders left behind: {leftovers:?}"));
        }
        failures
    });
}

#[test]
fn the_command_line_exits_non_zero_with_the_message_and_no_panic() {
    let bin = env!("CARGO_BIN_EXE_policybook");
    let dir = TempDir::new("cli-invalid");
    let content = prepare_fixture(&repo().join("tests/fixtures/invalid/unknown-field"), dir.path());
    let out = std::process::Command::new(bin)
        .args(["build", "--content"])
        .arg(&content)
        .arg("--out")
        .arg(dir.path().join("site"))
        .output()
        .expect("run policybook");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "exit code; stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert_contains(&stderr, &["unknown field `tpoic`"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.path().join("site").exists(), "nothing written");
}

#[test]
fn a_missing_content_folder_and_a_foreign_output_folder_are_refused() {
    let dir = TempDir::new("cli-misc");
    let err = common::build(&dir.path().join("nope"), &dir.path().join("site")).expect_err("no content");
    assert!(err.to_string().contains("the content folder does not exist"), "{err}");

    let foreign = dir.path().join("documents");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("thesis.txt"), "precious").expect("write");
    let err = common::build(&repo().join("tests/fixtures/mini/content"), &foreign).expect_err("foreign folder");
    assert!(
        err.to_string()
            .contains("refusing to replace a folder that policybook did not build"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(foreign.join("thesis.txt")).expect("kept"),
        "precious"
    );
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error_and_keeps_the_previous_output() {
    let dir = TempDir::new("readonly");
    let parent = dir.path().join("ro");
    let out = parent.join("site");
    common::build(&repo().join("tests/fixtures/mini/content"), &out).expect("first build");
    let before = read_tree(&out);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = parent.join("probe");
    let writable = std::fs::write(&probe, b"x").is_ok(); // root ignores permissions
    let _ = std::fs::remove_file(&probe);
    let result = common::build(&repo().join("tests/fixtures/mini/content"), &out);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    if writable {
        // Running as root: permissions do not apply, so the build succeeds; the output is still whole.
        result.expect("build as root");
    } else {
        let err = result.expect_err("read-only parent");
        assert!(err.to_string().contains("cannot"), "{err}");
        assert_eq!(read_tree(&out), before);
    }
}
