"""Disk full mid-run: the crawl stops with one clear message, exit status 3, finished (renamed)
WARC files that `warcio check` accepts, and run.json when there is room for it
(newsarchive/protect/disk.py)."""

from __future__ import annotations

import json
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.warc.reader import iter_exchanges
from tests.e2e import ROOT

pytestmark = pytest.mark.slow

FILE_SIZE_LIMIT = 1_000_000


def crawl_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NEWSARCHIVE_STRICT_TESTS", None)
    return env


def demo_crawl_args(out: Path, *settings: str) -> list[str]:
    args = [sys.executable, "-m", "newsarchive", "crawl", "demo", "--out", str(out), "--full"]
    for setting in settings:
        args += ["-s", setting]
    return args


def check_warcs(run_dir: Path) -> list[Path]:
    """Every WARC is finished (no `.open`), passes `warcio check` and reads without errors."""
    files = sorted((run_dir / "warc").iterdir())
    assert files and not [p for p in files if p.name.endswith(".open")], files
    warcio = Path(sys.executable).with_name("warcio")
    result = subprocess.run(
        [str(warcio), "check", "-v", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    errors: list[object] = []
    exchanges = list(iter_exchanges(files, on_error=errors.append))
    assert exchanges and not errors, errors
    return files


def run_dir_of(out: Path) -> Path:
    (run_dir,) = [p for p in (out / "demo").iterdir() if p.is_dir()]
    return run_dir


def test_file_size_limit_stops_the_crawl(tmp_path: Path) -> None:
    """RLIMIT_FSIZE (SIGXFSZ ignored, so writes past it fail with EFBIG): the first output to
    reach it fails (the site state's SQLite journal, then the WARC). DiskFullExtension stops
    the crawl on the first storage error raised in a pipeline (reason disk_full); without it
    the crawl runs on, failing page after page, until the WARC fails too."""

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))

    out = tmp_path / "out"
    result = subprocess.run(
        demo_crawl_args(out),
        cwd=ROOT,
        env=crawl_env(),
        preexec_fn=limit_file_size,  # the child only lowers a limit
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 3, result.stderr[-3000:]
    assert "disk full" in result.stderr and "stopping the crawl" in result.stderr
    run_dir = run_dir_of(out)
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["finish_reason"] == "disk_full"
    assert record["counts"]["errors"]["DiskFull"] == 1
    files = check_warcs(run_dir)
    assert all(p.stat().st_size <= FILE_SIZE_LIMIT for p in files)


def _can_mount_tmpfs(directory: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(directory))}",
        ],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def crawl_on_tmpfs(tmp_path: Path, size: str, *settings: str) -> tuple[int, str, Path]:
    """Crawl the demo site into a `size` tmpfs mounted in a user and mount namespace of its
    own; the outputs are copied out before the namespace (and the tmpfs) goes away.
    Returns (exit status, stderr, copied output directory)."""
    mount = tmp_path / "mnt"
    keep = tmp_path / "keep"
    mount.mkdir()
    keep.mkdir()
    if not _can_mount_tmpfs(mount):
        pytest.skip("cannot mount a tmpfs here (unshare --user --mount not permitted)")
    crawl = shlex.join(demo_crawl_args(mount, *settings))
    script = (
        f"mount -t tmpfs -o size={size} tmpfs {mount} || exit 99\n"
        f"{crawl} > {keep}/stdout 2> {keep}/stderr\n"
        f"echo $? > {keep}/status\n"
        f"cp -a {mount}/. {keep}/out\n"
    )
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        cwd=ROOT,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    status = int((keep / "status").read_text())
    return status, (keep / "stderr").read_text(), keep / "out"


def test_low_free_space_stops_the_crawl_cleanly(tmp_path: Path) -> None:
    """NEWSARCHIVE_MIN_FREE_BYTES: on a 6 MB file system the crawl stops while 3 MB are still
    free (room for the site state's SQLite journal to be checkpointed on close), with one
    message and no traceback, and writes run.json. With the guard off (0) the disk fills:
    run.json cannot be written and the log is full of write errors."""
    status, stderr, out = crawl_on_tmpfs(tmp_path, "6000k", "NEWSARCHIVE_MIN_FREE_BYTES=3000000")
    assert status == 3, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    assert "disk full: only" in stderr and "NEWSARCHIVE_MIN_FREE_BYTES" in stderr
    run_dir = run_dir_of(out)
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["finish_reason"] == "disk_full"
    assert record["counts"]["articles"] > 0
    check_warcs(run_dir)


def test_full_disk_leaves_closed_valid_warcs(tmp_path: Path) -> None:
    """No guard (NEWSARCHIVE_MIN_FREE_BYTES=0): every write fails with ENOSPC at once. The
    WARC writer cuts the failed record off (warc/rotation.py) and the crawl stops: exit
    status 3, the WARC finished and valid; run.json only if there was room."""
    status, stderr, out = crawl_on_tmpfs(tmp_path, "1500k", "NEWSARCHIVE_MIN_FREE_BYTES=0")
    assert status == 3, stderr[-3000:]
    assert "No space left on device" in stderr and "stopping the crawl" in stderr
    check_warcs(run_dir_of(out))
