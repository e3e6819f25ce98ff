"""What each page the portal writes shows: its template context, and the fingerprint of exactly
those inputs (what decides whether the page must be written again)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .articles import Article
from .bodies import Body
from .feeds import absolute, news_article_jsonld
from .listings import Listing
from .outputs import fingerprint
from .photos import PhotoOutput, ShownPhoto, share_alt
from .plan import SitePlan
from .ratings import Figures
from .shell import fix_markup


class PageStub:
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


@dataclass(frozen=True)
class SiteFacts:
    """What every page of one build shares: the settings, and a key of them and of the templates."""

    site_url: str
    site_name: str
    logo: str  # absolute URL
    key: str


def card_view(article: Article, featured: Mapping[str, ShownPhoto]) -> tuple[object, ...]:
    """An article as other pages show it (cards, related lists, pagers)."""
    return (
        article.url,
        article.title,
        article.date,
        article.has_time,
        article.category,
        article.summary,
        featured.get(article.src_path),
    )


def card_keys(plan: SitePlan, featured: Mapping[str, ShownPhoto]) -> dict[str, str]:
    """Each published article's `card_view`, as a short key: made once per build."""
    return {src: fingerprint(card_view(a, featured)) for src, a in plan.catalog.published.items()}


def article_key(
    article: Article,
    body_key: str,
    plan: SitePlan,
    photos: PhotoOutput,
    card_keys: Mapping[str, str],
    site: SiteFacts,
    rating: Figures | None = None,
) -> str:
    """Everything the article's own parts show: its file (front matter and body, by hash; the
    body's key holds that hash), its featured and share images, its related and neighbouring articles."""
    index = plan.index
    newer, older = index.newer(article), index.older(article)
    return fingerprint(
        site.key,
        body_key,
        card_keys[article.src_path],
        photos.shares.get(article.src_path, photos.site_share),
        [card_keys[a.src_path] for a in index.related(article)],
        card_keys[newer.src_path] if newer else None,
        card_keys[older.src_path] if older else None,
        rating,
    )


def article_parts(
    base: dict[str, Any],
    article: Article,
    body: Body,
    toc: Any,
    plan: SitePlan,
    photos: PhotoOutput,
    featured: Mapping[str, ShownPhoto],
    site: SiteFacts,
    render: Any,
    rating: Figures | None = None,
) -> dict[str, str]:
    """The article page's own parts, to fill the article shell with."""
    canonical = absolute(site.site_url, article.url)
    title = html.escape(article.title)
    description = html.escape(article.summary)
    page = PageStub(article.url, title, description, canonical)
    page.toc = toc
    share = photos.shares.get(article.src_path, photos.site_share)
    context = dict(
        base,
        page=page,
        article=article,
        body=body.html,
        canonical=canonical,
        article_image=featured.get(article.src_path),
        share_image=absolute(site.site_url, share) if share else "",
        share_alt=share_alt(article),
        gallery='class="portal-gallery"' in body.html,
        related=plan.index.related(article),
        newer=plan.index.newer(article),
        older=plan.index.older(article),
        jsonld=news_article_jsonld(article, site.site_url, site.site_name, share, site.logo),
        rating=rating,
        rating_page=article.url,
    )
    return {
        "title": title,
        "description": description,
        "canonical": canonical,
        "head": render("partials/portal/article-head.html", context),
        "content": render("partials/portal/article-content.html", context),
        # the shell's markup was fixed once; the table of contents is the one part to fix here
        "toc": fix_markup(render("partials/toc.html", context)) if body.toc else "",
        "unresolved": "\n".join(body.unresolved),
    }


def listing_key(listing: Listing, card_keys: Mapping[str, str], site: SiteFacts) -> str:
    return fingerprint(
        site.key,
        listing.url,
        listing.title,
        listing.kind,
        listing.number,
        listing.total,
        listing.pages,
        listing.prev_url,
        listing.next_url,
        listing.feed_url,
        listing.entries,
        listing.empty_message,
        listing.lastmod,
        [card_keys[a.src_path] for a in listing.items],
    )


def listing_slots(listing: Listing, context: dict[str, Any], site_url: str, render: Any) -> dict[str, str]:
    """A listing page's own parts (head and content), for its shell or for MkDocs' page."""
    context = dict(context, listing=listing, canonical=absolute(site_url, listing.url))
    return {
        "head": render("partials/portal/listing-head.html", context),
        "content": render("partials/portal/listing-content.html", context),
        "toc": "",
    }
