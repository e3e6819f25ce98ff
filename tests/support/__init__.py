"""The tests' helpers: build real sites from real Markdown in temporary folders, with the
repository's hooks and templates and the tests' own configuration and pages
(tests/fixtures/site: never the repository's live mkdocs.yml or docs/, which belong to the chi
bộ), read the result with a real HTML parser, serve it, run `mkdocs serve`; and `need`, which
names a tool a test cannot run without."""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
FIXTURE = TESTS / "fixtures/site"
DATA = TESTS / "data"
# the checkers installed by `npm ci`
AXE = REPO / "node_modules/axe-core/axe.min.js"
VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
MODEL_ARTICLE = FIXTURE / "docs/bai-viet/2023/mot-so-giai-phap-nang-cao-chat-luong-sinh-hoat-chi-bo.md"
MODEL_URL = "bai-viet/2023/11/mot-so-giai-phap-tiep-tuc-nang-cao-chat-luong-sinh-hoat-chi-bo/"
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def build_env() -> dict[str, str]:
    """The environment as the test left it (monkeypatch included), without MkDocs' notice."""
    return {**os.environ, **QUIET}


def chibo(
    site: Site, *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """The editors' command `chibo` run in the site's folder, as an editor runs it."""
    return subprocess.run(
        [sys.executable, "-m", "chibo.cli", *args],
        cwd=site.root,
        capture_output=True,
        text=True,
        env={**build_env(), **(env or {})},
        timeout=timeout,
    )


def article(title: str, date: str, category: str, body: str = "Nội dung bài viết.", **fields: Any) -> str:
    """The text of an article file with the given front matter."""
    meta = {"title": title, "date": date, "category": category, **fields}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{textwrap.dedent(body).strip()}\n"


def png(width: int = 40, height: int = 30, colour: tuple[int, int, int] = (165, 29, 29)) -> bytes:
    """A real (small) PNG image, made with Pillow."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def phone_photo(
    width: int = 4032, height: int = 3024, rotation: int = 6, colour: tuple[int, int, int] = (40, 90, 160)
) -> bytes:
    """A JPEG as a phone writes it: stored landscape with an EXIF rotation, a GPS position,
    and enough detail (a gradient with noise) to weigh what a photo weighs."""
    import io

    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    overlay = Image.new("RGB", (width, height), colour)
    image = Image.blend(image, overlay, 0.5)
    noise = Image.effect_noise((width // 4, height // 4), 48).resize((width, height)).convert("RGB")
    image = Image.blend(image, noise, 0.3)
    exif = Image.Exif()
    exif[0x0112] = rotation
    exif[0x8825] = {1: "N", 2: (16.0, 3.0, 36.0), 3: "E", 4: (108.0, 13.0, 12.0)}  # GPSInfo
    exif[0x010F] = "Điện thoại"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


@dataclass
class Site:
    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def out(self) -> Path:
        return self.root / "site"

    def write(self, path: str, text: str | bytes) -> Path:
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def build(self, tool: str = "mkdocs", strict: bool = True, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", tool, "build", "-f", str(self.root / "mkdocs.yml")]
        if strict:
            cmd.append("--strict")
        result = subprocess.run(cmd, capture_output=True, text=True, env=build_env(), cwd=self.root, timeout=600)
        if check and result.returncode != 0:
            raise AssertionError(f"build failed ({result.returncode}):\n{result.stderr}")
        return result

    def html(self, path: str) -> BeautifulSoup:
        file = self.out / path
        if file.is_dir() or path.endswith("/") or path == "":
            file = file / "index.html"
        return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")

    def text_of_all_outputs(self) -> str:
        """Every text file the build wrote, concatenated: for 'appears nowhere' checks."""
        parts = []
        for file in self.out.rglob("*"):
            if file.is_file() and file.suffix in {".html", ".xml", ".json", ".txt", ".js"}:
                parts.append(file.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)


def make_site(
    root: Path,
    articles: dict[str, str] | None = None,
    *,
    model: bool = True,
    configure: Callable[[dict], None] | None = None,
) -> Site:
    """A project folder using the repository's hooks and templates and the fixture's mkdocs.yml."""
    config = yaml.safe_load((FIXTURE / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(REPO / "hooks/portal.py")]
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    if configure:
        configure(config)
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = Site(root)
    for page in ("index.md", "gioi-thieu.md", "lien-he.md"):
        site.write(page, (FIXTURE / "docs" / page).read_text(encoding="utf-8"))
    if model:
        site.write("bai-viet/2023/mot-so-giai-phap.md", MODEL_ARTICLE.read_text(encoding="utf-8"))
    for path, text in (articles or {}).items():
        site.write(path, text)
    return site


# Debian's chromium; CHIBO_CHROMIUM names another build (the GitHub runner ships Google Chrome).
CHROMIUM = os.environ.get("CHIBO_CHROMIUM", "/usr/bin/chromium")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        # This server's Last-Modified counts whole seconds: a file rewritten within the second
        # would be "not modified". GitHub Pages validates by content (ETag); so answer in full.
        del self.headers["If-Modified-Since"]
        return super().send_head()


class LikePages(Quiet):
    """GitHub Pages' answers: a folder without its slash is sent there (301, the query kept),
    the query is ignored when finding a file, a missing file gets the site's 404.html (404)."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def served(directory: Path, handler: type[Quiet] = Quiet) -> Iterator[str]:
    """`directory` served on 127.0.0.1 at a free port; yields its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def mkdocs_serve(site: Site, temp: Path, watch: bool = False) -> Iterator[tuple[str, subprocess.Popen]]:
    """`mkdocs serve` of the site on a free port, as an editor runs it (its build folder in
    `temp`); yields the base URL, once the home page answers, and the process. With `watch`,
    it rebuilds on every saved file, as an editor's preview does. Stopped with Ctrl+C, as an
    editor stops it, so that it removes its build folder."""
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    if not watch:
        command.insert(4, "--no-livereload")
    proc = subprocess.Popen(
        [*command, "-f", str(site.root / "mkdocs.yml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**build_env(), "TMPDIR": str(temp)},
        cwd=site.root,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(base, timeout=2).close()
                break
            except OSError:
                time.sleep(0.3)
        assert proc.poll() is None, "mkdocs serve stopped"
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        proc.output = proc.communicate(timeout=20)[0]  # type: ignore[attr-defined]


def index_meta(site: Site) -> dict[str, Any]:
    """The built site's search index description (tim-kiem/chi-muc/meta.json)."""
    return json.loads((site.out / "tim-kiem/chi-muc/meta.json").read_text(encoding="utf-8"))


def served_records(base: str, word: str, timeout: float = 30) -> list[int]:
    """The records a served search index lists for `word` (as written), read as the search page
    reads it; waits up to `timeout` seconds for a preview's index, which follows the pages."""
    import time
    import urllib.error
    import urllib.request

    from chibo.search import key, words_file

    def get(url: str) -> Any:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())

    wanted = key(word)
    deadline = time.monotonic() + timeout
    while True:
        try:
            meta = get(f"{base}tim-kiem/chi-muc/meta.json")
            posting = get(f"{base}tim-kiem/chi-muc/{words_file(meta, wanted)}").get(wanted, {}).get(word)
        except (OSError, ValueError, urllib.error.URLError):
            posting = None
        if posting or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if not posting:
        return []
    lists = dict(zip(meta["posting"], posting, strict=True))  # the index names its lists (search.POSTING)
    return sorted(record for name in ("strong", "other", "often") for record in _ids(lists[name]))


