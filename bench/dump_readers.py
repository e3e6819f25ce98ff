"""The portal's dump reader (`chibo.joomla.dump`) against the field's SQL parser, sqlglot, on
the same Joomla dump: wall time and peak memory of reading every row of `#__content`.

    python bench/joomla.py --articles 10000          # makes the dump
    python bench/dump_readers.py bench/out/joomla-10000/joomla.sql

Each reader runs in a process of its own (peak memory is that process's). sqlglot reads
MySQL's dialect; Joomla's column types (`float unsigned`, zero dates) make it raise, so it runs
with its errors ignored, as the migration's notes found. Needs `pip install sqlglot`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

PORTAL = """
import sys
from pathlib import Path
from chibo.joomla.dump import read_dump
tables = read_dump(Path(sys.argv[1]), lambda name: name.endswith("_content"))
print(sum(len(t.rows) for t in tables.values()))
"""

SQLGLOT = """
import sys
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel
text = open(sys.argv[1], encoding="utf-8").read()
rows = 0
for statement in sqlglot.parse(text, read="mysql", error_level=ErrorLevel.IGNORE):
    table = statement.this if isinstance(statement, exp.Insert) else None
    if isinstance(table, exp.Table) and table.name.endswith("_content") and statement.expression is not None:
        rows += len(statement.expression.expressions)
print(rows)
"""


def run(name: str, code: str, dump: str) -> None:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, dump], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    verdict = f"{out.strip()} rows" if status == 0 else f"failed ({status})"
    print(f"{name}: {wall:.1f} s, peak {usage.ru_maxrss / 1024:.0f} MB, {verdict}")


def main() -> None:
    dump = sys.argv[1]
    print(f"{dump}: {os.path.getsize(dump) / 1e6:.1f} MB")
    run("chibo.joomla.dump", PORTAL, dump)
    run("sqlglot (errors ignored)", SQLGLOT, dump)


if __name__ == "__main__":
    main()
