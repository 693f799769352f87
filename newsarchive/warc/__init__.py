"""WARC library (warcio only, no Scrapy): write captures, read exchanges back from any WARC/ARC."""

from newsarchive.warc.capture import HttpCapture
from newsarchive.warc.errors import ReadError, WriterClosedError
from newsarchive.warc.reader import ExchangeReader, iter_exchanges, iter_warc_paths
from newsarchive.warc.scanner import iter_records, read_record_at
from newsarchive.warc.stored import StoredRecord
from newsarchive.warc.writer import WarcWriter, WarcWriterConfig

__all__ = [
    "ExchangeReader",
    "HttpCapture",
    "ReadError",
    "StoredRecord",
    "WarcWriter",
    "WarcWriterConfig",
    "WriterClosedError",
    "iter_exchanges",
    "iter_records",
    "iter_warc_paths",
    "read_record_at",
]
