"""A Joomla 3 site's content, from its tables (Joomla 3.10's schema; any table prefix).

The prefix is found, not asked for: the one whose `_content` and `_categories` tables are in
the dump. Articles keep their authors when the user was deleted (no join drops them), and
the rating's `lastip` (personal data) is never read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .dump import Table, Value

Rows = Callable[[str], list[dict[str, Value]]]
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# the tables the import reads, by their name after the prefix
TABLES = (
    "content",
    "categories",
    "users",
    "tags",
    "contentitem_tag_map",
    "content_rating",
    "content_frontpage",
    "menu",
    "redirect_links",
    "vvisit_counter",
    "modules",
    "extensions",
)
# com_content's routers (its options "URL Routing" and "Remove IDs from URLs")
LEGACY, MODERN, MODERN_IDS = "legacy", "modern", "modern-ids"
ROUTERS = frozenset({LEGACY, MODERN, MODERN_IDS})
READ_MORE = re.compile(r"<hr\s+id=[\"']system-readmore[\"']\s*/?>", re.I)
PUBLISHED, UNPUBLISHED, ARCHIVED, TRASHED = 1, 0, 2, -2
PUBLIC = 1


class NotJoomla(ValueError):
    """The tables are not a Joomla 3 site's: said in Vietnamese."""


def wanted(name: str) -> bool:
    """Whether a table of the dump is one the import reads (whatever its prefix)."""
    return any(name.endswith(f"_{t}") for t in TABLES)


@dataclass(frozen=True)
class Category:
    id: int
    title: str
    alias: str
    path: str  # "tin-tuc/hoat-dong": the aliases from the top
    parent: int
    published: bool
    public: bool
    titles: str = ""  # "Tin tức/Hoạt động": the titles from the top (what --category-map names)


@dataclass(frozen=True)
class Article:
    id: int
    title: str
    alias: str
    introtext: str
    fulltext: str
    state: int
    catid: int
    created: datetime | None  # Vietnam time
    published: datetime | None
    author: str
    images: Mapping[str, str]
    metadesc: str
    access: int
    hits: int
    featured: bool
    tags: tuple[str, ...] = ()
    rating: tuple[int, int] | None = None  # (sum, count)


@dataclass(frozen=True)
class MenuItem:
    id: int
    route: str  # `path` in #__menu: what SEF addresses start with
    view: str  # article, category, featured, …
    target: int  # the article's or category's id (0: none)
    home: bool


@dataclass
class JoomlaSite:
    prefix: str
    articles: dict[int, Article]
    categories: dict[int, Category]
    menu: list[MenuItem]
    redirects: list[tuple[str, str]]  # (old address, new address) of #__redirect_links
    visits: int | None = None  # Vinaora's total (SUM(visits) + the module's initial value)
    visits_date: datetime | None = None  # the counter's last recorded hour
    routers: frozenset[str] = frozenset()  # the router com_content used (empty: not known, all of them)
    notes: list[str] = field(default_factory=list)  # what the reader wants the user to know


def find_prefix(names: list[str]) -> str:
    """`abc12_` or `jos_`: the prefix whose content and categories tables are present (the
    one with the most tables when a database holds several sites)."""
    found: dict[str, int] = {}
    for name in names:
        for suffix in TABLES:
            if name.endswith(f"_{suffix}"):
                prefix = name[: -len(suffix)]
                found[prefix] = found.get(prefix, 0) + 1
    usable = [p for p in found if f"{p}content" in names and f"{p}categories" in names]
    if not usable:
        raise NotJoomla(
            "không thấy bảng bài viết của Joomla (…_content và …_categories): hãy xuất cả cơ sở dữ liệu của trang cũ"
        )
    return max(usable, key=lambda p: (found[p], p))


def _text(value: Value) -> str:
    return "" if value is None else str(value)


def _int(value: Value) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def moment(value: Value) -> datetime | None:
    """A Joomla date (UTC, "0000-00-00 00:00:00" for none) in Vietnam time."""
    text = _text(value)
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone(VIETNAM).replace(tzinfo=None)
    except ValueError:
        return None


def _images(value: Value) -> dict[str, str]:
    try:
        data = json.loads(_text(value) or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str | int)} if isinstance(data, dict) else {}


def _categories(table: Table) -> dict[int, Category]:
    rows = {_int(r["id"]): r for r in table.rows if _text(r.get("extension")) in ("com_content", "")}
    titles: dict[int, str] = {}

    def title_path(cid: int, seen: frozenset[int] = frozenset()) -> str:
        if cid in titles:
            return titles[cid]
        row = rows.get(cid)
        if row is None or cid in seen or _text(row.get("alias")) == "root":
            return ""
        parent = title_path(_int(row.get("parent_id")), seen | {cid})
        titles[cid] = f"{parent}/{_text(row['title'])}" if parent else _text(row["title"])
        return titles[cid]

    return {
        cid: Category(
            id=cid,
            title=_text(r["title"]),
            alias=_text(r["alias"]),
            path=_text(r.get("path")) or _text(r["alias"]),
            parent=_int(r.get("parent_id")),
            published=_int(r.get("published")) == PUBLISHED,
            public=_int(r.get("access")) == PUBLIC,
            titles=title_path(cid),
        )
        for cid, r in rows.items()
        if _text(r.get("alias")) != "root"
    }


