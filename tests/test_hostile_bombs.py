"""Decompression bombs (1 GiB of zeros in 1 MB of gzip and 4 KB of brotli) against a crawl of
just those URLs and the 1.5 MB article: memory stays bounded, the bombs are refused, the raw
bytes received are archived as sent."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.demosite import DemoOptions, DemoServer
from newsarchive.demosite import faults as f
from tests.e2e import path_of
from tests.hostile_server import crawl_measured, write_profile

pytestmark = pytest.mark.slow

LONGREAD = "/longread-the-aral-sea-50-years-later-9011/"
PEAK_RSS_LIMIT_MB = 300
"""A crawl of one small page peaks at about 80 MB; the bombs add at most about two decodings
up to DOWNLOAD_MAXSIZE (32 MiB) at a time. Without the limit the peak is over 4 GB."""


def test_bombs_are_bounded_and_archived_raw(tmp_path: Path) -> None:
    """DOWNLOAD_MAXSIZE applies to the decoded body (Scrapy's HttpCompressionMiddleware stops
    inflating past it): with DOWNLOAD_MAXSIZE=0 the crawl inflates 2 GiB and peaks over 4 GB."""
    server = DemoServer(DemoOptions(faults=True))
    base = server.start()
    try:
        paths = [f.GZIP_BOMB, f.BROTLI_BOMB, LONGREAD]
        profile = write_profile(
            tmp_path / "bombs.toml",
            [base + p for p in paths],
            allowed_hosts=["127.0.0.1"],
            article_pattern="-(9011|9035|9036)/$",  # not the long read's related links
        )
        status, peak_mb, stderr = crawl_measured(profile, tmp_path / "out")
    finally:
        server.stop()
    assert status == 0, stderr[-3000:]
    assert peak_mb < PEAK_RSS_LIMIT_MB, f"peak RSS {peak_mb:.0f} MB"
    assert stderr.count("exceeded DOWNLOAD_MAXSIZE") == 2
    (run_dir,) = [p for p in (tmp_path / "out" / "hostile").iterdir() if p.is_dir()]
    archived: dict[str, bytes] = {}
    for warc in sorted((run_dir / "warc").iterdir()):
        with warc.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    archived[path_of(uri)] = record.raw_stream.read()
    for path in (f.GZIP_BOMB, f.BROTLI_BOMB):
        assert archived[path] == server.sent_bytes(path)  # compressed, as received
    assert len(gzip.decompress(archived[LONGREAD])) > 1_000_000  # served gzip, 1.5 MB inflated
    articles = (run_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(articles) == 1 and "9011" in articles[0]
