"""Writers: the pages the portal writes itself (articles and listings), its feeds, sitemap and
search index, each through `Output`, so that only what changed is written.

A page is skipped without rendering when its fingerprint (the shell it is filled into and the
inputs of its own parts) is the one last written; its parts come from `PartsCache` when another
build made them; otherwise they are rendered and kept there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any, Protocol

from .addresses import DOCUMENTS
from .articles import article_body
from .audience import Audience
from .bodies import BodyConverter
from .config import Category
from .feeds import FEED_SIZE, absolute, rss, sitemap
from .library import DATA_FILE, FEED, registry_data
from .listings import Listing
from .outputs import Output, PartsCache, Written, fingerprint
from .pages import (
    PageStub,
    SiteFacts,
    article_key,
    article_parts,
    document_key,
    document_parts,
    document_preview,
    listing_key,
    listing_slots,
    registry_key,
)
from .photos import PhotoOutput, ShownPhoto
from .plan import SitePlan
from .sanitise import located
from .shell import Shell
from .source import markdown_body
from .workers import run_forked, working_on


class Templates(Protocol):
    """What the writers need of the theme (the hook provides it from MkDocs)."""

    def shell(self, depth: int, article: bool) -> tuple[Shell, dict[str, Any]]: ...
    def render(self, name: str, context: dict[str, Any]) -> str: ...
    def toc(self, tokens: list[Any]) -> Any: ...


@dataclass
class Job:
    """Everything a writer needs for one build."""

    plan: SitePlan
    photos: PhotoOutput
    featured: Mapping[str, ShownPhoto]
    site: SiteFacts
    templates: Templates
    bodies: BodyConverter
    docs_dir: str
    parts: PartsCache
    output: Output
    audience: Audience | None = None  # readers' figures (None: no counter)
    card_keys: Mapping[str, str] = field(default_factory=dict)  # article -> key of how other pages show it


@dataclass
class Report:
    done: Written = field(default_factory=Written)
    keys: set[str] = field(default_factory=set)  # parts used, to keep in the cache
    unresolved: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article -> links to no file
    removed: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)  # article -> (line, what was dropped)
    rendered: int = 0


def _shell_id(shell: Shell) -> str:
    return fingerprint(shell.parts, shell.names)


def write_articles(job: Job, paths: list[str]) -> Report:
    """Every article of `paths` (one worker's share)."""
    report = Report()
    output = job.output
    before, output.done = output.done, report.done
    published = job.plan.catalog.published
    shell, base = job.templates.shell(4, True)
    shell_id = _shell_id(shell)
    for src_path in paths:
        working_on(f"docs/{src_path}")
        article = published[src_path]
        # without a featured image, the body's first photo is the one to fetch first
        eager = src_path not in job.featured
        body_key = job.bodies.key(src_path, article.content_hash, article.links + article.images, article.url, eager)
        rating = job.audience.figures.get(article.url) if job.audience is not None else None
        key = article_key(article, body_key, job.plan, job.photos, job.card_keys, job.site, rating)
        report.keys.add(key)
        page_key = fingerprint(shell_id, key)
        if output.fresh(article.dest_path, page_key):
            continue
        parts = job.parts.get(key)
        if parts is None:
            with open(os.path.join(job.docs_dir, src_path), "rb") as f:
                raw = f.read()
            body = job.bodies.convert(src_path, article.url, article_body(raw, article), eager)
            toc = job.templates.toc(body.toc)
            parts = article_parts(
                base, article, body, toc, job.plan, job.photos, job.featured, job.site, job.templates.render, rating
            )
            notes = located(raw.decode("utf-8-sig", "replace"), list(body.removed)) if body.removed else []
            parts["removed"] = "\n".join(f"{line}\t{message}" for line, message in notes)
            job.parts.put(key, parts)
            report.rendered += 1
        if parts["unresolved"]:
            report.unresolved[src_path] = tuple(parts["unresolved"].split("\n"))
        if parts.get("removed"):
            report.removed[src_path] = tuple(
                (int(line), message) for line, _, message in (n.partition("\t") for n in parts["removed"].split("\n"))
            )
        output.write(article.dest_path, shell.fill(parts), page_key)
    output.done = before
    job.parts.flush()
    return report


def write_listings(
    job: Job,
    urls: list[str],
    listings: Mapping[str, Listing] | None = None,
    key_of: Callable[[Listing], str] | None = None,
) -> Report:
    """The listing pages of `urls` that MkDocs does not render: of the plan's `listings` by
    default (keyed by `listing_key`), or of others with their own key (the library's registry)."""
    report = Report()
    output = job.output
    listings = job.plan.listings if listings is None else listings
    key_of = key_of or (lambda listing: listing_key(listing, job.card_keys, job.site))
    before, output.done = output.done, report.done
    shells: dict[int, tuple[Shell, dict[str, Any], str]] = {}
    for url in urls:
        working_on(f"/{url}")
        listing = listings[url]
        depth = url.count("/")
        if depth not in shells:
            shell, base = job.templates.shell(depth, False)
            shells[depth] = (shell, base, _shell_id(shell))
        shell, base, shell_id = shells[depth]
        key = key_of(listing)
        report.keys.add(key)
        page_key = fingerprint(shell_id, key)
        path = f"{url}index.html"
        if output.fresh(path, page_key):
            continue
        parts = job.parts.get(key)
        if parts is None:
            title = listing.title
            canonical = absolute(job.site.site_url, url)
            context = dict(base, page=PageStub(url, escape(title), "", canonical))
            parts = listing_slots(listing, context, job.site.site_url, job.templates.render)
            parts.update(title=escape(title), description="", canonical=canonical)
            job.parts.put(key, parts)
            report.rendered += 1
        output.write(path, shell.fill(parts), page_key)
    output.done = before
    job.parts.flush()
    return report


def _merged(job: Job, reports: list[Report]) -> Report:
    """Workers' reports as one, their written files added to the output's."""
    total = Report()
    for report in reports:
        total.keys |= report.keys
        total.unresolved.update(report.unresolved)
        total.removed.update(report.removed)
        total.rendered += report.rendered
        job.output.add(report.done)
    return total


def write_pages(job: Job, workers: int) -> Report:
    """Articles and listings, over `workers` forked processes on a build."""
    parts: list[Report] = []
    parts += run_forked(lambda share: write_articles(job, share), _by_category(job.plan), workers, runs=True)
    urls = [url for url in job.plan.listings if url not in job.plan.in_menu]
    parts += run_forked(lambda share: write_listings(job, share), urls, workers)
    return _merged(job, parts)


def _by_category(plan: SitePlan) -> list[str]:
    """The published articles, category by category (the index's categories hold each of them
    once): an article's related ones are in its own category, so a worker given a run of them
    renders most of their cards for itself."""
    return [a.src_path for group in plan.index.categories.values() for a in group.articles]


def write_feeds(job: Job, site_description: str, categories: list[Any]) -> None:
    """The site's feed and each category's (skipped when what they list did not change), and the sitemap."""
    plan, site, output = job.plan, job.site, job.output
    shares = job.photos.shares

    def feed(path: str, title: str, link: str, description: str, articles: list[Any]) -> None:
        items = articles[:FEED_SIZE]
        key = fingerprint(
            site.key,
            path,
            title,
            description,
            [(job.card_keys[a.src_path], a.author, shares.get(a.src_path)) for a in items],
        )
        if not output.fresh(path, key):
            output.write(path, rss(site.site_url, title, link, path, description, items, shares), key)

    feed("feed.xml", site.site_name, "", site_description or site.site_name, plan.index.newest)
    for category in categories:
        group = plan.index.categories[category.slug]
        feed(
            f"{category.url}feed.xml",
            f"{category.name} – {site.site_name}",
            category.url,
            category.name,
            group.articles,
        )
    output.write("sitemap.xml", sitemap(site.site_url, plan.sitemap))


def write_library(job: Job, workers: int) -> Report:
    """The document library's pages (each document, the registry's pages MkDocs does not render),
    its first-page images, the registry's data for its filters and its feed."""
    library = job.plan.library
    if library is None:
        return Report()
    parts: list[Report] = []
    if library.newest:  # an empty library has one page, the registry's first, which MkDocs renders
        parts += run_forked(lambda share: _write_documents(job, share), list(library.documents), workers)
        urls = [url for url in library.listings if url != DOCUMENTS]
        parts += [write_listings(job, urls, library.listings, lambda page: registry_key(page, library, job.site))]
    total = _merged(job, parts)
    for document in library.newest:
        preview = document_preview(document, library, job.site.site_url)
        if preview is not None:
            job.output.write(preview.image, library.attachments[preview.path].preview)
    job.output.write(DATA_FILE, registry_data(library))
    items = [_FeedDocument(d) for d in library.newest[:FEED_SIZE]]
    job.output.write(
        FEED, rss(job.site.site_url, f"Văn bản – {job.site.site_name}", DOCUMENTS, FEED, "Văn bản mới", items)
    )
    return total


def _write_documents(job: Job, paths: list[str]) -> Report:
    report = Report()
    output, library = job.output, job.plan.library
    assert library is not None  # write_library's caller checked
    before, output.done = output.done, report.done
    shell, base = job.templates.shell(3, True)
    shell_id = _shell_id(shell)
    for src_path in paths:
        working_on(f"docs/{src_path}")
        document = library.documents[src_path]
        body_key = job.bodies.key(src_path, document.content_hash, document.links, document.url, False)
        key = document_key(document, library, body_key, job.card_keys, job.site)
        report.keys.add(key)
        page_key = fingerprint(shell_id, key)
        if output.fresh(document.dest_path, page_key):
            continue
        parts = job.parts.get(key)
        if parts is None:
            body = None
            if document.has_body:
                with open(os.path.join(job.docs_dir, src_path), "rb") as f:
                    text = f.read().decode("utf-8-sig")
                body = job.bodies.convert(src_path, document.url, markdown_body(text), False)
            parts = document_parts(base, document, library, body, job.site, job.templates.render)
            job.parts.put(key, parts)
            report.rendered += 1
        if parts["unresolved"]:
            report.unresolved[src_path] = tuple(parts["unresolved"].split("\n"))
        output.write(document.dest_path, shell.fill(parts), page_key)
    output.done = before
    job.parts.flush()
    return report


@dataclass(frozen=True)
class _FeedDocument:
    """A document as the feed lists it."""

    document: Any

    def __getattr__(self, name: str) -> Any:
        document = self.document
        shown = {
            "title": f"{document.heading}: {document.title or document.summary}",
            "category": _LIBRARY,
            "author": document.signer,
        }
        return shown[name] if name in shown else getattr(document, name)


_LIBRARY = Category("Văn bản", "van-ban")
