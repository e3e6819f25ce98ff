"""MkDocs hooks of the chi bộ portal: each event calls into the `chibo` modules.

No portal logic lives here, so a move to ProperDocs (which runs this file
unchanged) or to another generator replaces only this mapping.

Ordinary pages and the first page of each category (they are in the menu) go through
MkDocs as usual. Articles and the other listing pages are written by the portal in
`on_post_build` through a cached shell of the same Material templates (see
`chibo/shell.py`): that is what keeps a build linear and fast at 10,000 articles.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import os
import re
import time
from typing import Any

# The hook file's folder is on sys.path only while this file is first executed.
from chibo.articles import ARTICLES_DIR, ArticleReader, article_body, read_article
from chibo.bodies import BODY_SIZES, BodyRenderer, page_images
from chibo.cache import cache_dir
from chibo.catalog import Catalog, build_catalog, now_in_vietnam, plan_photos, unpublished_files
from chibo.cms import ADMIN_DIR, admin_page, editor_config, editor_config_yaml
from chibo.config import PortalConfig, load_portal_config
from chibo.counter import FORECAST_HELP, Snapshot, counter_box, fetch_snapshot, load_snapshot, save_snapshot
from chibo.errors import ContentError, ContentErrors
from chibo.feeds import SitemapEntry, absolute, news_article_jsonld, rss, sitemap
from chibo.index import SiteIndex, build_index
from chibo.links import candidates, image_targets, link_targets
from chibo.listings import Home, Listing, build_home, build_listings
from chibo.photos import PhotoOutput, Shown, addressed_at, featured_images, make_photos, share_alt
from chibo.photos import publish as publish_photos
from chibo.search import INDEX_DIR, SearchRecord, article_record, page_record, write_index
from chibo.shell import Shell, fix_markup, slot
from chibo.storage import write_manifest
from chibo.text import clean_text, format_day, format_number, slugify, slugify_anchor
from chibo.workers import run_forked, start_forked, working_on
from mkdocs.commands.build import get_context
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.plugins.chibo")
SEARCH_PAGE = "tim-kiem/index.md"
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
        self.bodies = BodyRenderer()
        self.snapshot: Snapshot | None = None
        self.files: Files | None = None
        self.nav: Any = None
        self.env: Any = None
        self.targets: dict[str, str] = {}  # source path -> site path of every file, for links
        self.pages: list[tuple[str, Any]] = []  # (url, lastmod) of pages MkDocs wrote
        self.cards: dict[tuple[str, bool, bool, bool, int], str] = {}
        self.search_records: list[SearchRecord] = []
        self.search_join: Any = None
        self.photos = PhotoOutput()
        self.featured: dict[
            str, Shown
        ] = {}  # article -> its featured image as pages show it  # writes the search index, or waits for it written in the background


state = _State()


class _PageStub:
    """What Material's templates read of a page, for pages the portal writes itself."""

    def __init__(self, url: str, title: str, description: str, canonical: str) -> None:
        self.url = url
        self.title = title
        self.meta = {"title": title, "description": description}
        self.canonical_url = canonical
        self.toc: list[Any] = []
        self.previous_page = self.next_page = self.parent = None
        self.is_homepage = False
        self.is_page = True
        self.is_section = self.is_link = False
        self.active = False
        self.ancestors: list[Any] = []
        self.edit_url = None


def _fail(errors: list[ContentError]) -> None:
    raise PluginError(ContentErrors(errors).report())


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


