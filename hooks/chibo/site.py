"""The portal through one build, and what a preview (`mkdocs serve`) keeps between its builds.

The steps, in order: `configure` (settings, counter figures), `read` (every article, in
forked workers on a build, through the content-hash cache in a preview), `plan` (the site's
plan and its photos), then `write` (pages, feeds, sitemap, search index, photos, the web
editor's files). The hook file calls these from MkDocs' events; nothing here imports MkDocs.

In a preview MkDocs writes its own pages into a hidden staging folder, which `write` copies
into the served folder file by file where they changed: the served folder is never emptied, an
unchanged page keeps its modification time, and what no longer belongs (a deleted article's
page) is removed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from .articles import ArticleReader
from .audience import Audience, make_audience
from .bodies import BodyConverter
from .cache import cache_dir, tracked_cache_files
from .catalog import now_in_vietnam
from .cms import ADMIN_DIR, admin_page, editor_config, editor_config_yaml
from .config import PortalConfig, load_portal_config
from .counter import Snapshot, fetch_snapshot, hits_reader, load_snapshot, save_snapshot
from .errors import ContentError, ContentErrors
from .feeds import absolute
from .most_read import MostRead, fetch_most_read, load_most_read, save_most_read
from .options import read_options
from .outputs import Output, PartsCache, fingerprint
from .pages import SiteFacts, card_keys
from .photos import PhotoOutput, ShownPhoto, addressed_at, featured_images, make_photos
from .plan import SitePlan, SourceFile, make_plan
from .preview_index import PreviewIndex
from .ratings import RatingsSnapshot, load_ratings, save_ratings, update_ratings
from .search import INDEX_DIR, make_index
from .storage import write_manifest
from .vendored import tampered
from .workers import run_forked, start_forked, working_on
from .writers import Job, Templates, write_feeds, write_pages

RATINGS_BUDGET = 3.0  # seconds a build may spend reading new ratings (the rest waits for the next build)
STAGING = ".chibo-mkdocs"  # a preview's folder for MkDocs' own output (hidden: MkDocs never empties it)
counter_log = logging.getLogger("chibo.counter")
# What the sanitiser dropped: said in the log, never a reason to stop publishing (the page is safe).
content_log = logging.getLogger("chibo.content")
log = logging.getLogger("mkdocs.plugins.chibo")


@dataclass
class Settings:
    """What the writers need of mkdocs.yml."""

    site_url: str
    site_name: str
    site_description: str
    docs_dir: str
    site_dir: str
    project_root: str
    markdown_extensions: list[Any]
    mdx_configs: dict[str, dict[str, Any]]
    theme_dirs: list[str]
    extra: dict[str, Any]
    theme_key: str = ""  # theme language and features


@dataclass
class BuildResult:
    written: int = 0
    rendered: int = 0
    removed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class Portal:
    def __init__(self) -> None:
        self.command = "build"
        self.config: PortalConfig | None = None
        self.snapshot: Snapshot | None = None
        self.ratings: RatingsSnapshot | None = None
        self.most_read: MostRead | None = None
        self.audience: Audience | None = None  # without a counter: no rating, no "Đọc nhiều"
        self.reader = ArticleReader()
        self.output = Output()
        self.plan: SitePlan | None = None
        self.photos = PhotoOutput()
        self.featured: dict[str, ShownPhoto] = {}
        self.errors: list[ContentError] = []
        self.served = ""  # a preview's served folder (MkDocs writes into its STAGING)
        self.search: Callable[[], tuple[bool, dict[str, str] | str, float]] | None = None
        self.preview_index = PreviewIndex()
        self.last = BuildResult()
        self._unpruned = 0  # parts stored since the cache last dropped unused ones
        self.read_count = 0  # articles read in this build (the others' results were kept)

    @property
    def preview(self) -> bool:
        return self.command == "serve"

    def workers(self) -> int:
        """Processes for reading and writing: the machine's cores on a build (CHIBO_WORKERS
        overrides), one in a preview, where the caches must live in the server's process."""
        if self.command != "build":
            return 1
        return read_options().workers or min(os.cpu_count() or 1, 4)

    # -- configure ---------------------------------------------------------------------------

    def configure(self, extra: dict[str, Any], project_root: str, site_url: str = "") -> PortalConfig:
        """Raises ContentErrors for bad settings, or for cache files committed to the repository."""
        self.config = load_portal_config(extra)
        if not self.preview and (tracked := tracked_cache_files(project_root)):
            raise ContentErrors(
                [
                    ContentError(
                        name,
                        1,
                        "tệp trong .cache/ là kết quả của các lần xây dựng trước, không được đưa vào kho mã nguồn; "
                        "hãy xóa khỏi kho: git rm -r --cached .cache (đã có .cache/ trong .gitignore)",
                    )
                    for name in tracked
                ]
            )
        self.snapshot = self._counter_snapshot(project_root)
        self.ratings, self.most_read = self._audience(project_root, urlsplit(site_url).path or "/")
        return self.config

    def stage(self, site_dir: str) -> str:
        """In a preview: the folder MkDocs should write into instead of the served one."""
        self.served = site_dir
        return os.path.join(site_dir, STAGING)

    def _counter_snapshot(self, project_root: str) -> Snapshot | None:
        """Exact figures written into the HTML: fetched when a token is given, else (or when the
        server fails) the last good ones an earlier build kept. Never fails the build."""
        portal = self.config
        if portal is None or portal.counter is None:
            return None
        saved = cache_dir(project_root) / "counter.json"
        token = read_options().counter_token
        if token:
            snapshot, reason = fetch_snapshot(portal.counter, token, now_in_vietnam())
            if snapshot is not None:
                save_snapshot(saved, snapshot, portal.counter)
                return snapshot
            counter_log.warning(
                "Không lấy được số liệu lượt truy cập (%s); trang vẫn được xây dựng với số liệu lần trước (nếu có), "
                "khung số liệu sẽ tự cập nhật trong trình duyệt.",
                reason,
            )
        return load_snapshot(saved, portal.counter)

    def _audience(self, project_root: str, prefix: str) -> tuple[RatingsSnapshot | None, MostRead | None]:
        """Ratings and "Đọc nhiều" from the counter's API, when a token is given and the counter
        answered; else (or when it fails) what an earlier build kept. Never fails the build."""
        portal = self.config
        if portal is None or portal.counter is None:
            return None, None
        folder = cache_dir(project_root)
        ratings, most_read = load_ratings(folder / "ratings.json"), load_most_read(folder / "most-read.json")
        token = read_options().counter_token
        if not token or self.snapshot is None or self.snapshot.taken < now_in_vietnam() - timedelta(minutes=5):
            return ratings, most_read  # no token, or the counter did not answer just now
        page = hits_reader(portal.counter, token)
        if problem := update_ratings(ratings, page, now_in_vietnam(), RATINGS_BUDGET):
            counter_log.warning("Chưa đọc hết các lượt đánh giá (%s); trang dùng số liệu đã có.", problem)
        try:
            most_read = fetch_most_read(page, now_in_vietnam(), prefix)
            save_most_read(folder / "most-read.json", most_read)
        except Exception as exc:  # noqa: BLE001 - the kept lists stay
            counter_log.warning("Không lấy được danh sách «Đọc nhiều» (%s); dùng danh sách lần trước.", exc)
        try:
            save_ratings(folder / "ratings.json", ratings)
        except OSError:
            pass
        return ratings, most_read

    # -- read and plan -----------------------------------------------------------------------

    def read(self, articles: Mapping[str, str], project_root: str) -> dict[str, Any]:
        """Every article file (source path -> file on disk) read and validated. On a build the
        results an earlier build kept (`.cache/chibo/articles.pickle`) are used for the files
        whose content is unchanged, the others are read in forked workers."""
        portal = self.config
        assert portal is not None
        reader = self.reader
        workers = self.workers()
        kept = cache_dir(project_root) / "articles.pickle"
        if not self.preview:  # a preview keeps them in memory
            reader.load(kept)
        self.read_count = 0

        def read(part: list[tuple[str, str]]) -> list[tuple[str, str, Any, bool]]:
            results = []
            for src, path in part:
                working_on(f"docs/{src}")
                with open(path, "rb") as f:
                    results.append((src, *reader.read(src, f.read(), portal)))
            return results

        items = list(articles.items())
        # forking costs more than it saves for a few hundred articles
        parts = [read(items)] if workers == 1 or len(items) < 500 else run_forked(read, items, workers)
        out: dict[str, Any] = {}
        for part in parts:
            for src, digest, result, new in part:
                out[src] = result
                if new:
                    reader.remember(src, digest, portal, result)
                    self.read_count += 1
        if not self.preview:
            try:
                reader.save(kept, out)
            except OSError:
                pass  # no cache: the next build reads everything again
        return out

    def plan_site(
        self, files: Mapping[str, SourceFile], read: Mapping[str, Any], named: set[str], settings: Settings
    ) -> SitePlan:
        """The plan and the photos; the problems (in Vietnamese) are in `self.errors`."""
        assert self.config is not None
        plan = make_plan(files, read, self.config, now_in_vietnam(), named)
        store = cache_dir(settings.project_root) / "images"
        photos = make_photos(
            plan.photos,
            plan.catalog,
            settings.docs_dir,
            store,
            settings.site_name,
            self.workers(),
            plan.photos.users,
        )
        if self.config.storage is not None:  # pages point at the storage; `chibo upload` sends the files
            photos = addressed_at(photos, self.config.storage.public_url)
        self.plan, self.photos = plan, photos
        self.featured = featured_images(plan.catalog, photos)
        counter = self.config.counter
        self.audience = (
            make_audience(
                plan.catalog.published,
                [c.name for c in self.config.categories],
                self.ratings,
                self.most_read,
                counter.offset_date,
            )
            if counter is not None
            else None
        )
        self.errors = sorted([*plan.errors, *photos.problems])
        return plan

    def start_search(self, settings: Settings, enabled: bool) -> None:
        """The index depends only on the plan: on a build it is made in a forked process while the
        pages are written; in a preview, in the background, written when ready (`PreviewIndex`)."""
        self.search = None
        if not enabled or self.plan is None or self.config is None:
            return
        records = self.plan.search_records
        categories = [c.name for c in self.config.categories]
        if self.preview:
            if problem := self.preview_index.problem:
                self.search = lambda: (False, problem, 0.0)
            self.preview_index.update(self.served, records, categories)
        else:
            self.search = start_forked(functools.partial(make_index, records, categories))

    def template_cache(self, project_root: str) -> Any:
        """Compiled templates kept on disk (MkDocs makes a new template environment on every
        build, which would compile Material's templates again each time: a third of a preview's
        rebuild). Jinja checks each template's source against its compiled copy."""
        import jinja2

        folder = cache_dir(project_root) / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(str(folder))

    # -- write -------------------------------------------------------------------------------

    def site_facts(self, settings: Settings) -> SiteFacts:
        assert self.config is not None
        logo = absolute(settings.site_url, self.config.banner.logo or "assets/portal/logo.png")
        # the templates by content, not by modification time: a fresh checkout (every publishing
        # run) gives every file a new one, and the cached parts would never be used
        templates = []
        for number, folder in enumerate(settings.theme_dirs):
            for root, dirs, names in os.walk(folder):
                dirs[:] = [d for d in dirs if not d.startswith(".")]  # Material's .icons: 14,000 SVGs, no template
                for name in names:
                    if name.endswith(".html"):
                        path = os.path.join(root, name)
                        with open(path, "rb") as f:
                            digest = hashlib.sha1(f.read()).hexdigest()
                        templates.append((number, os.path.relpath(path, folder), digest))
        key = fingerprint(
            sorted(templates),
            self.config.cache_key,
            json.dumps(settings.extra, sort_keys=True, default=repr),
            settings.site_url,
            settings.site_name,
            settings.theme_key,
        )
        return SiteFacts(settings.site_url, settings.site_name, logo, key)

    def write(
        self, settings: Settings, templates: Templates, admin: tuple[str, list[tuple[str, str]], str] | None
    ) -> BuildResult:
        """Everything the portal writes; in a preview also MkDocs' own pages, from the staging
        folder. `admin`: the web editor's vendored version and the pages it may edit."""
        assert self.plan is not None and self.config is not None
        result = BuildResult()
        started = time.perf_counter()
        root = self.served if self.preview else settings.site_dir
        output = self.output
        output.begin(root)
        output.atomic = self.preview
        site = self.site_facts(settings)
        parts = PartsCache(cache_dir(settings.project_root))
        bodies = BodyConverter(
            self.plan.targets, settings.markdown_extensions, settings.mdx_configs, self.photos.pictures
        )
        job = Job(
            self.plan,
            self.photos,
            self.featured,
            site,
            templates,
            bodies,
            settings.docs_dir,
            parts,
            output,
            self.audience,
        )
        job.card_keys = card_keys(self.plan, self.featured)
        report = write_pages(job, self.workers())
        for src_path in sorted(report.unresolved):
            for link in report.unresolved[src_path]:
                log.warning(f"Bài docs/{src_path} có liên kết tới '{link}' nhưng không tìm thấy tệp này.")
        for src_path in sorted(report.removed):
            for line, message in report.removed[src_path]:
                content_log.warning(str(ContentError(f"docs/{src_path}", line, message)))
        # a preview drops unused parts now and then, not on every save (it adds a row or two a save)
        self._unpruned += report.rendered
        if not self.preview or self._unpruned > 2000:
            parts.keep_only(report.keys)
            self._unpruned = 0
        result.rendered = report.rendered
        result.seconds["pages"] = time.perf_counter() - started

        write_feeds(job, settings.site_description, list(self.config.categories))
        if self.search is not None:
            ok, files, seconds = self.search()
            if not ok:
                raise RuntimeError(f"Không tạo được chỉ mục tìm kiếm:\n{files}")
            assert isinstance(files, dict)
            for name, text in files.items():
                output.write(f"{INDEX_DIR}/{name}", text)
            result.seconds["search"] = seconds
        if self.config.storage is None:
            for path, stored in self.photos.files.items():
                output.link(path, stored)
        else:
            write_manifest(cache_dir(settings.project_root), self.photos.files)
        if admin is not None:
            self._write_admin(settings, admin, output.write)
        if self.preview:
            self._sync_staging(output)
            result.removed = output.finish(prune=True)
        else:
            output.finish(prune=False)
            # MkDocs' own compressed copy lists pages without our dates: drop it rather than disagree
            gz = os.path.join(root, "sitemap.xml.gz")
            if os.path.exists(gz):
                os.remove(gz)
        if not self.preview and (changed := tampered(root, settings.theme_dirs)):
            raise RuntimeError(
                "Tệp của bên thứ ba trong trang đã xây dựng khác với bản đã kiểm (VENDORED.json): "
                + ", ".join(changed)
                + ". Hãy lấy lại các tệp này từ kho mã nguồn của cổng."
            )
        result.written = output.done.written
        result.seconds["all"] = time.perf_counter() - started
        self.last = result
        return result

    def _write_admin(
        self, settings: Settings, admin: tuple[str, list[tuple[str, str]], str], write: Callable[[str, str], None]
    ) -> None:
        """/admin/: the web editor's page and its configuration, from mkdocs.yml and the content model."""
        assert self.config is not None
        version, pages, script_integrity = admin
        repo = read_options().repository
        folder = os.path.basename(settings.docs_dir.rstrip("/"))
        config = editor_config(self.config, settings.site_url, repo, pages, folder)
        write(f"{ADMIN_DIR}config.yml", editor_config_yaml(config))
        write(
            f"{ADMIN_DIR}index.html",
            admin_page(settings.site_name, version, self.config.editor.auth_url, script_integrity),
        )

    def _sync_staging(self, output: Output) -> None:
        """A preview: MkDocs' pages and files, from the staging folder into the served one,
        where they changed (the portal's own writes win where both wrote)."""
        staging = os.path.join(self.served, STAGING)
        written = set(output.done.produced)
        start = len(staging) + 1
        for folder, _, names in os.walk(staging):
            for name in names:
                source = os.path.join(folder, name)
                path = source[start:].replace(os.sep, "/")
                if path in written or path == "sitemap.xml.gz":
                    continue
                with open(source, "rb") as f:
                    output.write(path, f.read())


_PORTAL = Portal()


def the_portal() -> Portal:
    """The one Portal of this process. MkDocs executes the hook file anew for every build of a
    preview, so what must outlive a build (the command, the caches) cannot live there."""
    return _PORTAL
