//! Builds the real guide and the small fixture into temporary folders and checks the output:
//! every page exists, every internal link resolves, nothing refers to another origin, the same
//! input gives the same bytes, and representative pages match their snapshots.

mod common;

use common::{build, built_files, pretty, read_tree, repo};
use policybook::links::attribute_values;

/// The guide's question numbers, from its content.
fn question_numbers() -> Vec<u32> {
    let guide = policybook::content::load(&repo().join("content")).expect("content");
    guide.questions.iter().map(|q| q.number).collect()
}

fn page(files: &std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files.get(path).unwrap_or_else(|| panic!("{path} was built")).clone()).expect("utf-8")
}

#[test]
fn every_page_of_the_handbook_is_built() {
    let files = built_files("content");
    let numbers = question_numbers();
    assert!(numbers.len() > 1, "the guide has questions");
    for lang in ["zh", "en"] {
        for &n in &numbers {
            assert!(
                files.contains_key(&format!("{lang}/q/{n}/index.html")),
                "{lang} question {n}"
            );
        }
        for p in [
            "index.html",
            "notice/index.html",
            "annex/index.html",
            "glossary/index.html",
            "print/index.html",
        ] {
            assert!(files.contains_key(&format!("{lang}/{p}")), "{lang}/{p}");
        }
    }
    assert!(files.contains_key("index.html"));
    assert!(files.contains_key(policybook::site::MARKER));
    let css: Vec<_> = files
        .keys()
        .filter(|k| k.starts_with("assets/style.") && k.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "one hashed stylesheet: {css:?}");
}

#[test]
fn every_internal_link_resolves_and_nothing_leaves_the_site() {
    let files = built_files("content");
    let broken = policybook::links::check(&files, None);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    // The checker itself finds a broken link and a link to another origin.
    let mut bad = files.clone();
    bad.insert(
        "x.html".into(),
        b"<a href=\"zh/q/99/index.html\">x</a><img src=\"https://cdn.example/x.png\">".to_vec(),
    );
    let found = policybook::links::check(&bad, None);
    assert_eq!(found.len(), 2, "{found:#?}");
    // Under the site's own base_url an absolute address is the site: it must name a real page,
    // and any other origin is still refused.
    let base = Some("https://example.gov.cn/g/");
    let mut own = files.clone();
    own.insert(
        "y.html".into(),
        b"<link rel=canonical href=\"https://example.gov.cn/g/zh/q/24/\"><link rel=alternate href=\"https://example.gov.cn/g/zh/q/99/\"><a href=\"https://example.gov.cn/other/\">o</a>".to_vec(),
    );
    let found = policybook::links::check(&own, base);
    let targets: Vec<&str> = found.iter().map(|b| b.target.as_str()).collect();
    assert_eq!(
        targets,
        ["https://example.gov.cn/g/zh/q/99/", "https://example.gov.cn/other/"],
        "{found:#?}"
    );
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let first = built_files("content");
    let second = built_files("content");
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between two builds");
    }
}

#[test]
fn languages_are_declared_and_linked_both_ways() {
    let files = built_files("content");
    let zh = page(&files, "zh/q/24/index.html");
    let en = page(&files, "en/q/24/index.html");
    assert!(zh.contains("<html lang=zh-CN>"), "zh lang attribute");
    assert!(en.contains("<html lang=en>"), "en lang attribute");
    for html in [&zh, &en] {
        // Without `base_url` there is no absolute address to give, and search engines reject
        // relative canonical and alternate links: none at all, and no robots.txt.
        assert!(!html.contains("rel=canonical"), "no relative canonical");
        assert!(!html.contains("rel=alternate"), "no relative alternates");
    }
    assert!(!files.contains_key("robots.txt") && !files.contains_key("sitemap.xml"));
    assert!(
        attribute_values(&zh, "href").contains(&"../../../en/q/24/index.html".to_string()),
        "zh → en link"
    );
    assert!(
        attribute_values(&en, "href").contains(&"../../../zh/q/24/index.html".to_string()),
        "en → zh link"
    );
    // `/` shows the Chinese home page, with a visible way to English.
    let root = page(&files, "index.html");
    assert!(root.contains("<html lang=zh-CN>"));
    assert!(attribute_values(&root, "href").contains(&"en/index.html".to_string()));
    assert!(root.contains(">English<"));
}

