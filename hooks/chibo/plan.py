"""The plan of the site: from the files of docs/ and the read articles, everything the
writers need to know, decided once per build as one value (no MkDocs here).

Which articles are published (catalog), grouped (index) and listed (listings, home); which
files stay off the site (an unpublished article's files, photos' originals); which addresses
the portal generates and who else claims them; where every file's links lead; what the search
index and the sitemap hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .addresses import DOCUMENTS, MOST_READ, RATINGS, SEARCH
from .articles import Article
from .attachments import Attachment
from .catalog import Catalog, PhotoPlan, build_catalog, plan_photos, unpublished_files
from .config import PortalConfig
from .errors import ContentError
from .feeds import SitemapEntry
from .index import SiteIndex, build_index
from .library import Library, make_library
from .links import candidates, image_targets, link_targets
from .listings import Home, Listing, build_home, build_listings
from .old_addresses import MAP_FILE, OldAddresses, StubPlan, listing_pages, plan_stubs
from .search import SearchRecord, article_record, document_record, page_record

SEARCH_PAGE = f"{SEARCH}index.md"
REGISTRY_PAGE = f"{DOCUMENTS}index.md"
SEARCH_PAGE_CONTENT = "---\ntemplate: search.html\ntitle: Tìm kiếm\n---\n"
# With a counter: what readers tell the site (templates read the build's Audience)
AUDIENCE_PAGES = {
    f"{RATINGS}index.md": ("ratings.html", "Mức độ hài lòng", "trang mức độ hài lòng"),
    f"{MOST_READ}index.md": ("most-read.html", "Đọc nhiều", "trang đọc nhiều"),
}


@dataclass(frozen=True)
class SourceFile:
    """A file MkDocs found (docs/ or the theme), as the plan needs it."""

    dest_uri: str
    url: str
    editors: bool = False  # from docs/ (the theme's own images are not photos to process)
    page: str | None = None  # an ordinary Markdown page's text (None: not such a page)


@dataclass(frozen=True)
class Generated:
    """A page the portal adds to MkDocs' files: the search page, the listings in the menu."""

    src_uri: str
    content: str
    in_nav: bool


@dataclass(frozen=True)
class SitePlan:
    catalog: Catalog
    index: SiteIndex
    listings: Mapping[str, Listing]  # url -> listing page
    home: Home
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]
    dropped: frozenset[str]  # files of docs/ that do not reach the site as they are
    generated: tuple[Generated, ...]
    photos: PhotoPlan
    targets: Mapping[str, str]  # source path -> site path, of every file and published article
    search_records: tuple[SearchRecord, ...]
    sitemap: tuple[SitemapEntry, ...]  # articles, listings and pages, by address
    articles: frozenset[str] = field(default_factory=frozenset)  # every article file, published or not
    in_menu: frozenset[str] = field(default_factory=frozenset)  # listings MkDocs renders (the categories)
    library: Library | None = None  # the document library (None: no document and no "Văn bản" in the menu)
    documents: frozenset[str] = field(default_factory=frozenset)  # every document file, published or not
    notices: tuple[ContentError, ...] = ()  # shown to editors, never a reason to stop publishing
    old_addresses: StubPlan | None = None  # the old site's addresses (None: no map in docs/)


