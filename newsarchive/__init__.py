"""newsarchive: crawl news sites into raw WARC captures and clean article JSON lines."""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
