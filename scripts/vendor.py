"""Vendor the browser code the site serves itself, so that no reader's or editor's browser
fetches it from a CDN:

- the web editor (Sveltia CMS) into overrides/admin/;
- the photo gallery's full-screen viewer (PhotoSwipe) into overrides/assets/portal/photoswipe/.

    python scripts/vendor.py          # after changing a version below

It packs the pinned npm packages (npm checks each tarball against the registry's integrity
hash), copies what the site needs with the licences, and records every package's integrity,
any address it changed and every file's SHA-256 in a VENDORED.json beside the files
(tests/test_admin.py and tests/test_photos.py check the files against it). For the editor:
the CMS script, its one code chunk, the Vietnamese interface strings and the three fonts its
interface would fetch from a CDN, with the script's font addresses pointed at the copies.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "overrides/admin"
CMS = ("@sveltia/cms", "0.221.1")
GALLERY_TARGET = REPO / "overrides/assets/portal/photoswipe"
GALLERY = ("photoswipe", "5.4.4")
# The fonts the CMS's interface asks a CDN for, at the versions of the addresses in its code.
FONTS = [
    ("@fontsource-variable/source-sans-3", "5.3.0", "source-sans-3:vf@5.3.0/latin-wght-normal.woff2"),
    (
        "@fontsource-variable/material-symbols-outlined",
        "5.3.7",
        "material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2",
    ),
    ("@fontsource/noto-mono", "5.3.0", "noto-mono@5.3.0/latin-400-normal.woff2"),
]
FONT_CDN = "https://cdn.jsdelivr.net/fontsource/fonts/"
# Local names without ":" or "@" (a Windows checkout cannot hold ":"); the CMS's styles sit in
# the /admin/ page, so "fonts/…" is resolved against it.


def pack(name: str, version: str, into: Path) -> tuple[Path, str]:
    """The package's files (npm verifies the tarball's integrity) and that integrity."""
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(out.stdout)[0]
    folder = into / info["filename"].removesuffix(".tgz")
    with tarfile.open(into / info["filename"]) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package", info["integrity"]


def record_files(target: Path, record: dict) -> None:
    for file in sorted(target.rglob("*")):
        if file.is_file() and file.name != "VENDORED.json":
            record["files"][file.relative_to(target).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    (target / "VENDORED.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"{len(record['files'])} files in {target.relative_to(REPO)}")


def vendor_gallery() -> None:
    shutil.rmtree(GALLERY_TARGET, ignore_errors=True)
    GALLERY_TARGET.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        package, integrity = pack(*GALLERY, Path(tmp))
        for name in ("photoswipe-lightbox.esm.min.js", "photoswipe.esm.min.js", "photoswipe.css"):
            shutil.copy(package / "dist" / name, GALLERY_TARGET / name)
        shutil.copy(package / "LICENSE", GALLERY_TARGET / "LICENSE.txt")
    record_files(
        GALLERY_TARGET, {"packages": {GALLERY[0]: {"version": GALLERY[1], "integrity": integrity}}, "files": {}}
    )


def main() -> None:
    vendor_editor()
    vendor_gallery()


def vendor_editor() -> None:
    shutil.rmtree(TARGET, ignore_errors=True)
    (TARGET / "chunks").mkdir(parents=True)
    (TARGET / "fonts").mkdir()
    record: dict = {"packages": {}, "files": {}, "patched": {}}
    with tempfile.TemporaryDirectory() as tmp:
        cms, integrity = pack(*CMS, Path(tmp))
        record["packages"][CMS[0]] = {"version": CMS[1], "integrity": integrity}
        script = (cms / "dist/sveltia-cms.js").read_text(encoding="utf-8")
        assert script.count(FONT_CDN) == len(FONTS), "the CMS's font addresses changed: update FONTS"
        for _, _, address in FONTS:
            local = f"fonts/{address.split(':')[0].split('@')[0]}.woff2"
            script = script.replace(FONT_CDN + address, local)
            record["patched"][FONT_CDN + address] = local
        assert FONT_CDN not in script
        (TARGET / "sveltia-cms.js").write_text(script, encoding="utf-8")
        shutil.copy(cms / "dist/chunks/react-dom.js", TARGET / "chunks/react-dom.js")
        shutil.copy(cms / "locales/vi.json", TARGET / "vi.json")
        shutil.copy(cms / "LICENSE.txt", TARGET / "LICENSE-sveltia-cms.txt")
        for name, version, address in FONTS:
            font, integrity = pack(name, version, Path(tmp))
            record["packages"][name] = {"version": version, "integrity": integrity}
            family, _, file = address.partition("/")
            stem = family.split(":")[0].split("@")[0]
            shutil.copy(font / "files" / f"{stem}-{file}", TARGET / f"fonts/{stem}.woff2")
            shutil.copy(font / "LICENSE", TARGET / f"fonts/LICENSE-{stem}.txt")
    record_files(TARGET, record)


if __name__ == "__main__":
    main()
