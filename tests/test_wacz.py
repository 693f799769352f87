"""`newsarchive wacz`: WACZ 1.1.1 packages checked entry by entry, by py-wacz's validator, and
read back by `newsarchive replay`'s reader."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

from newsarchive.cli import main
from newsarchive.warc.index import write_cdxj
from newsarchive.warc.reader import iter_exchanges, iter_warc_paths
from newsarchive.warc.wacz import WaczError, write_wacz
from tests.e2e import CrawlRun
from tests.pywb_env import ArchiveTools, archive_tools_or_skip
from tests.warc_factory import HTML, WARC_DATE, gzip_capture, make_capture, write_captures


@pytest.fixture(scope="module")
def archive_tools() -> ArchiveTools:
    return archive_tools_or_skip()


def make_run(directory: Path, *, body_size: int | None = None) -> Path:
    """A run directory as a crawl leaves it: warc/, articles.jsonl, listings.jsonl, run.json."""
    body = os.urandom(body_size) if body_size else HTML
    captures = [
        make_capture(
            "http://example.com/news/a/",
            body=body,
            response_headers=(("Content-Type", "text/html"), ("Content-Length", str(len(body)))),
        ),
        gzip_capture("http://example.com/news/b/"),
        make_capture("http://example.com/latest/"),
    ]
    _, written = write_captures(directory / "warc", captures)
    stamp = "2025-03-29T13:00:00.123456Z"
    articles = [
        {
            "type": "article",
            "url": capture.url,
            "fetched_at": stamp,
            "title": f"Title {i}",
            "body": f"Body of article {i}.\n\nSecond paragraph.",
            "capture": {"record_id": pointer.record_id},
        }
        for i, (capture, pointer) in enumerate(zip(captures[:2], written[:2], strict=True))
    ]
    listing = {"type": "listing", "url": captures[2].url, "fetched_at": stamp, "items": []}
    (directory / "articles.jsonl").write_text(
        "".join(json.dumps(a) + "\n" for a in articles) + "not json\n", encoding="utf-8"
    )
    (directory / "listings.jsonl").write_text(json.dumps(listing) + "\n", encoding="utf-8")
    run = {"site": "demo", "run_id": "20250329T130000Z", "base_url": "http://example.com"}
    (directory / "run.json").write_text(json.dumps(run), encoding="utf-8")
    return directory


def read_jsonl(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def check_package(path: Path, run_dir: Path) -> dict[str, Any]:
    """Our own conformance checks (`wacz validate` misses absent index/pages, py-wacz#46)."""
    with zipfile.ZipFile(path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        package = json.loads(archive.read("datapackage.json"))
        digest = json.loads(archive.read("datapackage-digest.json"))
        assert digest == {
            "path": "datapackage.json",
            "hash": "sha256:" + hashlib.sha256(archive.read("datapackage.json")).hexdigest(),
        }
        assert package["wacz_version"] == "1.1.1" and package["profile"] == "data-package"
        listed = {r["path"]: r for r in package["resources"]}
        assert set(listed) == set(infos) - {"datapackage.json", "datapackage-digest.json"}
        for name, resource in listed.items():
            data = archive.read(name)
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), name
            assert resource["bytes"] == len(data), name
        warcs = sorted((run_dir / "warc").iterdir())
        for warc in warcs:
            entry = f"archive/{warc.name}"
            assert infos[entry].compress_type == zipfile.ZIP_STORED
            assert archive.read(entry) == warc.read_bytes()
        expected_index = io.StringIO()
        write_cdxj(warcs, expected_index, post_append=True)
        index = archive.read("indexes/index.cdxj").decode("utf-8")
        assert index == expected_index.getvalue() and index
        pages = read_jsonl(archive.read("pages/pages.jsonl"))
        extra = read_jsonl(archive.read("pages/extraPages.jsonl"))
    return {"package": package, "pages": pages, "extra": extra}


def test_package_contents(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path / "run")
    output = tmp_path / "out" / "run.wacz"
    summary = write_wacz(run_dir, output)
    contents = check_package(output, run_dir)
    assert contents["package"]["title"] == "newsarchive demo 20250329T130000Z"
    header, *pages = contents["pages"]
    assert header == {
        "format": "json-pages-1.0",
        "id": "pages",
        "title": "Articles",
        "hasText": True,
    }
    assert [p["url"] for p in pages] == ["http://example.com/news/a/", "http://example.com/news/b/"]
    assert pages[0]["ts"] == "2025-03-29T13:00:00.123456Z"
    assert pages[0]["title"] == "Title 0"
    assert pages[0]["text"].startswith("Body of article 0.")
    assert len({p["id"] for p in pages}) == 2
    assert contents["extra"][1]["url"] == "http://example.com/latest/"
    assert summary.pages is not None
    assert [s.split(" (")[0] for s in summary.pages.skipped] == ["articles.jsonl:3: not JSON"]
    assert not list(output.parent.glob("*.part")) and not list(output.parent.glob(".wacz-*"))


def test_wacz_validate_passes_and_can_fail(tmp_path: Path, archive_tools: ArchiveTools) -> None:
    run_dir = make_run(tmp_path / "run")
    output = tmp_path / "run.wacz"
    write_wacz(run_dir, output)
    assert validate(archive_tools, output)
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(output) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "pages/pages.jsonl":
                data += b'{"url": "http://example.com/x", "ts": "2025-03-29T13:00:00Z"}\n'
            dst.writestr(info, data)
    assert not validate(archive_tools, tampered)


def validate(tools: ArchiveTools, path: Path) -> bool:
    result = subprocess.run(
        [str(tools.wacz), "validate", "-f", str(path)], capture_output=True, text=True, timeout=120
    )
    return result.returncode == 0 and "Validation succeeded" in result.stdout


def test_demo_run_package_validates(
    demo_run: CrawlRun, tmp_path: Path, archive_tools: ArchiveTools
) -> None:
    output = tmp_path / "demo.wacz"
    assert main(["wacz", str(demo_run.run_dir), "-o", str(output)]) == 0
    contents = check_package(output, demo_run.run_dir)
    pages = contents["pages"][1:]
    assert [(p["url"], p["ts"]) for p in pages] == [
        (a["url"], a["fetched_at"]) for a in demo_run.articles
    ]
    assert all(p.get("title") and p.get("text") for p in pages)
    assert len(contents["extra"]) - 1 == len(demo_run.listings)
    assert validate(archive_tools, output)


def test_warcs_are_streamed_not_loaded(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path / "run", body_size=24_000_000)
    tracemalloc.start()
    try:
        write_wacz(run_dir, tmp_path / "big.wacz")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (tmp_path / "big.wacz").stat().st_size > 24_000_000
    assert peak < 8_000_000, f"peak {peak} bytes: a WARC was read into memory"


def test_refuses_open_warcs_and_empty_runs(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path / "run")
    warc = next((run_dir / "warc").iterdir())
    warc.rename(warc.with_name(warc.name + ".open"))
    with pytest.raises(WaczError, match=r"still \.open"):
        write_wacz(run_dir, tmp_path / "x.wacz")
    (tmp_path / "empty").mkdir()
    with pytest.raises(WaczError, match="no WARC files"):
        write_wacz(tmp_path / "empty", tmp_path / "y.wacz")
    assert not list(tmp_path.glob("*.wacz*"))


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["wacz", str(tmp_path / "missing"), "-o", str(tmp_path / "x.wacz")]) == 2
    assert "not a run directory" in capsys.readouterr().err
    run_dir = make_run(tmp_path / "run")
    assert main(["wacz", str(run_dir), "-o", str(tmp_path / "x.zip")]) == 2
    assert "must end in .wacz" in capsys.readouterr().err
    assert main(["wacz", str(run_dir), "-o", str(tmp_path / "x.wacz")]) == 0
    assert "2 pages, 1 extra pages" in capsys.readouterr().err


