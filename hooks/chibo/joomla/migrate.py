"""The move itself: which articles come over, their files, photos and old addresses, and the
report of everything that did not.

Nothing an editor may have changed is overwritten: an article file that exists is kept as it
is (and said); a photo already in the article's folder is kept. The map of old addresses
(`docs/dia-chi-cu.json`, read by the build) is the import's own file: each run adds to it.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from ..addresses import DOCUMENTS
from ..attachments import FILE_LIMIT
from ..config import Category as PortalCategory
from ..config import PortalConfig
from ..images import without_position
from ..importer import is_image
from ..old_addresses import MAP_FILE, Forms, normalise
from ..ratings import carried_over
from ..text import nfc, slugify
from ..workers import run_forked
from .convert import IMAGES, Converted, article_reference, convert
from .routes import article_routes, by_category, category_routes
from .schema import ARCHIVED, PUBLIC, PUBLISHED, TRASHED, UNPUBLISHED, Article, Category, JoomlaSite

BATCH = 500  # articles per round of workers
_STATES = {UNPUBLISHED: "chưa đăng (unpublished)", TRASHED: "trong thùng rác (trashed)"}
_LAST_NUMBER = re.compile(r"^(\d+)-")


@dataclass(frozen=True)
class Options:
    category_map: Mapping[str, str] = field(default_factory=dict)  # Joomla category -> portal category
    site_root: Path | None = None  # the old site's files (images/, media/), as an absolute, resolved path
    pin_featured: bool = False
    skip_archived: bool = False
    sef: bool = True  # the old site's addresses were paths (configuration.php's $sef), not only queries
    forms: Forms = field(default_factory=Forms)  # with and without "index.php/" and ".html", as configuration.php says


@dataclass
class Report:
    written: list[str] = field(default_factory=list)  # docs/-relative article files
    kept: list[str] = field(default_factory=list)  # already there: left as the editors have them
    skipped: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # reason -> (id, title)
    unmapped: dict[int, int] = field(default_factory=dict)  # Joomla category id -> articles it holds
    warnings: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (article file, old site path)
    photos: int = 0  # files copied
    positions: int = 0  # photos whose GPS position was removed on the way
    addresses: int = 0  # old addresses the map holds

    def merge(self, other: Report) -> None:
        """Add what one article's move reported."""
        self.written += other.written
        self.kept += other.kept
        self.warnings += other.warnings
        self.missing += other.missing
        self.photos += other.photos
        self.positions += other.positions

    def skip(self, reason: str, article: Article) -> None:
        self.skipped.setdefault(reason, []).append((article.id, article.title))


@dataclass(frozen=True)
class Planned:
    article: Article
    file: str  # docs/-relative: bai-viet/2020/alias.md
    slug: str
    category: PortalCategory
    date: datetime


def map_categories(
    site: JoomlaSite, portal: PortalConfig, named: Mapping[str, str]
) -> tuple[dict[int, PortalCategory], list[str]]:
    """Each Joomla category's portal category: named in `--category-map` (by its titles
    "Tin tức/Hoạt động", its path "tin-tuc/hoat-dong" or its id), else the portal category of
    the same name, else its parent's. Also the problems with `named` (unknown names)."""
    problems = []
    chosen: dict[int, PortalCategory] = {}
    for key, target in named.items():
        category = portal.find_category(target)
        matches = [c for c in site.categories.values() if key.strip("/") in (c.titles, c.path, str(c.id))]
        if category is None:
            problems.append(f'--category-map "{key}={target}": mkdocs.yml không có chuyên mục "{target}"')
        elif not matches:
            problems.append(f'--category-map "{key}={target}": trang cũ không có chuyên mục "{key}"')
        for match in matches:
            if category is not None:
                chosen[match.id] = category
    for c in site.categories.values():
        if c.id not in chosen and (same := portal.find_category(c.title) or portal.find_category(c.alias)):
            chosen[c.id] = same

    def inherited(cid: int, seen: frozenset[int] = frozenset()) -> PortalCategory | None:
        if cid in chosen or cid in seen or cid not in site.categories:
            return chosen.get(cid)
        return inherited(site.categories[cid].parent, seen | {cid})

    return {cid: found for cid in site.categories if (found := inherited(cid)) is not None}, problems


