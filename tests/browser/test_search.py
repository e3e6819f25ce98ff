"""Search as readers use it, typing with or without diacritics, in headless Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote_plus

import pytest
from chibo.search import SearchRecord, index_files, key, page_record, words_file
from support import MODEL_URL, article, index_meta, make_site, served

ARTICLES = {
    "bai-viet/a.md": article(
        "Đảng bộ Trung tâm tổng kết công tác năm 2024",
        "2024-12-20",
        "Xây dựng Đảng",
        body="Hội nghị đánh giá kết quả lãnh đạo thực hiện nhiệm vụ chính trị năm 2024.",
    ),
    "bai-viet/b.md": article(
        "Hướng dẫn thu, nộp đảng phí năm 2025",
        "2025-01-05",
        "Thông báo",
        body="Mức đóng đảng phí của đảng viên được tính theo tiền lương hằng tháng.",
    ),
    "bai-viet/c.md": article(
        "Đăng ký tham gia hội thao",
        "2025-02-01",
        "Tin hoạt động",
        body="Các đơn vị đăng ký danh sách vận động viên trước ngày 15/02.",
    ),
    "bai-viet/nhap.md": article(
        "Bí mật nội bộ chưa duyệt",
        "2025-01-10",
        "Thông báo",
        draft=True,
        body="Nội dung nháp về đảng phí và quỹ khen thưởng.",
    ),
    "bai-viet/hen.md": article(
        "Kế hoạch tương lai về quỹ khen thưởng",
        "2099-01-01",
        "Thông báo",
        body="Nội dung hẹn giờ về đảng phí.",
        scheduled=True,
    ),
}


def test_keys_fold_d_and_every_mark() -> None:
    assert [key(w) for w in ("đảng", "đăng", "Đà", "nẵng", "2024", "covid19")] == [
        "dang",
        "dang",
        "da",
        "nang",
        "2024",
        "covid19",
    ]


def test_index_files_words_under_their_folded_keys() -> None:
    from datetime import datetime

    from chibo.text import TIMEZONE

    articles = [("a", "Đảng bộ tổng kết", "Hội nghị", 2024, "B"), ("b", "Đăng ký hội thao", "đảng viên", 2025, "A")]
    records = [
        SearchRecord(
            f"bai-viet/{slug}/", title, text, f"Tóm tắt {slug}", datetime(year, 1, 2, tzinfo=TIMEZONE), category=c
        )
        for slug, title, text, year, c in articles
    ]
    records.append(page_record("gioi-thieu/", "# Giới thiệu\n\n**Đảng bộ** cơ sở"))
    files = index_files(records, ["A", "B"], chunk=2)
    meta = json.loads(files["meta.json"])
    assert meta["records"] == 3 and meta["category_of"] == "01-"  # newest first, pages last
    words = {}
    for name, text in files.items():
        if "/w" in name:
            words.update(json.loads(text))
    # ids as differences: "đảng" is first in headline 1 (a), and elsewhere in 0 (b) and 2 (the page)
    assert words["dang"] == {"đảng": [[1], "0", [0, 2], []], "đăng": [[0], "0", [], []]}
    assert words["tong"] == {"tổng": [[1], "2", [], []]}  # third word of a's headline
    rows = json.loads(files[f"{meta['version']}/r1.json"])
    # the page's summary is its text's beginning: left out, the search page cuts it from the text
    assert rows == [["gioi-thieu/", "Giới thiệu", "", "", "Giới thiệu Đảng bộ cơ sở"]]
    assert json.loads(files[f"{meta['version']}/r0.json"])[0][3:] == ["Tóm tắt b", "đảng viên"]


def test_the_body_is_searched_as_the_reader_reads_it() -> None:
    """What full-text search indexes and cuts excerpts from: the words a reader sees in the body."""
    from chibo.articles import plain_text

    body = """## Kết quả {: #ket-qua }

Chi bộ **đã** hoàn thành [Kế hoạch 45-KH/ĐU](../van-ban/kh.md) &amp; ![Ảnh hội nghị](anh.jpg) tốt.
<!-- ghi chú của biên tập viên -->
<script>alert("x")</script>

