#!/usr/bin/env python3
"""Runs the comparison of bench/run.sh and prints one table (Markdown) of medians and ratios.

Called by bench/run.sh after it has installed the peers and built policybook in release mode;
the paths of the tools come as options. Standard library only. Work folder: target/bench/.

  python3 bench/bench.py --policybook target/release/policybook --hugo hugo \
      --mdbook target/bench-tools/bin/mdbook --pagefind bench/node_modules/.../pagefind_extended \
      [--corpora handbook,1000,10000] [--reps handbook=7,1000=5,10000=3]

Build time: wall clock of the whole command, output folder removed before each run (not timed),
the tools taking turns within each repetition; peak memory: the child's maximum resident set
(wait4). A previous output is moved aside (not deleted) before each build, so that no build
pays for the file system's work on another's files. Sizes: bytes of each file (not blocks) and
gzip -9 of each file, summed. The table goes to stdout and to
target/bench/table.md; every raw figure to target/bench/results.json.
"""

import argparse
import glob
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "bench")
TOOLS = ["policybook", "hugo", "mdbook", "pagefind"]
CASE = {
    "members": 4,
    "members_with_labor": 2,
    "poverty_alleviated": False,
    "hukou": "rural",
    "income": {"wages": 48000},
    "expenses": {"medical": 60000},
    "problems": [],
    "sudden_hardship": True,
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def fail(msg):
    log(f"error: {msg}")
    sys.exit(2)


def run_measured(cmd, cwd=None, timeout=None, cpu=None):
    """Runs cmd; returns (seconds, peak RSS in MiB), or (None, MiB) when it ran past `timeout`
    seconds and was stopped. Appends its CPU time (user + system, seconds) to `cpu` if given.
    Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    timer = threading.Timer(timeout, proc.kill) if timeout else None
    if timer:
        timer.start()
    # Read stderr while waiting so that a chatty tool cannot block on a full pipe.
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if cpu is not None:
        cpu.append(usage.ru_utime + usage.ru_stime)
    if timer:
        timer.cancel()
        if elapsed >= timeout:
            proc.returncode = -9
            return None, usage.ru_maxrss / 1024
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        fail(f"`{' '.join(cmd)}` exited with {proc.returncode}:\n{err.decode('utf-8', 'replace')[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024


def gz(data):
    return len(gzip.compress(data, 9, mtime=0))


def sizes(paths):
    """(raw bytes, gzip bytes, file count) of files."""
    raw = zipped = 0
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        raw += len(data)
        zipped += gz(data)
    return raw, zipped, len(paths)


def tree_files(root, keep=lambda rel: True):
    out = []
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if keep(os.path.relpath(p, root)):
                out.append(p)
    return sorted(out)


def tree_size(root):
    files = tree_files(root)
    return sum(os.path.getsize(p) for p in files), len(files)


def one(pattern):
    found = sorted(glob.glob(pattern))
    return found[0] if found else None


def page_with_css(page, site_root):
    """gzip bytes of an HTML page plus the stylesheets it links (screen, not print)."""
    with open(page, "rb") as f:
        html = f.read()
    total = gz(html)
    css = []
    for tag in re.findall(rb"<link\b[^>]*>", html):
        text = tag.decode("utf-8", "replace")
        if not re.search(r"rel=[\"']?stylesheet", text) or re.search(r"media=[\"']?print", text):
            continue
        m = re.search(r"href=[\"']?([^\"' >]+)", text)
        if not m:
            continue
        href = m.group(1).split("?")[0].split("#")[0]
        path = os.path.join(site_root, href.lstrip("/")) if href.startswith("/") else os.path.join(os.path.dirname(page), href)
        path = os.path.normpath(path)
        if os.path.isfile(path):
            css.append(path)
    for p in css:
        with open(p, "rb") as f:
            total += gz(f.read())
    return total, len(css)


def prepare(corpora):
    """Content folders and the peers' formats: name → dict of paths."""
    out = {}
    for name in corpora:
        base = os.path.join(WORK, "handbook" if name == "handbook" else f"corpus-{name}")
        os.makedirs(base, exist_ok=True)
        if name == "handbook":
            content = os.path.join(ROOT, "content")
        else:
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "corpus", "--items", name, "--out", base], check=True)
            content = os.path.join(base, "content")
            themes = os.path.join(base, "themes")
            if not os.path.islink(themes):
                if os.path.exists(themes):
                    shutil.rmtree(themes)
                os.symlink(os.path.join(ROOT, "themes"), themes)
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "peers", "--content", content, "--out", base], check=True)
        out[name] = {"base": base, "content": content}
    return out


