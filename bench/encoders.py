"""Which format and quality for the photo variants: WebP against AVIF on the bench's meeting
photo (bench/photos.py's `event_photo`), resized to each width as the build does, with the
bytes, the PSNR against the resized original and the encoding time (one thread).

    python bench/encoders.py
"""

from __future__ import annotations

import io
import math
import time

from photos import event_photo
from PIL import Image, ImageChops, ImageOps


def psnr(a: Image.Image, b: Image.Image) -> float:
    histogram = ImageChops.difference(a, b).convert("L").histogram()
    mse = sum(value * value * count for value, count in enumerate(histogram)) / (a.width * a.height)
    return 10 * math.log10(255 * 255 / max(mse, 1e-9))


def encode(image: Image.Image, fmt: str, **options: object) -> tuple[int, float, float]:
    started = time.perf_counter()
    out = io.BytesIO()
    image.save(out, fmt, **options)
    seconds = time.perf_counter() - started
    decoded = Image.open(io.BytesIO(out.getvalue())).convert("RGB")
    return len(out.getvalue()), psnr(image, decoded), seconds


def main() -> None:
    photo = ImageOps.exif_transpose(Image.open(io.BytesIO(event_photo()))).convert("RGB")
    print("| width | encoder | bytes | PSNR | time |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for width in (480, 960, 1280):
        image = photo.resize((width, round(photo.height * width / photo.width)), Image.Resampling.LANCZOS)
        rows = [
            ("WebP q65 (before)", "WEBP", {"quality": 65, "method": 4}),
            ("WebP q60", "WEBP", {"quality": 60, "method": 4}),
        ]
        rows += [(f"AVIF q{q} speed 8", "AVIF", {"quality": q, "speed": 8, "max_threads": 1}) for q in (40, 50, 60)]
        rows += [("AVIF q50 speed 6", "AVIF", {"quality": 50, "speed": 6, "max_threads": 1})]
        for name, fmt, options in rows:
            size, quality, seconds = encode(image, fmt, **options)
            print(f"| {width} | {name} | {size / 1000:.0f} kB | {quality:.1f} dB | {seconds * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
