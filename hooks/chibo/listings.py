"""The generated pages as data: category, tag, author and archive listings, paginated.

Each listing knows its own URL, the slice of articles it shows and its pager;
templates only lay them out. Paths here are relative to the site root.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .addresses import ARCHIVE, AUTHORS, PAGES, TAGS
from .articles import Article
from .config import PortalConfig
from .index import Group, SiteIndex


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap ("…") in the numbered pager
    url: str = ""


@dataclass(frozen=True)
class Entry:
    """A line of an index page (a year, a month, a tag) with its article count."""

    label: str
    url: str
    count: int


@dataclass
class Listing:
    url: str  # "thong-bao/trang/2/"
    title: str  # the <title> and the heading
    kind: str  # category, tag, author, year, month, archive, tags
    items: Sequence[Any] = field(default_factory=list)  # Article, or Document in the library's registry
    number: int = 1
    total: int = 1
    pages: list[PageLink] = field(default_factory=list)
    prev_url: str = ""
    next_url: str = ""
    feed_url: str = ""
    entries: list[Entry] = field(default_factory=list)
    empty_message: str = "Chưa có bài viết nào."
    lastmod: datetime | None = None

    @property
    def src_uri(self) -> str:
        return f"{self.url}index.md"


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}{PAGES}{number}/"


def pager_window(current: int, total: int, url_of, width: int = 2) -> list[PageLink]:
    """First, last and `width` pages either side of the current one, gaps as None."""
    low, high = max(1, current - width), min(total, current + width)
    links = [PageLink(1, url_of(1))] if low > 1 else []
    if low > 2:
        links.append(PageLink(None))
    links += [PageLink(number, url_of(number)) for number in range(low, high + 1)]
    if high < total - 1:
        links.append(PageLink(None))
    if high < total:
        links.append(PageLink(total, url_of(total)))
    return links


def paginate(
    base: str,
    title: str,
    kind: str,
    articles: Sequence[Any],  # articles, or the library's documents (anything with a date)
    per_page: int,
    feed_url: str = "",
    empty_message: str = "Chưa có bài viết nào.",
) -> list[Listing]:
    """Pages of `per_page` articles: every article on exactly one page, page 1 always."""
    total = max(1, -(-len(articles) // per_page))
    listings = []
    for number in range(1, total + 1):
        items = articles[(number - 1) * per_page : number * per_page]
        listings.append(
            Listing(
                url=page_url(base, number),
                title=title if number == 1 else f"{title} – trang {number}",
                kind=kind,
                items=items,
                number=number,
                total=total,
                pages=pager_window(number, total, lambda n: page_url(base, n)),
                prev_url=page_url(base, number - 1) if number > 1 else "",
                next_url=page_url(base, number + 1) if number < total else "",
                feed_url=feed_url,
                empty_message=empty_message,
                lastmod=items[0].date if items else None,
            )
        )
    return listings


def _group_pages(base: str, title: str, kind: str, group: Group, per_page: int, **kw) -> list[Listing]:
    return paginate(f"{base}{group.slug}/", title, kind, group.articles, per_page, **kw)


def build_listings(index: SiteIndex, config: PortalConfig) -> dict[str, Listing]:
    """Every generated listing page, keyed by its URL."""
    per_page = config.per_page
    listings: list[Listing] = []
    for category in config.categories:
        group = index.categories[category.slug]
        listings += paginate(
            category.url,
            category.name,
            "category",
            group.articles,
            per_page,
            feed_url=f"{category.url}feed.xml",
            empty_message="Chuyên mục này chưa có bài viết nào.",
        )
    for group in index.tags.values():
        listings += _group_pages(TAGS, f"Thẻ: {group.name}", "tag", group, per_page)
    for group in index.authors.values():
        listings += _group_pages(AUTHORS, f"Tác giả: {group.name}", "author", group, per_page)
    for (year, month), group in index.months.items():
        listings += paginate(
            f"{ARCHIVE}{year}/{month:02d}/", f"Lưu trữ tháng {month}/{year}", "month", group.articles, per_page
        )
    months_of_year: dict[int, list[Entry]] = {}
    for (year, month), group in index.months.items():
        entry = Entry(f"Tháng {month}/{year}", f"{ARCHIVE}{year}/{month:02d}/", len(group.articles))
        months_of_year.setdefault(year, []).append(entry)
    for year, group in index.years.items():
        listings.append(
            Listing(
                f"{ARCHIVE}{year}/",
                f"Lưu trữ năm {year}",
                "year",
                entries=months_of_year[year],
                lastmod=group.articles[0].date,
            )
        )
    newest = index.newest[0].date if index.newest else None
    years = [Entry(f"Năm {y}", f"{ARCHIVE}{y}/", len(g.articles)) for y, g in index.years.items()]
    listings.append(Listing(ARCHIVE, "Lưu trữ", "archive", entries=years, lastmod=newest))
    tags = [Entry(g.name, f"{TAGS}{g.slug}/", len(g.articles)) for g in index.tags.values()]
    listings.append(Listing(TAGS, "Các thẻ", "tags", entries=tags, lastmod=newest, empty_message="Chưa có thẻ nào."))
    return {listing.url: listing for listing in listings}


@dataclass
class HomeBlock:
    name: str
    url: str
    articles: list[Article]


@dataclass
class Home:
    pinned: list[Article]
    latest: list[Article]
    blocks: list[HomeBlock]


def build_home(index: SiteIndex, config: PortalConfig, latest: int = 12, per_block: int = 5) -> Home:
    pinned_paths = {a.src_path for a in index.pinned}
    rest = [a for a in index.newest[: latest + len(pinned_paths)] if a.src_path not in pinned_paths]
    blocks = [HomeBlock(c.name, c.url, index.categories[c.slug].articles[:per_block]) for c in config.categories]
    return Home(index.pinned, rest[:latest], blocks)