def commands(args, c):
    base = c["base"]
    return {
        "policybook": ([args.policybook, "build", "--content", c["content"], "--out", os.path.join(base, "out-policybook"), "--quiet"], os.path.join(base, "out-policybook")),
        "hugo": ([args.hugo, "--quiet", "-s", os.path.join(base, "hugo"), "-d", os.path.join(base, "out-hugo")], os.path.join(base, "out-hugo")),
        "mdbook": ([args.mdbook, "build", os.path.join(base, "mdbook"), "-d", os.path.join(base, "out-mdbook")], os.path.join(base, "out-mdbook")),
        "pagefind": ([args.pagefind, "--site", os.path.join(base, "html"), "--quiet"], os.path.join(base, "html", "pagefind")),
    }


def item_page(tool, out, name):
    n = 12 if name == "handbook" else 1
    return {
        "policybook": os.path.join(out, "zh", "q", str(n), "index.html"),
        "hugo": os.path.join(out, "zh", "q", str(n), "index.html"),
        "mdbook": one(os.path.join(out, "zh", "q", f"*{n:02d}.html")) if name == "handbook" else one(os.path.join(out, "zh", "q", f"{n:0{len(name)}d}.html")),
    }.get(tool)


TRASH = os.path.join(WORK, "trash")


def set_aside(out):
    """Moves a previous output out of the way (a rename) instead of deleting it: ext4 is slow to
    allocate inodes for about five seconds after as many were deleted, which would charge the
    next build for the previous one's files. Everything set aside is deleted at the end."""
    if os.path.exists(out):
        os.makedirs(TRASH, exist_ok=True)
        os.rename(out, os.path.join(TRASH, f"{len(os.listdir(TRASH))}"))


def empty_trash(settle=False):
    """Deletes what was set aside; with `settle`, then waits out the file system's five seconds
    (see set_aside) so that the builds that follow do not pay for the deletion."""
    if os.path.exists(TRASH):
        shutil.rmtree(TRASH)
        if settle:
            time.sleep(6)


def measure_corpus(args, name, c, reps):
    """Builds with every tool `reps` times. A tool that runs past --timeout is stopped and not run
    again on this corpus: its time is reported as more than the timeout, its sizes not at all."""
    cmds = commands(args, c)
    times = {t: [] for t in TOOLS}
    mems = {t: [] for t in TOOLS}
    cpus = {t: [] for t in TOOLS}
    stopped = set()
    for rep in range(reps):
        for tool in TOOLS:
            if tool in stopped:
                continue
            cmd, out = cmds[tool]
            set_aside(out)
            secs, mib = run_measured(cmd, timeout=args.timeout, cpu=cpus[tool])
            if secs is None:
                stopped.add(tool)
                log(f"  {name}: {tool} ran past {args.timeout:g} s and was stopped; it is not run again on this corpus")
                continue
            times[tool].append(secs)
            mems[tool].append(mib)
        log(f"  {name}: repetition {rep + 1}/{reps}: "
            + ", ".join(f"{t} {times[t][-1] * 1e3:.0f} ms" if t not in stopped else f"{t} stopped" for t in TOOLS))
    r = {"reps": reps, "time_s": {}, "cpu_s": {}, "rss_mib": {}, "times_s": times, "stopped": sorted(stopped),
         "timeout_s": args.timeout}
    for t in TOOLS:
        r["time_s"][t] = statistics.median(times[t]) if t not in stopped else None
        r["cpu_s"][t] = statistics.median(cpus[t]) if t not in stopped else None
        r["rss_mib"][t] = statistics.median(mems[t]) if t not in stopped else mems[t][0] if mems[t] else None
    outs = {t: cmds[t][1] for t in TOOLS if t not in stopped}
    r["output"] = {t: tree_size(outs[t]) for t in outs}
    r["index"] = {}
    if "policybook" in outs:
        r["index"]["policybook"] = sizes(tree_files(os.path.join(outs["policybook"], "assets"), lambda rel: rel.startswith("search-")))
    if "mdbook" in outs:
        book = outs["mdbook"]
        index_book = tree_files(book, lambda rel: re.match(r"searchindex(-[0-9a-f]+)?\.js(on)?$", rel) is not None)
        r["index"]["mdbook"] = sizes(index_book)
    if "pagefind" in outs:
        bundle = re.compile(r"^(pagefind[-\w]*\.(js|css)|wasm\.[\w-]+\.pagefind)$")
        r["index"]["pagefind"] = sizes(tree_files(outs["pagefind"], lambda rel: not bundle.match(rel)))
    r["page"] = {}
    for tool in [t for t in ("policybook", "hugo", "mdbook") if t in outs]:
        page = item_page(tool, outs[tool], name)
        if page and os.path.isfile(page):
            r["page"][tool] = page_with_css(page, outs[tool])
    return r


