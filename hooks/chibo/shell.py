"""Pages through a cached shell.

MkDocs renders each page through the whole Material template (header, menu, sidebar,
footer), which costs more than the article itself. Every article sits at the same
depth (`bai-viet/YYYY/MM/slug/`), so that chrome is identical for all of them: it is
rendered once with placeholders (a `Shell`) and each page only fills in its own parts.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from .csp import with_script_hashes

# A slot's marker: private-use characters (they survive HTML escaping) around a random token
# drawn once per build process, so that no title, summary or setting can forge one.
_TOKEN = secrets.token_hex(8)
_SLOT = re.compile(f"\ue000{_TOKEN}([a-z_]+)\ue000")


def slot(name: str) -> str:
    return f"\ue000{_TOKEN}{name}\ue000"


_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input[^>]*type="checkbox"[^>]*?) autocomplete="off"')


def fix_markup(html: str) -> str:
    """Two spots where Material 9.8's templates are not valid HTML: `autocomplete` on its
    checkbox toggles, and the table of contents' label for a `__toc` toggle that only
    pages in the menu have. And the page's Content-Security-Policy gets the hashes of the
    theme's inline scripts."""
    html = with_script_hashes(_CHECKBOX_AUTOCOMPLETE.sub(r"\1", html))
    if 'id="__toc"' not in html:
        html = html.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">')
    return html


@dataclass
class Shell:
    """A rendered page split at its slots: filling it is a join, not a template render."""

    parts: list[str]
    names: list[str]

    @classmethod
    def parse(cls, html: str) -> Shell:
        pieces = _SLOT.split(html)
        # even indexes: literal text; odd: slot names
        return cls(parts=pieces[0::2], names=pieces[1::2])

    def fill(self, values: dict[str, str]) -> str:
        out = [self.parts[0]]
        for name, text in zip(self.names, self.parts[1:], strict=True):
            out.append(values[name])
            out.append(text)
        return "".join(out)
