"""Vietnamese text helpers: NFC, the one slug function, dates and numbers.

Everything that turns Vietnamese text into URLs or display strings goes
through here so that URLs, anchors, tags and categories always agree.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "vi"
# The site's time zone: UTC+7 all year, no daylight saving.
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

# đ/Đ have no Unicode decomposition, so stripping combining marks misses them.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Composed form: the Windows and macOS keyboards type decomposed text."""
    return unicodedata.normalize("NFC", text)


# Control characters (tab and line breaks aside) and the two non-characters that XML 1.0
# forbids: pasted from a web page or a terminal, they would make feeds malformed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """An editor's text as the portal reads it: control characters removed, then NFC."""
    return nfc(_CONTROL.sub("", text))


def fold(text: str) -> str:
    """Lower-case ASCII-ish form without diacritics: 'Đảng bộ' -> 'dang bo'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.lower()


@lru_cache(maxsize=65536)
def slugify(text: str, separator: str = "-") -> str:
    """ASCII, lower-case slug: 'Đảng bộ tổ chức' -> 'dang-bo-to-chuc'."""
    return _NON_SLUG.sub(separator, fold(text)).strip(separator)


def slugify_anchor(value: str, separator: str, unicode: bool = False) -> str:
    """Signature of Python-Markdown's `toc.slugify`, for heading anchors."""
    return slugify(value, separator)


@lru_cache(maxsize=1)
def _weekdays() -> tuple[str, ...]:
    """Babel's Vietnamese weekday names ("Thứ Hai" … "Chủ Nhật"), by date.weekday()."""
    monday = date(2024, 1, 1)
    return tuple(format_date(monday + timedelta(days=i), "EEEE", locale=LOCALE) for i in range(7))


def format_day(value: date | datetime, with_time: bool = False) -> str:
    """'Thứ Năm, 30/11/2023' (and ' 08:30' when the time was given).

    Same as Babel's "EEEE, dd/MM/yyyy", with the weekday names asked of Babel once:
    formatting each of 10,000 dates through Babel costs a noticeable part of a build."""
    day = f"{_weekdays()[value.weekday()]}, {value:%d/%m/%Y}"
    if with_time and isinstance(value, datetime):
        return f"{day} {value:%H:%M}"
    return day


def format_tenths(value: float) -> str:
    """One decimal, Vietnamese style: 4.25 -> '4,3', 4 -> '4,0'."""
    return format_decimal(round(value, 1), format="#,##0.0", locale=LOCALE)


def format_number(value: int) -> str:
    """Vietnamese thousands separator: 6835657 -> '6.835.657'."""
    return format_decimal(value, locale=LOCALE)


def format_size(size: int) -> str:
    """A file's size as readers read it: '350 kB', '1,2 MB'."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{format_decimal(round(size / 1_000_000, 1), locale=LOCALE)} MB"
