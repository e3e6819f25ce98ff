"""The code stays ruff-clean: lint and format are part of the test suite."""

from __future__ import annotations

import subprocess
import sys

from support import REPO


def test_ruff_check() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_ruff_format() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_mypy() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_starts_with_the_two_commands_and_points_to_the_manuals() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```", 2)[1].splitlines()[1:]
    commands = [line for line in block if line and not line.startswith("#")]
    assert len(commands) == 2 and "mkdocs serve" in commands[0] and commands[1].endswith("python -m pytest")
    assert len(text.splitlines()) <= 150
    for manual in ("HUONG-DAN.md", "ARCHITECTURE.md", "BENCHMARKS.md", "CHANGELOG.md"):
        assert f"]({manual})" in text and (REPO / manual).is_file(), manual
    ci = subprocess.run(
        ["awk", "/^```/{n++; next} n==1 && /python -m pytest/{print; exit}", "README.md"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert ci.stdout.strip() == commands[1]  # what .ci/run runs


def test_no_function_of_the_portal_is_longer_than_60_lines() -> None:
    import ast

    long = []
    for path in sorted((REPO / "hooks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({length} lines)")
    assert long == []
