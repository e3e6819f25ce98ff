"""The editors' trust boundary: nothing an editor writes (a body, a setting, a file in docs/)
becomes script on the site, reaches a secret or replaces the site's own files."""

from __future__ import annotations

import subprocess
import sys

from support import article

HOSTILE_BODY = """
Đoạn mở đầu bình thường.

<script>window.stolen = localStorage.getItem("token")</script>

<img src="x" onerror="window.stolen = 1">

[Bấm vào đây](javascript:alert(1)) và [dữ liệu](data:text/html,<b>x</b>) và [vb](vbscript:msgbox)

## Tiêu đề mục {onmouseover="window.stolen = 2"}

<iframe src="https://evil.example/"></iframe>

<form action="https://evil.example/"><input name="q"></form>

<object data="x.swf"></object><embed src="x.swf"><style>body { display: none }</style>

<div markdown="1" onclick="window.stolen = 3">Chữ trong khối **đậm**.</div>

Đoạn kết bình thường.
"""


def _live_script(soup) -> list[str]:
    """Everything in a parsed page that a browser would run, or that could load another page."""
    found = []
    for tag in soup.find_all(True):
        if tag.name in ("script", "iframe", "object", "embed", "form", "style") and tag.find_parent(
            class_="portal-article__body"
        ):
            found.append(tag.name)
        for name, value in tag.attrs.items():
            if name.startswith("on"):
                found.append(f"{tag.name}[{name}]")
            if name in ("href", "src") and str(value).strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{tag.name}[{name}={value}]")
    return found


def test_article_bodies_are_sanitised_and_the_log_names_file_and_line(new_site) -> None:
    site = new_site({"bai-viet/2024/doc-hai.md": article("Bài có mã độc", "2024-05-01", "Tin hoạt động", HOSTILE_BODY)})
    result = site.build()  # --strict: sanitising is said, never a reason to stop publishing
    page = site.html("bai-viet/2024/05/bai-co-ma-doc/")
    body = page.select_one(".portal-article__body") or page
    assert _live_script(page) == []
    text = body.get_text(" ", strip=True)
    assert "Đoạn mở đầu bình thường." in text and "Đoạn kết bình thường." in text
    assert "Bấm vào đây" in text and body.find("h2", string="Tiêu đề mục") is not None
    assert body.find("strong", string="đậm") is not None  # md_in_html still works
    log = result.stderr
    # 5 lines of front matter, a blank one and a paragraph: the <script> is on line 9 of the file
    assert "docs/bai-viet/2024/doc-hai.md:9: đã bỏ mã <script>" in log
    assert "docs/bai-viet/2024/doc-hai.md:11: đã bỏ thuộc tính onerror" in log
    assert 'đã bỏ đường dẫn "javascript:…"' in log and 'đường dẫn "data:…"' in log
    assert "đã bỏ mã <iframe>" in log and "đã bỏ mã <form>" in log


def test_ordinary_pages_are_sanitised_too(new_site) -> None:
    site = new_site()
    site.write(
        "gioi-thieu.md",
        "---\ntitle: Giới thiệu\ndescription: 'x\" onfocus=\"alert(1)'\n---\n\n# Giới thiệu\n\n"
        '<img src="a.png" onerror="alert(1)">\n\n[x](javascript:alert(1))\n',
    )
    result = site.build()
    page = site.html("gioi-thieu/")
    assert _live_script(page) == []
    description = page.find("meta", attrs={"name": "description"})
    assert description is not None and "onfocus" not in description.attrs  # stayed inside its attribute
    assert "docs/gioi-thieu.md:8: đã bỏ thuộc tính onerror" in result.stderr


