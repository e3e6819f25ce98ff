"""Bad input fails the build with a Vietnamese message naming file, field and fix;
`mkdocs serve` keeps running and shows the same message."""

from __future__ import annotations

import urllib.request

import pytest
from support import article, mkdocs_serve, served_records


def failing_build(site) -> str:
    result = site.build(check=False)
    assert result.returncode != 0, result.stderr
    return result.stderr


CASES = {
    "missing-title": (
        "---\ndate: 2024-01-01\ncategory: Thông báo\n---\n\nKhông có tiêu đề.\n",
        ["docs/bai-viet/bai.md:1:", '"title"', "title: Tiêu đề bài viết"],
    ),
    "missing-date": (
        "---\ntitle: Bài không ngày\ncategory: Thông báo\n---\n\nNội dung.\n",
        ["docs/bai-viet/bai.md:1:", '"date"', "date: 2023-11-30"],
    ),
    "impossible-date": (
        "---\ntitle: Bài sai ngày\ndate: 2025-13-45\ncategory: Thông báo\n---\n\nNội dung.\n",
        ["docs/bai-viet/bai.md:3:", '"date"', "2025-13-45", "không phải ngày có thật", "30/11/2023"],
    ),
    "unknown-category": (
        "---\ntitle: Bài sai chuyên mục\ndate: 2024-01-01\ncategory: Tin tức\n---\n\nNội dung.\n",
        [
            "docs/bai-viet/bai.md:4:",
            '"category"',
            '"Tin tức"',
            '"Tin hoạt động", "Thông báo", "Xây dựng Đảng", "Văn bản"',
        ],
    ),
    "broken-yaml": (
        '---\ntitle: Bài hỏng\ndate: 2024-01-01\ncategory: "Thông báo\ntags: [a, b\n---\n\nNội dung.\n',
        ["docs/bai-viet/bai.md:", "front matter", "ngoặc kép"],
    ),
    "bad-flag": (
        "---\ntitle: Bài nháp\ndate: 2024-01-01\ncategory: Thông báo\ndraft: có lẽ\n---\n\nNội dung.\n",
        ["docs/bai-viet/bai.md:5:", '"draft"', "true hoặc false"],
    ),
    "missing-image": (
        "---\ntitle: Bài có ảnh\ndate: 2024-01-01\ncategory: Thông báo\nimage: anh-khong-co.jpg\n---\n\nNội dung.\n",
        ["docs/bai-viet/bai.md:5:", '"image"', "anh-khong-co.jpg"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_article_fails_build_with_message(new_site, case: str) -> None:
    text, expected = CASES[case]
    site = new_site({"bai-viet/bai.md": text})
    stderr = failing_build(site)
    for piece in expected:
        assert piece in stderr, f"{piece!r} not in:\n{stderr}"
    assert not (site.out / "index.html").exists() or "Bài" not in (site.out / "index.html").read_text()


def test_broken_yaml_names_its_line(new_site) -> None:
    text = "---\ntitle: Bài hỏng\ndate: 2024-01-01\ncategory: Thông báo\ntags: [a, b\nauthor: X\n---\n\nNội dung.\n"
    stderr = failing_build(new_site({"bai-viet/bai.md": text}))
    # the unclosed list starts on line 5; YAML notices it on the next line
    assert "docs/bai-viet/bai.md:6:" in stderr or "docs/bai-viet/bai.md:5:" in stderr, stderr


def test_two_articles_on_one_url_name_both_files(new_site) -> None:
    one = article("Hội nghị tổng kết", "2024-06-01", "Thông báo", body="Bài thứ nhất.")
    two = article("Hội nghị tổng kết", "2024-06-20", "Tin hoạt động", body="Bài thứ hai.")
    site = new_site({"bai-viet/a.md": one, "bai-viet/b.md": two})
    stderr = failing_build(site)
    assert "docs/bai-viet/a.md" in stderr and "docs/bai-viet/b.md" in stderr
    assert "/bai-viet/2024/06/hoi-nghi-tong-ket/" in stderr
    assert "slug" in stderr


def test_all_problems_are_reported_at_once(new_site) -> None:
    site = new_site(
        {
            "bai-viet/a.md": "---\ndate: 2024-01-01\ncategory: Thông báo\n---\nx\n",
            "bai-viet/b.md": "---\ntitle: B\ndate: 31/02/2024\ncategory: Thông báo\n---\nx\n",
        }
    )
    stderr = failing_build(site)
    assert "docs/bai-viet/a.md:1:" in stderr and "docs/bai-viet/b.md:3:" in stderr
    assert "2 lỗi" in stderr


@pytest.mark.parametrize("field", ["organisation", "address", "phone", "email", "responsible"])
def test_missing_identity_field_fails(new_site, field: str) -> None:
    def drop(config: dict) -> None:
        del config["extra"]["portal"]["contact"][field]

    stderr = failing_build(new_site(configure=drop))
    assert f"extra.portal.contact.{field}" in stderr
    assert "mkdocs.yml" in stderr and "Thông tư 09/2014/TT-BTTTT" in stderr


def test_licence_line_is_optional(new_site) -> None:
    def drop(config: dict) -> None:
        del config["extra"]["portal"]["contact"]["licence"]

    site = new_site(configure=drop)
    site.build()
    assert "Giấy phép" not in site.html("").select_one("address.portal-identity").get_text()


def test_serve_keeps_running_and_shows_the_error(new_site, tmp_path) -> None:
    bad = "---\ntitle: Bài sai ngày\ndate: 2025-13-45\ncategory: Thông báo\n---\n\nNội dung.\n"
    site = new_site({"bai-viet/bai.md": bad})
    temp = tmp_path / "tmp"  # where mkdocs serve builds: checked to be left clean
    temp.mkdir()
    with mkdocs_serve(site, temp) as (base, proc):
        with urllib.request.urlopen(base, timeout=5) as response:
            html = response.read().decode("utf-8")
        assert "docs/bai-viet/bai.md:3:" in html and "2025-13-45" in html
        assert 'role="alert"' in html
        # the model article, which has no problem, is still in the preview
        with urllib.request.urlopen(f"{base}tin-hoat-dong/", timeout=5) as response:
            assert "Một số giải pháp tiếp tục" in response.read().decode("utf-8")
        # the preview has its search index too, with the model article's words
        assert served_records(base, "sinh") != []
    assert "docs/bai-viet/bai.md:3:" in proc.output
    assert not list(temp.glob("mkdocs_*")), "mkdocs serve left its build folder behind"


def test_an_editor_page_cannot_take_the_search_page_address(new_site) -> None:
    stderr = failing_build(new_site({"tim-kiem.md": "# Tìm kiếm của tôi\n"}))
    assert "docs/tim-kiem.md:1: trùng địa chỉ /tim-kiem/ với trang tìm kiếm" in stderr
