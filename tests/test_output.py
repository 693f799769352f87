from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsarchive.errors import RunDirectoryError
from newsarchive.output import JsonLinesWriter, RunDirectory, new_run_id
from newsarchive.records import Capture, Listing, ListingItem


def test_run_id_sorts_by_time() -> None:
    early = new_run_id(datetime(2025, 3, 29, 9, 5, 7, tzinfo=UTC))
    late = new_run_id(datetime(2025, 3, 29, 10, 0, 0, tzinfo=UTC))
    assert early == "20250329T090507Z" and early < late


def test_run_directory_layout_and_no_reuse(tmp_path: Path) -> None:
    run = RunDirectory.create(tmp_path, "demo", "20250329T090507Z")
    assert run.path == tmp_path / "demo" / "20250329T090507Z"
    assert run.warc_dir.is_dir()
    again = RunDirectory.create(tmp_path, "demo", "20250329T090507Z")
    assert again.path != run.path and again.run_id.startswith("20250329T090507Z-")


def test_run_id_validated(tmp_path: Path) -> None:
    with pytest.raises(RunDirectoryError):
        RunDirectory.create(tmp_path, "demo", "../../etc")


def test_unwritable_output_dir_gives_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RunDirectoryError, match="--out"):
        RunDirectory.create(blocker, "demo")


def test_listing_line_shape() -> None:
    buffer = io.StringIO()
    writer = JsonLinesWriter(buffer)
    writer.write(
        Listing(
            url="http://a/last-news/",
            site="demo",
            fetched_at="2025-03-29T13:00:00.000001Z",
            status=200,
            items=(ListingItem(title="T", url="http://a/t-1/", position=1),),
            capture=Capture(
                warc_file="f.warc.gz",
                offset=10,
                length=20,
                record_id="<urn:uuid:x>",
                payload_digest="sha1:AAAA",
            ),
        )
    )
    line = json.loads(buffer.getvalue())
    assert line["type"] == "listing"
    assert line["items"] == [{"title": "T", "url": "http://a/t-1/", "position": 1}]
    assert line["capture"]["offset"] == 10 and line["capture"]["record_id"] == "<urn:uuid:x>"