def test_a_youtube_link_alone_becomes_a_box_that_loads_nothing(new_site) -> None:
    body = """
    Xem lại buổi lễ:

    https://www.youtube.com/watch?v=dQw4w9WgXcQ

    [Phóng sự hội nghị](https://youtu.be/abcdefghijk)

    <iframe width="560" height="315" src="https://www.youtube.com/embed/ZYXWVUTSRQP" frameborder="0" allowfullscreen></iframe>

    Một câu có https://www.youtube.com/watch?v=dQw4w9WgXcQ ở giữa thì giữ nguyên.
    """
    site = new_site({"bai-viet/2024/video.md": article("Bài có video", "2024-05-02", "Tin hoạt động", body)})
    site.build()
    page = site.html("bai-viet/2024/05/bai-co-video/")
    boxes = page.select(".portal-video")
    assert [b["data-portal-youtube"] for b in boxes] == ["dQw4w9WgXcQ", "abcdefghijk", "ZYXWVUTSRQP"]
    assert [b.a["href"] for b in boxes][1] == "https://www.youtube.com/watch?v=abcdefghijk"
    assert boxes[1].a.get_text() == "Phóng sự hội nghị"
    assert page.find("iframe") is None
    feed = (site.out / "feed.xml").read_text(encoding="utf-8")
    assert "<iframe" not in feed


def test_the_importer_keeps_markup_looking_text_as_text(tmp_path) -> None:
    from chibo.importer import parse_html

    html = (
        '<div itemscope itemtype="https://schema.org/Article"><h2 itemprop="headline">Tin</h2>'
        '<div itemprop="articleBody"><p>Gõ &lt;script&gt;alert(1)&lt;/script&gt; là mã độc.</p>'
        '<p><img src="a.jpg" onerror="alert(2)"></p></div></div>'
    )
    imported = parse_html(html)
    assert "&lt;script>" in imported.body and "<script" not in imported.body
    assert "onerror" not in imported.body


def test_chibo_check_names_what_the_sanitiser_drops(new_site) -> None:
    site = new_site({"bai-viet/2024/doc-hai.md": article("Bài có mã độc", "2024-05-01", "Tin hoạt động", HOSTILE_BODY)})
    result = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "check"], cwd=site.root, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr  # a warning: publishing goes on
    assert "docs/bai-viet/2024/doc-hai.md:9: cảnh báo: đã bỏ mã <script>" in result.stdout
    assert "docs/bai-viet/2024/doc-hai.md:11: cảnh báo: đã bỏ thuộc tính onerror" in result.stdout


def test_symlinks_in_docs_are_refused_and_never_published(new_site, tmp_path, monkeypatch) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GOATCOUNTER_TOKEN=bi-mat-123", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd.txt").write_text("root:x:0:0", encoding="utf-8")
    site = new_site()
    (site.docs / "env.txt").symlink_to(secret)
    (site.docs / "tep").symlink_to(outside, target_is_directory=True)
    result = site.build(check=False)
    assert result.returncode != 0
    assert "docs/env.txt:1: tệp này là liên kết tượng trưng (symlink)" in result.stderr
    assert "docs/tep/passwd.txt:1: tệp này là liên kết tượng trưng" in result.stderr
    assert "bi-mat-123" not in site.text_of_all_outputs() if site.out.exists() else True
    check = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "check"], cwd=site.root, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 1 and "docs/env.txt:1: tệp này là liên kết tượng trưng" in check.stdout


