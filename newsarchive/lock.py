"""One crawl per site and output directory at a time: `DIR/SITE/.lock`, an advisory flock.

The kernel drops the lock when the process dies (even by SIGKILL), so a crashed run never leaves
a stale lock behind; the file's text only says who holds it, for the error message.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from newsarchive.errors import NewsarchiveError


class AlreadyRunning(NewsarchiveError):
    """Another run holds the site's lock."""


class SiteLock:
    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir / ".lock"
        self._fh: IO[str] | None = None

    def acquire(self) -> SiteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise AlreadyRunning(
                f"another crawl of this site is running ({holder}); it will be picked up by "
                "the next scheduled run, or wait for it to finish",
                path=str(self.path),
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
        )
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> SiteLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
