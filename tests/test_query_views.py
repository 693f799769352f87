"""The query views over a real demo crawl plus a synthetic multi-worker run, and the README's
example queries (the README shows exactly these SQL texts)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsarchive.output import dumps_line
from newsarchive.query.views import VIEW_NAMES, ArchiveDatabase, open_archive
from newsarchive.records import (
    Article,
    ArticleFields,
    Caption,
    Capture,
    Listing,
    ListingItem,
    Related,
)
from tests.e2e import read_jsonl

SYNTH_SITE = "synth"
SYNTH_RUN = "20260301T090000Z"
SYNTH_BASE = "https://synth.example"
COMMON_URL = f"{SYNTH_BASE}/most-linked-story/"
COMMON_TITLE = "Synthetic story everyone links to"
SEARCH_WORD = "heliotrope"
FRONT_PAGE = f"{SYNTH_BASE}/last-news/"
# Front page of the synthetic site at four capture times: the headlines in page order.
FRONT_PAGE_CAPTURES = {
    "2026-03-01T09:00:00Z": ["A", "B", "C", "D", "E", "F"],
    "2026-03-01T11:00:00Z": ["G", "A", "B", "C", "D", "E"],
    "2026-03-01T13:00:00Z": ["H", "G", "A", "B", "C", "D"],
    "2026-03-01T15:00:00Z": ["I", "H", "G", "A", "B", "C"],
}

# --- the README's example queries, verbatim ---------------------------------------------------

ARTICLES_PER_DAY = """\
SELECT site, published_local::DATE AS day, count(DISTINCT url) AS articles
FROM articles
WHERE published IS NOT NULL
GROUP BY ALL
ORDER BY site, day DESC"""

FULL_TEXT_SEARCH = """\
SELECT published_local::DATE AS day, language, title
FROM articles
WHERE body ILIKE '%parking%' OR body ILIKE '%парков%'
ORDER BY day DESC, title"""

MOST_LINKED_RELATED = """\
SELECT any_value(title) AS headline, count(*) AS links,
       count(DISTINCT article_url) AS linking_articles
FROM related
WHERE kind <> 'latest_news'
GROUP BY url
ORDER BY links DESC, headline
LIMIT 5"""

# The README fills in the times of its demo captures.
FRONT_PAGE_OVER_TIME_TEMPLATE = """\
SELECT strftime(fetched_at, '%Y-%m-%d %H:%M:%S') AS captured, position, title
FROM listing_items
WHERE regexp_matches(listing_url, '^https?://[^/]+/last-news/$')
  AND position <= 5
  AND fetched_at BETWEEN TIMESTAMPTZ '{start}' AND TIMESTAMPTZ '{end}'