def _ids(deltas: list[int]) -> list[int]:
    out, total = [], 0
    for delta in deltas:
        total += delta
        out.append(total)
    return out


def need(what: str, present: bool, install: str) -> None:
    """Skip a test whose tool is missing, saying which and how to install it; under CI (CI=true)
    fail instead: there every tool must be installed (.ci/run does it)."""
    if present:
        return
    message = f"{what} is not installed: {install}"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def document(number: str, type_: str, issuer: str, issued: str, summary: str, body: str = "", **fields: Any) -> str:
    """A document of the library as an editor writes it."""
    meta = {"number": number, "type": type_, "issuer": issuer, "issued": issued, "summary": summary, **fields}
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}\n"


def text_pdf(text: str, pages: int = 1) -> bytes:
    """A real PDF with `text` as its text layer, in a font with Vietnamese letters."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("BeVietnamPro", "", str(REPO / "hooks/chibo/fonts/BeVietnamPro-Bold.ttf"))
    pdf.set_font("BeVietnamPro", size=12)
    for _ in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def latin1_pdf(text: str) -> bytes:
    """A PDF in a core font: what a document typed in TCVN3 (.VnTime) gives when read as text."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def scan_pdf() -> bytes:
    """An image-only PDF, as a scanner makes: a page with no text layer."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (620, 877), "white")
    ImageDraw.Draw(page).rectangle((60, 80, 560, 120), fill="black")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=75)
    return out.getvalue()
