"""The bundled Qala News demo site: a deterministic, generated Orda-like news site served on
127.0.0.1 for `make demo`, the end-to-end crawl tests and benchmarks, plus its ground truth.

Public API: `DemoOptions`, `DemoServer`, `build_manifest`, `write_manifest`. Stdlib only
(optional `brotli` for `br`); never imports Scrapy or Twisted.
"""

from newsarchive.demosite.manifest import build_manifest, write_manifest
from newsarchive.demosite.options import DemoOptions
from newsarchive.demosite.server import DemoServer

__all__ = ["DemoOptions", "DemoServer", "build_manifest", "write_manifest"]
