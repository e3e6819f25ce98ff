"""The Content-Security-Policy of the public pages: the second line behind the sanitiser.

Scripts come only from the site itself (and the counter server's count.js when one is set),
plus the theme's own inline scripts, each allowed by its SHA-256: a script that reached a
page some other way would not run. Connections and images go to the site, the counter and
the photo storage only; a frame only to YouTube's no-cookie player, which the site's script
opens after a click.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from .config import PortalConfig

HASHES = "'portal-inline-scripts'"  # replaced on each page by the hashes of its inline scripts
VIDEO_PLAYER = "https://www.youtube-nocookie.com"
# inline scripts that run (no src, no data type such as application/json or ld+json)
_INLINE = re.compile(r"<script(?![^>]*\b(?:src|type)=)[^>]*>(.*?)</script>", re.DOTALL)


def _origin(url: str) -> str:
    """scheme://host[:port] of a configured address ("" for anything else: nothing may end the attribute)."""
    parts = urlsplit(url)
    ok = parts.scheme in ("http", "https") and re.fullmatch(
        r"[A-Za-z0-9.-]+(?::\d+)?|\[[0-9a-fA-F:]+\](?::\d+)?", parts.netloc
    )
    return f"{parts.scheme}://{parts.netloc}" if ok else ""


def policy(portal: PortalConfig) -> str:
    """The policy for this site's settings, with HASHES standing for the page's inline scripts."""
    counter = _origin(portal.counter.url) if portal.counter else ""
    counter_script = _origin(portal.counter.script) if portal.counter and portal.counter.script else ""
    storage = _origin(portal.storage.public_url) if portal.storage else ""

    def sources(*extra: str) -> str:
        return " ".join(["'self'", *dict.fromkeys(e for e in extra if e)])

    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {sources(HASHES, counter_script)}",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {sources('data:', counter, storage)}",
            "font-src 'self'",
            f"connect-src {sources(counter)}",
            f"media-src {sources(storage)}",
            f"frame-src {VIDEO_PLAYER}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_script_hashes(html: str) -> str:
    """The page with HASHES in its policy replaced by the hashes of its inline scripts."""
    if HASHES not in html:
        return html
    digests = dict.fromkeys(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE.findall(html)
    )
    return html.replace(HASHES, " ".join(digests) or "'none'", 1)
