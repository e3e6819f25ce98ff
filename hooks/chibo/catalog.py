"""Which articles are published, and where: one pass over the read articles."""

from __future__ import annotations

import posixpath
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .articles import Article
from .errors import ContentError
from .images import is_raster
from .links import candidates
from .options import read_options
from .text import TIMEZONE


def now_in_vietnam() -> datetime:
    """The build's "now"; CHIBO_NOW (options.py) fixes it, for tests and for previewing a schedule."""
    return read_options().now or datetime.now(TIMEZONE)


@dataclass
class Catalog:
    """Published articles keyed by source path, newest first, plus what is held back."""

    published: dict[str, Article] = field(default_factory=dict)
    held_back: set[str] = field(default_factory=set)  # drafts and scheduled articles
    images: dict[str, str] = field(default_factory=dict)  # src_path -> featured image's site path or URL
    errors: list[ContentError] = field(default_factory=list)
    # dates more than a year ahead without "scheduled: true": a build warning (--strict refuses)
    far_future: list[ContentError] = field(default_factory=list)


FAR_FUTURE = timedelta(days=366)


def resolve_image(article: Article, known: Container[str]) -> str | None:
    """Site path of the featured image, relative to the article or to docs/; None if missing."""
    image = article.image
    if not image or image.startswith(("http://", "https://")):
        return image or None
    folder = posixpath.dirname(article.src_path)
    candidates = [image.lstrip("/")] if image.startswith("/") else [posixpath.join(folder, image), image]
    for candidate in candidates:
        path = posixpath.normpath(candidate)
        if path in known:
            return path
    return None


def build_catalog(
    articles: dict[str, Article],
    now: datetime,
    known_files: Container[str] = frozenset(),
    display_root: str = "docs",
    check_held_back: bool = False,
) -> Catalog:
    """Split published from held-back articles, refuse two articles on one URL or a missing image.
    `check_held_back` (chibo check) judges drafts and scheduled articles as if published."""
    catalog = Catalog()
    owner_of_url: dict[str, str] = {}
    for src_path, article in articles.items():
        if not article.draft and article.date > now + FAR_FUTURE and not article.scheduled:
            catalog.far_future.append(
                ContentError(
                    f"{display_root}/{src_path}",
                    article.date_line,
                    f'trường "date": ngày {article.date:%d/%m/%Y} cách hôm nay hơn một năm, nên bài sẽ không hiện '
                    "ở đâu cho tới ngày đó. Nếu gõ nhầm năm, hãy sửa lại; nếu đúng là hẹn giờ xa, thêm dòng "
                    "scheduled: true vào phần đầu.",
                )
            )
        if not article.is_published(now):
            catalog.held_back.add(src_path)
            if not check_held_back:
                continue
        other = owner_of_url.get(article.url)
        if other is not None:
            first, second = sorted((other, src_path))
            catalog.errors.append(
                ContentError(
                    f"{display_root}/{second}",
                    1,
                    f"trùng địa chỉ /{article.url} với bài {display_root}/{first}. Hai bài không thể "
                    "cùng một đường dẫn; hãy thêm trường slug khác cho một trong hai bài, ví dụ "
                    f"slug: {article.slug}-2",
                )
            )
            continue
        owner_of_url[article.url] = src_path
        catalog.published[src_path] = article
        if article.image:
            image = resolve_image(article, known_files)
            if image is None:
                catalog.errors.append(
                    ContentError(
                        f"{display_root}/{src_path}",
                        article.image_line,
                        f'trường "image": không tìm thấy ảnh "{article.image}" (tìm cạnh bài viết và trong thư mục docs/). '
                        "Hãy chép ảnh vào thư mục của bài viết hoặc sửa lại tên tệp.",
                    )
                )
            else:
                catalog.images[src_path] = image
    return catalog


def _files_of(article: Article, known: Container[str]) -> set[str]:
    """The files of docs/ an article uses: its featured image and what its body links to."""
    targets = article.links + article.images
    used = {c for target in targets for c in candidates(article.src_path, target) if c in known}
    if (image := resolve_image(article, known)) is not None:
        used.add(image)
    return used


def unpublished_files(
    articles: dict[str, Article], catalog: Catalog, known: set[str], used_elsewhere: set[str]
) -> set[str]:
    """Files that belong only to drafts and scheduled articles, so must not be published yet:
    what they use, and what lies in a folder named after one of them (bai.md -> bai/), less
    anything a published article, a page or the site's settings (`used_elsewhere`) uses."""
    if not catalog.held_back:
        return set()
    private: set[str] = set()
    folders = set()
    for src in catalog.held_back:
        private |= _files_of(articles[src], known)
        folders.add(posixpath.splitext(src)[0])
    for path in known:
        folder = posixpath.dirname(path)
        while folder:
            if folder in folders:
                private.add(path)
                break
            folder = posixpath.dirname(folder)
    private -= used_elsewhere
    for article in catalog.published.values():
        if private:
            private -= _files_of(article, private)
    return {path for path in private if not path.endswith((".md", ".markdown"))}


@dataclass(frozen=True)
class PhotoPlan:
    """Which photos the build turns into variants, and which originals stay off the site."""

    displayed: dict[str, bool]  # raster files shown as images -> whether a share image is wanted
    linked: frozenset[str]  # raster originals linked on purpose: published cleaned of metadata
    withheld: frozenset[str]  # every raster original: none is published as it is
    users: dict[str, tuple[str, int]]  # a shown photo -> (file, line) showing it, for problems


def _resolve(src: str, target: str, known: set[str]) -> str | None:
    return next((c for c in candidates(src, target) if c in known), None)


def plan_photos(catalog: Catalog, known: set[str], pages_shown: dict[str, str], linked: set[str]) -> PhotoPlan:
    """Photos that published articles and pages show are processed (a featured image also gets a
    share image); an original reaches the site, without its metadata, only where something links to it on purpose
    (`linked`: pages' and settings' links; articles' links are added here). `pages_shown`:
    photo -> the page showing it."""
    shown: dict[str, bool] = {}
    users: dict[str, tuple[str, int]] = {}
    linked = set(linked)
    for article in catalog.published.values():
        featured = catalog.images.get(article.src_path)
        if featured is not None and featured in known and is_raster(featured):
            shown[featured] = True
            users.setdefault(featured, (article.src_path, article.image_line))
        for target in article.images:
            if (path := _resolve(article.src_path, target, known)) is not None and is_raster(path):
                shown.setdefault(path, False)
                users.setdefault(path, (article.src_path, 1))
        linked.update(c for target in article.links for c in candidates(article.src_path, target))
    for path, page in pages_shown.items():
        if is_raster(path) and path in known:  # a missing one is MkDocs' to report, as a link
            shown.setdefault(path, False)
            users.setdefault(path, (page, 1))
    rasters = frozenset(p for p in known if is_raster(p))
    return PhotoPlan(shown, rasters & linked, rasters, users)
