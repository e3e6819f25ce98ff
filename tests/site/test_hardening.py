"""Hostile or careless input: it never leaks, hangs, crashes or silently changes what is
published. Each test here fails without the fix it names."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from chibo.workers import run_forked, working_on
from support import article, build_env, png

ALIAS_BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
title: *f
date: 2024-01-01
category: Thông báo
---
Nội dung.
"""


def chibo_check(site) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chibo.cli", "check"], cwd=site.root, capture_output=True, text=True, env=build_env()
    )


def test_yaml_aliases_are_refused_with_file_and_line(new_site) -> None:
    site = new_site({"bai-viet/bom.md": ALIAS_BOMB})
    started = time.monotonic()
    result = site.build(check=False)
    assert time.monotonic() - started < 60
    assert result.returncode != 0
    assert "docs/bai-viet/bom.md:3: phần đầu (front matter) dùng tham chiếu YAML" in result.stderr
    assert "Traceback" not in result.stderr
    check = chibo_check(site)
    assert check.returncode == 1 and "docs/bai-viet/bom.md:3:" in check.stdout
    # a value that merely starts with "*", quoted, is a title like any other
    site.write("bai-viet/bom.md", article("*Khẩn* thông báo lịch họp", "2024-01-01", "Thông báo"))
    site.build()


CONTROL = "".join(chr(c) for c in (0x08, 0x1B, 0x0B, 0x7F, 0x85, 0x00))


def test_control_characters_are_removed_when_reading(new_site) -> None:
    """From a title taken from the first "# H1" and from the first paragraph (the summary)."""
    text = (
        f"---\ndate: 2024-03-05\ncategory: Thông báo\n---\n\n# Lịch{CONTROL} họp chi bộ\n\n"
        f"Chi bộ họp{CONTROL} vào sáng thứ Hai.\n"
    )
    quoted = article("Hội\x1b[31m nghị", "2024-03-06", "Thông báo", summary="Tóm\x08 tắt")
    site = new_site({"bai-viet/a.md": text, "bai-viet/b.md": quoted})
    site.build()
    for feed in ("feed.xml", "thong-bao/feed.xml", "sitemap.xml"):
        ET.parse(site.out / feed)  # well-formed XML
    parsed = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    titles = [entry.title for entry in parsed.entries]
    assert "Lịch họp chi bộ" in titles and "Hội[31m nghị" in titles
    summaries = {entry.title: entry.summary for entry in parsed.entries}
    assert summaries["Lịch họp chi bộ"] == "Chi bộ họp vào sáng thứ Hai."
    page = (site.out / "bai-viet/2024/03/lich-hop-chi-bo/index.html").read_text(encoding="utf-8")
    assert not any(c in page for c in CONTROL)


def test_private_use_characters_cannot_forge_the_page_shell(new_site) -> None:
    """U+E000 and U+E001 were the shell's and the cards' placeholders."""
    title = "Thông báo \ue000title\ue000 và \ue001 số \ue000content\ue000"
    site = new_site(
        {
            "bai-viet/a.md": article(title, "2024-04-01", "Thông báo", summary="Tóm tắt \ue001 \ue000head\ue000"),
            **{f"bai-viet/b{i}.md": article(f"Bài {i}", f"2024-03-{i + 1:02d}", "Thông báo") for i in range(12)},
        }
    )
    site.build()
    page = site.html("bai-viet/2024/04/thong-bao-title-va-so-content/")
    assert page.select_one("h1.portal-article__title").get_text() == title
    # the listing's page 2 is written through the shell, with cards from the cache
    for url in ("thong-bao/", "tac-gia/", "luu-tru/2024/04/"):
        if (site.out / url / "index.html").exists():
            cards = site.html(url).select(".portal-card__title a")
            for card in cards:
                assert "127.0.0.1" not in card["href"] and not card["href"].startswith("\ue001")
    card = next(c for c in site.html("luu-tru/2024/04/").select(".portal-card") if "\ue001" in c.get_text())
    assert card.select_one(".portal-card__summary").get_text() == "Tóm tắt \ue001 \ue000head\ue000"


def _dies(part: list[str]) -> list[str]:
    for item in part:
        working_on(item)
        if item.endswith("chet.md"):
            os.kill(os.getpid(), signal.SIGKILL)
    return part


def _raises(part: list[str]) -> list[str]:
    for item in part:
        working_on(item)
        if item.endswith("loi.md"):
            raise ValueError("hỏng")
    return part


def test_a_worker_that_dies_names_its_article_and_is_not_waited_for() -> None:
    items = [f"docs/bai-viet/{i}.md" for i in range(10)] + ["docs/bai-viet/chet.md"]
    started = time.monotonic()
    with pytest.raises(RuntimeError) as died:
        run_forked(_dies, items, 2)
    assert time.monotonic() - started < 30
    assert "docs/bai-viet/chet.md" in str(died.value) and "SIGKILL" in str(died.value)
    with pytest.raises(RuntimeError) as failed:
        run_forked(_raises, [f"docs/bai-viet/{i}.md" for i in range(10)] + ["docs/bai-viet/loi.md"], 2)
    assert "docs/bai-viet/loi.md" in str(failed.value) and "ValueError: hỏng" in str(failed.value)


