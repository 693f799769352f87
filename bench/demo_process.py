"""The demo site and crawls as separate processes, as the benchmarks run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
NEWSARCHIVE = str(BIN / "newsarchive")


def serve(*options: str) -> tuple[subprocess.Popen[str], str]:
    """Start `newsarchive demo-site OPTIONS` and return it with its base URL."""
    server = subprocess.Popen(
        [NEWSARCHIVE, "demo-site", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def stop(server: subprocess.Popen[str]) -> None:
    server.terminate()
    server.wait()
    if server.stdout:
        server.stdout.close()


def crawl_command(base: str, out: Path, *extra: str) -> list[str]:
    """A full, quiet crawl of the running demo site at `base` into `out`."""
    return [
        NEWSARCHIVE,
        "crawl",
        "demo",
        "--demo-url",
        base,
        "--full",
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]
