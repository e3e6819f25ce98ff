"""MkDocs hooks of the chi bộ portal: each MkDocs event mapped onto the `chibo` modules.

No portal logic lives here, so a move to ProperDocs (which runs this file unchanged) or to
another generator replaces only this mapping: MkDocs' files become the plan's `SourceFile`s,
the plan's pages become MkDocs' files, and the theme is offered to the writers as `Templates`.
The steps themselves are `chibo.site.Portal`'s (configure, read, plan, write).
"""

from __future__ import annotations

import html
import logging
import os
from typing import Any

# The hook file's folder is on sys.path only while this file is first executed.
from chibo.articles import ARTICLES_DIR
from chibo.bodies import BODY_SIZES, page_images
from chibo.catalog import now_in_vietnam
from chibo.cms import ADMIN_DIR
from chibo.counter import FORECAST_HELP, counter_box
from chibo.csp import policy
from chibo.docs_files import refused
from chibo.errors import ContentError, ContentErrors
from chibo.feeds import absolute
from chibo.options import read_options
from chibo.pages import PageStub, listing_slots
from chibo.plan import SourceFile
from chibo.sanitise import located, sanitise
from chibo.search import INDEX_DIR
from chibo.shell import Shell, fix_markup, slot
from chibo.site import Settings, the_portal
from chibo.text import clean_text, format_day, format_number, slugify, slugify_anchor
from chibo.vendored import integrity, read_record
from mkdocs.commands.build import get_context
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.plugins.chibo")
# Counter problems and what the sanitiser dropped are shown but never fail a --strict build:
# not under the "mkdocs" logger.
for _name in ("chibo.counter", "chibo.content"):
    _shown_log = logging.getLogger(_name)
    if not _shown_log.handlers:
        _handler = logging.StreamHandler()
        _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
        _shown_log.addHandler(_handler)
        _shown_log.propagate = False
content_log = logging.getLogger("chibo.content")

portal = the_portal()
_mkdocs: dict[str, Any] = {}  # this build's MkDocs objects the writers' templates need: files, nav, env


def _fail(errors: list[ContentError]) -> None:
    raise PluginError(ContentErrors(errors).report())


def on_startup(command: str, dirty: bool) -> None:
    portal.command = command


def on_config(config: Any) -> Any:
    try:
        settings = portal.configure(
            config.extra, os.path.dirname(config.config_file_path), config.site_url or ""
        )  # the portal's own
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
    if portal.preview:  # MkDocs empties its folder on every build: it gets one of its own
        config.site_dir = portal.stage(config.site_dir)
    # Heading anchors use the portal's slug (Python-Markdown's default drops đ).
    if "toc" not in config.markdown_extensions:
        config.markdown_extensions.append("toc")
    config.mdx_configs.setdefault("toc", {})["slugify"] = slugify_anchor
    # The categories are the top menu, right after the home page.
    if config.nav:
        config.nav[1:1] = [{c.name: f"{c.slug}/index.md"} for c in settings.categories]
        config.nav = _escaped_nav(config.nav)
    return config


def _escaped_nav(items: Any) -> Any:
    """The menu's titles as text: Material prints them unescaped in the menu and the tabs."""
    if isinstance(items, list):
        return [_escaped_nav(item) for item in items]
    if isinstance(items, dict):
        return {html.escape(str(title), quote=False): _escaped_nav(value) for title, value in items.items()}
    return items


def _settings(config: Any) -> Settings:
    return Settings(
        site_url=config.site_url,
        site_name=config.site_name,
        site_description=config.site_description or "",
        docs_dir=config.docs_dir,
        site_dir=config.site_dir,
        project_root=os.path.dirname(config.config_file_path),
        markdown_extensions=config.markdown_extensions,
        mdx_configs=config.mdx_configs,
        theme_dirs=list(config.theme.dirs),
        extra=dict(config.extra),
        theme_key=repr((config.theme.get("language"), config.theme.get("features"), config.copyright)),
    )


