"""What each page the portal writes shows: its template context, and the fingerprint of exactly
those inputs (what decides whether the page must be written again)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .articles import Article
from .bodies import Body
from .feeds import absolute, legislation_jsonld, news_article_jsonld
from .library import type_url
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


CardKeys = tuple[Mapping[str, Article], Mapping[str, ShownPhoto], Mapping[str, str]]
"""A build's articles, featured photos and card keys, by source path."""


def card_keys(plan: SitePlan, featured: Mapping[str, ShownPhoto], last: CardKeys | None = None) -> dict[str, str]:
    """Each published article's `card_view`, as a short key: made once per build. `last`: an
    earlier build of the same process, whose key holds for the very same article object with
    the same featured photo (a preview's saved article leaves the others' objects alone)."""
    articles, photos, keys = last or ({}, {}, {})
    return {
        src: keys[src]
        if articles.get(src) is a and photos.get(src) == featured.get(src)
        else fingerprint(card_view(a, featured))
        for src, a in plan.catalog.published.items()
    }


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
        listing.total,  # with the address and number, these decide the pager (`listing.pages`)
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
    content = "registry-content.html" if listing.kind == "documents" else "listing-content.html"
    return {
        "head": render("partials/portal/listing-head.html", context),
        "content": render(f"partials/portal/{content}", context),
        "toc": "",
    }


@dataclass(frozen=True)
class Preview:
    """A document's first page shown as an image (of its first PDF)."""

    path: str  # the PDF, relative to the site
    image: str  # the image, relative to the site
    width: int
    height: int
    absolute: str


def document_preview(document: Any, library: Any, site_url: str) -> Preview | None:
    for path in document.files:
        attachment = library.attachments.get(path)
        if attachment is not None and attachment.preview:
            image = f"{document.url}trang-dau.jpg"
            width, height = attachment.preview_size
            return Preview(path, image, width, height, absolute(site_url, image))
    return None


def document_row(document: Any, library: Any) -> tuple[object, ...]:
    """A document as other pages show it (the registry, related lists)."""
    files = tuple((p, library.attachments[p].format, library.attachments[p].size) for p in document.files)
    return (
        document.url,
        document.number,
        document.type,
        document.issuer,
        document.issued,
        document.summary,
        document.title,
        library.status[document.src_path].label,
        files,
    )


def document_key(document: Any, library: Any, body_key: str, card_keys: Mapping[str, str], site: SiteFacts) -> str:
    """Everything a document's page shows: its file (by hash, in the body's key), its attached
    files (by hash), its status and what it replaces, its neighbours of the same type, the
    articles that mention it."""
    status = library.status[document.src_path]
    return fingerprint(
        site.key,
        body_key,
        document_row(document, library),
        [library.attachments[p].digest for p in document.files],
        document_row(status.replaced_by, library) if status.replaced_by else None,
        [document_row(d, library) for d in library.replaced.get(document.src_path, ())],
        [document_row(d, library) for d in library.same_type.get(document.src_path, ())],
        [card_keys[a.src_path] for a in library.mentioned_in.get(document.src_path, ())],
    )


def document_parts(
    base: dict[str, Any], document: Any, library: Any, body: Body | None, site: SiteFacts, render: Any
) -> dict[str, str]:
    """A document page's own parts, to fill its shell with."""
    canonical = absolute(site.site_url, document.url)
    title = html.escape(f"{document.heading}: {document.title or document.summary}")
    description = html.escape(document.summary)
    preview = document_preview(document, library, site.site_url)
    context = dict(
        base,
        page=PageStub(document.url, title, description, canonical),
        document=document,
        canonical=canonical,
        type_url=type_url(document.type),
        files=[library.attachments[p] for p in document.files],
        preview=preview,
        body=body.html if body is not None else "",
        replaced=library.replaced.get(document.src_path, ()),
        same_type=library.same_type.get(document.src_path, ()),
        mentioned_in=library.mentioned_in.get(document.src_path, ()),
        jsonld=legislation_jsonld(document, site.site_url, preview.absolute if preview else None),
    )
    return {
        "title": title,
        "description": description,
        "canonical": canonical,
        "head": render("partials/portal/document-head.html", context),
        "content": render("partials/portal/document-content.html", context),
        "toc": "",
        "unresolved": "\n".join(body.unresolved) if body is not None else "",
    }


def registry_key(listing: Listing, library: Any, site: SiteFacts) -> str:
    """A registry page: its pager, its rows, and the filters' choices it offers."""
    return fingerprint(
        site.key,
        listing.url,
        listing.title,
        listing.number,
        listing.total,
        listing.pages,
        [document_row(d, library) for d in listing.items],
        library.types,
        library.years,
        library.issuers,
        library.subjects,
        library.category,
    )
