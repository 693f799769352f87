"""WARC → the same article and listing lines as the live run, with no network.

Runs archived responses through the very `PageProcessor` and `ArticleDeduplicator` the crawl's
pipelines use. WARCs written by other tools work too; a bad record is reported and skipped.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from newsarchive.dedup import ArticleDeduplicator
from newsarchive.errors import NewsarchiveError
from newsarchive.output import JsonLinesWriter
from newsarchive.process import PageProcessor
from newsarchive.records import Article, Listing
from newsarchive.sites import SiteProfile, load_profile
from newsarchive.stories import StoryJoiner
from newsarchive.warc.reader import ReadError, iter_exchanges, iter_warc_paths

logger = logging.getLogger(__name__)

GENERIC_PROFILE = SiteProfile(name="generic", description="any site (no profile)")


@dataclass(slots=True)
class ReplaySummary:
    files: int = 0
    exchanges: int = 0
    articles: int = 0
    listings: int = 0
    duplicates: int = 0
    joined_pages: int = 0
    """Later pages of multi-page stories appended to their first page's record."""
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def profile_for_inputs(inputs: Iterable[Path], site: str | None) -> SiteProfile:
    """The profile named by --site, else the one recorded in a run directory's run.json."""
    run_json: dict[str, str] | None = None
    for path in inputs:
        for candidate in (
            path / "run.json",
            path.parent / "run.json",
            path.parent.parent / "run.json",
        ):
            if candidate.is_file():
                try:
                    run_json = json.loads(candidate.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    logger.warning("ignoring unreadable %s: %s", candidate, exc)
                    continue
                break
        if run_json:
            break
    name = site or (run_json or {}).get("site")
    if not name:
        return GENERIC_PROFILE
    profile = load_profile(name)
    if profile.needs_base_url:
        base = (run_json or {}).get("base_url")
        if not base:
            raise NewsarchiveError(
                f"profile {name!r} needs the crawl's base URL: replay a run directory "
                "(it holds run.json), or pass --site generic"
            )
        profile = profile.with_base_url(base)
    return profile


def replay(
    inputs: list[Path],
    out: IO[str],
    *,
    site: str | None = None,
    progress: Callable[[ReplaySummary], None] | None = None,
) -> ReplaySummary:
    profile = GENERIC_PROFILE if site == "generic" else profile_for_inputs(inputs, site)
    processor = PageProcessor(profile)
    dedup = ArticleDeduplicator()
    stories = StoryJoiner()
    writer = JsonLinesWriter(out)
    summary = ReplaySummary()

    def write_article(article: Article) -> None:
        """One line per canonical URL (a duplicate may wait for its canonical page)."""
        accepted = dedup.offer(article)
        if accepted is not None:
            writer.write(accepted)
            summary.articles += 1

    def on_error(error: ReadError) -> None:
        logger.warning("%s", error)
        summary.errors.append(str(error))

    seen_paths: list[Path] = list(iter_warc_paths(inputs))
    if not seen_paths:
        raise NewsarchiveError(
            "no WARC files found in " + ", ".join(str(p) for p in inputs),
            path=str(inputs[0]) if inputs else None,
        )
    for exchange in iter_exchanges(seen_paths, on_error=on_error):
        summary.exchanges += 1
        try:
            result = processor.process(exchange)
        except Exception as exc:  # a loop boundary: one bad record must not end the replay
            where = exchange.capture.warc_file if exchange.capture else "?"
            logger.error("processing failed for %s (%s)", exchange.url, where, exc_info=True)
            summary.errors.append(f"{exchange.url}: {type(exc).__name__}: {exc}")
            continue
        record = result.record
        if isinstance(record, Listing):
            writer.write(record)
            summary.listings += 1
        elif isinstance(record, Article):
            for story in stories.offer(record, result.continues_at):
                write_article(story)
        elif result.drop_reason:
            summary.skipped[result.drop_reason] += 1
        if progress and summary.exchanges % 200 == 0:
            progress(summary)
    for story in stories.flush():
        write_article(story)
    for article in dedup.flush():
        writer.write(article)
        summary.articles += 1
    summary.joined_pages = stories.joined
    summary.duplicates = dedup.duplicates
    summary.files = len(seen_paths)
    writer.close()
    return summary