def on_files(files: Files, config: Any) -> Files:
    assert portal.config is not None
    docs_dir = os.path.abspath(config.docs_dir)
    from_docs = [f for f in files if f.src_dir and os.path.abspath(f.src_dir) == docs_dir]
    refusals = refused(docs_dir, [f.src_uri for f in from_docs], list(config.theme.dirs), portal.config.verbatim_files)
    if refusals:  # never published; named with the other problems
        gone = {id(f) for f in from_docs if f.src_uri in refusals}
        files = Files([f for f in files if id(f) not in gone])
        for path in refusals:  # the theme's own file, which MkDocs left out for the editor's
            theme = next((d for d in config.theme.dirs if os.path.isfile(os.path.join(d, path))), None)
            if theme is not None:
                files.append(File(path, theme, config.site_dir, config.use_directory_urls))
    articles = {
        f.src_uri: f.abs_src_path or ""
        for f in files
        if f.src_uri.startswith(ARTICLES_DIR) and f.is_documentation_page()
    }
    sources = {
        f.src_uri: SourceFile(
            f.dest_uri,
            "" if f.src_uri in articles else f.url,  # an article's URL is the portal's: MkDocs' would stick
            editors=bool(f.src_dir) and os.path.abspath(f.src_dir or "") == docs_dir,
            page=f.content_string
            if f.is_documentation_page() and f.src_uri not in articles and f.inclusion.is_included()
            else None,
        )
        for f in files
    }
    named = [config.theme.get("logo"), config.theme.get("favicon"), *config.extra_css, *config.extra_javascript]
    named += [portal.config.banner.logo, *(link.image for link in portal.config.links)]
    settings = _settings(config)
    plan = portal.plan_site(
        sources,
        portal.read(articles, settings.project_root),
        {str(getattr(name, "path", name)).lstrip("/") for name in named if name},
        settings,
    )
    for warning in plan.warnings:  # a warning: --strict (publishing) refuses it
        log.warning(str(warning))
    portal.errors = sorted([*portal.errors, *refusals.values()])
    if portal.errors and not portal.preview:
        _fail(portal.errors)
    for error in portal.errors:  # in a preview the server stays up and shows them on every page
        log.error(str(error))

    kept = []
    for file in files:
        if file.src_uri in plan.dropped:
            continue  # an unpublished article's file, or a photo's original (its variants are published)
        article = plan.catalog.published.get(file.src_uri)
        if file.src_uri not in articles:
            kept.append(file)
        elif article is not None and not portal.preview:
            # Written by the portal; kept (excluded from MkDocs' own rendering) so that links
            # from ordinary pages to an article resolve to its URL.
            file.dest_uri = article.dest_path
            file.inclusion = InclusionLevel.EXCLUDED
            kept.append(file)
    for page in plan.generated:
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        kept.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
    # originals linked on purpose are files of the site (links to them resolve)
    kept += [File.generated(config, path, abs_src_path=str(stored)) for path, stored in portal.photos.originals.items()]
    _mkdocs["files"] = files = Files(kept)
    return files


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    _mkdocs["nav"] = nav
    return nav


_CARD_BASE = slot("base_url")  # stands for the page's base_url in a cached card
_cards: dict[tuple[str, bool, bool, bool, int], str] = {}


def _card(item: Any, base_url: str, images: bool, summary: bool, category: bool, level: int = 3) -> str:
    """An article's card in a listing: rendered once per build and variant, then reused."""
    key = (item.src_path, images, summary, category, level)
    card = _cards.get(key)
    if card is None:
        card = (
            _mkdocs["env"]
            .get_template("partials/portal/card.html")
            .render(
                item=item,
                base_url=_CARD_BASE,
                show_images=images,
                show_summary=summary,
                show_category=category,
                level=level,
            )
        )
        _cards[key] = card
    return card.replace(_CARD_BASE, base_url)


def on_env(env: Any, config: Any, files: Files) -> Any:
    assert portal.plan is not None and portal.config is not None
    env.filters["ngay"] = format_day
    env.filters["so"] = format_number
    env.filters["slug"] = slugify
    site_share = portal.photos.site_share
    env.globals.update(
        portal=portal.config,
        portal_index=portal.plan.index,
        portal_featured=portal.featured,
        body_sizes=BODY_SIZES,
        site_share=absolute(config.site_url, site_share) if site_share else "",
        portal_logo=absolute(config.site_url, portal.config.banner.logo or "assets/portal/logo.png"),
        content_errors=[str(e) for e in portal.errors],
        counter_box=counter_box(portal.config.counter, portal.snapshot, now_in_vietnam())
        if portal.config and portal.config.counter
        else None,
        counter_help=FORECAST_HELP,
        portal_card=_card,
        search_index=INDEX_DIR,
        portal_csp="" if portal.preview else policy(portal.config),
        portal_audience=portal.audience,
    )
    _cards.clear()
    env.bytecode_cache = portal.template_cache(os.path.dirname(config.config_file_path))
    _mkdocs["env"] = env
    portal.start_search(_settings(config), read_options().search)
    return env


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    assert portal.plan is not None
    markdown = clean_text(markdown)  # decomposed keyboards' text must render as composed
    # Material prints front matter unescaped (the title as text, the description and the
    # author inside attributes): make every value text, never markup.
    for name, value in list(page.meta.items()):
        if name == "template" or not isinstance(value, str):
            continue
        page.meta[name] = html.escape(clean_text(value))
    listing = portal.plan.listings.get(page.file.src_uri[: -len("index.md")])
    if not page.file.generated_by:
        markdown = page_images(markdown, page.file.src_uri, page.url, portal.photos.pictures)
    if listing is not None and page.file.generated_by:
        page.meta["template"] = "slots.html"
        page.meta["title"] = html.escape(listing.title)
        return ""
    return markdown


