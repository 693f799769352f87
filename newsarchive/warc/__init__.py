"""WARC library (warcio only, no Scrapy): write captures, read exchanges back from any WARC/ARC
or WACZ; revisit records across runs. Indexing (`index`) and packaging (`wacz`) are imported
from their modules, so that importing this package does not load cdxj-indexer."""

from newsarchive.warc.capture import HttpCapture
from newsarchive.warc.digest_index import DigestIndex
from newsarchive.warc.errors import ReadError, WriterClosedError
from newsarchive.warc.reader import ExchangeReader, iter_exchanges, iter_warc_paths
from newsarchive.warc.revisit import PriorCapture, RevisitPolicy
from newsarchive.warc.revisit_writer import WriteOutcome, write_capture
from newsarchive.warc.scanner import iter_records, read_record_at
from newsarchive.warc.stored import StoredRecord
from newsarchive.warc.writer import WarcWriter, WarcWriterConfig, metadata_uri

__all__ = [
    "DigestIndex",
    "ExchangeReader",
    "HttpCapture",
    "PriorCapture",
    "ReadError",
    "RevisitPolicy",
    "StoredRecord",
    "WarcWriter",
    "WarcWriterConfig",
    "WriteOutcome",
    "WriterClosedError",
    "iter_exchanges",
    "iter_records",
    "iter_warc_paths",
    "metadata_uri",
    "read_record_at",
    "write_capture",
]
