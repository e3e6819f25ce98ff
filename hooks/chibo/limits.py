"""What one article may cost the build: refused with file and line before Python-Markdown sees it.

Python-Markdown's time grows with the square of some shapes of text (measured on this
project's 2-core machine: 2,000 nested brackets 0.5 s, 4,000 unclosed `<img ` 1.6 s; 100 kB of
`[[[…]]](x)` took 246 s, 16,000 `[a](` 68 s), and about 300 nested list levels exhaust Python's recursion. No real
article comes near these limits; a pasted or crafted one does.
"""

from __future__ import annotations

import re

MAX_BYTES = 500_000
MAX_TAGS = 30
MAX_BRACKETS = 32  # nested [ … ] (a link in a link in a link…)
MAX_UNCLOSED = 200  # "<tag" with no ">" before the next "<"
MAX_DEPTH = 60  # levels of lists (four spaces each) or quotes (">")

_DEEP = re.compile(rf"^(?:(?:\t|    ){{{MAX_DEPTH},}}|(?:>[ \t]?){{{MAX_DEPTH},}})", re.MULTILINE)
_UNCLOSED = re.compile(r"<[A-Za-z/!?][^<>]*(?=<|\Z)")


def size_problem(raw: bytes) -> str | None:
    if len(raw) <= MAX_BYTES:
        return None
    return (
        f"tệp dài {len(raw) // 1000:,} kB, quá giới hạn {MAX_BYTES // 1000} kB của một bài; "
        "hãy chia thành nhiều bài, hoặc đưa văn bản dài vào tệp PDF đính kèm"
    ).replace(",", ".")


def tags_problem(count: int) -> str | None:
    if count <= MAX_TAGS:
        return None
    return f'trường "tags" có {count} thẻ, quá {MAX_TAGS}; hãy giữ vài thẻ chính của bài'


def body_problems(text: str) -> list[tuple[int, str]]:
    """(offset in `text`, message) for each shape of text the build refuses."""
    out = []
    if text.count("[") > MAX_BRACKETS and (at := _deep_brackets(text)) is not None:
        out.append((at, f"ngoặc vuông [ ] lồng nhau quá {MAX_BRACKETS} tầng; hãy bỏ bớt dấu ngoặc"))
    if text.count("<") > MAX_UNCLOSED:
        unclosed = [m.start() for m in _UNCLOSED.finditer(text)]
        if len(unclosed) > MAX_UNCLOSED:
            out.append(
                (
                    unclosed[0],
                    f"có {len(unclosed)} thẻ HTML mở bằng < mà không đóng bằng >; "
                    "hãy xóa các dấu < thừa (hoặc viết &lt;)",
                )
            )
    if text.count("](") > MAX_UNCLOSED and (at := _unclosed_links(text)) is not None:
        out.append((at, f"có hơn {MAX_UNCLOSED} liên kết [chữ](địa chỉ) thiếu dấu ) đóng; hãy viết đủ dấu ngoặc"))
    if match := _DEEP.search(text):
        out.append(
            (match.start(), f"danh sách hoặc trích dẫn lồng nhau quá {MAX_DEPTH} tầng; hãy bớt thụt lề hay dấu >")
        )
    return out


def _unclosed_links(text: str) -> int | None:
    """Where the links "[…](" that no ")" closes before the next one become too many (Python-Markdown
    looks for each one's closing to the end of the text: 16,000 of them took 68 s)."""
    unclosed, first, open_at = 0, None, -1
    for match in re.finditer(r"\]\(|\)", text):
        if match.group() == ")":
            open_at = -1
            continue
        if open_at >= 0:
            unclosed += 1
            first = open_at if first is None else first
            if unclosed > MAX_UNCLOSED:
                return first
        open_at = match.start()
    return None


def _deep_brackets(text: str) -> int | None:
    depth = 0
    for match in re.finditer(r"[\[\]]", text):
        depth = depth + 1 if match.group() == "[" else max(depth - 1, 0)
        if depth > MAX_BRACKETS:
            return match.start()
    return None
