"""MkDocs hooks of the chi bộ portal: each event calls into the `chibo` modules.

No portal logic lives here, so a move to ProperDocs (which runs this file
unchanged) or to another generator replaces only this mapping.
"""

from __future__ import annotations

import html
import logging
import os
import re
from typing import Any

# The hook file's folder is on sys.path only while this file is first executed.
from chibo.articles import ARTICLES_DIR, ArticleReader
from chibo.catalog import Catalog, build_catalog, now_in_vietnam
from chibo.config import PortalConfig, load_portal_config
from chibo.counter import FORECAST_HELP, LABELS, Snapshot, fetch_snapshot
from chibo.errors import ContentError, ContentErrors
from chibo.feeds import SitemapEntry, news_article_jsonld, rss, sitemap
from chibo.index import SiteIndex, build_index
from chibo.listings import Home, Listing, build_home, build_listings
from chibo.text import format_day, format_number, nfc, slugify, slugify_anchor
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

log = logging.getLogger("mkdocs.plugins.chibo")
# Counter problems are shown but never fail a --strict build: not under the "mkdocs" logger.
counter_log = logging.getLogger("chibo.counter")
if not counter_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    counter_log.addHandler(_handler)
    counter_log.propagate = False


class _State:
    """What one build knows; kept across `mkdocs serve` rebuilds for the caches."""

    def __init__(self) -> None:
        self.command = "build"
        self.portal: PortalConfig | None = None
        self.catalog = Catalog()
        self.index: SiteIndex | None = None
        self.listings: dict[str, Listing] = {}
        self.home: Home | None = None
        self.errors: list[ContentError] = []
        self.reader = ArticleReader()
        self.pages: list[tuple[str, str]] = []  # (src_uri, url) of every page written
        self.snapshot: Snapshot | None = None


state = _State()


def _fail(errors: list[ContentError]) -> None:
    raise PluginError(ContentErrors(errors).report())


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


def on_config(config: Any) -> Any:
    try:
        state.portal = load_portal_config(config.extra)
    except ContentErrors as exc:
        raise PluginError(exc.report()) from None
    state.snapshot = _counter_snapshot(state.portal)
    if not config.site_url:
        _fail(
            [
                ContentError(
                    "mkdocs.yml", 1, "site_url: cần địa chỉ công khai của trang, ví dụ site_url: https://ctxhdanang.vn/"
                )
            ]
        )
    # Heading anchors use the portal's slug (Python-Markdown's default drops đ).
    if "toc" not in config.markdown_extensions:
        config.markdown_extensions.append("toc")
    config.mdx_configs.setdefault("toc", {})["slugify"] = slugify_anchor
    # The categories are the top menu, right after the home page.
    if config.nav:
        entries = [{c.name: f"{c.slug}/index.md"} for c in state.portal.categories]
        config.nav[1:1] = entries
    return config


def _counter_snapshot(portal: PortalConfig) -> Snapshot | None:
    """Exact figures written into the HTML, when a token is given; never fails the build."""
    token = os.environ.get("GOATCOUNTER_TOKEN", "").strip()
    if portal.counter is None or not token:
        return None
    snapshot, reason = fetch_snapshot(portal.counter, token, now_in_vietnam())
    if snapshot is None:
        counter_log.warning(
            "Không lấy được số liệu lượt truy cập (%s); trang vẫn được xây dựng, khung số liệu sẽ tự cập nhật trong trình duyệt.",
            reason,
        )
    return snapshot


def on_files(files: Files, config: Any) -> Files:
    assert state.portal is not None
    articles = {}
    errors: list[ContentError] = []
    article_files = {f.src_uri: f for f in files if f.src_uri.startswith(ARTICLES_DIR) and f.is_documentation_page()}
    for src_uri, file in article_files.items():
        result = state.reader.read(src_uri, file.content_bytes, state.portal)
        if isinstance(result, list):
            errors.extend(result)
        else:
            articles[src_uri] = result
    known = {f.src_uri for f in files}
    catalog = build_catalog(articles, now_in_vietnam(), known)
    errors.extend(catalog.errors)
    index = build_index(catalog.published, state.portal)
    listings = build_listings(index, state.portal)

    kept = [f for f in files if f.src_uri not in article_files or f.src_uri in catalog.published]
    for file in kept:
        if (article := catalog.published.get(file.src_uri)) is not None:
            file.dest_uri = article.dest_path
    taken = {f.dest_uri: f.src_uri for f in kept}
    for listing in listings.values():
        dest = f"{listing.url}index.html"
        if dest in taken:
            errors.append(
                ContentError(
                    f"docs/{taken[dest]}",
                    1,
                    f"trùng địa chỉ /{listing.url} với trang danh sách «{listing.title}» do cổng tự tạo; hãy đổi tên tệp này",
                )
            )
            continue
        kept.append(
            File.generated(config, listing.src_uri, content=f"# {listing.title}\n", inclusion=InclusionLevel.NOT_IN_NAV)
        )
    if errors and state.command != "serve":
        _fail(errors)
    # In a preview the server stays up and shows the problems on every page.
    state.errors = sorted(errors)
    for error in state.errors:
        log.error(str(error))
    state.catalog, state.index, state.listings = catalog, index, listings
    state.home = build_home(index, state.portal)
    state.pages = []
    return Files(kept)


