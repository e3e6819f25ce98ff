"""Every address a Joomla 3 site served for an article or a category, from its menu items and
category tree, as a path without `index.php/` or `.html` (`old_addresses.Forms` adds them, as
the old site's `configuration.php` says, when the mirror has it).

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

from ..old_addresses import Forms
from .schema import LEGACY, MODERN, MODERN_IDS, ROUTERS, Article, Category, JoomlaSite

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


def _forms(base: str, below: list[Category], catid: int, last: Article | None, routers: frozenset[str]) -> set[str]:
    """The forms of the routers the site used under one menu route (`base`, "" for the root)."""
    aliases = [c.alias for c in below]
    legacy = [*aliases]
    if legacy:
        legacy[0] = f"{catid}-{legacy[0]}"
    modern_ids = [f"{c.id}-{c.alias}" for c in below]
    if last is not None:
        legacy.append(f"{last.id}-{last.alias}")
        modern_ids.append(f"{last.id}-{last.alias}")
        aliases.append(last.alias)
    forms = {LEGACY: legacy, MODERN: aliases, MODERN_IDS: modern_ids}
    return {"/".join(s for s in (base, *forms[r]) if s) for r in routers if forms[r]}


def _routes(site: JoomlaSite, chain: list[Category], view: str, catid: int, last: Article | None) -> set[str]:
    """Under the menu item Joomla chose (the one of the nearest category above); with none,
    under the home page and `component/content/…`."""
    routers = site.routers or ROUTERS
    depth = {c.id: n for n, c in enumerate(chain)}
    covering = [m for m in site.menu if m.view == "category" and m.route and m.target in depth]
    nearest = max((depth[m.target] for m in covering), default=-1)
    found: set[str] = set()
    for item in covering:
        if depth[item.target] == nearest:
            below = chain[nearest + 1 :]
            found |= _forms(item.route, below, catid, last, routers) if below or last else {item.route}
    if found:
        return found
    found |= _forms("", chain, catid, last, routers)  # the home menu item's route is left out of addresses
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


def by_category(articles: Iterable[Article]) -> dict[int, list[Article]]:
    """Each category's articles in the order its blog and list pages showed them: newest first."""
    grouped: dict[int, list[Article]] = {}
    for article in sorted(articles, key=lambda a: (a.published or a.created or _EPOCH, a.id), reverse=True):
        grouped.setdefault(article.catid, []).append(article)
    return grouped


_SETTING = re.compile(r"public\s+\$(sef|sef_rewrite|sef_suffix)\s*=\s*'?(\d)'?\s*;")


def url_forms(configuration: str) -> tuple[bool, Forms] | None:
    """(SEF addresses on, their forms) from a Joomla `configuration.php`; None when it says
    nothing. Joomla answered "index.php/…" always and the form without only with rewriting on;
    "….html" only with the suffix on, and the form without as well."""
    found = dict(_SETTING.findall(configuration))
    if not found:
        return None
    prefixes = ("index.php/", "") if found.get("sef_rewrite") == "1" else ("index.php/",)
    html = (False, True) if found.get("sef_suffix") == "1" else (False,)
    return found.get("sef", "1") != "0", Forms(prefixes, html)