#[test]
fn with_a_base_url_pages_have_absolute_canonical_and_hreflang_links_and_a_robots_file() {
    let dir = common::content_copy("base-url");
    let content = dir.path().join("content");
    let base = "https://example.gov.cn/fanpin/";
    common::edit(&content.join("site.yaml"), |text| format!("base_url: {base}\n{text}"));
    let out = dir.path().join("site");
    build(&content, &out).expect("builds with a base_url");
    let files = read_tree(&out);
    for (path, lang) in [("zh/q/24/index.html", "zh"), ("en/q/24/index.html", "en")] {
        let html = page(&files, path);
        let links: Vec<(String, String)> = html
            .split("<link ")
            .skip(1)
            .map(|l| l[..l.find('>').unwrap_or(l.len())].to_string())
            .filter(|l| l.contains("rel=canonical") || l.contains("rel=alternate"))
            .map(|l| (l.clone(), attribute_values(&format!("<link {l}>"), "href").concat()))
            .collect();
        assert!(
            links
                .iter()
                .any(|(l, href)| l.contains("rel=canonical") && href == &format!("{base}{lang}/q/24/")),
            "{path}: absolute canonical: {links:?}"
        );
        for tag in ["hreflang=zh-CN", "hreflang=en", "hreflang=x-default"] {
            assert!(
                links.iter().any(|(l, href)| l.contains(tag) && href.starts_with(base)),
                "{path}: absolute {tag}: {links:?}"
            );
        }
    }
    let robots = String::from_utf8(files["robots.txt"].clone()).expect("utf-8");
    assert!(robots.contains("User-agent: *") && robots.contains(&format!("Sitemap: {base}sitemap.xml")));
    let sitemap = String::from_utf8(files["sitemap.xml"].clone()).expect("utf-8");
    assert!(
        sitemap.contains(&format!("<loc>{base}zh/q/24/</loc>")),
        "sitemap lists the pages"
    );
    assert!(sitemap.contains(&format!("<loc>{base}en/check/</loc>")));
}

#[test]
fn question_pages_have_heading_answer_related_pager_and_topic() {
    let files = built_files("content");
    let html = page(&files, "zh/q/24/index.html");
    assert!(html.contains("对突发返贫致贫风险的农户如何通过“绿色通道”先实施帮扶后补充完善识别程序？"));
    assert!(html.contains("<h1>"), "question as heading");
    let hrefs = attribute_values(&html, "href");
    for target in [
        "../../../zh/q/23/index.html",
        "../../../zh/q/25/index.html",
        "../../../zh/q/34/index.html",
    ] {
        assert!(hrefs.iter().any(|h| h == target), "link to {target}");
    }
    assert!(html.contains("rel=prev") && html.contains("rel=next"));
    let first = page(&files, "zh/q/1/index.html");
    assert!(!first.contains("rel=prev"), "the first question has no previous one");
    let last = page(&files, "en/q/42/index.html");
    assert!(!last.contains("rel=next"), "the last question has no next one");
    assert!(last.contains("12317 Platform"));
}

#[test]
fn the_print_edition_holds_the_whole_guide_in_order() {
    let files = built_files("content");
    let html = page(&files, "zh/print/index.html");
    let mut last = 0;
    for n in question_numbers() {
        let pos = html
            .find(&format!("id=q{n}>"))
            .unwrap_or_else(|| panic!("question {n} in print edition"));
        assert!(pos > last, "question {n} in order");
        last = pos;
    }
    assert!(html.find("id=notice").expect("notice") < html.find("id=q1>").expect("q1"));
    assert!(html.find("id=annex").expect("annex") > last);
    assert!(html.contains("media=print"), "print stylesheet");
}

#[test]
fn content_markup_is_shown_as_text_never_run() {
    let files = built_files("tests/fixtures/mini/content");
    for path in ["zh/q/3/index.html", "en/q/3/index.html", "en/print/index.html"] {
        let html = page(&files, path);
        assert!(!html.contains("<img src=x"), "{path}: img markup escaped");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)>"),
            "{path}: shown as text"
        );
        // The only script elements are the site's own files; the content's <script> is text.
        let body = &html[html.find("<body").expect("body")..];
        assert!(!body.contains("<script>alert"), "{path}: content script escaped");
        let scripts = body.matches("<script").count();
        let own = attribute_values(body, "src")
            .iter()
            .filter(|s| s.contains("assets/app."))
            .count();
        assert_eq!(
            scripts, own,
            "{path}: every script element loads one of the site's assets"
        );
    }
    let en = page(&files, "en/q/3/index.html");
    assert!(
        en.contains("&lt;/title>"),
        "a closing title tag in a title stays escaped"
    );
}

#[test]
fn no_page_loads_anything_from_another_origin_and_all_have_a_csp() {
    let files = built_files("content");
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(html.contains("http-equiv=Content-Security-Policy"), "{path}: CSP");
        assert!(
            !html.contains("unsafe-inline") && !html.contains("'unsafe-eval'"),
            "{path}: strict CSP"
        );
        for attr in ["src", "href"] {
            for v in attribute_values(&html, attr) {
                assert!(!v.starts_with("http") && !v.starts_with("//"), "{path}: {attr}={v}");
            }
        }
    }
}

#[test]
fn every_asset_a_page_names_in_a_data_attribute_exists() {
    // The snapshots hide asset hashes, so this is what ties the names in `data-engine`,
    // `data-index` and the like to the files the build wrote.
    let files = built_files("content");
    let mut seen = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for (at, _) in html.match_indices("assets/") {
            let rest = &html[at..];
            let end = rest
                .find(|c: char| c == '"' || c == '\'' || c == '>' || c.is_whitespace())
                .unwrap_or(rest.len());
            let name = rest[..end].split(['#', '?']).next().unwrap_or_default();
            assert!(files.contains_key(name), "{path} names {name}, which was not built");
            seen += 1;
        }
    }
    assert!(seen > 100, "the pages name their assets ({seen} references)");
}

