//! The village poster: written only when `base_url` says where the site lives (the QR code needs
//! the address), linked from the print edition, and explained by `build --verbose` when absent.
//! tests/release.sh decodes the printed QR code from a screenshot of the page.

mod common;

use std::process::Command;

use common::{assert_contains, content_copy, read_tree, replace_in};

const BASE: &str = "https://fanpin.example.gov.cn/guide/";

fn build(dir: &std::path::Path) -> (String, std::collections::BTreeMap<String, String>) {
    let out = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .current_dir(dir)
        .args(["build", "--verbose"])
        .output()
        .expect("run policybook build");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pages = read_tree(&dir.join("site"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).expect("utf-8")))
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), pages)
}

#[test]
fn with_base_url_both_posters_carry_the_qr_code_hotline_and_privacy_line() {
    let dir = content_copy("poster");
    replace_in(
        &dir.path().join("content/site.yaml"),
        "# base_url: https://example.gov.cn/fanpin/",
        &format!("base_url: {BASE}"),
    );

    let (stdout, pages) = build(dir.path());
    assert!(!stdout.contains("no poster"), "{stdout}");
    for (lang, url, scan, privacy) in [
        (
            "zh",
            BASE.to_string(),
            "用微信扫一扫",
            "测评不联网，不保存，不收集姓名、身份证号",
        ),
        (
            "en",
            format!("{BASE}en/"),
            "Scan with WeChat",
            "never asks for a name or ID number",
        ),
    ] {
        let page = &pages[&format!("{lang}/poster/index.html")];
        // The QR code is the one of the site's address, inline, with nothing fetched.
        let svg = policybook::render::poster::qr_svg(&url, "").expect("qr");
        let d = &svg[svg.find(" d=\"").expect("the modules' path") + 4..];
        let modules = &d[..d.find('"').expect("end of the path")];
        assert!(modules.len() > 500, "{lang}: {modules}");
        assert!(page.contains(modules), "{lang}: not the QR code of {url}");
        assert!(page.contains("class=poster-qr"), "{lang}");
        // The addresses in words, each with a line break allowed after its slashes only.
        let words = |u: &str| u.replace('/', "/<wbr>");
        assert!(
            page.contains(&format!(">{}<", words(&url))),
            "{lang}: the address in words"
        );
        assert!(
            page.contains(&words(&format!("{BASE}{lang}/check/"))),
            "{lang}: the self-check"
        );
        assert!(page.contains(">12317<"), "{lang}: the hotline");
        assert!(page.contains(scan) && page.contains(privacy), "{lang}");
        assert!(page.contains("山东省健全防止返贫动态监测和帮扶机制工作指南") || lang == "en");
        // The print edition links to it.
        let print = &pages[&format!("{lang}/print/index.html")];
        assert!(print.contains("href=../../"), "{lang}: relative links");
        assert!(
            print.contains(&format!("{lang}/poster/index.html")),
            "{lang}: no link to the poster"
        );
    }
}

#[test]
fn without_base_url_there_is_no_poster_and_verbose_says_why() {
    let dir = content_copy("poster-none");
    let (stdout, pages) = build(dir.path());
    assert!(!pages.keys().any(|p| p.contains("poster")), "a poster without base_url");
    assert_contains(
        &stdout,
        &["note: no poster (zh/poster/, en/poster/): content/site.yaml has no base_url"],
    );
    assert!(!pages["zh/print/index.html"].contains("poster"));
}
