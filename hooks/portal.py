"""MkDocs hooks of the chi bộ portal: each MkDocs event mapped onto the `chibo` modules.

No portal logic lives here, so a move to ProperDocs (which runs this file unchanged) or to
another generator replaces only this mapping: MkDocs' files become the plan's `SourceFile`s,
the plan's pages become MkDocs' files, and the theme is offered to the writers as `Templates`.
The steps themselves are `chibo.site.Session`'s (configure, read, plan, write); the theme's
templates reach the writers through one adapter, `_Theme`.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
from pathlib import Path
from typing import Any

# The hook file's folder is on sys.path only while this file is first executed.
from chibo.addresses import DOCUMENTS
from chibo.articles import ARTICLES_DIR
from chibo.bodies import BODY_SIZES, page_images
from chibo.catalog import now_in_vietnam
from chibo.cms import ADMIN_DIR
from chibo.counter import FORECAST_HELP, counter_box
from chibo.csp import policy
from chibo.docs_files import refused
from chibo.errors import ContentError, ContentErrors
from chibo.feeds import absolute
from chibo.library import STATUSES
from chibo.options import read_options
from chibo.pages import PageStub, listing_slots
from chibo.plan import SourceFile
from chibo.ratings import EVENT_DIR as RATING_EVENTS
from chibo.ratings import LABELS as RATING_LABELS
from chibo.sanitise import located, sanitise
from chibo.saves import SavedArticles
from chibo.search import INDEX_DIR
from chibo.shell import Shell, fix_markup, slot
from chibo.site import Admin, Settings, the_session
from chibo.text import clean_text, format_day, format_number, format_size, slugify, slugify_anchor
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

session = the_session()


def _fail(errors: list[ContentError]) -> None:
    raise PluginError(ContentErrors(errors).report())


def on_startup(command: str, dirty: bool) -> None:
    session.command = command


def on_config(config: Any) -> Any:
    try:
        settings = session.configure(
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
    if session.preview:  # MkDocs empties its folder on every build: it gets one of its own
        config.site_dir = session.stage(config.site_dir)
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


# this file renders parts of pages too (cards, the page shells): a new version renders them again
_HOOK_KEY = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()


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
        theme_key=repr((config.theme.get("language"), config.theme.get("features"), config.copyright, _HOOK_KEY)),
    )


def on_files(files: Files, config: Any) -> Files:
    portal_config = session.settings_read().config
    docs_dir = os.path.abspath(config.docs_dir)
    files, refusals = _without_refused(files, config, docs_dir, portal_config.verbatim_files)
    articles = _owned(files, ARTICLES_DIR)
    documents = _owned(files, DOCUMENTS)
    named = [config.theme.get("logo"), config.theme.get("favicon"), *config.extra_css, *config.extra_javascript]
    named += [portal_config.banner.logo, *(link.image for link in portal_config.links)]
    settings = _settings(config)
    known = {f.src_uri for f in files if f.src_dir and os.path.abspath(f.src_dir) == docs_dir}
    build = session.plan_site(
        _sources(files, {**articles, **documents}, docs_dir),
        session.read(articles, settings.project_root),
        {str(getattr(name, "path", name)).lstrip("/") for name in named if name},
        settings,
        refusals.values(),
        session.read_documents(documents, docs_dir, known, settings.project_root),
    )
    _log_plan(build)
    theme.files = _site_files(files, {**articles, **documents}, config)
    return theme.files


def _log_plan(build: Any) -> None:
    for warning in build.plan.warnings:  # a warning: --strict (publishing) refuses it
        log.warning(str(warning))
    for notice in build.plan.notices:  # shown, never a reason to stop publishing
        content_log.warning(str(notice))
    if build.errors and not session.preview:
        _fail(list(build.errors))
    for error in build.errors:  # in a preview the server stays up and shows them on every page
        log.error(str(error))


def _owned(files: Files, folder: str) -> dict[str, str]:
    """The Markdown files of docs/`folder` that the portal reads and writes (not MkDocs' pages)."""
    return {
        f.src_uri: f.abs_src_path or "" for f in files if f.src_uri.startswith(folder) and f.is_documentation_page()
    }


def _without_refused(files: Files, config: Any, docs_dir: str, verbatim: tuple[str, ...]) -> tuple[Files, Any]:
    """The files, less those of docs/ that may not be published (docs_files.py), and those refusals."""
    from_docs = [f for f in files if f.src_dir and os.path.abspath(f.src_dir) == docs_dir]
    refusals = refused(docs_dir, [f.src_uri for f in from_docs], list(config.theme.dirs), verbatim)
    if not refusals:
        return files, refusals
    gone = {id(f) for f in from_docs if f.src_uri in refusals}
    files = Files([f for f in files if id(f) not in gone])
    for path in refusals:  # the theme's own file, which MkDocs left out for the editor's
        folder = next((d for d in config.theme.dirs if os.path.isfile(os.path.join(d, path))), None)
        if folder is not None:
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))
    return files, refusals


