"""Index stage: group the published articles in one pass, newest first.

Every group is a dict keyed by slug; each article's position in its
category is kept so that related news and previous/next are O(1) lookups.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .articles import Article
from .config import PortalConfig
from .text import slugify


@dataclass
class Group:
    """Articles sharing a category, tag, author, year or month, newest first."""

    slug: str
    name: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class SiteIndex:
    newest: list[Article]
    pinned: list[Article]
    categories: dict[str, Group]  # in configured order, empty ones included
    tags: dict[str, Group]
    authors: dict[str, Group]
    years: dict[int, Group]
    months: dict[tuple[int, int], Group]
    _position: dict[str, int]  # src_path -> index in its category's list

    def related(self, article: Article, count: int = 5) -> list[Article]:
        """The `count` articles of the same category nearest in time, newest first."""
        siblings = self.categories[article.category.slug].articles
        i = self._position[article.src_path]
        lo, hi = i - 1, i + 1  # siblings are newest first: lo is newer, hi older
        near: list[Article] = []
        while len(near) < count and (lo >= 0 or hi < len(siblings)):
            take_newer = hi >= len(siblings) or (
                lo >= 0 and siblings[lo].date - article.date <= article.date - siblings[hi].date
            )
            if take_newer:
                near.append(siblings[lo])
                lo -= 1
            else:
                near.append(siblings[hi])
                hi += 1
        return sorted(near, key=lambda a: (a.date, a.src_path), reverse=True)

    def newer(self, article: Article) -> Article | None:
        i = self._position[article.src_path]
        return self.categories[article.category.slug].articles[i - 1] if i > 0 else None

    def older(self, article: Article) -> Article | None:
        siblings = self.categories[article.category.slug].articles
        i = self._position[article.src_path]
        return siblings[i + 1] if i + 1 < len(siblings) else None


def build_index(published: dict[str, Article], config: PortalConfig) -> SiteIndex:
    newest = sorted(published.values(), key=lambda a: (a.date, a.src_path), reverse=True)
    categories = {c.slug: Group(c.slug, c.name) for c in config.categories}
    tags: dict[str, Group] = {}
    authors: dict[str, Group] = {}
    years: dict[int, Group] = {}
    months: dict[tuple[int, int], Group] = {}
    position: dict[str, int] = {}
    counts: defaultdict[str, int] = defaultdict(int)
    for article in newest:
        slug = article.category.slug
        position[article.src_path] = counts[slug]
        counts[slug] += 1
        categories[slug].articles.append(article)
        for tag in article.tags:
            tag_slug = slugify(tag)
            if tag_slug:
                tags.setdefault(tag_slug, Group(tag_slug, tag)).articles.append(article)
        if article.author and (author_slug := slugify(article.author)):
            authors.setdefault(author_slug, Group(author_slug, article.author)).articles.append(article)
        year, month = article.date.year, article.date.month
        years.setdefault(year, Group(str(year), str(year))).articles.append(article)
        months.setdefault((year, month), Group(f"{year}/{month:02d}", f"tháng {month}/{year}")).articles.append(article)
    return SiteIndex(
        newest=newest,
        pinned=[a for a in newest if a.pin],
        categories=categories,
        tags=dict(sorted(tags.items())),
        authors=dict(sorted(authors.items())),
        years=years,
        months=months,
        _position=position,
    )
