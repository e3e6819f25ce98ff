"""What readers tell the site, for one build: each article's rating figures, the summary of
"Mức độ hài lòng" and the "Đọc nhiều" lists, from the kept counter data and the articles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .articles import Article
from .most_read import PAGE_SIZE, SIDEBAR_SIZE, MostRead
from .ratings import Figures, RatingsSnapshot, page_figures

EXTREMES = 5  # articles listed as rated highest and lowest


@dataclass(frozen=True)
class Audience:
    figures: Mapping[str, Figures] = field(default_factory=dict)  # article URL -> figures
    by_month: tuple[tuple[str, Figures], ...] = ()
    by_category: tuple[tuple[str, Figures], ...] = ()  # category name -> figures, menu order
    highest: tuple[tuple[Article, Figures], ...] = ()
    lowest: tuple[tuple[Article, Figures], ...] = ()
    week: tuple[tuple[Article, int], ...] = ()
    month: tuple[tuple[Article, int], ...] = ()
    old_site: tuple[tuple[Article, int], ...] = ()  # imported views, articles older than the counter

    @property
    def site(self) -> Figures:
        return sum(self.figures.values(), Figures())

    @property
    def sidebar(self) -> tuple[tuple[Article, int], ...]:
        """The sidebar's five: the last 7 days, or the last 30 while a week has fewer."""
        return (self.week if len(self.week) >= SIDEBAR_SIZE else self.month or self.week)[:SIDEBAR_SIZE]


def make_audience(
    published: Mapping[str, Article],
    categories: list[str],
    ratings: RatingsSnapshot | None,
    most_read: MostRead | None,
    counter_since: date | None,
) -> Audience:
    by_url = {a.url: a for a in published.values()}
    figures = page_figures(ratings or RatingsSnapshot(), {url: a.old_rating for url, a in by_url.items()})
    rated = [(by_url[url], f) for url, f in figures.items() if f.count]
    per_category: dict[str, Figures] = {}
    for article, f in rated:
        per_category[article.category.name] = per_category.get(article.category.name, Figures()) + f
    ranked = sorted(rated, key=lambda item: (-item[1].average, -item[1].count, item[0].url))
    return Audience(
        figures=figures,
        by_month=tuple(
            (f"{month[5:]}/{month[:4]}", f) for month, f in (ratings or RatingsSnapshot()).by_month(by_url).items()
        ),
        by_category=tuple((name, per_category[name]) for name in categories if name in per_category),
        highest=tuple(ranked[:EXTREMES]),
        lowest=tuple(sorted(rated, key=lambda item: (item[1].average, -item[1].count, item[0].url))[:EXTREMES]),
        week=_articles(most_read, "week", by_url),
        month=_articles(most_read, "month", by_url),
        old_site=_old_site(published, counter_since),
    )


def _articles(
    most_read: MostRead | None, period: str, by_url: Mapping[str, Article]
) -> tuple[tuple[Article, int], ...]:
    if most_read is None:
        return ()
    return tuple((by_url[url], views) for url, views in most_read.top(period, by_url, PAGE_SIZE))


def _old_site(published: Mapping[str, Article], since: date | None) -> tuple[tuple[Article, int], ...]:
    """The old site's views, for the articles it published before the counter began."""
    old = [a for a in published.values() if a.old_hits and (since is None or a.date.date() < since)]
    old.sort(key=lambda a: (-a.old_hits, a.url))
    return tuple((a, a.old_hits) for a in old[:PAGE_SIZE])