def on_config(config: Any) -> Any:
    try:
        state.portal = load_portal_config(config.extra)
    except ContentErrors as exc:
        raise PluginError(exc.report()) from None
    if not config.site_url:
        _fail(
            [
                ContentError(
                    "mkdocs.yml", 1, "site_url: cần địa chỉ công khai của trang, ví dụ site_url: https://ctxhdanang.vn/"
                )
            ]
        )
    state.snapshot = _counter_snapshot(state.portal, os.path.dirname(config.config_file_path))
    # Heading anchors use the portal's slug (Python-Markdown's default drops đ).
    if "toc" not in config.markdown_extensions:
        config.markdown_extensions.append("toc")
    config.mdx_configs.setdefault("toc", {})["slugify"] = slugify_anchor
    # The categories are the top menu, right after the home page.
    if config.nav:
        config.nav[1:1] = [{c.name: f"{c.slug}/index.md"} for c in state.portal.categories]
    return config


def _counter_snapshot(portal: PortalConfig, project_root: str) -> Snapshot | None:
    """Exact figures written into the HTML: fetched when a token is given, else (or when the
    server fails) the last good ones an earlier build kept. Never fails the build."""
    if portal.counter is None:
        return None
    saved = cache_dir(project_root) / "counter.json"
    token = os.environ.get("GOATCOUNTER_TOKEN", "").strip()
    if token:
        snapshot, reason = fetch_snapshot(portal.counter, token, now_in_vietnam())
        if snapshot is not None:
            save_snapshot(saved, snapshot, portal.counter)
            return snapshot
        counter_log.warning(
            "Không lấy được số liệu lượt truy cập (%s); trang vẫn được xây dựng với số liệu lần trước (nếu có), "
            "khung số liệu sẽ tự cập nhật trong trình duyệt.",
            reason,
        )
    return load_snapshot(saved, portal.counter)


