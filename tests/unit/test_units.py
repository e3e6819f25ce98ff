"""The portal's plain modules, without building a site."""

from __future__ import annotations

import functools
import operator
import shutil
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from chibo import cache
from chibo.articles import first_paragraph, read_article
from chibo.config import load_portal_config
from chibo.fields import parse_date
from chibo.listings import pager_window, paginate
from chibo.outputs import Output, PartsCache
from chibo.text import TIMEZONE, fold, format_number, slugify
from chibo.workers import run_forked
from support import MODEL_ARTICLE

CONFIG = {
    "portal": {
        "categories": ["Tin hoạt động", {"name": "Thông báo", "slug": "thong-bao"}],
        "contact": {"organisation": "A", "address": "B", "phone": "1", "email": "a@b.vn", "responsible": "C"},
    }
}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đảng bộ Trung tâm tổ chức Hội nghị", "dang-bo-trung-tam-to-chuc-hoi-nghi"),
        ("Kết quả nổi bật", "ket-qua-noi-bat"),
        ("Tin hoạt động", "tin-hoat-dong"),
        (unicodedata.normalize("NFD", "Đảng ủy khối"), "dang-uy-khoi"),
        ("  Hội nghị: 100% đảng viên!  ", "hoi-nghi-100-dang-vien"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_format_day_matches_babel() -> None:
    from babel.dates import format_date
    from chibo.text import format_day

    for offset in range(14):
        day = datetime(2023, 11, 20, 8, 30, tzinfo=TIMEZONE) + timedelta(days=offset)
        assert format_day(day) == format_date(day, "EEEE, dd/MM/yyyy", locale="vi")
    assert format_day(datetime(2023, 11, 30, 8, 30, tzinfo=TIMEZONE), True) == "Thứ Năm, 30/11/2023 08:30"
    assert format_day(datetime(2023, 11, 26, tzinfo=TIMEZONE)) == "Chủ Nhật, 26/11/2023"


def test_fold_and_numbers() -> None:
    assert fold("ĐẢNG PHÍ") == "dang phi"
    assert format_number(6835657) == "6.835.657"


@pytest.mark.parametrize(
    ("value", "expected", "has_time"),
    [
        ("2023-11-30", datetime(2023, 11, 30, tzinfo=TIMEZONE), False),
        ("2023-11-30 08:30", datetime(2023, 11, 30, 8, 30, tzinfo=TIMEZONE), True),
        ("30/11/2023", datetime(2023, 11, 30, tzinfo=TIMEZONE), False),
        ("30/11/2023 08:30", datetime(2023, 11, 30, 8, 30, tzinfo=TIMEZONE), True),
    ],
)
def test_parse_date(value: str, expected: datetime, has_time: bool) -> None:
    assert parse_date(value) == (expected, has_time)


@pytest.mark.parametrize("value", ["2025-13-45", "31/02/2024", "hôm qua", "2024", "2023-11-30 25:00"])
def test_parse_date_refuses(value: str) -> None:
    assert parse_date(value) is None


def test_first_paragraph_skips_headings_and_lists() -> None:
    body = "## Tiêu đề\n\n- mục\n\n![ảnh](a.jpg)\n\nĐoạn **đầu** có [liên kết](x.md).\n\nĐoạn hai."
    assert first_paragraph(body) == "Đoạn đầu có liên kết."


def test_read_article_reports_every_problem() -> None:
    config = load_portal_config(CONFIG)
    raw = "---\ndate: 2025-13-45\ncategory: Không có\npin: maybe\n---\nx\n".encode()
    errors = read_article("bai-viet/x.md", raw, config)
    assert isinstance(errors, list)
    assert [e.line for e in errors] == [1, 2, 3, 4]
    assert all(e.path == "docs/bai-viet/x.md" for e in errors)


def test_category_matches_without_diacritics_or_by_slug() -> None:
    config = load_portal_config(CONFIG)
    assert config.find_category("thong bao").slug == "thong-bao"
    assert config.find_category("thong-bao").name == "Thông báo"
    assert config.find_category("Tin tức") is None


def test_pager_window() -> None:
    numbers = [link.number for link in pager_window(6, 20, str)]
    assert numbers == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert [link.number for link in pager_window(1, 1, str)] == [1]
    assert [link.number for link in pager_window(3, 20, str)] == [1, 2, 3, 4, 5, None, 20]
    assert [link.number for link in pager_window(4, 20, str)] == [1, 2, 3, 4, 5, 6, None, 20]
    assert [link.number for link in pager_window(18, 20, str)] == [1, None, 16, 17, 18, 19, 20]
    assert [link.number for link in pager_window(2, 3, str)] == [1, 2, 3]
    assert [link.url for link in pager_window(2, 3, str)] == ["1", "2", "3"]


def test_paginate_puts_every_item_on_one_page() -> None:
    config = load_portal_config(CONFIG)
    raw = [f"---\ntitle: Bài {i}\ndate: 2024-01-{i + 1:02d}\ncategory: Thông báo\n---\nx\n".encode() for i in range(23)]
    items = [read_article(f"bai-viet/{i}.md", text, config) for i, text in enumerate(raw)]
    pages = paginate("x/", "X", "category", items, 10)
    assert [p.url for p in pages] == ["x/", "x/trang/2/", "x/trang/3/"]
    assert functools.reduce(operator.iadd, (p.items for p in pages), []) == items


PLAIN_TEXT_SAMPLES = [
    MODEL_ARTICLE.read_text(encoding="utf-8"),
    "Chi bộ họp ngày 5/12. Đảng viên dự đầy đủ, không ai vắng.\n\nĐoạn thứ hai: 100% đạt.",
    "Có *nhấn mạnh*, **đậm**, _gạch_ và `mã`.\n\nDòng có hai dấu cách  \nxuống dòng.",
    "Liên kết [trang](gioi-thieu.md) và ![ảnh](a.png) và <https://example.org> và a&b &amp; &lt;.",
    "Thẻ <span>HTML</span> trong đoạn.\n\n<div markdown>\nKhối **HTML** có Markdown.\n</div>\n\nSau khối.",
    "# Tiêu đề {: #rieng }\n\nĐoạn {: .lop }\n\n- mục một\n- mục *hai*\n\n> trích dẫn\n> dòng hai\n\n| A | B |\n|---|---|\n| 1 | 2 |",
    # one sample per pattern, with nothing else that would trigger the inline patterns
    "Lệnh `mkdocs build` chạy.",
    "Dấu \\# thoát.",
    "Xem [trang chủ][1].\n\n[1]: index.md",
    "Gửi <lienhe@example.org> hoặc <https://example.org>.",
    "Ký hiệu &copy; 2025.",
    "Rất *quan trọng*.",
    "Rất __quan trọng__.",
    "Dòng một  \nDòng hai.",
    "Thoát \\*dấu sao\\* và 2 * 3 = 6, a_b_c.\n\n```\ncode *không* xử lý\n```\n\n    thụt lề & <b>",
]


@pytest.mark.parametrize("text", PLAIN_TEXT_SAMPLES)
def test_plain_text_shortcut_changes_no_output(text: str) -> None:
    """Skipping the inline patterns on text that none of them can match gives the same HTML."""
    import markdown
    from chibo.bodies import _PlainTextExtension

    extensions = ["toc", "tables", "fenced_code", "attr_list", "md_in_html"]
    plain = markdown.Markdown(extensions=extensions).convert(text)
    fast = markdown.Markdown(extensions=[*extensions, _PlainTextExtension()])
    assert fast.convert(text) == plain


def test_plain_text_shortcut_steps_aside_for_other_inline_patterns() -> None:
    import markdown
    from chibo.bodies import _PlainTextExtension

    text = "Giá ==được đánh dấu== ở đây và ~~gạch~~."
    # pymdownx is not a dependency; a pattern of our own stands for any extension's
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    def with_mark(md: markdown.Markdown) -> markdown.Markdown:
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()==(.+?)==", "mark"), "mark", 65)
        return md

    plain = with_mark(markdown.Markdown()).convert(text)
    fast = with_mark(markdown.Markdown(extensions=[_PlainTextExtension()])).convert(text)
    assert "<mark>được đánh dấu</mark>" in plain and fast == plain


class _Strike(__import__("markdown").extensions.Extension):
    """Markdown 3.11 lets an extension add an emphasis delimiter: ~~x~~ as <del>."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's API
        md.delimiters.add("~", "del", double=True)


TEXT_EXTENSIONS = [
    ("abbr", "*[UBND]: Ủy ban nhân dân\n\nUBND thành phố họp với chi bộ.", "<abbr"),
    ("smarty", 'Ông nói "chi bộ" -- năm 2024... là nền móng.', "&ldquo;"),
    ("pymdownx.smartsymbols", "Bản quyền (c) 2024, xem tiếp --> trang sau.", "&copy;"),
    ("legacy_attrs", "Ảnh {@id=anh-dep} trong đoạn.", 'id="anh-dep"'),
    (_Strike(), "Giá ~~cũ~~ đã đổi.", "<del>cũ</del>"),
]


@pytest.mark.parametrize(("extension", "text", "mark"), TEXT_EXTENSIONS, ids=lambda v: str(v)[:12])
def test_plain_text_shortcut_steps_aside_for_extensions_that_work_on_text(extension, text: str, mark: str) -> None:
    """Extensions that work on the text outside the checked inline patterns (tree steps of
    their own, extra delimiters) turn the shortcut off: the same HTML as Python-Markdown."""
    import markdown
    from chibo.bodies import _PlainTextExtension

    extensions = ["toc", "tables", "attr_list", "md_in_html", extension]
    plain = markdown.Markdown(extensions=extensions).convert(text)
    fast = markdown.Markdown(extensions=[*extensions, _PlainTextExtension()]).convert(text)
    assert mark in plain and fast == plain


def test_body_key_follows_the_extensions_options() -> None:
    """Changing an extension's option while `mkdocs serve` runs re-renders the bodies."""
    from chibo.bodies import BodyConverter

    bodies = []
    for permalink in (False, "#"):
        converter = BodyConverter({}, ["toc"], {"toc": {"permalink": permalink}})
        key = converter.key("bai-viet/a.md", "abc", (), "bai-viet/2024/01/a/", False)
        bodies.append(
            (key, converter.convert("bai-viet/a.md", "bai-viet/2024/01/a/", "## Kết quả\n\nNội dung.", False))
        )
    (first_key, first), (second_key, second) = bodies
    assert first_key != second_key
    assert "headerlink" not in first.html and 'class="headerlink"' in second.html


def test_the_sites_own_folders_are_reserved_in_one_place() -> None:
    from chibo import addresses
    from chibo.config import RESERVED_SLUGS
    from chibo.docs_files import RESERVED_TOP

    assert RESERVED_SLUGS is addresses.RESERVED_SLUGS and RESERVED_TOP is addresses.RESERVED_TOP
    for folder in (addresses.ARTICLES, addresses.ARCHIVE, addresses.TAGS, addresses.AUTHORS, addresses.SEARCH):
        assert folder.rstrip("/") in RESERVED_SLUGS
    assert {"danh-gia", "doc-nhieu", "trang", "assets", "admin"} <= RESERVED_SLUGS


def test_the_search_index_names_its_format_in_meta() -> None:
    import json

    from chibo.search import FORMAT, POSTING, RESULT, SearchRecord, index_files

    files = index_files([SearchRecord("a/", "Nghị quyết", "đảng viên học tập", "")], [])
    meta = json.loads(files["meta.json"])
    assert meta["format"] == FORMAT and meta["posting"] == list(POSTING) and meta["result"] == list(RESULT)
    words = json.loads(next(text for name, text in files.items() if "/w" in name))
    lists = dict(zip(meta["posting"], words["nghi"]["nghị"], strict=True))  # filed lower-case
    assert lists["strong"] == [0] and lists["places"] == "0"


def test_the_search_index_does_not_follow_the_order_articles_were_read_in() -> None:
    """Articles of the same day, read by the workers in another order: the same index."""
    from chibo.search import SearchRecord, index_files

    day = datetime(2024, 5, 1, tzinfo=TIMEZONE)
    records = [SearchRecord(f"{n}/", f"Tin {n}", "chi bộ họp", "", published=day) for n in "abc"]
    assert index_files(records, []) == index_files(records[::-1], [])


def test_an_index_from_kept_analyses_is_the_index_made_afresh(tmp_path) -> None:
    """The records' analyses kept by one build give the next the same files, a changed record
    analysed again (its new words in, its old ones out)."""
    from dataclasses import replace

    from chibo.search import Analyses, SearchRecord, index_files

    records = [
        SearchRecord("a/", "Nghị quyết Đại hội", "đảng viên học tập học tập học tập", "", tags=("nghị quyết",)),
        SearchRecord("b/", "Tin chi bộ", "chi bộ sinh hoạt", "", author="Thu Hà"),
    ]
    kept = tmp_path / "search-words.pickle"
    first = Analyses()
    assert index_files(records, [], analyses=first) == index_files(records, [])
    first.save(kept)
    changed = [records[0], replace(records[1], text="chi bộ họp bàn kế hoạch")]
    second = Analyses()
    second.load(kept)
    files = index_files(changed, [], analyses=second)
    assert files == index_files(changed, [])
    words = "".join(text for name, text in files.items() if "/w" in name)
    assert "hoạch" in words and "sinh" not in words


def _build(output: Output, root: str, links: dict[str, Path]) -> int:
    """One build's photo links into `root`; the files it wrote."""
    output.begin(root)
    for path, stored in links.items():
        output.link(path, stored)
    output.finish(prune=True)
    return output.done.written


@pytest.mark.parametrize("owned", [False, True])
def test_a_photo_is_linked_once_and_again_when_its_stored_file_changes(tmp_path, owned: bool) -> None:
    store, site = tmp_path / "store", tmp_path / "site"
    store.mkdir()
    (store / "a").write_bytes(b"first")
    (store / "b").write_bytes(b"second")
    output = Output()
    output.owned = owned
    assert _build(output, str(site), {"anh/x.jpg": store / "a"}) == 1
    assert _build(output, str(site), {"anh/x.jpg": store / "a"}) == 0
    assert _build(output, str(site), {"anh/x.jpg": store / "b"}) == 1
    assert (site / "anh/x.jpg").read_bytes() == b"second"
    assert _build(output, str(site), {}) == 0 and not (site / "anh").exists()
    assert _build(output, str(site), {"anh/x.jpg": store / "b"}) == 1  # gone, then back
    assert (site / "anh/x.jpg").read_bytes() == b"second"


def test_a_page_removed_behind_the_outputs_back_is_written_again(tmp_path) -> None:
    output = Output()
    output.begin(str(tmp_path))
    output.write("a/index.html", "trang", "key")
    output.finish(prune=True)
    (tmp_path / "a/index.html").unlink()
    output.begin(str(tmp_path))
    assert not output.fresh("a/index.html", "key")


def test_kept_results_of_another_version_of_the_code_are_made_again(tmp_path, monkeypatch) -> None:
    same, changed = tmp_path / "same" / "chibo", tmp_path / "changed" / "chibo"
    for package in (same, changed):
        shutil.copytree(Path(cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__", "fonts"))
    (changed / "joomla" / "__init__.py").write_text("# khác\n", encoding="utf-8")
    assert cache.code_key(same) == cache.code_key() != cache.code_key(changed)

    cache.keep(tmp_path / "kept.pickle", "v1", {"a": 1})
    assert cache.load_kept(tmp_path / "kept.pickle", "v1") == {"a": 1}
    assert cache.load_kept(tmp_path / "kept.pickle", "v2") == {}
    monkeypatch.setattr(cache, "code_key", lambda: "another version")
    assert cache.load_kept(tmp_path / "kept.pickle", "v1") == {}


def test_parts_are_kept_whole_and_a_damaged_row_is_not_used(tmp_path, monkeypatch) -> None:
    import sqlite3

    parts = {"head": "<meta>\n12\n", "content": "Đảng bộ\n\n3\nx" * 50, "toc": "", "unresolved": "a.md\nb.md"}
    monkeypatch.setattr(PartsCache, "FLUSH_BYTES", 2 * len(PartsCache.pack(parts)))
    cache = PartsCache(tmp_path)
    cache.put("k", parts)
    assert cache.get("k") is None  # held
    cache.put("k2", parts)  # over the limit: written
    assert cache.get("k") == parts == cache.get("k2")
    cache.put("k3", parts)
    cache.flush()
    assert cache.get("k3") == parts
    with sqlite3.connect(tmp_path / "pages.sqlite") as db:
        db.executemany(
            "INSERT INTO pages VALUES (?, ?)", [("cut", PartsCache.pack(parts)[:-7]), ("other", b"x\x9c\xff")]
        )
    assert cache.get("cut") is None and cache.get("other") is None and cache.get("none") is None


@pytest.mark.parametrize("runs", [False, True])
def test_forked_workers_share_every_item_once(runs: bool) -> None:
    items = list(range(11))
    shares = run_forked(list, items, 3, runs=runs)
    joined = [item for share in shares for item in share]
    assert len(shares) == 3 and sorted(joined) == items
    if runs:  # consecutive runs, in order, of sizes that differ by one at most
        assert joined == items and {len(share) for share in shares} == {3, 4}
    else:
        assert shares[0] == [0, 3, 6, 9]
