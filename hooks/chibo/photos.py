"""The photo stage of a build: every photo that published articles and pages show, made in the
build's worker processes through the store of `images.py`, and a share image for every
published article: its photo's crop, else a share card (`cards.py`). Knows nothing of MkDocs:
it returns the site paths to publish and the stored files they come from."""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .articles import Article
from .cards import ShareCards, card_name
from .catalog import Catalog, PhotoPlan
from .errors import ContentError
from .images import ImageProblem, Picture, Variant, clean_original, process, stored_file
from .workers import run_forked, working_on


@dataclass
class PhotoOutput:
    pictures: dict[str, Picture] = field(default_factory=dict)  # docs path -> its variants
    shares: dict[str, str] = field(default_factory=dict)  # article's docs path -> share image's site path
    site_share: str = ""  # the site's own share image, for pages that are not articles
    files: dict[str, Path] = field(default_factory=dict)  # site path -> file in the store (variants, share images)
    originals: dict[str, Path] = field(default_factory=dict)  # linked originals, cleaned: docs path -> stored file
    problems: list[ContentError] = field(default_factory=list)


def make_photos(
    plan: PhotoPlan,
    catalog: Catalog,
    docs_dir: str,
    store: Path,
    site_name: str,
    workers: int,
    users: dict[str, tuple[str, int]],
) -> PhotoOutput:
    """`users`: a photo -> (article or page, line) that shows it, to name in a problem."""
    # article -> its featured photo (two articles may share one): its crop is their share image
    featured = {src: image for src in catalog.published if (image := catalog.images.get(src)) in plan.displayed}
    jobs = [("photo", path) for path in sorted(plan.displayed)]
    jobs += [("original", path) for path in sorted(plan.linked)]

    def work(part: list[tuple[str, str]]) -> list[tuple[tuple[str, str], object]]:
        out: list[tuple[tuple[str, str], object]] = []
        for job in part:
            kind, path = job
            working_on(f"docs/{path}")
            file = os.path.join(docs_dir, path)
            try:
                if kind == "photo":
                    read = functools.partial(_read, file)
                    out.append((job, process(path, read, store, plan.displayed[path], known.get(path, ""))))
                else:
                    out.append((job, clean_original(path, _read(file), store)))
            except ImageProblem as problem:
                out.append((job, problem))
        return out

    output = PhotoOutput()
    known = git_content_ids(docs_dir, set(plan.displayed))
    for part in run_forked(work, jobs, workers):
        for (kind, path), result in part:
            _collect(output, kind, path, result, store, users)
    undrawn = _name_cards(
        output, [a for a in catalog.published.values() if a.src_path not in featured], site_name, store
    )
    run_forked(functools.partial(draw_cards, site_name, store), undrawn, workers)
    for src, path in featured.items():
        shown = output.pictures.get(path)
        if shown is not None and shown.share:
            output.shares[src] = shown.share
    return output


def _name_cards(output: PhotoOutput, articles: list[Article], site_name: str, store: Path) -> list[tuple[str, str]]:
    """Where each article's card goes (named by its headline, and the site's own), and those of
    them not in the store yet: (headline, file name)."""
    undrawn = []
    drawn = _names(store)  # one listing, not a stat per card (a preview names 4,000 of them)
    for src, title, folder in [*((a.src_path, a.title, a.url) for a in articles), ("", site_name, "assets/portal/")]:
        site_path, name = card_name(site_name, title, folder)
        output.files[site_path] = store / name
        if src:
            output.shares[src] = site_path
        else:
            output.site_share = site_path
        if name not in drawn:
            undrawn.append((title, name))
    return undrawn


def _names(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except FileNotFoundError:
        return set()


def draw_cards(site_name: str, store: Path, undrawn: list[tuple[str, str]]) -> None:
    """Cards into the store: (headline, file name) each."""
    cards = ShareCards(site_name, store)
    for title, name in undrawn:
        cards.make(title, name)


def _collect(
    output: PhotoOutput, kind: str, path: str, result: object, store: Path, users: dict[str, tuple[str, int]]
) -> None:
    """One job's result into the build's photo output."""
    if isinstance(result, ImageProblem):
        where, line = users.get(path, (path, 1))
        output.problems.append(ContentError(f"docs/{where}", line, f'ảnh "{path}": {result}'))
    elif kind == "original":
        output.originals[path] = store / str(result)
    else:
        picture: Picture = result  # type: ignore[assignment]
        output.pictures[path] = picture
        for variant_path in picture.files:
            output.files[variant_path] = stored_file(store, variant_path)


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def git_content_ids(docs_dir: str, paths: set[str]) -> dict[str, str]:
    """Git's ids of the photos whose committed content is what is on disk: a warm build then
    finds them in the store without reading or hashing them. Empty outside a Git checkout."""
    if not paths:
        return {}
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-s", "-z", "--", "."], cwd=docs_dir, capture_output=True, timeout=30, check=True
        ).stdout
        changed = subprocess.run(
            ["git", "ls-files", "-m", "-z", "--", "."], cwd=docs_dir, capture_output=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    modified = {p.decode("utf-8", "replace") for p in changed.split(b"\0") if p}
    ids = {}
    for entry in listed.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        path = name.decode("utf-8", "replace")
        if path in paths and path not in modified and len(meta.split()) == 3:
            ids[path] = meta.split()[1].decode()
    return ids


def share_alt(article: Article) -> str:
    """What the share image shows, for og:image:alt."""
    return article.image_alt if article.image else article.title


@dataclass(frozen=True)
class ShownPhoto:
    """A featured image as pages show it: a processed photo's variants, or the file (SVG,
    GIF) or web address as written."""

    src: str  # site path (or web address) for `src`: the WebP for browsers without AVIF
    variants: tuple[tuple[str, int], ...] = ()  # (site path, width) of the AVIF variants, for `srcset`
    width: int = 0
    height: int = 0

    def url(self, prefix: str) -> str:
        return _address(self.src, prefix)

    def srcset(self, prefix: str) -> str:
        return ", ".join(f"{_address(path, prefix)} {width}w" for path, width in self.variants)


def _address(path: str, prefix: str) -> str:
    """A site path under `prefix` (the page's base URL); a web address (object storage) as it is."""
    return path if path.startswith(("http://", "https://")) else f"{prefix}/{path}"


def addressed_at(output: PhotoOutput, public_url: str) -> PhotoOutput:
    """The same photos, addressed at the object storage's public address: pages, feeds and link
    previews point there, and `files` becomes what to upload (nothing of it goes into site/)."""

    def url(path: str) -> str:
        return f"{public_url}/{path}" if path else ""

    pictures = {
        source: Picture(
            picture.source,
            tuple(Variant(url(v.path), v.width, v.height) for v in picture.variants),
            Variant(url(picture.fallback.path), picture.fallback.width, picture.fallback.height),
            url(picture.share),
        )
        for source, picture in output.pictures.items()
    }
    shares = {src: url(path) for src, path in output.shares.items()}
    return PhotoOutput(pictures, shares, url(output.site_share), output.files, output.originals, output.problems)


def featured_images(catalog: Catalog, photos: PhotoOutput) -> dict[str, ShownPhoto]:
    """Each published article's featured image, as pages show it."""
    shown = {}
    for src, image in catalog.images.items():
        picture = photos.pictures.get(image)
        if picture is None:
            shown[src] = ShownPhoto(image)
        else:
            default = picture.default
            variants = tuple((v.path, v.width) for v in picture.variants)
            shown[src] = ShownPhoto(default.path, variants, default.width, default.height)
    return shown
