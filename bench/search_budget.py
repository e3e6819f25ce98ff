"""Search budgets on the generated site of N articles (default 10,000):

- what an article page view downloads (uncompressed, images excluded) and that none of it
  is search-related;
- what one query transfers, from opening the search page to the results;
- how much indexing adds to the build;
- the same records indexed by Pagefind, the alternative measured (`pip install -e '.[bench]'`).

    python bench/search_budget.py 10000

Needs Debian's chromium. Run by hand; figures go into the README.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from run import WORK, corpus, write_portal

CHROMIUM = "/usr/bin/chromium"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure_page(browser, url: str, action=None, before: str = "") -> tuple[int, list[tuple[str, int, int]]]:
    """Bytes of every response while loading `url` and running `action`: (url, uncompressed,
    as sent by a server that gzips text, as GitHub Pages does). With `before`, that page is
    opened first in the same browser and what it loaded is not counted (a warm cache)."""
    context = browser.new_context()
    page = context.new_page()
    seen: set[str] = set()
    if before:

        def remember(response) -> None:
            seen.add(response.url)

        page.on("response", remember)
        page.goto(before)
        page.wait_for_load_state("networkidle")
        page.remove_listener("response", remember)
    sizes: list[tuple[str, int, int]] = []

    def on_response(response) -> None:
        if response.request.resource_type == "image" or response.url in seen:
            return
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            return
        kind = response.headers.get("content-type", "")
        textual = any(t in kind for t in ("text/", "javascript", "json", "xml"))
        sizes.append((response.url, len(body), len(gzip.compress(body)) if textual else len(body)))

    page.on("response", on_response)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if action:
        action(page)
        page.wait_for_load_state("networkidle")
    context.close()
    return sum(s for _, s, _ in sizes), sizes


def records_of(root: Path) -> list:
    """The search records of the generated project's articles, read as the build reads them."""
    from chibo.articles import read_article
    from chibo.project import find_project
    from chibo.search import article_record

    project = find_project(root)
    portal = project.portal()
    paths = sorted(project.articles.rglob("*.md"))
    return [article_record(read_article(p.relative_to(project.docs).as_posix(), p.read_bytes(), portal)) for p in paths]


def compare_indexers(root: Path) -> None:
    """The portal's index and Pagefind on the same records, each alone in this process."""
    from chibo.search import INDEX_DIR, make_index
    from pagefind_index import write_pagefind

    records = records_of(root)
    categories = sorted({r.category for r in records})
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        ok, made, _ = make_index(records, categories)
        assert ok and isinstance(made, dict), made
        for name, text in made.items():  # written as the build writes them, one file each
            target = Path(out) / INDEX_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        ours = time.perf_counter() - started
        os.sync()
        files = sum(1 for _ in Path(out).rglob("*.json"))
        size = sum(f.stat().st_size for f in Path(out).rglob("*.json"))
        theirs = write_pagefind(records, out)
        pf_files = sum(1 for f in Path(out).rglob("*") if f.is_file()) - files
    print(
        f"indexing {len(records)} records: portal {ours:.1f} s ({files} files, {size / 1e6:.1f} MB); "
        f"Pagefind {theirs:.1f} s ({pf_files} files)"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    root = WORK / f"search{n}"
    shutil.rmtree(root, ignore_errors=True)
    config = write_portal(root, corpus(n))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
    # Five alternating pairs, the median of each: single builds on this machine vary by up to 30 %.
    timings: dict[str, list[float]] = {"without search": [], "with search": []}
    for _ in range(5):
        for label, extra in (("without search", {"CHIBO_NO_SEARCH": "1"}), ("with search", {})):
            shutil.rmtree(root / "site", ignore_errors=True)
            os.sync()  # the previous build's writeback must not slow this one
            time.sleep(1)
            started = time.perf_counter()
            subprocess.run(cmd, cwd=root, env={**env, **extra}, check=True, capture_output=True)
            timings[label].append(time.perf_counter() - started)
    build, bare = statistics.median(timings["with search"]), statistics.median(timings["without search"])
    site = root / "site"
    pages = sum(1 for _ in site.rglob("*.html"))
    print(
        f"{n} articles, {pages} pages, median of 5: build {bare:.1f} s without the search index, {build:.1f} s "
        f"with it: +{100 * (build - bare) / bare:.0f} % (runs: {', '.join(f'{t:.1f}' for t in timings['without search'])} "
        f"without; {', '.join(f'{t:.1f}' for t in timings['with search'])} with)"
    )
    compare_indexers(root)

    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    article = next(p for p in sorted((site / "bai-viet").rglob("index.html")))
    article_url = base + str(article.parent.relative_to(site)) + "/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        total, sizes = measure_page(browser, article_url)
        search_related = [u for u, _, _ in sizes if "chi-muc" in u or "search" in u]
        print(
            f"article page view: {total / 1000:.0f} kB in {len(sizes)} requests; search-related: {search_related or 'none'}"
        )
        for query in ("dang bo tong ket", "sinh hoat chi bo", "nghi quyet"):

            def wait(page) -> None:
                page.wait_for_selector(".portal-search__result", timeout=30_000)

            url = f"{base}tim-kiem/?q={query.replace(' ', '+')}"
            total, sizes = measure_page(browser, url, wait)
            index = sum(s for u, s, _ in sizes if "/chi-muc/" in u)
            _, warm = measure_page(browser, url, wait, before=article_url)
            sent = sum(z for _, _, z in warm)
            cold_sent = sum(z for _, _, z in sizes)
            print(
                f"query '{query}': cold {total / 1000:.0f} kB uncompressed ({index / 1000:.0f} kB of index), "
                f"{cold_sent / 1000:.0f} kB as sent gzipped; "
                f"from an article page, as sent gzipped: {sent / 1000:.0f} kB in {len(warm)} requests"
            )
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
