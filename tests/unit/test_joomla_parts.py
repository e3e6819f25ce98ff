"""The Joomla import's parts in process: the dump reader on the forms real dumps take, the old
site's routes, and the old addresses' pages."""

from __future__ import annotations

import pytest
from chibo.joomla.dump import DumpError, read_text
from chibo.joomla.routes import article_routes, category_routes
from chibo.joomla.schema import find_prefix, make_site, moment
from chibo.old_addresses import Stub, normalise, plan_stubs, read_map, stub_page
from support.joomla import JoomlaData

MARIADB_HEADER = "/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\n/*!40101 SET NAMES utf8mb4 */;\n"


def _read(text: str) -> dict:
    return {name: table.rows for name, table in read_text(text, lambda name: True).items()}


def test_mariadb_dump_without_column_lists() -> None:
    text = MARIADB_HEADER + (
        "CREATE TABLE `x_content` (\n  `id` int(10) unsigned NOT NULL,\n  `title` varchar(255) NOT NULL DEFAULT '',\n"
        "  `hits` int NOT NULL,\n  `note` text,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n"
        "LOCK TABLES `x_content` WRITE;\n"
        "INSERT INTO `x_content` VALUES\n(1,'It\\'s \\\"ok\\\"; (yes)',-3,NULL),(2,'a\\\\b\\r\\nc\\0',0,'{\\\"img\\\":\\\"images\\\\/a.jpg\\\"}');\n"
        "UNLOCK TABLES;\n"
    )
    rows = _read(text)["x_content"]
    assert rows[0] == {"id": 1, "title": 'It\'s "ok"; (yes)', "hits": -3, "note": None}
    assert rows[1]["title"] == "a\\b\r\nc\0" and rows[1]["note"] == '{"img":"images\\/a.jpg"}'


def test_phpmyadmin_style_with_column_lists_and_doubled_quotes() -> None:
    text = (
        '-- phpMyAdmin SQL Dump\nSET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";\n'
        "INSERT INTO `jos_content` (`id`, `title`, `rating`) VALUES\n(7, 'Chi bộ''s họp', 4.5),\n(8, '', 1e3);\n"
        "INSERT INTO `jos_other` (`id`, `data`) VALUES (1, 0x6869), (2, _binary 'ab');\n"
    )
    tables = _read(text)
    assert tables["jos_content"] == [
        {"id": 7, "title": "Chi bộ's họp", "rating": 4.5},
        {"id": 8, "title": "", "rating": 1000.0},
    ]
    assert tables["jos_other"] == [{"id": 1, "data": "hi"}, {"id": 2, "data": "ab"}]


def test_a_broken_dump_names_its_line() -> None:
    with pytest.raises(DumpError, match=r"^dòng 4: không đọc được giá trị"):
        _read("CREATE TABLE `a` (\n  `id` int\n);\nINSERT INTO `a` VALUES (1,'no end")
    with pytest.raises(DumpError, match="có 1 giá trị nhưng bảng có 2 cột"):
        _read("CREATE TABLE `a` (\n  `id` int,\n  `b` int\n);\nINSERT INTO `a` VALUES (1);\n")
    # a table the import does not read is passed over, whatever it holds
    assert read_text("INSERT INTO `wp_posts` VALUES (1,'x');\n", lambda name: False) == {}


def test_prefix_and_dates() -> None:
    assert find_prefix(["abc12_content", "abc12_categories", "abc12_users", "old_content"]) == "abc12_"
    assert moment("0000-00-00 00:00:00") is None
    assert moment("2023-12-28 01:30:00").isoformat() == "2023-12-28T08:30:00"  # UTC -> Vietnam