| Chỉ tiêu | Kết quả |
|---|---|
| Kết nạp | 2 đảng viên |

- Một là
1. Hai là
> Trích dẫn

[kh]: https://example.org/kh
"""
    assert plain_text(body) == (
        "Kết quả Chi bộ đã hoàn thành Kế hoạch 45-KH/ĐU & Ảnh hội nghị tốt. "
        "Chỉ tiêu Kết quả Kết nạp 2 đảng viên Một là Hai là Trích dẫn"
    )


def test_words_files_are_cut_in_key_order() -> None:
    """Each words file holds a run of keys; meta.json lists the first key of each, which is how the
    search page finds a word's file and the files of the words that begin with what was typed."""
    text = " ".join(f"từ{n:03d}" for n in range(300))
    files = index_files([SearchRecord("a/", "Tiêu đề", text, "")], [], words_bytes=400)
    meta = json.loads(files["meta.json"])
    firsts = meta["words"]
    assert len(firsts) > 10 and firsts == sorted(firsts)
    for n, first in enumerate(firsts):
        content = json.loads(files[f"{meta['version']}/w{n}.json"])
        assert min(content) == first and (n + 1 == len(firsts) or max(content) < firsts[n + 1])
        assert {words_file(meta, k) for k in content} == {f"{meta['version']}/w{n}.json"}
    assert sum(len(json.loads(v)) for k, v in files.items() if "/w" in k) == 300 + 2  # "tieu", "de"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    site = make_site(tmp_path_factory.mktemp("search"), ARTICLES)
    site.build()
    with served(site.out) as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.requests = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


def search(page, site_url: str, query: str, category: str = "") -> list[str]:
    url = f"{site_url}tim-kiem/?q={quote_plus(query)}"
    if category:
        url += f"&chuyen-muc={quote_plus(category)}"
    page.goto(url)
    page.wait_for_function(
        "!document.querySelector('[data-portal-search-status]').textContent.startsWith('Đang')"
        " && document.querySelector('[data-portal-search-status]').textContent !== ''"
    )
    return page.locator(".portal-search__result h2").all_inner_texts()


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("dang bo tong ket", "Đảng bộ Trung tâm tổng kết công tác năm 2024"),
        ("dang phi", "Hướng dẫn thu, nộp đảng phí năm 2025"),
        ("DANG PHI", "Hướng dẫn thu, nộp đảng phí năm 2025"),
        ("sinh hoat chi bo", "Một số giải pháp tiếp tục nâng cao chất lượng sinh hoạt chi bộ"),
        ("đảng phí", "Hướng dẫn thu, nộp đảng phí năm 2025"),
        ("đăng ký", "Đăng ký tham gia hội thao"),
    ],
)
def test_queries_find_the_right_article(page, site_url, query, first) -> None:
    results = search(page, site_url, query)
    assert results and results[0] == first, results
    assert page.errors == []


def test_words_next_to_each_other_in_the_headline_rank_first(browser, tmp_path) -> None:
    site = make_site(
        tmp_path / "phrase",
        {
            # the newer one has the words too, but scattered: the older one's headline has the phrase
            "bai-viet/moi.md": article("Tổng kết sinh hoạt Chi bộ tại Đảng bộ khối", "2025-06-01", "Tin hoạt động"),
            "bai-viet/cu.md": article("Đảng bộ khối tổng kết năm", "2024-06-01", "Tin hoạt động"),
        },
    )
    site.build()
    context = browser.new_context()
    with served(site.out) as base:
        try:
            page = context.new_page()
            assert search(page, base, "dang bo tong ket")[:2] == [
                "Đảng bộ khối tổng kết năm",
                "Tổng kết sinh hoạt Chi bộ tại Đảng bộ khối",
            ]
            # with no phrase in either headline, the newer comes first
            assert search(page, base, "khoi dang")[:2] == [
                "Tổng kết sinh hoạt Chi bộ tại Đảng bộ khối",
                "Đảng bộ khối tổng kết năm",
            ]
        finally:
            context.close()


