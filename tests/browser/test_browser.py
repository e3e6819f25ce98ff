"""What a reader sees, in Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support import MODEL_URL, article, make_site, served

XSS_URL = "bai-viet/2024/03/tin-img-src-x-onerror-alert-1/"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    files = {
        "bai-viet/2024/xss.md": article(
            "Tin <img src=x onerror=alert(1)>", "2024-03-01", "Thông báo", summary="<script>alert(2)</script>"
        ),
        **{f"bai-viet/tb/{i}.md": article(f"Thông báo số {i}", f"2024-02-{i + 1:02d}", "Thông báo") for i in range(12)},
    }
    site = make_site(tmp_path_factory.mktemp("browser"), files)
    site.build()
    with served(site.out) as base:
        yield base


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.requests = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


def test_article_as_a_reader_sees_it(page, server) -> None:
    page.goto(server + MODEL_URL)
    assert page.locator("h1").inner_text() == "Một số giải pháp tiếp tục nâng cao chất lượng sinh hoạt chi bộ"
    assert page.locator("time.portal-article__date").inner_text() == "Thứ Năm, 30/11/2023"
    assert page.locator(".portal-byline").inner_text() == "Bài viết: Văn Châu"
    assert page.locator("address.portal-identity").is_visible()
    assert page.errors == []
    # first party only: every request goes to the site itself
    assert page.requests and all(url.startswith(server) for url in page.requests), page.requests
    # nothing that grows with the site: no sitemap (Material fetches it for rel=alternate links), no search index
    page.wait_for_timeout(300)
    assert not [u for u in page.requests if "sitemap" in u or "chi-muc" in u or "search_index" in u], page.requests


def test_print_button_prints_the_article_alone(page, server) -> None:
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto(server + MODEL_URL)
    page.get_by_role("button", name="In bài viết").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert page.locator("h1").is_visible()
    assert page.locator(".portal-article__body").is_visible()
    for chrome in (
        ".md-header",
        ".portal-banner",
        ".portal-actions",
        ".portal-breadcrumb",
        ".portal-sidebar",
        ".md-tabs",
    ):
        assert not page.locator(chrome).first.is_visible(), chrome


def test_copy_link_copies_the_address(browser, server) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(server + MODEL_URL)
    page.get_by_role("link", name="Sao chép liên kết").click()
    # the clipboard answers asynchronously
    page.wait_for_function("document.querySelector('.portal-copy__status').textContent !== ''")
    assert page.locator(".portal-copy__status").inner_text() == "Đã sao chép liên kết."
    assert page.evaluate("navigator.clipboard.readText()") == f"https://ctxhdanang.vn/{MODEL_URL}"
    context.close()


def test_html_in_title_is_never_executed(page, server) -> None:
    for path in (XSS_URL, "", "thong-bao/"):
        page.goto(server + path)
        page.wait_for_timeout(200)
    assert page.dialogs == []
    page.goto(server + XSS_URL)
    assert page.locator("h1").inner_text() == "Tin <img src=x onerror=alert(1)>"


def test_phone_layout_has_no_horizontal_scroll_and_shows_sidebar(browser, server) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + MODEL_URL)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    notices = page.locator(".portal-box--notices")
    assert notices.is_visible()
    # on a phone the boxes come after the article, not before it
    assert notices.bounding_box()["y"] > page.locator(".portal-article__body").bounding_box()["y"]
    context.close()


def test_pagination_works_with_the_keyboard(page, server) -> None:
    page.goto(server + "thong-bao/")
    page.locator(".portal-pager a", has_text="2").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(server + "thong-bao/trang/2/")
    assert page.locator('.portal-pager [aria-current="page"]').inner_text() == "2"
    assert page.locator(".portal-cards > li").count() == 3


def test_banner_and_front_page_layout(browser, tmp_path) -> None:
    """The banner's name on a computer, the logo and short name on a phone; no navigation
    column; the lead story's photo beside the next stories on a computer, above them on a phone."""
    from support import phone_photo, png

    def configure(config: dict) -> None:
        portal = config["extra"]["portal"]
        portal["banner"] = {
            "name": ["Đảng bộ thành phố Đà Nẵng", "Chi bộ Trung tâm Công tác xã hội"],
            "motto": "Đoàn kết – Kỷ cương",
            "short_name": "Chi bộ CTXH",
            "logo": "images/logo.png",
        }
        portal["links"] = [{"title": "Báo Nhân Dân", "url": "https://nhandan.vn", "image": "images/nhandan.png"}]

    files = {
        "bai-viet/a.md": article("Bài có ảnh lớn", "2025-05-02", "Tin hoạt động", image="a.jpg"),
        "bai-viet/a.jpg": phone_photo(1600, 1200),
        **{f"bai-viet/b{i}.md": article(f"Bài số {i}", f"2025-04-{i + 1:02d}", "Thông báo") for i in range(5)},
        "images/logo.png": png(96, 96),
        "images/nhandan.png": png(300, 80),
    }
    site = make_site(tmp_path / "banner", files, configure=configure)
    site.build()
    with served(site.out) as base:
        for width, shown, hidden in (
            (1280, "Chi bộ Trung tâm Công tác xã hội", "Chi bộ CTXH"),
            (360, "Chi bộ CTXH", "Đoàn kết"),
        ):
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            page.goto(base)
            banner = page.locator(".portal-banner")
            assert page.get_by_text(shown, exact=True).first.is_visible()
            assert not banner.get_by_text(hidden).first.is_visible()
            assert banner.locator("img").get_attribute("src").endswith("images/logo.png")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            lead = page.locator(".portal-lead__image img").bounding_box()
            beside = page.locator(".portal-cards--next li").first.bounding_box()
            if width == 1280:
                assert not page.locator(".md-sidebar--primary").is_visible()
                assert beside["x"] > lead["x"] + lead["width"] - 1  # side by side
            else:
                assert beside["y"] > lead["y"] + lead["height"] - 1  # one above the other
            link = page.get_by_role("link", name="Báo Nhân Dân")
            assert link.locator("img").count() == 1
            context.close()
