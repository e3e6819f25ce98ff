"""The old site's addresses, answered on a host that serves files only (GitHub Pages).

`chibo import --joomla` leaves `docs/dia-chi-cu.json`: for each article and category that came
over, its old routes (paths without `index.php/` or `.html`), and the site's own redirects.
The build turns each route into pages at every form the old site served (`tin-tuc/9-a/12-b`,
`index.php/…`, `….html`: all four unless the import read the old site's settings): a page that sends the reader on (meta refresh 0, canonical, a
plain link), never where the site has a page or file of its own. Addresses with a query
string (`index.php?option=com_content&view=article&id=12`, `?start=10`, `?format=feed`)
reach a file whatever the query; the script `dia-chi-cu.js` (on those pages, the home page
and the 404 page) reads the query and goes on, with the small map `dia-chi-cu/ban-do.json`
(each old category's pages) and a page per old article id (`dia-chi-cu/12/`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from .addresses import ASSETS, OLD_ADDRESSES, RESERVED_SLUGS, RESERVED_TOP
from .errors import ContentError
from .listings import page_url

MAP_FILE = "dia-chi-cu.json"  # in docs/, written by the import
FOLDER = OLD_ADDRESSES
SMALL_MAP = f"{FOLDER}ban-do.json"
SCRIPT = f"{ASSETS}portal/dia-chi-cu.js"
_ROUTE = re.compile(r"[^\s/\\?#%<>\"'&|*:]+(?:/[^\s/\\?#%<>\"'&|*:]+)*")


def normalise(path: str) -> str:
    """An old address's path as the map keys it: no leading "/", "index.php/", ".html" or "/"."""
    path = unquote(path).strip().lstrip("/")
    if path == "index.php" or path.startswith("index.php/"):
        path = path[len("index.php") :].lstrip("/")
    path = path.rstrip("/")
    return path[: -len(".html")] if path.endswith(".html") else path


@dataclass(frozen=True)
class Forms:
    """Which forms of a route the old site answered: with "index.php/" and without (URL
    rewriting on), with ".html" (the suffix on) and without. Not known: all of them."""

    prefixes: tuple[str, ...] = ("", "index.php/")
    html: tuple[bool, ...] = (False, True)

    def files(self, route: str) -> list[str]:
        """The files that answer a route: `route/`, `index.php/route/`, `route.html`, …"""
        return [f"{p}{route}.html" if h else f"{p}{route}/index.html" for h in self.html for p in self.prefixes]


@dataclass(frozen=True)
class OldAddresses:
    articles: Mapping[str, tuple[str, tuple[str, ...]]]  # old id -> (docs/ file, routes)
    categories: Mapping[str, tuple[str, tuple[str, ...], tuple[str, ...]]]  # old id -> (category, routes, files)
    redirects: Mapping[str, str]  # route -> docs/ file, "category:<name>" or an address elsewhere
    forms: Forms = Forms()


