"""The portal through one build, and what a preview (`mkdocs serve`) keeps between its builds.

A `Session` lives as long as the process (a preview's whole life): the articles' read cache,
the output, the preview's search worker, the served folder. Each build goes through its steps
in order: `configure` (settings, counter figures: a `Configured`), `read` (every article, in
forked workers on a build, through the content-hash cache in a preview), `plan_site` (the
site's plan and its photos: one frozen `Build`, which every later step takes), then `write`
(a list of named, timed steps: pages, feeds and sitemap, search index, photos, the web
editor's files, finishing). The hook file calls these from MkDocs' events; nothing here
imports MkDocs.

In a preview MkDocs writes its own pages into a hidden staging folder, which `write` copies
into the served folder file by file where they changed: the served folder is never emptied, an
unchanged page keeps its modification time, and what no longer belongs (a deleted article's
page) is removed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .articles import ContentReader
from .attachments import Attachment, AttachmentCache, inspect_file
from .audience import Audience, make_audience
from .bodies import BodyConverter
from .cache import cache_dir, code_key, tracked_cache_files
from .catalog import now_in_vietnam
from .cms import ADMIN_DIR, admin_page, editor_config, editor_config_yaml
from .config import PortalConfig, load_portal_config
from .counter import Snapshot, fetch_snapshot, hits_reader, load_snapshot, save_snapshot
from .docs_files import refused
from .documents import Document, read_document
from .edits import same_site_files, with_bodies
from .errors import ContentError, ContentErrors
from .feeds import absolute
from .most_read import MostRead, fetch_most_read, load_most_read, save_most_read
from .old_addresses import MAP_FILE, SMALL_MAP, OldAddresses, Stub, read_map, stub_page
from .options import read_options
from .outputs import Output, PartsCache, Written, fingerprint
from .pages import SiteFacts, card_keys
from .photos import PhotoOutput, ShownPhoto, addressed_at, featured_images, make_photos
from .plan import SitePlan, SourceFile, make_plan
from .preview_index import PreviewIndex
from .ratings import RatingsSnapshot, load_ratings, save_ratings, update_ratings
from .search import DOCUMENTS_FILTER, INDEX_DIR, Analyses, make_index
from .storage import write_manifest
from .vendored import tampered
from .workers import run_forked, start_forked, working_on
from .writers import Job, Report, Templates, write_articles, write_feeds, write_library, write_pages

RATINGS_BUDGET = 3.0  # seconds a build may spend reading new ratings (the rest waits for the next build)
STAGING = ".chibo-mkdocs"
Admin = tuple[
    str, list[tuple[str, str]], str
]  # the web editor's version, the pages it edits, its script's integrity  # a preview's folder for MkDocs' own output (hidden: MkDocs never empties it)
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
    theme_key: str = ""  # theme language and features, the hook file's version


@dataclass(frozen=True)
class PlanInputs:
    """What `plan_site` made the last build from: a preview plans again from it when saved
    articles change more than their bodies."""

    files: Mapping[str, SourceFile]
    read: Mapping[str, Any]
    named: set[str]
    settings: Settings
    refused: tuple[ContentError, ...]
    documents: tuple[Mapping[str, Any], Mapping[str, Attachment | None]]


Refresh = Callable[["Build"], tuple[Templates, "Admin | None"]]
"""A preview's new build shown by the theme (its globals, and MkDocs' own pages written
again): returns the theme as the writers need it and the web editor's details."""


@dataclass(frozen=True)
class Configured:
    """What a build knows once its settings are read: the portal's settings and the counter's
    figures (read at most once per build)."""

    config: PortalConfig
    snapshot: Snapshot | None = None
    ratings: RatingsSnapshot | None = None
    most_read: MostRead | None = None


@dataclass(frozen=True)
class Build:
    """One build, from the moment its plan exists: what every page of it shows. A build cannot
    exist without its plan."""

    config: PortalConfig
    settings: Settings
    plan: SitePlan
    photos: PhotoOutput
    featured: Mapping[str, ShownPhoto]
    snapshot: Snapshot | None = None
    audience: Audience | None = None  # without a counter: no rating, no "Đọc nhiều"
    errors: tuple[ContentError, ...] = ()


@dataclass
class BuildResult:
    written: int = 0
    rendered: int = 0
    removed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class NoBuild(RuntimeError):
    """A step asked for the build before its settings were read or its plan made."""


