"""One article line per canonical URL across every worker of a run.

The rule of newsarchive/dedup.py holds across workers: the capture whose URL is its canonical
URL wins. Such a capture claims its key in a Redis hash, naming its worker (HSETNX: the first
claim wins). A worker can die between its claim and its line (one SQLite commit apart); the page
is then fetched again, since its request was still leased, and the worker that re-fetches it
finds the claim of a dead worker: it reads that worker's JSON lines in the shared run directory
and takes the claim over when the line is not there (when the file is not there either, on
another machine, it counts the article as written).

A capture of another URL (AMP copy, tracking parameters) is parked in a Redis hash instead,
where it survives the death of the worker that made it, and is written at the end of the run,
by whichever worker takes it first, only if the canonical page never turned up. "The end" is
when the whole run has finished, or when the closing worker is the last one alive; a worker
that stops early (max pages, a signal) leaves the parked ones to the others.

If Redis goes away, a worker writes what it has rather than lose it (skipping only what it wrote
itself): a duplicate line is possible then, a missing one is not.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import redis

from newsarchive.dedup import article_key
from newsarchive.distributed import scripts
from newsarchive.records import Article, Capture, fields_from_json, to_json_dict

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
        self._take_over = client.register_script(scripts.TAKE_OVER_CLAIM)
        self._dead_workers_keys: dict[str, set[str] | None] = {}

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
                first, other = self._claim(keys=self._keys(), args=[key, self.shared.worker])
                if first:
                    self.duplicates += int(other)  # a parked duplicate it replaces
                    return self._write(key, article)
                if self._dead_owner_did_not_write(key, _text(other)):
                    logger.warning("%s: its worker died before writing it; writing it here", key)
                    return self._write(key, article)
                self.duplicates += 1
                return None
            outcome = self._park(keys=self._keys(), args=[key, json.dumps(to_json_dict(article))])
        except redis.RedisError as exc:
            self.shared.mark_lost(exc)
            return self._write(key, article)
        if outcome != 1:
            self.duplicates += 1
        return None

    def _dead_owner_did_not_write(self, key: str, owner: str) -> bool:
        """Whether `owner` (which claimed `key`) is dead without having written the line, in
        which case this worker takes the claim over."""
        shared = self.shared
        if owner == shared.worker or owner in shared.frontier.live_workers():
            return False
        if owner not in self._dead_workers_keys:
            self._dead_workers_keys[owner] = _keys_in(shared.run.path / f"articles-{owner}.jsonl")
        written = self._dead_workers_keys[owner]
        if written is None or key in written:
            return False
        return bool(self._take_over(keys=[shared.keys.written], args=[key, owner, shared.worker]))

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
                data = self._take(keys=self._keys(), args=[key, shared.worker])
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


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _keys_in(path: Path) -> set[str] | None:
    """Canonical keys of the article lines in a (dead) worker's file; None if it is not here."""
    if not path.is_file():
        return None
    keys: set[str] = set()
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                item = json.loads(line)
                keys.add(article_key(item.get("canonical_url") or item["url"]))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # the half line a killed worker left
    return keys


def article_from_json(data: dict[str, Any]) -> Article:
    """The inverse of `records.to_json_dict` for an article line."""
    capture = data.get("capture")
    fields = fields_from_json(data)
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
