"""A Joomla 3.10 site's database on a real MariaDB server (Debian's, started here in a
temporary folder), its exports as sites make them (`mariadb-dump`'s defaults, and
phpMyAdmin's style with column lists and a row per line), and a copy of its files.

The schema is the part of Joomla 3.10's installation SQL that the import reads, with the
columns in Joomla's order (a dump without column lists depends on it); the tables have the
random prefix a Joomla 3 install gives them.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREFIX = "k3x9q_"

SCHEMA = """
CREATE TABLE `#__content` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `asset_id` int(10) unsigned NOT NULL DEFAULT 0,
  `title` varchar(255) NOT NULL DEFAULT '',
  `alias` varchar(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `introtext` mediumtext NOT NULL,
  `fulltext` mediumtext NOT NULL,
  `state` tinyint(3) NOT NULL DEFAULT 0,
  `catid` int(10) unsigned NOT NULL DEFAULT 0,
  `created` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `created_by` int(10) unsigned NOT NULL DEFAULT 0,
  `created_by_alias` varchar(255) NOT NULL DEFAULT '',
  `modified` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `modified_by` int(10) unsigned NOT NULL DEFAULT 0,
  `checked_out` int(10) unsigned NOT NULL DEFAULT 0,
  `checked_out_time` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `publish_up` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `publish_down` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `images` text NOT NULL,
  `urls` text NOT NULL,
  `attribs` varchar(5120) NOT NULL,
  `version` int(10) unsigned NOT NULL DEFAULT 1,
  `ordering` int(11) NOT NULL DEFAULT 0,
  `metakey` text NOT NULL,
  `metadesc` text NOT NULL,
  `access` int(10) unsigned NOT NULL DEFAULT 0,
  `hits` int(10) unsigned NOT NULL DEFAULT 0,
  `metadata` text NOT NULL,
  `featured` tinyint(3) unsigned NOT NULL DEFAULT 0 COMMENT 'Set if article is featured.',
  `language` char(7) NOT NULL COMMENT 'The language code for the article.',
  `xreference` varchar(50) NOT NULL DEFAULT '',
  `note` varchar(255) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `idx_catid` (`catid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__categories` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `asset_id` int(10) unsigned NOT NULL DEFAULT 0,
  `parent_id` int(10) unsigned NOT NULL DEFAULT 0,
  `lft` int(11) NOT NULL DEFAULT 0,
  `rgt` int(11) NOT NULL DEFAULT 0,
  `level` int(10) unsigned NOT NULL DEFAULT 0,
  `path` varchar(400) NOT NULL DEFAULT '',
  `extension` varchar(50) NOT NULL DEFAULT '',
  `title` varchar(255) NOT NULL DEFAULT '',
  `alias` varchar(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `note` varchar(255) NOT NULL DEFAULT '',
  `description` mediumtext NOT NULL,
  `published` tinyint(1) NOT NULL DEFAULT 0,
  `checked_out` int(11) unsigned NOT NULL DEFAULT 0,
  `checked_out_time` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `access` int(10) unsigned NOT NULL DEFAULT 0,
  `params` text NOT NULL,
  `metadesc` varchar(1024) NOT NULL DEFAULT '',
  `metakey` varchar(1024) NOT NULL DEFAULT '',
  `metadata` varchar(2048) NOT NULL DEFAULT '',
  `created_user_id` int(10) unsigned NOT NULL DEFAULT 0,
  `created_time` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `modified_user_id` int(10) unsigned NOT NULL DEFAULT 0,
  `modified_time` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `hits` int(10) unsigned NOT NULL DEFAULT 0,
  `language` char(7) NOT NULL DEFAULT '',
  `version` int(10) unsigned NOT NULL DEFAULT 1,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__users` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(400) NOT NULL DEFAULT '',
  `username` varchar(150) NOT NULL DEFAULT '',
  `email` varchar(100) NOT NULL DEFAULT '',
  `password` varchar(100) NOT NULL DEFAULT '',
  `block` tinyint(4) NOT NULL DEFAULT 0,
  `sendEmail` tinyint(4) DEFAULT 0,
  `registerDate` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `lastvisitDate` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `activation` varchar(100) NOT NULL DEFAULT '',
  `params` text NOT NULL,
  `lastResetTime` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `resetCount` int(11) NOT NULL DEFAULT 0,
  `otpKey` varchar(1000) NOT NULL DEFAULT '',
  `otep` varchar(1000) NOT NULL DEFAULT '',
  `requireReset` tinyint(4) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__tags` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `parent_id` int(10) unsigned NOT NULL DEFAULT 0,
  `lft` int(11) NOT NULL DEFAULT 0,
  `rgt` int(11) NOT NULL DEFAULT 0,
  `level` int(10) unsigned NOT NULL DEFAULT 0,
  `path` varchar(400) NOT NULL DEFAULT '',
  `title` varchar(255) NOT NULL,
  `alias` varchar(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `note` varchar(255) NOT NULL DEFAULT '',
  `description` mediumtext NOT NULL,
  `published` tinyint(1) NOT NULL DEFAULT 0,
  `access` int(10) unsigned NOT NULL DEFAULT 0,
  `params` text NOT NULL,
  `language` char(7) NOT NULL DEFAULT '*',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__contentitem_tag_map` (
  `type_alias` varchar(255) NOT NULL DEFAULT '',
  `core_content_id` int(10) unsigned NOT NULL,
  `content_item_id` int(11) NOT NULL,
  `tag_id` int(10) unsigned NOT NULL,
  `tag_date` timestamp NOT NULL DEFAULT current_timestamp(),
  `type_id` mediumint(8) NOT NULL,
  UNIQUE KEY `uc_ItemnameTagid` (`type_id`,`content_item_id`,`tag_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__content_rating` (
  `content_id` int(11) NOT NULL DEFAULT 0,
  `rating_sum` int(10) unsigned NOT NULL DEFAULT 0,
  `rating_count` int(10) unsigned NOT NULL DEFAULT 0,
  `lastip` varchar(50) NOT NULL DEFAULT '',
  PRIMARY KEY (`content_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__content_frontpage` (
  `content_id` int(11) NOT NULL DEFAULT 0,
  `ordering` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`content_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__menu` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `menutype` varchar(24) NOT NULL,
  `title` varchar(255) NOT NULL,
  `alias` varchar(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `note` varchar(255) NOT NULL DEFAULT '',
  `path` varchar(1024) NOT NULL,
  `link` varchar(1024) NOT NULL,
  `type` varchar(16) NOT NULL,
  `published` tinyint(4) NOT NULL DEFAULT 0,
  `parent_id` int(10) unsigned NOT NULL DEFAULT 1,
  `level` int(10) unsigned NOT NULL DEFAULT 0,
  `component_id` int(10) unsigned NOT NULL DEFAULT 0,
  `checked_out` int(10) unsigned NOT NULL DEFAULT 0,
  `checked_out_time` timestamp NOT NULL DEFAULT '0000-00-00 00:00:00',
  `browserNav` tinyint(4) NOT NULL DEFAULT 0,
  `access` int(10) unsigned NOT NULL DEFAULT 0,
  `img` varchar(255) NOT NULL DEFAULT '',
  `template_style_id` int(10) unsigned NOT NULL DEFAULT 0,
  `params` text NOT NULL,
  `lft` int(11) NOT NULL DEFAULT 0,
  `rgt` int(11) NOT NULL DEFAULT 0,
  `home` tinyint(3) unsigned NOT NULL DEFAULT 0,
  `language` char(7) NOT NULL DEFAULT '',
  `client_id` tinyint(4) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__redirect_links` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `old_url` varchar(2048) NOT NULL,
  `new_url` varchar(2048),
  `referer` varchar(2048) NOT NULL,
  `comment` varchar(255) NOT NULL DEFAULT '',
  `hits` int(10) unsigned NOT NULL DEFAULT 0,
  `published` tinyint(4) NOT NULL,
  `created_date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `modified_date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `header` smallint(3) NOT NULL DEFAULT 301,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__modules` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `asset_id` int(10) unsigned NOT NULL DEFAULT 0,
  `title` varchar(100) NOT NULL DEFAULT '',
  `note` varchar(255) NOT NULL DEFAULT '',
  `content` text NOT NULL,
  `ordering` int(11) NOT NULL DEFAULT 0,
  `position` varchar(50) NOT NULL DEFAULT '',
  `checked_out` int(10) unsigned NOT NULL DEFAULT 0,
  `checked_out_time` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `publish_up` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `publish_down` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `published` tinyint(1) NOT NULL DEFAULT 0,
  `module` varchar(50) DEFAULT NULL,
  `access` int(10) unsigned NOT NULL DEFAULT 0,
  `showtitle` tinyint(3) unsigned NOT NULL DEFAULT 1,
  `params` text NOT NULL,
  `client_id` tinyint(4) NOT NULL DEFAULT 0,
  `language` char(7) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__extensions` (
  `extension_id` int(11) NOT NULL AUTO_INCREMENT,
  `package_id` int(11) NOT NULL DEFAULT 0,
  `name` varchar(100) NOT NULL,
  `type` varchar(20) NOT NULL,
  `element` varchar(100) NOT NULL,
  `folder` varchar(100) NOT NULL DEFAULT '',
  `client_id` tinyint(3) NOT NULL,
  `enabled` tinyint(3) NOT NULL DEFAULT 0,
  `access` int(10) unsigned NOT NULL DEFAULT 1,
  `protected` tinyint(3) NOT NULL DEFAULT 0,
  `manifest_cache` text NOT NULL,
  `params` text NOT NULL,
  `custom_data` text NOT NULL,
  `system_data` text NOT NULL,
  `checked_out` int(10) unsigned NOT NULL DEFAULT 0,
  `checked_out_time` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `ordering` int(11) DEFAULT 0,
  `state` int(11) DEFAULT 0,
  PRIMARY KEY (`extension_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `#__vvisit_counter` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `time` int(10) unsigned NOT NULL,
  `visits` mediumint(8) unsigned NOT NULL DEFAULT 0,
  `guests` mediumint(8) unsigned NOT NULL DEFAULT 0,
  `members` mediumint(8) unsigned NOT NULL DEFAULT 0,
  `bots` mediumint(8) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DEFAULT COLLATE=utf8mb4_unicode_ci;
"""

_DEFAULTS: dict[str, dict[str, Any]] = {
    "content": {"asset_id": 0, "urls": "{}", "attribs": "{}", "metakey": "", "metadesc": "", "metadata": "{}",
                "language": "*", "images": "{}", "fulltext": "", "access": 1, "state": 1, "created_by_alias": "",
                "created_by": 0, "modified": "2020-01-01 00:00:00", "publish_up": "0000-00-00 00:00:00",
                "hits": 0, "featured": 0},
    "categories": {"extension": "com_content", "description": "", "published": 1, "access": 1, "params": "{}",
                   "language": "*"},
    "users": {"params": "{}"},
    "tags": {"description": "", "published": 1, "access": 1, "params": "{}"},
    "menu": {"menutype": "mainmenu", "type": "component", "published": 1, "params": "{}", "language": "*",
             "client_id": 0, "access": 1, "component_id": 22, "home": 0},
    "modules": {"content": "", "published": 1, "params": "{}", "language": "*"},
    "redirect_links": {"referer": "", "published": 1},
    "extensions": {"type": "component", "client_id": 1, "enabled": 1, "manifest_cache": "{}", "custom_data": "",
                   "system_data": ""},
}  # fmt: skip


@dataclass
class JoomlaData:
    """Rows by table (without the prefix), as Joomla would store them."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **values: Any) -> dict[str, Any]:
        row = {**_DEFAULTS.get(table, {}), **values}
        self.rows.setdefault(table, []).append(row)
        return row

    def category(self, cid: int, title: str, alias: str, parent: int = 1, **values: Any) -> None:
        parents = {r["id"]: r for r in self.rows.get("categories", [])}
        path = f"{parents[parent]['path']}/{alias}" if parent in parents and parents[parent]["path"] else alias
        self.add("categories", id=cid, parent_id=parent, path=path, title=title, alias=alias, **values)

    def article(self, aid: int, title: str, alias: str, catid: int, created: str, intro: str, **values: Any) -> None:
        self.add("content", id=aid, title=title, alias=alias, catid=catid, created=created, introtext=intro, **values)


def _sql_literal(value: Any) -> str:
    """A value as phpMyAdmin writes it: quotes doubled, control characters escaped."""
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), ("'", "''"), ("\0", "\\0"), ("\n", "\\n"), ("\r", "\\r"), ("\x1a", "\\Z")):
        text = text.replace(raw, escaped)
    return f"'{text}'"


@dataclass
class MariaDB:
    """A MariaDB server of this test run, on a socket in its own folder."""

    folder: Path
    socket: Path
    process: subprocess.Popen

    def client(self, *args: str, stdin: str | None = None) -> str:
        return subprocess.run(
            ["mariadb", f"--socket={self.socket}", "-uroot", *args],
            input=stdin, capture_output=True, text=True, check=True, timeout=120,
        ).stdout  # fmt: skip

    def connect(self, database: str) -> Any:
        import pymysql

        return pymysql.connect(unix_socket=str(self.socket), user="root", database=database, charset="utf8mb4")

    def dsn(self, database: str) -> str:
        return f"mysql://root@localhost/{database}?unix_socket={self.socket}"

    def load(self, database: str, data: JoomlaData, prefix: str = PREFIX) -> None:
        """A new database with Joomla's tables (under `prefix`) and `data` in them."""
        self.client(stdin=f"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}` CHARACTER SET utf8mb4;")
        connection = self.connect(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET SESSION sql_mode = ''")  # Joomla 3's zero dates
                for statement in SCHEMA.replace("#__", prefix).split(";"):
                    if statement.strip():
                        cursor.execute(statement)
                for table, rows in data.rows.items():
                    for row in rows:
                        columns = ", ".join(f"`{c}`" for c in row)
                        marks = ", ".join(["%s"] * len(row))
                        cursor.execute(
                            f"INSERT INTO `{prefix}{table}` ({columns}) VALUES ({marks})", list(row.values())
                        )
            connection.commit()
        finally:
            connection.close()

    def mariadb_dump(self, database: str, target: Path) -> Path:
        """The dump as `mariadb-dump` makes it by default: multi-row INSERTs, no column lists."""
        with open(target, "wb") as out:
            subprocess.run(
                ["mariadb-dump", f"--socket={self.socket}", "-uroot", database], stdout=out, check=True, timeout=300
            )
        return target

    def phpmyadmin_dump(self, database: str, target: Path) -> Path:
        """The dump as phpMyAdmin's export writes it: its header, CREATE TABLE, and INSERTs with
        the column list and a row per line."""
        connection = self.connect(database)
        lines = ["-- phpMyAdmin SQL Dump", "-- version 5.2.1", "-- https://www.phpmyadmin.net/", "--",
                 "-- Máy chủ: localhost", f"-- Cơ sở dữ liệu: `{database}`", "--", "",
                 'SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";', "START TRANSACTION;", 'SET time_zone = "+00:00";', "",
                 "/*!40101 SET NAMES utf8mb4 */;", ""]  # fmt: skip
        try:
            with connection.cursor() as cursor:
                cursor.execute("SHOW TABLES")
                for (table,) in cursor.fetchall():
                    cursor.execute(f"SHOW CREATE TABLE `{table}`")
                    lines += ["-- --------------------------------------------------------", "", "--",
                              f"-- Cấu trúc bảng cho bảng `{table}`", "--", "", cursor.fetchone()[1] + ";", ""]  # fmt: skip
                    cursor.execute(f"SELECT * FROM `{table}`")
                    rows = cursor.fetchall()
                    if not rows:
                        continue
                    columns = ", ".join(f"`{d[0]}`" for d in cursor.description)
                    values = ",\n".join("(" + ", ".join(_sql_literal(_plain(v)) for v in row) + ")" for row in rows)
                    lines += ["--", f"-- Đang đổ dữ liệu cho bảng `{table}`", "--", "",
                              f"INSERT INTO `{table}` ({columns}) VALUES", values + ";", ""]  # fmt: skip
        finally:
            connection.close()
        lines.append("COMMIT;")
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return target


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


def mariadb_missing() -> str:
    """What to install when Debian's MariaDB server is not on this machine ("" when it is)."""
    tools = ("mariadbd", "mariadb-install-db", "mariadb", "mariadb-dump")
    found = all(shutil.which(t) or os.path.exists(f"/usr/sbin/{t}") for t in tools)
    return "" if found else "apt-get install mariadb-server mariadb-client"


@contextmanager
def mariadb_server(folder: Path) -> Iterator[MariaDB]:
    """A new MariaDB server in `folder`: its own data, socket and no network port."""
    data, socket = folder / "data", folder / "mysqld.sock"
    folder.mkdir(parents=True, exist_ok=True)
    user = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run(
        ["mariadb-install-db", f"--datadir={data}", "--auth-root-authentication-method=normal",
         "--skip-test-db", *user],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    daemon = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
    process = subprocess.Popen(
        [daemon, "--no-defaults", f"--datadir={data}", f"--socket={socket}", "--skip-networking",
         f"--pid-file={folder / 'mysqld.pid'}", f"--log-error={folder / 'error.log'}", "--innodb-buffer-pool-size=64M",
         *user],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = MariaDB(folder, socket, process)
    deadline = time.monotonic() + 60
    while True:
        try:
            server.client("-e", "SELECT 1")
            break
        except subprocess.CalledProcessError:
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "error.log").read_text(errors="replace") if (folder / "error.log").exists() else ""
                raise RuntimeError(f"MariaDB did not start:\n{log[-2000:]}") from None
            time.sleep(0.2)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def images_json(intro: str = "", full: str = "", **texts: str) -> str:
    """Joomla's `images` column: JSON with its slashes escaped, as Joomla's editor saves it."""
    value = {"image_intro": intro, "float_intro": "", "image_intro_alt": texts.get("intro_alt", ""),
             "image_intro_caption": texts.get("intro_caption", ""), "image_fulltext": full, "float_fulltext": "",
             "image_fulltext_alt": texts.get("full_alt", ""), "image_fulltext_caption": texts.get("full_caption", "")}  # fmt: skip
    return json.dumps(value, ensure_ascii=False).replace("/", "\\/")
