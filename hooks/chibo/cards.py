"""Share cards: the 1200×630 preview image of an article without a photo (Facebook, Zalo and
Twitter show it beside a link): the site's name and the headline in Be Vietnam Pro (drawn for
Vietnamese) on the portal's red. A cold build makes one for every such article, so each is made
from parts done once per build:

- the frame (the red field, the white strip with the star and the site's name) is drawn once,
  and each word once (headlines share most of their syllables);
- the JPEG is written with a restart marker after every row of 16×16 blocks, which makes each
  row's coded bytes independent of the others. The frame is encoded once; a card encodes only
  the rows its headline covers, as a band, and takes every other row from the frame. The result
  is byte for byte the JPEG of the whole card (tests compare the two).
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .cache import atomic_write

SIZE = (1200, 630)
QUALITY = 70  # link previews are shown small; 1200×630 at 70 is about 65 kB
FONT = Path(__file__).with_name("fonts") / "BeVietnamPro-Bold.ttf"
SETTINGS = f"share {SIZE} q{QUALITY} rows"  # in every card's name: new settings, new files
RED, WHITE = (165, 29, 29), (255, 255, 255)
STRIP = 520  # where the white strip with the site's name begins
ROW = 16  # a row of JPEG blocks at 4:2:0 chroma subsampling
_RESTART = re.compile(rb"\xff[\xd0-\xd7]")


def encode(image: Image.Image) -> bytes:
    """A card's JPEG: 4:2:0, standard Huffman tables, a restart marker after every block row."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY, subsampling=2, optimize=False, restart_marker_rows=1)
    return out.getvalue()


def split_rows(jpeg: bytes) -> tuple[bytes, list[bytes]]:
    """(everything up to the scan's data, each block row's coded bytes) of a JPEG that `encode`
    wrote. Markers are walked by their lengths: table data may hold any byte."""
    at = 2  # after SOI
    while jpeg[at] == 0xFF and jpeg[at + 1] != 0xDA:
        at += 2 + int.from_bytes(jpeg[at + 2 : at + 4], "big")
    if jpeg[at : at + 2] != b"\xff\xda" or not jpeg.endswith(b"\xff\xd9"):
        raise ValueError("not a single-scan JPEG")
    start = at + 2 + int.from_bytes(jpeg[at + 2 : at + 4], "big")
    # in coded data 0xFF is always followed by 0x00 (stuffing) or a marker: RSTn splits rows
    return jpeg[:start], _RESTART.split(jpeg[start:-2])


def join_rows(head: bytes, rows: list[bytes]) -> bytes:
    parts = [head]
    for number, row in enumerate(rows):
        if number:
            parts.append(bytes((0xFF, 0xD0 + (number - 1) % 8)))
        parts.append(row)
    parts.append(b"\xff\xd9")
    return b"".join(parts)


@dataclass(frozen=True)
class _Word:
    mask: Image.Image
    left: int  # the mask's offset from the pen position
    top: int
    advance: int


@dataclass(frozen=True)
class _Frame:
    image: Image.Image
    head: bytes
    rows: list[bytes]


class ShareCards:
    """Cards kept in `store` (flat file names), each made once per headline."""

    def __init__(self, site_name: str, store: Path) -> None:
        self.store = store
        self.site_name = site_name
        self._font = ImageFont.truetype(str(FONT), 58)
        self._space = self._font.getlength(" ")
        self._words: dict[str, _Word] = {}
        self._frame: _Frame | None = None
        self._white_field = Image.new("RGB", (SIZE[0], 160), WHITE)

    def _white(self, size: tuple[int, int]) -> Image.Image:
        """White of `size`, to paste through a word's mask: a colour through a mask costs Pillow
        twice as much, and a white image kept per word four times the masks' memory."""
        if size[0] > self._white_field.width or size[1] > self._white_field.height:
            return Image.new("RGB", size, WHITE)
        return self._white_field.crop((0, 0, *size))

    def _frame_parts(self) -> _Frame:
        if self._frame is None:
            image = Image.new("RGB", SIZE, RED)
            draw = ImageDraw.Draw(image)
            small = ImageFont.truetype(str(FONT), 30)
            draw.rectangle((0, STRIP, SIZE[0], SIZE[1]), fill=WHITE)
            draw.polygon(_star(90, 575, 32), fill=(255, 205, 0))
            draw.text((150, 555), _fit(draw, self.site_name, small, 990), font=small, fill=(120, 20, 20))
            self._frame = _Frame(image, *split_rows(encode(image)))
        return self._frame

    def _word(self, word: str) -> _Word:
        if word not in self._words:
            left, top, right, bottom = (int(v) for v in self._font.getbbox(word, anchor="ls"))
            mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
            ImageDraw.Draw(mask).text((-left, -top), word, font=self._font, fill=255, anchor="ls")
            self._words[word] = _Word(mask, left, top, round(self._font.getlength(word)))
        return self._words[word]

    def layout(self, title: str) -> list[tuple[_Word, int, int]]:
        """Each word's mask and where it goes: at most five lines of 1080 px, centred in the red."""
        lines: list[list[str]] = [[]]
        width: float = 0
        for word in title.split():
            advance = self._word(word).advance
            if lines[-1] and width + self._space + advance > 1080:
                lines.append([])
                width = 0
            width += (self._space if lines[-1] else 0) + advance
            lines[-1].append(word)
        lines = lines[:5]
        top = max(40, (STRIP - 76 * len(lines)) // 2) + 58
        placed = []
        for number, words in enumerate(lines):
            x = 60.0
            for word in words:
                drawn = self._word(word)
                if x + drawn.advance > 1140:
                    break
                placed.append((drawn, round(x) + drawn.left, top + 76 * number + drawn.top))
                x += drawn.advance + self._space
        return placed

    def whole(self, title: str) -> Image.Image:
        """The card as one image (what `jpeg` encodes in parts)."""
        image = self._frame_parts().image.copy()
        for word, x, y in self.layout(title):
            image.paste(self._white(word.mask.size), (x, y), word.mask)
        return image

    def jpeg(self, title: str) -> bytes:
        frame = self._frame_parts()
        placed = self.layout(title)
        if not placed:
            return join_rows(frame.head, frame.rows)
        first = max(0, min(y for _, _, y in placed)) // ROW
        last = min(STRIP, max(y + word.mask.height for word, _, y in placed))
        end = min(-(-last // ROW), STRIP // ROW)
        band = frame.image.crop((0, first * ROW, SIZE[0], end * ROW))
        for word, x, y in placed:
            band.paste(self._white(word.mask.size), (x, y - first * ROW), word.mask)
        _, rows = split_rows(encode(band))
        return join_rows(frame.head, [*frame.rows[:first], *rows, *frame.rows[end:]])

    def make(self, title: str, name: str) -> None:
        """The card of `title` into the store, as `name` (from `card_name`)."""
        atomic_write(self.store / name, self.jpeg(title))  # whole or not at all: a kept file is trusted


@functools.lru_cache(maxsize=1 << 16)  # a preview names every card again after each new title
def card_name(site_name: str, title: str, folder: str) -> tuple[str, str]:
    """(site path, file name in the store) of the headline's card, whether made or not."""
    digest = hashlib.sha256(f"{SETTINGS}\0{site_name}\0{title}".encode()).hexdigest()[:16]
    site_path = f"{folder}chia-se-{digest}.jpg"
    return site_path, site_path.replace("/", "__")


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    while text and draw.textlength(text, font=font) > width:
        text = text[:-2].rstrip() + "…"
    return text


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points
