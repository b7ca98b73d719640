#!/usr/bin/env python3
"""The first search in Chromium, in alternating runs: policybook sites (e.g. main and a branch)
and Pagefind on the same corpora, each run a fresh browser context per language.

  python3 bench/first_search.py --rounds 5 \
      --site before:handbook=DIR --site after:handbook=DIR ... \
      --pagefind handbook=HTML_DIR ... [--zh 公示要几天] [--en "how long is the public notice"]

For each run, `bench/browser.mjs` loads the engine and the index head the way the search box does,
then answers one query per language, loading the chunks the engine names (ours), or imports
Pagefind, inits it and runs search + data() of the first 10 results (Pagefind). Reported per
variant, corpus and language: the median time of the runs with its min–max, and the bytes
downloaded for it (gzip -9 of each file requested, Pagefind's own compressed files as they are).
The machine's load (`uptime`) is printed before and after. Standard library only; writes the
table to stdout and every figure to target/bench/first_search.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run(config):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(config, f)
    try:
        out = subprocess.run(["node", os.path.join(ROOT, "bench", "browser.mjs"), f.name],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", action="append", default=[], help="VARIANT:CORPUS=DIR (a built policybook site)")
    ap.add_argument("--pagefind", action="append", default=[], help="CORPUS=DIR (plain HTML indexed by Pagefind)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--zh", default="公示要几天")
    ap.add_argument("--en", default="how long is the public notice")
    args = ap.parse_args()
    queries = [{"lang": "zh", "q": args.zh, "expect": []}, {"lang": "en", "q": args.en, "expect": []}]
    variants = []
    for s in args.site:
        name, rest = s.split(":", 1)
        corpus, path = rest.split("=", 1)
        variants.append((name, corpus, {"ours": os.path.abspath(path), "pagefind": None}))
    for s in args.pagefind:
        corpus, path = s.split("=", 1)
        variants.append(("pagefind", corpus, {"ours": None, "pagefind": os.path.abspath(path)}))
    print(f"load before: {uptime()}", file=sys.stderr)
    figures = {}
    for r in range(args.rounds):
        for name, corpus, cfg in variants:
            res = run({**cfg, "queries": queries, "batch": 1, "rounds": 1})
            side = res.get("ours") or res.get("pagefind")
            if side.get("page_errors"):
                sys.exit(f"{name} {corpus}: page errors {side['page_errors']}")
            nbytes = side.get("first_search_bytes") or side.get("first_query_bytes")
            for lang in ("zh", "en"):
                f = figures.setdefault((name, corpus, lang), {"ms": [], "bytes": []})
                f["ms"].append(side["first_search_ms"][lang])
                f["bytes"].append(nbytes[lang])
        print(f"round {r + 1}/{args.rounds} done: {uptime()}", file=sys.stderr)
    print(f"load after: {uptime()}", file=sys.stderr)
    print("| variant | corpus | lang | first search, median (min–max) | downloaded (gzip) |")
    print("|---|---|---|---|---|")
    for (name, corpus, lang), f in figures.items():
        ms = f["ms"]
        print(f"| {name} | {corpus} | {lang} | {statistics.median(ms):.0f} ms ({min(ms):.0f}–{max(ms):.0f}) "
              f"| {statistics.median(f['bytes']) / 1000:.1f} KB |")
    os.makedirs(os.path.join(ROOT, "target", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "target", "bench", "first_search.json"), "w") as out:
        json.dump({f"{n} {c} {l}": v for (n, c, l), v in figures.items()}, out, indent=1)


if __name__ == "__main__":
    main()