def _reason(article: Article, site: JoomlaSite, mapped: Mapping[int, PortalCategory], options: Options) -> str:
    """Why the article stays behind ("" when it comes over)."""
    if article.state in _STATES:
        return _STATES[article.state]
    if article.state == ARCHIVED and options.skip_archived:
        return "lưu trữ (archived), bỏ qua theo --skip-archived"
    if article.state not in (PUBLISHED, ARCHIVED):
        return f"trạng thái {article.state}"
    if article.access != PUBLIC:
        return "không công khai (chỉ thành viên xem được)"
    category = site.categories.get(article.catid)
    if category is not None and not (category.published and category.public):
        return "chuyên mục không công khai"
    if article.catid not in mapped:
        return "chuyên mục chưa có trong mkdocs.yml"
    if (article.published or article.created) is None:
        return "không có ngày tạo và ngày đăng"
    return ""


def plan_articles(
    site: JoomlaSite, mapped: Mapping[int, PortalCategory], options: Options, report: Report
) -> dict[int, Planned]:
    """The articles that come over, by id, each with its file and slug; the same each run
    (in id order, a clash of names numbered by id), so a re-run finds the same files."""
    planned: dict[int, Planned] = {}
    files: set[str] = set()
    addresses: set[tuple[int, int, str]] = set()
    for article in sorted(site.articles.values(), key=lambda a: a.id):
        if reason := _reason(article, site, mapped, options):
            report.skip(reason, article)
            if reason == "chuyên mục chưa có trong mkdocs.yml":
                report.unmapped[article.catid] = report.unmapped.get(article.catid, 0) + 1
            continue
        when = article.published or article.created
        assert when is not None
        slug = slugify(article.alias) or slugify(article.title) or f"bai-{article.id}"
        if f"bai-viet/{when:%Y}/{slug}.md" in files or (when.year, when.month, slug) in addresses:
            slug = f"{slug}-{article.id}"
        files.add(f"bai-viet/{when:%Y}/{slug}.md")
        addresses.add((when.year, when.month, slug))
        planned[article.id] = Planned(article, f"bai-viet/{when:%Y}/{slug}.md", slug, mapped[article.catid], when)
    return planned


@dataclass
class Addresses:
    """The old site's addresses of what came over: route -> article id or category id."""

    articles: dict[str, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    of_article: dict[int, list[str]] = field(default_factory=dict)
    of_category: dict[int, list[str]] = field(default_factory=dict)
    menu_routes: set[str] = field(default_factory=set)


def old_addresses(site: JoomlaSite, mapped: Mapping[int, PortalCategory]) -> Addresses:
    found = Addresses(menu_routes={m.route.split("/")[0] for m in site.menu if m.route})
    for aid in sorted(site.articles):
        routes = sorted(article_routes(site, site.articles[aid]))
        found.of_article[aid] = routes
        for route in routes:
            found.articles.setdefault(route, aid)
    for cid in sorted(mapped):
        routes = sorted(category_routes(site, site.categories[cid]))
        found.of_category[cid] = routes
        for route in routes:
            found.categories.setdefault(route, cid)
    return found


def _resolver(
    site: JoomlaSite, planned: Mapping[int, Planned], found: Addresses, mapped: Mapping[int, PortalCategory],
    here: Planned,
) -> Callable[[str], str | None]:  # fmt: skip
    """An old href -> the link from `here` to its new place ("" for an article left behind)."""
    folder = PurePosixPath(here.file).parent

    def category_link(category: PortalCategory) -> str:
        # from the article's file, as editors link; the library's category is the library
        page = DOCUMENTS if category.is_library else category.url
        return posixpath.relpath(page, folder.as_posix()) + "/"

    def article_link(aid: int) -> str | None:
        if aid in planned:
            return posixpath.relpath(planned[aid].file, folder.as_posix())
        return "" if aid in site.articles else None

    def resolve(href: str) -> str | None:
        reference = article_reference(href)
        if reference is None:
            return None
        kind, number = reference
        if kind == "id":
            return article_link(number)
        route = normalise(urlsplit(href).path)
        if route in found.articles:
            return article_link(found.articles[route])
        if route in found.categories:
            return category_link(mapped[found.categories[route]])
        segments = route.split("/")
        last = _LAST_NUMBER.match(segments[-1])
        # Joomla's legacy router reads only the last segment's number: ".../123-anything"
        if last and (segments[0] in found.menu_routes or segments[0] == "component"):
            return article_link(int(last.group(1)))
        return None

    return resolve


def front_matter(plan: Planned, options: Options) -> dict[str, object]:
    article = plan.article
    meta: dict[str, object] = {
        "title": nfc(" ".join(article.title.split())),
        "date": f"{plan.date:%Y-%m-%d %H:%M}",
        "category": plan.category.name,
        "slug": plan.slug,
    }
    if article.author:
        meta["author"] = nfc(article.author.strip())
    if article.tags:
        meta["tags"] = [nfc(t) for t in article.tags]
    if article.featured and options.pin_featured:
        meta["pin"] = True
    if article.hits:
        meta["hits"] = article.hits
    if article.rating is not None:
        meta["rating"] = {"sum": article.rating[0], "count": article.rating[1]}
    return meta


def _checked_rating(converted: Converted, report: Report, label: str) -> None:
    """The old votes only when they can be votes of 1 to 5 stars (the build refuses others)."""
    rating = converted.meta.get("rating")
    if rating is not None and carried_over(rating) is None:
        del converted.meta["rating"]
        report.warnings.append(f"{label}: bỏ số đánh giá {rating} (không thể là các lượt 1 đến 5 sao)")


def _copy_files(converted: Converted, plan: Planned, docs: Path, site_root: Path | None, report: Report) -> None:
    """The article's photos and files from the mirror into its folder, the same content once."""
    folder = docs / PurePosixPath(plan.file).parent / plan.slug
    by_digest: dict[str, str] = {}
    renamed: dict[str, str] = {}
    for path, name in converted.files.items():
        data = _mirror_file(site_root, path)
        if data is None or (PurePosixPath(name).suffix in IMAGES and not is_image(data)):
            report.missing.append((plan.file, path))
            renamed[name] = ""
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in by_digest:
            renamed[name] = by_digest[digest]
            continue
        by_digest[digest] = name
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / name).exists():
            if (cleaned := without_position(data)) is not None:  # a phone's photo: where it was taken stays behind
                data = cleaned
                report.positions += 1
            (folder / name).write_bytes(data)
            report.photos += 1
    _rename(converted, f"{plan.slug}/", renamed)


