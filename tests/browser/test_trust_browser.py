"""The trust boundary as a reader's browser sees it: the page policy lets the site's own
scripts run and nothing else, and a video contacts YouTube only after the reader's click."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support import MODEL_URL, article, make_site, served

VIDEO_URL = "bai-viet/2024/05/le-ky-niem/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    body = "Buổi lễ:\n\n[Phóng sự buổi lễ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\nHết."
    built = make_site(
        tmp_path_factory.mktemp("trust") / "project",
        {"bai-viet/2024/le.md": article("Lễ kỷ niệm", "2024-05-05", "Tin hoạt động", body)},
    )
    built.build()
    return built


@pytest.fixture(scope="module")
def server(site) -> Iterator[str]:
    with served(site.out) as base:
        yield base


def _open(browser, url: str):
    context = browser.new_context(bypass_csp=False)  # the policy as a reader's browser applies it
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    # nothing leaves the machine: other hosts are answered here, and counted
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, problems, requests


@pytest.mark.parametrize("path", ["", MODEL_URL, "tim-kiem/?q=sinh+hoat", "tin-hoat-dong/", "404.html"])
def test_the_sites_own_scripts_run_under_the_policy(browser, server, path) -> None:
    context, page, problems, _ = _open(browser, server + path)
    try:
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert policy and "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy.split(";")[1]
        assert problems == [], problems  # Material's inline scripts and the portal's files all ran
        assert page.evaluate("typeof __md_get") == "function"  # Material's first inline script
        if path.startswith("tim-kiem"):
            page.wait_for_selector(".portal-search__result", timeout=10000)  # the index was fetched and read
    finally:
        context.close()


def test_a_script_that_reached_a_page_would_not_run(browser, site, server) -> None:
    page_file = site.out / MODEL_URL / "index.html"
    text = page_file.read_text(encoding="utf-8")
    injected = text.replace("</h1>", "</h1><script>window.stolen = 1</script><img src=x onerror='window.stolen=2'>", 1)
    (site.out / "injected.html").write_text(injected, encoding="utf-8")
    context, page, problems, _ = _open(browser, server + "injected.html")
    try:
        assert page.evaluate("window.stolen") is None
        assert problems, "the browser reports the refused scripts"
    finally:
        context.close()


def test_a_video_contacts_youtube_only_after_the_click(browser, server) -> None:
    context, page, problems, requests = _open(browser, server + VIDEO_URL)
    try:
        assert not [r for r in requests if "youtube" in r]
        button = page.get_by_role("button", name="▶ Phát video: Phóng sự buổi lễ")
        button.focus()
        page.keyboard.press("Enter")
        frame = page.locator("iframe.portal-video__frame")
        frame.wait_for()
        assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
        page.wait_for_timeout(300)
        assert [r for r in requests if "youtube" in r] == [
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
        ]
        assert problems == [], problems  # the policy allows the player's frame
    finally:
        context.close()