def assets(c):
    """The search and checker assets of the handbook outputs: name → (raw, gzip, files)."""
    ours = os.path.join(c["base"], "out-policybook", "assets")
    engines = tree_files(ours, lambda rel: rel.startswith("engine"))
    app = tree_files(ours, lambda rel: re.match(r"app\.[0-9a-f]+\.js$", rel) is not None)
    check = tree_files(ours, lambda rel: re.match(r"check\.[0-9a-f]+\.js$", rel) is not None)
    search_engine = [p for p in engines if "search" in os.path.basename(p)] or engines
    tool_engine = [p for p in engines if p not in search_engine] or engines
    pf = os.path.join(c["base"], "html", "pagefind")
    pf_core = [os.path.join(pf, "pagefind.js")] + [p for p in (one(os.path.join(pf, "wasm.unknown.pagefind")),) if p]
    pf_ui = [os.path.join(pf, n) for n in ("pagefind-ui.js", "pagefind-ui.css")]
    book = os.path.join(c["base"], "out-mdbook")
    book_search = [p for p in tree_files(book, lambda rel: re.search(r"(elasticlunr|searcher|mark)[^/]*\.js$", rel) is not None)]
    return {
        "ours_search": sizes(sorted(set(search_engine + app))),
        "ours_all": sizes(sorted(set(engines + app + check))),
        "ours_checker": sizes(sorted(set(tool_engine + check))),
        "pagefind_core": sizes([p for p in pf_core if os.path.isfile(p)]),
        "pagefind_ui": sizes([p for p in pf_core + pf_ui if os.path.isfile(p)]),
        "mdbook_search": sizes(book_search),
    }


def native_query(site, reps):
    cmd = ["cargo", "bench", "--quiet", "--bench", "native_query", "--", "--site", site, "--reps", str(reps),
           "--queries", os.path.join(ROOT, "tests", "relevance", "queries.yaml")]
    out = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE).stdout.decode()
    return json.loads(out.strip().splitlines()[-1])


def cli_search(args, site, queries):
    times = []
    for q in queries:
        for _ in range(3):
            secs, _ = run_measured([args.policybook, "search", "--site", site, "--lang", q["lang"], q["q"]])
            times.append(secs)
    return statistics.median(times)