def _mirror_file(site_root: Path | None, path: str) -> bytes | None:
    if site_root is None:
        return None
    local = (site_root / unquote(path)).resolve()
    if not local.is_relative_to(site_root) or not local.is_file() or local.stat().st_size > FILE_LIMIT:
        return None
    return local.read_bytes()


def _rename(converted: Converted, prefix: str, renamed: Mapping[str, str]) -> None:
    """Point the body and the photo field at the kept copy; a missing file's reference becomes
    a comment that names it (the build would otherwise warn about a file that is not there)."""
    for name, kept in renamed.items():
        old = re.escape(prefix + name)
        if kept:
            replacement = f"]({prefix}{kept}".replace("\\", "\\\\")
            converted.body = re.sub(rf"\]\({old}(?=[\s)])", replacement, converted.body)
        else:
            converted.body = re.sub(rf"!\[[^\]]*\]\({old}[^)]*\)", f"<!-- ảnh thiếu: {name} -->", converted.body)
            converted.body = re.sub(rf"\[([^\]]*)\]\({old}[^)]*\)", r"\1", converted.body)
        if converted.meta.get("image") == prefix + name:
            if kept:
                converted.meta["image"] = prefix + kept
            else:
                for key in ("image", "image_alt", "image_caption"):
                    converted.meta.pop(key, None)


