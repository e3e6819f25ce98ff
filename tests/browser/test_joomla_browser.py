"""The old site's addresses in Chromium, on a server that answers as GitHub Pages does (files
only, the query ignored, 404.html for what is missing), under the pages' own policy."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from support import LikePages, chibo, make_site, need, served
from support.joomla import mariadb_missing, mariadb_server
from support.joomla_site import CATEGORY_MAP, old_site, write_mirror

URL101 = "bai-viet/2023/12/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023/"
URL102 = "bai-viet/2024/01/lich-sinh-hoat/"
URL103 = "bai-viet/2023/11/trao-huy-hieu/"
URL115 = "bai-viet/2023/07/hoc-tap-nghi-quyet/"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need("MariaDB", not mariadb_missing(), mariadb_missing())
    folder = tmp_path_factory.mktemp("old-addresses")
    with mariadb_server(folder / "server") as server:
        server.load("joomla", old_site())
        dump = server.mariadb_dump("joomla", folder / "joomla.sql")

    def two_a_page(config: dict) -> None:
        config["extra"]["portal"]["per_page"] = 2

    site = make_site(folder / "project", model=False, configure=two_a_page)
    maps = [arg for item in CATEGORY_MAP for arg in ("--category-map", item)]
    mirror = write_mirror(folder / "mirror")
    result = chibo(site, "import", "--joomla", str(dump), "--site-root", str(mirror), *maps)
    assert result.returncode == 0, result.stderr
    site.build()
    with served(site.out, LikePages) as url:
        yield url


# the old address -> where the reader ends up
FORMS = {
    "index.php/tin-tuc/9-hoat-dong/101-chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023": URL101,  # legacy router
    "tin-tuc/9-hoat-dong/101-chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023.html": URL101,  # rewriting and suffix on
    "index.php/tin-tuc/hoat-dong/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023": URL101,  # modern router, no slash
    "tin-tuc/hoat-dong/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023/": URL101,
    "index.php/component/content/article/13-xay-dung-dang/115-hoc-tap-nghi-quyet": URL115,  # no menu item
    "index.php/thong-bao-chung/lich": URL102,  # the article's own menu item
    "index.php/tin-cu-da-doi-ten.html": URL101,  # the old site's own redirect
    "index.php?option=com_content&view=article&id=102:lich-sinh-hoat&catid=10&Itemid=103": URL102,
    "?option=com_content&view=article&id=103": URL103,  # the home page reads the query
    "khong-co-trang-nay?option=com_content&view=article&id=101": URL101,  # and so does the 404 page
    "index.php/tin-tuc/hoat-dong": "tin-hoat-dong/",
    "index.php/tin-tuc/hoat-dong?start=2": "tin-hoat-dong/trang/2/",  # the page with the same articles
    "index.php?option=com_content&view=category&id=9&limitstart=2": "tin-hoat-dong/trang/2/",
    "index.php/thong-bao-chung?format=feed&type=rss": "thong-bao/feed.xml",
}


@pytest.mark.parametrize("old", list(FORMS), ids=list(FORMS))
def test_an_old_address_leads_to_the_new_page(browser, base: str, old: str) -> None:
    context = browser.new_context(bypass_csp=False)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "404" not in m.text else None)
    try:
        expected = urljoin(base, FORMS[old])
        page.goto(urljoin(base, old))
        page.wait_for_url(expected, timeout=10_000)
        if not expected.endswith(".xml"):
            page.wait_for_load_state()
            assert page.locator("h1").count() >= 1
        assert not [p for p in problems if "Content Security Policy" in p], problems
    finally:
        context.close()


def test_without_javascript_the_pages_still_send_the_reader_on(browser, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(urljoin(base, "index.php/tin-tuc/9-hoat-dong/103-trao-huy-hieu"))
        page.wait_for_url(urljoin(base, URL103), timeout=10_000)
    finally:
        context.close()


def test_the_site_answers_from_files_only(base: str) -> None:
    """What the browser tests rely on: this server answers like GitHub Pages."""
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(urljoin(base, "khong-co-trang-nay"))
    assert missing.value.code == 404 and b"assets/portal/portal.js" in missing.value.read()  # the site's 404.html
    with urllib.request.urlopen(urljoin(base, "tin-tuc/hoat-dong?start=2")) as answer:
        assert answer.status == 200 and answer.url.endswith("tin-tuc/hoat-dong/?start=2")
