"""What the spider hands to the pipelines: one fetched page, already archived."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scrapy.http import Response

from newsarchive.capture.exchange import CAPTURE_META, WARC_DATE_META, header_pairs
from newsarchive.records import Exchange
from newsarchive.warc.writer import format_warc_date


@dataclass(slots=True, kw_only=True)
class PageItem:
    exchange: Exchange
    page: Any
    """The parsed `HtmlPage`, so the pipeline does not parse the HTML a second time."""
    page_type: str
    series: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def exchange_from_response(response: Response) -> Exchange:
    """The response as processing sees it: Content-Encoding already decoded by Scrapy."""
    warc_date = response.meta.get(WARC_DATE_META) or datetime.now(UTC)
    content_type = response.headers.get("Content-Type")
    return Exchange(
        url=response.url,
        status=response.status,
        headers=header_pairs(response.headers),
        body=response.body,
        fetched_at=format_warc_date(warc_date),
        capture=response.meta.get(CAPTURE_META),
        content_type=content_type.decode("latin-1") if content_type else None,
    )
