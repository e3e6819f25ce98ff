"""Photos on object storage (`extra.portal.images.storage`): upload what the last build made
and the bucket does not have yet. Files are named by their content's hash, so an upload never
replaces a file a page still points to, and nothing is ever deleted. Any S3-compatible service
(Cloudflare R2, Amazon S3, Backblaze B2, MinIO) through boto3; credentials from the usual
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables (the repository's secrets)."""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from .config import Storage

MANIFEST = "anh-can-tai-len.json"  # in the cache folder: site path -> file in the store

# What the build writes; Python's own table lacks AVIF on some systems (it reads /etc/mime.types).
_KINDS = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}


def write_manifest(folder: Path, files: dict[str, Path]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = {path: str(stored) for path, stored in sorted(files.items())}
    (folder / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")


def read_manifest(folder: Path) -> dict[str, Path]:
    return {key: Path(value) for key, value in json.loads((folder / MANIFEST).read_text(encoding="utf-8")).items()}


@dataclass
class UploadResult:
    missing: list[str]  # keys the bucket did not have
    uploaded: list[str]
    problem: str = ""  # in Vietnamese; the publishing workflow stops on it


def upload(storage: Storage, files: dict[str, Path], dry_run: bool = False) -> UploadResult:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client(
        "s3",
        endpoint_url=storage.endpoint,
        region_name=storage.region,
        config=Config(connect_timeout=5, read_timeout=20, retries={"max_attempts": 2}),
    )
    result = UploadResult([], [])
    try:
        existing: set[str] = set()
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=storage.bucket):
            existing.update(item["Key"] for item in page.get("Contents", []))
        result.missing = sorted(key for key in files if key not in existing)
        if dry_run:
            return result
        for key in result.missing:
            kind = _KINDS.get(key.rsplit(".", 1)[-1]) or mimetypes.guess_type(key)[0] or "application/octet-stream"
            client.upload_file(
                str(files[key]),
                storage.bucket,
                key,
                ExtraArgs={"ContentType": kind, "CacheControl": "public, max-age=31536000, immutable"},
            )
            result.uploaded.append(key)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        hint = {
            "NoSuchBucket": f'không có kho (bucket) "{storage.bucket}"',
            "AccessDenied": "khoá truy cập không có quyền (cần quyền liệt kê và ghi tệp trong kho này)",
            "InvalidAccessKeyId": "khoá truy cập (AWS_ACCESS_KEY_ID) không đúng",
            "SignatureDoesNotMatch": "khoá bí mật (AWS_SECRET_ACCESS_KEY) không đúng",
        }.get(code, f"máy chủ trả lời {code or exc}")
        result.problem = f"không tải ảnh lên được {storage.endpoint}: {hint}."
    except BotoCoreError as exc:
        result.problem = (
            f"không kết nối được tới {storage.endpoint} ({type(exc).__name__}); hãy kiểm tra địa chỉ endpoint."
        )
    return result
