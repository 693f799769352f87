"""Our HTTP download handler: Scrapy's HTTP/1.1 handler plus what archiving needs from it.

- WARC-Date is taken when the request goes out, and shared by request and response records.
- A download that fails after the response headers arrived (size limit, reset mid-body, a body
  shorter than its Content-Length, a timeout) never reaches `response_downloaded`, yet its
  bytes were received: they are archived here with `WARC-Truncated`, then the error goes on to
  the retry middleware and the spider's errback as usual. The status line comes from Twisted's
  response (recorded by `_StatusRecordingAgent`), the body from the `bytes_received` signal.

This leans on Scrapy's private `_ScrapyAgent`; Scrapy is pinned below the next minor release and
tests/test_capture_truncation.py fails if that API moves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler, _ScrapyAgent
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Response
from scrapy.utils._download_handlers import wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.python import to_unicode

from newsarchive.capture.exchange import (
    WARC_DATE_META,
    Truncation,
    header_pairs,
    request_header_pairs,
    warc_date_of,
)
from newsarchive.warc.writer import HttpCapture

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http.headers import Headers
    from twisted.web.client import Response as TxResponse

logger = logging.getLogger(__name__)

STATUS_META = "newsarchive_status_line"


@dataclass(slots=True)
class _Partial:
    """What arrived so far for one in-flight download (bounded by the size limit)."""

    limit: int
    headers: tuple[tuple[str, str], ...] | None = None
    expected_length: int | None = None
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    overflow: bool = False

    def add(self, data: bytes) -> None:
        room = self.limit - self.size if self.limit else len(data)
        if len(data) > room:
            self.overflow = True
            data = data[: max(room, 0)]
        self.chunks.append(data)
        self.size += len(data)


class _StatusRecordingAgent(_ScrapyAgent):
    """Notes the status line and peer address as soon as the response head is parsed."""

    def _cb_bodyready(self, txresponse: TxResponse, request: Request) -> Any:
        version = txresponse.version
        protocol = f"{to_unicode(version[0])}/{version[1]}.{version[2]}"
        ip: str | None = None
        try:
            ip = str(txresponse._transport._producer.getPeer().host)
        except AttributeError:
            ip = None
        request.meta[STATUS_META] = (protocol, int(txresponse.code), ip)
        return super()._cb_bodyready(txresponse, request)


def truncation_kind(partial: _Partial, error: BaseException) -> Truncation:
    if partial.overflow or (
        partial.limit and partial.expected_length and partial.expected_length > partial.limit
    ):
        return "length"
    if isinstance(error, DownloadTimeoutError):
        return "time"
    return "disconnect"


class CaptureDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._inflight: dict[int, _Partial] = {}
        crawler.signals.connect(self._headers_received, signal=signals.headers_received)
        crawler.signals.connect(self._bytes_received, signal=signals.bytes_received)

    def _headers_received(
        self, headers: Headers, body_length: int, request: Request, spider: Any
    ) -> None:
        partial = self._inflight.get(id(request))
        if partial is not None:
            partial.headers = header_pairs(headers)
            partial.expected_length = body_length if body_length >= 0 else None

    def _bytes_received(self, data: bytes, request: Request, spider: Any) -> None:
        partial = self._inflight.get(id(request))
        if partial is not None:
            partial.add(data)

    async def download_request(self, request: Request) -> Response:
        request.meta[WARC_DATE_META] = datetime.now(UTC)
        limit = int(request.meta.get("download_maxsize", self._default_maxsize) or 0)
        partial = _Partial(limit=limit)
        self._inflight[id(request)] = partial
        agent = _StatusRecordingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except Exception as exc:
            # Archive what arrived, then let the error take its usual course (retry, errback).
            self._archive_partial(request, partial, exc)
            raise
        finally:
            self._inflight.pop(id(request), None)

    def _archive_partial(self, request: Request, partial: _Partial, error: Exception) -> None:
        status_line = request.meta.get(STATUS_META)
        if status_line is None or partial.headers is None:
            return  # nothing but a connection attempt: no HTTP bytes to archive
        from newsarchive.capture.extension import find_capture_extension

        extension = find_capture_extension(self._crawler)
        if extension is None:
            return
        protocol, status, ip = status_line
        kind = truncation_kind(partial, error)
        capture = HttpCapture(
            url=request.url,
            method=request.method,
            request_headers=request_header_pairs(request),
            request_body=request.body or b"",
            protocol=protocol,
            status=status,
            response_headers=partial.headers,
            body=b"".join(partial.chunks),
            warc_date=warc_date_of(request),
            ip_address=ip,
            truncated=kind,
        )
        logger.warning(
            "archived %d bytes of %s cut short (%s: %s), WARC-Truncated: %s",
            partial.size,
            request.url,
            type(error).__name__,
            error,
            kind,
        )
        extension.write(request, capture, truncated=kind)