def on_page_content(html_text: str, page: Any, config: Any, files: Files) -> str:
    """An ordinary page's body, sanitised like an article's (an editor writes both)."""
    if page.file.generated_by:
        return html_text  # a listing: the portal's templates, not an editor's text
    clean, removed = sanitise(html_text)
    for line, message in located(page.file.content_string, removed) if removed else []:
        content_log.warning(str(ContentError(f"docs/{page.file.src_uri}", line, message)))
    return clean


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    assert portal.plan is not None
    listing = portal.plan.listings.get(page.url) if page.file.generated_by else None
    if listing is not None:
        context["slots"] = listing_slots(listing, dict(context), config.site_url, _render)
        # rel=prev/next of a listing are its pages, not its neighbours in the menu
        page.previous_page = page.next_page = None
    if page.is_homepage:
        context["home"] = portal.plan.home
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    return fix_markup(output)


def on_template_context(context: dict[str, Any], template_name: str, config: Any) -> dict[str, Any]:
    """MkDocs gives the 404 page an absolute base ("/"), which the portal's templates join as
    "{{ base_url }}/assets/…": "//assets/…" would be another host. Without the trailing slash
    (or "/." at the site's root) both joins and the url filter stay on the site."""
    base = str(context.get("base_url") or "")
    if template_name == "404.html" and base.endswith("/"):
        context["base_url"] = base.rstrip("/") or "/."
    return context


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """The theme's own pages (404.html) get the page policy's script hashes too."""
    return fix_markup(output_content) if template_name.endswith(".html") else output_content


def _render(name: str, context: dict[str, Any]) -> str:
    return _mkdocs["env"].get_template(name).render(context)


class _Templates:
    """The theme as the writers need it: a page shell at a depth, a template, a table of contents."""

    def __init__(self, config: Any) -> None:
        self.config = config

    def shell(self, depth: int, article: bool) -> tuple[Shell, dict[str, Any]]:
        """The page template rendered once for pages `depth` folders deep, with slots for what differs."""
        stub = PageStub("_/" * depth, slot("title"), slot("description"), slot("canonical"))
        context = get_context(_mkdocs["nav"], _mkdocs["files"], self.config, stub)  # type: ignore[arg-type]
        slots = {"head": slot("head"), "content": slot("content"), "toc": slot("toc"), "article": article}
        base = dict(context, features=self.config.theme.get("features") or [])
        # Material's partials expect the translations that base.html imports once per page.
        base["lang"] = _mkdocs["env"].get_template("partials/language.html").make_module(base)
        return Shell.parse(fix_markup(_render("slots.html", dict(context, slots=slots)))), base

    def render(self, name: str, context: dict[str, Any]) -> str:
        return _render(name, context)

    def toc(self, tokens: list[Any]) -> Any:
        return get_toc(tokens)


def _admin(config: Any) -> tuple[str, list[tuple[str, str]], str] | None:
    """The web editor's vendored version, the ordinary pages it may edit and its script's
    integrity (None: a theme without it)."""
    for folder in config.theme.dirs:
        record = read_record(os.path.join(folder, ADMIN_DIR))
        if record is not None:
            version = record["packages"]["@sveltia/cms"]["version"]  # type: ignore[index]
            nav = _mkdocs.get("nav")
            pages = [
                (page.file.src_uri, page.title or page.file.name)
                for page in (nav.pages if nav else [])
                if not page.file.generated_by
                and not page.is_homepage
                and not page.file.src_uri.startswith(ARTICLES_DIR)
            ]
            return version, pages, integrity(record, "sveltia-cms.js")
    return None


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """MkDocs looks for saved files every half second; every fifth of a second makes the preview
    follow an edit sooner (a scan of docs/ costs a few hundredths of a second at 4,000 articles)."""
    for emitter in getattr(server.observer, "emitters", ()):
        if isinstance(getattr(emitter, "_timeout", None), (int, float)):
            emitter._timeout = min(emitter._timeout, 0.2)
    return server


def on_shutdown() -> None:
    portal.preview_index.close()


def on_post_build(config: Any) -> None:
    try:
        result = portal.write(_settings(config), _Templates(config), _admin(config))
    except RuntimeError as exc:
        raise PluginError(str(exc)) from None
    log.debug(f"portal: {portal.read_count} articles read (the others unchanged since the last build)")
    log.debug(
        f"portal: {result.rendered} pages rendered, {result.written} files written, {result.removed} removed "
        f"in {result.seconds.get('all', 0):.2f} s"
    )