def on_files(files: Files, config: Any) -> Files:
    assert state.portal is not None
    articles = {}
    errors: list[ContentError] = []
    article_files = {f.src_uri: f for f in files if f.src_uri.startswith(ARTICLES_DIR) and f.is_documentation_page()}
    for src_uri, result in _read_articles(article_files).items():
        if isinstance(result, list):
            errors.extend(result)
        else:
            articles[src_uri] = result
    known = {f.src_uri for f in files}
    catalog = build_catalog(articles, now_in_vietnam(), known)
    errors.extend(catalog.errors)
    for warning in catalog.far_future:  # a warning: --strict (publishing) refuses it
        log.warning(str(warning))
    index = build_index(catalog.published, state.portal)
    listings = build_listings(index, state.portal)
    linked, pages_shown = _used_outside_articles(files, article_files, config)
    private = unpublished_files(articles, catalog, known, linked | set(pages_shown))
    # the editors' files only: the theme's own images (favicon, …) are not photos to process
    docs_dir = os.path.abspath(config.docs_dir)
    editors = {f.src_uri for f in files if f.src_dir and os.path.abspath(f.src_dir) == docs_dir}
    plan = plan_photos(catalog, editors - private, pages_shown, linked)
    store = cache_dir(os.path.dirname(config.config_file_path)) / "images"
    photos = make_photos(plan, catalog, config.docs_dir, store, config.site_name, _workers(), plan.users)
    if state.portal.storage is not None:  # pages point at the storage; `chibo upload` sends the files
        photos = addressed_at(photos, state.portal.storage.public_url)
    errors.extend(photos.problems)

    kept = []
    for file in files:
        article = catalog.published.get(file.src_uri)
        if file.src_uri in private:
            continue  # a draft's or scheduled article's photo: published with the article
        if file.src_uri in plan.withheld:
            continue  # a photo's original: its variants are published instead
        if file.src_uri not in article_files:
            kept.append(file)
        elif article is not None and state.command != "serve":
            # Written by the portal; kept (excluded from MkDocs' own rendering) so that links
            # from ordinary pages to an article resolve to its URL.
            file.dest_uri = article.dest_path
            file.inclusion = InclusionLevel.EXCLUDED
            kept.append(file)
    taken = {f.dest_uri: f.src_uri for f in kept}
    for article in catalog.published.values():
        taken.setdefault(article.dest_path, article.src_path)

    def free(url: str, what: str) -> bool:
        """Whether a page the portal generates can have `url`; an editor's page there is an error."""
        owner = taken.get(f"{url}index.html")
        if owner is not None:
            errors.append(
                ContentError(f"docs/{owner}", 1, f"trùng địa chỉ /{url} với {what} do cổng tự tạo; hãy đổi tên tệp này")
            )
        return owner is None

    if free(SEARCH_PAGE[: -len("index.md")], "trang tìm kiếm"):
        kept.append(
            File.generated(
                config,
                SEARCH_PAGE,
                content="---\ntemplate: search.html\ntitle: Tìm kiếm\n---\n",
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
    in_menu = {c.url for c in state.portal.categories}
    for listing in listings.values():
        if free(listing.url, f"trang danh sách «{listing.title}»") and listing.url in in_menu:
            kept.append(File.generated(config, listing.src_uri, content=f"# {listing.title}\n"))
    if errors and state.command != "serve":
        _fail(errors)
    # In a preview the server stays up and shows the problems on every page.
    state.errors = sorted(errors)
    for error in state.errors:
        log.error(str(error))
    state.catalog, state.index, state.listings = catalog, index, listings
    state.home = build_home(index, state.portal)
    state.pages = []
    state.search_records = [article_record(a) for a in catalog.published.values()] + [
        page_record(f.url, f.content_string)
        for f in kept
        if f.is_documentation_page() and not f.generated_by and f.src_uri not in article_files and f.url != ""
    ]
    # originals linked on purpose are files of the site (links to them resolve); the variants
    # and share images are linked into the site in on_post_build
    kept += [File.generated(config, path, abs_src_path=str(stored)) for path, stored in photos.originals.items()]
    state.photos = photos
    state.featured = featured_images(catalog, photos)
    files = Files(kept)
    state.files = files
    state.targets = {f.src_uri: f.url for f in files}
    state.targets.update({a.src_path: a.url for a in catalog.published.values()})
    return files


def _used_outside_articles(files: Files, article_files: dict[str, Any], config: Any) -> tuple[set[str], dict[str, str]]:
    """Files of docs/ that ordinary pages link to or the settings name (logo, favicon, CSS, JS),
    and the photos ordinary pages show (photo -> page)."""
    linked: set[str] = set()
    shown: dict[str, str] = {}
    for file in files:
        if file.is_documentation_page() and file.src_uri not in article_files:
            text = file.content_string
            linked.update(c for target in link_targets(text) for c in candidates(file.src_uri, target))
            for target in image_targets(text):
                for candidate in candidates(file.src_uri, target):
                    shown.setdefault(candidate, file.src_uri)
    assert state.portal is not None
    named = [config.theme.get("logo"), config.theme.get("favicon"), *config.extra_css, *config.extra_javascript]
    named += [state.portal.banner.logo, *(link.image for link in state.portal.links)]
    linked.update(str(getattr(name, "path", name)).lstrip("/") for name in named if name)
    return linked, shown


def _read_articles(article_files: dict[str, Any]) -> dict[str, Any]:
    """Every article read and validated: in forked workers on a build, through the
    content-hash cache in a preview (where the server's process keeps it)."""
    portal = state.portal
    assert portal is not None
    workers = _workers()
    if workers == 1 or len(article_files) < 500:
        return {src: state.reader.read(src, f.content_bytes, portal) for src, f in article_files.items()}
    paths = [(src, f.abs_src_path) for src, f in article_files.items()]

    def read(part: list[tuple[str, str]]) -> list[tuple[str, Any]]:
        out = []
        for src, path in part:
            working_on(f"docs/{src}")
            with open(path, "rb") as f:
                out.append((src, read_article(src, f.read(), portal)))
        return out

    return dict(item for part in run_forked(read, paths, workers) for item in part)


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    state.nav = nav
    return nav


_CARD_BASE = slot("base_url")  # stands for the page's base_url in a cached card


def _card(item: Any, base_url: str, images: bool, summary: bool, category: bool, level: int = 3) -> str:
    """An article's card in a listing: rendered once per build and variant, then reused."""
    key = (item.src_path, images, summary, category, level)
    card = state.cards.get(key)
    if card is None:
        card = state.env.get_template("partials/portal/card.html").render(
            item=item,
            base_url=_CARD_BASE,
            show_images=images,
            show_summary=summary,
            show_category=category,
            level=level,
        )
        state.cards[key] = card
    return card.replace(_CARD_BASE, base_url)


def on_env(env: Any, config: Any, files: Files) -> Any:
    env.filters["ngay"] = format_day
    env.filters["so"] = format_number
    env.filters["slug"] = slugify
    env.globals.update(
        portal=state.portal,
        portal_index=state.index,
        portal_featured=state.featured,
        body_sizes=BODY_SIZES,
        site_share=absolute(config.site_url, state.photos.site_share) if state.photos.site_share else "",
        portal_logo=_logo(config),
        content_errors=[str(e) for e in state.errors],
        counter_box=counter_box(state.portal.counter, state.snapshot, now_in_vietnam())
        if state.portal and state.portal.counter
        else None,
        counter_help=FORECAST_HELP,
        portal_card=_card,
        search_index=INDEX_DIR,
    )
    state.cards = {}
    state.env = env
    # The index depends only on what on_files decided: on a build it is written in the
    # background while the pages are rendered; in a preview, when on_post_build asks for it.
    state.search_join = None
    if _search_enabled():
        categories = [c.name for c in state.portal.categories] if state.portal else []
        job = functools.partial(write_index, state.search_records, config.site_dir, categories)
        state.search_join = start_forked(job) if state.command == "build" else job
    return env


def _search_enabled() -> bool:
    """CHIBO_NO_SEARCH=1 skips the search index: a faster preview, and how the benchmark
    measures what indexing adds to a build."""
    return os.environ.get("CHIBO_NO_SEARCH", "") not in ("1", "true", "yes")


_H1 = re.compile(r"\A\s*#\s+[^\n]*\n?")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    markdown = clean_text(markdown)  # decomposed keyboards' text must render as composed
    if isinstance(page.meta.get("title"), str):
        # Material prints the title unescaped in places: make it text, never markup.
        page.meta["title"] = html.escape(clean_text(page.meta["title"]), quote=False)
    listing = state.listings.get(page.file.src_uri[: -len("index.md")])
    if not page.file.generated_by:
        markdown = page_images(markdown, page.file.src_uri, page.url, state.photos.pictures)
    if listing is not None and page.file.generated_by:
        page.meta["template"] = "slots.html"
        page.meta["title"] = html.escape(listing.title, quote=False)
        return ""
    return markdown


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    listing = state.listings.get(page.url) if page.file.generated_by else None
    if listing is not None:
        context["slots"] = _listing_slots(listing, dict(context), config)
        # rel=prev/next of a listing are its pages, not its neighbours in the menu
        page.previous_page = page.next_page = None
    if page.is_homepage:
        context["home"] = state.home
    state.pages.append((page.url, listing.lastmod if listing else None))
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    return fix_markup(output)


def _render(name: str, context: dict[str, Any]) -> str:
    return state.env.get_template(name).render(context)


def _listing_slots(listing: Listing, context: dict[str, Any], config: Any) -> dict[str, str]:
    context.update(listing=listing, canonical=absolute(config.site_url, listing.url))
    return {
        "head": _render("partials/portal/listing-head.html", context),
        "content": _render("partials/portal/listing-content.html", context),
        "toc": "",
    }


def _shell(template: str, depth: int, config: Any, article: bool = False) -> tuple[Shell, dict[str, Any]]:
    """Render `template` once for pages `depth` folders deep, with slots for what differs."""
    stub = _PageStub("_/" * depth, slot("title"), slot("description"), slot("canonical"))
    context = get_context(state.nav, state.files, config, stub)
    slots = {"head": slot("head"), "content": slot("content"), "toc": slot("toc"), "article": article}
    shell_context = dict(context, slots=slots)
    base = dict(context, features=config.theme.get("features") or [])
    # Material's partials expect the translations that base.html imports once per page.
    base["lang"] = state.env.get_template("partials/language.html").make_module(base)
    return Shell.parse(fix_markup(_render(template, shell_context))), base


def _write(site_dir: str, path: str, text: str) -> None:
    target = os.path.join(site_dir, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)


def _workers() -> int:
    """Processes for writing pages: the cores of the machine on a build (CHIBO_WORKERS overrides),
    one in a preview, where the per-article cache must live in the server's process."""
    if state.command != "build":
        return 1
    return int(os.environ.get("CHIBO_WORKERS") or min(os.cpu_count() or 1, 4))


def _write_articles(config: Any) -> list[SitemapEntry]:
    """Every published article, in parallel on a build (fork), serially in a preview (cache)."""
    paths = list(state.catalog.published)
    workers = _workers()
    results = run_forked(lambda part: _write_article_slice(part, config), paths, workers)
    entries: list[SitemapEntry] = []
    for part_entries, unresolved in results:
        entries += part_entries
        for src_path, link in unresolved:
            log.warning(f"Bài docs/{src_path} có liên kết tới '{link}' nhưng không tìm thấy tệp này.")
    return entries


def _write_article_slice(paths: list[str], config: Any) -> tuple[list[SitemapEntry], list[tuple[str, str]]]:
    assert state.index is not None
    published = state.catalog.published
    jobs = []
    for src_path in paths:
        working_on(f"docs/{src_path}")
        article = published[src_path]
        with open(os.path.join(config.docs_dir, src_path), "rb") as f:
            # without a featured image, the body's first photo is the one to fetch first
            eager = src_path not in state.featured
            jobs.append((src_path, article.url, article_body(f.read(), article), eager))
    bodies = state.bodies.render_all(
        jobs, state.targets, config.markdown_extensions, config.mdx_configs, state.photos.pictures
    )
    shell, base = _shell("slots.html", 4, config, article=True)
    toc_template = state.env.get_template("partials/toc.html")
    entries, unresolved = [], []
    for src_path in paths:
        working_on(f"docs/{src_path}")
        article, body = published[src_path], bodies[src_path]
        unresolved += [(src_path, link) for link in body.unresolved]
        canonical = absolute(config.site_url, article.url)
        title = html.escape(article.title, quote=False)
        description = html.escape(article.summary)
        page = _PageStub(article.url, title, description, canonical)
        page.toc = get_toc(body.toc)  # type: ignore[assignment]
        share = state.photos.shares.get(src_path, state.photos.site_share)
        context = dict(
            base,
            page=page,
            article=article,
            body=body.html,
            canonical=canonical,
            article_image=state.featured.get(src_path),
            share_image=absolute(config.site_url, share) if share else "",
            share_alt=share_alt(article),
            gallery='class="portal-gallery"' in body.html,
            related=state.index.related(article),
            newer=state.index.newer(article),
            older=state.index.older(article),
            jsonld=news_article_jsonld(article, config.site_url, config.site_name, share, _logo(config)),
        )
        values = {
            "title": title,
            "description": description,
            "canonical": canonical,
            "head": _render("partials/portal/article-head.html", context),
            "content": _render("partials/portal/article-content.html", context),
            # the shell was fixed once; the table of contents is the one other part to fix
            "toc": fix_markup(toc_template.render(context)) if body.toc else "",
        }
        _write(config.site_dir, article.dest_path, shell.fill(values))
        entries.append(SitemapEntry(article.url, article.date))
    return entries, unresolved


def _write_listings(config: Any) -> list[SitemapEntry]:
    in_menu = {c.url for c in state.portal.categories} if state.portal else set()
    urls = [url for url in state.listings if url not in in_menu]  # those in the menu are MkDocs pages
    workers = _workers()
    return [e for part in run_forked(lambda part: _write_listing_slice(part, config), urls, workers) for e in part]


def _write_listing_slice(urls: list[str], config: Any) -> list[SitemapEntry]:
    shells: dict[int, tuple[Shell, dict[str, Any]]] = {}
    entries = []
    for url in urls:
        working_on(f"/{url}")
        listing = state.listings[url]
        depth = url.count("/")
        if depth not in shells:
            shells[depth] = _shell("slots.html", depth, config)
        shell, base = shells[depth]
        canonical = absolute(config.site_url, url)
        title = html.escape(listing.title, quote=False)
        context = dict(base, page=_PageStub(url, title, "", canonical))
        values = _listing_slots(listing, context, config)
        values.update(title=title, description="", canonical=canonical)
        _write(config.site_dir, f"{url}index.html", shell.fill(values))
        entries.append(SitemapEntry(url, listing.lastmod))
    return entries


def _logo(config: Any) -> str:
    """The organisation's logo (absolute URL), for link previews and structured data."""
    assert state.portal is not None
    return absolute(config.site_url, state.portal.banner.logo or "assets/portal/logo.png")


def _write_admin(config: Any) -> None:
    """/admin/: the web editor's page and its configuration, from mkdocs.yml and the content model."""
    assert state.portal is not None
    vendored = next(
        (
            os.path.join(d, "admin/VENDORED.json")
            for d in config.theme.dirs
            if os.path.isfile(os.path.join(d, "admin/VENDORED.json"))
        ),
        None,
    )
    if vendored is None:
        return  # a theme without the editor
    with open(vendored, encoding="utf-8") as f:
        version = json.load(f)["packages"]["@sveltia/cms"]["version"]
    pages = [
        (page.file.src_uri, page.title or page.file.name)
        for page in (state.nav.pages if state.nav else [])
        if not page.file.generated_by and not page.is_homepage and not page.file.src_uri.startswith(ARTICLES_DIR)
    ]
    repo = os.environ.get("GITHUB_REPOSITORY", "")
    settings = editor_config(state.portal, config.site_url, repo, pages, os.path.basename(config.docs_dir.rstrip("/")))
    _write(config.site_dir, f"{ADMIN_DIR}config.yml", editor_config_yaml(settings))
    _write(
        config.site_dir, f"{ADMIN_DIR}index.html", admin_page(config.site_name, version, state.portal.editor.auth_url)
    )


def on_post_build(config: Any) -> None:
    assert state.portal is not None and state.index is not None
    started = time.perf_counter()
    entries = _write_articles(config)
    log.debug(f"portal: {len(entries)} articles written in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    entries += _write_listings(config)
    log.debug(f"portal: listings written in {time.perf_counter() - started:.2f} s")
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
            state.photos.shares,
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
                state.photos.shares,
            ),
        )
    newest = state.index.newest[0].date if state.index.newest else None
    entries += [SitemapEntry(url, lastmod or newest) for url, lastmod in state.pages if url != "tim-kiem/"]
    _write(site_dir, "sitemap.xml", sitemap(site_url, sorted(entries, key=lambda e: e.path)))
    # The search index is made from the pages as written, so it holds exactly what was published.
    ok, output, seconds = state.search_join() if state.search_join is not None else (True, "", 0.0)
    if not ok:
        raise PluginError(f"Không tạo được chỉ mục tìm kiếm:\n{output}")
    log.debug(f"portal: search index ({INDEX_DIR}/) written in {seconds:.2f} s")
    if state.portal.storage is None:
        publish_photos(state.photos.files, config.site_dir)
    else:
        write_manifest(cache_dir(os.path.dirname(config.config_file_path)), state.photos.files)
    _write_admin(config)
    # MkDocs' own compressed copy lists pages without our dates: drop it rather than disagree.
    gz = os.path.join(site_dir, "sitemap.xml.gz")
    if os.path.exists(gz):
        os.remove(gz)
