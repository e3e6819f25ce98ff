"""The editors' project on disk: mkdocs.yml, docs/ and the articles folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .addresses import ARTICLES
from .config import PortalConfig, load_portal_config


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its !!python tags (they are not ours to run)."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    root: Path
    config: dict[str, Any]

    @property
    def docs(self) -> Path:
        return self.root / str(self.config.get("docs_dir") or "docs")

    @property
    def articles(self) -> Path:
        return self.docs / ARTICLES.rstrip("/")

    def portal(self) -> PortalConfig:
        """The validated portal configuration; raises ContentErrors."""
        return load_portal_config(self.config.get("extra") or {})

    def markdown_extensions(self) -> tuple[list[str], dict[str, dict[str, Any]]]:
        """mkdocs.yml's markdown_extensions, as Python-Markdown takes them."""
        names: list[str] = []
        configs: dict[str, dict[str, Any]] = {}
        for item in self.config.get("markdown_extensions") or []:
            if isinstance(item, str):
                names.append(item)
            elif isinstance(item, dict):
                for name, options in item.items():
                    names.append(str(name))
                    if isinstance(options, dict):
                        configs[str(name)] = options
        return names, configs

    def theme_dirs(self) -> list[str]:
        """The theme's folders, as MkDocs searches them: the site's overrides, then Material's."""
        theme = self.config.get("theme") or {}
        dirs = []
        if isinstance(theme, dict) and theme.get("custom_dir"):
            dirs.append(str(self.root / str(theme["custom_dir"])))
        try:
            import material

            dirs.append(str(Path(material.__file__).parent / "templates"))
        except ImportError:
            pass
        return dirs

    def display_path(self, path: Path) -> str:
        """A path as the editor sees it, relative to the project."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


class NotAProject(Exception):
    pass


def find_project(start: Path | None = None) -> Project:
    """The project whose mkdocs.yml is in `start` or one of its parents."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        config_file = folder / "mkdocs.yml"
        if config_file.is_file():
            config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}  # noqa: S506
            return Project(folder, config)
    raise NotAProject(f"Không tìm thấy mkdocs.yml trong {here} hay thư mục cha: hãy chạy lệnh trong thư mục của trang.")