def _site(params: str = "") -> object:
    data = JoomlaData()
    data.add("categories", id=1, parent_id=0, path="", extension="system", title="ROOT", alias="root")
    data.category(8, "Tin tức", "tin-tuc")
    data.category(9, "Hoạt động", "hoat-dong", parent=8)
    data.category(10, "Cơ sở", "co-so", parent=9)
    data.article(123, "Bài", "bai-viet", 10, "2023-01-01 00:00:00", "<p>x</p>")
    if params:
        data.add("extensions", extension_id=22, name="com_content", element="com_content", params=params)
    data.add(
        "menu",
        id=5,
        title="Tin",
        alias="tin-tuc",
        path="tin-tuc",
        link="index.php?option=com_content&view=category&id=8",
    )
    from chibo.joomla.dump import Table

    tables = {f"j_{name}": Table(list(rows[0]), rows) for name, rows in data.rows.items()}
    return make_site(tables)


def test_routes_of_both_routers_below_a_menu_item() -> None:
    site = _site()
    assert site.routers == frozenset()  # com_content's options not in the tables: every router
    routes = article_routes(site, site.articles[123])
    assert "tin-tuc/10-hoat-dong/co-so/123-bai-viet" in routes  # legacy: the article's catid on the first alias
    assert "tin-tuc/hoat-dong/co-so/bai-viet" in routes  # modern, no ids
    assert "tin-tuc/9-hoat-dong/10-co-so/123-bai-viet" in routes  # modern with ids
    assert not [r for r in routes if r.startswith("component/")]  # the menu item "tin-tuc" led there
    assert "tin-tuc/10-hoat-dong/co-so" in category_routes(site, site.categories[10])


def test_old_address_pages() -> None:
    assert normalise("/index.php/tin-tuc/9-a/12-b.html") == "tin-tuc/9-a/12-b"
    assert normalise("/index.php") == "" and normalise("/tin-tuc/") == "tin-tuc"
    old, problems = read_map(
        b'{"articles": {"12": {"file": "bai-viet/2023/b.md", "routes": ["tin-tuc/9-a/12-b", "../x", "a b"]}},'
        b' "categories": {}, "redirects": {}}',
        "docs/dia-chi-cu.json",
    )
    assert old is not None and not problems
    plan = plan_stubs(old, "docs/dia-chi-cu.json", {"bai-viet/2023/b.md": "bai-viet/2023/01/b/"}, {}, {}, {},
                      {"tin-tuc/9-a/12-b/index.html"})  # fmt: skip
    assert "tin-tuc/9-a/12-b/index.html" not in plan.pages  # the site's own file
    assert {"index.php/tin-tuc/9-a/12-b/index.html", "tin-tuc/9-a/12-b.html", "dia-chi-cu/12/index.html"} <= set(
        plan.pages
    )
    assert not any(".." in p or " " in p for p in plan.pages)
    page = stub_page("a/b/index.html", Stub("bai-viet/2023/01/b/", 'Tin "<b>"'), "https://x.vn/")
    assert 'content="0; url=../../bai-viet/2023/01/b/"' in page and "Tin &quot;&lt;b&gt;&quot;" in page
    assert '<link rel="canonical" href="https://x.vn/bai-viet/2023/01/b/">' in page
    _, problems = read_map(b"[]", "docs/dia-chi-cu.json")
    assert problems and problems[0].path == "docs/dia-chi-cu.json"


def test_the_router_the_old_site_chose_is_the_only_one_answered() -> None:
    legacy = _site('{"sef_advanced":"0","sef_ids":"0"}')
    assert article_routes(legacy, legacy.articles[123]) == {"tin-tuc/10-hoat-dong/co-so/123-bai-viet"}
    modern = _site('{"sef_advanced":"1","sef_ids":"1"}')
    assert article_routes(modern, modern.articles[123]) == {"tin-tuc/9-hoat-dong/10-co-so/123-bai-viet"}
    bare = _site('{"sef_advanced":"1","sef_ids":"0"}')
    assert article_routes(bare, bare.articles[123]) == {"tin-tuc/hoat-dong/co-so/bai-viet"}
