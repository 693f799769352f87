"""Scrapy → WARC: every HTTP exchange of the crawl archived exactly as received."""

from newsarchive.capture.exchange import CAPTURE_META, WARC_DATE_META, header_pairs, http_capture
from newsarchive.capture.extension import CaptureExtension, find_capture_extension
from newsarchive.capture.handler import CaptureDownloadHandler

__all__ = [
    "CAPTURE_META",
    "WARC_DATE_META",
    "CaptureDownloadHandler",
    "CaptureExtension",
    "find_capture_extension",
    "header_pairs",
    "http_capture",
]
