"""Rendering the HTML report as a person sees it: headless Chromium (Debian's
chromium package) prints it to PDF or takes a screenshot, offline."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise FileNotFoundError("no headless Chromium found (looked for chromium, chromium-browser, google-chrome); "
                            "install Debian's chromium package: apt-get install -y chromium")


def _run(args: list[str], timeout: int = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        cmd = [find_chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def html_to_pdf(html: Path, pdf: Path) -> None:
    p = _run(["--no-pdf-header-footer", f"--print-to-pdf={Path(pdf).resolve()}", Path(html).resolve().as_uri()])
    if not Path(pdf).exists() or Path(pdf).stat().st_size == 0:
        raise RuntimeError(f"Chromium did not write {pdf}: {p.stderr[-500:]}")


def screenshot(html: Path, png: Path, width: int = 1200, height: int = 6000) -> str:
    """Screenshot of the page; returns Chromium's log (console messages included)."""
    p = _run(["--enable-logging=stderr", "--v=0", f"--window-size={width},{height}",
              f"--screenshot={Path(png).resolve()}", Path(html).resolve().as_uri()])
    return p.stderr


def rendered_dom(html: Path) -> tuple[str, str]:
    """The DOM after rendering, and Chromium's log."""
    p = _run(["--enable-logging=stderr", "--v=0", "--dump-dom", Path(html).resolve().as_uri()])
    return p.stdout, p.stderr