def make_plan(
    files: Mapping[str, SourceFile],
    read: Mapping[str, Article | list[ContentError]],
    portal: PortalConfig,
    now: datetime,
    named: set[str],
    documents: tuple[Mapping[str, Any], Mapping[str, Attachment | None]] = ({}, {}),
    old: OldAddresses | None = None,
) -> SitePlan:
    """`files`: every file MkDocs found, by source path; `read`: every article file read (its
    Article or its problems); `named`: the files the settings name (logo, favicon, CSS, JS);
    `documents`: every document file read, and the files they attach inspected; `old`: the
    old site's addresses that `chibo import --joomla` left."""
    articles = {src: result for src, result in read.items() if not isinstance(result, list)}
    errors = [e for result in read.values() if isinstance(result, list) for e in result]
    known = set(files)
    catalog = build_catalog(articles, now, known)
    errors.extend(catalog.errors)
    index = build_index(catalog.published, portal)
    listings = build_listings(index, portal)
    library = _library(documents, catalog, now, portal)
    if library is not None:
        errors.extend(library.errors)
    read = {**read, **documents[0]}  # every file the portal owns, not MkDocs' pages

    pages = {src: f for src, f in files.items() if f.page is not None and src not in read}
    linked, pages_shown = _pages_links(pages, named)
    private = unpublished_files(articles, catalog, known, linked | set(pages_shown))
    editors = {src for src, f in files.items() if f.editors}
    photos = plan_photos(catalog, editors - private, pages_shown, linked)
    dropped = frozenset(private | photos.withheld | (library.withheld if library else set()) | ({MAP_FILE} & known))
    in_menu = {c.url for c in portal.categories if not c.is_library}
    generated = _generated(files, read, dropped, catalog, listings, portal, in_menu, errors, library)
    targets = _targets(files, read, dropped, photos, generated, catalog, library)

    records, sitemap = _search_and_sitemap(catalog, index, listings, library, pages, dropped, portal)
    owners = _owners(files, read, dropped, catalog, library) if old else {}
    stubs = _old_addresses(old, owners, generated, catalog, index, listings, portal) if old else None
    return SitePlan(
        catalog=catalog,
        index=index,
        listings=MappingProxyType(listings),
        home=build_home(index, portal),
        errors=tuple(sorted(errors)),
        warnings=tuple(catalog.far_future),
        dropped=dropped,
        generated=tuple(generated),
        photos=photos,
        targets=MappingProxyType(targets),
        search_records=records,
        sitemap=sitemap,
        articles=frozenset(read) - frozenset(documents[0]),
        in_menu=frozenset(in_menu),
        library=library,
        documents=frozenset(documents[0]),
        notices=(*(library.warnings if library else ()), *(stubs.notices if stubs else ())),
        old_addresses=stubs,
    )


def _targets(
    files: Mapping[str, SourceFile],
    read: Mapping[str, object],
    dropped: frozenset[str],
    photos: PhotoPlan,
    generated: list[Generated],
    catalog: Catalog,
    library: Library | None,
) -> dict[str, str]:
    """Source path -> site path of every file, generated page, published article and document."""
    # originals linked on purpose are published (cleaned of metadata) under their own name
    targets = {
        src: f.url for src, f in files.items() if (src not in dropped or src in photos.linked) and src not in read
    }
    targets.update({g.src_uri: g.src_uri[: -len("index.md")] for g in generated})
    targets.update({a.src_path: a.url for a in catalog.published.values()})
    if library is not None:
        targets.update({d.src_path: d.url for d in library.newest})
    return targets


def _old_addresses(
    old: OldAddresses,
    owners: Mapping[str, str],
    generated: list[Generated],
    catalog: Catalog,
    index: SiteIndex,
    listings: Mapping[str, Listing],
    portal: PortalConfig,
) -> StubPlan:
    """The pages that answer the old site's addresses, where the site has nothing of its own
    (`owners`: the files MkDocs, the articles and the documents will have)."""
    published = catalog.published.values()
    taken = set(owners) | {f"{url}index.html" for url in listings}
    taken |= {f"{g.src_uri[: -len('index.md')]}index.html" for g in generated}
    order = [(c.url, [a.src_path for a in index.categories[c.slug].articles]) for c in portal.categories]
    return plan_stubs(
        old,
        f"docs/{MAP_FILE}",
        {a.src_path: a.url for a in published},
        {a.src_path: a.title for a in published},
        {c.name: c.url for c in portal.categories},
        listing_pages(order, portal.per_page),
        taken,
    )


def _search_and_sitemap(
    catalog: Catalog,
    index: SiteIndex,
    listings: Mapping[str, Listing],
    library: Library | None,
    pages: Mapping[str, SourceFile],
    dropped: frozenset[str],
    portal: PortalConfig,
) -> tuple[tuple[SearchRecord, ...], tuple[SitemapEntry, ...]]:
    """What the search index holds (articles, documents, pages) and what the sitemap lists, by
    address; a page that lists nothing yet has the site's newest date."""
    shown = [f for src, f in pages.items() if src not in dropped]
    records = [article_record(a) for a in catalog.published.values()]
    records += [document_record(d, library) for d in library.newest] if library else []
    records += [page_record(f.url, f.page or "") for f in shown if f.url != ""]  # not the home page
    newest = index.newest[0].date if index.newest else None
    categories = {c.url for c in portal.categories}
    sitemap = [SitemapEntry(a.url, a.date) for a in catalog.published.values()]
    sitemap += [
        SitemapEntry(url, page.lastmod or (newest if url in categories else None)) for url, page in listings.items()
    ]
    if library is not None:
        sitemap += [SitemapEntry(d.url, d.issued) for d in library.newest]
        sitemap += [SitemapEntry(url, page.lastmod or newest) for url, page in library.listings.items()]
    listed = {e.path for e in sitemap}
    sitemap += [SitemapEntry(f.url, newest) for f in shown if f.url not in listed]
    return tuple(records), tuple(sorted(sitemap, key=lambda e: e.path))