def _menu(table: Table | None) -> list[MenuItem]:
    items = []
    for r in table.rows if table else []:
        link = _text(r.get("link"))
        if _int(r.get("client_id")) != 0 or _int(r.get("published")) != PUBLISHED or "option=com_content" not in link:
            continue
        view = re.search(r"[?&]view=(\w+)", link)
        target = re.search(r"[?&]id=(\d+)", link)
        items.append(
            MenuItem(
                id=_int(r["id"]),
                route=_text(r.get("path")).strip("/"),
                view=view.group(1) if view else "",
                target=int(target.group(1)) if target else 0,
                home=_int(r.get("home")) == 1,
            )
        )
    return items


def _tags(rows: Rows) -> dict[int, list[str]]:
    tags = {_int(r["id"]): _text(r["title"]) for r in rows("tags")}
    tags_of: dict[int, list[str]] = {}
    for r in rows("contentitem_tag_map"):
        if _text(r.get("type_alias")) == "com_content.article" and _int(r.get("tag_id")) in tags:
            tags_of.setdefault(_int(r["content_item_id"]), []).append(tags[_int(r["tag_id"])])
    return tags_of


def _article(r: Mapping[str, Value], users: Mapping[int, str], tags: list[str], rating: tuple[int, int] | None,
             featured: bool) -> Article:  # fmt: skip
    author = _text(r.get("created_by_alias")).strip() or users.get(_int(r.get("created_by")), "")
    return Article(
        id=_int(r["id"]),
        title=_text(r["title"]),
        alias=_text(r["alias"]),
        introtext=_text(r.get("introtext")),
        fulltext=_text(r.get("fulltext")),
        state=_int(r.get("state")),
        catid=_int(r.get("catid")),
        created=moment(r.get("created")),
        published=moment(r.get("publish_up")),
        author=author,
        images=_images(r.get("images")),
        metadesc=_text(r.get("metadesc")).strip(),
        access=_int(r.get("access")),
        hits=max(_int(r.get("hits")), 0),
        featured=featured,
        tags=tuple(tags),
        rating=rating,
    )


def _counter(table: Callable[[str], Table | None], rows: Rows) -> tuple[int | None, datetime | None]:
    """Vinaora Visitors Counter: SUM(visits) plus its module's `initialvalue`."""
    log = table("vvisit_counter")
    if log is None:
        return None, None
    visits = sum(_int(r.get("visits")) for r in log.rows)
    last = max((_int(r.get("time")) for r in log.rows), default=0)
    for r in rows("modules"):
        if _text(r.get("module")) == "mod_vvisit_counter":
            try:
                params = json.loads(_text(r.get("params")) or "{}")
            except ValueError:
                params = {}
            visits += _int(params.get("initialvalue")) if isinstance(params, dict) else 0
            break
    when = datetime.fromtimestamp(last, UTC).astimezone(VIETNAM).replace(tzinfo=None) if last else None
    return visits, when


def _routers(rows: Rows) -> frozenset[str]:
    """The router of com_content's options (`sef_advanced`: 0 legacy, 1 modern; `sef_ids`)."""
    for r in rows("extensions"):
        if _text(r.get("element")) == "com_content" and _text(r.get("type")) == "component":
            try:
                params = json.loads(_text(r.get("params")) or "{}")
            except ValueError:
                return frozenset()
            if not isinstance(params, dict) or "sef_advanced" not in params:
                return frozenset()
            if str(params["sef_advanced"]) != "1":
                return frozenset({LEGACY})
            return frozenset({MODERN_IDS if str(params.get("sef_ids", "0")) == "1" else MODERN})
    return frozenset()


def make_site(tables: Mapping[str, Table]) -> JoomlaSite:
    prefix = find_prefix(list(tables))

    def table(name: str) -> Table | None:
        return tables.get(f"{prefix}{name}")

    def rows(name: str) -> list[dict[str, Value]]:
        found = table(name)
        return found.rows if found is not None else []

    users = {_int(r["id"]): _text(r["name"]) for r in rows("users")}
    ratings = {
        _int(r["content_id"]): (_int(r.get("rating_sum")), _int(r.get("rating_count")))
        for r in rows("content_rating")
        if _int(r.get("rating_count")) > 0
    }
    frontpage = {_int(r["content_id"]) for r in rows("content_frontpage")}
    tags = _tags(rows)
    content = table("content")
    assert content is not None  # find_prefix saw it
    articles = {}
    for r in content.rows:
        aid = _int(r["id"])
        featured = _int(r.get("featured")) == 1 or aid in frontpage
        articles[aid] = _article(r, users, tags.get(aid, []), ratings.get(aid), featured)
    categories_table = table("categories")
    assert categories_table is not None
    redirects = [
        (_text(r.get("old_url")), _text(r.get("new_url")))
        for r in rows("redirect_links")
        if _int(r.get("published")) == PUBLISHED and _text(r.get("new_url"))
    ]
    visits, visits_date = _counter(table, rows)
    return JoomlaSite(prefix, articles, _categories(categories_table), _menu(table("menu")), redirects, visits,
                      visits_date, _routers(rows))  # fmt: skip


def body_parts(article: Article) -> tuple[str, str]:
    """(introtext, fulltext): Joomla 3 keeps them in two columns, older sites in one with the marker."""
    if article.fulltext.strip():
        return article.introtext, article.fulltext
    parts = READ_MORE.split(article.introtext, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (article.introtext, "")
