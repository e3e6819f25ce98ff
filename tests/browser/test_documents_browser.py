"""The registry's filters as a reader uses them in Chromium, under the page's policy."""

from __future__ import annotations

import pytest
from support import document, served, text_pdf

TYPES = ["Nghị quyết", "Chỉ thị", "Hướng dẫn", "Kế hoạch"]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    from support import make_site

    files: dict[str, str | bytes] = {}
    for i in range(60):
        year = 2016 + i % 5
        type_name = TYPES[i % 4]
        files[f"van-ban/{year}/vb-{i}.md"] = document(
            f"{i + 1:02d}-{'NQ' if i % 4 == 0 else 'KH'}/CB",
            type_name,
            "Chi bộ Trung tâm" if i % 3 else "Đảng ủy Khối",
            f"{year}-0{1 + i % 9}-1{i % 9}",
            f"Về công tác số {i} {'phòng chống tham nhũng' if i == 7 else 'sinh hoạt chi bộ'}",
            file=f"vb-{i}.pdf",
            signer="Nguyễn Văn Đức, Bí thư" if i == 11 else "Trần Thị B",
        )
        files[f"van-ban/{year}/vb-{i}.pdf"] = text_pdf(f"Văn bản số {i}")
    site = make_site(tmp_path_factory.mktemp("registry") / "p", files)  # type: ignore[arg-type]
    site.build()
    with served(site.out) as url:
        yield url


def _rows(page) -> list[str]:
    return page.locator(".portal-registry__table tbody tr td:first-child").all_inner_texts()


def test_filters_apply_as_the_reader_types_and_stay_in_the_address(browser, base) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=False)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "van-ban/")
    assert len(_rows(page)) == 20  # the first page, without any filter
    search = page.get_by_label("Tìm theo số, trích yếu, cơ quan, người ký")
    search.fill("tham nhung")  # without diacritics
    page.locator(".portal-registry__count").filter(has_text="Có 1 văn bản").wait_for()
    assert _rows(page) == ["08-KH/CB"]
    assert "q=tham+nhung" in page.url
    search.fill("")  # every document: 25 drawn, the rest on request
    page.locator(".portal-registry__count").filter(has_text="Có 60 văn bản").wait_for()
    assert len(_rows(page)) == 25
    page.get_by_role("button", name="Hiện thêm 25 văn bản").click()
    assert len(_rows(page)) == 50
    page.get_by_role("button", name="Hiện thêm 10 văn bản").click()
    assert len(_rows(page)) == 60 and page.locator(".portal-registry__more").is_hidden()
    page.get_by_label("Loại văn bản").select_option(label="Nghị quyết")
    page.locator(".portal-registry__count").filter(has_text="Có 15 văn bản").wait_for()
    assert all(n.endswith("-NQ/CB") for n in _rows(page)) and "loai=nghi-quyet" in page.url
    page.get_by_label("Năm ban hành").select_option("2016")
    page.locator(".portal-registry__count").filter(has_text="Có 3 văn bản").wait_for()
    assert _rows(page) == ["41-NQ/CB", "21-NQ/CB", "01-NQ/CB"]  # newest first
    assert page.locator(".portal-pager").is_hidden()
    # the shared address opens the same view
    shared = context.new_page()
    shared.goto(page.url)
    shared.locator(".portal-registry__count").filter(has_text="Có 3 văn bản").wait_for()
    assert shared.get_by_label("Loại văn bản").input_value() == "nghi-quyet"
    # the signer, typed with its diacritics; the table fits a phone's width by scrolling itself
    shared.goto(base + "van-ban/?q=Đức")
    shared.locator(".portal-registry__count").filter(has_text="Có 1 văn bản").wait_for()
    assert shared.evaluate("document.documentElement.scrollWidth") <= 360
    nothing = context.new_page()
    nothing.goto(base + "van-ban/?q=khong-co-van-ban-nay")
    nothing.locator(".portal-registry__count").filter(has_text="Không có văn bản nào phù hợp.").wait_for()
    assert errors == []
    context.close()


def test_without_javascript_the_table_and_its_pages_work(browser, base) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "van-ban/")
    assert page.locator(".portal-registry__filters").is_hidden()
    assert len(_rows(page)) == 20
    page.get_by_role("link", name="Trang sau ›").click()
    assert len(_rows(page)) == 20
    page.get_by_role("link", name="Nghị quyết").first.click()
    assert len(_rows(page)) == 15
    context.close()
