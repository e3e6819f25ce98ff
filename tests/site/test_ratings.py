"""Satisfaction ratings and "Đọc nhiều": read from the tests' GoatCounter stand-in at build time,
kept across builds, shown on the pages; and the rating box as a reader uses it in Chromium."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from support import MODEL_URL, article, served
from support.goatcounter import TOKEN, GoatCounterStub

NOW = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)  # 08:30 in Vietnam
OTHER_URL = "bai-viet/2026/11/hoi-nghi-tong-ket/"


def _day(days_ago: int) -> str:
    return (NOW - timedelta(days=days_ago)).date().isoformat()


@pytest.fixture
def stub():
    server = GoatCounterStub(total=1_000_000).start()
    yield server
    server.stop()


def _site(new_site, stub, **counter):
    def configure(config: dict) -> None:
        config["extra"]["portal"]["counter"] = {
            "url": stub.url,
            "offset": 6835657,
            "offset_date": "2025-01-01",
            "allow_local": True,
            "timeout": 2,
            **counter,
        }

    other = article(
        "Hội nghị tổng kết", "2026-11-20", "Tin hoạt động", "Nội dung hội nghị.", rating={"sum": 8, "count": 2}
    )
    old = article("Bài cũ của trang cũ", "2018-03-01", "Thông báo", "Nội dung cũ.", hits=12345)
    return new_site({"bai-viet/2026/hoi-nghi.md": other, "bai-viet/2018/cu.md": old}, configure=configure)


def _events(stub) -> None:
    stub.paths.update(
        {
            f"danh-gia/5/{MODEL_URL}": (True, {_day(3): 3, _day(40): 1}),
            f"danh-gia/4/{MODEL_URL}": (True, {_day(3): 2}),
            f"danh-gia/2/{OTHER_URL}": (True, {_day(2): 1}),
            "danh-gia/5/bai-viet/2020/01/khong-co/": (True, {_day(2): 9}),  # no such article: ignored
            f"danh-gia/9/{MODEL_URL}": (True, {_day(2): 9}),  # no such value: ignored
            f"/{OTHER_URL}": (False, {_day(1): 50, _day(20): 5}),
            f"/{MODEL_URL}": (False, {_day(1): 20, _day(20): 100}),
            "/bai-viet/2018/03/bai-cu-cua-trang-cu/": (False, {_day(25): 7}),
        }
    )


def _built(new_site, stub, monkeypatch):
    """The site built at NOW with the counter's token, the stand-in holding `_events`."""
    monkeypatch.setenv("GOATCOUNTER_TOKEN", TOKEN)
    monkeypatch.setenv("CHIBO_NOW", NOW.isoformat())
    _events(stub)
    site = _site(new_site, stub)
    site.build()
    return site


def test_the_build_shows_ratings_from_the_counter_plus_the_old_sites(new_site, stub, monkeypatch) -> None:
    site = _built(new_site, stub, monkeypatch)
    box = site.html(MODEL_URL).select_one(".portal-rating")
    assert box is not None and box.has_attr("hidden")  # shown by the script only
    # 5+5+5+5 (four 5s) + 4+4 = 28 over 6 ratings
    assert box.select_one(".portal-rating__figures").get_text(" ", strip=True).endswith("4,7 / 5 · 6 lượt đánh giá")
    assert box["data-portal-rating"] == MODEL_URL
    labels = [label.get_text(" ", strip=True) for label in box.select("label")]
    assert labels[0].endswith("1 sao: Rất không hài lòng") and labels[4].endswith("5 sao: Rất hài lòng")
    other = site.html(OTHER_URL).select_one(".portal-rating__figures").get_text(" ", strip=True)
    assert other.endswith("3,3 / 5 · 3 lượt đánh giá")  # 2 + the old site's 8 over 1 + 2
    summary = site.html("danh-gia/")
    assert "Toàn trang: 4,2 / 5 · 9 lượt đánh giá" in summary.get_text(" ", strip=True)  # 38 / 9
    months = {r.th.get_text(): r.find_all("td")[1].get_text() for r in summary.select("table")[0].select("tbody tr")}
    assert months == {"11/2026": "6", "10/2026": "1"}  # the counter's, by month (the old site's have none)
    rows = summary.select("table")[1].select("tbody tr")
    assert {r.th.get_text(): r.find_all("td")[1].get_text() for r in rows} == {"Tin hoạt động": "9"}
    highest = summary.find("h2", string="Được đánh giá cao nhất").find_next("ol").select("li a")
    assert [a.get_text() for a in highest] == [
        "Một số giải pháp tiếp tục nâng cao chất lượng sinh hoạt chi bộ",
        "Hội nghị tổng kết",
    ]


