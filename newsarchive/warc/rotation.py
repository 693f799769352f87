"""`WarcFiles`: the files a `WarcWriter` writes: names, `.open` until finished, size rotation.

Names follow WARC 1.1 Annex C, `PREFIX-TIMESTAMP-SERIAL-HOST-PID.warc.gz` (timestamp with
milliseconds). A file is written as `NAME.warc.gz.open` and renamed when finished (the
Heritrix/warcprox convention); each starts with the record `start_file(final name)` returns.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from newsarchive.warc.writer_config import WarcWriterConfig

__all__ = ["WarcFiles"]

logger = logging.getLogger(__name__)


class WarcFiles:
    """Appends gzip members to the current file, opening and rotating files as needed."""

    def __init__(
        self,
        config: WarcWriterConfig,
        *,
        host: str,
        pid: int,
        start_file: Callable[[str], bytes],
    ) -> None:
        self._config = config
        self._host = host
        self._pid = pid
        self._start_file = start_file
        self._serial = 0
        self._file: io.FileIO | None = None
        self._open_path: Path | None = None
        self._final_path: Path | None = None
        self._size = 0
        self._records_in_file = 0
        self._paths: list[Path] = []
        self._finished_bytes = 0

    @property
    def paths(self) -> list[Path]:
        """Final paths of every file so far, the current one included."""
        return list(self._paths)

    @property
    def bytes_written(self) -> int:
        return self._finished_bytes + (self._size if self._file is not None else 0)

    @property
    def current_name(self) -> str:
        assert self._final_path is not None
        return self._final_path.name

    def ensure(self, *, may_rotate: bool) -> None:
        """Make sure a file is open, first finishing a full one when `may_rotate`."""
        if (
            self._file is not None
            and may_rotate
            and self._records_in_file > 1  # never rotate a file holding only its warcinfo
            and self._size >= self._config.max_size
        ):
            self.finish()
        if self._file is None:
            self._open()

    def append(self, members: list[bytes]) -> int:
        """Write members straight to the file, so a crash loses at most the write in progress;
        returns the offset of the first."""
        assert self._file is not None
        offset = self._size
        data = memoryview(b"".join(members))
        try:
            while data:
                data = data[self._file.write(data) :]
        except OSError:
            # Disk full or similar: cut the partial write off so later records stay readable.
            logger.error("write to %s failed at offset %d", self._open_path, offset)
            self._file.truncate(offset)
            self._file.seek(offset)
            raise
        self._size = self._file.tell()
        self._records_in_file += len(members)
        return offset

    def finish(self) -> None:
        """Close the current file, if any, and rename it to its final name."""
        if self._file is None:
            return
        assert self._open_path and self._final_path
        self._file.close()
        self._file = None
        self._finished_bytes += self._size
        self._open_path.rename(self._final_path)
        logger.info("finished WARC %s (%d bytes)", self._final_path, self._size)

    def _open(self) -> None:
        directory = self._config.directory
        directory.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}"
        while True:
            name = f"{self._config.prefix}-{stamp}-{self._serial:05d}-{self._host}-{self._pid}"
            final_path = directory / f"{name}.warc.gz"
            open_path = directory / f"{name}.warc.gz.open"
            self._serial += 1
            if final_path.exists():
                continue
            try:
                # Unbuffered: members are assembled in memory and written whole, and a failed
                # write can be cut off again without a buffer flushing it later.
                self._file = open_path.open("xb", buffering=0)
            except FileExistsError:
                continue
            break
        self._open_path, self._final_path = open_path, final_path
        self._paths.append(final_path)
        self._size = 0
        self._records_in_file = 0
        self.append([self._start_file(final_path.name)])
        logger.info("writing WARC %s", open_path)