def test_typed_diacritics_rank_exact_matches_first(page, site_url) -> None:
    results = search(page, site_url, "đảng")
    assert "Đăng ký tham gia hội thao" not in results[:3], results
    without = search(page, site_url, "dang")
    assert "Đăng ký tham gia hội thao" in without  # without diacritics both words match


def test_results_show_date_category_and_highlighted_excerpt(page, site_url) -> None:
    search(page, site_url, "dang phi")
    first = page.locator(".portal-search__result").first
    assert first.locator(".portal-search__meta").inner_text() == "Chủ Nhật, 05/01/2025 · Thông báo"
    marks = [m.lower() for m in first.locator(".portal-search__excerpt mark").all_inner_texts()]
    assert "đảng" in marks and "phí" in marks
    assert page.locator("[data-portal-search-status]").inner_text().startswith("Tìm thấy")


def test_no_result_says_so(page, site_url) -> None:
    assert search(page, site_url, "xyzqwv") == []
    assert page.locator("[data-portal-search-status]").inner_text() == "Không tìm thấy bài viết nào cho “xyzqwv”."


def test_category_filter(page, site_url) -> None:
    everything = search(page, site_url, "dang")
    assert len(everything) >= 3
    only = search(page, site_url, "dang", category="Thông báo")
    assert only == ["Hướng dẫn thu, nộp đảng phí năm 2025"]
    assert page.locator("select[name=chuyen-muc]").input_value() == "Thông báo"


def test_drafts_and_scheduled_are_never_found(page, site_url) -> None:
    """The draft's and the scheduled article's own words (headline and first paragraph) find
    neither of them, folded or with diacritics."""
    held_back = ("Bí mật nội bộ chưa duyệt", "Kế hoạch tương lai về quỹ khen thưởng")
    queries = ("bi mat noi bo", "Bí mật nội bộ chưa duyệt", "ke hoach tuong lai", "tương lai", "noi dung nhap")
    for query in (*queries, "noi dung hen gio", "Kế hoạch tương lai về quỹ khen thưởng"):
        found = search(page, site_url, query)
        assert not [title for title in held_back if title in found], query
        hrefs = page.locator(".portal-search__result a").evaluate_all("els => els.map(e => e.href)")
        assert not [h for h in hrefs if "bi-mat" in h or "ke-hoach-tuong-lai" in h], query
    # the same kind of query does find a published article by its own words
    assert "Hướng dẫn thu, nộp đảng phí năm 2025" in search(page, site_url, "huong dan thu nop")


def test_article_page_does_not_load_the_index(page, site_url) -> None:
    page.goto(site_url + MODEL_URL)
    page.wait_for_timeout(500)
    assert not [u for u in page.requests if "chi-muc" in u or "search_index" in u]


def test_header_box_sends_the_reader_to_the_search_page(page, site_url) -> None:
    page.goto(site_url + MODEL_URL)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "portal-search-input"
    page.keyboard.type("dang phi")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=dang+phi")
    page.wait_for_selector(".portal-search__result")
    assert page.locator(".portal-search__result h2").first.inner_text() == "Hướng dẫn thu, nộp đảng phí năm 2025"


def test_search_page_is_keyboard_usable(page, site_url) -> None:
    page.goto(site_url + "tim-kiem/")
    assert page.evaluate("document.activeElement.id") == "portal-search-q"
    page.keyboard.type("sinh hoat")
    page.keyboard.press("Enter")
    page.wait_for_selector(".portal-search__result a")
    page.keyboard.press("Tab")  # to the category filter
    assert page.evaluate("document.activeElement.id") == "portal-search-category"
    assert page.get_by_role("status").inner_text().startswith("Tìm thấy")


