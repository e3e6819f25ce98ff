"""MkDocs hooks of the chi bộ portal: each event calls into the `chibo` modules.

No portal logic lives here, so a move to ProperDocs (which runs this file
unchanged) or to another generator replaces only this mapping.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

# The hook file's folder is on sys.path only while this file is first executed.
from chibo.articles import ARTICLES_DIR, ArticleReader
from chibo.catalog import Catalog, build_catalog, now_in_vietnam
from chibo.config import PortalConfig, load_portal_config
from chibo.errors import ContentError, ContentErrors
from chibo.text import format_day, format_number, slugify, slugify_anchor
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.plugins.chibo")


class _State:
    """What one build knows; kept across `mkdocs serve` rebuilds for the caches."""

    def __init__(self) -> None:
        self.command = "build"
        self.portal: PortalConfig | None = None
        self.catalog = Catalog()
        self.errors: list[ContentError] = []
        self.reader = ArticleReader()


state = _State()


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


def on_config(config: Any) -> Any:
    try:
        state.portal = load_portal_config(config.extra)
    except ContentErrors as exc:
        raise PluginError(exc.report()) from None
    # Heading anchors use the portal's slug (Python-Markdown's default drops đ).
    if "toc" not in config.markdown_extensions:
        config.markdown_extensions.append("toc")
    toc = config.mdx_configs.setdefault("toc", {})
    toc["slugify"] = slugify_anchor
    toc.setdefault("permalink", False)
    return config


def on_files(files: Any, config: Any) -> Any:
    assert state.portal is not None
    articles = {}
    errors: list[ContentError] = []
    article_files = [
        f for f in files if f.src_uri.startswith(ARTICLES_DIR) and f.is_documentation_page()
    ]
    for file in article_files:
        result = state.reader.read(file.src_uri, file.content_bytes, state.portal)
        if isinstance(result, list):
            errors.extend(result)
        else:
            articles[file.src_uri] = result
    catalog = build_catalog(articles, now_in_vietnam())
    errors.extend(catalog.errors)
    if errors and state.command != "serve":
        raise PluginError(ContentErrors(errors).report())
    # In a preview the server stays up and shows the problems on every page.
    state.errors = sorted(errors)
    for error in state.errors:
        log.error(str(error))
    state.catalog = catalog
    for file in article_files:
        article = catalog.published.get(file.src_uri)
        if article is None:  # draft, scheduled or broken: never written anywhere
            files.remove(file)
        else:
            file.dest_uri = article.dest_path
    return files


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.filters["ngay"] = format_day
    env.filters["so"] = format_number
    env.filters["slug"] = slugify
    env.globals["portal"] = state.portal
    env.globals["content_errors"] = [str(e) for e in state.errors]
    return env


_H1 = re.compile(r"\A\s*#\s+[^\n]*\n?")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    article = state.catalog.published.get(page.file.src_uri)
    if isinstance(page.meta.get("title"), str):
        # Material prints the title unescaped in places: make it text, never markup.
        page.meta["title"] = html.escape(page.meta["title"], quote=False)
    if article is None:
        return markdown
    page.meta["template"] = "article.html"
    page.meta["title"] = html.escape(article.title, quote=False)
    page.meta["description"] = html.escape(article.summary)
    if article.title_from_h1:
        markdown = _H1.sub("", markdown, count=1)
    return markdown


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    context["article"] = state.catalog.published.get(page.file.src_uri)
    return context
