"""The site's own addresses, one place: every folder the portal writes, and from them the
category slugs and docs/ paths that editors may not take."""

from __future__ import annotations

ARTICLES = "bai-viet/"  # bai-viet/<year>/<month>/<slug>/; also the articles' folder in docs/
ARCHIVE = "luu-tru/"  # luu-tru/<year>/<month>/
TAGS = "the/"
AUTHORS = "tac-gia/"
PAGES = "trang/"  # a listing's later pages: <listing>trang/2/
SEARCH = "tim-kiem/"
SEARCH_INDEX = "tim-kiem/chi-muc"
ADMIN = "admin/"
RATINGS = "danh-gia/"
MOST_READ = "doc-nhieu/"
ASSETS = "assets/"  # the theme's and the portal's styles, scripts and images
DOCUMENTS = "van-ban/"  # the document library: van-ban/<year>/<number>/; also its folder in docs/
# a category with the library's slug ("Văn bản" in the menu) lists its articles here
DOCUMENTS_ARTICLES = "van-ban/tin-bai/"
DOCUMENT_TYPES = "van-ban/loai/"  # van-ban/loai/<type>/
OLD_ADDRESSES = "dia-chi-cu/"  # the old site's article ids (dia-chi-cu/<id>/) and the map of its categories

_FOLDERS = (ARTICLES, ARCHIVE, TAGS, AUTHORS, PAGES, SEARCH, ADMIN, RATINGS, MOST_READ, ASSETS, OLD_ADDRESSES)
# Material's search plugin writes search/ when enabled
RESERVED_SLUGS = frozenset({folder.rstrip("/") for folder in _FOLDERS} | {"search"})
# top-level names of docs/ that the site's own files use
RESERVED_TOP = frozenset(
    {ADMIN.rstrip("/"), ASSETS.rstrip("/"), OLD_ADDRESSES.rstrip("/"), "search", SEARCH.rstrip("/"), "404.html", "feed.xml", "sitemap.xml",
     "sitemap.xml.gz", "robots.txt", "CNAME", ".nojekyll"}
)  # fmt: skip
