"""Lighthouse (npm `lighthouse@12.2.3`, mobile) on the home page and the model article of
the default site, driven against Debian's chromium. Run by hand; scores go into BENCHMARKS.md.

    npm ci && python bench/lighthouse.py
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules/.bin/lighthouse"
CHROMIUM = os.environ.get("CHIBO_CHROMIUM", "/usr/bin/chromium")
PAGES = {
    "trang chủ": "",
    "bài viết mẫu": "bai-viet/2023/11/mot-so-giai-phap-tiep-tuc-nang-cao-chat-luong-sinh-hoat-chi-bo/",
}
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the site as GitHub Pages does in the two respects the benches measure: text is
    gzipped, and every file may be cached for ten minutes."""

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        textual = path.suffix in {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg"}
        if not (textual and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # the browser closed a connection it no longer needed (a page left)


@contextmanager
def serve_gzipped(directory: str | Path) -> Iterator[str]:
    """`directory` on 127.0.0.1, served as GitHub Pages serves it; yields the base URL."""
    httpd = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def scores(url: str, out: Path) -> list[int]:
    """Lighthouse's four scores (mobile) for one page."""
    report = out / "lighthouse.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={FLAGS}",
            "--only-categories=performance,accessibility,best-practices,seo",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return [
        round(100 * (categories[c]["score"] or 0)) for c in ("performance", "accessibility", "best-practices", "seo")
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", out], cwd=REPO, env=env, check=True)
        with serve_gzipped(out) as base:
            print("| page | performance | accessibility | best practices | SEO |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for name, path in PAGES.items():
                print(f"| {name} | " + " | ".join(map(str, scores(base + path, Path(out)))) + " |")


if __name__ == "__main__":
    main()