ORDER BY fetched_at, position"""
FRONT_PAGE_OVER_TIME = FRONT_PAGE_OVER_TIME_TEMPLATE.format(
    start="2026-03-01 10:00:00+00", end="2026-03-01 14:00:00+00"
)


# --- building a test archive --------------------------------------------------------------------


def _capture(n: int) -> Capture:
    return Capture(
        warc_file="synth-00000.warc.gz",
        offset=1000 * n,
        length=900,
        record_id=f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>",
        payload_digest="sha1:AAAA",
    )


def synthetic_articles() -> list[Article]:
    """Six articles; three mention SEARCH_WORD, all six link COMMON_URL twice (a "Read also"
    line and a related block)."""
    published = [
        "2026-02-27T23:30:00+05:00",  # local day 02-27
        "2026-02-28T01:00:00+05:00",  # local day 02-28, but 02-27 in UTC
        "2026-02-28T12:00:00+05:00",
        "2026-02-28",
        None,
        "2026-02-28T08:00:00",
    ]
    articles = []
    for n, date in enumerate(published):
        body = f"Paragraph one of story {n}.\n\nParagraph two."
        if n % 2 == 0:
            body += f" The {SEARCH_WORD} garden reopened."
        related = (
            Related(
                title=COMMON_TITLE, url=COMMON_URL, position=1, block="Read also", kind="read_also"
            ),
            Related(
                title=COMMON_TITLE, url=COMMON_URL, position=3, block="Related", kind="related"
            ),
            Related(
                title=f"Latest {n}",
                url=f"{SYNTH_BASE}/latest-{n}/",
                position=1,
                block="Latest news",
                kind="latest_news",
            ),
        )
        fields = ArticleFields(
            title=f"Synthetic story {n}" if n != 4 else None,
            lead=None,
            body=body,
            captions=(Caption(text=f"Caption {n}", credit="Photo desk", image_url=None),),
            related=related,
            authors=("A. Writer",),
            published=date,
            language="en",
        )
        articles.append(
            Article(
                url=f"{SYNTH_BASE}/story-{n}/",
                site=SYNTH_SITE,
                fetched_at=f"2026-03-01T09:0{n}:00Z",
                status=200,
                extractor_version="0.0.test",
                fields=fields,
                capture=_capture(n) if n != 5 else None,
            )
        )
    return articles


def synthetic_listings() -> list[Listing]:
    listings = []
    for n, (fetched_at, headlines) in enumerate(FRONT_PAGE_CAPTURES.items()):
        items = tuple(
            ListingItem(title=f"Headline {h}", url=f"{SYNTH_BASE}/{h.lower()}/", position=i)
            for i, h in enumerate(headlines, start=1)
        )
        listings.append(
            Listing(
                url=FRONT_PAGE,
                site=SYNTH_SITE,
                fetched_at=fetched_at,
                status=200,
                items=items,
                capture=_capture(100 + n),
            )
        )
    return listings


def write_lines(path: Path, records: list[Any]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(dumps_line(record))


def add_synthetic_run(archive: Path) -> Path:
    """A two-worker run: articles split over articles-<host>-<pid>.jsonl files."""
    run = archive / SYNTH_SITE / SYNTH_RUN
    run.mkdir(parents=True)
    articles = synthetic_articles()
    write_lines(run / "articles-hosta-101.jsonl", articles[:4])
    write_lines(run / "articles-hostb-202.jsonl", articles[4:])
    write_lines(run / "listings-hosta-101.jsonl", synthetic_listings())
    # Files the views must not read.
    write_lines(run / "articles.jsonl.tmp", articles[:1])
    write_lines(run / "articlesX.jsonl", articles[:1])
    run_json = {
        "site": SYNTH_SITE,
        "run_id": SYNTH_RUN,
        "started_at": "2026-03-01T09:00:00+00:00",
        "finished_at": "2026-03-01T15:01:00+00:00",
        "duration_s": 21660.0,
        "finish_reason": "finished",
        "counts": {"pages": 10, "articles": 6, "listings": 4, "articles_new": 6},
        "warc_files": ["synth-00000.warc.gz"],
        "versions": {"newsarchive": "0.0.test"},
    }
    (run / "run.json").write_text(json.dumps(run_json), encoding="utf-8")
    return run


def copy_run(run_dir: Path, archive: Path) -> Path:
    """The JSON lines and run.json of a crawl's run directory, copied into `archive`."""
    target = archive / "demo" / run_dir.name
    target.mkdir(parents=True)
    for path in run_dir.iterdir():
        if path.suffix in {".jsonl", ".json"}:
            shutil.copy2(path, target / path.name)
    return target


def build_archive(demo_run: Any, root: Path) -> Path:
    archive = root / "archives"
    copy_run(demo_run.run_dir, archive)
    add_synthetic_run(archive)
    return archive