def browser(cfg, name):
    path = os.path.join(WORK, f"browser-{name}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(cfg, f, ensure_ascii=False)
    out = subprocess.run(["node", os.path.join(ROOT, "bench", "browser.mjs"), path], cwd=ROOT, check=True, stdout=subprocess.PIPE).stdout.decode()
    return json.loads(out.strip().splitlines()[-1])


# ---- the table ------------------------------------------------------------------------------

def fmt_ms(s):
    if s is None:
        return "–"
    ms = s * 1e3
    return f"{ms:,.0f} ms" if ms >= 100 else f"{ms:.1f} ms" if ms >= 1 else f"{ms * 1e3:.0f} µs"


def fmt_kb(b):
    if b is None:
        return "–"
    return f"{b / 1e6:,.1f} MB" if b >= 1e6 else f"{b / 1e3:,.1f} KB"


def ratio(a, b, cap=None):
    """a / b; b infinite means "stopped at `cap` seconds", so the ratio is below a / cap."""
    if a is None or b in (None, 0) or a == float("inf"):
        return "–"
    if b == float("inf"):
        return f"< {a / cap:.2f}×" if cap else "–"
    return f"{a / b:.2f}×"


def table(res, corpora):
    head = ["metric", "corpus", "policybook", "Hugo", "mdBook", "Pagefind", "Hugo+Pagefind",
            "pb/Hugo", "pb/mdBook", "pb/Pagefind", "pb/(Hugo+PF)"]
    rows = []

    def add(metric, corpus, vals, fmt, ratios=True, cap=None):
        """vals: dict tool → number (or None; infinity for a build stopped at `cap` seconds)."""
        pb = vals.get("policybook")
        hp = vals.get("hugo+pagefind")
        row = [metric, corpus] + [fmt(vals.get(t)) if vals.get(t) is not None else "–" for t in ("policybook", "hugo", "mdbook", "pagefind", "hugo+pagefind")]
        if ratios:
            row += [ratio(pb, vals.get(t), cap) for t in ("hugo", "mdbook", "pagefind")] + [ratio(pb, hp, cap)]
        else:
            row += ["–"] * 4
        rows.append(row)

    label = lambda n: "handbook (42)" if n == "handbook" else f"{int(n):,} items"
    def both(a, b, f):
        return f(a, b) if a is not None and b is not None else None

    for n in corpora:
        b = res["builds"][n]
        t = dict(b["time_s"])
        t["hugo+pagefind"] = both(t["hugo"], t["pagefind"], lambda x, y: x + y)
        stopped = set(b.get("stopped", []))
        for tool in stopped:
            t[tool] = float("inf")
        fmt_t = lambda v: f"> {b['timeout_s']:g} s (stopped)" if v == float("inf") else fmt_ms(v)
        add(f"build time, median of {b['reps']}", label(n), t, fmt_t, cap=b["timeout_s"])
    for n in corpora:
        b = res["builds"][n]
        c = dict(b["cpu_s"])
        c["hugo+pagefind"] = both(c["hugo"], c["pagefind"], lambda x, y: x + y)
        add("build CPU time, user + system (all threads)", label(n), c, fmt_ms)
    for n in corpora:
        b = res["builds"][n]
        m = dict(b["rss_mib"])
        m["hugo+pagefind"] = both(m["hugo"], m["pagefind"], max)
        add("peak memory (max RSS; a stopped build: when stopped)", label(n), m, lambda v: f"{v:,.0f} MiB")
    for n in corpora:
        o = res["builds"][n]["output"]
        v = {t: o[t][0] for t in o}
        v["hugo+pagefind"] = both(v.get("hugo"), v.get("pagefind"), lambda x, y: x + y)
        add("output size (Pagefind: its bundle)", label(n), v, fmt_kb)
    for n in corpora:
        ix = res["builds"][n]["index"]
        v = {t: ix[t][1] for t in ix}
        v["hugo+pagefind"] = v.get("pagefind")
        add("search index, gzip (both languages)", label(n), v, fmt_kb)
    a = res["assets"]
    add("search assets raw (pb: engine+app.js; PF: pagefind.js+wasm+UI; mdBook: elasticlunr+searcher+mark)", "handbook",
        {"policybook": a["ours_search"][0], "mdbook": a["mdbook_search"][0], "pagefind": a["pagefind_ui"][0], "hugo+pagefind": a["pagefind_ui"][0]}, fmt_kb)
    add("search assets gzip (same files)", "handbook",
        {"policybook": a["ours_search"][1], "mdbook": a["mdbook_search"][1], "pagefind": a["pagefind_ui"][1], "hugo+pagefind": a["pagefind_ui"][1]}, fmt_kb)
    add("search core gzip (pb: engine; PF: pagefind.js+wasm)", "handbook",
        {"policybook": res["assets"].get("ours_engine_search_gz"), "pagefind": a["pagefind_core"][1], "hugo+pagefind": a["pagefind_core"][1]}, fmt_kb)
    add("search + checker assets raw / gzip (pb: engines+app.js+check.js)", "handbook",
        {"policybook": a["ours_all"][1]}, lambda v: f"{fmt_kb(a['ours_all'][0])} / {fmt_kb(v)}", ratios=False)
    for n in corpora:
        p = res["builds"][n]["page"]
        v = {t: p[t][0] for t in p}
        add("item page + its CSS, gzip (Hugo: minimal layout)", label(n), v, fmt_kb)
    q = res["queries"]
    for n, nq in q["native"].items():
        add(f"query, native in-process (median of {nq['queries']} queries)", label(n), {"policybook": nq["query_median_us"] / 1e6}, fmt_ms, ratios=False)
    if "cli" in q:
        add("`policybook search` whole command (median)", "handbook", {"policybook": q["cli"]}, fmt_ms, ratios=False)
    for n, br in q["browser"].items():
        v = {"policybook": br["ours"]["query_median_ms"] / 1e3}
        if "pagefind" in br:
            v["pagefind"] = br["pagefind"]["query_median_ms"] / 1e3
            v["hugo+pagefind"] = v["pagefind"]
        add(f"query in Chromium (median of {br['ours']['queries']}; PF: search + data() of 10)", label(n), v, fmt_ms)
        v = {"policybook": (sum(br["ours"]["engine_start_ms"].values()) + sum(br["ours"]["index_load_ms"].values())) / 2e3}
        if "pagefind" in br:
            v["pagefind"] = sum(br["pagefind"]["first_query_ms"].values()) / 2e3
            v["hugo+pagefind"] = v["pagefind"]
        add("first search in Chromium (pb: engine start + index load; PF: first query)", label(n), v, fmt_ms)
        if "check" in br["ours"]:
            add("checker evaluation in Chromium (validate + check)", label(n), {"policybook": br["ours"]["check"]["ms"] / 1e3}, fmt_ms, ratios=False)
    rel = q.get("relevance")
    if rel:
        add("relevance: queries with an expected item in the top 3", "handbook",
            {"policybook": rel["policybook"] / rel["queries"], "pagefind": rel["pagefind"] / rel["queries"],
             "hugo+pagefind": rel["pagefind"] / rel["queries"]},
            lambda v: f"{v * 100:.1f}% ({round(v * rel['queries'])}/{rel['queries']})")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--policybook", required=True)
    ap.add_argument("--hugo", required=True)
    ap.add_argument("--mdbook", required=True)
    ap.add_argument("--pagefind", required=True)
    ap.add_argument("--corpora", default="handbook,1000,10000")
    ap.add_argument("--reps", default="handbook=7,1000=5,10000=3", help="repetitions per corpus (default for others: 3)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds after which a build is stopped (default 120)")
    args = ap.parse_args()
    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    if "handbook" not in corpora:
        fail("--corpora must include handbook (the relevance and asset figures come from it)")
    for c in corpora:
        if c != "handbook" and not c.isdigit():
            fail(f"--corpora: `{c}` is neither `handbook` nor a number of items")
    reps = {k: int(v) for k, v in (kv.split("=") for kv in args.reps.split(","))}
    os.makedirs(WORK, exist_ok=True)

    empty_trash(settle=True)
    log("== corpora")
    dirs = prepare(corpora)
    res = {"builds": {}, "queries": {"native": {}, "browser": {}}}
    for name in corpora:
        log(f"== builds: {name}")
        res["builds"][name] = measure_corpus(args, name, dirs[name], reps.get(name, 3))
        if "policybook" in res["builds"][name]["stopped"]:
            fail(f"policybook's own build of {name} ran past --timeout; raise it (the query figures need the site)")
    hb = dirs["handbook"]
    res["assets"] = assets(hb)
    ours_assets = os.path.join(hb["base"], "out-policybook", "assets")
    engines = tree_files(ours_assets, lambda rel: rel.startswith("engine"))
    search_engine = [p for p in engines if "search" in os.path.basename(p)] or engines
    res["assets"]["ours_engine_search_gz"] = sizes(search_engine)[1]

    log("== queries: native")
    site_hb = os.path.join(hb["base"], "out-policybook")
    nq = native_query(site_hb, 200)
    res["queries"]["native"]["handbook"] = nq
    queries = [{"lang": r["lang"], "q": r["q"], "expect": r["expect"]} for r in nq["rows"]]
    res["queries"]["cli"] = cli_search(args, site_hb, queries[:10])
    big = [c for c in corpora if c != "handbook"]
    if big:
        site_big = os.path.join(dirs[big[-1]]["base"], "out-policybook")
        res["queries"]["native"][big[-1]] = native_query(site_big, 20)

    log("== queries and checker: Chromium")
    cfg = {"ours": site_hb, "pagefind": os.path.join(hb["base"], "html"), "queries": queries,
           "batch": 20, "rounds": 5, "check": True, "case": CASE}
    res["queries"]["browser"]["handbook"] = browser(cfg, "handbook")
    if big:
        sample = queries[::6]
        pf_big = None if "pagefind" in res["builds"][big[-1]]["stopped"] else os.path.join(dirs[big[-1]]["base"], "html")
        cfg = {"ours": site_big, "pagefind": pf_big, "queries": sample,
               "batch": 3, "rounds": 3, "check": False, "case": CASE}
        res["queries"]["browser"][big[-1]] = browser(cfg, big[-1])
    br = res["queries"]["browser"]["handbook"]
    res["queries"]["relevance"] = {"policybook": br["ours"]["hits"], "pagefind": br["pagefind"]["hits"], "queries": br["ours"]["queries"],
                                   "policybook_native": nq["hits"]}
    if nq["hits"] != br["ours"]["hits"]:
        log(f"warning: top-3 hits differ between native ({nq['hits']}) and the page ({br['ours']['hits']})")

    with open(os.path.join(WORK, "results.json"), "w", encoding="utf-8") as f:
        json.dump(res, f, ensure_ascii=False, indent=1)
    t = table(res, corpora)
    with open(os.path.join(WORK, "table.md"), "w", encoding="utf-8") as f:
        f.write(t + "\n")
    print(t, flush=True)
    log("== deleting the outputs set aside (several minutes after a 10,000-item run; the table is above)")
    empty_trash()


if __name__ == "__main__":
    main()