def test_most_read_follows_the_counter_and_the_old_sites_views(new_site, stub, monkeypatch) -> None:
    site = _built(new_site, stub, monkeypatch)
    box = site.html("").select_one(".portal-box--most-read")
    titles = [a.get_text() for a in box.select("li a")]
    # fewer than five read this week: the last 30 days (model 120, other 55, old 7)
    assert titles[:3] == [
        "Một số giải pháp tiếp tục nâng cao chất lượng sinh hoạt chi bộ",
        "Hội nghị tổng kết",
        "Bài cũ của trang cũ",
    ]
    page = site.html("doc-nhieu/")
    sections = {
        s.h2.get_text(): [li.get_text(" ", strip=True) for li in s.select("li")] for s in page.select("section")
    }
    assert sections["7 ngày qua"][0].startswith("Hội nghị tổng kết (50 lượt xem)")
    assert sections["Trên trang cũ"] == ["Bài cũ của trang cũ (12.345 lượt xem trên trang cũ)"]


def test_an_outage_keeps_the_last_figures(new_site, stub, monkeypatch) -> None:
    site = _built(new_site, stub, monkeypatch)
    before = site.html(MODEL_URL).select_one(".portal-rating__figures").get_text(" ", strip=True)
    stub.stop()  # the counter is down
    monkeypatch.setenv("CHIBO_NOW", (NOW + timedelta(hours=2)).isoformat())
    result = site.build()
    assert site.html(MODEL_URL).select_one(".portal-rating__figures").get_text(" ", strip=True) == before
    assert site.html("").select_one(".portal-box--most-read") is not None
    assert "Traceback" not in result.stderr


def test_a_second_build_asks_only_for_the_hours_since_the_first(new_site, stub, monkeypatch) -> None:
    site = _built(new_site, stub, monkeypatch)
    first = [q for q in stub.hits_calls if "exclude_paths" not in q]
    stub.hits_calls.clear()
    stub.paths[f"danh-gia/1/{MODEL_URL}"] = (True, {(NOW + timedelta(days=1)).date().isoformat(): 1})
    monkeypatch.setenv("CHIBO_NOW", (NOW + timedelta(days=2)).isoformat())
    site.build()
    starts = sorted(q["start"][0] for q in stub.hits_calls)
    assert "2026-11-26T01:00:00Z" in starts  # the ratings' window starts where the first one ended
    assert first and min(q["start"][0] for q in first) < "2026-01-01"
    text = site.html(MODEL_URL).select_one(".portal-rating__figures").get_text(" ", strip=True)
    assert text.endswith("4,1 / 5 · 7 lượt đánh giá")  # (28 + 1) / 7


def test_without_a_counter_there_is_no_rating_box(new_site) -> None:
    site = new_site()
    site.build()
    page = site.html(MODEL_URL)
    assert page.select_one(".portal-rating") is None and page.select_one(".portal-box--most-read") is None
    assert not (site.out / "danh-gia").exists()


def test_ratings_from_the_api_are_read_a_window_at_a_time() -> None:
    from chibo.ratings import RatingsSnapshot, update_ratings

    calls = []

    def page(start, end, seen):
        calls.append((start, end, list(seen)))
        if len(calls) == 2:
            raise OSError("mạng lỗi")
        rows = [{"path_id": len(calls), "path": f"danh-gia/{len(calls)}/a/", "event": True,
                 "stats": [{"day": "2026-11-20", "daily": 2}]}]  # fmt: skip
        return rows, len(calls) < 3

    snapshot = RatingsSnapshot()
    assert "mạng lỗi" in update_ratings(snapshot, page, NOW, budget=5)
    assert snapshot.until is None and snapshot.pending["seen"] == [1]  # kept half-read
    assert update_ratings(snapshot, page, NOW, budget=5) == ""
    assert calls[2][2] == [1]  # resumed after the path already read
    assert snapshot.until == NOW.replace(minute=0) and snapshot.pending == {}
    assert snapshot.figures("a/").count == 4 and snapshot.figures("a/").total == 1 * 2 + 3 * 2


