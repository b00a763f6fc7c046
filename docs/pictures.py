"""Remake the README's screenshots (docs/img/*.png): `make readme-pictures`.

Takes the demo's outputs (out/docs/index.html, out/network.html, out/timeline.html) and
an article page of `kg-builder serve` over the demo's store, in one headless Chromium,
then makes each PNG small with pngquant (Debian package pngquant).

    python docs/pictures.py out/store docs/img
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

from kg_builder.view.browser import Browser
from kg_builder.view.data import articles
from kg_builder.view.pages import article_path
from kg_builder.view.server import run_site
from kg_builder.view.source import StoreSource

WIDTH, HEIGHT = 1200, 760


def main(store: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    first = articles(StoreSource(store))[0].id
    ready: list[str] = []
    stop = threading.Event()
    site = threading.Thread(
        target=run_site,
        args=(store, "127.0.0.1", 7899),
        kwargs={"ready_callback": ready.append, "stop": stop},
    )
    site.start()
    try:
        while not ready and site.is_alive():
            threading.Event().wait(0.1)
        pages = {
            "docs.png": Path("out/docs/index.html").resolve().as_uri() + "#demand",
            "network.png": "out/network.html",
            "timeline.png": "out/timeline.html",
            "article.png": ready[0].rstrip("/") + article_path(first),
        }
        with Browser(WIDTH, HEIGHT) as browser:
            for name, page in pages.items():
                browser.open(page, ready="body[data-ready], #toc, body > main")
                browser.screenshot(folder / name, full_height=False)
    finally:
        stop.set()
        site.join(timeout=30)
    for png in sorted(folder.glob("*.png")):
        if shutil.which("pngquant"):
            subprocess.run(
                [
                    "pngquant",
                    "--force",
                    "--skip-if-larger",
                    "--strip",
                    "--quality",
                    "60-85",
                    "--output",
                    str(png),
                    str(png),
                ],
                check=False,
            )
        print(f"{png}: {png.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
