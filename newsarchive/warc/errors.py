"""Errors of the WARC library; each one says where it happened."""

from __future__ import annotations

from pathlib import Path


class ReadError(Exception):
    """A record (or a whole file) that could not be read.

    Readers pass these to their `on_error` callback and carry on with the next record, so one
    bad record never stops a replay.
    """

    def __init__(
        self, path: Path, offset: int, message: str, *, record_id: str | None = None
    ) -> None:
        self.path = path
        self.offset = offset
        self.message = message
        self.record_id = record_id
        where = f"{path} at offset {offset}"
        if record_id:
            where += f" ({record_id})"
        super().__init__(f"{where}: {message}")


class WriterClosedError(RuntimeError):
    """A record was written after `WarcWriter.close()`."""
