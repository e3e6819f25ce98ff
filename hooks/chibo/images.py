"""Photos at build time: phone photos become a few small AVIF variants and one WebP for
browsers without AVIF, rotated as the phone held them, in sRGB, with every piece of metadata (the GPS position first) dropped.

Pillow (and pillow-heif for iPhone HEIC photos) does the work. Results are kept in a
store (`.cache/chibo/images/`, which the publishing workflow restores) keyed by the
photo's content and the settings below, so a warm build encodes only new photos.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from . import cards
from .cache import atomic_write

# Formats read and re-encoded; SVG and GIF (animation) are published as they are.
RASTER = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
# AVIF, which every browser readers use has shown since 2024 (Chrome 85, Safari 16, Firefox 93),
# at a card's thumbnail on a phone (30vw of 390 px at 3×: 351), a card or a gallery thumbnail on a
# computer, and a phone's full width at 2–3× or an article column on a computer. Without the 360
# a home page's ten thumbnails cost 165 kB instead of 95 kB, fetched beside the lead photo. At
# quality 50 it matches WebP 65 on PSNR at 960 px with a quarter fewer bytes; speed 8 costs 1 %
# more bytes than speed 6 for a quarter of the time. Measured in
# bench/photos.py and bench/projection.py against the budgets (about 100 kB a photo).
WIDTHS = (360, 480, 960)
QUALITY = 50
SPEED = 8
# One WebP for browsers without AVIF (older iPhones): small, it is their only size.
FALLBACK_WIDTH = 480
FALLBACK_QUALITY = 60
# Originals kept in the repository: a photo over WARN_BYTES or WARN_SIDE is reported by
# `chibo check`; `chibo shrink` and the web editor bring it to at most ORIGINAL_MAX a side.
ORIGINAL_MAX = 2000
WARN_BYTES = 3_000_000
WARN_SIDE = 2500
SHARE_SIZE = cards.SIZE  # a photo's share image: its crop, at the size of a share card
SHARE_QUALITY = 70  # link previews are shown small; 1200×630 at 70 is about 120 kB
# Part of every key: changing a setting makes new files rather than reusing old ones.
SETTINGS = (
    f"v2 avif q{QUALITY} s{SPEED} {WIDTHS} webp q{FALLBACK_QUALITY} {FALLBACK_WIDTH} "
    f"share {SHARE_SIZE} q{SHARE_QUALITY}"
)
# A phone photo is 12–50 million pixels; refuse what only a forged file would be.
Image.MAX_IMAGE_PIXELS = 120_000_000
# What the build decodes: a 15,000 × 15,000 PNG of 248 kB would take 1.8 GB and 8 s per worker.
# Judged on the size the file's header declares, before anything is decoded; `chibo shrink`,
# run by hand, may still take a larger original.
BUILD_MAX_PIXELS = 50_000_000

try:  # iPhone photos
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a dependency
    pass


class ImageProblem(Exception):
    """A photo the build cannot use; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Variant:
    path: str  # site path
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """A processed photo: its AVIF variants, smallest first, the WebP for browsers without
    AVIF, and its share image."""

    source: str  # docs path of the original
    variants: tuple[Variant, ...]
    fallback: Variant
    share: str = ""  # site path of the 1200×630 JPEG, for link previews

    @property
    def largest(self) -> Variant:
        return self.variants[-1]

    @property
    def default(self) -> Variant:
        """The `src`: what a browser without AVIF (or without `srcset`) shows."""
        return self.fallback

    @property
    def files(self) -> tuple[str, ...]:
        """Every site path this photo publishes."""
        return (*(v.path for v in self.variants), self.fallback.path, *((self.share,) if self.share else ()))


def is_raster(path: str) -> bool:
    return path.lower().endswith(RASTER)


def _names(source: str, digest: str) -> tuple[str, str]:
    """Site paths are the original's folder and name plus a short content hash: a changed
    photo gets new addresses, so no browser or CDN ever shows the old one."""
    stem = posixpath.splitext(source)[0]
    return f"{stem}-{digest[:10]}", f"{stem}-{digest[:10]}-chia-se.jpg"