def _sources(files: Files, articles: dict[str, str], docs_dir: str) -> dict[str, SourceFile]:
    """MkDocs' files as the plan sees them."""
    return {
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


def _site_files(files: Files, owned: dict[str, str], config: Any) -> Files:
    """What MkDocs publishes: the plan's generated pages in, withheld files, articles and documents out."""
    build = session.current()
    plan = build.plan
    library = plan.library.documents if plan.library else {}
    kept = []
    for file in files:
        if file.src_uri in plan.dropped:
            continue  # an unpublished article's file, or a photo's original (its variants are published)
        owner = plan.catalog.published.get(file.src_uri) or library.get(file.src_uri)
        if file.src_uri not in owned:
            kept.append(file)
        elif owner is not None and not session.preview:
            # Written by the portal; kept (excluded from MkDocs' own rendering) so that links
            # from ordinary pages to an article or a document resolve to its URL.
            file.dest_uri = owner.dest_path
            file.inclusion = InclusionLevel.EXCLUDED
            kept.append(file)
    for page in plan.generated:
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        kept.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
    # originals linked on purpose are files of the site (links to them resolve)
    kept += [File.generated(config, path, abs_src_path=str(stored)) for path, stored in build.photos.originals.items()]
    return Files(kept)


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    theme.nav = nav
    return nav


_CARD_BASE = slot("base_url")  # stands for the page's base_url in a cached card


class _Theme:
    """This build's MkDocs objects that the portal's templates need (files, nav, the template
    environment), and the cards rendered once per build and variant."""

    def __init__(self) -> None:
        self.files: Files | None = None
        self.nav: Any = None
        self.env: Any = None
        self.config: Any = None  # this build's MkDocs settings
        self.cards: dict[tuple[str, bool, bool, bool, int], str] = {}

    def render(self, name: str, context: dict[str, Any]) -> str:
        return str(self.env.get_template(name).render(context))

    def card(self, item: Any, base_url: str, images: bool, summary: bool, category: bool, level: int = 3) -> str:
        """An article's card in a listing: rendered once per build and variant, then reused."""
        key = (item.src_path, images, summary, category, level)
        card = self.cards.get(key)
        if card is None:
            card = self.render(
                "partials/portal/card.html",
                {
                    "item": item,
                    "base_url": _CARD_BASE,
                    "show_images": images,
                    "show_summary": summary,
                    "show_category": category,
                    "level": level,
                },
            )
            self.cards[key] = card
        return card.replace(_CARD_BASE, base_url)


theme = _Theme()


def on_env(env: Any, config: Any, files: Files) -> Any:
    env.filters["ngay"] = format_day
    env.filters["so"] = format_number
    env.filters["slug"] = slugify
    env.filters["dung_luong"] = format_size
    env.bytecode_cache = session.template_cache(os.path.dirname(config.config_file_path))
    # a build's templates do not change while it runs: no stat of the template file for each
    # of the 60,000 includes and renders of 4,000 articles (a preview keeps looking)
    env.auto_reload = session.preview
    theme.env, theme.config = env, config
    build = session.current()
    _show(build, config)
    session.start_search(build, read_options().search)  # beside the pages
    return env


def _show(build: Any, config: Any) -> None:
    """The build as the theme's templates see it."""
    portal_config = build.config
    site_share = build.photos.site_share
    theme.env.globals.update(
        portal=portal_config,
        portal_index=build.plan.index,
        portal_featured=build.featured,
        body_sizes=BODY_SIZES,
        site_share=absolute(config.site_url, site_share) if site_share else "",
        portal_logo=absolute(config.site_url, portal_config.banner.logo or "assets/portal/logo.png"),
        content_errors=[str(e) for e in build.errors],
        counter_box=counter_box(portal_config.counter, build.snapshot, now_in_vietnam())
        if portal_config.counter
        else None,
        counter_help=FORECAST_HELP,
        portal_card=theme.card,
        search_index=INDEX_DIR,
        portal_csp="" if session.preview else policy(portal_config),
        portal_audience=build.audience,
        portal_library=build.plan.library,
        library_statuses=STATUSES,
        rating_labels=RATING_LABELS,
        rating_events=RATING_EVENTS,
    )
    theme.cards.clear()


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    build = session.current()
    markdown = clean_text(markdown)  # decomposed keyboards' text must render as composed
    # Material prints front matter unescaped (the title as text, the description and the
    # author inside attributes): make every value text, never markup.
    for name, value in list(page.meta.items()):
        if name == "template" or not isinstance(value, str):
            continue
        page.meta[name] = html.escape(clean_text(value))
    listing = _listing(build.plan, page.file.src_uri[: -len("index.md")])
    if not page.file.generated_by:
        markdown = page_images(markdown, page.file.src_uri, page.url, build.photos.pictures)
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
    plan = session.current().plan
    listing = _listing(plan, page.url) if page.file.generated_by else None
    if listing is not None:
        context["slots"] = listing_slots(listing, dict(context), config.site_url, theme.render)
        # rel=prev/next of a listing are its pages, not its neighbours in the menu
        page.previous_page = page.next_page = None
    if page.is_homepage:
        context["home"] = plan.home
    return context


def _listing(plan: Any, url: str) -> Any:
    """The listing (articles, or the library's registry) at `url`, if the portal has one there."""
    return plan.listings.get(url) or (plan.library.listings.get(url) if plan.library else None)


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


class _Templates:
    """The theme as the writers need it: a page shell at a depth, a template, a table of contents."""

    def __init__(self, config: Any) -> None:
        self.config = config

    def shell(self, depth: int, article: bool) -> tuple[Shell, dict[str, Any]]:
        """The page template rendered once for pages `depth` folders deep, with slots for what differs."""
        stub = PageStub("_/" * depth, slot("title"), slot("description"), slot("canonical"))
        context = get_context(theme.nav, theme.files, self.config, stub)  # type: ignore[arg-type]
        slots = {"head": slot("head"), "content": slot("content"), "toc": slot("toc"), "article": article}
        base = dict(context, features=self.config.theme.get("features") or [])
        # Material's partials expect the translations that base.html imports once per page.
        base["lang"] = theme.env.get_template("partials/language.html").make_module(base)
        return Shell.parse(fix_markup(theme.render("slots.html", dict(context, slots=slots)))), base

    def render(self, name: str, context: dict[str, Any]) -> str:
        return theme.render(name, context)

    def toc(self, tokens: list[Any]) -> Any:
        return get_toc(tokens)


def _admin(config: Any) -> Admin | None:
    """The web editor's vendored version, the ordinary pages it may edit and its script's
    integrity (None: a theme without it)."""
    for folder in config.theme.dirs:
        record = read_record(os.path.join(folder, ADMIN_DIR))
        if record is not None:
            version = record["packages"]["@sveltia/cms"]["version"]  # type: ignore[index]
            nav = theme.nav
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
    follow an edit sooner (a scan of docs/ costs a few hundredths of a second at 4,000 articles).
    Saved articles go to the portal first (`_answer_saves`)."""
    for emitter in getattr(server.observer, "emitters", ()):
        if isinstance(getattr(emitter, "_timeout", None), (int, float)):
            emitter._timeout = min(emitter._timeout, 0.2)
    _answer_saves(server, os.path.abspath(config.docs_dir))
    return server


def _answer_saves(server: Any, docs_dir: str) -> None:
    """The watcher of docs/ hands articles' saves to `SavedArticles`, which has the portal write
    those that change only the article's own page, then tells the browsers to reload as MkDocs
    does after a rebuild; the other saves, and those the portal hands back, reach MkDocs' own
    handler. On a server without MkDocs 1.6's parts every save is MkDocs' rebuild."""
    try:
        from mkdocs.livereload import _timestamp
        from watchdog.events import FileSystemEventHandler

        watch = server._watch_refs[docs_dir]
        (mkdocs_handler,) = server.observer._handlers[watch]
        server._epoch_cond, server._rebuild_cond, server._visible_epoch, server._wanted_epoch  # noqa: B018
    except (ImportError, AttributeError, KeyError, ValueError, TypeError):
        return

    def rebuild(events: list[Any]) -> None:
        for event in events:
            mkdocs_handler.dispatch(event)

    def shown(saved: Any, seconds: float) -> None:
        with server._rebuild_cond, server._epoch_cond:
            if server._visible_epoch == server._wanted_epoch:  # else MkDocs' rebuild will say it
                server._visible_epoch = server._wanted_epoch = _timestamp()
                server._epoch_cond.notify_all()
        log.info(f"Đã cập nhật {', '.join(f'docs/{src}' for src in sorted(saved))} trong {seconds:.2f} giây")

    saves = SavedArticles(docs_dir, lambda saved: session.answer_saves(saved, _rewritten), rebuild, shown)
    mkdocs_build = server.builder

    def build() -> None:
        with saves.lock:
            mkdocs_build()

    class Sorter(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            if event.is_directory or not saves.offer(_event_paths(event), event):
                mkdocs_handler.dispatch(event)

    server.builder = build
    server.observer.add_handler_for_watch(Sorter(), watch)
    server.observer.remove_handler_for_watch(mkdocs_handler, watch)
    _notified(saves, os.path.join(docs_dir, ARTICLES_DIR))


def _rewritten(build: Any) -> tuple[_Templates, Any]:
    """A new build of saved articles, with MkDocs' files as they were (`Session.answer_saves`):
    the theme shows it, and MkDocs' own pages (the menu's listings, ordinary pages, 404) are
    written again as its rebuild writes them, into the staging folder the portal serves from."""
    from mkdocs.commands.build import _build_page, _build_theme_template

    config, files, nav, env = theme.config, theme.files, theme.nav, theme.env
    assert files is not None  # a build came first
    _log_plan(build)
    _show(build, config)
    for template in config.theme.static_templates:
        _build_theme_template(template, env, files, config, nav)
    pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for file in pages:
        assert file.page is not None  # MkDocs made every page of the last build
        _build_page(file.page, config, pages, nav, env, excluded=file.inclusion.is_excluded())
    return _Templates(config), _admin(config)


_CHANGES = {"created", "modified", "moved", "deleted"}


def _event_paths(event: Any) -> list[str]:
    """The files a watcher's event names: the file, and where it went when it moved."""
    return [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]


def _notified(saves: SavedArticles, folder: str) -> None:
    """The system's notifications of saved articles, at once: MkDocs polls docs/ every 0.2 s,
    most of a body edit's wait. Polling still reports them (`SavedArticles` takes each once),
    and everything else, so nothing is lost where the system has no notifications."""
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        class Notified(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if not event.is_directory and event.event_type in _CHANGES:
                    saves.offer(_event_paths(event), event)

        observer = Observer()
        observer.schedule(Notified(), folder, recursive=True)
        observer.start()
    except (ImportError, OSError):  # no such folder yet, or no notifications here: polling only
        return
    _observers.append(observer)


_observers: list[Any] = []


def on_shutdown() -> None:
    session.preview_index.close()
    for observer in _observers:
        observer.stop()


def on_post_build(config: Any) -> None:
    try:
        result = session.write(session.current(), _Templates(config), _admin(config))
    except RuntimeError as exc:
        raise PluginError(str(exc)) from None
    log.debug(f"portal: {session.read_count} articles read (the others unchanged since the last build)")
    log.debug(
        f"portal: {result.rendered} pages rendered, {result.written} files written, {result.removed} removed "
        f"in {result.seconds.get('all', 0):.2f} s"
    )