def _library(
    documents: tuple[Mapping[str, Any], Mapping[str, Attachment | None]],
    catalog: Catalog,
    now: datetime,
    portal: PortalConfig,
) -> Library | None:
    """The document library, when there are documents or the menu has "Văn bản"."""
    if not documents[0] and not any(c.is_library for c in portal.categories):
        return None
    category = next((c.url for c in portal.categories if c.is_library), "")
    return make_library(documents[0], documents[1], catalog.published.values(), now, portal.documents, category)


def _pages_links(pages: Mapping[str, SourceFile], named: set[str]) -> tuple[set[str], dict[str, str]]:
    """What the ordinary pages (and the settings, `named`) link to, and the photos the pages
    show (photo -> the page showing it)."""
    linked: set[str] = set(named)
    shown: dict[str, str] = {}
    for src, f in pages.items():
        page = f.page or ""
        linked.update(c for target in link_targets(page) for c in candidates(src, target))
        for target in image_targets(page):
            for candidate in candidates(src, target):
                shown.setdefault(candidate, src)
    return linked, shown


def _owners(
    files: Mapping[str, SourceFile],
    read: Mapping[str, object],
    dropped: frozenset[str],
    catalog: Catalog,
    library: Library | None,
) -> dict[str, str]:
    """Each output file MkDocs, an article or a document will have -> the source that has it."""
    taken = {f.dest_uri: src for src, f in files.items() if src not in dropped and src not in read}
    for article in catalog.published.values():
        taken.setdefault(article.dest_path, article.src_path)
    for document in library.newest if library else ():
        taken.setdefault(document.dest_path, document.src_path)
    return taken


def _generated(
    files: Mapping[str, SourceFile],
    read: Mapping[str, object],
    dropped: frozenset[str],
    catalog: Catalog,
    listings: Mapping[str, Listing],
    portal: PortalConfig,
    in_menu: set[str],
    errors: list[ContentError],
    library: Library | None = None,
) -> list[Generated]:
    """The pages the portal adds to MkDocs' own, where no editor's file has the address (each
    collision is an error naming the file)."""
    taken = _owners(files, read, dropped, catalog, library)

    def free(url: str, what: str) -> bool:
        owner = taken.get(f"{url}index.html")
        if owner is not None:
            errors.append(
                ContentError(f"docs/{owner}", 1, f"trùng địa chỉ /{url} với {what} do cổng tự tạo; hãy đổi tên tệp này")
            )
        return owner is None

    generated = []
    if free(SEARCH_PAGE[: -len("index.md")], "trang tìm kiếm"):
        generated.append(Generated(SEARCH_PAGE, SEARCH_PAGE_CONTENT, in_nav=False))
    if portal.counter is not None:
        for src, (template, title, what) in AUDIENCE_PAGES.items():
            if free(src[: -len("index.md")], what):
                generated.append(Generated(src, f"---\ntemplate: {template}\ntitle: {title}\n---\n", in_nav=False))
    for listing in listings.values():
        if free(listing.url, f"trang danh sách «{listing.title}»") and listing.url in in_menu:
            generated.append(Generated(listing.src_uri, f"# {listing.title}\n", in_nav=True))
    if library is not None:
        generated += _registry(library, portal, free)
    return generated


def _registry(library: Library, portal: PortalConfig, free: Any) -> list[Generated]:
    """The registry's first page, which MkDocs renders (in the menu when it has "Văn bản"); its
    other pages are the portal's. `free(url, what)` says whether no editor's file has the address."""
    generated = []
    for page in library.listings.values():
        if free(page.url, f"trang «{page.title}» của thư viện văn bản") and page.url == DOCUMENTS:
            in_nav = any(c.is_library for c in portal.categories)
            generated.append(Generated(REGISTRY_PAGE, f"# {page.title}\n", in_nav=in_nav))
    return generated
