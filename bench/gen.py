#!/usr/bin/env python3
"""Deterministic corpora for bench/run.sh, in policybook's content format and in the peers' formats.

  python3 bench/gen.py corpus --items N --out DIR   # DIR/content: N bilingual items built from the guide
  python3 bench/gen.py peers --content DIR --out DIR2  # DIR2/{hugo,mdbook,html}: the same items for the peers

`corpus` takes the handbook in content/ (42 questions, Chinese with an aligned English translation,
paragraph by paragraph) and makes N items from it: item i is question ((i-1) mod 42)+1 with its
paragraphs, plus, for half of the items, one aligned paragraph pair from another question, and a
numbered title. The mix of Chinese and English and the size per item stay those of the guide. The
notice, the annex, the topics, the glossary and the policy data are copied unchanged. The output
depends only on N and content/ (a fixed-seed random.Random; no clock, no hash order).

`peers` converts any content folder in policybook's format (the handbook or a generated corpus):
  hugo/    a Hugo site: config.toml, content/{zh,en}/q/N.md, a minimal layout (title, text,
           previous/next) and one small stylesheet;
  mdbook/  an mdBook: book.toml, src/SUMMARY.md (a Chinese part and an English part), chapters;
  html/    plain pages for Pagefind: {zh,en}/q/N/index.html (lang attribute, h1, paragraphs), the
           same text as the other formats, nothing else on the page.
Only the standard library is used.
"""

import argparse
import html
import os
import random
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COPIED = ["site.yaml", "topics.yaml", "glossary.yaml", "policy.yaml", "sensitive-words.yaml"]
SEED = 20230428  # the guide's date