def test_an_index_in_many_files_is_searched_as_one(browser, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CHIBO_SEARCH_CHUNK", "1")  # one record a results file
    monkeypatch.setenv("CHIBO_SEARCH_WORDS_BYTES", "300")  # and the words over many files
    more = {
        f"bai-viet/ds-{i}.md": article(f"Đảng viên mới số {i}", f"2023-03-{i + 1:02d}", "Tin hoạt động")
        for i in range(22)
    }
    site = make_site(tmp_path / "chunks", {**ARTICLES, **more})
    site.build()
    meta = index_meta(site)
    assert meta["records"] == 29 and len(meta["words"]) >= 16  # 26 articles, 3 pages
    assert len(list((site.out / "tim-kiem/chi-muc" / meta["version"]).glob("r*.json"))) == 29
    context = browser.new_context()
    page = context.new_page()
    with served(site.out) as base:
        try:
            found = search(page, base, "dang")
            assert {
                "Đảng bộ Trung tâm tổng kết công tác năm 2024",
                "Hướng dẫn thu, nộp đảng phí năm 2025",
                "Đăng ký tham gia hội thao",
            } <= set(found)
            assert search(page, base, "dang", category="Thông báo") == ["Hướng dẫn thu, nộp đảng phí năm 2025"]
            # 25 results: the best 20 first, then the rest on "Xem thêm kết quả"
            assert len(search(page, base, "dang vien")) == 20
            assert (
                page.locator("[data-portal-search-status]")
                .inner_text()
                .startswith("Tìm thấy 25 bài viết; đang hiện 20")
            )
            page.get_by_role("button", name="Xem thêm kết quả").click()
            page.wait_for_function("document.querySelectorAll('.portal-search__result').length === 25")
            assert page.get_by_role("button", name="Xem thêm kết quả").is_hidden()
            titles = page.locator(".portal-search__result h2").all_inner_texts()
            assert len(set(titles)) == 25 and "Đảng viên mới số 0" in titles[20:]
        finally:
            context.close()


def test_a_search_after_a_new_publication_uses_the_new_index(browser, tmp_path) -> None:
    site = make_site(tmp_path / "republish", ARTICLES)
    site.build()
    first = index_meta(site)["version"]
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    with served(site.out) as base:
        try:
            assert search(page, base, "dang phi")[0] == "Hướng dẫn thu, nộp đảng phí năm 2025"
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            # published while the reader keeps the search page open: the old index folder is gone
            site.write("bai-viet/moi.md", article("Đại hội Chi đoàn nhiệm kỳ mới", "2025-03-01", "Tin hoạt động"))
            site.build()
            second = index_meta(site)["version"]
            assert second != first and not (site.out / "tim-kiem/chi-muc" / first).exists()
            page.fill("#portal-search-q", "dai hoi chi doan")
            page.press("#portal-search-q", "Enter")
            # the new search has started (its query is in the address) and finished
            page.wait_for_function(
                "location.search.includes('dai+hoi')"
                " && !document.querySelector('[data-portal-search-status]').textContent.startsWith('Đang')"
            )
            status = page.locator("[data-portal-search-status]").inner_text()
            found = page.locator(".portal-search__result h2").all_inner_texts()
            assert found == ["Đại hội Chi đoàn nhiệm kỳ mới"], (found, status, requests)
            assert page.url.endswith("/tim-kiem/?q=dai+hoi+chi+doan")  # searched in place, not reloaded
            # besides the new version, only the old one, tried while meta.json was asked again
            versions = {u.split("/chi-muc/")[1].split("/")[0] for u in requests if "/chi-muc/" in u}
            assert versions <= {"meta.json", first, second} and second in versions, versions
            assert errors == []
        finally:
            context.close()


def test_authors_document_numbers_and_the_year_filter(browser, tmp_path) -> None:
    site = make_site(
        tmp_path / "authors",
        {
            "bai-viet/nq.md": article(
                "Nghị quyết 01-NQ/CB về công tác kiểm tra", "2024-03-02", "Văn bản", author="Nguyễn Thu Hà"
            ),
            "bai-viet/qd.md": article("Quyết định 15-QĐ/TW về kỷ luật", "2023-05-04", "Văn bản", author="Trần Minh"),
            "bai-viet/lich.md": article("Lịch họp chi bộ tháng Sáu", "2025-06-01", "Thông báo", author="Nguyễn Thu Hà"),
        },
    )
    site.build()
    context = browser.new_context()
    with served(site.out) as base:
        try:
            page = context.new_page()
            hers = ["Lịch họp chi bộ tháng Sáu", "Nghị quyết 01-NQ/CB về công tác kiểm tra"]
            # her articles first (the model article has "tiếp thu" and words that begin with "ha")
            assert search(page, base, "Thu Hà")[:2] == hers
            assert search(page, base, "thu ha")[:2] == hers
            assert search(page, base, "thu ha ") == hers  # a space after the last word: whole words only
            assert search(page, base, "01-NQ/CB")[:1] == ["Nghị quyết 01-NQ/CB về công tác kiểm tra"]
            for typed in ("15-QĐ/TW", "15-QD/TW", "15-qđ/tw"):
                assert search(page, base, typed)[:1] == ["Quyết định 15-QĐ/TW về kỷ luật"], typed
            # the year filter, from the link and from the list
            page.goto(f"{base}tim-kiem/?q={quote_plus('thu ha ')}&nam=2024")  # whole words
            page.wait_for_function(
                "document.querySelector('[data-portal-search-status]').textContent.startsWith('Tìm thấy')"
            )
            assert page.locator(".portal-search__result h2").all_inner_texts() == [hers[1]]
            assert page.locator("select[name=nam]").input_value() == "2024"
            assert page.locator("select[name=nam] option").all_inner_texts() == ["Mọi năm", "2025", "2024", "2023"]
            page.select_option("select[name=nam]", "2025")
            page.wait_for_function("new URLSearchParams(location.search).get('nam') === '2025'")
            page.wait_for_function("document.querySelectorAll('.portal-search__result').length === 1")
            assert page.locator(".portal-search__result h2").all_inner_texts() == [hers[0]]
            page.select_option("select[name=nam]", "2023")
            page.wait_for_function(
                "document.querySelector('[data-portal-search-status]').textContent.startsWith('Không')"
            )
            assert page.locator("[data-portal-search-status]").inner_text().endswith(" năm 2023.")
        finally:
            context.close()


MODEL_TITLE = "Một số giải pháp tiếp tục nâng cao chất lượng sinh hoạt chi bộ"
FILLER = (
    "Các đồng chí trong cấp ủy đã trao đổi nhiều ý kiến về kế hoạch thực hiện nhiệm vụ của đơn vị trong thời gian tới. "
    * 3
)
FULL_TEXT = {
    "bai-viet/so-ket.md": article(
        "Hội nghị sơ kết công tác quý III",
        "2024-09-30",
        "Tin hoạt động",
        body=f"""{FILLER}

Sinh thời, Bác Hồ căn dặn: **Chi bộ là nền móng của Đảng**, chi bộ tốt thì mọi việc sẽ tốt.

## Triển khai văn bản cấp trên

Thực hiện [Kế hoạch 45-KH/ĐU](https://example.org/kh) của Đảng ủy khối, chi bộ đã phân công từng đảng viên.

{FILLER}""",
    ),
    "bai-viet/the-thao.md": article("Nền móng của phong trào thể thao", "2023-01-05", "Tin hoạt động"),
    "bai-viet/mau.md": article(
        "Mẫu văn bản",
        "2025-02-02",
        "Thông báo",
        body='Đừng dán &lt;img src=x onerror="window.hacked=1"&gt; vào bài viết về lễ kỷ niệm.',
    ),
    "bai-viet/nhap.md": article("Bản nháp", "2025-03-03", "Thông báo", draft=True, body="Chi bộ là nền móng bí mật."),
    "bai-viet/thang-tu.md": article(
        "Tin vắn tháng Tư",
        "2024-04-01",
        "Tin hoạt động",
        body="Phòng cháy chữa cháy là việc thường xuyên. Tập huấn phòng cháy chữa cháy; diễn tập phòng cháy chữa cháy.",
    ),
    "bai-viet/thang-nam.md": article(
        "Tin vắn tháng Năm", "2024-05-01", "Tin hoạt động", body="Cuộc họp có nhắc tới phòng cháy chữa cháy."
    ),
}


@pytest.fixture(scope="module")
def full_text_url(tmp_path_factory) -> Iterator[str]:
    site = make_site(tmp_path_factory.mktemp("fulltext"), FULL_TEXT)
    site.build()
    with served(site.out) as base:
        yield base


def excerpts(page) -> list[tuple[str, list[str]]]:
    rows = page.locator(".portal-search__excerpt")
    return [(rows.nth(i).inner_text(), rows.nth(i).locator("mark").all_inner_texts()) for i in range(rows.count())]


def test_words_of_the_body_are_found_with_the_passage_around_them(page, full_text_url) -> None:
    # the model article quotes the same words of Hồ Chí Minh, its headline has "chi bộ": it comes first
    found = search(page, full_text_url, "chi bo la nen mong cua dang")
    assert found == [MODEL_TITLE, "Hội nghị sơ kết công tác quý III"], found
    assert search(page, full_text_url, "bac ho can dan nen mong") == ["Hội nghị sơ kết công tác quý III"]
    text, marks = excerpts(page)[0]
    # the passage of the match, not the article's beginning: cut inside the text on both sides
    assert "Bác Hồ căn dặn: Chi bộ là nền móng của Đảng" in text, text
    assert text.startswith("… ") and text.endswith(" …"), text
    assert {"Bác", "Hồ", "căn", "dặn", "nền", "móng"} <= set(marks), marks
    assert "Bản nháp" not in search(page, full_text_url, "nen mong bi mat")  # a draft's body is never found
    # a document number written only in the body, as typed, with or without the accent on Đ
    for typed in ("45-KH/ĐU", "45-kh/du"):
        assert search(page, full_text_url, typed) == ["Hội nghị sơ kết công tác quý III"], typed
        assert "45-KH/ĐU" in excerpts(page)[0][0]


def test_results_come_as_the_reader_types_the_last_word_as_a_beginning(page, full_text_url) -> None:
    page.goto(full_text_url + "tim-kiem/")
    metas: list[str] = []
    page.on("request", lambda r: metas.append(r.url) if r.url.endswith("/meta.json") else None)
    page.keyboard.type("nen mon", delay=30)  # no Enter
    page.wait_for_function("document.querySelector('[data-portal-search-status]').textContent.startsWith('Tìm thấy')")
    titles = page.locator(".portal-search__result h2").all_inner_texts()
    # "mon" begins "móng"; the headline match before the body matches (newest first among those)
    assert titles == ["Nền móng của phong trào thể thao", "Hội nghị sơ kết công tác quý III", MODEL_TITLE], titles
    assert "móng" in excerpts(page)[1][1]
    assert page.url.endswith("/tim-kiem/?q=nen+mon")
    # a search after the pause, not one per key (a busy machine may pause between two keys)
    assert 1 <= len(metas) <= 2, metas
    # a space after the word: now it is a whole word, and "mon" is in neither article
    page.keyboard.type(" ")
    page.wait_for_function("document.querySelector('[data-portal-search-status]').textContent.startsWith('Không')")


def test_an_article_about_the_words_ranks_above_one_that_mentions_them(page, full_text_url) -> None:
    # both only in the body; the older one repeats them, the newer has them once
    assert search(page, full_text_url, "phong chay chua chay") == ["Tin vắn tháng Tư", "Tin vắn tháng Năm"]


def test_excerpts_show_text_from_the_index_as_text(page, full_text_url) -> None:
    assert search(page, full_text_url, "le ky niem") == ["Mẫu văn bản"]
    text, marks = excerpts(page)[0]
    assert '<img src=x onerror="window.hacked=1">' in text and marks == ["lễ", "kỷ", "niệm"]
    assert page.locator(".portal-search__results img").count() == 0
    assert page.evaluate("window.hacked") is None
