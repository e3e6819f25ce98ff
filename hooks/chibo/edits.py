"""A preview's shortcuts: what a saved article's change reaches, and the plan that follows.

Most saves in a preview change an article's body and nothing else: no title, date, summary,
photo or link, so no other page of the site shows anything new. For those, the plan of the
last build is still right but for the articles themselves and their search records, and
`with_bodies` makes that plan without reading or planning the rest of the site again (a body
that now names another document by number gets None).

Other changes to articles (a title, a date, a category) need a new plan, but often leave
MkDocs' own files alone: the same generated pages, the same files withheld, the same photos
in ordinary pages. `same_site_files` says whether two plans agree on those; then the portal
writes the new build itself, as after a rebuild. Otherwise the preview builds the whole
site, as a publishing build does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .articles import Article
from .library import Library, find_mentions
from .photos import PhotoOutput
from .plan import SitePlan
from .search import article_record


def body_only(old: Article, new: Article) -> bool:
    """Whether `new` differs from `old` only in its body's text (`links` and `images`, which
    decide what else is published, and `summary`, which listings show, are compared too)."""
    return replace(new, text=old.text, content_hash=old.content_hash) == old


def with_bodies(plan: SitePlan, saved: Mapping[str, Article], link_mentions: bool) -> SitePlan | None:
    """`plan` with the saved articles' new versions (by source path), or None when any change
    shows on another page than the article's own."""
    published = plan.catalog.published
    library = plan.library
    for src, article in saved.items():
        old = published.get(src)
        if old is None or not body_only(old, article):
            return None
        if library is not None and link_mentions and _names_others(library, article):
            return None  # a document's page lists the articles that name it
    by_url = {article.url: article for article in saved.values()}
    records = tuple(article_record(by_url[r.url]) if r.url in by_url else r for r in plan.search_records)
    catalog = replace(plan.catalog, published={**published, **saved})  # same keys: the order stays
    return replace(plan, catalog=catalog, search_records=records)


def _names_others(library: Library, article: Article) -> bool:
    """Whether the article's new text names other documents by number than the plan says it does."""
    if not library.newest:
        return False
    found = find_mentions(library.newest, [article])[0].get(article.src_path, ())
    return found != library.mentions.get(article.src_path, ())


def same_site_files(old: tuple[SitePlan, PhotoOutput], new: tuple[SitePlan, PhotoOutput]) -> bool:
    """Whether MkDocs' files and their contents are the same under both plans and photos: the
    generated pages, the files withheld, the photos that ordinary pages show, the originals
    published as files and the site's share image."""
    (old_plan, old_photos), (new_plan, new_photos) = old, new
    return (
        old_plan.generated == new_plan.generated
        and old_plan.dropped == new_plan.dropped
        and old_photos.pictures == new_photos.pictures
        and old_photos.originals == new_photos.originals
        and old_photos.site_share == new_photos.site_share
    )