def read_map(raw: bytes, where: str) -> tuple[OldAddresses | None, list[ContentError]]:
    """The map, or the problem with it (the file is the import's: it names what to do)."""
    try:
        data = json.loads(raw.decode("utf-8"))
        articles = {str(k): (str(v["file"]), tuple(str(r) for r in v["routes"])) for k, v in data["articles"].items()}
        categories = {
            str(k): (str(v["category"]), tuple(map(str, v["routes"])), tuple(map(str, v["articles"])))
            for k, v in data["categories"].items()
        }
        redirects = {str(k): str(v) for k, v in data.get("redirects", {}).items()}
        shown = data.get("forms", {})
        forms = Forms(
            tuple(p for p in shown.get("prefixes", Forms.prefixes) if p in Forms.prefixes),
            tuple(bool(h) for h in shown.get("html", Forms.html)),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        message = (
            f"tệp địa chỉ cũ hỏng ({exc.__class__.__name__}: {exc}); hãy chạy lại chibo import --joomla để tạo lại "
            "(bài đã chuyển được giữ nguyên)"
        )
        return None, [ContentError(where, 1, message)]
    return OldAddresses(articles, categories, redirects, forms), []


@dataclass(frozen=True)
class Stub:
    url: str  # the site path it sends the reader to ("" + an address elsewhere in `external`)
    title: str
    external: str = ""


@dataclass
class StubPlan:
    pages: dict[str, Stub] = field(default_factory=dict)  # file -> where it sends the reader
    small_map: dict[str, object] = field(default_factory=dict)
    notices: list[ContentError] = field(default_factory=list)


def _free(path: str, taken: set[str]) -> bool:
    """Whether a page may go at `path`: not the site's own page or file, nor inside one, nor in
    a folder the portal keeps for itself."""
    top = path.split("/", 1)[0]
    if top in RESERVED_TOP or top in RESERVED_SLUGS or top == FOLDER.rstrip("/") or path in taken:
        return False
    parts = path.split("/")
    return not any("/".join(parts[:n]) in taken for n in range(1, len(parts)))


def plan_stubs(
    old: OldAddresses,
    where: str,
    targets: Mapping[str, str],
    titles: Mapping[str, str],
    categories: Mapping[str, str],
    page_of: Mapping[str, str],
    taken: set[str],
) -> StubPlan:
    """`targets`: docs/ file -> site path of each published article; `titles`: their titles;
    `categories`: category name -> its listing's path; `page_of`: article file -> the path of
    its category's listing page that shows it; `taken`: every file the site has."""
    plan = StubPlan()

    def add(route: str, stub: Stub) -> None:
        if not _ROUTE.fullmatch(route) or any(s in (".", "..") for s in route.split("/")):
            return
        for path in old.forms.files(route):
            if _free(path, taken):
                plan.pages.setdefault(path, stub)

    gone = []
    if "index.php/index.html" not in taken:  # "index.php?option=…": the script reads the query
        plan.pages["index.php/index.html"] = Stub("", "Trang chủ")
    for aid, (file, routes) in old.articles.items():
        if file not in targets:
            gone.append(file)
            continue
        stub = Stub(targets[file], titles.get(file, ""))
        plan.pages[f"{FOLDER}{int(aid)}/index.html"] = stub
        for route in routes:
            add(route, stub)
    if gone:
        plan.notices.append(
            ContentError(
                where,
                1,
                f"{len(gone)} bài của trang cũ không còn được đăng (ví dụ docs/{gone[0]}): "
                "địa chỉ cũ của chúng không được chuyển tiếp",
            )
        )
    _categories(old, categories, page_of, plan, add)
    for route, target in old.redirects.items():
        if (found := _redirect(target, targets, titles, categories)) is not None:
            add(route, found)
    return plan


def _redirect(
    target: str, targets: Mapping[str, str], titles: Mapping[str, str], categories: Mapping[str, str]
) -> Stub | None:
    """Where a redirect of the old site leads now (None: to nothing that is still published)."""
    if target.startswith(("http://", "https://")):
        return Stub("", target, external=target)
    name = target.removeprefix("category:")
    if target.startswith("category:") and name in categories:
        return Stub(categories[name], name)
    return Stub(targets[target], titles.get(target, "")) if target in targets else None


def _categories(
    old: OldAddresses, categories: Mapping[str, str], page_of: Mapping[str, str], plan: StubPlan,
    add: Callable[[str, Stub], None],
) -> None:  # fmt: skip
    """Each old category's routes, and in the small map its pages: (old offset, new page)
    where the new page changes, so that `?start=10` finds the page with the same articles."""
    paths: dict[str, str] = {}
    pages: dict[str, list[tuple[int, str]]] = {}
    feeds: dict[str, str] = {}
    for cid, (name, routes, files) in old.categories.items():
        if name not in categories:
            continue
        for route in routes:
            add(route, Stub(categories[name], name))
            paths[route] = cid
        breaks: list[tuple[int, str]] = [(0, categories[name])]
        for offset, file in enumerate(files):
            page = page_of.get(file)
            if page is not None and page != breaks[-1][1]:
                breaks.append((offset, page))
        pages[cid] = breaks
        feeds[cid] = f"{categories[name]}feed.xml"
    plan.small_map = {"paths": paths, "pages": pages, "feeds": feeds}


def stub_page(path: str, stub: Stub, site_url: str) -> str:
    """The page at an old address: the script first (a query may lead elsewhere), then the
    refresh; canonical and a plain link for search engines and readers without either."""
    root = "../" * path.count("/")
    target = stub.external or f"{root}{stub.url}"
    canonical = stub.external or (f"{site_url.rstrip('/')}/{stub.url}" if site_url else target)
    title = stub.title or "Trang đã chuyển"
    e = html.escape
    return (
        '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; "
        "connect-src 'self'; base-uri 'none'\">"
        f"<title>{e(title)}</title>"
        f'<script src="{e(root + SCRIPT)}" data-target="{e(target)}"></script>'
        f'<meta http-equiv="refresh" content="0; url={e(target)}">'
        f'<link rel="canonical" href="{e(canonical)}">'
        f'</head><body><p>Trang này đã chuyển tới <a href="{e(target)}">{e(title)}</a>.</p></body></html>\n'
    )


def listing_pages(order: Iterable[tuple[str, Iterable[str]]], per_page: int) -> dict[str, str]:
    """Article file -> the path of its category's page that lists it, for (category path,
    its articles' files in listing order)."""
    out: dict[str, str] = {}
    for base, files in order:
        for n, file in enumerate(files):
            out.setdefault(file, page_url(base, n // per_page + 1))
    return out
