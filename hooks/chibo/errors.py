"""Problems in the editors' content, reported in Vietnamese with file and line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem: where it is and what to write instead."""

    path: str  # as the editor sees it, e.g. "docs/bai-viet/2023/bai.md"
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentErrors(Exception):
    """Raised when the content cannot be published as it is."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.errors)
        lines = [f"Nội dung có {count} lỗi, cần sửa trước khi xuất bản:"]
        lines += [f"  {error}" for error in self.errors]
        return "\n".join(lines)