def _open(data: bytes, width: int) -> Image.Image:
    """The photo decoded (JPEG at a reduced scale when `width` is still reached), upright, in sRGB."""
    opened = Image.open(io.BytesIO(data))
    if opened.format == "JPEG":
        # decode at 1/2, 1/4 or 1/8 scale: much faster; a phone held upright stores the width as height
        turned = opened.getexif().get(0x0112) in (5, 6, 7, 8)
        opened.draft("RGB", (1, width) if turned else (width, 1))
    opened.load()
    icc = opened.info.get("icc_profile")
    image: Image.Image = ImageOps.exif_transpose(opened)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode in ("LA", "PA") else "RGB")
    if icc:
        try:  # phones shoot in Display P3: convert, or the colours fade once the profile is gone
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = (
                ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode) or image
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    image.info = {}  # nothing of the original's metadata may follow it
    return image


def _decode(data: bytes, width: int, max_pixels: int = BUILD_MAX_PIXELS) -> tuple[Image.Image, str]:
    """`_open`, and the file's format; ImageProblem in Vietnamese for what is not a readable photo."""
    try:
        declared = Image.open(io.BytesIO(data))  # reads the header only
        if declared.width * declared.height > max_pixels:
            raise ImageProblem(
                f"ảnh {declared.width} × {declared.height} điểm ảnh (hơn {max_pixels // 1_000_000} triệu): "
                "quá lớn để xây dựng trang; hãy thu nhỏ bằng lệnh chibo shrink rồi chép lại"
            )
        return _open(data, width), declared.format or "JPEG"
    except Image.DecompressionBombError:
        raise ImageProblem("ảnh quá lớn (hơn 120 triệu điểm ảnh); hãy thu nhỏ ảnh rồi chép lại") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(
            f"không đọc được ảnh ({exc}); tệp có thể bị hỏng hoặc chép chưa hết. Hãy chép lại ảnh gốc "
            "(JPEG, PNG, WebP hoặc HEIC)."
        ) from None


def _save_like(image: Image.Image, fmt: str, quality: dict[str, int]) -> bytes:
    """The image in the format it came in (HEIC stays HEIC), at `quality` for that format."""
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=quality["WEBP"])
    elif fmt in ("HEIF", "HEIC"):
        image.save(out, "HEIF", quality=quality["HEIF"])
    else:
        image.convert("RGB").save(out, "JPEG", quality=quality["JPEG"], optimize=True)
    return out.getvalue()


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        (image if image.mode == "RGB" else image.convert("RGB")).save(out, "JPEG", quality=quality)
    elif fmt == "AVIF":
        # one thread: the build's worker processes already use every core
        image.save(out, "AVIF", quality=quality, speed=SPEED, max_threads=1)
    else:
        image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()


def _share_crop(image: Image.Image) -> Image.Image:
    return ImageOps.fit(image.convert("RGB"), SHARE_SIZE, Image.Resampling.LANCZOS, centering=(0.5, 0.4))