#[test]
fn snapshots_of_representative_pages() {
    let files = built_files("content");
    // The home page names the year whose line is missing as of the build date: keep the snapshot date-free.
    let year = policybook::clock::today().year();
    let home = pretty(&files["zh/index.html"]).replace(&format!("还没有录入 {year} 年"), "还没有录入 [this year] 年");
    insta::assert_snapshot!("zh_home", home);
    insta::assert_snapshot!("zh_q_24", pretty(&files["zh/q/24/index.html"]));
    insta::assert_snapshot!("en_q_24", pretty(&files["en/q/24/index.html"]));
    insta::assert_snapshot!("en_glossary", pretty(&files["en/glossary/index.html"]));
}

#[test]
fn the_glossary_is_used_consistently_in_the_translation() {
    let guide = policybook::content::load(&repo().join("content")).expect("content");
    let problems = policybook::lint::glossary(&guide);
    assert!(
        problems.is_empty(),
        "{}",
        problems.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
    );
    // The guide's key terms, the ones a cadre looks up first, are all in the glossary.
    for term in [
        "监测帮扶对象",
        "脱贫不稳定户",
        "边缘易致贫户",
        "严重困难户",
        "三保障",
        "饮水安全",
        "绿色通道",
        "风险消除",
        "兜底保障",
        "开发式帮扶",
        "民主评议",
        "体外循环",
        "应纳未纳",
        "动态清零",
    ] {
        assert!(guide.glossary.iter().any(|t| t.zh == term), "{term} in the glossary");
    }
    // One rendering per term: no two terms share an English rendering.
    let mut seen = std::collections::BTreeMap::new();
    for t in &guide.glossary {
        if let Some(other) = seen.insert(t.en.to_lowercase(), &t.zh) {
            panic!("{} and {} share the rendering {}", other, t.zh, t.en);
        }
    }
}

#[test]
fn the_glossary_check_reports_a_missing_rendering() {
    let mut guide = policybook::content::load(&repo().join("tests/fixtures/mini/content")).expect("mini");
    assert!(policybook::lint::glossary(&guide).is_empty());
    guide.questions[0].en.markdown = "The fast lane is a temporary measure.".into();
    guide.questions[0].en.title = "What is the fast lane?".into();
    let problems = policybook::lint::glossary(&guide);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("Green Channel"));
    assert!(problems[0].path.ends_with("en/q/01.md"));
}

#[test]
fn the_tool_pages_exist_and_link_only_to_existing_pages() {
    let files = built_files("content");
    // `zh/x/index.html` + `../../zh/q/3/index.html#f` → `zh/q/3/index.html`; a folder means its index.html.
    let resolve = |from: &str, target: &str| -> String {
        let target = target.split('#').next().unwrap_or_default();
        if target.is_empty() {
            return from.to_string();
        }
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        for part in target.split('/') {
            match part {
                ".." => {
                    parts.pop();
                }
                "." | "" => {}
                p => parts.push(p),
            }
        }
        let path = parts.join("/");
        if target.ends_with('/') {
            format!("{path}/index.html").trim_start_matches('/').to_string()
        } else {
            path
        }
    };
    let tools = [
        ("elimination", vec![25, 26, 27, 28, 29, 31, 37], "policy-data"),
        ("deadlines", vec![23, 24, 33, 34, 36], "policy-data"),
        ("redact", vec![38], "words-data"),
    ];
    for lang in ["zh", "en"] {
        for (tool, questions, data) in &tools {
            let path = format!("{lang}/{tool}/index.html");
            let html = page(&files, &path);
            assert!(
                html.contains("<noscript>"),
                "{path}: a note for readers without JavaScript"
            );
            assert!(html.contains(&format!("id={data}")), "{path}: its data block");
            assert!(html.contains("id=tool-strings"), "{path}: its strings");
            let mut targets = attribute_values(&html, "href");
            targets.extend(attribute_values(&html, "src"));
            assert!(
                targets.iter().any(|t| t.contains("assets/form.")),
                "{path}: loads form.js"
            );
            for target in targets.iter().filter(|t| !t.starts_with("data:")) {
                let resolved = resolve(&path, target);
                assert!(
                    files.contains_key(&resolved),
                    "{path} links to {target} ({resolved}), which does not exist"
                );
            }
            for n in questions {
                let q = format!("../../{lang}/q/{n}/index.html");
                assert!(targets.contains(&q), "{path}: links to question {n} without JavaScript");
                let back = page(&files, &format!("{lang}/q/{n}/index.html"));
                assert!(
                    back.contains(&format!("../../../{lang}/{tool}/index.html")),
                    "question {n} ({lang}) links to the {tool} tool"
                );
            }
        }
        let home = page(&files, &format!("{lang}/index.html"));
        for (tool, _, _) in &tools {
            assert!(
                home.contains(&format!("../{lang}/{tool}/index.html")),
                "{lang} home page lists {tool}"
            );
        }
    }
}