def on_env(env: Any, config: Any, files: Files) -> Any:
    env.filters["ngay"] = format_day
    env.filters["so"] = format_number
    env.filters["slug"] = slugify
    env.globals["portal"] = state.portal
    env.globals["portal_index"] = state.index
    env.globals["portal_images"] = state.catalog.images
    env.globals["content_errors"] = [str(e) for e in state.errors]
    env.globals["counter_snapshot"] = state.snapshot
    env.globals["counter_labels"] = LABELS
    env.globals["counter_help"] = FORECAST_HELP
    return env


_H1 = re.compile(r"\A\s*#\s+[^\n]*\n?")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    src = page.file.src_uri
    markdown = nfc(markdown)  # decomposed keyboards' text must render as composed
    if isinstance(page.meta.get("title"), str):
        # Material prints the title unescaped in places: make it text, never markup.
        page.meta["title"] = html.escape(nfc(page.meta["title"]), quote=False)
    if (listing := state.listings.get(src[: -len("index.md")])) is not None and page.file.generated_by:
        page.meta["template"] = "listing.html"
        page.meta["title"] = html.escape(listing.title, quote=False)
        return ""
    article = state.catalog.published.get(src)
    if article is None:
        return markdown
    page.meta["template"] = "article.html"
    page.meta["title"] = html.escape(article.title, quote=False)
    page.meta["description"] = html.escape(article.summary)
    if article.title_from_h1:
        markdown = _H1.sub("", markdown, count=1)
    return markdown


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    src = page.file.src_uri
    state.pages.append((src, page.url))
    article = state.catalog.published.get(src)
    context["article"] = article
    if article is not None and state.index is not None:
        image = state.catalog.images.get(src)
        context["article_image"] = image
        context["related"] = state.index.related(article)
        context["newer"] = state.index.newer(article)
        context["older"] = state.index.older(article)
        context["jsonld"] = news_article_jsonld(article, config.site_url, config.site_name, image)
    elif page.file.generated_by:
        context["listing"] = state.listings.get(page.url)
        # rel=prev/next of a listing are its pages, not its neighbours in the menu
        page.previous_page = page.next_page = None
    if page.is_homepage:
        context["home"] = state.home
    return context


def on_post_build(config: Any) -> None:
    assert state.portal is not None and state.index is not None
    site_url, site_dir = config.site_url, config.site_dir
    _write(
        site_dir,
        "feed.xml",
        rss(
            site_url,
            config.site_name,
            "",
            "feed.xml",
            config.site_description or config.site_name,
            state.index.newest,
            state.catalog.images,
        ),
    )
    for category in state.portal.categories:
        group = state.index.categories[category.slug]
        _write(
            site_dir,
            f"{category.url}feed.xml",
            rss(
                site_url,
                f"{category.name} – {config.site_name}",
                category.url,
                f"{category.url}feed.xml",
                category.name,
                group.articles,
                state.catalog.images,
            ),
        )
    entries = []
    newest = state.index.newest[0].date if state.index.newest else None
    for src, url in state.pages:
        article = state.catalog.published.get(src)
        listing = state.listings.get(url)
        lastmod = article.date if article else listing.lastmod if listing else newest
        entries.append(SitemapEntry(url, lastmod))
    _write(site_dir, "sitemap.xml", sitemap(site_url, sorted(entries, key=lambda e: e.path)))
    # MkDocs' own compressed copy lists pages without our dates: drop it rather than disagree.
    gz = os.path.join(site_dir, "sitemap.xml.gz")
    if os.path.exists(gz):
        os.remove(gz)


def _write(site_dir: str, path: str, text: str) -> None:
    target = os.path.join(site_dir, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
