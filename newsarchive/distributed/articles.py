"""One article line per canonical URL across every worker of a run.

The rule of newsarchive/dedup.py holds across workers: the capture whose URL is its canonical
URL wins. Such a capture claims its key in a Redis set (SADD: the first claim wins, a re-fetch
after a worker died finds it taken). A capture of another URL (AMP copy, tracking parameters)
is parked in a Redis hash instead, where it survives the death of the worker that made it, and
is written at the end of the run, by whichever worker takes it first, only if the canonical
page never turned up. "The end" is when the whole run has finished, or when the closing worker
is the last one alive; a worker that stops early (max pages, a signal) leaves the parked ones
to the others.

If Redis goes away, a worker writes what it has rather than lose it (skipping only what it wrote
itself): a duplicate line is possible then, a missing one is not.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import redis

from newsarchive.dedup import article_key
from newsarchive.distributed import scripts
from newsarchive.records import (
    Article,
    ArticleFields,
    Caption,
    Capture,
    Related,
    to_json_dict,
)

if TYPE_CHECKING:
    from newsarchive.distributed.worker import SharedRun

logger = logging.getLogger(__name__)


class SharedArticleDeduplicator:
    """The interface of `ArticleDeduplicator` (offer, flush, duplicates) over Redis."""

    def __init__(self, shared: SharedRun) -> None:
        self.shared = shared
        self.duplicates = 0
        self._written_here: set[str] = set()
        client = shared.client
        self._claim = client.register_script(scripts.CLAIM_CANONICAL)
        self._park = client.register_script(scripts.PARK)
        self._take = client.register_script(scripts.TAKE_PARKED)

    def _keys(self) -> list[str]:
        return [self.shared.keys.written, self.shared.keys.waiting]

    def offer(self, article: Article) -> Article | None:
        """The article if this worker writes it now; None for a duplicate or a parked one."""
        key = article_key(article.fields.canonical_url or article.url)
        if key in self._written_here:
            self.duplicates += 1
            return None
        if self.shared.lost:
            return self._write(key, article)
        try:
            if article_key(article.url) == key:
                first, replaced = self._claim(keys=self._keys(), args=[key])
                if not first:
                    self.duplicates += 1
                    return None
                self.duplicates += int(replaced)
                return self._write(key, article)
            outcome = self._park(keys=self._keys(), args=[key, json.dumps(to_json_dict(article))])
        except redis.RedisError as exc:
            self.shared.mark_lost(exc)
            return self._write(key, article)
        if outcome != 1:
            self.duplicates += 1
        return None

    def _write(self, key: str, article: Article) -> Article:
        self._written_here.add(key)
        return article

    def flush(self) -> list[Article]:
        """At the end of the run: the parked captures whose canonical page never turned up and
        that this worker took. Earlier (others still crawling): nothing."""
        shared = self.shared
        if shared.lost or not (shared.finished or shared.is_last_worker()):
            return []
        taken: list[Article] = []
        try:
            for key in shared.client.hkeys(shared.keys.waiting):
                data = self._take(keys=self._keys(), args=[key])
                if data is None:
                    continue
                try:
                    taken.append(article_from_json(json.loads(data)))
                    self._written_here.add(key.decode() if isinstance(key, bytes) else str(key))
                except (ValueError, KeyError, TypeError) as exc:
                    logger.error("cannot read the parked article %r: %s", key, exc)
        except redis.RedisError as exc:
            shared.mark_lost(exc)
        return taken


def article_from_json(data: dict[str, Any]) -> Article:
    """The inverse of `records.to_json_dict` for an article line."""
    capture = data.get("capture")
    fields = ArticleFields(
        title=data.get("title"),
        lead=data.get("lead"),
        body=data.get("body") or "",
        captions=tuple(Caption(**c) for c in data.get("captions") or ()),
        related=tuple(Related(**r) for r in data.get("related") or ()),
        authors=tuple(data.get("authors") or ()),
        published=data.get("published"),
        modified=data.get("modified"),
        language=data.get("language"),
        section=data.get("section"),
        tags=tuple(data.get("tags") or ()),
        canonical_url=data.get("canonical_url"),
    )
    return Article(
        url=data["url"],
        site=data["site"],
        fetched_at=data["fetched_at"],
        status=data["status"],
        extractor_version=data["extractor_version"],
        fields=fields,
        capture=Capture(**capture) if capture else None,
        content_digest=data.get("content_digest"),
        version=data.get("version"),
        previous_digest=data.get("previous_digest"),
    )
