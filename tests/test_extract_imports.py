"""The extraction library and the `extract` command stay free of Scrapy, Twisted and warcio."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_importing_extract_does_not_load_scrapy_twisted_or_warcio() -> None:
    code = (
        "import sys, newsarchive.extract, newsarchive.cli.extract\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'scrapy', 'twisted', 'warcio', 'parsel'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_extract_command_does_not_load_scrapy() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from newsarchive.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['extract', 'tests/fixtures/seed-article.html'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'scrapy', 'twisted'})\n"
        "print(code, ','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.stdout.strip() == "0"
