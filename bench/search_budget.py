"""Search, full text, the portal's own index against Pagefind on the same site, in one run:

- what indexing adds to a cold build (alternating builds with and without the index), and the
  files each writes;
- bytes transferred (as sent: text gzipped, as GitHub Pages serves it) for a first query on a
  fresh search page, and for a second query on the same page;
- time from the reader's last keystroke to the first results shown, in Chromium with 4x CPU
  throttling, the index files already in the browser's cache (the median of a few queries);
- that an article page loads nothing search-related.

The site is the generated one with `varied` bodies (a vocabulary with a long tail, as real
articles have). Pagefind indexes the same records (`bench/pagefind_index.py`), full text, and is
searched by a page that does what the portal's search page does: search 120 ms after the last
keystroke, then show 20 results with their excerpts.

    pip install -e '.[bench]'
    python bench/search_budget.py 10000

Needs Debian's chromium. Run by hand; figures go into BENCHMARKS.md.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lighthouse import serve_gzipped
from run import WORK, corpus, write_portal

CHROMIUM = "/usr/bin/chromium"
PAUSE_MS = 120  # the portal's search page waits this long after a keystroke; the Pagefind page too
FIRST, SECOND = "nghi quyet chi bo", "kiem tra giam sat"
TIMED = ("sinh hoat chuyen d", "dang vien moi", "ke hoach thuc hien nhiem vu", "tong ket cong tac nam")

PAGEFIND_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><input id="q" autocomplete="off"><ol id="r"></ol>
<script type="module">
const pagefind = await import("../pagefind/pagefind.js");
await pagefind.options({ excerptLength: 32 });
const input = document.getElementById("q"), list = document.getElementById("r");
let timer = 0, latest = 0;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, PAUSE_MS); });
async function run() {
  const mine = ++latest;
  const found = await pagefind.search(input.value);
  if (mine !== latest || !found) { return; }
  // as the portal's page (and Pagefind's own UI) do: each result shown once it and those above it are loaded
  const loading = found.results.slice(0, 20).map((r) => r.data());
  let first = true;
  for (const pending of loading) {
    const d = await pending;
    if (mine !== latest) { return; }
    if (first) { list.replaceChildren(); first = false; }
    const li = document.createElement("li");
    li.className = "result";
    const h = document.createElement("h2");
    h.textContent = d.meta.title || "";
    const p = document.createElement("p");
    p.innerHTML = d.excerpt;  // Pagefind's excerpt is HTML with <mark>
    li.append(h, p);
    list.append(li);
  }
}
</script></body></html>
""".replace("PAUSE_MS", str(PAUSE_MS))

# Marks, in the page, the last keystroke and when the first result appeared.
TIMER = """
window.bench = { key: 0, first: 0 };
document.addEventListener("keydown", () => { window.bench.key = performance.now(); window.bench.first = 0; }, true);
new MutationObserver(() => {
  if (!window.bench.first && window.bench.key && document.querySelector("%s")) { window.bench.first = performance.now(); }
}).observe(document, { childList: true, subtree: true });
"""


def records_of(root: Path) -> list:
    """The search records of the generated project's articles, read as the build reads them."""
    from chibo.articles import read_article
    from chibo.project import find_project
    from chibo.search import article_record

    project = find_project(root)
    portal = project.portal()
    paths = sorted(project.articles.rglob("*.md"))
    return [article_record(read_article(p.relative_to(project.docs).as_posix(), p.read_bytes(), portal)) for p in paths]


