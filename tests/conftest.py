"""The suite's fixtures and layers.

Helpers live in the `support` package (tests/support/). Tests are in layers: `unit/` (in
process, per module), `site/` (real builds), `browser/` (headless Chromium) and `quality/`
(the checkers: Nu HTML Checker, axe, workflow linters, ruff, mypy). Every test that needs
Chromium, Java or the npm checkers is marked `browser` (from the fixtures it uses, or by its
layer), so `python -m pytest -m "not browser"` runs where only Python is installed; a missing
tool skips such a test with the reason, except under CI, where it fails.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support import AXE, CHROMIUM, VNU, Site, make_site, need

# tests that use these fixtures need Chromium, or Java and the npm checkers
_BROWSER_FIXTURES = {"browser", "checkers"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if set(getattr(item, "fixturenames", ())) & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def new_site(tmp_path: Path) -> Callable[..., Site]:
    def factory(articles: dict[str, str] | None = None, **kwargs: Any) -> Site:
        return make_site(tmp_path / "project", articles, **kwargs)

    return factory


@pytest.fixture
def checkers() -> None:
    """The Nu HTML Checker (Java and `npm ci`) and axe-core (`npm ci`)."""
    need("Java", shutil.which("java") is not None, "apt-get install default-jre-headless")
    need("The npm checkers", VNU.exists() and AXE.exists(), "npm ci --no-audit --no-fund")


class _Browser:
    """Chromium whose contexts ignore the pages' Content-Security-Policy unless a test asks for
    it (`bypass_csp=False`): the tests' own probes (axe, string predicates) are not the site's."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **options: Any) -> Any:
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    need("Chromium", Path(CHROMIUM).exists(), "apt-get install chromium (or set CHIBO_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield _Browser(b)
        b.close()
