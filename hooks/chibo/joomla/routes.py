"""Every address a Joomla 3 site served for an article or a category, from its menu items and
category tree, as a path without `index.php/` or `.html` (`old_addresses.variants` adds them).

Joomla 3.10 built them with one of two routers. The legacy one (`sef_advanced_link` off, the
default): `<menu route>/<catid>-<first category alias below the menu's>/<more aliases>/<id>-<alias>`,
the category part left out when the menu item is the article's own category; with no
matching menu item the route is the home's (empty) or `component/content/article`. The
modern one: `<menu route>/<category aliases>/<alias>`, or with ids (`sef_ids`) every
segment as `<id>-<alias>`. An article's own menu item answers at its route alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from .schema import Article, Category, JoomlaSite

# a path segment that can be a folder name on GitHub Pages: no separators, no "." or ".."
_EPOCH = datetime(1970, 1, 1)
_SEGMENT = re.compile(r"[^\s/\\?#%<>\"'&|*:]+")


def _chain(categories: dict[int, Category], cid: int) -> list[Category]:
    """The category and its parents, from the top."""
    chain: list[Category] = []
    while (category := categories.get(cid)) is not None and category not in chain:
        chain.insert(0, category)
        cid = category.parent
    return chain


def _below(chain: list[Category], menu_category: int) -> list[Category] | None:
    """The categories of `chain` below the menu item's (None: the menu's is not among them)."""
    if menu_category == 0:
        return chain
    ids = [c.id for c in chain]
    return chain[ids.index(menu_category) + 1 :] if menu_category in ids else None


def _forms(base: str, below: list[Category], catid: int, last: Article | None) -> set[str]:
    """The legacy and both modern forms under one menu route (`base`, "" for the site's root)."""
    aliases = [c.alias for c in below]
    legacy = [*aliases]
    if legacy:
        legacy[0] = f"{catid}-{legacy[0]}"
    modern_ids = [f"{c.id}-{c.alias}" for c in below]
    if last is not None:
        legacy.append(f"{last.id}-{last.alias}")
        modern_ids.append(f"{last.id}-{last.alias}")
        aliases.append(last.alias)
    return {"/".join(s for s in (base, *segments) if s) for segments in (legacy, aliases, modern_ids) if segments}


def _routes(site: JoomlaSite, chain: list[Category], view: str, catid: int, last: Article | None) -> set[str]:
    found: set[str] = set()
    for item in site.menu:
        if item.view == "category" and item.route and (below := _below(chain, item.target)) is not None:
            found |= _forms(item.route, below, catid, last) if below or last else {item.route}
    found |= _forms("", chain, catid, last)  # the home menu item's route is left out of addresses
    legacy = [c.alias for c in chain]
    if legacy:
        legacy[0] = f"{catid}-{legacy[0]}"
    tail = [f"{last.id}-{last.alias}"] if last is not None else []
    found.add("/".join(["component/content", view, *legacy, *tail]))
    if last is not None:
        found.add(f"component/content/article/{last.id}-{last.alias}")
    return found


def article_routes(site: JoomlaSite, article: Article) -> set[str]:
    chain = _chain(site.categories, article.catid)
    found = _routes(site, chain, "article", article.catid, article)
    found |= {m.route for m in site.menu if m.view == "article" and m.target == article.id and m.route}
    return {r for r in found if usable(r)}


def category_routes(site: JoomlaSite, category: Category) -> set[str]:
    chain = _chain(site.categories, category.id)
    found = _routes(site, chain, "category", category.id, None)
    return {r for r in found if usable(r)}


def usable(route: str) -> bool:
    """Whether a route can be a folder of the site: segments of path characters only."""
    segments = route.split("/")
    return bool(route) and all(_SEGMENT.fullmatch(s) and s not in (".", "..") for s in segments)


def category_articles(site: JoomlaSite, cid: int, articles: Iterable[Article]) -> list[Article]:
    """A category's articles in the order its blog and list pages showed them: newest first."""
    own = [a for a in articles if a.catid == cid]
    return sorted(own, key=lambda a: (a.published or a.created or _EPOCH, a.id), reverse=True)
