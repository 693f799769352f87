"""Shared by the demo site's edge-page tests: one in-process site and the manifest per module,
and the page helpers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html
import pytest

from newsarchive.demosite import DemoOptions, DemoServer, build_manifest
from tests.demo_server import fetch

Entry = dict[str, Any]
XML_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site() -> Iterator[DemoServer]:
    with DemoServer(DemoOptions()) as server:
        yield server


@pytest.fixture(scope="module")
def manifest() -> dict[str, Entry]:
    return {entry["url"]: entry for entry in build_manifest(DemoOptions())}


def html(site: DemoServer, target: str) -> lxml.html.HtmlElement:
    status, _, body = fetch(site, target)
    assert status == 200, target
    return lxml.html.document_fromstring(body)


def texts(elements: list[lxml.html.HtmlElement]) -> list[str]:
    return [" ".join(element.text_content().split()) for element in elements]
