"""Photos on object storage: pages point at the storage's public address, site/ carries no
photo, and `chibo upload` sends only what the bucket lacks, against a local S3-compatible
server (moto's server mode, on 127.0.0.1)."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import Site, article, build_env, make_site, phone_photo

PUBLIC = "https://anh.ctxhdanang.vn"
KEYS = {"AWS_ACCESS_KEY_ID": "thu", "AWS_SECRET_ACCESS_KEY": "thu", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture
def s3(monkeypatch) -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for key, value in KEYS.items():
        monkeypatch.setenv(key, value)
    endpoint = f"http://127.0.0.1:{port}"
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="anh")
    yield endpoint
    server.stop()


def _site(root: Path, endpoint: str) -> Site:
    def configure(config: dict) -> None:
        config["extra"]["portal"]["images"] = {
            "storage": {"endpoint": endpoint, "bucket": "anh", "public_url": PUBLIC, "region": "us-east-1"}
        }

    return make_site(
        root,
        {
            "bai-viet/2024/a.md": article("Bài có ảnh", "2024-05-01", "Thông báo", image="a.jpg", body="![Ảnh](b.jpg)"),
            "bai-viet/2024/a.jpg": phone_photo(1600, 1200),
            "bai-viet/2024/b.jpg": phone_photo(1600, 1200, colour=(200, 20, 20)),
        },
        configure=configure,
    )


def _chibo(site: Site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chibo.cli", *args], cwd=site.root, capture_output=True, text=True, env=build_env()
    )


def test_pages_point_at_the_storage_and_upload_sends_only_what_is_new(tmp_path: Path, s3: str) -> None:
    import boto3

    site = _site(tmp_path / "p", s3)
    site.build()
    page = site.html("bai-viet/2024/05/bai-co-anh/")
    for img in page.select(".portal-article img"):
        assert img["src"].startswith(f"{PUBLIC}/bai-viet/2024/") and all(
            c.startswith(PUBLIC) for c in img.parent.select_one("source")["srcset"].split(", ")
        )
    assert page.select_one('meta[property="og:image"]')["content"].startswith(f"{PUBLIC}/")
    # the site carries HTML, CSS and JavaScript: no photo
    assert not [p for p in site.out.rglob("*") if p.suffix in (".avif", ".webp", ".jpg", ".jpeg")]

    dry = _chibo(site, "upload", "--dry-run")
    assert dry.returncode == 0 and "Sẽ tải lên" in dry.stderr
    planned = [line.split(": ", 1)[1] for line in dry.stdout.splitlines()]
    bucket = boto3.client("s3", endpoint_url=s3, region_name="us-east-1")
    assert bucket.list_objects_v2(Bucket="anh").get("KeyCount") == 0  # a dry run sends nothing
    first = _chibo(site, "upload")
    assert first.returncode == 0, first.stderr
    stored = {o["Key"] for o in bucket.list_objects_v2(Bucket="anh")["Contents"]}
    assert stored == set(planned) and len(stored) >= 8  # two photos' variants, a share image, cards
    head = bucket.head_object(Bucket="anh", Key=next(k for k in stored if k.endswith(".avif")))
    assert head["ContentType"] == "image/avif" and "immutable" in head["CacheControl"]
    # a second run has nothing to send
    assert "Đã tải lên 0 tệp" in _chibo(site, "upload").stderr
    # a changed photo: only its new files go up, the old ones stay (pages may still point at them)
    site.write("bai-viet/2024/b.jpg", phone_photo(1600, 1200, colour=(20, 200, 20)))
    site.build()
    again = _chibo(site, "upload")
    new = [line.split(": ", 1)[1] for line in again.stdout.splitlines()]
    assert new and all(key.startswith("bai-viet/2024/b-") for key in new)
    assert stored <= {o["Key"] for o in bucket.list_objects_v2(Bucket="anh")["Contents"]}


def test_an_unreachable_storage_stops_the_upload(tmp_path: Path, monkeypatch) -> None:
    for key, value in KEYS.items():
        monkeypatch.setenv(key, value)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there
    site = _site(tmp_path / "p", f"http://127.0.0.1:{port}")
    site.build()
    result = _chibo(site, "upload")
    assert result.returncode == 1
    assert "Lỗi: không kết nối được tới http://127.0.0.1:" in result.stderr and "Traceback" not in result.stderr