def content_id(data: bytes) -> str:
    """What a photo's files are keyed by: Git's id of the same content (a blob's SHA-1), so that
    the ids Git already holds for committed photos can be used without reading them."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def process(
    source: str, data: bytes | Callable[[], bytes], store: Path, share: bool = False, known: str = ""
) -> Picture:
    """The photo's variants (and share image), from the store when already made. `data` may be
    a function that reads the file, called only when `known` (the content's id, from Git) is not
    given or the photo is not in the store yet. Raises ImageProblem for an unreadable photo."""
    if not known:
        data = data() if callable(data) else data
        known = content_id(data)
    digest = hashlib.sha256(f"{known}{SETTINGS}".encode()).hexdigest()
    # the same photo under two names gets two sets of names: one record per (content, name)
    record = store / f"{hashlib.sha256(f'{digest}{source}'.encode()).hexdigest()}.json"
    try:
        cached = json.loads(record.read_text(encoding="utf-8"))
        picture = Picture(
            source, tuple(Variant(**v) for v in cached["variants"]), Variant(**cached["fallback"]), cached["share"]
        )
        if (not share or picture.share) and all((store / _stored(path)).is_file() for path in picture.files):
            return picture
    except (OSError, ValueError, KeyError, TypeError):
        pass
    base, share_path = _names(source, digest)
    image, _ = _decode(data() if callable(data) else data, WIDTHS[-1])
    width, height = image.size
    widths = sorted({min(w, width) for w in (*WIDTHS, FALLBACK_WIDTH)}, reverse=True)
    variants = []
    fallback = None
    store.mkdir(parents=True, exist_ok=True)
    current = image
    for w in widths:  # each from the next larger one: fewer pixels to resample
        if current.width != w:
            current = current.resize((w, max(1, round(height * w / width))), Image.Resampling.LANCZOS)
        if w in WIDTHS or w == width:  # a photo narrower than a width: its own width instead
            variant = Variant(f"{base}-{w}.avif", w, current.height)
            atomic_write(store / _stored(variant.path), _encode(current, "AVIF", QUALITY))
            variants.append(variant)
        if w == min(FALLBACK_WIDTH, width):
            fallback = Variant(f"{base}-{w}.webp", w, current.height)
            atomic_write(store / _stored(fallback.path), _encode(current, "WEBP", FALLBACK_QUALITY))
    assert fallback is not None
    variants.reverse()
    if share:
        atomic_write(store / _stored(share_path), _encode(_share_crop(image), "JPEG", SHARE_QUALITY))
    picture = Picture(source, tuple(variants), fallback, share_path if share else "")
    atomic_write(
        record,
        json.dumps(
            {"variants": [asdict(v) for v in variants], "fallback": asdict(fallback), "share": picture.share}
        ).encode(),
    )
    return picture


def clean_original(source: str, data: bytes, store: Path) -> str:
    """An original that something links to on purpose, published under its own name at full
    size but upright and without its metadata (no GPS position ever leaves the phone's photo).
    Returns the file's name in the store."""
    digest = hashlib.sha256(data + SETTINGS.encode() + b"original").hexdigest()
    name = f"{digest[:32]}-{posixpath.basename(source)}"
    if (store / name).is_file():
        return name
    image, fmt = _decode(data, 1 << 30)
    store.mkdir(parents=True, exist_ok=True)
    atomic_write(store / name, _save_like(image, fmt, {"JPEG": 92, "WEBP": 90, "HEIF": 90}))
    return name


def without_position(data: bytes) -> bytes | None:
    """The photo without its GPS position, otherwise as it was (a JPEG keeps its quantisation
    tables, so it looks the same); None when it has no position (or is not a photo)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            if not exif.get_ifd(0x8825):
                return None
            del exif[0x8825]  # the pointer to the GPS block: the block goes with it
            out = io.BytesIO()
            extra = {"quality": "keep"} if image.format == "JPEG" else {}
            image.save(out, image.format, exif=exif.tobytes(), icc_profile=image.info.get("icc_profile"), **extra)
            return out.getvalue()
    except (OSError, ValueError, SyntaxError, KeyError):
        return None


def needs_shrinking(path: Path) -> str:
    """Why an original should be shrunk before it goes into the repository ("" if it need not):
    too heavy, too large, or carrying a GPS position. Reads the file's header only."""
    try:
        size = path.stat().st_size
        with Image.open(path) as image:
            side = max(image.size)
            gps = bool(image.getexif().get_ifd(0x8825))
    except (OSError, ValueError, SyntaxError):
        return ""  # unreadable: the build says so
    reasons = []
    if size > WARN_BYTES:
        reasons.append(f"nặng {size / 1e6:.1f} MB")
    if side > WARN_SIDE:
        reasons.append(f"cạnh dài {side} điểm ảnh")
    if gps:
        reasons.append("còn vị trí GPS")
    return ", ".join(reasons)


def shrink(data: bytes) -> bytes:
    """The original upright, at most ORIGINAL_MAX a side, without metadata, in its own format
    (HEIC becomes HEIC again). About 300–550 kB for a phone photo (JPEG at quality 78).
    Raises ImageProblem for what is not a readable photo."""
    image, fmt = _decode(data, ORIGINAL_MAX, Image.MAX_IMAGE_PIXELS or BUILD_MAX_PIXELS)
    image.thumbnail((ORIGINAL_MAX, ORIGINAL_MAX), Image.Resampling.LANCZOS)
    return _save_like(image, fmt, {"JPEG": 78, "WEBP": 85, "HEIF": 80})


def _stored(site_path: str) -> str:
    """A variant's file name in the store (flat: its name already holds the content hash)."""
    return site_path.replace("/", "__")


def stored_file(store: Path, site_path: str) -> Path:
    return store / _stored(site_path)
