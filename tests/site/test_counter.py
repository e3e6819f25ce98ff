"""Visitor counter "Lượt truy cập": Vietnamese-day arithmetic, the build-time snapshot
against a GoatCounter test server, and what the build does when that server misbehaves."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from chibo.counter import (
    CounterConfig,
    compute_snapshot,
    fetch_snapshot,
    forecast,
    hourly_by_vn_day,
    parse_count,
    vn_day,
    vn_day_bounds,
)
from chibo.text import TIMEZONE
from support import MODEL_URL, Site, build_env
from support.goatcounter import TOKEN, GoatCounterStub

# 01:30 on 26/11/2026 in Hanoi is 18:30 on 25/11 in UTC.
NOW = datetime(2026, 11, 26, 1, 30, tzinfo=TIMEZONE)


def test_vietnamese_day_bounds() -> None:
    start, end = vn_day_bounds(date(2026, 11, 26))
    assert start == datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    assert vn_day(datetime(2026, 11, 25, 16, 59, tzinfo=UTC)) == date(2026, 11, 25)
    assert vn_day(datetime(2026, 11, 25, 17, 0, tzinfo=UTC)) == date(2026, 11, 26)


def test_hourly_buckets_fold_into_vietnamese_days_around_midnight() -> None:
    stats = [{"day": "2026-11-25", "hourly": [1] * 17 + [5, 7] + [0] * 5}]
    days = hourly_by_vn_day(stats)
    # 16:00 UTC is 23:00 on the 25th; 17:00 and 18:00 UTC are already the 26th
    assert days == {date(2026, 11, 25): 17, date(2026, 11, 26): 12}


def test_snapshot_arithmetic_with_offset_and_forecast() -> None:
    days = {date(2026, 11, 26): 37, date(2026, 11, 25): 300, date(2026, 11, 24): 50}
    snap = compute_snapshot(1_000_000, days, offset=6_835_657, now=NOW)
    assert snap.values["today"] == 37
    assert snap.values["yesterday"] == 300
    assert snap.values["total"] == 7_835_657
    assert snap.values["forecast"] == round(37 * 24 / 1.5)
    assert snap.values["week"] == 387  # Monday 23/11 to today
    assert snap.values["total"] == 7835657
    assert snap.taken_label == "cập nhật lúc 01:30"


def test_no_forecast_in_the_first_hour() -> None:
    assert forecast(20, datetime(2026, 11, 26, 0, 40, tzinfo=TIMEZONE)) is None
    assert forecast(92, datetime(2026, 11, 26, 12, 0, tzinfo=TIMEZONE)) == 184


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1\u202f234", 1234),
        ("6 835 657", 6835657),
        ("6.835.657", 6835657),
        (42, 42),
        ("", None),
        ("n/a", None),
        (None, None),
        (-3, None),
    ],
)
def test_parse_count(raw, value) -> None:
    assert parse_count(raw) == value


@pytest.fixture
def stub():
    server = GoatCounterStub().start()
    yield server
    server.stop()


def test_fetch_snapshot_from_the_api(stub) -> None:
    config = CounterConfig(url=stub.url, offset=6_835_657)
    snap, reason = fetch_snapshot(config, TOKEN, NOW)
    assert reason == ""
    assert snap.values["today"] == 18 + 19  # UTC hours 17 and 18 of the 25th
    assert snap.values["yesterday"] == sum(range(18, 25)) + sum(range(1, 18))
    assert snap.values["total"] == 1_000_000 + 6_835_657


@pytest.mark.parametrize("mode", ["forbidden", "garbage", "notfound"])
def test_fetch_snapshot_failures_are_reported_not_raised(mode) -> None:
    server = GoatCounterStub(mode=mode).start()
    try:
        snap, reason = fetch_snapshot(CounterConfig(url=server.url), TOKEN, NOW)
    finally:
        server.stop()
    assert snap is None and reason


def test_fetch_snapshot_wrong_token(stub) -> None:
    snap, reason = fetch_snapshot(CounterConfig(url=stub.url), "wrong", NOW)
    assert snap is None and "401" in reason


def test_fetch_snapshot_is_bounded_when_the_server_is_slow() -> None:
    server = GoatCounterStub(mode="slow", delay=10).start()
    try:
        started = time.monotonic()
        snap, reason = fetch_snapshot(CounterConfig(url=server.url, timeout=1), TOKEN, NOW, budget=2)
        assert time.monotonic() - started < 4
    finally:
        server.stop()
    assert snap is None and reason


def _counter_site(new_site, url: str, **counter: Any) -> Site:
    def configure(config: dict) -> None:
        local = {"allow_local": True} if url.startswith("http://127.0.0.1") else {}  # the tests' stand-in
        config["extra"]["portal"]["counter"] = {"url": url, "offset": 6835657, **local, **counter}

    return new_site(configure=configure)


def _box(site) -> dict[str, str]:
    box = site.html("").select_one(".portal-box--counter")
    return {row["data-row"]: row.select_one("[data-value]").get_text(strip=True) for row in box.select("[data-row]")}


def test_build_writes_the_snapshot(new_site, stub, monkeypatch) -> None:
    monkeypatch.setenv("GOATCOUNTER_TOKEN", TOKEN)
    monkeypatch.setenv("CHIBO_NOW", NOW.isoformat())
    site = _counter_site(new_site, stub.url)
    site.build()
    assert _box(site) == {"today": "37", "yesterday": "300", "total": "7.835.657", "forecast": "592"}
    box = site.html("").select_one(".portal-box--counter")
    assert box.select_one("[data-time]").get_text(strip=True) == "cập nhật lúc 01:30"
    assert box["data-snapshot-day"] == "2026-11-26"
    assert "Dự báo" in box.select_one('[data-row="forecast"]')["title"]
    assert box.select_one("h2").get_text(strip=True) == "Lượt truy cập"


# The counter as the template's mkdocs.yml ships it: the organisation's own address, the old
# site's figure carried over.
TEMPLATE_COUNTER = {"url": "https://thongke.ctxhdanang.vn", "offset": 6835657, "offset_date": "2026-11-28"}


def test_default_counter_without_figures_shows_the_carried_over_total(new_site, monkeypatch) -> None:
    monkeypatch.delenv("GOATCOUNTER_TOKEN", raising=False)
    site = _counter_site(new_site, **TEMPLATE_COUNTER)
    site.build()
    assert _box(site) == {"today": "chưa có", "yesterday": "chưa có", "total": "6.835.657", "forecast": "chưa có"}
    box = site.html("").select_one(".portal-box--counter")
    assert box.select_one("[data-time]").get_text(strip=True).startswith("Tổng: số lượt đến 28/11/2026")
    assert not box.has_attr("data-snapshot-day")
    # on every page, not only the home page
    assert (
        site.html(MODEL_URL).select_one(".portal-box--counter [data-row=total] [data-value]").get_text() == "6.835.657"
    )


def test_no_token_no_snapshot(new_site, stub, monkeypatch) -> None:
    monkeypatch.delenv("GOATCOUNTER_TOKEN", raising=False)
    site = _counter_site(new_site, stub.url)
    site.build()
    assert _box(site) == {"today": "chưa có", "yesterday": "chưa có", "total": "6.835.657", "forecast": "chưa có"}
    assert "—" not in str(site.html("").select_one(".portal-box--counter"))
    assert stub.api_calls == []


@pytest.mark.parametrize("mode", ["down", "slow", "forbidden", "garbage"])
def test_build_survives_a_bad_counter_server(new_site, monkeypatch, mode) -> None:
    monkeypatch.setenv("GOATCOUNTER_TOKEN", TOKEN)
    server = GoatCounterStub(mode="ok" if mode == "down" else mode, delay=30).start()
    url = server.url
    if mode == "down":
        server.stop()
    site = _counter_site(new_site, url, timeout=1)
    try:
        started = time.monotonic()
        result = site.build()  # --strict: the counter's warning must not fail it
        elapsed = time.monotonic() - started
    finally:
        if mode != "down":
            server.stop()
    assert result.returncode == 0
    assert "Không lấy được số liệu lượt truy cập" in result.stderr
    assert _box(site)["total"] == "6.835.657" and _box(site)["today"] == "chưa có"
    assert elapsed < 30


def test_last_good_snapshot_is_kept_across_builds(new_site, monkeypatch) -> None:
    """One failed API call does not blank the figures: the next build shows the saved ones."""
    monkeypatch.setenv("GOATCOUNTER_TOKEN", TOKEN)
    monkeypatch.setenv("CHIBO_NOW", NOW.isoformat())
    server = GoatCounterStub().start()
    site = _counter_site(new_site, server.url, timeout=1)
    try:
        site.build()
    finally:
        server.stop()
    assert (site.root / ".cache/chibo/counter.json").is_file()
    result = site.build()  # the server is gone now
    assert "Không lấy được số liệu lượt truy cập" in result.stderr
    assert _box(site) == {"today": "37", "yesterday": "300", "total": "7.835.657", "forecast": "592"}
    assert site.html("").select_one(".portal-box--counter [data-time]").get_text(strip=True) == "cập nhật lúc 01:30"
    # a day later the saved day's rows are no longer true: only "Tổng" is kept, with its date
    monkeypatch.setenv("CHIBO_NOW", (NOW + timedelta(days=1)).isoformat())
    site.build()
    assert _box(site) == {"today": "chưa có", "yesterday": "chưa có", "total": "7.835.657", "forecast": "chưa có"}
    note = site.html("").select_one(".portal-box--counter [data-time]").get_text(strip=True)
    assert note == "Tổng cập nhật lúc 01:30 ngày 26/11/2026"


def test_no_url_no_box(new_site) -> None:
    site = new_site()
    site.build()
    assert site.html("").select_one(".portal-box--counter") is None
    assert "counter.js" not in (site.out / "index.html").read_text(encoding="utf-8")


def test_bad_counter_config_is_named(new_site) -> None:
    def configure(config: dict) -> None:
        config["extra"]["portal"]["counter"] = {"url": "https://x.example", "offset": "nhiều"}

    result = new_site(configure=configure).build(check=False)
    assert result.returncode != 0 and "extra.portal.counter.offset" in result.stderr


def _chibo_counter(site: Site, token: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in build_env().items() if k != "GOATCOUNTER_TOKEN"}
    if token is not None:
        env["GOATCOUNTER_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "chibo.cli", "counter"], cwd=site.root, capture_output=True, text=True, env=env
    )


def test_chibo_counter_reports_what_works_and_what_is_wrong(new_site, stub) -> None:
    site = _counter_site(new_site, stub.url)
    good = _chibo_counter(site, TOKEN)
    assert good.returncode == 0, good.stdout
    assert "✓ Bộ đếm công khai trả lời: 1.000.000 lượt" in good.stdout
    assert "✓ Khoá API được chấp nhận" in good.stdout
    assert "  Tổng: 7.835.657" in good.stdout
    refused = _chibo_counter(site, "sai")
    assert refused.returncode == 1 and "khoá API bị từ chối" in refused.stdout
    stub.mode = "forbidden"
    closed = _chibo_counter(site, None)
    assert closed.returncode == 1 and "403" in closed.stdout and "Allow adding visitor counts" in closed.stdout
    assert "  Tổng: 6.835.657" in closed.stdout and "  Hôm nay: chưa có" in closed.stdout
    stub.mode = "notfound"
    assert "404: địa chỉ (mã trang GoatCounter) sai" in _chibo_counter(site, None).stdout
    stub.stop()
    down = _chibo_counter(site, None)
    assert down.returncode == 1 and "không kết nối được tới" in down.stdout
    assert "Traceback" not in down.stdout + down.stderr


def test_chibo_counter_without_a_counter(new_site) -> None:
    result = _chibo_counter(new_site(), None)
    assert result.returncode == 1 and result.stdout.startswith("Bộ đếm chưa bật")
