"""The counter box and the contact buttons in headless Chromium, against the test server."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from support import MODEL_URL, make_site, served
from support.goatcounter import GoatCounterStub

BUTTONS = {"zalo": "0905 123 456", "messenger": "ctxhdanang", "facebook": "ctxhdanang", "hotline": "02362 214.668"}


@pytest.fixture
def counter_site(tmp_path) -> Iterator[tuple[str, GoatCounterStub]]:
    stub = GoatCounterStub(total=1_000_000).start()

    def configure(config: dict) -> None:
        config["extra"]["portal"]["counter"] = {"url": stub.url, "offset": 6835657, "allow_local": True, "timeout": 2}
        config["extra"]["portal"]["buttons"] = BUTTONS

    site = make_site(tmp_path / "site", configure=configure)
    site.build()
    with served(site.out) as base:
        yield base, stub
    stub.stop()


def _open(browser, url: str, dnt: bool = False, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=False)  # as readers see it
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    if dnt:
        page.add_init_script("Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'});")
    page.goto(url)
    return context, page


def _rows(page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.portal-box--counter [data-row]')]
            .map(r => [r.dataset.row, r.querySelector('[data-value]').textContent.trim()]))"""
    )


def test_box_fills_in_and_page_view_is_counted(browser, counter_site) -> None:
    base, stub = counter_site
    context, page = _open(browser, base + MODEL_URL)
    # under the page's policy (no string evaluation): Playwright's own waiting; each row has
    # its own request, answered in any order
    for row in ("total", "today", "yesterday"):
        cell = page.locator(f"[data-row={row}] [data-value]")
        expect(cell).not_to_have_text(re.compile(r"^\s*(6\.835\.657|chưa có)\s*$"), timeout=10_000)
    rows = _rows(page)
    assert rows["total"] == "7.835.657"
    assert rows["today"] == "300" and rows["yesterday"] == "300"  # 1 + 2 + ... + 24 per UTC day
    assert rows["forecast"] == "chưa có" or rows["forecast"].replace(".", "").isdigit()
    for _ in range(50):  # the count is sent without waiting for an answer
        if stub.hits:
            break
        page.wait_for_timeout(100)
    assert [hit["p"][0] for hit in stub.hits] == ["/" + MODEL_URL]
    assert page.errors == []
    context.close()


def test_do_not_track_is_not_counted(browser, counter_site) -> None:
    base, stub = counter_site
    context, page = _open(browser, base, dnt=True)
    page.wait_for_timeout(500)
    assert stub.hits == []
    context.close()


@pytest.mark.parametrize("mode", ["down", "slow", "forbidden", "garbage"])
def test_box_survives_a_bad_server(browser, counter_site, mode) -> None:
    base, stub = counter_site
    if mode == "down":
        stub.stop()
    else:
        stub.mode, stub.delay = mode, 5
    context, page = _open(browser, base + MODEL_URL)
    page.wait_for_timeout(2600 if mode == "slow" else 600)  # the box gives up after 2 s
    # what the build wrote stays: the carried-over total, and "chưa có" rather than a dash
    assert _rows(page) == {"today": "chưa có", "yesterday": "chưa có", "total": "6.835.657", "forecast": "chưa có"}
    assert page.errors == []
    assert page.locator("h1").inner_text().startswith("Một số giải pháp")
    context.close()


def test_contact_buttons(browser, counter_site) -> None:
    base, _ = counter_site
    context, page = _open(browser, base)
    links = page.locator(".portal-buttons a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == [
        "https://zalo.me/0905123456",
        "https://m.me/ctxhdanang",
        "https://www.facebook.com/ctxhdanang",
        "tel:02362214668",
    ]
    assert page.get_by_role("link", name="Gọi đường dây nóng").count() == 1
    assert page.get_by_role("link", name="Nhắn tin Zalo").count() == 1
    page.emulate_media(media="print")
    assert not page.locator(".portal-buttons").is_visible()
    context.close()


def test_contact_buttons_do_not_cover_content_on_a_phone(browser, counter_site) -> None:
    base, _ = counter_site
    context, page = _open(browser, base + MODEL_URL, width=360)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(200)
    bar = page.locator(".portal-buttons").bounding_box()
    last_line = page.locator(".portal-identity p").last.bounding_box()
    assert last_line["y"] + last_line["height"] <= bar["y"]
    for i in range(4):
        box = page.locator(".portal-buttons a").nth(i).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44  # touch target
    context.close()