def fail(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


def split_front_matter(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.match(r"---\n(.*?)\n---\n(.*)\Z", text, re.S)
    if not m:
        fail(f"{path}: no front matter (expected `---` lines around the fields)")
    meta = {}
    for line in m.group(1).splitlines():
        if ":" in line and not line.startswith(" "):
            key, value = line.split(":", 1)
            meta[key.strip()] = value.strip()
    return meta, m.group(2).strip()


def unquote(value):
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def yaml_str(s):
    """A YAML double-quoted scalar (JSON escaping is valid YAML)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def paragraphs(body):
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def load_items(content):
    """The questions of a content folder: number → dict(topic, zh/en title and paragraphs)."""
    items = {}
    qdir = os.path.join(content, "zh", "q")
    if not os.path.isdir(qdir):
        fail(f"{qdir} does not exist: pass the content folder of a policybook guide")
    for name in sorted(os.listdir(qdir)):
        if not name.endswith(".md"):
            continue
        zmeta, zbody = split_front_matter(os.path.join(qdir, name))
        en_path = os.path.join(content, "en", "q", name)
        if not os.path.isfile(en_path):
            fail(f"{en_path} is missing: every Chinese item needs its English file")
        emeta, ebody = split_front_matter(en_path)
        n = int(zmeta["number"])
        items[n] = {
            "number": n,
            "topic": zmeta.get("topic", ""),
            "zh_title": unquote(zmeta["title"]),
            "en_title": unquote(emeta["title"]),
            "zh": paragraphs(zbody),
            "en": paragraphs(ebody),
        }
    if not items:
        fail(f"no questions in {qdir}")
    return [items[k] for k in sorted(items)]


def load_page(content, lang, key):
    path = os.path.join(content, lang, f"{key}.md")
    if not os.path.isfile(path):
        return None
    meta, body = split_front_matter(path)
    return {"title": unquote(meta["title"]), "paras": paragraphs(body)}


def cmd_corpus(args):
    src = os.path.abspath(args.source)
    base = load_items(src)
    out = os.path.join(os.path.abspath(args.out), "content")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "zh", "q"))
    os.makedirs(os.path.join(out, "en", "q"))
    for name in COPIED:
        shutil.copyfile(os.path.join(src, name), os.path.join(out, name))
    for lang in ("zh", "en"):
        for key in ("notice", "annex"):
            path = os.path.join(src, lang, f"{key}.md")
            if os.path.isfile(path):
                shutil.copyfile(path, os.path.join(out, lang, f"{key}.md"))
    rng = random.Random(SEED)
    n = args.items
    width = max(2, len(str(n)))
    for i in range(1, n + 1):
        q = base[(i - 1) % len(base)]
        zh, en = list(q["zh"]), list(q["en"])
        if rng.random() < 0.5:
            other = base[rng.randrange(len(base))]
            k = rng.randrange(len(other["zh"]))
            zh.append(other["zh"][k])
            en.append(other["en"][k])
        related = sorted({rng.randrange(1, n + 1) for _ in range(3)} - {i})
        name = f"{i:0{width}d}.md"
        with open(os.path.join(out, "zh", "q", name), "w", encoding="utf-8") as f:
            f.write("---\n")
            f.write(f"number: {i}\n")
            f.write(f"title: {yaml_str(q['zh_title'] + f'（第{i}项）')}\n")
            f.write(f"topic: {q['topic']}\n")
            f.write(f"related: [{', '.join(map(str, related))}]\n")
            f.write("---\n\n" + "\n\n".join(zh) + "\n")
        with open(os.path.join(out, "en", "q", name), "w", encoding="utf-8") as f:
            f.write("---\n")
            f.write(f"number: {i}\n")
            f.write(f"title: {yaml_str(q['en_title'] + f' (item {i})')}\n")
            f.write("---\n\n" + "\n\n".join(en) + "\n")
    print(f"{out}: {n} items in Chinese and English", file=sys.stderr)


def md_to_html(paras):
    """The guide's Markdown is paragraphs and simple lists; enough for the peers' plain pages."""
    out = []
    for p in paras:
        lines = p.split("\n")
        if all(re.match(r"^(-|\*|\d+\.)\s", line) for line in lines):
            tag = "ol" if re.match(r"^\d+\.", lines[0]) else "ul"
            texts = [html.escape(re.sub(r"^(-|\*|\d+\.)\s+", "", line)) for line in lines]
            items = "".join(f"<li>{t}</li>" for t in texts)
            out.append(f"<{tag}>{items}</{tag}>")
        else:
            out.append("<p>" + "<br>\n".join(html.escape(line) for line in lines) + "</p>")
    return "\n".join(out)


HUGO_CONFIG = """baseURL = "/"
title = "{title}"
languageCode = "zh-cn"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false
"""

HUGO_BASEOF = """<!doctype html>
<html lang="{{ with .Params.lang }}{{ . }}{{ else }}zh{{ end }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}</title><link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
"""

HUGO_SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
"""

HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""

HUGO_CSS = "body{max-width:40rem;margin:auto;padding:1rem;font:1rem/1.7 system-ui,sans-serif}h1{font-size:1.4rem}\n"


def cmd_peers(args):
    content = os.path.abspath(args.content)
    items = load_items(content)
    out = os.path.abspath(args.out)
    for sub in ("hugo", "mdbook", "html"):
        if os.path.exists(os.path.join(out, sub)):
            shutil.rmtree(os.path.join(out, sub))
    width = max(2, len(str(items[-1]["number"])))
    pages = {lang: [load_page(content, lang, k) for k in ("notice", "annex")] for lang in ("zh", "en")}

    # Hugo
    hugo = os.path.join(out, "hugo")
    for d in ("layouts/_default", "static", "content/zh/q", "content/en/q"):
        os.makedirs(os.path.join(hugo, d))
    write(os.path.join(hugo, "config.toml"), HUGO_CONFIG.format(title="防止返贫监测帮扶工作指南"))
    write(os.path.join(hugo, "layouts/_default/baseof.html"), HUGO_BASEOF)
    write(os.path.join(hugo, "layouts/_default/single.html"), HUGO_SINGLE)
    write(os.path.join(hugo, "layouts/_default/list.html"), HUGO_LIST)
    write(os.path.join(hugo, "layouts/index.html"), HUGO_LIST)
    write(os.path.join(hugo, "static/style.css"), HUGO_CSS)
    for lang in ("zh", "en"):
        write(os.path.join(hugo, "content", lang, "_index.md"), f"---\ntitle: {lang}\nlang: {lang}\n---\n")
        write(os.path.join(hugo, "content", lang, "q", "_index.md"), f"---\ntitle: {lang}/q\nlang: {lang}\n---\n")
        for k, page in zip(("notice", "annex"), pages[lang]):
            if page:
                body = "\n\n".join(page["paras"])
                write(
                    os.path.join(hugo, "content", lang, f"{k}.md"),
                    f"---\ntitle: {yaml_str(page['title'])}\nlang: {lang}\n---\n\n{body}\n",
                )
        for q in items:
            body = "\n\n".join(q[lang])
            write(
                os.path.join(hugo, "content", lang, "q", f"{q['number']:0{width}d}.md"),
                f"---\ntitle: {yaml_str(q[lang + '_title'])}\nweight: {q['number']}\nlang: {lang}\n"
                f"url: /{lang}/q/{q['number']}/\n---\n\n{body}\n",
            )

    # mdBook
    book = os.path.join(out, "mdbook")
    for d in ("src/zh/q", "src/en/q"):
        os.makedirs(os.path.join(book, d))
    write(
        os.path.join(book, "book.toml"),
        '[book]\ntitle = "防止返贫监测帮扶工作指南"\nlanguage = "zh"\n\n[output.html]\n',
    )
    summary = ["# Summary", ""]
    for lang, part in (("zh", "中文"), ("en", "English")):
        summary += [f"# {part}", ""]
        for k, page in zip(("notice", "annex"), pages[lang]):
            if page:
                write(os.path.join(book, "src", lang, f"{k}.md"), f"# {page['title']}\n\n" + "\n\n".join(page["paras"]) + "\n")
                summary.append(f"- [{md_link_text(page['title'])}]({lang}/{k}.md)")
        for q in items:
            rel = f"{lang}/q/{q['number']:0{width}d}.md"
            title = q[lang + "_title"]
            write(os.path.join(book, "src", rel), f"# {title}\n\n" + "\n\n".join(q[lang]) + "\n")
            summary.append(f"- [{md_link_text(title)}]({rel})")
        summary.append("")
    write(os.path.join(book, "src", "SUMMARY.md"), "\n".join(summary))

    # Plain HTML for Pagefind
    site = os.path.join(out, "html")
    for lang in ("zh", "en"):
        for q in items:
            title = q[lang + "_title"]
            write(
                os.path.join(site, lang, "q", str(q["number"]), "index.html"),
                f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                f"</head>\n<body><main><h1>{html.escape(title)}</h1>\n{md_to_html(q[lang])}\n</main></body></html>\n",
            )
        for k, page in zip(("notice", "annex"), pages[lang]):
            if page:
                write(
                    os.path.join(site, lang, k, "index.html"),
                    f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(page["title"])}'
                    f"</title></head>\n<body><main><h1>{html.escape(page['title'])}</h1>\n{md_to_html(page['paras'])}\n"
                    "</main></body></html>\n",
                )
    print(f"{out}: hugo/, mdbook/, html/ for {len(items)} items", file=sys.stderr)


def md_link_text(s):
    return re.sub(r"([\[\]\\*_`<])", r"\\\1", s)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("corpus", help="N bilingual items in policybook's content format")
    c.add_argument("--items", type=int, required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--source", default=os.path.join(ROOT, "content"))
    p = sub.add_parser("peers", help="a content folder converted for Hugo, mdBook and Pagefind")
    p.add_argument("--content", required=True)
    p.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.cmd == "corpus":
        if args.items < 1:
            fail("--items must be at least 1")
        cmd_corpus(args)
    else:
        cmd_peers(args)


if __name__ == "__main__":
    main()