def write_article(plan: Planned, converted: Converted, docs: Path) -> bool:
    """Write the file unless it exists (False: kept as it is)."""
    target = docs / plan.file
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: ten times the pure-Python one
    front = yaml.dump(converted.meta, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
    try:
        with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
            f.write(f"---\n{front}---\n\n{converted.body}")
    except FileExistsError:
        return False
    return True


def migrate(
    site: JoomlaSite,
    docs: Path,
    portal: PortalConfig,
    options: Options,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> Report:
    report = Report()
    mapped, problems = map_categories(site, portal, options.category_map)
    report.warnings += problems
    planned = plan_articles(site, mapped, options, report)
    kept = _kept_map(docs / MAP_FILE)
    for aid in [
        aid for aid, plan in planned.items() if str(aid) in kept["articles"] and not (docs / plan.file).exists()
    ]:
        report.skip("đã chuyển lần trước rồi bị xoá trên trang mới (không tạo lại)", planned.pop(aid).article)
    found = old_addresses(site, mapped)

    def move(part: list[Planned]) -> list[tuple[int, Report]]:
        return [(plan.article.id, _move(plan, site, planned, found, mapped, docs, options)) for plan in part]

    plans = list(planned.values())
    for start in range(0, len(plans), BATCH):  # in forked workers, a batch at a time for the progress bar
        moved = dict(pair for part in run_forked(move, plans[start : start + BATCH], workers) for pair in part)
        for plan in plans[start : start + BATCH]:  # reported in the articles' order, whichever worker moved them
            report.merge(moved[plan.article.id])
        if progress is not None:
            progress(min(start + BATCH, len(plans)), len(plans))
    if not options.sef:  # the old site served queries only ("index.php?option=com_content…")
        found.of_article, found.of_category = {a: [] for a in found.of_article}, {c: [] for c in found.of_category}
    report.addresses = write_map(docs / MAP_FILE, kept, site, planned, found, mapped, options.forms)
    return report


def _move(
    plan: Planned, site: JoomlaSite, planned: Mapping[int, Planned], found: Addresses,
    mapped: Mapping[int, PortalCategory], docs: Path, options: Options,
) -> Report:  # fmt: skip
    """One article converted and written (unless its file exists), with what to report of it."""
    report = Report()
    resolve = _resolver(site, planned, found, mapped, plan)
    converted = convert(plan.article, front_matter(plan, options), f"{plan.slug}/", resolve)
    label = f'bài {plan.article.id} "{plan.article.title}" ({plan.file})'
    _checked_rating(converted, report, label)
    report.warnings += [f"{label}: {w}" for w in converted.warnings]
    report.warnings += [f"{label}: liên kết tới bài không chuyển sang, chỉ giữ chữ: {d}" for d in converted.dead_links]
    if (docs / plan.file).exists():
        report.kept.append(plan.file)
    else:
        _copy_files(converted, plan, docs, options.site_root, report)
        (report.written if write_article(plan, converted, docs) else report.kept).append(plan.file)
    return report


def _kept_map(path: Path) -> dict[str, dict[str, Any]]:
    """What earlier runs left in the map: its articles (old id -> entry), categories and redirects."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    parts = ("articles", "categories", "redirects")
    return {k: v if isinstance(kept, dict) and isinstance(v := kept.get(k), dict) else {} for k in parts}


def write_map(
    path: Path, kept: dict[str, dict[str, Any]], site: JoomlaSite, planned: Mapping[int, Planned],
    found: Addresses, mapped: Mapping[int, PortalCategory], forms: Forms,
) -> int:  # fmt: skip
    """Add this run's old addresses to what `kept` (the map as earlier runs left it) holds and
    write the map the build reads; returns how many addresses it answers."""
    articles, categories, redirects = kept["articles"], kept["categories"], kept["redirects"]
    for key in [a for a in articles if a.isdigit() and int(a) in site.articles and int(a) not in planned]:
        del articles[key]  # deleted on the new site since, or no longer public on the old one
    for aid, plan in planned.items():
        articles[str(aid)] = {"file": plan.file, "routes": found.of_article.get(aid, [])}
    shown = by_category(site.articles.values())
    for cid, routes in found.of_category.items():
        listed = [planned[a.id].file for a in shown.get(cid, []) if a.id in planned]
        categories[str(cid)] = {"category": mapped[cid].name, "routes": routes, "articles": listed}
    for old, new in site.redirects:
        target = _redirect_target(new, found, planned, mapped)
        route = normalise(urlsplit(old).path)
        if target and route:
            redirects[route] = target
    data = {
        "format": 1,
        "forms": {"prefixes": list(forms.prefixes), "html": list(forms.html)},
        "articles": articles,
        "categories": categories,
        "redirects": redirects,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    count = sum(len(a["routes"]) for a in articles.values()) + sum(len(c["routes"]) for c in categories.values())
    return count * len(forms.files("x"))


def _redirect_target(
    new: str, found: Addresses, planned: Mapping[int, Planned], mapped: Mapping[int, PortalCategory]
) -> str:
    """Where a row of #__redirect_links leads now: an article file, a category, or an address
    on another site ("" when it led to something that did not come over)."""
    parts = urlsplit(new.strip())
    reference = article_reference(new)
    if reference is not None and reference[0] == "id":
        return planned[reference[1]].file if reference[1] in planned else ""
    route = normalise(parts.path)
    if route in found.articles and found.articles[route] in planned:
        return planned[found.articles[route]].file
    if route in found.categories:
        return f"category:{mapped[found.categories[route]].name}"
    if parts.scheme in ("http", "https") and parts.netloc:
        return new.strip()
    return ""


def unmapped_lines(site: JoomlaSite, report: Report) -> list[str]:
    """What to add to mkdocs.yml (or to the command) for the categories nothing maps."""
    lines = []
    for cid in sorted(report.unmapped):
        category: Category | None = site.categories.get(cid)
        if category is None:
            continue
        lines.append(
            f'  "{category.titles}" ({report.unmapped[cid]} bài): thêm vào mkdocs.yml, mục extra: portal: categories:\n'
            f"        - name: {category.title}\n          slug: {slugify(category.alias) or slugify(category.title)}\n"
            f'    hoặc chạy lại với --category-map "{category.titles}=<chuyên mục đã có>"'
        )
    return lines
