"""A virtualenv of archive tools for tests: pywb (wb-manager, wayback) and py-wacz (wacz).

These are test tools, never project dependencies: pywb pins `redis==2.10.6` and installs
`brotlipy`, which shadows `brotli` and breaks Scrapy's br decoding, so they get a venv of their
own, outside the repository so it is never committed: `~/.cache/newsarchive-pywb-venv`
(`$XDG_CACHE_HOME` honoured), or `$NEWSARCHIVE_PYWB_VENV`. It is created on first use and reused
while its marker file lists the pinned versions below.

Pre-build it (CI does, before the tests):  python -m tests.pywb_env
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REQUIREMENTS = ("pywb==2.10.0", "wacz==0.6.0")
MARKER = ".newsarchive-tools"
INSTALL_TIMEOUT_S = 900


class ToolsUnavailable(RuntimeError):
    """The tool venv could not be created; the message says why."""


@dataclass(frozen=True)
class ArchiveTools:
    venv: Path

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name

    @property
    def wb_manager(self) -> Path:
        return self.bin("wb-manager")

    @property
    def wayback(self) -> Path:
        return self.bin("wayback")

    @property
    def wacz(self) -> Path:
        return self.bin("wacz")

    @property
    def python(self) -> Path:
        return self.bin("python")


def venv_dir() -> Path:
    configured = os.environ.get("NEWSARCHIVE_PYWB_VENV")
    if configured:
        return Path(configured).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "newsarchive-pywb-venv"


def _ready(venv: Path) -> bool:
    marker = venv / MARKER
    tools = ArchiveTools(venv)
    return (
        marker.is_file()
        and marker.read_text(encoding="utf-8").split() == list(REQUIREMENTS)
        and all(p.exists() for p in (tools.wb_manager, tools.wayback, tools.wacz, tools.python))
    )


@contextlib.contextmanager
def _locked(venv: Path) -> Iterator[None]:
    """One builder at a time (parallel test runs share the venv)."""
    venv.parent.mkdir(parents=True, exist_ok=True)
    with (venv.parent / f"{venv.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolsUnavailable(f"{' '.join(command)} failed: {exc}") from exc
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise ToolsUnavailable(f"{' '.join(command)} exited {result.returncode}: {tail}")


def ensure_tools(venv: Path | None = None) -> ArchiveTools:
    """The tool venv, created (about 15 s with a reachable package index) when missing or
    stale; raises ToolsUnavailable."""
    venv = venv or venv_dir()
    if _ready(venv):
        return ArchiveTools(venv)
    try:
        _build(venv)
    except OSError as exc:
        raise ToolsUnavailable(f"cannot create {venv}: {exc}") from exc
    if not _ready(venv):
        raise ToolsUnavailable(f"{venv} was built but lacks wb-manager, wayback or wacz")
    return ArchiveTools(venv)


def _build(venv: Path) -> None:
    with _locked(venv):
        if _ready(venv):
            return
        shutil.rmtree(venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(venv)])
        pip = [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
        ]
        _run([*pip, "-U", "pip"])  # the system pip (23.x) fails to resolve some dependency sets
        _run([*pip, *REQUIREMENTS])
        (venv / MARKER).write_text("\n".join(REQUIREMENTS) + "\n", encoding="utf-8")


def main() -> int:
    try:
        tools = ensure_tools()
    except ToolsUnavailable as exc:
        print(f"cannot build the archive tool venv: {exc}", file=sys.stderr)
        return 1
    print(f"wb-manager: {tools.wb_manager}\nwayback: {tools.wayback}\nwacz: {tools.wacz}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def archive_tools_or_skip() -> ArchiveTools:
    """For a session fixture: the tools, or a skip (a failure under NEWSARCHIVE_STRICT_TESTS=1)."""
    from tests.conftest import require

    try:
        return ensure_tools()
    except ToolsUnavailable as exc:
        require(False, f"no pywb/py-wacz tool venv: {exc}")
        raise  # require() has skipped or failed; not reached