class Session:
    """What outlives a build: the command, the read cache, the output, the preview's search
    worker and served folder; and the current build's `Configured` and `Build`."""

    def __init__(self) -> None:
        self.command = "build"
        self.configured: Configured | None = None
        self.build: Build | None = None
        self.reader = ContentReader()
        self.document_reader = ContentReader(read_document, "-documents")
        self.attachments = AttachmentCache()
        self.output = Output()
        self.served = ""  # a preview's served folder (MkDocs writes into its STAGING)
        self.search: Callable[[], tuple[bool, Written | str, float]] | None = None
        self.preview_index = PreviewIndex()
        self.last = BuildResult()
        self._unpruned = 0  # parts stored since the cache last dropped unused ones
        self.read_count = 0  # articles read in this build (the others' results were kept)
        self._library_keys: set[str] = set()  # parts the library's pages used in this build
        self._old_map: tuple[str, tuple[OldAddresses | None, list[ContentError]]] = ("", (None, []))
        self._last_job: Job | None = None  # a preview: the last build's writing job, for saved articles
        self._inputs: PlanInputs | None = None  # a preview: what the last plan was made from

    @property
    def preview(self) -> bool:
        return self.command == "serve"

    def settings_read(self) -> Configured:
        if self.configured is None:
            raise NoBuild("the portal's settings are read in on_config, before this step")
        return self.configured

    def current(self) -> Build:
        """The build whose plan the last `plan_site` made."""
        if self.build is None:
            raise NoBuild("the site's plan is made in on_files, before this step")
        return self.build

    def workers(self) -> int:
        """Processes for reading and writing: the machine's cores on a build (CHIBO_WORKERS
        overrides), one in a preview, where the caches must live in the server's process."""
        if self.command != "build":
            return 1
        return read_options().workers or min(os.cpu_count() or 1, 4)

    # -- configure ---------------------------------------------------------------------------

    def configure(self, extra: dict[str, Any], project_root: str, site_url: str = "") -> PortalConfig:
        """Raises ContentErrors for bad settings, or for cache files committed to the repository."""
        config = load_portal_config(extra)
        self.build = None
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
        snapshot = self._counter_snapshot(config, project_root)
        ratings, most_read = self._audience(config, snapshot, project_root, urlsplit(site_url).path or "/")
        self.configured = Configured(config, snapshot, ratings, most_read)
        return config

    def stage(self, site_dir: str) -> str:
        """In a preview: the folder MkDocs should write into instead of the served one."""
        self.served = site_dir
        return os.path.join(site_dir, STAGING)

    def _counter_snapshot(self, portal: PortalConfig, project_root: str) -> Snapshot | None:
        """Exact figures written into the HTML: fetched when a token is given, else (or when the
        server fails) the last good ones an earlier build kept. Never fails the build."""
        if portal.counter is None:
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

    def _audience(
        self, portal: PortalConfig, snapshot: Snapshot | None, project_root: str, prefix: str
    ) -> tuple[RatingsSnapshot | None, MostRead | None]:
        """Ratings and "Đọc nhiều" from the counter's API, when a token is given and the counter
        answered; else (or when it fails) what an earlier build kept. Never fails the build."""
        if portal.counter is None:
            return None, None
        folder = cache_dir(project_root)
        ratings, most_read = load_ratings(folder / "ratings.json"), load_most_read(folder / "most-read.json")
        token = read_options().counter_token
        if not token or snapshot is None or snapshot.taken < now_in_vietnam() - timedelta(minutes=5):
            return ratings, most_read  # no token, or the counter did not answer just now
        page = hits_reader(portal.counter, token)
        if problem := update_ratings(ratings, page, now_in_vietnam(), RATINGS_BUDGET):
            counter_log.warning("Chưa đọc hết các lượt đánh giá (%s); trang dùng số liệu đã có.", problem)
        try:
            most_read = fetch_most_read(page, now_in_vietnam(), prefix)
            save_most_read(folder / "most-read.json", most_read)
        except Exception as exc:  # noqa: BLE001 - the kept lists stay
            counter_log.warning("Không lấy được danh sách «Đọc nhiều» (%s); dùng danh sách lần trước.", exc)
        with contextlib.suppress(OSError):
            save_ratings(folder / "ratings.json", ratings)
        return ratings, most_read

    # -- read and plan -----------------------------------------------------------------------

    def read(self, articles: Mapping[str, str], project_root: str) -> dict[str, Any]:
        """Every article file (source path -> file on disk) read and validated. On a build the
        results an earlier build kept (`.cache/chibo/articles.pickle`) are used for the files
        whose content is unchanged, the others are read in forked workers."""
        portal = self.settings_read().config
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
                    digest, result, new = reader.read(src, f.read(), portal)
                # a kept result stays behind: the parent has it, and a forked worker's would
                # come back through a pipe, every article's text with it
                results.append((src, digest, result if new else None, new))
            return results

        items = list(articles.items())
        # forking costs more than it saves for a few hundred articles
        parts = [read(items)] if workers == 1 or len(items) < 500 else run_forked(read, items, workers)
        out: dict[str, Any] = {}
        for part in parts:
            for src, digest, result, new in part:
                out[src] = result if new else reader.known(src, digest, portal)
                if new:
                    reader.remember(src, digest, portal, result)
                    self.read_count += 1
        if not self.preview:
            with contextlib.suppress(OSError):  # no cache: the next build reads everything again
                reader.save(kept, out)
        return out

    def read_documents(
        self, documents: Mapping[str, str], docs_dir: str, known: set[str], project_root: str
    ) -> tuple[dict[str, Any], dict[str, Attachment | None]]:
        """Every document file (source path -> file on disk) read, and every file they attach
        inspected (None: not among `known`, the files MkDocs may publish). A file's result is
        kept by its content's hash: a warm build parses no PDF."""
        portal = self.settings_read().config
        read: dict[str, Any] = {}
        for src, path in documents.items():
            with open(path, "rb") as f:
                digest, result, new = self.document_reader.read(src, f.read(), portal)
            if new:
                self.document_reader.remember(src, digest, portal, result)
            read[src] = result
        kept = cache_dir(project_root) / "attachments.pickle"
        if not self.preview:
            self.attachments.load(kept)
        wanted = sorted({p for d in read.values() if isinstance(d, Document) for p in d.files})
        attachments: dict[str, Attachment | None] = {p: None for p in wanted if p not in known}
        for part in run_forked(
            functools.partial(self._inspect, docs_dir), [p for p in wanted if p in known], self.workers()
        ):
            for key, attachment, new in part:
                attachments[attachment.path] = attachment
                if new:
                    self.attachments.remember(key, attachment)
        if not self.preview:
            with contextlib.suppress(OSError):
                self.attachments.save(kept, {a.digest for a in attachments.values() if a is not None})
        return read, {p: attachments[p] for p in wanted}

    def _inspect(self, docs_dir: str, paths: list[str]) -> list[tuple[str, Attachment, bool]]:
        """(cache key, result, whether inspected now) of each file: a forked worker's share."""
        out = []
        for path in paths:
            working_on(f"docs/{path}")
            out.append(inspect_file(path, os.path.join(docs_dir, path), self.attachments))
        return out

    def plan_site(
        self,
        files: Mapping[str, SourceFile],
        read: Mapping[str, Any],
        named: set[str],
        settings: Settings,
        refused: Iterable[ContentError] = (),
        documents: tuple[Mapping[str, Any], Mapping[str, Attachment | None]] = ({}, {}),
    ) -> Build:
        """The build: its plan, its photos, and every problem (in Vietnamese), `refused` files included."""
        configured = self.settings_read()
        config = configured.config
        refused = tuple(refused)
        if self.preview:
            self._inputs = PlanInputs(files, read, named, settings, refused, documents)
        old, problems = self._old_addresses(settings.docs_dir) if MAP_FILE in files else (None, [])
        refused = [*refused, *problems]
        plan = make_plan(files, read, config, now_in_vietnam(), named, documents, old)
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
        if config.storage is not None:  # pages point at the storage; `chibo upload` sends the files
            photos = addressed_at(photos, config.storage.public_url)
        audience = (
            make_audience(
                plan.catalog.published,
                [c.name for c in config.categories],
                configured.ratings,
                configured.most_read,
                config.counter.offset_date,
            )
            if config.counter is not None
            else None
        )
        self.build = Build(
            config=config,
            settings=settings,
            plan=plan,
            photos=photos,
            featured=featured_images(plan.catalog, photos),
            snapshot=configured.snapshot,
            audience=audience,
            errors=tuple(sorted([*plan.errors, *photos.problems, *refused])),
        )
        return self.build

    def _old_addresses(self, docs_dir: str) -> tuple[OldAddresses | None, list[ContentError]]:
        """The import's map of old addresses, read again only when it changed."""
        with open(os.path.join(docs_dir, MAP_FILE), "rb") as f:
            raw = f.read()
        digest = hashlib.sha1(raw).hexdigest()
        if self._old_map[0] != digest:
            self._old_map = (digest, read_map(raw, f"docs/{MAP_FILE}"))
        return self._old_map[1]

    def start_search(self, build: Build, enabled: bool) -> None:
        """The index depends only on the plan: on a build it is made in a forked process while the
        pages are written; in a preview, in the background, written when ready (`PreviewIndex`)."""
        self.search = None
        if not enabled:
            return
        records, categories = build.plan.search_records, _search_filters(build)
        if self.preview:
            if problem := self.preview_index.problem:
                self.search = lambda: (False, problem, 0.0)
            self.preview_index.update(self.served, records, categories)
        else:
            kept = cache_dir(build.settings.project_root) / "search-words.pickle"
            self.search = start_forked(
                functools.partial(_written_index, records, categories, build.settings.site_dir, kept)
            )

    def template_cache(self, project_root: str) -> Any:
        """Compiled templates kept on disk (MkDocs makes a new template environment on every
        build, which would compile Material's templates again each time: a third of a preview's
        rebuild). Jinja checks each template's source against its compiled copy."""
        import jinja2

        folder = cache_dir(project_root) / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(str(folder))

    # -- a preview's saved articles ---------------------------------------------------------

    def answer_saves(self, saved: Mapping[str, str], refresh: Refresh | None = None) -> float | None:
        """A preview: the saved articles (source path -> file) written at once, and the seconds
        it took; None: MkDocs must build the site (no build yet, a file gone or refused, a
        problem, or a change to MkDocs' own files). A body edit writes the articles' pages
        (`edits.with_bodies`); another change plans the site again and, with `refresh`, has the
        portal write the new build as after a rebuild."""
        started = time.perf_counter()
        build, job = self.build, self._last_job
        if not self.preview or build is None or job is None:
            return None
        changed = self._read_saved(build, saved)
        if changed is None:
            return None
        if changed:
            plan = with_bodies(build.plan, changed, build.config.documents.link_mentions)
            if plan is not None:
                self.build = build = replace(build, plan=plan)
                if self._inputs is not None:  # a later save that plans again starts from these
                    self._inputs = replace(self._inputs, read={**self._inputs.read, **changed})
                self._write_saved(build, replace(job, plan=plan), list(changed))
            elif refresh is None or not self._replanned(build, changed, refresh):
                return None
        return time.perf_counter() - started

    def _read_saved(self, build: Build, saved: Mapping[str, str]) -> dict[str, Any] | None:
        """The saved articles that changed, read (through the read cache); None when one is gone,
        refused or has problems."""
        changed = {}
        settings = build.settings
        for src, path in saved.items():
            if refused(settings.docs_dir, [src], settings.theme_dirs):
                return None  # a symbolic link now, say: the build refuses it, with its reason
            try:
                with open(path, "rb") as f:
                    digest, result, new = self.reader.read(src, f.read(), build.config)
            except OSError:  # deleted or renamed: the site changes
                return None
            if isinstance(result, list):
                return None  # its problems are shown on every page
            if new:
                self.reader.remember(src, digest, build.config, result)
            if result != build.plan.catalog.published.get(src):
                changed[src] = result
        return changed

    def _replanned(self, build: Build, changed: Mapping[str, Any], refresh: Refresh) -> bool:
        """The site planned again with the changed articles and written, when MkDocs' own files
        stay as they are (`edits.same_site_files`) and no new problem appears; else False, and
        the last build stays current."""
        inputs = self._inputs
        if inputs is None or not set(changed) <= set(inputs.read):
            return False
        read = {**inputs.read, **changed}
        new = self.plan_site(inputs.files, read, inputs.named, inputs.settings, inputs.refused, inputs.documents)
        if new.errors != build.errors or not same_site_files((build.plan, build.photos), (new.plan, new.photos)):
            self.build, self._inputs = build, inputs
            return False
        templates, admin = refresh(new)
        assert self._last_job is not None  # answer_saves checked
        self.write(new, templates, admin, self._last_job.site)  # the same theme and settings
        self.start_search(new, read_options().search)  # after the pages, as for a body edit
        return True

    def _write_saved(self, build: Build, job: Job, paths: list[str]) -> None:
        """The saved articles' pages, and the search index in the background. `job` is the last
        build's with the new plan: what a body-only save leaves alone (the theme, the site's
        facts, how other pages show each article, where links lead) is the same."""
        self.output.begin(self.served)
        report = write_articles(job, paths)
        _log_report(report)
        self.output.add(report.done)
        self.output.amend()
        self.preview_index.update(self.served, build.plan.search_records, _search_filters(build))

    # -- write -------------------------------------------------------------------------------

    @staticmethod
    def site_facts(build: Build) -> SiteFacts:
        settings = build.settings
        logo = absolute(settings.site_url, build.config.banner.logo or "assets/portal/logo.png")
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
            code_key(),  # parts kept by another version of the portal are rendered again
            build.config.cache_key,
            json.dumps(settings.extra, sort_keys=True, default=repr),
            settings.site_url,
            settings.site_name,
            settings.theme_key,
        )
        return SiteFacts(settings.site_url, settings.site_name, logo, key)

    def write(
        self, build: Build, templates: Templates, admin: Admin | None, site: SiteFacts | None = None
    ) -> BuildResult:
        """Everything the portal writes, as named steps timed in the result; in a preview also
        MkDocs' own pages, from the staging folder. `admin`: the web editor's vendored version,
        the pages it may edit and its script's integrity (None: a theme without it); `site`:
        the site's facts when they are known (else read from the theme and settings)."""
        result = BuildResult()
        started = time.perf_counter()
        root = self.served if self.preview else build.settings.site_dir
        self.output.begin(root)
        self.output.atomic = self.output.owned = self.preview
        job = self._job(build, templates, site)
        self._last_job = job if self.preview else None
        steps: list[tuple[str, Callable[[], None]]] = [
            ("library", lambda: self._write_library(job, result)),  # first: the pages' step prunes the parts
            ("pages", lambda: self._write_pages(job, result)),
            ("feeds", lambda: write_feeds(job, build.settings.site_description, list(build.config.categories))),
            ("search index", lambda: self._write_search(result)),
            ("photos", lambda: self._publish_photos(build)),
            ("admin", lambda: self._write_admin(build, admin) if admin is not None else None),
            ("old addresses", lambda: self._write_old_addresses(build)),
            ("finish", lambda: self._finish(build, root, result)),
        ]
        for name, step in steps:
            begun = time.perf_counter()
            step()
            result.seconds[name] = result.seconds.get(name, 0.0) + time.perf_counter() - begun
        result.written = self.output.done.written
        result.seconds["all"] = time.perf_counter() - started
        self.last = result
        return result

    def _job(self, build: Build, templates: Templates, site: SiteFacts | None = None) -> Job:
        settings = build.settings
        library = build.plan.library
        bodies = BodyConverter(
            build.plan.targets,
            settings.markdown_extensions,
            settings.mdx_configs,
            build.photos.pictures,
            library.mentions if library is not None else None,
        )
        job = Job(
            build.plan,
            build.photos,
            build.featured,
            site or self.site_facts(build),
            templates,
            bodies,
            settings.docs_dir,
            PartsCache(cache_dir(settings.project_root)),
            self.output,
            build.audience,
        )
        last = self._last_job
        job.card_keys = card_keys(
            build.plan,
            build.featured,
            (last.plan.catalog.published, last.featured, last.card_keys) if last is not None else None,
        )
        return job

    def _write_pages(self, job: Job, result: BuildResult) -> None:
        report = write_pages(job, self.workers())
        _log_report(report)
        # a preview drops unused parts now and then, not on every save (it adds a row or two a save)
        self._unpruned += report.rendered
        if not self.preview or self._unpruned > 2000:
            job.parts.keep_only(report.keys | self._library_keys)
            self._unpruned = 0
        result.rendered += report.rendered

    def _write_library(self, job: Job, result: BuildResult) -> None:
        report = write_library(job, self.workers())
        for src_path in sorted(report.unresolved):
            for link in report.unresolved[src_path]:
                log.warning(f"Văn bản docs/{src_path} có liên kết tới '{link}' nhưng không tìm thấy tệp này.")
        self._library_keys = report.keys
        result.rendered += report.rendered

    def _write_search(self, result: BuildResult) -> None:
        if self.search is None:
            return
        ok, written, seconds = self.search()
        if not ok:
            raise RuntimeError(f"Không tạo được chỉ mục tìm kiếm:\n{written}")
        assert isinstance(written, Written)
        self.output.add(written)
        result.seconds["search"] = seconds  # in its own process, beside the pages

    def _publish_photos(self, build: Build) -> None:
        if build.config.storage is None:
            for path, stored in build.photos.files.items():
                self.output.link(path, stored)
        else:
            write_manifest(cache_dir(build.settings.project_root), build.photos.files)

    def _finish(self, build: Build, root: str, result: BuildResult) -> None:
        if self.preview:
            self._sync_staging(self.output)
            result.removed = self.output.finish(prune=True)
            return
        self.output.finish(prune=False)
        # MkDocs' own compressed copy lists pages without our dates: drop it rather than disagree
        gz = os.path.join(root, "sitemap.xml.gz")
        if os.path.exists(gz):
            os.remove(gz)
        if changed := tampered(root, build.settings.theme_dirs):
            raise RuntimeError(
                "Tệp của bên thứ ba trong trang đã xây dựng khác với bản đã kiểm (VENDORED.json): "
                + ", ".join(changed)
                + ". Hãy lấy lại các tệp này từ kho mã nguồn của cổng."
            )

    def _write_old_addresses(self, build: Build) -> None:
        """The old site's addresses, where nothing the site wrote has the path."""
        stubs = build.plan.old_addresses
        if stubs is None:
            return
        produced = set(self.output.done.produced)
        pages = [(path, stub) for path, stub in stubs.pages.items() if path not in produced]
        site_url, output = build.settings.site_url, self.output

        def write(part: list[tuple[str, Stub]]) -> int:
            before = output.done.written
            for path, stub in part:
                output.write(path, stub_page(path, stub, site_url))
            return output.done.written - before

        # tens of thousands of small files: creating them is the cost, shared out among workers
        before = output.done.written
        written = run_forked(write, pages, self.workers())
        output.done.produced.update(path for path, _ in pages)
        if output.done.written == before:  # written in forked workers: the parent's record learns of it
            output.done.written += sum(written)
        output.write(SMALL_MAP, json.dumps(stubs.small_map, ensure_ascii=False, separators=(",", ":")))

    def _write_admin(self, build: Build, admin: Admin) -> None:
        """/admin/: the web editor's page and its configuration, from mkdocs.yml and the content model."""
        settings = build.settings
        version, pages, script_integrity = admin
        folder = os.path.basename(settings.docs_dir.rstrip("/"))
        config = editor_config(build.config, settings.site_url, read_options().repository, pages, folder)
        self.output.write(f"{ADMIN_DIR}config.yml", editor_config_yaml(config))
        self.output.write(
            f"{ADMIN_DIR}index.html",
            admin_page(settings.site_name, version, build.config.editor.auth_url, script_integrity),
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


def _log_report(report: Report) -> None:
    """Links to no file, and what the sanitiser dropped, of the articles just written."""
    for src_path in sorted(report.unresolved):
        for link in report.unresolved[src_path]:
            log.warning(f"Bài docs/{src_path} có liên kết tới '{link}' nhưng không tìm thấy tệp này.")
    for src_path in sorted(report.removed):
        for line, message in report.removed[src_path]:
            content_log.warning(str(ContentError(f"docs/{src_path}", line, message)))


def _search_filters(build: Build) -> list[str]:
    """The search page's filters: the categories, and the library when it has documents."""
    categories = [c.name for c in build.config.categories]
    if build.plan.library is not None and build.plan.library.newest and DOCUMENTS_FILTER not in categories:
        categories.append(DOCUMENTS_FILTER)
    return categories


def _written_index(
    records: Iterable[Any], categories: list[str], site_dir: str, kept: Path
) -> tuple[bool, Written | str, float]:
    """The search index made and written into the site by the process that made it (a forked
    one, beside the pages): tens of MB of index text never travel back to the parent. The
    records' analyses an earlier build kept in `kept` are used, and this build's kept."""
    analyses = Analyses()
    analyses.load(kept)
    ok, files, seconds = make_index(records, categories, analyses)
    if not ok or not isinstance(files, dict):
        return False, str(files), seconds
    output = Output()
    output.begin(site_dir)
    for name in list(files):
        output.write(f"{INDEX_DIR}/{name}", files.pop(name))  # each file's text freed once written
    with contextlib.suppress(OSError):  # no cache: the next build analyses every record again
        analyses.save(kept)  # after the files: their text and the kept analyses never together
    return True, output.done, seconds


_SESSION = Session()


def the_session() -> Session:
    """The one Session of this process. MkDocs executes the hook file anew for every build of a
    preview, so what must outlive a build (the command, the caches) cannot live there."""
    return _SESSION