def cold_builds(root: Path, pairs: int) -> dict[str, list[float]]:
    """Alternating cold builds (no site/, no cache) without and with the index."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")]
    timings: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(pairs):
        for label, extra in (("without", {"CHIBO_NO_SEARCH": "1"}), ("with", {})):
            shutil.rmtree(root / "site", ignore_errors=True)
            shutil.rmtree(root / ".cache", ignore_errors=True)
            os.sync()  # the previous build's writeback must not slow this one
            time.sleep(1)
            started = time.perf_counter()
            subprocess.run(cmd, cwd=root, env={**env, **extra}, check=True, capture_output=True)
            timings[label].append(time.perf_counter() - started)
    return timings


def files_in(folder: Path) -> tuple[int, int]:
    found = [f for f in folder.rglob("*") if f.is_file()]
    return len(found), sum(f.stat().st_size for f in found)


def sent(requests: list) -> int:
    """Bytes as sent over the network (headers and, gzipped where the server gzips, bodies)."""
    total = 0
    for request in requests:
        try:
            sizes = request.sizes()
        except Exception:  # noqa: BLE001 - an aborted request has no sizes
            continue
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


def two_queries(browser, url: str, field: str, result: str) -> tuple[int, int, int, int]:
    """A fresh browser: open the search page, type FIRST, wait for results, then SECOND on the same
    page. Returns (bytes, requests) for the first query (page included) and for the second."""
    context = browser.new_context(bypass_csp=True)  # the bench's own probes are not the site's scripts
    page = context.new_page()
    responses: list = []  # the requests finished
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.click(field)
    page.keyboard.type(FIRST, delay=30)
    page.wait_for_selector(result, timeout=60_000)
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    first = list(responses)
    responses.clear()
    before = page.locator(result).first.inner_text()
    page.fill(field, "")
    page.keyboard.type(SECOND, delay=30)
    # the second query's results: a new first result
    page.wait_for_function(
        "([sel, before]) => { const e = document.querySelector(sel); return e && e.innerText !== before; }",
        arg=[result, before],
        timeout=60_000,
    )
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    second = list(responses)
    figures = sent(first), len(first), sent(second), len(second)
    context.close()
    return figures


def time_to_results(browser, url: str, field: str, result: str, query: str) -> float:
    """Milliseconds from the last keystroke to the first result, 4x CPU throttling, files cached:
    the query is made once to fill the cache, then again on a freshly loaded page."""
    context = browser.new_context(bypass_csp=True)  # the bench's own probes are not the site's scripts
    page = context.new_page()
    page.add_init_script(TIMER % result)
    for attempt in range(2):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if attempt:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.click(field)
        page.keyboard.type(query, delay=80)
        page.wait_for_function("window.bench.first > 0", timeout=60_000)
        elapsed = page.evaluate("window.bench.first - window.bench.key")
        page.wait_for_load_state("networkidle")
    context.close()
    return elapsed


def main() -> None:
    from chibo.search import INDEX_DIR
    from pagefind_index import write_pagefind
    from playwright.sync_api import sync_playwright

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    pairs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    root = WORK / f"search{n}"
    shutil.rmtree(root, ignore_errors=True)
    write_portal(root, corpus(n, varied=True))
    timings = cold_builds(root, pairs)
    bare, build = statistics.median(timings["without"]), statistics.median(timings["with"])
    site = root / "site"
    ours_files, ours_bytes = files_in(site / INDEX_DIR)
    print(
        f"{n} articles, cold builds, median of {pairs}: {bare:.1f} s without the index, {build:.1f} s with it: "
        f"+{100 * (build - bare) / bare:.0f} % (without: {', '.join(f'{t:.1f}' for t in timings['without'])}; "
        f"with: {', '.join(f'{t:.1f}' for t in timings['with'])}); index: {ours_files} files, {ours_bytes / 1e6:.1f} MB"
    )

    records = records_of(root)
    os.sync()
    with tempfile.TemporaryDirectory() as out:
        seconds = write_pagefind(records, out)
        shutil.copytree(Path(out) / "pagefind", site / "pagefind")
    pf_files, pf_bytes = files_in(site / "pagefind")
    print(
        f"Pagefind on the same {len(records)} records, full text: {seconds:.1f} s = +{100 * seconds / bare:.0f} % "
        f"of the build without an index; {pf_files} files, {pf_bytes / 1e6:.1f} MB"
    )
    (site / "pagefind-bench").mkdir(exist_ok=True)
    (site / "pagefind-bench/index.html").write_text(PAGEFIND_PAGE, encoding="utf-8")

    engines = {
        "portal": ("tim-kiem/", "#portal-search-q", ".portal-search__result"),
        "Pagefind": ("pagefind-bench/", "#q", "li.result"),
    }
    with serve_gzipped(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        article = next(p for p in sorted((site / "bai-viet").rglob("index.html")))
        context = browser.new_context(bypass_csp=True)  # the bench's own probes are not the site's scripts
        page = context.new_page()
        loaded: list[str] = []
        page.on("request", lambda r: loaded.append(r.url))
        page.goto(base + str(article.parent.relative_to(site)) + "/")
        page.wait_for_load_state("networkidle")
        context.close()
        related = [u for u in loaded if "chi-muc" in u or "pagefind" in u or "search" in u]
        print(f"article page: {len(loaded)} requests, search-related: {related or 'none'}")
        for name, (path, field, result) in engines.items():
            first, first_n, second, second_n = two_queries(browser, base + path, field, result)
            times = [time_to_results(browser, base + path, field, result, q) for q in TIMED]
            print(
                f"{name}: first query '{FIRST}' {first / 1000:.0f} kB in {first_n} requests (page included); "
                f"second '{SECOND}' +{second / 1000:.0f} kB in {second_n}; last key to first result, 4x CPU "
                f"throttling, cached: median {statistics.median(times):.0f} ms "
                f"({', '.join(f'{t:.0f}' for t in times)} for {', '.join(TIMED)})"
            )
        browser.close()


if __name__ == "__main__":
    main()
