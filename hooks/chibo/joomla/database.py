"""A live Joomla database (`--dsn mysql://user:password@host:3306/joomla`, or
`mysql://user@localhost/joomla?unix_socket=/run/mysqld/mysqld.sock`), read into the same
tables a dump gives. Only SELECTs: the old site's database is never changed."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from .dump import Table


class DatabaseError(ValueError):
    """The database cannot be read: said in Vietnamese, with what to do."""


def _connect(dsn: str):  # type: ignore[no-untyped-def]  # PyMySQL ships no types
    import pymysql

    parts = urlsplit(dsn)
    if parts.scheme not in ("mysql", "mariadb") or not parts.path.strip("/"):
        raise DatabaseError(
            f'--dsn "{dsn}" không đúng dạng; hãy viết mysql://tên:mật-khẩu@máy-chủ:3306/tên-cơ-sở-dữ-liệu'
        )
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        return pymysql.connect(
            host=parts.hostname or "localhost",
            port=parts.port or 3306,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            database=unquote(parts.path.strip("/")),
            unix_socket=options.get("unix_socket"),
            charset="utf8mb4",
            connect_timeout=10,
            read_timeout=300,
        )
    except pymysql.MySQLError as exc:
        raise DatabaseError(f"không kết nối được cơ sở dữ liệu ({exc}); hãy kiểm tra địa chỉ, tên và mật khẩu") from exc


def read_database(
    dsn: str, wanted: Callable[[str], bool], progress: Callable[[int, int], None] | None = None
) -> dict[str, Table]:
    """The tables whose names `wanted` accepts, as a dump of the same database would give them."""
    import pymysql

    connection = _connect(dsn)
    tables: dict[str, Table] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW TABLES")
            names = [row[0] for row in cursor.fetchall() if wanted(row[0])]
            for number, name in enumerate(names, 1):
                cursor.execute(f"SELECT * FROM `{name.replace('`', '``')}`")
                columns = [d[0] for d in cursor.description]
                rows = [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in cursor.fetchall()]
                tables[name] = Table(columns, rows)
                if progress is not None:
                    progress(number, len(names))
    except pymysql.MySQLError as exc:
        raise DatabaseError(f"không đọc được cơ sở dữ liệu ({exc})") from exc
    finally:
        connection.close()
    return tables


def _plain(value: object) -> str | int | float | None:
    """What the dump would hold: dates as their text, bytes decoded."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    return str(value)