# --- reading a WACZ back ---------------------------------------------------------------------


def exchange_view(paths: list[Path]) -> list[tuple[Any, ...]]:
    errors: list[object] = []
    found = [
        (e.url, e.status, e.body, e.fetched_at, e.capture)
        for e in iter_exchanges(paths, on_error=errors.append)
    ]
    assert not errors, errors
    return found


def test_replay_reader_reads_wacz_like_the_run(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path / "run")
    output = tmp_path / "run.wacz"
    write_wacz(run_dir, output)
    from_wacz = exchange_view([output])
    assert from_wacz == exchange_view([run_dir])
    assert len(from_wacz) == 3 and from_wacz[1][2] == HTML  # gzip body decoded
    warc_name = next((run_dir / "warc").iterdir()).name
    assert {capture.warc_file for *_, capture in from_wacz} == {warc_name}
    # A package kept inside its run directory is not read twice when the directory is given.
    output.rename(run_dir / "run.wacz")
    assert [p.name for p in iter_warc_paths([run_dir])] == [warc_name]


def test_wacz_revisit_resolves_inside_the_package(tmp_path: Path) -> None:
    from newsarchive.warc.writer import WarcWriter, WarcWriterConfig

    with WarcWriter(WarcWriterConfig(tmp_path / "run" / "warc", host="h", pid=1)) as writer:
        original = writer.write_exchange(make_capture("http://example.com/a"))
        writer.rotate()  # the revisit goes to a second WARC
        writer.write_revisit(
            make_capture("http://example.com/a", warc_date=WARC_DATE.replace(year=2026)),
            refers_to=original.record_id,
            refers_to_target_uri="http://example.com/a",
            refers_to_date="2025-03-29T13:00:00.123456Z",
            profile="identical-payload-digest",
        )
    write_wacz(tmp_path / "run", tmp_path / "run.wacz")
    exchanges = exchange_view([tmp_path / "run.wacz"])
    assert [e[2] for e in exchanges] == [HTML, HTML]
    assert exchanges[1][3].startswith("2026-")


def test_deflated_member_and_damaged_package(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path / "run")
    warc = next((run_dir / "warc").iterdir())
    deflated = tmp_path / "deflated.wacz"
    with zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(warc, f"archive/{warc.name}")
    assert exchange_view([deflated]) == exchange_view([warc])
    broken = tmp_path / "broken.wacz"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    errors: list[Any] = []
    assert list(iter_exchanges([broken], on_error=errors.append)) == []
    assert len(errors) == 1 and errors[0].path == broken and "ZIP" in errors[0].message


def test_page_list_reads_every_worker_file(tmp_path: Path) -> None:
    """A multi-worker run writes articles-<host>-<pid>.jsonl per worker: all become pages."""
    import io

    from newsarchive.warc.wacz_pages import write_page_list

    for worker in ("a-1", "b-2"):
        line = {
            "url": f"http://127.0.0.1/{worker}-1/",
            "fetched_at": "2025-03-29T13:00:00Z",
            "title": worker,
            "body": "text",
        }
        (tmp_path / f"articles-{worker}.jsonl").write_text(json.dumps(line) + "\n")
    out = io.StringIO()
    summary = write_page_list(
        sorted(tmp_path.glob("articles*.jsonl")), out, list_id="pages", title="A", with_text=True
    )
    assert summary.pages == 2
    assert len(out.getvalue().splitlines()) == 3
