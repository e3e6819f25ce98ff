"""Which articles are published, and where: one pass over the read articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .articles import TIMEZONE, Article
from .errors import ContentError


def now_in_vietnam() -> datetime:
    return datetime.now(TIMEZONE)


@dataclass
class Catalog:
    """Published articles keyed by source path, newest first, plus what is held back."""

    published: dict[str, Article] = field(default_factory=dict)
    held_back: set[str] = field(default_factory=set)  # drafts and scheduled articles
    errors: list[ContentError] = field(default_factory=list)

    def newest_first(self) -> list[Article]:
        return sorted(self.published.values(), key=lambda a: (a.date, a.src_path), reverse=True)


def build_catalog(articles: dict[str, Article], now: datetime, display_root: str = "docs") -> Catalog:
    """Split published from held-back articles and refuse two articles on one URL."""
    catalog = Catalog()
    owner_of_url: dict[str, str] = {}
    for src_path, article in articles.items():
        if not article.is_published(now):
            catalog.held_back.add(src_path)
            continue
        other = owner_of_url.get(article.url)
        if other is not None:
            first, second = sorted((other, src_path))
            catalog.errors.append(
                ContentError(
                    f"{display_root}/{second}", 1,
                    f'trùng địa chỉ /{article.url} với bài {display_root}/{first}. Hai bài không thể '
                    'cùng một đường dẫn; hãy thêm trường slug khác cho một trong hai bài, ví dụ '
                    f'slug: {article.slug}-2',
                )
            )
            continue
        owner_of_url[article.url] = src_path
        catalog.published[src_path] = article
    return catalog