def test_carried_over_ratings_are_checked() -> None:
    from chibo.ratings import Figures, carried_over, parse_event

    assert carried_over({"sum": 43, "count": 10}) == Figures(43, 10)
    assert carried_over({"sum": 60, "count": 10}) is None  # more than five stars each
    assert carried_over({"sum": "x", "count": 1}) is None
    assert parse_event("/danh-gia/3/bai-viet/2023/11/a/") == ("bai-viet/2023/11/a/", 3)
    assert parse_event("danh-gia/6/bai-viet/a/") is None and parse_event("/bai-viet/a/") is None
    assert Figures(0, 0).text == "Chưa có lượt đánh giá nào"
    assert Figures(129, 30).text == "4,3 / 5 · 30 lượt đánh giá"


def test_a_bad_carried_over_rating_names_the_field(new_site) -> None:
    site = new_site({"bai-viet/2024/x.md": article("X", "2024-01-01", "Thông báo", rating="năm sao")})
    result = site.build(check=False)
    assert result.returncode != 0 and 'trường "rating" phải có dạng rating: {sum: 43, count: 10}' in result.stderr


# -- in Chromium -------------------------------------------------------------------------------


@pytest.fixture
def rated_site(new_site, stub, monkeypatch):
    monkeypatch.delenv("GOATCOUNTER_TOKEN", raising=False)
    site = _site(new_site, stub)
    site.build()
    with served(site.out) as base:
        yield base, stub


def test_a_reader_rates_with_the_keyboard_once(browser, rated_site) -> None:
    base, stub = rated_site
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=False)
    try:
        page = context.new_page()
        page.goto(base + MODEL_URL)
        box = page.locator(".portal-rating")
        box.wait_for()
        assert box.is_visible()
        page.locator("#portal-rating-1").focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")  # 1 → 4, as a radio group moves
        assert page.locator("#portal-rating-4").is_checked()
        page.locator(".portal-rating__send").focus()
        page.keyboard.press("Enter")
        page.locator(".portal-rating__status").filter(has_text="Cảm ơn").wait_for()
        page.wait_for_timeout(500)
        events = [h for h in stub.hits if h.get("e") == ["true"]]
        assert events == [{"p": [f"danh-gia/4/{MODEL_URL}"], "e": ["true"], "rnd": events[0]["rnd"]}]
        page.goto(base + MODEL_URL)  # a second visit does not ask again
        page.locator(".portal-rating__status").filter(has_text="Cảm ơn bạn đã đánh giá (4/5).").wait_for()
        assert not page.locator(".portal-rating__form").is_visible()
        assert len([h for h in stub.hits if h.get("e") == ["true"]]) == 1
        page.emulate_media(media="print")
        assert not box.is_visible()
    finally:
        context.close()


def test_the_rating_box_is_axe_clean(browser, rated_site) -> None:
    from support import AXE

    base, _ = rated_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + MODEL_URL)
        page.locator(".portal-rating").wait_for()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => (await axe.run('.portal-rating', {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})).violations"
        )
        assert result == [], result
    finally:
        context.close()


def test_chibo_counter_says_whether_ratings_are_read(new_site, stub, monkeypatch) -> None:
    import subprocess
    import sys

    from support import build_env

    _events(stub)
    site = _site(new_site, stub)
    result = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "counter"],
        cwd=site.root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**build_env(), "GOATCOUNTER_TOKEN": TOKEN, "CHIBO_NOW": NOW.isoformat()},
    )
    assert result.returncode == 0, result.stdout
    assert "✓ Đọc được số lượt theo trang: 30 ngày qua có 3 trang được xem và 4 đường dẫn đánh giá" in result.stdout, (
        result.stdout
    )


def test_the_page_head_says_the_name_once_and_an_empty_latest_is_not_shown(new_site) -> None:
    site = new_site()  # the model article alone: it is the lead story, nothing is left for "Tin mới"
    site.build()
    home = site.html("")
    name = "Trung tâm Công tác xã hội"
    assert name in home.select_one(".portal-banner").get_text(" ", strip=True)
    header = home.select_one("header.md-header")
    assert name not in header.get_text(" ", strip=True)
    assert home.find("h2", string="Tin mới") is None
    more = {f"bai-viet/2024/tin-{i}.md": article(f"Tin số {i}", f"2024-02-0{i}", "Thông báo") for i in range(1, 7)}
    site = new_site(more)
    site.build()
    assert site.html("").find("h2", string="Tin mới") is not None