def test_files_that_would_replace_the_sites_code_or_run_script_are_refused(new_site) -> None:
    site = new_site()
    site.write("admin/sveltia-cms.js", "window.stolen = 1;")
    site.write("assets/portal/portal.js", "window.stolen = 2;")
    site.write("trang.html", "<script>window.stolen = 3</script>")
    site.write("hinh.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="window.stolen = 4"/>')
    site.write("tim-kiem/chi-muc/meta.json", "{}")
    site.write("feed.xml", "<rss/>")
    result = site.build(check=False)
    assert result.returncode != 0
    for path in ("admin/sveltia-cms.js", "assets/portal/portal.js", "tim-kiem/chi-muc/meta.json", "feed.xml"):
        assert f'docs/{path}:1: đường dẫn "{path}" dành cho tệp của chính cổng' in result.stderr
    for path in ("trang.html", "hinh.svg"):
        assert f"docs/{path}:1: tệp HTML, JavaScript, SVG hay XML" in result.stderr


def test_a_listed_verbatim_file_is_published_as_it_is(new_site) -> None:
    def configure(config: dict) -> None:
        config["extra"]["portal"]["verbatim_files"] = ["google1234abcd.html"]

    site = new_site(configure=configure)
    site.write("google1234abcd.html", "google-site-verification: google1234abcd.html")
    site.build()
    assert (site.out / "google1234abcd.html").read_text(encoding="utf-8").startswith("google-site-verification")


def test_vendored_files_carry_integrity_and_a_changed_copy_is_found(new_site, tmp_path) -> None:
    import base64
    import hashlib
    import shutil

    from chibo.vendored import tampered
    from support import REPO

    site = new_site()
    site.build()
    admin = site.html("admin/")
    script = admin.find("script", src="sveltia-cms.js")
    expected = hashlib.sha256((REPO / "overrides/admin/sveltia-cms.js").read_bytes()).digest()
    assert script["integrity"] == "sha256-" + base64.b64encode(expected).decode()
    assert tampered(str(site.out), [str(REPO / "overrides")]) == []
    (site.out / "assets/portal/photoswipe/photoswipe.esm.min.js").write_text("window.stolen = 1", encoding="utf-8")
    assert tampered(str(site.out), [str(REPO / "overrides")]) == ["assets/portal/photoswipe/photoswipe.esm.min.js"]
    # a theme whose vendored copy was changed: the build refuses to finish
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "overrides", theme)
    (theme / "admin/chunks/react-dom.js").write_text("window.stolen = 2", encoding="utf-8")
    text = (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace(str(REPO / "overrides"), str(theme))
    (site.root / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = site.build(check=False)
    assert result.returncode != 0 and "admin/chunks/react-dom.js" in result.stderr


def _config_problems(**portal_changes) -> str:
    import yaml
    from chibo.config import load_portal_config
    from chibo.errors import ContentErrors
    from support import FIXTURE

    extra = yaml.safe_load((FIXTURE / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]
    extra["portal"].update(portal_changes)
    try:
        load_portal_config(extra)
    except ContentErrors as exc:
        return exc.report()
    return ""


def test_the_counter_token_goes_only_to_an_https_server() -> None:
    assert "counter.url" in _config_problems(counter={"url": "http://thongke.example.vn"})
    assert "allow_local: true" in _config_problems(counter={"url": "http://127.0.0.1:8765"})
    assert _config_problems(counter={"url": "http://127.0.0.1:8765", "allow_local": True}) == ""
    assert "counter.url" in _config_problems(counter={"url": "http://evil.example", "allow_local": True})
    assert "counter.script" in _config_problems(counter={"url": "https://a.vn", "script": "javascript:alert(1)"})
    assert _config_problems(counter={"url": "https://thongke.ctxhdanang.vn"}) == ""


def test_the_counter_token_never_follows_a_redirect() -> None:
    import http.server
    import threading

    from chibo.counter import _get_json

    seen: list[str | None] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            seen.append(self.headers.get("Authorization"))
            if self.path.startswith("/moved"):
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")
                return
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/moved")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        import urllib.error

        import pytest

        with pytest.raises(urllib.error.HTTPError):
            _get_json(f"http://127.0.0.1:{server.server_address[1]}/api/v0/me", "bi-mat", 2)
    finally:
        server.shutdown()
        server.server_close()
    assert seen == ["Bearer bi-mat"]  # asked once; the redirect's target never saw the token


def test_settings_that_would_run_script_are_refused() -> None:
    assert "links" in _config_problems(links=[{"title": "Cổng", "url": "javascript:alert(1)"}])
    assert "links" in _config_problems(links=[{"title": "Cổng", "url": "https://a.vn", "image": 'x" onerror="a'}])
    assert "banner.logo" in _config_problems(banner={"logo": 'x" onerror="alert(1)'})
    assert _config_problems(links=[{"title": "Báo Đảng", "url": "https://dangcongsan.vn"}]) == ""


def test_settings_printed_in_pages_are_escaped(new_site) -> None:
    def configure(config: dict) -> None:
        config["extra"]["portal"]["categories"].append({"name": "Văn bản<img src=x onerror=alert(1)>", "slug": "vb"})

    site = new_site(configure=configure)
    site.build()
    for path in ("", "gioi-thieu/", "vb/"):
        page = site.html(path)
        assert _live_script(page) == [], path
        assert any("Văn bản<img" in a.get_text() for a in page.select(".md-tabs a, .md-nav a")), path


def test_a_tag_cannot_close_the_attributes_it_is_printed_in(new_site) -> None:
    tag = 'x" onfocus="alert(9)'
    site = new_site({"bai-viet/2024/the.md": article("Bài có thẻ lạ", "2024-05-03", "Tin hoạt động", tags=[tag])})
    site.build()
    for path in ("bai-viet/2024/05/bai-co-the-la/", "the/x-onfocus-alert-9/"):
        page = site.html(path)
        assert _live_script(page) == [], path
    metas = site.html("bai-viet/2024/05/bai-co-the-la/").find_all("meta", property="article:tag")
    assert [m["content"] for m in metas] == [tag]


def test_an_ampersand_in_a_title_is_escaped_once(new_site) -> None:
    site = new_site()
    site.write("gioi-thieu.md", "---\ntitle: Hỏi & đáp\n---\n\nNội dung.\n")
    site.build()
    page = site.html("gioi-thieu/")
    assert page.find("meta", property="og:title")["content"] == "Hỏi & đáp"
    assert page.title.get_text().startswith("Hỏi & đáp - ")


def _runner_commands(output: str, pauses: bool = True) -> list[str]:
    """The lines a GitHub runner reads as commands, honouring ::stop-commands:: as it does."""
    commands, stopped = [], None
    for line in output.splitlines():
        if stopped is not None:
            if line == f"::{stopped}::":
                stopped = None
            continue
        if line.startswith("::"):
            commands.append(line)
            if pauses and line.startswith("::stop-commands::"):
                stopped = line[len("::stop-commands::") :]
    return commands


SPOOF = "2024-01-01\n::error file=mkdocs.yml,line=1::Spoofed\n::add-mask::Chi\n::stop-commands::x"


def test_chibo_check_output_cannot_issue_runner_commands(new_site, tmp_path) -> None:
    import yaml

    front = yaml.safe_dump({"title": "Tin", "date": SPOOF, "category": "Tin hoạt động"}, allow_unicode=True)
    site = new_site({"bai-viet/2024/gia.md": f"---\n{front}---\n\nNội dung.\n", "bai-viet/a,b:c.md": "x\n"})
    summary = tmp_path / "summary.md"
    result = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "check", "--github"],
        cwd=site.root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1
    commands = _runner_commands(result.stdout)
    assert commands[0].startswith("::stop-commands::")
    errors = commands[1:]
    assert errors and all(c.startswith("::error file=docs/bai-viet/") for c in errors), commands
    assert not any("Spoofed" in c.split("::")[1] for c in errors)  # only inside a message, escaped
    assert any("file=docs/bai-viet/a%2Cb%3Ac.md," in c for c in errors)
    assert "::add-mask::" not in "\n".join(c for c in commands if not c.startswith("::error"))
    text = summary.read_text(encoding="utf-8")
    block = text.split("<pre>", 1)[1].split("</pre>", 1)[0]
    assert "Spoofed" in block and "<" not in block  # shown as text, nothing inside can end the block
    assert "## " not in text.split("<pre>", 1)[1]


def test_a_build_log_is_printed_and_summarised_as_text(tmp_path) -> None:
    log = tmp_path / "build.log"
    log.write_text(
        f"INFO    -  Cleaning\nWARNING -  docs/a.md: {SPOOF}\n```\n## Tiêu đề giả\n[bấm](https://evil.example)\n",
        encoding="utf-8",
    )
    summary = tmp_path / "summary.md"
    result = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "log", str(log), "--failed"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1
    assert [c.split("::")[1] for c in _runner_commands(result.stdout)] == ["stop-commands"]
    text = summary.read_text(encoding="utf-8")
    block = text.split("<pre>", 1)[1].split("</pre>", 1)[0]
    assert "Cleaning" not in block and "## Tiêu đề giả" in block and "```" in block
    assert text.count("## ") == 2  # the summary's own heading, and the one inside <pre> (text)
    assert "<" not in block  # nothing inside can end the block


def test_the_publishing_build_prints_its_log_through_chibo_log() -> None:
    import yaml
    from support import REPO

    workflow = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    build = next(s for s in steps if "mkdocs build" in s.get("run", ""))
    assert "cat " not in build["run"] and "```" not in build["run"]
    assert "chibo log build.log --failed" in build["run"]


def test_cache_files_committed_to_the_repository_are_refused(new_site) -> None:
    site = new_site()
    cached = site.root / ".cache/chibo/articles.pickle"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not a cache of ours")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(site.root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", ".cache/chibo/articles.pickle", "mkdocs.yml"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)
    result = site.build(check=False)
    assert result.returncode != 0
    assert ".cache/chibo/articles.pickle:1: tệp trong .cache/ là kết quả của các lần xây dựng trước" in result.stderr
    subprocess.run([*git, "rm", "-q", "--cached", ".cache/chibo/articles.pickle"], check=True)
    site.build()  # untracked, it is an ordinary (here unreadable) cache: a cold build


def test_secrets_are_only_for_builds_of_main() -> None:
    import yaml
    from support import REPO

    workflow = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    build = workflow["jobs"]["build"]
    assert build["environment"] == "xuat-ban" and build["if"] == "github.ref == 'refs/heads/main'"
    names = [s.get("name", "") for s in build["steps"]]
    runs = [s.get("run", "") for s in build["steps"]]
    assert runs[names.index("Lấy bộ nhớ đệm của lần trước") - 1].strip() == "rm -rf .cache"
    for name in ("check.yml", "test.yml"):
        text = (REPO / ".github/workflows" / name).read_text(encoding="utf-8")
        assert "secrets." not in text, name


def _read(body: str, **fields) -> object:
    import yaml
    from chibo.articles import read_article
    from chibo.config import load_portal_config
    from support import FIXTURE

    extra = yaml.safe_load((FIXTURE / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]
    raw = article("Bài", "2024-01-01", "Thông báo", body, **fields).encode()
    return read_article("bai-viet/a.md", raw, load_portal_config(extra))


def test_text_that_would_exhaust_the_builder_is_refused_quickly() -> None:
    import time

    n = 64_000
    shapes = {
        "<img ": "thẻ HTML mở bằng <",
        "[": "ngoặc vuông [ ] lồng nhau",
        "[a](": "liên kết [chữ](địa chỉ) thiếu dấu )",
        "![a](": "liên kết [chữ](địa chỉ) thiếu dấu )",
        "<!-- x ": "thẻ HTML mở bằng <",
    }
    for unit, message in shapes.items():
        started = time.perf_counter()
        result = _read("Mở đầu.\n\n" + unit * (n // len(unit)))
        assert time.perf_counter() - started < 2, unit  # quadratic patterns took 5 s and more
        assert isinstance(result, list) and message in result[0].message, unit
        assert result[0].line == 9, unit  # the line where the shape starts (after 5 of front matter)
    nested = "\n".join("    " * level + "- mục" for level in range(300))
    result = _read(nested)
    assert isinstance(result, list) and "lồng nhau quá 60 tầng" in result[0].message
    assert isinstance(_read("x\n\n" + "> " * 300 + "trích"), list)
    # shapes a real article has, many times over, stay fine and cost little
    for unit in ("<script>", "{.", "-", "\n", "< ", '"', "[a](b) "):
        started = time.perf_counter()
        assert not isinstance(_read("Mở đầu.\n\n" + unit * (n // len(unit)) + "x"), list), unit
        assert time.perf_counter() - started < 2, unit


def test_an_oversized_article_or_too_many_tags_are_refused() -> None:
    result = _read("Chữ. " * 110_000)
    assert isinstance(result, list) and "quá giới hạn 500 kB" in result[0].message
    result = _read("Nội dung.", tags=[f"thẻ {i}" for i in range(31)])
    assert isinstance(result, list) and 'trường "tags" có 31 thẻ, quá 30' in result[0].message
    assert not isinstance(_read("Nội dung.", tags=[f"thẻ {i}" for i in range(30)]), list)


def test_an_image_that_declares_too_many_pixels_is_refused_before_decoding(new_site) -> None:
    import io
    import time

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (15000, 15000)).save(out, "PNG", optimize=True)  # 27 kB that decode to 225 MB
    body = "Ảnh:\n\n![Bom](bom.png)\n"
    site = new_site({"bai-viet/2024/bom.md": article("Bài có ảnh bom", "2024-05-04", "Tin hoạt động", body)})
    site.write("bai-viet/2024/bom.png", out.getvalue())
    started = time.perf_counter()
    result = site.build(check=False)
    assert time.perf_counter() - started < 30
    assert result.returncode != 0
    assert "ảnh 15000 × 15000 điểm ảnh (hơn 50 triệu)" in result.stderr and "docs/bai-viet/2024/bom.md" in result.stderr
