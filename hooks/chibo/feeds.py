"""Machine-readable outputs: RSS 2.0 feeds, the sitemap and link-preview metadata."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from .articles import Article

FEED_SIZE = 30


def absolute(site_url: str, path: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    if path and path[0] not in "/.?#" and "://" not in path and "/." not in path:
        return base + path  # what urljoin gives for a plain relative path, at a fraction of its cost
    return urljoin(base, path)


def rss(
    site_url: str,
    title: str,
    link_path: str,
    self_path: str,
    description: str,
    articles: Iterable[Any],  # Article, or anything that reads like one (the library's feed)
    images: dict[str, str] | None = None,
) -> str:
    """An RSS 2.0 document: full titles, summaries, absolute links, dates in +0700."""
    images = images or {}
    items = list(articles)[:FEED_SIZE]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(absolute(site_url, link_path))}</link>",
        f'<atom:link href="{escape(absolute(site_url, self_path))}" rel="self" type="application/rss+xml"/>',
        f"<description>{escape(description)}</description>",
        "<language>vi</language>",
    ]
    if items:
        out.append(f"<lastBuildDate>{format_datetime(items[0].date)}</lastBuildDate>")
    for article in items:
        link = escape(absolute(site_url, article.url))
        out += [
            "<item>",
            f"<title>{escape(article.title)}</title>",
            f"<link>{link}</link>",
            f'<guid isPermaLink="true">{link}</guid>',
            f"<pubDate>{format_datetime(article.date)}</pubDate>",
            f"<category>{escape(article.category.name)}</category>",
            f"<description>{escape(article.summary)}</description>",
        ]
        if article.author:  # RSS <author> wants an e-mail address; a byline is dc:creator
            out.append(f"<dc:creator>{escape(article.author)}</dc:creator>")
        if image := images.get(article.src_path):
            out.append(f'<enclosure url="{escape(absolute(site_url, image))}" length="0" type="{_mime(image)}"/>')
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def _mime(path: str) -> str:
    ext = path.rsplit(".", 1)[-1].lower()
    return {
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "webp": "image/webp",
        "gif": "image/gif",
    }.get(ext, "application/octet-stream")


@dataclass(frozen=True)
class SitemapEntry:
    path: str
    lastmod: datetime | None


def sitemap(site_url: str, entries: Iterable[SitemapEntry]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for entry in entries:
        out.append(f"<url><loc>{escape(absolute(site_url, entry.path))}</loc>")
        if entry.lastmod:
            out.append(f"<lastmod>{entry.lastmod.isoformat(timespec='seconds')}</lastmod>")
        out.append("</url>")
    out += ["</urlset>", ""]
    return "\n".join(out)


def news_article_jsonld(article: Article, site_url: str, site_name: str, image: str | None, logo: str) -> str:
    """JSON-LD NewsArticle, safe to place inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.isoformat(timespec="seconds"),
        "dateModified": article.date.isoformat(timespec="seconds"),
        "mainEntityOfPage": absolute(site_url, article.url),
        "articleSection": article.category.name,
        "description": article.summary,
        "inLanguage": "vi",
        "publisher": {"@type": "Organization", "name": site_name, "logo": {"@type": "ImageObject", "url": logo}},
    }
    # without a byline the organisation speaks for the article, as Google's guidelines allow
    data["author"] = (
        {"@type": "Person", "name": article.author}
        if article.author
        else {"@type": "Organization", "name": site_name, "url": site_url}
    )
    if image:
        data["image"] = [absolute(site_url, image)]
    if article.tags:
        data["keywords"] = list(article.tags)
    text = json.dumps(data, ensure_ascii=False)
    # "</script>" inside a title must not close the element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def legislation_jsonld(document: Any, site_url: str, image: str | None) -> str:
    """JSON-LD `Legislation` for a document's page (schema.org; identifier, dates, type, issuer)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": f"{document.heading}: {document.title or document.summary}",
        "legislationIdentifier": document.number,
        "legislationType": document.type,
        "legislationDate": document.issued.date().isoformat(),
        "legislationPassedBy": {"@type": "Organization", "name": document.issuer},
        "abstract": document.summary,
        "url": absolute(site_url, document.url),
        "inLanguage": "vi",
    }
    if document.effective:
        data["legislationDateVersion"] = document.effective.date().isoformat()
    if document.expires:
        data["expires"] = document.expires.date().isoformat()
    if image:
        data["image"] = image
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