def test_a_date_more_than_a_year_ahead_is_reported(new_site, monkeypatch) -> None:
    monkeypatch.setenv("CHIBO_NOW", "2025-11-20T08:00:00+07:00")
    typo = article("Hội nghị tổng kết", "2205-11-30", "Thông báo")
    site = new_site({"bai-viet/a.md": typo})
    result = site.build(check=False)  # --strict: the warning refuses it
    message = 'docs/bai-viet/a.md:3: trường "date": ngày 30/11/2205 cách hôm nay hơn một năm'
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert "scheduled: true" in result.stderr
    assert message in (check := chibo_check(site)).stdout and check.returncode == 1
    assert site.build(strict=False).returncode == 0  # a preview or plain build only warns
    # within a year: an ordinary scheduled article, no word
    site.write("bai-viet/a.md", article("Hội nghị tổng kết", "2026-10-30", "Thông báo"))
    site.build()
    assert chibo_check(site).returncode == 0
    # confirmed by the editor: accepted, and still held back
    site.write("bai-viet/a.md", article("Hội nghị tổng kết", "2205-11-30", "Thông báo", scheduled=True))
    site.build()
    assert chibo_check(site).returncode == 0
    assert not (site.out / "bai-viet/2205").exists()


def test_text_extensions_render_as_python_markdown_does(new_site) -> None:
    """A site that enables abbr, smarty and pymdownx.smartsymbols gets, page by page, the
    body that plain Python-Markdown gives for the same text."""
    import markdown
    from bs4 import BeautifulSoup

    extensions = ["tables", "attr_list", "md_in_html", "abbr", "smarty", "pymdownx.smartsymbols"]
    bodies = {
        "viet-tat": "*[UBND]: Ủy ban nhân dân\n\nUBND thành phố làm việc với chi bộ.",
        "ngoac-kep": 'Bí thư nói: "Chi bộ là nền móng của Đảng" -- và nhắc lại... nhiều lần.',
        "ky-hieu": "Bản quyền (c) 2024 thuộc Trung tâm, xem tiếp --> trang sau; 1/2 số đảng viên.",
    }

    def configure(config: dict) -> None:
        config["markdown_extensions"] = ["toc", *extensions]

    site = new_site(
        {f"bai-viet/{slug}.md": article(slug, "2024-05-01", "Thông báo", body=body) for slug, body in bodies.items()},
        configure=configure,
    )
    site.build()
    for slug, body in bodies.items():
        page = site.html(f"bai-viet/2024/05/{slug}/")
        built = page.select_one(".portal-article__body")
        expected = BeautifulSoup(markdown.Markdown(extensions=extensions).convert(body), "html.parser")
        assert built.decode_contents().strip() == expected.decode().strip(), slug
    assert page.select_one("abbr") is None  # (ky-hieu has no abbreviation)
    assert site.html("bai-viet/2024/05/viet-tat/").select_one('abbr[title="Ủy ban nhân dân"]')


PNG = png()


def test_unpublished_articles_photos_are_not_published(new_site, monkeypatch) -> None:
    monkeypatch.setenv("CHIBO_NOW", "2025-06-01T08:00:00+07:00")
    draft = article(
        "Bản nháp có ảnh",
        "2025-05-01",
        "Thông báo",
        draft=True,
        image="nhap/dai-dien.png",
        body="![Ảnh trong bài](nhap/trong-bai.png)\n\n![Ảnh chung](/images/chung.png)",
    )
    scheduled = article("Bài hẹn giờ có ảnh", "2025-09-01", "Thông báo", image="/images/hen-gio.png")
    shared = article("Bài đã đăng", "2025-04-01", "Thông báo", body="![Ảnh chung](../images/chung.png)")
    site = new_site(
        {
            "bai-viet/nhap.md": draft,
            "bai-viet/hen.md": scheduled,
            "bai-viet/da-dang.md": shared,
            "bai-viet/nhap/dai-dien.png": PNG,
            "bai-viet/nhap/trong-bai.png": PNG,
            "bai-viet/nhap/tai-lieu.pdf": b"%PDF-1.4",  # in the draft's folder, linked from nowhere
            "bai-viet/nhap/trang.png": PNG,  # in the draft's folder, but a page uses it
            "images/hen-gio.png": PNG,
            "images/chung.png": PNG,
        }
    )
    site.write("gioi-thieu.md", "# Giới thiệu\n\n![Trụ sở](bai-viet/nhap/trang.png)\n")
    site.build()
    out = site.out

    def published(stem: str) -> list[str]:
        """The files of the site made from the photo `stem` (its variants) or that are it."""
        return [p.name for p in out.rglob(f"{Path(stem).name}*") if p.parent == out / Path(stem).parent]

    for gone in ("bai-viet/nhap/dai-dien", "bai-viet/nhap/trong-bai", "bai-viet/nhap/tai-lieu", "images/hen-gio"):
        assert published(gone) == [], gone
    assert published("images/chung") and published("bai-viet/nhap/trang")  # shared: published
    everything = site.text_of_all_outputs()
    assert "dai-dien" not in everything and "hen-gio" not in everything
    # published, the article brings its photos with it
    site.write("bai-viet/nhap.md", draft.replace("draft: true", "draft: false"))
    monkeypatch.setenv("CHIBO_NOW", "2025-09-02T08:00:00+07:00")
    site.build()
    assert published("bai-viet/nhap/dai-dien") and published("images/hen-gio")
    assert (out / "bai-viet/nhap/tai-lieu.pdf").exists()