def rows(db: ArchiveDatabase, sql: str) -> list[tuple[Any, ...]]:
    return db.con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def archive(demo_run: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_archive(demo_run, tmp_path_factory.mktemp("query"))


@pytest.fixture(scope="module")
def db(archive: Path) -> Any:
    with open_archive(archive) as database:
        yield database


@pytest.fixture(scope="module")
def demo_lines(demo_run: Any) -> dict[str, list[dict[str, Any]]]:
    return {"articles": demo_run.articles, "listings": demo_run.listings}


# --- the views --------------------------------------------------------------------------------


def test_every_line_and_run_is_in_the_views(db: ArchiveDatabase, demo_lines: Any) -> None:
    assert db.summary.skipped == ()
    assert db.summary.runs == 2
    per_site = dict(rows(db, "SELECT site, count(*) FROM articles GROUP BY site"))
    assert per_site == {"demo": len(demo_lines["articles"]), SYNTH_SITE: 6}
    per_site = dict(rows(db, "SELECT site, count(*) FROM listings GROUP BY site"))
    assert per_site == {"demo": len(demo_lines["listings"]), SYNTH_SITE: 4}
    assert rows(db, "SELECT site, run_id FROM runs ORDER BY site") == [
        ("demo", rows(db, "SELECT any_value(run_id) FROM articles WHERE site = 'demo'")[0][0]),
        (SYNTH_SITE, SYNTH_RUN),
    ]


def test_site_and_run_id_come_from_the_directory(db: ArchiveDatabase, demo_run: Any) -> None:
    found = set(rows(db, "SELECT DISTINCT site, run_id FROM articles"))
    assert found == {("demo", demo_run.run_dir.name), (SYNTH_SITE, SYNTH_RUN)}


def test_worker_files_are_read_and_other_files_are_not(db: ArchiveDatabase) -> None:
    files = rows(
        db,
        f"SELECT source_file, count(*) FROM articles WHERE site = '{SYNTH_SITE}' "
        "GROUP BY ALL ORDER BY ALL",
    )
    assert [(Path(f).name, n) for f, n in files] == [
        ("articles-hosta-101.jsonl", 4),
        ("articles-hostb-202.jsonl", 2),
    ]
    assert rows(db, f"SELECT count(*) FROM listings WHERE site = '{SYNTH_SITE}'") == [(4,)]


def test_article_columns_keep_the_line_values(db: ArchiveDatabase, demo_lines: Any) -> None:
    first = demo_lines["articles"][0]
    (row,) = rows(
        db,
        "SELECT title, body, status, authors, tags, capture.warc_file, capture.offset, "
        f"len(captions), len(related) FROM articles WHERE url = '{first['url']}'",
    )
    assert row == (
        first["title"],
        first["body"],
        first["status"],
        first["authors"],
        first["tags"],
        first["capture"]["warc_file"],
        first["capture"]["offset"],
        len(first["captions"]),
        len(first["related"]),
    )


def test_times_are_utc_timestamps_and_local_publication_time_is_kept(
    db: ArchiveDatabase,
) -> None:
    types = dict(rows(db, "SELECT column_name, column_type FROM (DESCRIBE articles)"))
    assert types["fetched_at"] == types["published"] == "TIMESTAMP WITH TIME ZONE"
    assert types["published_local"] == "TIMESTAMP"
    story = rows(
        db,
        "SELECT strftime(published, '%Y-%m-%d %H:%M'), strftime(published_local, '%Y-%m-%d %H:%M') "
        f"FROM articles WHERE url = '{SYNTH_BASE}/story-1/'",
    )
    assert story == [("2026-02-27 20:00", "2026-02-28 01:00")]


def test_null_and_missing_fields_do_not_break_the_views(db: ArchiveDatabase) -> None:
    (row,) = rows(
        db,
        "SELECT title, lead, published, published_local, capture.offset, version, content_digest "
        f"FROM articles WHERE url = '{SYNTH_BASE}/story-4/'",
    )
    assert row == (None, None, None, None, 4000, None, None)
    assert rows(db, f"SELECT capture FROM articles WHERE url = '{SYNTH_BASE}/story-5/'") == [
        (None,)
    ]


def test_listing_items_is_one_row_per_item(db: ArchiveDatabase, demo_lines: Any) -> None:
    expected = sum(len(line["items"]) for line in demo_lines["listings"]) + 4 * 6
    assert rows(db, "SELECT count(*) FROM listing_items") == [(expected,)]
    top = rows(
        db,
        "SELECT title, url FROM listing_items "
        f"WHERE listing_url = '{FRONT_PAGE}' AND position = 1 ORDER BY fetched_at",
    )
    assert [t for t, _ in top] == ["Headline A", "Headline G", "Headline H", "Headline I"]


def test_captions_and_related_are_one_row_per_item_with_their_article(
    db: ArchiveDatabase, demo_lines: Any
) -> None:
    articles = demo_lines["articles"]
    assert rows(db, "SELECT count(*) FROM captions WHERE site = 'demo'") == [
        (sum(len(a["captions"]) for a in articles),)
    ]
    assert rows(db, "SELECT count(*) FROM related WHERE site = 'demo'") == [
        (sum(len(a["related"]) for a in articles),)
    ]
    with_captions = next(a for a in articles if len(a["captions"]) >= 2)
    got = rows(
        db,
        "SELECT ordinal, text, credit, image_url FROM captions "
        f"WHERE article_url = '{with_captions['url']}' ORDER BY ordinal",
    )
    assert got == [
        (i, c["text"], c["credit"], c["image_url"])
        for i, c in enumerate(with_captions["captions"], start=1)
    ]
    with_related = next(a for a in articles if a["related"])
    got = rows(
        db,
        "SELECT block, kind, position, title, url FROM related "
        f"WHERE article_url = '{with_related['url']}' ORDER BY ordinal",
    )
    assert got == [
        (r["block"], r["kind"], r["position"], r["title"], r["url"])
        for r in with_related["related"]
    ]


def test_runs_view_has_typed_counts_and_the_whole_document(
    db: ArchiveDatabase, demo_run: Any
) -> None:
    (demo,) = rows(
        db, "SELECT articles, listings, pages, finish_reason FROM runs WHERE site = 'demo'"
    )
    counts = demo_run.run_json["counts"]
    assert demo == (counts["articles"], counts["listings"], counts["pages"], "finished")
    (synth,) = rows(
        db,
        "SELECT duration_s, run_json->>'$.counts.articles_new', warc_files, "
        f"strftime(started_at, '%H:%M') FROM runs WHERE site = '{SYNTH_SITE}'",
    )
    assert synth == (21660.0, "6", ["synth-00000.warc.gz"], "09:00")


def test_an_empty_archive_gives_empty_views(tmp_path: Path) -> None:
    with open_archive(tmp_path) as db:
        for view in VIEW_NAMES:
            assert rows(db, f"SELECT count(*) FROM {view}") == [(0,)], view
        columns = [c for (c,) in rows(db, "SELECT column_name FROM (DESCRIBE articles)")]
        assert columns[:3] == ["site", "run_id", "url"]
        assert "published_local" in columns


def test_a_run_without_files_of_one_kind_still_has_both_views(tmp_path: Path) -> None:
    add_synthetic_run(tmp_path)
    for name in ("listings-hosta-101.jsonl",):
        (tmp_path / SYNTH_SITE / SYNTH_RUN / name).unlink()
    with open_archive(tmp_path) as db:
        assert rows(db, "SELECT count(*) FROM articles") == [(6,)]
        assert rows(db, "SELECT count(*) FROM listing_items") == [(0,)]


def test_a_site_or_run_directory_can_be_queried_alone(archive: Path, demo_run: Any) -> None:
    with open_archive(archive / SYNTH_SITE) as db:
        assert rows(db, "SELECT DISTINCT site, run_id FROM articles") == [(SYNTH_SITE, SYNTH_RUN)]
    with open_archive(archive / "demo" / demo_run.run_dir.name) as db:
        assert rows(db, "SELECT DISTINCT site, run_id FROM listings") == [
            ("demo", demo_run.run_dir.name)
        ]


def test_paths_with_glob_characters_and_quotes_are_read_literally(tmp_path: Path) -> None:
    archive = tmp_path / "arch[1] o'brien {x}*"
    add_synthetic_run(archive)
    # A sibling DuckDB's glob would match if the brackets were read as a pattern.
    add_synthetic_run(tmp_path / "arch1 o'brien {x}*")
    with open_archive(archive) as db:
        assert rows(db, "SELECT count(*) FROM articles") == [(6,)]
        (source,) = rows(db, "SELECT DISTINCT source_file FROM listings")
        assert source[0].startswith(str(archive))


def test_closing_removes_the_temporary_files(tmp_path: Path) -> None:
    add_synthetic_run(tmp_path)
    db = open_archive(tmp_path)
    workdir = db.workdir
    assert workdir.is_dir()
    db.close()
    assert not workdir.exists()


# --- the README's example queries -------------------------------------------------------------


def test_readme_articles_per_day_per_site(db: ArchiveDatabase, demo_lines: Any) -> None:
    result = rows(db, ARTICLES_PER_DAY)
    synth = {str(day): n for site, day, n in result if site == SYNTH_SITE}
    # Local publication days: 23:30+05:00 on the 27th stays the 27th, 01:00+05:00 is the 28th.
    assert synth == {"2026-02-27": 1, "2026-02-28": 4}
    demo_total = sum(n for site, _, n in result if site == "demo")
    assert demo_total == sum(1 for a in demo_lines["articles"] if a["published"])
    days = [day for site, day, _ in result if site == "demo"]
    assert days == sorted(days, reverse=True)
    expected = Counter(a["published"][:10] for a in demo_lines["articles"] if a["published"])
    assert {str(day): n for site, day, n in result if site == "demo"} == dict(expected)


def test_readme_full_text_search(db: ArchiveDatabase, demo_lines: Any) -> None:
    result = rows(db, FULL_TEXT_SEARCH)
    expected = {
        a["title"]
        for a in demo_lines["articles"]
        if "parking" in a["body"].lower() or "парков" in a["body"].lower()
    }
    assert expected, "the demo site has parking stories"
    assert {title for _, _, title in result} == expected
    search = rows(db, f"SELECT count(*) FROM articles WHERE body ILIKE '%{SEARCH_WORD}%'")
    assert search == [(3,)]


def test_readme_most_linked_related_headlines(db: ArchiveDatabase, demo_lines: Any) -> None:
    result = rows(db, MOST_LINKED_RELATED)
    links: Counter[str] = Counter()
    for article in demo_lines["articles"]:
        links.update(r["url"] for r in article["related"] if r["kind"] != "latest_news")
    assert max(links.values()) < 12, "the synthetic story should be the most linked"
    links[COMMON_URL] += 12
    top_counts = sorted(links.values(), reverse=True)[:5]
    assert [n for _, n, _ in result] == top_counts
    assert result[0] == (COMMON_TITLE, 12, 6)


def test_readme_front_page_positions_between_two_times(db: ArchiveDatabase) -> None:
    result = rows(db, FRONT_PAGE_OVER_TIME)
    expected = [
        (f"2026-03-01 {time[11:19]}", position, f"Headline {headline}")
        for time, headlines in FRONT_PAGE_CAPTURES.items()
        if "10:00" <= time[11:16] <= "14:00"
        for position, headline in enumerate(headlines[:5], start=1)
    ]
    assert result == expected
    assert len(result) == 10


def test_readme_queries_match_the_json_lines_of_the_demo(demo_run: Any) -> None:
    # The demo crawl's own lines (not the test archive) as the README shows them.
    lines = read_jsonl(demo_run.run_dir / "articles.jsonl")
    with open_archive(demo_run.run_dir) as db:
        per_day = rows(db, ARTICLES_PER_DAY)
    assert sum(n for _, _, n in per_day) == sum(1 for a in lines if a["published"])


def test_materialized_views_give_the_same_answers(archive: Path, db: ArchiveDatabase) -> None:
    sql = "SELECT site, count(*), count(DISTINCT url), sum(len(related)) FROM articles GROUP BY 1"
    with open_archive(archive, materialize=True) as loaded:
        assert (loaded.workdir / "archive.duckdb").exists()
        for view in VIEW_NAMES:
            count = f"SELECT count(*) FROM {view}"
            assert rows(loaded, count) == rows(db, count), view
        assert sorted(rows(loaded, sql)) == sorted(rows(db, sql))


def test_page_kind_columns_and_original_author(db: ArchiveDatabase, demo_lines: Any) -> None:
    """The columns the README lists beside the text: what a demo line says, and the defaults for
    a line written before they existed (the synthetic lines have none of them)."""
    live = next(a for a in demo_lines["articles"] if a["format"] == "liveblog")
    (row,) = rows(
        db,
        "SELECT format, paywalled, needs_js, len(entries), entries[1].time, len(embeds) "
        f"FROM articles WHERE url = '{live['url']}'",
    )
    assert row == ("liveblog", False, False, len(live["entries"]), live["entries"][0]["time"], 0)
    translated = next(a for a in demo_lines["articles"] if a["original_author"])
    assert rows(db, f"SELECT original_author FROM articles WHERE url = '{translated['url']}'") == [
        (translated["original_author"],)
    ]
    old = rows(
        db,
        "SELECT format, paywalled, needs_js, len(embeds), len(entries) "
        f"FROM articles WHERE url = '{SYNTH_BASE}/story-4/'",
    )
    assert old == [("article", False, False, 0, 0)]
