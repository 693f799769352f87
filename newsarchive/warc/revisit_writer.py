"""`write_capture`: one exchange into the archive as a response, a revisit, or nothing.

The glue between `WarcWriter`, `DigestIndex` and `RevisitPolicy`, so the crawl makes one call
per download: look the payload up, let the policy decide, write, and keep the index current.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from newsarchive.records import Capture
from newsarchive.warc.capture import HttpCapture, format_warc_date
from newsarchive.warc.digest_index import DigestIndex
from newsarchive.warc.revisit import PriorCapture, RevisitDecision, RevisitPolicy
from newsarchive.warc.writer import WarcWriter

__all__ = ["WriteOutcome", "write_capture"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOutcome:
    decision: RevisitDecision
    capture: Capture | None
    """The record written (response or revisit); None when skipped."""
    prior: PriorCapture | None
    """The archived response this one duplicates, if any (for `skip`, where its bytes are)."""


def write_capture(
    writer: WarcWriter,
    index: DigestIndex | None,
    policy: RevisitPolicy,
    capture: HttpCapture,
) -> WriteOutcome:
    """Write `capture` as the policy says; without an index every capture is a full response.

    Full responses that could be revisit targets are added to the index whatever the policy
    (with `off` too), so a policy switched on later finds them.
    """
    if index is None or not policy.eligible(capture):
        written = writer.write_exchange(capture)
        if index is not None and policy.indexable(capture):
            index.add(capture.url, format_warc_date(capture.warc_date), written)
        return WriteOutcome(decision="response", capture=written, prior=None)
    digest = writer.payload_digest(capture.body)
    prior = index.lookup(digest, capture.url)
    decision = policy.decide(capture, prior)
    warc_date = format_warc_date(capture.warc_date)
    if decision == "skip":
        logger.debug("%s: unchanged since %s, not written", capture.url, prior and prior.warc_date)
        return WriteOutcome(decision="skip", capture=None, prior=prior)
    if decision == "revisit" and prior is not None:
        written = writer.write_revisit(
            capture,
            refers_to=prior.record_id,
            refers_to_target_uri=prior.target_uri,
            refers_to_date=prior.warc_date,
            profile="identical-payload-digest",
        )
        index.note_revisit(digest, capture.url, warc_date)
        return WriteOutcome(decision="revisit", capture=written, prior=prior)
    written = writer.write_exchange(capture)
    index.add(capture.url, warc_date, written)
    return WriteOutcome(decision="response", capture=written, prior=prior)
